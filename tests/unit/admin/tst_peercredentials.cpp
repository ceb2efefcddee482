#include "admin/PeerCredentials.h"

#include <QTest>

#include <sys/socket.h>
#include <unistd.h>

using namespace airlock;

Q_DECLARE_METATYPE(airlock::AdminRole)

class TestPeerCredentials final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void role_data();
    void role();
    void readsOwnCredentials();
};

namespace {
std::optional<gid_t> fakeGroups(const QString &name) {
    if (name == QLatin1String("secure-ai-admin"))
        return 990;
    if (name == QLatin1String("viewers"))
        return 991;
    if (name == QLatin1String("overflow"))
        return 65534;
    return std::nullopt;
}
} // namespace

void TestPeerCredentials::role_data() {
    QTest::addColumn<uint>("uid");
    QTest::addColumn<QList<uint>>("groups");
    QTest::addColumn<QString>("adminGroup");
    QTest::addColumn<QString>("viewerGroup");
    QTest::addColumn<AdminRole>("expected");
    const QString a = QStringLiteral("secure-ai-admin");
    const QString v = QStringLiteral("viewers");
    QTest::newRow("root") << 0u << QList<uint>{0} << a << v << AdminRole::Admin;
    QTest::newRow("service user") << 500u << QList<uint>{500} << a << v << AdminRole::Admin;
    QTest::newRow("admin group member") << 1000u << QList<uint>{1000, 990} << a << v << AdminRole::Admin;
    QTest::newRow("viewer group member") << 1000u << QList<uint>{1000, 991} << a << v << AdminRole::Viewer;
    QTest::newRow("both: admin wins") << 1000u << QList<uint>{991, 990} << a << v << AdminRole::Admin;
    QTest::newRow("stranger") << 1000u << QList<uint>{1000, 100} << a << v << AdminRole::None;
    // Under PrivateUsers=yes a member shows as uid 65534 with its mapped groups.
    QTest::newRow("unmapped uid, admin group") << 65534u << QList<uint>{65534, 990} << a << v << AdminRole::Admin;
    QTest::newRow("unmapped uid, no group") << 65534u << QList<uint>{65534} << a << v << AdminRole::None;
    QTest::newRow("missing admin group admits nobody")
        << 1000u << QList<uint>{1000, 990} << QStringLiteral("no-such-group") << QString() << AdminRole::None;
    QTest::newRow("empty viewer group") << 1000u << QList<uint>{1000} << a << QString() << AdminRole::None;
    QTest::newRow("overflow gid never matches")
        << 1000u << QList<uint>{65534} << QStringLiteral("overflow") << QString() << AdminRole::None;
}

void TestPeerCredentials::role() {
    QFETCH(uint, uid);
    QFETCH(QList<uint>, groups);
    QFETCH(QString, adminGroup);
    QFETCH(QString, viewerGroup);
    QFETCH(AdminRole, expected);
    PeerCredentials peer;
    peer.uid = uid;
    for (uint g : groups)
        peer.groups.append(g);
    AdminSettings settings;
    settings.group = adminGroup;
    settings.viewerGroup = viewerGroup;
    QCOMPARE(decideRole(peer, 500, settings, fakeGroups), expected);
}

void TestPeerCredentials::readsOwnCredentials() {
    int fds[2];
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    PeerCredentials peer;
    QString error;
    QVERIFY2(readPeerCredentials(fds[0], &peer, &error), qPrintable(error));
    QCOMPARE(peer.uid, ::getuid());
    QCOMPARE(peer.pid, ::getpid());
    QVERIFY(peer.groups.contains(::getgid()));
    ::close(fds[0]);
    ::close(fds[1]);
}

QTEST_APPLESS_MAIN(TestPeerCredentials)
#include "tst_peercredentials.moc"
