#include "pull/HubParsers.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>

#include <cmath>

namespace airlock {

namespace {

constexpr qint64 kMaxSize = qint64(1) << 50;
constexpr qsizetype kMaxLinkBytes = 8 * 1024;
constexpr qsizetype kMaxChallengeBytes = 8 * 1024;
constexpr qsizetype kMaxTokenBytes = 8 * 1024;
constexpr qsizetype kMaxMediaTypeLength = 255;

bool refuse(HubError *error, HubError::Kind kind, const QString &message) {
    if (error)
        *error = HubError{kind, message};
    return false;
}

bool badManifest(HubError *error, const QString &message) {
    return refuse(error, HubError::Kind::BadManifest, message);
}

// A JSON document whose top level is of the wanted type.
std::optional<QJsonDocument> parseJson(const QByteArray &json, bool wantArray, const QString &what, HubError *error) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        badManifest(error, QStringLiteral("The %1 is not valid JSON.").arg(what));
        return std::nullopt;
    }
    if (wantArray ? !doc.isArray() : !doc.isObject()) {
        badManifest(error, QStringLiteral("The %1 is not a JSON %2.")
                               .arg(what, wantArray ? QStringLiteral("array") : QStringLiteral("object")));
        return std::nullopt;
    }
    return doc;
}

// A byte count: a JSON number that is an integer from 0 to 2^50 (a string, a fraction or a
// negative number is not).
std::optional<qint64> sizeValue(const QJsonValue &v) {
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!(d >= 0 && d <= double(kMaxSize)) || std::trunc(d) != d)
        return std::nullopt;
    return qint64(d);
}

bool isHex(QStringView s) {
    return std::all_of(s.begin(), s.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F');
    });
}

// Exactly `length` hex digits, lower-cased.
std::optional<QByteArray> hexDigest(const QJsonValue &v, qsizetype length) {
    if (!v.isString())
        return std::nullopt;
    const QString s = v.toString();
    if (s.size() != length || !isHex(s))
        return std::nullopt;
    return s.toLatin1().toLower();
}

bool isControl(char16_t u) {
    return u < 0x20 || u == 0x7f || (u >= 0x80 && u <= 0x9f);
}

qsizetype utf8Length(QStringView s) {
    qsizetype n = 0;
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        n += u < 0x80 ? 1 : u < 0x800 ? 2 : QChar::isSurrogate(u) ? 2 : 3; // a pair is 4 bytes
    }
    return n;
}

// The key a case-insensitive file system would file a path under.
QString foldedKey(const QString &path) {
    return path.normalized(QString::NormalizationForm_C).toCaseFolded();
}

bool isVisibleAscii(QByteArrayView s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool isVisibleAscii(QStringView s) {
    return std::all_of(s.begin(), s.end(), [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; });
}

std::optional<OllamaBlob> ollamaBlob(const QJsonValue &v, const QString &what, HubError *error) {
    if (!v.isObject()) {
        badManifest(error, QStringLiteral("The manifest's %1 is not an object.").arg(what));
        return std::nullopt;
    }
    const QJsonObject o = v.toObject();
    const QJsonValue mediaType = o.value(QLatin1String("mediaType"));
    const QJsonValue digest = o.value(QLatin1String("digest"));
    OllamaBlob blob;
    blob.mediaType = mediaType.toString();
    if (!mediaType.isString() || blob.mediaType.isEmpty() || blob.mediaType.size() > kMaxMediaTypeLength ||
        !isVisibleAscii(QStringView(blob.mediaType))) {
        badManifest(error, QStringLiteral("The manifest's %1 has no valid mediaType.").arg(what));
        return std::nullopt;
    }
    const QString digestText = digest.toString();
    const std::optional<QByteArray> hex = digest.isString() && digestText.startsWith(QLatin1String("sha256:"))
                                              ? hexDigest(QJsonValue(digestText.mid(7)), 64)
                                              : std::nullopt;
    if (!hex) {
        badManifest(error, QStringLiteral("The manifest's %1 has no valid sha256 digest.").arg(what));
        return std::nullopt;
    }
    blob.digestHex = *hex;
    const std::optional<qint64> size = sizeValue(o.value(QLatin1String("size")));
    if (!size) {
        badManifest(error, QStringLiteral("The manifest's %1 has no valid size.").arg(what));
        return std::nullopt;
    }
    blob.size = *size;
    return blob;
}

// RFC 9110 tchar.
bool isTchar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

// A cursor over a header value with the pieces of RFC 9110's list grammar the Link and
// WWW-Authenticate fields need.
struct Cursor {
    QByteArrayView s;
    qsizetype pos = 0;

    bool atEnd() const { return pos >= s.size(); }
    char peek() const { return atEnd() ? '\0' : s[pos]; }
    void skipSpace() {
        while (!atEnd() && (s[pos] == ' ' || s[pos] == '\t'))
            ++pos;
    }
    void skipSpaceAndCommas() {
        while (!atEnd() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == ','))
            ++pos;
    }
    QByteArrayView token() {
        const qsizetype start = pos;
        while (!atEnd() && isTchar(s[pos]))
            ++pos;
        return s.sliced(start, pos - start);
    }
    // A quoted-string with backslash escapes; nullopt when it is not closed or holds a control
    // character.
    std::optional<QByteArray> quoted() {
        if (peek() != '"')
            return std::nullopt;
        ++pos;
        QByteArray out;
        while (!atEnd()) {
            char c = s[pos++];
            if (c == '"')
                return out;
            if (c == '\\') {
                if (atEnd())
                    return std::nullopt;
                c = s[pos++];
            }
            const auto u = static_cast<unsigned char>(c);
            if ((u < 0x20 && c != '\t') || u == 0x7f)
                return std::nullopt;
            out.append(c);
        }
        return std::nullopt;
    }
    // token / quoted-string
    std::optional<QByteArray> value() {
        if (peek() == '"')
            return quoted();
        const QByteArrayView t = token();
        if (t.isEmpty())
            return std::nullopt;
        return t.toByteArray();
    }
};

// Whether a rel value (a space-separated list of relation types) names "next".
bool relHasNext(const QByteArray &rel) {
    for (const QByteArray &type : rel.split(' ')) {
        if (type.compare("next", Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

bool isSafeRelativePath(QStringView path, const PlanLimits &limits, QString *why) {
    const auto no = [why](const QString &message) {
        if (why)
            *why = message;
        return false;
    };
    if (path.isEmpty())
        return no(QStringLiteral("the path is empty"));
    for (qsizetype i = 0; i < path.size(); ++i) {
        const char16_t u = path[i].unicode();
        if (isControl(u))
            return no(QStringLiteral("the path contains a control character"));
        if (u == '\\')
            return no(QStringLiteral("the path contains a backslash"));
        if (QChar::isHighSurrogate(u) && i + 1 < path.size() && path[i + 1].isLowSurrogate())
            ++i;
        else if (QChar::isSurrogate(u))
            return no(QStringLiteral("the path is not valid Unicode"));
    }
    if (path.front() == u'/')
        return no(QStringLiteral("the path is absolute"));
    if (utf8Length(path) > limits.maxPathBytes)
        return no(QStringLiteral("the path is longer than %1 bytes").arg(limits.maxPathBytes));
    qsizetype depth = 0;
    for (const QStringView segment : path.split(u'/')) {
        if (++depth > limits.maxDepth)
            return no(QStringLiteral("the path is deeper than %1 folders").arg(limits.maxDepth));
        if (segment.isEmpty())
            return no(QStringLiteral("the path has an empty segment"));
        if (segment == u"." || segment == u"..")
            return no(QStringLiteral("the path has a '.' or '..' segment"));
        if (utf8Length(segment) > limits.maxSegmentBytes)
            return no(QStringLiteral("a segment of the path is longer than %1 bytes").arg(limits.maxSegmentBytes));
    }
    return true;
}

std::optional<QString> parseHfRevision(const QByteArray &json, HubError *error) {
    const std::optional<QJsonDocument> doc = parseJson(json, false, QStringLiteral("revision answer"), error);
    if (!doc)
        return std::nullopt;
    const QJsonObject o = doc->object();
    if (o.contains(QLatin1String("id")) && !o.value(QLatin1String("id")).isString()) {
        badManifest(error, QStringLiteral("The revision answer's id is not a string."));
        return std::nullopt;
    }
    const std::optional<QByteArray> sha = hexDigest(o.value(QLatin1String("sha")), 40);
    if (!sha) {
        badManifest(error, QStringLiteral("The revision answer has no valid commit sha."));
        return std::nullopt;
    }
    return QString::fromLatin1(*sha);
}

bool parseHfTreePage(const QByteArray &json, const PlanLimits &limits, QList<HfTreeFile> *files, HubError *error) {
    const std::optional<QJsonDocument> doc = parseJson(json, true, QStringLiteral("tree listing"), error);
    if (!doc)
        return false;
    const QJsonArray entries = doc->array();
    QList<HfTreeFile> page;
    for (const QJsonValue entry : entries) {
        if (!entry.isObject())
            return badManifest(error, QStringLiteral("A tree listing entry is not an object."));
        const QJsonObject o = entry.toObject();
        const QJsonValue type = o.value(QLatin1String("type"));
        const QJsonValue pathValue = o.value(QLatin1String("path"));
        if (!type.isString())
            return badManifest(error, QStringLiteral("A tree listing entry has no type."));
        const bool isFile = type.toString() == QLatin1String("file");
        if (!isFile && type.toString() != QLatin1String("directory"))
            return badManifest(error, QStringLiteral("A tree listing entry has an unknown entry type."));
        if (!pathValue.isString())
            return badManifest(error, QStringLiteral("A tree listing entry has no path."));
        const QString path = pathValue.toString();
        QString why;
        if (!isSafeRelativePath(path, limits, &why))
            return refuse(error, HubError::Kind::UnsafePath,
                          QStringLiteral("The repository has an unsafe path: %1.").arg(why));
        if (!isFile)
            continue;

        HfTreeFile file;
        file.path = path;
        const std::optional<QByteArray> oid = hexDigest(o.value(QLatin1String("oid")), 40);
        if (!oid)
            return badManifest(error, QStringLiteral("A file in the tree listing has no valid git oid."));
        file.gitOid = *oid;
        const std::optional<qint64> size = sizeValue(o.value(QLatin1String("size")));
        if (!size)
            return badManifest(error, QStringLiteral("A file in the tree listing has no valid size."));
        file.size = *size;
        if (o.contains(QLatin1String("lfs"))) {
            const QJsonValue lfsValue = o.value(QLatin1String("lfs"));
            if (!lfsValue.isObject())
                return badManifest(error,
                                   QStringLiteral("A file's LFS details in the tree listing are not an object."));
            const QJsonObject lfs = lfsValue.toObject();
            const std::optional<QByteArray> lfsOid = hexDigest(lfs.value(QLatin1String("oid")), 64);
            if (!lfsOid)
                return badManifest(error, QStringLiteral("An LFS file in the tree listing has no valid sha256 oid."));
            const std::optional<qint64> lfsSize = sizeValue(lfs.value(QLatin1String("size")));
            if (!lfsSize)
                return badManifest(error, QStringLiteral("An LFS file in the tree listing has no valid size."));
            if (*lfsSize != file.size)
                return badManifest(error,
                                   QStringLiteral("An LFS file's size differs from its size in the tree listing."));
            if (lfs.contains(QLatin1String("pointerSize")) && !sizeValue(lfs.value(QLatin1String("pointerSize"))))
                return badManifest(error,
                                   QStringLiteral("An LFS file in the tree listing has an invalid pointer size."));
            file.lfsSha256 = *lfsOid;
            file.lfsSize = *lfsSize;
        }
        if (files->size() + page.size() >= limits.maxFiles)
            return badManifest(error, QStringLiteral("The repository has more than %1 files.").arg(limits.maxFiles));
        page.append(file);
    }
    files->append(page);
    return true;
}

QByteArray nextPageLink(const HeaderList &headers, bool *unreadable) {
    // A Link header that cannot be read may hide the next page: the caller refuses the listing
    // rather than take what it has for all of it.
    const auto bad = [unreadable] {
        if (unreadable)
            *unreadable = true;
        return QByteArray();
    };
    if (unreadable)
        *unreadable = false;
    QByteArray joined;
    for (const auto &[name, value] : headers) {
        if (name.compare("link", Qt::CaseInsensitive) != 0)
            continue;
        if (!joined.isEmpty())
            joined += ", ";
        joined += value;
        if (joined.size() >= kMaxLinkBytes)
            break;
    }
    const bool cut = joined.size() > kMaxLinkBytes; // links past the limit are not read
    Cursor c{QByteArrayView(joined).first(std::min(joined.size(), kMaxLinkBytes))};
    // link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param ), comma-separated.
    while (true) {
        c.skipSpaceAndCommas();
        if (c.atEnd())
            return cut ? bad() : QByteArray();
        if (c.peek() != '<')
            return bad();
        const qsizetype close = c.s.indexOf('>', c.pos);
        if (close < 0)
            return bad();
        const QByteArrayView target = c.s.sliced(c.pos + 1, close - c.pos - 1);
        c.pos = close + 1;
        bool next = false;
        bool sawRel = false;
        while (true) {
            c.skipSpace();
            if (c.atEnd() || c.peek() == ',')
                break;
            if (c.peek() != ';')
                return bad();
            ++c.pos;
            c.skipSpace();
            const QByteArrayView param = c.token();
            if (param.isEmpty())
                return bad();
            c.skipSpace();
            std::optional<QByteArray> value = QByteArray();
            if (c.peek() == '=') {
                ++c.pos;
                c.skipSpace();
                value = c.value();
                if (!value)
                    return bad();
            }
            // Only the first rel counts (RFC 8288 3.3).
            if (param.compare("rel", Qt::CaseInsensitive) == 0 && !sawRel) {
                sawRel = true;
                next = relHasNext(*value);
            }
        }
        if (next) {
            if (target.isEmpty() || !isVisibleAscii(QByteArrayView(target)))
                return bad();
            return target.toByteArray();
        }
    }
}

bool checkHfTree(const QList<HfTreeFile> &files, const PlanLimits &limits, HubError *error) {
    if (files.size() > limits.maxFiles)
        return badManifest(error, QStringLiteral("The repository has more than %1 files.").arg(limits.maxFiles));
    QSet<QString> exact;
    QHash<QString, QString> folded; // key -> a path filed under it
    QSet<QString> folders;          // keys of every folder some file sits in
    exact.reserve(files.size());
    folded.reserve(files.size());
    for (const HfTreeFile &file : files) {
        QString why;
        if (!isSafeRelativePath(file.path, limits, &why))
            return refuse(error, HubError::Kind::UnsafePath,
                          QStringLiteral("The repository has an unsafe path: %1.").arg(why));
        if (exact.contains(file.path))
            return badManifest(error, QStringLiteral("The repository lists the same path twice."));
        exact.insert(file.path);
        const QString key = foldedKey(file.path);
        if (folded.contains(key))
            return refuse(error, HubError::Kind::UnsafePath,
                          QStringLiteral("The repository has two paths that differ only in case."));
        folded.insert(key, file.path);
        for (qsizetype slash = key.indexOf(u'/'); slash >= 0; slash = key.indexOf(u'/', slash + 1))
            folders.insert(key.left(slash));
    }
    for (const QString &folder : std::as_const(folders)) {
        if (folded.contains(folder))
            return refuse(error, HubError::Kind::UnsafePath,
                          QStringLiteral("The repository has a path that is both a file and a folder."));
    }
    return true;
}

std::optional<OllamaManifest> parseOllamaManifest(const QByteArray &json, const PlanLimits &limits, HubError *error) {
    const std::optional<QJsonDocument> doc = parseJson(json, false, QStringLiteral("manifest"), error);
    if (!doc)
        return std::nullopt;
    const QJsonObject o = doc->object();
    // The registry's error document: {"errors":[{"code":"MANIFEST_UNKNOWN",…}]}.
    if (!o.contains(QLatin1String("schemaVersion")) && o.value(QLatin1String("errors")).isArray()) {
        for (const QJsonValue e : o.value(QLatin1String("errors")).toArray()) {
            const QString code = e.toObject().value(QLatin1String("code")).toString();
            if (code == QLatin1String("MANIFEST_UNKNOWN") || code == QLatin1String("NAME_UNKNOWN")) {
                refuse(error, HubError::Kind::NotFound, QStringLiteral("The registry has no such model or tag."));
                return std::nullopt;
            }
        }
    }
    const QJsonValue version = o.value(QLatin1String("schemaVersion"));
    if (!version.isDouble() || version.toDouble() != 2) {
        badManifest(error, QStringLiteral("The manifest is not schemaVersion 2."));
        return std::nullopt;
    }
    if (o.contains(QLatin1String("mediaType"))) {
        const QJsonValue mediaType = o.value(QLatin1String("mediaType"));
        if (mediaType != QJsonValue(QLatin1String("application/vnd.docker.distribution.manifest.v2+json")) &&
            mediaType != QJsonValue(QLatin1String("application/vnd.oci.image.manifest.v1+json"))) {
            badManifest(error, QStringLiteral("The manifest is not an image manifest."));
            return std::nullopt;
        }
    }
    OllamaManifest manifest;
    const std::optional<OllamaBlob> config =
        ollamaBlob(o.value(QLatin1String("config")), QStringLiteral("config"), error);
    if (!config)
        return std::nullopt;
    manifest.config = *config;
    const QJsonValue layers = o.value(QLatin1String("layers"));
    if (!layers.isArray()) {
        badManifest(error, QStringLiteral("The manifest has no list of layers."));
        return std::nullopt;
    }
    const QJsonArray list = layers.toArray();
    if (list.isEmpty()) {
        badManifest(error, QStringLiteral("The manifest has no layers."));
        return std::nullopt;
    }
    if (list.size() > limits.maxFiles) {
        badManifest(error, QStringLiteral("The manifest has more than %1 layers.").arg(limits.maxFiles));
        return std::nullopt;
    }
    for (const QJsonValue layer : list) {
        const std::optional<OllamaBlob> blob = ollamaBlob(layer, QStringLiteral("layer"), error);
        if (!blob)
            return std::nullopt;
        manifest.layers.append(*blob);
    }
    return manifest;
}

std::optional<BearerChallenge> parseBearerChallenge(const QByteArray &value) {
    if (value.size() > kMaxChallengeBytes)
        return std::nullopt;
    Cursor c{QByteArrayView(value)};
    // challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ], comma-separated; the first
    // Bearer challenge is the one.
    while (true) {
        c.skipSpaceAndCommas();
        if (c.atEnd())
            return std::nullopt;
        const QByteArrayView scheme = c.token();
        if (scheme.isEmpty())
            return std::nullopt;
        const bool bearer = scheme.compare("bearer", Qt::CaseInsensitive) == 0;
        QHash<QByteArray, QByteArray> params;
        const qsizetype beforeSpace = c.pos;
        c.skipSpace();
        if (c.pos == beforeSpace && !c.atEnd() && c.peek() != ',')
            return std::nullopt;
        while (!c.atEnd() && c.peek() != ',') {
            const qsizetype nameStart = c.pos;
            const QByteArrayView name = c.token();
            if (name.isEmpty())
                return std::nullopt;
            c.skipSpace();
            if (c.peek() != '=') {
                if (params.isEmpty())
                    return std::nullopt; // a token68 or garbage
                c.pos = nameStart;       // the next challenge's scheme
                break;
            }
            ++c.pos;
            c.skipSpace();
            const std::optional<QByteArray> v = c.value();
            if (!v)
                return std::nullopt;
            const QByteArray key = name.toByteArray().toLower();
            if (params.contains(key))
                return std::nullopt; // RFC 9110 11.2: each parameter at most once
            params.insert(key, *v);
            c.skipSpace();
            if (c.atEnd())
                break;
            if (c.peek() != ',')
                return std::nullopt;
            c.skipSpaceAndCommas();
        }
        if (!bearer)
            continue;
        const QByteArray realm = params.value("realm");
        if (!realm.toLower().startsWith("https://") || realm.size() <= 8 || !isVisibleAscii(QByteArrayView(realm)))
            return std::nullopt;
        BearerChallenge out;
        out.realm = QString::fromLatin1(realm);
        out.service = QString::fromUtf8(params.value("service"));
        out.scope = QString::fromUtf8(params.value("scope"));
        return out;
    }
}

std::optional<QByteArray> parseRegistryToken(const QByteArray &json) {
    const std::optional<QJsonDocument> doc = parseJson(json, false, QStringLiteral("token answer"), nullptr);
    if (!doc)
        return std::nullopt;
    const QJsonObject o = doc->object();
    QJsonValue token = o.value(QLatin1String("token"));
    if (token.isUndefined() || (token.isString() && token.toString().isEmpty()))
        token = o.value(QLatin1String("access_token"));
    if (!token.isString())
        return std::nullopt;
    const QString text = token.toString();
    if (text.isEmpty() || text.size() > kMaxTokenBytes)
        return std::nullopt;
    if (!isVisibleAscii(QStringView(text)))
        return std::nullopt;
    return text.toLatin1();
}

} // namespace airlock
