#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace airlock {

// One allowlist entry in canonical form. Three shapes are accepted in policy.yaml:
// an exact host ("huggingface.co": port 443, any path), a wildcard ("*.hf.co": any
// subdomain at any depth, never the parent itself, port 443) and a URL prefix
// ("https://registry.ollama.ai/v2/": host and port exact, path prefix on a segment
// boundary). Per-entry methods narrow the policy's allowed_methods.
struct AllowEntry {
    enum class Kind { Host, Wildcard, UrlPrefix };

    Kind kind = Kind::Host;
    QString host;        // canonical ASCII host; for Wildcard the parent domain ("hf.co" for "*.hf.co")
    int port = 443;      // Host and Wildcard entries are always 443
    QString pathPrefix;  // UrlPrefix only: canonical path starting with '/'
    QStringList methods; // upper case; empty means the policy's allowed_methods apply
    // Canonical entry texts of the origins whose redirects alone may lead here ("via"); empty
    // means the destination may also be asked for directly. Shared storage and CDN hosts carry
    // one: a model download is redirected to them, nothing else needs to reach them.
    QStringList via;

    // The canonical text of the entry as written in policy.yaml: "host", "*.parent" or the URL prefix.
    QString text() const;
    bool operator==(const AllowEntry &) const = default;
};

// A header value that may carry a credential to exactly one destination host.
struct CredentialAllowEntry {
    QString destination; // canonical host
    QString header;      // header name, lower case
    QByteArray sha256;   // raw 32-byte SHA-256 of the exact header value
    bool operator==(const CredentialAllowEntry &) const = default;
};

struct CustomPattern {
    QString id;
    QString kind; // "pii" or "credential"
    QString regex;
    bool operator==(const CustomPattern &) const = default;
};

struct ContentRules {
    bool scanForPii = true;
    bool scanForCredentials = true;
    QStringList blockIfContains; // case-insensitive literals
    QList<CustomPattern> customPatterns;
    bool operator==(const ContentRules &) const = default;
};

// Model pulls: how much of the upstream one pull and all of them may use at once.
struct PullSettings {
    int maxParallel = 4; // connections (files downloading) per pull
    int maxActive = 2;   // pulls downloading at once; more wait in order
    bool operator==(const PullSettings &) const = default;
};

// The audit log rotates at a size: the live file is renamed audit.jsonl.1 (the older ones move
// up a number, the oldest beyond keepFiles is removed) and a new one continues the hash chain.
struct AuditSettings {
    qint64 maxFileBytes = 64 * 1024 * 1024; // 0: never rotate
    int keepFiles = 8;                      // rotated files kept beside the live one
    bool operator==(const AuditSettings &) const = default;
};

struct AdminSettings {
    QString group = QStringLiteral("secure-ai-admin");
    QString viewerGroup;
    bool operator==(const AdminSettings &) const = default;
};

// The whole policy. Immutable once published: the service shares it as PolicySnapshot and a
// change always builds, validates and swaps in a new one.
struct Policy {
    bool enabled = false;
    QList<AllowEntry> allowedDestinations;
    QStringList allowedMethods{QStringLiteral("GET"), QStringLiteral("HEAD"), QStringLiteral("POST")};
    qint64 maxBodySize = 10 * 1024 * 1024;
    qint64 maxResponseSize = 0; // 0 = unlimited
    int requestsPerMinute = 30;
    qint64 uploadBytesPerHour = 8 * 1024 * 1024; // per destination host: URL, headers and body
    ContentRules contentRules;
    QList<CredentialAllowEntry> credentialAllowlist;
    AdminSettings admin;
    PullSettings pulls;
    AuditSettings audit;
    bool operator==(const Policy &) const = default;
};

using PolicySnapshot = std::shared_ptr<const Policy>;

} // namespace airlock
