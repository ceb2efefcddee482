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

HttpServer::HttpServer(IRequestHandler *handler, HttpLimits limits, int maxConnections, QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_handler(handler)
    , m_limits(std::move(limits))
    , m_maxConnections(maxConnections) {
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

void HttpServer::onNewConnection() {
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections >= m_maxConnections) {
            reject(socket);
            continue;
        }
        ++m_connections;
        auto *connection = new HttpConnection(socket, m_limits, this);
        connect(connection, &HttpConnection::requestReady, this,
                [this, connection](const HttpRequest &request) { m_handler->handleRequest(connection, request); });
        connect(connection, &HttpConnection::closed, this, [this, connection] {
            --m_connections;
            connection->deleteLater();
        });
    }
}

void HttpServer::reject(QTcpSocket *socket) {
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
