#include "api/ErrorResponse.h"

#include "http/HttpConnection.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace airlock {

int httpStatusFor(ErrorCode code) {
    switch (code) {
    case ErrorCode::None:
        return 200;
    case ErrorCode::BadRequest:
        return 400;
    case ErrorCode::Unauthorized:
        return 401;
    case ErrorCode::NotFound:
        return 404;
    case ErrorCode::ApiMethodNotAllowed:
        return 405;
    case ErrorCode::NotHttps:
    case ErrorCode::DestinationNotAllowed:
    case ErrorCode::MethodNotAllowed:
    case ErrorCode::ReservedAddress:
    case ErrorCode::CredentialDetected:
    case ErrorCode::PiiDetected:
    case ErrorCode::ContentBlocked:
    case ErrorCode::Uninspectable:
    case ErrorCode::OriginRefused:
        return 403;
    case ErrorCode::BodyTooLarge:
        return 413;
    case ErrorCode::RateLimited:
    case ErrorCode::EgressBudgetExceeded:
        return 429;
    case ErrorCode::Disabled:
    case ErrorCode::Lockdown:
    case ErrorCode::AuditUnavailable:
    case ErrorCode::Busy:
        return 503;
    case ErrorCode::ResponseTooLarge:
    case ErrorCode::UpstreamUnreachable:
    case ErrorCode::UpstreamTls:
    case ErrorCode::UpstreamFailed:
    case ErrorCode::TooManyRedirects:
    case ErrorCode::UnsafePath:
    case ErrorCode::BadManifest:
    case ErrorCode::DigestMismatch:
        return 502;
    case ErrorCode::Conflict:
        return 409;
    case ErrorCode::InsufficientStorage:
        return 507;
    case ErrorCode::UpstreamTimeout:
        return 504;
    }
    return 500;
}

std::optional<QJsonObject> strictJsonObject(const QByteArray &body, std::initializer_list<QLatin1String> fields,
                                            QString *error) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("body must be a JSON object");
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (std::find(fields.begin(), fields.end(), it.key()) == fields.end()) {
            *error = QStringLiteral("unknown field \"%1\"").arg(it.key().left(64));
            return std::nullopt;
        }
    }
    return o;
}

void sendJson(HttpConnection *connection, const QByteArray &json, int status, const HeaderList &extra) {
    HeaderList headers{{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}};
    headers.append(extra);
    connection->sendResponse(status, headers, json);
}

void sendError(HttpConnection *connection, ErrorCode code, const QString &message, const QString &rule,
               int retryAfterSeconds, const HeaderList &extraHeaders) {
    QJsonObject o;
    o.insert(QStringLiteral("error"), message);
    o.insert(QStringLiteral("code"), codeName(code));
    if (!rule.isEmpty())
        o.insert(QStringLiteral("rule"), rule);
    HeaderList headers{{"X-Airlock-Decision", "blocked"}};
    if (code == ErrorCode::RateLimited || code == ErrorCode::EgressBudgetExceeded)
        headers.emplaceBack(QByteArray("Retry-After"), QByteArray::number(std::max(1, retryAfterSeconds)));
    if (code == ErrorCode::Unauthorized)
        headers.emplaceBack(QByteArray("WWW-Authenticate"), "Bearer realm=\"airlock\"");
    headers.append(extraHeaders);
    sendJson(connection, QJsonDocument(o).toJson(QJsonDocument::Compact), httpStatusFor(code), headers);
}

} // namespace airlock
