#pragma once

#include "gate/Decision.h"
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
// Apart from the rate limiter's admissions it has no state and does no I/O.
class Gate final {
public:
    enum class RateMode { Consume, Peek };

    Gate(RateLimiter &limiter, const Inspector &inspector);

    // shapeError: a problem the API layer found in the request envelope (bad JSON, ...);
    // it is reported in its place in the order, after the rate limit.
    Decision evaluate(const EgressRequest &request, const Policy &policy, const GateState &state,
                      RateMode rate = RateMode::Consume, const QString &shapeError = {}) const;

    // A redirect hop: destination and method checks on the new URL; credentials that were
    // allowed for the previous host are dropped when the host changes.
    Decision evaluateHop(const CanonicalUrl &next, const QString &method, const HeaderList &headers,
                         const CanonicalUrl &previous, const Policy &policy, const GateState &state) const;

    const Inspector &inspector() const { return m_inspector; }

private:
    Decision checkDestination(const QString &rawUrl, const QString &method, const Policy &policy) const;
    Decision checkDestination(const CanonicalUrl &url, const QString &method, const Policy &policy) const;
    Decision filterHeaders(const HeaderList &headers, const CanonicalUrl &url, const Policy &policy) const;

    RateLimiter &m_limiter;
    const Inspector &m_inspector;
};

} // namespace airlock
