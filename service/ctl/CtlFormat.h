#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace airlock::ctl {

// Human output of airlockctl: aligned text, no colour. Pure functions, so they can be tested.
QString formatStatus(const QJsonObject &status);
// One line per audit record (the admin channel's events), read with the shared record parser.
QString formatEvent(const QJsonObject &event);
QString formatAllowList(const QJsonObject &policy);
// One line per transfer; with width > 0 a progress bar of that many cells.
QStringList formatTransfers(const QJsonObject &snapshot, int barWidth);
QString humanBytes(qint64 bytes);
// A pull (GET /v1/pulls/{id}, get_pull) as one progress line: percent, bytes, rate, time
// left, files verified, the current file; with width > 0 a bar of that many cells.
QString formatPullProgress(const QJsonObject &pull, int barWidth);
// The pulls list: one line each (id, state, name, progress or outcome).
QStringList formatPulls(const QJsonObject &list);
// A dry run's plan: the revision, each file with its size and digest kind, the total and the
// free space.
QString formatPullPlan(const QJsonObject &plan);
// "1:02:03" / "2:03"; "-" when unknown.
QString formatDuration(qint64 seconds);

} // namespace airlock::ctl
