#include "pull/PullPlan.h"

#include <QTest>

using namespace airlock;

// The names a digest kind goes by in the API and the audit log, and a plan's size.
class TestPullPlan final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void digestKindNames();
    void totalBytes_data();
    void totalBytes();
};

void TestPullPlan::digestKindNames() {
    QCOMPARE(digestKindName(DigestKind::Sha256), QStringLiteral("sha256"));
    QCOMPARE(digestKindName(DigestKind::GitSha1), QStringLiteral("git-sha1"));
}

void TestPullPlan::totalBytes_data() {
    QTest::addColumn<QList<qint64>>("sizes");
    QTest::addColumn<qint64>("total");
    QTest::newRow("empty") << QList<qint64>() << qint64(0);
    QTest::newRow("one") << QList<qint64>{42} << qint64(42);
    QTest::newRow("empty files count nothing") << QList<qint64>{0, 7, 0} << qint64(7);
    QTest::newRow("beyond 32 bits") << QList<qint64>{Q_INT64_C(4971440032), Q_INT64_C(4995584848), 1}
                                    << Q_INT64_C(9967024881);
}

void TestPullPlan::totalBytes() {
    QFETCH(QList<qint64>, sizes);
    PullPlan plan;
    for (const qint64 size : sizes) {
        PlannedFile file;
        file.size = size;
        plan.files.append(file);
    }
    QTEST(plan.totalBytes(), "total");
}

QTEST_APPLESS_MAIN(TestPullPlan)
#include "tst_pullplan.moc"
