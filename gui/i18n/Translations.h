#pragma once

#include <QLocale>
#include <QString>

class QCoreApplication;

namespace airlock::gui {

// Installs the panel's translation (embedded under :/i18n) and Qt's own for the language of
// `language` ("de", "fr_CH", ...) or, when empty, of the system locale. English needs none.
// Returns the locale chosen; a language without a translation falls back to English text.
class Translations final {
public:
    static QLocale install(QCoreApplication *app, const QString &language);
    static QStringList available(); // {"de", "fr"}
};

} // namespace airlock::gui
