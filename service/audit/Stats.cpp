#include "audit/Stats.h"

#include <QStringList>

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
    o.insert(QStringLiteral("admin_refused"), adminRefused);
    o.insert(QStringLiteral("origin_refused"), hostRefused);
    o.insert(QStringLiteral("preempted"), preempted);
    QJsonObject pulls;
    for (auto it = pullsByOutcome.cbegin(); it != pullsByOutcome.cend(); ++it)
        pulls.insert(it.key(), it.value());
    o.insert(QStringLiteral("pulls_by_outcome"), pulls);
    o.insert(QStringLiteral("pull_bytes"), pullBytes);
    o.insert(QStringLiteral("active_pulls"), activePulls);
    return o;
}

namespace {

void metric(QByteArray &out, const char *name, const char *type, const char *help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
}

void sample(QByteArray &out, const char *name, qint64 value, const QByteArray &labels = {}) {
    out.append(name);
    if (!labels.isEmpty())
        out.append('{').append(labels).append('}');
    out.append(' ').append(QByteArray::number(value)).append('\n');
}

} // namespace

QByteArray Stats::toPrometheus(int queuedFetches, bool lockdown, bool enabled) const {
    QByteArray out;
    metric(out, "airlock_requests_total", "counter", "Fetch decisions by decision and code.");
    sample(out, "airlock_requests_total", allowed, "decision=\"allowed\",code=\"ok\"");
    // Codes are fixed identifiers from ErrorCode (lower case, '_'): safe as label values.
    QStringList codes = blockedByCode.keys();
    codes.sort();
    for (const QString &code : codes)
        sample(out, "airlock_requests_total", blockedByCode.value(code),
               "decision=\"blocked\",code=\"" + code.toLatin1() + '"');
    metric(out, "airlock_bytes_up_total", "counter", "Request bytes sent upstream: request lines, headers and bodies.");
    sample(out, "airlock_bytes_up_total", bytesUp);
    metric(out, "airlock_bytes_down_total", "counter", "Response body bytes relayed to clients.");
    sample(out, "airlock_bytes_down_total", bytesDown);
    metric(out, "airlock_active_transfers", "gauge", "Upstream exchanges in progress.");
    sample(out, "airlock_active_transfers", activeTransfers);
    metric(out, "airlock_queued_fetches", "gauge", "Allowed fetches waiting for an upstream slot.");
    sample(out, "airlock_queued_fetches", queuedFetches);
    metric(out, "airlock_rate_limited_total", "counter", "Requests refused by the rate limit.");
    sample(out, "airlock_rate_limited_total", blockedByCode.value(QStringLiteral("rate_limited")));
    metric(out, "airlock_upstream_failures_total", "counter", "Allowed transfers that failed upstream.");
    sample(out, "airlock_upstream_failures_total", upstreamFailures);
    metric(out, "airlock_audit_write_failures_total", "counter", "Audit records that could not be written.");
    sample(out, "airlock_audit_write_failures_total", auditFailures);
    metric(out, "airlock_admin_connections_refused_total", "counter",
           "Admin socket connections refused by peer credentials.");
    sample(out, "airlock_admin_connections_refused_total", adminRefused);
    metric(out, "airlock_connections_refused_total", "counter", "API connections refused at the connection cap.");
    sample(out, "airlock_connections_refused_total", connectionsRefused);
    metric(out, "airlock_half_open_dropped_total", "counter",
           "API connections closed before sending a complete request head (budget full or too slow).");
    sample(out, "airlock_half_open_dropped_total", halfOpenDropped);
    metric(out, "airlock_origin_refused_total", "counter",
           "API requests refused as coming from a web page (Origin header, or a Host not this service).");
    sample(out, "airlock_origin_refused_total", hostRefused);
    metric(out, "airlock_preempted_total", "counter",
           "Fetches cut to give their upstream slot to a waiting request: the client read too slowly.");
    sample(out, "airlock_preempted_total", preempted);
    metric(out, "airlock_pulls_total", "counter", "Model pulls ended, by outcome.");
    QStringList outcomes = pullsByOutcome.keys();
    outcomes.sort();
    // Outcomes are fixed identifiers (TransferOutcome names): safe as label values.
    for (const QString &outcome : outcomes)
        sample(out, "airlock_pulls_total", pullsByOutcome.value(outcome), "outcome=\"" + outcome.toLatin1() + '"');
    metric(out, "airlock_pull_bytes_total", "counter", "Bytes of model pulls published.");
    sample(out, "airlock_pull_bytes_total", pullBytes);
    metric(out, "airlock_active_pulls", "gauge", "Model pulls downloading or publishing.");
    sample(out, "airlock_active_pulls", activePulls);
    metric(out, "airlock_enabled", "gauge", "1 when the policy enables the Airlock.");
    sample(out, "airlock_enabled", enabled ? 1 : 0);
    metric(out, "airlock_lockdown", "gauge", "1 while the lockdown latch is set.");
    sample(out, "airlock_lockdown", lockdown ? 1 : 0);
    return out;
}

} // namespace airlock
