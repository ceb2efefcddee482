#include "pull/PullManager.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <limits>

Q_LOGGING_CATEGORY(lcPull, "airlock.pull")

namespace airlock {

namespace {

constexpr qint64 kStateFileMax = 64 * 1024 * 1024;

// Room kept free beyond a pull's bytes: 64 MiB and 1 % of them.
qint64 spaceMargin(qint64 bytes) {
    return 64 * 1024 * 1024 + bytes / 100;
}

PullReply refusal(ErrorCode code, const QString &message) {
    return PullReply{code, message, {}, 0};
}

TransferOutcome outcomeOf(PullState state) {
    switch (state) {
    case PullState::Published:
        return TransferOutcome::Published;
    case PullState::Cancelled:
        return TransferOutcome::Cancelled;
    case PullState::Stopped:
    case PullState::Interrupted:
        return TransferOutcome::Stopped;
    default:
        return TransferOutcome::Failed;
    }
}

} // namespace

PullManager::PullManager(PullContext context, QObject *parent)
    : QObject(parent)
    , m_ctx(std::move(context))
    , m_writer(new QThread(this)) {
    // Pulled files are written and hashed here, so a slow disk never holds up the event loop.
    m_writer->setObjectName(QStringLiteral("pull-writer"));
    m_writer->start();
    m_ctx.writerThread = m_writer;
}

PullManager::~PullManager() {
    // The service is stopping: what runs is interrupted, its state saved as such.
    for (Pull *pull : std::as_const(m_pulls)) {
        disconnect(pull, nullptr, this, nullptr);
        pull->halt(PullState::Interrupted);
    }
    m_writer->quit();
    m_writer->wait();
}

QString PullManager::firstUrl(const PullSource &source) {
    // The URL the Gate judges for the whole pull, content rules included: it must hold every
    // part of the source that goes upstream (a resolve URL's file path names its folder).
    if (source.kind == PullSource::Kind::HuggingFaceFile)
        return source.text();
    if (source.kind == PullSource::Kind::Ollama)
        return QStringLiteral("https://registry.ollama.ai/v2/%1/%2/manifests/%3")
            .arg(source.ns, source.name, source.tag);
    return QStringLiteral("https://huggingface.co/api/models/%1/revision/%2")
        .arg(source.repo, QString::fromLatin1(QUrl::toPercentEncoding(source.revision)));
}

Pull *PullManager::find(const QString &id) const {
    for (Pull *pull : m_pulls)
        if (pull->id() == id)
            return pull;
    return nullptr;
}

QString PullManager::newId() const {
    quint32 words[3];
    QRandomGenerator::system()->fillRange(words);
    return QStringLiteral("pull-") +
           QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex());
}

int PullManager::activeCount() const {
    int n = 0;
    for (Pull *pull : m_pulls)
        n += pull->state() == PullState::Downloading || pull->state() == PullState::Publishing ? 1 : 0;
    return n;
}

qint64 PullManager::freeBytes() const {
    QString error;
    const Fd root = safefs::openRoot(m_ctx.pullDir, &error);
    return root.isValid() ? safefs::freeBytes(root.get()) : -1;
}

void PullManager::restore() {
    const QString folder = QDir(m_ctx.stateDir).filePath(QStringLiteral("pulls"));
    QDir dir(folder);
    const QStringList names = dir.entryList({QStringLiteral("pull-*.json")}, QDir::Files, QDir::Time | QDir::Reversed);
    for (const QString &name : names) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly) || file.size() > kStateFileMax) {
            qCWarning(lcPull, "cannot read pull state %s", qPrintable(file.fileName()));
            continue;
        }
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
        QString error;
        Pull *pull = doc.isObject() ? Pull::fromStateJson(m_ctx, doc.object(), &error, this) : nullptr;
        if (!pull) {
            qCWarning(lcPull, "ignoring pull state %s: %s", qPrintable(file.fileName()),
                      qPrintable(error.isEmpty() ? QStringLiteral("not JSON") : error));
            continue;
        }
        if (find(pull->id())) {
            delete pull;
            continue;
        }
        if (isRunning(pull->state())) {
            // It was running when the service stopped: listed as interrupted, resumed only when asked.
            pull->halt(PullState::Interrupted);
            record(EventKind::PullFinished, pull, QStringLiteral("restart"), TransferOutcome::Stopped);
        }
        adopt(pull);
    }
    prune();
}

bool PullManager::gateOpen() const {
    return m_ctx.policy()->enabled && !m_ctx.lockdown();
}

PullReply PullManager::closedRefusal() const {
    if (m_ctx.lockdown())
        return refusal(ErrorCode::Lockdown, QStringLiteral("airlock is in lockdown"));
    return refusal(ErrorCode::Disabled, QStringLiteral("airlock is disabled"));
}

qint64 PullManager::bytesOwedByOthers(const Pull *except) const {
    qint64 owed = 0;
    for (Pull *p : m_pulls)
        if (p != except && isRunning(p->state()))
            owed += qMax<qint64>(0, p->bytesTotal() - p->bytesDone());
    return owed;
}

PullResolver *PullManager::newResolver(std::function<QString()> nextRequestId) {
    auto *resolver = new PullResolver(m_ctx, std::move(nextRequestId), this);
    m_resolvers.removeAll(nullptr);
    m_resolvers.append(resolver);
    ++m_resolving;
    return resolver;
}

bool PullManager::recordDecision(const QString &id, const QString &url, const QString &source, const QString &by) {
    // Written before anything is sent, like a fetch's decision: no record, no pull.
    AuditRecord rec;
    rec.event = EventKind::Decision;
    rec.requestId = id;
    rec.method = QStringLiteral("GET");
    const UrlResult parsed = canonicalizeUrl(url);
    if (parsed.url) {
        rec.host = parsed.url->host;
        rec.path = parsed.url->path; // judged clean by the Gate's content rules just now
    }
    rec.verdict = Verdict::Allowed;
    rec.code = ErrorCode::None;
    rec.source = source;
    rec.by = by;
    return m_ctx.record(rec);
}

bool PullManager::admit(const QString &url, PullReply *refused) {
    // One request against the rate limit, with the same checks before it as any fetch:
    // lockdown, enabled, rate, the destination of the first request.
    EgressRequest request;
    request.url = url;
    request.method = QStringLiteral("GET");
    const Decision d = m_ctx.gate->evaluate(request, *m_ctx.policy(), GateState{m_ctx.lockdown()});
    if (d.allowed)
        return true;
    *refused = PullReply{d.code, d.message, {}, d.retryAfterSeconds};
    return false;
}

void PullManager::create(const PullRequest &request, Reply reply) {
    QString error;
    const std::optional<PullSource> source = parsePullSource(request.source, &error);
    if (!source)
        return reply(refusal(ErrorCode::BadRequest, error));
    if (request.include.size() > kMaxPatterns || request.exclude.size() > kMaxPatterns)
        return reply(refusal(ErrorCode::BadRequest,
                             QStringLiteral("at most %1 include and %1 exclude patterns").arg(kMaxPatterns)));
    for (const QStringList *list : {&request.include, &request.exclude})
        for (const QString &glob : *list)
            if (!isValidPullGlob(glob, &error))
                return reply(refusal(ErrorCode::BadRequest, error));
    if (source->kind != PullSource::Kind::HuggingFaceRepo && (!request.include.isEmpty() || !request.exclude.isEmpty()))
        return reply(
            refusal(ErrorCode::BadRequest, QStringLiteral("include and exclude apply to hf: repository pulls only")));
    if (!request.dryRun) {
        int unfinished = 0;
        for (Pull *p : std::as_const(m_pulls))
            unfinished += p->state() == PullState::Queued ? 1 : 0;
        if (unfinished >= kMaxWaiting)
            return reply(
                PullReply{ErrorCode::Busy, QStringLiteral("too many pulls are waiting; try again later"), {}, 30});
        int kept = 0;
        for (Pull *p : std::as_const(m_pulls))
            kept += isRunning(p->state()) || p->state() != PullState::Published ? 1 : 0;
        if (kept >= kMaxPulls)
            return reply(PullReply{ErrorCode::Busy,
                                   QStringLiteral("%1 pulls are kept unfinished; remove some first").arg(kMaxPulls),
                                   {},
                                   0});
    }
    if (m_resolving >= kMaxResolving)
        return reply(
            PullReply{ErrorCode::Busy, QStringLiteral("too many pulls are being resolved; try again shortly"), {}, 5});
    PullReply refused;
    if (!admit(firstUrl(*source), &refused))
        return reply(refused);
    const QString id = newId();
    if (!recordDecision(id, firstUrl(*source), source->text(), request.by))
        return reply(refusal(ErrorCode::AuditUnavailable, QStringLiteral("audit log unavailable: pull refused")));
    auto ids = std::make_shared<QStringList>();
    PullResolver *resolver = newResolver([id, ids] {
        const QString rid = id + QLatin1Char('.') + QString::number(ids->size() + 1);
        ids->append(rid);
        return rid;
    });
    resolver->resolve(*source, request.include, request.exclude,
                      [this, resolver, request, id, ids, reply](const PullPlan &plan, const PullError &failure) {
                          --m_resolving;
                          const QByteArray authorization = resolver->registryAuthorization();
                          resolver->deleteLater();
                          onResolved(request, id, *ids, authorization, plan, failure, reply);
                      });
}

QJsonObject PullManager::planJson(const PullPlan &plan) const {
    QJsonObject o;
    o.insert(QStringLiteral("dry_run"), true);
    o.insert(QStringLiteral("source"), plan.source.text());
    o.insert(QStringLiteral("name"), plan.source.displayName());
    o.insert(QStringLiteral("revision"), plan.revision);
    QJsonArray files;
    for (const PlannedFile &f : plan.files) {
        QJsonObject fo;
        fo.insert(QStringLiteral("path"), f.path);
        fo.insert(QStringLiteral("size"), f.size);
        fo.insert(QStringLiteral("digest"), QString::fromLatin1(f.digest));
        fo.insert(QStringLiteral("digest_kind"), digestKindName(f.kind));
        files.append(fo);
    }
    o.insert(QStringLiteral("files"), files);
    o.insert(QStringLiteral("total_bytes"), plan.totalBytes());
    o.insert(QStringLiteral("free_bytes"), freeBytes());
    o.insert(QStringLiteral("destination"), QDir(m_ctx.pullDir).filePath(Pull::publishRelativePath(plan)));
    return o;
}

void PullManager::onResolved(const PullRequest &request, const QString &id, const QStringList &requestIds,
                             const QByteArray &authorization, const PullPlan &plan, const PullError &error,
                             Reply reply) {
    if (!error.ok()) {
        AuditRecord rec;
        rec.event = EventKind::PullFinished;
        rec.requestId = id;
        rec.source = plan.source.text();
        rec.host = plan.source.kind == PullSource::Kind::Ollama ? QStringLiteral("registry.ollama.ai")
                                                                : QStringLiteral("huggingface.co");
        rec.verdict = Verdict::Allowed;
        rec.code = error.code;
        rec.outcome = TransferOutcome::Failed;
        rec.by = request.by;
        m_ctx.record(rec);
        Q_EMIT recorded(rec);
        return reply(refusal(error.code, error.message));
    }
    if (!gateOpen()) // disabled or locked down while the hub was asked
        return reply(closedRefusal());
    if (request.dryRun) {
        PullReply ok;
        ok.body = planJson(plan);
        return reply(ok);
    }
    QString fsError;
    const Fd root = safefs::openRoot(m_ctx.pullDir, &fsError);
    if (!root.isValid())
        return reply(refusal(ErrorCode::InsufficientStorage, fsError));
    if (Pull::alreadyPublished(root.get(), plan))
        return reply(
            refusal(ErrorCode::Conflict, QStringLiteral("this model is already published at %1")
                                             .arg(QDir(m_ctx.pullDir).filePath(Pull::publishRelativePath(plan)))));
    // Free space is shared with the pulls that run or wait: what they still need is not free.
    const qint64 freeNow = safefs::freeBytes(root.get());
    const qint64 available = freeNow < 0 ? -1 : freeNow - bytesOwedByOthers(nullptr);
    const qint64 total = plan.totalBytes();
    const qint64 needed = total >= std::numeric_limits<qint64>::max() / 2 ? std::numeric_limits<qint64>::max()
                                                                          : total + spaceMargin(total);
    if (available >= 0 && available < needed)
        return reply(refusal(ErrorCode::InsufficientStorage,
                             QStringLiteral("the pull needs %1 bytes and %2 spare; %3 bytes are free at %4")
                                 .arg(total)
                                 .arg(spaceMargin(total))
                                 .arg(available)
                                 .arg(m_ctx.pullDir)));
    auto *pull = new Pull(m_ctx, id, plan, request.include, request.exclude, this);
    pull->adoptRequestIds(requestIds);
    m_authorization.insert(pull, authorization);
    m_startedBy.insert(pull, request.by);
    adopt(pull);
    pull->setQueued();
    m_waiting.append(pull);
    schedule();
    prune();
    PullReply ok;
    ok.body = pull->toJson(true);
    reply(ok);
}

void PullManager::schedule() {
    if (!gateOpen())
        return;
    while (!m_waiting.isEmpty() && activeCount() < qMax(1, m_ctx.policy()->pulls.maxActive)) {
        Pull *pull = m_waiting.takeFirst();
        if (pull->state() == PullState::Queued)
            launch(pull);
    }
}

void PullManager::launch(Pull *pull) {
    record(EventKind::PullStarted, pull, m_startedBy.value(pull));
    Q_EMIT started(pull->id(), pull->host(), pull->displayName());
    pull->run(m_authorization.value(pull));
    m_ctx.stats->activePulls = activeCount();
}

void PullManager::adopt(Pull *pull) {
    connect(pull, &Pull::ended, this, [this, pull] { onEnded(pull); });
    connect(pull, &Pull::progress, this, [this, pull](qint64 bytes, qint64 total) {
        QJsonObject detail;
        detail.insert(QStringLiteral("kind"), QStringLiteral("pull"));
        detail.insert(QStringLiteral("files_verified"), pull->filesVerified());
        detail.insert(QStringLiteral("files_total"), int(pull->plan().files.size()));
        detail.insert(QStringLiteral("current_file"), pull->currentFile());
        Q_EMIT progress(pull->id(), bytes, total, detail);
    });
    m_pulls.append(pull);
}

void PullManager::onEnded(Pull *pull) {
    m_waiting.removeOne(pull);
    const TransferOutcome outcome = outcomeOf(pull->state());
    ++m_ctx.stats->pullsByOutcome[outcomeName(outcome)];
    if (pull->state() == PullState::Published)
        m_ctx.stats->pullBytes += pull->bytesTotal();
    m_ctx.stats->activePulls = activeCount();
    record(EventKind::PullFinished, pull, m_startedBy.value(pull), outcome);
    m_authorization.remove(pull);
    QTimer::singleShot(0, this, &PullManager::schedule);
}

void PullManager::record(EventKind kind, Pull *pull, const QString &by, TransferOutcome outcome) {
    AuditRecord rec;
    rec.event = kind;
    rec.requestId = pull->id();
    rec.source = pull->plan().source.text();
    rec.host = pull->host();
    rec.verdict = Verdict::Allowed;
    rec.code = kind == EventKind::PullFinished ? pull->error().code : ErrorCode::None;
    rec.bytesDown = pull->bytesDone();
    rec.outcome = outcome;
    rec.by = by;
    m_ctx.record(rec);
    Q_EMIT recorded(rec);
}

void PullManager::prune() {
    // Forget the oldest published pulls beyond the cap (their state files; the models stay).
    // Unfinished ones hold partial files and are only removed when asked (discard).
    qsizetype excess = m_pulls.size() - kMaxPulls;
    for (qsizetype i = 0; i < m_pulls.size() && excess > 0;) {
        Pull *pull = m_pulls[i];
        if (pull->state() != PullState::Published) {
            ++i;
            continue;
        }
        pull->removeStateFile();
        m_startedBy.remove(pull);
        m_pulls.removeAt(i);
        pull->deleteLater();
        --excess;
    }
}

void PullManager::resume(const QString &id, const QString &by, Reply reply) {
    Pull *pull = find(id);
    if (!pull)
        return reply(refusal(ErrorCode::NotFound, QStringLiteral("no pull %1").arg(id.left(64))));
    if (isRunning(pull->state()) || pull->state() == PullState::Published)
        return reply(
            refusal(ErrorCode::Conflict, QStringLiteral("pull %1 is %2; only an ended, unpublished pull can be resumed")
                                             .arg(id, pullStateName(pull->state()))));
    int waiting = 0;
    for (Pull *p : std::as_const(m_pulls))
        waiting += p->state() == PullState::Queued ? 1 : 0;
    if (waiting >= kMaxWaiting)
        return reply(PullReply{ErrorCode::Busy, QStringLiteral("too many pulls are waiting; try again later"), {}, 30});
    if (m_resolving >= kMaxResolving)
        return reply(
            PullReply{ErrorCode::Busy, QStringLiteral("too many pulls are being resolved; try again shortly"), {}, 5});
    PullReply refused;
    if (!admit(firstUrl(pull->plan().source), &refused))
        return reply(refused);
    if (!recordDecision(pull->id(), firstUrl(pull->plan().source), pull->plan().source.text(), by))
        return reply(refusal(ErrorCode::AuditUnavailable, QStringLiteral("audit log unavailable: pull not resumed")));
    // What is left is read from the partial folder: right after a restart too.
    const qint64 remaining = pull->bytesLeft();
    const qint64 freeNow = freeBytes();
    const qint64 free = freeNow < 0 ? -1 : freeNow - bytesOwedByOthers(pull);
    if (free >= 0 && free < remaining + spaceMargin(remaining))
        return reply(refusal(ErrorCode::InsufficientStorage,
                             QStringLiteral("%1 more bytes are needed and %2 spare; %3 bytes are free at %4")
                                 .arg(remaining)
                                 .arg(spaceMargin(remaining))
                                 .arg(free)
                                 .arg(m_ctx.pullDir)));
    m_startedBy.insert(pull, by);
    const PullState before = pull->state();
    const QPointer<Pull> guard(pull);
    const auto queue = [this, guard, reply, before](const QByteArray &authorization) {
        // A second resume, a cancel or a removal while the registry was asked: this one is void.
        if (!guard || !m_pulls.contains(guard) || guard->state() != before)
            return reply(refusal(ErrorCode::Conflict, QStringLiteral("the pull changed while it was being resumed")));
        if (!gateOpen())
            return reply(closedRefusal());
        m_authorization.insert(guard, authorization);
        guard->setQueued();
        m_waiting.append(guard);
        schedule();
        PullReply ok;
        ok.body = guard->toJson(true);
        reply(ok);
    };
    if (pull->plan().source.kind != PullSource::Kind::Ollama)
        return queue({});
    // The registry's token lives in memory only: ask for the manifest again (and a token with
    // it), and go on only if the tag still names the same manifest.
    const QString revision = pull->plan().revision;
    const QString fallbackId = pull->id() + QStringLiteral(".resume");
    PullResolver *resolver = newResolver([guard, fallbackId] { return guard ? guard->nextRequestId() : fallbackId; });
    resolver->resolve(
        pull->plan().source, {}, {},
        [this, resolver, queue, reply, revision](const PullPlan &plan, const PullError &error) {
            --m_resolving;
            const QByteArray authorization = resolver->registryAuthorization();
            resolver->deleteLater();
            if (!error.ok())
                return reply(refusal(error.code, error.message));
            if (plan.revision != revision)
                return reply(refusal(
                    ErrorCode::Conflict,
                    QStringLiteral("the tag now names another manifest (%1); start a new pull").arg(plan.revision)));
            queue(authorization);
        });
}

PullReply PullManager::cancel(const QString &id, bool discard, const QString &by) {
    Pull *pull = find(id);
    if (!pull)
        return refusal(ErrorCode::NotFound, QStringLiteral("no pull %1").arg(id.left(64)));
    if (isRunning(pull->state())) {
        m_startedBy.insert(pull, by);
        m_waiting.removeOne(pull);
        pull->halt(PullState::Cancelled, PullError{ErrorCode::None, QString()});
    } else if (!discard) {
        return refusal(ErrorCode::Conflict,
                       QStringLiteral("pull %1 has already ended (%2); add discard=true to remove it")
                           .arg(id, pullStateName(pull->state())));
    }
    if (discard) {
        QString error;
        if (!pull->discardPartials(&error))
            return refusal(ErrorCode::Conflict, QStringLiteral("cannot remove the partial files: %1").arg(error));
        pull->removeStateFile();
        m_pulls.removeOne(pull);
        m_startedBy.remove(pull);
        QJsonObject body = pull->toJson(false);
        body.insert(QStringLiteral("discarded"), true);
        pull->deleteLater();
        return PullReply{ErrorCode::None, {}, body, 0};
    }
    return PullReply{ErrorCode::None, {}, pull->toJson(false), 0};
}

PullReply PullManager::list() const {
    QJsonArray pulls;
    for (Pull *pull : m_pulls)
        pulls.append(pull->toJson(false));
    QJsonObject o;
    o.insert(QStringLiteral("pulls"), pulls);
    o.insert(QStringLiteral("free_bytes"), freeBytes());
    o.insert(QStringLiteral("destination"), m_ctx.pullDir);
    return PullReply{ErrorCode::None, {}, o, 0};
}

PullReply PullManager::get(const QString &id) const {
    Pull *pull = find(id);
    if (!pull)
        return refusal(ErrorCode::NotFound, QStringLiteral("no pull %1").arg(id.left(64)));
    return PullReply{ErrorCode::None, {}, pull->toJson(true), 0};
}

void PullManager::stopAll(const PullError &reason) {
    // Resolutions under way end too (their callers are answered with the reason).
    const QList<QPointer<PullResolver>> resolvers = m_resolvers;
    m_resolvers.clear();
    for (const QPointer<PullResolver> &resolver : resolvers)
        if (resolver)
            resolver->abort(reason.code, reason.message);
    m_waiting.clear();
    for (Pull *pull : std::as_const(m_pulls))
        if (isRunning(pull->state()))
            pull->halt(PullState::Stopped, reason);
}

} // namespace airlock
