#include "admin/EventBus.h"

#include <QSignalSpy>
#include <QTest>

using namespace airlock;

class TestEventBus final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ringKeepsNewest_data();
    void ringKeepsNewest();
    void eventCarriesNoQuery();
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

void TestEventBus::eventCarriesNoQuery() {
    AuditRecord r;
    r.event = QStringLiteral("transfer");
    r.requestId = QStringLiteral("abc");
    r.method = QStringLiteral("GET");
    r.host = QStringLiteral("huggingface.co");
    r.path = QStringLiteral("/api/models");
    r.allowed = true;
    r.code = QStringLiteral("ok");
    r.status = 200;
    r.bytesDown = 1234;
    r.durationMs = 56;
    const QJsonObject e = EventBus::eventFor(r, QDateTime::fromMSecsSinceEpoch(0, Qt::UTC));
    QCOMPARE(e.value(QStringLiteral("time")).toString(), QStringLiteral("1970-01-01T00:00:00.000Z"));
    QCOMPARE(e.value(QStringLiteral("decision")).toString(), QStringLiteral("allowed"));
    QCOMPARE(e.value(QStringLiteral("host")).toString(), QStringLiteral("huggingface.co"));
    QCOMPARE(e.value(QStringLiteral("path")).toString(), QStringLiteral("/api/models"));
    QCOMPARE(e.value(QStringLiteral("bytes")).toInteger(), 1234);
    QCOMPARE(e.value(QStringLiteral("duration")).toInteger(), 56);
    for (const char *key :
         {"time", "id", "decision", "code", "rule", "method", "host", "path", "status", "bytes", "duration"})
        QVERIFY2(e.contains(QLatin1String(key)), key);
}

QTEST_GUILESS_MAIN(TestEventBus)
#include "tst_eventbus.moc"
