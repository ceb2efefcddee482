#include "AdminClient.h"

#include <QFileInfo>
#include <QJsonArray>

namespace airlock::admin {

AdminClient::AdminClient(QObject *parent)
    : QObject(parent)
    , m_socket(new QLocalSocket(this)) {
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, [this] {
        if (m_wanted)
            connectToServer(m_path);
    });
    connect(m_socket, &QLocalSocket::connected, this, &AdminClient::onConnected);
    connect(m_socket, &QLocalSocket::readyRead, this, &AdminClient::onReadyRead);
    connect(m_socket, &QLocalSocket::disconnected, this, &AdminClient::onDisconnected);
    connect(m_socket, &QLocalSocket::errorOccurred, this, &AdminClient::onSocketError);
}

AdminClient::~AdminClient() {
    m_wanted = false;
    m_socket->disconnect(this);
    m_socket->abort();
    // Callbacks may capture objects that are going away with us: drop them unrun.
    m_callbacks.clear();
}

void AdminClient::setAutoReconnect(bool enabled, int intervalMs) {
    m_autoReconnect = enabled;
    m_reconnect.setInterval(intervalMs);
}

void AdminClient::connectToServer(const QString &socketPath) {
    // QLocalSocket reads a relative name as relative to the temporary folder, not to the
    // current one: "--socket .airlock/admin.sock" must mean what it says.
    m_path = socketPath.startsWith(u'/') ? socketPath : QFileInfo(socketPath).absoluteFilePath();
    m_wanted = true;
    m_reconnect.stop();
    if (m_socket->state() != QLocalSocket::UnconnectedState)
        m_socket->abort();
    m_reader = FrameReader();
    m_ready = false;
    m_role.clear();
    m_refusal.clear();
    m_socket->connectToServer(m_path);
}

void AdminClient::disconnectFromServer() {
    m_wanted = false;
    m_reconnect.stop();
    m_outbox.clear();
    if (m_socket->state() != QLocalSocket::UnconnectedState)
        m_socket->disconnectFromServer();
}

qint64 AdminClient::send(Command command, const QJsonObject &args, Callback callback) {
    const qint64 id = m_nextId++;
    if (callback)
        m_callbacks.insert(id, std::move(callback));
    const QByteArray bytes = frame(request(id, command, args));
    if (m_socket->state() == QLocalSocket::ConnectedState)
        m_socket->write(bytes);
    else
        m_outbox.append(bytes);
    if (!m_wanted) {
        // Nobody will ever connect: answer now, but not from inside the caller's stack.
        QMetaObject::invokeMethod(
            this, [this] { failAll(QStringLiteral("disconnected"), QStringLiteral("not connected")); },
            Qt::QueuedConnection);
    }
    return id;
}

qint64 AdminClient::setEnabled(bool enabled, Callback cb) {
    return send(Command::SetEnabled, {{QStringLiteral("enabled"), enabled}}, std::move(cb));
}

qint64 AdminClient::lockdown(const QString &reason, Callback cb) {
    return send(Command::Lockdown, {{QStringLiteral("reason"), reason}}, std::move(cb));
}

qint64 AdminClient::allowAdd(const QJsonValue &entry, Callback cb) {
    return send(Command::AllowAdd, {{QStringLiteral("entry"), entry}}, std::move(cb));
}

qint64 AdminClient::allowRemove(const QString &entry, Callback cb) {
    return send(Command::AllowRemove, {{QStringLiteral("entry"), entry}}, std::move(cb));
}

qint64 AdminClient::allowReplace(const QStringList &entries, Callback cb) {
    return send(Command::AllowReplace, {{QStringLiteral("entries"), QJsonArray::fromStringList(entries)}},
                std::move(cb));
}

qint64 AdminClient::recentEvents(int limit, Callback cb) {
    return send(Command::RecentEvents, {{QStringLiteral("limit"), limit}}, std::move(cb));
}

void AdminClient::onConnected() {
    flushOutbox();
}

void AdminClient::flushOutbox() {
    if (m_outbox.isEmpty())
        return;
    m_socket->write(m_outbox);
    m_outbox.clear();
}

void AdminClient::onReadyRead() {
    m_reader.feed(m_socket->readAll());
    for (;;) {
        QJsonObject object;
        const FrameReader::Status status = m_reader.next(&object);
        if (status == FrameReader::Status::NeedMore)
            return;
        if (status == FrameReader::Status::Error) {
            Q_EMIT errorOccurred(QStringLiteral("protocol error from the server: ") + m_reader.errorString());
            m_socket->abort();
            return;
        }
        handleFrame(object);
        if (m_socket->state() != QLocalSocket::ConnectedState)
            return;
    }
}

void AdminClient::handleFrame(const QJsonObject &f) {
    if (f.contains(QStringLiteral("event"))) {
        const QString name = f.value(QStringLiteral("event")).toString();
        const QJsonObject data = f.value(QStringLiteral("data")).toObject();
        if (name == QLatin1String("hello")) {
            m_role = data.value(QStringLiteral("role")).toString();
            m_serverVersion = data.value(QStringLiteral("version")).toString();
            m_ready = true;
            Q_EMIT ready(m_role);
        } else if (name == QLatin1String("refused")) {
            m_refusal = data.value(QStringLiteral("error")).toString();
            if (m_refusal.isEmpty())
                m_refusal = QStringLiteral("refused by the server");
            // No point retrying: our credentials will not change.
            m_wanted = false;
            failAll(QStringLiteral("refused"), m_refusal);
            Q_EMIT refused(m_refusal);
        } else if (name == QLatin1String("decision")) {
            Q_EMIT decisionEvent(data);
        } else if (name == QLatin1String("transfers")) {
            Q_EMIT transfersEvent(data);
        } else if (name == QLatin1String("state")) {
            Q_EMIT stateEvent(data);
        } else if (name == QLatin1String("dropped")) {
            Q_EMIT droppedEvent(data);
        }
        Q_EMIT eventReceived(name, data);
        return;
    }
    const qint64 id = f.value(QStringLiteral("id")).toInteger(-1);
    AdminReply reply;
    reply.ok = f.value(QStringLiteral("ok")).toBool();
    reply.result = f.value(QStringLiteral("result")).toObject();
    reply.code = f.value(QStringLiteral("code")).toString();
    reply.error = f.value(QStringLiteral("error")).toString();
    if (!reply.ok && reply.code.isEmpty())
        reply.code = QStringLiteral("error");
    const Callback callback = m_callbacks.take(id);
    if (callback)
        callback(reply);
    Q_EMIT replyReceived(id, reply);
}

void AdminClient::failAll(const QString &code, const QString &message) {
    const QHash<qint64, Callback> callbacks = std::exchange(m_callbacks, {});
    m_outbox.clear();
    AdminReply reply;
    reply.code = code;
    reply.error = message;
    for (auto it = callbacks.cbegin(); it != callbacks.cend(); ++it) {
        it.value()(reply);
        Q_EMIT replyReceived(it.key(), reply);
    }
}

void AdminClient::onDisconnected() {
    const bool wasReady = m_ready;
    m_ready = false;
    m_role.clear();
    failAll(m_refusal.isEmpty() ? QStringLiteral("disconnected") : QStringLiteral("refused"),
            m_refusal.isEmpty() ? QStringLiteral("the connection to airlockd was closed") : m_refusal);
    Q_UNUSED(wasReady)
    Q_EMIT disconnected();
    scheduleReconnect();
}

void AdminClient::onSocketError(QLocalSocket::LocalSocketError error) {
    if (error == QLocalSocket::PeerClosedError)
        return; // disconnected() follows
    QString why = m_socket->errorString();
    if (error == QLocalSocket::ServerNotFoundError)
        why = QStringLiteral("no admin socket there (is airlockd running?)");
    else if (error == QLocalSocket::SocketAccessError)
        why = QStringLiteral("permission denied (root or a member of the admin group may connect)");
    else if (error == QLocalSocket::ConnectionRefusedError)
        why = QStringLiteral("connection refused (is airlockd running?)");
    const QString message = QStringLiteral("%1: %2").arg(m_path, why);
    Q_EMIT errorOccurred(message);
    if (m_socket->state() == QLocalSocket::UnconnectedState) {
        // Could not connect at all (missing socket, permission denied): no disconnected() comes.
        m_ready = false;
        failAll(QStringLiteral("unreachable"), message);
        Q_EMIT disconnected();
        scheduleReconnect();
    }
}

void AdminClient::scheduleReconnect() {
    if (m_autoReconnect && m_wanted && !m_reconnect.isActive())
        m_reconnect.start();
}

} // namespace airlock::admin
