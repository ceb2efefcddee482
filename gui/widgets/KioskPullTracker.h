#pragma once

#include "client/Messages.h"

#include <QDateTime>
#include <QList>
#include <QSet>

namespace airlock::gui {

// Which model pulls the kiosk board shows: every running pull, and each one that ended while the
// board watched, for a while afterwards with how it ended. A pull counts as watched when the
// board saw it running, or when the service says it ended after the board began watching (a
// short pull can start and end between two looks); pulls that ended before are history and stay
// off the board. Not a widget and not a clock: the caller passes the time (monotonic ms), so the
// rules are the same in a test as on the wall.
class KioskPullTracker final {
public:
    static constexpr qint64 DefaultLingerMs = 60'000;

    struct Entry {
        PullInfo pull;
        bool ended = false;
        qint64 endedAtMs = -1; // when the board first saw it ended

        bool operator==(const Entry &) const = default;
    };

    explicit KioskPullTracker(const QDateTime &watchingSince = QDateTime::currentDateTimeUtc());

    void setLinger(qint64 ms) { m_lingerMs = qMax<qint64>(0, ms); }
    qint64 linger() const { return m_lingerMs; }

    // The service's whole list as of nowMs. True when what the board shows changed.
    bool update(const QList<PullInfo> &pulls, qint64 nowMs);
    // Lets the ended pulls go whose time is up. True when one went.
    bool expire(qint64 nowMs);
    // Running pulls in the service's order, then ended ones, the most recently ended first.
    QList<Entry> entries() const { return m_running + m_ended; }
    // When the next ended pull is due to go (same clock as nowMs); -1 when none waits.
    qint64 nextExpiryMs() const;

private:
    QDateTime m_since;
    qint64 m_lingerMs = DefaultLingerMs;
    QList<Entry> m_running;
    QList<Entry> m_ended; // front: the most recently ended
    QSet<QString> m_done; // ended pulls not (or no longer) shown; a resume brings one back
};

} // namespace airlock::gui
