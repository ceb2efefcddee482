// The Models page and the "Pull a model" dialog against a real airlockd pulling from the test
// upstream's hub (ModelHub): a pull started from the dialog is previewed, started and seen
// published; a running pull is cancelled and resumed from the page; a digest mismatch and a
// pull interrupted by a restart are shown as such; a viewer sees the pulls and can do nothing to
// them; the dialog checks the source as it is typed. The page's model runs under
// QAbstractItemModelTester through all of it.
#include "AirlockHarness.h"
#include "ModelHub.h"
#include "client/ServiceLink.h"
#include "models/Format.h"
#include "models/PullListModel.h"
#include "pullsource/PullSource.h"
#include "widgets/MainWindow.h"
#include "widgets/ModelsPage.h"
#include "widgets/PullDialog.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBrush>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <grp.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace airlock;
using namespace airlock::gui;
using namespace airlock::test;

namespace {

// The hub keeps an LFS file by its SHA-256: every generated file here has a size of its own.
const QString kCommit = QStringLiteral("2222222222222222222222222222222222222222");

// Answers the next modal message box with `button` once it is up; the flag says it was there.
std::shared_ptr<bool> answerNextMessageBox(QMessageBox::StandardButton button) {
    auto answered = std::make_shared<bool>(false);
    QTimer::singleShot(0, qApp, [button, answered] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            *answered = true;
            box->button(button)->click();
        }
    });
    return answered;
}

} // namespace

class TestModelsPage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        m_upstream.setHandler(m_hub.handler());
        m_upstream.setRecording(false);
        QVERIFY(m_upstream.start());
    }

    void init() {
        m_pullDir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_pullDir->isValid());
        QVERIFY(startAirlock(AirlockProcess::enabledDefaultPolicy()));
        QVERIFY(startPanel(m_airlock->stateDir() + QStringLiteral("/admin.sock"), false));
        QTRY_VERIFY(m_link->isAdmin());
    }

    void cleanup() {
        if (m_airlock && QTest::currentTestFailed())
            qWarning("%s", qPrintable(m_airlock->logText().right(4000)));
        stopPanel();
        m_airlock.reset();
    }

    void pullFromTheDialogIsPublished() {
        const HubFile config = HubFile::small(QStringLiteral("config.json"), "{\"model_type\":\"panel\"}\n");
        const HubFile readme = HubFile::small(QStringLiteral("README.md"), "# Panel model\n");
        const HubFile weights = HubFile::generated(QStringLiteral("model.gguf"), 1536 * 1024 + 7);
        m_hub.addHfRepo(QStringLiteral("acme/panel"), kCommit, {config, readme, weights});
        const qint64 total = config.size() + readme.size() + weights.size();

        ModelsPage *page = m_window->modelsPage();
        QTRY_VERIFY(page->pullButton()->isEnabled());
        QCOMPARE(page->unavailableText(), QString());
        QTRY_VERIFY2(page->freeSpaceText().contains(m_pullDir->path()), qPrintable(page->freeSpaceText()));
        QTest::mouseClick(page->pullButton(), Qt::LeftButton);
        PullDialog *dialog = page->pullDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->previewButton()->isEnabled());

        QTest::keyClicks(dialog->sourceEdit(), QStringLiteral("hf:acme/panel"));
        QCOMPARE(dialog->validationText(), QStringLiteral("Valid source."));
        QVERIFY(dialog->previewButton()->isEnabled());
        QTest::mouseClick(dialog->previewButton(), Qt::LeftButton);
        QTRY_COMPARE(dialog->filesTable()->rowCount(), 3);
        QVERIFY(!dialog->busy());
        QCOMPARE(dialog->revisionText(), kCommit);
        QStringList listed;
        for (int row = 0; row < 3; ++row)
            listed.append(dialog->filesTable()->item(row, 0)->text());
        listed.sort();
        QCOMPARE(listed, QStringList({"README.md", "config.json", "model.gguf"}));
        QCOMPARE(dialog->totalText(), QStringLiteral("3 files, %1").arg(Format::bytes(total)));
        QCOMPARE(dialog->destinationText(),
                 QDir(m_pullDir->path()).filePath(QStringLiteral("hf/acme/panel/") + kCommit));
        QVERIFY2(dialog->freeSpaceText().endsWith(QLatin1String("B")), qPrintable(dialog->freeSpaceText()));
        QVERIFY2(!dialog->freeSpaceText().contains(QLatin1String("less than")), qPrintable(dialog->freeSpaceText()));
        QCOMPARE(m_hub.downloads(QStringLiteral("model.gguf")), 0); // a preview downloads nothing

        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        QTRY_VERIFY(!page->pullDialog());
        QVERIFY2(page->resultText().contains(QLatin1String("acme/panel")), qPrintable(page->resultText()));
        // The new pull is listed and selected.
        QTRY_VERIFY(!page->selectedPullId().isEmpty());
        const QString id = page->selectedPullId();
        QCOMPARE(page->model()->pullCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(stateShown(page, id), QStringLiteral("Published"), 30'000);

        const int row = page->model()->rowOf(id);
        QCOMPARE(page->model()->index(row, PullListModel::Name).data().toString(), QStringLiteral("acme/panel"));
        QCOMPARE(page->model()->index(row, PullListModel::Name).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("hf:acme/panel@main"));
        QCOMPARE(page->model()->index(row, PullListModel::Files).data().toString(), QStringLiteral("3 of 3"));
        QCOMPARE(page->model()->index(row, PullListModel::Progress).data().toString(),
                 QStringLiteral("%1 of %1").arg(Format::bytes(total)));
        QCOMPARE(page->model()->index(row, PullListModel::Progress).data(PullListModel::PercentRole).toInt(), 100);
        QTRY_COMPARE(page->verificationText(), QStringLiteral("3 of 3 files verified"));
        const QString published = QDir(m_pullDir->path()).filePath(QStringLiteral("hf/acme/panel/") + kCommit);
        QTRY_COMPARE(page->publishedPathText(), published);
        QVERIFY(QFileInfo::exists(published + QStringLiteral("/model.gguf")));
        QCOMPARE(page->errorText(), QString());

        // Its files, each verified, with the kind of digest that proved it.
        page->selectPull(id, true);
        const QModelIndex pullIndex = page->model()->index(page->model()->rowOf(id), 0);
        QTRY_COMPARE(page->model()->rowCount(pullIndex), 3);
        QVERIFY(page->tree()->isExpanded(pullIndex));
        for (int file = 0; file < 3; ++file) {
            const QModelIndex name = page->model()->index(file, PullListModel::Name, pullIndex);
            const QString state = page->model()->index(file, PullListModel::State, pullIndex).data().toString();
            const QString expected = name.data().toString() == QLatin1String("model.gguf")
                                         ? QStringLiteral("verified (sha256)")
                                         : QStringLiteral("verified (git-sha1)");
            QCOMPARE(state, expected);
            QCOMPARE(page->model()->parent(name), pullIndex);
        }

        // Copy path; the actions that apply to a published pull.
        QVERIFY(page->copyPathButton()->isEnabled());
        QTest::mouseClick(page->copyPathButton(), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), published);
        QVERIFY(!page->cancelButton()->isEnabled());
        QVERIFY(!page->resumeButton()->isEnabled());
        QVERIFY(page->removeButton()->isEnabled());

        // Remove asks first (also on Delete in the list); "Cancel" keeps it.
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        page->tree()->setFocus();
        const std::shared_ptr<bool> asked = answerNextMessageBox(QMessageBox::Cancel);
        QTest::keyClick(page->tree(), Qt::Key_Delete);
        QVERIFY(*asked);
        QTest::qWait(600); // two polls of the list: nothing may change
        QCOMPARE(page->model()->pullCount(), 1);
        const std::shared_ptr<bool> confirmed = answerNextMessageBox(QMessageBox::Yes);
        QTest::mouseClick(page->removeButton(), Qt::LeftButton);
        QVERIFY(*confirmed);
        QTRY_COMPARE(page->model()->pullCount(), 0);
        QCOMPARE(page->resultText(), QStringLiteral("Removed acme/panel."));
        QVERIFY(QFileInfo::exists(published + QStringLiteral("/model.gguf"))); // the model stays
        QCOMPARE(page->selectedPullId(), QString());
        QCOMPARE(page->verificationText(), QString());
    }

    void cancelAndResumeFromThePage() {
        const HubFile weights = HubFile::generated(QStringLiteral("slow.gguf"), 6 * 1024 * 1024 + 13);
        m_hub.addHfRepo(QStringLiteral("acme/slow"), kCommit, {weights});
        m_hub.stallAfter(QStringLiteral("slow.gguf"), 1024 * 1024, 1);
        const QString id = startPull(QStringLiteral("hf:acme/slow"));
        QVERIFY(!id.isEmpty());
        ModelsPage *page = m_window->modelsPage();
        QTRY_VERIFY_WITH_TIMEOUT(pullOf(id).bytesDone >= 1024 * 1024, 20'000);
        QCOMPARE(stateShown(page, id), QStringLiteral("Downloading"));
        QVERIFY(page->selectPull(id, true));
        QVERIFY(page->cancelButton()->isEnabled());
        QVERIFY(!page->resumeButton()->isEnabled());
        QVERIFY(!page->removeButton()->isEnabled()); // a running pull is cancelled first
        QCOMPARE(page->publishedPathText(), QString());
        QTRY_COMPARE(page->verificationText(), QStringLiteral("0 of 1 file verified; now: slow.gguf"));
        QVERIFY2(page->model()
                     ->index(page->model()->rowOf(id), PullListModel::Progress)
                     .data()
                     .toString()
                     .endsWith(QLatin1String(" of ") + Format::bytes(weights.size())),
                 "progress of the total");

        QTest::mouseClick(page->cancelButton(), Qt::LeftButton);
        QTRY_COMPARE(stateShown(page, id), QStringLiteral("Cancelled"));
        QVERIFY2(page->resultText().startsWith(QLatin1String("Cancelled acme/slow.")), qPrintable(page->resultText()));
        QTRY_VERIFY(page->resumeButton()->isEnabled());
        QVERIFY(!page->cancelButton()->isEnabled());
        QVERIFY(page->removeButton()->isEnabled());

        QTest::mouseClick(page->resumeButton(), Qt::LeftButton);
        QTRY_COMPARE(page->resultText(), QStringLiteral("Resuming acme/slow."));
        QTRY_COMPARE_WITH_TIMEOUT(stateShown(page, id), QStringLiteral("Published"), 30'000);
        QTRY_COMPARE(page->verificationText(), QStringLiteral("1 of 1 file verified"));
        // Taken up from the bytes on disk: the second request asked for the rest only.
        const QList<QByteArray> ranges = m_hub.ranges(QStringLiteral("slow.gguf"));
        QCOMPARE(ranges.size(), 2);
        QVERIFY2(ranges[1].startsWith("bytes=") && ranges[1] != "bytes=0-", ranges[1].constData());
    }

    void digestMismatchIsShownWithItsReason() {
        const HubFile weights = HubFile::generated(QStringLiteral("w.bin"), 700 * 1024 + 3);
        m_hub.addHfRepo(QStringLiteral("acme/bad"), kCommit,
                        {HubFile::small(QStringLiteral("ok.txt"), "fine, really"), weights});
        m_hub.corrupt(QStringLiteral("w.bin"), 2); // refetched once, then the pull fails
        const QString id = startPull(QStringLiteral("hf:acme/bad"));
        QVERIFY(!id.isEmpty());
        ModelsPage *page = m_window->modelsPage();
        QTRY_COMPARE_WITH_TIMEOUT(stateShown(page, id), QStringLiteral("Failed"), 30'000);
        const PullInfo failed = pullOf(id);
        QCOMPARE(failed.errorCode, QStringLiteral("digest_mismatch"));
        QVERIFY2(failed.errorMessage.contains(QLatin1String("w.bin")), qPrintable(failed.errorMessage));

        QVERIFY(page->selectPull(id, true));
        // The code in words, then the service's message as it is.
        QCOMPARE(page->errorText(), QStringLiteral("digest mismatch: ") + failed.errorMessage);
        QVERIFY2(page->detailStateText().startsWith(QLatin1String("Failed.")), qPrintable(page->detailStateText()));
        QCOMPARE(page->publishedPathText(), QString());
        const QModelIndex state = page->model()->index(page->model()->rowOf(id), PullListModel::State);
        QVERIFY(state.data(Qt::ToolTipRole).toString().contains(failed.errorMessage));
        QCOMPARE(state.data(Qt::ForegroundRole).value<QBrush>().color(), PullListModel::stateColour("failed"));

        // The file that failed says why; the other one was verified.
        const QModelIndex pullIndex = page->model()->index(page->model()->rowOf(id), 0);
        QTRY_COMPARE(page->model()->rowCount(pullIndex), 2);
        const auto fileState = [&](const QString &path) {
            for (int file = 0; file < page->model()->rowCount(pullIndex); ++file)
                if (page->model()->index(file, PullListModel::Name, pullIndex).data().toString() == path)
                    return page->model()->index(file, PullListModel::State, pullIndex).data().toString();
            return QString();
        };
        QTRY_COMPARE(fileState(QStringLiteral("w.bin")), QStringLiteral("failed: ") + failed.errorMessage);
        QCOMPARE(fileState(QStringLiteral("ok.txt")), QStringLiteral("verified (git-sha1)"));
        QVERIFY(page->resumeButton()->isEnabled());
        QVERIFY(page->removeButton()->isEnabled());
        QVERIFY(!page->cancelButton()->isEnabled());
        QVERIFY(!QFileInfo::exists(m_pullDir->path() + QStringLiteral("/hf"))); // nothing unverified published
    }

    void interruptedAfterRestartShowsAsSuch() {
        const HubFile weights = HubFile::generated(QStringLiteral("cut.gguf"), 5 * 1024 * 1024 + 17);
        m_hub.addHfRepo(QStringLiteral("acme/cut"), kCommit, {weights});
        m_hub.stallAfter(QStringLiteral("cut.gguf"), 1024 * 1024, 1);
        const QString id = startPull(QStringLiteral("hf:acme/cut"));
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(pullOf(id).bytesDone >= 1024 * 1024, 20'000);
        m_airlock->process().kill();
        m_airlock->process().waitForFinished(5000);
        ModelsPage *page = m_window->modelsPage();
        QTRY_COMPARE(page->model()->pullCount(), 0); // disconnected: nothing is shown as if it were live
        QTRY_VERIFY(!page->pullButton()->isEnabled());
        QCOMPARE(page->unavailableText(), QStringLiteral("Not connected to the Airlock service."));

        QVERIFY2(m_airlock->start(&m_upstream, AirlockProcess::enabledDefaultPolicy(),
                                  {QStringLiteral("--pull-dir"), m_pullDir->path()}),
                 qPrintable(m_airlock->logText()));
        QTRY_COMPARE_WITH_TIMEOUT(stateShown(page, id), QStringLiteral("Interrupted"), 15'000);
        QVERIFY(page->selectPull(id));
        QVERIFY2(page->detailStateText().contains(QLatin1String("service stopped")),
                 qPrintable(page->detailStateText()));
        QTRY_VERIFY(page->resumeButton()->isEnabled());
        QTest::mouseClick(page->resumeButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateShown(page, id), QStringLiteral("Published"), 30'000);
    }

    void viewerSeesButCannotAct() {
        if (::geteuid() != 0)
            QSKIP("not root: cannot connect as another user");
        const group *users = ::getgrnam("users");
        if (!users)
            QSKIP("no group \"users\" on this machine");
        const gid_t usersGid = users->gr_gid;

        const HubFile done = HubFile::generated(QStringLiteral("v.gguf"), 300 * 1024 + 19);
        const HubFile stalled = HubFile::generated(QStringLiteral("s.gguf"), 3 * 1024 * 1024 + 23);
        m_hub.addHfRepo(QStringLiteral("acme/viewed"), kCommit, {done});
        m_hub.addHfRepo(QStringLiteral("acme/stalled"), kCommit, {stalled});
        m_hub.stallAfter(QStringLiteral("s.gguf"), 512 * 1024, 1);

        // A service whose administrators' group nobody is in, and whose viewers are "users", on a
        // socket a user other than root can reach.
        stopPanel();
        QTemporaryDir runDir;
        QVERIFY(::chmod(QFile::encodeName(runDir.path()).constData(), 0755) == 0);
        const QString socket = runDir.filePath(QStringLiteral("admin.sock"));
        QVERIFY(startAirlock(AirlockProcess::enabledDefaultPolicy() +
                                 "  admin:\n    group: no-such-group-here\n    viewer_group: users\n",
                             {QStringLiteral("--admin-socket"), socket}));
        QVERIFY(::chmod(QFile::encodeName(socket).constData(), 0666) == 0);
        // Pulls started through the API: one published, one running.
        const QString doneId = m_airlock->call("POST", "/v1/pulls", {{"source", "hf:acme/viewed"}})
                                   .json()
                                   .value(QStringLiteral("id"))
                                   .toString();
        const QString runningId = m_airlock->call("POST", "/v1/pulls", {{"source", "hf:acme/stalled"}})
                                      .json()
                                      .value(QStringLiteral("id"))
                                      .toString();
        QVERIFY(!doneId.isEmpty() && !runningId.isEmpty());

        QVERIFY(startPanel(socket, true, usersGid));
        QTRY_COMPARE(m_link->role(), QStringLiteral("viewer"));
        ModelsPage *page = m_window->modelsPage();
        QTRY_COMPARE_WITH_TIMEOUT(stateShown(page, doneId), QStringLiteral("Published"), 30'000);
        QTRY_COMPARE(stateShown(page, runningId), QStringLiteral("Downloading"));
        QVERIFY(!page->pullButton()->isEnabled());
        QCOMPARE(page->unavailableText(),
                 QStringLiteral("You are connected as a viewer: only administrators can pull models."));

        // Everything is shown...
        QVERIFY(page->selectPull(doneId, true));
        QTRY_COMPARE(page->verificationText(), QStringLiteral("1 of 1 file verified"));
        QTRY_VERIFY(!page->publishedPathText().isEmpty());
        QVERIFY(page->copyPathButton()->isEnabled()); // reading is not acting
        QTRY_COMPARE(page->model()->rowCount(page->model()->index(page->model()->rowOf(doneId), 0)), 1);
        // ... and nothing can be done with it.
        QVERIFY(!page->removeButton()->isEnabled());
        QVERIFY(!page->resumeButton()->isEnabled());
        QVERIFY(!page->cancelButton()->isEnabled());
        QVERIFY(page->selectPull(runningId));
        QVERIFY(!page->cancelButton()->isEnabled());
        QVERIFY(!page->removeButton()->isEnabled());
        page->cancelSelected(); // even called directly, it sends nothing
        QTest::qWait(600);
        QCOMPARE(pullOf(runningId).state, QStringLiteral("downloading"));

        // The dialog, if opened anyway, says why and offers nothing.
        PullDialog *dialog = page->openPullDialog();
        QTest::keyClicks(dialog->sourceEdit(), QStringLiteral("hf:acme/viewed"));
        QCOMPARE(dialog->validationText(), QStringLiteral("Valid source."));
        QVERIFY(!dialog->previewButton()->isEnabled());
        QVERIFY(!dialog->startButton()->isEnabled());
        QVERIFY(dialog->unavailableText().contains(QLatin1String("viewer")));
        dialog->reject();

        // Once cancelled (by an administrator), a viewer still cannot resume or remove it.
        QCOMPARE(m_airlock->call("DELETE", "/v1/pulls/" + runningId.toLatin1()).status, 200);
        QTRY_COMPARE(stateShown(page, runningId), QStringLiteral("Cancelled"));
        QVERIFY(page->selectPull(runningId));
        QVERIFY(!page->resumeButton()->isEnabled());
        QVERIFY(!page->removeButton()->isEnabled());
    }

    void sourceIsCheckedAsYouType() {
        ModelsPage *page = m_window->modelsPage();
        QTRY_VERIFY(page->pullButton()->isEnabled());
        PullDialog *dialog = page->openPullDialog();
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->previewButton()->isEnabled());
        QVERIFY(!dialog->startButton()->isEnabled());

        struct Case {
            const char *source;
            bool valid;
            bool patterns;
        };
        const Case cases[] = {
            {"hf:acme", false, false},
            {"hf:acme/model", true, true},
            {"hf:acme/model@v1.0", true, true},
            {"hf:acme/../etc", false, false},
            {"https://huggingface.co/acme/model/resolve/main/model.gguf", true, false},
            {"https://example.com/acme/model/resolve/main/model.gguf", false, false},
            {"ollama:llama3.2:1b", true, false},
            {"ollama:", false, false},
            {"acme/model", false, false},
        };
        for (const Case &c : cases) {
            dialog->sourceEdit()->clear();
            QTest::keyClicks(dialog->sourceEdit(), QString::fromLatin1(c.source));
            const QString text = dialog->validationText();
            if (c.valid) {
                QVERIFY2(text == QLatin1String("Valid source."), c.source);
            } else {
                QVERIFY2(text.startsWith(QLatin1String("Not valid: ")) && text.size() > 12, c.source);
                QString parserSays;
                QVERIFY(!parsePullSource(QString::fromLatin1(c.source), &parserSays));
                QCOMPARE(text, QStringLiteral("Not valid: ") + parserSays); // the shared parser's words
            }
            QVERIFY2(dialog->previewButton()->isEnabled() == c.valid, c.source);
            QVERIFY2(dialog->startButton()->isEnabled() == c.valid, c.source);
            QVERIFY2(dialog->includeEdit()->isEnabled() == c.patterns, c.source);
            QVERIFY2(dialog->excludeEdit()->isEnabled() == c.patterns, c.source);
        }

        // A pattern the service would refuse makes the whole request not valid.
        dialog->sourceEdit()->setText(QStringLiteral("hf:acme/model"));
        QTest::keyClicks(dialog->includeEdit(), QStringLiteral("*.gguf, [abc"));
        QVERIFY2(dialog->validationText().startsWith(QLatin1String("Not valid: pattern \"[abc\"")),
                 qPrintable(dialog->validationText()));
        QVERIFY(!dialog->previewButton()->isEnabled());
        dialog->includeEdit()->setText(QStringLiteral("*.gguf, config.json"));
        QCOMPARE(dialog->validationText(), QStringLiteral("Valid source."));
        QCOMPARE(PullDialog::splitPatterns(QStringLiteral(" *.gguf,config.json  a/** ,")),
                 QStringList({"*.gguf", "config.json", "a/**"}));

        // Escape closes it.
        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY(!page->pullDialog());
    }

    void refusalsAreShownInTheServicesWords() {
        ModelsPage *page = m_window->modelsPage();
        QTRY_VERIFY(page->pullButton()->isEnabled());
        PullDialog *dialog = page->openPullDialog();
        QTest::keyClicks(dialog->sourceEdit(), QStringLiteral("hf:acme/no-such-model"));
        QTest::keyClick(dialog->sourceEdit(), Qt::Key_Return); // Enter previews
        QTRY_VERIFY(!dialog->messageText().isEmpty() && !dialog->busy());
        const QString serviceSays =
            m_airlock->call("POST", "/v1/pulls", {{"source", "hf:acme/no-such-model"}, {"dry_run", true}})
                .json()
                .value(QStringLiteral("error"))
                .toString();
        QVERIFY(!serviceSays.isEmpty());
        QCOMPARE(dialog->messageText(), QStringLiteral("The service refused: ") + serviceSays);
        QCOMPARE(dialog->filesTable()->rowCount(), 0);
        // Start is refused the same way, and the dialog stays with what was typed.
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        QTRY_VERIFY(!dialog->busy());
        QCOMPARE(dialog->messageText(), QStringLiteral("The service refused: ") + serviceSays);
        QVERIFY(page->pullDialog() == dialog && dialog->isVisible());
        QCOMPARE(dialog->sourceEdit()->text(), QStringLiteral("hf:acme/no-such-model"));
        dialog->reject();

        // Switched off: nothing can be started, and the page and the dialog say why.
        bool answered = false;
        m_link->setEnabled(false, [&answered](const ServiceLink::Result &r) { answered = r.ok; });
        QTRY_VERIFY(answered);
        QTRY_VERIFY(!page->pullButton()->isEnabled());
        QCOMPARE(page->unavailableText(), QStringLiteral("The Airlock is off: switch it on to pull a model."));
        dialog = page->openPullDialog();
        QTest::keyClicks(dialog->sourceEdit(), QStringLiteral("ollama:llama3.2:1b"));
        QCOMPARE(dialog->validationText(), QStringLiteral("Valid source."));
        QVERIFY(!dialog->previewButton()->isEnabled());
        QCOMPARE(dialog->unavailableText(), page->unavailableText());
        m_window->lockdown(QStringLiteral("drill"));
        QTRY_COMPARE(page->unavailableText(),
                     QStringLiteral("The Airlock is in lockdown: nothing can be pulled until it is unlocked."));
        QCOMPARE(dialog->unavailableText(), page->unavailableText());
        dialog->reject();
    }

    // Newest first, updated in place: a file row keeps its pull when newer pulls arrive above it,
    // and an expanded pull stays expanded.
    void listUpdatesInPlace() {
        ModelsPage *page = m_window->modelsPage();
        PullListModel *model = page->model();
        const auto pull = [](const QString &id, const QString &state, int files) {
            PullInfo p;
            p.id = id;
            p.name = id;
            p.state = state;
            p.filesTotal = files;
            p.hasFiles = files > 0;
            for (int i = 0; i < files; ++i)
                p.files.append(PullFileInfo{QStringLiteral("%1-%2").arg(id).arg(i), 10, 0, false, {}, {}, {}});
            return p;
        };
        // Detached from the service for this test: the model alone.
        disconnect(m_link.get(), &ServiceLink::pullsChanged, page, nullptr);
        model->setPulls({pull("a", "published", 2)});
        QCOMPARE(model->pullCount(), 1);
        const QModelIndex a = model->index(0, 0);
        page->tree()->expand(a);
        const QPersistentModelIndex fileOfA = model->index(1, 0, a);
        QCOMPARE(fileOfA.data().toString(), QStringLiteral("a-1"));

        model->setPulls({pull("a", "published", 2), pull("b", "downloading", 1), pull("c", "queued", 0)});
        QCOMPARE(model->pullCount(), 3);
        QCOMPARE(model->index(0, 0).data(PullListModel::PullIdRole).toString(), QStringLiteral("c"));
        QCOMPARE(model->index(2, 0).data(PullListModel::PullIdRole).toString(), QStringLiteral("a"));
        QVERIFY(fileOfA.isValid());
        QCOMPARE(fileOfA.data().toString(), QStringLiteral("a-1"));
        QCOMPARE(fileOfA.parent().row(), 2);
        QVERIFY(page->tree()->isExpanded(model->index(2, 0)));
        QCOMPARE(fileOfA.data(PullListModel::PullIdRole).toString(), QStringLiteral("a"));

        // "b" gone, "c" got its files.
        model->setPulls({pull("a", "published", 2), pull("c", "downloading", 3)});
        QCOMPARE(model->pullCount(), 2);
        QCOMPARE(model->rowCount(model->index(0, 0)), 3);
        QCOMPARE(model->index(0, PullListModel::State, model->index(0, 0)).data().toString(),
                 QStringLiteral("waiting"));
        QCOMPARE(fileOfA.parent().row(), 1);
        QCOMPARE(model->index(0, PullListModel::State).data().toString(), QStringLiteral("Downloading"));
        // A state this build does not know is shown as the service said it.
        model->setPulls({pull("a", "published", 2), pull("c", "paused-by-moon", 3)});
        QCOMPARE(model->index(0, PullListModel::State).data().toString(), QStringLiteral("paused-by-moon"));
        QCOMPARE(model->index(0, PullListModel::State, model->index(0, 0)).data().toString(),
                 QStringLiteral("not downloaded"));
        model->setPulls({});
        QCOMPARE(model->pullCount(), 0);
        QVERIFY(!fileOfA.isValid());
    }

private:
    bool startAirlock(const QByteArray &policy, const QStringList &extraArgs = {}) {
        m_airlock = std::make_unique<AirlockProcess>();
        const bool ok = m_airlock->start(&m_upstream, policy,
                                         QStringList{QStringLiteral("--pull-dir"), m_pullDir->path()} + extraArgs);
        if (!ok)
            qWarning("%s", qPrintable(m_airlock->logText()));
        return ok;
    }

    // The panel on `socket`; as a viewer, it connects as user "nobody" in group `group` (the
    // service reads who is calling once, when the connection is made).
    bool startPanel(const QString &socket, bool asViewer, gid_t group = 0) {
        m_link = std::make_unique<ServiceLink>();
        m_link->setReconnectInterval(200);
        m_link->setPullPollInterval(250);
        m_window = std::make_unique<MainWindow>(m_link.get());
        // Before anything arrives, so that every change the service causes is checked.
        m_tester = std::make_unique<QAbstractItemModelTester>(m_window->modelsPage()->model(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_window->resize(1280, 800);
        m_window->show();
        m_window->tabs()->setCurrentWidget(m_window->modelsPage());
        if (!asViewer) {
            m_link->start(socket);
        } else {
            QList<gid_t> saved(::getgroups(0, nullptr));
            saved.resize(::getgroups(int(saved.size()), saved.data()));
            if (::setgroups(1, &group) != 0 || ::setegid(65534) != 0 || ::seteuid(65534) != 0)
                return false;
            m_link->start(socket); // connects here, as nobody
            if (::seteuid(0) != 0 || ::setegid(0) != 0 || ::setgroups(size_t(saved.size()), saved.constData()) != 0)
                qFatal("cannot return to root");
        }
        return QTest::qWaitFor([this] { return m_link->linkState() == ServiceLink::LinkState::Connected; }, 10'000);
    }

    void stopPanel() {
        m_tester.reset();
        m_window.reset();
        m_link.reset();
    }

    QString startPull(const QString &source) {
        QString id;
        bool answered = false;
        m_link->startPull(source, {}, {}, false, [&](const ServiceLink::Result &result, const QJsonObject &answer) {
            answered = true;
            if (!result.ok)
                qWarning("start_pull refused: %s", qPrintable(result.error));
            id = answer.value(QStringLiteral("id")).toString();
        });
        if (!QTest::qWaitFor([&answered] { return answered; }, 10'000))
            qWarning("start_pull not answered");
        return id;
    }

    PullInfo pullOf(const QString &id) const {
        for (const PullInfo &p : m_link->pulls())
            if (p.id == id)
                return p;
        return {};
    }

    static QString stateShown(ModelsPage *page, const QString &id) {
        const int row = page->model()->rowOf(id);
        return row < 0 ? QString() : page->model()->index(row, PullListModel::State).data().toString();
    }

    TestUpstream m_upstream;
    ModelHub m_hub;
    std::unique_ptr<QTemporaryDir> m_pullDir;
    std::unique_ptr<AirlockProcess> m_airlock;
    std::unique_ptr<ServiceLink> m_link;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(TestModelsPage)
#include "tst_modelspage.moc"
