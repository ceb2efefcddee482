// airlock-admin-screenshots: opens the panel's views offscreen against a running airlockd and
// writes each as a PNG (used by scripts/screenshots for the README). Not installed.
//   airlock-admin-screenshots --socket PATH --out DIR [--lang de] --shot NAME:VIEW ...
// VIEW is activity, transfers, models, pull-dialog, allowlist, policy or kiosk. models and
// pull-dialog want a Hugging Face pull running (one file verified, one still downloading).
#include "client/ServiceLink.h"
#include "i18n/Translations.h"
#include "models/ActivityModel.h"
#include "widgets/AllowlistPage.h"
#include "widgets/KioskWindow.h"
#include "widgets/MainWindow.h"
#include "widgets/ModelsPage.h"
#include "widgets/PolicyPage.h"
#include "widgets/PullDialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QDir>
#include <QLineEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>

#include <cstdio>

using namespace airlock::gui;

namespace {

void waitUntil(const std::function<bool()> &done, int ms) {
    QDeadlineTimer deadline(ms);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

void settle() {
    waitUntil([] { return false; }, 600);
}

bool save(QWidget *w, const QString &path) {
    const bool ok = w->grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

} // namespace

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption socket(QStringLiteral("socket"), QStringLiteral("admin socket"), QStringLiteral("path"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("output folder"), QStringLiteral("dir"));
    const QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("language"), QStringLiteral("code"),
                                  QStringLiteral("en"));
    const QCommandLineOption shot(QStringLiteral("shot"), QStringLiteral("NAME:VIEW"), QStringLiteral("shot"));
    parser.addHelpOption();
    parser.addOptions({socket, out, lang, shot});
    parser.process(app);
    Translations::install(&app, parser.value(lang));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/airlock.svg")));
    const QDir dir(parser.value(out));

    ServiceLink link;
    link.start(parser.value(socket));
    MainWindow window(&link);
    window.resize(1280, 800);
    window.show();
    waitUntil([&] { return link.linkState() == ServiceLink::LinkState::Connected && link.status() && link.policy(); },
              15000);
    if (link.linkState() != ServiceLink::LinkState::Connected) {
        std::fprintf(stderr, "not connected to %s: %s\n", qPrintable(link.socketPath()), qPrintable(link.lastError()));
        return 1;
    }
    waitUntil([&] { return window.activityModel()->rowCount() >= 10; }, 10000);
    settle();

    bool ok = true;
    for (const QString &spec : parser.values(shot)) {
        const QString name = spec.section(QLatin1Char(':'), 0, 0);
        const QString view = spec.section(QLatin1Char(':'), 1);
        const QString path = dir.filePath(name + QStringLiteral(".png"));
        if (view == QLatin1String("kiosk")) {
            ServiceLink kioskLink; // its own link: it is shown the recent history as at start-up
            kioskLink.start(parser.value(socket));
            KioskWindow board(&kioskLink);
            board.resize(1280, 800);
            board.show();
            waitUntil([&] { return board.recentLines().size() >= KioskWindow::RecentCount; }, 5000);
            waitUntil([&] { return board.pullCount() > 0 && board.pullPercent(0) > 0; }, 10000);
            settle();
            ok &= save(&board, path);
            continue;
        }
        if (view == QLatin1String("pull-dialog")) {
            // The dialog with a preview, as an administrator sees it before starting a pull.
            window.tabs()->setCurrentWidget(window.modelsPage());
            PullDialog *dialog = window.modelsPage()->openPullDialog();
            dialog->sourceEdit()->setText(QStringLiteral("hf:bench/big"));
            dialog->preview();
            waitUntil([&] { return !dialog->busy() && dialog->filesTable()->rowCount() > 0; }, 15000);
            settle();
            ok &= save(dialog, path);
            dialog->close();
            settle();
            continue;
        }
        if (view == QLatin1String("activity")) {
            window.tabs()->setCurrentIndex(0);
        } else if (view == QLatin1String("transfers")) {
            window.tabs()->setCurrentIndex(1);
            waitUntil([&] { return !link.transfers().isEmpty() && link.transfers().first().bytes > 0; }, 15000);
            settle();
        } else if (view == QLatin1String("models")) {
            // Mid-pull: the small file verified, the model file still downloading, files shown.
            window.tabs()->setCurrentWidget(window.modelsPage());
            waitUntil([&] { return !link.pulls().isEmpty() && link.pulls().first().filesVerified >= 1; }, 15000);
            if (!link.pulls().isEmpty())
                window.modelsPage()->selectPull(link.pulls().first().id, true);
            waitUntil([&] { return !link.pulls().isEmpty() && link.pulls().first().hasFiles; }, 5000);
            settle();
        } else if (view == QLatin1String("allowlist")) {
            window.tabs()->setCurrentWidget(window.allowlistPage());
            AllowlistPage *page = window.allowlistPage();
            page->table()->selectRow(1);
            page->entryEdit()->setText(QStringLiteral("http://models.example.org/"));
        } else if (view == QLatin1String("policy")) {
            window.tabs()->setCurrentWidget(window.policyPage());
        }
        settle();
        ok &= save(&window, path);
    }
    return ok ? 0 : 1;
}
