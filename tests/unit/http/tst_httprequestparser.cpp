#include "http/HttpRequestParser.h"

#include <QTest>

using airlock::HttpLimits;
using airlock::HttpRequest;
using airlock::HttpRequestParser;
using Status = airlock::HttpRequestParser::Status;

Q_DECLARE_METATYPE(airlock::HttpRequestParser::Status)

namespace {

HttpLimits testLimits() {
    HttpLimits limits;
    limits.maxHeaderBytes = 1024;
    limits.maxBodyBytes = [] {
        return qint64(100);
    };
    return limits;
}

// Feeds `input` in pieces of `step` bytes (0 = all at once) until the parser stops.
HttpRequestParser::Result feedAll(HttpRequestParser &parser, const QByteArray &input, qsizetype step) {
    qsizetype pos = 0;
    HttpRequestParser::Result result;
    do {
        const qsizetype n = step == 0 ? input.size() - pos : qMin(step, input.size() - pos);
        result = parser.feed(input.constData() + pos, n);
        pos += result.consumed;
    } while (result.status == Status::Incomplete && pos < input.size());
    return result;
}

} // namespace

class TestHttpRequestParser final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void verdict_data();
    void verdict();
    void fields_data();
    void fields();
    void pipelinedRequestsStopAfterEach();
    void continueOnlyWhileBodyPending();
    void errorIsSticky();
    void watcherSeesTheBodyAsItArrives_data();
    void watcherSeesTheBodyAsItArrives();
    void answeredFromHead_data();
    void answeredFromHead();
};

void TestHttpRequestParser::verdict_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Status>("expected");

    const QByteArray big(2000, 'a');
    QTest::newRow("simple get") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n") << Status::Ok;
    QTest::newRow("incomplete head") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n") << Status::Incomplete;
    QTest::newRow("incomplete body") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab")
                                     << Status::Incomplete;
    QTest::newRow("content-length body") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
                                         << Status::Ok;
    QTest::newRow("chunked body")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
        << Status::Ok;
    QTest::newRow("http/1.0 without host") << QByteArray("GET / HTTP/1.0\r\n\r\n") << Status::Ok;
    QTest::newRow("CL and TE")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")
        << Status::BadRequest;
    QTest::newRow("TE and CL")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n")
        << Status::BadRequest;
    QTest::newRow("duplicate CL equal")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc")
        << Status::BadRequest;
    QTest::newRow("duplicate CL different")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\ncontent-length: 4\r\n\r\nabc")
        << Status::BadRequest;
    QTest::newRow("CL list") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc")
                             << Status::BadRequest;
    QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n") << Status::BadRequest;
    QTest::newRow("obs-fold tab") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n")
                                  << Status::BadRequest;
    QTest::newRow("control char in value")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x01c\r\n\r\n") << Status::BadRequest;
    QTest::newRow("NUL in value") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n", 38)
                                  << Status::BadRequest;
    QTest::newRow("bare CR in value") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n")
                                      << Status::BadRequest;
    QTest::newRow("space in name") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n") << Status::BadRequest;
    // llhttp's lenient flags must not let a NUL into a name the rest of the service trusts.
    QTest::newRow("NUL in name") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX\0A: b\r\n\r\n", 35)
                                 << Status::BadRequest;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n")
                                        << Status::BadRequest;
    QTest::newRow("TE gzip") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")
                             << Status::BadRequest;
    QTest::newRow("TE gzip, chunked")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")
        << Status::BadRequest;
    QTest::newRow("TE twice") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
                                            "chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                              << Status::BadRequest;
    QTest::newRow("TE on http/1.0") << QByteArray("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                                    << Status::BadRequest;
    QTest::newRow("missing host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << Status::BadRequest;
    QTest::newRow("two hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << Status::BadRequest;
    QTest::newRow("absolute-form") << QByteArray("GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n") << Status::BadRequest;
    QTest::newRow("asterisk-form") << QByteArray("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n") << Status::BadRequest;
    QTest::newRow("CONNECT") << QByteArray("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n") << Status::BadRequest;
    QTest::newRow("http/2 line") << QByteArray("GET / HTTP/2.0\r\nHost: a\r\n\r\n") << Status::BadRequest;
    QTest::newRow("h2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << Status::BadRequest;
    QTest::newRow("garbage") << QByteArray("\x01\x02garbage\r\n\r\n") << Status::BadRequest;
    QTest::newRow("tls client hello") << QByteArray::fromHex("1603010200010001fc0303") << Status::BadRequest;
    QTest::newRow("unknown expect") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n")
                                    << Status::ExpectationFailed;
    QTest::newRow("CL over limit") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n")
                                   << Status::BodyTooLarge;
    QTest::newRow("CL at limit") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n") +
                                        QByteArray(100, 'x')
                                 << Status::Ok;
    QTest::newRow("CL huge") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n")
                             << Status::BadRequest;
    QTest::newRow("chunked over limit")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n") + QByteArray(100, 'x') +
               "\r\n1\r\nx\r\n0\r\n\r\n"
        << Status::BodyTooLarge;
    QTest::newRow("long header") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: ") + big + "\r\n\r\n"
                                 << Status::HeadersTooLarge;
    QTest::newRow("long target") << QByteArray("GET /") + big + " HTTP/1.1\r\nHost: a\r\n\r\n"
                                 << Status::HeadersTooLarge;
    QTest::newRow("many headers") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n") +
                                         QByteArray("X: y\r\n").repeated(300) + "\r\n"
                                  << Status::HeadersTooLarge;
    QTest::newRow("unterminated head") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: ") + big
                                       << Status::HeadersTooLarge;
}

void TestHttpRequestParser::verdict() {
    QFETCH(QByteArray, input);
    QFETCH(Status, expected);
    for (const qsizetype step : {qsizetype(0), qsizetype(1), qsizetype(7)}) {
        HttpRequestParser parser(testLimits());
        const auto result = feedAll(parser, input, step);
        QVERIFY2(result.status == expected, qPrintable(QStringLiteral("step %1: got %2, error '%3'")
                                                           .arg(step)
                                                           .arg(int(result.status))
                                                           .arg(QString::fromLatin1(parser.errorMessage()))));
        if (expected != Status::Ok && expected != Status::Incomplete)
            QVERIFY(!parser.errorMessage().isEmpty());
    }
}

void TestHttpRequestParser::fields_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("xValue");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");

    QTest::newRow("get with query") << QByteArray("GET /v1/x?a=b HTTP/1.1\r\nHost: a\r\nX-Test:  v w \r\n\r\n")
                                    << QByteArray("GET") << QByteArray("/v1/x") << QByteArray("v w") << QByteArray()
                                    << true;
    QTest::newRow("empty value") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-Test:\r\n\r\n") << QByteArray("GET")
                                 << QByteArray("/") << QByteArray() << QByteArray() << true;
    QTest::newRow("connection close") << QByteArray("HEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                                      << QByteArray("HEAD") << QByteArray("/") << QByteArray() << QByteArray() << false;
    QTest::newRow("http/1.0") << QByteArray("GET / HTTP/1.0\r\nx-test: 1\r\n\r\n") << QByteArray("GET")
                              << QByteArray("/") << QByteArray("1") << QByteArray() << false;
    QTest::newRow("http/1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                                         << QByteArray("GET") << QByteArray("/") << QByteArray() << QByteArray()
                                         << true;
    QTest::newRow("chunked with trailer")
        << QByteArray("POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\nX-Test: t\r\n\r\n"
                      "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Test: trailer\r\n\r\n")
        << QByteArray("POST") << QByteArray("/p") << QByteArray("t") << QByteArray("abcde") << true;
}

void TestHttpRequestParser::fields() {
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, xValue);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    for (const qsizetype step : {qsizetype(0), qsizetype(1), qsizetype(3)}) {
        HttpRequestParser parser(testLimits());
        QCOMPARE(feedAll(parser, input, step).status, Status::Ok);
        const HttpRequest request = parser.takeRequest();
        QCOMPARE(request.method, method);
        QCOMPARE(request.path(), path);
        QCOMPARE(request.header("x-TEST"), xValue);
        QCOMPARE(request.body, body);
        QCOMPARE(request.keepAlive, keepAlive);
        QCOMPARE(parser.isHead(), method == "HEAD");
    }
}

void TestHttpRequestParser::pipelinedRequestsStopAfterEach() {
    const QByteArray first("POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab");
    const QByteArray second("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
    const QByteArray all = first + second;
    HttpRequestParser parser(testLimits());
    auto result = parser.feed(all.constData(), all.size());
    QCOMPARE(result.status, Status::Ok);
    QCOMPARE(result.consumed, first.size());
    // Until the first request is taken, the parser refuses to move on.
    QCOMPARE(parser.feed(all.constData() + first.size(), second.size()).status, Status::Ok);
    QCOMPARE(parser.takeRequest().target, QByteArray("/1"));
    result = parser.feed(all.constData() + first.size(), second.size());
    QCOMPARE(result.status, Status::Ok);
    QCOMPARE(result.consumed, second.size());
    QCOMPARE(parser.takeRequest().target, QByteArray("/2"));
}

void TestHttpRequestParser::continueOnlyWhileBodyPending() {
    const QByteArray head("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
    HttpRequestParser parser(testLimits());
    QCOMPARE(parser.feed(head.constData(), head.size()).status, Status::Incomplete);
    QVERIFY(parser.takeContinue());
    QVERIFY(!parser.takeContinue());
    QCOMPARE(parser.feed("abc", 3).status, Status::Ok);
    QCOMPARE(parser.takeRequest().body, QByteArray("abc"));

    // Head and body together: the client did not wait, so no interim response is due.
    HttpRequestParser whole(testLimits());
    const QByteArray all = head + "abc";
    QCOMPARE(whole.feed(all.constData(), all.size()).status, Status::Ok);
    QVERIFY(!whole.takeContinue());
}

void TestHttpRequestParser::errorIsSticky() {
    HttpRequestParser parser(testLimits());
    QCOMPARE(parser.feed("\x16\x03\x01", 3).status, Status::BadRequest);
    const QByteArray good("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QCOMPARE(parser.feed(good.constData(), good.size()).status, Status::BadRequest);
}

namespace {
struct Watcher final : airlock::BodyWatcher {
    QByteArray seen;
    int ends = 0;
    int dataAfterEnd = 0;
    int references = 0; // pieces given as a reference into the buffer fed
    const char *fed = nullptr;
    qsizetype fedSize = 0;
    void bodyData(const char *data, qsizetype size) override {
        dataAfterEnd += ends;
        seen.append(data, size);
    }
    void bodyDataIn(const QByteArray &buffer, qsizetype offset, qsizetype size) override {
        // Only ever into the buffer the parser was given, never a copy of it.
        if (buffer.constData() == fed && buffer.size() == fedSize && offset >= 0 && offset + size <= fedSize)
            ++references;
        bodyData(buffer.constData() + offset, size);
    }
    void bodyEnd() override { ++ends; }
};

// Feeds input in pieces of step bytes, each as its own buffer, the way HttpConnection does.
HttpRequestParser::Result feedBuffers(HttpRequestParser &parser, const QByteArray &input, qsizetype step,
                                      Watcher *watcher) {
    qsizetype pos = 0;
    HttpRequestParser::Result result;
    do {
        const QByteArray buffer = input.mid(pos, step == 0 ? input.size() - pos : step);
        watcher->fed = buffer.constData();
        watcher->fedSize = buffer.size();
        result = parser.feed(buffer, 0);
        pos += result.consumed;
    } while (result.status == Status::Incomplete && pos < input.size());
    return result;
}
} // namespace

// HttpLimits::watchBody is asked once per request, after the head, and what it returns sees
// every body byte (de-chunked) in order, then the end, and goes on with the request.
void TestHttpRequestParser::watcherSeesTheBodyAsItArrives_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("step");
    QTest::addColumn<QByteArray>("body");
    const QByteArray sized("POST /v1/fetch HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
    const QByteArray chunked("POST /v1/fetch HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    for (qsizetype step : {qsizetype(0), qsizetype(1), qsizetype(7)}) {
        QTest::addRow("content-length, step %lld", qlonglong(step)) << sized << step << QByteArray("hello world");
        QTest::addRow("chunked, step %lld", qlonglong(step)) << chunked << step << QByteArray("hello world");
    }
}

void TestHttpRequestParser::watcherSeesTheBodyAsItArrives() {
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, step);
    QFETCH(QByteArray, body);
    HttpLimits limits = testLimits();
    int asked = 0;
    QByteArray askedFor;
    std::shared_ptr<Watcher> watcher = std::make_shared<Watcher>();
    limits.watchBody = [&](const HttpRequest &head) -> std::shared_ptr<airlock::BodyWatcher> {
        ++asked;
        askedFor =
            head.method + ' ' + head.target + ' ' + head.header("host") + ' ' + QByteArray::number(head.body.size());
        return watcher;
    };
    HttpRequestParser parser(limits);
    QCOMPARE(feedAll(parser, input, step).status, Status::Ok);
    const HttpRequest request = parser.takeRequest();
    QCOMPARE(asked, 1);
    QCOMPARE(askedFor, QByteArray("POST /v1/fetch a 0"));
    QCOMPARE(watcher->seen, body);
    QCOMPARE(watcher->ends, 1);
    QCOMPARE(watcher->dataAfterEnd, 0);
    QCOMPARE(request.body, body);
    QCOMPARE(request.bodyWatcher.get(), watcher.get());
    QCOMPARE(watcher->references, 0); // fed by pointer: nothing to keep a reference to

    // Fed buffers (asked again: a new request), the same bytes go to the watcher as references into those buffers.
    watcher = std::make_shared<Watcher>();
    HttpRequestParser buffered(limits);
    QCOMPARE(feedBuffers(buffered, input, step, watcher.get()).status, Status::Ok);
    QCOMPARE(buffered.takeRequest().body, body);
    QCOMPARE(watcher->seen, body);
    QCOMPARE(watcher->ends, 1);
    QVERIFY(watcher->references > 0);

    // The next request on the connection is asked about afresh; declining leaves it unwatched.
    limits.watchBody = [&](const HttpRequest &) -> std::shared_ptr<airlock::BodyWatcher> {
        ++asked;
        return nullptr;
    };
    HttpRequestParser declining(limits);
    QCOMPARE(feedAll(declining, input, step).status, Status::Ok);
    QCOMPARE(asked, 3);
    QVERIFY(!declining.takeRequest().bodyWatcher);
}

void TestHttpRequestParser::answeredFromHead_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("step");
    const QByteArray length = "POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 90\r\n\r\n";
    const QByteArray chunked = "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    QTest::newRow("length, head only") << length << qsizetype(0);
    QTest::newRow("length, with body bytes") << length + QByteArray(40, 'b') << qsizetype(0);
    QTest::newRow("length, byte by byte") << length + "bb" << qsizetype(1);
    QTest::newRow("chunked, with a chunk") << chunked + "5\r\nhello\r\n" << qsizetype(0);
}

void TestHttpRequestParser::answeredFromHead() {
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, step);
    HttpLimits limits = testLimits();
    QList<QByteArray> asked;
    limits.answerFromHead = [&asked](const HttpRequest &head) {
        asked.append(head.target);
        return true;
    };
    bool watched = false;
    limits.watchBody = [&watched](const HttpRequest &) {
        watched = true;
        return std::shared_ptr<airlock::BodyWatcher>();
    };
    HttpRequestParser parser(limits);
    const auto result = feedAll(parser, input, step);
    QCOMPARE(result.status, Status::Ok);
    QCOMPARE(asked, QList<QByteArray>{"/x"});
    QVERIFY(!watched);
    QVERIFY(!parser.takeContinue()); // no 100 Continue for a body that will not be read
    const HttpRequest request = parser.takeRequest();
    QVERIFY(request.bodyUnread);
    QVERIFY(request.body.isEmpty());
    QVERIFY(!request.keepAlive);
    // What follows is the unread body, not a next request.
    const QByteArray next = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    QCOMPARE(parser.feed(next.constData(), next.size()).status, Status::BadRequest);
}

QTEST_APPLESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
