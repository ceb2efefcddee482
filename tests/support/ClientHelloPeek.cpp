#include "ClientHelloPeek.h"

#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace airlock::test {

namespace {
constexpr qint64 kMaxPeek = 16 * 1024 + 5;

quint32 be(const unsigned char *p, int n) {
    quint32 v = 0;
    for (int i = 0; i < n; ++i)
        v = (v << 8) | p[i];
    return v;
}
} // namespace

int ClientHelloPeek::parseServerName(const unsigned char *d, qint64 size, QString *sni) {
    sni->clear();
    if (size < 1)
        return 0;
    if (d[0] != 0x16) // not a TLS handshake record: let the handshake fail on its own
        return 1;
    if (size < 5)
        return 0;
    const qint64 recordEnd = 5 + be(d + 3, 2);
    if (size < recordEnd)
        return size >= kMaxPeek ? 1 : 0;
    qint64 pos = 5;
    if (recordEnd < pos + 4 || d[pos] != 0x01) // ClientHello
        return 1;
    const qint64 helloEnd = qMin<qint64>(recordEnd, pos + 4 + be(d + pos + 1, 3));
    pos += 4 + 2 + 32; // handshake header, client_version, random
    auto skip = [&](int lengthBytes) {
        if (pos + lengthBytes > helloEnd)
            return false;
        pos += lengthBytes + be(d + pos, lengthBytes);
        return pos <= helloEnd;
    };
    if (!skip(1) || !skip(2) || !skip(1)) // session_id, cipher_suites, compression_methods
        return 1;
    if (pos + 2 > helloEnd)
        return 1;
    const qint64 extEnd = qMin<qint64>(helloEnd, pos + 2 + be(d + pos, 2));
    pos += 2;
    while (pos + 4 <= extEnd) {
        const quint32 type = be(d + pos, 2);
        const qint64 len = be(d + pos + 2, 2);
        pos += 4;
        if (pos + len > extEnd)
            return 1;
        if (type == 0 && len >= 5 && d[pos + 2] == 0) { // server_name, host_name entry
            const qint64 nameLen = be(d + pos + 3, 2);
            if (pos + 5 + nameLen <= pos + len)
                *sni = QString::fromLatin1(reinterpret_cast<const char *>(d + pos + 5), nameLen);
            return 1;
        }
        pos += len;
    }
    return 1;
}

ClientHelloPeek::ClientHelloPeek(qintptr fd, QObject *parent)
    : QObject(parent)
    , m_fd(fd)
    , m_notifier(new QSocketNotifier(fd, QSocketNotifier::Read, this))
    , m_retry(new QTimer(this))
    , m_giveUp(new QTimer(this)) {
    // The notifier is level-triggered and peeking consumes nothing, so a partial hello would
    // wake us in a loop: pause it and look again shortly.
    m_retry->setSingleShot(true);
    m_retry->setInterval(2);
    connect(m_retry, &QTimer::timeout, this, [this] { m_notifier->setEnabled(true); });
    m_giveUp->setSingleShot(true);
    m_giveUp->setInterval(10'000);
    connect(m_giveUp, &QTimer::timeout, this, [this] { finish(QString(), false); });
    m_giveUp->start();
    connect(m_notifier, &QSocketNotifier::activated, this, &ClientHelloPeek::onReadable);
}

ClientHelloPeek::~ClientHelloPeek() {
    if (!m_finished)
        ::close(int(m_fd));
}

void ClientHelloPeek::onReadable() {
    if (m_finished)
        return;
    unsigned char buffer[kMaxPeek];
    const ssize_t n = ::recv(int(m_fd), buffer, sizeof buffer, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        finish(QString(), true);
        return;
    }
    QString sni;
    if (n > 0 && parseServerName(buffer, n, &sni) == 1) {
        finish(sni, false);
        return;
    }
    m_notifier->setEnabled(false);
    m_retry->start();
}

void ClientHelloPeek::finish(const QString &sni, bool peerClosed) {
    if (m_finished)
        return;
    m_finished = true;
    m_notifier->setEnabled(false);
    m_retry->stop();
    m_giveUp->stop();
    if (peerClosed)
        ::close(int(m_fd));
    Q_EMIT done(m_fd, sni, peerClosed);
}

} // namespace airlock::test
