#include "inspect/WorkBudget.h"

#include <ctime>
#include <limits>

namespace airlock {

namespace {
// -1 when the thread's CPU clock cannot be read.
qint64 threadCpuNs() {
    timespec ts{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return -1;
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
} // namespace

bool WorkBudget::charge(qint64 ns) {
    const qint64 used = m_usedNs.fetch_add(ns, std::memory_order_relaxed) + ns;
    if (m_limitNs > 0 && used > m_limitNs)
        m_spent.store(true, std::memory_order_relaxed);
    return !spent();
}

WorkMeter::WorkMeter(WorkBudget *budget)
    : m_budget(budget) {
    if (m_budget)
        m_lastNs = threadCpuNs();
}

WorkMeter::~WorkMeter() {
    if (m_budget)
        check();
}

bool WorkMeter::check() {
    if (!m_budget)
        return true;
    const qint64 now = threadCpuNs();
    if (now < 0 || m_lastNs < 0) {
        // A budget that cannot be measured is not kept: spent (when there is a limit), so the
        // request is refused rather than inspected without one.
        return m_budget->charge(std::numeric_limits<qint64>::max() / 4);
    }
    const qint64 used = now > m_lastNs ? now - m_lastNs : 0;
    m_lastNs = now;
    m_pending = 0;
    return m_budget->charge(used);
}

} // namespace airlock
