#include "pull/FileDownload.h"

#include "pull/FileSink.h"
#include "pull/PullFetch.h"

#include <QThread>

#include <fcntl.h>
#include <unistd.h>

namespace airlock {

namespace {

// "bytes FIRST-LAST/TOTAL" (RFC 9110 14.4); TOTAL may be "*".
bool parseContentRange(const QByteArray &value, qint64 *first, qint64 *last, qint64 *total) {
    const QByteArray v = value.trimmed();
    if (!v.startsWith("bytes "))
        return false;
    const qsizetype dash = v.indexOf('-', 6);
    const qsizetype slash = v.indexOf('/', dash + 1);
    if (dash < 0 || slash < 0)
        return false;
    bool ok1 = false, ok2 = false, ok3 = true;
    *first = v.mid(6, dash - 6).toLongLong(&ok1);
    *last = v.mid(dash + 1, slash - dash - 1).toLongLong(&ok2);
    const QByteArray t = v.mid(slash + 1);
    *total = t == "*" ? -1 : t.toLongLong(&ok3);
    return ok1 && ok2 && ok3 && *first >= 0 && *last >= *first;
}

QString fileName(const QString &path) {
    return path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
}

QString folderOf(const QString &path) {
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

} // namespace

FileDownload::FileDownload(const PullContext &context, std::function<QString()> nextRequestId, int partialRoot,
                           PlannedFile file, QByteArray authorization, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
    , m_nextId(std::move(nextRequestId))
    , m_root(partialRoot)
    , m_file(std::move(file))
    , m_authorization(std::move(authorization)) {}

FileDownload::~FileDownload() {
    m_ended = true;
    if (m_fetch)
        m_fetch->abort();
    dropSink();
}

void FileDownload::dropSink() {
    if (!m_sink)
        return;
    disconnect(m_sink, nullptr, this, nullptr);
    m_sink->cancel();      // a long rehash or queued writes stop early
    m_sink->deleteLater(); // on its own thread, after what was queued to it
    m_sink = nullptr;
}

void FileDownload::abort() {
    if (m_ended)
        return;
    m_ended = true;
    if (m_fetch)
        m_fetch->abort();
    dropSink();
}

void FileDownload::start() {
    QString error;
    const Fd dir = safefs::openDir(m_root, folderOf(m_file.path), true, &error);
    if (!dir.isValid())
        return fail(ErrorCode::UnsafePath, error);
    const QString name = fileName(m_file.path);
    const bool present = safefs::exists(dir.get(), name);
    Fd fd = safefs::openFile(dir.get(), name, !present, &error);
    if (!fd.isValid())
        return fail(ErrorCode::UnsafePath, error);
    off_t size = ::lseek(fd.get(), 0, SEEK_END);
    if (size < 0 || size > m_file.size) {
        // More than the file can hold: what is there is not a prefix of it.
        if (::ftruncate(fd.get(), 0) != 0)
            return fail(ErrorCode::UpstreamFailed, QStringLiteral("cannot truncate %1").arg(m_file.path));
        size = 0;
    }
    ::lseek(fd.get(), 0, SEEK_SET);
    m_sink = new FileSink(std::move(fd), m_file.kind, m_file.size);
    if (m_ctx.writerThread)
        m_sink->moveToThread(m_ctx.writerThread);
    connect(m_sink, &FileSink::rehashed, this, &FileDownload::onRehashed, Qt::QueuedConnection);
    connect(m_sink, &FileSink::written, this, &FileDownload::onWritten, Qt::QueuedConnection);
    connect(m_sink, &FileSink::finished, this, &FileDownload::onSinkFinished, Qt::QueuedConnection);
    // What an earlier run left is hashed again (on the writer thread), then the rest is asked for.
    const qint64 onDisk = size;
    QMetaObject::invokeMethod(
        m_sink, [sink = m_sink, onDisk] { sink->rehash(onDisk); }, Qt::QueuedConnection);
}

void FileDownload::onRehashed(qint64 length, const QString &error) {
    if (m_ended)
        return;
    if (!error.isEmpty())
        return fail(ErrorCode::UpstreamFailed, QStringLiteral("%1 (%2)").arg(error, m_file.path));
    m_done = m_accepted = length;
    Q_EMIT progress(m_done);
    request();
}

void FileDownload::request() {
    if (m_ended)
        return;
    if (m_done == m_file.size) {
        // Nothing (left) to fetch: the digest of what is there decides.
        m_fetchDone = true;
        return completeTransfer();
    }
    HeaderList headers{{"Accept-Encoding", "identity"}};
    if (m_done > 0)
        headers.append({"Range", "bytes=" + QByteArray::number(m_done) + '-'});
    if (!m_authorization.isEmpty())
        headers.append({"Authorization", m_authorization}); // the Gate drops it on a hop to another host
    auto *fetch = new PullFetch(m_ctx, m_nextId(), this);
    m_fetch = fetch;
    connect(fetch, &PullFetch::responseStarted, this, &FileDownload::onResponseStarted);
    connect(fetch, &PullFetch::readyRead, this, &FileDownload::pump);
    connect(fetch, &PullFetch::finished, this, &FileDownload::onFetchFinished);
    connect(fetch, &PullFetch::failed, this, &FileDownload::onFetchFailed);
    FetchError refused;
    if (!fetch->start(m_file.url, QStringLiteral("GET"), headers, &refused))
        return fail(refused.code, refused.message);
}

void FileDownload::onResponseStarted(int status, const HeaderList &headers, qint64 contentLength) {
    if (m_ended)
        return;
    if (status == 206 && m_done > 0) {
        qint64 first = 0, last = 0, total = 0;
        if (!parseContentRange(headerValue(headers, "content-range"), &first, &last, &total) || first != m_done ||
            last != m_file.size - 1 || (total >= 0 && total != m_file.size)) {
            m_fetch->finish(TransferOutcome::UpstreamFailed, ErrorCode::UpstreamFailed);
            return fail(ErrorCode::UpstreamFailed,
                        QStringLiteral("the upstream answered another range of %1 than asked for").arg(m_file.path));
        }
    } else if (status == 200) {
        if (m_done > 0) {
            // The upstream ignored the Range: start over (queued before any new bytes).
            QMetaObject::invokeMethod(
                m_sink, [sink = m_sink] { sink->restart(); }, Qt::QueuedConnection);
            m_done = m_accepted = 0;
            Q_EMIT progress(0);
        }
        if (contentLength >= 0 && contentLength != m_file.size) {
            m_fetch->finish(TransferOutcome::UpstreamFailed, ErrorCode::DigestMismatch);
            return fail(ErrorCode::DigestMismatch, QStringLiteral("%1 is %2 bytes upstream, the listing said %3")
                                                       .arg(m_file.path)
                                                       .arg(contentLength)
                                                       .arg(m_file.size));
        }
    } else {
        const ErrorCode code = status == 404 ? ErrorCode::NotFound : ErrorCode::UpstreamFailed;
        m_fetch->finish(TransferOutcome::UpstreamFailed, code);
        return fail(code, QStringLiteral("the upstream answered %1 for %2").arg(status).arg(m_file.path));
    }
}

void FileDownload::pump() {
    if (m_ended || !m_fetch)
        return;
    UpstreamFetch *f = m_fetch->fetch();
    while (m_inFlight < kMaxInFlight && f->bytesAvailable() > 0) {
        const QByteArray chunk = f->read(kReadChunk);
        if (m_accepted + chunk.size() > m_file.size) {
            m_fetch->finish(TransferOutcome::UpstreamFailed, ErrorCode::DigestMismatch);
            return fail(ErrorCode::DigestMismatch,
                        QStringLiteral("the upstream sent more of %1 than its listed size").arg(m_file.path));
        }
        m_accepted += chunk.size();
        m_inFlight += chunk.size();
        QMetaObject::invokeMethod(
            m_sink, [sink = m_sink, chunk] { sink->write(chunk); }, Qt::QueuedConnection);
    }
    if (m_fetchDone && m_inFlight == 0 && f->bytesAvailable() == 0)
        completeTransfer();
}

void FileDownload::onWritten(qint64 bytes, const QString &error, bool noSpace) {
    if (m_ended)
        return;
    if (!error.isEmpty()) {
        if (m_fetch)
            m_fetch->finish(TransferOutcome::UpstreamFailed, ErrorCode::UpstreamFailed);
        if (noSpace)
            return fail(ErrorCode::InsufficientStorage,
                        QStringLiteral("the pull folder ran out of space while writing %1").arg(m_file.path));
        return fail(ErrorCode::UpstreamFailed, QStringLiteral("%1 (%2)").arg(error, m_file.path));
    }
    m_inFlight -= bytes;
    m_done += bytes;
    Q_EMIT progress(m_done);
    pump(); // room again: read on (and end, when all is in)
}

void FileDownload::onFetchFinished() {
    if (m_ended || !m_fetch)
        return;
    m_fetchDone = true;
    pump();
}

void FileDownload::onFetchFailed(const FetchError &error) {
    if (m_ended || !m_fetch)
        return;
    m_fetch->finish(outcomeOf(error), error.code, error.ruleId);
    fail(error.code, QStringLiteral("%1 (%2)").arg(error.message, m_file.path));
}

void FileDownload::completeTransfer() {
    if (m_ended || m_finishing)
        return;
    if (m_accepted != m_file.size) {
        if (m_fetch)
            m_fetch->finish(TransferOutcome::UpstreamFailed, ErrorCode::UpstreamFailed);
        return fail(
            ErrorCode::UpstreamFailed,
            QStringLiteral("the upstream sent %1 of %2 bytes of %3").arg(m_accepted).arg(m_file.size).arg(m_file.path));
    }
    if (m_fetch && !m_fetch->finish(TransferOutcome::Complete))
        return fail(ErrorCode::AuditUnavailable, QStringLiteral("audit log unavailable: pull stopped"));
    m_finishing = true;
    QMetaObject::invokeMethod(
        m_sink, [sink = m_sink] { sink->finish(); }, Qt::QueuedConnection);
}

void FileDownload::onSinkFinished(const QByteArray &digestHex, const QString &error) {
    if (m_ended)
        return;
    if (!error.isEmpty())
        return fail(ErrorCode::UpstreamFailed, QStringLiteral("%1 (%2)").arg(error, m_file.path));
    if (digestHex != m_file.digest)
        return fail(ErrorCode::DigestMismatch,
                    QStringLiteral("%1 does not match its %2 digest").arg(m_file.path, digestKindName(m_file.kind)));
    m_ended = true;
    dropSink();
    Q_EMIT finished(PullError{});
}

void FileDownload::fail(ErrorCode code, const QString &message) {
    if (m_ended)
        return;
    m_ended = true;
    if (m_fetch)
        m_fetch->abort();
    dropSink();
    Q_EMIT finished(PullError{code, message});
}

} // namespace airlock
