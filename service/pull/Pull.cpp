#include "pull/Pull.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTimer>

#include <fcntl.h>
#include <unistd.h>

namespace airlock {

namespace {

const QString kPartialFolder = QStringLiteral(".airlock-partial");
const QString kRecordName = QStringLiteral("airlock-pull.json");

QString isoTime(const QDateTime &t) {
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonObject errorJson(const PullError &error) {
    QJsonObject o;
    o.insert(QStringLiteral("code"), codeName(error.code));
    o.insert(QStringLiteral("message"), error.message);
    return o;
}

QJsonObject fileJson(const PlannedFile &f) {
    QJsonObject o;
    o.insert(QStringLiteral("path"), f.path);
    o.insert(QStringLiteral("size"), f.size);
    o.insert(QStringLiteral("digest"), QString::fromLatin1(f.digest));
    o.insert(QStringLiteral("digest_kind"), digestKindName(f.kind));
    return o;
}

} // namespace

QString pullStateName(PullState state) {
    switch (state) {
    case PullState::Queued:
        return QStringLiteral("queued");
    case PullState::Downloading:
        return QStringLiteral("downloading");
    case PullState::Publishing:
        return QStringLiteral("publishing");
    case PullState::Published:
        return QStringLiteral("published");
    case PullState::Failed:
        return QStringLiteral("failed");
    case PullState::Cancelled:
        return QStringLiteral("cancelled");
    case PullState::Stopped:
        return QStringLiteral("stopped");
    case PullState::Interrupted:
        return QStringLiteral("interrupted");
    }
    return QStringLiteral("failed");
}

std::optional<PullState> pullStateFromName(QStringView name) {
    for (PullState s : {PullState::Queued, PullState::Downloading, PullState::Publishing, PullState::Published,
                        PullState::Failed, PullState::Cancelled, PullState::Stopped, PullState::Interrupted})
        if (pullStateName(s) == name)
            return s;
    return std::nullopt;
}

bool isRunning(PullState state) {
    return state == PullState::Queued || state == PullState::Downloading || state == PullState::Publishing;
}

Pull::Pull(const PullContext &context, QString id, PullPlan plan, QStringList include, QStringList exclude,
           QObject *parent)
    : QObject(parent)
    , m_ctx(context)
    , m_id(std::move(id))
    , m_plan(std::move(plan))
    , m_include(std::move(include))
    , m_exclude(std::move(exclude))
    , m_created(QDateTime::currentDateTimeUtc()) {
    for (const PlannedFile &f : std::as_const(m_plan.files)) {
        PullFileProgress progress;
        progress.file = f;
        m_files.append(progress);
    }
}

QString Pull::host() const {
    return m_plan.source.kind == PullSource::Kind::Ollama ? QStringLiteral("registry.ollama.ai")
                                                          : QStringLiteral("huggingface.co");
}

qint64 Pull::bytesDone() const {
    qint64 sum = 0;
    for (const PullFileProgress &f : m_files)
        sum += f.done;
    return sum;
}

int Pull::filesVerified() const {
    int n = 0;
    for (const PullFileProgress &f : m_files)
        n += f.verified ? 1 : 0;
    return n;
}

QString Pull::currentFile() const {
    return m_downloads.isEmpty() ? QString() : m_downloads.last()->file().path;
}

void Pull::adoptRequestIds(const QStringList &ids) {
    m_requestIds.append(ids);
    m_requestSerial += int(ids.size());
}

QString Pull::nextRequestId() {
    const QString id = m_id + QLatin1Char('.') + QString::number(++m_requestSerial);
    if (m_requestIds.size() < 100'000)
        m_requestIds.append(id);
    return id;
}

void Pull::setQueued() {
    setState(PullState::Queued);
}

void Pull::setState(PullState state) {
    m_state = state;
    QString error;
    save(&error); // a pull that cannot be saved still runs; a restart then does not know it
    Q_EMIT stateChanged(state);
}

void Pull::run(const QByteArray &authorization) {
    m_authorization = authorization;
    m_error = PullError{};
    m_started = QDateTime::currentDateTimeUtc();
    m_finished = QDateTime();
    QString error;
    m_pullDir = safefs::openRoot(m_ctx.pullDir, &error);
    if (m_pullDir.isValid())
        m_partial = safefs::openDir(m_pullDir.get(), kPartialFolder + QLatin1Char('/') + m_id, true, &error);
    if (!m_partial.isValid())
        return finish(PullState::Failed, PullError{ErrorCode::UnsafePath, error});
    for (PullFileProgress &f : m_files) {
        f.error.clear();
        f.retries = 0;
        // A file verified before this run must still be there whole; otherwise it is fetched again.
        if (f.verified && partialSize(f.file.path) != f.file.size) {
            f.verified = false;
            f.done = 0;
        }
    }
    m_bytesAtStart = bytesDone();
    m_runTimer.start();
    m_rateSamples.clear();
    m_rateSamples.emplace_back(0, m_bytesAtStart);
    setState(PullState::Downloading);
    startMore();
}

qint64 Pull::partialSize(const QString &path) const {
    return partialSizeIn(m_partial.get(), path);
}

qint64 Pull::partialSizeIn(int partialRoot, const QString &path) {
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    QString ignored;
    const Fd dir = safefs::openDir(partialRoot, slash < 0 ? QString() : path.left(slash), false, &ignored);
    if (!dir.isValid())
        return -1;
    const Fd file = safefs::openFile(dir.get(), path.mid(slash + 1), false, &ignored);
    return file.isValid() ? qint64(::lseek(file.get(), 0, SEEK_END)) : -1;
}

qint64 Pull::bytesLeft() const {
    if (m_state == PullState::Published)
        return 0;
    QString ignored;
    const Fd root = safefs::openRoot(m_ctx.pullDir, &ignored);
    const Fd partial =
        root.isValid() ? safefs::openDir(root.get(), kPartialFolder + QLatin1Char('/') + m_id, false, &ignored) : Fd();
    qint64 left = 0;
    for (const PullFileProgress &f : m_files) {
        const qint64 onDisk = partial.isValid() ? partialSizeIn(partial.get(), f.file.path) : -1;
        left += f.file.size - (onDisk >= 0 && onDisk <= f.file.size ? onDisk : 0);
    }
    return left;
}

void Pull::startMore() {
    if (m_state != PullState::Downloading)
        return;
    const int parallel = qMax(1, m_ctx.policy()->pulls.maxParallel);
    for (qsizetype i = 0; i < m_files.size() && m_downloads.size() < parallel; ++i) {
        PullFileProgress &f = m_files[i];
        if (f.verified)
            continue;
        bool active = false;
        for (FileDownload *d : std::as_const(m_downloads))
            active = active || d->file().path == f.file.path;
        if (active)
            continue;
        auto *download = new FileDownload(
            m_ctx, [this] { return nextRequestId(); }, m_partial.get(), f.file, m_authorization, this);
        m_downloads.append(download);
        connect(download, &FileDownload::progress, this, [this, i](qint64 onDisk) {
            m_files[i].done = onDisk;
            noteProgress();
            Q_EMIT progress(bytesDone(), bytesTotal());
        });
        connect(download, &FileDownload::finished, this,
                [this, download](const PullError &error) { onFileFinished(download, error); });
        download->start();
        if (m_state != PullState::Downloading)
            return;
    }
    if (m_downloads.isEmpty() && filesVerified() == m_files.size())
        publish();
}

void Pull::onFileFinished(FileDownload *download, const PullError &error) {
    m_downloads.removeOne(download);
    download->deleteLater();
    if (m_state != PullState::Downloading)
        return;
    PullFileProgress *f = nullptr;
    for (PullFileProgress &candidate : m_files)
        if (candidate.file.path == download->file().path)
            f = &candidate;
    if (!f)
        return;
    if (error.ok()) {
        // Not saved here: a restart hashes every unpublished file again anyway, and a listing of
        // thousands of empty files must not cost thousands of state-file writes.
        f->verified = true;
        f->done = f->file.size;
        Q_EMIT progress(bytesDone(), bytesTotal());
        return startMore();
    }
    if (error.code == ErrorCode::DigestMismatch) {
        // The bytes are not the file's: throw them away; one more try, then the pull fails.
        ++f->mismatches;
        f->done = 0;
        QString ignored;
        const qsizetype slash = f->file.path.lastIndexOf(QLatin1Char('/'));
        const Fd dir =
            safefs::openDir(m_partial.get(), slash < 0 ? QString() : f->file.path.left(slash), false, &ignored);
        if (dir.isValid())
            safefs::removeTree(dir.get(), f->file.path.mid(slash + 1), &ignored);
        if (f->mismatches < 2)
            return startMore();
    }
    if (error.code == ErrorCode::Lockdown || error.code == ErrorCode::Disabled) {
        // The Gate refused it because the Airlock closed meanwhile: stopped, not failed.
        return finish(PullState::Stopped, error);
    }
    const bool transient = error.code == ErrorCode::UpstreamFailed || error.code == ErrorCode::UpstreamTimeout ||
                           error.code == ErrorCode::UpstreamUnreachable;
    if (transient && ++f->retries <= kMaxRetries) {
        // A connection that broke off: go on from what is on disk, with a Range request.
        QTimer::singleShot(200 * f->retries, this, &Pull::startMore);
        return;
    }
    f->error = error.message;
    finish(PullState::Failed, error);
}

void Pull::stopDownloads() {
    const QList<FileDownload *> downloads = m_downloads;
    m_downloads.clear();
    for (FileDownload *d : downloads) {
        for (PullFileProgress &f : m_files)
            if (f.file.path == d->file().path)
                f.done = d->bytesOnDisk();
        d->abort();
        d->deleteLater();
    }
}

void Pull::halt(PullState why, const PullError &reason) {
    if (!isRunning(m_state))
        return;
    finish(why, reason);
}

void Pull::finish(PullState state, const PullError &error) {
    stopDownloads();
    m_error = error;
    m_finished = QDateTime::currentDateTimeUtc();
    m_partial = Fd();
    m_pullDir = Fd();
    setState(state);
    Q_EMIT ended();
}

QString Pull::publishRelativePath(const PullPlan &plan) {
    if (plan.source.kind == PullSource::Kind::Ollama)
        return QStringLiteral("ollama/manifests/registry.ollama.ai/%1/%2/%3")
            .arg(plan.source.ns, plan.source.name, plan.source.tag);
    return QStringLiteral("hf/%1/%2").arg(plan.source.repo, plan.revision);
}

bool Pull::alreadyPublished(int pullDirFd, const PullPlan &plan) {
    const QString rel = publishRelativePath(plan);
    const qsizetype slash = rel.lastIndexOf(QLatin1Char('/'));
    QString ignored;
    const Fd parent = safefs::openDir(pullDirFd, rel.left(slash), false, &ignored);
    return parent.isValid() && safefs::exists(parent.get(), rel.mid(slash + 1));
}

QByteArray Pull::pullRecordJson() const {
    QJsonObject o;
    o.insert(QStringLiteral("source"), m_plan.source.text());
    o.insert(QStringLiteral("pull_id"), m_id);
    o.insert(QStringLiteral("revision"), m_plan.revision);
    QJsonArray files;
    for (const PullFileProgress &f : m_files) {
        QJsonObject fo = fileJson(f.file);
        fo.insert(QStringLiteral("verified"),
                  f.file.kind == DigestKind::Sha256 ? QStringLiteral("sha256") : QStringLiteral("git-blob-sha1"));
        files.append(fo);
    }
    o.insert(QStringLiteral("files"), files);
    o.insert(QStringLiteral("total_bytes"), bytesTotal());
    o.insert(QStringLiteral("created"), isoTime(m_created));
    o.insert(QStringLiteral("started"), isoTime(m_started));
    o.insert(QStringLiteral("verified"), isoTime(QDateTime::currentDateTimeUtc()));
    o.insert(QStringLiteral("audit_request_ids"), QJsonArray::fromStringList(m_requestIds));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

void Pull::publish() {
    setState(PullState::Publishing);
    QString error;
    const bool ok = m_plan.source.kind == PullSource::Kind::Ollama ? publishOllama(&error) : publishHuggingFace(&error);
    if (!ok) {
        const bool exists = Pull::alreadyPublished(m_pullDir.get(), m_plan);
        return finish(PullState::Failed, PullError{exists ? ErrorCode::Conflict : ErrorCode::UnsafePath, error});
    }
    m_publishedPath = QDir(m_ctx.pullDir).filePath(publishRelativePath(m_plan));
    // The partial folder is empty now (Hugging Face: moved whole); remove what is left of it.
    QString ignored;
    const Fd partials = safefs::openDir(m_pullDir.get(), kPartialFolder, false, &ignored);
    if (partials.isValid())
        safefs::removeTree(partials.get(), m_id, &ignored);
    finish(PullState::Published);
}

bool Pull::publishHuggingFace(QString *error) {
    // The record goes in with the files, then the whole folder is moved into place in one
    // rename: a watcher of the destination sees no model, then the whole verified model.
    QString ignored;
    safefs::removeTree(m_partial.get(), kRecordName, &ignored); // left by a publish that failed
    if (!safefs::writeNewFile(m_partial.get(), kRecordName, pullRecordJson(), error))
        return false;
    ::fsync(m_partial.get());
    const Fd partials = safefs::openDir(m_pullDir.get(), kPartialFolder, false, error);
    const Fd parent = safefs::openDir(m_pullDir.get(), QStringLiteral("hf/") + m_plan.source.repo, true, error);
    if (!partials.isValid() || !parent.isValid())
        return false;
    if (!safefs::renameNoReplace(partials.get(), m_id, parent.get(), m_plan.revision, error))
        return false;
    ::fsync(parent.get());
    return true;
}

bool Pull::publishOllama(QString *error) {
    // Ollama's own store: blobs by digest (shared between models; one already there is the same
    // bytes by its name), then the manifest, which is what makes the model visible to Ollama:
    // it is moved into place last, in one rename.
    const PullSource &s = m_plan.source;
    QString ignored;
    safefs::removeTree(m_partial.get(), QStringLiteral("manifest"), &ignored); // left by a publish that failed
    if (!safefs::writeNewFile(m_partial.get(), QStringLiteral("manifest"), m_plan.manifest, error))
        return false;
    const Fd partialBlobs = safefs::openDir(m_partial.get(), QStringLiteral("blobs"), false, error);
    const Fd blobs = safefs::openDir(m_pullDir.get(), QStringLiteral("ollama/blobs"), true, error);
    if (!partialBlobs.isValid() || !blobs.isValid())
        return false;
    for (const PullFileProgress &f : std::as_const(m_files)) {
        const QString name = f.file.path.mid(f.file.path.lastIndexOf(QLatin1Char('/')) + 1);
        if (safefs::exists(blobs.get(), name))
            continue;
        if (!safefs::renameNoReplace(partialBlobs.get(), name, blobs.get(), name, error))
            return false;
    }
    ::fsync(blobs.get());
    const Fd records = safefs::openDir(
        m_pullDir.get(), QStringLiteral("ollama/airlock-pulls/registry.ollama.ai/%1/%2/%3").arg(s.ns, s.name, s.tag),
        true, error);
    if (!records.isValid())
        return false;
    safefs::removeTree(records.get(), kRecordName, &ignored);
    if (!safefs::writeNewFile(records.get(), kRecordName, pullRecordJson(), error))
        return false;
    const Fd manifests = safefs::openDir(
        m_pullDir.get(), QStringLiteral("ollama/manifests/registry.ollama.ai/%1/%2").arg(s.ns, s.name), true, error);
    if (!manifests.isValid())
        return false;
    if (!safefs::renameNoReplace(m_partial.get(), QStringLiteral("manifest"), manifests.get(), s.tag, error))
        return false;
    ::fsync(manifests.get());
    return true;
}

bool Pull::discardPartials(QString *error) {
    if (isRunning(m_state))
        return false;
    const Fd root = safefs::openRoot(m_ctx.pullDir, error);
    if (!root.isValid())
        return false;
    const Fd partials = safefs::openDir(root.get(), kPartialFolder, false, error);
    if (!partials.isValid())
        return true;
    if (!safefs::removeTree(partials.get(), m_id, error))
        return false;
    for (PullFileProgress &f : m_files)
        if (m_state != PullState::Published) {
            f.done = 0;
            f.verified = false;
        }
    return true;
}

// State file --------------------------------------------------------------------------------

QJsonObject Pull::toStateJson() const {
    QJsonObject o;
    o.insert(QStringLiteral("version"), 1);
    o.insert(QStringLiteral("id"), m_id);
    o.insert(QStringLiteral("source"), m_plan.source.text());
    o.insert(QStringLiteral("include"), QJsonArray::fromStringList(m_include));
    o.insert(QStringLiteral("exclude"), QJsonArray::fromStringList(m_exclude));
    o.insert(QStringLiteral("revision"), m_plan.revision);
    o.insert(QStringLiteral("manifest"), QString::fromLatin1(m_plan.manifest.toBase64()));
    o.insert(QStringLiteral("state"), pullStateName(m_state));
    if (!m_error.ok())
        o.insert(QStringLiteral("error"), errorJson(m_error));
    o.insert(QStringLiteral("created"), isoTime(m_created));
    o.insert(QStringLiteral("started"), isoTime(m_started));
    o.insert(QStringLiteral("finished"), isoTime(m_finished));
    o.insert(QStringLiteral("published_path"), m_publishedPath);
    o.insert(QStringLiteral("request_serial"), m_requestSerial);
    QJsonArray files;
    for (const PullFileProgress &f : m_files) {
        QJsonObject fo = fileJson(f.file);
        fo.insert(QStringLiteral("url"), f.file.url);
        fo.insert(QStringLiteral("verified"), f.verified);
        fo.insert(QStringLiteral("mismatches"), f.mismatches);
        files.append(fo);
    }
    o.insert(QStringLiteral("files"), files);
    return o;
}

Pull *Pull::fromStateJson(const PullContext &context, const QJsonObject &o, QString *error, QObject *parent) {
    const auto bad = [error](const QString &why) {
        *error = why;
        return nullptr;
    };
    QString sourceError;
    const std::optional<PullSource> source =
        parsePullSource(o.value(QStringLiteral("source")).toString(), &sourceError);
    if (!source)
        return bad(QStringLiteral("source: ") + sourceError);
    // The state folder is the service's own, but a file's names still go into paths: checked.
    static const QRegularExpression idShape(QStringLiteral("^pull-[0-9a-f]{24}$"));
    static const QRegularExpression commitShape(QStringLiteral("^[0-9a-f]{40}$"));
    static const QRegularExpression manifestShape(QStringLiteral("^sha256:[0-9a-f]{64}$"));
    const QString id = o.value(QStringLiteral("id")).toString();
    if (!idShape.match(id).hasMatch())
        return bad(QStringLiteral("not a pull id"));
    const QString revision = o.value(QStringLiteral("revision")).toString();
    if (!(source->kind == PullSource::Kind::Ollama ? manifestShape : commitShape).match(revision).hasMatch())
        return bad(QStringLiteral("not a revision"));
    const std::optional<PullState> state = pullStateFromName(o.value(QStringLiteral("state")).toString());
    if (!state)
        return bad(QStringLiteral("unknown state"));
    PullPlan plan;
    plan.source = *source;
    plan.revision = o.value(QStringLiteral("revision")).toString();
    plan.manifest = QByteArray::fromBase64(o.value(QStringLiteral("manifest")).toString().toLatin1());
    if (source->kind == PullSource::Kind::Ollama &&
        QStringLiteral("sha256:") +
                QString::fromLatin1(QCryptographicHash::hash(plan.manifest, QCryptographicHash::Sha256).toHex()) !=
            plan.revision)
        return bad(QStringLiteral("the manifest is not the one its revision names"));
    const PlanLimits limits;
    QList<bool> verified;
    QList<int> mismatches;
    for (const QJsonValue &v : o.value(QStringLiteral("files")).toArray()) {
        const QJsonObject fo = v.toObject();
        PlannedFile f;
        f.path = fo.value(QStringLiteral("path")).toString();
        f.size = qint64(fo.value(QStringLiteral("size")).toDouble(-1));
        f.kind = fo.value(QStringLiteral("digest_kind")).toString() == digestKindName(DigestKind::GitSha1)
                     ? DigestKind::GitSha1
                     : DigestKind::Sha256;
        f.digest = fo.value(QStringLiteral("digest")).toString().toLatin1();
        f.url = fo.value(QStringLiteral("url")).toString();
        QString why;
        if (!isSafeRelativePath(f.path, limits, &why) || f.size < 0 || f.digest.isEmpty() ||
            !f.url.startsWith(QLatin1String("https://")))
            return bad(QStringLiteral("file entry: ") + (why.isEmpty() ? QStringLiteral("incomplete") : why));
        plan.files.append(f);
        verified.append(fo.value(QStringLiteral("verified")).toBool());
        mismatches.append(fo.value(QStringLiteral("mismatches")).toInt());
    }
    QStringList include, exclude;
    for (const QJsonValue &v : o.value(QStringLiteral("include")).toArray())
        include.append(v.toString());
    for (const QJsonValue &v : o.value(QStringLiteral("exclude")).toArray())
        exclude.append(v.toString());
    auto *pull = new Pull(context, id, plan, include, exclude, parent);
    const bool published = *state == PullState::Published;
    for (qsizetype i = 0; i < pull->m_files.size(); ++i) {
        // What lay on disk while no airlockd watched it is hashed again before it is published:
        // a file verified in an earlier run is one more file to check, not to trust.
        pull->m_files[i].verified = published && verified[i];
        pull->m_files[i].mismatches = mismatches[i];
        pull->m_files[i].done = published ? pull->m_files[i].file.size : 0;
    }
    pull->m_state = *state;
    const QJsonObject e = o.value(QStringLiteral("error")).toObject();
    if (!e.isEmpty())
        pull->m_error =
            PullError{errorCodeFromName(e.value(QStringLiteral("code")).toString()).value_or(ErrorCode::UpstreamFailed),
                      e.value(QStringLiteral("message")).toString()};
    pull->m_created = QDateTime::fromString(o.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs);
    pull->m_started = QDateTime::fromString(o.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
    pull->m_finished = QDateTime::fromString(o.value(QStringLiteral("finished")).toString(), Qt::ISODateWithMs);
    pull->m_publishedPath = o.value(QStringLiteral("published_path")).toString();
    pull->m_requestSerial = o.value(QStringLiteral("request_serial")).toInt();
    return pull;
}

bool Pull::save(QString *error) const {
    const QString folder = QDir(m_ctx.stateDir).filePath(QStringLiteral("pulls"));
    if (!QDir().mkpath(folder)) {
        *error = QStringLiteral("cannot create %1").arg(folder);
        return false;
    }
    QSaveFile file(QDir(folder).filePath(m_id + QStringLiteral(".json")));
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    file.write(QJsonDocument(toStateJson()).toJson(QJsonDocument::Compact));
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

bool Pull::removeStateFile() const {
    return QFile::remove(QDir(m_ctx.stateDir).filePath(QStringLiteral("pulls/") + m_id + QStringLiteral(".json")));
}

// API view ------------------------------------------------------------------------------------

void Pull::noteProgress() {
    if (!m_runTimer.isValid())
        return;
    const qint64 now = m_runTimer.elapsed();
    // A few samples a second; in between, the newest one takes the bytes, so the last sample
    // always holds what is done (a stall then reads as no progress at all).
    if (!m_rateSamples.empty() && now - m_rateSamples.back().first < 250) {
        m_rateSamples.back().second = bytesDone();
        return;
    }
    m_rateSamples.emplace_back(now, bytesDone());
    // One sample older than the window stays: the baseline of a window that has just begun.
    while (m_rateSamples.size() > 2 && now - m_rateSamples[1].first > kRateWindowMs)
        m_rateSamples.pop_front();
}

double Pull::recentRate() const {
    if (!m_runTimer.isValid() || m_rateSamples.empty())
        return 0;
    const qint64 now = m_runTimer.elapsed();
    // The bytes at the window's start: those of the last sample at or before it (nothing was
    // sampled after it until the window began), over the whole window; a run younger than the
    // window counts from its first sample.
    qint64 baseAt = m_rateSamples.front().first;
    qint64 baseBytes = m_rateSamples.front().second;
    for (const auto &[at, bytes] : m_rateSamples) {
        if (now - at < kRateWindowMs)
            break;
        baseAt = now - kRateWindowMs;
        baseBytes = bytes;
    }
    const qint64 span = now - baseAt;
    return span > 0 ? double(bytesDone() - baseBytes) * 1000.0 / double(span) : 0;
}

QJsonObject Pull::toJson(bool withFiles) const {
    QJsonObject o;
    o.insert(QStringLiteral("id"), m_id);
    o.insert(QStringLiteral("source"), m_plan.source.text());
    o.insert(QStringLiteral("name"), displayName());
    o.insert(QStringLiteral("state"), pullStateName(m_state));
    o.insert(QStringLiteral("revision"), m_plan.revision);
    o.insert(QStringLiteral("include"), QJsonArray::fromStringList(m_include));
    o.insert(QStringLiteral("exclude"), QJsonArray::fromStringList(m_exclude));
    o.insert(QStringLiteral("bytes_total"), bytesTotal());
    const qint64 done = bytesDone();
    o.insert(QStringLiteral("bytes_done"), done);
    o.insert(QStringLiteral("files_total"), int(m_files.size()));
    o.insert(QStringLiteral("files_verified"), filesVerified());
    const double rate = m_state == PullState::Downloading ? recentRate() : 0;
    o.insert(QStringLiteral("rate"), qRound64(qMax(0.0, rate)));
    if (rate > 0)
        o.insert(QStringLiteral("eta_seconds"), qRound64(double(bytesTotal() - done) / rate));
    if (!currentFile().isEmpty())
        o.insert(QStringLiteral("current_file"), currentFile());
    if (!m_error.ok())
        o.insert(QStringLiteral("error"), errorJson(m_error));
    o.insert(QStringLiteral("created"), isoTime(m_created));
    if (m_started.isValid())
        o.insert(QStringLiteral("started"), isoTime(m_started));
    if (m_finished.isValid())
        o.insert(QStringLiteral("finished"), isoTime(m_finished));
    if (!m_publishedPath.isEmpty())
        o.insert(QStringLiteral("published_path"), m_publishedPath);
    if (withFiles) {
        QJsonArray files;
        for (const PullFileProgress &f : m_files) {
            QJsonObject fo = fileJson(f.file);
            fo.insert(QStringLiteral("done"), f.done);
            fo.insert(QStringLiteral("verified"), f.verified);
            if (!f.error.isEmpty())
                fo.insert(QStringLiteral("error"), f.error);
            files.append(fo);
        }
        o.insert(QStringLiteral("files"), files);
    }
    return o;
}

} // namespace airlock
