#pragma once

#include "pull/PullContext.h"
#include "pull/PullPlan.h"
#include "pull/PullResolver.h"
#include "pull/SafeFs.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace airlock {

class PullFetch;

class FileSink;

// One file of a pull into its partial folder: what is already on disk is hashed again and the
// rest asked for with a Range request, so nothing is downloaded twice; every byte is hashed as
// it is written and the file is checked against its size and digest at the end. The file is
// created below the partial folder's descriptor (SafeFs): a link planted there is never
// followed. The disk work happens in a FileSink on the pulls' writer thread; at most
// kMaxInFlight bytes wait for it, after which the upstream is not read (its socket buffer
// fills and TCP slows the sender).
class FileDownload final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileDownload)
public:
    FileDownload(const PullContext &context, std::function<QString()> nextRequestId, int partialRoot, PlannedFile file,
                 QByteArray authorization, QObject *parent = nullptr);
    ~FileDownload() override;

    void start();
    void abort(); // stops at once; the partial file stays for a resume; no further signals

    const PlannedFile &file() const { return m_file; }
    qint64 bytesOnDisk() const { return m_done; }

    static constexpr qint64 kReadChunk = 1024 * 1024;
    static constexpr qint64 kMaxInFlight = 8 * 1024 * 1024;

Q_SIGNALS:
    void progress(qint64 bytesOnDisk);
    // error.ok(): the file is complete, its size and digest verified, synced.
    // DigestMismatch: the bytes are not the file's (the partial file is left for the caller).
    void finished(const airlock::PullError &error);

private:
    void onRehashed(qint64 length, const QString &error);
    void request();
    void onResponseStarted(int status, const HeaderList &headers, qint64 contentLength);
    void pump();
    void onWritten(qint64 bytes, const QString &error, bool noSpace);
    void onFetchFinished();
    void onFetchFailed(const FetchError &error);
    void completeTransfer();
    void onSinkFinished(const QByteArray &digestHex, const QString &error);
    void fail(ErrorCode code, const QString &message);
    void dropSink();

    PullContext m_ctx;
    std::function<QString()> m_nextId;
    int m_root;
    PlannedFile m_file;
    QByteArray m_authorization;
    FileSink *m_sink = nullptr;
    qint64 m_done = 0;     // bytes on disk, hashed
    qint64 m_accepted = 0; // bytes read from the upstream or found on disk (m_done + in flight)
    qint64 m_inFlight = 0; // handed to the sink, not yet written
    bool m_fetchDone = false;
    bool m_finishing = false;
    QPointer<PullFetch> m_fetch;
    bool m_ended = false;
};

} // namespace airlock
