#include "models/Format.h"

#include <QLocale>

namespace airlock::gui {

QString Format::bytes(qint64 bytes) {
    if (bytes < 0)
        return QStringLiteral("—");
    // Decimal units, as download tools and model cards state sizes.
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString Format::rate(double bytesPerSecond) {
    if (bytesPerSecond <= 0)
        return tr("0 B/s");
    return tr("%1/s").arg(bytes(qint64(bytesPerSecond)));
}

QString Format::duration(qint64 seconds) {
    if (seconds < 0)
        return QStringLiteral("—");
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

} // namespace airlock::gui
