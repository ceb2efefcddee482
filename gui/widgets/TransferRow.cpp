#include "widgets/TransferRow.h"

#include "models/TransferList.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace airlock::gui {

TransferRow::TransferRow(QWidget *parent)
    : QFrame(parent)
    , m_title(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_detail(new QLabel(this)) {
    setFrameShape(QFrame::StyledPanel);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setTextFormat(Qt::PlainText);
    m_bar->setTextVisible(true);
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(4);
    layout->addWidget(m_title);
    layout->addWidget(m_bar);
    layout->addWidget(m_detail);
}

QString TransferRow::detailText() const {
    return m_detail->text();
}

void TransferRow::setTransfer(const TransferInfo &t) {
    const QString title = TransferList::title(t);
    m_title->setText(m_title->fontMetrics().elidedText(title, Qt::ElideMiddle, qMax(200, width() - 24)));
    m_title->setToolTip(title);
    const int permille = TransferList::permille(t);
    if (permille < 0 && !t.finished) {
        m_bar->setRange(0, 0); // busy: the upstream did not say how much is coming
    } else {
        m_bar->setRange(0, 1000);
        m_bar->setValue(qMax(0, permille));
        m_bar->setFormat(permille < 0 ? QString() : tr("%1 %").arg(permille / 10.0, 0, 'f', 1));
    }
    m_detail->setText(TransferList::progressText(t));
    m_bar->setEnabled(!t.finished); // finished ones greyed out; their text says how they ended
    m_bar->setAccessibleName(tr("Progress of %1").arg(title));
    m_bar->setAccessibleDescription(m_detail->text());
    setAccessibleName(title);
}

} // namespace airlock::gui
