#include "gate/EgressBudget.h"

#include <algorithm>

namespace airlock {

EgressBudget::EgressBudget(Clock clock)
    : m_clock(std::move(clock)) {}

void EgressBudget::expire(Host &host, qint64 now) const {
    const qint64 oldest = (now - WindowMs) / BucketMs; // buckets at or before it are out
    while (!host.buckets.empty() && host.buckets.front().minute <= oldest) {
        host.total -= host.buckets.front().bytes;
        host.buckets.pop_front();
    }
}

void EgressBudget::forgetOldest() {
    auto oldest = m_hosts.end();
    for (auto it = m_hosts.begin(); it != m_hosts.end(); ++it)
        if (oldest == m_hosts.end() || it->lastUse < oldest->lastUse)
            oldest = it;
    if (oldest != m_hosts.end())
        m_hosts.erase(oldest);
}

bool EgressBudget::admit(const QString &host, qint64 bytes, qint64 limit, bool consume, int *retryAfterSeconds) {
    const qint64 now = m_clock();
    auto it = m_hosts.find(host);
    if (it == m_hosts.end()) {
        if (!consume) { // a question about a host never seen: it has its whole budget
            if (bytes <= limit)
                return true;
            *retryAfterSeconds = int(WindowMs / 1000);
            return false;
        }
        if (m_hosts.size() >= kMaxHosts)
            forgetOldest();
        it = m_hosts.insert(host, Host{});
    }
    Host &h = *it;
    expire(h, now);
    if (bytes > limit) {
        *retryAfterSeconds = int(WindowMs / 1000);
        return false;
    }
    if (h.total + bytes > limit) {
        // Wait until enough buckets leave the window.
        qint64 freed = 0;
        qint64 at = now + WindowMs;
        for (const Bucket &b : h.buckets) {
            freed += b.bytes;
            if (h.total - freed + bytes <= limit) {
                at = (b.minute + 1) * BucketMs + WindowMs;
                break;
            }
        }
        *retryAfterSeconds = int(std::max<qint64>(1, (at - now + 999) / 1000));
        return false;
    }
    if (consume) {
        const qint64 minute = now / BucketMs;
        if (h.buckets.empty() || h.buckets.back().minute != minute)
            h.buckets.push_back(Bucket{minute, 0});
        h.buckets.back().bytes += bytes;
        h.total += bytes;
        h.lastUse = now;
    }
    return true;
}

qint64 EgressBudget::usedLastHour(const QString &host) {
    auto it = m_hosts.find(host);
    if (it == m_hosts.end())
        return 0;
    expire(*it, m_clock());
    return it->total;
}

QList<QPair<QString, qint64>> EgressBudget::usage() {
    const qint64 now = m_clock();
    QList<QPair<QString, qint64>> out;
    for (auto it = m_hosts.begin(); it != m_hosts.end(); ++it) {
        expire(*it, now);
        if (it->total > 0)
            out.append({it.key(), it->total});
    }
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    return out;
}

} // namespace airlock
