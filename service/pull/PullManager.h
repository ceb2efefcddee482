#pragma once

#include "pull/Pull.h"
#include "pull/PullContext.h"
#include "pull/PullResolver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>

namespace airlock {

// What POST /v1/pulls (and the admin channel's "pull") asks for.
struct PullRequest {
    QString source;
    QStringList include;
    QStringList exclude;
    bool dryRun = false;
    QString by; // who asked: "api" or the admin peer
};

// The answer to a request about pulls: a code (None: success) with a message, and the JSON the
// API and the admin channel send back.
struct PullReply {
    ErrorCode code = ErrorCode::None;
    QString message;
    QJsonObject body;
    int retryAfterSeconds = 0;
};

// Every model pull of the service: starts them (resolution, free space, the one count against
// the rate limit), runs at most maxActive at once in the order they came, keeps their state
// across restarts, and answers the API's and the admin channel's questions about them.
class PullManager final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PullManager)
public:
    using Reply = std::function<void(const PullReply &reply)>;

    explicit PullManager(PullContext context, QObject *parent = nullptr);
    ~PullManager() override;

    // Reads the pulls a previous run left; those that were running become Interrupted. Never
    // resumes anything by itself.
    void restore();

    // Validates, counts once against the rate limit, resolves, checks space, then queues (202)
    // or, for a dry run, answers the plan (200). reply is called once, maybe later.
    void create(const PullRequest &request, Reply reply);
    void resume(const QString &id, const QString &by, Reply reply);
    PullReply cancel(const QString &id, bool discard, const QString &by);
    PullReply list() const;
    PullReply get(const QString &id) const;

    // The Airlock was disabled or locked down: every pull that runs or waits is stopped.
    void stopAll(const PullError &reason);

    int activeCount() const;

    static constexpr int kMaxPulls = 200;   // kept (ended ones beyond this are forgotten, oldest first)
    static constexpr int kMaxWaiting = 32;  // queued behind the active ones
    static constexpr int kMaxResolving = 4; // resolutions under way at once
    static constexpr int kMaxPatterns = 64; // include + exclude each

Q_SIGNALS:
    // For the panel's transfers: a pull's downloads began, made progress, ended (the record).
    void started(const QString &id, const QString &host, const QString &name);
    void progress(const QString &id, qint64 bytes, qint64 total, const QJsonObject &detail);
    void recorded(const airlock::AuditRecord &record);

private:
    Pull *find(const QString &id) const;
    QString newId() const;
    bool admit(const QString &firstUrl, PullReply *refusal);
    void onResolved(const PullRequest &request, const QString &id, const QStringList &requestIds,
                    const QByteArray &authorization, const PullPlan &plan, const PullError &error, Reply reply);
    void schedule();
    void launch(Pull *pull);
    void adopt(Pull *pull); // listed, its signals followed
    void onEnded(Pull *pull);
    void record(EventKind kind, Pull *pull, const QString &by, TransferOutcome outcome = TransferOutcome::None);
    void prune();
    bool gateOpen() const;                              // enabled and not in lockdown
    PullReply closedRefusal() const;                    // why not, in the API's words
    qint64 bytesOwedByOthers(const Pull *except) const; // what running and waiting pulls still need
    PullResolver *newResolver(std::function<QString()> nextRequestId);
    bool recordDecision(const QString &id, const QString &url, const QString &source, const QString &by);
    qint64 freeBytes() const;
    QJsonObject planJson(const PullPlan &plan) const;
    static QString firstUrl(const PullSource &source);

    PullContext m_ctx;
    QThread *m_writer;
    QList<Pull *> m_pulls;   // in creation order
    QList<Pull *> m_waiting; // queued, in order
    int m_resolving = 0;
    QList<QPointer<PullResolver>> m_resolvers; // under way; stopAll() ends them
    QHash<Pull *, QByteArray> m_authorization; // Ollama registry tokens, memory only
    QHash<Pull *, QString> m_startedBy;
};

} // namespace airlock
