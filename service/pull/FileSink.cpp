#include "pull/FileSink.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace airlock {

FileSink::FileSink(Fd fd, DigestKind kind, qint64 size)
    : m_fd(std::move(fd))
    , m_kind(kind)
    , m_size(size) {
    m_digest.reset(m_kind, m_size);
}

void FileSink::rehash(qint64 length) {
    QByteArray buffer(int(qMin(kReadChunk, qMax<qint64>(length, 1))), Qt::Uninitialized);
    while (m_done < length) {
        if (m_cancelled.load(std::memory_order_relaxed))
            return;
        const ssize_t n =
            ::pread(m_fd.get(), buffer.data(), size_t(qMin<qint64>(buffer.size(), length - m_done)), off_t(m_done));
        if (n <= 0) {
            m_failed = true;
            Q_EMIT rehashed(m_done, QStringLiteral("cannot read the partial file"));
            return;
        }
        m_digest.update(buffer.constData(), n);
        m_done += n;
    }
    m_writebackFrom = m_done;
    if (::lseek(m_fd.get(), off_t(m_done), SEEK_SET) != off_t(m_done)) {
        m_failed = true;
        Q_EMIT rehashed(m_done, QStringLiteral("cannot seek in the partial file"));
        return;
    }
    Q_EMIT rehashed(m_done, {});
}

void FileSink::restart() {
    if (::ftruncate(m_fd.get(), 0) != 0 || ::lseek(m_fd.get(), 0, SEEK_SET) != 0)
        m_failed = true;
    m_digest.reset(m_kind, m_size);
    m_done = 0;
    m_writebackFrom = 0;
}

void FileSink::write(const QByteArray &data) {
    if (m_cancelled.load(std::memory_order_relaxed))
        return;
    if (m_failed) {
        Q_EMIT written(0, QStringLiteral("cannot write the partial file"), false);
        return;
    }
    QString error;
    bool noSpace = false;
    if (!safefs::writeAll(m_fd.get(), data.constData(), data.size(), &error, &noSpace)) {
        m_failed = true;
        Q_EMIT written(0, error, noSpace);
        return;
    }
    m_digest.update(data.constData(), data.size());
    m_done += data.size();
    if (m_done - m_writebackFrom >= kWritebackEvery) {
        // Start writing back what is written so the sync at the end finds little left, and let
        // the page cache drop what was written back a window ago: a model of many GB would
        // otherwise push everything else out of memory, and the kernel's copy into ever new
        // cache pages was most of a pull's CPU (docs/PERFORMANCE.md).
        ::sync_file_range(m_fd.get(), off_t(m_writebackFrom), off_t(m_done - m_writebackFrom), SYNC_FILE_RANGE_WRITE);
        if (m_writebackFrom > kWritebackEvery)
            ::posix_fadvise(m_fd.get(), 0, off_t(m_writebackFrom - kWritebackEvery), POSIX_FADV_DONTNEED);
        m_writebackFrom = m_done;
    }
    Q_EMIT written(data.size(), {}, false);
}

void FileSink::finish() {
    if (m_cancelled.load(std::memory_order_relaxed))
        return;
    if (m_failed) {
        Q_EMIT finished({}, QStringLiteral("cannot write the partial file"));
        return;
    }
    if (::fdatasync(m_fd.get()) != 0) {
        Q_EMIT finished(
            {}, QStringLiteral("cannot sync the file to disk: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        return;
    }
    m_fd = Fd();
    Q_EMIT finished(m_digest.hex(), {});
}

} // namespace airlock
