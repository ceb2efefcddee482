#include "admin/AdminProtocol.h"

#include <QTest>
#include <QtEndian>

using namespace airlock::admin;

class TestAdminProtocol final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripInPieces_data();
    void roundTripInPieces();
    void oversizeFrameIsRefused();
    void garbage_data();
    void garbage();
    void commandNames();
};

void TestAdminProtocol::roundTripInPieces_data() {
    QTest::addColumn<int>("pieceSize");
    QTest::newRow("1 byte at a time") << 1;
    QTest::newRow("3 bytes") << 3;
    QTest::newRow("header split") << 2;
    QTest::newRow("whole") << 100000;
}

void TestAdminProtocol::roundTripInPieces() {
    QFETCH(int, pieceSize);
    const QJsonObject first = request(7, Command::AllowAdd, {{QStringLiteral("entry"), QStringLiteral("hf.co")}});
    const QJsonObject second =
        airlock::admin::event(QStringLiteral("decision"), QJsonObject{{QStringLiteral("host"), QStringLiteral("x")}});
    QByteArray stream = frame(first);
    appendFrame(&stream, second);
    FrameReader reader;
    QList<QJsonObject> seen;
    for (qsizetype i = 0; i < stream.size(); i += pieceSize) {
        reader.feed(stream.mid(i, pieceSize));
        QJsonObject o;
        FrameReader::Status s;
        while ((s = reader.next(&o)) == FrameReader::Status::Frame)
            seen.append(o);
        QCOMPARE(s, FrameReader::Status::NeedMore);
    }
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen[0], first);
    QCOMPARE(seen[1], second);
    QCOMPARE(reader.buffered(), 0);
}

void TestAdminProtocol::oversizeFrameIsRefused() {
    char header[4];
    qToBigEndian(quint32(MaxFrameBytes + 1), header);
    FrameReader reader;
    reader.feed(QByteArray(header, 4)); // refused from the header alone, before the body arrives
    QJsonObject o;
    QCOMPARE(reader.next(&o), FrameReader::Status::Error);
    QVERIFY(reader.errorString().contains(QLatin1String("refused")));
    // Nothing is read after an error, not even a valid frame.
    reader.feed(frame(QJsonObject{{QStringLiteral("a"), 1}}));
    QCOMPARE(reader.next(&o), FrameReader::Status::Error);
}

void TestAdminProtocol::garbage_data() {
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("not json") << QByteArray("hello world");
    QTest::newRow("json array") << QByteArray("[1,2,3]");
    QTest::newRow("json string") << QByteArray("\"x\"");
    QTest::newRow("truncated json") << QByteArray("{\"v\":1,");
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe\x01", 4);
}

void TestAdminProtocol::garbage() {
    QFETCH(QByteArray, payload);
    char header[4];
    qToBigEndian(quint32(payload.size()), header);
    FrameReader reader;
    reader.feed(QByteArray(header, 4) + payload);
    QJsonObject o;
    QCOMPARE(reader.next(&o), FrameReader::Status::Error);
}

void TestAdminProtocol::commandNames() {
    for (Command c :
         {Command::Status, Command::SetEnabled, Command::Lockdown, Command::Unlock, Command::GetPolicy,
          Command::AllowAdd, Command::AllowRemove, Command::AllowReplace, Command::Reload, Command::RecentEvents,
          Command::SubscribeEvents, Command::ListTransfers, Command::SubscribeTransfers})
        QCOMPARE(commandFromName(commandName(c)), c);
    QVERIFY(!commandFromName(QStringLiteral("Status")));
    QVERIFY(!commandFromName(QStringLiteral("")));
    QVERIFY(commandNeedsAdmin(Command::SetEnabled));
    QVERIFY(commandNeedsAdmin(Command::Unlock));
    QVERIFY(!commandNeedsAdmin(Command::Status));
    QVERIFY(!commandNeedsAdmin(Command::SubscribeEvents));
}

QTEST_APPLESS_MAIN(TestAdminProtocol)
#include "tst_adminprotocol.moc"
