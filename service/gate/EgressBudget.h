#pragma once

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

#include <deque>
#include <functional>

namespace airlock {

// The egress byte budget: how many request bytes (URL, headers, body) may leave for one
// destination host in any hour. Content inspection cannot see into what a program encrypted
// before sending; this bounds how much of it can leave. Per host, the bytes of the last hour are
// kept in one-minute buckets (at most 60), and at most kMaxHosts hosts are remembered (the one
// used longest ago is forgotten first), so memory is bounded. The clock is injected
// (milliseconds, monotonic).
class EgressBudget final {
public:
    using Clock = std::function<qint64()>;
    static constexpr qint64 WindowMs = 60 * 60 * 1000;
    static constexpr qint64 BucketMs = 60 * 1000;
    static constexpr int kMaxHosts = 4096;

    explicit EgressBudget(Clock clock);

    // Whether bytes more may leave for host within limit per hour; when consume, they are
    // counted. Refused: *retryAfterSeconds (>= 1) is when enough of the hour's bytes expire
    // (an hour when bytes alone exceed the limit).
    bool admit(const QString &host, qint64 bytes, qint64 limit, bool consume, int *retryAfterSeconds);
    qint64 usedLastHour(const QString &host);
    // Every remembered host with bytes in the last hour, most used first.
    QList<QPair<QString, qint64>> usage();

private:
    struct Bucket {
        qint64 minute = 0;
        qint64 bytes = 0;
    };
    struct Host {
        std::deque<Bucket> buckets;
        qint64 total = 0;
        qint64 lastUse = 0;
    };
    void expire(Host &host, qint64 now) const;
    void forgetOldest();

    Clock m_clock;
    QHash<QString, Host> m_hosts;
};

} // namespace airlock
