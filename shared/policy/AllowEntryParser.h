#pragma once

#include "policy/Policy.h"

#include <QString>

#include <optional>

namespace airlock {

// Parses one allowlist entry as written by a user ("huggingface.co", "*.hf.co",
// "https://registry.ollama.ai/v2/"). The same validator serves policy.yaml, the admin
// channel and the GUI editor. Returns nullopt and a human-readable reason on error.
std::optional<AllowEntry> parseAllowEntry(const QString &text, QString *error);

// The origins of an entry's `via` list, each parsed like an entry ("huggingface.co", "*.hf.co",
// a URL prefix; no methods), as canonical texts in the order given. At most kMaxVia, no
// duplicates, not empty. Returns nullopt and a reason on error.
inline constexpr qsizetype kMaxVia = 16;
std::optional<QStringList> parseViaList(const QStringList &texts, QString *error);

// Validates and upper-cases an HTTP method token (RFC 9110 token, known methods only:
// GET HEAD POST PUT PATCH DELETE OPTIONS). Returns an empty string on error.
QString canonicalMethod(const QString &method);

} // namespace airlock
