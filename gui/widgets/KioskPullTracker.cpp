#include "widgets/KioskPullTracker.h"

#include <algorithm>

namespace airlock::gui {

namespace {

const KioskPullTracker::Entry *find(const QList<KioskPullTracker::Entry> &list, const QString &id) {
    for (const KioskPullTracker::Entry &e : list)
        if (e.pull.id == id)
            return &e;
    return nullptr;
}

} // namespace

KioskPullTracker::KioskPullTracker(const QDateTime &watchingSince)
    // The service's end times may be cut to the second: a pull that ends just after the board
    // starts must not look older than the board.
    : m_since(watchingSince.toUTC().addMSecs(-watchingSince.time().msec())) {}

bool KioskPullTracker::update(const QList<PullInfo> &pulls, qint64 nowMs) {
    const QList<Entry> before = entries();
    QList<Entry> running;
    QList<Entry> ended;
    QSet<QString> listed;
    for (const PullInfo &p : pulls) {
        listed.insert(p.id);
        if (p.running()) {
            m_done.remove(p.id); // resumed: shown again
            running.append(Entry{p, false, -1});
            continue;
        }
        if (const Entry *e = find(m_ended, p.id)) {
            Entry kept = *e; // still lingering: the service may have said more since
            kept.pull = p;
            ended.append(kept);
            continue;
        }
        if (m_done.contains(p.id))
            continue;
        const bool sawRunning = find(m_running, p.id) != nullptr;
        const bool endedWhileWatched = p.finished.isValid() && p.finished >= m_since;
        if (sawRunning || endedWhileWatched)
            ended.append(Entry{p, true, nowMs});
        else
            m_done.insert(p.id); // history
    }
    // A running pull the service stopped listing was discarded: how it ended is not known, so
    // it just goes. An ended one that was discarded keeps its time on the board.
    for (const Entry &e : std::as_const(m_ended))
        if (!listed.contains(e.pull.id))
            ended.append(e);
    std::stable_sort(ended.begin(), ended.end(),
                     [](const Entry &a, const Entry &b) { return a.endedAtMs > b.endedAtMs; });
    m_running = running;
    m_ended = ended;
    for (auto it = m_done.begin(); it != m_done.end();)
        it = listed.contains(*it) ? std::next(it) : m_done.erase(it);
    expire(nowMs);
    return entries() != before;
}

bool KioskPullTracker::expire(qint64 nowMs) {
    const qsizetype before = m_ended.size();
    m_ended.removeIf([&](const Entry &e) {
        if (nowMs - e.endedAtMs < m_lingerMs)
            return false;
        m_done.insert(e.pull.id);
        return true;
    });
    return m_ended.size() != before;
}

qint64 KioskPullTracker::nextExpiryMs() const {
    qint64 next = -1;
    for (const Entry &e : m_ended)
        if (next < 0 || e.endedAtMs + m_lingerMs < next)
            next = e.endedAtMs + m_lingerMs;
    return next;
}

} // namespace airlock::gui
