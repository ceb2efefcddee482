#include "upstream/ResponseParser.h"

#include <QTest>

using namespace airlock;

namespace {

using Status = ResponseParser::Status;

QString statusName(Status status) {
    switch (status) {
    case Status::Incomplete:
        return QStringLiteral("incomplete");
    case Status::Complete:
        return QStringLiteral("complete");
    case Status::Invalid:
        return QStringLiteral("invalid");
    case Status::TooLarge:
        return QStringLiteral("too large");
    case Status::Truncated:
        return QStringLiteral("truncated");
    }
    return {};
}

enum class Eof { None, Clean, Broken };

// How a response reaches the parser: whole, a byte at a time, or in two halves.
QList<QByteArray> pieces(const QByteArray &raw, const QString &mode) {
    QList<QByteArray> out;
    if (mode == QLatin1String("whole")) {
        out.append(raw);
    } else if (mode == QLatin1String("bytes")) {
        for (const char c : raw)
            out.append(QByteArray(1, c));
    } else {
        out.append(raw.left(raw.size() / 2));
        out.append(raw.mid(raw.size() / 2));
    }
    return out;
}

struct Parsed {
    Status status = Status::Incomplete;
    int code = 0;
    QByteArray body;
    qint64 contentLength = -2;
    bool keepAlive = false;
    bool trailing = false;
    bool redirect = false;
    HeaderList headers;
    QByteArray error;
};

// Feeds every piece (as the connection would deliver them, bytes after the response included),
// then the end of the connection if any; the body is read as it comes.
Parsed parse(const QByteArray &raw, const QString &mode, bool headRequest, Eof eof, ResponseLimits limits = {}) {
    ResponseParser parser(headRequest, limits);
    Parsed out;
    qint64 fed = 0;
    for (const QByteArray &piece : pieces(raw, mode)) {
        const ResponseParser::Result r = parser.feed(piece);
        out.status = r.status;
        fed += r.status == Status::Complete ? r.consumed : piece.size(); // a failure consumed nothing, but read
        if (r.consumed < 0 || r.consumed > piece.size())
            qFatal("consumed out of range");
        while (parser.bufferedBytes() > 0)
            out.body += parser.readBody(7);
    }
    if (eof != Eof::None)
        out.status = parser.finish(eof == Eof::Clean);
    while (parser.bufferedBytes() > 0)
        out.body += parser.readBody(1 << 20);
    if (out.body.size() > fed || parser.bodyBytes() != out.body.size())
        qFatal("more body than bytes consumed");
    out.code = parser.status();
    out.contentLength = parser.headComplete() ? parser.contentLength() : -2;
    out.keepAlive = parser.keepAlive();
    out.trailing = parser.trailingBytes();
    out.redirect = parser.isRedirect();
    out.headers = parser.headers();
    out.error = parser.errorMessage();
    return out;
}

QByteArray manyFields(int count) {
    QByteArray raw = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < count; ++i)
        raw += "X-" + QByteArray::number(i) + ": v\r\n";
    return raw + "Content-Length: 2\r\n\r\nok";
}

} // namespace

class TestResponseParser final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void responses_data();
    void responses();
    void interimHeadsAreNotTheResponse();
    void trailersAreReadAndDropped();
    void limitsApplyAsConfigured();
    void wholeReadsAreSharedNotCopied();
    void smallSpansAreCoalesced();
    void consumedStopsAtTheEndOfTheResponse();
    void failureIsFinal();
};

void TestResponseParser::responses_data() {
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("headRequest");
    QTest::addColumn<int>("eof"); // Eof
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("contentLength"); // -2: no final head
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<bool>("trailing");

    const QString complete = QStringLiteral("complete");
    const QString incomplete = QStringLiteral("incomplete");
    const QString invalid = QStringLiteral("invalid");
    const QString tooLarge = QStringLiteral("too large");
    const QString truncated = QStringLiteral("truncated");
    auto add = [](const char *name, const QByteArray &raw, bool head, Eof eof, const QString &status, int code,
                  const QByteArray &body, qint64 length, bool keepAlive, bool trailing = false) {
        QTest::newRow(name) << raw << head << int(eof) << status << code << body << length << keepAlive << trailing;
    };
    const QByteArray chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

    // Framing by Content-Length.
    add("length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false, Eof::None, complete, 200, "hello", 5,
        true);
    add("length zero", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, Eof::None, complete, 200, "", 0, true);
    add("length, spaces around the value", "HTTP/1.1 200 OK\r\nContent-Length:  5  \r\n\r\nhello", false, Eof::None,
        complete, 200, "hello", 5, true);
    add("length, upstream closes", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", false,
        Eof::None, complete, 200, "ok", 2, false);
    add("length, HTTP/1.0", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false, Eof::None, complete, 200, "ok", 2,
        false);
    add("length, HTTP/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
        false, Eof::None, complete, 200, "ok", 2, true);
    add("length not reached", "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nshort", false, Eof::None, incomplete, 200,
        "short", 20, false);
    add("length not reached, closed", "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nshort", false, Eof::Clean,
        truncated, 200, "short", 20, false);
    add("bytes after the body", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n", false, Eof::None,
        complete, 200, "ok", 2, false, true);
    add("length and chunked",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", false,
        Eof::None, invalid, 0, "", -2, false);
    add("chunked and length",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n", false,
        Eof::None, invalid, 0, "", -2, false);
    add("differing lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", false, Eof::None,
        invalid, 0, "", -2, false);
    add("repeated length", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", false, Eof::None,
        invalid, 0, "", -2, false);
    add("length list", "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc", false, Eof::None, invalid, 0, "", -2,
        false);
    add("negative length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nabc", false, Eof::None, invalid, 0, "", -2,
        false);
    add("length overflows", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nabc", false, Eof::None,
        invalid, 0, "", -2, false);

    // Chunked coding.
    add("chunked", chunked + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", false, Eof::None, complete, 200, "abcde", -1, true);
    add("chunked, hex sizes", chunked + "a\r\n0123456789\r\nB\r\nabcdefghijk\r\n0\r\n\r\n", false, Eof::None, complete,
        200, "0123456789abcdefghijk", -1, true);
    add("chunked, extension", chunked + "3;name=value\r\nabc\r\n0\r\n\r\n", false, Eof::None, complete, 200, "abc", -1,
        true);
    add("chunked, extension without value", chunked + "3;name\r\nabc\r\n0;last\r\n\r\n", false, Eof::None, complete,
        200, "abc", -1, true);
    add("chunked, quoted extension", chunked + "3;a=\"q; x\"\r\nabc\r\n0\r\n\r\n", false, Eof::None, complete, 200,
        "abc", -1, true);
    add("chunked, trailer", chunked + "3\r\nabc\r\n0\r\nX-Checksum: 1\r\n\r\n", false, Eof::None, complete, 200, "abc",
        -1, true);
    add("chunked, last chunk missing", chunked + "3\r\nabc\r\n", false, Eof::Clean, truncated, 200, "abc", -1, false);
    add("chunked, cut inside a chunk", chunked + "a\r\nabc", false, Eof::Clean, truncated, 200, "abc", -1, false);
    add("chunked, bad size", chunked + "zz\r\nabc\r\n0\r\n\r\n", false, Eof::None, invalid, 200, "", -1, false);
    add("chunked, size not hex", chunked + "3xyz\r\n0\r\n\r\n", false, Eof::None, invalid, 200, "", -1, false);
    add("chunked, bytes after", chunked + "1\r\na\r\n0\r\n\r\nextra", false, Eof::None, complete, 200, "a", -1, false,
        true);

    // Read until the connection closes.
    add("until close, clean", "HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nhello world", false, Eof::Clean, complete, 200,
        "hello world", -1, false);
    add("until close, broken", "HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nhello world", false, Eof::Broken, truncated, 200,
        "hello world", -1, false);
    add("until close, still open", "HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nhello", false, Eof::None, incomplete, 200, "hello",
        -1, false);
    add("until close, other coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc", false, Eof::Clean,
        complete, 200, "abc", -1, false);
    add("length, broken after the end", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false, Eof::Broken, complete,
        200, "ok", 2, true);

    // Bodiless responses.
    add("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", true, Eof::None, complete, 200, "", 0, true);
    add("HEAD, chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true, Eof::None, complete, 200, "", 0,
        true);
    add("HEAD, no length", "HTTP/1.1 200 OK\r\n\r\n", true, Eof::None, complete, 200, "", 0, true);
    add("204", "HTTP/1.1 204 No Content\r\n\r\n", false, Eof::None, complete, 204, "", 0, true);
    add("204 with body bytes", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello", false, Eof::None, complete,
        204, "", 0, false, true);
    add("304", "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n", false, Eof::None, complete, 304, "", 0, true);
    add("304 with body bytes", "HTTP/1.1 304 Not Modified\r\n\r\nstale", false, Eof::None, complete, 304, "", 0, false,
        true);
    add("redirect, body not read", "HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 4\r\n\r\nbody", false,
        Eof::None, complete, 302, "", 0, false, true);
    add("redirect, chunked body not read",
        "HTTP/1.1 307 Temporary\r\nLocation: /x\r\nTransfer-Encoding: chunked\r\n\r\n", false, Eof::None, complete, 307,
        "", 0, true);
    add("302 without Location has a body", "HTTP/1.1 302 Found\r\nContent-Length: 4\r\n\r\nbody", false, Eof::None,
        complete, 302, "body", 4, true);
    add("300 has a body", "HTTP/1.1 300 Choices\r\nLocation: /x\r\nContent-Length: 4\r\n\r\nbody", false, Eof::None,
        complete, 300, "body", 4, true);

    // Interim responses.
    add("100 then 200", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false, Eof::None,
        complete, 200, "ok", 2, true);
    add("103 then 200",
        "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </b>\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        false, Eof::None, complete, 200, "ok", 2, true);
    add("103 only", "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n", false, Eof::Clean, truncated, 0, "", -2, false);
    add("101", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\nrest", false, Eof::None,
        invalid, 0, "", -2, false);

    // Limits.
    add("256 fields", manyFields(255), false, Eof::None, complete, 200, "ok", 2, true);
    add("257 fields", manyFields(256), false, Eof::None, tooLarge, 0, "", -2, false);
    add("head over 256 KiB in one field",
        "HTTP/1.1 200 OK\r\nX-Big: " + QByteArray(256 * 1024, 'a') + "\r\nContent-Length: 0\r\n\r\n", false, Eof::None,
        tooLarge, 0, "", -2, false);
    add("head over 256 KiB in the status line", "HTTP/1.1 200 " + QByteArray(256 * 1024, 'a') + "\r\n\r\n", false,
        Eof::None, tooLarge, 0, "", -2, false);
    add("head just under 256 KiB",
        "HTTP/1.1 200 OK\r\nX-Big: " + QByteArray(255 * 1024, 'a') + "\r\nContent-Length: 0\r\n\r\n", false, Eof::None,
        complete, 200, "", 0, true);
    add("interim heads count too",
        "HTTP/1.1 103 Early Hints\r\nLink: " + QByteArray(200 * 1024, 'a') +
            "\r\n\r\nHTTP/1.1 200 OK\r\nX: " + QByteArray(100 * 1024, 'b') + "\r\nContent-Length: 0\r\n\r\n",
        false, Eof::None, tooLarge, 0, "", -2, false);

    // Not a response.
    add("nothing", "", false, Eof::Clean, truncated, 0, "", -2, false);
    add("head cut short", "HTTP/1.1 200 OK\r\nContent-Le", false, Eof::Clean, truncated, 0, "", -2, false);
    add("not http", "SSH-2.0-OpenSSH_9.2\r\n\r\n", false, Eof::None, invalid, 0, "", -2, false);
    add("a request", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", false, Eof::None, invalid, 0, "", -2, false);
    add("bare LF line ends", "HTTP/1.1 200 OK\nContent-Length: 1\n\nx", false, Eof::None, invalid, 0, "", -2, false);
    add("control character in a value", "HTTP/1.1 200 OK\r\nX-A: a\x01z\r\nContent-Length: 0\r\n\r\n", false, Eof::None,
        invalid, 0, "", -2, false);
    add("separator in a field name", "HTTP/1.1 200 OK\r\nX\"A: 1\r\nContent-Length: 0\r\n\r\n", false, Eof::None,
        invalid, 0, "", -2, false);
    add("status not a number", "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n", false, Eof::None, invalid, 0, "", -2,
        false);
    add("blank lines before the status line", "\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, Eof::None,
        complete, 200, "", 0, true);
}

void TestResponseParser::responses() {
    QFETCH(QByteArray, raw);
    QFETCH(bool, headRequest);
    QFETCH(int, eof);
    QFETCH(QString, status);
    QFETCH(int, code);
    QFETCH(QByteArray, body);
    QFETCH(qint64, contentLength);
    QFETCH(bool, keepAlive);
    QFETCH(bool, trailing);
    for (const QString &mode : {QStringLiteral("whole"), QStringLiteral("bytes"), QStringLiteral("halves")}) {
        const QByteArray where = mode.toLatin1();
        const Parsed p = parse(raw, mode, headRequest, Eof(eof));
        QVERIFY2(statusName(p.status) == status, where + ": " + statusName(p.status).toLatin1() + ", " + p.error);
        QVERIFY2(p.code == code, where);
        QVERIFY2(p.body == body, where);
        QVERIFY2(p.contentLength == contentLength, where + ": " + QByteArray::number(p.contentLength));
        QVERIFY2(p.keepAlive == keepAlive, where);
        QVERIFY2(p.trailing == trailing, where);
        const bool failed = status != QLatin1String("complete") && status != QLatin1String("incomplete");
        QVERIFY2(p.error.isEmpty() != failed, where);
        QVERIFY2(!p.error.contains("OpenSSH"), where); // never the response's own bytes
    }
}

// The final head is the response; what interim heads carried is not.
void TestResponseParser::interimHeadsAreNotTheResponse() {
    const Parsed p = parse("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                           "HTTP/1.1 301 Moved\r\nLocation:  https://cdn.example/f?x=1 \r\nContent-Length: 0\r\n\r\n",
                           QStringLiteral("whole"), false, Eof::None);
    QCOMPARE(statusName(p.status), QStringLiteral("complete"));
    QCOMPARE(p.code, 301);
    QVERIFY(p.redirect);
    const HeaderList expected{{"Location", "https://cdn.example/f?x=1"}, {"Content-Length", "0"}};
    QCOMPARE(p.headers, expected);
    ResponseParser parser(false);
    parser.feed("HTTP/1.1 308 Permanent\r\nLocation: /next\r\n\r\n");
    QVERIFY(parser.isRedirect());
    QCOMPARE(parser.location(), QByteArray("/next"));
}

void TestResponseParser::trailersAreReadAndDropped() {
    const QByteArray head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n";
    Parsed p = parse(head + "X-T: 1\r\n\r\n", QStringLiteral("whole"), false, Eof::None);
    QCOMPARE(statusName(p.status), QStringLiteral("complete"));
    QCOMPARE(p.headers, (HeaderList{{"Transfer-Encoding", "chunked"}}));
    // Trailers have a budget of their own, in bytes and in fields.
    p = parse(head + "X-T: " + QByteArray(256 * 1024, 'a') + "\r\n\r\n", QStringLiteral("whole"), false, Eof::None);
    QCOMPARE(statusName(p.status), QStringLiteral("too large"));
    QCOMPARE(p.body, QByteArray("abc"));
    QByteArray many;
    for (int i = 0; i < 257; ++i)
        many += "T" + QByteArray::number(i) + ": 1\r\n";
    p = parse(head + many + "\r\n", QStringLiteral("bytes"), false, Eof::None);
    QCOMPARE(statusName(p.status), QStringLiteral("too large"));
}

void TestResponseParser::limitsApplyAsConfigured() {
    const QByteArray raw = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nContent-Length: 0\r\n\r\n";
    for (const QString &mode : {QStringLiteral("whole"), QStringLiteral("bytes")}) {
        QCOMPARE(statusName(parse(raw, mode, false, Eof::None, {1024, 4}).status), QStringLiteral("complete"));
        QCOMPARE(statusName(parse(raw, mode, false, Eof::None, {1024, 3}).status), QStringLiteral("too large"));
        QCOMPARE(statusName(parse(raw, mode, false, Eof::None, {qint64(raw.size()), 4}).status),
                 QStringLiteral("complete"));
        QCOMPARE(statusName(parse(raw, mode, false, Eof::None, {40, 4}).status), QStringLiteral("too large"));
    }
}

// A read that is all body is queued as it is: the reader gets the very buffer, no copy.
void TestResponseParser::wholeReadsAreSharedNotCopied() {
    ResponseParser parser(false);
    QCOMPARE(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n").status, Status::Incomplete);
    const QByteArray first(100000, 'a');
    const QByteArray second(100000, 'b');
    QCOMPARE(parser.feed(first).status, Status::Incomplete);
    QCOMPARE(parser.feed(second).status, Status::Complete);
    QCOMPARE(parser.bufferedBytes(), 200000);
    const QByteArray out1 = parser.readBody(128 * 1024);
    const QByteArray out2 = parser.readBody(128 * 1024);
    QVERIFY(out1.constData() == first.constData());
    QVERIFY(out2.constData() == second.constData());
    QCOMPARE(parser.bufferedBytes(), 0);
    QVERIFY(parser.keepAlive());
}

// Small spans (chunked coding) are copied together into buffers of up to 64 KiB, handed over whole.
void TestResponseParser::smallSpansAreCoalesced() {
    QByteArray raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    QByteArray expected;
    for (int i = 0; i < 1000; ++i) {
        const QByteArray chunk(100, char('a' + i % 26));
        raw += "64\r\n" + chunk + "\r\n";
        expected += chunk;
    }
    raw += "0\r\n\r\n";
    ResponseParser parser(false);
    QCOMPARE(parser.feed(raw).status, Status::Complete);
    const QByteArray first = parser.readBody(64 * 1024);
    QCOMPARE(first.size(), 65500); // 655 spans in the first buffer, given as it is
    QByteArray all = first;
    while (parser.bufferedBytes() > 0)
        all += parser.readBody(64 * 1024);
    QCOMPARE(all, expected);
}

void TestResponseParser::consumedStopsAtTheEndOfTheResponse() {
    const QByteArray response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    ResponseParser parser(false);
    const ResponseParser::Result r = parser.feed(response + "HTTP/1.1 200 OK\r\n");
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.consumed, response.size());
    QVERIFY(parser.trailingBytes());
    QVERIFY(!parser.keepAlive());
    QCOMPARE(parser.feed("more").consumed, 0);
}

void TestResponseParser::failureIsFinal() {
    ResponseParser parser(false);
    QCOMPARE(parser.feed("NOT HTTP\r\n").status, Status::Invalid);
    QCOMPARE(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").status, Status::Invalid);
    QCOMPARE(parser.finish(true), Status::Invalid);
    QVERIFY(!parser.headComplete());
    QCOMPARE(parser.status(), 0);
}

QTEST_APPLESS_MAIN(TestResponseParser)
#include "tst_responseparser.moc"
