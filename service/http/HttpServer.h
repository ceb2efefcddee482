#pragma once

#include "http/HttpConnection.h"

#include <QHostAddress>
#include <QList>
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
// closed) and owns them. Connections that have not yet completed a first request head
// ("half-open") have a smaller budget of their own inside the cap: when it is full, the oldest
// half-open connection is closed to make room for the new one. Refusing the new one instead
// would let a client holding the budget shut everyone out for a whole head timeout; closing
// the oldest means a client that sends its head promptly is served however many half-open
// connections arrive, and the cap's other slots only ever go to clients that sent a head.
class HttpServer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)
public:
    HttpServer(IRequestHandler *handler, HttpLimits limits, int maxConnections = 256, int maxHalfOpen = 64,
               QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    int connectionCount() const;
    int halfOpenCount() const;
    quint64 refusedConnections() const; // over the cap: answered 503
    quint64 droppedHalfOpen() const;    // closed to make room under the half-open budget

Q_SIGNALS:
    void connectionRefused(); // refusedConnections() grew
    void halfOpenDropped();   // droppedHalfOpen() grew

private:
    void onNewConnection();
    void reject(QTcpSocket *socket);
    void dropOldestHalfOpen();
    void closeOldestIdle(); // at the cap: the oldest connection served and waiting, if any

    QTcpServer *m_server;
    IRequestHandler *m_handler;
    HttpLimits m_limits;
    int m_maxConnections;
    int m_maxHalfOpen;
    int m_connections = 0;
    QList<HttpConnection *> m_halfOpen; // oldest first
    QList<HttpConnection *> m_all;      // every open connection, oldest first
    quint64 m_refused = 0;
    quint64 m_dropped = 0;
};

} // namespace airlock
