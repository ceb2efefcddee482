#pragma once

#include "policy/Policy.h"
#include "url/CanonicalUrl.h"

#include <QList>

namespace airlock {

// Returns the first entry that admits url (host, port, path prefix on a segment boundary),
// or nullptr. Methods are not considered here.
const AllowEntry *matchAllowlist(const QList<AllowEntry> &entries, const CanonicalUrl &url);

// Whether method is allowed for the entry: it must be in the policy-wide list and, when the
// entry names methods, in the entry's list too.
bool methodAllowed(const AllowEntry &entry, const QStringList &policyMethods, const QString &method);

} // namespace airlock
