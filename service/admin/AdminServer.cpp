#include "admin/AdminServer.h"

#include "admin/AdminProtocol.h"
#include "admin/EventBus.h"
#include "admin/LockdownLatch.h"
#include "admin/PolicyStore.h"
#include "admin/TransferTracker.h"
#include "audit/Stats.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QPointer>

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcAdmin, "airlock.admin")

namespace airlock {

using namespace admin;

struct AdminServer::Connection {
    QLocalSocket *socket = nullptr;
    FrameReader reader;
    PeerCredentials peer;
    AdminRole role = AdminRole::None;
    QString who;
    bool events = false;
    bool transfers = false;
    qint64 droppedPending = 0; // dropped since the client was last told
    qint64 droppedTotal = 0;
};

namespace {

// True when something accepts connections on path: then it is not stale and not ours to remove.
bool socketIsLive(const QString &path) {
    const QByteArray name = QFile::encodeName(path);
    sockaddr_un address{};
    if (size_t(name.size()) >= sizeof(address.sun_path))
        return false;
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.constData(), size_t(name.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const bool live = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0;
    ::close(fd);
    return live;
}

} // namespace

AdminServer::AdminServer(AdminContext context, AdminSettingsSource settings, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
    , m_commands(std::move(context))
    , m_settings(std::move(settings)) {
    connect(m_ctx.events, &EventBus::eventPublished, this, &AdminServer::onEvent);
    connect(m_ctx.transfers, &TransferTracker::updated, this, &AdminServer::onTransfers);
    connect(m_ctx.policy, &PolicyStore::policyChanged, this, &AdminServer::broadcastState);
    connect(m_ctx.lockdown, &LockdownLatch::changed, this, &AdminServer::broadcastState);
}

AdminServer::~AdminServer() {
    for (Connection *c : std::as_const(m_connections)) {
        c->socket->disconnect(this);
        delete c;
    }
    if (m_server && m_server->isListening()) {
        m_server->close();
        QFile::remove(m_path);
    }
}

bool AdminServer::listen(const QString &path, QString *error) {
    m_path = QFileInfo(path).absoluteFilePath();
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!QFileInfo::exists(dir)) {
        if (!QDir().mkpath(dir)) {
            *error = QStringLiteral("cannot create the admin socket folder %1").arg(dir);
            return false;
        }
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                       QFileDevice::ReadGroup | QFileDevice::ExeGroup);
    }
    struct stat st {};
    if (::lstat(QFile::encodeName(m_path).constData(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            *error = QStringLiteral("%1 exists and is not a socket; refusing to replace it").arg(m_path);
            return false;
        }
        if (socketIsLive(m_path)) {
            *error = QStringLiteral("another process is serving the admin socket %1").arg(m_path);
            return false;
        }
        QLocalServer::removeServer(m_path);
    }
    m_server = new QLocalServer(this);
    // Qt binds in a private folder, sets the mode and then moves the socket into place, so it is
    // never reachable with wider permissions than these.
    m_server->setSocketOptions(QLocalServer::UserAccessOption | QLocalServer::GroupAccessOption);
    m_server->setMaxPendingConnections(16);
    if (!m_server->listen(m_path)) {
        *error = QStringLiteral("cannot listen on the admin socket %1: %2").arg(m_path, m_server->errorString());
        return false;
    }
    const QByteArray name = QFile::encodeName(m_path);
    // Owner and group may connect; nobody else, whatever the umask did.
    if (::chmod(name.constData(), 0660) != 0) {
        *error = QStringLiteral("cannot set the mode of %1: %2").arg(m_path, QString::fromLocal8Bit(strerror(errno)));
        m_server->close();
        return false;
    }
    // Run as root (outside the shipped unit), hand the socket to the admin group so its members
    // can connect; under the unit the service's primary group already is that group.
    if (::geteuid() == 0) {
        if (const std::optional<gid_t> gid = lookupGroup(m_settings().group))
            if (::chown(name.constData(), uid_t(-1), *gid) != 0)
                qCWarning(lcAdmin, "cannot give %s to group %s: %s", name.constData(), qPrintable(m_settings().group),
                          strerror(errno));
    }
    connect(m_server, &QLocalServer::newConnection, this, &AdminServer::onNewConnection);
    qCInfo(lcAdmin, "admin socket %s (mode 0660)", qPrintable(m_path));
    return true;
}

void AdminServer::refuse(QLocalSocket *socket, const QString &why, const QString &who) {
    ++m_refused;
    if (m_ctx.stats)
        ++m_ctx.stats->adminRefused;
    qCWarning(lcAdmin, "admin connection refused (%s): %s", qPrintable(who), qPrintable(why));
    socket->write(frame(admin::event(QStringLiteral("refused"), QJsonObject{{QStringLiteral("error"), why}})));
    connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromServer(); // after the refusal frame is written
}

void AdminServer::onNewConnection() {
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        PeerCredentials peer;
        QString error;
        if (!readPeerCredentials(int(socket->socketDescriptor()), &peer, &error)) {
            refuse(socket, QStringLiteral("not permitted: ") + error, QStringLiteral("unknown peer"));
            continue;
        }
        const AdminRole role = decideRole(peer, ::getuid(), m_settings());
        if (role == AdminRole::None) {
            refuse(socket,
                   QStringLiteral("not permitted: uid %1 is neither root, the service user, nor a member of the "
                                  "admin or viewer group")
                       .arg(peer.uid),
                   peer.describe());
            continue;
        }
        if (m_connections.size() >= MaxConnections) {
            refuse(socket, QStringLiteral("too many admin connections"), peer.describe());
            continue;
        }
        auto *c = new Connection;
        c->socket = socket;
        c->peer = peer;
        c->role = role;
        c->who = peer.describe();
        m_connections.append(c);
        qCInfo(lcAdmin, "admin connection from %s as %s", qPrintable(c->who), qPrintable(roleName(role)));
        connect(socket, &QLocalSocket::readyRead, this, [this, c] { onReadyRead(c); });
        connect(socket, &QLocalSocket::bytesWritten, this, [this, c] { onBytesWritten(c); });
        connect(socket, &QLocalSocket::disconnected, this, [this, c] { remove(c); });
        send(c, frame(admin::event(QStringLiteral("hello"),
                                   QJsonObject{{QStringLiteral("role"), roleName(role)},
                                               {QStringLiteral("version"), QStringLiteral(AIRLOCK_VERSION)},
                                               {QStringLiteral("protocol"), ProtocolVersion}})));
        if (socket->bytesAvailable() > 0)
            onReadyRead(c);
    }
}

void AdminServer::remove(Connection *c) {
    if (!m_connections.removeOne(c))
        return;
    c->socket->disconnect(this);
    c->socket->deleteLater();
    delete c;
}

void AdminServer::onReadyRead(Connection *c) {
    c->reader.feed(c->socket->readAll());
    for (;;) {
        QJsonObject object;
        const FrameReader::Status status = c->reader.next(&object);
        if (status == FrameReader::Status::NeedMore)
            return;
        if (status == FrameReader::Status::Error) {
            qCWarning(lcAdmin, "admin connection from %s closed: %s", qPrintable(c->who),
                      qPrintable(c->reader.errorString()));
            QLocalSocket *socket = c->socket;
            send(c, frame(errorResponse(0, QStringLiteral("protocol_error"), c->reader.errorString())));
            if (m_connections.contains(c)) {
                remove(c);
                socket->disconnectFromServer();
            }
            return;
        }
        handleFrame(c, object);
        if (!m_connections.contains(c))
            return;
    }
}

void AdminServer::handleFrame(Connection *c, const QJsonObject &f) {
    const QJsonValue idValue = f.value(QStringLiteral("id"));
    const qint64 id = idValue.isDouble() ? idValue.toInteger(0) : 0;
    if (f.value(QStringLiteral("v")).toInt(ProtocolVersion) != ProtocolVersion)
        return send(c, frame(errorResponse(id, QStringLiteral("unsupported_version"),
                                           QStringLiteral("protocol version %1 expected").arg(ProtocolVersion))));
    if (!idValue.isDouble())
        return send(c,
                    frame(errorResponse(0, QStringLiteral("invalid_request"), QStringLiteral("id must be a number"))));
    const std::optional<Command> command = commandFromName(f.value(QStringLiteral("cmd")).toString());
    if (!command)
        return send(
            c, frame(errorResponse(
                   id, QStringLiteral("unknown_command"),
                   QStringLiteral("unknown command \"%1\"").arg(f.value(QStringLiteral("cmd")).toString().left(64)))));
    const QJsonValue args = f.value(QStringLiteral("args"));
    if (!args.isUndefined() && !args.isObject())
        return send(
            c, frame(errorResponse(id, QStringLiteral("invalid_request"), QStringLiteral("args must be an object"))));
    const AdminCommands::Outcome out = m_commands.execute(id, *command, args.toObject(), c->role, c->who);
    if (out.later) {
        // Answered later: only if the client is still connected then.
        QPointer<QLocalSocket> socket = c->socket;
        out.later([this, socket](const QJsonObject &response) {
            if (!socket)
                return;
            for (Connection *open : std::as_const(m_connections))
                if (open->socket == socket)
                    return send(open, frame(response));
        });
        return;
    }
    if (out.subscribe == AdminCommands::Subscription::Events)
        c->events = true;
    else if (out.subscribe == AdminCommands::Subscription::Transfers)
        c->transfers = true;
    QJsonObject response = out.response;
    if (*command == Command::Status && response.value(QStringLiteral("ok")).toBool()) {
        QJsonObject result = response.value(QStringLiteral("result")).toObject();
        result.insert(QStringLiteral("role"), roleName(c->role));
        result.insert(QStringLiteral("events_dropped"), c->droppedTotal);
        result.insert(QStringLiteral("admin_connections"), connectionCount());
        result.insert(QStringLiteral("admin_refused"), m_refused);
        result.insert(QStringLiteral("events_dropped_total"), m_droppedTotal);
        response.insert(QStringLiteral("result"), result);
    }
    send(c, frame(response));
}

void AdminServer::send(Connection *c, const QByteArray &bytes) {
    if (c->socket->bytesToWrite() + bytes.size() > MaxQueuedBytes) {
        // A client that asks and never reads: it cannot be served, and must not cost memory.
        qCWarning(lcAdmin, "admin connection from %s closed: it does not read its answers", qPrintable(c->who));
        QLocalSocket *socket = c->socket;
        remove(c);
        socket->abort();
        return;
    }
    c->socket->write(bytes);
}

bool AdminServer::deliverEvent(Connection *c, const QByteArray &bytes) {
    if (c->socket->bytesToWrite() + bytes.size() > MaxQueuedEventBytes) {
        ++c->droppedPending;
        ++c->droppedTotal;
        ++m_droppedTotal;
        return false;
    }
    c->socket->write(bytes);
    return true;
}

void AdminServer::onBytesWritten(Connection *c) {
    if (c->droppedPending == 0 || c->socket->bytesToWrite() > MaxQueuedEventBytes / 2)
        return;
    const qint64 count = std::exchange(c->droppedPending, 0);
    c->socket->write(
        frame(admin::event(QStringLiteral("dropped"),
                           QJsonObject{{QStringLiteral("count"), count}, {QStringLiteral("total"), c->droppedTotal}})));
}

void AdminServer::onEvent(const QJsonObject &data) {
    QByteArray bytes;
    for (Connection *c : std::as_const(m_connections)) {
        if (!c->events)
            continue;
        if (bytes.isEmpty())
            bytes = frame(admin::event(QStringLiteral("decision"), data)); // serialised once for everyone
        deliverEvent(c, bytes);
    }
}

void AdminServer::onTransfers(const QJsonObject &snapshot) {
    QByteArray bytes;
    for (Connection *c : std::as_const(m_connections)) {
        if (!c->transfers)
            continue;
        if (bytes.isEmpty())
            bytes = frame(admin::event(QStringLiteral("transfers"), snapshot));
        deliverEvent(c, bytes);
    }
}

void AdminServer::broadcastState() {
    const QByteArray bytes = frame(admin::event(QStringLiteral("state"), m_commands.stateEvent()));
    const QList<Connection *> connections = m_connections;
    for (Connection *c : connections)
        if (m_connections.contains(c))
            send(c, bytes);
}

} // namespace airlock
