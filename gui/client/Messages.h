#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace airlock::gui {

// What the panel reads out of the admin channel's answers and events, parsed in one place so the
// widgets never touch JSON. Missing or mistyped fields become "unknown" (0, empty, -1), never a
// guess: the panel shows what the service said and nothing more.

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

    ServiceState state() const;
    static ServiceStatus fromJson(const QJsonObject &result);
    bool operator==(const ServiceStatus &) const = default;
};

// A decision (made before anything is sent) or the end of the transfer it allowed; both carry
// the request's id, so the panel can show the transfer's status and bytes on the decision's row.
struct DecisionEvent {
    QDateTime time;
    QString id;
    bool transferEnd = false;
    QString outcome; // transfer end: "complete", "upstream_failed", "client_aborted", ...
    bool allowed = false;
    QString code;
    QString rule;
    QString method;
    QString host;
    QString path;
    int status = 0;
    qint64 bytes = 0;
    qint64 durationMs = 0;

    static DecisionEvent fromJson(const QJsonObject &data);
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
    QString outcome; // finished: "complete", "upstream_failed", ...
    int status = 0;

    static TransferInfo fromJson(const QJsonObject &data);
    static QList<TransferInfo> listFromJson(const QJsonValue &value);
};

} // namespace airlock::gui

Q_DECLARE_METATYPE(airlock::gui::ServiceStatus)
Q_DECLARE_METATYPE(airlock::gui::DecisionEvent)
Q_DECLARE_METATYPE(airlock::gui::TransferInfo)
