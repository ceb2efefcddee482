// The panel's German and French translations: they load by language code (as --lang and the
// system locale pick them), a sample of strings comes out translated, and the .ts files have
// no unfinished entries.
#include "i18n/Translations.h"
#include "models/ActivityModel.h"
#include "widgets/StateLook.h"

#include <QApplication>
#include <QFile>
#include <QTest>
#include <QTranslator>

using namespace airlock::gui;

class TestTranslations final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void embeddedLanguages() {
        const QStringList languages = Translations::available();
        QVERIFY2(languages.contains(QStringLiteral("de")), qPrintable(languages.join(QLatin1Char(','))));
        QVERIFY(languages.contains(QStringLiteral("fr")));
    }

    void sampleIsTranslated_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        const QString look = QStringLiteral("airlock::gui::StateLook");
        const QString window = QStringLiteral("airlock::gui::MainWindow");
        const QString activity = QStringLiteral("airlock::gui::ActivityModel");
        QTest::newRow("de state") << "de" << look << "Disabled"
                                  << "Deaktiviert";
        QTest::newRow("de lockdown") << "de" << look << "Lockdown"
                                     << "Sperre";
        QTest::newRow("de tab") << "de" << window << "&Activity"
                                << "&Aktivität";
        QTest::newRow("de column") << "de" << activity << "Blocked"
                                   << "Blockiert";
        QTest::newRow("fr state") << "fr" << look << "Enabled"
                                  << "Activé";
        QTest::newRow("fr column") << "fr" << activity << "Allowed"
                                   << "Autorisé";
    }

    void sampleIsTranslated() {
        QFETCH(QString, language);
        QFETCH(QString, context);
        QFETCH(QString, source);
        QFETCH(QString, expected);
        QTranslator translator;
        QVERIFY(translator.load(QLocale(language), QStringLiteral("airlock"), QStringLiteral("_"),
                                QStringLiteral(":/i18n")));
        QCOMPARE(translator.translate(context.toUtf8().constData(), source.toUtf8().constData()), expected);
    }

    void installFollowsTheLanguage() {
        const QLocale chosen = Translations::install(qApp, QStringLiteral("de_DE"));
        QCOMPARE(chosen.language(), QLocale::German);
        QCOMPARE(StateLook::of(StateLook::Look::Enabled).title, QStringLiteral("Aktiviert"));
        QCOMPARE(ActivityModel::describeCode(airlock::ErrorCode::DestinationNotAllowed),
                 QStringLiteral("nicht auf der Positivliste"));
    }

    void tsFilesComplete_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("de") << QStringLiteral(AIRLOCK_TS_DIR "/airlock_de.ts");
        QTest::newRow("fr") << QStringLiteral(AIRLOCK_TS_DIR "/airlock_fr.ts");
    }

    void tsFilesComplete() {
        QFETCH(QString, file);
        QFile ts(file);
        QVERIFY(ts.open(QIODevice::ReadOnly));
        const QByteArray text = ts.readAll();
        QVERIFY(text.count("<message") > 100);
        QCOMPARE(text.count("type=\"unfinished\""), 0);
        QCOMPARE(text.count("<translation></translation>"), 0);
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
