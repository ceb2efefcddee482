#include "http/HttpServer.h"

#include "HttpTestClient.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <memory>
#include <optional>

using namespace airlock;
using airlock::test::Client;
using airlock::test::Response;
using airlock::test::takeResponse;

namespace {

class TestHandler final : public IRequestHandler {
public:
    std::function<void(HttpConnection *, const HttpRequest &)> onRequest;
    int calls = 0;
    QList<HttpRequest> requests;

    void handleRequest(HttpConnection *connection, const HttpRequest &request) override {
        ++calls;
        requests.append(request);
        if (onRequest) {
            onRequest(connection, request);
            return;
        }
        connection->sendResponse(200, {{"Content-Type", "text/plain"}, {"X-Path", request.target}},
                                 request.method + ' ' + request.body);
    }
};

HttpLimits smallLimits(int headerTimeoutMs = 10'000, int idleTimeoutMs = 10'000) {
    HttpLimits limits;
    limits.maxHeaderBytes = 16 * 1024;
    limits.maxBodyBytes = [] {
        return qint64(1000);
    };
    limits.headerTimeoutMs = headerTimeoutMs;
    limits.idleTimeoutMs = idleTimeoutMs;
    return limits;
}

} // namespace

class TestHttpServer final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void keepAliveServesTwoRequests();
    void pipelinedRequestsAnsweredInOrder();
    void chunkedRequestBody();
    void refusals_data();
    void refusals();
    void bodyTooLargeAnsweredBeforeBody();
    void bodyTooLargeWhileClientKeepsSending();
    void expectContinue();
    void expectContinueTooLarge();
    void headerTimeout();
    void idleConnectionClosedSilently();
    void connectionCloseRequestClosesAfterResponse();
    void http10_data();
    void http10();
    void headResponseHasNoBody();
    void connectionCap();
    void halfOpenClientsDoNotStarveNewClient();
    void halfOpenBudgetClosesOldest();
    void idleKeptConnectionsMakeRoomAtTheCap();
    void firstHeadTimeout_data();
    void firstHeadTimeout();
    void answerFromHead_data();
    void answerFromHead();
    void answerFromHeadNotAskedWithoutBody();
    void streamedResponse_data();
    void streamedResponse();
    void abortResponseTruncates_data();
    void abortResponseTruncates();
    void clientDisconnectMidResponseEmitsClosed();
    void unsafeResponseHeaderDropped();

private:
    void startServer(HttpLimits limits, int maxConnections = 256, int maxHalfOpen = 64);

    TestHandler m_handler;
    std::unique_ptr<HttpServer> m_server;
};

void TestHttpServer::init() {
    m_handler = TestHandler{};
}

void TestHttpServer::cleanup() {
    m_server.reset();
}

void TestHttpServer::startServer(HttpLimits limits, int maxConnections, int maxHalfOpen) {
    m_server = std::make_unique<HttpServer>(&m_handler, std::move(limits), maxConnections, maxHalfOpen);
    QString error;
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
}

void TestHttpServer::keepAliveServesTwoRequests() {
    startServer(smallLimits());
    Client client(m_server->port());
    client.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n");
    auto first = client.read();
    QVERIFY(first);
    QCOMPARE(first->status, 200);
    QCOMPARE(first->header("x-path"), QByteArray("/one"));
    QVERIFY(first->header("connection").isEmpty());
    client.send("POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
    auto second = client.read();
    QVERIFY(second);
    QCOMPARE(second->body, QByteArray("POST hello"));
    QVERIFY(!client.eof);
    QCOMPARE(m_server->connectionCount(), 1);
}

void TestHttpServer::pipelinedRequestsAnsweredInOrder() {
    startServer(smallLimits());
    int inFlight = 0;
    int maxInFlight = 0;
    m_handler.onRequest = [&](HttpConnection *connection, const HttpRequest &request) {
        maxInFlight = qMax(maxInFlight, ++inFlight);
        // Answer later, so a connection that parsed ahead would show up as two in flight.
        QPointer<HttpConnection> guard(connection);
        QTimer::singleShot(20, [guard, request, &inFlight] {
            --inFlight;
            if (guard)
                guard->sendResponse(200, {{"X-Path", request.target}}, request.body);
        });
    };
    Client client(m_server->port());
    client.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
                "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                "GET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
    for (const char *path : {"/1", "/2", "/3"}) {
        auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->header("x-path"), QByteArray(path));
    }
    QCOMPARE(m_handler.calls, 3);
    QCOMPARE(maxInFlight, 1);
    QCOMPARE(m_handler.requests.at(1).body, QByteArray("abc"));
}

void TestHttpServer::chunkedRequestBody() {
    startServer(smallLimits());
    Client client(m_server->port());
    client.send("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
    client.pump();
    client.send("lo\r\n6\r\n world\r\n0\r\n\r\n");
    auto response = client.read();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->body, QByteArray("POST hello world"));
}

void TestHttpServer::refusals_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");

    QTest::newRow("headers too large") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-Big: ") + QByteArray(17000, 'b') +
                                              "\r\n\r\n"
                                       << 431 << "headers_too_large";
    QTest::newRow("CL and TE")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        << 400 << "bad_request";
    QTest::newRow("duplicate CL")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc") << 400
        << "bad_request";
    QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n") << 400
                              << "bad_request";
    QTest::newRow("TE gzip") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n") << 400
                             << "bad_request";
    QTest::newRow("garbage") << QByteArray("\x7f\x45LF garbage garbage\r\n\r\n") << 400 << "bad_request";
    QTest::newRow("tls client hello") << QByteArray::fromHex("160301020001000200030386a1b2c3d4e5f6") << 400
                                      << "bad_request";
    QTest::newRow("unknown expect") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nExpect: telepathy\r\n\r\n") << 417
                                    << "expectation_failed";
}

void TestHttpServer::refusals() {
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(QString, code);
    startServer(smallLimits());
    Client client(m_server->port());
    client.send(input);
    auto response = client.read();
    QVERIFY(response);
    QCOMPARE(response->status, status);
    QCOMPARE(response->header("content-type"), QByteArray("application/json"));
    QCOMPARE(response->header("x-airlock-decision"), QByteArray("blocked"));
    QCOMPARE(response->header("connection"), QByteArray("close"));
    const QJsonObject json = QJsonDocument::fromJson(response->body).object();
    QCOMPARE(json.value("code").toString(), code);
    QVERIFY(!json.value("error").toString().isEmpty());
    QVERIFY(client.waitClosed());
    QCOMPARE(m_handler.calls, 0);
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::bodyTooLargeAnsweredBeforeBody() {
    startServer(smallLimits());
    Client client(m_server->port());
    // Only the head is sent: the answer must not wait for a body that never comes.
    client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n");
    auto response = client.read();
    QVERIFY(response);
    QCOMPARE(response->status, 413);
    const QJsonObject json = QJsonDocument::fromJson(response->body).object();
    QCOMPARE(json.value("code").toString(), QStringLiteral("body_too_large"));
    QCOMPARE(json.value("error").toString(), QStringLiteral("request body exceeds 1000 bytes"));
    QVERIFY(client.waitClosed());
    QCOMPARE(m_handler.calls, 0);
}

void TestHttpServer::bodyTooLargeWhileClientKeepsSending() {
    startServer(smallLimits());
    Client client(m_server->port());
    // A client that does not wait for the answer: the refusal must still reach it, not be lost
    // to a reset caused by closing with its body bytes unread.
    client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4000000\r\n\r\n");
    client.send(QByteArray(4'000'000, 'b'));
    auto response = client.read();
    QVERIFY(response);
    QCOMPARE(response->status, 413);
    QVERIFY(client.waitClosed());
}

void TestHttpServer::expectContinue() {
    startServer(smallLimits());
    Client client(m_server->port());
    client.send("POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    auto interim = client.read();
    QVERIFY(interim);
    QCOMPARE(interim->status, 100);
    QCOMPARE(m_handler.calls, 0);
    client.send("body");
    auto response = client.read();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->body, QByteArray("POST body"));
}

void TestHttpServer::expectContinueTooLarge() {
    startServer(smallLimits());
    Client client(m_server->port());
    client.send("POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
    auto response = client.read();
    QVERIFY(response);
    QCOMPARE(response->status, 413); // never a 100 first
    QVERIFY(client.waitClosed());
}

void TestHttpServer::headerTimeout() {
    startServer(smallLimits(200, 10'000));
    Client client(m_server->port());
    client.send("GET / HTTP/1.1\r\nHo");
    auto response = client.read();
    QVERIFY(response);
    QCOMPARE(response->status, 408);
    QCOMPARE(QJsonDocument::fromJson(response->body).object().value("code").toString(),
             QStringLiteral("request_timeout"));
    QVERIFY(client.waitClosed());
}

void TestHttpServer::idleConnectionClosedSilently() {
    startServer(smallLimits(10'000, 200));
    Client client(m_server->port());
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QVERIFY(client.read());
    QVERIFY(client.waitClosed());
    QVERIFY(client.buffer.isEmpty());
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::connectionCloseRequestClosesAfterResponse() {
    startServer(smallLimits());
    Client client(m_server->port());
    client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /ignored HTTP/1.1\r\nHost: a\r\n\r\n");
    auto response = client.read();
    QVERIFY(response);
    QCOMPARE(response->header("connection"), QByteArray("close"));
    QVERIFY(client.waitClosed());
    QCOMPARE(m_handler.calls, 1);
}

void TestHttpServer::http10_data() {
    QTest::addColumn<bool>("streamed");
    QTest::newRow("whole") << false;
    QTest::newRow("streamed, unknown length") << true;
}

void TestHttpServer::http10() {
    QFETCH(bool, streamed);
    startServer(smallLimits());
    if (streamed) {
        m_handler.onRequest = [](HttpConnection *connection, const HttpRequest &) {
            connection->beginResponse(200, {}, -1);
            connection->writeBody("part1 ");
            connection->writeBody("part2");
            connection->endResponse();
        };
    }
    Client client(m_server->port());
    client.send("GET / HTTP/1.0\r\n\r\n");
    QVERIFY(client.waitClosed());
    auto response = takeResponse(client.buffer, true);
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->header("connection"), QByteArray("close"));
    QVERIFY(response->header("transfer-encoding").isEmpty()); // HTTP/1.0 has no chunked coding
    QCOMPARE(response->body, streamed ? QByteArray("part1 part2") : QByteArray("GET "));
}

void TestHttpServer::headResponseHasNoBody() {
    startServer(smallLimits());
    m_handler.onRequest = [](HttpConnection *connection, const HttpRequest &request) {
        if (request.method == "HEAD") {
            connection->beginResponse(200, {}, 12345);
            connection->writeBody("must not appear");
            connection->endResponse();
        } else {
            connection->sendResponse(200, {}, "after");
        }
    };
    Client client(m_server->port());
    client.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
    auto head = client.read(true);
    QVERIFY(head);
    QCOMPARE(head->header("content-length"), QByteArray("12345"));
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    auto next = client.read();
    QVERIFY(next);
    QCOMPARE(next->body, QByteArray("after")); // no stray HEAD body bytes in between
}

void TestHttpServer::connectionCap() {
    startServer(smallLimits(), 2);
    Client a(m_server->port());
    Client b(m_server->port());
    QTRY_COMPARE(m_server->connectionCount(), 2);
    Client c(m_server->port());
    auto response = c.read();
    QVERIFY(response);
    QCOMPARE(response->status, 503);
    QCOMPARE(QJsonDocument::fromJson(response->body).object().value("code").toString(), QStringLiteral("busy"));
    QCOMPARE(response->header("x-airlock-decision"), QByteArray("blocked"));
    QVERIFY(c.waitClosed());
    QCOMPARE(m_server->connectionCount(), 2);

    // A slot freed is a slot usable again.
    a.socket.abort();
    QTRY_COMPARE(m_server->connectionCount(), 1);
    Client d(m_server->port());
    d.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    auto ok = d.read();
    QVERIFY(ok);
    QCOMPARE(ok->status, 200);
}

void TestHttpServer::halfOpenClientsDoNotStarveNewClient() {
    startServer(smallLimits());
    std::vector<std::unique_ptr<Client>> idle;
    for (int i = 0; i < 50; ++i) {
        idle.push_back(std::make_unique<Client>(m_server->port()));
        if (i % 3 == 1)
            idle.back()->send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\npartial"); // slow body
        else if (i % 3 == 2)
            idle.back()->send("GET / HTTP/1.1\r\nX-Slow: "); // slow head
    }
    QTRY_COMPARE(m_server->connectionCount(), 50);
    Client fresh(m_server->port());
    fresh.send("GET /fresh HTTP/1.1\r\nHost: a\r\n\r\n");
    auto response = fresh.read();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->header("x-path"), QByteArray("/fresh"));
    for (const auto &client : idle)
        QVERIFY(!client->eof);
}

void TestHttpServer::idleKeptConnectionsMakeRoomAtTheCap() {
    // Clients that were served and keep their connections open for nothing must not hold every
    // slot: at the cap, the oldest such connection is closed for a newcomer.
    startServer(smallLimits(), 4, 2);
    std::vector<std::unique_ptr<Client>> kept;
    for (int i = 0; i < 4; ++i) {
        kept.push_back(std::make_unique<Client>(m_server->port()));
        kept.back()->send("GET /k HTTP/1.1\r\nHost: a\r\n\r\n");
        QVERIFY(kept.back()->read());
    }
    QCOMPARE(m_server->connectionCount(), 4);
    Client late(m_server->port());
    late.send("GET /late HTTP/1.1\r\nHost: a\r\n\r\n");
    const auto answer = late.read();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QVERIFY(kept.front()->waitClosed()); // the oldest made room
    QCOMPARE(m_server->refusedConnections(), quint64(0));
    // The others still work.
    kept.back()->send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
    const auto again = kept.back()->read();
    QVERIFY(again);
    QCOMPARE(again->status, 200);
}

void TestHttpServer::halfOpenBudgetClosesOldest() {
    startServer(smallLimits(), 20, 4);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("connections without a complete request head"));
    // Two clients that sent a whole request keep their connections: they are not half-open.
    std::vector<std::unique_ptr<Client>> working;
    for (int i = 0; i < 2; ++i) {
        working.push_back(std::make_unique<Client>(m_server->port()));
        working.back()->send("GET /w HTTP/1.1\r\nHost: a\r\n\r\n");
        QVERIFY(working.back()->read());
    }
    std::vector<std::unique_ptr<Client>> halfOpen;
    for (int i = 0; i < 10; ++i) {
        halfOpen.push_back(std::make_unique<Client>(m_server->port()));
        halfOpen.back()->send("GET /h HTTP/1.1\r\nHost: a\r\n"); // no blank line
        // Each one accepted is either still half-open or was closed to make room.
        QTRY_COMPARE(m_server->droppedHalfOpen() + quint64(m_server->halfOpenCount()), quint64(i + 1));
    }
    QCOMPARE(m_server->connectionCount(), 2 + 4);
    QCOMPARE(m_server->halfOpenCount(), 4);
    QCOMPARE(m_server->droppedHalfOpen(), quint64(6));
    for (int i = 0; i < 6; ++i)
        QVERIFY2(halfOpen[i]->waitClosed(), qPrintable(QString::number(i))); // the oldest went first
    for (int i = 6; i < 10; ++i)
        QVERIFY(!halfOpen[i]->eof);
    // A newcomer that sends its head at once is served; the working clients still are.
    Client fresh(m_server->port());
    fresh.send("GET /fresh HTTP/1.1\r\nHost: a\r\n\r\n");
    auto response = fresh.read();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(m_server->droppedHalfOpen(), quint64(7));
    for (const auto &client : working) {
        client->send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
        auto again = client->read();
        QVERIFY(again);
        QCOMPARE(again->status, 200);
    }
    // A half-open connection completing its head leaves the budget and is served.
    halfOpen[9]->send("\r\n");
    auto late = halfOpen[9]->read();
    QVERIFY(late);
    QCOMPARE(late->header("x-path"), QByteArray("/h"));
    QTRY_COMPARE(m_server->halfOpenCount(), 2);
}

void TestHttpServer::firstHeadTimeout_data() {
    QTest::addColumn<QByteArray>("sent");
    QTest::addColumn<int>("status"); // 0: closed without an answer
    QTest::newRow("nothing") << QByteArray() << 0;
    QTest::newRow("partial head") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n") << 408;
}

void TestHttpServer::firstHeadTimeout() {
    QFETCH(QByteArray, sent);
    QFETCH(int, status);
    HttpLimits limits = smallLimits(60'000, 60'000);
    limits.firstHeadTimeoutMs = 300;
    startServer(limits);
    Client client(m_server->port());
    if (!sent.isEmpty())
        client.send(sent);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(client.waitClosed(10'000));
    QVERIFY(clock.elapsed() < 9'000); // well before the 60 s header and idle timeouts
    auto response = takeResponse(client.buffer, true);
    QCOMPARE(response ? response->status : 0, status);
    QTRY_COMPARE(m_server->connectionCount(), 0);

    // A connection that sent its head in time is not cut by it while its body arrives.
    Client slow(m_server->port());
    slow.send("POST /slow HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab");
    QTest::qWait(800);
    QVERIFY(!slow.eof);
    slow.send("cd");
    auto answered = slow.read();
    QVERIFY(answered);
    QCOMPARE(answered->body, QByteArray("POST abcd"));
}

void TestHttpServer::answerFromHead_data() {
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("answered"); // from the head, without its body
    const QByteArray big = "Content-Length: 900\r\n";
    QTest::newRow("refused, length") << "POST /no HTTP/1.1\r\nHost: a\r\n" + big + "\r\n" << true;
    QTest::newRow("refused, chunked") << QByteArray(
                                             "POST /no HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
                                      << true;
    QTest::newRow("refused, expect 100-continue")
        << "POST /no HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n" + big + "\r\n"
        << true;
    QTest::newRow("accepted") << "POST /yes HTTP/1.1\r\nHost: a\r\n" + big + "\r\n" << false;
}

void TestHttpServer::answerFromHead() {
    QFETCH(QByteArray, request);
    QFETCH(bool, answered);
    HttpLimits limits = smallLimits();
    int asked = 0;
    limits.answerFromHead = [&asked](const HttpRequest &head) {
        ++asked;
        return head.path() == "/no";
    };
    startServer(limits);
    m_handler.onRequest = [](HttpConnection *connection, const HttpRequest &r) {
        connection->sendResponse(r.bodyUnread ? 401 : 200, {}, r.bodyUnread ? QByteArray("unread") : r.body.left(3));
    };
    Client client(m_server->port());
    client.send(request);
    if (answered) {
        auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 401); // not 100 Continue first
        QCOMPARE(response->body, QByteArray("unread"));
        QCOMPARE(response->header("connection"), QByteArray("close"));
        QCOMPARE(m_handler.requests.size(), 1);
        QVERIFY(m_handler.requests.first().body.isEmpty());
        QVERIFY(m_handler.requests.first().body.capacity() < 900); // nothing reserved for it either
        client.send(QByteArray(900, 'x'));                         // the body, late: drained and dropped
        QVERIFY(client.waitClosed());
        QCOMPARE(m_handler.calls, 1);
    } else {
        client.send(QByteArray(900, 'x'));
        auto response = client.read();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->body, QByteArray("xxx"));
        QVERIFY(!client.eof);
    }
    QCOMPARE(asked, 1);
}

void TestHttpServer::answerFromHeadNotAskedWithoutBody() {
    HttpLimits limits = smallLimits();
    int asked = 0;
    limits.answerFromHead = [&asked](const HttpRequest &) {
        ++asked;
        return true;
    };
    startServer(limits);
    Client client(m_server->port());
    client.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
    auto first = client.read();
    auto second = client.read();
    QVERIFY(first && second);
    QCOMPARE(second->body, QByteArray("POST "));
    QVERIFY(!client.eof); // a request without a body keeps its connection
    QCOMPARE(asked, 0);
}

void TestHttpServer::streamedResponse_data() {
    QTest::addColumn<bool>("chunked");
    QTest::newRow("chunked") << true;
    QTest::newRow("content-length") << false;
}

void TestHttpServer::streamedResponse() {
    QFETCH(bool, chunked);
    startServer(smallLimits());
    QByteArray expected;
    for (int i = 0; i < 4 * 1024 * 1024 / 16; ++i)
        expected += QByteArray::number(i).rightJustified(15, '0') + '\n';
    m_handler.onRequest = [&](HttpConnection *connection, const HttpRequest &) {
        connection->beginResponse(200, {{"Content-Type", "application/octet-stream"}}, chunked ? -1 : expected.size());
        auto offset = std::make_shared<qsizetype>(0);
        // Backpressure as the API layer does it: write more only when the socket has drained.
        auto pump = [connection, offset, &expected] {
            while (*offset < expected.size() && connection->bytesToWrite() < 256 * 1024) {
                const QByteArray piece = expected.mid(*offset, 100'000);
                *offset += piece.size();
                connection->writeBody(piece);
            }
            if (*offset == expected.size()) {
                *offset = expected.size() + 1;
                connection->endResponse();
            }
        };
        QObject::connect(connection, &HttpConnection::bytesWritten, connection, pump);
        pump();
    };
    Client client(m_server->port());
    client.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
    auto response = client.read(false, 30'000);
    QVERIFY(response);
    QVERIFY(response->complete);
    QCOMPARE(response->header("transfer-encoding"), chunked ? QByteArray("chunked") : QByteArray());
    QCOMPARE(response->body.size(), expected.size());
    QVERIFY(response->body == expected);
    QVERIFY(!client.eof);
}

void TestHttpServer::abortResponseTruncates_data() {
    QTest::addColumn<qint64>("contentLength");
    QTest::newRow("content-length") << qint64(1000);
    QTest::newRow("chunked") << qint64(-1);
}

void TestHttpServer::abortResponseTruncates() {
    QFETCH(qint64, contentLength);
    startServer(smallLimits());
    m_handler.onRequest = [contentLength](HttpConnection *connection, const HttpRequest &) {
        connection->beginResponse(200, {}, contentLength);
        connection->writeBody(QByteArray(100, 'x'));
        QTimer::singleShot(20, connection, [connection] { connection->abortResponse(); });
    };
    Client client(m_server->port());
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QVERIFY(client.waitClosed());
    auto response = takeResponse(client.buffer, true);
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QVERIFY(!response->complete);
    QVERIFY(response->body.size() < 1000);
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::clientDisconnectMidResponseEmitsClosed() {
    startServer(smallLimits());
    QPointer<HttpConnection> held;
    std::unique_ptr<QSignalSpy> closedSpy;
    m_handler.onRequest = [&](HttpConnection *connection, const HttpRequest &) {
        held = connection;
        closedSpy = std::make_unique<QSignalSpy>(connection, &HttpConnection::closed);
        connection->beginResponse(200, {}, 1'000'000);
        connection->writeBody(QByteArray(10, 'x'));
    };
    Client client(m_server->port());
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QTRY_VERIFY(closedSpy);
    QCOMPARE(closedSpy->count(), 0);
    client.socket.abort();
    QTRY_COMPARE(closedSpy->count(), 1);
    QTRY_VERIFY(held.isNull()); // the server deletes closed connections
    QCOMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::unsafeResponseHeaderDropped() {
    startServer(smallLimits());
    m_handler.onRequest = [](HttpConnection *connection, const HttpRequest &) {
        QTest::ignoreMessage(QtWarningMsg, "dropped a response header with invalid characters");
        connection->sendResponse(
            200, {{"X-Evil", "a\r\nSet-Cookie: x=1"}, {"Content-Length", "999"}, {"X-Good", "yes"}}, "ok");
    };
    Client client(m_server->port());
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    auto response = client.read();
    QVERIFY(response);
    QVERIFY(response->header("set-cookie").isEmpty());
    QVERIFY(response->header("x-evil").isEmpty());
    QCOMPARE(response->header("content-length"), QByteArray("2"));
    QCOMPARE(response->header("x-good"), QByteArray("yes"));
    QCOMPARE(response->body, QByteArray("ok"));
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
