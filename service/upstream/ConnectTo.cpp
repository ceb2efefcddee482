#include "upstream/ConnectTo.h"

#include "url/CanonicalUrl.h"

namespace airlock {

namespace {

std::optional<int> parsePort(const QString &text) {
    bool ok = false;
    const int port = text.toInt(&ok);
    if (!ok || port < 1 || port > 65535 || text.startsWith(QLatin1Char('+')))
        return std::nullopt;
    return port;
}

std::optional<ConnectTo> fail(QString *error, const QString &message) {
    if (error)
        *error = message;
    return std::nullopt;
}

} // namespace

std::optional<ConnectTo> parseConnectTo(const QString &spec, QString *error) {
    const QString syntax = QStringLiteral("expected HOST:PORT:ADDR:PORT");
    const qsizetype first = spec.indexOf(QLatin1Char(':'));
    const qsizetype second = first < 0 ? -1 : spec.indexOf(QLatin1Char(':'), first + 1);
    if (first <= 0 || second < 0)
        return fail(error, syntax);

    ConnectTo result;
    QString hostError;
    const std::optional<QString> host = canonicalHost(spec.left(first), &hostError);
    if (!host)
        return fail(error, QStringLiteral("invalid host: ") + hostError);
    result.host = *host;
    const std::optional<int> port = parsePort(spec.mid(first + 1, second - first - 1));
    if (!port)
        return fail(error, QStringLiteral("invalid port"));
    result.port = *port;

    const QString target = spec.mid(second + 1);
    qsizetype portColon = -1;
    if (target.startsWith(QLatin1Char('['))) {
        const qsizetype close = target.indexOf(QLatin1Char(']'));
        if (close < 0 || close + 1 >= target.size() || target.at(close + 1) != QLatin1Char(':'))
            return fail(error, syntax);
        const QString inner = target.mid(1, close - 1);
        const QHostAddress v6addr(inner);
        if (v6addr.isNull() || v6addr.protocol() != QAbstractSocket::IPv6Protocol)
            return fail(error, QStringLiteral("invalid IPv6 address"));
        result.address = inner;
        portColon = close + 1;
    } else {
        portColon = target.lastIndexOf(QLatin1Char(':'));
        if (portColon <= 0)
            return fail(error, syntax);
        result.address = target.left(portColon);
        if (result.address.contains(QLatin1Char(':')))
            return fail(error, QStringLiteral("an IPv6 address must be in brackets"));
        const QHostAddress v4addr(result.address);
        if (v4addr.isNull()) {
            QString addressError;
            const std::optional<QString> name = canonicalHost(result.address, &addressError);
            if (!name)
                return fail(error, QStringLiteral("invalid address: ") + addressError);
            result.address = *name;
        }
    }
    const std::optional<int> addressPort = parsePort(target.mid(portColon + 1));
    if (!addressPort)
        return fail(error, QStringLiteral("invalid address port"));
    result.addressPort = *addressPort;
    return result;
}

} // namespace airlock
