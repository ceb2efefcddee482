#pragma once

#include "http/HttpLimits.h"
#include "http/HttpRequest.h"
#include "http/HttpRequestParser.h"
#include "http/HttpResponse.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

class QTcpSocket;

namespace airlock {

// One client connection: parses requests with llhttp, enforces the limits, and writes
// responses, either whole or streamed with backpressure (bytesToWrite + bytesWritten).
// One request at a time: pipelined requests wait until the current response has ended.
// Refusals of the HTTP layer itself (400, 408, 413, 417, 431) are answered here with the
// JSON error shape and the connection is closed. A new connection must complete its first
// request head within HttpLimits::firstHeadTimeoutMs; until then it is "half-open" and the
// server may drop it (see HttpServer).
class HttpConnection final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)
public:
    HttpConnection(QTcpSocket *socket, const HttpLimits &limits, QObject *parent = nullptr);
    ~HttpConnection() override;

    // Whole response. Content-Length is set here; Connection: close when the request asked for it.
    void sendResponse(int status, const HeaderList &headers, const QByteArray &body);

    // Streamed response: contentLength >= 0 sends Content-Length, -1 sends chunked.
    void beginResponse(int status, const HeaderList &headers, qint64 contentLength);
    void writeBody(const QByteArray &data);
    void endResponse();   // completes the message (final chunk for chunked)
    void abortResponse(); // closes the connection at once, without completing any message

    qint64 bytesToWrite() const;
    bool isOpen() const;
    bool headReceived() const; // the head of a first request was complete and accepted
    // Served and waiting for a next request that has not begun: closing it loses nothing.
    bool idleBetweenRequests() const;
    QByteArray peerDescription() const;

Q_SIGNALS:
    void requestReady(const airlock::HttpRequest &request);
    void bytesWritten(qint64 bytes);
    void closed();    // the client went away or the connection was closed; emitted once
    void firstHead(); // headReceived() became true; emitted once, not after closed()

private:
    enum class TimerKind { None, Idle, Request, WriteStall, Linger };

    void onReadyRead();
    void onBytesWritten(qint64 bytes);
    void onTimeout();
    void processInput();
    void deliver();
    void refuse(HttpRequestParser::Status status);
    void sendError(int status, const char *code, const QByteArray &message);
    bool canWrite() const;
    void writeHead(int status, const HeaderList &headers, qint64 contentLength);
    void finishResponse();
    void closeGracefully();
    void shutdownWrite();
    void abortConnection();
    void markClosed();
    void markHeadReceived();
    void onFirstHeadTimeout();
    void startTimer(TimerKind kind, int ms);
    void stopTimer();

    std::unique_ptr<HttpRequestParser> m_parser;
    QTcpSocket *m_socket;
    HttpLimits m_limits;
    QTimer m_timer;
    QTimer m_firstHeadTimer;
    TimerKind m_timerKind = TimerKind::None;
    QByteArray m_peer;

    QByteArray m_pending; // bytes read from the socket, not yet consumed by the parser
    qsizetype m_pendingPos = 0;
    bool m_processing = false;
    bool m_responding = false; // a request was delivered and its response has not ended
    bool m_closing = false;    // last response written or refusal sent; draining towards close
    bool m_closed = false;
    bool m_writeShutdown = false;
    bool m_headReceived = false;

    // Current response.
    BodyFraming m_framing = BodyFraming::None;
    qint64 m_bodyRemaining = 0;
    bool m_keepAlive = true;
    bool m_head = false;
    bool m_http10 = false;
};

} // namespace airlock
