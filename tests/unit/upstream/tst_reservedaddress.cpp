#include "upstream/ReservedAddress.h"

#include <QTest>

using namespace airlock;

class TestReservedAddress final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void classify_data();
    void classify();
};

void TestReservedAddress::classify_data() {
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("reserved");

    const char *const reserved[] = {
        // IPv4
        "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1",
        "127.255.255.254", "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1",
        "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
        "239.255.255.250", "240.0.0.1", "255.255.255.255",
        // IPv6
        "::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:8.8.8.8", "::127.0.0.1", "::8.8.8.8",
        "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::c0a8:101", "64:ff9b:1::808:808", "100::1", "2001::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:db8::1", "2001:10::1", "2001:20::1", "2001:2::1",
        "2002:7f00:1::1", "2002:808:808::1", "3fff::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1",
        "ff02::1", "ff0e::1", "4000::1", "8000::1", "1::1"};
    for (const char *a : reserved)
        QTest::newRow(a) << QString::fromLatin1(a) << true;

    const char *const allowed[] = {"8.8.8.8",          "1.1.1.1",
                                   "9.9.9.9",          "100.63.255.255",
                                   "100.128.0.1",      "172.15.255.255",
                                   "172.32.0.1",       "192.0.3.1",
                                   "192.169.0.1",      "198.17.255.255",
                                   "198.20.0.1",       "223.255.255.255",
                                   "2606:4700::1111",  "2a00:1450:4001:80b::200e",
                                   "64:ff9b::808:808", "2001:4860:4860::8888",
                                   "2003::1"};
    for (const char *a : allowed)
        QTest::newRow(a) << QString::fromLatin1(a) << false;
}

void TestReservedAddress::classify() {
    QFETCH(QString, address);
    QFETCH(bool, reserved);
    const QHostAddress parsed(address);
    QVERIFY2(!parsed.isNull(), qPrintable(address));
    const QString reason = reservedAddressReason(parsed);
    QCOMPARE(isReservedAddress(parsed), reserved);
    QCOMPARE(reason.isEmpty(), !reserved);
}

QTEST_APPLESS_MAIN(TestReservedAddress)
#include "tst_reservedaddress.moc"
