#include "pullsource/PullSource.h"

#include <QUrl>

namespace airlock {

namespace {

const QString kHfPrefix = QStringLiteral("hf:");
const QString kOllamaPrefix = QStringLiteral("ollama:");
const QString kHfHost = QStringLiteral("huggingface.co");
const QString kDefaultRevision = QStringLiteral("main");
const QString kDefaultNamespace = QStringLiteral("library");
const QString kDefaultTag = QStringLiteral("latest");

constexpr int kMaxHfNameLength = 96;
constexpr int kMaxRevisionLength = 255;
constexpr int kMaxOllamaNameLength = 80;
constexpr int kMaxOllamaTagLength = 128;

bool fail(QString *error, const QString &message) {
    if (error)
        *error = message;
    return false;
}

bool isAsciiAlnum(QChar c) {
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
}

bool isLowerAlnum(QChar c) {
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9');
}

bool isNamePunct(QChar c) {
    return c == u'.' || c == u'_' || c == u'-';
}

// what: "organization" or "repository".
bool checkHfName(QStringView s, const QString &what, QString *error) {
    if (s.isEmpty())
        return fail(error, QStringLiteral("The Hugging Face %1 name is empty.").arg(what));
    if (s.size() > kMaxHfNameLength)
        return fail(
            error,
            QStringLiteral("The Hugging Face %1 name is longer than %2 characters.").arg(what).arg(kMaxHfNameLength));
    if (!isAsciiAlnum(s.front()))
        return fail(error, QStringLiteral("The Hugging Face %1 name must start with a letter or digit.").arg(what));
    for (const QChar c : s) {
        if (!isAsciiAlnum(c) && !isNamePunct(c))
            return fail(error,
                        QStringLiteral("The Hugging Face %1 name may contain only letters, digits, '.', '_' and '-'.")
                            .arg(what));
    }
    if (s.contains(u"--") || s.contains(u".."))
        return fail(error, QStringLiteral("The Hugging Face %1 name may not contain '--' or '..'.").arg(what));
    if (s.back() == u'.' || s.back() == u'-')
        return fail(error, QStringLiteral("The Hugging Face %1 name may not end in '.' or '-'.").arg(what));
    return true;
}

// "ORG/REPO", exactly two names.
bool checkHfRepo(QStringView s, QString *error) {
    const qsizetype slash = s.indexOf(u'/');
    if (slash < 0)
        return fail(error, QStringLiteral("A Hugging Face repository is written ORG/REPO."));
    const QStringView org = s.left(slash);
    const QStringView repo = s.mid(slash + 1);
    if (repo.contains(u'/'))
        return fail(error, QStringLiteral("A Hugging Face repository is written ORG/REPO, with one '/'."));
    return checkHfName(org, QStringLiteral("organization"), error) &&
           checkHfName(repo, QStringLiteral("repository"), error);
}

// A branch, tag or commit, by git's reference-name rules (git check-ref-format) as far as they
// concern text an administrator types.
bool checkRevision(QStringView s, QString *error) {
    if (s.isEmpty())
        return fail(error, QStringLiteral("The Hugging Face revision is empty."));
    if (s.size() > kMaxRevisionLength)
        return fail(error,
                    QStringLiteral("The Hugging Face revision is longer than %1 characters.").arg(kMaxRevisionLength));
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u <= 0x20 || u >= 0x7f)
            return fail(error, QStringLiteral("The Hugging Face revision may contain only visible ASCII characters."));
        if (QStringView(u"~^:?*[\\").contains(c))
            return fail(error, QStringLiteral("The Hugging Face revision may not contain any of ~ ^ : ? * [ \\."));
    }
    if (s.contains(u"..") || s.contains(u"//") || s.contains(u"@{"))
        return fail(error, QStringLiteral("The Hugging Face revision may not contain '..', '//' or '@{'."));
    if (s.front() == u'/' || s.back() == u'/')
        return fail(error, QStringLiteral("The Hugging Face revision may not start or end with '/'."));
    return true;
}

// Lower-case Ollama namespace or model name.
bool checkOllamaName(QStringView s, const QString &what, QString *error) {
    if (s.isEmpty())
        return fail(error, QStringLiteral("The Ollama %1 is empty.").arg(what));
    if (s.size() > kMaxOllamaNameLength)
        return fail(error,
                    QStringLiteral("The Ollama %1 is longer than %2 characters.").arg(what).arg(kMaxOllamaNameLength));
    if (!isLowerAlnum(s.front()))
        return fail(error, QStringLiteral("The Ollama %1 must start with a lower-case letter or digit.").arg(what));
    for (const QChar c : s) {
        if (!isLowerAlnum(c) && !isNamePunct(c))
            return fail(error,
                        QStringLiteral("The Ollama %1 may contain only lower-case letters, digits, '.', '_' and '-'.")
                            .arg(what));
    }
    return true;
}

bool checkOllamaTag(QStringView s, QString *error) {
    if (s.isEmpty())
        return fail(error, QStringLiteral("The Ollama tag is empty."));
    if (s.size() > kMaxOllamaTagLength)
        return fail(error, QStringLiteral("The Ollama tag is longer than %1 characters.").arg(kMaxOllamaTagLength));
    if (!isAsciiAlnum(s.front()) && s.front() != u'_')
        return fail(error, QStringLiteral("The Ollama tag must start with a letter, digit or '_'."));
    for (const QChar c : s) {
        if (!isAsciiAlnum(c) && !isNamePunct(c))
            return fail(error, QStringLiteral("The Ollama tag may contain only letters, digits, '.', '_' and '-'."));
    }
    return true;
}

int hexValue(QChar c) {
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

// One path segment of the URL, percent-decoded as UTF-8. The URL itself is plain ASCII (checked
// before), so every other character arrives percent-encoded.
std::optional<QString> percentDecode(QStringView s, QString *error) {
    QByteArray bytes;
    bytes.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] != u'%') {
            bytes.append(char(s[i].unicode()));
            continue;
        }
        const int hi = i + 2 < s.size() ? hexValue(s[i + 1]) : -1;
        const int lo = i + 2 < s.size() ? hexValue(s[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            fail(error, QStringLiteral("The URL has a '%' that is not followed by two hex digits."));
            return std::nullopt;
        }
        bytes.append(char(hi * 16 + lo));
        i += 2;
    }
    QString out = QString::fromUtf8(bytes);
    if (out.toUtf8() != bytes) { // invalid UTF-8 became U+FFFD
        fail(error, QStringLiteral("The URL's path is not valid UTF-8 once percent-decoded."));
        return std::nullopt;
    }
    return out;
}

// One decoded segment of the file path in a resolve URL.
bool checkFileSegment(QStringView s, QString *error) {
    if (s.isEmpty())
        return fail(error, QStringLiteral("The file path in the URL has an empty segment."));
    if (s == u"." || s == u"..")
        return fail(error, QStringLiteral("The file path in the URL may not contain '.' or '..' segments."));
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u <= 0x9f))
            return fail(error, QStringLiteral("The file path in the URL may not contain control characters."));
        if (c == u'\\')
            return fail(error, QStringLiteral("The file path in the URL may not contain a backslash."));
        if (c == u'/')
            return fail(error, QStringLiteral("The file path in the URL may not contain an encoded '/'."));
    }
    return true;
}

std::optional<PullSource> parseHf(QStringView rest, QString *error) {
    PullSource s;
    s.kind = PullSource::Kind::HuggingFaceRepo;
    const qsizetype at = rest.indexOf(u'@');
    const QStringView repo = at < 0 ? rest : rest.left(at);
    if (!checkHfRepo(repo, error))
        return std::nullopt;
    s.repo = repo.toString();
    if (at < 0) {
        s.revision = kDefaultRevision;
    } else {
        const QStringView revision = rest.mid(at + 1);
        if (!checkRevision(revision, error))
            return std::nullopt;
        s.revision = revision.toString();
    }
    return s;
}

std::optional<PullSource> parseResolveUrl(QStringView text, QString *error) {
    static const QString usage =
        QStringLiteral("A Hugging Face file URL is https://huggingface.co/ORG/REPO/resolve/REVISION/PATH.");
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u <= 0x20 || u >= 0x7f) {
            fail(error,
                 QStringLiteral("The URL may contain only visible ASCII characters; percent-encode anything else."));
            return std::nullopt;
        }
    }
    if (text.contains(u'?') || text.contains(u'#')) {
        fail(error, QStringLiteral("The URL may not have a query or fragment."));
        return std::nullopt;
    }
    const QStringView afterScheme = text.mid(8); // "https://"
    const qsizetype slash = afterScheme.indexOf(u'/');
    const QStringView authority = slash < 0 ? afterScheme : afterScheme.left(slash);
    if (authority.contains(u'@')) {
        fail(error, QStringLiteral("The URL may not carry a user name or password."));
        return std::nullopt;
    }
    if (authority.contains(u':')) {
        fail(error, QStringLiteral("The URL may not name a port."));
        return std::nullopt;
    }
    if (authority.compare(kHfHost, Qt::CaseInsensitive) != 0) {
        fail(error, QStringLiteral("A file URL must be on huggingface.co."));
        return std::nullopt;
    }
    if (slash < 0) {
        fail(error, usage);
        return std::nullopt;
    }
    // ORG / REPO / "resolve" / REV / PATH…
    const QList<QStringView> raw = afterScheme.mid(slash + 1).split(u'/');
    if (raw.size() < 5 || raw[2] != u"resolve") {
        fail(error, usage);
        return std::nullopt;
    }
    QStringList parts;
    for (const QStringView r : raw) {
        std::optional<QString> decoded = percentDecode(r, error);
        if (!decoded)
            return std::nullopt;
        parts.append(*decoded);
    }
    PullSource s;
    s.kind = PullSource::Kind::HuggingFaceFile;
    if (!checkHfName(parts[0], QStringLiteral("organization"), error) ||
        !checkHfName(parts[1], QStringLiteral("repository"), error) || !checkRevision(parts[3], error))
        return std::nullopt;
    for (qsizetype i = 4; i < parts.size(); ++i) {
        if (!checkFileSegment(parts[i], error))
            return std::nullopt;
    }
    s.repo = parts[0] + u'/' + parts[1];
    s.revision = parts[3];
    s.filePath = parts.mid(4).join(u'/');
    return s;
}

std::optional<PullSource> parseOllama(QStringView rest, QString *error) {
    const qsizetype lastSlash = rest.lastIndexOf(u'/');
    const qsizetype colon = rest.indexOf(u':');
    if (rest.count(u'/') > 1 || (colon >= 0 && colon < lastSlash)) {
        fail(error, QStringLiteral("An Ollama source may not name a registry host (only registry.ollama.ai is used); "
                                   "write ollama:[NAMESPACE/]NAME[:TAG]."));
        return std::nullopt;
    }
    PullSource s;
    s.kind = PullSource::Kind::Ollama;
    const QStringView nsName = colon < 0 ? rest : rest.left(colon);
    const QStringView ns = lastSlash < 0 ? QStringView() : nsName.left(lastSlash);
    const QStringView name = lastSlash < 0 ? nsName : nsName.mid(lastSlash + 1);
    if (lastSlash >= 0 && !checkOllamaName(ns, QStringLiteral("namespace"), error))
        return std::nullopt;
    if (!checkOllamaName(name, QStringLiteral("model name"), error))
        return std::nullopt;
    if (colon >= 0 && !checkOllamaTag(rest.mid(colon + 1), error))
        return std::nullopt;
    s.ns = lastSlash < 0 ? kDefaultNamespace : ns.toString();
    s.name = name.toString();
    s.tag = colon < 0 ? kDefaultTag : rest.mid(colon + 1).toString();
    return s;
}

// Everything a path segment may not hold raw (RFC 3986 pchar), so that the text parses back to the
// same segment.
QString encodeSegment(const QString &segment) {
    return QString::fromLatin1(QUrl::toPercentEncoding(segment, "!$&'()*+,;=:@"));
}

} // namespace

QString PullSource::text() const {
    switch (kind) {
    case Kind::HuggingFaceRepo:
        return kHfPrefix + repo + u'@' + revision;
    case Kind::HuggingFaceFile: {
        QStringList segments;
        for (const QStringView segment : QStringView(filePath).split(u'/'))
            segments.append(encodeSegment(segment.toString()));
        return QStringLiteral("https://huggingface.co/") + repo + QStringLiteral("/resolve/") +
               encodeSegment(revision) + u'/' + segments.join(u'/');
    }
    case Kind::Ollama:
        return kOllamaPrefix + ns + u'/' + name + u':' + tag;
    }
    return {};
}

QString PullSource::displayName() const {
    switch (kind) {
    case Kind::HuggingFaceRepo:
        return repo;
    case Kind::HuggingFaceFile:
        return repo + QStringLiteral(": ") + filePath;
    case Kind::Ollama:
        return (ns == kDefaultNamespace ? QString() : ns + u'/') + name + u':' + tag;
    }
    return {};
}

namespace {

std::optional<PullSource> parseAny(QStringView text, QString *error) {
    if (text.startsWith(kHfPrefix))
        return parseHf(text.mid(kHfPrefix.size()), error);
    if (text.startsWith(kOllamaPrefix))
        return parseOllama(text.mid(kOllamaPrefix.size()), error);
    if (text.startsWith(u"https://", Qt::CaseInsensitive))
        return parseResolveUrl(text, error);
    if (text.startsWith(u"http://", Qt::CaseInsensitive)) {
        fail(error, QStringLiteral("A file URL must use https."));
        return std::nullopt;
    }
    fail(error, QStringLiteral("A pull source is hf:ORG/REPO[@REVISION], "
                               "https://huggingface.co/ORG/REPO/resolve/REVISION/PATH or "
                               "ollama:[NAMESPACE/]NAME[:TAG]."));
    return std::nullopt;
}

} // namespace

std::optional<PullSource> parsePullSource(QStringView text, QString *error) {
    if (text.size() > kMaxPullSourceLength) {
        fail(error, QStringLiteral("A pull source is at most %1 characters.").arg(kMaxPullSourceLength));
        return std::nullopt;
    }
    std::optional<PullSource> source = parseAny(text, error);
    // The canonical text adds defaults and escapes; it must parse again as this source did.
    if (source && source->text().size() > kMaxPullSourceLength) {
        fail(error, QStringLiteral("A pull source is at most %1 characters when written out in full.")
                        .arg(kMaxPullSourceLength));
        return std::nullopt;
    }
    return source;
}

} // namespace airlock
