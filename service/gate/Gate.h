#pragma once

#include "gate/Decision.h"
#include "gate/EgressBudget.h"
#include "gate/EgressRequest.h"
#include "gate/RateLimiter.h"
#include "inspect/Inspector.h"
#include "policy/Policy.h"

namespace airlock {

// What the Gate needs to know beyond the policy.
struct GateState {
    bool lockdown = false;
};

// The ordered checks every outbound request passes before a byte leaves, first refusal wins:
// lockdown, enabled, rate limit, request shape, destination (canonical URL, HTTPS, allowlist,
// port, method), headers (hop-by-hop, Host, CR/LF, credentials), body size, content.
// Apart from the rate limiter's admissions and the egress budget it has no state and does no
// I/O. evaluate() is admit(), judge() and charge() in turn; a caller that inspects off its
// event loop calls them apart: admit() and charge() on the thread that owns the limiter and
// the budget, judge() (everything costly, content inspection included) on any thread.
class Gate final {
public:
    enum class RateMode { Consume, Peek };

    Gate(RateLimiter &limiter, const Inspector &inspector);

    // shapeError: a problem the API layer found in the request envelope (bad JSON, ...);
    // it is reported in its place in the order, after the rate limit.
    Decision evaluate(const EgressRequest &request, const Policy &policy, const GateState &state,
                      RateMode rate = RateMode::Consume, const QString &shapeError = {}) const;

    // Lockdown, enabled, rate limit. Allowed (with nothing else set): go on to judge().
    Decision admit(const Policy &policy, const GateState &state, RateMode rate) const;
    // Lockdown and enabled alone: what admit() checks first, asked again of a request judged
    // elsewhere while the state may have changed.
    static Decision checkState(const Policy &policy, const GateState &state);
    // Request shape, destination, headers, body size and content. Thread-safe.
    Decision judge(const EgressRequest &request, const Policy &policy, const QString &shapeError = {}) const;
    // The egress byte budget, for a request judge() allowed (any other decision is returned as
    // it is).
    Decision charge(Decision judged, const EgressRequest &request, const Policy &policy, RateMode rate) const;

    // A redirect hop, or a request sent again: location is the raw Location value (absolute or
    // relative; the URL itself for a request sent again), resolved against base with its
    // fragment dropped, then put in canonical form (HTTPS only, no IP literal), lockdown,
    // destination and method checks. origin: the URL the fetch started as; a destination
    // entry with `via` admits the hop when base or origin is one of its origins. Allowed: url is
    // the canonical next URL and headers those that may go there, credentials dropped when the
    // host or port changes.
    Decision evaluateHop(const QByteArray &location, const CanonicalUrl &base, const CanonicalUrl &origin,
                         const QString &method, const HeaderList &headers, const Policy &policy,
                         const GateState &state) const;

    const Inspector &inspector() const { return m_inspector; }
    // The egress byte budget (rate_limit.upload_bytes_per_hour) the last step checks; none: no
    // budget is kept.
    void setEgressBudget(EgressBudget *budget) { m_budget = budget; }
    // The bytes a request puts on the wire besides its body, as the budget counts them.
    static qint64 wireBytes(const CanonicalUrl &url, const QString &method, const HeaderList &headers,
                            const QByteArray &body);

private:
    Decision checkDestination(const QString &rawUrl, const QString &method, const Policy &policy) const;
    // redirectedFrom: for a redirect hop, the URL that sent it and the one the fetch started as
    // (what an entry's `via` is checked against); empty for a request asked for directly.
    Decision checkDestination(const CanonicalUrl &url, const QString &method, const Policy &policy,
                              const QList<CanonicalUrl> &redirectedFrom = {}) const;
    Decision filterHeaders(const HeaderList &headers, const CanonicalUrl &url, const Policy &policy) const;

    RateLimiter &m_limiter;
    const Inspector &m_inspector;
    EgressBudget *m_budget = nullptr;
};

} // namespace airlock
