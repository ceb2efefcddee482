#pragma once

#include <QColor>

namespace airlock::gui {

// The panel's two verdict colours, for text on the window's background. They only ever repeat
// what words beside them say (Allowed, Valid source., verified, Failed, ...).
struct Colours {
    static QColor good() { return QColor(0x1b, 0x6e, 0x20); }
    static QColor bad() { return QColor(0xb0, 0x1c, 0x1c); }
};

} // namespace airlock::gui
