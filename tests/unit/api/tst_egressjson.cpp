// parseEgressJson: the fast path for large body_base64 values must give exactly what the plain
// QJsonDocument reading gives (the reference computed here), and every unusual spelling must
// still be judged by QJsonDocument.
#include "api/EgressJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace airlock;

namespace {

QByteArray bigBinary() {
    QByteArray b(300 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < b.size(); ++i)
        b[i] = char((i * 7919) >> 3);
    return b;
}

QByteArray wrap(const QByteArray &inner) {
    return "{\"url\":\"https://huggingface.co/echo\",\"method\":\"POST\"," + inner + "}";
}

} // namespace

class TestEgressJson final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void body64_data();
    void body64();
    void errorOffsetIsOfTheOriginal();
    void spanWithEscapes_data();
    void spanWithEscapes();
    void followerAgreesWithTheParser_data() { body64_data(); }
    void followerAgreesWithTheParser();
    void followerOfPlainBodies();
    void everyCharacterInEveryLane();
    void quantaDecoderWritesOnlyItsOutput();
    void escapedBodyReadsAsTheParserReadsIt_data();
    void escapedBodyReadsAsTheParserReadsIt();
    void unescapeAgreesWithQJsonDocument();
};

void TestEgressJson::body64_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("body");
    const QByteArray raw = bigBinary();
    const QByteArray b64 = raw.toBase64();
    QByteArray escaped = b64;
    escaped.replace("/", "\\/");
    QTest::newRow("plain") << wrap("\"body_base64\":\"" + b64 + "\"") << true << raw;
    QTest::newRow("one pad") << wrap("\"body_base64\":\"" + raw.left(raw.size() - 1).toBase64() + "\"") << true
                             << raw.left(raw.size() - 1);
    QTest::newRow("two pads") << wrap("\"body_base64\":\"" + raw.left(raw.size() - 2).toBase64() + "\"") << true
                              << raw.left(raw.size() - 2);
    QTest::newRow("no pad, short tail") << wrap("\"body_base64\":\"" + b64 + "QUI\"") << true << raw + "AB";
    QTest::newRow("spaces") << (" {\n \"body_base64\" :\t\"" + b64 + "\" , \"url\":\"https://huggingface.co/x\"}\n")
                            << true << raw;
    QTest::newRow("first field") << ("{\"body_base64\":\"" + b64 + "\",\"url\":\"https://huggingface.co/x\"}") << true
                                 << raw;
    QTest::newRow("escaped slashes") << wrap("\"body_base64\":\"" + escaped + "\"") << true << raw;
    QTest::newRow("escaped key") << wrap("\"body\\u005fbase64\":\"" + b64 + "\"") << true << raw;
    QTest::newRow("headers before") << wrap("\"headers\":{\"a\":[\"x\\\"}\",\"y\"]},\"body_base64\":\"" + b64 + "\"")
                                    << true << raw;
    QTest::newRow("invalid base64") << wrap("\"body_base64\":\"" + b64 + "!\"") << false << QByteArray();
    QTest::newRow("padding inside") << wrap("\"body_base64\":\"QQ==" + b64 + "\"") << false << QByteArray();
    QTest::newRow("both body forms") << wrap("\"body\":\"x\",\"body_base64\":\"" + b64 + "\"") << false << QByteArray();
    QTest::newRow("unknown field after") << wrap("\"body_base64\":\"" + b64 + "\",\"nope\":1") << false << QByteArray();
    QTest::newRow("not a string") << wrap("\"body_base64\":[\"" + b64 + "\"]") << false << QByteArray();
    QTest::newRow("broken after") << wrap("\"body_base64\":\"" + b64 + "\",") << false << QByteArray();
    QTest::newRow("unterminated") << ("{\"url\":\"https://h/\",\"body_base64\":\"" + b64) << false << QByteArray();
    QTest::newRow("inside a string") << wrap("\"headers\":{\"a\":\"\\\"body_base64\\\":\\\"QUJD\\\"\"},"
                                             "\"body_base64\":\"" +
                                             b64 + "\"")
                                     << true << raw;
    QTest::newRow("nested key") << wrap("\"headers\":{\"body_base64\":\"QUJD\"},\"body_base64\":\"" + b64 + "\"")
                                << true << raw;
}

void TestEgressJson::body64() {
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    QFETCH(QByteArray, body);
    EgressRequest request;
    QString error;
    const bool parsed = parseEgressJson(json, &request, &error);
    QCOMPARE(parsed, ok);
    if (!ok) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QVERIFY(request.hasBody);
    QCOMPARE(request.body.size(), body.size());
    QVERIFY(request.body == body);
    // The reference: what reading the whole document with QJsonDocument gives.
    const QJsonValue v = QJsonDocument::fromJson(json).object().value(QLatin1String("body_base64"));
    QVERIFY(request.body == QByteArray::fromBase64(v.toString().toLatin1()));
}

// A large "body" string is unescaped in one pass from the request bytes; whatever it holds, the
// request is the one QJsonDocument reads from the same bytes, error messages included.
void TestEgressJson::escapedBodyReadsAsTheParserReadsIt_data() {
    QTest::addColumn<QByteArray>("json");
    QByteArray rows;
    for (int i = 0; i < 3000; ++i)
        rows += "{\\\"id\\\":\\\"org/model-" + QByteArray::number(i) + "\\\",\\\"sha\\\":\\\"" +
                QByteArray::number(i * 7919, 16).rightJustified(40, '0') +
                "\\\",\\\"size\\\":" + QByteArray::number(i * 1000) + "},";
    QTest::newRow("escaped hub rows") << wrap("\"body\":\"[" + rows + "]\"");
    QTest::newRow("every escape") << wrap("\"body\":\"" + rows + "\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac\"");
    QTest::newRow("surrogate pair") << wrap("\"body\":\"" + rows + "\\ud83d\\ude00 end\"");
    QTest::newRow("raw UTF-8") << wrap("\"body\":\"" + rows + "j\xc3\xbcrgen \xe2\x82\xac \xf0\x9f\x98\x80\"");
    QTest::newRow("u0000") << wrap("\"body\":\"" + rows + "a\\u0000b\"");
    QTest::newRow("lone high surrogate") << wrap("\"body\":\"" + rows + "\\ud83d x\"");
    QTest::newRow("lone low surrogate") << wrap("\"body\":\"" + rows + "\\ude00\"");
    QTest::newRow("invalid UTF-8") << wrap("\"body\":\"" + rows + "\xc3\x28\"");
    QTest::newRow("overlong UTF-8") << wrap("\"body\":\"" + rows + "\xc0\xaf\"");
    QTest::newRow("raw control") << wrap("\"body\":\"" + rows + "\x01\"");
    QTest::newRow("bad escape") << wrap("\"body\":\"" + rows + "\\x41\"");
    QTest::newRow("short unicode escape") << wrap("\"body\":\"" + rows + "\\u12\"");
    QTest::newRow("unterminated") << wrap("\"body\":\"" + rows);
    QTest::newRow("body twice") << wrap("\"body\":\"" + rows + "\",\"body\":\"x\"");
    QTest::newRow("body and body_base64") << wrap("\"body\":\"" + rows + "\",\"body_base64\":\"QQ==\"");
    QTest::newRow("garbage after") << wrap("\"body\":\"" + rows + "\" x");
    QTest::newRow("body first") << ("{\"body\":\"" + rows + "\",\"url\":\"https://huggingface.co/echo\"}");
    QTest::newRow("escaped key") << wrap("\"bo\\u0064y\":\"" + rows + "\"");
}

void TestEgressJson::escapedBodyReadsAsTheParserReadsIt() {
    QFETCH(QByteArray, json);
    QVERIFY(json.size() >= 64 * 1024);
    EgressRequest request;
    QString error;
    const bool ok = parseEgressJson(json, &request, &error);

    // What the plain reading makes of the same bytes.
    QJsonParseError reference;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &reference);
    if (reference.error != QJsonParseError::NoError) {
        QVERIFY(!ok);
        QVERIFY2(error.contains(QStringLiteral("offset %1:").arg(reference.offset)), qPrintable(error));
        return;
    }
    const QJsonObject o = doc.object();
    if (o.contains(QLatin1String("body_base64")) || o.value(QLatin1String("url")).isUndefined()) {
        QCOMPARE(ok, false);
        return;
    }
    QVERIFY2(ok, qPrintable(error));
    QCOMPARE(request.body, o.value(QLatin1String("body")).toString().toUtf8());
    QVERIFY(request.hasBody);
    QCOMPARE(request.url, QStringLiteral("https://huggingface.co/echo"));
}

// The unescaper against QJsonDocument, string by string, over every escape and byte shape.
void TestEgressJson::unescapeAgreesWithQJsonDocument() {
    const QList<QByteArray> pieces{"a",
                                   "\\\"",
                                   "\\\\",
                                   "\\/",
                                   "\\n",
                                   "\\u0000",
                                   "\\u00ff",
                                   "\\uffff",
                                   "\\ud800",
                                   "\\udc00",
                                   "\\ud800\\udc00",
                                   "\xc3\xa9",
                                   "\xe2\x82",
                                   "\xf4\x90\x80\x80",
                                   "\x7f",
                                   "\x1f",
                                   "\\q",
                                   "\xed\xa0\x80",
                                   "        ",
                                   "\\u00E9",
                                   "\\uD83D\\uDE00"};
    int compared = 0;
    for (const QByteArray &a : pieces) {
        for (const QByteArray &b : pieces) {
            for (int pad = 0; pad < 9; ++pad) {
                const QByteArray text = QByteArray(pad, 'x') + a + b + QByteArray(9 - pad, 'y');
                const QByteArray json = "[\"" + text + "\"]";
                QByteArray out;
                const qsizetype after = unescapeJsonString(json.constData(), 2, json.size(), &out);
                QJsonParseError e;
                const QJsonDocument doc = QJsonDocument::fromJson(json, &e);
                if (after < 0)
                    continue; // left to the plain reading
                ++compared;
                QCOMPARE(after, json.size() - 1);
                QVERIFY2(e.error == QJsonParseError::NoError, text.toHex().constData());
                QCOMPARE(out, doc.array().at(0).toString().toUtf8());
            }
        }
    }
    QVERIFY2(compared > 1500, QByteArray::number(compared).constData());
}

void TestEgressJson::errorOffsetIsOfTheOriginal() {
    const QByteArray b64 = bigBinary().toBase64();
    const QByteArray json = wrap("\"body_base64\":\"" + b64 + "\" x");
    QJsonParseError reference;
    QJsonDocument::fromJson(json, &reference);
    QVERIFY(reference.error != QJsonParseError::NoError);
    EgressRequest request;
    QString error;
    QVERIFY(!parseEgressJson(json, &request, &error));
    QVERIFY2(error.contains(QStringLiteral("offset %1:").arg(reference.offset)), qPrintable(error));
}

// The fast path takes the body_base64 string up to the next quote and lets the decoder vouch that
// it is pure alphabet; a string with an escape in it must be read by QJsonDocument as a whole, so
// the answer (and its error message) is the one the plain reading gives.
void TestEgressJson::spanWithEscapes_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("errorHas");
    QTest::addColumn<QByteArray>("body");
    const QByteArray raw = bigBinary();
    const QByteArray b64 = raw.toBase64();
    const QByteArray half = b64.left(b64.size() / 2 / 4 * 4);
    QByteArray unicodeEscaped = b64;
    unicodeEscaped.replace(0, 1, "\\u00" + QByteArray::number(int(b64.at(0)), 16));
    QTest::newRow("escaped quote inside") << wrap("\"body_base64\":\"" + half + "\\\"" + half + "\"") << false
                                          << QStringLiteral("not valid base64") << QByteArray();
    QTest::newRow("escaped quote, then a key") << wrap("\"body_base64\":\"" + half + "\\\",\\\"url\\\":\\\"x\"")
                                               << false << QStringLiteral("not valid base64") << QByteArray();
    QTest::newRow("unicode escape of a base64 char")
        << wrap("\"body_base64\":\"" + unicodeEscaped + "\"") << true << QString() << raw;
    QTest::newRow("pure alphabet, not canonical")
        << wrap("\"body_base64\":\"" + b64 + "Q\"") << true << QString() << QByteArray::fromBase64(b64 + "Q");
    // Qt's reader lets a raw control character through inside a string; base64 does not.
    QTest::newRow("control character inside") << wrap("\"body_base64\":\"" + half + "\n" + half + "\"") << false
                                              << QStringLiteral("not valid base64") << QByteArray();
}

void TestEgressJson::spanWithEscapes() {
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    QFETCH(QString, errorHas);
    QFETCH(QByteArray, body);
    EgressRequest request;
    QString error;
    QCOMPARE(parseEgressJson(json, &request, &error), ok);
    if (!ok) {
        QVERIFY2(error.contains(errorHas), qPrintable(error));
        return;
    }
    QVERIFY(request.body == body);
    const QJsonValue v = QJsonDocument::fromJson(json).object().value(QLatin1String("body_base64"));
    QVERIFY(request.body == QByteArray::fromBase64(v.toString().toLatin1()));
}

// EgressBodyFollower, fed the JSON in pieces of any size, decodes a start of the body the parser
// finds (never other bytes); when it says it decoded the whole body_base64, parsing with that
// gives exactly what parsing alone gives.
void TestEgressJson::followerAgreesWithTheParser() {
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    QFETCH(QByteArray, body);
    // Canonical base64 strings, whatever follows them ("no pad, short tail" is not canonical).
    static const QStringList followedWhole = {"plain",           "one pad",     "two pads",
                                              "spaces",          "first field", "headers before",
                                              "inside a string", "nested key",  "unknown field after",
                                              "broken after"};
    EgressRequest reference;
    QString referenceError;
    QCOMPARE(parseEgressJson(json, &reference, &referenceError), ok);
    for (qsizetype piece : {qsizetype(1), qsizetype(3), qsizetype(7), qsizetype(4096), qsizetype(65537), json.size()}) {
        EgressBodyFollower follower;
        QByteArray decoded;
        for (qsizetype at = 0; at < json.size(); at += piece) {
            if (!follower.feed(json.constData() + at, std::min(piece, json.size() - at), &decoded))
                break;
        }
        if (ok)
            QVERIFY2(body.startsWith(decoded), qPrintable(QString::number(piece)));
        DecodedBody64 predecoded;
        const bool whole = follower.wholeBody64(&predecoded.begin, &predecoded.end);
        QCOMPARE(whole, followedWhole.contains(QLatin1String(QTest::currentDataTag())));
        if (!whole)
            continue;
        QCOMPARE(decoded, QByteArray::fromBase64(json.mid(predecoded.begin, predecoded.end - predecoded.begin)));
        if (ok)
            QVERIFY(decoded == body);
        predecoded.bytes = decoded;
        EgressRequest request;
        QString error;
        QCOMPARE(parseEgressJson(json, &request, &error, &predecoded), ok);
        QCOMPARE(error, referenceError);
        QVERIFY(request.body == reference.body);
    }
}

void TestEgressJson::followerOfPlainBodies() {
    auto follow = [](const QByteArray &json) {
        EgressBodyFollower follower;
        QByteArray decoded;
        for (char c : json)
            follower.feed(&c, 1, &decoded);
        return decoded;
    };
    QCOMPARE(follow(wrap("\"body\":\"hello world\"")), QByteArray("hello world"));
    QCOMPARE(follow(wrap("\"body\":\"caf\xc3\xa9 ok\"")), QByteArray("caf\xc3\xa9 ok"));
    QCOMPARE(follow(wrap("\"body\":\"line\\nnext\"")), QByteArray("line")); // stops at the escape
    QCOMPARE(follow(wrap("\"headers\":{\"body\":\"no\"},\"body\":\"yes\"")), QByteArray("yes"));
    QCOMPARE(follow(wrap("\"b\\u006fdy\":\"escaped key\"")), QByteArray());
    QCOMPARE(follow("[\"body\",\"x\"]"), QByteArray());
    QCOMPARE(follow(wrap("\"body\":null,\"body_base64\":\"QUJD\"")), QByteArray("ABC"));
}

// The large-body decoder works 32 characters at a time where the CPU allows: every byte value,
// in every position of a step and around its end, is decoded (or refused) as Qt's decoder does,
// by the parser and by the follower.
void TestEgressJson::everyCharacterInEveryLane() {
    QByteArray raw(49200, Qt::Uninitialized);
    for (qsizetype i = 0; i < raw.size(); ++i)
        raw[i] = char((i * 2654435761u) >> 13);
    const QByteArray b64 = raw.toBase64(); // 65600 characters: the fast path
    const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    int checked = 0;
    for (int c = 0; c < 256; ++c) {
        const bool valid = alphabet.contains(char(c));
        // Every lane of a step sees characters of every kind; each byte value is tried in a few.
        for (qsizetype length : {b64.size(), b64.size() - 4, b64.size() - 20, b64.size() - 44}) {
            const QList<qsizetype> positions{c % 32, 32 + (c * 7) % 32, length - 1 - c % 13, length - 45 + c % 8};
            for (qsizetype p : positions) {
                if (p >= length)
                    continue;
                QByteArray text = b64.left(length);
                text[p] = char(c);
                const QByteArray json = wrap("\"body_base64\":\"" + text + "\"");
                EgressRequest request;
                QString error;
                const bool parsed = parseEgressJson(json, &request, &error);
                ++checked;
                // '=' may end the string as padding, and '\\' may begin an escape ("\\/"): what
                // they give is QJsonDocument's reading; any other byte is in the alphabet or not.
                if (c == '=' || c == '\\') {
                    if (parsed) {
                        const QJsonValue v = QJsonDocument::fromJson(json).object().value(QLatin1String("body_base64"));
                        QVERIFY(request.body == QByteArray::fromBase64(v.toString().toLatin1()));
                    }
                    continue;
                }
                QVERIFY2(parsed == valid, qPrintable(QStringLiteral("char %1 at %2").arg(c).arg(p)));
                if (!valid)
                    continue;
                const QByteArray expected = QByteArray::fromBase64(text);
                QVERIFY2(request.body == expected, qPrintable(QStringLiteral("char %1 at %2").arg(c).arg(p)));
                EgressBodyFollower follower;
                QByteArray decoded;
                follower.feed(json.constData(), json.size(), &decoded);
                QVERIFY(decoded == expected);
            }
            // The follower, fed in pieces, stops at a byte outside the alphabet with exactly the
            // quanta before it decoded.
            if (!valid && c != '=' && c != '\\') {
                const qsizetype p = 100 + (c * 13 + length) % 300;
                const QByteArray json = wrap("\"body_base64\":\"" + b64.left(p) + char(c) + b64.mid(p + 1, 400) + "\"");
                for (qsizetype piece : {qsizetype(7), qsizetype(4096)}) {
                    EgressBodyFollower follower;
                    QByteArray decoded;
                    for (qsizetype at = 0; at < json.size(); at += piece) {
                        if (!follower.feed(json.constData() + at, std::min(piece, json.size() - at), &decoded))
                            break;
                    }
                    QVERIFY2(decoded == QByteArray::fromBase64(b64.left(p / 4 * 4)),
                             qPrintable(QStringLiteral("char %1 at %2").arg(c).arg(p)));
                }
            }
        }
    }
    QCOMPARE(checked, 256 * 16);
}

// Both decoders, into buffers of exactly the output size followed by guard bytes: the same
// bytes and the same answer for every length and every position of a bad character, and
// nothing written past the output.
void TestEgressJson::quantaDecoderWritesOnlyItsOutput() {
    const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    quint32 seed = 1;
    auto next = [&seed] {
        seed = seed * 1664525u + 1013904223u;
        return seed >> 8;
    };
    constexpr qsizetype kGuard = 64;
    for (qsizetype size = 0; size <= 400; size += 4) {
        for (int round = 0; round < 12; ++round) {
            QByteArray in(size, Qt::Uninitialized);
            for (char &ch : in)
                ch = alphabet[qsizetype(next() % 64)];
            if (round > 0 && size > 0) // one byte outside the alphabet, anywhere
                in[qsizetype(next() % quint32(size))] = char(round == 1 ? '=' : next() % 256);
            const qsizetype out = size / 4 * 3;
            QByteArray simd(out + kGuard, '\xa5');
            QByteArray table(out + kGuard, '\xa5');
            const bool a = decodeBase64Quanta(in.constData(), size, simd.data(), true);
            const bool b = decodeBase64Quanta(in.constData(), size, table.data(), false);
            QCOMPARE(a, b);
            QCOMPARE(simd.mid(out), QByteArray(kGuard, '\xa5'));
            QCOMPARE(table.mid(out), QByteArray(kGuard, '\xa5'));
            if (a) {
                QVERIFY(simd.left(out) == QByteArray::fromBase64(in));
                QVERIFY(table.left(out) == simd.left(out));
            } else { // every quantum without the bad byte decoded alike
                for (qsizetype q = 0; q < size / 4; ++q) {
                    const QByteArray quantum = in.mid(q * 4, 4);
                    if (QByteArray::fromBase64Encoding(quantum, QByteArray::AbortOnBase64DecodingErrors) &&
                        !quantum.contains('='))
                        QCOMPARE(simd.mid(q * 3, 3), table.mid(q * 3, 3));
                }
            }
        }
    }
}

QTEST_APPLESS_MAIN(TestEgressJson)
#include "tst_egressjson.moc"
