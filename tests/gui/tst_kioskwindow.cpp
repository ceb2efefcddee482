// The --kiosk board: nothing on it can be edited or pressed, it shows state and decisions from
// a real airlockd, and it rides through a service restart. Model pulls: the rules for which are
// shown and for how long, the layout with several at once, and pulls run by a real airlockd
// against the test hub (ModelHub) shown while running and, for a while, with how they ended.
#include "AirlockHarness.h"
#include "ModelHub.h"
#include "client/ServiceLink.h"
#include "models/Format.h"
#include "widgets/KioskPullBoard.h"
#include "widgets/KioskPullRow.h"
#include "widgets/KioskPullTracker.h"
#include "widgets/KioskWindow.h"
#include "widgets/StateLook.h"
#include "widgets/TransfersPage.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>

#include <memory>
#include <optional>

using namespace airlock;
using namespace airlock::gui;
using namespace airlock::test;

namespace {

const QString kCommit = QStringLiteral("2222222222222222222222222222222222222222");

// Nothing on the board takes input.
void verifyInert(QWidget *board) {
    const QList<QWidget *> widgets = board->findChildren<QWidget *>();
    QVERIFY(widgets.size() > 10);
    for (QWidget *w : widgets) {
        const char *type = w->metaObject()->className();
        QVERIFY2(!qobject_cast<QAbstractButton *>(w), type);
        QVERIFY2(!qobject_cast<QLineEdit *>(w), type);
        QVERIFY2(!qobject_cast<QTextEdit *>(w), type);
        QVERIFY2(!qobject_cast<QPlainTextEdit *>(w), type);
        QVERIFY2(!qobject_cast<QComboBox *>(w), type);
        QVERIFY2(!qobject_cast<QAbstractSpinBox *>(w), type);
        QVERIFY2(!qobject_cast<QAbstractItemView *>(w), type);
        if (auto *slider = qobject_cast<QAbstractSlider *>(w))
            QVERIFY2(slider->parentWidget() && w->inherits("QScrollBar"), type);
        if (auto *label = qobject_cast<QLabel *>(w))
            QVERIFY2(!(label->textInteractionFlags() & Qt::TextEditable), type);
    }
}

PullInfo made(const QString &id, const QString &state, const QDateTime &finished = {}) {
    PullInfo p;
    p.id = id;
    p.name = QStringLiteral("org/") + id;
    p.state = state;
    p.bytesTotal = 4'000'000'000;
    p.bytesDone = state == QLatin1String("published") ? p.bytesTotal : 1'000'000'000;
    p.finished = finished;
    return p;
}

QStringList ids(const QList<KioskPullTracker::Entry> &entries) {
    QStringList list;
    for (const KioskPullTracker::Entry &e : entries)
        list.append(e.pull.id + (e.ended ? QStringLiteral(" ended") : QString()));
    return list;
}

QRect inWindow(QWidget *w) {
    return QRect(w->mapTo(w->window(), QPoint(0, 0)), w->size());
}

} // namespace

class TestKioskWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        m_upstream.setHandler(m_hub.handler());
        m_upstream.setRecording(false);
        QVERIFY(m_upstream.start());
    }

    void cleanup() {
        if (m_airlock && QTest::currentTestFailed())
            qWarning("%s", qPrintable(m_airlock->logText().right(4000)));
        m_link.reset();
        m_airlock.reset();
        m_pullDir.reset();
    }

    void hasNoEditableControl() {
        ServiceLink link; // never started: the board must also be inert while it waits
        KioskWindow board(&link);
        board.resize(1280, 800);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        verifyInert(&board);
    }

    // Which pulls the board shows and for how long, with the time given: running ones, and each
    // one that ended while the board watched, until its time is up.
    void trackerShowsWhatEndedWhileWatched() {
        const QDateTime since = QDateTime::fromString(QStringLiteral("2025-03-01T12:00:00.500Z"), Qt::ISODateWithMs);
        const QDateTime before = since.addSecs(-60);
        const QDateTime after = since.addMSecs(200); // within the second the board started
        KioskPullTracker t(since);
        t.setLinger(1000);
        // At the first look: "a" runs, "old" ended before the board started, "quick" started and
        // ended before the board could see it run.
        QVERIFY(
            t.update({made("a", "downloading"), made("old", "published", before), made("quick", "failed", after)}, 0));
        QCOMPARE(ids(t.entries()), QStringList({"a", "quick ended"}));
        QCOMPARE(t.nextExpiryMs(), 1000);

        // "a" is published: it comes first among the ended, it ended last.
        const QList<PullInfo> ended{made("a", "published", after.addSecs(1)), made("old", "published", before),
                                    made("quick", "failed", after)};
        QVERIFY(t.update(ended, 300));
        QCOMPARE(ids(t.entries()), QStringList({"a ended", "quick ended"}));
        QCOMPARE(t.entries().first().pull.state, QStringLiteral("published"));
        QVERIFY(!t.expire(999));
        QVERIFY(t.expire(1000));
        QCOMPARE(ids(t.entries()), QStringList({"a ended"}));
        QCOMPARE(t.nextExpiryMs(), 1300);
        // Gone is gone, though the service still lists it ended.
        QVERIFY(!t.update(ended, 1100));
        QCOMPARE(ids(t.entries()), QStringList({"a ended"}));

        // "quick" is resumed: running again, first; "a" goes when its time is up.
        QVERIFY(t.update({ended.at(0), ended.at(1), made("quick", "downloading")}, 1200));
        QCOMPARE(ids(t.entries()), QStringList({"quick", "a ended"}));
        QVERIFY(t.update({ended.at(0), ended.at(1), made("quick", "downloading")}, 1300));
        QCOMPARE(ids(t.entries()), QStringList({"quick"}));
        QCOMPARE(t.nextExpiryMs(), -1);

        // A running pull the service stops listing was discarded: how it ended is not known, it goes.
        QVERIFY(t.update({ended.at(0), ended.at(1)}, 1400));
        QVERIFY(t.entries().isEmpty());
    }

    // No room taken without pulls; with more than fit, MaxRows large rows, the rest counted,
    // and all of it inside a 1280x800 screen, still inert.
    void pullsFitTheScreen() {
        ServiceLink link;
        KioskWindow board(&link);
        board.resize(1280, 800);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        KioskPullBoard *pulls = board.pullBoard();
        QVERIFY(!pulls->isVisible());
        QCOMPARE(board.pullCount(), 0);

        QList<PullInfo> list;
        for (int i = 0; i < 4; ++i) {
            PullInfo p = made(QStringLiteral("p%1").arg(i), QStringLiteral("downloading"));
            p.name =
                QStringLiteral("TheBloke/Mistral-7B-Instruct-v0.2-GGUF: mistral-7b-instruct-v0.2.Q%1_K_M.gguf").arg(i);
            p.rate = 25'000'000;
            p.etaSeconds = 120 + i;
            p.filesTotal = 5;
            p.filesVerified = 2;
            list.append(p);
        }
        PullInfo failed =
            made(QStringLiteral("f"), QStringLiteral("failed"), QDateTime::currentDateTimeUtc().addSecs(1));
        failed.errorCode = QStringLiteral("digest_mismatch");
        failed.errorMessage = QStringLiteral("model-00003-of-00004.safetensors does not match its sha256 digest");
        list.append(failed);
        pulls->setPulls(list);
        QCOMPARE(board.pullCount(), KioskPullBoard::MaxRows);
        QVERIFY(pulls->isVisible());
        QVERIFY2(pulls->moreText().contains(QLatin1String("2 more")), qPrintable(pulls->moreText()));
        QCOMPARE(board.pullPercent(0), 25);
        QVERIFY2(board.pullText(0).contains(QStringLiteral("25 % · 2 min 0 s left")), qPrintable(board.pullText(0)));
        const QString bytes =
            QStringLiteral("%1 of %2").arg(Format::bytes(1'000'000'000), Format::bytes(4'000'000'000));
        QVERIFY2(board.pullText(0).contains(bytes), qPrintable(board.pullText(0)));

        QApplication::processEvents();
        QCOMPARE(board.size(), QSize(1280, 800));
        for (int i = 0; i < board.pullCount(); ++i) {
            KioskPullRow *row = pulls->row(i);
            QVERIFY(row->isVisible());
            QVERIFY2(board.rect().contains(inWindow(row)), qPrintable(QStringLiteral("row %1").arg(i)));
            QVERIFY(row->progressBar()->height() >= row->fontMetrics().height());
            QVERIFY(!row->accessibleName().isEmpty());
            QVERIFY(!row->progressBar()->accessibleName().isEmpty());
        }
        // What gives way below is hidden or shortened, never squeezed over itself.
        auto *transfers = board.findChild<TransfersPage *>();
        QVERIFY(transfers);
        QVERIFY(!transfers->isVisible() || transfers->height() >= transfers->minimumSizeHint().height());
        verifyInert(&board);

        // Once the running ones are gone, the ended one is shown on its outcome's colour.
        pulls->setPulls({failed});
        QCOMPARE(board.pullCount(), 1);
        QApplication::processEvents();
        QCOMPARE(pulls->row(0)->badgeColour(), StateLook::of(StateLook::Look::Lockdown).colour);
        QVERIFY(pulls->moreText().isEmpty());
    }

    void showsStateAndRidesThroughRestart() {
        AirlockProcess airlock;
        QVERIFY(airlock.start(nullptr, AirlockProcess::testPolicy()));
        ServiceLink link;
        link.setReconnectInterval(200);
        link.start(airlock.stateDir() + QStringLiteral("/admin.sock"));
        KioskWindow board(&link);
        board.show();
        QTRY_COMPARE(board.stateText(), QStringLiteral("Enabled"));

        QCOMPARE(airlock.fetch({{QStringLiteral("url"), QStringLiteral("https://blocked.example/x")}}).status, 403);
        QTRY_COMPARE(board.recentLines().size(), 1);
        QVERIFY(board.recentLines().first().contains(QLatin1String("blocked.example")));
        QVERIFY(board.recentLines().first().contains(QLatin1String("Blocked")));

        airlock.stop();
        QTRY_COMPARE(link.linkState(), ServiceLink::LinkState::Unreachable);
        QCOMPARE(board.stateText(), QStringLiteral("Enabled")); // last known, marked as such
        QVERIFY(board.findChildren<QWidget *>().size() > 10);
        // While it is away the policy is changed on disk: after the restart the board shows the new state.
        QFile config(airlock.configPath());
        QVERIFY(config.open(QIODevice::ReadOnly));
        QByteArray yaml = config.readAll();
        config.close();
        yaml.replace("enabled: true", "enabled: false");
        QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
        config.write(yaml);
        config.close();
        QVERIFY(airlock.start(nullptr));
        QTRY_COMPARE_WITH_TIMEOUT(link.linkState(), ServiceLink::LinkState::Connected, 10000);
        QTRY_COMPARE(board.stateText(), QStringLiteral("Disabled"));
    }

    // A pull started through ServiceLink: on the board by name with its bar while it runs (the
    // hub stalls it half way), cancelled and then resumed, published with a full bar, and gone
    // once its time on the board is up.
    void pullShownRunningThenPublished() {
        const HubFile weights = HubFile::generated(QStringLiteral("kiosk.gguf"), 2 * 1024 * 1024 + 18);
        m_hub.addHfRepo(QStringLiteral("acme/kiosk"), kCommit, {weights});
        m_hub.stallAfter(QStringLiteral("kiosk.gguf"), weights.size() / 2);
        QVERIFY(startService());
        KioskWindow board(m_link.get());
        const int linger = 3000;
        board.setPullLinger(linger);
        board.resize(1280, 800);
        board.show();
        QCOMPARE(board.pullCount(), 0);

        const QString id = startPull(QStringLiteral("hf:acme/kiosk"));
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(board.pullPercent(0), 50, 20000);
        QCOMPARE(board.pullCount(), 1);
        QVERIFY2(board.pullText(0).startsWith(QLatin1String("acme/kiosk\n50 %")), qPrintable(board.pullText(0)));
        QVERIFY(board.pullBoard()->row(0)->progressBar()->isVisible());
        QVERIFY(!board.pullBoard()->row(0)->badgeColour().isValid()); // running: no outcome yet

        bool cancelled = false;
        m_link->cancelPull(id, false, [&](const ServiceLink::Result &r) { cancelled = r.ok; });
        QTRY_VERIFY(cancelled);
        QTRY_VERIFY2(board.pullText(0).contains(QLatin1String("Cancelled")), qPrintable(board.pullText(0)));
        QCOMPARE(board.pullPercent(0), 50);
        QCOMPARE(board.pullBoard()->row(0)->badgeColour(), StateLook::of(StateLook::Look::Disabled).colour);

        bool resumed = false;
        m_link->resumePull(id, [&](const ServiceLink::Result &r) { resumed = r.ok; });
        QTRY_VERIFY(resumed);
        QTRY_VERIFY_WITH_TIMEOUT(board.pullText(0).contains(QLatin1String("Published")), 20000);
        QElapsedTimer shown;
        shown.start();
        QCOMPARE(board.pullCount(), 1);
        QCOMPARE(board.pullPercent(0), 100);
        QVERIFY(board.pullText(0).startsWith(QLatin1String("acme/kiosk\n")));
        QCOMPARE(board.pullBoard()->row(0)->badgeColour(), StateLook::of(StateLook::Look::Enabled).colour);

        // Its requests are among the last decisions, its start and end records are not (a line of
        // them would have no method, "Allowed   huggingface.co", also for a pull that failed).
        QCOMPARE(m_airlock->fetch({{QStringLiteral("url"), QStringLiteral("https://blocked.example/x")}}).status, 403);
        QTRY_VERIFY(board.recentLines().join(QLatin1Char('\n')).contains(QLatin1String("blocked.example")));
        QVERIFY(board.recentLines().size() >= 2);
        const QRegularExpression decision(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d  (Allowed|Blocked)  [A-Z]+ \\S"));
        for (const QString &line : board.recentLines())
            QVERIFY2(decision.match(line).hasMatch(), qPrintable(line));

        QTRY_COMPARE_WITH_TIMEOUT(board.pullCount(), 0, linger + 5000);
        QVERIFY2(shown.elapsed() >= linger - 500, qPrintable(QString::number(shown.elapsed())));
        QVERIFY(!board.pullBoard()->isVisible());
        // The service still lists it; the board does not bring it back.
        QCOMPARE(m_link->pulls().size(), 1);
        QTest::qWait(500);
        QCOMPARE(board.pullCount(), 0);
    }

    // A pull whose file is corrupt twice fails with a digest mismatch: the board says so, in red,
    // with the service's own words, however briefly it ran.
    void failedPullLingersWithItsReason() {
        const HubFile weights = HubFile::generated(QStringLiteral("bad.bin"), 512 * 1024 + 33);
        m_hub.addHfRepo(QStringLiteral("acme/kiosk-bad"), kCommit,
                        {HubFile::small(QStringLiteral("ok.txt"), "kiosk fine"), weights});
        m_hub.corrupt(QStringLiteral("bad.bin"), 2);
        QVERIFY(startService());
        KioskWindow board(m_link.get());
        board.setPullLinger(3000);
        board.resize(1280, 800);
        board.show();

        const QString id = startPull(QStringLiteral("hf:acme/kiosk-bad"));
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(board.pullText(0).contains(QLatin1String("Failed")), 20000);
        const QList<PullInfo> listed = m_link->pulls();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.first().errorCode, QStringLiteral("digest_mismatch"));
        QVERIFY(!listed.first().errorMessage.isEmpty());
        QVERIFY2(board.pullText(0).startsWith(QLatin1String("acme/kiosk-bad\n")), qPrintable(board.pullText(0)));
        QVERIFY2(board.pullText(0).contains(listed.first().errorMessage), qPrintable(board.pullText(0)));
        QCOMPARE(board.pullBoard()->row(0)->badgeColour(), StateLook::of(StateLook::Look::Lockdown).colour);
        QTRY_COMPARE_WITH_TIMEOUT(board.pullCount(), 0, 8000);
    }

private:
    bool startService() {
        m_pullDir = std::make_unique<QTemporaryDir>();
        m_airlock = std::make_unique<AirlockProcess>();
        if (!m_pullDir->isValid() || !m_airlock->start(&m_upstream, AirlockProcess::enabledDefaultPolicy(),
                                                       {QStringLiteral("--pull-dir"), m_pullDir->path()}))
            return false;
        m_link = std::make_unique<ServiceLink>();
        m_link->setPullPollInterval(100);
        m_link->start(m_airlock->stateDir() + QStringLiteral("/admin.sock"));
        return QTest::qWaitFor([&] { return m_link->linkState() == ServiceLink::LinkState::Connected; }, 10000);
    }

    // The pull's id, or empty (with the service's refusal in the log).
    QString startPull(const QString &source) {
        auto answer = std::make_shared<std::optional<QString>>(); // outlives a wait that gives up
        m_link->startPull(source, {}, {}, false, [answer](const ServiceLink::Result &r, const QJsonObject &pull) {
            if (!r.ok)
                qWarning("start_pull refused: %s %s", qPrintable(r.code), qPrintable(r.error));
            *answer = pull.value(QLatin1String("id")).toString();
        });
        if (!QTest::qWaitFor([&] { return answer->has_value(); }, 20000))
            qWarning("start_pull: no answer");
        return answer->value_or(QString());
    }

    TestUpstream m_upstream;
    ModelHub m_hub;
    std::unique_ptr<QTemporaryDir> m_pullDir;
    std::unique_ptr<AirlockProcess> m_airlock;
    std::unique_ptr<ServiceLink> m_link;
};

QTEST_MAIN(TestKioskWindow)
#include "tst_kioskwindow.moc"
