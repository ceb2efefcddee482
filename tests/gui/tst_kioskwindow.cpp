// The --kiosk board: nothing on it can be edited or pressed, it shows state and decisions from
// a real airlockd, and it rides through a service restart.
#include "AirlockHarness.h"
#include "client/ServiceLink.h"
#include "widgets/KioskWindow.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTest>
#include <QTextEdit>

using namespace airlock;
using namespace airlock::gui;
using namespace airlock::test;

class TestKioskWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void hasNoEditableControl() {
        ServiceLink link; // never started: the board must also be inert while it waits
        KioskWindow board(&link);
        board.resize(1280, 800);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        const QList<QWidget *> widgets = board.findChildren<QWidget *>();
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
};

QTEST_MAIN(TestKioskWindow)
#include "tst_kioskwindow.moc"
