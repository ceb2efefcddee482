#include "pull/PullResolver.h"

#include "pull/PullFetch.h"

#include <QCryptographicHash>
#include <QSet>
#include <QUrl>

namespace airlock {

namespace {

const QString kHub = QStringLiteral("https://huggingface.co");
const QString kRegistry = QStringLiteral("https://registry.ollama.ai");
constexpr int kMaxTreePages = 1000;
const QByteArray kManifestAccept = "application/vnd.docker.distribution.manifest.v2+json, "
                                   "application/vnd.oci.image.manifest.v1+json";

ErrorCode hubErrorCode(HubError::Kind kind) {
    switch (kind) {
    case HubError::Kind::UnsafePath:
        return ErrorCode::UnsafePath;
    case HubError::Kind::NotFound:
        return ErrorCode::NotFound;
    case HubError::Kind::BadManifest:
        break;
    }
    return ErrorCode::BadManifest;
}

QString percentEncoded(const QString &segment) {
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

} // namespace

QString hfEncodePath(const QString &path) {
    QStringList parts = path.split(QLatin1Char('/'));
    for (QString &part : parts)
        part = percentEncoded(part);
    return parts.join(QLatin1Char('/'));
}

PullResolver::PullResolver(const PullContext &context, std::function<QString()> nextRequestId, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
    , m_nextId(std::move(nextRequestId)) {}

void PullResolver::resolve(const PullSource &source, const QStringList &include, const QStringList &exclude,
                           Done done) {
    m_source = source;
    m_include = include;
    m_exclude = exclude;
    m_done = std::move(done);
    m_plan = PullPlan{};
    m_plan.source = source;
    if (source.kind == PullSource::Kind::Ollama)
        ollamaManifest(false);
    else
        hfRevision();
}

void PullResolver::abort(ErrorCode code, const QString &message) {
    if (m_current)
        m_current->abort();
    fail(code, message);
}

void PullResolver::get(const QString &url, const HeaderList &headers, AnswerFn then) {
    ++m_requests;
    auto *fetch = new PullFetch(m_ctx, m_nextId(), this);
    m_current = fetch;
    auto answer = std::make_shared<Answer>();
    // One budget for every answer of the resolution: all pages of a listing together.
    const qint64 cap = m_ctx.maxListingBytes - m_listingBytes;
    connect(fetch, &PullFetch::responseStarted, this, [answer](int status, const HeaderList &h, qint64) {
        answer->status = status;
        answer->headers = h;
    });
    connect(fetch, &PullFetch::readyRead, this, [this, fetch, answer, cap] {
        if (m_finished)
            return;
        UpstreamFetch *f = fetch->fetch();
        while (f->bytesAvailable() > 0) {
            answer->body += f->read(qMin<qint64>(f->bytesAvailable(), cap + 1 - answer->body.size()));
            if (answer->body.size() > cap) {
                fetch->finish(TransferOutcome::Refused, ErrorCode::BadManifest);
                fetch->abort();
                fetch->deleteLater();
                return fail(ErrorCode::BadManifest, QStringLiteral("the upstream's listing is larger than %1 MiB")
                                                        .arg(m_ctx.maxListingBytes / (1024 * 1024)));
            }
        }
    });
    connect(fetch, &PullFetch::finished, this, [this, fetch, answer, then, cap] {
        if (m_finished)
            return;
        UpstreamFetch *f = fetch->fetch();
        while (f->bytesAvailable() > 0 && answer->body.size() <= cap)
            answer->body += f->read(qMin<qint64>(f->bytesAvailable(), cap + 1 - answer->body.size()));
        if (answer->body.size() > cap) {
            fetch->finish(TransferOutcome::Refused, ErrorCode::BadManifest);
            fetch->deleteLater();
            return fail(ErrorCode::BadManifest, QStringLiteral("the upstream's listing is larger than %1 MiB")
                                                    .arg(m_ctx.maxListingBytes / (1024 * 1024)));
        }
        m_listingBytes += answer->body.size();
        const bool recorded = fetch->finish(TransferOutcome::Complete);
        fetch->deleteLater();
        if (!recorded)
            return fail(ErrorCode::AuditUnavailable, QStringLiteral("audit log unavailable: pull stopped"));
        then(*answer);
    });
    connect(fetch, &PullFetch::failed, this, [this, fetch](const FetchError &error) {
        if (m_finished)
            return;
        fetch->finish(outcomeOf(error), error.code, error.ruleId);
        fetch->deleteLater();
        fail(error.code, error.message);
    });
    // Connected first: a refusal or failure at start is reported through the same signals.
    FetchError refused;
    if (!fetch->start(url, QStringLiteral("GET"), headers, &refused)) {
        fetch->deleteLater();
        return fail(refused.code, refused.message);
    }
}

void PullResolver::hfRevision() {
    const QString url = kHub + QStringLiteral("/api/models/") + m_source.repo + QStringLiteral("/revision/") +
                        percentEncoded(m_source.revision);
    get(url, {}, [this](const Answer &a) {
        if (a.status == 401 || a.status == 404)
            return fail(ErrorCode::NotFound, QStringLiteral("Hugging Face has no repository %1 with revision %2")
                                                 .arg(m_source.repo, m_source.revision));
        if (a.status != 200)
            return fail(ErrorCode::UpstreamFailed,
                        QStringLiteral("Hugging Face answered %1 for the revision").arg(a.status));
        HubError error;
        const std::optional<QString> commit = parseHfRevision(a.body, &error);
        if (!commit)
            return fail(error);
        m_plan.revision = *commit;
        QString tree = kHub + QStringLiteral("/api/models/") + m_source.repo + QStringLiteral("/tree/") + *commit;
        if (m_source.kind == PullSource::Kind::HuggingFaceFile) {
            const qsizetype slash = m_source.filePath.lastIndexOf(QLatin1Char('/'));
            if (slash > 0)
                tree += QLatin1Char('/') + hfEncodePath(m_source.filePath.left(slash));
            tree += QStringLiteral("?recursive=false");
        } else {
            tree += QStringLiteral("?recursive=true");
        }
        hfTreePage(tree);
    });
}

void PullResolver::hfTreePage(const QString &url) {
    get(url, {}, [this](const Answer &a) {
        if (a.status == 404)
            return fail(ErrorCode::NotFound,
                        QStringLiteral("Hugging Face lists no such folder in %1").arg(m_source.repo));
        if (a.status != 200)
            return fail(ErrorCode::UpstreamFailed,
                        QStringLiteral("Hugging Face answered %1 for the file list").arg(a.status));
        HubError error;
        if (!parseHfTreePage(a.body, m_limits, &m_tree, &error))
            return fail(error);
        if (m_tree.size() > m_limits.maxFiles)
            return fail(ErrorCode::BadManifest,
                        QStringLiteral("the repository lists more than %1 files").arg(m_limits.maxFiles));
        bool unreadable = false;
        const QByteArray next = nextPageLink(a.headers, &unreadable);
        if (unreadable) // it may have named more pages: the listing is not known whole
            return fail(ErrorCode::BadManifest, QStringLiteral("the file list's next-page link cannot be read"));
        if (next.isEmpty())
            return hfTreeDone();
        if (++m_pages >= kMaxTreePages)
            return fail(ErrorCode::BadManifest,
                        QStringLiteral("the file list has more than %1 pages").arg(kMaxTreePages));
        // The next page must be the hub's own listing of the same tree.
        const QUrl nextUrl = QUrl::fromEncoded(next, QUrl::StrictMode);
        if (!nextUrl.isValid() || nextUrl.scheme() != QLatin1String("https") ||
            nextUrl.host().compare(QLatin1String("huggingface.co"), Qt::CaseInsensitive) != 0 ||
            !nextUrl.path().startsWith(QStringLiteral("/api/models/") + m_source.repo + QStringLiteral("/tree/")))
            return fail(ErrorCode::BadManifest, QStringLiteral("the file list's next page is not on Hugging Face"));
        hfTreePage(QString::fromUtf8(next));
    });
}

void PullResolver::hfTreeDone() {
    HubError error;
    if (!checkHfTree(m_tree, m_limits, &error))
        return fail(error);
    for (const HfTreeFile &f : std::as_const(m_tree)) {
        if (m_source.kind == PullSource::Kind::HuggingFaceFile) {
            if (f.path != m_source.filePath)
                continue;
        } else if (!pullPathSelected(f.path, m_include, m_exclude)) {
            continue;
        }
        if (f.path == QLatin1String("airlock-pull.json"))
            return fail(ErrorCode::UnsafePath,
                        QStringLiteral("the repository has its own airlock-pull.json, the name of the pull's record"));
        PlannedFile file;
        file.path = f.path;
        file.size = f.size;
        file.kind = f.lfsSha256.isEmpty() ? DigestKind::GitSha1 : DigestKind::Sha256;
        file.digest = f.lfsSha256.isEmpty() ? f.gitOid : f.lfsSha256;
        file.url = kHub + QLatin1Char('/') + m_source.repo + QStringLiteral("/resolve/") + m_plan.revision +
                   QLatin1Char('/') + hfEncodePath(f.path);
        m_plan.files.append(file);
    }
    if (m_plan.files.isEmpty()) {
        if (m_source.kind == PullSource::Kind::HuggingFaceFile)
            return fail(ErrorCode::NotFound,
                        QStringLiteral("%1 has no file %2 at that revision").arg(m_source.repo, m_source.filePath));
        return fail(ErrorCode::NotFound,
                    QStringLiteral("no file of %1 matches the include and exclude patterns").arg(m_source.repo));
    }
    succeed();
}

void PullResolver::ollamaManifest(bool afterToken) {
    const QString url = kRegistry + QStringLiteral("/v2/") + m_source.ns + QLatin1Char('/') + m_source.name +
                        QStringLiteral("/manifests/") + m_source.tag;
    HeaderList headers{{"Accept", kManifestAccept}};
    if (!m_authorization.isEmpty())
        headers.append({"Authorization", m_authorization});
    get(url, headers, [this, afterToken](const Answer &a) {
        if (a.status == 401 && !afterToken) {
            const std::optional<BearerChallenge> challenge =
                parseBearerChallenge(headerValue(a.headers, "www-authenticate"));
            if (!challenge)
                return fail(ErrorCode::UpstreamFailed,
                            QStringLiteral("the registry asked for authentication the Airlock cannot give"));
            return ollamaToken(*challenge);
        }
        if (a.status == 404)
            return fail(ErrorCode::NotFound,
                        QStringLiteral("the Ollama registry has no model %1").arg(m_source.displayName()));
        if (a.status != 200)
            return fail(ErrorCode::UpstreamFailed,
                        QStringLiteral("the Ollama registry answered %1 for the manifest").arg(a.status));
        HubError error;
        const std::optional<OllamaManifest> manifest = parseOllamaManifest(a.body, m_limits, &error);
        if (!manifest)
            return fail(error);
        m_plan.manifest = a.body;
        m_plan.revision = QStringLiteral("sha256:") +
                          QString::fromLatin1(QCryptographicHash::hash(a.body, QCryptographicHash::Sha256).toHex());
        QSet<QByteArray> seen;
        QList<OllamaBlob> blobs{manifest->config};
        blobs.append(manifest->layers);
        for (const OllamaBlob &blob : std::as_const(blobs)) {
            if (seen.contains(blob.digestHex))
                continue;
            seen.insert(blob.digestHex);
            PlannedFile file;
            file.path = QStringLiteral("blobs/sha256-") + QString::fromLatin1(blob.digestHex);
            file.size = blob.size;
            file.kind = DigestKind::Sha256;
            file.digest = blob.digestHex;
            file.url = kRegistry + QStringLiteral("/v2/") + m_source.ns + QLatin1Char('/') + m_source.name +
                       QStringLiteral("/blobs/sha256:") + QString::fromLatin1(blob.digestHex);
            m_plan.files.append(file);
        }
        succeed();
    });
}

void PullResolver::ollamaToken(const BearerChallenge &challenge) {
    QUrl url(challenge.realm);
    QString query;
    if (!challenge.service.isEmpty())
        query += QStringLiteral("service=") + percentEncoded(challenge.service);
    if (!challenge.scope.isEmpty())
        query += (query.isEmpty() ? QString() : QStringLiteral("&")) + QStringLiteral("scope=") +
                 percentEncoded(challenge.scope);
    url.setQuery(query, QUrl::StrictMode);
    get(url.toString(QUrl::FullyEncoded), {}, [this](const Answer &a) {
        if (a.status != 200)
            return fail(ErrorCode::UpstreamFailed,
                        QStringLiteral("the registry's token service answered %1").arg(a.status));
        const std::optional<QByteArray> token = parseRegistryToken(a.body);
        if (!token)
            return fail(ErrorCode::UpstreamFailed, QStringLiteral("the registry's token service gave no usable token"));
        m_authorization = "Bearer " + *token;
        ollamaManifest(true);
    });
}

void PullResolver::fail(ErrorCode code, const QString &message) {
    if (m_finished)
        return;
    m_finished = true;
    if (m_done)
        m_done(m_plan, PullError{code, message});
}

void PullResolver::fail(const HubError &error) {
    fail(hubErrorCode(error.kind), error.message);
}

void PullResolver::succeed() {
    if (m_finished)
        return;
    m_finished = true;
    if (m_done)
        m_done(m_plan, PullError{});
}

} // namespace airlock
