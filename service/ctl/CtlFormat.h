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

} // namespace airlock::ctl
