#pragma once

#include "pull/FileDownload.h"
#include "pull/PullContext.h"
#include "pull/PullPlan.h"
#include "pull/PullResolver.h"
#include "pull/SafeFs.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>

#include <deque>
#include <optional>
#include <utility>

namespace airlock {

// Where a pull is. Terminal: Published, Failed, Cancelled, Stopped, Interrupted (all but
// Published keep their partial files and can be resumed).
enum class PullState {
    Queued,      // waiting for a slot (pulls.max_active)
    Downloading, // files streaming, hashed as they come
    Publishing,  // every file verified; moving into place
    Published,
    Failed,      // error says why
    Cancelled,   // DELETE /v1/pulls/{id}, airlockctl pull cancel
    Stopped,     // the Airlock was disabled or locked down
    Interrupted, // the service stopped (or crashed) while the pull ran
};
QString pullStateName(PullState state);
std::optional<PullState> pullStateFromName(QStringView name);
bool isRunning(PullState state); // Queued, Downloading, Publishing

// One file's progress within a pull.
struct PullFileProgress {
    PlannedFile file;
    qint64 done = 0;
    bool verified = false;
    int mismatches = 0; // digest mismatches so far; the second fails the pull
    int retries = 0;    // network failures in this run; each try goes on from the bytes on disk
    QString error;
};

// One model pull: its plan, files and state; downloads its files (pulls.max_parallel at once)
// into <pull dir>/.airlock-partial/<id>/, verifies each, and publishes the whole model in one
// step (see publish()). Its state is kept in <state dir>/pulls/<id>.json at every change of
// state, so a restart finds it (as Interrupted when it was running).
class Pull final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Pull)
public:
    Pull(const PullContext &context, QString id, PullPlan plan, QStringList include, QStringList exclude,
         QObject *parent = nullptr);

    // A pull read back from its state file; nullptr (and *error) when the file is not one.
    static Pull *fromStateJson(const PullContext &context, const QJsonObject &state, QString *error,
                               QObject *parent = nullptr);
    QJsonObject toStateJson() const;
    // The API's view: summary fields, and with files the per-file list.
    QJsonObject toJson(bool withFiles) const;

    QString id() const { return m_id; }
    PullState state() const { return m_state; }
    const PullPlan &plan() const { return m_plan; }
    const PullError &error() const { return m_error; }
    qint64 bytesDone() const;
    qint64 bytesTotal() const { return m_plan.totalBytes(); }
    int filesVerified() const;
    // Bytes still to download: the plan less what lies in the partial folder (read from disk,
    // so right after a restart too).
    qint64 bytesLeft() const;
    QString currentFile() const;
    QString publishedPath() const { return m_publishedPath; }
    QString displayName() const { return m_plan.source.displayName(); }
    QString host() const;

    // The ids of the requests that resolved the plan (they belong in the pull's record).
    void adoptRequestIds(const QStringList &ids);
    QString nextRequestId(); // "<id>.<n>": the audit id of the pull's next request
    void setQueued();
    // Starts (or resumes) the downloads. authorization: the registry's token answer for Ollama.
    void run(const QByteArray &authorization);
    // Ends a queued or running pull: Cancelled, Stopped or Interrupted. Partial files stay.
    void halt(PullState why, const PullError &reason = {});
    // Removes the partial files (a pull that is not running).
    bool discardPartials(QString *error);
    // The state file; false (with *error) when it could not be written.
    bool save(QString *error) const;
    bool removeStateFile() const;

    // Where the model goes: <pull dir>/hf/<org>/<repo>/<commit>, or <pull dir>/ollama with the
    // manifest at manifests/registry.ollama.ai/<ns>/<name>/<tag>. Relative to the pull dir.
    static QString publishRelativePath(const PullPlan &plan);
    // Whether something is already published where this plan would go.
    static bool alreadyPublished(int pullDirFd, const PullPlan &plan);
    static constexpr int kMaxRetries = 3; // per file and run, for a broken or failed transfer

Q_SIGNALS:
    void stateChanged(airlock::PullState state);
    void progress(qint64 bytesDone, qint64 bytesTotal);
    void ended(); // reached a terminal state (run() only)

private:
    void startMore();
    void onFileFinished(FileDownload *download, const PullError &error);
    void publish();
    bool publishHuggingFace(QString *error);
    bool publishOllama(QString *error);
    QByteArray pullRecordJson() const;
    void finish(PullState state, const PullError &error = {});
    void setState(PullState state);
    void stopDownloads();
    qint64 partialSize(const QString &path) const; // -1 when missing or not a plain file
    static qint64 partialSizeIn(int partialRoot, const QString &path);

    PullContext m_ctx;
    QString m_id;
    PullPlan m_plan;
    QStringList m_include, m_exclude;
    QList<PullFileProgress> m_files;
    PullState m_state = PullState::Queued;
    PullError m_error;
    QDateTime m_created, m_started, m_finished;
    QString m_publishedPath;
    QStringList m_requestIds;
    int m_requestSerial = 0;
    QByteArray m_authorization;
    Fd m_pullDir;
    Fd m_partial;
    QList<FileDownload *> m_downloads;
    qint64 m_bytesAtStart = 0;
    QElapsedTimer m_runTimer;
    // (ms since the run began, bytes done) a few times a second over the last kRateWindowMs: the
    // rate shown is the recent one, so a stalled pull shows 0 and no time left, not its average.
    static constexpr qint64 kRateWindowMs = 5'000;
    std::deque<std::pair<qint64, qint64>> m_rateSamples;
    void noteProgress();
    double recentRate() const;
};

} // namespace airlock
