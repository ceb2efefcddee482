#include "url/CanonicalUrl.h"

#include <QByteArray>
#include <QUrl>

namespace airlock {

namespace {

bool isHexDigit(QChar c) {
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

// A label an IPv4 parser would take as a number: decimal (octal when it has a leading zero)
// or 0x-hex, possibly with no digits after "0x" (WHATWG reads that as zero).
bool isNumericLabel(const QString &label) {
    if (label.isEmpty())
        return false;
    if (label.size() >= 2 && label[0] == u'0' && (label[1] == u'x' || label[1] == u'X')) {
        for (qsizetype i = 2; i < label.size(); ++i) {
            if (!isHexDigit(label[i]))
                return false;
        }
        return true;
    }
    for (QChar c : label) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

bool looksLikeUnbracketedIpv6(const QString &host) {
    if (host.count(u':') < 2)
        return false;
    for (QChar c : host) {
        if (!isHexDigit(c) && c != u':' && c != u'.' && c != u'%')
            return false;
    }
    return true;
}

// The WHATWG URL standard treats a host whose last label is numeric as IPv4 (and rejects it
// when the number is out of range). Following the same "ends in a number" rule means every
// notation a client library might accept — dotted, decimal, octal, hex, short forms and
// their mixtures — is caught, plus invalid numbers such as "1.2.3.4.5", which no real host
// name has: top-level domains are never numeric.
bool endsInNumber(QString host) {
    while (host.endsWith(u'.'))
        host.chop(1);
    if (host.isEmpty())
        return false;
    return isNumericLabel(host.mid(host.lastIndexOf(u'.') + 1));
}

bool isIpLiteralDecoded(const QString &host) {
    if (host.startsWith(u'[') || host.endsWith(u']'))
        return true;
    if (looksLikeUnbracketedIpv6(host))
        return true;
    return endsInNumber(host);
}

} // namespace

bool isIpLiteral(const QString &host) {
    if (isIpLiteralDecoded(host))
        return true;
    QString decoded = host;
    if (host.contains(u'%')) {
        decoded = QString::fromUtf8(QByteArray::fromPercentEncoding(host.toUtf8()));
        if (isIpLiteralDecoded(decoded))
            return true;
    }
    // Full-width digits and ideographic dots become ASCII under IDNA mapping.
    for (QChar c : decoded) {
        if (c.unicode() >= 0x80) {
            const QString ace = QString::fromLatin1(QUrl::toAce(decoded));
            return !ace.isEmpty() && isIpLiteralDecoded(ace);
        }
    }
    return false;
}

} // namespace airlock
