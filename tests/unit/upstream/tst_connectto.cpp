#include "upstream/ConnectTo.h"

#include <QTest>

using namespace airlock;

class TestConnectTo final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
};

void TestConnectTo::parse_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("addressPort");

    QTest::newRow("v4") << "huggingface.co:443:127.0.0.1:8443" << true << "huggingface.co" << 443 << "127.0.0.1"
                        << 8443;
    QTest::newRow("v6") << "cdn-lfs.hf.co:443:[::1]:9000" << true << "cdn-lfs.hf.co" << 443 << "::1" << 9000;
    QTest::newRow("name target") << "registry.ollama.ai:443:localhost:4443" << true << "registry.ollama.ai" << 443
                                 << "localhost" << 4443;
    QTest::newRow("host canonicalised") << "HuggingFace.CO.:8443:10.0.0.5:443" << true << "huggingface.co" << 8443
                                        << "10.0.0.5" << 443;
    QTest::newRow("missing parts") << "huggingface.co:443:127.0.0.1" << false << "" << 0 << "" << 0;
    QTest::newRow("empty host") << ":443:127.0.0.1:1" << false << "" << 0 << "" << 0;
    QTest::newRow("port zero") << "a.example:0:127.0.0.1:1" << false << "" << 0 << "" << 0;
    QTest::newRow("port too big") << "a.example:443:127.0.0.1:65536" << false << "" << 0 << "" << 0;
    QTest::newRow("port not a number") << "a.example:https:127.0.0.1:1" << false << "" << 0 << "" << 0;
    QTest::newRow("v6 without brackets") << "a.example:443:::1:1" << false << "" << 0 << "" << 0;
    QTest::newRow("v6 bad") << "a.example:443:[zz::1]:1" << false << "" << 0 << "" << 0;
    QTest::newRow("v6 unclosed") << "a.example:443:[::1:1" << false << "" << 0 << "" << 0;
    QTest::newRow("empty address") << "a.example:443::1" << false << "" << 0 << "" << 0;
    QTest::newRow("ip literal host") << "127.0.0.1:443:10.0.0.1:1" << false << "" << 0 << "" << 0;
    QTest::newRow("empty") << "" << false << "" << 0 << "" << 0;
}

void TestConnectTo::parse() {
    QFETCH(QString, spec);
    QFETCH(bool, valid);
    QString error;
    const std::optional<ConnectTo> parsed = parseConnectTo(spec, &error);
    QCOMPARE(parsed.has_value(), valid);
    if (!valid) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, address);
    QFETCH(int, addressPort);
    QCOMPARE(parsed->host, host);
    QCOMPARE(parsed->port, port);
    QCOMPARE(parsed->address, address);
    QCOMPARE(parsed->addressPort, addressPort);
}

QTEST_APPLESS_MAIN(TestConnectTo)
#include "tst_connectto.moc"
