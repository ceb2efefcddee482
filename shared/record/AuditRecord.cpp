#include "record/AuditRecord.h"

#include <QJsonValue>

#include <cmath>

namespace airlock {

namespace {

const QString kUnknown = QStringLiteral("unknown");

// The enum value whose name is `name`; Unknown when none is. Every enum here starts at 0 and
// ends at its kLast value.
template <typename Enum> Enum fromName(QStringView name, Enum last, QString (*nameOf)(Enum), Enum unknown) {
    for (int i = 0; i <= int(last); ++i)
        if (Enum(i) != unknown && nameOf(Enum(i)) == name)
            return Enum(i);
    return unknown;
}

// A JSON number that is a whole count in [0, max]; JSON numbers are doubles, exact to 2^53.
bool count(const QJsonValue &v, double max, qint64 *out) {
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!(d >= 0 && d <= max) || std::trunc(d) != d)
        return false;
    *out = qint64(d);
    return true;
}

constexpr double kMaxCount = 9007199254740992.0; // 2^53

} // namespace

QString eventKindName(EventKind kind) {
    switch (kind) {
    case EventKind::Unknown:
        return kUnknown;
    case EventKind::Decision:
        return QStringLiteral("decision");
    case EventKind::Check:
        return QStringLiteral("check");
    case EventKind::Transfer:
        return QStringLiteral("transfer");
    case EventKind::Admin:
        return QStringLiteral("admin");
    case EventKind::PullStarted:
        return QStringLiteral("pull_started");
    case EventKind::PullFinished:
        return QStringLiteral("pull_finished");
    }
    return kUnknown;
}

EventKind eventKindFromName(QStringView name) {
    return fromName(name, kLastEventKind, &eventKindName, EventKind::Unknown);
}

QString verdictName(Verdict verdict) {
    switch (verdict) {
    case Verdict::Unknown:
        return kUnknown;
    case Verdict::Allowed:
        return QStringLiteral("allowed");
    case Verdict::Blocked:
        return QStringLiteral("blocked");
    }
    return kUnknown;
}

Verdict verdictFromName(QStringView name) {
    return fromName(name, kLastVerdict, &verdictName, Verdict::Unknown);
}

QString outcomeName(TransferOutcome outcome) {
    switch (outcome) {
    case TransferOutcome::None:
        return {};
    case TransferOutcome::Unknown:
        return kUnknown;
    case TransferOutcome::Complete:
        return QStringLiteral("complete");
    case TransferOutcome::Refused:
        return QStringLiteral("refused");
    case TransferOutcome::UpstreamFailed:
        return QStringLiteral("upstream_failed");
    case TransferOutcome::ClientAborted:
        return QStringLiteral("client_aborted");
    case TransferOutcome::ResponseTooLarge:
        return QStringLiteral("response_too_large");
    case TransferOutcome::Published:
        return QStringLiteral("published");
    case TransferOutcome::Failed:
        return QStringLiteral("failed");
    case TransferOutcome::Cancelled:
        return QStringLiteral("cancelled");
    case TransferOutcome::Stopped:
        return QStringLiteral("stopped");
    case TransferOutcome::Preempted:
        return QStringLiteral("preempted");
    case TransferOutcome::CutByLockdown:
        return QStringLiteral("cut_by_lockdown");
    }
    return kUnknown;
}

TransferOutcome outcomeFromName(QStringView name) {
    if (name.isEmpty())
        return TransferOutcome::None;
    return fromName(name, kLastTransferOutcome, &outcomeName, TransferOutcome::Unknown);
}

QString adminActionName(AdminAction action) {
    switch (action) {
    case AdminAction::Unknown:
        return kUnknown;
    case AdminAction::PolicyChanged:
        return QStringLiteral("policy_changed");
    case AdminAction::Lockdown:
        return QStringLiteral("lockdown");
    case AdminAction::Unlock:
        return QStringLiteral("unlock");
    case AdminAction::AuditRotated:
        return QStringLiteral("audit_rotated");
    }
    return kUnknown;
}

AdminAction adminActionFromName(QStringView name) {
    return fromName(name, kLastAdminAction, &adminActionName, AdminAction::Unknown);
}

QString recordCodeName(std::optional<ErrorCode> code) {
    return code ? codeName(*code) : kUnknown;
}

QJsonObject recordToJson(const AuditRecord &r, const QDateTime &time) {
    QJsonObject o;
    o.insert(QStringLiteral("time"), time.toUTC().toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("event"), eventKindName(r.event));
    if (r.event == EventKind::Admin) {
        o.insert(QStringLiteral("action"), adminActionName(r.action));
        o.insert(QStringLiteral("by"), r.by);
        return o;
    }
    o.insert(QStringLiteral("id"), r.requestId);
    o.insert(QStringLiteral("method"), r.method);
    o.insert(QStringLiteral("host"), r.host);
    o.insert(QStringLiteral("path"), r.path);
    o.insert(QStringLiteral("decision"), verdictName(r.verdict));
    o.insert(QStringLiteral("code"), recordCodeName(r.code));
    if (!r.rule.isEmpty())
        o.insert(QStringLiteral("rule"), r.rule);
    if (!r.where.isEmpty())
        o.insert(QStringLiteral("where"), r.where);
    o.insert(QStringLiteral("status"), r.status);
    o.insert(QStringLiteral("bytes_up"), r.bytesUp);
    o.insert(QStringLiteral("bytes_down"), r.bytesDown);
    o.insert(QStringLiteral("duration_ms"), r.durationMs);
    o.insert(QStringLiteral("redirects"), r.redirects);
    if (r.outcome != TransferOutcome::None)
        o.insert(QStringLiteral("outcome"), outcomeName(r.outcome));
    if (!r.source.isEmpty())
        o.insert(QStringLiteral("source"), r.source);
    if (!r.caller.isEmpty())
        o.insert(QStringLiteral("caller"), r.caller);
    return o;
}

RecordParse recordFromJson(const QJsonObject &o) {
    RecordParse p;
    AuditRecord &r = p.record;
    const auto fail = [&p](const char *field, const char *what) {
        p.error = QStringLiteral("\"%1\" %2").arg(QLatin1String(field), QLatin1String(what));
        return p;
    };
    // Reads a field that must be a string when present; false only for a wrong type.
    const auto text = [&o](const char *field, QString *out) {
        const QJsonValue v = o.value(QLatin1String(field));
        if (v.isUndefined())
            return true;
        if (!v.isString())
            return false;
        *out = v.toString();
        return true;
    };
    const auto number = [&o]<typename T>(const char *field, double max, T *out) {
        const QJsonValue v = o.value(QLatin1String(field));
        if (v.isUndefined())
            return true;
        qint64 n = 0;
        if (!count(v, max, &n))
            return false;
        *out = T(n);
        return true;
    };

    // A field naming an enum value: read by that enum's one from-name function when present.
    const auto word = [&o, &text]<typename Value>(const char *field, Value (*fromName)(QStringView), Value *out) {
        QString name;
        if (!text(field, &name))
            return false;
        if (o.contains(QLatin1String(field)))
            *out = fromName(name);
        return true;
    };

    if (!o.contains(QLatin1String("event")))
        return fail("event", "is missing");
    if (!word("event", &eventKindFromName, &r.event))
        return fail("event", "must be a string");
    QString time;
    if (!text("time", &time))
        return fail("time", "must be a string");
    if (o.contains(QLatin1String("time"))) {
        p.time = QDateTime::fromString(time, Qt::ISODateWithMs);
        if (!p.time.isValid())
            return fail("time", "must be an ISO 8601 date and time");
    }
    for (const auto &[field, out] :
         {std::pair{"id", &r.requestId}, std::pair{"method", &r.method}, std::pair{"host", &r.host},
          std::pair{"path", &r.path}, std::pair{"rule", &r.rule}, std::pair{"where", &r.where}, std::pair{"by", &r.by},
          std::pair{"source", &r.source}, std::pair{"caller", &r.caller}})
        if (!text(field, out))
            return fail(field, "must be a string");
    if (!word("decision", &verdictFromName, &r.verdict))
        return fail("decision", "must be a string");
    if (!word("code", &errorCodeFromName, &r.code))
        return fail("code", "must be a string");
    if (!word("outcome", &outcomeFromName, &r.outcome))
        return fail("outcome", "must be a string");
    if (!word("action", &adminActionFromName, &r.action))
        return fail("action", "must be a string");
    if (!number("status", 999, &r.status))
        return fail("status", "must be a whole number from 0 to 999");
    if (!number("redirects", 2147483647.0, &r.redirects))
        return fail("redirects", "must be a whole number, not negative");
    for (const auto &[field, out] : {std::pair{"bytes_up", &r.bytesUp}, std::pair{"bytes_down", &r.bytesDown},
                                     std::pair{"duration_ms", &r.durationMs}})
        if (!number(field, kMaxCount, out))
            return fail(field, "must be a whole number, not negative");
    return p;
}

} // namespace airlock
