#include "gate/Gate.h"

#include "base/HttpGrammar.h"
#include "policy/AllowEntryParser.h"
#include "policy/Allowlist.h"

#include <QCryptographicHash>
#include <QUrl>

namespace airlock {

namespace {

QString whereHeader(const QByteArray &lowerName) {
    return QStringLiteral("header:") + QString::fromLatin1(lowerName);
}

Decision fromUrlError(const UrlResult &result) {
    switch (result.error) {
    case UrlError::NotHttps:
        return Decision::refuse(ErrorCode::NotHttps, QStringLiteral("only HTTPS destinations are allowed"),
                                QStringLiteral("destination.https_only"), QStringLiteral("url"));
    case UrlError::IpLiteral:
        return Decision::refuse(ErrorCode::DestinationNotAllowed,
                                QStringLiteral("destination not in allowlist: IP address destinations are not allowed"),
                                QStringLiteral("destination.ip_literal"), QStringLiteral("url"));
    default:
        return Decision::refuse(ErrorCode::BadRequest, QStringLiteral("invalid url: ") + result.message,
                                QStringLiteral("request.url"), QStringLiteral("url"));
    }
}

} // namespace

Gate::Gate(RateLimiter &limiter, const Inspector &inspector)
    : m_limiter(limiter)
    , m_inspector(inspector) {}

Decision Gate::checkDestination(const QString &rawUrl, const QString &method, const Policy &policy) const {
    const UrlResult parsed = canonicalizeUrl(rawUrl);
    if (!parsed.url)
        return fromUrlError(parsed);
    return checkDestination(*parsed.url, method, policy);
}

Decision Gate::checkDestination(const CanonicalUrl &url, const QString &method, const Policy &policy,
                                const QList<CanonicalUrl> &redirectedFrom) const {
    const AllowEntry *viaOnly = nullptr;
    const AllowEntry *entry = matchDestination(policy.allowedDestinations, url, redirectedFrom, &viaOnly);
    if (!entry && viaOnly) {
        // Shared storage: any bucket on it would do as a way out, so it is reached only where a
        // named origin sends a download.
        Decision d = Decision::refuse(ErrorCode::DestinationNotAllowed,
                                      QStringLiteral("destination reached only through a redirect from %1: %2")
                                          .arg(viaOnly->via.join(QStringLiteral(", ")), url.authority()),
                                      QStringLiteral("destination.via"), QStringLiteral("url"));
        d.url = url;
        d.hasUrl = true;
        return d;
    }
    if (!entry) {
        Decision d = Decision::refuse(ErrorCode::DestinationNotAllowed,
                                      QStringLiteral("destination not in allowlist: ") + url.authority(),
                                      QStringLiteral("destination.allowlist"), QStringLiteral("url"));
        d.url = url;
        d.hasUrl = true;
        return d;
    }
    if (!methodAllowed(*entry, policy.allowedMethods, method)) {
        Decision d = Decision::refuse(ErrorCode::MethodNotAllowed, QStringLiteral("method not allowed: ") + method,
                                      QStringLiteral("destination.method"), QStringLiteral("method"));
        d.url = url;
        d.hasUrl = true;
        return d;
    }
    Decision d;
    d.allowed = true;
    d.url = url;
    d.hasUrl = true;
    d.method = method;
    return d;
}

Decision Gate::filterHeaders(const HeaderList &headers, const CanonicalUrl &url, const Policy &policy) const {
    // Names listed in Connection are hop-by-hop for this message too.
    const QSet<QByteArray> connectionListed = http::connectionListed(headers);

    Decision d;
    d.allowed = true;
    QList<QByteArray> credentialsSeen;
    for (const auto &[name, value] : headers) {
        const QByteArray lower = name.toLower();
        if (!http::isToken(name))
            return Decision::refuse(ErrorCode::BadRequest, QStringLiteral("invalid header name"),
                                    QStringLiteral("request.header_name"), QStringLiteral("headers"));
        if (!http::isFieldValue(value))
            // The name is not repeated back: it is the caller's text and may be anything.
            return Decision::refuse(ErrorCode::BadRequest, QStringLiteral("a header value contains control characters"),
                                    QStringLiteral("request.header_value"), QStringLiteral("headers"));
        if (lower == "host")
            return Decision::refuse(ErrorCode::BadRequest,
                                    QStringLiteral("the Host header is not allowed: the url names the host"),
                                    QStringLiteral("request.host_header"), whereHeader(lower));
        // A credential is judged as one whatever else names it (Proxy-Authorization is also
        // hop-by-hop, Connection may list Authorization): refused unless the policy vouches for it.
        if (http::isCredentialHeader(lower)) {
            // Each value may be allowlisted, but repeated they go out joined: a value nobody
            // allowlisted.
            if (credentialsSeen.contains(lower))
                return Decision::refuse(ErrorCode::CredentialDetected,
                                        QStringLiteral("request blocked: credential detected in request headers"),
                                        QStringLiteral("cred.") + QString::fromLatin1(lower).replace('-', '_'),
                                        whereHeader(lower));
            credentialsSeen.append(lower);
            const QByteArray digest = QCryptographicHash::hash(value, QCryptographicHash::Sha256);
            bool allowed = false;
            for (const CredentialAllowEntry &c : policy.credentialAllowlist) {
                if (c.destination == url.host && c.header.toLatin1() == lower && c.sha256 == digest) {
                    allowed = true;
                    break;
                }
            }
            if (!allowed)
                return Decision::refuse(ErrorCode::CredentialDetected,
                                        QStringLiteral("request blocked: credential detected in request headers"),
                                        QStringLiteral("cred.") + QString::fromLatin1(lower).replace('-', '_'),
                                        whereHeader(lower));
        }
        // X-SecAI-* are the appliance's own, between its services and the Airlock: never sent on.
        if (lower.startsWith("x-secai-"))
            continue;
        // The service frames the message and speaks for the connection itself.
        if (http::isHopByHop(lower) || http::isFraming(lower) || connectionListed.contains(lower))
            continue;
        d.headers.append({name, value});
    }
    return d;
}

Decision Gate::evaluate(const EgressRequest &request, const Policy &policy, const GateState &state, RateMode rate,
                        const QString &shapeError) const {
    const Decision admitted = admit(policy, state, rate);
    if (!admitted.allowed)
        return admitted;
    return charge(judge(request, policy, shapeError), request, policy, rate);
}

Decision Gate::checkState(const Policy &policy, const GateState &state) {
    if (state.lockdown)
        return Decision::refuse(ErrorCode::Lockdown, QStringLiteral("airlock is in lockdown"),
                                QStringLiteral("state.lockdown"));
    if (!policy.enabled)
        return Decision::refuse(ErrorCode::Disabled, QStringLiteral("airlock is disabled"),
                                QStringLiteral("state.disabled"));
    Decision d;
    d.allowed = true;
    return d;
}

Decision Gate::admit(const Policy &policy, const GateState &state, RateMode rate) const {
    if (Decision d = checkState(policy, state); !d.allowed)
        return d;

    int retryAfter = 0;
    const bool admitted = rate == RateMode::Consume ? m_limiter.tryAcquire(policy.requestsPerMinute, &retryAfter)
                                                    : m_limiter.wouldAdmit(policy.requestsPerMinute, &retryAfter);
    if (!admitted) {
        Decision d = Decision::refuse(ErrorCode::RateLimited, QStringLiteral("rate limit exceeded"),
                                      QStringLiteral("rate.requests_per_minute"));
        d.retryAfterSeconds = retryAfter;
        return d;
    }
    Decision d;
    d.allowed = true;
    return d;
}

Decision Gate::judge(const EgressRequest &request, const Policy &policy, const QString &shapeError) const {
    // Request shape.
    if (!shapeError.isEmpty())
        return Decision::refuse(ErrorCode::BadRequest, shapeError, QStringLiteral("request.shape"));
    if (request.url.isEmpty())
        return Decision::refuse(ErrorCode::BadRequest, QStringLiteral("missing field: url"),
                                QStringLiteral("request.shape"));
    const QString method = canonicalMethod(request.method);
    if (method.isEmpty()) {
        const bool token = http::isToken(request.method.toLatin1()) && request.method.size() <= 32;
        if (!token)
            return Decision::refuse(ErrorCode::BadRequest, QStringLiteral("invalid method"),
                                    QStringLiteral("request.method"), QStringLiteral("method"));
        return Decision::refuse(ErrorCode::MethodNotAllowed,
                                QStringLiteral("method not allowed: ") + request.method.toUpper(),
                                QStringLiteral("destination.method"), QStringLiteral("method"));
    }
    if (request.hasBody && (method == QLatin1String("GET") || method == QLatin1String("HEAD")) &&
        !request.body.isEmpty())
        return Decision::refuse(ErrorCode::BadRequest,
                                QStringLiteral("a ") + method + QStringLiteral(" request cannot carry a body"),
                                QStringLiteral("request.shape"), QStringLiteral("body"));

    // Destination.
    Decision destination = checkDestination(request.url, method, policy);
    if (!destination.allowed)
        return destination;

    // Headers.
    Decision headers = filterHeaders(request.headers, destination.url, policy);
    if (!headers.allowed) {
        headers.url = destination.url;
        headers.hasUrl = true;
        return headers;
    }

    // Size.
    if (request.body.size() > policy.maxBodySize) {
        Decision d = Decision::refuse(ErrorCode::BodyTooLarge,
                                      QStringLiteral("request body exceeds %1 bytes").arg(policy.maxBodySize),
                                      QStringLiteral("size.max_body_size"), QStringLiteral("body"));
        d.url = destination.url;
        d.hasUrl = true;
        return d;
    }

    // Content. A credential header still here was allowed by its exact SHA-256 for this host:
    // the policy vouched for that value, so the credential rules must not refuse it again.
    HeaderList inspected;
    inspected.reserve(headers.headers.size());
    for (const auto &header : headers.headers) {
        if (!http::isCredentialHeader(header.first.toLower()))
            inspected.append(header);
    }
    const InspectionResult inspection =
        m_inspector.inspect(destination.url, inspected, request.body, policy.contentRules, request.prescan.get());
    if (inspection.uninspectable || !inspection.findings.isEmpty()) {
        Decision d;
        if (inspection.uninspectable) {
            d = Decision::refuse(ErrorCode::Uninspectable,
                                 QStringLiteral("request blocked: content cannot be inspected (") + inspection.reason +
                                     QLatin1Char(')'),
                                 QStringLiteral("inspect.limit"));
        } else {
            const Finding &f = inspection.findings.first();
            const QString place = f.where == QLatin1String("url")    ? QStringLiteral("request URL")
                                  : f.where == QLatin1String("body") ? QStringLiteral("request body")
                                                                     : QStringLiteral("request headers");
            const ErrorCode code = f.kind == QLatin1String("pii")          ? ErrorCode::PiiDetected
                                   : f.kind == QLatin1String("credential") ? ErrorCode::CredentialDetected
                                                                           : ErrorCode::ContentBlocked;
            const QString what = code == ErrorCode::PiiDetected          ? QStringLiteral("PII")
                                 : code == ErrorCode::CredentialDetected ? QStringLiteral("credential")
                                                                         : QStringLiteral("blocked content");
            d = Decision::refuse(code, QStringLiteral("request blocked: %1 detected in %2").arg(what, place), f.rule,
                                 f.where);
        }
        d.url = destination.url;
        d.hasUrl = true;
        return d;
    }

    Decision allowed;
    allowed.allowed = true;
    allowed.url = destination.url;
    allowed.hasUrl = true;
    allowed.method = method;
    allowed.headers = headers.headers;
    return allowed;
}

Decision Gate::charge(Decision judged, const EgressRequest &request, const Policy &policy, RateMode rate) const {
    // The egress byte budget, last: only what would leave is counted, per destination host.
    if (judged.allowed && m_budget) {
        const CanonicalUrl &destination = judged.url;
        const qint64 bytes = wireBytes(destination, judged.method, judged.headers, request.body);
        int budgetRetry = 0;
        if (!m_budget->admit(destination.host, bytes, policy.uploadBytesPerHour, rate == RateMode::Consume,
                             &budgetRetry)) {
            Decision d = Decision::refuse(ErrorCode::EgressBudgetExceeded,
                                          QStringLiteral("egress budget for %1 spent: at most %2 bytes an hour")
                                              .arg(destination.host)
                                              .arg(policy.uploadBytesPerHour),
                                          QStringLiteral("rate.upload_bytes_per_hour"));
            d.retryAfterSeconds = budgetRetry;
            d.url = destination;
            d.hasUrl = true;
            return d;
        }
    }
    return judged;
}

qint64 Gate::wireBytes(const CanonicalUrl &url, const QString &method, const HeaderList &headers,
                       const QByteArray &body) {
    // Request line and Host as the exchange writes them, each header "Name: value\r\n", the body.
    qint64 n = method.size() + url.path.size() + url.query.size() + 16 + url.host.size() + 8;
    for (const auto &[name, value] : headers)
        n += name.size() + value.size() + 4;
    return n + body.size();
}

Decision Gate::evaluateHop(const QByteArray &location, const CanonicalUrl &base, const CanonicalUrl &origin,
                           const QString &method, const HeaderList &headers, const Policy &policy,
                           const GateState &state) const {
    // The Location is read first: one that names no URL is the upstream's failure, not a refusal.
    QUrl resolved = QUrl(base.toString()).resolved(QUrl::fromEncoded(location));
    // A fragment is the client's business and never sent (RFC 9110 10.2.2): drop it.
    resolved.setFragment(QString());
    UrlResult next;
    if (resolved.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) != 0)
        next.error = UrlError::NotHttps;
    else
        next = canonicalizeUrl(resolved.toString(QUrl::FullyEncoded));
    if (!next.url) {
        if (next.error == UrlError::NotHttps || next.error == UrlError::IpLiteral)
            return fromUrlError(next);
        return Decision::refuse(ErrorCode::UpstreamFailed, QStringLiteral("upstream sent an invalid redirect location"),
                                {}, QStringLiteral("url"));
    }

    if (state.lockdown)
        return Decision::refuse(ErrorCode::Lockdown, QStringLiteral("airlock is in lockdown"),
                                QStringLiteral("state.lockdown"));
    // A request sent again (location is base itself) is no redirect: it is judged as the fetch
    // was, by the origin it started from.
    QList<CanonicalUrl> from{origin};
    if (!(*next.url == base))
        from.prepend(base);
    Decision d = checkDestination(*next.url, method, policy, from);
    if (!d.allowed)
        return d;
    const bool sameOrigin = d.url.host == base.host && d.url.port == base.port;
    for (const auto &[name, value] : headers) {
        if (!sameOrigin && http::isCredentialHeader(name.toLower()))
            continue;
        d.headers.append({name, value});
    }
    return d;
}

} // namespace airlock
