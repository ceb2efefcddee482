#pragma once

#include "base/HeaderList.h"
#include "upstream/ResponseParser.h"
#include "upstream/UpstreamConfig.h"
#include "url/CanonicalUrl.h"

#include <QAbstractSocket>
#include <QObject>

#include <QTimer>
#include <algorithm>

#include <memory>

class QSslSocket;

namespace airlock {

class Resolver;
struct ResolveResult;

// One request and its response on one connection: a kept one from the pool or a new one to the
// address the Resolver checked (TLS verifying the host name), the request head and the body in
// slices, the response through a ResponseParser, and the three timers (connect, first byte,
// idle). It knows nothing of redirects or policy: the head of a redirect is reported like any
// other and UpstreamFetch decides. A connection whose response ended cleanly goes back to the pool.
class UpstreamExchange final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamExchange)
public:
    enum class State {
        Idle,         // not started
        Resolving,    // waiting for the checked address
        Connecting,   // TCP
        Handshaking,  // TLS
        AwaitingHead, // the request is out (its body topped up as the socket drains); no final head yet
        ReadingBody,  // the final head arrived (headReceived()); the body is being read
        Complete,     // the response ended; the connection is back in the pool or closed
        Failed,       // failed() was emitted, or abort() or staleConnection(): silent from now on
    };
    enum class ConnectionChoice { KeptOrNew, NewOnly };

    struct Request {
        CanonicalUrl url;
        QString method; // upper case
        HeaderList headers;
        QByteArray body;
    };

    UpstreamExchange(Resolver *resolver, const UpstreamConfig &config, QObject *parent = nullptr);
    ~UpstreamExchange() override;

    // poolGeneration: the pool's generation when the fetch began (see ConnectionPool::put).
    // A request that cannot be written fails at once, before anything is sent.
    void start(const Request &request, ConnectionChoice choice, quint64 poolGeneration);
    void abort(); // closes the connection at once; no further signals

    State state() const { return m_state; }
    const ResponseParser &response() const { return *m_parser; } // head valid from headReceived()
    qint64 bytesAvailable() const;
    QByteArray read(qint64 maxSize);
    qint64 bodyBytesSent() const { return m_bodySent; } // of this request's body, as it left
    // Of the whole request as it left: request line, headers and body (what bytes_up counts).
    qint64 bytesSent() const { return std::clamp<qint64>(m_written, 0, m_head.size() + m_request.body.size()); }

Q_SIGNALS:
    void headReceived(); // the final head: response().status(), headers(), ...
    void readyRead();
    void finished(); // the whole body arrived; read what is left
    void failed(const airlock::FetchError &error);
    // A kept connection was closed before a byte of the answer, and the request is idempotent:
    // it may go again on a new connection (RFC 9110 9.3.1). The exchange is over, silently.
    void staleConnection();

private:
    bool prepare(); // the request head and the parser
    void connectTo(const ResolveResult &resolved);
    void attach(QSslSocket *socket);
    void sendRequest();
    void writeBody();
    void onSocketError(QAbstractSocket::SocketError socketError);
    void onSocketClosed();
    void process();
    bool announceHead();
    void endOfStream();
    void complete(bool reusable);
    void onTimeout(const QTimer &timer, const char *what);
    void scheduleProcess();
    void fail(const FetchError &error);
    bool isOver() const { return m_state == State::Complete || m_state == State::Failed; }
    void stopTimers();
    void dropSocket();

    Resolver *m_resolver;
    UpstreamConfig m_config;
    Request m_request;
    quint64 m_poolGeneration = 0;
    State m_state = State::Idle;
    QSslSocket *m_socket = nullptr;
    std::unique_ptr<ResponseParser> m_parser;
    QByteArray m_in; // socket reads land here; reused once the reader has let go of it
    QByteArray m_head;
    QTimer m_connectTimer; // TCP + TLS of a new connection
    QTimer m_headTimer;    // until the final head (resolving and connecting included)
    QTimer m_idleTimer;    // between body bytes
    QString m_tlsError;

    // Orthogonal to the state: where the connection came from, what left, what came back.
    bool m_reused = false;      // the connection came from the pool
    bool m_eof = false;         // the upstream closed (or broke) the connection
    bool m_brokenClose = false; // ... with an error rather than a clean close
    qint64 m_written = 0;       // bytes of head and body the socket wrote
    qint64 m_bodyQueued = 0;    // bytes of the body handed to the socket
    qint64 m_bodySent = 0;
    qint64 m_bytesRead = 0; // response bytes read from the connection

    // Re-entrancy guards: process() runs once at a time, and is posted at most once.
    bool m_processing = false;
    bool m_processPosted = false;
};

} // namespace airlock
