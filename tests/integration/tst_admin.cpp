// The admin channel end to end: a real airlockd, driven with airlockctl (and, where the test
// needs finer control, with AdminClient or a raw socket).
#include "AdminClient.h"
#include "AirlockHarness.h"
#include "admin/PolicyFile.h"
#include "policy/AllowEntryParser.h"
#include "record/AuditRecord.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <grp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace airlock;
using namespace airlock::test;

namespace {

struct CtlRun {
    int code = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

// airlockctl where any user may run it: the build folder may sit in a home only its owner can
// enter (root's is 0700), and the tests run it as other users too.
QString ctlForAnyUser() {
    static QTemporaryDir dir;
    static const QString path = [] {
        const QString copy = dir.filePath(QStringLiteral("airlockctl"));
        QFile::copy(QStringLiteral(AIRLOCKCTL_PATH), copy);
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                                              QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
        QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                                        QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
        return copy;
    }();
    return path;
}

// Runs airlockctl; modifier runs in the child before exec (to drop privileges).
CtlRun ctl(const QString &socket, const QStringList &args, const std::function<void()> &modifier = {}) {
    QProcess p;
    if (modifier)
        p.setChildProcessModifier(modifier);
    p.start(modifier ? ctlForAnyUser() : QStringLiteral(AIRLOCKCTL_PATH),
            QStringList{QStringLiteral("--socket"), socket} + args);
    CtlRun r;
    if (!p.waitForFinished(30'000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// The audit trail, each line read with the shared record parser.
QList<RecordParse> auditTrail(AirlockProcess &a) {
    QFile audit(QDir(a.stateDir()).filePath(QStringLiteral("audit.jsonl")));
    QList<RecordParse> records;
    if (audit.open(QIODevice::ReadOnly))
        for (const QByteArray &line : audit.readAll().split('\n'))
            if (!line.isEmpty())
                records.append(recordFromJson(QJsonDocument::fromJson(line).object()));
    return records;
}

// The trail's first admin record of `action`; nullptr when there is none.
const AuditRecord *adminRecord(const QList<RecordParse> &trail, AdminAction action) {
    const auto it = std::find_if(trail.begin(), trail.end(), [action](const RecordParse &p) {
        return p.ok() && p.record.event == EventKind::Admin && p.record.action == action;
    });
    return it == trail.end() ? nullptr : &it->record;
}

QString socketOf(AirlockProcess &a) {
    return QDir(a.stateDir()).filePath(QStringLiteral("admin.sock"));
}

QJsonObject blockedFetch(const QString &path = QStringLiteral("/x")) {
    return QJsonObject{
        {QStringLiteral("url"), QStringLiteral("https://blocked.example") + path + QStringLiteral("?secret=1")}};
}

// Stops and starts airlockd on the same state folder and port. The harness finds the port in the
// log, which still holds the first run's line: keeping the port keeps that answer right, and the
// admin socket answering shows the new process is up.
bool restart(AirlockProcess &a, TestUpstream *upstream) {
    const quint16 port = a.port();
    a.stop();
    if (!a.start(upstream, QByteArray(), {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)}))
        return false;
    QDeadlineTimer deadline(15'000);
    while (!deadline.hasExpired()) {
        if (ctl(socketOf(a), {QStringLiteral("status")}).code == 0 && a.get("/health", false).status == 200)
            return true;
        QTest::qWait(100);
    }
    return false;
}

// Drops to nobody with the given supplementary groups; only in a forked child.
std::function<void()> asNobody(QList<gid_t> groups) {
    return [groups] {
        if (::setgroups(size_t(groups.size()), groups.constData()) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(99);
    };
}

// Reads frames from a raw fd until pred matches one or the deadline passes.
bool readUntil(int fd, const std::function<bool(const QJsonObject &)> &pred, int timeoutMs) {
    QByteArray buffer;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0)
            continue;
        char chunk[65536];
        const ssize_t n = ::read(fd, chunk, sizeof(chunk));
        if (n <= 0)
            return false;
        buffer.append(chunk, n);
        while (buffer.size() >= 4) {
            const quint32 length = qFromBigEndian<quint32>(buffer.constData());
            if (buffer.size() < 4 + qsizetype(length))
                break;
            const QJsonObject o = QJsonDocument::fromJson(buffer.mid(4, length)).object();
            buffer.remove(0, 4 + length);
            if (pred(o))
                return true;
        }
    }
    return false;
}

} // namespace

class TestAdmin final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void clientTextEscapedWherePrinted();
    void initTestCase();
    void everyCommandEndToEnd();
    void refusalsExitNonZero();
    void lockdownSurvivesRestart();
    void keptConnectionsCloseOnDisableAndLockdown();
    void lockdownCutsRunningTransfers();
    void auditVerify();
    void auditRotates();
    void disableEndpoint_data();
    void disableEndpoint();
    void reloads();
    void metrics();
    void socketPermissions();
    void credentialRoles();
    void slowSubscriberDoesNotSlowProxy();
    void killDuringWritesLeavesValidFile();

private:
    TestUpstream m_upstream;
};

void TestAdmin::initTestCase() {
    QVERIFY(m_upstream.start());
}

void TestAdmin::everyCommandEndToEnd() {
    AirlockProcess airlock;
    QVERIFY2(airlock.start(&m_upstream, AirlockProcess::testPolicy()), qPrintable(airlock.logText()));
    const QString sock = socketOf(airlock);

    CtlRun r = ctl(sock, {QStringLiteral("--json"), QStringLiteral("status")});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.json().value(QStringLiteral("enabled")).toBool(), true);
    QCOMPARE(r.json().value(QStringLiteral("lockdown")).toBool(), false);
    r = ctl(sock, {QStringLiteral("status")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("enabled"));

    QCOMPARE(ctl(sock, {QStringLiteral("disable")}).code, 0);
    QCOMPARE(airlock.fetch(QJsonObject{{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/1000")}})
                 .json()
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("disabled"));
    QVERIFY(!loadPolicyFile(airlock.configPath()).policy->enabled); // written, not only in memory
    QCOMPARE(ctl(sock, {QStringLiteral("enable")}).code, 0);
    QVERIFY(loadPolicyFile(airlock.configPath()).policy->enabled);
    {
        const QList<RecordParse> trail = auditTrail(airlock);
        const AuditRecord *changed = adminRecord(trail, AdminAction::PolicyChanged);
        QVERIFY(changed && !changed->by.isEmpty());
    }

    r = ctl(sock, {QStringLiteral("allow"), QStringLiteral("add"), QStringLiteral("models.example.org")});
    QCOMPARE(r.code, 0);
    r = ctl(sock, {QStringLiteral("--json"), QStringLiteral("allow"), QStringLiteral("list")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("models.example.org"));
    QVERIFY(QFile(airlock.configPath()).open(QIODevice::ReadOnly));
    {
        QFile f(airlock.configPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("models.example.org"));
    }
    QCOMPARE(ctl(sock, {QStringLiteral("allow"), QStringLiteral("remove"), QStringLiteral("models.example.org")}).code,
             0);
    r = ctl(sock, {QStringLiteral("allow"), QStringLiteral("list")});
    QVERIFY(!r.out.contains("models.example.org"));

    // A storage entry reached only through redirects: written, listed, and refused directly.
    r = ctl(sock, {QStringLiteral("allow"), QStringLiteral("add"), QStringLiteral("*.store.example.org"),
                   QStringLiteral("--methods"), QStringLiteral("get,head"), QStringLiteral("--via"),
                   QStringLiteral("huggingface.co"), QStringLiteral("--via"), QStringLiteral("*.hf.co")});
    QVERIFY2(r.code == 0, r.err.constData());
    r = ctl(sock, {QStringLiteral("allow"), QStringLiteral("list")});
    QVERIFY2(r.out.contains("*.store.example.org") && r.out.contains("GET,HEAD") &&
                 r.out.contains("only via huggingface.co,*.hf.co"),
             r.out.constData());
    {
        const std::optional<Policy> written = loadPolicyFile(airlock.configPath()).policy;
        QVERIFY(written);
        const auto entry = std::find_if(written->allowedDestinations.begin(), written->allowedDestinations.end(),
                                        [](const AllowEntry &e) { return e.text() == "*.store.example.org"; });
        QVERIFY(entry != written->allowedDestinations.end());
        QCOMPARE(entry->via, QStringList({"huggingface.co", "*.hf.co"}));
    }
    const ClientResponse direct =
        airlock.fetch(QJsonObject{{"url", "https://a.store.example.org/x"}}, {}, "/v1/egress/check");
    QCOMPARE(direct.json().value(QStringLiteral("rule")).toString(), QStringLiteral("destination.via"));
    r = ctl(sock, {QStringLiteral("allow"), QStringLiteral("add"), QStringLiteral("b.example.org"),
                   QStringLiteral("--via"), QStringLiteral("10.0.0.1")});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains("IP addresses"), r.err.constData());
    QCOMPARE(ctl(sock, {QStringLiteral("allow"), QStringLiteral("remove"), QStringLiteral("*.store.example.org")}).code,
             0);

    r = ctl(sock, {QStringLiteral("lockdown"), QStringLiteral("--reason"), QStringLiteral("drill")});
    QCOMPARE(r.code, 0);
    const ClientResponse locked =
        airlock.fetch(QJsonObject{{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/1000")}});
    QCOMPARE(locked.status, 503);
    QCOMPARE(locked.json().value(QStringLiteral("error")).toString(), QStringLiteral("airlock is in lockdown"));
    r = ctl(sock, {QStringLiteral("--json"), QStringLiteral("status")});
    QCOMPARE(r.json().value(QStringLiteral("lockdown")).toBool(), true);
    QCOMPARE(r.json().value(QStringLiteral("lockdown_reason")).toString(), QStringLiteral("drill"));
    QCOMPARE(ctl(sock, {QStringLiteral("unlock")}).code, 0);
    QCOMPARE(ctl(sock, {QStringLiteral("--json"), QStringLiteral("status")})
                 .json()
                 .value(QStringLiteral("lockdown"))
                 .toBool(),
             false);

    QCOMPARE(ctl(sock, {QStringLiteral("reload")}).code, 0);

    // A finished transfer and a refusal, then the recent events.
    QCOMPARE(
        airlock
            .fetch(QJsonObject{{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/1000?q=secret")}})
            .status,
        200);
    QCOMPARE(airlock.fetch(blockedFetch()).status, 403);
    r = ctl(sock, {QStringLiteral("--json"), QStringLiteral("events")});
    QCOMPARE(r.code, 0);
    QVERIFY(!r.out.contains("secret")); // never a query string
    bool sawTransfer = false, sawBlocked = false;
    for (const QByteArray &line : r.out.trimmed().split('\n')) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        for (const char *key : {"time", "decision", "code", "host"})
            QVERIFY2(e.contains(QLatin1String(key)), line.constData());
        const RecordParse p = recordFromJson(e);
        QVERIFY2(p.ok(), qPrintable(p.error));
        sawTransfer |= p.record.event == EventKind::Transfer && p.record.host == QLatin1String("huggingface.co") &&
                       p.record.outcome == TransferOutcome::Complete && p.record.bytesDown == 1000;
        sawBlocked |= e.value(QStringLiteral("decision")).toString() == QLatin1String("blocked") &&
                      e.value(QStringLiteral("host")).toString() == QLatin1String("blocked.example");
    }
    QVERIFY(sawTransfer);
    QVERIFY(sawBlocked);
    r = ctl(sock, {QStringLiteral("events")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("blocked.example"));

    r = ctl(sock, {QStringLiteral("--json"), QStringLiteral("transfers")});
    QCOMPARE(r.code, 0);
    bool finished = false;
    for (const QByteArray &line : r.out.trimmed().split('\n'))
        finished |= QJsonDocument::fromJson(line).object().value(QStringLiteral("outcome")).toString() ==
                    QLatin1String("complete");
    QVERIFY2(finished, r.out.constData()); // kept for a while after it ended
    QCOMPARE(ctl(sock, {QStringLiteral("transfers")}).code, 0);

    // --follow: live events, one JSON object per line.
    QProcess follow;
    follow.start(QStringLiteral(AIRLOCKCTL_PATH), {QStringLiteral("--socket"), sock, QStringLiteral("--json"),
                                                   QStringLiteral("events"), QStringLiteral("--follow")});
    QVERIFY(follow.waitForStarted());
    QTest::qWait(300); // let it subscribe
    QCOMPARE(airlock.fetch(blockedFetch(QStringLiteral("/live"))).status, 403);
    QTRY_VERIFY_WITH_TIMEOUT((follow.waitForReadyRead(50), follow.canReadLine()), 10'000);
    const QJsonObject live = QJsonDocument::fromJson(follow.readLine()).object();
    QCOMPARE(live.value(QStringLiteral("host")).toString(), QStringLiteral("blocked.example"));
    // A refused destination's path was never inspected, so it is not passed on either.
    QCOMPARE(live.value(QStringLiteral("path")).toString(), QString());
    follow.kill();
    follow.waitForFinished();

    QProcess followTransfers;
    followTransfers.start(QStringLiteral(AIRLOCKCTL_PATH), {QStringLiteral("--socket"), sock, QStringLiteral("--json"),
                                                            QStringLiteral("transfers"), QStringLiteral("--follow")});
    QVERIFY(followTransfers.waitForStarted());
    QTest::qWait(300);
    QCOMPARE(
        airlock.fetch(QJsonObject{{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/1000")}}).status,
        200);
    QTRY_VERIFY_WITH_TIMEOUT((followTransfers.waitForReadyRead(50), followTransfers.canReadLine()), 10'000);
    QVERIFY(QJsonDocument::fromJson(followTransfers.readLine()).object().contains(QStringLiteral("bytes")));
    followTransfers.kill();
    followTransfers.waitForFinished();

    // Changes survive a restart.
    QCOMPARE(ctl(sock, {QStringLiteral("allow"), QStringLiteral("add"), QStringLiteral("kept.example.org")}).code, 0);
    QCOMPARE(ctl(sock, {QStringLiteral("disable")}).code, 0);
    QVERIFY2(restart(airlock, &m_upstream), qPrintable(airlock.logText()));
    r = ctl(sock, {QStringLiteral("--json"), QStringLiteral("status")});
    QCOMPARE(r.json().value(QStringLiteral("enabled")).toBool(), false);
    QVERIFY(ctl(sock, {QStringLiteral("allow"), QStringLiteral("list")}).out.contains("kept.example.org"));
}

void TestAdmin::refusalsExitNonZero() {
    AirlockProcess airlock;
    QVERIFY(airlock.start(&m_upstream, AirlockProcess::testPolicy()));
    const QString sock = socketOf(airlock);
    const auto oneLine = [](const CtlRun &r) {
        return r.code != 0 && !r.err.trimmed().isEmpty() && !r.err.trimmed().contains('\n');
    };
    CtlRun r = ctl(sock, {QStringLiteral("allow"), QStringLiteral("add"), QStringLiteral("https://bad host/")});
    QVERIFY2(oneLine(r), r.err.constData());
    r = ctl(sock, {QStringLiteral("allow"), QStringLiteral("add"), QStringLiteral("10.0.0.1")});
    QVERIFY2(oneLine(r), r.err.constData());
    r = ctl(sock, {QStringLiteral("allow"), QStringLiteral("remove"), QStringLiteral("never.example.org")});
    QVERIFY2(oneLine(r), r.err.constData());
    r = ctl(QDir(airlock.stateDir()).filePath(QStringLiteral("missing.sock")), {QStringLiteral("status")});
    QVERIFY2(oneLine(r), r.err.constData());
    r = ctl(sock, {QStringLiteral("frobnicate")});
    QCOMPARE(r.code, 2);
}

// Fetches share one kept upstream connection; disabling the Airlock or locking it down closes it
// at once, so a switched-off Airlock holds nothing open to the outside.
void TestAdmin::keptConnectionsCloseOnDisableAndLockdown() {
    TestUpstream upstream;
    QVERIFY(upstream.start());
    AirlockProcess airlock;
    QVERIFY2(airlock.start(&upstream, AirlockProcess::testPolicy()), qPrintable(airlock.logText()));
    const QString sock = socketOf(airlock);
    const QJsonObject fetch{{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/1000")}};

    QCOMPARE(airlock.fetch(fetch).status, 200);
    QCOMPARE(airlock.fetch(fetch).status, 200);
    QCOMPARE(upstream.connectionCount(), 1);
    QCOMPARE(upstream.requestCount(), 2);
    QCOMPARE(upstream.openConnections(), 1);
    QCOMPARE(ctl(sock, {QStringLiteral("disable")}).code, 0);
    QTRY_COMPARE(upstream.openConnections(), 0);

    QCOMPARE(ctl(sock, {QStringLiteral("enable")}).code, 0);
    QCOMPARE(airlock.fetch(fetch).status, 200);
    QCOMPARE(upstream.connectionCount(), 2);
    QCOMPARE(upstream.openConnections(), 1);
    QCOMPARE(ctl(sock, {QStringLiteral("lockdown"), QStringLiteral("--reason"), QStringLiteral("drill")}).code, 0);
    QTRY_COMPARE(upstream.openConnections(), 0);
}

// Turning the Airlock off lets a running download finish; a lockdown cuts it at once: the
// client's message is left unfinished, the upstream connection closed, and the transfer's record
// says cut_by_lockdown.
void TestAdmin::lockdownCutsRunningTransfers() {
    TestUpstream upstream;
    QVERIFY(upstream.start());
    AirlockProcess airlock;
    QVERIFY2(airlock.start(&upstream, AirlockProcess::testPolicy()), qPrintable(airlock.logText()));
    const QString sock = socketOf(airlock);
    const qint64 size = qint64(2) << 30;
    // A client that reads only when told to: the download stays in progress meanwhile.
    QTcpSocket client;
    client.setReadBufferSize(64 * 1024);
    QByteArray received;
    bool reading = false;
    bool closed = false;
    connect(&client, &QTcpSocket::readyRead, &client, [&] {
        if (reading)
            received += client.readAll();
    });
    connect(&client, &QTcpSocket::disconnected, &client, [&] { closed = true; });
    client.connectToHost(QHostAddress::LocalHost, airlock.port());
    client.write(
        airlock.fetchRequest({{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/%1").arg(size)}}));
    const auto active = [&airlock] {
        return airlock.get(QByteArrayLiteral("/v1/stats")).json().value(QStringLiteral("active_transfers")).toInt();
    };
    QTRY_COMPARE_WITH_TIMEOUT(active(), 1, 10'000);

    // Off: the download goes on.
    QCOMPARE(ctl(sock, {QStringLiteral("disable")}).code, 0);
    QTest::qWait(1500);
    QCOMPARE(active(), 1);
    QVERIFY(!closed);
    QCOMPARE(ctl(sock, {QStringLiteral("enable")}).code, 0);

    // Lockdown: cut within a second.
    QElapsedTimer clock;
    clock.start();
    const ClientResponse lock = airlock.call("POST", "/api/v1/disable",
                                             {{QStringLiteral("action"), QStringLiteral("disable")},
                                              {QStringLiteral("incident_id"), QStringLiteral("INC-CUT")}});
    QCOMPARE(lock.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(active(), 0, 1'000);
    QVERIFY2(clock.elapsed() < 1'500, qPrintable(QString::number(clock.elapsed())));
    QTRY_COMPARE(upstream.openConnections(), 0);
    // The client reads what was queued for it, then the connection ends short of the body.
    reading = true;
    received += client.readAll();
    QTRY_VERIFY_WITH_TIMEOUT((received += client.readAll(), closed), 20'000);
    const qsizetype headEnd = received.indexOf("\r\n\r\n");
    QVERIFY(headEnd > 0);
    QVERIFY(received.startsWith("HTTP/1.1 200"));
    QVERIFY(received.size() - headEnd - 4 < size);

    bool recorded = false;
    for (const RecordParse &p : auditTrail(airlock))
        recorded = recorded || (p.ok() && p.record.event == EventKind::Transfer &&
                                p.record.outcome == TransferOutcome::CutByLockdown);
    QVERIFY(recorded);
}

// airlockctl audit verify and airlockd --verify-audit check a real service's audit log: the
// chain holds; after one line is edited it breaks at the line after it, and both say where.
// A real service rotates its audit log at the policy's size, keeps the files it names, and
// airlockctl / airlockd --verify-audit walk the chain across all of them.
void TestAdmin::auditRotates() {
    AirlockProcess airlock;
    const QByteArray policy = AirlockProcess::testPolicy() + "  audit:\n    max_file_bytes: 65536\n    keep_files: 2\n";
    QVERIFY2(airlock.start(&m_upstream, policy), qPrintable(airlock.logText()));
    const QString sock = socketOf(airlock);
    const QString path = QDir(airlock.stateDir()).filePath(QStringLiteral("audit.jsonl"));
    const QString oldest = path + QStringLiteral(".2");
    // Checks are recorded like fetches and send nothing; enough of them fill three files.
    for (int i = 0; i < 2000 && !QFile::exists(oldest); ++i) {
        const ClientResponse r =
            airlock.fetch({{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/%1").arg(i)}}, {},
                          "/v1/egress/check");
        QCOMPARE(r.status, 200);
    }
    QVERIFY(QFile::exists(oldest));
    QVERIFY(!QFile::exists(path + QStringLiteral(".3")));
    QVERIFY(QFileInfo(path + QStringLiteral(".1")).size() <= 65536);

    CtlRun r = ctl(sock, {QStringLiteral("audit"), QStringLiteral("verify"), path});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("records in 3 files, the chain holds"), r.out.constData());
    QProcess daemon;
    daemon.start(airlockdPath(), {QStringLiteral("--verify-audit"), path});
    QVERIFY(daemon.waitForFinished(30'000));
    QCOMPARE(daemon.exitCode(), 0);

    // The middle file taken away: the chain no longer holds, and the answer says which is missing.
    QVERIFY(QFile::rename(path + QStringLiteral(".1"), QDir(airlock.stateDir()).filePath(QStringLiteral("aside"))));
    r = ctl(sock, {QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("verify"), path});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.json().value(QStringLiteral("reason")).toString().contains(QLatin1String("audit.jsonl.1 is missing")),
             r.out.constData());
}

void TestAdmin::auditVerify() {
    AirlockProcess airlock;
    QVERIFY2(airlock.start(&m_upstream, AirlockProcess::testPolicy()), qPrintable(airlock.logText()));
    const QString sock = socketOf(airlock);
    QCOMPARE(airlock.fetch({{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/100")}}).status, 200);
    QCOMPARE(airlock.fetch({{QStringLiteral("url"), QStringLiteral("https://evil.example/")}}).status, 403);
    const QString path = QDir(airlock.stateDir()).filePath(QStringLiteral("audit.jsonl"));
    QTRY_VERIFY(auditTrail(airlock).size() >= 3);

    CtlRun r = ctl(sock, {QStringLiteral("audit"), QStringLiteral("verify"), path});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("the chain holds"), r.out.constData());
    r = ctl(sock, {QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("verify"), path});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.json().value(QStringLiteral("ok")).toBool(), true);
    QVERIFY(r.json().value(QStringLiteral("records")).toInteger() >= 3);

    // The allowed fetch's decision, made to look blocked: the line after it no longer chains.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = file.readAll().split('\n');
    file.close();
    qsizetype edited = -1;
    for (qsizetype i = 0; i < lines.size() && edited < 0; ++i)
        if (lines[i].contains("\"decision\":\"allowed\""))
            edited = i;
    QVERIFY(edited >= 0 && edited + 2 < lines.size());
    lines[edited].replace("\"decision\":\"allowed\"", "\"decision\":\"blocked\"");
    const QString copy = QDir(airlock.stateDir()).filePath(QStringLiteral("audit-copy.jsonl"));
    QFile out(copy);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(lines.join('\n'));
    out.close();
    r = ctl(sock, {QStringLiteral("audit"), QStringLiteral("verify"), copy});
    QCOMPARE(r.code, 1);
    const QByteArray where = "breaks at line " + QByteArray::number(edited + 2);
    QVERIFY2(r.out.contains(where), r.out.constData());
    r = ctl(sock, {QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("verify"), copy});
    QCOMPARE(r.json().value(QStringLiteral("broken_at")).toInteger(), qint64(edited + 2));

    QProcess daemon;
    daemon.start(airlockdPath(), {QStringLiteral("--verify-audit"), copy});
    QVERIFY(daemon.waitForFinished(30'000));
    QCOMPARE(daemon.exitCode(), 1);
    QVERIFY(daemon.readAllStandardOutput().contains(where));
    daemon.start(airlockdPath(), {QStringLiteral("--verify-audit"), path});
    QVERIFY(daemon.waitForFinished(30'000));
    QCOMPARE(daemon.exitCode(), 0);
    QCOMPARE(ctl(sock, {QStringLiteral("audit"), QStringLiteral("check")}).code, 2);
}

void TestAdmin::lockdownSurvivesRestart() {
    AirlockProcess airlock;
    QVERIFY(airlock.start(&m_upstream, AirlockProcess::testPolicy()));
    const QString sock = socketOf(airlock);
    QCOMPARE(ctl(sock, {QStringLiteral("lockdown"), QStringLiteral("--reason"), QStringLiteral("kept")}).code, 0);
    QVERIFY(QFile::exists(QDir(airlock.stateDir()).filePath(QStringLiteral("lockdown"))));
    QVERIFY2(restart(airlock, &m_upstream), qPrintable(airlock.logText()));
    const QJsonObject s = ctl(sock, {QStringLiteral("--json"), QStringLiteral("status")}).json();
    QCOMPARE(s.value(QStringLiteral("lockdown")).toBool(), true);
    QCOMPARE(s.value(QStringLiteral("lockdown_reason")).toString(), QStringLiteral("kept"));
    QCOMPARE(
        airlock.fetch(QJsonObject{{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/1000")}}).status,
        503);
    QCOMPARE(ctl(sock, {QStringLiteral("unlock")}).code, 0);
    QVERIFY2(restart(airlock, &m_upstream), qPrintable(airlock.logText()));
    QCOMPARE(ctl(sock, {QStringLiteral("--json"), QStringLiteral("status")})
                 .json()
                 .value(QStringLiteral("lockdown"))
                 .toBool(),
             false);
    QCOMPARE(
        airlock.fetch(QJsonObject{{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/1000")}}).status,
        200);
    // Both changes of the latch are in the audit trail, the free-text reason is not.
    const QList<RecordParse> trail = auditTrail(airlock);
    const AuditRecord *locked = adminRecord(trail, AdminAction::Lockdown);
    QVERIFY(locked && !locked->by.isEmpty());
    const AuditRecord *unlocked = adminRecord(trail, AdminAction::Unlock);
    QVERIFY(unlocked && !unlocked->by.isEmpty());
    QFile audit(QDir(airlock.stateDir()).filePath(QStringLiteral("audit.jsonl")));
    QVERIFY(audit.open(QIODevice::ReadOnly));
    QVERIFY(!audit.readAll().contains("kept"));
}

void TestAdmin::disableEndpoint_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("withToken");
    QTest::addColumn<int>("status");
    QTest::newRow("valid") << QByteArray(R"({"action":"disable","incident_id":"INC-7","reason":"exfil"})") << true
                           << 200;
    QTest::newRow("no token") << QByteArray(R"({"action":"disable","incident_id":"INC-7","reason":"x"})") << false
                              << 401;
    QTest::newRow("unknown field") << QByteArray(R"({"action":"disable","incident_id":"I","reason":"x","y":1})") << true
                                   << 400;
    QTest::newRow("wrong action") << QByteArray(R"({"action":"enable","incident_id":"I","reason":"x"})") << true << 400;
    QTest::newRow("no incident") << QByteArray(R"({"action":"disable","reason":"x"})") << true << 400;
    QTest::newRow("not json") << QByteArray("disable") << true << 400;
}

void TestAdmin::disableEndpoint() {
    QFETCH(QByteArray, body);
    QFETCH(bool, withToken);
    QFETCH(int, status);
    AirlockProcess airlock;
    QVERIFY(airlock.start(&m_upstream, AirlockProcess::testPolicy()));
    QByteArray request = "POST /api/v1/disable HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                         "Content-Type: application/json\r\nContent-Length: " +
                         QByteArray::number(body.size()) + "\r\n";
    if (withToken)
        request += "Authorization: Bearer " + airlock.token() + "\r\n";
    const ClientResponse r = sendRaw(airlock.port(), request + "\r\n" + body);
    QCOMPARE(r.status, status);
    const bool locked = ctl(socketOf(airlock), {QStringLiteral("--json"), QStringLiteral("status")})
                            .json()
                            .value(QStringLiteral("lockdown"))
                            .toBool();
    QCOMPARE(locked, status == 200);
    if (status != 200)
        return;
    QCOMPARE(r.json().value(QStringLiteral("persisted")).toBool(), true);
    QCOMPARE(
        airlock.fetch(QJsonObject{{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/1000")}}).status,
        503);
    QVERIFY2(restart(airlock, &m_upstream), qPrintable(airlock.logText()));
    const QJsonObject s = ctl(socketOf(airlock), {QStringLiteral("--json"), QStringLiteral("status")}).json();
    QCOMPARE(s.value(QStringLiteral("lockdown")).toBool(), true);
    QCOMPARE(s.value(QStringLiteral("lockdown_incident_id")).toString(), QStringLiteral("INC-7"));
}

void TestAdmin::clientTextEscapedWherePrinted() {
    // incident_id and reason are a client's text: in the service log and in airlockctl's output
    // every character a terminal or a reader would act on is escaped (C1 CSI, NEL, U+2028, a
    // bidi override), not only bytes below 0x20.
    AirlockProcess airlock;
    QVERIFY(airlock.start(&m_upstream, AirlockProcess::testPolicy()));
    const QString nasty = QStringLiteral("INC\u009B31m\u0085x\u2028y\u202Egnp.exe");
    const QJsonObject body{{QStringLiteral("action"), QStringLiteral("disable")},
                           {QStringLiteral("incident_id"), nasty},
                           {QStringLiteral("reason"), nasty}};
    QCOMPARE(airlock.call("POST", "/api/v1/disable", body).status, 200);
    const CtlRun human = ctl(socketOf(airlock), {QStringLiteral("status")});
    QCOMPARE(human.code, 0);
    const QString out = QString::fromUtf8(human.out);
    for (const QChar c : {QChar(0x9B), QChar(0x85), QChar(0x2028), QChar(0x202E)})
        QVERIFY2(!out.contains(c), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("INC\\u{009B}31m\\u{0085}x\\u{2028}y\\u{202E}gnp.exe")), qPrintable(out));
    // --json keeps the value itself: JSON escapes what it must, a program reads it back exactly.
    const QJsonObject json = ctl(socketOf(airlock), {QStringLiteral("--json"), QStringLiteral("status")}).json();
    QCOMPARE(json.value(QStringLiteral("lockdown_incident_id")).toString(), nasty);
    QTRY_VERIFY_WITH_TIMEOUT(airlock.logText().contains(QStringLiteral("\\u{009B}")), 5000);
    const QString log = airlock.logText();
    for (const QChar c : {QChar(0x9B), QChar(0x85), QChar(0x2028), QChar(0x202E)})
        QVERIFY2(!log.contains(c), qPrintable(log));
}

void TestAdmin::reloads() {
    AirlockProcess airlock;
    QVERIFY(airlock.start(&m_upstream, AirlockProcess::testPolicy()));
    const QString sock = socketOf(airlock);
    const auto enabled = [&] {
        return ctl(sock, {QStringLiteral("--json"), QStringLiteral("status")})
            .json()
            .value(QStringLiteral("enabled"))
            .toBool();
    };
    QVERIFY(enabled());
    QByteArray yaml = AirlockProcess::testPolicy();

    // The watcher: an atomic replace (new inode) is picked up.
    yaml.replace("enabled: true", "enabled: false");
    QVERIFY(writeFileAtomically(airlock.configPath(), yaml, nullptr));
    QTRY_VERIFY_WITH_TIMEOUT(!enabled(), 10'000);

    // An invalid file is refused with its problems; the policy in force stays.
    QVERIFY(writeFileAtomically(airlock.configPath(), "airlock:\n  enabled: true\n  bogus_key: 1\n", nullptr));
    QTRY_VERIFY_WITH_TIMEOUT(airlock.logText().contains(QLatin1String("refused, the policy in force stays")), 10'000);
    CtlRun r = ctl(sock, {QStringLiteral("reload")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("bogus_key"), r.err.constData());
    QVERIFY(!enabled());
    QCOMPARE(
        airlock.fetch(QJsonObject{{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/1000")}}).status,
        503);

    // airlockctl reload.
    yaml.replace("enabled: false", "enabled: true");
    QVERIFY(writeFileAtomically(airlock.configPath(), yaml, nullptr));
    r = ctl(sock, {QStringLiteral("--json"), QStringLiteral("reload")});
    QCOMPARE(r.code, 0);
    QVERIFY(enabled());

    // SIGHUP: handled at once, well before the watcher's debounce.
    yaml.replace("enabled: true", "enabled: false");
    QFile in(airlock.configPath());
    QVERIFY(in.open(QIODevice::WriteOnly | QIODevice::Truncate));
    in.write(yaml);
    in.close();
    ::kill(pid_t(airlock.process().processId()), SIGHUP);
    QTRY_VERIFY_WITH_TIMEOUT(airlock.logText().contains(QLatin1String("(SIGHUP)")), 10'000);
    QVERIFY(!enabled());
    QCOMPARE(airlock.process().state(), QProcess::Running);
}

void TestAdmin::metrics() {
    AirlockProcess airlock;
    QVERIFY(airlock.start(&m_upstream, AirlockProcess::testPolicy()));
    QCOMPARE(airlock.fetch(blockedFetch()).status, 403);
    QCOMPARE(
        airlock.fetch(QJsonObject{{QStringLiteral("url"), QStringLiteral("https://huggingface.co/bytes/1000")}}).status,
        200);
    const ClientResponse r = airlock.get("/metrics", false);
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("content-type").startsWith("text/plain"));
    for (const char *line : {"airlock_requests_total{decision=\"allowed\",code=\"ok\"} 1",
                             "airlock_requests_total{decision=\"blocked\",code=\"destination_not_allowed\"} 1",
                             "airlock_active_transfers 0", "airlock_rate_limited_total 0",
                             "airlock_audit_write_failures_total 0", "airlock_admin_connections_refused_total 0",
                             "# TYPE airlock_bytes_down_total counter", "# TYPE airlock_bytes_up_total counter"})
        QVERIFY2(r.body.contains(line), line);
    // A GET sends no body, but its request line and headers left the machine: they count.
    qint64 up = -1;
    for (const QByteArray &l : r.body.split('\n'))
        if (l.startsWith("airlock_bytes_up_total "))
            up = l.mid(23).toLongLong();
    QVERIFY2(up > 30 && up < 2000, qPrintable(QString::number(up)));
}

void TestAdmin::socketPermissions() {
    AirlockProcess airlock;
    QVERIFY(airlock.start(&m_upstream, AirlockProcess::testPolicy()));
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(socketOf(airlock)).constData(), &st), 0);
    QVERIFY(S_ISSOCK(st.st_mode));
    QCOMPARE(st.st_mode & 0777, mode_t(0660));
    if (::geteuid() != 0)
        QSKIP("not root: cannot run a client under another uid");
    // An unprivileged user cannot even connect (0660, and the state folder is 0700).
    const CtlRun r = ctl(socketOf(airlock), {QStringLiteral("enable")}, asNobody({}));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("permission denied"), r.err.constData());
}

void TestAdmin::credentialRoles() {
    if (::geteuid() != 0)
        QSKIP("not root: cannot run a client under another uid");
    const group *users = ::getgrnam("users");
    if (!users)
        QSKIP("no group \"users\" on this machine");
    const gid_t usersGid = users->gr_gid;
    // A socket folder nobody can traverse; the credential check is then all that stands.
    QTemporaryDir runDir;
    ::chmod(QFile::encodeName(runDir.path()).constData(), 0755);
    const QString sock = runDir.filePath(QStringLiteral("admin.sock"));
    const QStringList args{QStringLiteral("--admin-socket"), sock};

    for (const char *mode : {"none", "viewer", "admin"}) {
        QByteArray policy = AirlockProcess::testPolicy();
        if (qstrcmp(mode, "viewer") == 0)
            policy += "  admin:\n    group: no-such-group-here\n    viewer_group: users\n";
        else if (qstrcmp(mode, "admin") == 0)
            policy += "  admin:\n    group: users\n";
        AirlockProcess airlock;
        QVERIFY2(airlock.start(&m_upstream, policy, args), qPrintable(airlock.logText()));
        QVERIFY(::chmod(QFile::encodeName(sock).constData(), 0666) == 0); // only for this test
        const CtlRun status = ctl(sock, {QStringLiteral("--json"), QStringLiteral("status")}, asNobody({usersGid}));
        const CtlRun change = ctl(sock, {QStringLiteral("disable")}, asNobody({usersGid}));
        const CtlRun stranger = ctl(sock, {QStringLiteral("status")}, asNobody({}));
        QCOMPARE(stranger.code, 1);
        QVERIFY2(stranger.err.contains("not permitted"), stranger.err.constData());
        if (qstrcmp(mode, "none") == 0) {
            QCOMPARE(status.code, 1);
            QCOMPARE(change.code, 1);
            QVERIFY(status.err.contains("not permitted"));
            QVERIFY(airlock.get("/metrics", false).body.contains("airlock_admin_connections_refused_total 3"));
        } else if (qstrcmp(mode, "viewer") == 0) {
            QCOMPARE(status.code, 0);
            QCOMPARE(status.json().value(QStringLiteral("role")).toString(), QStringLiteral("viewer"));
            QCOMPARE(change.code, 1);
            QVERIFY2(change.err.contains("not permitted"), change.err.constData());
        } else {
            QCOMPARE(status.code, 0);
            QCOMPARE(status.json().value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
            QCOMPARE(change.code, 0);
        }
        const bool enabled = ctl(sock, {QStringLiteral("--json"), QStringLiteral("status")})
                                 .json()
                                 .value(QStringLiteral("enabled"))
                                 .toBool();
        QCOMPARE(enabled, qstrcmp(mode, "admin") != 0);
    }
}

void TestAdmin::slowSubscriberDoesNotSlowProxy() {
    AirlockProcess airlock;
    QVERIFY(airlock.start(&m_upstream, AirlockProcess::testPolicy(QString(), 100000)));
    // A subscriber that never reads, on a raw socket so nothing reads behind the test's back.
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray path = QFile::encodeName(socketOf(airlock));
    std::memcpy(address.sun_path, path.constData(), size_t(path.size()));
    QCOMPARE(::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)), 0);
    const QByteArray subscribe = admin::frame(admin::request(1, admin::Command::SubscribeEvents));
    QCOMPARE(::write(fd, subscribe.constData(), size_t(subscribe.size())), ssize_t(subscribe.size()));
    QVERIFY(readUntil(
        fd, [](const QJsonObject &o) { return o.value(QStringLiteral("id")).toInt() == 1; }, 10'000));

    // A flood of allowed requests with long paths (the upstream answers 404): each decision and
    // transfer event is ~4 KiB, far beyond what the socket holds.
    const QString longUrl = QStringLiteral("https://huggingface.co/") + QString(4000, QLatin1Char('a'));
    int answered = 0;
    for (int batch = 0; batch < 10; ++batch) {
        QList<QByteArray> requests;
        for (int i = 0; i < 50; ++i)
            requests.append(airlock.fetchRequest(QJsonObject{{QStringLiteral("url"), longUrl}}));
        for (const ClientResponse &r : sendRawConcurrently(airlock.port(), requests))
            answered += r.status == 404 ? 1 : 0;
    }
    QCOMPARE(answered, 500); // the proxy kept serving while the subscriber slept

    const QJsonObject status = ctl(socketOf(airlock), {QStringLiteral("--json"), QStringLiteral("status")}).json();
    QVERIFY2(status.value(QStringLiteral("events_dropped_total")).toInteger() > 0,
             QJsonDocument(status).toJson().constData());
    // Once the subscriber reads again it is told how many it lost.
    qint64 dropped = 0;
    QVERIFY(readUntil(
        fd,
        [&](const QJsonObject &o) {
            if (o.value(QStringLiteral("event")).toString() != QLatin1String("dropped"))
                return false;
            dropped = o.value(QStringLiteral("data")).toObject().value(QStringLiteral("count")).toInteger();
            return true;
        },
        20'000));
    QVERIFY(dropped > 0);
    ::close(fd);
}

void TestAdmin::killDuringWritesLeavesValidFile() {
    for (int round = 0; round < 4; ++round) {
        AirlockProcess airlock;
        QVERIFY(airlock.start(&m_upstream, AirlockProcess::testPolicy()));
        admin::AdminClient client;
        QSignalSpy ready(&client, &admin::AdminClient::ready);
        client.connectToServer(socketOf(airlock));
        QVERIFY(ready.wait(10'000));
        int answered = 0;
        // Pipelined changes, each a full atomic rewrite; airlockd dies among them.
        for (int i = 0; i < 400; ++i)
            client.allowAdd(QStringLiteral("host%1.example.org").arg(i),
                            [&](const admin::AdminReply &) { ++answered; });
        QTRY_VERIFY_WITH_TIMEOUT(answered >= 20 + round * 40, 20'000);
        ::kill(pid_t(airlock.process().processId()), SIGKILL);
        const int acknowledged = answered; // each was on disk before it was answered
        airlock.process().waitForFinished(5000);
        const PolicyFileResult file = loadPolicyFile(airlock.configPath());
        QVERIFY2(file.policy, qPrintable(file.problems.join(QLatin1Char('\n'))));
        // The file holds a whole prefix of the changes: old or new, never a mix.
        const QList<AllowEntry> &entries = file.policy->allowedDestinations;
        int added = 0;
        for (const AllowEntry &e : entries)
            added += e.host.endsWith(QLatin1String(".example.org")) ? 1 : 0;
        for (int i = 0; i < added; ++i)
            QVERIFY(entries.contains(*parseAllowEntry(QStringLiteral("host%1.example.org").arg(i), nullptr)));
        QVERIFY2(added >= acknowledged, qPrintable(QStringLiteral("%1 < %2").arg(added).arg(acknowledged)));
    }
}

QTEST_GUILESS_MAIN(TestAdmin)
#include "tst_admin.moc"
