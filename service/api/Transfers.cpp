#include "api/Transfers.h"

#include "api/ErrorResponse.h"
#include "api/FetchRelay.h"
#include "http/HttpConnection.h"

namespace airlock {

Transfers::Transfers(TransferContext context, QObject *parent)
    : QObject(parent)
    , m_ctx(std::move(context)) {}

void Transfers::start(const FetchJob &job) {
    // A request keeps the policy snapshot it started with, redirect hops included.
    Gate *gate = m_ctx.gate;
    auto lockdown = m_ctx.lockdown;
    const PolicySnapshot policy = job.policy;
    HopJudge judge = [gate, policy, lockdown](const HopRequest &hop) {
        const Decision d = gate->evaluateHop(hop.location, hop.base, hop.origin, hop.method, hop.headers, *policy,
                                             GateState{lockdown()});
        return HopVerdict{d.allowed, FetchError{d.code, d.message, d.ruleId}, d.url, d.headers};
    };
    const Decision &decision = job.decision;
    auto *fetch = new UpstreamFetch(m_ctx.resolver, m_ctx.upstream, std::move(judge));
    auto *relay = new FetchRelay(job.connection, fetch, job.requestId, decision.method == QLatin1String("HEAD"),
                                 policy->maxResponseSize, this);
    ++m_ctx.stats->activeTransfers;
    const QString transferId = QString::fromLatin1(job.requestId);
    Q_EMIT started(transferId, decision.method, decision.url.host, decision.url.path);
    connect(relay, &FetchRelay::progress, this,
            [this, transferId](qint64 bytes, qint64 total) { Q_EMIT progress(transferId, bytes, total); });
    connect(relay, &FetchRelay::finished, this, [this, job, relay](const RelayResult &result) {
        m_relays.removeIf([relay](const Running &r) { return r.relay == relay || !r.relay; });
        book(job, result);
    });
    m_relays.append({relay, decision.method == QLatin1String("GET") || decision.method == QLatin1String("HEAD")});
    relay->start(decision.url, decision.method, decision.headers, job.body);
}

int Transfers::cutAll() {
    // Each cut ends its relay at once, which takes it out of m_relays: walk a copy.
    const QList<Running> running = m_relays;
    int cut = 0;
    for (const Running &r : running) {
        if (r.relay && !r.relay->done()) {
            r.relay->cutByLockdown();
            ++cut;
        }
    }
    return cut;
}

bool Transfers::preemptSlowReader() {
    FetchRelay *slowest = nullptr;
    qint64 slowestRate = 0;
    for (const Running &running : std::as_const(m_relays)) {
        FetchRelay *relay = running.relay;
        if (!relay || relay->done() || !running.resumable)
            continue;
        const qint64 age = relay->ageMs();
        if (age < kSlowReaderMinAgeMs || relay->clientHeldMs() * 2 < age)
            continue;
        const qint64 rate = relay->bytesDown() * 1000 / age;
        if (rate >= kSlowReaderBytesPerSecond)
            continue;
        if (!slowest || rate < slowestRate) {
            slowest = relay;
            slowestRate = rate;
        }
    }
    if (!slowest)
        return false;
    ++m_ctx.stats->preempted;
    slowest->preempt(); // finishes at once: booked, and its slot released
    return true;
}

void Transfers::book(const FetchJob &job, const RelayResult &result) {
    --m_ctx.stats->activeTransfers;
    m_ctx.stats->bytesUp += result.bytesUp;
    m_ctx.stats->bytesDown += result.bytesDown;
    const CanonicalUrl &url = job.decision.url;
    AuditRecord rec;
    rec.event = EventKind::Transfer;
    rec.requestId = QString::fromLatin1(job.requestId);
    rec.caller = job.caller;
    rec.method = job.decision.method;
    rec.host = result.finalUrl.host.isEmpty() ? url.host : result.finalUrl.host;
    rec.path = result.finalUrl.host.isEmpty() ? url.path : result.finalUrl.path;
    // A transfer record is "blocked" only when the Airlock refused it (a redirect hop, a
    // reserved address, a size limit); a network failure is an allowed request that failed.
    const bool blocked =
        result.outcome == TransferOutcome::Refused || result.outcome == TransferOutcome::ResponseTooLarge;
    rec.verdict = blocked ? Verdict::Blocked : Verdict::Allowed;
    rec.code = result.code;
    rec.rule = result.rule;
    rec.status = result.status ? result.status : httpStatusFor(result.code);
    rec.bytesUp = result.bytesUp;
    rec.bytesDown = result.bytesDown;
    rec.durationMs = result.durationMs;
    rec.redirects = result.redirects;
    rec.outcome = result.outcome;
    if (result.outcome == TransferOutcome::Refused)
        m_ctx.stats->countBlocked(codeName(result.code));
    else if (blocked)
        ++m_ctx.stats->upstreamFailures;
    m_ctx.record(rec);
    Q_EMIT ended();
}

} // namespace airlock
