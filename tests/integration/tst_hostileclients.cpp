// airlockd against clients that try to exhaust it: before they ever show a token (large bodies
// announced without the token, connections that never finish their request head), and with it
// (bodies made to cost inspection as much as they can).
#include "AirlockHarness.h"
#include "EncodingFixtures.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <vector>

using namespace airlock::test;

namespace {

// Resident memory of a process in bytes, from /proc/<pid>/status; -1 when unreadable.
qint64 residentBytes(qint64 pid) {
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) {
            const QByteArray kb = line.mid(6).trimmed().split(' ').value(0);
            return kb.toLongLong() * 1024;
        }
    }
    return -1;
}

// A raw client that keeps what the server sends and notices when it closes.
struct RawClient {
    QTcpSocket socket;
    QByteArray received;
    bool closed = false;

    explicit RawClient(quint16 port) {
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [this] { received += socket.readAll(); });
        QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [this] { closed = true; });
        QObject::connect(&socket, &QTcpSocket::errorOccurred, &socket, [this](QAbstractSocket::SocketError) {
            if (socket.state() != QAbstractSocket::ConnectedState)
                closed = true;
        });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }

    // Status of the first response once its head and Content-Length body are in; 0 before.
    int status() const {
        const qsizetype end = received.indexOf("\r\n\r\n");
        if (end < 0 || !received.startsWith("HTTP/1.1 "))
            return 0;
        return received.mid(9, 3).toInt();
    }
    QByteArray head() const { return received.left(received.indexOf("\r\n\r\n")).toLower(); }
    QJsonObject json() const {
        const qsizetype end = received.indexOf("\r\n\r\n");
        return QJsonDocument::fromJson(received.mid(end + 4)).object();
    }
};

} // namespace

class TestHostileClients final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void largeBodiesWithoutTokenAreNotRead_data();
    void largeBodiesWithoutTokenAreNotRead();
    void halfOpenFloodDoesNotStarveClients();
    void costlyInspectionDoesNotStallTheService();
    void slowReadersDoNotHoldEverySlot();
    void policyChangedWhileJudgedIsJudgedAgain();

private:
    TestUpstream m_upstream;
    std::unique_ptr<AirlockProcess> m_airlock;
};

void TestHostileClients::initTestCase() {
    QVERIFY(m_upstream.start());
    m_airlock = std::make_unique<AirlockProcess>();
    QVERIFY2(m_airlock->start(&m_upstream, AirlockProcess::testPolicy()), qPrintable(m_airlock->logText()));
}

void TestHostileClients::cleanupTestCase() {
    m_airlock.reset();
}

void TestHostileClients::largeBodiesWithoutTokenAreNotRead_data() {
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<bool>("expectContinue");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("fetch, no token") << QByteArray("/v1/fetch") << QByteArray() << false << 401
                                     << QStringLiteral("unauthorized");
    QTest::newRow("check, wrong token, expect 100-continue")
        << QByteArray("/v1/egress/check") << QByteArray("Bearer wrong") << true << 401
        << QStringLiteral("unauthorized");
    QTest::newRow("disable, no token") << QByteArray("/api/v1/disable") << QByteArray() << false << 401
                                       << QStringLiteral("unauthorized");
    QTest::newRow("pulls, basic auth") << QByteArray("/v1/pulls") << QByteArray("Basic dXNlcjpwYXNz") << false << 401
                                       << QStringLiteral("unauthorized");
    QTest::newRow("unknown path, with token")
        << QByteArray("/v1/nothing") << QByteArray("token") << false << 404 << QStringLiteral("not_found");
}

void TestHostileClients::largeBodiesWithoutTokenAreNotRead() {
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, authorization);
    QFETCH(bool, expectContinue);
    QFETCH(int, status);
    QFETCH(QString, code);
    if (authorization == "token")
        authorization = "Bearer " + m_airlock->token();
    const qint64 pid = m_airlock->process().processId();
    const qint64 before = residentBytes(pid);
    QVERIFY(before > 0);
    const QJsonObject statsBefore = m_airlock->get("/v1/stats").json();

    // Each declares 14 MB and sends a few KB of it: buffering (or reserving) those bodies would
    // take 50 * 14 MB = 700 MB.
    constexpr int kClients = 50;
    QByteArray head = "POST " + path +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Content-Length: 14000000\r\n";
    if (!authorization.isEmpty())
        head += "Authorization: " + authorization + "\r\n";
    if (expectContinue)
        head += "Expect: 100-continue\r\n";
    head += "\r\n";
    const QByteArray someBody = "{\"url\":\"https://huggingface.co/x\",\"body\":\"" + QByteArray(4000, 'a');
    std::vector<std::unique_ptr<RawClient>> clients;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(std::make_unique<RawClient>(m_airlock->port()));
        clients.back()->socket.write(head + (expectContinue ? QByteArray() : someBody));
    }
    const auto answered = [&clients] {
        int n = 0;
        for (const auto &c : clients)
            n += c->status() != 0 ? 1 : 0;
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(answered(), kClients, 20'000);
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed < 15'000, qPrintable(QString::number(elapsed)));
    for (const auto &c : clients) {
        QCOMPARE(c->status(), status); // never 100 Continue first
        QCOMPARE(c->json().value(QStringLiteral("code")).toString(), code);
        QVERIFY(c->head().contains("x-airlock-decision: blocked"));
        QVERIFY(c->head().contains("connection: close"));
    }
    // The connections are closed after the answer, even by a client that keeps sending.
    for (const auto &c : clients)
        c->socket.write(QByteArray(64 * 1024, 'b'));
    const auto closedCount = [&clients] {
        int n = 0;
        for (const auto &c : clients)
            n += c->closed ? 1 : 0;
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(closedCount(), kClients, 20'000);

    const qint64 after = residentBytes(pid);
    QVERIFY2(after - before < 100 * 1024 * 1024,
             qPrintable(QStringLiteral("RSS grew from %1 to %2 bytes").arg(before).arg(after)));

    // Refusals for want of the token are recorded as before.
    const QJsonObject statsAfter = m_airlock->get("/v1/stats").json();
    if (status == 401) {
        const auto unauthorized = [](const QJsonObject &o) {
            return o.value(QStringLiteral("blocked_by_code")).toObject().value(QStringLiteral("unauthorized")).toInt();
        };
        QCOMPARE(unauthorized(statsAfter) - unauthorized(statsBefore), kClients);
    }
    // And clients with the token are served.
    QCOMPARE(m_airlock->get("/health", false).status, 200);
    const ClientResponse check = m_airlock->fetch(
        {{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/10")}}, {}, "/v1/egress/check");
    QCOMPARE(check.status, 200);
    QCOMPARE(check.json().value(QStringLiteral("allowed")).toBool(), true);
}

void TestHostileClients::halfOpenFloodDoesNotStarveClients() {
    // More half-open connections than the whole connection cap (256).
    constexpr int kHalfOpen = 300;
    std::vector<std::unique_ptr<RawClient>> flood;
    for (int i = 0; i < kHalfOpen; ++i) {
        flood.push_back(std::make_unique<RawClient>(m_airlock->port()));
        flood.back()->socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // no blank line
    }
    const auto settled = [&flood] {
        int n = 0;
        for (const auto &c : flood)
            n += (c->closed || c->socket.state() == QAbstractSocket::ConnectedState) ? 1 : 0;
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(settled(), kHalfOpen, 20'000);
    QTest::qWait(300); // let airlockd accept what the kernel queued

    for (int round = 0; round < 3; ++round) {
        QElapsedTimer clock;
        clock.start();
        ClientOptions options;
        options.timeoutMs = 10'000;
        const ClientResponse health =
            sendRaw(m_airlock->port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", options);
        QCOMPARE(health.status, 200);
        QVERIFY2(clock.elapsed() < 3'000, qPrintable(QString::number(clock.elapsed())));
    }
    // None of the flood was answered 503: the oldest were closed to make room, without an answer.
    for (const auto &c : flood)
        QVERIFY(c->status() != 503);

    // What is left of the flood is closed by the first-head timeout (5 s), well before the
    // 10 s header timeout would have.
    QElapsedTimer clock;
    clock.start();
    const auto closedCount = [&flood] {
        int n = 0;
        for (const auto &c : flood)
            n += c->closed ? 1 : 0;
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(closedCount(), kHalfOpen, 30'000);
    int timedOut = 0;
    for (const auto &c : flood)
        timedOut += c->status() == 408 ? 1 : 0;
    QVERIFY(timedOut > 0);
    QVERIFY(timedOut <= 64); // never more than the half-open budget were still there
    QCOMPARE(m_airlock->get("/health", false).status, 200);
    // The oldest half-open connections that made room are counted for whoever watches /metrics.
    qint64 dropped = -1;
    for (const QByteArray &line : m_airlock->get("/metrics", false).body.split('\n'))
        if (line.startsWith("airlock_half_open_dropped_total "))
            dropped = line.mid(32).toLongLong();
    QVERIFY2(dropped >= kHalfOpen - 64, qPrintable(QString::number(dropped)));
}

namespace {
// Lines packed with address-shaped words the e-mail validator turns down (no such TLD): each one
// is located and validated, the most work per byte a body can ask of the rules. A block of
// about 20 KiB repeated: gzip (32 KiB window) packs it about 150 to 1, just under the
// inflate-ratio limit (200).
QByteArray addressLikeLines(qsizetype size) {
    QByteArray block;
    for (quint32 n = 0; n < 28; ++n) {
        for (quint32 i = 0; i < 60; ++i)
            block += QByteArray(1 + i % 3, char('a' + i % 8)) + QByteArray::number((n * 60 + i) * 2654435761u % 9973) +
                     '@' + QByteArray(2, char('x' + i % 3)) + ".png ";
        block += '\n';
    }
    QByteArray body;
    body.reserve(size + block.size());
    while (body.size() < size)
        body += block; // whole blocks: a word cut short could end in a real TLD (".pn")
    return body;
}
} // namespace

// Bodies built to cost inspection the most (three gzip parts of a multipart body, every line full
// of address-shaped words) are inspected on the inspection threads, each within its work budget,
// while the event loop goes on answering: /health stays quick the whole time, and each costly
// request is refused as uninspectable rather than let through or left hanging.
void TestHostileClients::costlyInspectionDoesNotStallTheService() {
    QList<QByteArray> parts;
    for (int i = 0; i < 3; ++i)
        parts.append("Content-Type: text/plain\r\n\r\n" +
                     airlock::test::gzip(addressLikeLines(28 * 1024 * 1024) + QByteArray(i + 1, '\n')));
    const QByteArray body = airlock::test::multipart(parts);
    const QJsonObject envelope{
        {QStringLiteral("url"), QStringLiteral("https://huggingface.co/api/upload")},
        {QStringLiteral("method"), QStringLiteral("POST")},
        {QStringLiteral("headers"),
         QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("multipart/form-data; boundary=XyZb0und")}}},
        {QStringLiteral("body_base64"), QString::fromLatin1(body.toBase64())}};
    const QByteArray request = m_airlock->fetchRequest(envelope, "/v1/egress/check");
    qInfo("costly request: %lld bytes", qint64(request.size()));

    constexpr int kCostly = 4;
    std::vector<std::unique_ptr<RawClient>> costly;
    QElapsedTimer phase;
    phase.start();
    for (int i = 0; i < kCostly; ++i) {
        costly.push_back(std::make_unique<RawClient>(m_airlock->port()));
        costly.back()->socket.write(request);
    }
    const auto allAnswered = [&costly] {
        return std::all_of(costly.begin(), costly.end(), [](const auto &c) { return c->status() != 0 || c->closed; });
    };

    // /health, one after another, for as long as the costly requests are being inspected.
    QList<qint64> latencies;
    while (!allAnswered() && phase.elapsed() < 120'000) {
        QElapsedTimer clock;
        clock.start();
        RawClient health(m_airlock->port());
        health.socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        while (health.status() == 0 && !health.closed && clock.elapsed() < 30'000)
            health.socket.waitForReadyRead(10);
        QCOMPARE(health.status(), 200);
        latencies.append(clock.elapsed());
        QTest::qWait(20);
    }
    const qint64 busyFor = phase.elapsed();
    QTRY_VERIFY_WITH_TIMEOUT(allAnswered(), 30'000);
    for (const auto &c : costly) {
        QCOMPARE(c->status(), 200);
        const QJsonObject answer = c->json();
        QCOMPARE(answer.value(QStringLiteral("allowed")).toBool(true), false);
        QCOMPARE(answer.value(QStringLiteral("code")).toString(), QStringLiteral("uninspectable"));
        qInfo("costly request refused: %s", qPrintable(answer.value(QStringLiteral("reason")).toString()));
    }
    // The service was busy long enough for an answer held up behind the inspections to show.
    QVERIFY2(busyFor >= 1'000, qPrintable(QString::number(busyFor)));
    std::sort(latencies.begin(), latencies.end());
    QVERIFY(!latencies.isEmpty());
    const qint64 median = latencies.at(latencies.size() / 2);
    const qint64 worst = latencies.last();
    qInfo("costly inspections for %lld ms: %lld /health answers, median %lld ms, worst %lld ms", busyFor,
          qint64(latencies.size()), median, worst);
    // The target is 100 ms; the bound on the worst answer leaves room for a loaded test machine
    // yet stays far below the seconds an answer waits behind an inspection on the event loop.
    QVERIFY2(median <= 100, qPrintable(QString::number(median)));
    QVERIFY2(worst <= 1'000, qPrintable(QString::number(worst)));
    QVERIFY(latencies.size() >= 10);
}

namespace {
// A client that reads its answer at about 75 KB/s: a little every 100 ms, with Qt's buffer kept
// small so the rest stays queued in the kernel and in airlockd.
struct SlowReader {
    QTcpSocket socket;
    QTimer timer;
    qint64 received = 0;
    bool closed = false;

    SlowReader(quint16 port, const QByteArray &request) {
        socket.setReadBufferSize(16 * 1024);
        QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [this] { closed = true; });
        QObject::connect(&timer, &QTimer::timeout, &socket, [this] { received += socket.read(7500).size(); });
        socket.connectToHost(QHostAddress::LocalHost, port);
        socket.write(request);
        timer.start(100);
    }
};

qint64 metricValue(const QByteArray &text, const QByteArray &name) {
    for (const QByteArray &line : text.split('\n'))
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).toLongLong();
    return -1;
}
} // namespace

// As many slow readers of a 2 GiB download as there are upstream slots (32) do not keep other
// clients out: a fetch that has to wait gets the slot of the slowest reader once that one has
// held it 10 s reading under 1 MiB/s, well before its 30 s wait would end in 503 busy. The cut
// transfers are counted, and slot use is in /metrics.
void TestHostileClients::slowReadersDoNotHoldEverySlot() {
    constexpr int kSlots = 32;
    const QByteArray big =
        m_airlock->fetchRequest({{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/2147483648")}});
    std::vector<std::unique_ptr<SlowReader>> slow;
    for (int i = 0; i < kSlots; ++i)
        slow.push_back(std::make_unique<SlowReader>(m_airlock->port(), big));
    const auto slotsInUse = [this] {
        return metricValue(m_airlock->get("/metrics", false).body, "airlock_upstream_slots_in_use");
    };
    QTRY_COMPARE_WITH_TIMEOUT(slotsInUse(), qint64(kSlots), 20'000);
    QCOMPARE(metricValue(m_airlock->get("/metrics", false).body, "airlock_upstream_slots"), qint64(kSlots));
    const qint64 preemptedBefore = metricValue(m_airlock->get("/metrics", false).body, "airlock_preempted_total");

    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<RawClient>> waiting;
    for (int i = 0; i < 2; ++i) {
        waiting.push_back(std::make_unique<RawClient>(m_airlock->port()));
        waiting.back()->socket.write(m_airlock->fetchRequest(
            {{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/%1").arg(1000 + i)}}));
    }
    const auto answered = [&waiting] {
        return std::all_of(waiting.begin(), waiting.end(), [](const auto &c) { return c->closed; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(answered(), 40'000);
    for (const auto &c : waiting)
        QCOMPARE(c->status(), 200);
    QVERIFY2(clock.elapsed() < 25'000, qPrintable(QString::number(clock.elapsed())));

    qInfo("waiting fetches answered after %lld ms", clock.elapsed());
    // Two slow readers were cut (a slow reader cannot tell yet: the end of its connection sits
    // behind the bytes it has not read); the rest still hold their slots.
    const QByteArray metrics = m_airlock->get("/metrics", false).body;
    const qint64 preempted = metricValue(metrics, "airlock_preempted_total") - preemptedBefore;
    QVERIFY2(preempted >= 2 && preempted < kSlots, qPrintable(QString::number(preempted)));
    QCOMPARE(metricValue(metrics, "airlock_upstream_slots_in_use"), qint64(kSlots - preempted));
    const QJsonObject stats = m_airlock->get("/v1/stats").json();
    QVERIFY(stats.value(QStringLiteral("preempted")).toInteger() >= 2);
    QCOMPARE(stats.value(QStringLiteral("upstream_slots")).toInt(), kSlots);
    slow.clear();
    QTRY_COMPARE_WITH_TIMEOUT(slotsInUse(), qint64(0), 10'000);
}

// A request judged under one policy while the policy changes is judged again under the new one
// before it is answered: a host taken off the allowlist while requests wait for an inspection
// thread is refused to them too.
void TestHostileClients::policyChangedWhileJudgedIsJudgedAgain() {
    AirlockProcess airlock;
    QVERIFY2(airlock.start(&m_upstream, AirlockProcess::testPolicy()), qPrintable(airlock.logText()));
    // Both inspection threads busy for about 2 s each with costly bodies.
    QList<QByteArray> parts;
    for (int i = 0; i < 3; ++i)
        parts.append("Content-Type: text/plain\r\n\r\n" +
                     airlock::test::gzip(addressLikeLines(28 * 1024 * 1024) + QByteArray(i + 1, '\n')));
    const QJsonObject costly{
        {QStringLiteral("url"), QStringLiteral("https://huggingface.co/api/upload")},
        {QStringLiteral("method"), QStringLiteral("POST")},
        {QStringLiteral("headers"),
         QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("multipart/form-data; boundary=XyZb0und")}}},
        {QStringLiteral("body_base64"), QString::fromLatin1(airlock::test::multipart(parts).toBase64())}};
    std::vector<std::unique_ptr<RawClient>> busy;
    for (int i = 0; i < 2; ++i) {
        busy.push_back(std::make_unique<RawClient>(airlock.port()));
        busy.back()->socket.write(airlock.fetchRequest(costly, "/v1/egress/check"));
    }
    QTest::qWait(300);
    // A small check, allowed under the policy in force now; it waits for a thread.
    RawClient waiting(airlock.port());
    waiting.socket.write(airlock.fetchRequest(
        {{QStringLiteral("url"), QStringLiteral("https://huggingface.co/api/models")}}, "/v1/egress/check"));
    QTest::qWait(100);
    QCOMPARE(waiting.status(), 0);
    // huggingface.co leaves the allowlist while it waits.
    QFile config(airlock.configPath());
    QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
    config.write(AirlockProcess::testPolicy().replace("huggingface.co", "models.example.org"));
    config.close();
    QTRY_VERIFY_WITH_TIMEOUT(waiting.status() != 0, 30'000);
    QCOMPARE(waiting.status(), 200);
    QCOMPARE(waiting.json().value(QStringLiteral("allowed")).toBool(true), false);
    QCOMPARE(waiting.json().value(QStringLiteral("code")).toString(), QStringLiteral("destination_not_allowed"));
}

QTEST_GUILESS_MAIN(TestHostileClients)
#include "tst_hostileclients.moc"
