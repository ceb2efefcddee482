// End to end: content inspection through a real airlockd. Every refusal message, proof that
// the upstream received nothing, and that no secret used here is written anywhere.
#include "AirlockHarness.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <zlib.h>

using namespace airlock::test;

namespace {

// Made-up values in real formats. None of them may ever appear in a file or log of the service.
const QByteArray kSsn = "219-09-9999";
const QByteArray kEmail = "jane.roe.airlock@example.org";
const QByteArray kHfToken = "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567";
const QByteArray kAwsKey = "AKIAZ7Q2LMNOPQRS3TUV";

// A UTF-16LE body with byte order mark, as Windows tools and .NET clients send text.
QByteArray utf16le(const QString &text) {
    QByteArray out("\xFF\xFE", 2);
    for (const QChar c : text) {
        out.append(char(c.unicode() & 0xFF));
        out.append(char(c.unicode() >> 8));
    }
    return out;
}

QByteArray gzip(const QByteArray &data) {
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&z, uLong(data.size()))) + 64, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(qsizetype(z.total_out));
    deflateEnd(&z);
    return out;
}

} // namespace

class TestInspection final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void refusals_data();
    void refusals();
    void gzipBodyIsInspected();
    void sshRemoteIsNotAnEmail();
    void gzipBombIsUninspectable();
    void unknownContentEncodingIsUninspectable();
    void checkEndpointReportsFindings();
    void benignCorpusPasses_data();
    void benignCorpusPasses();
    void noSecretWrittenAnywhere();
    void largeUploadsAreInspectedWhole_data();
    void largeUploadsAreInspectedWhole();

private:
    TestUpstream m_upstream;
    AirlockProcess m_airlock;
};

void TestInspection::initTestCase() {
    QVERIFY(m_upstream.start());
    QVERIFY2(m_airlock.start(&m_upstream, AirlockProcess::testPolicy()), qPrintable(m_airlock.logText()));
}

void TestInspection::init() {
    m_upstream.setHandler({});
    m_upstream.clearRecords();
}

void TestInspection::refusals_data() {
    QTest::addColumn<QJsonObject>("request");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("rulePrefix");

    const QString ssn = QString::fromLatin1(kSsn);
    const QString token = QString::fromLatin1(kHfToken);
    QTest::newRow("pii body") << QJsonObject{{"url", "https://huggingface.co/echo"},
                                             {"method", "POST"},
                                             {"body", QStringLiteral("{\"note\":\"ssn %1\"}").arg(ssn)}}
                              << "request blocked: PII detected in request body"
                              << "pii.";
    QTest::newRow("pii headers") << QJsonObject{{"url", "https://huggingface.co/x"},
                                                {"headers", QJsonObject{{"X-Contact", QString::fromLatin1(kEmail)}}}}
                                 << "request blocked: PII detected in request headers"
                                 << "pii.";
    QTest::newRow("pii url")
        << QJsonObject{{"url",
                        QStringLiteral("https://huggingface.co/api/models?search=%1").arg(QString::fromLatin1(kEmail))}}
        << "request blocked: PII detected in request URL"
        << "pii.";
    QTest::newRow("credential body") << QJsonObject{{"url", "https://huggingface.co/echo"},
                                                    {"method", "POST"},
                                                    {"body", QStringLiteral("token=%1").arg(token)}}
                                     << "request blocked: credential detected in request body"
                                     << "cred.";
    QTest::newRow("credential headers") << QJsonObject{{"url", "https://huggingface.co/x"},
                                                       {"headers", QJsonObject{{"X-Api-Key", token}}}}
                                        << "request blocked: credential detected in request headers"
                                        << "cred.";
    QTest::newRow("credential url")
        << QJsonObject{{"url", QStringLiteral("https://huggingface.co/x?key=%1").arg(QString::fromLatin1(kAwsKey))}}
        << "request blocked: credential detected in request URL"
        << "cred.";
    QTest::newRow("credential in a header name")
        << QJsonObject{{"url", "https://huggingface.co/x"}, {"headers", QJsonObject{{"X-" + token, "1"}}}}
        << "request blocked: credential detected in request headers"
        << "cred.";
    QTest::newRow("pii split across a repeated header")
        << QJsonObject{{"url", "https://huggingface.co/x"},
                       {"headers", QJsonObject{{"X-Part", QJsonArray{ssn.left(6), ssn.mid(6)}}}}}
        << "request blocked: PII detected in request headers"
        << "pii.";
    QTest::newRow("pii in a wildcard host label") << QJsonObject{{"url", QStringLiteral("https://%1.hf.co/x").arg(ssn)}}
                                                  << "request blocked: PII detected in request URL"
                                                  << "pii.";
    QTest::newRow("credential base64 body")
        << QJsonObject{{"url", "https://huggingface.co/echo"},
                       {"method", "POST"},
                       {"body_base64", QString::fromLatin1(("{\"k\":\"" + kHfToken + "\"}").toBase64())}}
        << "request blocked: credential detected in request body"
        << "cred.";
    QTest::newRow("pii utf-16 body")
        << QJsonObject{{"url", "https://huggingface.co/echo"},
                       {"method", "POST"},
                       {"headers", QJsonObject{{"Content-Type", "application/json; charset=utf-16"}}},
                       {"body_base64",
                        QString::fromLatin1(utf16le(QStringLiteral("{\"note\":\"ssn %1\"}").arg(ssn)).toBase64())}}
        << "request blocked: PII detected in request body"
        << "pii.";
    // The token with an Armenian "h" (U+0570) and a Cherokee "A" (U+13AA) in place of ASCII letters.
    QTest::newRow("credential with look-alike letters")
        << QJsonObject{{"url", "https://huggingface.co/echo"},
                       {"method", "POST"},
                       {"body",
                        QStringLiteral("my key is \u0570") + token.mid(1).replace(QLatin1Char('A'), QChar(0x13AA))}}
        << "request blocked: credential detected in request body"
        << "cred.";
}

void TestInspection::refusals() {
    QFETCH(QJsonObject, request);
    QFETCH(QString, error);
    QFETCH(QString, rulePrefix);
    const ClientResponse r = m_airlock.fetch(request);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.header("x-airlock-decision"), QByteArray("blocked"));
    const QJsonObject o = r.json();
    QCOMPARE(o.value("error").toString(), error);
    QVERIFY2(o.value("rule").toString().startsWith(rulePrefix), qPrintable(o.value("rule").toString()));
    QVERIFY(o.value("code").toString() == QLatin1String("pii_detected") ||
            o.value("code").toString() == QLatin1String("credential_detected"));
    QVERIFY(!r.body.contains(kSsn) && !r.body.contains(kEmail) && !r.body.contains(kHfToken) &&
            !r.body.contains(kAwsKey));
    QVERIFY(!r.body.contains(kSsn.left(6)) && !r.body.contains(kHfToken.left(12)));
    QVERIFY(m_upstream.receivedNothing());
}

void TestInspection::gzipBodyIsInspected() {
    const QByteArray body = gzip("{\"message\":\"call me, my ssn is " + kSsn + "\"}");
    const ClientResponse r =
        m_airlock.fetch({{"url", "https://huggingface.co/echo"},
                         {"method", "POST"},
                         {"headers", QJsonObject{{"Content-Encoding", "gzip"}, {"Content-Type", "application/json"}}},
                         {"body_base64", QString::fromLatin1(body.toBase64())}});
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value("error").toString(), QStringLiteral("request blocked: PII detected in request body"));
    QVERIFY(m_upstream.receivedNothing());

    // The same encoding of harmless content goes through, still compressed.
    const QByteArray harmless = gzip("{\"message\":\"hello\"}");
    const ClientResponse ok = m_airlock.fetch({{"url", "https://huggingface.co/echo"},
                                               {"method", "POST"},
                                               {"headers", QJsonObject{{"Content-Encoding", "gzip"}}},
                                               {"body_base64", QString::fromLatin1(harmless.toBase64())}});
    QCOMPARE(ok.status, 200);
    QCOMPARE(ok.json().value("size").toInteger(), harmless.size());
}

void TestInspection::sshRemoteIsNotAnEmail() {
    const QByteArray body = R"({"remote":"git@github.com:org/repo.git","mirror":"ssh://git@hf.co/org/model"})";
    const ClientResponse ok = m_airlock.fetch({{"url", "https://huggingface.co/echo"},
                                               {"method", "POST"},
                                               {"headers", QJsonObject{{"Content-Type", "application/json"}}},
                                               {"body", QString::fromLatin1(body)}});
    QVERIFY2(ok.status == 200, ok.body.constData());
    QCOMPARE(ok.json().value("size").toInteger(), body.size());

    // A person's address at the same host is still one.
    m_upstream.clearRecords();
    const ClientResponse r = m_airlock.fetch(
        {{"url", "https://huggingface.co/echo"},
         {"method", "POST"},
         {"body", QStringLiteral("git@github.com:org/repo.git by %1:").arg(QString::fromLatin1(kEmail))}});
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value("rule").toString(), QStringLiteral("pii.email"));
    QVERIFY(m_upstream.receivedNothing());
}

void TestInspection::gzipBombIsUninspectable() {
    const QByteArray bomb = gzip(QByteArray(200 * 1024 * 1024, '0'));
    QVERIFY(bomb.size() < 1024 * 1024);
    const ClientResponse r = m_airlock.fetch({{"url", "https://huggingface.co/echo"},
                                              {"method", "POST"},
                                              {"headers", QJsonObject{{"Content-Encoding", "gzip"}}},
                                              {"body_base64", QString::fromLatin1(bomb.toBase64())}});
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("uninspectable"));
    QVERIFY(m_upstream.receivedNothing());
}

void TestInspection::unknownContentEncodingIsUninspectable() {
    const ClientResponse r = m_airlock.fetch({{"url", "https://huggingface.co/echo"},
                                              {"method", "POST"},
                                              {"headers", QJsonObject{{"Content-Encoding", "br"}}},
                                              {"body", "\x0b\x02\x80hello"}});
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("uninspectable"));
    QVERIFY(m_upstream.receivedNothing());
}

void TestInspection::checkEndpointReportsFindings() {
    const ClientResponse r = m_airlock.fetch({{"url", "https://huggingface.co/echo"},
                                              {"method", "POST"},
                                              {"body", QStringLiteral("ssn: %1").arg(QString::fromLatin1(kSsn))}},
                                             {}, "/v1/egress/check");
    QCOMPARE(r.status, 200);
    const QJsonObject o = r.json();
    QCOMPARE(o.value("allowed").toBool(), false);
    QCOMPARE(o.value("code").toString(), QStringLiteral("pii_detected"));
    QCOMPARE(o.value("reason").toString(), QStringLiteral("request blocked: PII detected in request body"));
    QCOMPARE(o.value("rule").toString(), QStringLiteral("pii.us_ssn"));
    QCOMPARE(o.value("where").toString(), QStringLiteral("body"));
    QVERIFY(!r.body.contains(kSsn));
    QVERIFY(m_upstream.receivedNothing());
}

void TestInspection::benignCorpusPasses_data() {
    QTest::addColumn<QString>("path");
    QDirIterator it(QStringLiteral(AIRLOCK_BENIGN_CORPUS), QDir::Files);
    int count = 0;
    while (it.hasNext()) {
        const QString path = it.next();
        QTest::newRow(qPrintable(QFileInfo(path).fileName())) << path;
        ++count;
    }
    QVERIFY2(count >= 3, "the benign corpus is missing");
}

void TestInspection::benignCorpusPasses() {
    QFETCH(QString, path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray content = f.readAll();
    const ClientResponse r = m_airlock.fetch({{"url", "https://huggingface.co/echo"},
                                              {"method", "POST"},
                                              {"headers", QJsonObject{{"Content-Type", "application/json"}}},
                                              {"body_base64", QString::fromLatin1(content.toBase64())}});
    QVERIFY2(r.status == 200, r.body.constData());
    QCOMPARE(r.json().value("size").toInteger(), content.size());
}

void TestInspection::noSecretWrittenAnywhere() {
    // Everything above ran against this airlockd: its whole state folder and its log must hold
    // none of the values it caught.
    QDirIterator it(m_airlock.stateDir(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = f.readAll();
        ++files;
        for (const QByteArray &secret : {kSsn, kEmail, kHfToken, kAwsKey}) {
            QVERIFY2(!text.contains(secret), qPrintable(f.fileName()));
            QVERIFY2(!text.contains(secret.toBase64()), qPrintable(f.fileName()));
        }
    }
    QVERIFY(files >= 3); // policy, token, audit log
    const QByteArray log = m_airlock.logText().toUtf8();
    for (const QByteArray &secret : {kSsn, kEmail, kHfToken, kAwsKey})
        QVERIFY(!log.contains(secret));
}

// Uploads of a MiB or more are decoded and matched while they arrive (BodyPrescan): a secret
// anywhere in them (the part matched ahead, the last bytes, a body that is not base64) is still
// refused and nothing leaves; a clean one goes through whole.
void TestInspection::largeUploadsAreInspectedWhole_data() {
    QTest::addColumn<QString>("form");    // body_base64 or body
    QTest::addColumn<qsizetype>("place"); // where the secret goes; -1: nowhere
    QTest::addColumn<QByteArray>("path");
    const qsizetype size = 3 * 1024 * 1024;
    QTest::newRow("base64, clean") << "body_base64" << qsizetype(-1) << QByteArray("/v1/fetch");
    QTest::newRow("base64, at the start") << "body_base64" << qsizetype(10) << QByteArray("/v1/fetch");
    QTest::newRow("base64, in the middle") << "body_base64" << size / 2 << QByteArray("/v1/fetch");
    QTest::newRow("base64, at the end") << "body_base64" << size - 40 << QByteArray("/v1/fetch");
    QTest::newRow("base64, check") << "body_base64" << size / 3 << QByteArray("/v1/egress/check");
    QTest::newRow("text, clean") << "body" << qsizetype(-1) << QByteArray("/v1/fetch");
    QTest::newRow("text, in the middle") << "body" << size / 2 << QByteArray("/v1/fetch");
    QTest::newRow("text, at the end") << "body" << size - 40 << QByteArray("/v1/fetch");
}

void TestInspection::largeUploadsAreInspectedWhole() {
    QFETCH(QString, form);
    QFETCH(qsizetype, place);
    QFETCH(QByteArray, path);
    const qsizetype size = 3 * 1024 * 1024;
    QByteArray body;
    if (form == QLatin1String("body")) {
        const QByteArray line("{\"step\": 1200, \"loss\": 0.4312, \"lr\": 0.0002, \"note\": \"warmup done\"}\n");
        body = line.repeated(size / line.size() + 1).left(size);
    } else {
        QRandomGenerator gen(55);
        body.resize(size);
        gen.fillRange(reinterpret_cast<quint32 *>(body.data()), size / 4);
    }
    if (place >= 0)
        body.replace(place, kEmail.size() + 2, " " + kEmail + " ");
    const QJsonObject request{
        {"url", "https://huggingface.co/echo"},
        {"method", "POST"},
        {form, form == QLatin1String("body") ? QString::fromLatin1(body) : QString::fromLatin1(body.toBase64())}};
    const ClientResponse r = m_airlock.fetch(request, {}, path);
    if (path == "/v1/egress/check") {
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("allowed").toBool(), false);
        QCOMPARE(r.json().value("rule").toString(), QStringLiteral("pii.email"));
        QVERIFY(m_upstream.receivedNothing());
        return;
    }
    if (place < 0) {
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("size").toInteger(), body.size());
        return;
    }
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value("error").toString(), QStringLiteral("request blocked: PII detected in request body"));
    QCOMPARE(r.json().value("rule").toString(), QStringLiteral("pii.email"));
    QVERIFY(!r.body.contains(kEmail));
    QVERIFY(m_upstream.receivedNothing());
}

QTEST_GUILESS_MAIN(TestInspection)
#include "tst_inspection.moc"
