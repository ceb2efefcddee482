#include "widgets/KioskPullBoard.h"

#include "widgets/KioskPullRow.h"
#include "widgets/Labels.h"

#include <QLabel>
#include <QSet>
#include <QVBoxLayout>

namespace airlock::gui {

KioskPullBoard::KioskPullBoard(QWidget *parent)
    : QWidget(parent)
    , m_title(boardLabel(this, 1.5, true))
    , m_list(new QVBoxLayout)
    , m_more(boardLabel(this, 1.25, false)) {
    setAccessibleName(tr("Model pulls"));
    m_title->setText(tr("Model pulls"));
    m_list->setSpacing(8);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_title);
    layout->addLayout(m_list);
    layout->addWidget(m_more);
    m_clock.start();
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, &KioskPullBoard::expire);
    showEntries({});
}

void KioskPullBoard::setLinger(int ms) {
    m_tracker.setLinger(ms);
    expire();
}

KioskPullRow *KioskPullBoard::row(int i) const {
    return i >= 0 && i < m_order.size() ? m_rows.value(m_order.at(i)) : nullptr;
}

QString KioskPullBoard::moreText() const {
    return m_more->isVisibleTo(this) ? m_more->text() : QString();
}

void KioskPullBoard::setPulls(const QList<PullInfo> &pulls) {
    if (m_tracker.update(pulls, m_clock.elapsed()))
        showEntries(m_tracker.entries());
    scheduleExpiry();
}

void KioskPullBoard::expire() {
    if (m_tracker.expire(m_clock.elapsed()))
        showEntries(m_tracker.entries());
    scheduleExpiry();
}

void KioskPullBoard::scheduleExpiry() {
    const qint64 next = m_tracker.nextExpiryMs();
    if (next < 0)
        m_expiry.stop();
    else
        m_expiry.start(int(qBound(qint64(0), next - m_clock.elapsed(), qint64(24 * 3600 * 1000))));
}

void KioskPullBoard::showEntries(const QList<KioskPullTracker::Entry> &entries) {
    QList<QString> order;
    for (const KioskPullTracker::Entry &e : entries) {
        if (order.size() >= MaxRows)
            break;
        order.append(e.pull.id);
        KioskPullRow *row = m_rows.value(e.pull.id);
        if (!row) {
            row = new KioskPullRow(this);
            m_rows.insert(e.pull.id, row);
            m_list->addWidget(row);
        }
        row->setPull(e.pull, e.ended);
    }
    const QSet<QString> shown(order.cbegin(), order.cend());
    for (auto it = m_rows.begin(); it != m_rows.end();) {
        if (shown.contains(it.key())) {
            ++it;
            continue;
        }
        delete it.value();
        it = m_rows.erase(it);
    }
    // The layout in the order of the list: running first, then the most recently ended.
    for (const QString &id : std::as_const(order)) {
        m_list->removeWidget(m_rows.value(id));
        m_list->addWidget(m_rows.value(id));
    }
    m_order = order;
    const int hidden = int(entries.size()) - int(order.size());
    m_more->setText(tr("… and %n more model pull(s)", nullptr, hidden));
    m_more->setVisible(hidden > 0);
    setVisible(!entries.isEmpty()); // no room taken while there is nothing to show
}

} // namespace airlock::gui
