#pragma once

#include <QtGlobal>

#include <functional>

namespace airlock::test {

// A monotonic millisecond clock the test moves by hand, so time-dependent code (rate limiter,
// timeouts measured against an injected clock) is tested without sleeping. function() hands
// the clock to code that takes a std::function<qint64()>; the ManualClock must outlive it.
class ManualClock {
public:
    explicit ManualClock(qint64 startMs = 1'000'000)
        : m_nowMs(startMs) {}

    qint64 nowMs() const { return m_nowMs; }
    void setNowMs(qint64 ms) { m_nowMs = ms; }
    void advance(qint64 ms) { m_nowMs += ms; }
    std::function<qint64()> function() const {
        return [this] {
            return m_nowMs;
        };
    }

private:
    qint64 m_nowMs;
};

} // namespace airlock::test
