#include "GeneratedBody.h"
#include "TestCa.h"
#include "TestUpstream.h"
#include "gate/Gate.h"
#include "policy/AllowEntryParser.h"
#include "upstream/Resolver.h"
#include "upstream/UpstreamFetch.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QUrl>

#include <memory>
#include <optional>

using namespace airlock;
using namespace airlock::test;

namespace {

struct Outcome {
    bool finished = false;
    bool failed = false;
    FetchError error;
    int status = 0;
    HeaderList headers;
    qint64 contentLength = -2;
    QByteArray body; // first 64 KiB
    qint64 bytes = 0;
    bool bytesOk = true;

    QByteArray header(const QByteArray &name) const {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
};

CanonicalUrl url(const QString &text) {
    const UrlResult r = canonicalizeUrl(text);
    if (!r.url)
        qFatal("test URL does not canonicalise: %s", qPrintable(r.message));
    return *r.url;
}

// The Gate itself judges each hop, with a policy that allows the destinations given (hosts, or
// URL prefixes for other ports) and the usual methods.
HopJudge allowHosts(const QStringList &destinations) {
    struct Judge {
        RateLimiter limiter{[] {
            return qint64(0);
        }};
        Inspector inspector;
        Gate gate{limiter, inspector};
        Policy policy;
    };
    auto judge = std::make_shared<Judge>();
    judge->policy.enabled = true;
    judge->policy.allowedMethods = {QStringLiteral("GET"), QStringLiteral("HEAD"), QStringLiteral("POST"),
                                    QStringLiteral("PUT")};
    for (const QString &text : destinations) {
        QString error;
        const std::optional<AllowEntry> entry = parseAllowEntry(text, &error);
        if (!entry)
            qFatal("test allowlist entry does not parse: %s", qPrintable(error));
        judge->policy.allowedDestinations.append(*entry);
    }
    return [judge](const HopRequest &hop) {
        const Decision d = judge->gate.evaluateHop(hop.location, hop.base, hop.origin, hop.method, hop.headers,
                                                   judge->policy, GateState{});
        return HopVerdict{d.allowed, FetchError{d.code, d.message, d.ruleId}, d.url, d.headers};
    };
}

// Lets every hop go where its Location points and passes the headers on unchanged, so that what
// UpstreamFetch does on its own (dropping credentials when the host changes) is what is seen.
HopJudge passThrough() {
    return [](const HopRequest &hop) {
        QUrl next = QUrl(hop.base.toString()).resolved(QUrl::fromEncoded(hop.location));
        next.setFragment(QString());
        const UrlResult r = canonicalizeUrl(next.toString(QUrl::FullyEncoded));
        HopVerdict v;
        v.allowed = r.url.has_value();
        if (r.url)
            v.url = *r.url;
        v.headers = hop.headers;
        return v;
    };
}

} // namespace

// The bytes of a request head as the upstream received it: bytesSent() counts them with the body.
qint64 headBytes(const RecordedRequest &r) {
    qint64 n = r.method.size() + 1 + r.target.size() + 11; // "M T HTTP/1.1\r\n"
    for (const auto &[name, value] : r.headers)
        n += name.size() + 2 + value.size() + 2;
    return n + 2;
}

class TestUpstreamFetch final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void byteExactDownload_data();
    void byteExactDownload();
    void hostAndSniAreTheName_data();
    void hostAndSniAreTheName();
    void redirectChainAllowed();
    void redirectToRefusedHost();
    void redirectToHttpRefused();
    void redirectToIpLiteralRefused();
    void redirectFragmentDropped();
    void judgeSeesRawLocation();
    void unjudgedHopRefused_data();
    void unjudgedHopRefused();
    void redirectToGarbageFails();
    void redirectLoop();
    void credentialsAcrossHosts_data();
    void credentialsAcrossHosts();
    void seeOtherAfterPostBecomesGet();
    void postBody();
    void largeBodyFollowsTemporaryRedirect();
    void rangePassesThrough();
    void responseHeadersFiltered();
    void responseFraming_data();
    void responseFraming();
    void upstreamDiesMidBody_data();
    void upstreamDiesMidBody();
    void tlsFailures_data();
    void tlsFailures();
    void reservedAddressViaDns();
    void unreachable();
    void firstByteTimeout();
    void idleTimeout();
    void slowReaderBackpressure();
    void abortStopsEverything();
    void keptConnectionIsReused();
    void keptPerHostAndPort();
    void connectionNotKept_data();
    void connectionNotKept();
    void closedWhileIdleIsSentAgain_data();
    void closedWhileIdleIsSentAgain();
    void closedBeforeAnswering_data();
    void closedBeforeAnswering();
    void unsafeMethodsTakeOnlyFreshConnections();
    void connectionOfAnOlderPolicyIsNotKept();
    void answeredThenBrokenIsNotSentAgain();
    void poolClosesIdleConnections();

private:
    std::unique_ptr<UpstreamFetch> makeFetch(HopJudge judge = allowHosts({}));
    Outcome run(UpstreamFetch &fetch, const CanonicalUrl &target, const QString &method = QStringLiteral("GET"),
                const HeaderList &headers = {}, const QByteArray &body = {}, qint64 checkFrom = 0);
    void setConnectTo(QList<ConnectTo> extra = {});

    std::unique_ptr<TestCa> m_ca;
    std::unique_ptr<TestUpstream> m_hf;   // huggingface.co
    std::unique_ptr<TestUpstream> m_cdn;  // cdn-lfs.hf.co
    std::unique_ptr<TestUpstream> m_evil; // evil.example
    std::unique_ptr<Resolver> m_resolver;
    UpstreamConfig m_config;
    std::unique_ptr<ConnectionPool> m_pool;
};

void TestUpstreamFetch::init() {
    m_ca = std::make_unique<TestCa>();
    QVERIFY(m_ca->isValid());
    m_hf = std::make_unique<TestUpstream>(m_ca.get());
    m_cdn = std::make_unique<TestUpstream>(m_ca.get());
    m_evil = std::make_unique<TestUpstream>(m_ca.get());
    QVERIFY(m_hf->start());
    QVERIFY(m_cdn->start());
    QVERIFY(m_evil->start());
    m_config = UpstreamConfig();
    m_config.ssl = m_ca->clientConfiguration();
    setConnectTo();
}

void TestUpstreamFetch::cleanup() {
    m_pool.reset();
    m_resolver.reset();
    m_hf.reset();
    m_cdn.reset();
    m_evil.reset();
    m_ca.reset();
}

void TestUpstreamFetch::setConnectTo(QList<ConnectTo> extra) {
    auto map = [](const QString &host, int port, quint16 target) {
        return ConnectTo{host, port, QStringLiteral("127.0.0.1"), target};
    };
    QList<ConnectTo> list{map(QStringLiteral("huggingface.co"), 443, m_hf->port()),
                          map(QStringLiteral("huggingface.co"), 8443, m_hf->port()),
                          map(QStringLiteral("cdn-lfs.hf.co"), 443, m_cdn->port()),
                          map(QStringLiteral("evil.example"), 443, m_evil->port())};
    list += extra;
    m_resolver = std::make_unique<Resolver>(list);
}

std::unique_ptr<UpstreamFetch> TestUpstreamFetch::makeFetch(HopJudge judge) {
    return std::make_unique<UpstreamFetch>(m_resolver.get(), m_config, std::move(judge));
}

Outcome TestUpstreamFetch::run(UpstreamFetch &fetch, const CanonicalUrl &target, const QString &method,
                               const HeaderList &headers, const QByteArray &body, qint64 checkFrom) {
    Outcome out;
    GeneratedBodyChecker checker(checkFrom);
    auto drain = [&] {
        while (fetch.bytesAvailable() > 0) {
            const QByteArray chunk = fetch.read(256 * 1024);
            if (out.body.size() < 65536)
                out.body += chunk.left(65536 - out.body.size());
            checker.feed(chunk);
            out.bytes += chunk.size();
        }
    };
    connect(&fetch, &UpstreamFetch::responseStarted, this, [&](int status, const HeaderList &h, qint64 length) {
        out.status = status;
        out.headers = h;
        out.contentLength = length;
    });
    connect(&fetch, &UpstreamFetch::readyRead, this, drain);
    connect(&fetch, &UpstreamFetch::finished, this, [&] {
        drain();
        out.finished = true;
    });
    connect(&fetch, &UpstreamFetch::failed, this, [&](const FetchError &e) {
        out.failed = true;
        out.error = e;
    });
    fetch.start(target, method, headers, body);
    if (!QTest::qWaitFor([&] { return out.finished || out.failed; }, 60'000))
        qWarning("fetch did not end");
    disconnect(&fetch, nullptr, this, nullptr);
    out.bytesOk = checker.ok();
    return out;
}

void TestUpstreamFetch::byteExactDownload_data() {
    QTest::addColumn<qint64>("size");
    QTest::addColumn<bool>("chunked");
    for (const qint64 size : {qint64(0), qint64(1), generated::kPeriod + 7, qint64(8) * 1024 * 1024}) {
        QTest::addRow("length %lld", size) << size << false;
        QTest::addRow("chunked %lld", size) << size << true;
    }
}

void TestUpstreamFetch::byteExactDownload() {
    QFETCH(qint64, size);
    QFETCH(bool, chunked);
    auto fetch = makeFetch();
    const QString path = (chunked ? QStringLiteral("/chunked/") : QStringLiteral("/bytes/")) + QString::number(size);
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co") + path));
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QCOMPARE(out.status, 200);
    QCOMPARE(out.contentLength, chunked ? qint64(-1) : size);
    QCOMPARE(out.bytes, size);
    QVERIFY(out.bytesOk);
    QVERIFY(fetch->atEnd());
    QCOMPARE(fetch->bytesReceived(), size);
    QCOMPARE(m_hf->requestCount(), 1);
    QCOMPARE(m_hf->requests().first().header("Accept-Encoding"), QByteArray("identity"));
}

void TestUpstreamFetch::hostAndSniAreTheName_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<QByteArray>("host");
    QTest::newRow("default port") << "https://huggingface.co/status/200" << QByteArray("huggingface.co");
    QTest::newRow("other port") << "https://huggingface.co:8443/status/200" << QByteArray("huggingface.co:8443");
}

void TestUpstreamFetch::hostAndSniAreTheName() {
    QFETCH(QString, target);
    QFETCH(QByteArray, host);
    auto fetch = makeFetch();
    const Outcome out = run(*fetch, url(target));
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QCOMPARE(m_hf->requestCount(), 1);
    const RecordedRequest request = m_hf->requests().first();
    QCOMPARE(request.sniHost, QStringLiteral("huggingface.co"));
    QCOMPARE(request.header("Host"), host);
    QCOMPARE(request.target, QByteArray("/status/200"));
    QVERIFY(!request.hasHeader("Cookie"));
}

void TestUpstreamFetch::redirectChainAllowed() {
    m_hf->setHandler([](const RecordedRequest &r, Responder &respond) {
        if (r.path() == "/start")
            respond.redirect(302, "/middle?x=1");
        else if (r.path() == "/middle")
            respond.redirect(307, "https://cdn-lfs.hf.co/bytes/100000");
        else
            respond.reply(404);
    });
    auto fetch = makeFetch(allowHosts({QStringLiteral("huggingface.co"), QStringLiteral("cdn-lfs.hf.co")}));
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/start")));
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QCOMPARE(out.status, 200);
    QCOMPARE(out.bytes, 100000);
    QVERIFY(out.bytesOk);
    QCOMPARE(fetch->redirectCount(), 2);
    QCOMPARE(fetch->currentUrl().host, QStringLiteral("cdn-lfs.hf.co"));
    QCOMPARE(m_hf->requestCount(), 2);
    QCOMPARE(m_hf->requests().at(1).target, QByteArray("/middle?x=1"));
    QCOMPARE(m_cdn->requestCount(), 1);
    QCOMPARE(m_cdn->requests().first().sniHost, QStringLiteral("cdn-lfs.hf.co"));
    QCOMPARE(m_cdn->requests().first().header("Host"), QByteArray("cdn-lfs.hf.co"));
}

void TestUpstreamFetch::redirectToRefusedHost() {
    m_hf->setHandler(
        [](const RecordedRequest &, Responder &respond) { respond.redirect(302, "https://evil.example/steal"); });
    auto fetch = makeFetch(allowHosts({QStringLiteral("huggingface.co")}));
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/x")));
    QVERIFY(out.failed);
    QCOMPARE(out.error.code, ErrorCode::DestinationNotAllowed);
    QCOMPARE(out.error.message, QStringLiteral("destination not in allowlist: evil.example"));
    QCOMPARE(out.status, 0); // no responseStarted for the redirect itself
    QTest::qWait(100);
    QVERIFY(m_evil->receivedNothing());
}

void TestUpstreamFetch::redirectToHttpRefused() {
    m_hf->setHandler(
        [](const RecordedRequest &, Responder &respond) { respond.redirect(301, "http://cdn-lfs.hf.co/bytes/10"); });
    auto fetch = makeFetch(allowHosts({QStringLiteral("huggingface.co"), QStringLiteral("cdn-lfs.hf.co")}));
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/x")));
    QVERIFY(out.failed);
    QCOMPARE(out.error.code, ErrorCode::NotHttps);
    QCOMPARE(out.error.message, QStringLiteral("only HTTPS destinations are allowed"));
    QVERIFY(m_cdn->receivedNothing());
}

void TestUpstreamFetch::redirectFragmentDropped() {
    m_hf->setHandler([](const RecordedRequest &, Responder &respond) {
        respond.redirect(302, "https://cdn-lfs.hf.co/bytes/10#section");
    });
    auto fetch = makeFetch(allowHosts({QStringLiteral("huggingface.co"), QStringLiteral("cdn-lfs.hf.co")}));
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/x")));
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QCOMPARE(out.status, 200);
    QCOMPARE(m_cdn->requests().first().target, QByteArray("/bytes/10"));
}

void TestUpstreamFetch::redirectToIpLiteralRefused() {
    const QByteArray location = "https://127.0.0.1:" + QByteArray::number(m_evil->port()) + "/x";
    m_hf->setHandler([location](const RecordedRequest &, Responder &respond) { respond.redirect(302, location); });
    auto fetch = makeFetch(allowHosts({QStringLiteral("huggingface.co")}));
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/x")));
    QVERIFY(out.failed);
    QCOMPARE(out.error.code, ErrorCode::DestinationNotAllowed);
    QCOMPARE(out.error.message,
             QStringLiteral("destination not in allowlist: IP address destinations are not allowed"));
    QCOMPARE(out.error.ruleId, QStringLiteral("destination.ip_literal"));
    QTest::qWait(100);
    QVERIFY(m_evil->receivedNothing());
}

// The judge gets the Location as the upstream sent it, and the URL it is relative to; the fetch
// goes where the verdict says, with the verdict's headers.
void TestUpstreamFetch::judgeSeesRawLocation() {
    m_hf->setHandler([](const RecordedRequest &r, Responder &respond) {
        if (r.path() == "/a/b")
            respond.redirect(302, " ../bytes/7?q=1#part ");
        else
            respond.reply(404);
    });
    QList<HopRequest> seen;
    const HopJudge gate = allowHosts({QStringLiteral("huggingface.co"), QStringLiteral("cdn-lfs.hf.co")});
    auto fetch = makeFetch([&seen, gate](const HopRequest &hop) {
        seen.append(hop);
        HopVerdict v = gate(hop);
        v.url = url(QStringLiteral("https://cdn-lfs.hf.co/bytes/5"));
        v.headers.append({QByteArray("X-From-Judge"), QByteArray("1")});
        return v;
    });
    const Outcome out =
        run(*fetch, url(QStringLiteral("https://huggingface.co/a/b")), QStringLiteral("GET"), {{"X-Custom", "kept"}});
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.first().location, QByteArray("../bytes/7?q=1#part"));
    QCOMPARE(seen.first().base, url(QStringLiteral("https://huggingface.co/a/b")));
    QCOMPARE(seen.first().method, QStringLiteral("GET"));
    QCOMPARE(seen.first().headers, (HeaderList{{"X-Custom", "kept"}}));
    QCOMPARE(out.bytes, 5);
    QCOMPARE(fetch->currentUrl(), url(QStringLiteral("https://cdn-lfs.hf.co/bytes/5")));
    QCOMPARE(m_cdn->requestCount(), 1);
    QCOMPARE(m_cdn->requests().first().header("X-From-Judge"), QByteArray("1"));
    QCOMPARE(m_cdn->requests().first().header("X-Custom"), QByteArray("kept"));
}

// Without a judge no hop is taken; so is a verdict that allows going nowhere.
void TestUpstreamFetch::unjudgedHopRefused_data() {
    QTest::addColumn<bool>("withJudge");
    QTest::newRow("no judge") << false;
    QTest::newRow("allowed without a URL") << true;
}

void TestUpstreamFetch::unjudgedHopRefused() {
    QFETCH(bool, withJudge);
    m_hf->setHandler(
        [](const RecordedRequest &, Responder &respond) { respond.redirect(302, "https://cdn-lfs.hf.co/bytes/10"); });
    HopJudge judge;
    if (withJudge)
        judge = [](const HopRequest &hop) {
            return HopVerdict{true, {}, {}, hop.headers};
        };
    auto fetch = makeFetch(judge);
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/x")));
    QVERIFY(out.failed);
    QCOMPARE(out.error.code, ErrorCode::DestinationNotAllowed);
    QCOMPARE(out.status, 0);
    QTest::qWait(100);
    QVERIFY(m_cdn->receivedNothing());
}

void TestUpstreamFetch::redirectToGarbageFails() {
    m_hf->setHandler([](const RecordedRequest &, Responder &respond) { respond.redirect(302, "https://exa mple/"); });
    auto fetch = makeFetch(allowHosts({QStringLiteral("huggingface.co")}));
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/x")));
    QVERIFY(out.failed);
    QCOMPARE(out.error.code, ErrorCode::UpstreamFailed);
    QCOMPARE(out.error.message, QStringLiteral("upstream sent an invalid redirect location"));
}

void TestUpstreamFetch::redirectLoop() {
    m_hf->setHandler([](const RecordedRequest &, Responder &respond) { respond.redirect(302, "/loop"); });
    auto fetch = makeFetch(allowHosts({QStringLiteral("huggingface.co")}));
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/loop")));
    QVERIFY(out.failed);
    QCOMPARE(out.error.code, ErrorCode::TooManyRedirects);
    QCOMPARE(m_hf->requestCount(), 6); // the first request and five followed redirects
}

void TestUpstreamFetch::credentialsAcrossHosts_data() {
    QTest::addColumn<QByteArray>("location");
    QTest::addColumn<bool>("sameHost");
    QTest::addColumn<bool>("gate"); // false: a judge that passes every header on; the fetch drops them itself
    for (const bool gate : {true, false}) {
        const char *judge = gate ? "gate" : "pass-through judge";
        QTest::addRow("same host, %s", judge) << QByteArray("/bytes/10") << true << gate;
        QTest::addRow("other host, %s", judge) << QByteArray("https://cdn-lfs.hf.co/bytes/10") << false << gate;
        QTest::addRow("same host other port, %s", judge)
            << QByteArray("https://huggingface.co:8443/bytes/10") << false << gate;
    }
}

void TestUpstreamFetch::credentialsAcrossHosts() {
    QFETCH(QByteArray, location);
    QFETCH(bool, sameHost);
    QFETCH(bool, gate);
    m_hf->setHandler([location](const RecordedRequest &r, Responder &respond) {
        if (r.path() == "/start")
            respond.redirect(302, location);
        else
            TestUpstream::standardRoutes(r, respond);
    });
    auto fetch = makeFetch(gate ? allowHosts({QStringLiteral("huggingface.co"), QStringLiteral("cdn-lfs.hf.co"),
                                              QStringLiteral("https://huggingface.co:8443/")})
                                : passThrough());
    const HeaderList headers{{"Authorization", "Bearer hf_secret"}, {"Cookie", "session=1"}, {"X-Custom", "kept"}};
    const Outcome out =
        run(*fetch, url(QStringLiteral("https://huggingface.co/start")), QStringLiteral("GET"), headers);
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QList<RecordedRequest> all = m_hf->requests() + m_cdn->requests();
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.first().header("Authorization"), QByteArray("Bearer hf_secret"));
    const RecordedRequest second = all.at(1);
    QCOMPARE(second.hasHeader("Authorization"), sameHost);
    QCOMPARE(second.hasHeader("Cookie"), sameHost);
    QCOMPARE(second.header("X-Custom"), QByteArray("kept"));
}

void TestUpstreamFetch::seeOtherAfterPostBecomesGet() {
    m_hf->setHandler([](const RecordedRequest &r, Responder &respond) {
        if (r.path() == "/upload")
            respond.redirect(303, "/bytes/5");
        else
            TestUpstream::standardRoutes(r, respond);
    });
    auto fetch = makeFetch(allowHosts({QStringLiteral("huggingface.co")}));
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/upload")), QStringLiteral("POST"),
                            {{"Content-Type", "application/json"}}, QByteArray("{\"a\":1}"));
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QCOMPARE(m_hf->requestCount(), 2);
    const RecordedRequest second = m_hf->requests().at(1);
    QCOMPARE(second.method, QByteArray("GET"));
    QCOMPARE(second.bodySize, 0);
    QVERIFY(!second.hasHeader("Content-Type"));
}

void TestUpstreamFetch::postBody() {
    const QByteArray body = generated::slice(3, 1024 * 1024 + 17);
    auto fetch = makeFetch();
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/echo")), QStringLiteral("POST"),
                            {{"Content-Type", "application/octet-stream"}}, body);
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QCOMPARE(out.status, 200);
    QCOMPARE(m_hf->requestCount(), 1);
    QCOMPARE(m_hf->requests().first().body, body);
    QCOMPARE(fetch->bytesSent(), headBytes(m_hf->requests().first()) + body.size());
    QVERIFY(out.body.contains("\"size\":" + QByteArray::number(body.size())));
}

// The body goes out in slices as the socket drains; a 307 keeps method and body, so the next hop
// must get the whole body again from its first byte, not where the previous hop's slicing stopped.
void TestUpstreamFetch::largeBodyFollowsTemporaryRedirect() {
    m_hf->setHandler([](const RecordedRequest &r, Responder &respond) {
        if (r.path() == "/upload")
            respond.redirect(307, "/echo");
        else
            TestUpstream::standardRoutes(r, respond);
    });
    const QByteArray body = generated::slice(11, 3 * 1024 * 1024 + 5);
    auto fetch = makeFetch(allowHosts({QStringLiteral("huggingface.co")}));
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/upload")), QStringLiteral("POST"),
                            {{"Content-Type", "application/octet-stream"}}, body);
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QCOMPARE(out.status, 200);
    QCOMPARE(m_hf->requestCount(), 2);
    for (const RecordedRequest &r : m_hf->requests()) {
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.bodySize, body.size());
        QVERIFY(r.body == body);
    }
    QCOMPARE(fetch->bytesSent(),
             headBytes(m_hf->requests().at(0)) + headBytes(m_hf->requests().at(1)) + 2 * body.size());
}

void TestUpstreamFetch::rangePassesThrough() {
    auto fetch = makeFetch();
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/bytes/1000000")), QStringLiteral("GET"),
                            {{"Range", "bytes=1000-1999"}}, {}, 1000);
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QCOMPARE(out.status, 206);
    QCOMPARE(out.header("Content-Range"), QByteArray("bytes 1000-1999/1000000"));
    QCOMPARE(out.contentLength, 1000);
    QCOMPARE(out.bytes, 1000);
    QVERIFY(out.bytesOk);
}

void TestUpstreamFetch::responseHeadersFiltered() {
    m_hf->setHandler([](const RecordedRequest &, Responder &respond) {
        respond.reply(200,
                      {{"Set-Cookie", "a=b"},
                       {"Connection", "X-Private"},
                       {"X-Private", "1"},
                       {"Keep-Alive", "timeout=5"},
                       {"X-Kept", "yes"}},
                      "hello");
    });
    auto fetch = makeFetch();
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/h")));
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QCOMPARE(out.body, QByteArray("hello"));
    QCOMPARE(out.header("X-Kept"), QByteArray("yes"));
    QCOMPARE(out.header("Content-Length"), QByteArray("5"));
    for (const QByteArray name : {"Set-Cookie", "Connection", "X-Private", "Keep-Alive"})
        QVERIFY2(out.header(name).isEmpty(), name.constData());
}

void TestUpstreamFetch::responseFraming_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<bool>("finishes");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("contentLength"); // as responseStarted reports it
    QTest::addColumn<QString>("failure");

    const QString midBody = QStringLiteral("upstream closed the connection mid-body");
    QTest::newRow("read until close") << "GET" << QByteArray("HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nhello world") << true
                                      << true << 200 << QByteArray("hello world") << qint64(-1) << QString();
    QTest::newRow("head has no body") << "HEAD" << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                                      << false << true << 200 << QByteArray() << qint64(0) << QString();
    QTest::newRow("204 has no body") << "GET" << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << false << true << 204
                                     << QByteArray() << qint64(0) << QString();
    QTest::newRow("304 has no body") << "GET" << QByteArray("HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n")
                                     << false << true << 304 << QByteArray() << qint64(0) << QString();
    QTest::newRow("interim response skipped")
        << "GET"
        << QByteArray("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        << false << true << 200 << QByteArray("ok") << qint64(2) << QString();
    QTest::newRow("chunked with trailer")
        << "GET"
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n")
        << false << true << 200 << QByteArray("abcde") << qint64(-1) << QString();
    QTest::newRow("length not reached") << "GET" << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nshort")
                                        << true << false << 200 << QByteArray("short") << qint64(20) << midBody;
    QTest::newRow("last chunk missing") << "GET"
                                        << QByteArray(
                                               "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
                                        << true << false << 200 << QByteArray("abc") << qint64(-1) << midBody;
    QTest::newRow("length and chunked")
        << "GET"
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
        << true << false << 0 << QByteArray() << qint64(-2)
        << QStringLiteral("upstream sent an invalid response: huggingface.co");
    QTest::newRow("duplicate length") << "GET"
                                      << QByteArray(
                                             "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
                                      << true << false << 0 << QByteArray() << qint64(-2)
                                      << QStringLiteral("upstream sent an invalid response: huggingface.co");
    QTest::newRow("not http") << "GET" << QByteArray("SSH-2.0-OpenSSH\r\n\r\n") << true << false << 0 << QByteArray()
                              << qint64(-2) << QStringLiteral("upstream sent an invalid response: huggingface.co");
    QTest::newRow("nothing") << "GET" << QByteArray() << true << false << 0 << QByteArray() << qint64(-2)
                             << QStringLiteral("upstream closed the connection without a response: huggingface.co");
}

void TestUpstreamFetch::responseFraming() {
    QFETCH(QString, method);
    QFETCH(QByteArray, raw);
    QFETCH(bool, closeAfter);
    QFETCH(bool, finishes);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(qint64, contentLength);
    QFETCH(QString, failure);
    m_hf->setHandler([raw, closeAfter](const RecordedRequest &, Responder &respond) {
        if (raw.isEmpty())
            respond.close();
        else
            respond.writeRaw(raw, closeAfter);
    });
    auto fetch = makeFetch();
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/raw")), method);
    QCOMPARE(out.finished, finishes);
    QCOMPARE(out.failed, !finishes);
    QCOMPARE(out.status, status);
    QCOMPARE(out.body, body);
    QCOMPARE(out.contentLength, contentLength);
    if (!finishes) {
        QCOMPARE(out.error.code, ErrorCode::UpstreamFailed);
        QCOMPARE(out.error.message, failure);
    } else {
        QVERIFY(fetch->atEnd());
    }
    QCOMPARE(m_hf->requests().first().method, method.toLatin1());
    QCOMPARE(m_hf->requests().first().header("Connection"), QByteArray("close"));
}

void TestUpstreamFetch::upstreamDiesMidBody_data() {
    QTest::addColumn<bool>("chunked");
    QTest::newRow("content-length") << false;
    QTest::newRow("chunked") << true;
}

void TestUpstreamFetch::upstreamDiesMidBody() {
    QFETCH(bool, chunked);
    m_hf->setHandler([chunked](const RecordedRequest &, Responder &respond) {
        GeneratedResponse spec;
        spec.size = 4 * 1024 * 1024;
        spec.chunked = chunked;
        spec.dieAfter = 1024 * 1024 + 5;
        respond.sendGenerated(spec);
    });
    auto fetch = makeFetch();
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/die")));
    QVERIFY(!out.finished);
    QVERIFY(out.failed);
    QCOMPARE(out.status, 200);
    QCOMPARE(out.error.code, ErrorCode::UpstreamFailed);
    QCOMPARE(out.error.message, QStringLiteral("upstream closed the connection mid-body"));
    QVERIFY(out.bytes <= 1024 * 1024 + 5);
    QVERIFY(out.bytesOk);
}

void TestUpstreamFetch::tlsFailures_data() {
    QTest::addColumn<bool>("untrustedCa");
    QTest::newRow("certificate for another name") << false;
    QTest::newRow("certificate from an unknown CA") << true;
}

void TestUpstreamFetch::tlsFailures() {
    QFETCH(bool, untrustedCa);
    TestCa other;
    TestUpstream wrong(untrustedCa ? &other : m_ca.get(), untrustedCa ? QStringList{QStringLiteral("huggingface.co")}
                                                                      : QStringList{QStringLiteral("other.example")});
    QVERIFY(wrong.start());
    m_resolver = std::make_unique<Resolver>(
        QList<ConnectTo>{ConnectTo{QStringLiteral("huggingface.co"), 443, QStringLiteral("127.0.0.1"), wrong.port()}});
    auto fetch = makeFetch();
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/bytes/10?secret=1")));
    QVERIFY(out.failed);
    QCOMPARE(out.error.code, ErrorCode::UpstreamTls);
    QVERIFY2(out.error.message.startsWith(QStringLiteral("TLS handshake with huggingface.co failed: ")),
             qPrintable(out.error.message));
    QVERIFY(!out.error.message.contains(QStringLiteral("secret")));
    QVERIFY(wrong.connectionCount() >= 1);
    QCOMPARE(wrong.requestCount(), 0);
}

void TestUpstreamFetch::reservedAddressViaDns() {
    auto fetch = makeFetch();
    const Outcome out = run(*fetch, url(QStringLiteral("https://localhost/bytes/10")));
    QVERIFY(out.failed);
    QCOMPARE(out.error.code, ErrorCode::ReservedAddress);
    QCOMPARE(out.error.message, QStringLiteral("destination resolves to a non-public address: localhost"));
}

void TestUpstreamFetch::unreachable() {
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    m_resolver = std::make_unique<Resolver>(
        QList<ConnectTo>{ConnectTo{QStringLiteral("huggingface.co"), 443, QStringLiteral("127.0.0.1"), port}});
    auto fetch = makeFetch();
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/x")));
    QVERIFY(out.failed);
    QCOMPARE(out.error.code, ErrorCode::UpstreamUnreachable);
    QCOMPARE(out.error.message, QStringLiteral("upstream unreachable: huggingface.co"));
}

void TestUpstreamFetch::firstByteTimeout() {
    m_hf->setHandler([](const RecordedRequest &, Responder &respond) { respond.stall(); });
    m_config.firstByteTimeoutMs = 300;
    auto fetch = makeFetch();
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/slow")));
    QVERIFY(out.failed);
    QCOMPARE(out.error.code, ErrorCode::UpstreamTimeout);
    QCOMPARE(out.status, 0);
}

void TestUpstreamFetch::idleTimeout() {
    m_hf->setHandler([](const RecordedRequest &, Responder &respond) {
        GeneratedResponse spec;
        spec.size = 100000;
        spec.stallAfter = 1000;
        respond.sendGenerated(spec);
    });
    m_config.idleTimeoutMs = 300;
    auto fetch = makeFetch();
    const Outcome out = run(*fetch, url(QStringLiteral("https://huggingface.co/stall")));
    QVERIFY(out.failed);
    QCOMPARE(out.status, 200);
    QCOMPARE(out.error.code, ErrorCode::UpstreamTimeout);
    QCOMPARE(out.bytes, 1000);
    QTRY_COMPARE(m_hf->abortedResponses(), 1); // the stalled upstream connection was closed
}

void TestUpstreamFetch::slowReaderBackpressure() {
    const qint64 size = 64 * 1024 * 1024;
    m_config.readBufferSize = 256 * 1024;
    auto fetch = makeFetch();
    bool started = false;
    bool ended = false;
    connect(fetch.get(), &UpstreamFetch::responseStarted, this, [&] { started = true; });
    connect(fetch.get(), &UpstreamFetch::finished, this, [&] { ended = true; });
    connect(fetch.get(), &UpstreamFetch::failed, this, [&] { ended = true; });
    fetch->start(url(QStringLiteral("https://huggingface.co/bytes/") + QString::number(size)), QStringLiteral("GET"),
                 {}, {});
    QTRY_VERIFY(started);
    QTest::qWait(1000); // the reader stalls; the fetch must not buffer the body meanwhile
    QVERIFY2(fetch->bytesAvailable() <= 2 * m_config.readBufferSize, QByteArray::number(fetch->bytesAvailable()));
    QVERIFY2(m_hf->bodyBytesSent() < size / 2, QByteArray::number(m_hf->bodyBytesSent()));
    QVERIFY(!ended);

    GeneratedBodyChecker checker;
    QVERIFY(QTest::qWaitFor(
        [&] {
            while (fetch->bytesAvailable() > 0)
                checker.feed(fetch->read(1024 * 1024));
            return fetch->atEnd() || (ended && fetch->bytesAvailable() == 0);
        },
        60'000));
    QVERIFY(fetch->atEnd());
    QCOMPARE(checker.bytesChecked(), size);
    QVERIFY(checker.ok());
}

void TestUpstreamFetch::abortStopsEverything() {
    auto fetch = makeFetch();
    UpstreamFetch *raw = fetch.release();
    int signalsAfterAbort = 0;
    bool aborted = false;
    QPointer<UpstreamFetch> guard(raw);
    connect(raw, &UpstreamFetch::readyRead, this, [&] {
        if (aborted) {
            ++signalsAfterAbort;
            return;
        }
        aborted = true;
        raw->abort();
        raw->deleteLater();
    });
    connect(raw, &UpstreamFetch::finished, this, [&] { ++signalsAfterAbort; });
    connect(raw, &UpstreamFetch::failed, this, [&] { ++signalsAfterAbort; });
    raw->start(url(QStringLiteral("https://huggingface.co/bytes/1073741824")), QStringLiteral("GET"), {}, {});
    QTRY_VERIFY(aborted);
    QTRY_VERIFY(guard.isNull());
    QTRY_COMPARE(m_hf->abortedResponses(), 1);
    QTRY_COMPARE(m_hf->openConnections(), 0);
    QCOMPARE(signalsAfterAbort, 0);
    QVERIFY(m_hf->bodyBytesSent() < 1073741824 / 4);
}

// Requests of every shape, one after the other, share the one connection a pool keeps, and
// none asks the upstream to close it.
void TestUpstreamFetch::keptConnectionIsReused() {
    m_pool = std::make_unique<ConnectionPool>();
    m_config.pool = m_pool.get();
    const QByteArray body = generated::slice(5, 1024 * 1024 + 3);
    struct Step {
        QString method;
        QString target;
        QByteArray body;
        qint64 bytes;
    };
    const QList<Step> steps{{QStringLiteral("GET"), QStringLiteral("/bytes/100000"), {}, 100000},
                            {QStringLiteral("POST"), QStringLiteral("/echo"), body, -1},
                            {QStringLiteral("HEAD"), QStringLiteral("/bytes/10"), {}, 0},
                            {QStringLiteral("GET"), QStringLiteral("/chunked/70000"), {}, 70000},
                            {QStringLiteral("GET"), QStringLiteral("/status/404"), {}, -1}};
    for (const Step &step : steps) {
        auto fetch = makeFetch();
        const Outcome out =
            run(*fetch, url(QStringLiteral("https://huggingface.co") + step.target), step.method, {}, step.body);
        QVERIFY2(out.finished, qPrintable(out.error.message));
        if (step.bytes >= 0) {
            QCOMPARE(out.bytes, step.bytes);
            QVERIFY(out.bytesOk);
        }
        QCOMPARE(fetch->bytesSent(), headBytes(m_hf->requests().last()) + step.body.size());
        QCOMPARE(m_pool->idleCount(), 1);
    }
    QCOMPARE(m_hf->connectionCount(), 1);
    QCOMPARE(m_hf->requestCount(), steps.size());
    for (const RecordedRequest &r : m_hf->requests()) {
        QCOMPARE(r.connection, 1);
        QVERIFY(!r.hasHeader("Connection"));
    }
    QCOMPARE(m_hf->requests().at(1).body, body);
}

// A kept connection serves the host and port it was made for: the same upstream reached as
// another port is a connection of its own, with its own TLS handshake.
void TestUpstreamFetch::keptPerHostAndPort() {
    m_pool = std::make_unique<ConnectionPool>();
    m_config.pool = m_pool.get();
    for (const QString &target :
         {QStringLiteral("https://huggingface.co/bytes/10"), QStringLiteral("https://huggingface.co:8443/bytes/10"),
          QStringLiteral("https://cdn-lfs.hf.co/bytes/10"), QStringLiteral("https://huggingface.co:8443/bytes/10")}) {
        auto fetch = makeFetch();
        const Outcome out = run(*fetch, url(target));
        QVERIFY2(out.finished, qPrintable(out.error.message));
    }
    QCOMPARE(m_hf->connectionCount(), 2);
    QCOMPARE(m_cdn->connectionCount(), 1);
    QCOMPARE(m_pool->idleCount(), 3);
    QCOMPARE(m_hf->requests().at(2).connection, m_hf->requests().at(1).connection);
}

// Only a connection whose response ended exactly, on a connection both sides keep open, is
// kept: anything else could hand the next request a stream already out of step.
void TestUpstreamFetch::connectionNotKept_data() {
    QTest::addColumn<QByteArray>("raw");
    QTest::newRow("upstream says close") << QByteArray(
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    QTest::newRow("HTTP/1.0") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
    QTest::newRow("bytes after the body")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    QTest::newRow("redirect") << QByteArray(
        "HTTP/1.1 307 Temporary Redirect\r\nLocation: /bytes/2\r\nContent-Length: 0\r\n\r\n");
}

void TestUpstreamFetch::connectionNotKept() {
    QFETCH(QByteArray, raw);
    m_pool = std::make_unique<ConnectionPool>();
    m_config.pool = m_pool.get();
    m_hf->setHandler([raw](const RecordedRequest &r, Responder &respond) {
        if (r.path() == "/raw")
            respond.writeRaw(raw, false);
        else
            TestUpstream::standardRoutes(r, respond);
    });
    auto first = makeFetch(allowHosts({QStringLiteral("huggingface.co")}));
    const Outcome one = run(*first, url(QStringLiteral("https://huggingface.co/raw")));
    QVERIFY2(one.finished, qPrintable(one.error.message));
    QCOMPARE(one.bytes, 2);
    // The next request (the redirect's next hop, or the next fetch) gets a new connection.
    auto second = makeFetch();
    const Outcome two = run(*second, url(QStringLiteral("https://huggingface.co/bytes/10")));
    QVERIFY2(two.finished, qPrintable(two.error.message));
    QCOMPARE(two.bytes, 10);
    QVERIFY(m_hf->requestCount() >= 2);
    QCOMPARE(m_hf->requests().at(0).path(), QByteArray("/raw"));
    QCOMPARE(m_hf->requests().at(1).connection, 2);
}

// The upstream closed the kept connection and the event loop has not delivered the close yet:
// the pool sees it in the kernel and the request goes out on a new connection, whatever its
// method.
void TestUpstreamFetch::closedWhileIdleIsSentAgain_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("GET") << QStringLiteral("GET") << QByteArray();
    QTest::newRow("POST, 2 MB") << QStringLiteral("POST") << generated::slice(9, 2 * 1024 * 1024);
}

void TestUpstreamFetch::closedWhileIdleIsSentAgain() {
    QFETCH(QString, method);
    QFETCH(QByteArray, body);
    m_pool = std::make_unique<ConnectionPool>();
    m_config.pool = m_pool.get();
    auto first = makeFetch();
    QVERIFY(run(*first, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    QCOMPARE(m_pool->idleCount(), 1);
    QCOMPARE(m_hf->closeIdleConnections(), 1); // no event loop turn: the pool still lists it
    QCOMPARE(m_pool->idleCount(), 1);
    auto second = makeFetch();
    const QString target = body.isEmpty() ? QStringLiteral("/bytes/1000") : QStringLiteral("/echo");
    const Outcome out = run(*second, url(QStringLiteral("https://huggingface.co") + target), method, {}, body);
    QVERIFY2(out.finished, qPrintable(out.error.message));
    QCOMPARE(out.status, 200);
    QCOMPARE(m_hf->connectionCount(), 2);
    QCOMPARE(m_hf->requestCount(), 2);
    QCOMPARE(m_hf->requests().last().connection, 2);
    QVERIFY(m_hf->requests().last().body == body);
    QCOMPARE(second->bytesSent(), headBytes(m_hf->requests().last()) + body.size());
}

// The upstream took the request on a kept connection and closed it without a byte of answer.
// An idempotent request goes again on a new connection, once, if the Gate still lets it (not
// after a lockdown); a POST is never sent twice: the close is its answer.
void TestUpstreamFetch::closedBeforeAnswering_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("gateAllows");
    QTest::addColumn<bool>("sentAgain");
    QTest::newRow("GET") << QStringLiteral("GET") << true << true;
    QTest::newRow("PUT") << QStringLiteral("PUT") << true << true;
    QTest::newRow("GET after a lockdown") << QStringLiteral("GET") << false << false;
    QTest::newRow("POST") << QStringLiteral("POST") << true << false;
    QTest::newRow("PATCH") << QStringLiteral("PATCH") << true << false;
}

void TestUpstreamFetch::closedBeforeAnswering() {
    QFETCH(QString, method);
    QFETCH(bool, gateAllows);
    QFETCH(bool, sentAgain);
    m_pool = std::make_unique<ConnectionPool>();
    m_config.pool = m_pool.get();
    m_hf->setHandler([](const RecordedRequest &r, Responder &respond) {
        if (r.path() != "/flaky")
            TestUpstream::standardRoutes(r, respond);
        else if (r.connection == 1)
            respond.close(); // read, then gone
        else
            respond.reply(200, {}, "second try");
    });
    auto first = makeFetch();
    QVERIFY(run(*first, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    QList<HopRequest> judged;
    auto judge = [&judged, gateAllows](const HopRequest &hop) {
        judged.append(hop);
        HopVerdict v;
        v.allowed = gateAllows;
        if (!gateAllows)
            v.error = FetchError{ErrorCode::Lockdown, QStringLiteral("airlock is in lockdown"),
                                 QStringLiteral("state.lockdown")};
        v.url = hop.base;
        v.headers = hop.headers;
        return v;
    };
    const QByteArray body = method == QLatin1String("GET") ? QByteArray() : QByteArray("payload");
    auto second = makeFetch(judge);
    const Outcome out = run(*second, url(QStringLiteral("https://huggingface.co/flaky")), method, {}, body);
    const bool idempotent = method == QLatin1String("GET") || method == QLatin1String("PUT");
    QCOMPARE(judged.size(), idempotent ? 1 : 0);
    if (idempotent) { // the same URL again, judged as its own location
        QCOMPARE(judged.first().base, url(QStringLiteral("https://huggingface.co/flaky")));
        QCOMPARE(judged.first().location, QByteArray("https://huggingface.co/flaky"));
        QCOMPARE(judged.first().method, method);
    }
    QCOMPARE(out.finished, sentAgain);
    QCOMPARE(m_hf->connectionCount(), sentAgain ? 2 : 1);
    QCOMPARE(m_hf->requestCount(), sentAgain ? 3 : 2);
    if (sentAgain) {
        QCOMPARE(out.body, QByteArray("second try"));
        // Both attempts left the machine, heads and bodies.
        const QList<RecordedRequest> sent = m_hf->requests();
        QCOMPARE(second->bytesSent(), headBytes(sent.at(sent.size() - 2)) + headBytes(sent.last()) + 2 * body.size());
    } else if (!gateAllows) {
        QCOMPARE(out.error.code, ErrorCode::Lockdown);
    } else {
        QCOMPARE(out.error.message,
                 QStringLiteral("upstream closed the connection without a response: huggingface.co"));
    }
}

// A request that must not be sent twice takes only a kept connection that is fresh.
void TestUpstreamFetch::unsafeMethodsTakeOnlyFreshConnections() {
    m_pool = std::make_unique<ConnectionPool>();
    m_config.pool = m_pool.get();
    auto fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://huggingface.co/echo")), QStringLiteral("POST"), {}, "a").finished);
    QCOMPARE(m_hf->connectionCount(), 1);
    QTest::qWait(1'300);
    fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://huggingface.co/echo")), QStringLiteral("POST"), {}, "b").finished);
    QCOMPARE(m_hf->connectionCount(), 2);
    QTest::qWait(1'300);
    fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    QCOMPARE(m_hf->connectionCount(), 2); // a GET takes it all the same
}

// An exchange that began before clear() (a policy change) does not put its connection back.
void TestUpstreamFetch::connectionOfAnOlderPolicyIsNotKept() {
    m_pool = std::make_unique<ConnectionPool>();
    m_config.pool = m_pool.get();
    std::optional<Responder> held;
    m_hf->setHandler([&held](const RecordedRequest &, Responder &respond) { held = respond; });
    auto fetch = makeFetch();
    Outcome out;
    connect(fetch.get(), &UpstreamFetch::finished, this, [&] { out.finished = true; });
    fetch->start(url(QStringLiteral("https://huggingface.co/slow")), QStringLiteral("GET"), {}, {});
    QTRY_VERIFY(held.has_value());
    m_pool->clear();
    held->reply(200, {}, "late");
    QTRY_VERIFY(out.finished);
    QCOMPARE(m_pool->idleCount(), 0);
    QTRY_COMPARE(m_hf->openConnections(), 0);
}

// Once the upstream answered, a broken connection is the answer: nothing is sent again.
void TestUpstreamFetch::answeredThenBrokenIsNotSentAgain() {
    m_pool = std::make_unique<ConnectionPool>();
    m_config.pool = m_pool.get();
    m_hf->setHandler([](const RecordedRequest &r, Responder &respond) {
        if (r.path() != "/die") {
            TestUpstream::standardRoutes(r, respond);
            return;
        }
        GeneratedResponse spec;
        spec.size = 1024 * 1024;
        spec.dieAfter = 1000;
        respond.sendGenerated(spec);
    });
    auto first = makeFetch();
    QVERIFY(run(*first, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    auto second = makeFetch();
    const Outcome out = run(*second, url(QStringLiteral("https://huggingface.co/die")));
    QVERIFY(out.failed);
    QCOMPARE(out.error.message, QStringLiteral("upstream closed the connection mid-body"));
    QCOMPARE(m_hf->connectionCount(), 1);
    QCOMPARE(m_hf->requestCount(), 2);
    QCOMPARE(m_pool->idleCount(), 0);
}

void TestUpstreamFetch::poolClosesIdleConnections() {
    // After the idle limit.
    m_pool = std::make_unique<ConnectionPool>(ConnectionPool::Limits{300, 8});
    m_config.pool = m_pool.get();
    auto fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    QCOMPARE(m_pool->idleCount(), 1);
    QCOMPARE(m_hf->openConnections(), 1);
    QTRY_COMPARE(m_pool->idleCount(), 0);
    QTRY_COMPARE(m_hf->openConnections(), 0);

    // At once on clear().
    m_pool = std::make_unique<ConnectionPool>();
    m_config.pool = m_pool.get();
    fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    QCOMPARE(m_pool->idleCount(), 1);
    m_pool->clear();
    QCOMPARE(m_pool->idleCount(), 0);
    QTRY_COMPARE(m_hf->openConnections(), 0);

    // None while keeping is off (a disabled Airlock, lockdown), again once it is back on.
    fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    QCOMPARE(m_pool->idleCount(), 1);
    m_pool->setKeeping(false);
    QCOMPARE(m_pool->idleCount(), 0);
    fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    QCOMPARE(m_pool->idleCount(), 0);
    QTRY_COMPARE(m_hf->openConnections(), 0);
    m_pool->setKeeping(true);
    fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    QCOMPARE(m_pool->idleCount(), 1);

    // When the upstream closes it.
    fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    QCOMPARE(m_hf->closeIdleConnections(), 1);
    QTRY_COMPARE(m_pool->idleCount(), 0);

    // Beyond the most it keeps: the oldest.
    m_pool = std::make_unique<ConnectionPool>(ConnectionPool::Limits{30'000, 1});
    m_config.pool = m_pool.get();
    fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://huggingface.co/bytes/10"))).finished);
    fetch = makeFetch();
    QVERIFY(run(*fetch, url(QStringLiteral("https://cdn-lfs.hf.co/bytes/10"))).finished);
    QCOMPARE(m_pool->idleCount(), 1);
    QTRY_COMPARE(m_hf->openConnections(), 0);
    QCOMPARE(m_cdn->openConnections(), 1);
}

QTEST_GUILESS_MAIN(TestUpstreamFetch)
#include "tst_upstreamfetch.moc"
