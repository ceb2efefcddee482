#include "policy/Allowlist.h"

#include "policy/AllowEntryParser.h"

namespace airlock {

namespace {

// "/v2" admits "/v2" and "/v2/x" but not "/v2x"; "/v2/" admits "/v2/" and below only.
bool pathHasPrefix(const QString &path, const QString &prefix) {
    if (prefix.isEmpty() || !path.startsWith(prefix))
        return false;
    return prefix.endsWith(u'/') || path.size() == prefix.size() || path[prefix.size()] == u'/';
}

// Below a prefix, what some servers would still turn into a separator or a parent step:
// an encoded slash or backslash ("..%2Fadmin") and path parameters ("..;/admin" on Tomcat).
bool ambiguousBelowPrefix(const QString &path) {
    return path.contains(QLatin1String("%2F"), Qt::CaseInsensitive) ||
           path.contains(QLatin1String("%5C"), Qt::CaseInsensitive) || path.contains(u';');
}

bool admits(const AllowEntry &entry, const CanonicalUrl &url) {
    switch (entry.kind) {
    case AllowEntry::Kind::Host:
        return url.port == 443 && url.host == entry.host;
    case AllowEntry::Kind::Wildcard:
        return url.port == 443 && url.host.size() > entry.host.size() + 1 && url.host.endsWith(entry.host) &&
               url.host[url.host.size() - entry.host.size() - 1] == u'.';
    case AllowEntry::Kind::UrlPrefix:
        return url.port == entry.port && url.host == entry.host && pathHasPrefix(url.path, entry.pathPrefix) &&
               !ambiguousBelowPrefix(url.path);
    }
    return false;
}

} // namespace

const AllowEntry *matchAllowlist(const QList<AllowEntry> &entries, const CanonicalUrl &url) {
    // A CanonicalUrl can be built by hand; never let an address through that path.
    if (url.host.isEmpty() || isIpLiteral(url.host) || !url.path.startsWith(u'/'))
        return nullptr;
    for (const AllowEntry &entry : entries) {
        if (!entry.host.isEmpty() && admits(entry, url))
            return &entry;
    }
    return nullptr;
}

bool viaAdmits(const AllowEntry &entry, const CanonicalUrl &from) {
    if (from.host.isEmpty() || isIpLiteral(from.host))
        return false;
    for (const QString &text : entry.via) {
        const std::optional<AllowEntry> origin = parseAllowEntry(text, nullptr);
        if (origin && admits(*origin, from))
            return true;
    }
    return false;
}

const AllowEntry *matchDestination(const QList<AllowEntry> &entries, const CanonicalUrl &url,
                                   const QList<CanonicalUrl> &redirectedFrom, const AllowEntry **viaOnly) {
    if (viaOnly)
        *viaOnly = nullptr;
    if (url.host.isEmpty() || isIpLiteral(url.host) || !url.path.startsWith(u'/'))
        return nullptr;
    for (const AllowEntry &entry : entries) {
        if (entry.host.isEmpty() || !admits(entry, url))
            continue;
        if (entry.via.isEmpty())
            return &entry;
        for (const CanonicalUrl &from : redirectedFrom) {
            if (viaAdmits(entry, from))
                return &entry;
        }
        if (viaOnly && !*viaOnly)
            *viaOnly = &entry;
    }
    return nullptr;
}

bool methodAllowed(const AllowEntry &entry, const QStringList &policyMethods, const QString &method) {
    const QString canonical = canonicalMethod(method);
    if (canonical.isEmpty())
        return false;
    // An entry's own list narrows allowed_methods, never widens it: lowering the policy-wide
    // list closes a method everywhere at once.
    return policyMethods.contains(canonical) && (entry.methods.isEmpty() || entry.methods.contains(canonical));
}

} // namespace airlock
