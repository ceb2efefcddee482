#include "pull/FileDownload.h"

#include "pull/PullFetch.h"

#include <QRegularExpression>
#include <QTimer>

#include <fcntl.h>
#include <unistd.h>

namespace airlock {

namespace {

constexpr qint64 kReadChunk = 1024 * 1024;

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
}

void FileDownload::abort() {
    if (m_ended)
        return;
    m_ended = true;
    if (m_fetch)
        m_fetch->abort();
    m_fd = Fd();
}

void FileDownload::start() {
    QString error;
    const Fd dir = safefs::openDir(m_root, folderOf(m_file.path), true, &error);
    if (!dir.isValid())
        return fail(ErrorCode::UnsafePath, error);
    const QString name = fileName(m_file.path);
    const bool present = safefs::exists(dir.get(), name);
    m_fd = safefs::openFile(dir.get(), name, !present, &error);
    if (!m_fd.isValid())
        return fail(ErrorCode::UnsafePath, error);
    const off_t size = ::lseek(m_fd.get(), 0, SEEK_END);
    m_digest.reset(m_file.kind, m_file.size);
    if (size < 0 || size > m_file.size) {
        // More than the file can hold: what is there is not a prefix of it.
        if (!restartFromZero())
            return;
        request();
        return;
    }
    m_done = 0;
    m_rehashed = 0;
    m_writebackFrom = 0;
    if (size == 0)
        return request();
    // Hash what an earlier run left, a slice per event-loop turn, then ask for the rest.
    m_done = size;
    QTimer::singleShot(0, this, &FileDownload::rehashSlice);
}

void FileDownload::rehashSlice() {
    if (m_ended)
        return;
    QByteArray buffer(int(qMin<qint64>(kReadChunk, m_done)), Qt::Uninitialized);
    const qint64 sliceEnd = qMin(m_done, m_rehashed + kRehashSlice);
    while (m_rehashed < sliceEnd) {
        const qint64 want = qMin<qint64>(buffer.size(), sliceEnd - m_rehashed);
        const ssize_t n = ::pread(m_fd.get(), buffer.data(), size_t(want), off_t(m_rehashed));
        if (n <= 0)
            return fail(ErrorCode::UpstreamFailed, QStringLiteral("cannot read the partial file %1").arg(m_file.path));
        m_digest.update(buffer.constData(), n);
        m_rehashed += n;
    }
    if (m_rehashed < m_done) {
        QTimer::singleShot(0, this, &FileDownload::rehashSlice);
        return;
    }
    m_writebackFrom = m_done;
    Q_EMIT progress(m_done);
    if (m_done == m_file.size)
        return verify();
    request();
}

bool FileDownload::restartFromZero() {
    if (::ftruncate(m_fd.get(), 0) != 0 || ::lseek(m_fd.get(), 0, SEEK_SET) != 0) {
        fail(ErrorCode::UpstreamFailed, QStringLiteral("cannot truncate the partial file %1").arg(m_file.path));
        return false;
    }
    m_digest.reset(m_file.kind, m_file.size);
    m_done = 0;
    m_writebackFrom = 0;
    Q_EMIT progress(0);
    return true;
}

void FileDownload::request() {
    if (m_ended)
        return;
    if (m_file.size == 0)
        return verify(); // nothing to fetch: the digest of no bytes decides
    if (::lseek(m_fd.get(), off_t(m_done), SEEK_SET) != off_t(m_done))
        return fail(ErrorCode::UpstreamFailed, QStringLiteral("cannot seek in the partial file %1").arg(m_file.path));
    HeaderList headers{{"Accept-Encoding", "identity"}};
    if (m_done > 0)
        headers.append({"Range", "bytes=" + QByteArray::number(m_done) + '-'});
    if (!m_authorization.isEmpty())
        headers.append({"Authorization", m_authorization}); // the Gate drops it on a hop to another host
    auto *fetch = new PullFetch(m_ctx, m_nextId(), this);
    m_fetch = fetch;
    connect(fetch, &PullFetch::responseStarted, this, &FileDownload::onResponseStarted);
    connect(fetch, &PullFetch::readyRead, this, &FileDownload::onReadyRead);
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
        if (m_done > 0 && !restartFromZero()) // the upstream ignored the Range: start over
            return;
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

void FileDownload::onReadyRead() {
    if (m_ended || !m_fetch)
        return;
    UpstreamFetch *f = m_fetch->fetch();
    while (f->bytesAvailable() > 0) {
        const QByteArray chunk = f->read(kReadChunk);
        if (m_done + chunk.size() > m_file.size) {
            m_fetch->finish(TransferOutcome::UpstreamFailed, ErrorCode::DigestMismatch);
            return fail(ErrorCode::DigestMismatch,
                        QStringLiteral("the upstream sent more of %1 than its listed size").arg(m_file.path));
        }
        QString error;
        bool noSpace = false;
        if (!safefs::writeAll(m_fd.get(), chunk.constData(), chunk.size(), &error, &noSpace)) {
            m_fetch->finish(TransferOutcome::UpstreamFailed, ErrorCode::UpstreamFailed);
            if (noSpace)
                return fail(ErrorCode::InsufficientStorage,
                            QStringLiteral("the pull folder ran out of space while writing %1").arg(m_file.path));
            return fail(ErrorCode::UpstreamFailed, QStringLiteral("%1 (%2)").arg(error, m_file.path));
        }
        m_digest.update(chunk.constData(), chunk.size());
        m_done += chunk.size();
        m_fetched += chunk.size();
    }
    if (m_done - m_writebackFrom >= kWritebackEvery) {
        // Start writing back what is written so the sync at the end finds little left, and let
        // the page cache drop what was written back a window ago: a model of many GB would
        // otherwise push everything else out of memory, and the kernel's copy into ever new
        // cache pages is most of a pull's CPU.
        ::sync_file_range(m_fd.get(), off_t(m_writebackFrom), off_t(m_done - m_writebackFrom), SYNC_FILE_RANGE_WRITE);
        if (m_writebackFrom > kWritebackEvery)
            ::posix_fadvise(m_fd.get(), 0, off_t(m_writebackFrom - kWritebackEvery), POSIX_FADV_DONTNEED);
        m_writebackFrom = m_done;
    }
    Q_EMIT progress(m_done);
}

void FileDownload::onFetchFinished() {
    if (m_ended || !m_fetch)
        return;
    onReadyRead();
    if (m_ended)
        return;
    if (m_done != m_file.size) {
        m_fetch->finish(TransferOutcome::UpstreamFailed, ErrorCode::UpstreamFailed);
        return fail(ErrorCode::UpstreamFailed,
                    QStringLiteral("the upstream sent %1 of %2 bytes of %3").arg(m_done).arg(m_file.size).arg(m_file.path));
    }
    m_fetch->finish(TransferOutcome::Complete);
    verify();
}

void FileDownload::onFetchFailed(const FetchError &error) {
    if (m_ended || !m_fetch)
        return;
    m_fetch->finish(outcomeOf(error), error.code, error.ruleId);
    fail(error.code, QStringLiteral("%1 (%2)").arg(error.message, m_file.path));
}

void FileDownload::verify() {
    if (m_ended)
        return;
    if (m_done != m_file.size)
        return fail(ErrorCode::DigestMismatch, QStringLiteral("%1 is not %2 bytes").arg(m_file.path).arg(m_file.size));
    const QByteArray digest = m_digest.hex();
    if (digest != m_file.digest)
        return fail(ErrorCode::DigestMismatch,
                    QStringLiteral("%1 does not match its %2 digest").arg(m_file.path, digestKindName(m_file.kind)));
    if (::fdatasync(m_fd.get()) != 0)
        return fail(ErrorCode::UpstreamFailed, QStringLiteral("cannot sync %1 to disk").arg(m_file.path));
    m_ended = true;
    m_fd = Fd();
    Q_EMIT finished(PullError{});
}

void FileDownload::fail(ErrorCode code, const QString &message) {
    if (m_ended)
        return;
    m_ended = true;
    if (m_fetch) {
        m_fetch->abort();
    }
    m_fd = Fd();
    Q_EMIT finished(PullError{code, message});
}

} // namespace airlock
