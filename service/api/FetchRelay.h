#pragma once

#include "base/ErrorCode.h"
#include "record/AuditRecord.h"
#include "upstream/UpstreamFetch.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

namespace airlock {

class HttpConnection;

struct RelayResult {
    TransferOutcome outcome = TransferOutcome::None;
    ErrorCode code = ErrorCode::None;
    QString message;
    QString rule;
    int status = 0;
    qint64 bytesUp = 0;
    qint64 bytesDown = 0;
    int redirects = 0;
    CanonicalUrl finalUrl;
    qint64 durationMs = 0;
};

// Pipes one UpstreamFetch into the client's HttpConnection with backpressure: it reads from
// the upstream only while the client socket has little queued, so memory stays flat for any
// size. The upstream's framing is kept; an upstream failure mid-body aborts the client
// connection (never a clean end), and a client that leaves aborts the upstream at once.
class FetchRelay final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FetchRelay)
public:
    FetchRelay(HttpConnection *connection, UpstreamFetch *fetch, QByteArray requestId, bool headRequest,
               qint64 maxResponseSize, QObject *parent = nullptr);
    ~FetchRelay() override;

    void start(const CanonicalUrl &url, const QString &method, const HeaderList &headers, const QByteArray &body);

    static constexpr qint64 HighWater = 2 * 1024 * 1024; // client bytes queued before we stop reading
    static constexpr qint64 ChunkSize = 512 * 1024;

    // How this relay's client keeps up, for Transfers to find a slot held by a slow reader.
    qint64 ageMs() const { return m_timer.isValid() ? m_timer.elapsed() : 0; }
    qint64 bytesDown() const { return m_result.bytesDown; }
    // Time the client has kept the relay waiting: HighWater bytes queued to it and not read.
    qint64 clientHeldMs() const;
    bool done() const { return m_done; }
    // Ends the transfer now to free its slot: the client's message is left unfinished (it can
    // ask for the rest with Range), the outcome is "preempted".
    void preempt();
    // Ends the transfer now because the Airlock was locked down: the upstream connection is
    // closed, the client's message left unfinished (never a clean end), outcome
    // "cut_by_lockdown".
    void cutByLockdown();

Q_SIGNALS:
    void progress(qint64 bytesDown, qint64 total);
    void finished(const airlock::RelayResult &result); // emitted once; the relay deletes itself after

private:
    void onResponseStarted(int status, const HeaderList &headers, qint64 contentLength);
    void pump();
    void onFetchFinished();
    void onFetchFailed(const FetchError &error);
    void onClientClosed();
    void abortClient();
    void noteClientHeld();
    void finish(TransferOutcome outcome, ErrorCode code = ErrorCode::None, const QString &message = {},
                const QString &rule = {});

    QPointer<HttpConnection> m_connection;
    UpstreamFetch *m_fetch;
    QByteArray m_requestId;
    bool m_head;
    qint64 m_maxResponseSize;
    bool m_started = false;
    bool m_upstreamDone = false;
    bool m_done = false;
    bool m_pumping = false;
    qint64 m_total = -1;
    RelayResult m_result;
    QElapsedTimer m_timer;
    qint64 m_heldMs = 0;     // client-held time before m_heldSince
    qint64 m_heldSince = -1; // m_timer's reading when the client began holding; -1: not holding
};

} // namespace airlock
