#pragma once

#include <QString>
#include <QStringView>

namespace airlock {

// A client-supplied string made safe to log or print on a terminal or in the panel: every
// character that is not printable text is escaped as \u{XXXX} (a backslash as \\): C0 and C1
// controls (ESC, U+0085, U+009B CSI), DEL, line and paragraph separators, bidi overrides and
// every other format character, unpaired surrogates, unassigned code points. What is printable
// stays as it is. Linear in the length.
QString printableText(QStringView text);

} // namespace airlock
