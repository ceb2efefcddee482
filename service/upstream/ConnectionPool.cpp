#include "upstream/ConnectionPool.h"

#include "upstream/UpstreamLog.h"

#include <QSslSocket>

#include <algorithm>

#include <poll.h>

namespace airlock {

namespace {

bool isClean(const QSslSocket *socket) {
    return socket->state() == QAbstractSocket::ConnectedState && socket->isEncrypted() &&
           socket->bytesAvailable() == 0 && socket->bytesToWrite() == 0 && socket->encryptedBytesToWrite() == 0;
}

// Whether the kernel holds anything for the socket: bytes, or the upstream's close, that the
// event loop has not delivered yet. Either way the connection is not silent any more.
bool pendingInKernel(const QSslSocket *socket) {
    pollfd p{};
    p.fd = int(socket->socketDescriptor());
    p.events = POLLIN | POLLRDHUP;
    if (p.fd < 0)
        return true;
    return ::poll(&p, 1, 0) != 0; // an error counts as something pending too
}

void closeNow(QSslSocket *socket) {
    socket->abort();
    socket->deleteLater();
}

} // namespace

ConnectionPool::ConnectionPool(Limits limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits) {
    m_sweep.setSingleShot(true);
    connect(&m_sweep, &QTimer::timeout, this, &ConnectionPool::sweep);
}

ConnectionPool::ConnectionPool(QObject *parent)
    : ConnectionPool(Limits{}, parent) {}

ConnectionPool::~ConnectionPool() {
    clear();
}

QSslSocket *ConnectionPool::take(const QString &host, int port, int maxIdleMs) {
    sweep();
    for (auto it = m_idle.rbegin(); it != m_idle.rend(); ++it) { // the most recently used first
        if (it->port != port || it->host != host)
            continue;
        if (maxIdleMs >= 0 && it->since.hasExpired(maxIdleMs))
            return nullptr; // the others for this host idled longer still
        QSslSocket *socket = it->socket;
        m_idle.erase(std::next(it).base());
        disconnect(socket, nullptr, this, nullptr);
        if (!isClean(socket) || pendingInKernel(socket)) {
            closeNow(socket);
            return take(host, port, maxIdleMs);
        }
        socket->setParent(nullptr);
        return socket;
    }
    return nullptr;
}

void ConnectionPool::put(const QString &host, int port, QSslSocket *socket, quint64 generation) {
    if (!socket)
        return;
    if (!m_keeping || generation != m_generation || m_limits.maxIdle <= 0 || m_limits.idleMs <= 0 || !isClean(socket)) {
        closeNow(socket);
        return;
    }
    socket->setParent(this);
    // Idle means silent: data, a close or an error end the connection's life here.
    connect(socket, &QSslSocket::readyRead, this, [this, socket] { discard(socket); });
    connect(socket, &QSslSocket::disconnected, this, [this, socket] { discard(socket); });
    connect(socket, &QSslSocket::errorOccurred, this, [this, socket] { discard(socket); });
    Entry entry{host, port, socket, {}};
    entry.since.start();
    m_idle.push_back(std::move(entry));
    while (int(m_idle.size()) > m_limits.maxIdle)
        discard(m_idle.front().socket);
    if (!m_sweep.isActive())
        m_sweep.start(m_limits.idleMs);
}

void ConnectionPool::clear() {
    ++m_generation;
    m_sweep.stop();
    while (!m_idle.empty())
        discard(m_idle.front().socket);
}

void ConnectionPool::setKeeping(bool keep) {
    m_keeping = keep;
    if (!keep)
        clear();
}

void ConnectionPool::discard(QSslSocket *socket) {
    auto it = std::find_if(m_idle.begin(), m_idle.end(), [socket](const Entry &e) { return e.socket == socket; });
    if (it == m_idle.end())
        return;
    qCDebug(lcUpstream) << "closing idle connection to" << it->host;
    m_idle.erase(it);
    disconnect(socket, nullptr, this, nullptr);
    closeNow(socket);
}

void ConnectionPool::sweep() {
    while (!m_idle.empty() && m_idle.front().since.hasExpired(m_limits.idleMs))
        discard(m_idle.front().socket);
    if (!m_idle.empty()) {
        const qint64 left = m_limits.idleMs - m_idle.front().since.elapsed();
        m_sweep.start(int(std::max<qint64>(left, 1)));
    } else {
        m_sweep.stop();
    }
}

} // namespace airlock
