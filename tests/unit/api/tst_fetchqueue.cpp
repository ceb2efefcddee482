// FetchQueue: allowed fetches wait for an upstream slot in a bounded queue, each for a bounded
// time, and a lockdown engaged while they wait refuses them. Real connections: an HttpServer on
// loopback whose handler submits each request, and plain clients reading the answers.
#include "api/FetchQueue.h"
#include "http/HttpConnection.h"
#include "http/HttpServer.h"

#include "HttpTestClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace airlock;
using airlock::test::Client;

namespace {

class Submitter final : public IRequestHandler {
public:
    FetchQueue *queue = nullptr;
    void handleRequest(HttpConnection *connection, const HttpRequest &request) override {
        FetchJob job;
        job.connection = connection;
        job.requestId = request.path();
        queue->submit(job);
    }
};

QString codeOf(const test::Response &response) {
    return QJsonDocument::fromJson(response.body).object().value(QStringLiteral("code")).toString();
}

} // namespace

class TestFetchQueue final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void startsWhileSlotsAreFree();
    void fullQueueAnswersBusy();
    void waitingTooLongAnswersBusy();
    void aReleasedSlotStartsTheNextInOrder();
    void lockdownRefusesWhatStillWaits();
    void aClientGoneWhileWaitingIsNotStarted();
    void waitingFetchesFreeSlotsOfSlowReaders();

private:
    void make(FetchQueue::Limits limits, FetchQueue::Preempt preempt = {});
    std::unique_ptr<Client> request(const QByteArray &id);

    Submitter m_handler;
    std::unique_ptr<HttpServer> m_server;
    std::unique_ptr<FetchQueue> m_queue;
    QList<QByteArray> m_started;
    bool m_lockdown = false;
};

void TestFetchQueue::init() {
    m_started.clear();
    m_lockdown = false;
}

void TestFetchQueue::cleanup() {
    m_server.reset();
    m_queue.reset();
}

void TestFetchQueue::make(FetchQueue::Limits limits, FetchQueue::Preempt preempt) {
    m_queue = std::make_unique<FetchQueue>(
        limits, [this] { return m_lockdown; }, [this](const FetchJob &job) { m_started.append(job.requestId); },
        nullptr, std::move(preempt));
    m_handler.queue = m_queue.get();
    HttpLimits http;
    http.maxBodyBytes = [] {
        return qint64(1000);
    };
    m_server = std::make_unique<HttpServer>(&m_handler, http, 64);
    QString error;
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
}

std::unique_ptr<Client> TestFetchQueue::request(const QByteArray &id) {
    auto client = std::make_unique<Client>(m_server->port());
    client->send("GET " + id + " HTTP/1.1\r\nHost: a\r\n\r\n");
    return client;
}

void TestFetchQueue::startsWhileSlotsAreFree() {
    make({2, 4, 10'000});
    auto a = request("/a");
    auto b = request("/b");
    QTRY_COMPARE(m_started, (QList<QByteArray>{"/a", "/b"}));
    QCOMPARE(m_queue->active(), 2);
    auto c = request("/c");
    QTRY_COMPARE(m_queue->queued(), 1);
    QCOMPARE(m_started.size(), 2);
}

void TestFetchQueue::fullQueueAnswersBusy() {
    make({1, 1, 10'000});
    auto a = request("/a");
    QTRY_COMPARE(m_started.size(), 1);
    auto b = request("/b");
    QTRY_COMPARE(m_queue->queued(), 1);
    auto c = request("/c");
    const auto answer = c->read();
    QVERIFY(answer);
    QCOMPARE(answer->status, 503);
    QCOMPARE(codeOf(*answer), QStringLiteral("busy"));
    QCOMPARE(m_queue->queued(), 1);
    QCOMPARE(m_started, QList<QByteArray>{"/a"});
}

void TestFetchQueue::waitingTooLongAnswersBusy() {
    make({1, 4, 200});
    auto a = request("/a");
    QTRY_COMPARE(m_started.size(), 1);
    auto b = request("/b");
    const auto answer = b->read(false, 5000);
    QVERIFY(answer);
    QCOMPARE(answer->status, 503);
    QCOMPARE(codeOf(*answer), QStringLiteral("busy"));
    QCOMPARE(m_queue->queued(), 0);
    m_queue->release(); // the slot of /a: nothing waits any more
    QTest::qWait(20);
    QCOMPARE(m_started, QList<QByteArray>{"/a"});
}

void TestFetchQueue::aReleasedSlotStartsTheNextInOrder() {
    make({1, 4, 10'000});
    auto a = request("/a");
    QTRY_COMPARE(m_started.size(), 1);
    auto b = request("/b");
    QTRY_COMPARE(m_queue->queued(), 1);
    auto c = request("/c");
    QTRY_COMPARE(m_queue->queued(), 2);
    m_queue->release();
    QCOMPARE(m_started.size(), 1); // on the next turn of the event loop, not from inside release()
    QTRY_COMPARE(m_started, (QList<QByteArray>{"/a", "/b"}));
    QCOMPARE(m_queue->active(), 1);
    m_queue->release();
    QTRY_COMPARE(m_started, (QList<QByteArray>{"/a", "/b", "/c"}));
    QCOMPARE(m_queue->queued(), 0);
}

void TestFetchQueue::lockdownRefusesWhatStillWaits() {
    make({1, 4, 10'000});
    auto a = request("/a");
    QTRY_COMPARE(m_started.size(), 1);
    auto b = request("/b");
    QTRY_COMPARE(m_queue->queued(), 1);
    m_lockdown = true;
    m_queue->release();
    const auto answer = b->read();
    QVERIFY(answer);
    QCOMPARE(answer->status, 503);
    QCOMPARE(codeOf(*answer), QStringLiteral("lockdown"));
    QCOMPARE(m_started, QList<QByteArray>{"/a"});
    QCOMPARE(m_queue->active(), 0);
}

void TestFetchQueue::aClientGoneWhileWaitingIsNotStarted() {
    make({1, 4, 10'000});
    auto a = request("/a");
    QTRY_COMPARE(m_started.size(), 1);
    auto b = request("/b");
    QTRY_COMPARE(m_queue->queued(), 1);
    b->socket.abort();
    b.reset();
    QTest::qWait(50); // the server sees the close
    auto c = request("/c");
    QTRY_COMPARE(m_queue->queued(), 2);
    m_queue->release();
    QTRY_COMPARE(m_started, (QList<QByteArray>{"/a", "/c"}));
}

// A fetch that has to wait asks for a slow reader's slot at once and then every second, one
// slot per waiting fetch; with nothing to free, it waits as before.
void TestFetchQueue::waitingFetchesFreeSlotsOfSlowReaders() {
    int slowReaders = 1;
    int asked = 0;
    make({2, 4, 10'000}, [&] {
        ++asked;
        if (slowReaders == 0)
            return false;
        --slowReaders;
        m_queue->release(); // as Transfers does: the cut transfer ends at once
        return true;
    });
    auto a = request("/a");
    auto b = request("/b");
    QTRY_COMPARE(m_started.size(), 2);
    QCOMPARE(asked, 0); // nobody waited
    auto c = request("/c");
    QTRY_COMPARE(m_started, (QList<QByteArray>{"/a", "/b", "/c"})); // the slow reader's slot
    QCOMPARE(asked, 1);
    auto d = request("/d");
    QTRY_COMPARE(m_queue->queued(), 1);
    const int before = asked;
    QTRY_VERIFY_WITH_TIMEOUT(asked >= before + 2, 5000); // asked again while it waits
    QCOMPARE(m_started.size(), 3);
    slowReaders = 1; // one turns slow
    QTRY_COMPARE_WITH_TIMEOUT(m_started, (QList<QByteArray>{"/a", "/b", "/c", "/d"}), 5000);
    QCOMPARE(m_queue->queued(), 0);
    const int settled = asked;
    QTest::qWait(1500);
    QCOMPARE(asked, settled); // nothing waits: nobody is asked to make room
}

QTEST_GUILESS_MAIN(TestFetchQueue)
#include "tst_fetchqueue.moc"
