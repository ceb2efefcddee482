#include "http/HttpConnection.h"

#include <QLoggingCategory>
#include <QScopedValueRollback>
#include <QTcpSocket>

#include <sys/socket.h>

namespace airlock {

namespace {

Q_LOGGING_CATEGORY(lcHttp, "airlock.http")

// Bounds what Qt buffers from a client while a response is in progress, so a client
// pipelining without reading cannot grow memory; TCP flow control does the rest.
constexpr qint64 kReadBufferSize = 256 * 1024;
// Whole responses up to this size go out as one write; larger bodies are handed to the
// socket as they are (Qt keeps a reference, no copy).
constexpr qsizetype kCoalesceLimit = 64 * 1024;
// After the last response on a connection: how long to drain the client's leftover bytes
// so that closing does not reset the connection before it has read the response.
constexpr int kLingerMs = 2'000;

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpLimits &limits, QObject *parent)
    : QObject(parent)
    , m_parser(std::make_unique<HttpRequestParser>(limits))
    , m_socket(socket)
    , m_limits(limits) {
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kReadBufferSize);
    m_peer = m_socket->peerAddress().toString().toLatin1() + ':' + QByteArray::number(m_socket->peerPort());
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    m_firstHeadTimer.setSingleShot(true);
    connect(&m_firstHeadTimer, &QTimer::timeout, this, &HttpConnection::onFirstHeadTimeout);
    m_firstHeadTimer.start(m_limits.firstHeadTimeoutMs);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::markClosed);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) { markClosed(); });
    // A fresh connection gets no more time to start its first request than a request gets to arrive.
    startTimer(TimerKind::Idle, qMin(m_limits.idleTimeoutMs, m_limits.headerTimeoutMs));
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &HttpConnection::markClosed, Qt::QueuedConnection);
    else if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

qint64 HttpConnection::bytesToWrite() const {
    return m_closed ? 0 : m_socket->bytesToWrite();
}

bool HttpConnection::isOpen() const {
    return !m_closed;
}

bool HttpConnection::headReceived() const {
    return m_headReceived;
}

void HttpConnection::markHeadReceived() {
    if (m_headReceived || m_closed)
        return;
    m_headReceived = true;
    m_firstHeadTimer.stop();
    Q_EMIT firstHead();
}

void HttpConnection::onFirstHeadTimeout() {
    if (m_headReceived || m_closed || m_closing)
        return;
    qCInfo(lcHttp).noquote() << m_peer << "no complete request head in" << m_limits.firstHeadTimeoutMs << "ms";
    if (m_parser->inRequest()) {
        sendError(408, "request_timeout", "request not received in time");
        return;
    }
    stopTimer();
    m_closing = true;
    m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        markClosed();
}

QByteArray HttpConnection::peerDescription() const {
    return m_peer;
}

bool HttpConnection::idleBetweenRequests() const {
    return headReceived() && !m_responding && m_timerKind == TimerKind::Idle && !m_closing && m_socket &&
           m_socket->bytesAvailable() == 0 && bytesToWrite() == 0;
}

void HttpConnection::startTimer(TimerKind kind, int ms) {
    m_timerKind = kind;
    m_timer.start(ms);
}

void HttpConnection::stopTimer() {
    m_timer.stop();
    m_timerKind = TimerKind::None;
}

void HttpConnection::onReadyRead() {
    if (m_closing) {
        m_socket->skip(m_socket->bytesAvailable()); // draining before close; nothing more is parsed
        return;
    }
    processInput();
}

void HttpConnection::processInput() {
    if (m_processing)
        return; // re-entered from a handler answering synchronously; the outer loop continues
    const QScopedValueRollback guard(m_processing, true);
    while (!m_closed && !m_closing && !m_responding) {
        if (m_pendingPos >= m_pending.size()) {
            m_pending.clear();
            m_pendingPos = 0;
            const qint64 available = m_socket->bytesAvailable();
            if (available <= 0)
                break;
            m_pending = m_socket->read(available);
        }
        // m_pending is only ever replaced, never changed: a body watcher may keep a reference.
        const auto result = m_parser->feed(m_pending, m_pendingPos);
        m_pendingPos += result.consumed;
        if (!m_headReceived && (m_parser->headComplete() || result.status == HttpRequestParser::Status::Ok))
            markHeadReceived();
        if (m_parser->inRequest() && m_timerKind == TimerKind::Idle)
            startTimer(TimerKind::Request, m_limits.headerTimeoutMs);
        if (m_parser->takeContinue())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");

        switch (result.status) {
        case HttpRequestParser::Status::Incomplete:
            break;
        case HttpRequestParser::Status::Ok:
            deliver();
            break;
        default:
            refuse(result.status);
            return;
        }
    }
}

void HttpConnection::deliver() {
    const HttpRequest request = m_parser->takeRequest();
    m_keepAlive = request.keepAlive;
    m_head = m_parser->isHead();
    m_http10 = m_parser->isHttp10();
    m_responding = true;
    m_framing = BodyFraming::None;
    stopTimer();
    Q_EMIT requestReady(request);
}

void HttpConnection::refuse(HttpRequestParser::Status status) {
    using Status = HttpRequestParser::Status;
    switch (status) {
    case Status::HeadersTooLarge:
        sendError(431, "headers_too_large",
                  "request line and headers exceed " + QByteArray::number(m_limits.maxHeaderBytes) + " bytes");
        break;
    case Status::BodyTooLarge:
        sendError(413, "body_too_large",
                  "request body exceeds " + QByteArray::number(m_parser->maxBodyBytes()) + " bytes");
        break;
    case Status::ExpectationFailed:
        sendError(417, "expectation_failed", "unsupported Expect header");
        break;
    default:
        sendError(400, "bad_request", m_parser->errorMessage());
        break;
    }
}

void HttpConnection::sendError(int status, const char *code, const QByteArray &message) {
    qCInfo(lcHttp).noquote() << m_peer << "refused with" << status << code;
    m_socket->write(HttpResponse::error(status, code, message));
    closeGracefully();
}

bool HttpConnection::canWrite() const {
    return m_responding && !m_closed && !m_closing;
}

void HttpConnection::writeHead(int status, const HeaderList &headers, qint64 contentLength) {
    if (m_head || !HttpResponse::statusHasBody(status))
        m_framing = BodyFraming::None;
    else if (contentLength >= 0)
        m_framing = BodyFraming::ContentLength;
    else if (m_http10)
        m_framing = BodyFraming::CloseDelimited;
    else
        m_framing = BodyFraming::Chunked;
    if (m_framing == BodyFraming::CloseDelimited)
        m_keepAlive = false;
    m_bodyRemaining = contentLength;
    m_socket->write(HttpResponse::head(status, headers, m_framing, contentLength, m_keepAlive, m_http10));
}

void HttpConnection::sendResponse(int status, const HeaderList &headers, const QByteArray &body) {
    if (!canWrite())
        return;
    const bool withBody = !m_head && HttpResponse::statusHasBody(status) && !body.isEmpty();
    QByteArray head = HttpResponse::head(
        status, headers, HttpResponse::statusHasBody(status) ? BodyFraming::ContentLength : BodyFraming::None,
        body.size(), m_keepAlive, m_http10);
    if (withBody && body.size() <= kCoalesceLimit) {
        m_socket->write(head + body);
    } else {
        m_socket->write(head);
        if (withBody)
            m_socket->write(body);
    }
    m_framing = BodyFraming::None;
    finishResponse();
}

void HttpConnection::beginResponse(int status, const HeaderList &headers, qint64 contentLength) {
    if (!canWrite())
        return;
    writeHead(status, headers, contentLength);
}

void HttpConnection::writeBody(const QByteArray &data) {
    if (!canWrite() || data.isEmpty())
        return;
    switch (m_framing) {
    case BodyFraming::None:
        return;
    case BodyFraming::ContentLength:
        if (data.size() > m_bodyRemaining) {
            qCWarning(lcHttp).noquote() << m_peer << "response body longer than its Content-Length; aborting";
            abortResponse();
            return;
        }
        m_bodyRemaining -= data.size();
        m_socket->write(data);
        break;
    case BodyFraming::Chunked: {
        // One buffer per chunk: a copy is cheaper than three socket writes and wake-ups.
        const QByteArray prefix = HttpResponse::chunkPrefix(data.size());
        QByteArray framed;
        framed.reserve(prefix.size() + data.size() + 2);
        framed.append(prefix).append(data).append("\r\n", 2);
        m_socket->write(framed);
        break;
    }
    case BodyFraming::CloseDelimited:
        m_socket->write(data);
        break;
    }
    if (m_timerKind != TimerKind::WriteStall && m_socket->bytesToWrite() > 0)
        startTimer(TimerKind::WriteStall, m_limits.idleTimeoutMs);
}

void HttpConnection::endResponse() {
    if (!canWrite())
        return;
    if (m_framing == BodyFraming::ContentLength && m_bodyRemaining != 0) {
        qCWarning(lcHttp).noquote() << m_peer << "response ended before its Content-Length; aborting";
        abortResponse();
        return;
    }
    if (m_framing == BodyFraming::Chunked)
        m_socket->write("0\r\n\r\n");
    finishResponse();
}

void HttpConnection::abortResponse() {
    if (m_closed)
        return;
    abortConnection();
}

void HttpConnection::finishResponse() {
    m_responding = false;
    m_framing = BodyFraming::None;
    if (!m_keepAlive) {
        closeGracefully();
        return;
    }
    if (m_socket->bytesToWrite() > 0)
        startTimer(TimerKind::WriteStall, m_limits.idleTimeoutMs);
    else
        startTimer(TimerKind::Idle, m_limits.idleTimeoutMs);
    // Pipelined requests are picked up from the event loop, never from inside the handler's call.
    QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
}

void HttpConnection::onBytesWritten(qint64 bytes) {
    Q_EMIT bytesWritten(bytes);
    if (m_closed)
        return;
    const bool flushed = m_socket->bytesToWrite() == 0;
    if (m_closing) {
        if (flushed)
            shutdownWrite();
        else
            startTimer(TimerKind::WriteStall, m_limits.idleTimeoutMs);
        return;
    }
    if (m_timerKind == TimerKind::WriteStall) {
        if (!flushed)
            startTimer(TimerKind::WriteStall, m_limits.idleTimeoutMs); // progress: the client is reading
        else if (m_responding)
            stopTimer();
        else if (m_parser->inRequest())
            startTimer(TimerKind::Request, m_limits.headerTimeoutMs);
        else
            startTimer(TimerKind::Idle, m_limits.idleTimeoutMs);
    }
}

void HttpConnection::closeGracefully() {
    if (m_closing || m_closed)
        return;
    m_closing = true;
    m_responding = false;
    m_pending.clear();
    m_pendingPos = 0;
    m_socket->skip(m_socket->bytesAvailable());
    if (m_socket->bytesToWrite() == 0)
        shutdownWrite();
    else
        startTimer(TimerKind::WriteStall, m_limits.idleTimeoutMs);
}

void HttpConnection::shutdownWrite() {
    if (m_writeShutdown || m_closed)
        return;
    m_writeShutdown = true;
    // Half-close: the client sees the end of our response, and bytes it is still sending
    // are drained instead of making the kernel reset the connection under its reader.
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    startTimer(TimerKind::Linger, qMin(kLingerMs, m_limits.headerTimeoutMs));
}

void HttpConnection::abortConnection() {
    if (m_closed)
        return;
    // SO_LINGER 0 makes the close a reset, so even a close-delimited body reads as truncated.
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0) {
        const struct linger hard { 1, 0 };
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    m_socket->abort();
    markClosed();
}

void HttpConnection::onTimeout() {
    const TimerKind kind = m_timerKind;
    m_timerKind = TimerKind::None;
    switch (kind) {
    case TimerKind::Idle:
        m_closing = true;
        m_socket->disconnectFromHost();
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            markClosed();
        break;
    case TimerKind::Request:
        if (!m_responding && !m_closing)
            sendError(408, "request_timeout", "request not received in time");
        break;
    case TimerKind::WriteStall:
        qCInfo(lcHttp).noquote() << m_peer << "client stopped reading; closing";
        abortConnection();
        break;
    case TimerKind::Linger:
        m_socket->abort();
        markClosed();
        break;
    case TimerKind::None:
        break;
    }
}

void HttpConnection::markClosed() {
    if (m_closed)
        return;
    m_closed = true;
    m_responding = false;
    stopTimer();
    m_firstHeadTimer.stop();
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    Q_EMIT closed();
}

} // namespace airlock
