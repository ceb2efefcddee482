#pragma once

#include <QObject>
#include <QString>

class QSocketNotifier;
class QTimer;

namespace airlock::test {

// Reads the server_name of a TLS ClientHello with MSG_PEEK, leaving the bytes in the kernel
// for the TLS handshake that follows: Qt has no server-side API for the SNI a client sent.
// Emits done() once; owns the descriptor until then and closes it if destroyed first.
class ClientHelloPeek final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClientHelloPeek)
public:
    ClientHelloPeek(qintptr fd, QObject *parent);
    ~ClientHelloPeek() override;

    // 1 = complete (sni may be empty), 0 = need more bytes. Exposed for tests.
    static int parseServerName(const unsigned char *data, qint64 size, QString *sni);

Q_SIGNALS:
    void done(qintptr fd, const QString &sni, bool peerClosed);

private:
    void onReadable();
    void finish(const QString &sni, bool peerClosed);

    qintptr m_fd;
    QSocketNotifier *m_notifier;
    QTimer *m_retry;
    QTimer *m_giveUp;
    bool m_finished = false;
};

} // namespace airlock::test
