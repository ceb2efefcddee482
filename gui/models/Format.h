#pragma once

#include <QCoreApplication>
#include <QString>

namespace airlock::gui {

// Human-readable sizes, rates and durations for the panel, in the user's language. Kept in one
// place so the Activity table, the transfer rows and the kiosk board say "1.5 GB" the same way.
class Format final {
    Q_DECLARE_TR_FUNCTIONS(airlock::gui::Format)

public:
    static QString bytes(qint64 bytes);
    static QString rate(double bytesPerSecond);
    // Seconds as "45 s", "3 min 20 s", "2 h 5 min"; a negative value means unknown: "—".
    static QString duration(qint64 seconds);
};

} // namespace airlock::gui
