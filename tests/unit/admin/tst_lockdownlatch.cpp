// LockdownLatch: the emergency brake holds from the moment it is engaged, survives a restart
// through its file, is released only when that file is gone, and fails closed: a latch that
// cannot be written down still holds, a latch file that cannot be read counts as engaged.
#include "admin/LockdownLatch.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace airlock;

namespace {

// Every state the latch announces, in order.
class ChangeLog {
public:
    explicit ChangeLog(LockdownLatch &latch) {
        QObject::connect(&latch, &LockdownLatch::changed, &latch,
                         [this](const LockdownState &state) { states.append(state); });
    }
    QList<LockdownState> states;
};

QJsonObject readJson(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool writeFile(const QString &path, const QByteArray &data) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

void ignoreNotPersisted() {
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("NOT persisted")));
}

} // namespace

class TestLockdownLatch final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void noFileMeansReleased();
    void engageHoldsPersistsAndSignals();
    void restartKeepsTheLatch();
    void engagingAgainReplacesTheReason();
    void releaseRemovesTheFileAndSignals();
    void releaseWhenReleasedIsQuiet();
    void latchThatCannotBeWrittenStillHolds_data();
    void latchThatCannotBeWrittenStillHolds();
    void unreadableFileCountsAsEngaged_data();
    void unreadableFileCountsAsEngaged();
    void releaseThatCannotRemoveTheFileKeepsTheLatch();

private:
    QString latchPath() const { return m_dir->filePath(QStringLiteral("lockdown.json")); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestLockdownLatch::initTestCase() {
    // Engaging and releasing are logged as warnings for the operator; here they are noise.
    QLoggingCategory::setFilterRules(QStringLiteral("airlock.admin.lockdown.warning=false"));
}

void TestLockdownLatch::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestLockdownLatch::noFileMeansReleased() {
    LockdownLatch latch;
    QString warning;
    QVERIFY(latch.load(latchPath(), &warning));
    QVERIFY(warning.isEmpty());
    QVERIFY(!latch.isActive());
    QVERIFY(!latch.state().active);
}

void TestLockdownLatch::engageHoldsPersistsAndSignals() {
    LockdownLatch latch;
    QString message;
    QVERIFY(latch.load(latchPath(), &message));
    ChangeLog changes(latch);

    QVERIFY2(latch.engage(QStringLiteral("suspected exfiltration"), QStringLiteral("alice"), QStringLiteral("INC-42"),
                          &message),
             qPrintable(message));
    QVERIFY(latch.isActive());
    const LockdownState state = latch.state();
    QCOMPARE(state.reason, QStringLiteral("suspected exfiltration"));
    QCOMPARE(state.who, QStringLiteral("alice"));
    QCOMPARE(state.incidentId, QStringLiteral("INC-42"));
    QVERIFY(state.time.isValid());

    QCOMPARE(changes.states.size(), 1);
    QVERIFY(changes.states[0].active);
    QCOMPARE(changes.states[0].reason, state.reason);

    const QJsonObject file = readJson(latchPath());
    QCOMPARE(file.value(QStringLiteral("lockdown")).toBool(), true);
    QCOMPARE(file.value(QStringLiteral("reason")).toString(), state.reason);
    QCOMPARE(file.value(QStringLiteral("who")).toString(), state.who);
    QCOMPARE(file.value(QStringLiteral("incident_id")).toString(), state.incidentId);
    const QFileDevice::Permissions groupAndOthers = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                    QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                    QFileDevice::WriteOther | QFileDevice::ExeOther;
    QCOMPARE(QFileInfo(latchPath()).permissions() & groupAndOthers, QFileDevice::Permissions());
    // Nothing left over from the atomic write.
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("lockdown.json")});
}

void TestLockdownLatch::restartKeepsTheLatch() {
    LockdownState engaged;
    {
        LockdownLatch latch;
        QString message;
        QVERIFY(latch.load(latchPath(), &message));
        QVERIFY2(latch.engage(QStringLiteral("audit disk full"), QStringLiteral("bob"), QString(), &message),
                 qPrintable(message));
        engaged = latch.state();
    }
    LockdownLatch restarted;
    QString warning;
    QVERIFY2(restarted.load(latchPath(), &warning), qPrintable(warning));
    QVERIFY(restarted.isActive());
    QCOMPARE(restarted.state().reason, engaged.reason);
    QCOMPARE(restarted.state().who, engaged.who);
    QCOMPARE(restarted.state().incidentId, QString());
    QCOMPARE(restarted.state().time, engaged.time);
}

void TestLockdownLatch::engagingAgainReplacesTheReason() {
    LockdownLatch latch;
    QString message;
    QVERIFY(latch.load(latchPath(), &message));
    QVERIFY(latch.engage(QStringLiteral("first"), QStringLiteral("alice"), QStringLiteral("INC-1"), &message));
    QVERIFY(latch.engage(QStringLiteral("second"), QStringLiteral("bob"), QString(), &message));
    LockdownLatch restarted;
    QVERIFY(restarted.load(latchPath(), &message));
    QVERIFY(restarted.isActive());
    QCOMPARE(restarted.state().reason, QStringLiteral("second"));
    QCOMPARE(restarted.state().who, QStringLiteral("bob"));
    QCOMPARE(restarted.state().incidentId, QString());
}

void TestLockdownLatch::releaseRemovesTheFileAndSignals() {
    LockdownLatch latch;
    QString message;
    QVERIFY(latch.load(latchPath(), &message));
    QVERIFY(latch.engage(QStringLiteral("drill"), QStringLiteral("alice"), QString(), &message));
    ChangeLog changes(latch);

    QVERIFY2(latch.release(QStringLiteral("alice"), &message), qPrintable(message));
    QVERIFY(!latch.isActive());
    QVERIFY(!QFileInfo::exists(latchPath()));
    QCOMPARE(changes.states.size(), 1);
    QVERIFY(!changes.states[0].active);
    QVERIFY(changes.states[0].reason.isEmpty());

    LockdownLatch restarted;
    QVERIFY(restarted.load(latchPath(), &message));
    QVERIFY(!restarted.isActive());
}

void TestLockdownLatch::releaseWhenReleasedIsQuiet() {
    LockdownLatch latch;
    QString message;
    QVERIFY(latch.load(latchPath(), &message));
    ChangeLog changes(latch);
    QVERIFY(latch.release(QStringLiteral("alice"), &message));
    QVERIFY(!latch.isActive());
    QCOMPARE(changes.states.size(), 0);
}

void TestLockdownLatch::latchThatCannotBeWrittenStillHolds_data() {
    QTest::addColumn<QString>("where");
    // Root may write anywhere, so these are places where no file can be whatever the permissions.
    QTest::newRow("no lockdown file configured") << QString();
    QTest::newRow("folder does not exist") << QStringLiteral("missing/lockdown.json");
    QTest::newRow("folder is a file") << QStringLiteral("plain-file/lockdown.json");
    QTest::newRow("lockdown file is a folder") << QStringLiteral("folder");
}

void TestLockdownLatch::latchThatCannotBeWrittenStillHolds() {
    QFETCH(QString, where);
    QVERIFY(writeFile(m_dir->filePath(QStringLiteral("plain-file")), "x"));
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("folder/inside")));
    const QString path = where.isEmpty() ? QString() : m_dir->filePath(where);

    LockdownLatch latch;
    QString message;
    if (!path.isEmpty())
        latch.load(path, &message);
    ChangeLog changes(latch);

    QString error;
    ignoreNotPersisted();
    QVERIFY(!latch.engage(QStringLiteral("incident"), QStringLiteral("alice"), QString(), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(latch.isActive()); // the brake holds in memory all the same
    QCOMPARE(latch.state().reason, QStringLiteral("incident"));
    QCOMPARE(changes.states.size(), 1);
    QVERIFY(changes.states[0].active);
    ignoreNotPersisted();
    QVERIFY(!latch.engage(QStringLiteral("incident"), QStringLiteral("alice"), QString(), nullptr));
    QVERIFY(latch.isActive());
}

void TestLockdownLatch::unreadableFileCountsAsEngaged_data() {
    QTest::addColumn<QByteArray>("content"); // null: the path is a folder, which cannot be read as a file
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("warning");
    QTest::addColumn<bool>("loaded");
    QTest::newRow("not JSON") << QByteArray("\x00\xff garbage", 10) << QStringLiteral("lockdown file corrupt")
                              << QStringLiteral("not valid JSON") << false;
    QTest::newRow("empty") << QByteArray("") << QStringLiteral("lockdown file corrupt")
                           << QStringLiteral("not valid JSON") << false;
    QTest::newRow("JSON, not an object") << QByteArray("[true]") << QStringLiteral("lockdown file corrupt")
                                         << QStringLiteral("not valid JSON") << false;
    QTest::newRow("cut short") << QByteArray("{\"lockdown\": true, \"reason\": \"x")
                               << QStringLiteral("lockdown file corrupt") << QStringLiteral("not valid JSON") << false;
    QTest::newRow("a folder") << QByteArray() << QStringLiteral("lockdown file unreadable")
                              << QStringLiteral("cannot read") << false;
    // The file's presence is the latch, whatever it says.
    QTest::newRow("says lockdown false") << QByteArray("{\"lockdown\": false, \"reason\": \"r\", \"who\": \"w\"}")
                                         << QStringLiteral("r") << QString() << true;
}

void TestLockdownLatch::unreadableFileCountsAsEngaged() {
    QFETCH(QByteArray, content);
    QFETCH(QString, reason);
    QFETCH(QString, warning);
    QFETCH(bool, loaded);
    if (content.isNull())
        QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("lockdown.json")));
    else
        QVERIFY(writeFile(latchPath(), content));

    LockdownLatch latch;
    QString message;
    QCOMPARE(latch.load(latchPath(), &message), loaded);
    QVERIFY(latch.isActive());
    QCOMPARE(latch.state().reason, reason);
    if (warning.isEmpty())
        QVERIFY(message.isEmpty());
    else
        QVERIFY2(message.contains(warning), qPrintable(message));
}

void TestLockdownLatch::releaseThatCannotRemoveTheFileKeepsTheLatch() {
    // A folder where the latch file should be: unlink() refuses it, root or not.
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("lockdown.json/inside")));
    LockdownLatch latch;
    QString message;
    QVERIFY(!latch.load(latchPath(), &message));
    QVERIFY(latch.isActive());
    ChangeLog changes(latch);

    QString error;
    QVERIFY(!latch.release(QStringLiteral("alice"), &error));
    QVERIFY2(error.contains(QLatin1String("lockdown stays")), qPrintable(error));
    QVERIFY(latch.isActive());
    QCOMPARE(changes.states.size(), 0);

    // Once the obstacle is gone the release goes through.
    QVERIFY(QDir(latchPath()).removeRecursively());
    QVERIFY2(latch.release(QStringLiteral("alice"), &error), qPrintable(error));
    QVERIFY(!latch.isActive());
    QCOMPARE(changes.states.size(), 1);
}

QTEST_GUILESS_MAIN(TestLockdownLatch)
#include "tst_lockdownlatch.moc"
