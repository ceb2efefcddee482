#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>

namespace airlock {

// Counters behind GET /v1/stats (and, later, /metrics).
struct Stats {
    qint64 allowed = 0;
    qint64 blocked = 0;
    QHash<QString, qint64> blockedByCode;
    qint64 bytesUp = 0;
    qint64 bytesDown = 0;
    int activeTransfers = 0;
    qint64 upstreamFailures = 0;
    qint64 auditFailures = 0;

    void countBlocked(const QString &code) {
        ++blocked;
        ++blockedByCode[code];
    }
    QJsonObject toJson() const;
};

} // namespace airlock
