// AuditLog: every line chains to the one before it by SHA-256, a restart continues the chain, an
// edited or removed line shows when the chain is recomputed, and a record that cannot be written
// is refused (append returns false, says why, is counted) instead of being lost silently.
// Everything is checked through open/append and the bytes in the file.
#include "audit/AuditLog.h"
#include "record/AuditChain.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace airlock;

namespace {

const QByteArray kFirstPrev(64, '0');

QByteArray sha256Hex(const QByteArray &bytes) {
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QByteArray readAll(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// The lines of the log without their '\n'; every line, the last included, ends with one.
QList<QByteArray> readLines(const QString &path) {
    QList<QByteArray> lines = readAll(path).split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

QJsonObject parse(const QByteArray &line) {
    return QJsonDocument::fromJson(line).object();
}

// What an auditor does: recompute the chain. The index of the first line whose "prev" is not the
// SHA-256 of the exact bytes of the line before it (64 zeros for the first line); -1 if intact.
int firstBrokenLine(const QList<QByteArray> &lines) {
    QByteArray expected = kFirstPrev;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (parse(lines[i]).value(QStringLiteral("prev")).toString().toLatin1() != expected)
            return int(i);
        expected = sha256Hex(lines[i]);
    }
    return -1;
}

AuditRecord record(int n) {
    AuditRecord r;
    r.event = EventKind::Decision;
    r.requestId = QStringLiteral("req-%1").arg(n);
    r.method = QStringLiteral("GET");
    r.host = QStringLiteral("huggingface.co");
    r.path = QStringLiteral("/api/models/%1").arg(n);
    r.verdict = Verdict::Allowed;
    r.code = ErrorCode::None;
    r.status = 200;
    return r;
}

bool appendRecords(AuditLog &log, int from, int count) {
    for (int n = from; n < from + count; ++n) {
        QString error;
        if (!log.append(record(n), &error)) {
            qWarning() << error;
            return false;
        }
    }
    return true;
}

// The descriptor this process holds open on path, found through /proc/self/fd: AuditLog does not
// hand out its file, and the test needs the very descriptor it writes through.
int descriptorOf(const QString &path) {
    const QString target = QFileInfo(path).canonicalFilePath();
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString &name : fds.entryList(QDir::System | QDir::Files | QDir::NoDotAndDotDot)) {
        if (QFileInfo(fds.filePath(name)).symLinkTarget() == target)
            return name.toInt();
    }
    return -1;
}

// Ways to make the next write of an open log fail, each undone by repair(). All of them hold for
// root too, who ignores file permissions.
class WriteFailure {
public:
    enum Kind { FileSizeLimit, ReadOnlyDescriptor };

    WriteFailure(Kind kind, const QString &path)
        : m_kind(kind)
        , m_path(path) {}
    ~WriteFailure() { repair(); }
    Q_DISABLE_COPY_MOVE(WriteFailure)

    bool inflict() {
        if (m_kind == FileSizeLimit) {
            // A file may not grow past RLIMIT_FSIZE: write() fails with EFBIG, as on a full disk or
            // an exhausted quota. The limit is the current size, so not one byte gets in. SIGXFSZ
            // would end the process; ignored, the write just fails.
            if (::getrlimit(RLIMIT_FSIZE, &m_oldLimit) != 0)
                return false;
            m_oldHandler = std::signal(SIGXFSZ, SIG_IGN);
            rlimit limit = m_oldLimit;
            limit.rlim_cur = rlim_t(QFileInfo(m_path).size());
            m_active = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
            return m_active;
        }
        // The log's descriptor is replaced by one open for reading only: write() fails with EBADF.
        m_fd = descriptorOf(m_path);
        const int readOnly = ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_CLOEXEC);
        if (m_fd < 0 || readOnly < 0)
            return false;
        m_saved = ::dup(m_fd);
        m_active = m_saved >= 0 && ::dup2(readOnly, m_fd) == m_fd;
        ::close(readOnly);
        return m_active;
    }

    void repair() {
        if (!m_active)
            return;
        m_active = false;
        if (m_kind == FileSizeLimit) {
            ::setrlimit(RLIMIT_FSIZE, &m_oldLimit);
            std::signal(SIGXFSZ, m_oldHandler);
        } else {
            ::dup2(m_saved, m_fd);
            ::close(m_saved);
        }
    }

private:
    Kind m_kind;
    QString m_path;
    bool m_active = false;
    rlimit m_oldLimit{};
    void (*m_oldHandler)(int) = SIG_DFL;
    int m_fd = -1;
    int m_saved = -1;
};

} // namespace

class TestAuditLog final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    void firstLineStartsTheChain();
    void eachLineChainsToThePrevious();
    void reopenContinuesTheChain_data();
    void reopenContinuesTheChain();
    void tamperingShows_data();
    void tamperingShows();
    void verifierReadsOnlyAWholeChain_data();
    void verifierReadsOnlyAWholeChain();
    void lineCarriesTheRecordAndNothingElse_data();
    void lineCarriesTheRecordAndNothingElse();
    void fileIsOwnerOnly();

    void openFailsWhereNoFileCanBe();
    void appendToUnopenedLogFails();
    void failedWriteIsRefused_data();
    void failedWriteIsRefused();
    void fullDeviceIsRefused();
    void rotationContinuesTheChain();
    void rotatedTamperingShows_data();
    void rotatedTamperingShows();
    void failedRotationKeepsWriting();

private:
    QString logPath() const { return m_dir.filePath(QStringLiteral("audit.log")); }
    QStringList rotatedFiles() const;

    QTemporaryDir m_dir;
};

void TestAuditLog::init() {
    QVERIFY(m_dir.isValid());
    // Rotated files and whatever a test left beside the log go too.
    for (const QFileInfo &entry : QDir(m_dir.path()).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot)) {
        if (entry.isDir())
            QVERIFY(QDir(entry.filePath()).removeRecursively());
        else
            QVERIFY(QFile::remove(entry.filePath()));
    }
}

QStringList TestAuditLog::rotatedFiles() const {
    QStringList names = QDir(m_dir.path()).entryList({QStringLiteral("audit.log.*")}, QDir::Files, QDir::Name);
    return names;
}

// Rotation at a size: the live file never grows past its limit (but for its one record), at most
// keep_files rotated files stay, each file's first line is the audit_rotated record chaining to
// the last line of the file before, and the verifier walks them all.
void TestAuditLog::rotationContinuesTheChain() {
    AuditLog log;
    QString error;
    QVERIFY2(log.open(logPath(), &error), qPrintable(error));
    log.setRotation(2000, 3);
    QVERIFY(appendRecords(log, 1, 60));
    QVERIFY(log.rotations() >= 4);
    QCOMPARE(rotatedFiles(), QStringList({"audit.log.1", "audit.log.2", "audit.log.3"}));

    QByteArray expected;
    int records = 0;
    for (const QString &name : {QStringLiteral("audit.log.3"), QStringLiteral("audit.log.2"),
                                QStringLiteral("audit.log.1"), QStringLiteral("audit.log")}) {
        const QString path = m_dir.filePath(name);
        QVERIFY2(QFileInfo(path).size() <= 2000, qPrintable(name));
        const QList<QByteArray> lines = readLines(path);
        QVERIFY(lines.size() >= 2);
        const QJsonObject first = parse(lines.first());
        QCOMPARE(first.value(QStringLiteral("event")).toString(), QStringLiteral("admin"));
        QCOMPARE(first.value(QStringLiteral("action")).toString(), QStringLiteral("audit_rotated"));
        if (!expected.isEmpty())
            QCOMPARE(first.value(QStringLiteral("prev")).toString().toLatin1(), expected);
        for (qsizetype i = 1; i < lines.size(); ++i)
            QCOMPARE(parse(lines[i]).value(QStringLiteral("prev")).toString().toLatin1(), sha256Hex(lines[i - 1]));
        expected = sha256Hex(lines.last());
        records += int(lines.size());
    }
    AuditChainCheck check = verifyAuditFile(logPath());
    QVERIFY2(check.ok, qPrintable(check.reason));
    QCOMPARE(check.files, 4);
    QCOMPARE(check.records, records);
    QVERIFY(auditCheckSummary(logPath(), check).endsWith(QLatin1String("records in 4 files, the chain holds")));

    // A restart continues the chain in the live file and rotates on as before.
    AuditLog reopened;
    QVERIFY(reopened.open(logPath(), &error));
    reopened.setRotation(2000, 3);
    QVERIFY(appendRecords(reopened, 100, 20));
    check = verifyAuditFile(logPath());
    QVERIFY2(check.ok, qPrintable(check.reason));

    // Fewer files kept: the ones beyond go at the next rotation, none left to break the chain.
    reopened.setRotation(2000, 1);
    QVERIFY(appendRecords(reopened, 200, 20));
    QCOMPARE(rotatedFiles(), QStringList({"audit.log.1"}));
    check = verifyAuditFile(logPath());
    QVERIFY2(check.ok, qPrintable(check.reason));
}

// What a tamperer does across files shows, naming the file and the line.
void TestAuditLog::rotatedTamperingShows_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("reason");
    QTest::newRow("a middle file removed") << "remove audit.log.2"
                                           << "audit.log.2" << 0 << "is missing";
    QTest::newRow("the newest rotated file removed") << "remove audit.log.1"
                                                     << "audit.log.1" << 0 << "is missing";
    QTest::newRow("the last line of a file cut") << "cutlast audit.log.2"
                                                 << "audit.log.1" << 1 << "does not chain to the last line of";
    QTest::newRow("the oldest file's head cut") << "cutfirst audit.log.3"
                                                << "audit.log.3" << 1 << "does not start the chain";
    QTest::newRow("a line edited in the live file") << "edit audit.log"
                                                    << "audit.log" << 3 << "not the hash";
    QTest::newRow("files swapped") << "swap audit.log.1 audit.log.2"
                                   << "audit.log.2" << 1 << "does not chain to the last line of";
}

void TestAuditLog::rotatedTamperingShows() {
    QFETCH(QString, change);
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(QString, reason);
    {
        AuditLog log;
        QString error;
        QVERIFY2(log.open(logPath(), &error), qPrintable(error));
        log.setRotation(2000, 3);
        QVERIFY(appendRecords(log, 1, 60));
    }
    QVERIFY(verifyAuditFile(logPath()).ok);
    const QStringList words = change.split(u' ');
    const QString target = m_dir.filePath(words.value(1));
    const auto rewrite = [](const QString &path, const QList<QByteArray> &lines) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        for (const QByteArray &l : lines)
            f.write(l + '\n');
    };
    QList<QByteArray> lines = readLines(target);
    if (words[0] == QLatin1String("remove")) {
        QVERIFY(QFile::remove(target));
    } else if (words[0] == QLatin1String("cutlast")) {
        lines.removeLast();
        rewrite(target, lines);
    } else if (words[0] == QLatin1String("cutfirst")) {
        lines.removeFirst();
        rewrite(target, lines);
    } else if (words[0] == QLatin1String("edit")) {
        lines[1].replace("req-", "reQ-");
        rewrite(target, lines);
    } else {
        const QString other = m_dir.filePath(words.value(2));
        const QString aside = target + QStringLiteral(".aside");
        QVERIFY(QFile::rename(target, aside));
        QVERIFY(QFile::rename(other, target));
        QVERIFY(QFile::rename(aside, other));
    }
    const AuditChainCheck check = verifyAuditFile(logPath());
    QVERIFY(!check.ok);
    QCOMPARE(QFileInfo(check.file).fileName(), file);
    QCOMPARE(check.brokenAt, qint64(line));
    QVERIFY2(check.reason.contains(reason), qPrintable(check.reason));
    QVERIFY(auditCheckSummary(logPath(), check).contains(line > 0 ? file : reason));
}

// A rotation that cannot move the files loses nothing: the live file takes the records and the
// chain holds.
void TestAuditLog::failedRotationKeepsWriting() {
    AuditLog log;
    QString error;
    QVERIFY2(log.open(logPath(), &error), qPrintable(error));
    log.setRotation(2000, 2);
    // The oldest file to remove is a folder with something in it: removing it fails.
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("audit.log.2/stuck")));
    QVERIFY(appendRecords(log, 1, 30));
    QCOMPARE(log.rotations(), 0);
    QCOMPARE(log.failures(), 0);
    QCOMPARE(readLines(logPath()).size(), 30);
    QCOMPARE(firstBrokenLine(readLines(logPath())), -1);
}

void TestAuditLog::firstLineStartsTheChain() {
    AuditLog log;
    QString error;
    QVERIFY2(log.open(logPath(), &error), qPrintable(error));
    QCOMPARE(log.path(), logPath());
    QVERIFY(appendRecords(log, 1, 1));
    const QList<QByteArray> lines = readLines(logPath());
    QCOMPARE(lines.size(), 1);
    QCOMPARE(parse(lines[0]).value(QStringLiteral("prev")).toString().toLatin1(), kFirstPrev);
    QVERIFY(readAll(logPath()).endsWith('\n'));
}

void TestAuditLog::eachLineChainsToThePrevious() {
    AuditLog log;
    QString error;
    QVERIFY2(log.open(logPath(), &error), qPrintable(error));
    QVERIFY(appendRecords(log, 1, 5));
    const QList<QByteArray> lines = readLines(logPath());
    QCOMPARE(lines.size(), 5);
    for (qsizetype i = 1; i < lines.size(); ++i)
        QCOMPARE(parse(lines[i]).value(QStringLiteral("prev")).toString().toLatin1(), sha256Hex(lines[i - 1]));
    QCOMPARE(firstBrokenLine(lines), -1);
    QCOMPARE(log.failures(), qint64(0));
}

void TestAuditLog::reopenContinuesTheChain_data() {
    QTest::addColumn<int>("before");
    QTest::newRow("one line") << 1;
    QTest::newRow("a few lines") << 3;
    // More than the 64 KiB read back from the end of the file at open.
    QTest::newRow("longer than the tail read at open") << 1000;
}

void TestAuditLog::reopenContinuesTheChain() {
    QFETCH(int, before);
    QString error;
    {
        AuditLog log;
        QVERIFY2(log.open(logPath(), &error), qPrintable(error));
        QVERIFY(appendRecords(log, 1, before));
    }
    const QList<QByteArray> written = readLines(logPath());
    QCOMPARE(written.size(), before);

    AuditLog reopened; // as after a restart of the service
    QVERIFY2(reopened.open(logPath(), &error), qPrintable(error));
    QVERIFY(appendRecords(reopened, before + 1, 2));
    const QList<QByteArray> lines = readLines(logPath());
    QCOMPARE(lines.size(), before + 2);
    QCOMPARE(lines.mid(0, before), written); // appended, nothing rewritten
    QCOMPARE(parse(lines[before]).value(QStringLiteral("prev")).toString().toLatin1(), sha256Hex(written.last()));
    QCOMPARE(firstBrokenLine(lines), -1);
}

void TestAuditLog::tamperingShows_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<int>("brokenAt");
    QTest::newRow("nothing changed") << QStringLiteral("none") << -1;
    QTest::newRow("a line edited") << QStringLiteral("edit 2") << 3;
    QTest::newRow("one character of a line edited") << QStringLiteral("flip 1") << 2;
    QTest::newRow("a line removed") << QStringLiteral("remove 2") << 2;
    QTest::newRow("the first line removed") << QStringLiteral("remove 0") << 0;
    QTest::newRow("two lines swapped") << QStringLiteral("swap 1") << 1;
    QTest::newRow("a line repeated") << QStringLiteral("repeat 2") << 3;
}

void TestAuditLog::tamperingShows() {
    QFETCH(QString, change);
    QFETCH(int, brokenAt);
    {
        AuditLog log;
        QString error;
        QVERIFY2(log.open(logPath(), &error), qPrintable(error));
        QVERIFY(appendRecords(log, 1, 5));
    }
    QList<QByteArray> lines = readLines(logPath());
    QCOMPARE(firstBrokenLine(lines), -1);

    const QString what = change.section(u' ', 0, 0);
    const int at = change.section(u' ', 1, 1).toInt();
    if (what == QLatin1String("edit")) {
        // Make an allowed request look blocked, keeping the line well-formed JSON.
        lines[at].replace("\"decision\":\"allowed\"", "\"decision\":\"blocked\"");
        QVERIFY(parse(lines[at]).contains(QStringLiteral("prev")));
    } else if (what == QLatin1String("flip")) {
        lines[at].replace("req-", "reQ-");
    } else if (what == QLatin1String("remove")) {
        lines.removeAt(at);
    } else if (what == QLatin1String("swap")) {
        lines.swapItemsAt(at, at + 1);
    } else if (what == QLatin1String("repeat")) {
        lines.insert(at + 1, lines[at]);
    }
    QFile file(logPath());
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QVERIFY(file.write(lines.join('\n') + '\n') > 0);
    file.close();

    QCOMPARE(firstBrokenLine(readLines(logPath())), brokenAt);
    // airlockctl audit verify and airlockd --verify-audit say the same (1-based lines).
    const AuditChainCheck check = verifyAuditFile(logPath());
    QCOMPARE(check.ok, brokenAt < 0);
    QCOMPARE(check.brokenAt, qint64(brokenAt + 1));
    QVERIFY(check.ok || !check.reason.isEmpty());
}

// What the verifier says of files that are not a clean chain for other reasons.
void TestAuditLog::verifierReadsOnlyAWholeChain_data() {
    QTest::addColumn<QByteArray>("tail"); // appended to three good lines
    QTest::addColumn<qint64>("brokenAt");
    QTest::newRow("nothing") << QByteArray() << qint64(0);
    QTest::newRow("a line cut short") << QByteArray("{\"prev\":\"00") << qint64(4);
    QTest::newRow("not JSON") << QByteArray("hello\n") << qint64(4);
    QTest::newRow("no prev") << QByteArray("{\"id\":\"x\"}\n") << qint64(4);
    QTest::newRow("an empty line") << QByteArray("\n") << qint64(4);
    QTest::newRow("a line over the limit") << QByteArray(2 * 1024 * 1024, 'x') + '\n' << qint64(4);
}

void TestAuditLog::verifierReadsOnlyAWholeChain() {
    QFETCH(QByteArray, tail);
    QFETCH(qint64, brokenAt);
    {
        AuditLog log;
        QString error;
        QVERIFY2(log.open(logPath(), &error), qPrintable(error));
        QVERIFY(appendRecords(log, 1, 3));
    }
    QFile file(logPath());
    QVERIFY(file.open(QIODevice::Append));
    file.write(tail);
    file.close();
    const AuditChainCheck check = verifyAuditFile(logPath());
    QCOMPARE(check.brokenAt, brokenAt);
    QCOMPARE(check.ok, brokenAt == 0);
    QCOMPARE(check.records, brokenAt == 0 ? qint64(3) : brokenAt);
    if (check.ok)
        QCOMPARE(check.lastHash, sha256Hex(readLines(logPath()).last()));

    QVERIFY(
        verifyAuditFile(QStringLiteral("/nonexistent/audit.jsonl")).reason.startsWith(QLatin1String("cannot open")));
    QTemporaryDir empty;
    QFile none(empty.filePath(QStringLiteral("a.jsonl")));
    QVERIFY(none.open(QIODevice::WriteOnly));
    none.close();
    const AuditChainCheck nothing = verifyAuditFile(none.fileName());
    QVERIFY(nothing.ok);
    QCOMPARE(nothing.records, qint64(0));
}

void TestAuditLog::lineCarriesTheRecordAndNothingElse_data() {
    QTest::addColumn<bool>("full");
    QTest::newRow("every field set") << true;
    QTest::newRow("no rule, where or outcome") << false;
}

void TestAuditLog::lineCarriesTheRecordAndNothingElse() {
    QFETCH(bool, full);
    AuditRecord r;
    r.event = EventKind::Transfer;
    r.requestId = QStringLiteral("b3c1e0");
    r.method = QStringLiteral("POST");
    r.host = QStringLiteral("huggingface.co");
    r.path = QStringLiteral("/api/models/org/model/paths-info/main");
    r.verdict = Verdict::Blocked;
    r.code = ErrorCode::CredentialDetected;
    r.status = 403;
    r.bytesUp = 1234;
    r.bytesDown = 56789;
    r.durationMs = 420;
    r.redirects = 2;
    if (full) {
        r.rule = QStringLiteral("hf_token");
        r.where = QStringLiteral("body");
        r.outcome = TransferOutcome::UpstreamFailed;
    }

    AuditLog log;
    QString error;
    QVERIFY2(log.open(logPath(), &error), qPrintable(error));
    QVERIFY2(log.append(r, &error), qPrintable(error));
    const QList<QByteArray> lines = readLines(logPath());
    QCOMPARE(lines.size(), 1);
    const QJsonObject o = parse(lines[0]);

    QSet<QString> expected{QStringLiteral("time"),      QStringLiteral("event"),      QStringLiteral("id"),
                           QStringLiteral("method"),    QStringLiteral("host"),       QStringLiteral("path"),
                           QStringLiteral("decision"),  QStringLiteral("code"),       QStringLiteral("status"),
                           QStringLiteral("bytes_up"),  QStringLiteral("bytes_down"), QStringLiteral("duration_ms"),
                           QStringLiteral("redirects"), QStringLiteral("prev")};
    if (full)
        expected += {QStringLiteral("rule"), QStringLiteral("where"), QStringLiteral("outcome")};
    const QStringList keys = o.keys();
    QCOMPARE(QSet<QString>(keys.begin(), keys.end()), expected);

    QCOMPARE(o.value(QStringLiteral("event")).toString(), QStringLiteral("transfer"));
    QCOMPARE(o.value(QStringLiteral("id")).toString(), r.requestId);
    QCOMPARE(o.value(QStringLiteral("method")).toString(), r.method);
    QCOMPARE(o.value(QStringLiteral("host")).toString(), r.host);
    QCOMPARE(o.value(QStringLiteral("path")).toString(), r.path);
    QCOMPARE(o.value(QStringLiteral("decision")).toString(), QStringLiteral("blocked"));
    QCOMPARE(o.value(QStringLiteral("code")).toString(), QStringLiteral("credential_detected"));
    QCOMPARE(o.value(QStringLiteral("status")).toInt(), r.status);
    QCOMPARE(o.value(QStringLiteral("bytes_up")).toInteger(), r.bytesUp);
    QCOMPARE(o.value(QStringLiteral("bytes_down")).toInteger(), r.bytesDown);
    QCOMPARE(o.value(QStringLiteral("duration_ms")).toInteger(), r.durationMs);
    QCOMPARE(o.value(QStringLiteral("redirects")).toInt(), r.redirects);
    if (full) {
        QCOMPARE(o.value(QStringLiteral("rule")).toString(), r.rule);
        QCOMPARE(o.value(QStringLiteral("where")).toString(), r.where);
        QCOMPARE(o.value(QStringLiteral("outcome")).toString(), QStringLiteral("upstream_failed"));
    }
    const QDateTime time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    QVERIFY(time.isValid());
    QCOMPARE(time.timeSpec(), Qt::UTC);
    // The path is the record's, as given: no query string, nothing added from elsewhere.
    QVERIFY(!lines[0].contains('?'));
}

void TestAuditLog::fileIsOwnerOnly() {
    {
        QFile file(logPath());
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                                    QFileDevice::ReadOther));
    }
    AuditLog log;
    QString error;
    QVERIFY2(log.open(logPath(), &error), qPrintable(error));
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                                            QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    QCOMPARE(QFileInfo(logPath()).permissions() & others, QFileDevice::Permissions());
}

void TestAuditLog::openFailsWhereNoFileCanBe() {
    const QString path = m_dir.filePath(QStringLiteral("missing-folder/audit.log"));
    AuditLog log;
    QString error;
    QVERIFY(!log.open(path, &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!log.append(record(1), &error));
    QCOMPARE(log.failures(), qint64(1));
    QVERIFY(!QFileInfo::exists(path));
}

void TestAuditLog::appendToUnopenedLogFails() {
    AuditLog log;
    QString error;
    QVERIFY(!log.append(record(1), &error));
    QVERIFY2(error.contains(QLatin1String("not open")), qPrintable(error));
    QCOMPARE(log.failures(), qint64(1));
    QVERIFY(!log.append(record(2), nullptr)); // no error wanted: still refused, still counted
    QCOMPARE(log.failures(), qint64(2));
}

void TestAuditLog::failedWriteIsRefused_data() {
    QTest::addColumn<int>("kind");
    QTest::newRow("file may not grow (EFBIG)") << int(WriteFailure::FileSizeLimit);
    QTest::newRow("descriptor not writable (EBADF)") << int(WriteFailure::ReadOnlyDescriptor);
}

void TestAuditLog::failedWriteIsRefused() {
    QFETCH(int, kind);
    AuditLog log;
    QString error;
    QVERIFY2(log.open(logPath(), &error), qPrintable(error));
    QVERIFY(appendRecords(log, 1, 2));
    const QByteArray before = readAll(logPath());

    {
        WriteFailure failure(WriteFailure::Kind(kind), logPath());
        QVERIFY(failure.inflict());
        error.clear();
        const bool first = log.append(record(3), &error);
        const bool second = log.append(record(4), nullptr);
        failure.repair();
        QVERIFY(!first);
        QVERIFY(!second);
        QVERIFY2(error.startsWith(QLatin1String("cannot write audit log")), qPrintable(error));
        QCOMPARE(log.failures(), qint64(2));
        QCOMPARE(readAll(logPath()), before); // not even part of a line
    }

    // Once the file can be written again, the next record chains to the last one written: a
    // record that was refused left no trace in the chain.
    QVERIFY2(log.append(record(5), &error), qPrintable(error));
    const QList<QByteArray> lines = readLines(logPath());
    QCOMPARE(lines.size(), 3);
    QCOMPARE(firstBrokenLine(lines), -1);
    QCOMPARE(parse(lines[2]).value(QStringLiteral("id")).toString(), QStringLiteral("req-5"));
    QCOMPARE(log.failures(), qint64(2));
}

void TestAuditLog::fullDeviceIsRefused() {
    // /dev/full accepts the open and fails every write with ENOSPC: a disk that filled up.
    const QString device = QStringLiteral("/dev/full");
    if (!QFileInfo::exists(device))
        QSKIP("no /dev/full here");
    // open() makes the log owner-only; give the device node its permissions back afterwards.
    const QFileDevice::Permissions permissions = QFileInfo(device).permissions();
    const auto restore = qScopeGuard([&] { QFile::setPermissions(device, permissions); });
    AuditLog log;
    QString error;
    if (!log.open(device, &error))
        QSKIP(qPrintable(error));
    QVERIFY(!log.append(record(1), &error));
    QVERIFY2(error.startsWith(QLatin1String("cannot write audit log")), qPrintable(error));
    QCOMPARE(log.failures(), qint64(1));
}

QTEST_APPLESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
