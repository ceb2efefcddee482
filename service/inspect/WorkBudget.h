#pragma once

#include <QtGlobal>

#include <atomic>

namespace airlock {

// The CPU time one request's inspection may use, across every thread that works on it.
// Spending it makes the request uninspectable (a refusal, never a pass): whatever a body is
// made of, it ties up an inspection thread for a bounded time.
class WorkBudget final {
public:
    explicit WorkBudget(qint64 cpuMillis)
        : m_limitNs(cpuMillis > 0 ? cpuMillis * 1'000'000 : 0) {}
    WorkBudget(const WorkBudget &) = delete;
    WorkBudget &operator=(const WorkBudget &) = delete;

    bool spent() const { return m_spent.load(std::memory_order_relaxed); }
    qint64 usedNs() const { return m_usedNs.load(std::memory_order_relaxed); }
    // Adds ns of CPU time; false once the budget is spent (by this or another thread).
    bool charge(qint64 ns);

private:
    const qint64 m_limitNs; // 0: unlimited
    std::atomic<qint64> m_usedNs{0};
    std::atomic<bool> m_spent{false};
};

// One thread's meter on a WorkBudget. The work calls tick() with the bytes it got through; once
// every kCheckBytes the thread's CPU clock is read and the time since the last reading charged
// (a clock read costs about a microsecond, so it is not made per line). Charges the rest when
// destroyed. A null budget: unlimited, tick() is always true.
class WorkMeter final {
public:
    static constexpr qint64 kCheckBytes = 64 * 1024;

    explicit WorkMeter(WorkBudget *budget);
    ~WorkMeter();
    WorkMeter(const WorkMeter &) = delete;
    WorkMeter &operator=(const WorkMeter &) = delete;

    bool tick(qint64 bytes) {
        if (!m_budget)
            return true;
        m_pending += bytes;
        if (m_pending >= kCheckBytes)
            return check();
        return !m_budget->spent();
    }
    // Reads the clock now and charges; false when the budget is spent.
    bool check();
    bool spent() const { return m_budget && m_budget->spent(); }

private:
    WorkBudget *m_budget;
    qint64 m_lastNs = 0;
    qint64 m_pending = 0;
};

} // namespace airlock
