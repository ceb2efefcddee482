#include "url/CanonicalUrl.h"
#include "url/UrlInternal.h"

#include <QList>

namespace airlock {

namespace {

constexpr qsizetype kMaxUrlLength = 8192;

UrlResult failure(UrlError error, const QString &message) {
    UrlResult result;
    result.error = error;
    result.message = message;
    return result;
}

bool isSchemeChar(QChar c, bool first) {
    const bool alpha = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
    if (first)
        return alpha;
    return alpha || (c >= u'0' && c <= u'9') || c == u'+' || c == u'-' || c == u'.';
}

std::optional<int> parsePort(QStringView text) {
    if (text.isEmpty() || text.size() > 5)
        return std::nullopt;
    int port = 0;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        port = port * 10 + (c.unicode() - u'0');
    }
    if (port < 1 || port > 65535)
        return std::nullopt;
    return port;
}

// Checks that apply to the whole string before any part of it is interpreted.
UrlResult checkRawCharacters(const QString &raw) {
    if (raw.size() > kMaxUrlLength)
        return failure(UrlError::Malformed, QStringLiteral("URL longer than %1 characters").arg(kMaxUrlLength));
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const QChar c = raw[i];
        if (c.isHighSurrogate() && i + 1 < raw.size() && raw[i + 1].isLowSurrogate()) {
            ++i;
            continue;
        }
        if (c.isSurrogate())
            return failure(UrlError::Malformed, QStringLiteral("URL is not valid Unicode"));
    }
    for (char32_t c : raw.toUcs4()) {
        if (url_detail::isForbiddenCharacter(c))
            return failure(UrlError::ControlCharacter, QStringLiteral("URL contains a control character or space"));
    }
    if (raw.contains(u'\\'))
        return failure(UrlError::Malformed, QStringLiteral("URL contains a backslash"));
    return {};
}

} // namespace

QString CanonicalUrl::authority() const {
    return port == 443 ? host : host + u':' + QString::number(port);
}

QString CanonicalUrl::withoutQuery() const {
    return QStringLiteral("https://") + authority() + path;
}

QString CanonicalUrl::toString() const {
    return hasQuery ? withoutQuery() + u'?' + query : withoutQuery();
}

UrlResult canonicalizeUrl(const QString &raw) {
    if (raw.isEmpty())
        return failure(UrlError::Malformed, QStringLiteral("empty URL"));
    if (UrlResult rawCheck = checkRawCharacters(raw); rawCheck.error != UrlError::None)
        return rawCheck;

    const qsizetype colon = raw.indexOf(u':');
    if (colon <= 0)
        return failure(UrlError::Malformed, QStringLiteral("URL has no scheme (expected https://)"));
    for (qsizetype i = 0; i < colon; ++i) {
        if (!isSchemeChar(raw[i], i == 0))
            return failure(UrlError::Malformed, QStringLiteral("URL has no valid scheme (expected https://)"));
    }
    if (raw.first(colon).compare(QLatin1String("https"), Qt::CaseInsensitive) != 0)
        return failure(UrlError::NotHttps, QStringLiteral("only HTTPS destinations are allowed"));
    if (!QStringView(raw).sliced(colon + 1).startsWith(QLatin1String("//")))
        return failure(UrlError::Malformed, QStringLiteral("expected \"//\" after \"https:\""));
    if (raw.contains(u'#'))
        return failure(UrlError::Fragment, QStringLiteral("URL must not contain a fragment"));

    const qsizetype authorityStart = colon + 3;
    qsizetype authorityEnd = authorityStart;
    while (authorityEnd < raw.size() && raw[authorityEnd] != u'/' && raw[authorityEnd] != u'?')
        ++authorityEnd;
    const QString authority = raw.sliced(authorityStart, authorityEnd - authorityStart);
    if (authority.contains(u'@'))
        return failure(UrlError::Userinfo, QStringLiteral("URL must not contain user information"));
    if (authority.isEmpty())
        return failure(UrlError::Malformed, QStringLiteral("URL has an empty host"));

    QString hostPart = authority;
    int port = 443;
    if (authority.startsWith(u'[') || authority.contains(u']'))
        return failure(UrlError::IpLiteral, QStringLiteral("IP address literals are not allowed as host"));
    if (authority.count(u':') > 1) {
        if (isIpLiteral(authority))
            return failure(UrlError::IpLiteral, QStringLiteral("IP address literals are not allowed as host"));
        return failure(UrlError::BadHost, QStringLiteral("invalid character in host"));
    }
    if (const qsizetype portColon = authority.indexOf(u':'); portColon >= 0) {
        const std::optional<int> parsed = parsePort(QStringView(authority).sliced(portColon + 1));
        if (!parsed)
            return failure(UrlError::BadPort, QStringLiteral("port must be a number from 1 to 65535"));
        port = *parsed;
        hostPart = authority.first(portColon);
    }

    CanonicalUrl url;
    url.port = port;
    UrlError hostError = UrlError::None;
    QString message;
    const std::optional<QString> host = url_detail::canonicalHostDetailed(hostPart, &hostError, &message);
    if (!host)
        return failure(hostError, message);
    url.host = *host;

    const qsizetype queryMark = raw.indexOf(u'?', authorityEnd);
    const qsizetype pathEnd = queryMark < 0 ? raw.size() : queryMark;
    const std::optional<QString> path =
        url_detail::canonicalPath(raw.sliced(authorityEnd, pathEnd - authorityEnd), &message);
    if (!path)
        return failure(UrlError::Malformed, message);
    url.path = *path;
    if (queryMark >= 0) {
        const std::optional<QString> query = url_detail::canonicalQuery(raw.sliced(queryMark + 1), &message);
        if (!query)
            return failure(UrlError::Malformed, message);
        url.query = *query;
        url.hasQuery = true;
    }

    // Percent-encoding can triple the length; the limit holds for what is sent.
    if (url.toString().size() > kMaxUrlLength)
        return failure(UrlError::Malformed, QStringLiteral("URL longer than %1 characters").arg(kMaxUrlLength));
    UrlResult result;
    result.url = url;
    return result;
}

} // namespace airlock
