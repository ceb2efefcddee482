#pragma once

#include "client/Messages.h"

#include <QCoreApplication>

namespace airlock::gui {

// What a transfer row says: progress in per mille (or -1 while the total is unknown), time
// left at the current rate, and the "1.2 GB of 4.0 GB · 25 MB/s · 2 min left" line. The
// service keeps finished transfers listed for a few seconds; they say how they ended.
class TransferList final {
    Q_DECLARE_TR_FUNCTIONS(airlock::gui::TransferList)

public:
    static int permille(const TransferInfo &t);
    static qint64 secondsLeft(const TransferInfo &t); // -1: unknown
    static QString progressText(const TransferInfo &t);
    static QString title(const TransferInfo &t);
    static QList<TransferInfo> active(const QList<TransferInfo> &all);
};

} // namespace airlock::gui
