#include "upstream/ConnectionPool.h"

#include "upstream/UpstreamLog.h"

#include <QSslSocket>

#include <algorithm>

namespace airlock {

namespace {

bool isClean(const QSslSocket *socket) {
    return socket->state() == QAbstractSocket::ConnectedState && socket->isEncrypted() &&
           socket->bytesAvailable() == 0 && socket->bytesToWrite() == 0 && socket->encryptedBytesToWrite() == 0;
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

QSslSocket *ConnectionPool::take(const QString &host, int port) {
    sweep();
    for (auto it = m_idle.rbegin(); it != m_idle.rend(); ++it) { // the most recently used first
        if (it->port != port || it->host != host)
            continue;
        QSslSocket *socket = it->socket;
        m_idle.erase(std::next(it).base());
        disconnect(socket, nullptr, this, nullptr);
        if (!isClean(socket)) {
            closeNow(socket);
            return take(host, port);
        }
        socket->setParent(nullptr);
        return socket;
    }
    return nullptr;
}

void ConnectionPool::put(const QString &host, int port, QSslSocket *socket) {
    if (!socket)
        return;
    if (!m_keeping || m_limits.maxIdle <= 0 || m_limits.idleMs <= 0 || !isClean(socket)) {
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
