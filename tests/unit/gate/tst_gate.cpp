#include "gate/Gate.h"
#include "policy/AllowEntryParser.h"

#include <QCryptographicHash>
#include <QTest>

using namespace airlock;

namespace {

Policy testPolicy() {
    Policy p;
    p.enabled = true;
    QString error;
    for (const char *text : {"huggingface.co", "*.hf.co", "https://registry.ollama.ai/v2/"}) {
        auto entry = parseAllowEntry(QString::fromLatin1(text), &error);
        Q_ASSERT(entry);
        p.allowedDestinations.append(*entry);
    }
    auto cdn = parseAllowEntry(QStringLiteral("cdn-lfs.huggingface.co"), &error);
    cdn->methods = {QStringLiteral("GET"), QStringLiteral("HEAD")};
    p.allowedDestinations.append(*cdn);
    p.credentialAllowlist.append(
        {QStringLiteral("huggingface.co"), QStringLiteral("authorization"),
         QCryptographicHash::hash("Bearer hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567", QCryptographicHash::Sha256)});
    p.maxBodySize = 100;
    p.requestsPerMinute = 1000;
    return p;
}

EgressRequest request(const QString &url, const QString &method = QStringLiteral("GET"), HeaderList headers = {},
                      QByteArray body = {}) {
    EgressRequest r;
    r.url = url;
    r.method = method;
    r.headers = std::move(headers);
    r.body = std::move(body);
    r.hasBody = !r.body.isEmpty();
    return r;
}

} // namespace

class TestGate final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decisions_data();
    void decisions();
    void orderLockdownBeforeDisabledBeforeRate();
    void rateLimitCountsAttemptsAndSetsRetryAfter();
    void hopByHopHeadersDropped();
    void bodyLimitIsExact();
    void hops_data();
    void hops();
    void hopDropsCredentialsAcrossHosts_data();
    void hopDropsCredentialsAcrossHosts();
    void blockIfContainsRefuses();
    void viaEntriesAreRedirectTargetsOnly_data();
    void viaEntriesAreRedirectTargetsOnly();
    void viaEntryBesidePlainEntry();

private:
    qint64 m_now = 0;
};

void TestGate::decisions_data() {
    QTest::addColumn<EgressRequest>("req");
    QTest::addColumn<QString>("code");

    auto add = [](const char *name, EgressRequest r, const char *code) {
        QTest::newRow(name) << r << QString::fromLatin1(code);
    };
    add("allowed host", request("https://huggingface.co/api/models"), "ok");
    add("allowed wildcard", request("https://cas-bridge.xethub.hf.co/x"), "ok");
    add("allowed prefix", request("https://registry.ollama.ai/v2/library/llama3/manifests/latest"), "ok");
    add("prefix outside", request("https://registry.ollama.ai/v1/x"), "destination_not_allowed");
    add("prefix dotdot", request("https://registry.ollama.ai/v2/../admin"), "destination_not_allowed");
    add("not listed", request("https://example.com/"), "destination_not_allowed");
    add("lookalike suffix", request("https://huggingface.co.evil.com/"), "destination_not_allowed");
    add("wildcard parent", request("https://hf.co/"), "destination_not_allowed");
    add("http", request("http://huggingface.co/"), "https_required");
    add("ftp", request("ftp://huggingface.co/"), "https_required");
    add("ip literal", request("https://127.0.0.1/"), "destination_not_allowed");
    add("decimal ip", request("https://2130706433/"), "destination_not_allowed");
    add("userinfo", request("https://huggingface.co@evil.com/"), "bad_request");
    add("port mismatch", request("https://huggingface.co:8443/"), "destination_not_allowed");
    add("crlf in url", request("https://huggingface.co/\r\nX: y"), "bad_request");
    add("method not allowed", request("https://huggingface.co/", "DELETE"), "method_not_allowed");
    add("entry methods", request("https://cdn-lfs.huggingface.co/x", "POST", {}, "a"), "method_not_allowed");
    add("lowercase method", request("https://huggingface.co/", "get"), "ok");
    add("invalid method", request("https://huggingface.co/", "GE T"), "bad_request");
    add("host header", request("https://huggingface.co/", "GET", {{"Host", "evil.com"}}), "bad_request");
    add("crlf header", request("https://huggingface.co/", "GET", {{"X-A", "a\r\nB: c"}}), "bad_request");
    add("bad header name", request("https://huggingface.co/", "GET", {{"X A", "a"}}), "bad_request");
    add("authorization", request("https://huggingface.co/", "GET", {{"Authorization", "Bearer other"}}),
        "credential_detected");
    add("authorization allowlisted",
        request("https://huggingface.co/", "GET", {{"Authorization", "Bearer hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567"}}),
        "ok");
    add("authorization other host",
        request("https://cdn-lfs.huggingface.co/", "GET",
                {{"Authorization", "Bearer hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567"}}),
        "credential_detected");
    add("cookie", request("https://huggingface.co/", "GET", {{"Cookie", "a=b"}}), "credential_detected");
    add("allowlisted authorization twice",
        request("https://huggingface.co/", "GET",
                {{"Authorization", "Bearer hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567"},
                 {"authorization", "Bearer hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567"}}),
        "credential_detected");
    add("proxy authorization", request("https://huggingface.co/", "GET", {{"Proxy-Authorization", "Basic x"}}),
        "credential_detected");
    add("get with body", request("https://huggingface.co/", "GET", {}, "x"), "bad_request");
    add("empty url", request(""), "bad_request");
}

void TestGate::decisions() {
    QFETCH(EgressRequest, req);
    QFETCH(QString, code);
    RateLimiter limiter([this] { return m_now; });
    Inspector inspector;
    Gate gate(limiter, inspector);
    const Decision d = gate.evaluate(req, testPolicy(), GateState{});
    QCOMPARE(codeName(d.code), code);
    QCOMPARE(d.allowed, code == QLatin1String("ok"));
    if (!d.allowed)
        QVERIFY(!d.message.isEmpty());
}

void TestGate::orderLockdownBeforeDisabledBeforeRate() {
    RateLimiter limiter([this] { return m_now; });
    Inspector inspector;
    Gate gate(limiter, inspector);
    Policy p = testPolicy();
    p.enabled = false;
    p.requestsPerMinute = 1;
    const EgressRequest bad = request("http://evil.example/");
    QCOMPARE(gate.evaluate(bad, p, GateState{true}).code, ErrorCode::Lockdown);
    QCOMPARE(gate.evaluate(bad, p, GateState{false}).code, ErrorCode::Disabled);
    p.enabled = true;
    QCOMPARE(gate.evaluate(bad, p, GateState{}).code, ErrorCode::NotHttps); // consumes the one slot
    QCOMPARE(gate.evaluate(bad, p, GateState{}).code, ErrorCode::RateLimited);
    // A shape error is reported after the rate limit, in its place.
    QCOMPARE(gate.evaluate(bad, p, GateState{}, Gate::RateMode::Consume, QStringLiteral("bad json")).code,
             ErrorCode::RateLimited);
}

void TestGate::rateLimitCountsAttemptsAndSetsRetryAfter() {
    RateLimiter limiter([this] { return m_now; });
    Inspector inspector;
    Gate gate(limiter, inspector);
    Policy p = testPolicy();
    p.requestsPerMinute = 3;
    m_now = 0;
    QVERIFY(gate.evaluate(request("https://huggingface.co/"), p, {}).allowed);
    QCOMPARE(gate.evaluate(request("https://evil.example/"), p, {}).code, ErrorCode::DestinationNotAllowed);
    QCOMPARE(gate.evaluate(request("https://huggingface.co/"), p, {}, Gate::RateMode::Peek).code, ErrorCode::None);
    QVERIFY(gate.evaluate(request("https://huggingface.co/"), p, {}).allowed);
    m_now = 20'000;
    const Decision d = gate.evaluate(request("https://huggingface.co/"), p, {});
    QCOMPARE(d.code, ErrorCode::RateLimited);
    QCOMPARE(d.retryAfterSeconds, 40);
    m_now = 60'000;
    QVERIFY(gate.evaluate(request("https://huggingface.co/"), p, {}).allowed);
}

void TestGate::hopByHopHeadersDropped() {
    RateLimiter limiter([this] { return m_now; });
    Inspector inspector;
    Gate gate(limiter, inspector);
    const Decision d = gate.evaluate(request("https://huggingface.co/", "GET",
                                             {{"Connection", "X-Private"},
                                              {"X-Private", "1"},
                                              {"Keep-Alive", "5"},
                                              {"Transfer-Encoding", "chunked"},
                                              {"Content-Length", "5"},
                                              {"TE", "trailers"},
                                              {"Upgrade", "h2c"},
                                              {"Range", "bytes=0-9"},
                                              {"Accept", "application/json"}}),
                                     testPolicy(), {});
    QVERIFY(d.allowed);
    const HeaderList expected{{"Range", "bytes=0-9"}, {"Accept", "application/json"}};
    QCOMPARE(d.headers, expected);
}

void TestGate::bodyLimitIsExact() {
    RateLimiter limiter([this] { return m_now; });
    Inspector inspector;
    Gate gate(limiter, inspector);
    const Policy p = testPolicy();
    QVERIFY(gate.evaluate(request("https://huggingface.co/", "POST", {}, QByteArray(100, 'a')), p, {}).allowed);
    const Decision d = gate.evaluate(request("https://huggingface.co/", "POST", {}, QByteArray(101, 'a')), p, {});
    QCOMPARE(d.code, ErrorCode::BodyTooLarge);
    QCOMPARE(d.message, QStringLiteral("request body exceeds 100 bytes"));
}

// A redirect hop is judged from the raw Location the upstream sent, relative to the URL that
// answered: the Gate resolves it, drops the fragment, puts it in canonical form, and refuses.
void TestGate::hops_data() {
    QTest::addColumn<QByteArray>("location");
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("lockdown");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("result"); // the next URL when allowed, else the message
    QTest::addColumn<QString>("rule");

    const QString ok = QStringLiteral("ok");
    const QString https = QStringLiteral("only HTTPS destinations are allowed");
    const QString ip = QStringLiteral("destination not in allowlist: IP address destinations are not allowed");
    const QString invalid = QStringLiteral("upstream sent an invalid redirect location");
    auto add = [](const char *name, const char *location, const char *method, bool lockdown, const QString &code,
                  const QString &result, const char *rule = "") {
        QTest::newRow(name) << QByteArray(location) << QString::fromLatin1(method) << lockdown << code << result
                            << QString::fromLatin1(rule);
    };
    // from https://huggingface.co/m/resolve/main/f
    add("relative path", "/other?x=1", "GET", false, ok, "https://huggingface.co/other?x=1");
    add("relative to the directory", "../../tree/main", "GET", false, ok, "https://huggingface.co/m/tree/main");
    add("absolute", "https://cdn-lfs.huggingface.co/blob/1", "GET", false, ok, "https://cdn-lfs.huggingface.co/blob/1");
    add("scheme-relative", "//cdn-lfs.huggingface.co/blob", "GET", false, ok, "https://cdn-lfs.huggingface.co/blob");
    add("canonical form", "HTTPS://HuggingFace.CO:443/a/./b/../c", "GET", false, ok, "https://huggingface.co/a/c");
    add("fragment dropped", "/x?a=b#part", "GET", false, ok, "https://huggingface.co/x?a=b");
    add("the URL itself", "https://huggingface.co/m/resolve/main/f", "GET", false, ok,
        "https://huggingface.co/m/resolve/main/f");
    add("http", "http://huggingface.co/x", "GET", false, "https_required", https, "destination.https_only");
    add("ftp", "ftp://huggingface.co/x", "GET", false, "https_required", https, "destination.https_only");
    add("ip literal", "https://127.0.0.1/x", "GET", false, "destination_not_allowed", ip, "destination.ip_literal");
    add("decimal ip literal", "https://2130706433/", "GET", false, "destination_not_allowed", ip,
        "destination.ip_literal");
    add("garbage", "https://exa mple/", "GET", false, "upstream_failed", invalid);
    add("userinfo", "https://user:pw@huggingface.co/", "GET", false, "upstream_failed", invalid);
    add("not listed", "https://evil.example/steal", "GET", false, "destination_not_allowed",
        "destination not in allowlist: evil.example", "destination.allowlist");
    add("other port", "https://huggingface.co:8443/x", "GET", false, "destination_not_allowed",
        "destination not in allowlist: huggingface.co:8443", "destination.allowlist");
    add("method of the entry", "https://cdn-lfs.huggingface.co/x", "POST", false, "method_not_allowed",
        "method not allowed: POST", "destination.method");
    add("lockdown", "/other", "GET", true, "lockdown", "airlock is in lockdown", "state.lockdown");
    add("lockdown, the Location read first", "http://huggingface.co/x", "GET", true, "https_required", https,
        "destination.https_only");
}

void TestGate::hops() {
    QFETCH(QByteArray, location);
    QFETCH(QString, method);
    QFETCH(bool, lockdown);
    QFETCH(QString, code);
    QFETCH(QString, result);
    QFETCH(QString, rule);
    RateLimiter limiter([this] { return m_now; });
    Inspector inspector;
    Gate gate(limiter, inspector);
    const CanonicalUrl base = *canonicalizeUrl(QStringLiteral("https://huggingface.co/m/resolve/main/f")).url;
    const Decision d = gate.evaluateHop(location, base, base, method, {}, testPolicy(), GateState{lockdown});
    QCOMPARE(codeName(d.code), code);
    QCOMPARE(d.allowed, code == QLatin1String("ok"));
    if (d.allowed) {
        QVERIFY(d.hasUrl);
        QCOMPARE(d.url.toString(), result);
    } else {
        QCOMPARE(d.message, result);
        QCOMPARE(d.ruleId, rule);
    }
}

// Credentials the policy allowed for one host go with a redirect on the same host and port only.
void TestGate::hopDropsCredentialsAcrossHosts_data() {
    QTest::addColumn<QByteArray>("location");
    QTest::addColumn<bool>("kept");
    QTest::newRow("same host, relative") << QByteArray("/other") << true;
    QTest::newRow("same host, absolute") << QByteArray("https://huggingface.co/other") << true;
    QTest::newRow("other host") << QByteArray("https://cdn-lfs.huggingface.co/blob") << false;
    QTest::newRow("same host, other port") << QByteArray("https://huggingface.co:8443/x") << false;
}

void TestGate::hopDropsCredentialsAcrossHosts() {
    QFETCH(QByteArray, location);
    QFETCH(bool, kept);
    RateLimiter limiter([this] { return m_now; });
    Inspector inspector;
    Gate gate(limiter, inspector);
    Policy p = testPolicy();
    QString error;
    p.allowedDestinations.append(*parseAllowEntry(QStringLiteral("https://huggingface.co:8443/"), &error));
    const CanonicalUrl from = *canonicalizeUrl(QStringLiteral("https://huggingface.co/m/resolve/main/f")).url;
    const HeaderList headers{{"Authorization", "Bearer hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567"},
                             {"Cookie", "a=b"},
                             {"Proxy-Authorization", "Basic x"},
                             {"Range", "bytes=1-"}};
    const Decision d = gate.evaluateHop(location, from, from, QStringLiteral("GET"), headers, p, {});
    QVERIFY(d.allowed);
    const HeaderList expected = kept ? headers : HeaderList{{"Range", "bytes=1-"}};
    QCOMPARE(d.headers, expected);
}

// Storage named with `via` is reached only where one of its origins sends a fetch: a direct
// request (or one redirected there from anywhere else) is refused, naming the origin.
void TestGate::viaEntriesAreRedirectTargetsOnly_data() {
    QTest::addColumn<QString>("origin"); // empty: asked for directly
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("allowed");
    const QString r2 = QStringLiteral("https://bucket.r2.cloudflarestorage.com/blob?sig=1");
    const QString registry = QStringLiteral("https://registry.ollama.ai/v2/library/m/blobs/sha256:ab");
    QTest::newRow("direct") << QString() << QString() << r2 << false;
    QTest::newRow("redirect from the origin") << registry << registry << r2 << true;
    QTest::newRow("second hop, started at the origin")
        << registry << QStringLiteral("https://cdn-lfs.hf.co/x") << r2 << true;
    QTest::newRow("redirect from another allowed host")
        << QStringLiteral("https://huggingface.co/x") << QStringLiteral("https://huggingface.co/x") << r2 << false;
    QTest::newRow("origin host outside its URL prefix")
        << QStringLiteral("https://registry.ollama.ai/v1/x") << QStringLiteral("https://registry.ollama.ai/v1/x") << r2
        << false;
    QTest::newRow("a storage host redirecting to itself")
        << r2 << r2 << QStringLiteral("https://bucket.r2.cloudflarestorage.com/other") << false;
    QTest::newRow("wildcard origin") << QStringLiteral("https://huggingface.co/m/resolve/main/f")
                                     << QStringLiteral("https://huggingface.co/m/resolve/main/f")
                                     << QStringLiteral("https://cas-bridge.xethub.hf.co/f") << true;
}

void TestGate::viaEntriesAreRedirectTargetsOnly() {
    QFETCH(QString, origin);
    QFETCH(QString, base);
    QFETCH(QString, target);
    QFETCH(bool, allowed);
    RateLimiter limiter([this] { return m_now; });
    Inspector inspector;
    Gate gate(limiter, inspector);
    Policy p;
    p.enabled = true;
    p.requestsPerMinute = 1000;
    QString error;
    for (const char *text : {"huggingface.co", "https://registry.ollama.ai/v2/"})
        p.allowedDestinations.append(*parseAllowEntry(QString::fromLatin1(text), &error));
    AllowEntry r2 = *parseAllowEntry(QStringLiteral("*.r2.cloudflarestorage.com"), &error);
    r2.methods = {QStringLiteral("GET"), QStringLiteral("HEAD")};
    r2.via = {QStringLiteral("https://registry.ollama.ai/v2/")};
    p.allowedDestinations.append(r2);
    AllowEntry xet = *parseAllowEntry(QStringLiteral("*.hf.co"), &error);
    xet.via = *parseViaList({QStringLiteral("huggingface.co"), QStringLiteral("*.huggingface.co")}, &error);
    p.allowedDestinations.append(xet);

    Decision d;
    if (origin.isEmpty()) {
        d = gate.evaluate(request(target), p, {});
    } else {
        const CanonicalUrl from = *canonicalizeUrl(base).url;
        const CanonicalUrl start = *canonicalizeUrl(origin).url;
        d = gate.evaluateHop(target.toUtf8(), from, start, QStringLiteral("GET"), {}, p, {});
    }
    QCOMPARE(d.allowed, allowed);
    if (!allowed) {
        QCOMPARE(codeName(d.code), QStringLiteral("destination_not_allowed"));
        QCOMPARE(d.ruleId, QStringLiteral("destination.via"));
        QVERIFY2(d.message.contains(QLatin1String("only through a redirect from")), qPrintable(d.message));
        QVERIFY2(d.message.contains(r2.via.first()) || d.message.contains(xet.via.first()), qPrintable(d.message));
    }
    // The method list still applies to a hop the via admits.
    if (allowed && target.contains(QLatin1String("r2."))) {
        const CanonicalUrl from = *canonicalizeUrl(base).url;
        const Decision post =
            gate.evaluateHop(target.toUtf8(), from, *canonicalizeUrl(origin).url, QStringLiteral("PUT"), {}, p, {});
        QCOMPARE(codeName(post.code), QStringLiteral("method_not_allowed"));
    }
}

// A host both behind a `via` entry and on a plain entry is reachable directly: the plain entry
// admits it, whichever comes first.
void TestGate::viaEntryBesidePlainEntry() {
    RateLimiter limiter([this] { return m_now; });
    Inspector inspector;
    Gate gate(limiter, inspector);
    Policy p;
    p.enabled = true;
    p.requestsPerMinute = 1000;
    QString error;
    AllowEntry storage = *parseAllowEntry(QStringLiteral("*.example-storage.net"), &error);
    storage.via = {QStringLiteral("huggingface.co")};
    p.allowedDestinations.append(storage);
    QVERIFY(!gate.evaluate(request("https://b.example-storage.net/x"), p, {}).allowed);
    p.allowedDestinations.append(*parseAllowEntry(QStringLiteral("open.example-storage.net"), &error));
    QVERIFY(gate.evaluate(request("https://open.example-storage.net/x"), p, {}).allowed);
    QVERIFY(!gate.evaluate(request("https://b.example-storage.net/x"), p, {}).allowed);
}

void TestGate::blockIfContainsRefuses() {
    RateLimiter limiter([this] { return m_now; });
    Inspector inspector;
    Gate gate(limiter, inspector);
    Policy p = testPolicy();
    p.contentRules.blockIfContains = {QStringLiteral("Project-Nightingale")};
    const Decision body =
        gate.evaluate(request("https://huggingface.co/", "POST", {}, "notes on project-NIGHTINGALE"), p, {});
    QCOMPARE(body.code, ErrorCode::ContentBlocked);
    QCOMPARE(body.where, QStringLiteral("body"));
    QVERIFY(!body.message.contains(QStringLiteral("nightingale"), Qt::CaseInsensitive));
    const Decision header =
        gate.evaluate(request("https://huggingface.co/", "GET", {{"X-Note", "project-nightingale"}}), p, {});
    QCOMPARE(header.where, QStringLiteral("header:x-note"));
    QVERIFY(gate.evaluate(request("https://huggingface.co/", "POST", {}, "nothing here"), p, {}).allowed);
}

QTEST_APPLESS_MAIN(TestGate)
#include "tst_gate.moc"
