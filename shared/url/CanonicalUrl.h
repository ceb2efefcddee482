#pragma once

#include <QString>

#include <optional>

namespace airlock {

// An https URL in the one canonical form the Airlock checks and sends: lower-case ASCII host
// (IDNA applied, trailing dot removed), explicit port, a path with dot segments resolved and
// percent-encoding normalised (unreserved characters decoded, hex upper-cased, "%2F" kept
// encoded so it never becomes a segment boundary), and the query as given. What is checked is
// exactly what is sent.
struct CanonicalUrl {
    QString host;
    int port = 443;
    QString path = QStringLiteral("/"); // always starts with '/'
    QString query;                      // without '?'; empty when absent
    bool hasQuery = false;

    QString toString() const;     // https://host[:port]/path[?query]
    QString withoutQuery() const; // https://host[:port]/path
    QString authority() const;    // host or host:port when port != 443
    bool operator==(const CanonicalUrl &) const = default;
};

enum class UrlError {
    None,
    Malformed,        // unparsable, empty host, bad percent-encoding, backslash, ...
    ControlCharacter, // control characters, spaces, CR/LF anywhere
    NotHttps,         // any scheme but https
    Userinfo,         // user:pass@
    Fragment,         // #...
    IpLiteral,        // an IP address in any notation instead of a host name
    BadPort,          // not 1..65535
    BadHost,          // invalid characters, failed IDNA, too long
};

struct UrlResult {
    std::optional<CanonicalUrl> url;
    UrlError error = UrlError::None;
    QString message; // specific, safe to show (never contains the query)
};

UrlResult canonicalizeUrl(const QString &raw);

// Host canonicalisation shared by URLs and allowlist entries: lower case, trailing dot
// removed, IDNA ToASCII, label syntax checked. Returns nullopt with a reason on error
// (IP literals in any notation are an error: *isIpLiteral is set when given).
// Single-label names ("localhost") are accepted: reaching one is the allowlist's decision,
// and the resolver refuses loopback and private answers anyway.
std::optional<QString> canonicalHost(const QString &host, QString *error, bool *isIpLiteral = nullptr);

// True when host is an IP address in any notation an HTTP client would accept: dotted,
// decimal integer, octal, hex, short forms (127.1), bracketed IPv6 and v4-mapped IPv6.
// Deliberately broad: any host whose last label is numeric ("1.2.3.4.5", "0x") counts, as
// the WHATWG URL parser treats those as IPv4; percent-encoded and full-width forms too.
bool isIpLiteral(const QString &host);

} // namespace airlock
