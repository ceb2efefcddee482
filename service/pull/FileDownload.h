#pragma once

#include "pull/Digest.h"
#include "pull/PullContext.h"
#include "pull/PullPlan.h"
#include "pull/PullResolver.h"
#include "pull/SafeFs.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace airlock {

class PullFetch;

// One file of a pull into its partial folder: what is already on disk is hashed again and the
// rest asked for with a Range request, so nothing is downloaded twice; every byte is hashed as
// it streams and the file is checked against its size and digest at the end. The file is
// created below the partial folder's descriptor (SafeFs): a link planted there is never
// followed. Writeback starts while the file streams, and the file is synced before it is
// reported verified.
class FileDownload final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileDownload)
public:
    FileDownload(const PullContext &context, std::function<QString()> nextRequestId, int partialRoot,
                 PlannedFile file, QByteArray authorization, QObject *parent = nullptr);
    ~FileDownload() override;

    void start();
    void abort(); // stops at once; the partial file stays for a resume; no further signals

    const PlannedFile &file() const { return m_file; }
    qint64 bytesOnDisk() const { return m_done; }
    qint64 bytesFetched() const { return m_fetched; } // from the network in this run

    static constexpr qint64 kRehashSlice = 8 * 1024 * 1024; // bytes hashed per event-loop turn
    static constexpr qint64 kWritebackEvery = 64 * 1024 * 1024;

Q_SIGNALS:
    void progress(qint64 bytesOnDisk);
    // error.ok(): the file is complete, its size and digest verified, synced.
    // DigestMismatch: the bytes are not the file's (the partial file is left for the caller).
    void finished(const airlock::PullError &error);

private:
    void rehashSlice();
    void request();
    void onResponseStarted(int status, const HeaderList &headers, qint64 contentLength);
    void onReadyRead();
    void onFetchFinished();
    void onFetchFailed(const FetchError &error);
    void verify();
    bool restartFromZero();
    void fail(ErrorCode code, const QString &message);

    PullContext m_ctx;
    std::function<QString()> m_nextId;
    int m_root;
    PlannedFile m_file;
    QByteArray m_authorization;
    Fd m_fd;
    StreamingDigest m_digest;
    qint64 m_done = 0;      // bytes on disk, hashed
    qint64 m_rehashed = 0;  // while hashing what was there
    qint64 m_fetched = 0;
    qint64 m_writebackFrom = 0;
    QPointer<PullFetch> m_fetch;
    bool m_ended = false;
};

} // namespace airlock
