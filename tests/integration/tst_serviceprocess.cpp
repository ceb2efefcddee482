// airlockd as an operator meets it: start-up, defaults, configuration errors, the rate limit,
// and what happens when the audit trail cannot be written.
#include "AirlockHarness.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTest>

using namespace airlock::test;

class TestServiceProcess final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void defaultPolicyIsWrittenAndDisabled();
    void checkConfigReportsProblemsWithLocation();
    void invalidPolicyRefusesToStart();
    void rateLimitAfterN();
    void malformedRequestsCountAgainstTheRate();
    void egressBudgetPerHost();
    void checksHaveARateOfTheirOwn();
    void auditWriteFailureRefusesRequest();
    void garbageOnTheApiPort_data();
    void garbageOnTheApiPort();
    void cleanupTestCase();

private:
    int runCheckConfig(const QByteArray &yaml, QString *output);
    TestUpstream m_upstream;
    std::unique_ptr<AirlockProcess> m_shared; // one airlockd for the data-driven garbage rows
};

void TestServiceProcess::initTestCase() {
    QVERIFY(m_upstream.start());
}

void TestServiceProcess::defaultPolicyIsWrittenAndDisabled() {
    AirlockProcess airlock;
    QVERIFY2(airlock.start(&m_upstream), qPrintable(airlock.logText()));
    QFile policy(airlock.configPath());
    QVERIFY(policy.open(QIODevice::ReadOnly));
    const QByteArray text = policy.readAll();
    QVERIFY(text.contains("huggingface.co"));
    QVERIFY(text.contains("enabled: false"));

    const ClientResponse health = airlock.get("/health", false);
    QCOMPARE(health.json().value("enabled").toBool(), false);

    const ClientResponse r = airlock.fetch({{"url", "https://huggingface.co/bytes/10"}});
    QCOMPARE(r.status, 503);
    QCOMPARE(r.json().value("error").toString(), QStringLiteral("airlock is disabled"));
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("disabled"));
    QVERIFY(m_upstream.receivedNothing());

    const QFileInfo token(airlock.stateDir() + QStringLiteral("/api.token"));
    QCOMPARE(token.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
    QVERIFY(
        QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(QString::fromLatin1(airlock.token())).hasMatch());
}

int TestServiceProcess::runCheckConfig(const QByteArray &yaml, QString *output) {
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("policy.yaml")));
    f.open(QIODevice::WriteOnly);
    f.write(yaml);
    f.close();
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(airlockdPath(), {QStringLiteral("--check-config"), QStringLiteral("--config"), f.fileName()});
    p.waitForFinished(10000);
    *output = QString::fromUtf8(p.readAll());
    return p.exitCode();
}

void TestServiceProcess::checkConfigReportsProblemsWithLocation() {
    QString out;
    QCOMPARE(runCheckConfig(AirlockProcess::enabledDefaultPolicy(), &out), 0);
    QVERIFY2(out.contains(QStringLiteral("OK")), qPrintable(out));

    const QByteArray bad = "airlock:\n"
                           "  enabled: yes-please\n"
                           "  allowed_destinations: [huggingface.co]\n"
                           "  rate_limit:\n"
                           "    requests_per_minut: 30\n";
    QCOMPARE(runCheckConfig(bad, &out), 1);
    QVERIFY2(out.contains(QStringLiteral("line 2")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("line 5")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("requests_per_minut")), qPrintable(out));
}

void TestServiceProcess::invalidPolicyRefusesToStart() {
    AirlockProcess airlock;
    QVERIFY(!airlock.start(&m_upstream, "airlock:\n  enabled: true\n  allowed_destinations: [\"http://x\"]\n"));
    airlock.process().waitForFinished(5000);
    QCOMPARE(airlock.process().exitCode(), 1);
    QVERIFY2(airlock.logText().contains(QStringLiteral("refusing to start")), qPrintable(airlock.logText()));
}

void TestServiceProcess::rateLimitAfterN() {
    AirlockProcess airlock;
    QVERIFY2(airlock.start(&m_upstream, AirlockProcess::testPolicy(QString(), 3)), qPrintable(airlock.logText()));
    m_upstream.clearRecords();
    // Every authenticated attempt counts, refused or not.
    QCOMPARE(airlock.fetch({{"url", "https://huggingface.co/bytes/1"}}).status, 200);
    QCOMPARE(airlock.fetch({{"url", "https://evil.example/"}}).status, 403);
    QCOMPARE(airlock.fetch({{"url", "https://huggingface.co/bytes/1"}}).status, 200);
    const ClientResponse r = airlock.fetch({{"url", "https://huggingface.co/bytes/1"}});
    QCOMPARE(r.status, 429);
    QCOMPARE(r.json().value("error").toString(), QStringLiteral("rate limit exceeded"));
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("rate_limited"));
    const int retryAfter = r.header("retry-after").toInt();
    QVERIFY2(retryAfter >= 1 && retryAfter <= 60, r.header("retry-after").constData());
    QCOMPARE(m_upstream.requestCount(), 2);
}

void TestServiceProcess::checksHaveARateOfTheirOwn() {
    // A check inspects as much as a fetch: requests_per_minute of them a minute, apart from fetches.
    AirlockProcess airlock;
    QVERIFY2(airlock.start(&m_upstream, AirlockProcess::testPolicy(QString(), 3)), qPrintable(airlock.logText()));
    const QJsonObject check{{"url", "https://huggingface.co/bytes/1"}};
    for (int i = 0; i < 3; ++i)
        QCOMPARE(airlock.fetch(check, {}, "/v1/egress/check").status, 200);
    const ClientResponse r = airlock.fetch(check, {}, "/v1/egress/check");
    QCOMPARE(r.status, 429);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("rate_limited"));
    QVERIFY(r.header("retry-after").toInt() >= 1);
    QCOMPARE(airlock.fetch(check).status, 200); // fetches keep their own budget
}

void TestServiceProcess::egressBudgetPerHost() {
    // Encrypted data passes content inspection; the byte budget bounds how much of it can leave.
    AirlockProcess airlock;
    QByteArray policy = AirlockProcess::testPolicy();
    policy.replace("upload_bytes_per_hour: 1099511627776", "upload_bytes_per_hour: 20000");
    QVERIFY2(airlock.start(&m_upstream, policy), qPrintable(airlock.logText()));
    m_upstream.clearRecords();
    const QByteArray random = QByteArray(12'000, 'z');
    const QJsonObject upload{{"url", "https://huggingface.co/echo"},
                             {"method", "POST"},
                             {"body_base64", QString::fromLatin1(random.toBase64())}};
    QCOMPARE(airlock.fetch(upload).status, 200);
    // Asking does not spend, and says what a fetch would get.
    const ClientResponse check = airlock.fetch(upload, {}, "/v1/egress/check");
    QCOMPARE(check.json().value("allowed").toBool(), false);
    QCOMPARE(check.json().value("code").toString(), QStringLiteral("egress_budget_exceeded"));
    const ClientResponse r = airlock.fetch(upload);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("egress_budget_exceeded"));
    const int retryAfter = r.header("retry-after").toInt();
    QVERIFY2(retryAfter >= 1 && retryAfter <= 3660, r.header("retry-after").constData());
    QCOMPARE(m_upstream.requestCount(), 1);
    // Small requests still fit, and another host has a budget of its own.
    QCOMPARE(airlock.fetch({{"url", "https://huggingface.co/bytes/1"}}).status, 200);
    QCOMPARE(airlock.fetch({{"url", "https://cdn-lfs.hf.co/bytes/1"}}).status, 200);
    const QByteArray metrics = airlock.get("/metrics", false).body;
    QVERIFY(metrics.contains("airlock_requests_total{decision=\"blocked\",code=\"egress_budget_exceeded\"} 1"));
    QVERIFY(metrics.contains("airlock_egress_budget_bytes_per_hour 20000"));
    qint64 used = -1;
    for (const QByteArray &line : metrics.split('\n'))
        if (line.startsWith("airlock_egress_bytes_last_hour{host=\"huggingface.co\"} "))
            used = line.mid(line.lastIndexOf(' ') + 1).toLongLong();
    QVERIFY2(used >= 12'000 && used <= 20'000, qPrintable(QString::number(used)));
    QCOMPARE(
        airlock.get("/v1/stats").json().value("egress_bytes_last_hour").toObject().value("huggingface.co").toInteger(),
        used);
}

void TestServiceProcess::malformedRequestsCountAgainstTheRate() {
    // What counts: every request to /v1/fetch that shows the token and reaches the Gate, however
    // it ends, malformed ones (400) included; a client's garbage spends its own budget, so the
    // envelope parser cannot be probed for free. /v1/egress/check (a budget of its own) and unauthenticated requests
    // do not count.
    AirlockProcess airlock;
    QVERIFY2(airlock.start(&m_upstream, AirlockProcess::testPolicy(QString(), 3)), qPrintable(airlock.logText()));
    const QByteArray bad = "POST /v1/fetch HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer " +
                           airlock.token() + "\r\nContent-Length: 9\r\n\r\nnot json!";
    QCOMPARE(sendRaw(airlock.port(), bad).status, 400);
    QCOMPARE(sendRaw(airlock.port(), bad).status, 400);
    QCOMPARE(airlock.fetch({{"url", "https://huggingface.co/bytes/1"}}, {}, "/v1/egress/check").status, 200);
    const QByteArray json = R"({"url":"https://huggingface.co/bytes/1"})";
    QCOMPARE(sendRaw(airlock.port(), "POST /v1/fetch HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                     "Content-Length: " +
                                         QByteArray::number(json.size()) + "\r\n\r\n" + json)
                 .status,
             401);
    QCOMPARE(airlock.fetch({{"url", "https://huggingface.co/bytes/1"}}).status, 200);
    const ClientResponse r = airlock.fetch({{"url", "https://huggingface.co/bytes/1"}});
    QCOMPARE(r.status, 429);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("rate_limited"));
}

void TestServiceProcess::auditWriteFailureRefusesRequest() {
    if (!QFileInfo::exists(QStringLiteral("/dev/full")))
        QSKIP("needs /dev/full to make audit writes fail");
    AirlockProcess airlock;
    QVERIFY(QFile::link(QStringLiteral("/dev/full"), airlock.stateDir() + QStringLiteral("/audit.jsonl")));
    QVERIFY2(airlock.start(&m_upstream, AirlockProcess::testPolicy()), qPrintable(airlock.logText()));
    m_upstream.clearRecords();
    const ClientResponse r = airlock.fetch({{"url", "https://huggingface.co/bytes/10"}});
    QCOMPARE(r.status, 503);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("audit_unavailable"));
    QVERIFY(m_upstream.receivedNothing());
    QCOMPARE(airlock.get("/v1/stats").json().value("audit_failures").toInt() > 0, true);
}

void TestServiceProcess::garbageOnTheApiPort_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    QTest::newRow("tls hello") << QByteArray::fromHex("1603010200010001fc0303") + QByteArray(200, '\x01') << 400;
    QTest::newRow("garbage") << QByteArray("\x00\x01\x02 hello there\r\n\r\n", 19) << 400;
    QTest::newRow("cl and te") << QByteArray("POST /v1/fetch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
                                             "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                               << 400;
    QTest::newRow("duplicate cl") << QByteArray("POST /v1/fetch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
                                                "Content-Length: 2\r\n\r\n{}")
                                  << 400;
    QTest::newRow("huge header") << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ") +
                                        QByteArray(20000, 'a') + "\r\n\r\n"
                                 << 431;
    QTest::newRow("huge content-length") << QByteArray("POST /v1/fetch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                                                       "99999999999\r\n\r\n")
                                         << 413;
}

void TestServiceProcess::garbageOnTheApiPort() {
    if (!m_shared) {
        m_shared = std::make_unique<AirlockProcess>();
        QVERIFY2(m_shared->start(&m_upstream, AirlockProcess::testPolicy()), qPrintable(m_shared->logText()));
    }
    AirlockProcess *airlock = m_shared.get();
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    ClientOptions options;
    options.timeoutMs = 10000;
    const ClientResponse r = sendRaw(airlock->port(), bytes, options);
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("connection"), QByteArray("close"));
    // And the service is still there for the next client.
    QCOMPARE(airlock->get("/health", false).status, 200);
}

void TestServiceProcess::cleanupTestCase() {
    m_shared.reset();
}

QTEST_GUILESS_MAIN(TestServiceProcess)
#include "tst_serviceprocess.moc"
