#include "client/Messages.h"

#include <QJsonArray>

#include <algorithm>

namespace airlock::gui {

namespace {

qint64 integer(const QJsonObject &o, const char *key, qint64 fallback) {
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? qint64(v.toDouble()) : fallback;
}

} // namespace

ServiceState ServiceStatus::state() const {
    if (lockdown)
        return ServiceState::Lockdown;
    return enabled ? ServiceState::Enabled : ServiceState::Disabled;
}

ServiceStatus ServiceStatus::fromJson(const QJsonObject &result) {
    ServiceStatus s;
    s.enabled = result.value(QLatin1String("enabled")).toBool();
    s.lockdown = result.value(QLatin1String("lockdown")).toBool();
    s.lockdownReason = result.value(QLatin1String("lockdown_reason")).toString();
    s.version = result.value(QLatin1String("version")).toString();
    s.policyPath = result.value(QLatin1String("policy_path")).toString();
    // Counters may sit at the top level or under "counters"/"stats".
    QJsonObject c = result;
    for (const char *key : {"counters", "stats"})
        if (result.value(QLatin1String(key)).isObject())
            c = result.value(QLatin1String(key)).toObject();
    s.allowed = integer(c, "allowed", -1);
    s.blocked = integer(c, "blocked", -1);
    s.bytesDown = integer(c, "bytes_down", -1);
    s.bytesUp = integer(c, "bytes_up", -1);
    s.activeTransfers = int(integer(c, "active_transfers", -1));
    const QJsonObject egress = result.value(QLatin1String("egress_bytes_last_hour")).toObject();
    for (auto it = egress.begin(); it != egress.end(); ++it) // QJsonObject keys are sorted
        if (it.value().isDouble() && it.value().toDouble() >= 0)
            s.egressLastHour.append({it.key(), it.value().toInteger()});
    s.egressBudgetPerHour = integer(result, "egress_budget_per_hour", -1);
    return s;
}

std::optional<DecisionEvent> DecisionEvent::fromJson(const QJsonObject &data, QString *error) {
    RecordParse parsed = recordFromJson(data);
    if (!parsed.ok()) {
        if (error)
            *error = parsed.error;
        return std::nullopt;
    }
    DecisionEvent e;
    static_cast<AuditRecord &>(e) = std::move(parsed.record);
    e.time = parsed.time.isValid() ? parsed.time : QDateTime::currentDateTime();
    return e;
}

TransferInfo TransferInfo::fromJson(const QJsonObject &data) {
    TransferInfo t;
    const QJsonValue id = data.value(QLatin1String("id"));
    t.id = id.isDouble() ? QString::number(qint64(id.toDouble())) : id.toString();
    t.method = data.value(QLatin1String("method")).toString();
    t.host = data.value(QLatin1String("host")).toString();
    t.path = data.value(QLatin1String("path")).toString();
    t.bytes = integer(data, "bytes", integer(data, "bytes_done", 0));
    t.total = integer(data, "total", -1);
    if (t.total <= 0)
        t.total = -1;
    t.rate = data.value(QLatin1String("rate")).toDouble();
    t.elapsedMs = integer(data, "elapsed", 0);
    t.finished = data.value(QLatin1String("state")).toString() == QLatin1String("finished");
    t.outcome = outcomeFromName(data.value(QLatin1String("outcome")).toString());
    t.status = int(integer(data, "status", 0));
    t.pull = data.value(QLatin1String("kind")).toString() == QLatin1String("pull");
    return t;
}

namespace {
PullFileInfo pullFileFromJson(const QJsonObject &o) {
    PullFileInfo f;
    f.path = o.value(QLatin1String("path")).toString();
    f.size = integer(o, "size", -1);
    f.done = integer(o, "done", 0);
    f.verified = o.value(QLatin1String("verified")).toBool();
    f.digest = o.value(QLatin1String("digest")).toString();
    f.digestKind = o.value(QLatin1String("digest_kind")).toString();
    f.error = o.value(QLatin1String("error")).toString();
    return f;
}
} // namespace

bool PullInfo::running() const {
    return state == QLatin1String("queued") || state == QLatin1String("downloading") ||
           state == QLatin1String("publishing");
}

bool PullInfo::canResume() const {
    return !state.isEmpty() && !running() && !published();
}

int PullInfo::percent() const {
    if (bytesTotal <= 0)
        return published() ? 100 : -1;
    return int(std::clamp<qint64>(bytesDone * 100 / bytesTotal, 0, 100));
}

PullInfo PullInfo::fromJson(const QJsonObject &data) {
    PullInfo p;
    p.id = data.value(QLatin1String("id")).toString();
    p.source = data.value(QLatin1String("source")).toString();
    p.name = data.value(QLatin1String("name")).toString();
    p.state = data.value(QLatin1String("state")).toString();
    p.revision = data.value(QLatin1String("revision")).toString();
    p.bytesTotal = integer(data, "bytes_total", -1);
    p.bytesDone = integer(data, "bytes_done", 0);
    p.rate = data.value(QLatin1String("rate")).toDouble();
    p.etaSeconds = integer(data, "eta_seconds", -1);
    p.filesTotal = int(integer(data, "files_total", 0));
    p.filesVerified = int(integer(data, "files_verified", 0));
    p.currentFile = data.value(QLatin1String("current_file")).toString();
    const QJsonObject error = data.value(QLatin1String("error")).toObject();
    p.errorCode = error.value(QLatin1String("code")).toString();
    p.errorMessage = error.value(QLatin1String("message")).toString();
    p.publishedPath = data.value(QLatin1String("published_path")).toString();
    p.finished = QDateTime::fromString(data.value(QLatin1String("finished")).toString(), Qt::ISODateWithMs);
    const QJsonValue files = data.value(QLatin1String("files"));
    p.hasFiles = files.isArray();
    for (const QJsonValue &f : files.toArray())
        p.files.append(pullFileFromJson(f.toObject()));
    return p;
}

PullPlan PullPlan::fromJson(const QJsonObject &data) {
    PullPlan plan;
    plan.source = data.value(QLatin1String("source")).toString();
    plan.name = data.value(QLatin1String("name")).toString();
    plan.revision = data.value(QLatin1String("revision")).toString();
    plan.destination = data.value(QLatin1String("destination")).toString();
    plan.totalBytes = integer(data, "total_bytes", -1);
    plan.freeBytes = integer(data, "free_bytes", -1);
    for (const QJsonValue &f : data.value(QLatin1String("files")).toArray())
        plan.files.append(pullFileFromJson(f.toObject()));
    return plan;
}

QList<TransferInfo> TransferInfo::listFromJson(const QJsonValue &value) {
    // A bare array, or an object carrying "transfers".
    const QJsonArray array =
        value.isArray() ? value.toArray() : value.toObject().value(QLatin1String("transfers")).toArray();
    QList<TransferInfo> list;
    list.reserve(array.size());
    for (const QJsonValue &v : array)
        list.append(fromJson(v.toObject()));
    return list;
}

} // namespace airlock::gui
