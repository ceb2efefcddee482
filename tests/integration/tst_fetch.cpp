// End to end through a real airlockd and a local TLS upstream: what an allowed request gets.
#include "AirlockHarness.h"
#include "GeneratedBody.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace airlock::test;

class TestFetch final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void healthNeedsNoToken();
    void byteExactDownload();
    void chunkedUpstreamStaysChunked();
    void rangePassesThrough();
    void redirectChainFollowed();
    void storageOnlyThroughRedirects();
    void authorizationDroppedAcrossHosts();
    void queryNeverReportedBack();
    void uploadBodyArrivesIntact();
    void bodyLimitExactAndPlusOne();
    void upstreamDyingMidBodyTruncatesClient();
    void clientAbortStopsUpstream();
    void headRequestHasNoBody();
    void hopByHopAndSetCookieStripped();
    void statsCountTraffic();
    void downloadAndBurstBothSucceed();
    void secaiCallersAreNamedNotForwarded();

private:
    TestUpstream m_upstream;
    AirlockProcess m_airlock;
};

void TestFetch::initTestCase() {
    QVERIFY(m_upstream.start());
    const QByteArray allowlistedToken =
        QCryptographicHash::hash("Bearer hf_ZyXwVuTsRqPoNmLkJiHgFeDcBa98765432", QCryptographicHash::Sha256).toHex();
    const QByteArray policy = AirlockProcess::testPolicy() +
                              "  credential_allowlist:\n"
                              "    - { destination: huggingface.co, header: Authorization, sha256: \"" +
                              allowlistedToken + "\" }\n";
    QVERIFY2(m_airlock.start(&m_upstream, policy), qPrintable(m_airlock.logText()));
}

void TestFetch::init() {
    m_upstream.setHandler({});
    m_upstream.clearRecords();
}

void TestFetch::healthNeedsNoToken() {
    const ClientResponse r = m_airlock.get("/health", false);
    QCOMPARE(r.status, 200);
    const QJsonObject o = r.json();
    QCOMPARE(o.value("status").toString(), QStringLiteral("ok"));
    QCOMPARE(o.value("enabled").toBool(), true);
    QCOMPARE(o.value("lockdown").toBool(), false);
    QVERIFY(!o.value("version").toString().isEmpty());
}

void TestFetch::byteExactDownload() {
    const qint64 size = 48 * 1024 * 1024 + 17;
    ClientOptions options;
    options.keepBody = false;
    options.generatedOffset = 0;
    const ClientResponse r =
        m_airlock.fetch({{"url", QStringLiteral("https://huggingface.co/bytes/%1").arg(size)}}, options);
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    QCOMPARE(r.bodyBytes, size);
    QVERIFY(r.bodyMatchesGenerated);
    QCOMPARE(r.header("content-length").toLongLong(), size);
    QCOMPARE(r.header("x-airlock-decision"), QByteArray("allowed"));
    QCOMPARE(r.header("x-airlock-upstream-url"),
             QByteArray("https://huggingface.co/bytes/") + QByteArray::number(size));
    QCOMPARE(r.header("x-airlock-request-id").size(), 32);
    // What the upstream saw: SNI and Host are the destination, not the address connected to.
    QCOMPARE(m_upstream.requestCount(), 1);
    const RecordedRequest sent = m_upstream.requests().first();
    QCOMPARE(sent.sniHost, QStringLiteral("huggingface.co"));
    QCOMPARE(sent.header("host"), QByteArray("huggingface.co"));
}

void TestFetch::chunkedUpstreamStaysChunked() {
    ClientOptions options;
    options.generatedOffset = 0;
    const ClientResponse r = m_airlock.fetch({{"url", "https://huggingface.co/chunked/300001"}}, options);
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    QCOMPARE(r.bodyBytes, 300001);
    QVERIFY(r.bodyMatchesGenerated);
    QVERIFY(r.header("transfer-encoding").contains("chunked"));
}

void TestFetch::rangePassesThrough() {
    const ClientResponse r = m_airlock.fetch(
        {{"url", "https://huggingface.co/bytes/100000"}, {"headers", QJsonObject{{"Range", "bytes=1000-1999"}}}});
    QCOMPARE(r.status, 206);
    QVERIFY(r.complete);
    QCOMPARE(r.body, generated::slice(1000, 1000));
    QCOMPARE(r.header("content-range"), QByteArray("bytes 1000-1999/100000"));
    QCOMPARE(m_upstream.requests().first().header("range"), QByteArray("bytes=1000-1999"));
}

void TestFetch::redirectChainFollowed() {
    // huggingface.co -> cdn-lfs.huggingface.co -> cdn-lfs.hf.co (a wildcard entry)
    const QString last = QStringLiteral("https://cdn-lfs.hf.co/bytes/5000?X-Amz-Signature=abc");
    const QString middle = QStringLiteral("https://cdn-lfs.huggingface.co/redirect?to=") +
                           QString::fromLatin1(QUrl::toPercentEncoding(last));
    const QString first =
        QStringLiteral("https://huggingface.co/redirect?to=") + QString::fromLatin1(QUrl::toPercentEncoding(middle));
    ClientOptions options;
    options.generatedOffset = 0;
    const ClientResponse r = m_airlock.fetch({{"url", first}}, options);
    QCOMPARE(r.status, 200);
    QVERIFY(r.bodyMatchesGenerated);
    QCOMPARE(r.bodyBytes, 5000);
    QCOMPARE(r.header("x-airlock-upstream-url"), QByteArray("https://cdn-lfs.hf.co/bytes/5000"));
    QCOMPARE(m_upstream.requestCount(), 3);
    QCOMPARE(m_upstream.requests().at(2).sniHost, QStringLiteral("cdn-lfs.hf.co"));
    QCOMPARE(m_upstream.requests().at(2).query(), QByteArray("X-Amz-Signature=abc"));
}

// The default policy names storage hosts with `via`: a model download redirected there goes,
// a request sent there directly (or redirected there by another origin) does not, and no byte
// of it reaches the storage.
void TestFetch::storageOnlyThroughRedirects() {
    AirlockProcess airlock;
    QVERIFY2(airlock.start(&m_upstream, AirlockProcess::enabledDefaultPolicy()), qPrintable(airlock.logText()));
    const QByteArray blob = "https://blobs.r2.cloudflarestorage.com/bucket/sha256-ab?X-Amz-Signature=1";
    m_upstream.setHandler([blob](const RecordedRequest &request, Responder &responder) {
        if (request.sniHost == QLatin1String("registry.ollama.ai"))
            responder.redirect(307, blob);
        else if (request.sniHost == QLatin1String("huggingface.co"))
            responder.redirect(302, request.query().startsWith("to=r2") ? blob : "https://cdn-lfs.hf.co/f");
        else
            responder.reply(200, {{"Content-Type", "application/octet-stream"}}, "blob bytes");
    });

    // Direct: refused, naming the origin, nothing sent.
    ClientResponse r = airlock.fetch({{"url", QString::fromLatin1(blob)}});
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("destination_not_allowed"));
    QCOMPARE(r.json().value("rule").toString(), QStringLiteral("destination.via"));
    QVERIFY2(r.json().value("error").toString().contains(QLatin1String("redirect from https://registry.ollama.ai/v2/")),
             r.body.constData());
    QCOMPARE(m_upstream.requestCount(), 0);
    r = airlock.fetch({{"url", "https://cdn-lfs.hf.co/f"}});
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value("rule").toString(), QStringLiteral("destination.via"));
    // /v1/egress/check says the same, and why.
    r = airlock.fetch({{"url", QString::fromLatin1(blob)}}, {}, "/v1/egress/check");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value("allowed").toBool(), false);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("destination_not_allowed"));
    QVERIFY2(r.json().value("reason").toString().contains(QLatin1String("only through a redirect")),
             r.body.constData());
    QCOMPARE(m_upstream.requestCount(), 0);

    // Redirected by its origin: allowed.
    r = airlock.fetch({{"url", "https://registry.ollama.ai/v2/library/m/blobs/sha256:ab"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("blob bytes"));
    QCOMPARE(m_upstream.requests().last().sniHost, QStringLiteral("blobs.r2.cloudflarestorage.com"));
    r = airlock.fetch({{"url", "https://huggingface.co/m/resolve/main/f"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(m_upstream.requests().last().sniHost, QStringLiteral("cdn-lfs.hf.co"));

    // Redirected there by an origin that is not its own: refused before the storage is contacted.
    m_upstream.clearRecords();
    r = airlock.fetch({{"url", "https://huggingface.co/m/resolve/main/f?to=r2"}});
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value("rule").toString(), QStringLiteral("destination.via"));
    QCOMPARE(m_upstream.requestCount(), 1);
    QCOMPARE(m_upstream.requests().first().sniHost, QStringLiteral("huggingface.co"));
}

void TestFetch::authorizationDroppedAcrossHosts() {
    const QString target = QStringLiteral("https://cdn-lfs.huggingface.co/bytes/10");
    const QString sameHost =
        QStringLiteral("https://huggingface.co/redirect?to=") + QString::fromLatin1(QUrl::toPercentEncoding(target));
    const QString url =
        QStringLiteral("https://huggingface.co/redirect?to=") + QString::fromLatin1(QUrl::toPercentEncoding(sameHost));
    const ClientResponse r = m_airlock.fetch(
        {{"url", url}, {"headers", QJsonObject{{"Authorization", "Bearer hf_ZyXwVuTsRqPoNmLkJiHgFeDcBa98765432"}}}});
    QCOMPARE(r.status, 200);
    const QList<RecordedRequest> seen = m_upstream.requests();
    QCOMPARE(seen.size(), 3);
    QCOMPARE(seen.at(0).header("authorization"), QByteArray("Bearer hf_ZyXwVuTsRqPoNmLkJiHgFeDcBa98765432"));
    QCOMPARE(seen.at(1).header("authorization"),
             QByteArray("Bearer hf_ZyXwVuTsRqPoNmLkJiHgFeDcBa98765432")); // same host
    QVERIFY(!seen.at(2).hasHeader("authorization"));                      // other host
    QCOMPARE(seen.at(2).sniHost, QStringLiteral("cdn-lfs.huggingface.co"));
}

void TestFetch::queryNeverReportedBack() {
    const ClientResponse r = m_airlock.fetch({{"url", "https://huggingface.co/bytes/3?secret-query-value=1"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("x-airlock-upstream-url"), QByteArray("https://huggingface.co/bytes/3"));
    QCOMPARE(m_upstream.requests().first().query(), QByteArray("secret-query-value=1"));
}

void TestFetch::uploadBodyArrivesIntact() {
    const QByteArray body = generated::slice(7, 3 * 1024 * 1024);
    const ClientResponse r = m_airlock.fetch({{"url", "https://huggingface.co/echo"},
                                              {"method", "POST"},
                                              {"body_base64", QString::fromLatin1(body.toBase64())}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value("size").toInteger(), body.size());
    QCOMPARE(r.json().value("sha256").toString().toLatin1(),
             QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex());
    QCOMPARE(m_upstream.requests().first().header("content-length").toLongLong(), body.size());
}

void TestFetch::bodyLimitExactAndPlusOne() {
    const QByteArray exact(10485760, 'a');
    ClientResponse r = m_airlock.fetch({{"url", "https://huggingface.co/echo"},
                                        {"method", "POST"},
                                        {"body_base64", QString::fromLatin1(exact.toBase64())}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value("size").toInteger(), exact.size());
    m_upstream.clearRecords();

    const QByteArray over(10485761, 'a');
    r = m_airlock.fetch({{"url", "https://huggingface.co/echo"},
                         {"method", "POST"},
                         {"body_base64", QString::fromLatin1(over.toBase64())}});
    QCOMPARE(r.status, 413);
    QCOMPARE(r.json().value("error").toString(), QStringLiteral("request body exceeds 10485760 bytes"));
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("body_too_large"));
    QCOMPARE(r.header("x-airlock-decision"), QByteArray("blocked"));
    QVERIFY(m_upstream.receivedNothing());
}

void TestFetch::upstreamDyingMidBodyTruncatesClient() {
    for (bool chunked : {false, true}) {
        m_upstream.setHandler([chunked](const RecordedRequest &, Responder &responder) {
            GeneratedResponse spec;
            spec.size = 4 * 1024 * 1024;
            spec.chunked = chunked;
            spec.dieAfter = 1024 * 1024;
            responder.sendGenerated(spec);
        });
        ClientOptions options;
        options.keepBody = false;
        const ClientResponse r = m_airlock.fetch({{"url", "https://huggingface.co/model.bin"}}, options);
        QCOMPARE(r.status, 200);
        QVERIFY2(!r.complete, chunked ? "chunked" : "content-length");
        QVERIFY(r.closed);
        QVERIFY(r.bodyBytes < 4 * 1024 * 1024);
    }
}

void TestFetch::clientAbortStopsUpstream() {
    m_upstream.setRecording(true);
    ClientOptions options;
    options.keepBody = false;
    options.abortAfterBytes = 2 * 1024 * 1024;
    const qint64 size = qint64(8) * 1024 * 1024 * 1024;
    const ClientResponse r =
        m_airlock.fetch({{"url", QStringLiteral("https://huggingface.co/bytes/%1").arg(size)}}, options);
    QCOMPARE(r.status, 200);
    QVERIFY(!r.complete);
    // The upstream sees its response cut off long before 8 GiB went out.
    QTRY_COMPARE_WITH_TIMEOUT(m_upstream.abortedResponses(), 1, 15000);
    QVERIFY(m_upstream.bodyBytesSent() < size / 16);
    QTRY_COMPARE_WITH_TIMEOUT(m_airlock.get("/v1/stats").json().value("active_transfers").toInt(), 0, 10000);
}

void TestFetch::headRequestHasNoBody() {
    const ClientResponse r = m_airlock.fetch({{"url", "https://huggingface.co/bytes/12345"}, {"method", "HEAD"}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.complete);
    QCOMPARE(r.bodyBytes, 0);
    QCOMPARE(r.header("x-airlock-upstream-content-length"), QByteArray("12345"));
    QCOMPARE(m_upstream.requests().first().method, QByteArray("HEAD"));
}

void TestFetch::hopByHopAndSetCookieStripped() {
    m_upstream.setHandler([](const RecordedRequest &, Responder &responder) {
        responder.reply(200,
                        {{"Set-Cookie", "session=abc"},
                         {"Connection", "X-Private-Hop"},
                         {"X-Private-Hop", "1"},
                         {"Keep-Alive", "timeout=5"},
                         {"ETag", "\"v1\""},
                         {"X-Airlock-Decision", "blocked"},
                         {"X-Airlock-Upstream-Url", "https://evil.example/"}},
                        "ok");
    });
    const ClientResponse r = m_airlock.fetch(
        {{"url", "https://huggingface.co/x"},
         {"headers", QJsonObject{{"Connection", "X-Drop-Me"}, {"X-Drop-Me", "1"}, {"Accept", "text/plain"}}}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("ok"));
    QVERIFY(r.header("set-cookie").isEmpty());
    QVERIFY(r.header("x-private-hop").isEmpty());
    QVERIFY(r.header("keep-alive").isEmpty());
    QCOMPARE(r.header("etag"), QByteArray("\"v1\""));
    // Only the Airlock speaks with X-Airlock-* headers.
    int decisions = 0;
    for (const auto &header : r.headers)
        decisions += header.first.compare("x-airlock-decision", Qt::CaseInsensitive) == 0;
    QCOMPARE(decisions, 1);
    QCOMPARE(r.header("x-airlock-decision"), QByteArray("allowed"));
    QCOMPARE(r.header("x-airlock-upstream-url"), QByteArray("https://huggingface.co/x"));
    const RecordedRequest sent = m_upstream.requests().first();
    QVERIFY(!sent.hasHeader("x-drop-me"));
    QCOMPARE(sent.header("accept"), QByteArray("text/plain"));

    // Repeated names (any case) go out as one field, values joined in order, first spelling kept.
    m_upstream.clearRecords();
    const ClientResponse joined = m_airlock.fetch(
        {{"url", "https://huggingface.co/x"},
         {"headers", QJsonObject{{"Accept", QJsonArray{"text/plain", "application/json"}}, {"accept", "*/*"}}}});
    QCOMPARE(joined.status, 200);
    int accepts = 0;
    for (const auto &header : m_upstream.requests().first().headers)
        accepts += header.first.compare("accept", Qt::CaseInsensitive) == 0;
    QCOMPARE(accepts, 1);
    QCOMPARE(m_upstream.requests().first().header("accept"), QByteArray("text/plain, application/json, */*"));
}

void TestFetch::statsCountTraffic() {
    const QJsonObject before = m_airlock.get("/v1/stats").json();
    QCOMPARE(m_airlock.fetch({{"url", "https://huggingface.co/bytes/1000"}}).status, 200);
    QCOMPARE(m_airlock.fetch({{"url", "https://example.com/"}}).status, 403);
    const ClientResponse r = m_airlock.get("/v1/stats");
    QCOMPARE(r.status, 200);
    const QJsonObject after = r.json();
    QCOMPARE(after.value("allowed").toInteger(), before.value("allowed").toInteger() + 1);
    QCOMPARE(after.value("blocked").toInteger(), before.value("blocked").toInteger() + 1);
    QVERIFY(after.value("bytes_down").toInteger() >= before.value("bytes_down").toInteger() + 1000);
    QCOMPARE(m_airlock.get("/v1/stats", false).status, 401);
}

void TestFetch::downloadAndBurstBothSucceed() {
    // One model download and, alongside it, more small requests than the concurrency cap:
    // the ones over the cap wait for a slot instead of failing.
    const qint64 big = 256 * 1024 * 1024;
    QList<QByteArray> requests{
        m_airlock.fetchRequest({{"url", QStringLiteral("https://huggingface.co/bytes/%1").arg(big)}})};
    for (int i = 0; i < 60; ++i)
        requests.append(
            m_airlock.fetchRequest({{"url", QStringLiteral("https://huggingface.co/bytes/%1").arg(1000 + i)}}));
    ClientOptions options;
    options.keepBody = false;
    options.generatedOffset = 0;
    options.timeoutMs = 120'000;
    const QList<ClientResponse> responses = sendRawConcurrently(m_airlock.port(), requests, options);
    QCOMPARE(responses.size(), requests.size());
    for (qsizetype i = 0; i < responses.size(); ++i) {
        const ClientResponse &r = responses.at(i);
        QVERIFY2(r.status == 200 && r.complete && r.bodyMatchesGenerated, qPrintable(QString::number(i)));
        QCOMPARE(r.bodyBytes, i == 0 ? big : 1000 + i - 1);
    }
}

// SecAI OS's own services name themselves in X-SecAI-Service: the name goes into the request's
// records (decision and transfer) and nowhere upstream; X-SecAI-* headers in the envelope are
// internal and never sent on; the answer carries X-SecAI-Upstream-URL, which an upstream cannot
// forge. A malformed name is a malformed request.
void TestFetch::secaiCallersAreNamedNotForwarded() {
    m_upstream.setHandler([](const RecordedRequest &, Responder &responder) {
        responder.reply(200, {{"X-SecAI-Upstream-URL", "https://evil.example/"}}, "ok");
    });
    const auto withCaller = [this](const QByteArray &caller, const QJsonObject &envelope) {
        QByteArray request = m_airlock.fetchRequest(envelope);
        request.insert(request.indexOf("\r\n") + 2, "X-SecAI-Service: " + caller + "\r\n");
        return sendRaw(m_airlock.port(), request);
    };
    const ClientResponse r =
        withCaller("secai-ui", {{"url", "https://huggingface.co/api/models/x"},
                                {"headers", QJsonObject{{"X-SecAI-Trace", "t-123"}, {"Accept", "application/json"}}}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("ok"));
    QCOMPARE(r.header("x-secai-upstream-url"), QByteArray("https://huggingface.co/api/models/x"));
    QCOMPARE(r.header("x-secai-upstream-url"), r.header("x-airlock-upstream-url"));
    int secai = 0;
    for (const auto &header : r.headers)
        secai += header.first.compare("x-secai-upstream-url", Qt::CaseInsensitive) == 0;
    QCOMPARE(secai, 1);
    const RecordedRequest sent = m_upstream.requests().first();
    for (const auto &header : sent.headers)
        QVERIFY2(!header.first.toLower().startsWith("x-secai-"), header.first.constData());
    QCOMPARE(sent.header("accept"), QByteArray("application/json"));

    const QByteArray id = r.header("x-airlock-request-id");
    QFile audit(QDir(m_airlock.stateDir()).filePath(QStringLiteral("audit.jsonl")));
    int named = 0;
    QTRY_VERIFY((named = 0, audit.open(QIODevice::ReadOnly), [&] {
        for (const QByteArray &line : audit.readAll().split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value("id").toString().toLatin1() == id && o.value("caller").toString() == QStringLiteral("secai-ui"))
                ++named;
        }
        audit.close();
        return named == 2; // the decision and the transfer
    }()));

    // A "name" that is a credential passes as a name but is never written down.
    const QByteArray token = "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567";
    const ClientResponse hidden = withCaller(token, {{"url", "https://huggingface.co/api/models/y"}});
    QCOMPARE(hidden.status, 200);
    const QByteArray hiddenId = hidden.header("x-airlock-request-id");
    QTRY_VERIFY((audit.open(QIODevice::ReadOnly), [&] {
        const QByteArray all = audit.readAll();
        audit.close();
        return all.contains(hiddenId + "\",");
    }()));
    QVERIFY(audit.open(QIODevice::ReadOnly));
    QVERIFY(!audit.readAll().contains(token));
    audit.close();

    for (const QByteArray &bad : {QByteArray("536-22-8475"), QByteArray("a b"), QByteArray(70, 'x')}) {
        const ClientResponse refused = withCaller(bad, {{"url", "https://huggingface.co/api/models/x"}});
        QCOMPARE(refused.status, 400);
        QVERIFY(refused.json().value("error").toString().contains(QStringLiteral("X-SecAI-Service")));
    }
}

QTEST_GUILESS_MAIN(TestFetch)
#include "tst_fetch.moc"
