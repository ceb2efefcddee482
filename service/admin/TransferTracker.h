#pragma once

#include "record/AuditRecord.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

namespace airlock {

// The downloads in progress, for the admin channel: bytes done, total when the upstream said,
// and a smoothed rate. Finished ones stay listed for a while with their outcome, so a viewer
// sees how a transfer ended. While anything is active (or just changed) a snapshot is
// published every tick; an idle tracker stays quiet.
class TransferTracker final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferTracker)
public:
    using Clock = std::function<qint64()>; // milliseconds, monotonic

    explicit TransferTracker(Clock clock = {}, int tickMs = 250, qint64 keepFinishedMs = 10'000,
                             QObject *parent = nullptr);

    void started(const QString &id, const QString &method, const QString &host, const QString &path);
    void progress(const QString &id, qint64 bytes, qint64 total);
    void finished(const AuditRecord &transfer); // event "transfer" and "pull_finished" records
    // Extra fields listed with a transfer (a model pull's: kind, files_verified, files_total,
    // current_file).
    void setDetail(const QString &id, const QJsonObject &detail);

    // {transfers: [{id, method, host, path, bytes, total, rate, state, outcome?, status?, elapsed}]}
    QJsonObject snapshot() const;
    int activeCount() const;
    // One step of the timer: update rates, drop old finished entries, publish if anything to say.
    void tick();

Q_SIGNALS:
    void updated(const QJsonObject &snapshot);

private:
    struct Transfer {
        QString id, method, host, path;
        qint64 bytes = 0;
        qint64 total = -1;
        double rate = 0; // bytes per second
        qint64 startedMs = 0;
        qint64 sampleMs = 0;
        qint64 sampleBytes = 0;
        bool done = false;
        TransferOutcome outcome = TransferOutcome::None;
        int status = 0;
        qint64 finishedMs = 0;
        QJsonObject detail;
    };
    Transfer *find(const QString &id);
    void ensureTicking();

    Clock m_clock;
    QElapsedTimer m_elapsed;
    QTimer m_timer;
    qint64 m_keepFinishedMs;
    QList<Transfer> m_transfers;
    bool m_dirty = false;
};

} // namespace airlock
