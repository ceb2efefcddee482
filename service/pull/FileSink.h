#pragma once

#include "pull/Digest.h"
#include "pull/PullPlan.h"
#include "pull/SafeFs.h"

#include <QByteArray>
#include <QObject>

#include <atomic>

namespace airlock {

// The disk side of one file of a pull, on the pulls' writer thread, so that neither a slow
// disk nor hashing holds up the service's event loop: it hashes again what an earlier run left,
// then writes and hashes each chunk it is given, in order, and at the end syncs the file and
// gives its digest. Its slots are called through queued connections; it answers with signals.
class FileSink final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileSink)
public:
    FileSink(Fd fd, DigestKind kind, qint64 size);

    // From any thread: what is queued or running stops at the next chunk; nothing more is
    // written or hashed.
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }

    static constexpr qint64 kReadChunk = 1024 * 1024;
    static constexpr qint64 kWritebackEvery = 64 * 1024 * 1024;

public Q_SLOTS:
    void rehash(qint64 length);         // hash [0, length) of what is on disk → rehashed()
    void restart();                     // truncate to nothing, hash from the start
    void write(const QByteArray &data); // → written()
    void finish();                      // sync → finished()

Q_SIGNALS:
    void rehashed(qint64 length, const QString &error);
    void written(qint64 bytes, const QString &error, bool noSpace);
    void finished(const QByteArray &digestHex, const QString &error);

private:
    Fd m_fd;
    DigestKind m_kind;
    qint64 m_size;
    StreamingDigest m_digest;
    qint64 m_done = 0;
    qint64 m_writebackFrom = 0;
    bool m_failed = false;
    std::atomic<bool> m_cancelled{false};
};

} // namespace airlock
