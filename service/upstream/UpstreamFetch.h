#pragma once

#include "base/HeaderList.h"
#include "upstream/UpstreamConfig.h"
#include "upstream/UpstreamExchange.h"
#include "url/CanonicalUrl.h"

#include <QObject>

#include <functional>

namespace airlock {

class Resolver;

// A hop the fetch asks leave to take: a redirect's Location as the upstream sent it, or the
// current URL again when a request goes out a second time on a new connection.
struct HopRequest {
    QByteArray location; // raw, absolute or relative, for the judge to resolve against base
    CanonicalUrl base;   // the URL whose response named location
    CanonicalUrl origin; // the URL the fetch started as
    QString method;      // what the hop would send (a 303 already turned into GET)
    HeaderList headers;
};

// The answer. Allowed: the canonical URL to go to and the headers that may be sent (credentials
// dropped when the host changes). Refused: the error the fetch fails with, before the refused
// host is contacted.
struct HopVerdict {
    bool allowed = false;
    FetchError error;
    CanonicalUrl url;
    HeaderList headers;
};
// The Gate answers it (ApiRouter); without one, every hop is refused.
using HopJudge = std::function<HopVerdict(const HopRequest &hop)>;

// One upstream fetch, redirects included, as a pull stream so the caller can apply
// backpressure. Each hop is an UpstreamExchange (its own connection, resolved and checked, or a
// kept one from the pool); every redirect, and every request sent again because a kept
// connection was closed under it, goes to the HopJudge first, which alone reads the Location and
// decides. It speaks HTTP/1.1 itself on a QSslSocket in the caller's thread:
// QNetworkAccessManager cost three times the CPU for the same bytes, see docs/PERFORMANCE.md.
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
    qint64 bytesSent() const;

Q_SIGNALS:
    // Final response head. headers exclude hop-by-hop fields and Set-Cookie. contentLength -1 if unknown.
    void responseStarted(int status, const airlock::HeaderList &headers, qint64 contentLength);
    void readyRead();
    void finished();                               // the whole body arrived; read what is left
    void failed(const airlock::FetchError &error); // before or after responseStarted; terminal

private:
    enum class State {
        Idle,
        Requesting, // a hop is under way (redirects and a second attempt included)
        Responding, // responseStarted() was emitted; the body streams
        Finished,
        Failed, // failed() was emitted, or abort(): silent from now on
    };

    void startHop(UpstreamExchange::ConnectionChoice choice);
    void leaveHop();
    void onHead();
    void onStaleConnection();
    void followRedirect(int status, const QByteArray &location);
    bool judge(const HopRequest &hop, HopVerdict *verdict);
    void fail(const FetchError &error);

    Resolver *m_resolver;
    UpstreamConfig m_config;
    HopJudge m_judge;
    UpstreamExchange *m_exchange = nullptr; // the current hop
    State m_state = State::Idle;
    CanonicalUrl m_url;
    CanonicalUrl m_origin;
    QString m_method;
    HeaderList m_headers;
    QByteArray m_body;
    int m_redirects = 0;
    qint64 m_bytesDown = 0;
    qint64 m_bytesUpBefore = 0;   // request bytes (head and body) sent by hops already left
    quint64 m_poolGeneration = 0; // the pool's generation when this fetch began
};

} // namespace airlock
