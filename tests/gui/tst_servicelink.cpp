// ServiceLink against a real airlockd: connects and learns its role, state, policy and recent
// decisions; live decisions arrive; changes reach the service; it says when the service is out
// of reach and reconnects by itself when the service comes back.
#include "AirlockHarness.h"
#include "client/ServiceLink.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace airlock;
using namespace airlock::gui;
using namespace airlock::test;

namespace {

QString socketOf(const AirlockProcess &airlock) {
    return airlock.stateDir() + QStringLiteral("/admin.sock");
}

QJsonObject blockedFetch(const QString &host) {
    return {{QStringLiteral("url"), QStringLiteral("https://%1/some/path?secret=1").arg(host)}};
}

} // namespace

class TestServiceLink final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void connectsAndReadsState() {
        AirlockProcess airlock;
        QVERIFY2(airlock.start(nullptr, AirlockProcess::testPolicy()), qPrintable(airlock.logText()));
        // A decision made before the panel connects comes with the history.
        QCOMPARE(airlock.fetch(blockedFetch(QStringLiteral("before.example"))).status, 403);

        ServiceLink link;
        link.setReconnectInterval(200);
        QList<DecisionEvent> seen;
        connect(&link, &ServiceLink::decisionsReceived, this,
                [&seen](const QList<DecisionEvent> &events) { seen += events; });
        link.start(socketOf(airlock));
        QTRY_COMPARE(link.linkState(), ServiceLink::LinkState::Connected);
        QVERIFY(link.isAdmin()); // the test runs as the service's own user
        QTRY_VERIFY(link.status().has_value());
        QVERIFY(link.status()->enabled);
        QCOMPARE(link.status()->state(), ServiceState::Enabled);
        QTRY_VERIFY(link.policy().has_value());
        QCOMPARE(link.policy()->allowedDestinations.size(), 5);
        QTRY_COMPARE(seen.size(), 1);
        QCOMPARE(seen.first().host, QStringLiteral("before.example"));
        QCOMPARE(seen.first().verdict, Verdict::Blocked);
        QCOMPARE(seen.first().code, std::optional(ErrorCode::DestinationNotAllowed));

        QCOMPARE(airlock.fetch(blockedFetch(QStringLiteral("live.example"))).status, 403);
        QTRY_COMPARE(seen.size(), 2);
        QCOMPARE(seen.last().host, QStringLiteral("live.example"));
        QVERIFY(!seen.last().path.contains(QLatin1String("secret"))); // never a query string
    }

    void changesReachTheService() {
        AirlockProcess airlock;
        QVERIFY(airlock.start(nullptr, AirlockProcess::testPolicy()));
        ServiceLink link;
        link.start(socketOf(airlock));
        QTRY_COMPARE(link.linkState(), ServiceLink::LinkState::Connected);

        std::optional<ServiceLink::Result> answer;
        link.setEnabled(false, [&answer](const ServiceLink::Result &r) { answer = r; });
        QTRY_VERIFY(answer.has_value());
        QVERIFY2(answer->ok, qPrintable(answer->error));
        QTRY_VERIFY(link.status() && !link.status()->enabled);
        QCOMPARE(airlock.get("/health", false).json().value(QStringLiteral("enabled")).toBool(), false);

        answer.reset();
        link.lockdown(QStringLiteral("test incident"), [&answer](const ServiceLink::Result &r) { answer = r; });
        QTRY_VERIFY(answer.has_value());
        QVERIFY(answer->ok);
        QTRY_VERIFY(link.status() && link.status()->lockdown);
        QCOMPARE(link.status()->lockdownReason, QStringLiteral("test incident"));
        QCOMPARE(link.status()->state(), ServiceState::Lockdown);

        answer.reset();
        link.unlock([&answer](const ServiceLink::Result &r) { answer = r; });
        QTRY_VERIFY(answer.has_value());
        QTRY_VERIFY(link.status() && !link.status()->lockdown);

        // An entry the service refuses comes back with the service's code and words.
        answer.reset();
        link.replaceAllowlist(QJsonArray{QStringLiteral("huggingface.co"), QStringLiteral("http://nope/")},
                              [&answer](const ServiceLink::Result &r) { answer = r; });
        QTRY_VERIFY(answer.has_value());
        QVERIFY(!answer->ok);
        QCOMPARE(answer->code, QStringLiteral("invalid_entry"));
        QVERIFY(!answer->error.isEmpty());
    }

    void unreachableThenReconnects() {
        AirlockProcess airlock;
        ServiceLink link;
        link.setReconnectInterval(200);
        QSignalSpy states(&link, &ServiceLink::linkStateChanged);
        link.start(socketOf(airlock)); // nothing listens yet
        QTRY_COMPARE(link.linkState(), ServiceLink::LinkState::Unreachable);
        QVERIFY(!link.lastError().isEmpty());

        QVERIFY(airlock.start(nullptr, AirlockProcess::testPolicy()));
        QTRY_COMPARE_WITH_TIMEOUT(link.linkState(), ServiceLink::LinkState::Connected, 10000);

        airlock.stop();
        QTRY_COMPARE(link.linkState(), ServiceLink::LinkState::Unreachable);
        QVERIFY(airlock.start(nullptr));
        QTRY_COMPARE_WITH_TIMEOUT(link.linkState(), ServiceLink::LinkState::Connected, 10000);
        QTRY_VERIFY(link.status().has_value());
    }
};

QTEST_GUILESS_MAIN(TestServiceLink)
#include "tst_servicelink.moc"
