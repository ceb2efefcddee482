#include "widgets/TransfersPage.h"

#include "models/Format.h"
#include "models/TransferList.h"
#include "widgets/TransferRow.h"

#include <algorithm>

#include <QLabel>
#include <QScrollArea>
#include <QSet>
#include <QVBoxLayout>

namespace airlock::gui {

TransfersPage::TransfersPage(QWidget *parent)
    : QWidget(parent)
    , m_list(new QVBoxLayout)
    , m_empty(new QLabel(tr("No downloads in progress."), this))
    , m_summary(new QLabel(this)) {
    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->addLayout(m_list);
    contentLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setAccessibleName(tr("Transfers"));
    m_empty->setAlignment(Qt::AlignCenter);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_empty);
    layout->addWidget(scroll, 1);
    setTransfers({});
}

QList<TransferRow *> TransfersPage::rows() const {
    QList<TransferRow *> list;
    for (const QString &id : m_order)
        list.append(m_rows.value(id));
    return list;
}

void TransfersPage::setTransfers(const QList<TransferInfo> &transfers) {
    QSet<QString> present;
    QList<QString> order;
    double rate = 0;
    int active = 0;
    // Active downloads first: finished ones linger a few seconds below them.
    QList<TransferInfo> sorted = transfers;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const TransferInfo &a, const TransferInfo &b) { return !a.finished && b.finished; });
    for (const TransferInfo &t : std::as_const(sorted)) {
        if (order.size() >= m_maximumRows)
            break;
        const QString key = t.id.isEmpty() ? t.host + t.path : t.id;
        present.insert(key);
        order.append(key);
        TransferRow *row = m_rows.value(key);
        if (!row) {
            row = new TransferRow(this);
            m_rows.insert(key, row);
            m_list->addWidget(row);
        }
        row->setTransfer(t);
        if (!t.finished) {
            ++active;
            rate += t.rate;
        }
    }
    for (auto it = m_rows.begin(); it != m_rows.end();) {
        if (!present.contains(it.key())) {
            delete it.value();
            it = m_rows.erase(it);
        } else {
            ++it;
        }
    }
    // Keep the layout in the same order as the list.
    for (const QString &key : std::as_const(order)) {
        m_list->removeWidget(m_rows.value(key));
        m_list->addWidget(m_rows.value(key));
    }
    m_order = order;
    m_empty->setVisible(m_rows.isEmpty());
    m_summary->setText(tr("%n active download(s), %1 in total", nullptr, active).arg(Format::rate(rate)));
}

} // namespace airlock::gui
