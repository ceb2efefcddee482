// End to end: every refusal of the Airlock, each with its status, message and code, and proof
// that nothing reached the upstream.
#include "AirlockHarness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace airlock::test;

namespace {

QString redirectTo(const QString &target) {
    return QStringLiteral("https://huggingface.co/redirect?to=") + QString::fromLatin1(QUrl::toPercentEncoding(target));
}

} // namespace

class TestRefusals final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void refusedBeforeSending_data();
    void refusedBeforeSending();
    void tokenMissingOrWrong_data();
    void tokenMissingOrWrong();
    void authorizationHeaderRules();
    void redirectToRefusedHostNeverContactsIt();
    void redirectToHttpRefused();
    void redirectToReservedAddressRefused();
    void tooManyRedirects();
    void upstreamUnreachableIs502();
    void upstreamTlsFailureIs502();
    void checkEndpointSendsNothing();
    void unknownEndpointAndWrongMethod();
    void halfOpenClientsDoNotStarveNewOnes();
    void auditNeverHoldsQueryOrHeaderValues();
    void envelopeHeadersBounded();
    void webPagesRefused_data();
    void webPagesRefused();

private:
    void expectRefusal(const ClientResponse &r, int status, const QString &code, const QString &error);

    TestUpstream m_upstream;
    TestCa m_otherCa;
    TestUpstream m_untrusted{&m_otherCa, {QStringLiteral("badtls.hf.co")}};
    AirlockProcess m_airlock;
};

void TestRefusals::envelopeHeadersBounded() {
    const auto withHeaders = [this](const QJsonObject &headers) {
        return m_airlock.fetch({{"url", "https://huggingface.co/bytes/1"}, {"headers", headers}});
    };
    QJsonObject many;
    for (int i = 0; i < 101; ++i)
        many.insert(QStringLiteral("X-H%1").arg(i), QStringLiteral("v"));
    QJsonObject repeated{{"X-Rep", QJsonArray()}};
    QJsonArray values;
    for (int i = 0; i < 101; ++i)
        values.append(QStringLiteral("v"));
    repeated.insert("X-Rep", values);
    QJsonObject wide;
    for (int i = 0; i < 9; ++i)
        wide.insert(QStringLiteral("X-W%1").arg(i), QString(8000, QLatin1Char('w')));
    m_upstream.clearRecords();
    for (const QJsonObject &h : {many, repeated, wide, QJsonObject{{"X-Long", QString(8193, QLatin1Char('l'))}}}) {
        const ClientResponse r = withHeaders(h);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value("code").toString(), QStringLiteral("bad_request"));
    }
    QVERIFY(m_upstream.receivedNothing());
    // At the bounds it passes, and the header bytes are counted as bytes sent upstream.
    const qint64 before = m_airlock.get("/v1/stats").json().value("bytes_up").toInteger();
    QJsonObject atBound;
    for (int i = 0; i < 7; ++i)
        atBound.insert(QStringLiteral("X-B%1").arg(i), QString(8192, QLatin1Char('b')));
    QCOMPARE(withHeaders(atBound).status, 200);
    // Booked when the transfer ends, just after the client has its answer.
    QTRY_VERIFY_WITH_TIMEOUT(m_airlock.get("/v1/stats").json().value("bytes_up").toInteger() - before >= 7 * 8192,
                             5000);
}

void TestRefusals::webPagesRefused_data() {
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<bool>("refused");
    const QByteArray port = QByteArray::number(m_airlock.port());
    QTest::newRow("loopback address and port") << QByteArray("/health") << "Host: 127.0.0.1:" + port << false;
    QTest::newRow("loopback address alone") << QByteArray("/health") << QByteArray("Host: 127.0.0.1") << false;
    QTest::newRow("localhost and port") << QByteArray("/metrics") << "Host: localhost:" + port << false;
    QTest::newRow("upper case") << QByteArray("/health") << "Host: LOCALHOST:" + port << false;
    QTest::newRow("IPv6 loopback") << QByteArray("/health") << "Host: [::1]:" + port << false;
    QTest::newRow("rebound name") << QByteArray("/health") << "Host: evil.example:" + port << true;
    QTest::newRow("rebound name, metrics") << QByteArray("/metrics") << QByteArray("Host: attacker.test") << true;
    QTest::newRow("other port") << QByteArray("/health") << QByteArray("Host: 127.0.0.1:1") << true;
    QTest::newRow("port not a number") << QByteArray("/health") << QByteArray("Host: 127.0.0.1:80x") << true;
    QTest::newRow("name ending in localhost") << QByteArray("/health") << "Host: evil-localhost:" + port << true;
    QTest::newRow("Origin of a page") << QByteArray("/health")
                                      << "Host: 127.0.0.1:" + port + "\r\nOrigin: https://evil.example" << true;
    QTest::newRow("Origin null") << QByteArray("/v1/stats") << "Host: 127.0.0.1:" + port + "\r\nOrigin: null" << true;
}

void TestRefusals::webPagesRefused() {
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, headers);
    QFETCH(bool, refused);
    const auto refusedSoFar = [this] {
        for (const QByteArray &line : m_airlock.get("/metrics", false).body.split('\n'))
            if (line.startsWith("airlock_origin_refused_total "))
                return line.mid(29).toDouble();
        return -1.0;
    };
    const double before = refusedSoFar();
    const ClientResponse r =
        sendRaw(m_airlock.port(), "GET " + path + " HTTP/1.1\r\n" + headers + "\r\nAuthorization: Bearer " +
                                      m_airlock.token() + "\r\nConnection: close\r\n\r\n");
    const double after = refusedSoFar();
    if (refused) {
        QCOMPARE(r.status, 403);
        QCOMPARE(r.json().value("code").toString(), QStringLiteral("origin_refused"));
        QVERIFY(!r.body.contains("enabled")); // nothing of the service's state
        QCOMPARE(after, before + 1);
    } else {
        QCOMPARE(r.status, 200);
        QCOMPARE(after, before);
    }
}

void TestRefusals::initTestCase() {
    QVERIFY(m_upstream.start());
    QVERIFY(m_untrusted.start());
    // A port nothing listens on: bind, note, close.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closedPort = probe.serverPort();
    probe.close();
    const QStringList extra{
        QStringLiteral("--connect-to"), QStringLiteral("down.hf.co:443:127.0.0.1:%1").arg(closedPort),
        QStringLiteral("--connect-to"), QStringLiteral("badtls.hf.co:443:127.0.0.1:%1").arg(m_untrusted.port())};
    // badtls.hf.co points at an upstream whose certificate (from another CA) the Airlock does not trust.
    QVERIFY2(m_airlock.start(&m_upstream, AirlockProcess::testPolicy(QString(), 1000, 1000), extra),
             qPrintable(m_airlock.logText()));
}

void TestRefusals::init() {
    m_upstream.setHandler({});
    m_upstream.clearRecords();
    m_untrusted.clearRecords();
}

void TestRefusals::expectRefusal(const ClientResponse &r, int status, const QString &code, const QString &error) {
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("x-airlock-decision"), QByteArray("blocked"));
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    const QJsonObject o = r.json();
    QCOMPARE(o.value("code").toString(), code);
    if (error.endsWith(QLatin1Char('*')))
        QVERIFY2(o.value("error").toString().startsWith(error.chopped(1)), qPrintable(o.value("error").toString()));
    else
        QCOMPARE(o.value("error").toString(), error);
}

void TestRefusals::refusedBeforeSending_data() {
    QTest::addColumn<QJsonObject>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("error");

    QTest::newRow("not allowlisted") << QJsonObject{{"url", "https://evil.example/upload"}} << 403
                                     << "destination_not_allowed"
                                     << "destination not in allowlist: evil.example";
    QTest::newRow("lookalike") << QJsonObject{{"url", "https://huggingface.co.evil.example/"}} << 403
                               << "destination_not_allowed"
                               << "destination not in allowlist: huggingface.co.evil.example";
    QTest::newRow("http") << QJsonObject{{"url", "http://huggingface.co/"}} << 403 << "https_required"
                          << "only HTTPS destinations are allowed";
    QTest::newRow("ip literal") << QJsonObject{{"url", "https://127.0.0.1/"}} << 403 << "destination_not_allowed"
                                << "destination not in allowlist*";
    QTest::newRow("method") << QJsonObject{{"url", "https://huggingface.co/x"}, {"method", "DELETE"}} << 403
                            << "method_not_allowed"
                            << "method not allowed: DELETE";
    QTest::newRow("entry method") << QJsonObject{{"url", "https://cdn-lfs.huggingface.co/x"},
                                                 {"method", "POST"},
                                                 {"body", "x"}}
                                  << 403 << "method_not_allowed"
                                  << "method not allowed: POST";
    QTest::newRow("authorization") << QJsonObject{{"url", "https://huggingface.co/x"},
                                                  {"headers", QJsonObject{{"Authorization", "Bearer abc"}}}}
                                   << 403 << "credential_detected"
                                   << "request blocked: credential detected in request headers";
    QTest::newRow("cookie") << QJsonObject{{"url", "https://huggingface.co/x"},
                                           {"headers", QJsonObject{{"cookie", "session=1"}}}}
                            << 403 << "credential_detected"
                            << "request blocked: credential detected in request headers";
    QTest::newRow("body over limit") << QJsonObject{{"url", "https://huggingface.co/echo"},
                                                    {"method", "POST"},
                                                    {"body", QString(1001, QLatin1Char('x'))}}
                                     << 413 << "body_too_large"
                                     << "request body exceeds 1000 bytes";
    QTest::newRow("host header") << QJsonObject{{"url", "https://huggingface.co/x"},
                                                {"headers", QJsonObject{{"Host", "evil.example"}}}}
                                 << 400 << "bad_request"
                                 << "the Host header is not allowed: the url names the host";
    QTest::newRow("crlf in header") << QJsonObject{{"url", "https://huggingface.co/x"},
                                                   {"headers", QJsonObject{{"X-A", "1\r\nX-Injected: 2"}}}}
                                    << 400 << "bad_request"
                                    << "a header value contains control characters";
    QTest::newRow("unknown field") << QJsonObject{{"url", "https://huggingface.co/x"}, {"timeout", 5}} << 400
                                   << "bad_request"
                                   << "unknown field: timeout";
    QTest::newRow("missing url") << QJsonObject{{"method", "GET"}} << 400 << "bad_request"
                                 << "missing field: url";
    QTest::newRow("userinfo") << QJsonObject{{"url", "https://huggingface.co@evil.example/"}} << 400 << "bad_request"
                              << "invalid url*";
    QTest::newRow("space in url") << QJsonObject{{"url", "https://huggingface.co/a b"}} << 400 << "bad_request"
                                  << "invalid url*";
    QTest::newRow("bad base64") << QJsonObject{{"url", "https://huggingface.co/echo"},
                                               {"method", "POST"},
                                               {"body_base64", "***"}}
                                << 400 << "bad_request"
                                << "field body_base64 is not valid base64";
    QTest::newRow("dns reserved") << QJsonObject{{"url", "https://localhost/x"}} << 403 << "reserved_address"
                                  << "destination resolves to a non-public address: localhost";
}

void TestRefusals::refusedBeforeSending() {
    QFETCH(QJsonObject, request);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, error);
    expectRefusal(m_airlock.fetch(request), status, code, error);
    QVERIFY(m_upstream.receivedNothing());
}

void TestRefusals::tokenMissingOrWrong_data() {
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("missing") << QByteArray();
    QTest::newRow("wrong") << QByteArray("Bearer 0000000000000000000000000000000000000000000000000000000000000000");
    QTest::newRow("basic") << QByteArray("Basic dXNlcjpwYXNz");
    QTest::newRow("empty bearer") << QByteArray("Bearer ");
}

void TestRefusals::tokenMissingOrWrong() {
    QFETCH(QByteArray, authorization);
    const QByteArray json = R"({"url":"https://huggingface.co/bytes/10"})";
    QByteArray request = "POST /v1/fetch HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: " +
                         QByteArray::number(json.size()) + "\r\n";
    if (!authorization.isEmpty())
        request += "Authorization: " + authorization + "\r\n";
    request += "\r\n" + json;
    expectRefusal(sendRaw(m_airlock.port(), request), 401, "unauthorized", "missing or invalid service token");
    QVERIFY(m_upstream.receivedNothing());
}

void TestRefusals::authorizationHeaderRules() {
    const QByteArray json = R"({"url":"https://huggingface.co/bytes/10"})";
    auto request = [&](const QByteArray &authLines) {
        return "POST /v1/fetch HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: " +
               QByteArray::number(json.size()) + "\r\n" + authLines + "\r\n" + json;
    };
    // The scheme name is case-insensitive.
    QCOMPARE(sendRaw(m_airlock.port(), request("authorization: bearer " + m_airlock.token() + "\r\n")).status, 200);
    // Two Authorization headers are ambiguous, even when one of them is right.
    const ClientResponse twice =
        sendRaw(m_airlock.port(),
                request("Authorization: Bearer wrong\r\nAuthorization: Bearer " + m_airlock.token() + "\r\n"));
    expectRefusal(twice, 401, "unauthorized", "missing or invalid service token");
}

void TestRefusals::redirectToRefusedHostNeverContactsIt() {
    const ClientResponse r = m_airlock.fetch({{"url", redirectTo("https://evil.example/steal")}});
    expectRefusal(r, 403, "destination_not_allowed", "destination not in allowlist: evil.example");
    QCOMPARE(m_upstream.requestCount(), 1);
    for (const RecordedRequest &seen : m_upstream.requests())
        QVERIFY(seen.sniHost != QLatin1String("evil.example"));
}

void TestRefusals::redirectToHttpRefused() {
    expectRefusal(m_airlock.fetch({{"url", redirectTo("http://huggingface.co/plain")}}), 403, "https_required",
                  "only HTTPS destinations are allowed");
    QCOMPARE(m_upstream.requestCount(), 1);
}

void TestRefusals::redirectToReservedAddressRefused() {
    expectRefusal(m_airlock.fetch({{"url", redirectTo("https://localhost/x")}}), 403, "reserved_address",
                  "destination resolves to a non-public address: localhost");
    QCOMPARE(m_upstream.requestCount(), 1);
}

void TestRefusals::tooManyRedirects() {
    m_upstream.setHandler(
        [](const RecordedRequest &, Responder &responder) { responder.redirect(302, "https://huggingface.co/again"); });
    const ClientResponse r = m_airlock.fetch({{"url", "https://huggingface.co/start"}});
    QCOMPARE(r.status, 502);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("too_many_redirects"));
    QCOMPARE(m_upstream.requestCount(), 6); // the request and 5 redirects followed
}

void TestRefusals::upstreamUnreachableIs502() {
    const ClientResponse r = m_airlock.fetch({{"url", "https://down.hf.co/file"}});
    QCOMPARE(r.status, 502);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("upstream_unreachable"));
    QCOMPARE(r.header("x-airlock-decision"), QByteArray("blocked"));
}

void TestRefusals::upstreamTlsFailureIs502() {
    const ClientResponse r = m_airlock.fetch({{"url", "https://badtls.hf.co/file"}});
    QCOMPARE(r.status, 502);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("upstream_tls_error"));
    QCOMPARE(m_untrusted.requestCount(), 0); // the handshake failed: no request was sent
}

void TestRefusals::checkEndpointSendsNothing() {
    ClientResponse r = m_airlock.fetch({{"url", "https://evil.example/"}}, {}, "/v1/egress/check");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value("allowed").toBool(), false);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("destination_not_allowed"));
    QCOMPARE(r.json().value("reason").toString(), QStringLiteral("destination not in allowlist: evil.example"));
    r = m_airlock.fetch({{"url", "https://huggingface.co/bytes/10"}}, {}, "/v1/egress/check");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value("allowed").toBool(), true);
    QVERIFY(m_upstream.receivedNothing());
}

void TestRefusals::unknownEndpointAndWrongMethod() {
    QCOMPARE(m_airlock.get("/v1/nothing").status, 404);
    const ClientResponse r = m_airlock.get("/v1/fetch");
    QCOMPARE(r.status, 405);
    QCOMPARE(r.header("allow"), QByteArray("POST"));
}

void TestRefusals::halfOpenClientsDoNotStarveNewOnes() {
    QList<QTcpSocket *> slow;
    for (int i = 0; i < 100; ++i) {
        auto *s = new QTcpSocket(this);
        s->connectToHost(QHostAddress::LocalHost, m_airlock.port());
        slow.append(s);
    }
    for (QTcpSocket *s : slow) {
        QVERIFY(s->waitForConnected(5000));
        s->write("POST /v1/fetch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n"); // never finished
        s->flush();
    }
    const ClientResponse r = m_airlock.get("/health", false);
    QCOMPARE(r.status, 200);
    QVERIFY(m_airlock.fetch({{"url", "https://huggingface.co/bytes/10"}}).status == 200);
    qDeleteAll(slow);
}

void TestRefusals::auditNeverHoldsQueryOrHeaderValues() {
    const QByteArray queryMarker = "qsecret7731";
    const QByteArray headerMarker = "hvalue99182";
    QCOMPARE(m_airlock
                 .fetch({{"url",
                          QStringLiteral("https://huggingface.co/bytes/5?k=%1").arg(QString::fromLatin1(queryMarker))},
                         {"headers", QJsonObject{{"X-Custom", QString::fromLatin1(headerMarker)}}}})
                 .status,
             200);
    QCOMPARE(
        m_airlock.fetch({{"url", QStringLiteral("https://evil.example/?k=%1").arg(QString::fromLatin1(queryMarker))}})
            .status,
        403);
    QCOMPARE(m_airlock
                 .fetch({{"url", "https://huggingface.co/x"},
                         {"headers", QJsonObject{{"Authorization", QString::fromLatin1("Bearer " + headerMarker)}}}})
                 .status,
             403);
    // A path nobody inspected (the destination was refused first) is not recorded either.
    const QByteArray pathMarker = "pathsecret4471";
    QCOMPARE(m_airlock.fetch({{"url", QStringLiteral("https://evil.example/%1").arg(QString::fromLatin1(pathMarker))}})
                 .status,
             403);
    // A refused host is only recorded once the rules found nothing in it: an SSN-shaped label
    // stays out, a plain name (evil.example) is kept for whoever reads the trail.
    QCOMPARE(m_airlock.fetch({{"url", "https://536-22-8475.evil.example/"}}).status, 403);
    QFile audit(m_airlock.stateDir() + QStringLiteral("/audit.jsonl"));
    QTRY_VERIFY(audit.size() > 0);
    QVERIFY(audit.open(QIODevice::ReadOnly));
    const QByteArray text = audit.readAll();
    QVERIFY(!text.contains("536-22-8475"));
    QVERIFY(text.contains("\"host\":\"evil.example\""));
    QVERIFY(text.contains("\"host\":\"huggingface.co\""));
    QVERIFY(text.contains("\"path\":\"/bytes/5\""));
    QVERIFY(text.contains("destination_not_allowed"));
    QVERIFY(!text.contains(queryMarker));
    QVERIFY(!text.contains(headerMarker));
    QVERIFY(!text.contains(pathMarker));
    QVERIFY(!m_airlock.logText().toUtf8().contains(queryMarker));
    QVERIFY(!m_airlock.logText().toUtf8().contains(headerMarker));
    // Every line is JSON and chained to the one before it.
    QByteArray previous;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QVERIFY(!o.isEmpty());
        if (!previous.isEmpty())
            QCOMPARE(o.value("prev").toString().toLatin1(),
                     QCryptographicHash::hash(previous, QCryptographicHash::Sha256).toHex());
        previous = line;
    }
}

QTEST_GUILESS_MAIN(TestRefusals)
#include "tst_refusals.moc"
