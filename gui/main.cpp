// airlock-admin: the Secure AI Airlock's desktop panel, or with --kiosk its wall status board.
// Parses the command line, picks the language and wires a ServiceLink to a window.
#include "client/ServiceLink.h"
#include "i18n/Translations.h"
#include "widgets/KioskWindow.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QScreen>

using namespace airlock::gui;

namespace {

QString languageArgument(int argc, char **argv) {
    // The language must be known before the parser's own texts (--help) are built.
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        if (arg.startsWith(QLatin1String("--lang=")))
            return arg.mid(7);
        if (arg == QLatin1String("--lang") && i + 1 < argc)
            return QString::fromLocal8Bit(argv[i + 1]);
    }
    return {};
}

} // namespace

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("airlock-admin"));
    QApplication::setApplicationVersion(QStringLiteral(AIRLOCK_VERSION));
    QApplication::setOrganizationName(QStringLiteral("SecAI"));
    QApplication::setDesktopFileName(QStringLiteral("secure-ai-airlock-admin"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/airlock.svg")));
    Translations::install(&app, languageArgument(argc, argv));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Admin panel of the Secure AI Airlock egress proxy."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption kiosk(QStringLiteral("kiosk"),
                                   QCoreApplication::translate("main", "Full-screen read-only status board."));
    const QCommandLineOption lang(QStringLiteral("lang"),
                                  QCoreApplication::translate("main", "Language (de, fr, en); default: the system's."),
                                  QStringLiteral("code"));
    const QCommandLineOption socket(QStringLiteral("socket"),
                                    QCoreApplication::translate("main", "The service's admin socket."),
                                    QStringLiteral("path"), QStringLiteral("/run/secure-ai-airlock/admin.sock"));
    const QCommandLineOption windowed(QStringLiteral("windowed"),
                                      QCoreApplication::translate("main", "With --kiosk: a window, not full screen."));
    parser.addOptions({kiosk, lang, socket, windowed});
    parser.process(app);

    ServiceLink link;
    link.start(parser.value(socket));

    if (parser.isSet(kiosk)) {
        KioskWindow board(&link);
        if (parser.isSet(windowed)) {
            board.resize(1280, 800);
            board.show();
        } else {
            board.setCursor(Qt::BlankCursor);
            board.showFullScreen();
        }
        return app.exec();
    }

    MainWindow window(&link);
    const QSize available = window.screen() ? window.screen()->availableSize() : QSize(1280, 800);
    window.resize(available.boundedTo(QSize(1280, 800)));
    window.show();
    return app.exec();
}
