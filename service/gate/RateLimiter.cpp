#include "gate/RateLimiter.h"

#include <algorithm>

namespace airlock {

RateLimiter::RateLimiter(Clock clock)
    : m_clock(std::move(clock)) {}

void RateLimiter::expire(qint64 now) {
    while (!m_admitted.empty() && m_admitted.front() <= now - WindowMs)
        m_admitted.pop_front();
}

int RateLimiter::retryAfter(qint64 now) const {
    if (m_admitted.empty())
        return 1;
    const qint64 waitMs = m_admitted.front() + WindowMs - now;
    return int(std::max<qint64>(1, (waitMs + 999) / 1000));
}

bool RateLimiter::tryAcquire(int limit, int *retryAfterSeconds) {
    const qint64 now = m_clock();
    expire(now);
    // A lowered limit leaves older admissions in the window; they still count.
    if (limit <= 0 || m_admitted.size() >= size_t(limit)) {
        // Drop what the current limit can never need, so memory follows the limit.
        while (limit > 0 && m_admitted.size() > size_t(limit))
            m_admitted.pop_front();
        if (retryAfterSeconds)
            *retryAfterSeconds = retryAfter(now);
        return false;
    }
    m_admitted.push_back(now);
    return true;
}

bool RateLimiter::wouldAdmit(int limit, int *retryAfterSeconds) {
    const qint64 now = m_clock();
    expire(now);
    if (limit <= 0 || m_admitted.size() >= size_t(limit)) {
        if (retryAfterSeconds)
            *retryAfterSeconds = retryAfter(now);
        return false;
    }
    return true;
}

} // namespace airlock
