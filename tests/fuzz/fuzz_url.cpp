// libFuzzer target for the security boundary: URL canonical form, allowlist matching against
// the default policy, allowlist entry parsing and the strict policy.yaml parser. Any input
// must be refused cleanly or produce a result that keeps the invariants below.
#include "policy/AllowEntryParser.h"
#include "policy/Allowlist.h"
#include "policy/PolicyYaml.h"
#include "url/CanonicalUrl.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace airlock;

namespace {

void require(bool condition, const char *what, const QString &detail = QString()) {
    if (condition)
        return;
    std::fprintf(stderr, "invariant violated: %s [%s]\n", what, qPrintable(detail));
    std::abort();
}

const Policy &defaultPolicy() {
    static const Policy policy = [] {
        const PolicyParseResult result = parsePolicyYaml(defaultPolicyYaml());
        require(result.ok(), "default policy parses");
        return *result.policy;
    }();
    return policy;
}

void checkCanonical(const CanonicalUrl &url) {
    const QString text = url.toString();
    require(!url.host.isEmpty() && !isIpLiteral(url.host), "canonical host is a name", text);
    require(url.port >= 1 && url.port <= 65535, "port in range", text);
    require(url.path.startsWith(u'/'), "path starts with /", text);
    require(url.hasQuery || url.query.isEmpty(), "query only with hasQuery", text);
    for (QChar c : text)
        require(c.unicode() > 0x20 && c.unicode() < 0x7F && c != u'\\' && c != u'#', "canonical URL is printable ASCII",
                text);
    require(!url.authority().contains(u'@'), "no userinfo", text);
    for (QStringView segment : QStringView(url.path).split(u'/'))
        require(segment != u"." && segment != u"..", "no dot segments", text);

    const UrlResult again = canonicalizeUrl(text);
    require(again.url.has_value(), "canonical URL canonicalises", text);
    require(*again.url == url, "canonicalisation is idempotent", text);
    require(canonicalHost(url.host, nullptr).value_or(QString()) == url.host, "host is canonical", text);
}

void checkUrl(const QString &raw) {
    const UrlResult result = canonicalizeUrl(raw);
    if (!result.url) {
        require(result.error != UrlError::None && !result.message.isEmpty(), "refusal has a reason");
        const qsizetype mark = raw.indexOf(u'?');
        const QString query = mark < 0 ? QString() : raw.sliced(mark + 1);
        if (query.size() >= 6 && result.message.contains(query)) {
            // The query may equal text the message holds anyway ("expected https://"): it leaks
            // only if, with another query in its place, that text is gone from the message.
            const UrlResult other = canonicalizeUrl(raw.left(mark + 1) + QStringLiteral("Zq9Zq9Zq9"));
            require(!other.url && other.message.contains(query) && !other.message.contains(u"Zq9Zq9Zq9"),
                    "message never contains the query", result.message);
        }
        return;
    }
    require(result.error == UrlError::None, "success has no error");
    checkCanonical(*result.url);
    const Policy &policy = defaultPolicy();
    if (const AllowEntry *entry = matchAllowlist(policy.allowedDestinations, *result.url)) {
        const CanonicalUrl &url = *result.url;
        require(!isIpLiteral(url.host), "matched URL has no IP literal host");
        switch (entry->kind) {
        case AllowEntry::Kind::Host:
            require(url.host == entry->host && url.port == 443, "host entry is exact", url.toString());
            break;
        case AllowEntry::Kind::Wildcard:
            require(url.host.endsWith(u'.' + entry->host) && url.port == 443, "wildcard is a proper subdomain",
                    url.toString());
            break;
        case AllowEntry::Kind::UrlPrefix:
            require(url.host == entry->host && url.port == entry->port && url.path.startsWith(entry->pathPrefix),
                    "prefix matches host, port and path", url.toString());
            break;
        }
    }
}

void checkEntry(const QString &text) {
    QString error;
    const std::optional<AllowEntry> entry = parseAllowEntry(text, &error);
    if (!entry) {
        require(!error.isEmpty(), "entry refusal has a reason");
        return;
    }
    require(!isIpLiteral(entry->host), "entry host is a name", entry->text());
    const std::optional<AllowEntry> again = parseAllowEntry(entry->text(), &error);
    require(again.has_value() && *again == *entry, "entry text round-trips", entry->text());
}

void checkPolicy(const QByteArray &yaml) {
    const PolicyParseResult result = parsePolicyYaml(yaml);
    require(result.ok() == result.problems.isEmpty(), "ok iff no problems");
    if (!result.ok())
        return;
    const QByteArray written = policyToYaml(*result.policy);
    const PolicyParseResult again = parsePolicyYaml(written);
    require(again.ok(), "written policy parses", QString::fromUtf8(written));
    require(*again.policy == *result.policy, "policy round-trips", QString::fromUtf8(written));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 16384)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString text = QString::fromUtf8(bytes);
    checkUrl(text);
    checkUrl(QStringLiteral("https://") + text);
    checkUrl(QStringLiteral("https://huggingface.co/") + text);
    checkEntry(text);
    checkPolicy(bytes);
    return 0;
}
