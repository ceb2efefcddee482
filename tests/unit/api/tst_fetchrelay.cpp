#include "GeneratedBody.h"
#include "TestCa.h"
#include "TestUpstream.h"
#include "api/FetchRelay.h"
#include "http/HttpServer.h"
#include "upstream/Resolver.h"
#include "upstream/ResponseParser.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

using namespace airlock;
using namespace airlock::test;

namespace {

CanonicalUrl url(const QString &text) {
    const UrlResult r = canonicalizeUrl(text);
    if (!r.url)
        qFatal("test URL does not canonicalise: %s", qPrintable(r.message));
    return *r.url;
}

class Handler final : public IRequestHandler {
public:
    std::function<void(HttpConnection *, const HttpRequest &)> onRequest;
    void handleRequest(HttpConnection *connection, const HttpRequest &request) override {
        onRequest(connection, request);
    }
};

// What the client of the Airlock saw, read with the same parser the upstream side uses.
struct ClientView {
    ResponseParser::Status status = ResponseParser::Status::Incomplete;
    int code = 0;
    HeaderList headers;
    qint64 bytes = 0;
    QByteArray firstBytes; // up to 4 KiB
    bool bytesOk = true;

    QByteArray header(const QByteArray &name) const { return headerValue(headers, name); }
};

} // namespace

class TestFetchRelay final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void completeRelay_data();
    void completeRelay();
    void head();
    void upstreamDiesMidBody_data();
    void upstreamDiesMidBody();
    void responseTooLarge_data();
    void responseTooLarge();
    void clientLeavingAbortsUpstream();
    void refusalBeforeResponse();
    void clientGoneBeforeStartSendsNothing();

private:
    // The next request to the Airlock's HTTP server is relayed from upstreamUrl.
    void relayNext(const QString &upstreamUrl, const QString &method = QStringLiteral("GET"),
                   qint64 maxResponseSize = 0);
    // Sends one request to the server and reads the answer until it ends or the connection closes.
    ClientView request(qint64 stopAfter = -1);

    std::unique_ptr<TestCa> m_ca;
    std::unique_ptr<TestUpstream> m_upstream;
    std::unique_ptr<Resolver> m_resolver;
    UpstreamConfig m_config;
    Handler m_handler;
    std::unique_ptr<HttpServer> m_server;
    std::optional<RelayResult> m_result;
};

void TestFetchRelay::init() {
    m_ca = std::make_unique<TestCa>();
    QVERIFY(m_ca->isValid());
    m_upstream = std::make_unique<TestUpstream>(m_ca.get());
    QVERIFY(m_upstream->start());
    m_resolver = std::make_unique<Resolver>(QList<ConnectTo>{
        ConnectTo{QStringLiteral("huggingface.co"), 443, QStringLiteral("127.0.0.1"), m_upstream->port()}});
    m_config = UpstreamConfig();
    m_config.ssl = m_ca->clientConfiguration();
    m_server = std::make_unique<HttpServer>(&m_handler, HttpLimits{});
    QString error;
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    m_result.reset();
}

void TestFetchRelay::cleanup() {
    m_server.reset();
    m_resolver.reset();
    m_upstream.reset();
    m_ca.reset();
}

void TestFetchRelay::relayNext(const QString &upstreamUrl, const QString &method, qint64 maxResponseSize) {
    m_handler.onRequest = [this, upstreamUrl, method, maxResponseSize](HttpConnection *connection,
                                                                       const HttpRequest &) {
        auto *fetch = new UpstreamFetch(m_resolver.get(), m_config, HopJudge{});
        auto *relay = new FetchRelay(connection, fetch, "req-1", method == QLatin1String("HEAD"), maxResponseSize);
        connect(relay, &FetchRelay::finished, this, [this](const RelayResult &result) { m_result = result; });
        relay->start(url(upstreamUrl), method, {}, {});
    };
}

ClientView TestFetchRelay::request(qint64 stopAfter) {
    QTcpSocket socket;
    ResponseParser parser(false);
    ClientView view;
    GeneratedBodyChecker checker;
    QEventLoop loop;
    bool ended = false;
    // Driven by the socket's signals: the body is read as it arrives, nothing waits for a poll.
    auto consume = [&](bool closed) {
        const QByteArray data = socket.readAll();
        if (!data.isEmpty())
            view.status = parser.feed(data).status;
        while (parser.bufferedBytes() > 0) {
            const QByteArray chunk = parser.readBody(1 << 20);
            if (view.firstBytes.size() < 4096)
                view.firstBytes += chunk.left(4096 - view.firstBytes.size());
            view.bytes += chunk.size();
            checker.feed(chunk);
        }
        if (closed && view.status == ResponseParser::Status::Incomplete)
            view.status = parser.finish(true);
        if (view.status != ResponseParser::Status::Incomplete || (stopAfter >= 0 && view.bytes >= stopAfter)) {
            ended = true;
            loop.quit();
        }
    };
    connect(&socket, &QTcpSocket::readyRead, this, [&] { consume(false); });
    connect(&socket, &QTcpSocket::disconnected, this, [&] { consume(true); });
    QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    socket.write("POST /v1/fetch HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
    loop.exec();
    if (!ended)
        qWarning("the response did not end");
    view.code = parser.status();
    view.headers = parser.headers();
    view.bytesOk = checker.ok();
    disconnect(&socket, nullptr, this, nullptr);
    socket.abort();
    return view;
}

void TestFetchRelay::completeRelay_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<bool>("chunked");
    QTest::newRow("content-length") << "/bytes/3000000" << qint64(3'000'000) << false;
    QTest::newRow("chunked") << "/chunked/3000000" << qint64(3'000'000) << true;
    QTest::newRow("empty") << "/bytes/0" << qint64(0) << false;
}

void TestFetchRelay::completeRelay() {
    QFETCH(QString, path);
    QFETCH(qint64, size);
    QFETCH(bool, chunked);
    relayNext(QStringLiteral("https://huggingface.co") + path);
    const ClientView view = request();
    QCOMPARE(view.status, ResponseParser::Status::Complete);
    QCOMPARE(view.code, 200);
    QCOMPARE(view.bytes, size);
    QVERIFY(view.bytesOk);
    // The upstream's framing is kept: a length when it sent one, chunks when it did not.
    QCOMPARE(view.header("Content-Length"), chunked ? QByteArray() : QByteArray::number(size));
    QCOMPARE(view.header("Transfer-Encoding"), chunked ? QByteArray("chunked") : QByteArray());
    QCOMPARE(view.header("X-Airlock-Request-Id"), QByteArray("req-1"));
    QCOMPARE(view.header("X-Airlock-Decision"), QByteArray("allowed"));
    QCOMPARE(view.header("X-Airlock-Upstream-Url"), (QStringLiteral("https://huggingface.co") + path).toUtf8());
    QTRY_VERIFY(m_result.has_value());
    QCOMPARE(outcomeName(m_result->outcome), QStringLiteral("complete"));
    QCOMPARE(m_result->status, 200);
    QCOMPARE(m_result->bytesDown, size);
    QCOMPARE(m_result->finalUrl, url(QStringLiteral("https://huggingface.co") + path));
}

// HEAD: an empty body here, the upstream's length in a header of its own.
void TestFetchRelay::head() {
    relayNext(QStringLiteral("https://huggingface.co/bytes/123456"), QStringLiteral("HEAD"));
    const ClientView view = request();
    QCOMPARE(view.status, ResponseParser::Status::Complete);
    QCOMPARE(view.code, 200);
    QCOMPARE(view.bytes, 0);
    QCOMPARE(view.header("Content-Length"), QByteArray("0"));
    QCOMPARE(view.header("X-Airlock-Upstream-Content-Length"), QByteArray("123456"));
    QCOMPARE(m_upstream->requests().first().method, QByteArray("HEAD"));
    QTRY_VERIFY(m_result.has_value());
    QCOMPARE(outcomeName(m_result->outcome), QStringLiteral("complete"));
}

// The client must be able to tell: the message is left unfinished, never ended cleanly.
void TestFetchRelay::upstreamDiesMidBody_data() {
    QTest::addColumn<bool>("chunked");
    QTest::newRow("content-length") << false;
    QTest::newRow("chunked") << true;
}

void TestFetchRelay::upstreamDiesMidBody() {
    QFETCH(bool, chunked);
    m_upstream->setHandler([chunked](const RecordedRequest &, Responder &respond) {
        GeneratedResponse spec;
        spec.size = 4 * 1024 * 1024;
        spec.chunked = chunked;
        spec.dieAfter = 1024 * 1024 + 5;
        respond.sendGenerated(spec);
    });
    relayNext(QStringLiteral("https://huggingface.co/die"));
    const ClientView view = request();
    QCOMPARE(view.status, ResponseParser::Status::Truncated);
    QCOMPARE(view.code, 200);
    QVERIFY(view.bytes <= 1024 * 1024 + 5);
    QVERIFY(view.bytesOk);
    QTRY_VERIFY(m_result.has_value());
    QCOMPARE(outcomeName(m_result->outcome), QStringLiteral("upstream_failed"));
    QCOMPARE(m_result->code, ErrorCode::UpstreamFailed);
}

// Over the policy's limit: refused before a byte when the length says so, cut off (never ended
// cleanly) when it shows only on the way.
void TestFetchRelay::responseTooLarge_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("announced");
    QTest::newRow("content-length over the limit") << "/bytes/2000000" << true;
    QTest::newRow("chunked over the limit") << "/chunked/2000000" << false;
}

void TestFetchRelay::responseTooLarge() {
    QFETCH(QString, path);
    QFETCH(bool, announced);
    relayNext(QStringLiteral("https://huggingface.co") + path, QStringLiteral("GET"), 1'000'000);
    const ClientView view = request();
    if (announced) {
        QCOMPARE(view.status, ResponseParser::Status::Complete);
        QCOMPARE(view.code, 502);
        QCOMPARE(view.header("X-Airlock-Decision"), QByteArray("blocked"));
        const QJsonObject error = QJsonDocument::fromJson(view.firstBytes).object();
        QCOMPARE(error.value("code").toString(), QStringLiteral("response_too_large"));
    } else {
        QCOMPARE(view.status, ResponseParser::Status::Truncated);
        QCOMPARE(view.code, 200);
        QVERIFY(view.bytes <= 1'000'000);
    }
    QTRY_VERIFY(m_result.has_value());
    QCOMPARE(outcomeName(m_result->outcome), QStringLiteral("response_too_large"));
    QCOMPARE(m_result->code, ErrorCode::ResponseTooLarge);
    QTRY_COMPARE(m_upstream->openConnections(), 0);
}

// A client that goes away takes the upstream transfer with it at once.
void TestFetchRelay::clientLeavingAbortsUpstream() {
    relayNext(QStringLiteral("https://huggingface.co/bytes/1073741824"));
    const ClientView view = request(256 * 1024); // then the client closes
    QVERIFY(view.bytes >= 256 * 1024);
    QTRY_VERIFY(m_result.has_value());
    QCOMPARE(outcomeName(m_result->outcome), QStringLiteral("client_aborted"));
    QTRY_COMPARE(m_upstream->abortedResponses(), 1);
    QTRY_COMPARE(m_upstream->openConnections(), 0);
    QVERIFY(m_upstream->bodyBytesSent() < 1073741824 / 4);
}

// A fetch that fails before its response (here a redirect nobody may judge) is an error answer.
void TestFetchRelay::refusalBeforeResponse() {
    m_upstream->setHandler(
        [](const RecordedRequest &, Responder &respond) { respond.redirect(302, "https://cdn-lfs.hf.co/x"); });
    relayNext(QStringLiteral("https://huggingface.co/start"));
    const ClientView view = request();
    QCOMPARE(view.status, ResponseParser::Status::Complete);
    QCOMPARE(view.code, 403);
    QCOMPARE(QJsonDocument::fromJson(view.firstBytes).object().value("code").toString(),
             QStringLiteral("destination_not_allowed"));
    QTRY_VERIFY(m_result.has_value());
    QCOMPARE(outcomeName(m_result->outcome), QStringLiteral("refused"));
    QCOMPARE(m_upstream->requestCount(), 1);
}

// A relay started for a connection already closed (its client went away while the request was
// judged) sends nothing upstream and ends at once, so the slot it was given is released.
void TestFetchRelay::clientGoneBeforeStartSendsNothing() {
    m_handler.onRequest = [this](HttpConnection *connection, const HttpRequest &) {
        connection->abortResponse(); // closed, and not yet deleted
        QVERIFY(!connection->isOpen());
        auto *fetch = new UpstreamFetch(m_resolver.get(), m_config, HopJudge{});
        auto *relay = new FetchRelay(connection, fetch, "req-gone", false, 0);
        connect(relay, &FetchRelay::finished, this, [this](const RelayResult &result) { m_result = result; });
        relay->start(url(QStringLiteral("https://huggingface.co/bytes/1000")), QStringLiteral("GET"), {}, {});
    };
    request();
    QTRY_VERIFY(m_result.has_value());
    QCOMPARE(outcomeName(m_result->outcome), QStringLiteral("client_aborted"));
    QCOMPARE(m_result->bytesUp, qint64(0));
    QTest::qWait(100);
    QCOMPARE(m_upstream->requestCount(), 0);
    QCOMPARE(m_upstream->connectionCount(), 0);
}

QTEST_GUILESS_MAIN(TestFetchRelay)
#include "tst_fetchrelay.moc"
