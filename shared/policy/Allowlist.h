#pragma once

#include "policy/Policy.h"
#include "url/CanonicalUrl.h"

#include <QList>

namespace airlock {

// Returns the first entry that admits url (host, port, path prefix on a segment boundary),
// or nullptr. Methods are not considered here, and neither is an entry's `via`.
const AllowEntry *matchAllowlist(const QList<AllowEntry> &entries, const CanonicalUrl &url);

// The first entry that admits url for a request arriving from redirectedFrom: an entry with a
// `via` list admits it only when one of those URLs (the hop that sent the redirect, the
// request it started as) is one of its origins; with redirectedFrom empty (a request asked
// for directly), only entries without `via` count. On nullptr, *viaOnly (when given) is the
// first entry that would have admitted url but for its `via`, or nullptr.
const AllowEntry *matchDestination(const QList<AllowEntry> &entries, const CanonicalUrl &url,
                                   const QList<CanonicalUrl> &redirectedFrom, const AllowEntry **viaOnly = nullptr);

// Whether url is one of the entry's `via` origins.
bool viaAdmits(const AllowEntry &entry, const CanonicalUrl &from);

// Whether method is allowed for the entry: it must be in the policy-wide list and, when the
// entry names methods, in the entry's list too.
bool methodAllowed(const AllowEntry &entry, const QStringList &policyMethods, const QString &method);

} // namespace airlock
