#include "i18n/Translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QTranslator>

namespace airlock::gui {

QStringList Translations::available() {
    QStringList languages;
    const QStringList files = QDir(QStringLiteral(":/i18n")).entryList({QStringLiteral("airlock_*.qm")});
    for (const QString &file : files)
        languages.append(file.mid(8, file.size() - 8 - 3));
    return languages;
}

QLocale Translations::install(QCoreApplication *app, const QString &language) {
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    // Numbers, dates and sizes follow the chosen language too.
    QLocale::setDefault(locale);
    auto *own = new QTranslator(app);
    if (own->load(locale, QStringLiteral("airlock"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        app->installTranslator(own);
    else
        delete own;
    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app->installTranslator(qt);
    else
        delete qt;
    return locale;
}

} // namespace airlock::gui
