#include "policy/AllowEntryParser.h"

#include "url/CanonicalUrl.h"

namespace airlock {

namespace {

std::optional<AllowEntry> fail(QString *error, const QString &message) {
    if (error)
        *error = message;
    return std::nullopt;
}

std::optional<AllowEntry> parseUrlPrefix(const QString &text, QString *error) {
    const UrlResult parsed = canonicalizeUrl(text);
    if (!parsed.url)
        return fail(error, QStringLiteral("invalid URL prefix: ") + parsed.message);
    if (parsed.url->hasQuery)
        return fail(error, QStringLiteral("a URL prefix must not contain a query"));
    AllowEntry entry;
    entry.kind = AllowEntry::Kind::UrlPrefix;
    entry.host = parsed.url->host;
    entry.port = parsed.url->port;
    entry.pathPrefix = parsed.url->path;
    return entry;
}

std::optional<AllowEntry> parseHost(const QString &text, AllowEntry::Kind kind, QString *error) {
    if (text.contains(u'*'))
        return fail(error, QStringLiteral("'*' is only allowed as the first label, as in \"*.example.org\""));
    if (text.contains(u':') || text.contains(u'/'))
        return fail(error, QStringLiteral("a host entry takes no port or path; write a URL prefix such as "
                                          "https://host:port/path/ instead"));
    QString hostError;
    bool ip = false;
    const std::optional<QString> host = canonicalHost(text, &hostError, &ip);
    if (ip)
        return fail(error, QStringLiteral("IP addresses are not allowed; name the host"));
    if (!host)
        return fail(error, hostError);
    // "*.com" would open a whole top-level domain.
    if (kind == AllowEntry::Kind::Wildcard && !host->contains(u'.'))
        return fail(error, QStringLiteral("a wildcard needs a parent domain with at least two labels"));
    AllowEntry entry;
    entry.kind = kind;
    entry.host = *host;
    return entry;
}

} // namespace

std::optional<AllowEntry> parseAllowEntry(const QString &input, QString *error) {
    const QString text = input.trimmed();
    if (text.isEmpty())
        return fail(error, QStringLiteral("empty entry"));
    if (text.contains(QLatin1String("://")))
        return parseUrlPrefix(text, error);
    if (text.startsWith(QLatin1String("*.")))
        return parseHost(text.sliced(2), AllowEntry::Kind::Wildcard, error);
    return parseHost(text, AllowEntry::Kind::Host, error);
}

std::optional<QStringList> parseViaList(const QStringList &texts, QString *error) {
    if (texts.isEmpty()) {
        *error = QStringLiteral("via must name at least one origin; leave it out to allow direct requests");
        return std::nullopt;
    }
    if (texts.size() > kMaxVia) {
        *error = QStringLiteral("via names more than %1 origins").arg(kMaxVia);
        return std::nullopt;
    }
    QStringList out;
    for (const QString &text : texts) {
        QString why;
        const std::optional<AllowEntry> origin = parseAllowEntry(text, &why);
        if (!origin) {
            *error = QStringLiteral("via origin: ") + why;
            return std::nullopt;
        }
        if (out.contains(origin->text())) {
            *error = QStringLiteral("via names %1 twice").arg(origin->text());
            return std::nullopt;
        }
        out.append(origin->text());
    }
    return out;
}

QString canonicalMethod(const QString &method) {
    static const QStringList known{QStringLiteral("GET"),    QStringLiteral("HEAD"),  QStringLiteral("POST"),
                                   QStringLiteral("PUT"),    QStringLiteral("PATCH"), QStringLiteral("DELETE"),
                                   QStringLiteral("OPTIONS")};
    // ASCII only: toUpper() would turn a dotless 'ı' into 'I' and a long 's' into 'S'.
    for (QChar c : method) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')))
            return QString();
    }
    const QString upper = method.toUpper();
    return known.contains(upper) ? upper : QString();
}

} // namespace airlock
