#include "api/Stats.h"

namespace airlock {

QJsonObject Stats::toJson() const {
    QJsonObject byCode;
    for (auto it = blockedByCode.cbegin(); it != blockedByCode.cend(); ++it)
        byCode.insert(it.key(), it.value());
    QJsonObject o;
    o.insert(QStringLiteral("allowed"), allowed);
    o.insert(QStringLiteral("blocked"), blocked);
    o.insert(QStringLiteral("blocked_by_code"), byCode);
    o.insert(QStringLiteral("bytes_up"), bytesUp);
    o.insert(QStringLiteral("bytes_down"), bytesDown);
    o.insert(QStringLiteral("active_transfers"), activeTransfers);
    o.insert(QStringLiteral("upstream_failures"), upstreamFailures);
    o.insert(QStringLiteral("audit_failures"), auditFailures);
    return o;
}

} // namespace airlock
