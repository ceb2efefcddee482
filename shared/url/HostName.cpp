#include "url/CanonicalUrl.h"
#include "url/UrlInternal.h"

#include <QByteArray>
#include <QList>
#include <QStringDecoder>
#include <QUrl>

namespace airlock {

namespace url_detail {

bool isForbiddenCharacter(char32_t c) {
    if (c <= 0x20 || c == 0x7F)
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Separator_Space:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

namespace {

bool isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::optional<QString> percentDecode(const QString &host, QString *error) {
    const QByteArray utf8 = host.toUtf8();
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        if (utf8[i] == '%' && (i + 2 >= utf8.size() || !isHexDigit(utf8[i + 1]) || !isHexDigit(utf8[i + 2]))) {
            *error = QStringLiteral("invalid percent-encoding in host");
            return std::nullopt;
        }
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringConverter::Flag::Stateless);
    QString decoded = decoder.decode(QByteArray::fromPercentEncoding(utf8));
    if (decoder.hasError()) {
        *error = QStringLiteral("host is not valid UTF-8");
        return std::nullopt;
    }
    return decoded;
}

bool isLabelValid(QStringView label) {
    if (label.isEmpty() || label.size() > 63 || label.front() == u'-' || label.back() == u'-')
        return false;
    for (QChar c : label) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-'))
            return false;
    }
    return true;
}

std::optional<QString> fail(UrlError kind, const QString &message, UrlError *kindOut, QString *error) {
    *kindOut = kind;
    *error = message;
    return std::nullopt;
}

} // namespace

// Single-label names ("localhost", "intranet") are accepted here: whether one may be reached
// is the allowlist's decision, and the resolver refuses loopback and private answers anyway.
std::optional<QString> canonicalHostDetailed(const QString &host, UrlError *kind, QString *error) {
    if (host.isEmpty())
        return fail(UrlError::Malformed, QStringLiteral("empty host"), kind, error);
    QString decodeError;
    const std::optional<QString> decoded = percentDecode(host, &decodeError);
    if (!decoded)
        return fail(UrlError::BadHost, decodeError, kind, error);
    if (decoded->isEmpty())
        return fail(UrlError::Malformed, QStringLiteral("empty host"), kind, error);
    for (char32_t c : decoded->toUcs4()) {
        if (url_detail::isForbiddenCharacter(c))
            return fail(UrlError::ControlCharacter, QStringLiteral("host contains a control character or space"), kind,
                        error);
    }
    if (isIpLiteral(*decoded))
        return fail(UrlError::IpLiteral, QStringLiteral("IP address literals are not allowed as host"), kind, error);
    for (QChar c : *decoded) {
        const bool ascii = c.unicode() < 0x80;
        if (ascii && !(c.isLetterOrNumber() || c == u'.' || c == u'-'))
            return fail(UrlError::BadHost, QStringLiteral("invalid character in host"), kind, error);
    }
    // IDNA ToASCII also maps full-width letters, digits and dots, so the IP check runs again
    // on its result; a homoglyph becomes an xn-- label that never equals an ASCII name.
    QString ace = QString::fromLatin1(QUrl::toAce(*decoded)).toLower();
    if (ace.isEmpty())
        return fail(UrlError::BadHost, QStringLiteral("invalid host name"), kind, error);
    if (ace.endsWith(u'.'))
        ace.chop(1);
    if (isIpLiteral(ace))
        return fail(UrlError::IpLiteral, QStringLiteral("IP address literals are not allowed as host"), kind, error);
    if (ace.isEmpty() || ace.size() > 253)
        return fail(UrlError::BadHost, QStringLiteral("host name too long or empty"), kind, error);
    for (QStringView label : QStringView(ace).split(u'.')) {
        if (!isLabelValid(label))
            return fail(UrlError::BadHost, QStringLiteral("invalid host name: ") + ace, kind, error);
    }
    return ace;
}

} // namespace url_detail

std::optional<QString> canonicalHost(const QString &host, QString *error, bool *isIpLiteralOut) {
    UrlError kind = UrlError::None;
    QString message;
    std::optional<QString> result = url_detail::canonicalHostDetailed(host, &kind, &message);
    if (isIpLiteralOut)
        *isIpLiteralOut = kind == UrlError::IpLiteral;
    if (!result && error)
        *error = message;
    return result;
}

} // namespace airlock
