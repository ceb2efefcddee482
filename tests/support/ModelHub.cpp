#include "ModelHub.h"

#include "GeneratedBody.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QRandomGenerator>
#include <QTimeZone>
#include <QUrl>

#include <openssl/evp.h>

#include <memory>

namespace airlock::test {

namespace {

const QByteArray kJson = "application/json; charset=utf-8";
const QByteArray kText = "text/plain; charset=utf-8";
const QByteArray kManifestType = "application/vnd.docker.distribution.manifest.v2+json";
const QByteArray kHubOrigin = "https://huggingface.co";
const QByteArray kRegistry = "registry.ollama.ai";
const QByteArray kStorageOrigin = "https://blobs.r2.cloudflarestorage.com";
const QByteArray kStoragePrefix = "/ollama/docker/registry/v2/blobs/sha256/";
constexpr qint64 kUrlLifetimeSecs = 3600;

// Streams the content (with a prefix, for git's object header) through an OpenSSL digest, so a
// multi-GiB generated file is hashed at SHA-NI speed without being held in memory.
QByteArray digestHex(const EVP_MD *md, const QByteArray &prefix, const HubFile &file) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), md, nullptr);
    EVP_DigestUpdate(ctx.get(), prefix.constData(), size_t(prefix.size()));
    if (file.generatedSize >= 0) {
        const QByteArray &p = generated::pattern();
        const qint64 maxRun = p.size() - generated::kPeriod;
        for (qint64 offset = 0; offset < file.generatedSize;) {
            const qint64 run = qMin(maxRun, file.generatedSize - offset);
            EVP_DigestUpdate(ctx.get(), p.constData() + offset % generated::kPeriod, size_t(run));
            offset += run;
        }
    } else {
        EVP_DigestUpdate(ctx.get(), file.content.constData(), size_t(file.content.size()));
    }
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), out, &length);
    return QByteArray(reinterpret_cast<const char *>(out), int(length)).toHex();
}

QByteArray sha1Hex(const QByteArray &data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha1).toHex();
}

QByteArray sha256Hex(const QByteArray &data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray jsonString(const QString &text) {
    QByteArray out = "\"";
    for (const char c : text.toUtf8()) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (uchar(c) < 0x20) {
            out += "\\u00" + QByteArray::number(uchar(c), 16).rightJustified(2, '0');
        } else {
            out += c;
        }
    }
    return out + '"';
}

bool isHex(const QByteArray &text, qsizetype length) {
    if (text.size() != length)
        return false;
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

QByteArray queryValue(const QByteArray &query, const QByteArray &name) {
    for (const QByteArray &pair : query.split('&')) {
        if (pair.startsWith(name + '='))
            return pair.mid(name.size() + 1);
    }
    return {};
}

QString decoded(const QByteArray &segment) {
    return QUrl::fromPercentEncoding(segment);
}

QString joinDecoded(const QList<QByteArray> &segments, qsizetype from) {
    QStringList parts;
    for (qsizetype i = from; i < segments.size(); ++i) {
        if (!segments[i].isEmpty())
            parts.append(decoded(segments[i]));
    }
    return parts.join(QLatin1Char('/'));
}

QByteArray requestHost(const RecordedRequest &request) {
    QByteArray host = request.header("Host").toLower();
    if (host.isEmpty())
        host = request.sniHost.toLower().toUtf8();
    const qsizetype colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.left(colon);
}

void replyJson(Responder &responder, int status, const QByteArray &json, TestHeaders headers = {}) {
    headers.prepend({"Content-Type", kJson});
    responder.reply(status, headers, json);
}

// The hub's error answers: the X-Error-Code header is what clients such as huggingface_hub act on.
void hubError(Responder &responder, int status, const QByteArray &code, const QByteArray &message, bool asJson) {
    const TestHeaders headers{{"X-Error-Code", code}, {"X-Error-Message", message}};
    if (asJson)
        replyJson(responder, status, "{\"error\":" + jsonString(QString::fromUtf8(message)) + '}', headers);
    else
        responder.reply(status, TestHeaders{{"Content-Type", kText}} + headers, message);
}

void repoNotFound(Responder &responder, bool asJson) {
    hubError(responder, 401, "RepoNotFound", "Repository not found", asJson);
}

void registryError(Responder &responder, int status, const QByteArray &code, const QByteArray &message,
                   TestHeaders headers = {}) {
    headers.emplaceBack("Docker-Distribution-Api-Version", "registry/2.0");
    replyJson(responder, status,
              "{\"errors\":[{\"code\":" + jsonString(QString::fromLatin1(code)) +
                  ",\"message\":" + jsonString(QString::fromLatin1(message)) + "}]}",
              headers);
}

void storageError(Responder &responder, int status, const QByteArray &code, const QByteArray &message) {
    responder.reply(status, {{"Content-Type", "application/xml"}},
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message +
                        "</Message></Error>");
}

qint64 nowSecs() {
    return QDateTime::currentSecsSinceEpoch();
}

} // namespace

qint64 HubFile::size() const {
    return generatedSize >= 0 ? generatedSize : content.size();
}

QByteArray HubFile::sha256Hex() const {
    if (m_sha256.isEmpty())
        m_sha256 = digestHex(EVP_sha256(), {}, *this);
    return m_sha256;
}

QByteArray HubFile::gitOidHex() const {
    if (m_gitOid.isEmpty())
        m_gitOid = digestHex(EVP_sha1(), "blob " + QByteArray::number(size()) + '\0', *this);
    return m_gitOid;
}

QByteArray HubFile::lfsPointer() const {
    return "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256Hex() + "\nsize " +
           QByteArray::number(size()) + '\n';
}

QByteArray HubFile::pointerOidHex() const {
    const QByteArray pointer = lfsPointer();
    return sha1Hex("blob " + QByteArray::number(pointer.size()) + '\0' + pointer);
}

QByteArray HubFile::bytes(qint64 offset, qint64 length) const {
    offset = qBound<qint64>(0, offset, size());
    length = length < 0 ? size() - offset : qMin(length, size() - offset);
    return generatedSize >= 0 ? generated::slice(offset, length) : content.mid(offset, length);
}

HubFile HubFile::small(const QString &path, const QByteArray &content, bool lfs) {
    HubFile f;
    f.path = path;
    f.content = content;
    f.lfs = lfs;
    return f;
}

HubFile HubFile::generated(const QString &path, qint64 size, bool lfs) {
    HubFile f;
    f.path = path;
    f.generatedSize = size;
    f.lfs = lfs;
    return f;
}

HubFile HubFile::blob(const QByteArray &content, const QByteArray &mediaType) {
    HubFile f = small({}, content);
    f.mediaType = mediaType;
    return f;
}

HubFile HubFile::generatedBlob(qint64 size, const QByteArray &mediaType) {
    HubFile f = generated({}, size, false);
    f.mediaType = mediaType;
    return f;
}

ModelHub::ModelHub() {
    for (int i = 0; i < 4; ++i)
        m_secret += QByteArray::number(QRandomGenerator::system()->generate(), 16);
}

// ---- model contents ----

void ModelHub::addHfRepo(const QString &repo, const QString &commit, const QList<HubFile> &files,
                         const QStringList &refs) {
    HfRepo &r = m_repos[repo];
    r.id = repo;
    QList<HubFile> &stored = r.commits[commit];
    stored = files;
    for (HubFile &f : stored) {
        if (f.lfs) {
            m_lfsPathSha.insert(f.path, f.sha256Hex());
            m_objects.insert(f.sha256Hex(), f);
        } else {
            f.gitOidHex();
        }
    }
    for (const QString &ref : refs)
        r.refs.insert(ref, commit);
}

void ModelHub::addOllamaModel(const QString &ns, const QString &name, const QString &tag, const HubFile &config,
                              const QList<HubFile> &layers) {
    OllamaModel model;
    const auto describe = [&](const HubFile &blob, const QByteArray &defaultType) {
        m_objects.insert(blob.sha256Hex(), blob);
        model.blobs.insert(blob.sha256Hex());
        return "{\"mediaType\":" +
               jsonString(QString::fromUtf8(blob.mediaType.isEmpty() ? defaultType : blob.mediaType)) +
               ",\"digest\":\"sha256:" + blob.sha256Hex() + "\",\"size\":" + QByteArray::number(blob.size()) + '}';
    };
    QByteArray json = "{\"schemaVersion\":2,\"mediaType\":\"" + kManifestType +
                      "\",\"config\":" + describe(config, "application/vnd.docker.container.image.v1+json") +
                      ",\"layers\":[";
    for (qsizetype i = 0; i < layers.size(); ++i)
        json += (i ? "," : "") + describe(layers[i], "application/vnd.ollama.image.model");
    model.manifest = json + "]}";
    m_models.insert(ns + QLatin1Char('/') + name + QLatin1Char(':') + tag, model);
}

void ModelHub::setRawManifest(const QString &ns, const QString &name, const QString &tag, const QByteArray &json) {
    m_models[ns + QLatin1Char('/') + name + QLatin1Char(':') + tag].manifest = json;
}

QByteArray ModelHub::manifest(const QString &ns, const QString &name, const QString &tag) const {
    return m_models.value(ns + QLatin1Char('/') + name + QLatin1Char(':') + tag).manifest;
}

// ---- faults and records ----

QString ModelHub::faultKey(const QString &file) const {
    if (file.startsWith(QLatin1String("sha256:")))
        return file.toLower();
    const auto lfs = m_lfsPathSha.constFind(file);
    return lfs == m_lfsPathSha.cend() ? file : QStringLiteral("sha256:") + QString::fromLatin1(*lfs);
}

void ModelHub::addFault(const QString &file, Fault fault) {
    if (fault.remaining > 0)
        m_faults[faultKey(file)].append(fault);
}

void ModelHub::corrupt(const QString &file, int times) {
    addFault(file, {Fault::Kind::Corrupt, 0, times});
}

void ModelHub::truncate(const QString &file, int times) {
    addFault(file, {Fault::Kind::Truncate, 0, times});
}

void ModelHub::stallAfter(const QString &file, qint64 bytes, int times) {
    addFault(file, {Fault::Kind::Stall, bytes, times});
}

int ModelHub::downloads(const QString &file) const {
    return int(m_ranges.value(faultKey(file)).size());
}

QList<QByteArray> ModelHub::ranges(const QString &file) const {
    return m_ranges.value(faultKey(file));
}

void ModelHub::serveBytes(const RecordedRequest &request, Responder &responder, const HubFile &file, const QString &key,
                          TestHeaders headers) {
    GeneratedResponse spec;
    if (file.generatedSize >= 0)
        spec.size = file.generatedSize;
    else
        spec.content = file.content;
    spec.headers = std::move(headers);
    if (request.method == "GET") {
        const QByteArray rangeHeader = request.header("Range");
        m_ranges[key].append(rangeHeader);
        const auto faults = m_faults.find(key);
        const std::optional<ByteRange> range = parseByteRange(rangeHeader, file.size());
        if (faults != m_faults.end() && !(range && range->unsatisfiable)) {
            const qint64 first = range ? range->first : 0;
            const qint64 length = range ? range->last - range->first + 1 : file.size();
            Fault &fault = faults->first();
            if (fault.kind == Fault::Kind::Corrupt && length > 0)
                spec.corruptAt = first + length / 2;
            else if (fault.kind == Fault::Kind::Truncate)
                spec.dieAfter = length / 2;
            else if (fault.kind == Fault::Kind::Stall)
                spec.stallAfter = fault.bytes;
            if (--fault.remaining <= 0)
                faults->removeFirst();
            if (faults->isEmpty())
                m_faults.erase(faults);
        }
    }
    responder.sendGenerated(spec);
}

// ---- signed URLs ----

QByteArray ModelHub::sign(const QByteArray &what) const {
    return QCryptographicHash::hash(m_secret + '\n' + what, QCryptographicHash::Sha256);
}

QByteArray ModelHub::cdnUrl(const QString &repo, const HubFile &file) const {
    const QByteArray repoHash = sha256Hex(repo.toUtf8());
    const QByteArray path =
        "/repos/" + repoHash.left(2) + '/' + repoHash.mid(2, 2) + '/' + repoHash + '/' + file.sha256Hex();
    const QString name = file.path.section(QLatin1Char('/'), -1);
    const QByteArray disposition = "inline; filename*=UTF-8''" + QUrl::toPercentEncoding(name) + "; filename=\"" +
                                   name.toLatin1().replace('"', '_') + "\";";
    const QByteArray query =
        "response-content-disposition=" + QUrl::toPercentEncoding(disposition) +
        "&response-content-type=application%2Foctet-stream&Expires=" + QByteArray::number(nowSecs() + kUrlLifetimeSecs);
    // CloudFront's URL-safe base64 alphabet.
    const QByteArray signature =
        sign(path + '?' + query).toBase64().replace('+', '-').replace('=', '_').replace('/', '~');
    return "https://cdn-lfs.hf.co" + path + '?' + query + "&Signature=" + signature + "&Key-Pair-Id=K3TESTHUBPAIR";
}

QByteArray ModelHub::storageUrl(const QByteArray &sha256) const {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QByteArray date = now.toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
    const QByteArray path = kStoragePrefix + sha256.left(2) + '/' + sha256 + "/data";
    const QByteArray credential = sha256Hex(m_secret).left(32);
    const QByteArray query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + credential + "%2F" + date.left(8) +
                             "%2Fauto%2Fs3%2Faws4_request&X-Amz-Date=" + date +
                             "&X-Amz-Expires=1200&X-Amz-SignedHeaders=host";
    return kStorageOrigin + path + '?' + query + "&X-Amz-Signature=" + sign(path + '?' + query).toHex();
}

// ---- routing ----

bool ModelHub::handle(const RecordedRequest &request, Responder &responder) {
    if (request.method != "GET" && request.method != "HEAD")
        return false;
    const QByteArray host = requestHost(request);
    if (host == "huggingface.co")
        return handleHub(request, responder);
    if (host == "cdn-lfs.hf.co" || host == "cdn-lfs.huggingface.co")
        return handleCdn(request, responder);
    if (host == kRegistry)
        return handleRegistry(request, responder);
    if (host == "blobs.r2.cloudflarestorage.com")
        return handleStorage(request, responder);
    return false;
}

TestHandler ModelHub::handler() {
    return [this](const RecordedRequest &request, Responder &responder) {
        if (!handle(request, responder))
            TestUpstream::standardRoutes(request, responder);
    };
}

// ---- Hugging Face ----

const ModelHub::HfRepo *ModelHub::findRepo(const QString &id) const {
    const auto it = m_repos.constFind(id);
    return it == m_repos.cend() ? nullptr : &*it;
}

// A branch or tag name, or a commit of the repo's history as itself.
bool ModelHub::findCommit(const HfRepo &repo, const QString &rev, QString *commit) const {
    const auto ref = repo.refs.constFind(rev);
    if (ref != repo.refs.cend()) {
        *commit = *ref;
        return true;
    }
    if (repo.commits.contains(rev)) {
        *commit = rev;
        return true;
    }
    return false;
}

bool ModelHub::handleHub(const RecordedRequest &request, Responder &responder) {
    const QList<QByteArray> s = request.path().split('/');
    // /api/models/{org}/{repo}[/revision/{rev} | /tree/{rev}[/{dir}]]
    if (s.size() >= 5 && s[1] == "api" && s[2] == "models") {
        const QString id = decoded(s[3]) + QLatin1Char('/') + decoded(s[4]);
        const bool tree = s.size() >= 7 && s[5] == "tree";
        if (tree && m_rawTrees.contains(id)) {
            replyJson(responder, 200, m_rawTrees.value(id));
            return true;
        }
        const bool revision = s.size() >= 7 && s[5] == "revision";
        if (!(s.size() == 5 || revision || tree))
            return false;
        const HfRepo *repo = findRepo(id);
        if (!repo) {
            repoNotFound(responder, true);
            return true;
        }
        const QString rev = s.size() == 5 ? QStringLiteral("main") : revision ? joinDecoded(s, 6) : decoded(s[6]);
        QString commit;
        if (!findCommit(*repo, rev, &commit)) {
            hubError(responder, 404, "RevisionNotFound", "Invalid rev id: " + rev.toUtf8(), true);
            return true;
        }
        if (tree)
            hfTree(request, *repo, commit, s, responder);
        else
            hfRevision(*repo, commit, responder);
        return true;
    }
    // /{org}/{repo}/resolve/{rev}/{path}
    if (s.size() >= 6 && s[3] == "resolve") {
        const HfRepo *repo = findRepo(decoded(s[1]) + QLatin1Char('/') + decoded(s[2]));
        if (!repo) {
            repoNotFound(responder, false);
            return true;
        }
        QString commit;
        if (!findCommit(*repo, decoded(s[4]), &commit)) {
            hubError(responder, 404, "RevisionNotFound", "Invalid rev id: " + decoded(s[4]).toUtf8(), false);
            return true;
        }
        hfResolve(request, *repo, commit, joinDecoded(s, 5), responder);
        return true;
    }
    return false;
}

void ModelHub::hfRevision(const HfRepo &repo, const QString &commit, Responder &responder) {
    QByteArray siblings;
    qint64 storage = 0;
    for (const HubFile &f : repo.commits.value(commit)) {
        siblings += (siblings.isEmpty() ? "" : ",") + QByteArray("{\"rfilename\":") + jsonString(f.path) + '}';
        storage += f.size();
    }
    const QString author = repo.id.section(QLatin1Char('/'), 0, 0);
    const QByteArray json =
        "{\"_id\":\"" + sha1Hex(repo.id.toUtf8()).left(24) + "\",\"id\":" + jsonString(repo.id) +
        ",\"modelId\":" + jsonString(repo.id) + ",\"author\":" + jsonString(author) + ",\"sha\":\"" +
        commit.toLatin1() +
        "\",\"lastModified\":\"2026-01-01T00:00:00.000Z\",\"private\":false,\"disabled\":false,"
        "\"gated\":false,\"downloads\":0,\"likes\":0,\"tags\":[],\"siblings\":[" +
        siblings + "],\"createdAt\":\"2025-01-01T00:00:00.000Z\",\"usedStorage\":" + QByteArray::number(storage) + '}';
    replyJson(responder, 200, json);
}

void ModelHub::hfTree(const RecordedRequest &request, const HfRepo &repo, const QString &commit,
                      const QList<QByteArray> &raw, Responder &responder) {
    const QString dir = joinDecoded(raw, 7);
    const QByteArray recursiveRaw = queryValue(request.query(), "recursive");
    const bool recursive = recursiveRaw.compare("true", Qt::CaseInsensitive) == 0 || recursiveRaw == "1";

    // Every entry under dir, folders implied by the file paths, in path order (a folder before
    // what it holds).
    QMap<QString, const HubFile *> entries;
    const QList<HubFile> files = repo.commits.value(commit);
    bool dirExists = dir.isEmpty();
    const QString prefix = dir.isEmpty() ? QString() : dir + QLatin1Char('/');
    for (const HubFile &f : files) {
        if (!f.path.startsWith(prefix))
            continue;
        dirExists = true;
        const QStringList rest = f.path.mid(prefix.size()).split(QLatin1Char('/'));
        QString path = prefix;
        for (qsizetype i = 0; i + 1 < rest.size() && (recursive || i == 0); ++i) {
            path += rest[i];
            entries.insert(path, nullptr);
            path += QLatin1Char('/');
        }
        if (recursive || rest.size() == 1)
            entries.insert(f.path, &f);
    }
    if (!dirExists) {
        hubError(responder, 404, "EntryNotFound", "Entry not found", true);
        return;
    }

    qint64 start = 0;
    const QByteArray cursor = queryValue(request.query(), "cursor");
    if (!cursor.isEmpty()) {
        bool ok = false;
        start = QByteArray::fromBase64(QUrl::fromPercentEncoding(cursor).toLatin1()).toLongLong(&ok);
        if (!ok || start <= 0 || start >= entries.size()) {
            replyJson(responder, 400, "{\"error\":\"Invalid cursor\"}");
            return;
        }
    }
    QByteArray json = "[";
    qint64 index = 0;
    for (auto it = entries.cbegin(); it != entries.cend() && index < start + m_treePageSize; ++it, ++index) {
        if (index < start)
            continue;
        json += index > start ? "," : "";
        const HubFile *f = it.value();
        if (!f) {
            json += "{\"type\":\"directory\",\"oid\":\"" +
                    sha1Hex("tree " + commit.toUtf8() + '/' + it.key().toUtf8()) +
                    "\",\"size\":0,\"path\":" + jsonString(it.key()) + '}';
            continue;
        }
        json += "{\"type\":\"file\",\"oid\":\"" + (f->lfs ? f->pointerOidHex() : f->gitOidHex()) +
                "\",\"size\":" + QByteArray::number(f->size());
        if (f->lfs)
            json += ",\"lfs\":{\"oid\":\"" + f->sha256Hex() + "\",\"size\":" + QByteArray::number(f->size()) +
                    ",\"pointerSize\":" + QByteArray::number(f->lfsPointer().size()) + '}';
        json += ",\"path\":" + jsonString(f->path) + '}';
    }
    json += ']';
    TestHeaders headers;
    if (index < entries.size()) {
        QByteArray next = kHubOrigin + request.path() + '?';
        if (!recursiveRaw.isEmpty())
            next += "recursive=" + recursiveRaw + '&';
        next += "cursor=" + QUrl::toPercentEncoding(QString::fromLatin1(QByteArray::number(index).toBase64()));
        headers.emplaceBack("Link", '<' + next + ">; rel=\"next\"");
    }
    replyJson(responder, 200, json, headers);
}

void ModelHub::hfResolve(const RecordedRequest &request, const HfRepo &repo, const QString &commit, const QString &path,
                         Responder &responder) {
    const QList<HubFile> files = repo.commits.value(commit);
    const auto file = std::find_if(files.cbegin(), files.cend(), [&](const HubFile &f) { return f.path == path; });
    if (file == files.cend()) {
        hubError(responder, 404, "EntryNotFound", "Entry not found", false);
        return;
    }
    TestHeaders headers{{"X-Repo-Commit", commit.toLatin1()}};
    if (!file->lfs) {
        headers.emplaceBack("Content-Type", kText);
        headers.emplaceBack("ETag", '"' + file->gitOidHex() + '"');
        serveBytes(request, responder, *file, file->path, headers);
        return;
    }
    const QByteArray location = cdnUrl(repo.id, *file);
    headers.emplaceBack("Content-Type", kText);
    headers.emplaceBack("ETag", '"' + file->pointerOidHex() + '"');
    headers.emplaceBack("X-Linked-Size", QByteArray::number(file->size()));
    if (!m_omitLinkedEtag)
        headers.emplaceBack("X-Linked-Etag", '"' + file->sha256Hex() + '"');
    headers.emplaceBack("Location", location);
    responder.reply(302, headers, "Found. Redirecting to " + location);
}

bool ModelHub::handleCdn(const RecordedRequest &request, Responder &responder) {
    // /repos/{aa}/{bb}/{repo hash}/{sha256}?…&Expires=…&Signature=…&Key-Pair-Id=…
    const QList<QByteArray> s = request.path().split('/');
    if (s.size() != 6 || s[1] != "repos")
        return false;
    const QByteArray query = request.query();
    const qsizetype signatureAt = query.indexOf("&Signature=");
    const QByteArray expected = sign(request.path() + '?' + query.left(signatureAt))
                                    .toBase64()
                                    .replace('+', '-')
                                    .replace('=', '_')
                                    .replace('/', '~');
    if (signatureAt < 0 || queryValue(query, "Signature") != expected) {
        storageError(responder, 403, "AccessDenied", "Access denied");
        return true;
    }
    if (queryValue(query, "Expires").toLongLong() < nowSecs()) {
        storageError(responder, 403, "AccessDenied", "Request has expired");
        return true;
    }
    const auto object = m_objects.constFind(s[5]);
    if (object == m_objects.cend()) {
        storageError(responder, 404, "NoSuchKey", "The specified key does not exist.");
        return true;
    }
    serveBytes(request, responder, *object, QStringLiteral("sha256:") + QString::fromLatin1(s[5]),
               {{"ETag", '"' + object->sha256Hex() + '"'}});
    return true;
}

// ---- Ollama ----

bool ModelHub::authorized(const RecordedRequest &request, const QString &repository, Responder &responder) const {
    if (!m_requireToken)
        return true;
    const QByteArray authorization = request.header("Authorization");
    const QByteArray scope = repository.isEmpty() ? QByteArray() : "repository:" + repository.toUtf8() + ":pull";
    if (authorization.startsWith("Bearer ")) {
        const auto token = m_tokens.constFind(QString::fromLatin1(authorization.mid(7).trimmed()));
        if (token != m_tokens.cend() && (scope.isEmpty() || token->toUtf8() == scope))
            return true;
    }
    QByteArray challenge = "Bearer realm=\"https://" + kRegistry + "/v2/token\",service=\"" + kRegistry + '"';
    if (!scope.isEmpty())
        challenge += ",scope=\"" + scope + '"';
    registryError(responder, 401, "UNAUTHORIZED", "authentication required", {{"WWW-Authenticate", challenge}});
    return false;
}

void ModelHub::issueToken(const RecordedRequest &request, Responder &responder) {
    const QByteArray service = QUrl::fromPercentEncoding(queryValue(request.query(), "service")).toUtf8();
    if (service != kRegistry) {
        registryError(responder, 400, "UNSUPPORTED", "unknown service");
        return;
    }
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString token = QStringLiteral("tk-");
    for (int i = 0; i < 24; ++i)
        token += QLatin1Char(kAlphabet[QRandomGenerator::global()->bounded(int(sizeof(kAlphabet) - 1))]);
    m_tokens.insert(token, QUrl::fromPercentEncoding(queryValue(request.query(), "scope")));
    ++m_tokensIssued;
    replyJson(responder, 200, "{\"token\":\"" + token.toLatin1() + "\"}");
}

bool ModelHub::handleRegistry(const RecordedRequest &request, Responder &responder) {
    const QByteArray path = request.path();
    if (path == "/v2/token") {
        issueToken(request, responder);
        return true;
    }
    if (path == "/v2/" || path == "/v2") {
        if (authorized(request, {}, responder))
            replyJson(responder, 200, "{}", {{"Docker-Distribution-Api-Version", "registry/2.0"}});
        return true;
    }
    // /v2/{ns}/{name}/manifests/{tag or digest}, /v2/{ns}/{name}/blobs/sha256:{hex}
    const QList<QByteArray> s = path.split('/');
    if (s.size() != 6 || s[1] != "v2" || (s[4] != "manifests" && s[4] != "blobs"))
        return false;
    const QString repository = decoded(s[2]) + QLatin1Char('/') + decoded(s[3]);
    if (!authorized(request, repository, responder))
        return true;
    const QString reference = decoded(s[5]);
    const QString modelPrefix = repository + QLatin1Char(':');
    if (s[4] == "manifests") {
        for (auto it = m_models.cbegin(); it != m_models.cend(); ++it) {
            if (!it.key().startsWith(modelPrefix))
                continue;
            const QByteArray digest = "sha256:" + sha256Hex(it->manifest);
            if (it.key().mid(modelPrefix.size()) != reference && digest != reference.toLatin1())
                continue;
            responder.reply(200,
                            {{"Content-Type", kManifestType},
                             {"Docker-Content-Digest", digest},
                             {"ETag", '"' + digest + '"'},
                             {"Docker-Distribution-Api-Version", "registry/2.0"}},
                            it->manifest);
            return true;
        }
        registryError(responder, 404, "MANIFEST_UNKNOWN", "manifest unknown");
        return true;
    }
    const QByteArray hex = reference.toLatin1().mid(7);
    bool known = false;
    if (reference.startsWith(QLatin1String("sha256:")) && isHex(hex, 64) && m_objects.contains(hex)) {
        for (auto it = m_models.cbegin(); it != m_models.cend() && !known; ++it)
            known = it.key().startsWith(modelPrefix) && it->blobs.contains(hex);
    }
    if (!known) {
        registryError(responder, 404, "BLOB_UNKNOWN", "blob unknown to registry");
        return true;
    }
    const QByteArray location = storageUrl(hex);
    responder.reply(307,
                    {{"Content-Type", "text/html; charset=utf-8"},
                     {"Location", location},
                     {"Docker-Distribution-Api-Version", "registry/2.0"}},
                    "<a href=\"" + QByteArray(location).replace('&', "&amp;") + "\">Temporary Redirect</a>.\n");
    return true;
}

bool ModelHub::handleStorage(const RecordedRequest &request, Responder &responder) {
    // /ollama/docker/registry/v2/blobs/sha256/{aa}/{hex}/data?X-Amz-…&X-Amz-Signature=…
    const QByteArray path = request.path();
    if (!path.startsWith(kStoragePrefix) || !path.endsWith("/data"))
        return false;
    const QList<QByteArray> s = path.mid(kStoragePrefix.size()).split('/');
    if (s.size() != 3 || !isHex(s[1], 64) || s[0] != s[1].left(2))
        return false;
    if (request.hasHeader("Authorization")) {
        storageError(responder, 400, "InvalidArgument",
                     "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query "
                     "string parameter or the Authorization header should be specified");
        return true;
    }
    const QByteArray query = request.query();
    const qsizetype signatureAt = query.indexOf("&X-Amz-Signature=");
    if (signatureAt < 0 || queryValue(query, "X-Amz-Signature") != sign(path + '?' + query.left(signatureAt)).toHex()) {
        storageError(responder, 403, "SignatureDoesNotMatch",
                     "The request signature we calculated does not match the signature you provided.");
        return true;
    }
    QDateTime issued = QDateTime::fromString(QString::fromLatin1(queryValue(query, "X-Amz-Date")),
                                             QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    issued.setTimeZone(QTimeZone::utc()); // the same wall-clock time, read as UTC
    if (!issued.isValid() || issued.toSecsSinceEpoch() + queryValue(query, "X-Amz-Expires").toLongLong() < nowSecs()) {
        storageError(responder, 403, "AccessDenied", "Request has expired");
        return true;
    }
    const auto object = m_objects.constFind(s[1]);
    if (object == m_objects.cend()) {
        storageError(responder, 404, "NoSuchKey", "The specified key does not exist.");
        return true;
    }
    serveBytes(request, responder, *object, QStringLiteral("sha256:") + QString::fromLatin1(s[1]), {});
    return true;
}

} // namespace airlock::test
