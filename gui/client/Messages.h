#pragma once

#include "record/AuditRecord.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace airlock::gui {

// What the panel reads out of the admin channel's answers and events, parsed in one place so the
// widgets never touch JSON. Missing or mistyped fields become "unknown" (0, empty, -1), never a
// guess: the panel shows what the service said and nothing more. Decision events are audit
// records and are read as strictly as the audit log's own parser reads them.

enum class ServiceState { Disabled, Enabled, Lockdown };

struct ServiceStatus {
    bool enabled = false;
    bool lockdown = false;
    QString lockdownReason;
    QString version;
    QString policyPath;
    qint64 allowed = -1; // service counters since it started; -1 when not reported
    qint64 blocked = -1;
    qint64 bytesDown = -1;
    qint64 bytesUp = -1;
    int activeTransfers = -1;
    // The egress byte budget: request bytes sent to each destination host in the last hour
    // (sorted by host), and the policy's limit per host (-1 when not reported).
    QList<QPair<QString, qint64>> egressLastHour;
    qint64 egressBudgetPerHour = -1;

    ServiceState state() const;
    static ServiceStatus fromJson(const QJsonObject &result);
    bool operator==(const ServiceStatus &) const = default;
};

// A decision (made before anything is sent) or the end of the transfer it allowed: the service's
// AuditRecord, read with the one shared parser, and its time. Both carry the request's id, so the
// panel can show the transfer's status and bytes on the decision's row.
struct DecisionEvent : AuditRecord {
    QDateTime time;

    bool transferEnd() const { return event == EventKind::Transfer; }
    // nullopt (with the reason in *error) when the object is not a record, e.g. a field of the
    // wrong type: the panel drops it rather than show a guess.
    static std::optional<DecisionEvent> fromJson(const QJsonObject &data, QString *error = nullptr);
};

struct TransferInfo {
    QString id;
    QString method;
    QString host;
    QString path;
    qint64 bytes = 0;
    qint64 total = -1; // -1: the upstream did not say
    double rate = 0;   // bytes per second
    qint64 elapsedMs = 0;
    bool finished = false;
    TransferOutcome outcome = TransferOutcome::None; // when finished
    int status = 0;
    bool pull = false; // a model pull: path is the model's name, not a URL path

    static TransferInfo fromJson(const QJsonObject &data);
    static QList<TransferInfo> listFromJson(const QJsonValue &value);
};

// One file of a model pull (GET pull) or of its plan (a dry run).
struct PullFileInfo {
    QString path;
    qint64 size = -1;
    qint64 done = 0;
    bool verified = false;
    QString digest;
    QString digestKind; // "sha256", "git-sha1", ...
    QString error;      // why this file failed; empty when it did not

    bool operator==(const PullFileInfo &) const = default;
};

// A model pull as the service reports it (list_pulls, get_pull): its state in the service's
// words ("queued", "downloading", "publishing", "published", "failed", "cancelled", "stopped",
// "interrupted"), progress, and the files when the answer had them (hasFiles).
struct PullInfo {
    QString id;
    QString source;
    QString name;
    QString state;
    QString revision;
    qint64 bytesTotal = -1;
    qint64 bytesDone = 0;
    double rate = 0;        // bytes per second while downloading
    qint64 etaSeconds = -1; // -1: unknown
    int filesTotal = 0;
    int filesVerified = 0;
    QString currentFile;
    QString errorCode; // the service's stable code ("digest_mismatch", ...), empty when none
    QString errorMessage;
    QString publishedPath;
    QDateTime finished;
    bool hasFiles = false;
    QList<PullFileInfo> files;

    bool running() const; // queued, downloading or publishing
    bool canCancel() const { return running(); }
    bool canResume() const; // ended without being published
    bool published() const { return state == QLatin1String("published"); }
    // 0..100 by bytes; -1 when the total is unknown.
    int percent() const;
    bool operator==(const PullInfo &) const = default;
    static PullInfo fromJson(const QJsonObject &data);
};

// What a pull would download (start_pull with dry_run): nothing is fetched but the listing.
struct PullPlan {
    QString source;
    QString name;
    QString revision;
    QString destination;
    qint64 totalBytes = -1;
    qint64 freeBytes = -1;
    QList<PullFileInfo> files;

    static PullPlan fromJson(const QJsonObject &data);
};

} // namespace airlock::gui

Q_DECLARE_METATYPE(airlock::gui::ServiceStatus)
Q_DECLARE_METATYPE(airlock::gui::DecisionEvent)
Q_DECLARE_METATYPE(airlock::gui::TransferInfo)
Q_DECLARE_METATYPE(airlock::gui::PullInfo)
