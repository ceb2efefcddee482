#pragma once

#include "client/Messages.h"

#include <QColor>
#include <QCoreApplication>
#include <QIcon>
#include <QPixmap>
#include <QString>

namespace airlock::gui {

// How a state is shown, the same in the panel and on the kiosk board: a word, an icon with its
// own shape and a colour, so that no one has to tell green from red to know the door is open.
struct StateLook {
    Q_DECLARE_TR_FUNCTIONS(airlock::gui::StateLook)

public:
    enum class Look { Disabled, Enabled, Lockdown, Unreachable };

    QString title;       // "Disabled"
    QString explanation; // one sentence: what it means for the appliance
    QString iconPath;    // :/icons/state-*.svg
    QColor colour;       // background accent
    QColor textColour;   // readable on colour

    static Look lookFor(ServiceState state);
    static StateLook of(Look look);
    static QPixmap pixmap(const QString &iconPath, int size, qreal devicePixelRatio);
};

} // namespace airlock::gui
