#pragma once

#include "TestCa.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QStringList>
#include <QTcpServer>

#include <functional>
#include <memory>
#include <optional>

namespace airlock::test {

using TestHeaders = QList<QPair<QByteArray, QByteArray>>;

// One request as the upstream received it: what the Airlock actually sent.
struct RecordedRequest {
    int connection = 0; // 1-based serial of the TCP connection it arrived on
    QByteArray method;
    QByteArray target;     // request-target as sent: /path?query
    TestHeaders headers;   // in order, names as sent
    QByteArray body;       // up to TestUpstream::recordBodyLimit() bytes
    qint64 bodySize = 0;   // full size, even when body was cut
    QByteArray bodySha256; // hex, of the full body
    QString sniHost;       // server_name of the TLS ClientHello; empty when absent or plain

    QByteArray header(const QByteArray &name) const; // first match, case-insensitive; empty if absent
    bool hasHeader(const QByteArray &name) const;
    QByteArray path() const;  // target without the query
    QByteArray query() const; // without '?'
};

// How TestUpstream sends the generated body (see GeneratedBody.h), or bytes given in content.
struct GeneratedResponse {
    qint64 size = 0;                   // ignored when content is set
    std::optional<QByteArray> content; // the body instead of the generated sequence; Range and faults apply alike
    bool chunked = false;              // Transfer-Encoding: chunked instead of Content-Length
    bool honourRange = true;           // a single "Range: bytes=" range gets 206 + Content-Range (416 if unsatisfiable)
    qint64 dieAfter = -1;              // close the connection after this many body bytes (framing left incomplete)
    qint64 stallAfter = -1;            // stop after this many body bytes and keep the connection open
    qint64 corruptAt = -1;             // offset in the representation whose byte is sent inverted (a damaged store)
    int status = 200;
    TestHeaders headers; // extra response headers; Content-Type defaults to application/octet-stream
};

// The single "Range: bytes=" range sendGenerated honours, for a representation of `size` bytes:
// nullopt when absent or not one TestUpstream serves (the whole body is sent then).
struct ByteRange {
    qint64 first = 0;
    qint64 last = -1;
    bool unsatisfiable = false; // well-formed but outside the representation: 416
};
std::optional<ByteRange> parseByteRange(const QByteArray &value, qint64 size);

class TestConnection;

// The handler's handle on one request. Copyable; it may be kept and used later (a delayed
// answer). Calls after the connection went away, or a second answer, are ignored.
class Responder {
public:
    void reply(int status, const TestHeaders &headers = {}, const QByteArray &body = {});
    void redirect(int status, const QByteArray &location, const TestHeaders &headers = {});
    void sendGenerated(const GeneratedResponse &spec);
    void writeRaw(const QByteArray &bytes, bool closeAfter); // anything, for malformed responses
    void stall();                                            // answer nothing, keep the connection open
    void close();                                            // close without an answer
    bool isValid() const;

private:
    friend class TestConnection;
    QPointer<TestConnection> m_connection;
    quint64 m_request = 0;
};

using TestHandler = std::function<void(const RecordedRequest &, Responder &)>;

// A local HTTPS (or plain HTTP) server for tests, modelled on KIO's HttpServerThread: listens on
// 127.0.0.1 at a random port with a certificate for the given names from a TestCa, answers each
// request through a std::function handler, and records every connection and request so a test
// can assert what an upstream received, including nothing at all. The server name the client
// asked for (SNI) is read from the ClientHello before the handshake. Without a handler it serves
// standardRoutes(): GET/HEAD /bytes/<N>, GET /chunked/<N>, POST|PUT /echo, GET /redirect?to=<url>,
// GET /status/<code>.
class TestUpstream final : public QTcpServer {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestUpstream)
public:
    static QStringList defaultHostNames(); // huggingface.co, cdn-lfs.huggingface.co, cdn-lfs.hf.co, ...

    // ca == nullptr: a TestCa of its own. hostNames: names on the certificate.
    explicit TestUpstream(TestCa *ca = nullptr, const QStringList &hostNames = defaultHostNames(),
                          QObject *parent = nullptr);
    ~TestUpstream() override;

    bool start(quint16 port = 0, const QHostAddress &address = QHostAddress::LocalHost);
    void setTls(bool tls) { m_tls = tls; } // before start(); plain HTTP when false
    void setHandler(TestHandler handler) { m_handler = std::move(handler); }
    void setRecordBodyLimit(qint64 bytes) { m_recordBodyLimit = bytes; }
    qint64 recordBodyLimit() const { return m_recordBodyLimit; }
    void setRecording(bool on) { m_recording = on; } // off: nothing kept (long benchmarks)

    quint16 port() const { return serverPort(); }
    TestCa *ca() const { return m_ca; }
    QString caFilePath() { return m_ca->caFilePath(); }
    QSslConfiguration clientConfiguration() const { return m_ca->clientConfiguration(); }

    QList<RecordedRequest> requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    int connectionCount() const { return m_connections; } // every accepted TCP connection
    int openConnections() const { return m_open; }
    int abortedResponses() const { return m_aborted; } // peer went away before the response was complete
    qint64 bodyBytesSent() const { return m_bodyBytesSent; }
    bool receivedNothing() const { return m_connections == 0 && m_requests.isEmpty(); }
    void clearRecords();
    int closeIdleConnections(); // kept-alive connections waiting for a request: closed at once

    static void standardRoutes(const RecordedRequest &request, Responder &responder);

Q_SIGNALS:
    void requestReceived(const airlock::test::RecordedRequest &request);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    friend class TestConnection;
    void peekClientHello(qintptr fd, int serial);
    void beginConnection(qintptr fd, int serial, const QString &sni);
    void dispatch(const RecordedRequest &request, Responder &responder);

    TestCa *m_ca;
    std::unique_ptr<TestCa> m_ownCa;
    QSslConfiguration m_serverConfig;
    QStringList m_hostNames;
    TestHandler m_handler;
    QList<RecordedRequest> m_requests;
    qint64 m_recordBodyLimit = 16 * 1024 * 1024;
    bool m_recording = true;
    bool m_tls = true;
    int m_connections = 0;
    int m_open = 0;
    int m_aborted = 0;
    qint64 m_bodyBytesSent = 0;
};

} // namespace airlock::test
