// BodyPrescan: the head start a large upload gets while it arrives. Whatever it managed before
// the request was whole, what it hands over decodes to the body the parser finds and leaves
// the Inspector's answer unchanged; a body it cannot follow gives it nothing to hand over.
#include "../inspect/InspectionText.h"
#include "api/BodyPrescan.h"
#include "inspect/Inspector.h"
#include "inspect/RuleSet.h"

#include <QRandomGenerator>
#include <QTest>

using namespace airlock;
using airlock::test::describe;
using airlock::test::randomBytes;

namespace {

QByteArray envelope(const QByteArray &body) {
    return "{\"url\":\"https://huggingface.co/echo\",\"method\":\"POST\",\"headers\":{\"Content-Type\":\"x\"},"
           "\"body_base64\":\"" +
           body.toBase64() + "\"}";
}

// Feeds json to a prescan in pieces of `piece` bytes, as the HTTP parser would, and finishes it.
BodyPrescan::Result prescanOf(const Inspector &inspector, const QByteArray &json, qsizetype piece) {
    const std::shared_ptr<BodyPrescan> prescan = BodyPrescan::start(inspector, ContentRules{}, json.size());
    if (!prescan)
        qFatal("no prescan");
    // Every other piece by reference into json, as the HTTP parser hands over socket buffers.
    for (qsizetype at = 0; at < json.size(); at += piece) {
        const qsizetype size = std::min(piece, json.size() - at);
        if ((at / piece) % 2)
            prescan->bodyDataIn(json, at, size);
        else
            prescan->bodyData(json.constData() + at, size);
    }
    prescan->bodyEnd();
    return prescan->finish();
}

} // namespace

class TestBodyPrescan final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handsOverWhatTheParserFinds_data();
    void handsOverWhatTheParserFinds();
    void unusualEnvelopesHandOverNoBody();
    void atMostTwoAtOnce();
    void binaryBodiesGetTheirPassesAhead();
};

void TestBodyPrescan::handsOverWhatTheParserFinds_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qsizetype>("piece");
    const QByteArray clean = randomBytes(55, 3 * 1024 * 1024 + 1); // one '=' of padding
    QByteArray dirty = clean;
    dirty.replace(2 * 1024 * 1024, 24, "\njane.roe@example.org\n");
    for (qsizetype piece : {qsizetype(1000), qsizetype(65536), qsizetype(1 << 20)}) {
        QTest::addRow("clean, pieces of %lld", qlonglong(piece)) << clean << piece;
        QTest::addRow("secret, pieces of %lld", qlonglong(piece)) << dirty << piece;
    }
}

void TestBodyPrescan::handsOverWhatTheParserFinds() {
    QFETCH(QByteArray, body);
    QFETCH(qsizetype, piece);
    const Inspector inspector;
    const QByteArray json = envelope(body);
    const BodyPrescan::Result result = prescanOf(inspector, json, piece);

    QVERIFY(result.body64.begin > 0);
    QCOMPARE(result.body64.bytes.size(), body.size());
    QVERIFY(result.body64.bytes == body);
    EgressRequest plain;
    QString error;
    QVERIFY(parseEgressJson(json, &plain, &error));
    EgressRequest fast;
    QVERIFY(parseEgressJson(json, &fast, &error, &result.body64));
    QVERIFY(fast.body == plain.body);

    // How far the rules got depends on the thread's pace (nowhere, when the whole body came at
    // once); whatever it did must leave the answer as it is.
    if (result.scan)
        QVERIFY(result.scan->blocks.upTo > 0 && result.scan->blocks.upTo <= size_t(body.size()));
    CanonicalUrl url;
    url.host = QStringLiteral("huggingface.co");
    const HeaderList headers{{"Content-Type", "application/octet-stream"}};
    const QString expected = describe(inspector.inspect(url, headers, plain.body, ContentRules{}));
    QCOMPARE(describe(inspector.inspect(url, headers, fast.body, ContentRules{}, result.scan.get())), expected);
    QCOMPARE(expected.contains(QStringLiteral("pii.email")), body.contains("jane.roe@example.org"));
}

void TestBodyPrescan::unusualEnvelopesHandOverNoBody() {
    const Inspector inspector;
    const QByteArray b64 = randomBytes(3, 2 * 1024 * 1024).toBase64();
    QByteArray escaped = b64;
    escaped.replace(1000, 1, "\\/");
    const QList<QByteArray> jsons = {
        "[\"" + b64 + "\"]",                                         // not an object
        "{\"body\\u005fbase64\":\"" + b64 + "\"}",                   // escaped key
        "{\"body_base64\":\"" + escaped + "\"}",                     // escape inside the string
        "{\"url\":\"https://h/\",\"body_base64\":\"" + b64 + "=\"}", // not canonical
    };
    for (const QByteArray &json : jsons) {
        const BodyPrescan::Result result = prescanOf(inspector, json, 65536);
        QCOMPARE(result.body64.begin, qsizetype(-1));
        QVERIFY(result.body64.bytes.isEmpty());
    }
}

// Each prescan has a thread: no more than two run at once, and a slot comes back when one ends.
void TestBodyPrescan::atMostTwoAtOnce() {
    const Inspector inspector;
    auto first = BodyPrescan::start(inspector, ContentRules{}, 1 << 20);
    auto second = BodyPrescan::start(inspector, ContentRules{}, 1 << 20);
    QVERIFY(first && second);
    QVERIFY(!BodyPrescan::start(inspector, ContentRules{}, 1 << 20));
    first.reset(); // a client that went away mid-body
    auto third = BodyPrescan::start(inspector, ContentRules{}, 1 << 20);
    QVERIFY(third);
    third->bodyData("{\"body\":\"", 9);
    third->bodyData("a\\nb", 4); // the follower stops at the escape; the bytes still count
    third->bodyData("c\"}", 3);
    third->bodyEnd();
    QCOMPARE(third->bytesSeen(), qint64(16));
    QVERIFY(!third->finish().scan);
}

// Given time, the thread also makes the Normalizer's binary passes over a binary body's first
// lines (never over a text body); the Inspector's answer stays the one it gives without them,
// also for what only those passes reveal (percent-encoded, base64, zero-width addresses).
void TestBodyPrescan::binaryBodiesGetTheirPassesAhead() {
    const Inspector inspector;
    QByteArray binary = randomBytes(77, 3 * 1024 * 1024);
    QByteArray text = QByteArray("{\"id\": \"model-7b\", \"sha\": \"0123456789abcdef\"}\n").repeated(60000);
    const QList<QByteArray> secrets = {"\nmail jane.roe%40example.org\n",
                                       "\n" + QByteArray("mail jane.roe@example.org").toBase64() + "\n",
                                       "\nmail jane\xE2\x80\x8B.roe@example.org\n", QByteArray()};
    CanonicalUrl url;
    url.host = QStringLiteral("huggingface.co");
    const HeaderList headers{{"Content-Type", "application/octet-stream"}};
    for (const QByteArray &secret : secrets) {
        for (const bool isBinary : {true, false}) {
            QByteArray body = isBinary ? binary : text;
            if (!secret.isEmpty())
                body.replace(1024 * 1024, secret.size(), secret); // early: in what the thread sees first
            const QByteArray json = envelope(body);
            const auto prescan = BodyPrescan::start(inspector, ContentRules{}, json.size());
            QVERIFY(prescan);
            const qsizetype half = json.size() / 2;
            prescan->bodyData(json.constData(), half);
            QTest::qWait(400); // the thread catches up with what it has
            prescan->bodyData(json.constData() + half, json.size() - half);
            prescan->bodyEnd();
            const BodyPrescan::Result result = prescan->finish();
            QVERIFY(result.scan);
            const BinaryPasses &passes = result.scan->binary;
            if (isBinary) {
                QVERIFY(passes.upTo > 1024 * 1024 + 100); // past the secret
                // The thread may also reach into the second half between its hand-over and
                // finish(), the more so on a busy machine: only the body bounds it.
                QVERIFY(passes.upTo <= body.size());
                QCOMPARE(body.at(passes.upTo - 1), '\n');
            } else {
                QCOMPARE(passes.upTo, qsizetype(0));
            }
            const QString expected = describe(inspector.inspect(url, headers, body, ContentRules{}));
            QCOMPARE(describe(inspector.inspect(url, headers, body, ContentRules{}, result.scan.get())), expected);
            QCOMPARE(expected.contains(QStringLiteral("pii.email")), !secret.isEmpty());
        }
    }
}

QTEST_GUILESS_MAIN(TestBodyPrescan)
#include "tst_bodyprescan.moc"
