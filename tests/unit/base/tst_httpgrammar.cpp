#include "base/HeaderList.h"
#include "base/HttpGrammar.h"

#include <QTest>

using namespace airlock;

// Pins the shared HTTP vocabulary: one token grammar, one field-value check and one list of each
// kind of field, used alike by the HTTP server, the Gate and the upstream side.
class TestHttpGrammar final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void token_data();
    void token();
    void fieldValue_data();
    void fieldValue();
    void everyByteOfTheTokenAlphabet();
    void hopByHopList();
    void credentialList();
    void framingList();
    void connectionListed();
    void headerLookups();
};

void TestHttpGrammar::token_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("word") << QByteArray("Content-Type") << true;
    QTest::newRow("all specials") << QByteArray("!#$%&'*+-.^_`|~") << true;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("space") << QByteArray("X Y") << false;
    QTest::newRow("colon") << QByteArray("X:Y") << false;
    QTest::newRow("NUL inside") << QByteArray("X\0Y", 3) << false;
    QTest::newRow("NUL at end") << QByteArray("X\0", 2) << false;
    QTest::newRow("tab") << QByteArray("X\tY") << false;
    QTest::newRow("DEL") << QByteArray("X\x7fY") << false;
    QTest::newRow("non-ASCII") << QByteArray("X\xc3\xa9") << false;
    QTest::newRow("separators") << QByteArray("a(b)") << false;
}

void TestHttpGrammar::token() {
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QCOMPARE(http::isToken(text), valid);
}

void TestHttpGrammar::fieldValue_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << QByteArray("bytes=0-9") << true;
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("tab") << QByteArray("a\tb") << true;
    QTest::newRow("UTF-8") << QByteArray("caf\xc3\xa9") << true;
    QTest::newRow("CR") << QByteArray("a\rb") << false;
    QTest::newRow("LF") << QByteArray("a\nb") << false;
    QTest::newRow("CRLF smuggling") << QByteArray("a\r\nX-Evil: 1") << false;
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << false;
    QTest::newRow("other control") << QByteArray("a\x01") << false;
    QTest::newRow("DEL") << QByteArray("a\x7f") << false;
}

void TestHttpGrammar::fieldValue() {
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QCOMPARE(http::isFieldValue(text), valid);
}

void TestHttpGrammar::everyByteOfTheTokenAlphabet() {
    const QByteArray tchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int b = 0; b < 256; ++b) {
        const char c = char(b);
        QCOMPARE(http::isToken(QByteArrayView(&c, 1)), tchar.contains(c));
    }
}

void TestHttpGrammar::hopByHopList() {
    const QList<QByteArray> expected{
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
        "te",         "trailer",    "trailers",           "transfer-encoding",   "upgrade"};
    for (const QByteArray &name : expected)
        QVERIFY2(http::isHopByHop(name), name.constData());
    for (const char *name : {"content-length", "host", "authorization", "cookie", "accept", "range", "expect",
                             "Connection" /* the caller lower-cases */})
        QVERIFY2(!http::isHopByHop(name), name);
}

void TestHttpGrammar::credentialList() {
    for (const char *name : {"authorization", "cookie", "proxy-authorization"})
        QVERIFY2(http::isCredentialHeader(name), name);
    for (const char *name : {"x-api-key", "set-cookie", "www-authenticate", "connection", "Authorization"})
        QVERIFY2(!http::isCredentialHeader(name), name);
}

void TestHttpGrammar::framingList() {
    for (const char *name : {"host", "content-length", "expect"})
        QVERIFY2(http::isFraming(name), name);
    for (const char *name : {"transfer-encoding", "content-type", "accept-encoding"})
        QVERIFY2(!http::isFraming(name), name);
}

void TestHttpGrammar::connectionListed() {
    const HeaderList headers{{"Connection", "X-Trace, Keep-Alive"},
                             {"X-Trace", "1"},
                             {"connection", " close ,x-other"},
                             {"X-Connection", "not-this"}};
    const QSet<QByteArray> named = http::connectionListed(headers);
    QCOMPARE(named, (QSet<QByteArray>{"x-trace", "keep-alive", "close", "x-other"}));
    QVERIFY(http::connectionListed({}).isEmpty());
}

void TestHttpGrammar::headerLookups() {
    const HeaderList headers{{"Accept", "a"}, {"ACCEPT", "b"}, {"Range", "bytes=1-"}};
    QCOMPARE(headerValue(headers, "accept"), QByteArray("a"));
    QCOMPARE(headerValue(headers, "range"), QByteArray("bytes=1-"));
    QCOMPARE(headerValue(headers, "missing"), QByteArray());
    QVERIFY(hasHeader(headers, "RANGE"));
    QVERIFY(!hasHeader(headers, "rang"));
    QCOMPARE(headerCount(headers, "accept"), 2);
    QCOMPARE(headerCount(headers, "missing"), 0);
}

QTEST_APPLESS_MAIN(TestHttpGrammar)
#include "tst_httpgrammar.moc"
