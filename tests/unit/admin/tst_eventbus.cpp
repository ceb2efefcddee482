// EventBus: the ring keeps the newest events; an event is the audit record in the audit log's
// shape, and reads back as the record it was.
#include "admin/EventBus.h"
#include "audit/AuditLog.h"

#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace airlock;

class TestEventBus final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ringKeepsNewest_data();
    void ringKeepsNewest();
    void eventIsTheRecord();
    void eventHasTheAuditLinesFields();
};

void TestEventBus::ringKeepsNewest_data() {
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("published");
    QTest::addColumn<int>("limit");
    QTest::newRow("not full") << 10 << 4 << 100;
    QTest::newRow("exactly full") << 10 << 10 << 100;
    QTest::newRow("wrapped") << 10 << 25 << 100;
    QTest::newRow("wrapped, small limit") << 10 << 25 << 3;
    QTest::newRow("limit zero") << 10 << 5 << 0;
}

void TestEventBus::ringKeepsNewest() {
    QFETCH(int, capacity);
    QFETCH(int, published);
    QFETCH(int, limit);
    EventBus bus(capacity);
    QSignalSpy spy(&bus, &EventBus::eventPublished);
    for (int i = 0; i < published; ++i)
        bus.publish(QJsonObject{{QStringLiteral("n"), i}});
    QCOMPARE(spy.size(), published);
    const QJsonArray recent = bus.recent(limit);
    const int expected = std::min({capacity, published, limit});
    QCOMPARE(recent.size(), expected);
    // Oldest first, ending with the newest.
    for (int i = 0; i < expected; ++i)
        QCOMPARE(recent[i].toObject().value(QStringLiteral("n")).toInt(), published - expected + i);
}

namespace {

AuditRecord finishedTransfer() {
    AuditRecord r;
    r.event = EventKind::Transfer;
    r.requestId = QStringLiteral("abc");
    r.method = QStringLiteral("GET");
    r.host = QStringLiteral("huggingface.co");
    r.path = QStringLiteral("/api/models");
    r.verdict = Verdict::Allowed;
    r.code = ErrorCode::None;
    r.rule = QStringLiteral("huggingface.co");
    r.status = 200;
    r.bytesUp = 12;
    r.bytesDown = 1234;
    r.durationMs = 56;
    r.redirects = 1;
    r.outcome = TransferOutcome::Complete;
    return r;
}

} // namespace

void TestEventBus::eventIsTheRecord() {
    // What the panel and airlockctl read back is what was published, field for field.
    const AuditRecord r = finishedTransfer();
    EventBus bus;
    QSignalSpy spy(&bus, &EventBus::eventPublished);
    bus.publish(r);
    QCOMPARE(spy.size(), 1);
    const QJsonObject e = spy.first().first().toJsonObject();
    QCOMPARE(bus.recent(1).first().toObject(), e);
    const RecordParse back = recordFromJson(e);
    QVERIFY2(back.ok(), qPrintable(back.error));
    QCOMPARE(back.record, r);
    QVERIFY(back.time.isValid());
    QCOMPARE(e.value(QStringLiteral("bytes_down")).toInteger(), 1234);
    QCOMPARE(e.value(QStringLiteral("duration_ms")).toInteger(), 56);
}

void TestEventBus::eventHasTheAuditLinesFields() {
    // One shape: the event and the audit line differ only by the line's hash chain.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    AuditLog log;
    QString error;
    QVERIFY2(log.open(dir.filePath(QStringLiteral("audit.jsonl")), &error), qPrintable(error));
    QVERIFY2(log.append(finishedTransfer(), &error), qPrintable(error));
    QFile file(log.path());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonObject line = QJsonDocument::fromJson(file.readLine()).object();
    QVERIFY(line.contains(QStringLiteral("prev")));
    line.remove(QStringLiteral("prev"));

    EventBus bus;
    QSignalSpy spy(&bus, &EventBus::eventPublished);
    bus.publish(finishedTransfer());
    QJsonObject event = spy.first().first().toJsonObject();
    QCOMPARE(event.keys(), line.keys());
    line.remove(QStringLiteral("time"));
    event.remove(QStringLiteral("time"));
    QCOMPARE(event, line);
}

QTEST_GUILESS_MAIN(TestEventBus)
#include "tst_eventbus.moc"
