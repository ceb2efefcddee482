#pragma once

#include <QtGlobal>

#include <deque>
#include <functional>

namespace airlock {

// Sliding-window limiter: at most N admissions in any 60-second window, no burst beyond N.
// It keeps the admission times of the last window (at most N of them), so memory is bounded
// by the limit. The clock is injected (milliseconds, monotonic) so tests drive it by hand.
class RateLimiter final {
public:
    using Clock = std::function<qint64()>;
    static constexpr qint64 WindowMs = 60'000;

    explicit RateLimiter(Clock clock);

    // Admits one request if fewer than limit were admitted in the last window; otherwise
    // sets *retryAfterSeconds (>= 1) to when the oldest admission leaves the window.
    bool tryAcquire(int limit, int *retryAfterSeconds);
    // The same answer without admitting anything.
    bool wouldAdmit(int limit, int *retryAfterSeconds);

private:
    void expire(qint64 now);
    int retryAfter(qint64 now) const;

    Clock m_clock;
    std::deque<qint64> m_admitted;
};

} // namespace airlock
