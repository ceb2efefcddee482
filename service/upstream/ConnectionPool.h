#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <vector>

class QSslSocket;

namespace airlock {

// Idle HTTP/1.1 connections to upstream hosts, kept so that the next allowed fetch to the same
// host and port skips DNS, TCP and TLS. A connection is only kept after a response that ended
// cleanly on a connection both sides keep open; it is closed when it idles past the limit, when
// the upstream sends anything or closes it while idle, all at once by clear() (policy change),
// and none is kept while keeping is off (disabled, lockdown). Nothing here decides what may be
// sent: the Gate judged every request a kept connection carries, as for a new one.
class ConnectionPool final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionPool)
public:
    struct Limits {
        int idleMs = 30'000; // an idle connection is closed after this long
        int maxIdle = 8;     // idle connections kept at most (all hosts); the oldest goes first
    };

    explicit ConnectionPool(Limits limits, QObject *parent = nullptr);
    explicit ConnectionPool(QObject *parent = nullptr);
    ~ConnectionPool() override;

    // An idle, open connection to host:port that has idled at most maxIdleMs (and the pool's
    // limit), handed over (no parent, no connections to this pool), or nullptr. One with anything
    // waiting to be read, even a close the event loop has not seen yet, is closed instead.
    QSslSocket *take(const QString &host, int port, int maxIdleMs = -1);
    // Keeps an encrypted connection whose exchange is over, with nothing left to read or write;
    // anything else is closed, and so is one taken or made before the last clear() (generation).
    // The caller has disconnected its own signals from the socket.
    void put(const QString &host, int port, QSslSocket *socket, quint64 generation);
    // Counts clear()s: a connection belongs to the generation in which its exchange began.
    quint64 generation() const { return m_generation; }
    void clear();
    // Off: every idle connection is closed and none is kept until it is on again.
    void setKeeping(bool keep);
    int idleCount() const { return int(m_idle.size()); }

private:
    struct Entry {
        QString host;
        int port = 0;
        QSslSocket *socket = nullptr;
        QElapsedTimer since;
    };
    void discard(QSslSocket *socket);
    void sweep();

    Limits m_limits;
    bool m_keeping = true;
    quint64 m_generation = 0;
    std::vector<Entry> m_idle; // oldest first
    QTimer m_sweep;
};

} // namespace airlock
