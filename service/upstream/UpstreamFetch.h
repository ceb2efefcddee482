#pragma once

#include "base/ErrorCode.h"
#include "base/HeaderList.h"
#include "upstream/ConnectionPool.h"
#include "upstream/Resolver.h"
#include "url/CanonicalUrl.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>

#include <QSslSocket>

#include <functional>
#include <memory>

namespace airlock {

struct UpstreamConfig {
    QSslConfiguration ssl;         // system CAs plus --ca-file, TLS 1.2 or newer
    int connectTimeoutMs = 10'000; // until the response head arrives after the connection starts
    int firstByteTimeoutMs = 30'000;
    int idleTimeoutMs = 60'000; // no body byte for this long while streaming
    int maxRedirects = 5;
    qint64 readBufferSize = 1024 * 1024;
    QByteArray userAgent = "secure-ai-airlock";
    // Where connections are kept alive between fetches; none: one connection per hop.
    QPointer<ConnectionPool> pool;
};

struct FetchError {
    ErrorCode code = ErrorCode::None;
    QString message;
    QString ruleId; // set when a redirect hop was refused by the Gate
};

// What the Gate says about one redirect hop. allowed == false ends the fetch with that error
// before the refused host is contacted. headers is what may be sent to the hop (credentials
// dropped when the host changes).
struct HopVerdict {
    bool allowed = false;
    FetchError error;
    HeaderList headers;
};
using HopJudge = std::function<HopVerdict(const CanonicalUrl &next, const QString &method, const HeaderList &headers,
                                          const CanonicalUrl &previous)>;

// One upstream exchange, redirects included. Resolves each hop itself (Resolver: reserved
// addresses refused), connects to the checked address with TLS verifying the host name, and
// exposes the final response's body as a pull stream so the caller can apply backpressure.
// It speaks HTTP/1.1 itself on a QSslSocket in the caller's thread (llhttp parses the response):
// QNetworkAccessManager cost three times the CPU for the same bytes, see docs/PERFORMANCE.md.
// With a pool, a hop first takes an idle connection to its host and port (for a request that
// must not be sent twice, only a fresh one); if the upstream closed it before answering, an
// idempotent request goes again once on a new connection, and a connection whose response ended
// cleanly goes back to the pool.
class UpstreamFetch final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamFetch)
public:
    UpstreamFetch(Resolver *resolver, const UpstreamConfig &config, HopJudge judge, QObject *parent = nullptr);
    ~UpstreamFetch() override;

    void start(const CanonicalUrl &url, const QString &method, const HeaderList &headers, const QByteArray &body);
    void abort(); // stops at once; no further signals

    qint64 bytesAvailable() const;
    QByteArray read(qint64 maxSize);
    bool atEnd() const; // finished() was emitted and everything was read

    int redirectCount() const { return m_redirects; }
    CanonicalUrl currentUrl() const { return m_url; }
    qint64 bytesReceived() const { return m_bytesDown; }
    qint64 bytesSent() const { return m_bytesUp; }

Q_SIGNALS:
    // Final response head. headers exclude hop-by-hop fields and Set-Cookie. contentLength -1 if unknown.
    void responseStarted(int status, const airlock::HeaderList &headers, qint64 contentLength);
    void readyRead();
    void finished();                               // the whole body arrived; read what is left
    void failed(const airlock::FetchError &error); // before or after responseStarted; terminal

private:
    struct Wire; // llhttp state and the decoded body queue

    void startHop();
    bool prepareHop(); // the request head and a fresh parser for this hop
    void sendRequest(const ResolveResult &resolved);
    void attach(QSslSocket *socket);
    bool retryOnNewConnection();       // false: not to be sent again; the close is the answer
    void releaseSocket(bool reusable); // to the pool when reusable, else closed
    void onEncrypted();
    void writeBody(); // hands the socket the next slices of m_body, up to a high-water mark
    void onSocketError(QAbstractSocket::SocketError socketError);
    void onSocketClosed();
    void process();
    bool headArrived();
    void endOfStream();
    void followRedirect(int status, const QByteArray &location);
    void fail(const FetchError &error);
    void dropSocket();
    void onTimeout(const QString &what);
    void scheduleProcess();

    Resolver *m_resolver;
    UpstreamConfig m_config;
    HopJudge m_judge;
    QSslSocket *m_socket = nullptr;
    std::unique_ptr<Wire> m_wire;
    QByteArray m_in; // socket reads land here; reused once the caller has let go of it
    CanonicalUrl m_url;
    int m_redirects = 0;
    qint64 m_bytesDown = 0;
    qint64 m_bytesUp = 0;

    QString m_method;
    HeaderList m_headers;
    QByteArray m_body;
    QByteArray m_requestHead;
    QTimer m_connectTimer;    // TCP + TLS, armed when a new connection starts
    QTimer m_headTimer;       // until the response head arrives
    QTimer m_idleTimer;       // between body bytes
    quint64 m_generation = 0; // invalidates resolver answers for a hop that was left
    bool m_done = false;      // failed or aborted: silent from now on
    bool m_finished = false;  // finished() emitted
    bool m_headSeen = false;
    bool m_connected = false;
    bool m_encrypted = false;
    bool m_reused = false;        // this hop's connection came from the pool
    bool m_freshOnly = false;     // this hop's pooled connection failed: a new one, not another
    bool m_answered = false;      // a response byte arrived on this hop's connection
    quint64 m_poolGeneration = 0; // the pool's generation when this request began
    bool m_eof = false;           // the upstream closed (or broke) the connection
    bool m_brokenClose = false;   // ... with an error rather than a clean close
    bool m_processing = false;
    bool m_processPosted = false;
    QString m_tlsError;
    qint64 m_hopUpBase = 0;
    qint64 m_hopWritten = 0;
    qint64 m_bodyQueued = 0; // bytes of m_body handed to this hop's socket
};

} // namespace airlock
