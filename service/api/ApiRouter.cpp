#include "api/ApiRouter.h"

#include "api/BodyPrescan.h"
#include "api/EgressJson.h"
#include "api/ErrorResponse.h"
#include "api/PullRoutes.h"
#include "http/HttpConnection.h"
#include "policy/AllowEntryParser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcApi, "airlock.api")

namespace airlock {

namespace {

QByteArray newRequestId() {
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex();
}

// Inspection threads yield to the event loop: with every core busy inspecting, /health, the
// relays and the admin channel still run first. Linux keeps a nice value per thread, and the
// threads inspection starts from here inherit it.
void lowerThisThreadPriority() {
    static thread_local bool lowered = false;
    if (lowered)
        return;
    lowered = true;
    setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 10);
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b) {
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// Whether a client's text that no content rule has looked at yet may be recorded: the rules run
// over it alone (a refused destination such as 536-22-8475.evil.example, a caller name that is
// a token, are findings like any other).
bool hostIsClean(const Inspector &inspector, const ContentRules &rules, const QString &host) {
    CanonicalUrl url;
    url.host = host;
    url.port = 443;
    url.path = QStringLiteral("/");
    const InspectionResult result = inspector.inspect(url, {}, {}, rules);
    return !result.uninspectable && result.findings.isEmpty();
}

AuditRecord recordFor(const QByteArray &requestId, const EgressRequest &request, const Decision &d,
                      const Inspector &inspector, const ContentRules &rules) {
    AuditRecord r;
    r.event = EventKind::Decision;
    r.requestId = QString::fromLatin1(requestId);
    // The caller's method is only recorded once it is a known one: otherwise it is free text.
    const QString method = canonicalMethod(request.method);
    r.method = !d.method.isEmpty() ? d.method : method.isEmpty() ? QStringLiteral("invalid") : method;
    CanonicalUrl url = d.url;
    bool hasUrl = d.hasUrl;
    if (!hasUrl && !request.url.isEmpty()) {
        // Refused before the destination step (disabled, rate, ...): still say where it was going.
        const UrlResult parsed = canonicalizeUrl(request.url);
        if (parsed.url) {
            url = *parsed.url;
            hasUrl = true;
        }
    }
    // The path is recorded only when content inspection looked at it and found it clean: a
    // request refused earlier (destination, method, size, state) or as uninspectable may carry
    // a secret in its path that no rule has seen. A finding in the URL may also sit in a host
    // label under a wildcard entry: then the host goes too.
    const bool contentRefusal = d.code == ErrorCode::PiiDetected || d.code == ErrorCode::CredentialDetected ||
                                d.code == ErrorCode::ContentBlocked;
    const bool urlSuspect = (contentRefusal && d.where == QLatin1String("url")) || d.code == ErrorCode::Uninspectable;
    const bool urlScannedClean = d.allowed || (contentRefusal && d.where != QLatin1String("url"));
    // A host refused before the content step (destination, method, state, rate) has not been
    // scanned: recorded only once the rules find nothing in it, else left out ("host" empty).
    if (hasUrl && !urlSuspect && (urlScannedClean || hostIsClean(inspector, rules, url.host)))
        r.host = url.host;
    if (hasUrl && urlScannedClean)
        r.path = url.path;
    r.verdict = d.allowed ? Verdict::Allowed : Verdict::Blocked;
    r.code = d.code;
    r.rule = d.ruleId;
    r.where = d.where;
    r.status = d.allowed ? 0 : httpStatusFor(d.code);
    return r;
}

} // namespace

ApiRouter::ApiRouter(ApiContext context, QObject *parent)
    : QObject(parent)
    , m_ctx(std::move(context))
    , m_transfers(new Transfers({m_ctx.gate, m_ctx.lockdown, m_ctx.resolver, m_ctx.upstream, m_ctx.stats,
                                 [this](const AuditRecord &r) {
                                     return record(r);
                                 }},
                                this))
    , m_fetches(new FetchQueue(
          {m_ctx.maxActiveFetches, m_ctx.maxQueuedFetches, m_ctx.queueTimeoutMs}, m_ctx.lockdown,
          [this](const FetchJob &job) { m_transfers->start(job); }, this,
          [this] { return m_transfers->preemptSlowReader(); })) {
    connect(m_transfers, &Transfers::started, this, &ApiRouter::transferStarted);
    connect(m_transfers, &Transfers::progress, this, &ApiRouter::transferProgress);
    connect(m_transfers, &Transfers::ended, m_fetches, &FetchQueue::release);
    m_judges.setMaxThreadCount(qMax(2, QThread::idealThreadCount()));
}

ApiRouter::~ApiRouter() {
    // Judgements not started are dropped; those running end (each within its work budget)
    // before the router goes: their answers, posted to it, go with it.
    m_judges.clear();
    m_judges.waitForDone();
}

void ApiRouter::lockdownEngaged() {
    m_fetches->refuseWaiting();
    const int cut = m_transfers->cutAll();
    if (cut > 0)
        qCWarning(lcApi, "lockdown: %d transfer(s) in progress cut", cut);
}

qint64 ApiRouter::maxRequestBytes() const {
    const qint64 body = m_ctx.policy()->maxBodySize;
    // base64 grows a body by 4/3; allow a little over that for the envelope and headers map.
    return body / 3 * 4 + 8 + 256 * 1024;
}

bool ApiRouter::authorized(const HttpRequest &request) const {
    // Exactly one Authorization header; the scheme name is case-insensitive (RFC 9110).
    int count = 0;
    QByteArray header;
    for (const auto &[name, value] : request.headers) {
        if (name.compare("authorization", Qt::CaseInsensitive) == 0) {
            ++count;
            header = value;
        }
    }
    static const QByteArray scheme("bearer ");
    if (count != 1 || m_ctx.token.isEmpty() || header.size() <= scheme.size() ||
        header.left(scheme.size()).toLower() != scheme)
        return false;
    return constantTimeEquals(header.mid(scheme.size()).trimmed(), m_ctx.token);
}

bool ApiRouter::record(const AuditRecord &record) {
    QString error;
    Q_EMIT decided(record);
    if (m_ctx.audit->append(record, &error))
        return true;
    ++m_ctx.stats->auditFailures;
    qCCritical(lcApi, "%s", qPrintable(error));
    return false;
}

void ApiRouter::refuse(HttpConnection *connection, AuditRecord rec, ErrorCode code, const QString &message,
                       const QString &rule, int retryAfter) {
    rec.verdict = Verdict::Blocked;
    rec.code = code;
    rec.rule = rule;
    rec.status = httpStatusFor(code);
    m_ctx.stats->countBlocked(codeName(code));
    if (!record(rec)) {
        sendError(connection, ErrorCode::AuditUnavailable, QStringLiteral("audit log unavailable: request refused"));
        return;
    }
    sendError(connection, code, message, rule, retryAfter);
}

bool ApiRouter::fromLocalProgram(const HttpRequest &request, QString *why) const {
    if (request.hasHeader("origin")) {
        *why = QStringLiteral("requests from web pages (with an Origin header) are refused");
        return false;
    }
    int hosts = 0;
    QByteArray host;
    for (const auto &[name, value] : request.headers)
        if (name.compare("host", Qt::CaseInsensitive) == 0) {
            ++hosts;
            host = value.trimmed().toLower();
        }
    // HTTP/1.1 requires exactly one Host (the parser refuses a missing one for 1.1); an
    // HTTP/1.0 request without one is let through, since no browser sends that.
    if (hosts == 0)
        return true;
    QByteArray name = host;
    QByteArray port;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        name = close > 0 ? host.left(close + 1) : host;
        if (close > 0 && close + 1 < host.size()) {
            if (host.at(close + 1) != ':')
                name.clear();
            port = host.mid(close + 2);
        }
    } else if (const qsizetype colon = host.lastIndexOf(':'); colon >= 0) {
        name = host.left(colon);
        port = host.mid(colon + 1);
    }
    const QHostAddress listen = m_ctx.listenAddress;
    const QByteArray literal = listen.protocol() == QAbstractSocket::IPv6Protocol
                                   ? '[' + listen.toString().toLatin1() + ']'
                                   : listen.toString().toLatin1();
    bool nameOk = name == literal || (listen.isLoopback() && name == "localhost");
    if (!nameOk && listen.isLoopback()) // a loopback listener is one machine's, by either family
        nameOk = name == "127.0.0.1" || name == "[::1]";
    const quint16 listening = m_ctx.listenPort ? m_ctx.listenPort() : 0;
    bool portOk = port.isEmpty();
    if (!port.isEmpty()) {
        bool ok = false;
        const uint p = port.toUInt(&ok);
        portOk = ok && p == listening;
    }
    if (nameOk && portOk)
        return true;
    *why = QStringLiteral("the Host header does not name this service (%1)")
               .arg(QString::fromLatin1(literal + ':' + QByteArray::number(listening)));
    return false;
}

void ApiRouter::handleRequest(HttpConnection *connection, const HttpRequest &request) {
    const QByteArray path = request.path();
    const QByteArray &method = request.method;
    QString notLocal;
    if (!fromLocalProgram(request, &notLocal)) {
        // A web page in a browser on the appliance (DNS rebinding, or a form posting here):
        // nothing is answered but the refusal, /health and /metrics included.
        ++m_ctx.stats->hostRefused;
        return sendError(connection, ErrorCode::OriginRefused, notLocal);
    }
    if (path == "/health") {
        if (method != "GET" && method != "HEAD")
            return sendError(connection, ErrorCode::ApiMethodNotAllowed, QStringLiteral("use GET /health"), {}, 0,
                             {{"Allow", "GET, HEAD"}});
        return handleHealth(connection);
    }
    if (path == "/metrics") {
        // Aggregate counters only, on the loopback API like /health: no token.
        if (method != "GET")
            return sendError(connection, ErrorCode::ApiMethodNotAllowed, QStringLiteral("use GET /metrics"), {}, 0,
                             {{"Allow", "GET"}});
        return handleMetrics(connection);
    }
    if (path == "/api/v1/disable") {
        if (method != "POST")
            return sendError(connection, ErrorCode::ApiMethodNotAllowed, QStringLiteral("use POST /api/v1/disable"), {},
                             0, {{"Allow", "POST"}});
        if (!authorized(request)) {
            AuditRecord rec;
            rec.event = EventKind::Decision;
            rec.requestId = QString::fromLatin1(newRequestId());
            rec.path = QString::fromLatin1(path);
            return refuse(connection, rec, ErrorCode::Unauthorized, QStringLiteral("missing or invalid service token"));
        }
        if (request.bodyUnread) // answerFromHead and this function disagree: fail closed
            return sendError(connection, ErrorCode::BadRequest, QStringLiteral("request body was not read"));
        return handleDisable(connection, request);
    }
    const bool fetch = path == "/v1/fetch";
    const bool check = path == "/v1/egress/check";
    const bool stats = path == "/v1/stats";
    const bool pulls = m_ctx.pulls && isPullPath(path);
    if (!fetch && !check && !stats && !pulls)
        return sendError(connection, ErrorCode::NotFound, QStringLiteral("no such endpoint"));
    if (stats && method != "GET")
        return sendError(connection, ErrorCode::ApiMethodNotAllowed, QStringLiteral("use GET /v1/stats"), {}, 0,
                         {{"Allow", "GET"}});
    if ((fetch || check) && method != "POST")
        return sendError(connection, ErrorCode::ApiMethodNotAllowed,
                         QStringLiteral("use POST %1").arg(QString::fromLatin1(path)), {}, 0, {{"Allow", "POST"}});
    if (!authorized(request)) {
        AuditRecord rec;
        rec.event = EventKind::Decision;
        rec.requestId = QString::fromLatin1(newRequestId());
        rec.path = QString::fromLatin1(path);
        return refuse(connection, rec, ErrorCode::Unauthorized, QStringLiteral("missing or invalid service token"));
    }
    if (request.bodyUnread) // answerFromHead and this function disagree: fail closed
        return sendError(connection, ErrorCode::BadRequest, QStringLiteral("request body was not read"));
    if (stats)
        return handleStats(connection);
    if (pulls) {
        if (m_ctx.pulls) // a refused pull request is recorded like any refusal
            handlePullRequest(connection, request, m_ctx.pulls, [this](const AuditRecord &r) {
                AuditRecord rec = r;
                rec.requestId = QString::fromLatin1(newRequestId());
                if (r.code)
                    m_ctx.stats->countBlocked(codeName(*r.code));
                record(rec);
            });
        return;
    }
    handleFetch(connection, request, check);
}

bool ApiRouter::answerFromHead(const HttpRequest &head) const {
    const QByteArray path = head.path();
    if (path == "/health" || path == "/metrics")
        return false; // no token needed: these are answered as always
    const bool known = path == "/api/v1/disable" || path == "/v1/fetch" || path == "/v1/egress/check" ||
                       path == "/v1/stats" || (m_ctx.pulls && isPullPath(path));
    // handleRequest refuses these before it looks at a body: 404 for an unknown path, 401 otherwise.
    return !known || !authorized(head);
}

std::shared_ptr<BodyWatcher> ApiRouter::watchBody(const HttpRequest &head) const {
    const QByteArray path = head.path();
    if (head.method != "POST" || (path != "/v1/fetch" && path != "/v1/egress/check"))
        return nullptr;
    bool ok = false;
    const qint64 length = head.header("content-length").toLongLong(&ok);
    if (!ok || length < BodyPrescan::kMinBodyBytes || !authorized(head))
        return nullptr;
    const PolicySnapshot policy = m_ctx.policy();
    if (!policy->enabled || m_ctx.lockdown())
        return nullptr;
    return BodyPrescan::start(m_ctx.gate->inspector(), policy->contentRules, length);
}

void ApiRouter::handleHealth(HttpConnection *connection) {
    const PolicySnapshot policy = m_ctx.policy();
    QJsonObject o;
    o.insert(QStringLiteral("status"), QStringLiteral("ok"));
    o.insert(QStringLiteral("enabled"), policy->enabled);
    o.insert(QStringLiteral("lockdown"), m_ctx.lockdown());
    o.insert(QStringLiteral("version"), QStringLiteral(AIRLOCK_VERSION));
    sendJson(connection, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void ApiRouter::handleStats(HttpConnection *connection) {
    QJsonObject o = m_ctx.stats->toJson();
    o.insert(QStringLiteral("queued_fetches"), m_fetches->queued());
    o.insert(QStringLiteral("upstream_slots"), m_ctx.maxActiveFetches);
    o.insert(QStringLiteral("upstream_slots_in_use"), m_fetches->active());
    if (m_ctx.budget) {
        QJsonObject egress;
        for (const auto &[host, bytes] : m_ctx.budget->usage())
            egress.insert(host, bytes);
        o.insert(QStringLiteral("egress_bytes_last_hour"), egress);
        o.insert(QStringLiteral("egress_budget_per_hour"), m_ctx.policy()->uploadBytesPerHour);
    }
    sendJson(connection, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void ApiRouter::handleMetrics(HttpConnection *connection) {
    QByteArray text = m_ctx.stats->toPrometheus(m_fetches->queued(), m_ctx.lockdown(), m_ctx.policy()->enabled);
    text += "# HELP airlock_upstream_slots Upstream exchanges fetches may hold at once.\n"
            "# TYPE airlock_upstream_slots gauge\n"
            "airlock_upstream_slots " +
            QByteArray::number(m_ctx.maxActiveFetches) +
            "\n"
            "# HELP airlock_upstream_slots_in_use Upstream slots held by fetches now.\n"
            "# TYPE airlock_upstream_slots_in_use gauge\n"
            "airlock_upstream_slots_in_use " +
            QByteArray::number(m_fetches->active()) + '\n';
    if (m_ctx.budget) {
        // Hosts are canonical allowlisted names (lower case, digits, '-', '.'): safe as labels.
        text += "# HELP airlock_egress_bytes_last_hour Request bytes sent to each destination host in the last hour.\n"
                "# TYPE airlock_egress_bytes_last_hour gauge\n";
        for (const auto &[host, bytes] : m_ctx.budget->usage())
            text +=
                "airlock_egress_bytes_last_hour{host=\"" + host.toLatin1() + "\"} " + QByteArray::number(bytes) + '\n';
        text += "# HELP airlock_egress_budget_bytes_per_hour The egress byte budget of each host "
                "(rate_limit.upload_bytes_per_hour).\n"
                "# TYPE airlock_egress_budget_bytes_per_hour gauge\n"
                "airlock_egress_budget_bytes_per_hour " +
                QByteArray::number(m_ctx.policy()->uploadBytesPerHour) + '\n';
    }
    connection->sendResponse(
        200, {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}, {"Cache-Control", "no-store"}}, text);
}

void ApiRouter::handleDisable(HttpConnection *connection, const HttpRequest &request) {
    // Strict: this is an emergency brake called by a machine; anything unexpected is a caller bug.
    QString invalid;
    const std::optional<QJsonObject> body = strictJsonObject(
        request.body, {QLatin1String("action"), QLatin1String("incident_id"), QLatin1String("reason")}, &invalid);
    if (!body)
        return sendError(connection, ErrorCode::BadRequest, invalid);
    const QJsonObject &o = *body;
    if (o.value(QStringLiteral("action")).toString() != QLatin1String("disable"))
        return sendError(connection, ErrorCode::BadRequest, QStringLiteral("action must be \"disable\""));
    const auto text = [&o](const char *key, qsizetype max, bool required, QString *out) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() && !required)
            return true;
        if (!v.isString() || v.toString().size() > max || (required && v.toString().isEmpty()))
            return false;
        *out = v.toString();
        for (QChar c : *out)
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                return false;
        return true;
    };
    QString incident, reason;
    if (!text("incident_id", 256, true, &incident))
        return sendError(connection, ErrorCode::BadRequest,
                         QStringLiteral("incident_id must be a non-empty string of at most 256 printable characters"));
    if (!text("reason", 1024, false, &reason))
        return sendError(connection, ErrorCode::BadRequest,
                         QStringLiteral("reason must be a string of at most 1024 printable characters"));
    QString error;
    const bool persisted = m_ctx.disable && m_ctx.disable(incident, reason, &error);
    if (!m_ctx.disable)
        error = QStringLiteral("no lockdown latch wired");
    QJsonObject answer{{QStringLiteral("lockdown"), m_ctx.lockdown()}, {QStringLiteral("persisted"), persisted}};
    if (!persisted)
        answer.insert(QStringLiteral("error"), error);
    sendJson(connection, QJsonDocument(answer).toJson(QJsonDocument::Compact));
}

// Refused before judging, an envelope up to this size is still read, for the record's destination.
constexpr qsizetype kRefusedEnvelopeBytes = 64 * 1024;

// The appliance service that sends a request names itself in X-SecAI-Service (SecAI OS's UI and
// agent do); the name goes into its records. A name is a letter, then up to 63 letters, digits,
// '.', '_' or '-': nothing else is recorded (a caller's header is no place to carry data out in
// the audit log). Absent: empty. Repeated or not such a name: *error says why.
QString callerOf(const HttpRequest &request, QString *error) {
    QByteArray name;
    int count = 0;
    for (const auto &[header, value] : request.headers) {
        if (header.compare("x-secai-service", Qt::CaseInsensitive) == 0) {
            ++count;
            name = value.trimmed();
        }
    }
    if (count == 0)
        return {};
    static const QRegularExpression shape(QStringLiteral("^[A-Za-z][A-Za-z0-9._-]{0,63}$"));
    if (count > 1 || !shape.match(QString::fromLatin1(name)).hasMatch()) {
        *error = QStringLiteral("X-SecAI-Service must be one service name: a letter, then up to 63 letters, "
                                "digits, '.', '_' or '-'");
        return {};
    }
    return QString::fromLatin1(name);
}

struct ApiRouter::Judged {
    QByteArray requestId;
    QString caller;
    PolicySnapshot policy;
    bool checkOnly = false;
    EgressRequest egress;
    Decision decision;
    AuditRecord record;
    int rejudged = 0;
};

void ApiRouter::handleFetch(HttpConnection *connection, const HttpRequest &request, bool checkOnly) {
    const PolicySnapshot policy = m_ctx.policy();
    const QByteArray requestId = newRequestId();
    // A malformed caller name is a malformed request: refused in its place (after the rate).
    QString callerError;
    QString caller = callerOf(request, &callerError);
    // Recorded only once the rules find nothing in it (at most 64 characters: a short scan): a
    // token-shaped "name" is not written to the audit log.
    if (!caller.isEmpty() && !hostIsClean(m_ctx.gate->inspector(), policy->contentRules, caller))
        caller.clear();
    int checkRetry = 0;
    if (checkOnly && m_ctx.checkLimiter && !m_ctx.checkLimiter->tryAcquire(policy->requestsPerMinute, &checkRetry)) {
        // Before the envelope is even parsed: an inspection costs as much for a check as for a fetch.
        AuditRecord rec;
        rec.event = EventKind::Check;
        rec.requestId = QString::fromLatin1(requestId);
        rec.caller = caller;
        return refuse(connection, rec, ErrorCode::RateLimited, QStringLiteral("rate limit exceeded"),
                      QStringLiteral("rate.checks_per_minute"), checkRetry);
    }

    if (m_judging >= m_ctx.maxJudging) {
        // Every inspection thread is taken and enough wait for one: this request would only wait
        // longer. Refused before its rate is counted or its body parsed.
        AuditRecord rec;
        rec.event = checkOnly ? EventKind::Check : EventKind::Decision;
        rec.requestId = QString::fromLatin1(requestId);
        rec.caller = caller;
        return refuse(connection, rec, ErrorCode::Busy, QStringLiteral("too many requests being inspected, try again"),
                      QStringLiteral("inspect.queue"), 1);
    }

    // The state and the rate here, where the limiter lives; the rest on an inspection thread.
    const Gate::RateMode rate = checkOnly ? Gate::RateMode::Peek : Gate::RateMode::Consume;
    const Decision admitted = m_ctx.gate->admit(*policy, GateState{m_ctx.lockdown()}, rate);
    ++m_judging;
    const QPointer<HttpConnection> target(connection);
    const Gate *gate = m_ctx.gate;
    // A request refused already (state, rate) only has its envelope read for the record: a large
    // one is not read at all (the record then names no destination), and these cheap jobs go
    // ahead of the inspections waiting, so a flood of them delays nobody's judgement.
    const bool readEnvelope = admitted.allowed || request.body.size() <= kRefusedEnvelopeBytes;
    const int priority = admitted.allowed ? 0 : 1;
    m_judges.start(
        [this, target, gate, admitted, requestId, caller, callerError, policy, checkOnly, readEnvelope,
         body = request.body, watcherRef = request.bodyWatcher] {
            lowerThisThreadPriority();
            auto judged = std::make_shared<Judged>();
            judged->requestId = requestId;
            judged->caller = caller;
            judged->policy = policy;
            judged->checkOnly = checkOnly;
            QString shapeError;
            BodyPrescan::Result prescan;
            // A request refused already has no use for the head start: its thread is stopped,
            // not waited for, when the last reference goes.
            auto *watcher = admitted.allowed ? dynamic_cast<BodyPrescan *>(watcherRef.get()) : nullptr;
            if (watcher && watcher->bytesSeen() == body.size())
                prescan = watcher->finish(); // its offsets are into exactly these bytes
            if (readEnvelope && !parseEgressJson(body, &judged->egress, &shapeError, &prescan.body64) &&
                shapeError.isEmpty())
                shapeError = QStringLiteral("invalid request");
            if (!callerError.isEmpty())
                shapeError = callerError;
            judged->egress.prescan = std::move(prescan.scan);
            judged->decision = admitted.allowed ? gate->judge(judged->egress, *policy, shapeError) : admitted;
            judged->record =
                recordFor(requestId, judged->egress, judged->decision, gate->inspector(), policy->contentRules);
            QMetaObject::invokeMethod(
                this, [this, target, judged] { finishFetch(target, judged); }, Qt::QueuedConnection);
        },
        priority);
}

void ApiRouter::finishFetch(const QPointer<HttpConnection> &target, const std::shared_ptr<Judged> &judged) {
    HttpConnection *connection = target.data();
    // Closed but not yet deleted counts as gone too: nothing may be sent for it.
    const bool gone = !connection || !connection->isOpen();
    const PolicySnapshot current = m_ctx.policy();
    if (judged->decision.allowed && !gone && current != judged->policy && judged->rejudged < 3) {
        // The policy changed while the request was judged (an entry removed, a rule added): it
        // is judged again, under the policy now in force, before anything is sent.
        ++judged->rejudged;
        judged->policy = current;
        const Gate *gate = m_ctx.gate;
        m_judges.start([this, target, gate, judged] {
            lowerThisThreadPriority();
            judged->decision = gate->judge(judged->egress, *judged->policy);
            judged->record = recordFor(judged->requestId, judged->egress, judged->decision, gate->inspector(),
                                       judged->policy->contentRules);
            QMetaObject::invokeMethod(
                this, [this, target, judged] { finishFetch(target, judged); }, Qt::QueuedConnection);
        });
        return;
    }
    --m_judging;
    const bool checkOnly = judged->checkOnly;
    const PolicySnapshot &policy = judged->policy;
    const QByteArray &requestId = judged->requestId;
    const EgressRequest &egress = judged->egress;
    Decision d = judged->decision;
    AuditRecord rec = judged->record;
    if (d.allowed && current != policy) {
        // The policy kept changing while the request was judged again and again: not sent
        // under one that is no longer in force.
        d = Decision::refuse(ErrorCode::Busy,
                             QStringLiteral("the policy changed while the request was inspected, "
                                            "try again"),
                             QStringLiteral("policy.changed"));
        rec = recordFor(requestId, egress, d, m_ctx.gate->inspector(), policy->contentRules);
    }
    if (d.allowed) {
        // A lockdown or a disable while the request was inspected wins; then the egress budget,
        // charged here where it is kept (not for a client that is gone: nothing will leave).
        const Gate::RateMode rate = checkOnly || gone ? Gate::RateMode::Peek : Gate::RateMode::Consume;
        Decision now = Gate::checkState(*current, GateState{m_ctx.lockdown()});
        if (now.allowed)
            now = m_ctx.gate->charge(d, egress, *policy, rate);
        if (!now.allowed) {
            if (!now.hasUrl) {
                now.url = d.url;
                now.hasUrl = true;
            }
            d = std::move(now);
            rec = recordFor(requestId, egress, d, m_ctx.gate->inspector(), policy->contentRules);
        }
    }
    rec.caller = judged->caller;
    if (gone) {
        // The client went away while its request was judged: the decision is still recorded
        // (an allowed fetch as ended by its client, since nothing was sent), and not answered.
        if (checkOnly) {
            rec.event = EventKind::Check;
        } else if (!d.allowed) {
            m_ctx.stats->countBlocked(codeName(d.code));
        } else {
            rec.outcome = TransferOutcome::ClientAborted;
        }
        record(rec);
        return;
    }
    if (checkOnly) {
        rec.event = EventKind::Check;
        if (!record(rec))
            return sendError(connection, ErrorCode::AuditUnavailable,
                             QStringLiteral("audit log unavailable: request refused"));
        QJsonObject o;
        o.insert(QStringLiteral("allowed"), d.allowed);
        o.insert(QStringLiteral("code"), codeName(d.code));
        o.insert(QStringLiteral("reason"), d.allowed ? QStringLiteral("allowed") : d.message);
        if (!d.ruleId.isEmpty())
            o.insert(QStringLiteral("rule"), d.ruleId);
        if (!d.where.isEmpty())
            o.insert(QStringLiteral("where"), d.where);
        return sendJson(connection, QJsonDocument(o).toJson(QJsonDocument::Compact), 200,
                        {{"X-Airlock-Request-Id", requestId}});
    }

    if (!d.allowed) {
        return refuse(connection, rec, d.code, d.message, d.ruleId, d.retryAfterSeconds);
    }
    rec.bytesUp = egress.body.size();
    if (!record(rec))
        return sendError(connection, ErrorCode::AuditUnavailable,
                         QStringLiteral("audit log unavailable: request refused"));
    ++m_ctx.stats->allowed;

    m_fetches->submit(FetchJob{connection, d, egress.body, requestId, policy, judged->caller});
}

} // namespace airlock
