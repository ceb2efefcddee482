#include "api/FetchRelay.h"

#include "api/ErrorResponse.h"
#include "http/HttpConnection.h"

namespace airlock {

FetchRelay::FetchRelay(HttpConnection *connection, UpstreamFetch *fetch, QByteArray requestId, bool headRequest,
                       qint64 maxResponseSize, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_fetch(fetch)
    , m_requestId(std::move(requestId))
    , m_head(headRequest)
    , m_maxResponseSize(maxResponseSize) {
    m_fetch->setParent(this);
    connect(m_fetch, &UpstreamFetch::responseStarted, this, &FetchRelay::onResponseStarted);
    connect(m_fetch, &UpstreamFetch::readyRead, this, &FetchRelay::pump);
    connect(m_fetch, &UpstreamFetch::finished, this, &FetchRelay::onFetchFinished);
    connect(m_fetch, &UpstreamFetch::failed, this, &FetchRelay::onFetchFailed);
    connect(m_connection, &HttpConnection::bytesWritten, this, &FetchRelay::pump);
    connect(m_connection, &HttpConnection::closed, this, &FetchRelay::onClientClosed);
}

FetchRelay::~FetchRelay() = default;

void FetchRelay::start(const CanonicalUrl &url, const QString &method, const HeaderList &headers,
                       const QByteArray &body) {
    m_timer.start();
    if (!m_connection || !m_connection->isOpen()) {
        // Its client is gone already (its closed() will not come again): nothing is sent, and
        // the transfer ends at once so its slot is released.
        QMetaObject::invokeMethod(
            this, [this] { finish(TransferOutcome::ClientAborted); }, Qt::QueuedConnection);
        return;
    }
    m_fetch->start(url, method, headers, body);
}

void FetchRelay::onResponseStarted(int status, const HeaderList &headers, qint64 contentLength) {
    if (m_done)
        return;
    if (!m_connection || !m_connection->isOpen())
        return onClientClosed(); // never leave a transfer without a client holding its slot
    if (m_maxResponseSize > 0 && contentLength > m_maxResponseSize) {
        m_fetch->abort();
        sendError(m_connection, ErrorCode::ResponseTooLarge,
                  QStringLiteral("response exceeds %1 bytes").arg(m_maxResponseSize));
        finish(TransferOutcome::ResponseTooLarge, ErrorCode::ResponseTooLarge);
        return;
    }
    HeaderList out;
    out.reserve(headers.size() + 4);
    QByteArray upstreamLength;
    for (const auto &header : headers) {
        // Framing is the connection's to write, from contentLength.
        if (header.first.compare("content-length", Qt::CaseInsensitive) == 0)
            upstreamLength = header.second;
        else if (const QByteArray lower = header.first.toLower();
                 !lower.startsWith("x-airlock-") && !lower.startsWith("x-secai-"))
            out.append(header); // X-Airlock-*, X-SecAI-* are ours alone: an upstream cannot speak for them
    }
    out.emplaceBack(QByteArray("X-Airlock-Request-Id"), m_requestId);
    const QByteArray finalUrl = m_fetch->currentUrl().withoutQuery().toUtf8();
    out.emplaceBack(QByteArray("X-Airlock-Upstream-Url"), finalUrl);
    out.emplaceBack(QByteArray("X-SecAI-Upstream-URL"), finalUrl); // what SecAI OS's callers read
    out.emplaceBack(QByteArray("X-Airlock-Decision"), "allowed");
    m_result.status = status;
    m_total = contentLength;
    m_started = true;
    // The client asked with POST /v1/fetch, so its message framing is ours: a bodiless upstream
    // answer (HEAD, 204, 304) is an empty body here, and HEAD's length travels in its own header.
    const bool noBody = m_head || status == 204 || status == 304;
    if (m_head && !upstreamLength.isEmpty())
        out.emplaceBack(QByteArray("X-Airlock-Upstream-Content-Length"), upstreamLength);
    m_connection->beginResponse(status, out, noBody ? 0 : contentLength);
    pump();
}

void FetchRelay::pump() {
    if (m_done || !m_started || m_pumping)
        return;
    if (!m_connection)
        return onClientClosed();
    m_pumping = true;
    while (!m_done && m_connection && m_connection->bytesToWrite() < HighWater && m_fetch->bytesAvailable() > 0) {
        const QByteArray chunk = m_fetch->read(ChunkSize);
        if (chunk.isEmpty())
            break;
        m_result.bytesDown += chunk.size();
        if (m_maxResponseSize > 0 && m_result.bytesDown > m_maxResponseSize) {
            m_pumping = false;
            m_fetch->abort();
            abortClient();
            finish(TransferOutcome::ResponseTooLarge, ErrorCode::ResponseTooLarge,
                   QStringLiteral("response exceeds %1 bytes").arg(m_maxResponseSize));
            return;
        }
        if (!m_head)
            m_connection->writeBody(chunk);
    }
    m_pumping = false;
    if (m_done)
        return;
    noteClientHeld();
    Q_EMIT progress(m_result.bytesDown, m_total);
    if (m_upstreamDone && m_fetch->atEnd() && m_connection) {
        m_connection->endResponse();
        finish(TransferOutcome::Complete);
    }
}

void FetchRelay::noteClientHeld() {
    const bool held = m_connection && m_connection->bytesToWrite() >= HighWater;
    const qint64 now = m_timer.elapsed();
    if (held && m_heldSince < 0) {
        m_heldSince = now;
    } else if (!held && m_heldSince >= 0) {
        m_heldMs += now - m_heldSince;
        m_heldSince = -1;
    }
}

qint64 FetchRelay::clientHeldMs() const {
    return m_heldMs + (m_heldSince >= 0 ? m_timer.elapsed() - m_heldSince : 0);
}

void FetchRelay::preempt() {
    if (m_done)
        return;
    m_fetch->abort();
    abortClient();
    finish(TransferOutcome::Preempted, ErrorCode::Busy,
           QStringLiteral("cut to give its upstream slot to a waiting request: the client read too slowly"));
}

void FetchRelay::cutByLockdown() {
    if (m_done)
        return;
    m_fetch->abort();
    abortClient();
    finish(TransferOutcome::CutByLockdown, ErrorCode::Lockdown, QStringLiteral("cut: the Airlock was locked down"));
}

void FetchRelay::onFetchFinished() {
    m_upstreamDone = true;
    pump();
}

void FetchRelay::onFetchFailed(const FetchError &error) {
    if (m_done)
        return;
    if (!m_started) {
        if (m_connection)
            sendError(m_connection, error.code, error.message, error.ruleId);
        const bool refusal = httpStatusFor(error.code) == 403;
        finish(refusal ? TransferOutcome::Refused : TransferOutcome::UpstreamFailed, error.code, error.message,
               error.ruleId);
        return;
    }
    // Mid-body: the client must see a broken message, never a clean end.
    abortClient();
    finish(TransferOutcome::UpstreamFailed, error.code, error.message, error.ruleId);
}

// The message is left unfinished. The connection's closed() that follows is this relay's doing,
// not the client leaving: it must not turn the outcome into client_aborted.
void FetchRelay::abortClient() {
    if (!m_connection)
        return;
    disconnect(m_connection, nullptr, this, nullptr);
    m_connection->abortResponse();
}

void FetchRelay::onClientClosed() {
    if (m_done)
        return;
    m_fetch->abort();
    finish(TransferOutcome::ClientAborted);
}

void FetchRelay::finish(TransferOutcome outcome, ErrorCode code, const QString &message, const QString &rule) {
    if (m_done)
        return;
    m_done = true;
    m_result.outcome = outcome;
    m_result.code = code;
    m_result.message = message;
    m_result.rule = rule;
    m_result.redirects = m_fetch->redirectCount();
    m_result.finalUrl = m_fetch->currentUrl();
    // What left the machine: request lines, headers and bodies of every hop and attempt.
    m_result.bytesUp = m_fetch->bytesSent();
    m_result.durationMs = m_timer.isValid() ? m_timer.elapsed() : 0;
    if (m_connection)
        disconnect(m_connection, nullptr, this, nullptr);
    Q_EMIT finished(m_result);
    deleteLater();
}

} // namespace airlock
