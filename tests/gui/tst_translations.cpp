// The panel's German and French translations: they load by language code (as --lang and the
// system locale pick them), a sample of strings comes out translated, every error code and
// transfer outcome a record can carry has words in each language, and the .ts files have no
// unfinished entries.
#include "i18n/Translations.h"
#include "models/ActivityModel.h"
#include "record/AuditRecord.h"
#include "widgets/StateLook.h"

#include <QApplication>
#include <QFile>
#include <QHash>
#include <QTest>
#include <QTranslator>

using namespace airlock;
using namespace airlock::gui;

Q_DECLARE_METATYPE(std::optional<airlock::ErrorCode>)

namespace {

// The words the panel shows for one value, in `language` ("en": the source text), and the
// translation the language's file holds for that source text.
struct Words {
    QString shown;
    QString fileHas;
};

template <typename Describe> Words wordsIn(const QString &language, const QString &english, Describe describe) {
    if (language == QLatin1String("en"))
        return {english, english};
    QTranslator translator;
    if (!translator.load(QLocale(language), QStringLiteral("airlock"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        return {};
    // The newest translator is asked first, whatever an earlier test installed.
    qApp->installTranslator(&translator);
    Words w{describe(), translator.translate("airlock::gui::ActivityModel", english.toUtf8().constData())};
    qApp->removeTranslator(&translator);
    return w;
}

// Words, not an identifier: a service name like "response_too_large" leaking through fails. In
// English a one-word identifier may be the word itself ("busy"); a translation never is.
void verifyWords(const QString &language, const Words &w, const QString &english, const QString &identifier) {
    QVERIFY2(!english.isEmpty() && !english.contains(QLatin1Char('_')), qPrintable(english));
    QVERIFY2(!w.fileHas.isEmpty(), qPrintable(QStringLiteral("no translation of \"%1\"").arg(english)));
    QCOMPARE(w.shown, w.fileHas);
    QVERIFY2(!w.shown.contains(QLatin1Char('_')), qPrintable(w.shown));
    if (language != QLatin1String("en"))
        QVERIFY2(w.shown != identifier && w.shown != english, qPrintable(w.shown));
}

} // namespace

class TestTranslations final : public QObject {
    Q_OBJECT

    // The English words, taken before any test installs a translator.
    QHash<int, QString> m_codeEnglish;
    QString m_unknownCodeEnglish;
    QHash<int, QString> m_outcomeEnglish;

private Q_SLOTS:
    void initTestCase() {
        for (ErrorCode code : allErrorCodes())
            m_codeEnglish.insert(int(code), ActivityModel::describeCode(code));
        m_unknownCodeEnglish = ActivityModel::describeCode(std::nullopt);
        for (int i = 0; i <= int(kLastTransferOutcome); ++i)
            m_outcomeEnglish.insert(i, ActivityModel::describeOutcome(TransferOutcome(i)));
    }

    void everyCodeHasWords_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<std::optional<ErrorCode>>("code");
        for (const char *language : {"en", "de", "fr"}) {
            for (ErrorCode code : allErrorCodes())
                QTest::addRow("%s %s", language, qPrintable(codeName(code)))
                    << QString::fromLatin1(language) << std::optional(code);
            QTest::addRow("%s unknown", language) << QString::fromLatin1(language) << std::optional<ErrorCode>();
        }
    }

    void everyCodeHasWords() {
        QFETCH(QString, language);
        QFETCH(std::optional<ErrorCode>, code);
        const QString english = code ? m_codeEnglish.value(int(*code)) : m_unknownCodeEnglish;
        const Words w = wordsIn(language, english, [code] { return ActivityModel::describeCode(code); });
        verifyWords(language, w, english, recordCodeName(code));
    }

    void everyOutcomeHasWords_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<int>("outcome");
        for (const char *language : {"en", "de", "fr"})
            for (int i = 0; i <= int(kLastTransferOutcome); ++i)
                if (TransferOutcome(i) != TransferOutcome::None) // not a finished transfer: no words
                    QTest::addRow("%s %s", language, qPrintable(outcomeName(TransferOutcome(i))))
                        << QString::fromLatin1(language) << i;
    }

    void everyOutcomeHasWords() {
        QFETCH(QString, language);
        QFETCH(int, outcome);
        const QString english = m_outcomeEnglish.value(outcome);
        const Words w =
            wordsIn(language, english, [outcome] { return ActivityModel::describeOutcome(TransferOutcome(outcome)); });
        verifyWords(language, w, english, outcomeName(TransferOutcome(outcome)));
    }

    void noOutcomeHasNoWords() { QVERIFY(ActivityModel::describeOutcome(TransferOutcome::None).isEmpty()); }

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
