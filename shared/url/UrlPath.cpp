#include "url/UrlInternal.h"

#include <QByteArray>
#include <QStringList>

namespace airlock::url_detail {

namespace {

bool isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    return (c | 0x20) - 'a' + 10;
}

bool isUnreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

bool isSubDelim(unsigned char c) {
    return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' ||
           c == ';' || c == '=';
}

void appendEscape(QByteArray &out, unsigned char c) {
    static const char hex[] = "0123456789ABCDEF";
    out.append('%');
    out.append(hex[c >> 4]);
    out.append(hex[c & 0xF]);
}

bool validEscapeAt(const QByteArray &in, qsizetype i) {
    return i + 2 < in.size() && isHexDigit(in[i + 1]) && isHexDigit(in[i + 2]);
}

// Percent-encoding normalised per RFC 3986 6.2.2: unreserved characters decoded, other
// escapes upper-cased, characters outside pchar encoded as UTF-8. "%2F" and "%5C" stay
// encoded, so they can never become a segment boundary.
std::optional<QByteArray> normaliseEscapes(const QByteArray &in, QString *error) {
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const auto c = static_cast<unsigned char>(in[i]);
        if (c == '%') {
            if (!validEscapeAt(in, i)) {
                *error = QStringLiteral("invalid percent-encoding in path");
                return std::nullopt;
            }
            const auto decoded = static_cast<unsigned char>(hexValue(in[i + 1]) * 16 + hexValue(in[i + 2]));
            if (isUnreserved(decoded))
                out.append(static_cast<char>(decoded));
            else
                appendEscape(out, decoded);
            i += 2;
        } else if (isUnreserved(c) || isSubDelim(c) || c == ':' || c == '@' || c == '/') {
            out.append(static_cast<char>(c));
        } else {
            appendEscape(out, c);
        }
    }
    return out;
}

// RFC 3986 5.2.4 on segments that are already decoded, so "%2e" and ".%2E" count as dots.
QString removeDotSegments(const QString &path) {
    const QStringList segments = path.mid(1).split(u'/');
    QStringList out;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &segment = segments[i];
        const bool last = i + 1 == segments.size();
        if (segment == QLatin1String("..")) {
            if (!out.isEmpty())
                out.removeLast();
        } else if (segment != QLatin1String(".")) {
            out.append(segment);
            continue;
        }
        if (last)
            out.append(QString());
    }
    return u'/' + out.join(u'/');
}

} // namespace

std::optional<QString> canonicalPath(const QString &raw, QString *error) {
    if (raw.isEmpty())
        return QStringLiteral("/");
    const std::optional<QByteArray> normalised = normaliseEscapes(raw.toUtf8(), error);
    if (!normalised)
        return std::nullopt;
    return removeDotSegments(QString::fromLatin1(*normalised));
}

// The query is forwarded as given, except that characters RFC 3986 does not allow in a query
// are percent-encoded, so that a strict URL parser on the sending side sees the same bytes.
std::optional<QString> canonicalQuery(const QString &raw, QString *error) {
    const QByteArray in = raw.toUtf8();
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const auto c = static_cast<unsigned char>(in[i]);
        if (c == '%') {
            if (!validEscapeAt(in, i)) {
                *error = QStringLiteral("invalid percent-encoding in query");
                return std::nullopt;
            }
            out.append(in.mid(i, 3));
            i += 2;
        } else if (isUnreserved(c) || isSubDelim(c) || c == ':' || c == '@' || c == '/' || c == '?') {
            out.append(static_cast<char>(c));
        } else {
            appendEscape(out, c);
        }
    }
    return QString::fromLatin1(out);
}

} // namespace airlock::url_detail
