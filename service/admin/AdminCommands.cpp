#include "admin/AdminCommands.h"

#include "pull/PullManager.h"

#include "admin/EventBus.h"
#include "admin/LockdownLatch.h"
#include "admin/PolicyStore.h"
#include "admin/TransferTracker.h"
#include "audit/Stats.h"
#include "policy/AllowEntryParser.h"
#include "policy/PolicyYaml.h"

#include <QJsonArray>

namespace airlock {

using admin::Command;
using admin::errorResponse;
using admin::okResponse;

namespace {

// An entry as the channel carries it: "text" or {host: "text", methods: [...], via: [...]}
// (via may also be one string).
std::optional<AllowEntry> entryFromJson(const QJsonValue &value, QString *error) {
    QString text;
    QStringList methods;
    std::optional<QStringList> via;
    if (value.isString()) {
        text = value.toString();
    } else if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.key() != QLatin1String("host") && it.key() != QLatin1String("methods") &&
                it.key() != QLatin1String("via")) {
                *error = QStringLiteral("unknown field \"%1\" in an entry").arg(it.key());
                return std::nullopt;
            }
        }
        text = o.value(QStringLiteral("host")).toString();
        for (const QJsonValue &m : o.value(QStringLiteral("methods")).toArray()) {
            const QString method = canonicalMethod(m.toString());
            if (method.isEmpty()) {
                *error = QStringLiteral("invalid method \"%1\"").arg(m.toString());
                return std::nullopt;
            }
            if (!methods.contains(method))
                methods.append(method);
        }
        if (o.contains(QStringLiteral("via"))) {
            const QJsonValue v = o.value(QStringLiteral("via"));
            QStringList texts;
            if (v.isString())
                texts.append(v.toString());
            for (const QJsonValue &origin : v.toArray()) {
                if (!origin.isString()) {
                    *error = QStringLiteral("via is an origin or a list of origins");
                    return std::nullopt;
                }
                texts.append(origin.toString());
            }
            if (!v.isString() && !v.isArray()) {
                *error = QStringLiteral("via is an origin or a list of origins");
                return std::nullopt;
            }
            via = parseViaList(texts, error);
            if (!via)
                return std::nullopt;
        }
    } else {
        *error = QStringLiteral("an entry is a string or {host, methods, via}");
        return std::nullopt;
    }
    std::optional<AllowEntry> entry = parseAllowEntry(text, error);
    if (entry) {
        entry->methods = methods;
        if (via)
            entry->via = *via;
    }
    return entry;
}

QJsonObject entryJson(const AllowEntry &e) {
    QJsonObject o;
    o.insert(QStringLiteral("entry"), e.text());
    o.insert(QStringLiteral("methods"), QJsonArray::fromStringList(e.methods));
    o.insert(QStringLiteral("via"), QJsonArray::fromStringList(e.via));
    return o;
}

QJsonObject changeAnswer(qint64 id, const PolicyChange &change, QJsonObject result = {}) {
    if (!change.ok) {
        QString message = change.error;
        if (change.problems.size() > 1)
            message += QStringLiteral(" (and %1 more problem(s): %2)")
                           .arg(change.problems.size() - 1)
                           .arg(change.problems.mid(1).join(QStringLiteral("; ")));
        return errorResponse(id, change.code, message);
    }
    result.insert(QStringLiteral("changed"), change.changed);
    return okResponse(id, result);
}

} // namespace

QJsonObject AdminCommands::policyJson(const Policy &p) {
    QJsonArray destinations;
    for (const AllowEntry &e : p.allowedDestinations)
        destinations.append(entryJson(e));
    QJsonArray credentials;
    for (const CredentialAllowEntry &c : p.credentialAllowlist)
        credentials.append(QJsonObject{{QStringLiteral("destination"), c.destination},
                                       {QStringLiteral("header"), c.header},
                                       {QStringLiteral("sha256"), QString::fromLatin1(c.sha256.toHex())}});
    QJsonArray patterns;
    for (const CustomPattern &c : p.contentRules.customPatterns)
        patterns.append(QJsonObject{
            {QStringLiteral("id"), c.id}, {QStringLiteral("kind"), c.kind}, {QStringLiteral("regex"), c.regex}});
    QJsonObject rules{{QStringLiteral("scan_for_pii"), p.contentRules.scanForPii},
                      {QStringLiteral("scan_for_credentials"), p.contentRules.scanForCredentials},
                      {QStringLiteral("block_if_contains"), QJsonArray::fromStringList(p.contentRules.blockIfContains)},
                      {QStringLiteral("custom_patterns"), patterns}};
    QJsonObject o;
    o.insert(QStringLiteral("enabled"), p.enabled);
    o.insert(QStringLiteral("allowed_destinations"), destinations);
    o.insert(QStringLiteral("allowed_methods"), QJsonArray::fromStringList(p.allowedMethods));
    o.insert(QStringLiteral("max_body_size"), p.maxBodySize);
    o.insert(QStringLiteral("max_response_size"), p.maxResponseSize);
    o.insert(QStringLiteral("requests_per_minute"), p.requestsPerMinute);
    o.insert(QStringLiteral("content_rules"), rules);
    o.insert(QStringLiteral("credential_allowlist"), credentials);
    o.insert(QStringLiteral("admin"), QJsonObject{{QStringLiteral("group"), p.admin.group},
                                                  {QStringLiteral("viewer_group"), p.admin.viewerGroup}});
    return o;
}

QJsonObject AdminCommands::stateEvent() const {
    const PolicySnapshot policy = m_ctx.policy->current();
    const LockdownState lock = m_ctx.lockdown->state();
    QJsonObject o;
    o.insert(QStringLiteral("enabled"), policy->enabled);
    o.insert(QStringLiteral("lockdown"), lock.active);
    o.insert(QStringLiteral("lockdown_reason"), lock.reason);
    o.insert(QStringLiteral("lockdown_who"), lock.who);
    o.insert(QStringLiteral("lockdown_incident_id"), lock.incidentId);
    o.insert(QStringLiteral("lockdown_time"),
             lock.time.isValid() ? lock.time.toUTC().toString(Qt::ISODateWithMs) : QString());
    o.insert(QStringLiteral("destinations"), int(policy->allowedDestinations.size()));
    return o;
}

QJsonObject AdminCommands::status() const {
    QJsonObject o = stateEvent();
    o.insert(QStringLiteral("version"), QStringLiteral(AIRLOCK_VERSION));
    o.insert(QStringLiteral("policy_path"), m_ctx.policy->path());
    if (m_ctx.stats)
        o.insert(QStringLiteral("counters"), m_ctx.stats->toJson());
    o.insert(QStringLiteral("active_transfers"), m_ctx.transfers->activeCount());
    o.insert(QStringLiteral("events_published"), m_ctx.events->published());
    if (m_ctx.extraStatus) {
        const QJsonObject extra = m_ctx.extraStatus();
        for (auto it = extra.begin(); it != extra.end(); ++it)
            o.insert(it.key(), it.value());
    }
    return o;
}

AdminCommands::Outcome AdminCommands::execute(qint64 id, Command command, const QJsonObject &args, AdminRole role,
                                              const QString &who) const {
    Outcome out;
    if (role == AdminRole::None || (admin::commandNeedsAdmin(command) && role != AdminRole::Admin)) {
        out.response = errorResponse(id, QStringLiteral("not_permitted"),
                                     QStringLiteral("%1 needs an administrator; this connection may only read")
                                         .arg(admin::commandName(command)));
        return out;
    }
    switch (command) {
    case Command::Status:
        out.response = okResponse(id, status());
        break;
    case Command::SetEnabled: {
        const QJsonValue value = args.value(QStringLiteral("enabled"));
        if (!value.isBool()) {
            out.response =
                errorResponse(id, QStringLiteral("invalid_request"), QStringLiteral("enabled must be a boolean"));
            break;
        }
        const bool enabled = value.toBool();
        const PolicyChange change = m_ctx.policy->change(
            [enabled](Policy &p, QString *, QString *) {
                p.enabled = enabled;
                return true;
            },
            who);
        out.response = changeAnswer(id, change, {{QStringLiteral("enabled"), m_ctx.policy->current()->enabled}});
        break;
    }
    case Command::Lockdown: {
        QString reason = args.value(QStringLiteral("reason")).toString().left(1024);
        if (reason.isEmpty())
            reason = QStringLiteral("lockdown by an administrator");
        QString error;
        const bool persisted = m_ctx.lockdown->engage(reason, who, {}, &error);
        QJsonObject result{{QStringLiteral("lockdown"), true}, {QStringLiteral("persisted"), persisted}};
        if (!persisted)
            result.insert(QStringLiteral("error"), error);
        out.response = okResponse(id, result);
        break;
    }
    case Command::Unlock: {
        QString error;
        if (!m_ctx.lockdown->release(who, &error))
            out.response = errorResponse(id, QStringLiteral("write_failed"), error);
        else
            out.response = okResponse(id, {{QStringLiteral("lockdown"), false}});
        break;
    }
    case Command::GetPolicy: {
        const PolicySnapshot p = m_ctx.policy->current();
        out.response = okResponse(id, {{QStringLiteral("policy"), policyJson(*p)},
                                       {QStringLiteral("yaml"), QString::fromUtf8(policyToYaml(*p))},
                                       {QStringLiteral("path"), m_ctx.policy->path()}});
        break;
    }
    case Command::AllowAdd:
    case Command::AllowRemove:
    case Command::AllowReplace:
        out.response = allowChange(id, command, args, who);
        break;
    case Command::Reload:
        out.response = changeAnswer(id, m_ctx.policy->reload(QStringLiteral("reload by ") + who));
        break;
    case Command::RecentEvents: {
        const int limit = args.contains(QStringLiteral("limit")) ? args.value(QStringLiteral("limit")).toInt() : 100;
        out.response = okResponse(id, {{QStringLiteral("events"), m_ctx.events->recent(std::clamp(limit, 0, 100000))}});
        break;
    }
    case Command::SubscribeEvents:
        out.subscribe = Subscription::Events;
        out.response = okResponse(id, {{QStringLiteral("subscribed"), QStringLiteral("events")}});
        break;
    case Command::ListTransfers:
        out.response = okResponse(id, m_ctx.transfers->snapshot());
        break;
    case Command::SubscribeTransfers:
        out.subscribe = Subscription::Transfers;
        out.response = okResponse(id, m_ctx.transfers->snapshot());
        break;
    case Command::ListPulls:
    case Command::GetPull:
    case Command::StartPull:
    case Command::CancelPull:
    case Command::ResumePull:
        return pullCommand(id, command, args, who);
    }
    return out;
}

namespace {

QJsonObject pullAnswer(qint64 id, const PullReply &reply) {
    if (reply.code != ErrorCode::None)
        return errorResponse(id, codeName(reply.code), reply.message);
    return okResponse(id, reply.body);
}

bool patternList(const QJsonValue &value, QStringList *out) {
    if (value.isUndefined())
        return true;
    if (!value.isArray() || value.toArray().size() > PullManager::kMaxPatterns)
        return false;
    for (const QJsonValue &v : value.toArray()) {
        if (!v.isString())
            return false;
        out->append(v.toString());
    }
    return true;
}

} // namespace

AdminCommands::Outcome AdminCommands::pullCommand(qint64 id, Command command, const QJsonObject &args,
                                                  const QString &who) const {
    Outcome out;
    PullManager *pulls = m_ctx.pulls;
    if (!pulls) {
        out.response = errorResponse(id, QStringLiteral("not_found"), QStringLiteral("model pulls are not available"));
        return out;
    }
    const QString pullId = args.value(QStringLiteral("id")).toString().left(64);
    switch (command) {
    case Command::ListPulls:
        out.response = pullAnswer(id, pulls->list());
        break;
    case Command::GetPull:
        out.response = pullAnswer(id, pulls->get(pullId));
        break;
    case Command::CancelPull:
        out.response = pullAnswer(id, pulls->cancel(pullId, args.value(QStringLiteral("discard")).toBool(false), who));
        break;
    case Command::ResumePull:
        out.later = [pulls, pullId, who, id](std::function<void(const QJsonObject &)> answer) {
            pulls->resume(pullId, who, [answer, id](const PullReply &reply) { answer(pullAnswer(id, reply)); });
        };
        break;
    case Command::StartPull: {
        PullRequest request;
        if (!args.value(QStringLiteral("source")).isString() ||
            !patternList(args.value(QStringLiteral("include")), &request.include) ||
            !patternList(args.value(QStringLiteral("exclude")), &request.exclude) ||
            (args.contains(QStringLiteral("dry_run")) && !args.value(QStringLiteral("dry_run")).isBool())) {
            out.response = errorResponse(id, QStringLiteral("invalid_request"),
                                         QStringLiteral("start_pull takes a source string, include and exclude "
                                                        "lists of patterns, and dry_run true or false"));
            break;
        }
        request.source = args.value(QStringLiteral("source")).toString();
        request.dryRun = args.value(QStringLiteral("dry_run")).toBool(false);
        request.by = who;
        out.later = [pulls, request, id](std::function<void(const QJsonObject &)> answer) {
            pulls->create(request, [answer, id](const PullReply &reply) { answer(pullAnswer(id, reply)); });
        };
        break;
    }
    default:
        break;
    }
    return out;
}

QJsonObject AdminCommands::allowChange(qint64 id, Command command, const QJsonObject &args, const QString &who) const {
    QList<AllowEntry> entries;
    QString error;
    if (command == Command::AllowReplace) {
        const QJsonValue list = args.value(QStringLiteral("entries"));
        if (!list.isArray())
            return errorResponse(id, QStringLiteral("invalid_request"), QStringLiteral("entries must be a list"));
        const QJsonArray array = list.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const std::optional<AllowEntry> e = entryFromJson(array[i], &error);
            if (!e)
                return errorResponse(id, QStringLiteral("invalid_entry"),
                                     QStringLiteral("entry %1: %2").arg(i + 1).arg(error));
            entries.append(*e);
        }
    } else {
        const std::optional<AllowEntry> e = entryFromJson(args.value(QStringLiteral("entry")), &error);
        if (!e)
            return errorResponse(id, QStringLiteral("invalid_entry"), error);
        entries.append(*e);
    }
    const PolicyChange change = m_ctx.policy->change(
        [&](Policy &p, QString *code, QString *why) {
            if (command == Command::AllowReplace) {
                p.allowedDestinations = entries;
                return true;
            }
            const AllowEntry &entry = entries.first();
            const qsizetype at = [&] {
                for (qsizetype i = 0; i < p.allowedDestinations.size(); ++i)
                    if (p.allowedDestinations[i].text() == entry.text())
                        return i;
                return qsizetype(-1);
            }();
            if (command == Command::AllowAdd) {
                if (at >= 0)
                    p.allowedDestinations[at] = entry; // same destination: the new methods and via win
                else
                    p.allowedDestinations.append(entry);
                return true;
            }
            if (at < 0) {
                *code = QStringLiteral("not_found");
                *why = QStringLiteral("%1 is not in the allowlist").arg(entry.text());
                return false;
            }
            p.allowedDestinations.removeAt(at);
            return true;
        },
        who);
    return changeAnswer(id, change,
                        {{QStringLiteral("entry"), entryJson(entries.value(0)).value(QStringLiteral("entry"))},
                         {QStringLiteral("destinations"), int(m_ctx.policy->current()->allowedDestinations.size())}});
}

} // namespace airlock
