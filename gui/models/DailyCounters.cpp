#include "models/DailyCounters.h"

namespace airlock::gui {

DailyCounters::DailyCounters(QObject *parent)
    : QObject(parent)
    , m_day(QDate::currentDate()) {}

void DailyCounters::rollOver(const QDate &today) {
    if (today <= m_day)
        return;
    m_day = today;
    m_allowed = m_blocked = m_bytes = 0;
    Q_EMIT changed();
}

void DailyCounters::add(const QList<DecisionEvent> &events) {
    bool touched = false;
    for (const DecisionEvent &e : events) {
        const QDate day = e.time.toLocalTime().date();
        if (day > m_day) {
            m_day = day;
            m_allowed = m_blocked = m_bytes = 0;
        }
        if (day < m_day)
            continue;
        // A pull's start and end are not requests: the requests it makes are recorded, and
        // counted, one by one.
        if (e.event == EventKind::PullStarted || e.event == EventKind::PullFinished)
            continue;
        // A decision counts once; the end of its transfer adds the bytes delivered.
        if (e.transferEnd())
            m_bytes += qMax<qint64>(0, e.bytesDown);
        else
            ++(e.allowed() ? m_allowed : m_blocked);
        touched = true;
    }
    if (touched)
        Q_EMIT changed();
}

} // namespace airlock::gui
