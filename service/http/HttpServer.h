#pragma once

#include "http/HttpConnection.h"

#include <QHostAddress>
#include <QObject>

class QTcpServer;
class QTcpSocket;

namespace airlock {

// The server knows the application only through this interface.
class IRequestHandler {
public:
    virtual ~IRequestHandler() = default;
    // Called once per complete request. The handler answers on connection, now or later
    // (the connection stays valid until its closed() signal).
    virtual void handleRequest(HttpConnection *connection, const HttpRequest &request) = 0;
};

// Accepts connections, caps their number (a connection over the cap gets 503 and is
// closed) and owns them.
class HttpServer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)
public:
    HttpServer(IRequestHandler *handler, HttpLimits limits, int maxConnections = 256, QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    int connectionCount() const;

private:
    void onNewConnection();
    void reject(QTcpSocket *socket);

    QTcpServer *m_server;
    IRequestHandler *m_handler;
    HttpLimits m_limits;
    int m_maxConnections;
    int m_connections = 0;
};

} // namespace airlock
