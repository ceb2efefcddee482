#include "pull/PullFetch.h"

namespace airlock {

PullFetch::PullFetch(const PullContext &context, QString requestId, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
    , m_id(std::move(requestId)) {}

PullFetch::~PullFetch() {
    if (m_fetch) {
        disconnect(m_fetch, nullptr, this, nullptr);
        m_fetch->abort();
    }
    if (!m_recorded && m_fetch)
        finish(TransferOutcome::Cancelled);
}

bool PullFetch::start(const QString &url, const QString &method, const HeaderList &headers, FetchError *error) {
    m_timer.start();
    m_method = method;
    const PolicySnapshot policy = m_ctx.policy();
    Gate *gate = m_ctx.gate;
    auto lockdown = m_ctx.lockdown;
    // The first hop is judged like a redirect to the URL itself: canonical form, HTTPS,
    // lockdown, allowlist and method, with nothing of a caller's to inspect.
    const UrlResult parsed = canonicalizeUrl(url);
    const Decision first =
        !policy->enabled ? Decision::refuse(ErrorCode::Disabled, QStringLiteral("airlock is disabled"),
                                            QStringLiteral("state.disabled"))
        : parsed.url
            ? gate->evaluateHop(url.toUtf8(), *parsed.url, *parsed.url, method, headers, *policy, GateState{lockdown()})
            : Decision::refuse(ErrorCode::BadManifest, QStringLiteral("the upstream named a URL that is not valid"));
    if (!first.allowed) {
        *error = FetchError{first.code, first.message, first.ruleId};
        if (parsed.url)
            m_url = *parsed.url;
        m_status = 0;
        AuditRecord rec;
        rec.event = EventKind::Transfer;
        rec.requestId = m_id;
        rec.method = method;
        rec.host = m_url.host;
        rec.path = m_url.path;
        rec.verdict = Verdict::Blocked;
        rec.code = first.code;
        rec.rule = first.ruleId;
        rec.outcome = TransferOutcome::Refused;
        m_ctx.stats->countBlocked(codeName(first.code));
        m_ctx.record(rec);
        m_recorded = true;
        return false;
    }
    m_url = first.url;
    HopJudge judge = [gate, policy, lockdown](const HopRequest &hop) {
        const Decision d = gate->evaluateHop(hop.location, hop.base, hop.origin, hop.method, hop.headers, *policy,
                                             GateState{lockdown()});
        return HopVerdict{d.allowed, FetchError{d.code, d.message, d.ruleId}, d.url, d.headers};
    };
    m_fetch = new UpstreamFetch(m_ctx.resolver, m_ctx.upstream, std::move(judge), this);
    connect(m_fetch, &UpstreamFetch::responseStarted, this, [this](int status, const HeaderList &h, qint64 length) {
        m_status = status;
        Q_EMIT responseStarted(status, h, length);
    });
    connect(m_fetch, &UpstreamFetch::readyRead, this, &PullFetch::readyRead);
    connect(m_fetch, &UpstreamFetch::finished, this, &PullFetch::finished);
    connect(m_fetch, &UpstreamFetch::failed, this, &PullFetch::failed);
    ++m_ctx.stats->activeTransfers;
    m_fetch->start(first.url, first.method.isEmpty() ? method : first.method, first.headers, {});
    return true;
}

void PullFetch::abort() {
    if (!m_fetch)
        return;
    disconnect(m_fetch, nullptr, this, nullptr);
    m_fetch->abort();
    if (!m_recorded)
        finish(TransferOutcome::Cancelled);
}

bool PullFetch::finish(TransferOutcome outcome, ErrorCode code, const QString &rule) {
    if (m_recorded || !m_fetch)
        return true;
    m_recorded = true;
    --m_ctx.stats->activeTransfers;
    const qint64 down = m_fetch->bytesReceived();
    m_ctx.stats->bytesDown += down;
    AuditRecord rec;
    rec.event = EventKind::Transfer;
    rec.requestId = m_id;
    rec.method = m_method;
    const CanonicalUrl last = m_fetch->currentUrl();
    rec.host = last.host.isEmpty() ? m_url.host : last.host;
    rec.path = last.host.isEmpty() ? m_url.path : last.path;
    const bool refused = outcome == TransferOutcome::Refused;
    rec.verdict = refused ? Verdict::Blocked : Verdict::Allowed;
    rec.code = code;
    rec.rule = rule;
    rec.status = m_status;
    rec.bytesDown = down;
    rec.durationMs = m_timer.elapsed();
    rec.redirects = m_fetch->redirectCount();
    rec.outcome = outcome;
    if (refused)
        m_ctx.stats->countBlocked(codeName(code));
    else if (outcome == TransferOutcome::UpstreamFailed)
        ++m_ctx.stats->upstreamFailures;
    return m_ctx.record(rec);
}

TransferOutcome outcomeOf(const FetchError &error) {
    const bool refused = !error.ruleId.isEmpty() || error.code == ErrorCode::Lockdown ||
                         error.code == ErrorCode::DestinationNotAllowed || error.code == ErrorCode::NotHttps ||
                         error.code == ErrorCode::ReservedAddress || error.code == ErrorCode::MethodNotAllowed;
    return refused ? TransferOutcome::Refused : TransferOutcome::UpstreamFailed;
}

} // namespace airlock
