#pragma once

#include "url/CanonicalUrl.h"

#include <QString>

#include <optional>

// Pieces of URL canonicalisation shared between the .cpp files of this folder; not part of
// the public contract.
namespace airlock::url_detail {

// canonicalHost() with the kind of failure, so canonicalizeUrl() can report ControlCharacter,
// IpLiteral or BadHost precisely.
std::optional<QString> canonicalHostDetailed(const QString &host, UrlError *kind, QString *error);

// The path from its first '/' up to (not including) '?'. Empty input gives "/".
std::optional<QString> canonicalPath(const QString &raw, QString *error);

// The query without '?': escapes validated, characters outside RFC 3986 query syntax encoded.
std::optional<QString> canonicalQuery(const QString &raw, QString *error);

// Control characters, spaces and invisible formatting characters: never acceptable in a URL.
bool isForbiddenCharacter(char32_t c);

} // namespace airlock::url_detail
