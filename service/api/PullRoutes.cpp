#include "api/PullRoutes.h"

#include "api/ErrorResponse.h"
#include "http/HttpConnection.h"
#include "pull/PullManager.h"
#include "pullsource/PullSource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

namespace airlock {

namespace {

const QByteArray kPrefix = "/v1/pulls";

bool isPullId(const QByteArray &id) {
    if (id.size() < 6 || id.size() > 64)
        return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    return true;
}

// Reads a list of strings; false when the value is not one (or too long).
bool stringList(const QJsonValue &value, QStringList *out, QString *error, const char *name) {
    if (value.isUndefined() || value.isNull())
        return true;
    if (value.isString()) { // one pattern may be given as a string
        out->append(value.toString());
        return true;
    }
    if (!value.isArray()) {
        *error = QStringLiteral("%1 must be a list of patterns").arg(QLatin1String(name));
        return false;
    }
    const QJsonArray items = value.toArray();
    if (items.size() > PullManager::kMaxPatterns) {
        *error = QStringLiteral("at most %1 %2 patterns").arg(PullManager::kMaxPatterns).arg(QLatin1String(name));
        return false;
    }
    for (const QJsonValue &item : items) {
        if (!item.isString()) {
            *error = QStringLiteral("%1 must be a list of strings").arg(QLatin1String(name));
            return false;
        }
        out->append(item.toString());
    }
    return true;
}

void answer(const QPointer<HttpConnection> &connection, const PullReply &reply, int okStatus) {
    if (!connection)
        return;
    if (reply.code != ErrorCode::None)
        return sendError(connection, reply.code, reply.message, {}, reply.retryAfterSeconds);
    sendJson(connection, QJsonDocument(reply.body).toJson(QJsonDocument::Compact), okStatus);
}

} // namespace

bool isPullPath(const QByteArray &path) {
    return path == kPrefix || path.startsWith(kPrefix + '/');
}

void handlePullRequest(HttpConnection *connection, const HttpRequest &request, PullManager *pulls,
                       const std::function<void(const AuditRecord &)> &record) {
    const QByteArray path = request.path();
    const QByteArray query = request.target.mid(path.size() + 1);
    const QByteArray &method = request.method;
    QPointer<HttpConnection> guard(connection);
    const QList<QByteArray> parts = path.mid(1).split('/'); // v1, pulls, [id], [resume]
    // Called later too (an answer after resolution): everything it uses is its own copy.
    const auto refused = [method, path, record](const PullReply &reply) {
        AuditRecord rec;
        rec.event = EventKind::Decision;
        rec.method = QString::fromLatin1(method);
        rec.path = QString::fromLatin1(path.left(128));
        rec.verdict = Verdict::Blocked;
        rec.code = reply.code;
        rec.status = httpStatusFor(reply.code);
        record(rec);
    };

    if (parts.size() == 2) {
        if (method == "GET")
            return answer(guard, pulls->list(), 200);
        if (method != "POST")
            return sendError(connection, ErrorCode::ApiMethodNotAllowed, QStringLiteral("use GET or POST /v1/pulls"),
                             {}, 0, {{"Allow", "GET, POST"}});
        QString invalid;
        const std::optional<QJsonObject> body = strictJsonObject(
            request.body,
            {QLatin1String("source"), QLatin1String("include"), QLatin1String("exclude"), QLatin1String("dry_run")},
            &invalid);
        if (!body)
            return sendError(connection, ErrorCode::BadRequest, invalid);
        const QJsonObject &o = *body;
        PullRequest pull;
        if (!o.value(QStringLiteral("source")).isString())
            return sendError(connection, ErrorCode::BadRequest,
                             QStringLiteral("source must be a string: hf:ORG/REPO[@REV], a Hugging Face resolve URL "
                                            "or ollama:NAME[:TAG]"));
        pull.source = o.value(QStringLiteral("source")).toString();
        const QJsonValue dry = o.value(QStringLiteral("dry_run"));
        if (!dry.isUndefined() && !dry.isBool())
            return sendError(connection, ErrorCode::BadRequest, QStringLiteral("dry_run must be true or false"));
        pull.dryRun = dry.toBool(false);
        QString error;
        if (!stringList(o.value(QStringLiteral("include")), &pull.include, &error, "include") ||
            !stringList(o.value(QStringLiteral("exclude")), &pull.exclude, &error, "exclude"))
            return sendError(connection, ErrorCode::BadRequest, error);
        pull.by = QStringLiteral("api");
        const bool dryRun = pull.dryRun;
        return pulls->create(pull, [guard, refused, dryRun](const PullReply &reply) {
            if (reply.code != ErrorCode::None)
                refused(reply);
            answer(guard, reply, dryRun ? 200 : 202);
        });
    }

    const QByteArray id = parts.value(2);
    if (!isPullId(id) || parts.size() > 4 || (parts.size() == 4 && parts[3] != "resume"))
        return sendError(connection, ErrorCode::NotFound, QStringLiteral("no such endpoint"));
    const QString pullId = QString::fromLatin1(id);
    if (parts.size() == 4) {
        if (method != "POST")
            return sendError(connection, ErrorCode::ApiMethodNotAllowed, QStringLiteral("use POST to resume"), {}, 0,
                             {{"Allow", "POST"}});
        return pulls->resume(pullId, QStringLiteral("api"), [guard, refused](const PullReply &reply) {
            if (reply.code != ErrorCode::None && reply.code != ErrorCode::NotFound && reply.code != ErrorCode::Conflict)
                refused(reply);
            answer(guard, reply, 202);
        });
    }
    if (method == "GET")
        return answer(guard, pulls->get(pullId), 200);
    if (method == "DELETE") {
        bool discard = false;
        for (const QByteArray &pair : query.split('&')) {
            if (pair == "discard=true" || pair == "discard=1")
                discard = true;
            else if (!pair.isEmpty() && pair != "discard=false" && pair != "discard=0")
                return sendError(connection, ErrorCode::BadRequest,
                                 QStringLiteral("the only parameter is discard=true"));
        }
        return answer(guard, pulls->cancel(pullId, discard, QStringLiteral("api")), 200);
    }
    return sendError(connection, ErrorCode::ApiMethodNotAllowed, QStringLiteral("use GET or DELETE"), {}, 0,
                     {{"Allow", "GET, DELETE"}});
}

} // namespace airlock
