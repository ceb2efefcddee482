#pragma once

#include "pull/PullContext.h"
#include "upstream/UpstreamFetch.h"

#include <QElapsedTimer>
#include <QObject>

namespace airlock {

// One request a pull makes, an egress request like any other: the Gate judges the URL
// (lockdown, HTTPS, allowlist, method; the reserved-address check happens on connect) and
// every redirect hop, and the request's end is written to the audit trail as a "transfer"
// record under the pull's id ("<pull id>.<n>"). Nothing of the caller's goes out: the URLs are
// derived from the upstream's own listings, so the rate limit is not consulted.
class PullFetch final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PullFetch)
public:
    PullFetch(const PullContext &context, QString requestId, QObject *parent = nullptr);
    ~PullFetch() override;

    // false: refused before anything was sent (*error says why; the refusal is recorded).
    bool start(const QString &url, const QString &method, const HeaderList &headers, FetchError *error);
    void abort(); // recorded as cancelled; no further signals

    UpstreamFetch *fetch() const { return m_fetch; }
    QString requestId() const { return m_id; }
    // Ends the request's record: outcome and, for a failure, why. Called once by the owner when
    // it is done with the response (read to the end, or given up).
    // false: the audit record could not be written (the owner then stops: nothing goes on
    // without its trail).
    bool finish(TransferOutcome outcome, ErrorCode code = ErrorCode::None, const QString &rule = {});

Q_SIGNALS:
    void responseStarted(int status, const airlock::HeaderList &headers, qint64 contentLength);
    void readyRead();
    void finished();
    void failed(const airlock::FetchError &error);

private:
    PullContext m_ctx;
    QString m_id;
    UpstreamFetch *m_fetch = nullptr;
    CanonicalUrl m_url;
    QString m_method;
    int m_status = 0;
    bool m_recorded = false;
    QElapsedTimer m_timer;
};

// How a request that failed is recorded: refused (by the Gate, on a redirect hop or the
// address) or failed upstream.
TransferOutcome outcomeOf(const FetchError &error);

} // namespace airlock
