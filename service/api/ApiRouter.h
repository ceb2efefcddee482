#pragma once

#include "api/FetchQueue.h"
#include "api/Transfers.h"
#include "audit/AuditLog.h"
#include "audit/Stats.h"
#include "gate/Gate.h"
#include "http/HttpServer.h"
#include "policy/Policy.h"
#include "upstream/UpstreamFetch.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <functional>

namespace airlock {

class PullManager;

// What the API layer is wired to; the composition root (app/) fills it in.
struct ApiContext {
    std::function<PolicySnapshot()> policy;
    std::function<bool()> lockdown;
    QByteArray token;
    Gate *gate = nullptr;
    AuditLog *audit = nullptr;
    Stats *stats = nullptr;
    Resolver *resolver = nullptr;
    UpstreamConfig upstream;
    int maxActiveFetches = 32;   // concurrent upstream exchanges
    int maxQueuedFetches = 256;  // waiting for a slot
    int queueTimeoutMs = 30'000; // a queued request waits at most this long, then 503 busy
    // POST /api/v1/disable: sets the lockdown latch. Returns whether it was also persisted
    // (*error says why not); the latch holds either way.
    std::function<bool(const QString &incidentId, const QString &reason, QString *error)> disable;
    PullManager *pulls = nullptr;   // /v1/pulls; none: those endpoints answer 404
    EgressBudget *budget = nullptr; // its use per host goes into /v1/stats and /metrics
    // /v1/egress/check's own rate: requests_per_minute checks a minute, apart from fetches (a
    // check inspects as much as a fetch does); none: checks are not limited.
    RateLimiter *checkLimiter = nullptr;
    // Requests whose envelope and content are being judged on the inspection threads, waiting
    // ones included; one more is answered 503 busy. Each connection has at most one: at the
    // connection cap this never binds, it only bounds the queue on its own terms.
    int maxJudging = 256;
    // Where the API listens: a request's Host must name it (or localhost), at its port.
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    std::function<quint16()> listenPort;
};

// Routes the REST API: authenticates, answers the small endpoints, and takes a fetch through
// its envelope, the Gate and its decision record; an allowed fetch then goes to the FetchQueue
// (upstream slots) and Transfers (the relay and its bookkeeping). The envelope and the Gate's
// judgement (content inspection) run on a pool of inspection threads at a lower priority, so
// the event loop only does I/O and bookkeeping: /health answers while the costliest body is
// inspected.
class ApiRouter final : public QObject, public IRequestHandler {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiRouter)
public:
    explicit ApiRouter(ApiContext context, QObject *parent = nullptr);
    ~ApiRouter() override;

    void handleRequest(HttpConnection *connection, const HttpRequest &request) override;

    // HttpLimits::watchBody: a large upload to /v1/fetch or /v1/egress/check, from a client
    // with the token while the Airlock is enabled, gets a BodyPrescan (inspection's head start).
    std::shared_ptr<BodyWatcher> watchBody(const HttpRequest &head) const;

    // HttpLimits::answerFromHead: a request with a body that is refused whatever its body says
    // (an endpoint that needs the token, without it; an unknown endpoint) is answered from its
    // head, so a client without the token never makes the service read or hold a body.
    bool answerFromHead(const HttpRequest &head) const;

    // Body size the HTTP layer accepts for an API request: room for a maximal body in base64
    // inside the JSON envelope.
    qint64 maxRequestBytes() const;

    // The Airlock was locked down: fetches in progress are cut and those waiting for a slot
    // refused, now (the Gate refuses every new one).
    void lockdownEngaged();

Q_SIGNALS:
    void decided(const airlock::AuditRecord &record); // every decision and finished transfer
    // An allowed fetch began its upstream exchange; progress follows; decided() with event
    // "transfer" ends it. Same id as the audit record.
    void transferStarted(const QString &id, const QString &method, const QString &host, const QString &path);
    void transferProgress(const QString &id, qint64 bytesDown, qint64 total);

private:
    bool authorized(const HttpRequest &request) const;
    // Not from a web page: the Host names this listener (a DNS-rebound name does not) and no
    // Origin header is present (browsers send one; the appliance's services do not).
    bool fromLocalProgram(const HttpRequest &request, QString *why) const;
    void handleHealth(HttpConnection *connection);
    void handleStats(HttpConnection *connection);
    void handleMetrics(HttpConnection *connection);
    void handleDisable(HttpConnection *connection, const HttpRequest &request);
    void handleFetch(HttpConnection *connection, const HttpRequest &request, bool checkOnly);
    struct Judged;
    // Back on the event loop with the inspection threads' judgement: judged again if the policy
    // changed meanwhile, the state checked again, the egress budget charged, the decision
    // recorded and answered (or the fetch queued).
    void finishFetch(const QPointer<HttpConnection> &connection, const std::shared_ptr<Judged> &judged);
    bool record(const AuditRecord &record);
    void refuse(HttpConnection *connection, AuditRecord record, ErrorCode code, const QString &message,
                const QString &rule = {}, int retryAfter = 0);

    ApiContext m_ctx;
    Transfers *m_transfers;
    FetchQueue *m_fetches;
    QThreadPool m_judges;
    int m_judging = 0;
};

} // namespace airlock
