// The panel against a real airlockd: the header's toggle drives the service, the allowlist editor
// validates as you type, Apply round-trips through the service and its policy file, and a
// refusal by the service is shown in its own words. Also: unreachable is said plainly. The
// window's models run under QAbstractItemModelTester through all of it.
#include "AirlockHarness.h"
#include "client/ServiceLink.h"
#include "models/ActivityFilter.h"
#include "models/ActivityModel.h"
#include "models/AllowlistModel.h"
#include "widgets/ActivityPage.h"
#include "widgets/AllowlistPage.h"
#include "widgets/ConnectionBanner.h"
#include "widgets/MainWindow.h"
#include "widgets/PolicyPage.h"
#include "widgets/StateHeader.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <memory>
#include <vector>

using namespace airlock;
using namespace airlock::gui;
using namespace airlock::test;

namespace {

QByteArray readFile(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestMainWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        m_airlock = std::make_unique<AirlockProcess>();
        QVERIFY2(m_airlock->start(nullptr, AirlockProcess::testPolicy()), qPrintable(m_airlock->logText()));
        m_link = std::make_unique<ServiceLink>();
        m_link->start(m_airlock->stateDir() + QStringLiteral("/admin.sock"));
        m_window = std::make_unique<MainWindow>(m_link.get());
        // Before any event arrives, so that every change the service causes is checked.
        const QList<QAbstractItemModel *> models{m_window->activityModel(), m_window->activityPage()->filter(),
                                                 m_window->allowlistPage()->model()};
        for (QAbstractItemModel *model : models) {
            m_testers.push_back(std::make_unique<QAbstractItemModelTester>(
                model, QAbstractItemModelTester::FailureReportingMode::QtTest));
        }
        m_window->resize(1280, 800);
        m_window->show();
        QTRY_COMPARE(m_link->linkState(), ServiceLink::LinkState::Connected);
        QTRY_VERIFY(m_link->status().has_value() && m_link->policy().has_value());
    }

    void cleanup() {
        m_testers.clear();
        m_window.reset();
        m_link.reset();
        m_airlock.reset();
    }

    void toggleDrivesTheService() {
        StateHeader *header = m_window->header();
        QVERIFY(!m_window->banner()->isVisible());
        QTRY_COMPARE(header->stateText(), QStringLiteral("Enabled"));
        QTRY_VERIFY(header->toggleButton()->isEnabled());
        QTest::mouseClick(header->toggleButton(), Qt::LeftButton);
        QTRY_COMPARE(header->stateText(), QStringLiteral("Disabled"));
        QCOMPARE(m_airlock->get("/health", false).json().value(QStringLiteral("enabled")).toBool(), false);
        QVERIFY(readFile(m_airlock->configPath()).contains("enabled: false"));

        QTRY_VERIFY(header->toggleButton()->isEnabled());
        QTest::mouseClick(header->toggleButton(), Qt::LeftButton);
        QTRY_COMPARE(header->stateText(), QStringLiteral("Enabled"));
        QCOMPARE(m_airlock->get("/health", false).json().value(QStringLiteral("enabled")).toBool(), true);
    }

    void lockdownAndUnlockShowInTheHeader() {
        m_window->lockdown(QStringLiteral("drill"));
        QTRY_COMPARE(m_window->header()->stateText(), QStringLiteral("Lockdown"));
        QVERIFY(m_window->header()->unlockButton()->isVisible());
        QVERIFY(!m_window->header()->lockdownButton()->isVisible());
        QCOMPARE(m_airlock->get("/health", false).json().value(QStringLiteral("lockdown")).toBool(), true);
    }

    void allowlistRoundTrips() {
        m_window->tabs()->setCurrentWidget(m_window->allowlistPage());
        AllowlistPage *page = m_window->allowlistPage();
        QTRY_COMPARE(page->model()->rowCount(), 5);

        // Validation as you type: the Add button follows the validator.
        QTest::keyClicks(page->entryEdit(), QStringLiteral("http://"));
        QVERIFY(page->validationText().startsWith(QLatin1String("Not valid")));
        QVERIFY(!page->addButton()->isEnabled());
        page->entryEdit()->clear();
        QTest::keyClicks(page->entryEdit(), QStringLiteral("models.example.org"));
        QCOMPARE(page->validationText(), QStringLiteral("Valid entry."));
        QTest::keyClicks(page->methodsEdit(), QStringLiteral("GET, HEAD"));
        // Only via: checked as typed, like the entry.
        QTest::keyClicks(page->viaEdit(), QStringLiteral("10.0.0.1"));
        QVERIFY2(page->validationText().contains(QLatin1String("IP addresses")), qPrintable(page->validationText()));
        QVERIFY(!page->addButton()->isEnabled());
        page->viaEdit()->clear();
        QTest::keyClicks(page->viaEdit(), QStringLiteral("huggingface.co"));
        QCOMPARE(page->validationText(), QStringLiteral("Valid entry."));
        QVERIFY(page->addButton()->isEnabled());
        QTest::mouseClick(page->addButton(), Qt::LeftButton);
        QCOMPARE(page->model()->rowCount(), 6);
        QVERIFY(page->applyButton()->isEnabled());

        QTest::mouseClick(page->applyButton(), Qt::LeftButton);
        QTRY_VERIFY(!page->model()->isModified());
        QVERIFY2(page->resultText().startsWith(QLatin1String("Applied")), qPrintable(page->resultText()));
        const QByteArray file = readFile(m_airlock->configPath());
        QVERIFY2(file.contains("models.example.org"), file.constData());
        // The service's own policy now lists it, with its methods.
        QTRY_VERIFY(m_link->policy()->allowedDestinations.size() == 6);
        QCOMPARE(m_link->policy()->allowedDestinations.last().methods,
                 QStringList({QStringLiteral("GET"), QStringLiteral("HEAD")}));
        QCOMPARE(m_link->policy()->allowedDestinations.last().via, QStringList({QStringLiteral("huggingface.co")}));
        QVERIFY2(file.contains("via: huggingface.co"), file.constData());
        QCOMPARE(page->model()->index(5, AllowlistModel::Via).data().toString(), QStringLiteral("huggingface.co"));

        // Remove it again.
        page->table()->selectRow(5);
        QTest::mouseClick(page->removeButton(), Qt::LeftButton);
        QTest::mouseClick(page->applyButton(), Qt::LeftButton);
        QTRY_VERIFY(!page->model()->isModified());
        QTRY_COMPARE(m_link->policy()->allowedDestinations.size(), 5);
        QVERIFY(!readFile(m_airlock->configPath()).contains("models.example.org"));
    }

    // The Policy page shows the egress byte budget and what each destination had of it in the
    // last hour, as the service counts it.
    void egressBudgetIsShown() {
        PolicyPage *page = m_window->policyPage();
        m_window->tabs()->setCurrentWidget(page);
        QTRY_VERIFY2(page->valueText(QStringLiteral("egress")).startsWith(QLatin1String("1.1 TB per destination host")),
                     qPrintable(page->valueText(QStringLiteral("egress"))));
        QCOMPARE(page->valueText(QStringLiteral("egressUse")), QStringLiteral("nothing"));
        // An allowed fetch with a 5000-byte body is charged before it is sent (there is no
        // upstream here: it then fails, which changes nothing about what was counted).
        const ClientResponse r =
            m_airlock->fetch({{QStringLiteral("url"), QStringLiteral("https://huggingface.co/api/x")},
                              {QStringLiteral("method"), QStringLiteral("POST")},
                              {QStringLiteral("body"), QString(5000, QLatin1Char('a'))}});
        QVERIFY(r.status != 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            page->valueText(QStringLiteral("egressUse")).startsWith(QLatin1String("huggingface.co: ")), 15'000);
        const QString use = page->valueText(QStringLiteral("egressUse"));
        QVERIFY2(use.contains(QLatin1String(" of 1.1 TB (0 %)")), qPrintable(use));
        // The audit log's rotation, as the policy sets it (the test policy keeps the defaults).
        QCOMPARE(page->valueText(QStringLiteral("audit")), QStringLiteral("rotated at 67.1 MB, 8 older file(s) kept"));
    }

    void refusalIsShownAsItIs() {
        AllowlistPage *page = m_window->allowlistPage();
        QTRY_COMPARE(page->model()->rowCount(), 5);
        // Make the service unable to save: its policy file's name now belongs to a folder
        // (a permission change would not stop root). The change must then be refused.
        const QString config = m_airlock->configPath();
        QVERIFY(QFile::remove(config));
        QVERIFY(QDir().mkpath(config + QStringLiteral("/blocker")));
        QString error;
        QVERIFY(page->model()->addEntry(QStringLiteral("refused.example.org"), {}, {}, &error));
        QTest::mouseClick(page->applyButton(), Qt::LeftButton);
        QTRY_VERIFY(page->resultText().startsWith(QLatin1String("The service refused the change:")));
        QVERIFY2(page->resultText().contains(QLatin1String("policy not changed")), qPrintable(page->resultText()));
        QVERIFY(page->model()->isModified()); // the edit stays for another try
        QCOMPARE(m_link->policy()->allowedDestinations.size(), 5);
    }

    void unreachableIsSaidPlainly() {
        m_airlock->stop();
        QTRY_VERIFY(m_window->banner()->isVisible());
        QVERIFY(m_window->banner()->text().contains(QLatin1String("not reachable")));
        QVERIFY(m_window->banner()->text().contains(QLatin1String("systemctl")));
        QCOMPARE(m_window->header()->stateText(), QStringLiteral("Not connected"));
        QVERIFY(!m_window->header()->toggleButton()->isEnabled());
    }

private:
    std::unique_ptr<AirlockProcess> m_airlock;
    std::unique_ptr<ServiceLink> m_link;
    std::unique_ptr<MainWindow> m_window;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
