// EgressBudget: bytes per destination host in any hour, on a clock the test drives.
#include "gate/EgressBudget.h"

#include <QTest>

using namespace airlock;

class TestEgressBudget final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void spendsPerHost();
    void peekDoesNotSpend();
    void bytesExpireAfterAnHour();
    void oneRequestOverTheLimit();
    void hostsAreBounded();

private:
    qint64 m_now = 1'000'000;
};

void TestEgressBudget::spendsPerHost() {
    EgressBudget budget([this] { return m_now; });
    int retry = 0;
    QVERIFY(budget.admit(QStringLiteral("a.example"), 600, 1000, true, &retry));
    QVERIFY(budget.admit(QStringLiteral("a.example"), 400, 1000, true, &retry)); // exactly the limit
    QVERIFY(!budget.admit(QStringLiteral("a.example"), 1, 1000, true, &retry));
    QVERIFY(retry >= 1 && retry <= 3600 + 60);
    QVERIFY(budget.admit(QStringLiteral("b.example"), 1000, 1000, true, &retry)); // a budget of its own
    QCOMPARE(budget.usedLastHour(QStringLiteral("a.example")), 1000);
    const auto usage = budget.usage();
    QCOMPARE(usage.size(), 2);
}

void TestEgressBudget::peekDoesNotSpend() {
    EgressBudget budget([this] { return m_now; });
    int retry = 0;
    QVERIFY(budget.admit(QStringLiteral("a.example"), 900, 1000, false, &retry));
    QVERIFY(budget.admit(QStringLiteral("a.example"), 900, 1000, false, &retry));
    QCOMPARE(budget.usedLastHour(QStringLiteral("a.example")), 0);
    QVERIFY(budget.admit(QStringLiteral("a.example"), 900, 1000, true, &retry));
    QVERIFY(!budget.admit(QStringLiteral("a.example"), 200, 1000, false, &retry));
}

void TestEgressBudget::bytesExpireAfterAnHour() {
    EgressBudget budget([this] { return m_now; });
    int retry = 0;
    QVERIFY(budget.admit(QStringLiteral("a.example"), 1000, 1000, true, &retry));
    m_now += 30 * 60 * 1000;
    QVERIFY(budget.admit(QStringLiteral("a.example"), 0, 1000, true, &retry));
    QVERIFY(!budget.admit(QStringLiteral("a.example"), 1, 1000, true, &retry));
    // Retry-After points at when the old bytes leave, about half an hour from now.
    QVERIFY2(retry > 29 * 60 && retry <= 32 * 60, qPrintable(QString::number(retry)));
    m_now += qint64(retry) * 1000;
    QVERIFY(budget.admit(QStringLiteral("a.example"), 1, 1000, true, &retry));
    QCOMPARE(budget.usedLastHour(QStringLiteral("a.example")), 1);
}

void TestEgressBudget::oneRequestOverTheLimit() {
    EgressBudget budget([this] { return m_now; });
    int retry = 0;
    QVERIFY(!budget.admit(QStringLiteral("a.example"), 1001, 1000, true, &retry));
    QCOMPARE(retry, 3600);
    QCOMPARE(budget.usedLastHour(QStringLiteral("a.example")), 0);
}

void TestEgressBudget::hostsAreBounded() {
    EgressBudget budget([this] { return m_now; });
    int retry = 0;
    for (int i = 0; i < EgressBudget::kMaxHosts + 50; ++i) {
        m_now += 1;
        QVERIFY(budget.admit(QStringLiteral("h%1.example").arg(i), 10, 1000, true, &retry));
    }
    QCOMPARE(budget.usage().size(), EgressBudget::kMaxHosts);
    QCOMPARE(budget.usedLastHour(QStringLiteral("h0.example")), 0); // the one used longest ago went first
}

QTEST_GUILESS_MAIN(TestEgressBudget)
#include "tst_egressbudget.moc"
