#include "admin/TransferTracker.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace airlock;

class TestTransferTracker final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void progressRateAndExpiry();
    void idleTrackerIsQuiet();
};

void TestTransferTracker::progressRateAndExpiry() {
    qint64 now = 0;
    TransferTracker tracker([&] { return now; }, 250, 10'000);
    QSignalSpy spy(&tracker, &TransferTracker::updated);
    tracker.started(QStringLiteral("t1"), QStringLiteral("GET"), QStringLiteral("hf.co"), QStringLiteral("/m.bin"));
    tracker.progress(QStringLiteral("t1"), 0, 4000);
    now = 1000;
    tracker.progress(QStringLiteral("t1"), 1000, 4000);
    tracker.tick();
    QCOMPARE(spy.size(), 1);
    QJsonObject t = tracker.snapshot().value(QStringLiteral("transfers")).toArray().first().toObject();
    QCOMPARE(t.value(QStringLiteral("bytes")).toInteger(), 1000);
    QCOMPARE(t.value(QStringLiteral("total")).toInteger(), 4000);
    QCOMPARE(t.value(QStringLiteral("rate")).toInteger(), 1000); // 1000 bytes in 1 s
    QCOMPARE(t.value(QStringLiteral("state")).toString(), QStringLiteral("active"));
    QCOMPARE(tracker.activeCount(), 1);

    AuditRecord done;
    done.event = EventKind::Transfer;
    done.requestId = QStringLiteral("t1");
    done.host = QStringLiteral("hf.co");
    done.path = QStringLiteral("/m.bin");
    done.bytesDown = 4000;
    done.status = 200;
    done.outcome = TransferOutcome::Complete;
    now = 2000;
    tracker.finished(done);
    tracker.tick();
    t = tracker.snapshot().value(QStringLiteral("transfers")).toArray().first().toObject();
    QCOMPARE(t.value(QStringLiteral("state")).toString(), QStringLiteral("finished"));
    QCOMPARE(t.value(QStringLiteral("outcome")).toString(), QStringLiteral("complete"));
    QCOMPARE(tracker.activeCount(), 0);

    now = 2000 + 10'000; // kept ten seconds, then gone
    tracker.tick();
    QVERIFY(tracker.snapshot().value(QStringLiteral("transfers")).toArray().isEmpty());
}

void TestTransferTracker::idleTrackerIsQuiet() {
    qint64 now = 0;
    TransferTracker tracker([&] { return now; });
    QSignalSpy spy(&tracker, &TransferTracker::updated);
    tracker.tick();
    tracker.tick();
    QCOMPARE(spy.size(), 0);
    tracker.progress(QStringLiteral("unknown"), 5, 10); // never started: ignored
    QVERIFY(tracker.snapshot().value(QStringLiteral("transfers")).toArray().isEmpty());
}

QTEST_GUILESS_MAIN(TestTransferTracker)
#include "tst_transfertracker.moc"
