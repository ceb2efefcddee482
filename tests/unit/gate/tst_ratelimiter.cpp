#include "gate/RateLimiter.h"

#include <QTest>

using namespace airlock;

class TestRateLimiter final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void admitsUpToLimitThenRefuses();
    void slidingWindowHasNoBurstAtBoundary();
    void retryAfterCountsFromOldestAdmission();
    void refusalsDoNotCount();
    void peekDoesNotConsume();
    void loweredLimitStillCountsWindow();
};

void TestRateLimiter::admitsUpToLimitThenRefuses() {
    qint64 now = 1'000'000;
    RateLimiter limiter([&] { return now; });
    for (int i = 0; i < 30; ++i)
        QVERIFY2(limiter.tryAcquire(30, nullptr), qPrintable(QString::number(i)));
    int retry = 0;
    QVERIFY(!limiter.tryAcquire(30, &retry));
    QCOMPARE(retry, 60);
}

void TestRateLimiter::slidingWindowHasNoBurstAtBoundary() {
    // A fixed-window limiter would admit 30 at 0:59 and 30 more at 1:00; a sliding one must not.
    qint64 now = 0;
    RateLimiter limiter([&] { return now; });
    now = 59'000;
    for (int i = 0; i < 30; ++i)
        QVERIFY(limiter.tryAcquire(30, nullptr));
    now = 60'000;
    QVERIFY(!limiter.tryAcquire(30, nullptr));
    now = 59'000 + 59'999;
    QVERIFY(!limiter.tryAcquire(30, nullptr));
    now = 59'000 + 60'000;
    QVERIFY(limiter.tryAcquire(30, nullptr));
}

void TestRateLimiter::retryAfterCountsFromOldestAdmission() {
    qint64 now = 0;
    RateLimiter limiter([&] { return now; });
    QVERIFY(limiter.tryAcquire(2, nullptr));
    now = 10'000;
    QVERIFY(limiter.tryAcquire(2, nullptr));
    now = 30'500;
    int retry = 0;
    QVERIFY(!limiter.tryAcquire(2, &retry));
    QCOMPARE(retry, 30); // oldest (t=0) leaves the window at t=60s: 29.5 s, rounded up
    now = 60'000;
    QVERIFY(limiter.tryAcquire(2, nullptr));
    QVERIFY(!limiter.tryAcquire(2, &retry));
    QCOMPARE(retry, 10);
}

void TestRateLimiter::refusalsDoNotCount() {
    qint64 now = 0;
    RateLimiter limiter([&] { return now; });
    QVERIFY(limiter.tryAcquire(1, nullptr));
    for (int i = 0; i < 100; ++i)
        QVERIFY(!limiter.tryAcquire(1, nullptr));
    now = 60'000;
    QVERIFY(limiter.tryAcquire(1, nullptr));
}

void TestRateLimiter::peekDoesNotConsume() {
    qint64 now = 0;
    RateLimiter limiter([&] { return now; });
    for (int i = 0; i < 10; ++i)
        QVERIFY(limiter.wouldAdmit(1, nullptr));
    QVERIFY(limiter.tryAcquire(1, nullptr));
    int retry = 0;
    QVERIFY(!limiter.wouldAdmit(1, &retry));
    QCOMPARE(retry, 60);
}

void TestRateLimiter::loweredLimitStillCountsWindow() {
    qint64 now = 0;
    RateLimiter limiter([&] { return now; });
    for (int i = 0; i < 10; ++i) {
        now = i * 1000;
        QVERIFY(limiter.tryAcquire(10, nullptr));
    }
    // Limit drops to 5: admissions at 0..9 s are in the window; 6 of them must leave first.
    now = 10'000;
    int retry = 0;
    QVERIFY(!limiter.tryAcquire(5, &retry));
    QCOMPARE(retry, 55); // the admission at t=5 s leaves at t=65 s
    now = 65'000;
    QVERIFY(limiter.tryAcquire(5, nullptr));
}

QTEST_APPLESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
