#pragma once

#include "admin/AdminProtocol.h"

#include <QHash>
#include <QJsonObject>
#include <QLocalSocket>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace airlock::admin {

// The answer to one request. ok=false carries a stable code ("not_permitted", "invalid_entry",
// "write_failed", "invalid_policy", "disconnected", "refused", ...) and a one-line message.
struct AdminReply {
    bool ok = false;
    QJsonObject result;
    QString code;
    QString error;
};

// Asynchronous client of airlockd's admin socket, used by airlockctl and the GUI. Requests are
// matched to answers by id; each may carry a callback (called exactly once, also with
// ok=false/"disconnected" if the connection ends first), and every answer is also signalled.
// Unasked frames from the server (decision events, transfer snapshots, state changes) arrive as
// signals. Requests made before the connection is up are queued and sent once it is. With
// auto-reconnect on, a lost connection is retried every interval until disconnectFromServer().
class AdminClient final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminClient)
public:
    using Callback = std::function<void(const AdminReply &)>;

    explicit AdminClient(QObject *parent = nullptr);
    ~AdminClient() override;

    void setAutoReconnect(bool enabled, int intervalMs = 2000);
    void connectToServer(const QString &socketPath);
    void disconnectFromServer();

    // True once the server's hello arrived (and it did not refuse us).
    bool isReady() const { return m_ready; }
    QString role() const { return m_role; } // "admin", "viewer", or empty before hello
    bool isAdmin() const { return m_role == QLatin1String("admin"); }
    QString serverVersion() const { return m_serverVersion; }
    QString socketPath() const { return m_path; }

    // Sends a request; returns its id. The callback, if any, runs once with the answer.
    qint64 send(Command command, const QJsonObject &args = {}, Callback callback = {});

    // Typed conveniences over send().
    qint64 status(Callback cb = {}) { return send(Command::Status, {}, std::move(cb)); }
    qint64 setEnabled(bool enabled, Callback cb = {});
    qint64 lockdown(const QString &reason, Callback cb = {});
    qint64 unlock(Callback cb = {}) { return send(Command::Unlock, {}, std::move(cb)); }
    qint64 getPolicy(Callback cb = {}) { return send(Command::GetPolicy, {}, std::move(cb)); }
    // entry: its text, or {host, methods, via} as allow_add takes it.
    qint64 allowAdd(const QJsonValue &entry, Callback cb = {});
    qint64 allowRemove(const QString &entry, Callback cb = {});
    qint64 allowReplace(const QStringList &entries, Callback cb = {});
    qint64 reload(Callback cb = {}) { return send(Command::Reload, {}, std::move(cb)); }
    qint64 recentEvents(int limit = 100, Callback cb = {});
    qint64 subscribeEvents(Callback cb = {}) { return send(Command::SubscribeEvents, {}, std::move(cb)); }
    qint64 listTransfers(Callback cb = {}) { return send(Command::ListTransfers, {}, std::move(cb)); }
    qint64 subscribeTransfers(Callback cb = {}) { return send(Command::SubscribeTransfers, {}, std::move(cb)); }

Q_SIGNALS:
    void ready(const QString &role);     // hello received; requests flow
    void refused(const QString &reason); // the server would not let us in
    void disconnected();                 // the connection ended (or could not be made)
    void errorOccurred(const QString &message);
    void replyReceived(qint64 id, const airlock::admin::AdminReply &reply);
    void decisionEvent(const QJsonObject &event);                     // one decision or finished transfer
    void transfersEvent(const QJsonObject &snapshot);                 // {transfers:[...]}
    void stateEvent(const QJsonObject &state);                        // {enabled, lockdown, lockdown_reason, ...}
    void droppedEvent(const QJsonObject &data);                       // {count, total}: events we were too slow for
    void eventReceived(const QString &name, const QJsonObject &data); // every unasked frame

private:
    void onConnected();
    void onReadyRead();
    void onDisconnected();
    void onSocketError(QLocalSocket::LocalSocketError error);
    void handleFrame(const QJsonObject &frame);
    void failAll(const QString &code, const QString &message);
    void flushOutbox();
    void scheduleReconnect();

    QLocalSocket *m_socket = nullptr;
    FrameReader m_reader;
    QString m_path;
    QString m_role;
    QString m_serverVersion;
    bool m_ready = false;
    bool m_wanted = false; // the user asked for a connection (and has not dropped it)
    bool m_autoReconnect = false;
    QTimer m_reconnect;
    qint64 m_nextId = 1;
    QByteArray m_outbox; // frames waiting for the connection
    QHash<qint64, Callback> m_callbacks;
    QString m_refusal;
};

} // namespace airlock::admin
