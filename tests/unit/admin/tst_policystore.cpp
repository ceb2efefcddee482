#include "admin/PolicyStore.h"

#include "admin/PolicyFile.h"
#include "policy/AllowEntryParser.h"
#include "policy/PolicyYaml.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace airlock;

class TestPolicyStore final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void changeWritesThenSwaps();
    void failedWriteChangesNothing();
    void invalidReloadKeepsPolicy();
    void watcherPicksUpEdit();
};

namespace {
PolicySnapshot initial() {
    return std::make_shared<const Policy>(*parsePolicyYaml(defaultPolicyYaml()).policy);
}
bool addHost(Policy &p, QString *, QString *) {
    p.allowedDestinations.append(*parseAllowEntry(QStringLiteral("example.org"), nullptr));
    return true;
}
} // namespace

void TestPolicyStore::changeWritesThenSwaps() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("policy.yaml"));
    QVERIFY(writeFileAtomically(path, defaultPolicyYaml(), nullptr));
    PolicyStore store(path, initial());
    QSignalSpy spy(&store, &PolicyStore::policyChanged);
    const PolicySnapshot before = store.current();
    const PolicyChange c = store.change(addHost, QStringLiteral("test"));
    QVERIFY2(c.ok, qPrintable(c.error));
    QVERIFY(c.changed);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(store.current()->allowedDestinations.size(), before->allowedDestinations.size() + 1);
    // The snapshot a request already holds is untouched.
    QVERIFY(before != store.current());
    const PolicyFileResult onDisk = loadPolicyFile(path);
    QVERIFY(onDisk.policy);
    QCOMPARE(*onDisk.policy, *store.current());
    // The same change again: ok, nothing to do.
    const PolicyChange again = store.change(
        [](Policy &p, QString *, QString *) {
            p.allowedDestinations.removeLast();
            p.allowedDestinations.append(*parseAllowEntry(QStringLiteral("example.org"), nullptr));
            return true;
        },
        QStringLiteral("test"));
    QVERIFY(again.ok);
    QVERIFY(!again.changed);
}

void TestPolicyStore::failedWriteChangesNothing() {
    // Root ignores folder permissions, so the write is made to fail by removing the folder.
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("gone"));
    QVERIFY(QDir().mkpath(folder));
    const QString path = folder + QStringLiteral("/policy.yaml");
    QVERIFY(writeFileAtomically(path, defaultPolicyYaml(), nullptr));
    PolicyStore store(path, initial());
    QSignalSpy spy(&store, &PolicyStore::policyChanged);
    const PolicySnapshot before = store.current();
    QVERIFY(QDir(folder).removeRecursively());
    const PolicyChange c = store.change(addHost, QStringLiteral("test"));
    QVERIFY(!c.ok);
    QCOMPARE(c.code, QStringLiteral("write_failed"));
    QVERIFY(!c.error.isEmpty());
    QCOMPARE(store.current(), before);
    QCOMPARE(spy.size(), 0);
}

void TestPolicyStore::invalidReloadKeepsPolicy() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("policy.yaml"));
    QVERIFY(writeFileAtomically(path, defaultPolicyYaml(), nullptr));
    PolicyStore store(path, initial());
    const PolicySnapshot before = store.current();
    QVERIFY(writeFileAtomically(path, "airlock:\n  enabled: maybe\n  bogus: 1\n", nullptr));
    const PolicyChange c = store.reload(QStringLiteral("test"));
    QVERIFY(!c.ok);
    QCOMPARE(c.code, QStringLiteral("invalid_policy"));
    QVERIFY(c.problems.size() >= 2); // every problem, not only the first
    QCOMPARE(store.current(), before);
}

void TestPolicyStore::watcherPicksUpEdit() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("policy.yaml"));
    QVERIFY(writeFileAtomically(path, defaultPolicyYaml(), nullptr));
    PolicyStore store(path, initial());
    store.watch(50);
    QSignalSpy spy(&store, &PolicyStore::policyChanged);
    QByteArray yaml = defaultPolicyYaml();
    yaml.replace("enabled: false", "enabled: true");
    QVERIFY(writeFileAtomically(path, yaml, nullptr)); // rename: a new inode
    QTRY_COMPARE(spy.size(), 1);
    QVERIFY(store.current()->enabled);
    // A second edit after the inode changed is still seen.
    yaml.replace("enabled: true", "enabled: false");
    QVERIFY(writeFileAtomically(path, yaml, nullptr));
    QTRY_COMPARE(spy.size(), 2);
    QVERIFY(!store.current()->enabled);
}

QTEST_GUILESS_MAIN(TestPolicyStore)
#include "tst_policystore.moc"
