#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

namespace airlock {

// Counters behind GET /v1/stats and GET /metrics.
struct Stats {
    qint64 allowed = 0;
    qint64 blocked = 0;
    QHash<QString, qint64> blockedByCode;
    qint64 bytesUp = 0;
    qint64 bytesDown = 0;
    int activeTransfers = 0;
    qint64 upstreamFailures = 0;
    qint64 auditFailures = 0;
    qint64 adminRefused = 0;               // admin socket connections refused by peer credentials
    qint64 connectionsRefused = 0;         // API connections refused at the connection cap (503)
    qint64 halfOpenDropped = 0;            // connections closed before a complete head (budget or timeout)
    qint64 hostRefused = 0;                // API requests refused for their Host or Origin header (web pages)
    qint64 preempted = 0;                  // fetches cut to give a waiting request their slot (slow readers)
    QHash<QString, qint64> pullsByOutcome; // ended model pulls: published, failed, cancelled, stopped
    qint64 pullBytes = 0;                  // bytes of published model pulls
    int activePulls = 0;

    void countBlocked(const QString &code) {
        ++blocked;
        ++blockedByCode[code];
    }
    QJsonObject toJson() const;
    // GET /metrics: Prometheus text exposition format 0.0.4.
    QByteArray toPrometheus(int queuedFetches, bool lockdown, bool enabled) const;
};

} // namespace airlock
