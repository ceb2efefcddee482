#pragma once

#include "admin/AdminCommands.h"
#include "admin/PeerCredentials.h"

#include <QJsonObject>
#include <QList>
#include <QObject>

#include <functional>

class QLocalServer;
class QLocalSocket;

namespace airlock {

// The admin socket. Every connection's peer credentials are read from the kernel and turned
// into a role before any byte from it is read; a peer with no role gets one refusal frame and
// is disconnected. Answers go to the asking connection; decision events, transfer snapshots and
// state changes are pushed to the connections that asked for them. A connection that does not
// read never slows the service: past a cap of queued bytes its events are dropped and counted,
// and it is told how many once it catches up.
class AdminServer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminServer)
public:
    // role lookup: the policy may change which groups count, so it is asked per connection.
    using AdminSettingsSource = std::function<AdminSettings()>;

    AdminServer(AdminContext context, AdminSettingsSource settings, QObject *parent = nullptr);
    ~AdminServer() override;

    // Creates the parent folder if missing, removes a stale socket (refuses if a live server
    // answers on it), listens, and sets the socket to 0660.
    bool listen(const QString &path, QString *error);
    QString path() const { return m_path; }

    int connectionCount() const { return int(m_connections.size()); }
    qint64 refusedCount() const { return m_refused; }
    qint64 droppedCount() const { return m_droppedTotal; }

    static constexpr qint64 MaxQueuedEventBytes = 256 * 1024; // per connection, then events drop
    static constexpr qint64 MaxQueuedBytes = 8 * 1024 * 1024; // answers too: then disconnect
    static constexpr int MaxConnections = 64;

    void broadcastState();

private:
    struct Connection;

    void onNewConnection();
    void onReadyRead(Connection *c);
    void handleFrame(Connection *c, const QJsonObject &frame);
    void send(Connection *c, const QByteArray &bytes);
    bool deliverEvent(Connection *c, const QByteArray &bytes); // false when dropped
    void onBytesWritten(Connection *c);
    void onEvent(const QJsonObject &event);
    void onTransfers(const QJsonObject &snapshot);
    void refuse(QLocalSocket *socket, const QString &why, const QString &who);
    void remove(Connection *c);

    AdminContext m_ctx;
    AdminCommands m_commands;
    AdminSettingsSource m_settings;
    QLocalServer *m_server = nullptr;
    QString m_path;
    QList<Connection *> m_connections;
    qint64 m_refused = 0;
    qint64 m_droppedTotal = 0;
};

} // namespace airlock
