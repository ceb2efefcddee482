#include "api/EgressJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace airlock {

namespace {

bool fail(QString *error, const QString &message) {
    if (error)
        *error = message;
    return false;
}

} // namespace

bool parseEgressJson(const QByteArray &json, EgressRequest *request, QString *error) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(
            error,
            QStringLiteral("invalid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    if (!doc.isObject())
        return fail(error, QStringLiteral("request body must be a JSON object"));
    const QJsonObject o = doc.object();

    static const QStringList known{QStringLiteral("url"),    QStringLiteral("destination"),
                                   QStringLiteral("method"), QStringLiteral("headers"),
                                   QStringLiteral("body"),   QStringLiteral("body_base64")};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(error, QStringLiteral("unknown field: %1").arg(it.key().left(64)));
    }

    EgressRequest r;
    if (o.contains(QLatin1String("url")) && o.contains(QLatin1String("destination")))
        return fail(error, QStringLiteral("give either url or destination, not both"));
    const QJsonValue url =
        o.contains(QLatin1String("url")) ? o.value(QLatin1String("url")) : o.value(QLatin1String("destination"));
    if (url.isUndefined())
        return fail(error, QStringLiteral("missing field: url"));
    if (!url.isString())
        return fail(error, QStringLiteral("field url must be a string"));
    r.url = url.toString();
    if (r.url.isEmpty())
        return fail(error, QStringLiteral("field url must not be empty"));

    const QJsonValue method = o.value(QLatin1String("method"));
    if (!method.isUndefined() && !method.isNull()) {
        if (!method.isString())
            return fail(error, QStringLiteral("field method must be a string"));
        r.method = method.toString();
    }

    const QJsonValue headers = o.value(QLatin1String("headers"));
    if (!headers.isUndefined() && !headers.isNull()) {
        if (!headers.isObject())
            return fail(error, QStringLiteral("field headers must be an object of strings"));
        const QJsonObject h = headers.toObject();
        for (auto it = h.begin(); it != h.end(); ++it) {
            const QByteArray name = it.key().toUtf8();
            if (it.value().isString()) {
                r.headers.append({name, it.value().toString().toUtf8()});
            } else if (it.value().isArray()) {
                for (const QJsonValue &v : it.value().toArray()) {
                    if (!v.isString())
                        return fail(error, QStringLiteral("header values must be strings"));
                    r.headers.append({name, v.toString().toUtf8()});
                }
            } else {
                return fail(error, QStringLiteral("header values must be strings"));
            }
        }
    }

    const QJsonValue body = o.value(QLatin1String("body"));
    const QJsonValue body64 = o.value(QLatin1String("body_base64"));
    const bool hasBody = !body.isUndefined() && !body.isNull();
    const bool hasBody64 = !body64.isUndefined() && !body64.isNull();
    if (hasBody && hasBody64)
        return fail(error, QStringLiteral("give either body or body_base64, not both"));
    if (hasBody) {
        if (!body.isString())
            return fail(error, QStringLiteral("field body must be a string or null"));
        r.body = body.toString().toUtf8();
        r.hasBody = true;
    } else if (hasBody64) {
        if (!body64.isString())
            return fail(error, QStringLiteral("field body_base64 must be a string"));
        const auto decoded =
            QByteArray::fromBase64Encoding(body64.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return fail(error, QStringLiteral("field body_base64 is not valid base64"));
        r.body = decoded.decoded;
        r.hasBody = true;
    }

    *request = std::move(r);
    return true;
}

} // namespace airlock
