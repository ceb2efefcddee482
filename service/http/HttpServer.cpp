#include "http/HttpServer.h"

#include "http/HttpResponse.h"

#include <QLoggingCategory>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace airlock {

namespace {

Q_LOGGING_CATEGORY(lcHttp, "airlock.http")

// A refused connection gets this long to take its 503 before it is dropped.
constexpr int kRejectGraceMs = 1'000;

} // namespace

HttpServer::HttpServer(IRequestHandler *handler, HttpLimits limits, int maxConnections, int maxHalfOpen,
                       QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_handler(handler)
    , m_limits(std::move(limits))
    , m_maxConnections(maxConnections)
    , m_maxHalfOpen(qMax(1, maxHalfOpen)) {
    connect(m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error) {
    if (m_server->listen(address, port))
        return true;
    if (error)
        *error = m_server->errorString();
    return false;
}

quint16 HttpServer::port() const {
    return m_server->serverPort();
}

int HttpServer::connectionCount() const {
    return m_connections;
}

int HttpServer::halfOpenCount() const {
    return int(m_halfOpen.size());
}

quint64 HttpServer::refusedConnections() const {
    return m_refused;
}

quint64 HttpServer::droppedHalfOpen() const {
    return m_dropped;
}

void HttpServer::onNewConnection() {
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_halfOpen.size() >= m_maxHalfOpen)
            dropOldestHalfOpen();
        if (m_connections >= m_maxConnections)
            closeOldestIdle(); // kept-alive connections waiting for nothing make room
        if (m_connections >= m_maxConnections) {
            reject(socket);
            continue;
        }
        ++m_connections;
        auto *connection = new HttpConnection(socket, m_limits, this);
        m_halfOpen.append(connection);
        m_all.append(connection);
        connect(connection, &HttpConnection::requestReady, this,
                [this, connection](const HttpRequest &request) { m_handler->handleRequest(connection, request); });
        connect(connection, &HttpConnection::firstHead, this, [this, connection] { m_halfOpen.removeOne(connection); });
        connect(connection, &HttpConnection::closed, this, [this, connection] {
            m_halfOpen.removeOne(connection);
            m_all.removeOne(connection);
            --m_connections;
            connection->deleteLater();
        });
    }
}

void HttpServer::closeOldestIdle() {
    for (HttpConnection *connection : std::as_const(m_all)) {
        if (connection->idleBetweenRequests()) {
            connection->abortResponse(); // nothing in flight; its closed() frees the slot
            return;
        }
    }
}

void HttpServer::dropOldestHalfOpen() {
    HttpConnection *oldest = m_halfOpen.takeFirst();
    ++m_dropped;
    // One line for the first and then every 1000th: a flood must not become a log flood.
    if (m_dropped % 1000 == 1)
        qCWarning(lcHttp).noquote() << m_maxHalfOpen
                                    << "connections without a complete request head; closing the oldest,"
                                    << oldest->peerDescription() << "(" << m_dropped << "so far)";
    Q_EMIT halfOpenDropped();
    oldest->abortResponse(); // closes at once; its closed() frees the slot
}

void HttpServer::reject(QTcpSocket *socket) {
    ++m_refused;
    Q_EMIT connectionRefused();
    qCWarning(lcHttp) << "connection cap" << m_maxConnections << "reached; refusing a connection";
    socket->write(HttpResponse::error(503, "busy", "too many connections"));
    socket->disconnectFromHost();
    if (socket->state() == QAbstractSocket::UnconnectedState) {
        socket->deleteLater();
        return;
    }
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(kRejectGraceMs, socket, [socket] { socket->abort(); });
}

} // namespace airlock
