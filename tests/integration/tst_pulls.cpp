// Model pulls end to end: a real airlockd pulls from the test upstream's Hugging Face hub and
// Ollama registry (ModelHub) into a pull folder, and the tests look at what was published, what
// the upstream was asked, and what was refused.
#include "AirlockHarness.h"
#include "ModelHub.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace airlock::test;

namespace {

// The hub keeps an LFS file by its SHA-256, so two tests' files with the same bytes would share
// downloads and faults: every generated file here has a size of its own.
const QString kCommit = QStringLiteral("1111111111111111111111111111111111111111");

QByteArray readFile(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every file under dir, relative, sorted.
QStringList filesUnder(const QString &dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(QDir(dir).relativeFilePath(it.next()));
    out.sort();
    return out;
}

struct CtlRun {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestPulls final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void huggingFaceRepoPublishedVerified();
    void includeAndExclude();
    void dryRunPlansAndWritesNothing();
    void singleFileResolveUrl();
    void ollamaModelWithTokenChallenge();
    void corruptFileRetriedOnce();
    void corruptTwiceFailsWithDigestMismatch();
    void truncatedFileContinuesWithRange();
    void hostileTreesWriteNothing_data();
    void hostileTreesWriteNothing();
    void symlinkInDestinationNotFollowed();
    void killedMidFileResumesWithRange();
    void notEnoughSpaceRefused();
    void callerTextIsInspected();
    void auditFailureRefusesPull();
    void lockdownStopsRunningPull();
    void stalledPullShowsNoTimeLeft();
    void refusedWhileDisabled();
    void badRequestsRefused_data();
    void badRequestsRefused();
    void unknownRepoIsNotFound();
    void manyFilesCountOnceAgainstRateLimit();
    void cancelKeepsPartialsDiscardRemoves();
    void airlockctlPullsAndShowsTheTransfer();
    void disablingStopsRunningPull();

private:
    bool startAirlock(const QByteArray &policy = {});
    QJsonObject startPull(const QJsonObject &body, int expectStatus = 202);
    QJsonObject waitForPull(const QString &id, const QStringList &states, int timeoutMs = 30'000);
    // Until the pull has this many bytes on disk (the upstream stalls there in the tests that use it).
    bool waitForBytes(const QString &id, qint64 bytes, int timeoutMs = 20'000);
    QString hfPublished(const QString &repo, const QString &commit) const;
    // airlockctl on the admin socket, with the event loop running (the upstream is in this process).
    CtlRun ctl(const QStringList &args, int timeoutMs = 30'000);

    TestUpstream m_upstream;
    ModelHub m_hub;
    std::unique_ptr<AirlockProcess> m_airlock;
    std::unique_ptr<QTemporaryDir> m_pullDir;
};

void TestPulls::initTestCase() {
    m_upstream.setHandler(m_hub.handler());
    m_upstream.setRecording(false);
    QVERIFY(m_upstream.start());
}

void TestPulls::init() {
    m_pullDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_pullDir->isValid());
    QVERIFY(startAirlock());
}

void TestPulls::cleanup() {
    if (m_airlock && QTest::currentTestFailed())
        qWarning("%s", qPrintable(m_airlock->logText().right(4000)));
    m_airlock.reset();
}

bool TestPulls::startAirlock(const QByteArray &policy) {
    m_airlock = std::make_unique<AirlockProcess>();
    const QByteArray yaml = policy.isEmpty() ? AirlockProcess::enabledDefaultPolicy() : policy;
    return m_airlock->start(&m_upstream, yaml, {QStringLiteral("--pull-dir"), m_pullDir->path()});
}

QJsonObject TestPulls::startPull(const QJsonObject &body, int expectStatus) {
    const ClientResponse r = m_airlock->call("POST", "/v1/pulls", body);
    if (r.status != expectStatus)
        qWarning("POST /v1/pulls answered %d: %s", r.status, r.body.constData());
    return r.status == expectStatus ? r.json() : QJsonObject{{"unexpected_status", r.status}};
}

QJsonObject TestPulls::waitForPull(const QString &id, const QStringList &states, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    QJsonObject last;
    while (timer.elapsed() < timeoutMs) {
        const ClientResponse r = m_airlock->get("/v1/pulls/" + id.toLatin1());
        last = r.json();
        if (states.contains(last.value("state").toString()))
            return last;
        QTest::qWait(50);
    }
    qWarning("pull %s still %s", qPrintable(id), QJsonDocument(last).toJson(QJsonDocument::Compact).constData());
    return last;
}

bool TestPulls::waitForBytes(const QString &id, qint64 bytes, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (m_airlock->get("/v1/pulls/" + id.toLatin1()).json().value("bytes_done").toInteger() >= bytes)
            return true;
        QTest::qWait(50);
    }
    return false;
}

QString TestPulls::hfPublished(const QString &repo, const QString &commit) const {
    return QDir(m_pullDir->path()).filePath(QStringLiteral("hf/%1/%2").arg(repo, commit));
}

CtlRun TestPulls::ctl(const QStringList &args, int timeoutMs) {
    QProcess p;
    p.start(QStringLiteral(AIRLOCKCTL_PATH),
            QStringList{QStringLiteral("--socket"), m_airlock->stateDir() + QStringLiteral("/admin.sock")} + args);
    QElapsedTimer timer;
    timer.start();
    while (p.state() != QProcess::NotRunning && timer.elapsed() < timeoutMs)
        QTest::qWait(20);
    CtlRun r;
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TestPulls::huggingFaceRepoPublishedVerified() {
    const HubFile config = HubFile::small(QStringLiteral("config.json"), "{\"model_type\":\"llama\"}\n");
    const HubFile readme = HubFile::small(QStringLiteral("docs/README.md"), "# A model\n");
    const HubFile weights = HubFile::generated(QStringLiteral("model.gguf"), 3 * 1024 * 1024 + 5);
    m_hub.addHfRepo(QStringLiteral("acme/tiny"), kCommit, {config, readme, weights}, {QStringLiteral("main")});
    m_hub.setTreePageSize(2); // the listing comes in two pages

    const QJsonObject started = startPull({{"source", "hf:acme/tiny"}});
    const QString id = started.value("id").toString();
    QVERIFY2(id.startsWith("pull-"), QJsonDocument(started).toJson());
    QCOMPARE(started.value("revision").toString(), kCommit);
    QCOMPARE(started.value("files_total").toInt(), 3);

    const QJsonObject done = waitForPull(id, {"published", "failed"});
    QCOMPARE(done.value("state").toString(), QStringLiteral("published"));
    QCOMPARE(done.value("files_verified").toInt(), 3);
    QCOMPARE(done.value("bytes_done").toInteger(), config.size() + readme.size() + weights.size());
    for (const QJsonValue &f : done.value("files").toArray())
        QVERIFY(f.toObject().value("verified").toBool());

    const QString model = hfPublished(QStringLiteral("acme/tiny"), kCommit);
    QCOMPARE(done.value("published_path").toString(), model);
    QCOMPARE(filesUnder(model), QStringList({"airlock-pull.json", "config.json", "docs/README.md", "model.gguf"}));
    QCOMPARE(readFile(model + "/config.json"), config.content);
    QCOMPARE(readFile(model + "/docs/README.md"), readme.content);
    QCOMPARE(QCryptographicHash::hash(readFile(model + "/model.gguf"), QCryptographicHash::Sha256).toHex(),
             weights.sha256Hex());
    QCOMPARE(QFileInfo(model + "/model.gguf").permissions() & (QFile::ReadOther | QFile::WriteOther),
             QFile::Permissions());

    // The record of the pull lies beside the files: source, commit, every digest and how it was checked.
    const QJsonObject record = QJsonDocument::fromJson(readFile(model + "/airlock-pull.json")).object();
    QCOMPARE(record.value("source").toString(), QStringLiteral("hf:acme/tiny@main"));
    QCOMPARE(record.value("revision").toString(), kCommit);
    QCOMPARE(record.value("files").toArray().size(), 3);
    QVERIFY(!record.value("audit_request_ids").toArray().isEmpty());
    for (const QJsonValue &v : record.value("files").toArray()) {
        const QJsonObject f = v.toObject();
        const bool lfs = f.value("path").toString() == QLatin1String("model.gguf");
        QCOMPARE(f.value("verified").toString(), lfs ? QStringLiteral("sha256") : QStringLiteral("git-blob-sha1"));
        QCOMPARE(f.value("digest").toString().toLatin1(),
                 lfs ? weights.sha256Hex()
                     : (f.value("path").toString() == "config.json" ? config.gitOidHex() : readme.gitOidHex()));
    }
    // Nothing partial is left, and the audit trail has the pull and each of its requests.
    QVERIFY(filesUnder(m_pullDir->path() + "/.airlock-partial").isEmpty());
    const QByteArray audit = readFile(m_airlock->stateDir() + "/audit.jsonl");
    QVERIFY(audit.contains("\"event\":\"pull_started\""));
    QVERIFY(audit.contains("\"outcome\":\"published\""));
    QVERIFY(audit.contains("\"id\":\"" + id.toLatin1() + ".1\""));
    const ClientResponse metrics = m_airlock->get("/metrics", false);
    QVERIFY(metrics.body.contains("airlock_pulls_total{outcome=\"published\"} 1"));
    m_hub.setTreePageSize(1000);
}

void TestPulls::includeAndExclude() {
    m_hub.addHfRepo(QStringLiteral("acme/quants"), kCommit,
                    {HubFile::small(QStringLiteral("README.md"), "readme\n"),
                     HubFile::small(QStringLiteral("m.Q4_K_M.gguf"), "q4 weights", true),
                     HubFile::small(QStringLiteral("m.Q8_0.gguf"), "q8 weights", true),
                     HubFile::small(QStringLiteral("sub/m.Q4_K_M.gguf"), "q4 in a folder", true),
                     HubFile::small(QStringLiteral("sub/notes.txt"), "notes\n")});
    const QJsonObject started = startPull(
        {{"source", "hf:acme/quants"}, {"include", QJsonArray{"*Q4_K_M.gguf", "*.md"}}, {"exclude", "sub/**"}});
    const QJsonObject done = waitForPull(started.value("id").toString(), {"published", "failed"});
    QCOMPARE(done.value("state").toString(), QStringLiteral("published"));
    QCOMPARE(filesUnder(hfPublished("acme/quants", kCommit)),
             QStringList({"README.md", "airlock-pull.json", "m.Q4_K_M.gguf"}));
    QCOMPARE(m_hub.downloads(QStringLiteral("m.Q8_0.gguf")), 0);
}

void TestPulls::dryRunPlansAndWritesNothing() {
    const HubFile big = HubFile::generated(QStringLiteral("big.bin"), 2 * 1024 * 1024);
    m_hub.addHfRepo(QStringLiteral("acme/plan"), kCommit, {HubFile::small(QStringLiteral("a.txt"), "a"), big},
                    {QStringLiteral("v1.0")});
    const ClientResponse r = m_airlock->call("POST", "/v1/pulls", {{"source", "hf:acme/plan@v1.0"}, {"dry_run", true}});
    QCOMPARE(r.status, 200);
    const QJsonObject plan = r.json();
    QCOMPARE(plan.value("revision").toString(), kCommit);
    QCOMPARE(plan.value("total_bytes").toInteger(), big.size() + 1);
    QVERIFY(plan.value("free_bytes").toInteger() > 0);
    const QJsonArray files = plan.value("files").toArray();
    QCOMPARE(files.size(), 2);
    QCOMPARE(files[1].toObject().value("digest").toString().toLatin1(), big.sha256Hex());
    QCOMPARE(files[1].toObject().value("digest_kind").toString(), QStringLiteral("sha256"));
    QCOMPARE(m_hub.downloads(QStringLiteral("big.bin")), 0);
    QVERIFY(filesUnder(m_pullDir->path()).isEmpty());
    QVERIFY(m_airlock->get("/v1/pulls").json().value("pulls").toArray().isEmpty());
}

void TestPulls::singleFileResolveUrl() {
    const HubFile weights = HubFile::generated(QStringLiteral("gguf/model-q4.gguf"), 1024 * 1024 + 3);
    m_hub.addHfRepo(QStringLiteral("acme/one"), kCommit, {HubFile::small(QStringLiteral("other.bin"), "x"), weights});
    const QJsonObject started =
        startPull({{"source", "https://huggingface.co/acme/one/resolve/main/gguf/model-q4.gguf"}});
    QCOMPARE(started.value("files_total").toInt(), 1);
    const QJsonObject done = waitForPull(started.value("id").toString(), {"published", "failed"});
    QCOMPARE(done.value("state").toString(), QStringLiteral("published"));
    QCOMPARE(filesUnder(hfPublished("acme/one", kCommit)), QStringList({"airlock-pull.json", "gguf/model-q4.gguf"}));
    QCOMPARE(m_hub.downloads(QStringLiteral("other.bin")), 0);
}

void TestPulls::ollamaModelWithTokenChallenge() {
    const HubFile config = HubFile::blob("{\"model_format\":\"gguf\"}");
    const HubFile layer = HubFile::generatedBlob(2 * 1024 * 1024 + 11);
    const HubFile params = HubFile::blob("{\"stop\":[\"<|eot|>\"]}", "application/vnd.ollama.image.params");
    m_hub.addOllamaModel(QStringLiteral("library"), QStringLiteral("tinyllm"), QStringLiteral("1b"), config,
                         {layer, params});
    m_hub.setRequireToken(true);
    const QJsonObject started = startPull({{"source", "ollama:tinyllm:1b"}});
    QVERIFY(m_hub.tokensIssued() >= 1);
    const QJsonObject done = waitForPull(started.value("id").toString(), {"published", "failed"});
    m_hub.setRequireToken(false);
    QCOMPARE(done.value("state").toString(), QStringLiteral("published"));

    const QString store = m_pullDir->path() + "/ollama";
    const QByteArray manifest = m_hub.manifest("library", "tinyllm", "1b");
    QCOMPARE(readFile(store + "/manifests/registry.ollama.ai/library/tinyllm/1b"), manifest);
    for (const HubFile *blob : {&config, &layer, &params}) {
        const QString path = store + "/blobs/sha256-" + QString::fromLatin1(blob->sha256Hex());
        QVERIFY2(QFile::exists(path), qPrintable(path));
        QCOMPARE(QCryptographicHash::hash(readFile(path), QCryptographicHash::Sha256).toHex(), blob->sha256Hex());
    }
    QCOMPARE(done.value("revision").toString(),
             "sha256:" + QString::fromLatin1(QCryptographicHash::hash(manifest, QCryptographicHash::Sha256).toHex()));
}

void TestPulls::corruptFileRetriedOnce() {
    const HubFile weights = HubFile::generated(QStringLiteral("w.bin"), 512 * 1024);
    m_hub.addHfRepo(QStringLiteral("acme/flaky"), kCommit, {weights});
    m_hub.corrupt(QStringLiteral("w.bin"), 1);
    const QJsonObject done =
        waitForPull(startPull({{"source", "hf:acme/flaky"}}).value("id").toString(), {"published", "failed"});
    QCOMPARE(done.value("state").toString(), QStringLiteral("published"));
    QCOMPARE(m_hub.downloads(QStringLiteral("w.bin")), 2);
}

void TestPulls::corruptTwiceFailsWithDigestMismatch() {
    const HubFile weights = HubFile::generated(QStringLiteral("w.bin"), 512 * 1024 + 1);
    m_hub.addHfRepo(QStringLiteral("acme/bad"), kCommit, {HubFile::small(QStringLiteral("ok.txt"), "fine"), weights});
    m_hub.corrupt(QStringLiteral("w.bin"), 2);
    const QJsonObject done =
        waitForPull(startPull({{"source", "hf:acme/bad"}}).value("id").toString(), {"published", "failed"});
    QCOMPARE(done.value("state").toString(), QStringLiteral("failed"));
    QCOMPARE(done.value("error").toObject().value("code").toString(), QStringLiteral("digest_mismatch"));
    // Nothing unverified is ever published.
    QVERIFY(!QFileInfo::exists(m_pullDir->path() + "/hf"));
}

void TestPulls::truncatedFileContinuesWithRange() {
    const HubFile weights = HubFile::generated(QStringLiteral("t.bin"), 4 * 1024 * 1024);
    m_hub.addHfRepo(QStringLiteral("acme/cut"), kCommit, {weights});
    m_hub.truncate(QStringLiteral("t.bin"), 1);
    const QJsonObject done =
        waitForPull(startPull({{"source", "hf:acme/cut"}}).value("id").toString(), {"published", "failed"});
    QCOMPARE(done.value("state").toString(), QStringLiteral("published"));
    const QList<QByteArray> ranges = m_hub.ranges(QStringLiteral("t.bin"));
    QCOMPARE(ranges.size(), 2);
    QCOMPARE(ranges[0], QByteArray());
    QVERIFY2(ranges[1].startsWith("bytes=") && ranges[1] != "bytes=0-", ranges[1].constData());
}

void TestPulls::hostileTreesWriteNothing_data() {
    QTest::addColumn<QByteArray>("tree");
    QTest::addColumn<QString>("code");
    const QByteArray oid = QByteArray(40, 'a');
    const auto entry = [&](const QByteArray &path) {
        return "[{\"type\":\"file\",\"oid\":\"" + oid + "\",\"size\":1,\"path\":\"" + path + "\"}]";
    };
    QTest::newRow("dot-dot") << entry("../../etc/cron.d/x") << QStringLiteral("unsafe_path");
    QTest::newRow("absolute") << entry("/etc/passwd") << QStringLiteral("unsafe_path");
    QTest::newRow("backslash") << entry("a\\\\..\\\\b") << QStringLiteral("unsafe_path");
    QTest::newRow("control character") << entry("a\\u0001b") << QStringLiteral("unsafe_path");
    QTest::newRow("NUL") << entry("a\\u0000b") << QStringLiteral("unsafe_path");
    QTest::newRow("over-long name") << entry(QByteArray(300, 'n')) << QStringLiteral("unsafe_path");
    QTest::newRow("duplicate") << "[{\"type\":\"file\",\"oid\":\"" + oid +
                                      "\",\"size\":1,\"path\":\"x\"},"
                                      "{\"type\":\"file\",\"oid\":\"" +
                                      oid + "\",\"size\":1,\"path\":\"x\"}]"
                               << QStringLiteral("bad_manifest");
    QTest::newRow("malformed digest") << QByteArray("[{\"type\":\"file\",\"oid\":\"xyz\",\"size\":1,\"path\":\"x\"}]")
                                      << QStringLiteral("bad_manifest");
    QTest::newRow("negative size") << "[{\"type\":\"file\",\"oid\":\"" + oid + "\",\"size\":-5,\"path\":\"x\"}]"
                                   << QStringLiteral("bad_manifest");
    QTest::newRow("the record's own name") << entry("airlock-pull.json") << QStringLiteral("unsafe_path");
    QTest::newRow("not a list") << QByteArray("{\"files\":[]}") << QStringLiteral("bad_manifest");
}

void TestPulls::hostileTreesWriteNothing() {
    QFETCH(QByteArray, tree);
    QFETCH(QString, code);
    static int serial = 0;
    const QString repo = QStringLiteral("evil/tree%1").arg(++serial);
    m_hub.addHfRepo(repo, kCommit, {HubFile::small(QStringLiteral("x"), "x")});
    m_hub.setRawTree(repo, tree);
    const ClientResponse r = m_airlock->call("POST", "/v1/pulls", {{"source", "hf:" + repo}});
    QCOMPARE(r.status, 502);
    QCOMPARE(r.json().value("code").toString(), code);
    QVERIFY2(filesUnder(m_pullDir->path()).isEmpty(), qPrintable(filesUnder(m_pullDir->path()).join(' ')));
}

void TestPulls::symlinkInDestinationNotFollowed() {
    m_hub.addHfRepo(QStringLiteral("acme/link"), kCommit, {HubFile::small(QStringLiteral("a.txt"), "a")});
    QTemporaryDir elsewhere;
    QVERIFY(QDir().mkpath(m_pullDir->path() + "/hf/acme"));
    QVERIFY(QFile::link(elsewhere.path(), m_pullDir->path() + "/hf/acme/link"));
    const QJsonObject done =
        waitForPull(startPull({{"source", "hf:acme/link"}}).value("id").toString(), {"published", "failed"});
    QCOMPARE(done.value("state").toString(), QStringLiteral("failed"));
    QVERIFY(filesUnder(elsewhere.path()).isEmpty());
    // The partial folder: a link planted where a pull's files go is not followed either.
    m_hub.addHfRepo(QStringLiteral("acme/link2"), kCommit, {HubFile::small(QStringLiteral("a.txt"), "a")});
    QVERIFY(QDir().mkpath(m_pullDir->path() + "/.airlock-partial"));
    const QString partials = m_pullDir->path() + "/.airlock-partial";
    QVERIFY(QFile::rename(partials, partials + ".moved"));
    QVERIFY(QFile::link(elsewhere.path(), partials));
    const QJsonObject second =
        waitForPull(startPull({{"source", "hf:acme/link2"}}).value("id").toString(), {"published", "failed"});
    QCOMPARE(second.value("state").toString(), QStringLiteral("failed"));
    QVERIFY(filesUnder(elsewhere.path()).isEmpty());
}

void TestPulls::killedMidFileResumesWithRange() {
    const HubFile weights = HubFile::generated(QStringLiteral("big.gguf"), 8 * 1024 * 1024);
    const HubFile small = HubFile::small(QStringLiteral("tokenizer.json"), "{\"vocab\":[1,2,3]}");
    m_hub.addHfRepo(QStringLiteral("acme/resume"), kCommit, {small, weights});
    const qint64 stallAt = 3 * 1024 * 1024;
    m_hub.stallAfter(QStringLiteral("big.gguf"), stallAt, 1);
    const QString id = startPull({{"source", "hf:acme/resume"}}).value("id").toString();
    QVERIFY(!id.isEmpty());
    // Wait until the bytes before the stall are on disk, then kill airlockd without warning.
    QVERIFY(waitForBytes(id, stallAt));
    m_airlock->process().kill();
    m_airlock->process().waitForFinished(5000);
    // While no airlockd runs, someone swaps the small file, already verified, for other bytes of
    // the same size: it is checked again, found wrong and fetched again.
    const QString partial = m_pullDir->path() + "/.airlock-partial/" + id + "/tokenizer.json";
    QCOMPARE(readFile(partial), small.content);
    {
        QFile swapped(partial);
        QVERIFY(swapped.open(QIODevice::WriteOnly | QIODevice::Truncate));
        swapped.write(QByteArray(small.content.size(), 'X'));
    }
    QCOMPARE(m_hub.downloads(QStringLiteral("tokenizer.json")), 1);
    // A new airlockd on the same state: the pull is listed as interrupted and does not go on by itself.
    QVERIFY2(m_airlock->start(&m_upstream, AirlockProcess::enabledDefaultPolicy(),
                              {QStringLiteral("--pull-dir"), m_pullDir->path()}),
             qPrintable(m_airlock->logText()));
    const QJsonObject interrupted = m_airlock->get("/v1/pulls/" + id.toLatin1()).json();
    QCOMPARE(interrupted.value("state").toString(), QStringLiteral("interrupted"));
    QTest::qWait(300);
    QCOMPARE(m_hub.downloads(QStringLiteral("big.gguf")), 1);

    const ClientResponse resumed = m_airlock->call("POST", "/v1/pulls/" + id.toLatin1() + "/resume");
    QCOMPARE(resumed.status, 202);
    const QJsonObject done = waitForPull(id, {"published", "failed"});
    QCOMPARE(done.value("state").toString(), QStringLiteral("published"));
    const QList<QByteArray> ranges = m_hub.ranges(QStringLiteral("big.gguf"));
    QCOMPARE(ranges.size(), 2);
    QCOMPARE(ranges[1], "bytes=" + QByteArray::number(stallAt) + "-");
    QCOMPARE(m_hub.downloads(QStringLiteral("tokenizer.json")), 2);
    QCOMPARE(readFile(hfPublished("acme/resume", kCommit) + "/tokenizer.json"), small.content);
    QCOMPARE(QCryptographicHash::hash(readFile(hfPublished("acme/resume", kCommit) + "/big.gguf"),
                                      QCryptographicHash::Sha256)
                 .toHex(),
             weights.sha256Hex());
}

void TestPulls::notEnoughSpaceRefused() {
    const QByteArray tree = "[{\"type\":\"file\",\"oid\":\"" + QByteArray(40, 'b') +
                            "\",\"size\":1125899906842624,\"path\":\"huge.bin\",\"lfs\":{\"oid\":\"" +
                            QByteArray(64, 'c') + "\",\"size\":1125899906842624,\"pointerSize\":134}}]";
    m_hub.addHfRepo(QStringLiteral("acme/huge"), kCommit, {HubFile::small(QStringLiteral("huge.bin"), "x")});
    m_hub.setRawTree(QStringLiteral("acme/huge"), tree);
    const ClientResponse r = m_airlock->call("POST", "/v1/pulls", {{"source", "hf:acme/huge"}});
    QCOMPARE(r.status, 507);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("insufficient_storage"));
    QVERIFY(filesUnder(m_pullDir->path()).isEmpty());

    // Thousands of files of 2^50 bytes each: their sum must not wrap round to something small.
    QByteArray many = "[";
    for (int i = 0; i < 9000; ++i) {
        if (i)
            many += ',';
        many += "{\"type\":\"file\",\"oid\":\"" + QByteArray(40, 'd') + "\",\"size\":1125899906842624,\"path\":\"f" +
                QByteArray::number(i) + "\",\"lfs\":{\"oid\":\"" + QByteArray(64, 'e') +
                "\",\"size\":1125899906842624,\"pointerSize\":134}}";
    }
    many += ']';
    m_hub.addHfRepo(QStringLiteral("acme/overflow"), kCommit, {HubFile::small(QStringLiteral("f0"), "x")});
    m_hub.setRawTree(QStringLiteral("acme/overflow"), many);
    const ClientResponse o = m_airlock->call("POST", "/v1/pulls", {{"source", "hf:acme/overflow"}});
    QCOMPARE(o.status, 507);
    QVERIFY(filesUnder(m_pullDir->path()).isEmpty());
}

void TestPulls::callerTextIsInspected() {
    // The file path of a resolve URL goes upstream (it names the folder listed): the content
    // rules judge it like any URL, before anything is sent.
    const int before = m_upstream.connectionCount();
    const ClientResponse r = m_airlock->call(
        "POST", "/v1/pulls",
        {{"source", "https://huggingface.co/acme/one/resolve/main/john.doe.1984@example.com/model.gguf"}});
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("pii_detected"));
    QCOMPARE(m_upstream.connectionCount(), before);
}

void TestPulls::auditFailureRefusesPull() {
    if (!QFileInfo::exists(QStringLiteral("/dev/full")))
        QSKIP("needs /dev/full to make audit writes fail");
    m_airlock = std::make_unique<AirlockProcess>();
    QVERIFY(QFile::link(QStringLiteral("/dev/full"), m_airlock->stateDir() + QStringLiteral("/audit.jsonl")));
    QVERIFY2(m_airlock->start(&m_upstream, AirlockProcess::enabledDefaultPolicy(),
                              {QStringLiteral("--pull-dir"), m_pullDir->path()}),
             qPrintable(m_airlock->logText()));
    m_hub.addHfRepo(QStringLiteral("acme/noaudit"), kCommit, {HubFile::small(QStringLiteral("a"), "a")});
    const int before = m_upstream.connectionCount();
    const ClientResponse r = m_airlock->call("POST", "/v1/pulls", {{"source", "hf:acme/noaudit"}});
    QCOMPARE(r.status, 503);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("audit_unavailable"));
    QCOMPARE(m_upstream.connectionCount(), before);
    QVERIFY(filesUnder(m_pullDir->path()).isEmpty());
}

void TestPulls::lockdownStopsRunningPull() {
    const HubFile weights = HubFile::generated(QStringLiteral("slow.bin"), 8 * 1024 * 1024 + 1);
    m_hub.addHfRepo(QStringLiteral("acme/lock"), kCommit, {weights});
    m_hub.stallAfter(QStringLiteral("slow.bin"), 1024 * 1024, 1);
    const QString id = startPull({{"source", "hf:acme/lock"}}).value("id").toString();
    QVERIFY(waitForBytes(id, 1024 * 1024));
    const ClientResponse lock =
        m_airlock->call("POST", "/api/v1/disable", {{"action", "disable"}, {"incident_id", "INC-7"}});
    QCOMPARE(lock.status, 200);
    const QJsonObject stopped = waitForPull(id, {"stopped", "published", "failed"}, 1000);
    QCOMPARE(stopped.value("state").toString(), QStringLiteral("stopped"));
    QCOMPARE(stopped.value("error").toObject().value("code").toString(), QStringLiteral("lockdown"));
    QVERIFY(!QFileInfo::exists(m_pullDir->path() + "/hf"));
    // And nothing new starts, resume included.
    QCOMPARE(m_airlock->call("POST", "/v1/pulls/" + id.toLatin1() + "/resume").status, 503);
    QCOMPARE(m_airlock->call("POST", "/v1/pulls", {{"source", "hf:acme/lock"}}).status, 503);
}

// The rate is the recent one: a pull whose upstream went quiet says 0 B/s and no time left
// within the rate window (5 s), rather than the average since it started forever.
void TestPulls::stalledPullShowsNoTimeLeft() {
    const HubFile weights = HubFile::generated(QStringLiteral("quiet.bin"), 8 * 1024 * 1024 + 3);
    m_hub.addHfRepo(QStringLiteral("acme/quiet"), kCommit, {weights});
    m_hub.stallAfter(QStringLiteral("quiet.bin"), 2 * 1024 * 1024, 1);
    const QString id = startPull({{"source", "hf:acme/quiet"}}).value("id").toString();
    QVERIFY(waitForBytes(id, 2 * 1024 * 1024));
    QJsonObject pull;
    QTRY_VERIFY_WITH_TIMEOUT((pull = m_airlock->get("/v1/pulls/" + id.toLatin1()).json(),
                              pull.value("rate").toInteger(-1) == 0 && !pull.contains("eta_seconds")),
                             15'000);
    QCOMPARE(pull.value("state").toString(), QStringLiteral("downloading"));
    QCOMPARE(pull.value("bytes_done").toInteger(), qint64(2 * 1024 * 1024));
    QCOMPARE(m_airlock->call("DELETE", "/v1/pulls/" + id.toLatin1() + "?discard=true").status, 200);
}

void TestPulls::refusedWhileDisabled() {
    QVERIFY(startAirlock(AirlockProcess::enabledDefaultPolicy().replace("enabled: true", "enabled: false")));
    m_hub.addHfRepo(QStringLiteral("acme/off"), kCommit, {HubFile::small(QStringLiteral("a"), "a")});
    const ClientResponse r = m_airlock->call("POST", "/v1/pulls", {{"source", "hf:acme/off"}});
    QCOMPARE(r.status, 503);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("disabled"));
    QCOMPARE(m_airlock->call("POST", "/v1/pulls", {{"source", "hf:acme/off"}, {"dry_run", true}}).status, 503);
}

void TestPulls::badRequestsRefused_data() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("not a source") << QByteArray("POST") << QByteArray("/v1/pulls")
                                  << QByteArray("{\"source\":\"gopher://x\"}") << 400;
    QTest::newRow("traversal in the repo")
        << QByteArray("POST") << QByteArray("/v1/pulls") << QByteArray("{\"source\":\"hf:../etc\"}") << 400;
    QTest::newRow("unknown field") << QByteArray("POST") << QByteArray("/v1/pulls")
                                   << QByteArray("{\"source\":\"hf:a/b\",\"dest\":\"/etc\"}") << 400;
    QTest::newRow("source not a string") << QByteArray("POST") << QByteArray("/v1/pulls")
                                         << QByteArray("{\"source\":5}") << 400;
    QTest::newRow("not JSON") << QByteArray("POST") << QByteArray("/v1/pulls") << QByteArray("hf:a/b") << 400;
    QTest::newRow("include for ollama") << QByteArray("POST") << QByteArray("/v1/pulls")
                                        << QByteArray("{\"source\":\"ollama:x\",\"include\":[\"*\"]}") << 400;
    QTest::newRow("unknown pull") << QByteArray("GET") << QByteArray("/v1/pulls/pull-000000000000000000000000")
                                  << QByteArray() << 404;
    QTest::newRow("bad id") << QByteArray("GET") << QByteArray("/v1/pulls/..%2f..") << QByteArray() << 404;
    QTest::newRow("wrong method") << QByteArray("PUT") << QByteArray("/v1/pulls") << QByteArray() << 405;
}

void TestPulls::badRequestsRefused() {
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QByteArray request =
        method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer " +
        m_airlock->token() + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    const ClientResponse r = sendRaw(m_airlock->port(), request);
    QCOMPARE(r.status, status);
    QVERIFY(!r.json().value("code").toString().isEmpty());
    // Without the token nothing is looked at, the method included.
    const ClientResponse anonymous =
        sendRaw(m_airlock->port(), method + ' ' + path +
                                       " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: " +
                                       QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QCOMPARE(anonymous.status, 401);
    QVERIFY(filesUnder(m_pullDir->path()).isEmpty());
}

void TestPulls::unknownRepoIsNotFound() {
    const ClientResponse r = m_airlock->call("POST", "/v1/pulls", {{"source", "hf:nobody/nothing"}});
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json().value("code").toString(), QStringLiteral("not_found"));
    const ClientResponse o = m_airlock->call("POST", "/v1/pulls", {{"source", "ollama:nothing:here"}});
    QCOMPARE(o.status, 404);
    QCOMPARE(o.json().value("code").toString(), QStringLiteral("not_found"));
}

void TestPulls::manyFilesCountOnceAgainstRateLimit() {
    QVERIFY(startAirlock(
        AirlockProcess::enabledDefaultPolicy().replace("requests_per_minute: 30", "requests_per_minute: 2")));
    QList<HubFile> files;
    for (int i = 0; i < 50; ++i)
        files.append(HubFile::small(QStringLiteral("shard-%1.bin").arg(i, 3, 10, QLatin1Char('0')),
                                    QByteArray::number(i).repeated(100), i % 2 == 0));
    m_hub.addHfRepo(QStringLiteral("acme/fifty"), kCommit, files);
    const QJsonObject done =
        waitForPull(startPull({{"source", "hf:acme/fifty"}}).value("id").toString(), {"published", "failed"}, 60'000);
    QCOMPARE(done.value("state").toString(), QStringLiteral("published"));
    QCOMPARE(filesUnder(hfPublished("acme/fifty", kCommit)).size(), 51);
    // The pull was one request of two: one more passes, the next is refused.
    QCOMPARE(m_airlock->fetch({{"url", "https://huggingface.co/bytes/1"}}).status, 200);
    QCOMPARE(m_airlock->fetch({{"url", "https://huggingface.co/bytes/1"}}).status, 429);
}

void TestPulls::cancelKeepsPartialsDiscardRemoves() {
    const HubFile weights = HubFile::generated(QStringLiteral("c.bin"), 8 * 1024 * 1024 + 2);
    m_hub.addHfRepo(QStringLiteral("acme/cancel"), kCommit, {weights});
    m_hub.stallAfter(QStringLiteral("c.bin"), 2 * 1024 * 1024, 1);
    const QString id = startPull({{"source", "hf:acme/cancel"}}).value("id").toString();
    QVERIFY(waitForBytes(id, 2 * 1024 * 1024));
    const ClientResponse cancelled = m_airlock->call("DELETE", "/v1/pulls/" + id.toLatin1());
    QCOMPARE(cancelled.status, 200);
    QCOMPARE(waitForPull(id, {"cancelled"}).value("state").toString(), QStringLiteral("cancelled"));
    QCOMPARE(filesUnder(m_pullDir->path() + "/.airlock-partial/" + id), QStringList({"c.bin"}));
    QCOMPARE(m_airlock->call("DELETE", "/v1/pulls/" + id.toLatin1()).status, 409);
    QCOMPARE(m_airlock->call("DELETE", "/v1/pulls/" + id.toLatin1() + "?discard=true").status, 200);
    QVERIFY(!QFileInfo::exists(m_pullDir->path() + "/.airlock-partial/" + id));
    QCOMPARE(m_airlock->get("/v1/pulls/" + id.toLatin1()).status, 404);
}

void TestPulls::airlockctlPullsAndShowsTheTransfer() {
    const HubFile weights = HubFile::generated(QStringLiteral("m.Q4_K_M.gguf"), 2 * 1024 * 1024 + 1);
    m_hub.addHfRepo(QStringLiteral("acme/ctl"), kCommit,
                    {weights, HubFile::small(QStringLiteral("m.Q8_0.gguf"), "q8", true),
                     HubFile::small(QStringLiteral("README.md"), "r")});
    // The plan first: nothing downloaded.
    const CtlRun plan = ctl({"pull", "hf:acme/ctl", "--include", "*Q4_K_M.gguf", "--dry-run"});
    QCOMPARE(plan.code, 0);
    QVERIFY2(plan.out.contains("m.Q4_K_M.gguf") && !plan.out.contains("Q8_0"), plan.out.constData());
    QVERIFY(plan.out.contains(kCommit.toLatin1()));
    QCOMPARE(m_hub.downloads(QStringLiteral("m.Q4_K_M.gguf")), 0);

    const CtlRun run = ctl({"pull", "hf:acme/ctl", "--include", "*Q4_K_M.gguf"});
    QVERIFY2(run.code == 0, run.err.constData());
    const QString model = hfPublished("acme/ctl", kCommit);
    QVERIFY2(run.out.contains("published: " + model.toUtf8()), run.out.constData());
    QCOMPARE(filesUnder(model), QStringList({"airlock-pull.json", "m.Q4_K_M.gguf"}));

    // Listed among the pulls, and among the transfers with its files.
    const CtlRun list = ctl({"pulls", "--json"});
    QCOMPARE(list.code, 0);
    const QJsonObject listed = QJsonDocument::fromJson(list.out.trimmed().split('\n').last()).object();
    QCOMPARE(listed.value("state").toString(), QStringLiteral("published"));
    QCOMPARE(listed.value("source").toString(), QStringLiteral("hf:acme/ctl@main"));
    const CtlRun transfers = ctl({"transfers", "--json"});
    QVERIFY2(transfers.out.contains("\"kind\":\"pull\"") && transfers.out.contains("\"outcome\":\"published\""),
             transfers.out.constData());

    // The same commit again: already there, said before anything is downloaded.
    const CtlRun again = ctl({"pull", "hf:acme/ctl", "--include", "*Q4_K_M.gguf"});
    QCOMPARE(again.code, 1);
    QVERIFY2(again.err.contains("already published"), again.err.constData());
    // A failure ends non-zero with the reason.
    m_hub.addHfRepo(QStringLiteral("acme/ctl2"), kCommit, {HubFile::small(QStringLiteral("notes.md"), "n")});
    m_hub.corrupt(QStringLiteral("notes.md"), 2);
    const CtlRun failed = ctl({"pull", "https://huggingface.co/acme/ctl2/resolve/main/notes.md"});
    QCOMPARE(failed.code, 1);
    QVERIFY2(failed.err.contains("digest_mismatch"), failed.err.constData());
    const CtlRun usage = ctl({"pull"});
    QCOMPARE(usage.code, 2);
}

void TestPulls::disablingStopsRunningPull() {
    const HubFile weights = HubFile::generated(QStringLiteral("d.bin"), 8 * 1024 * 1024 + 3);
    m_hub.addHfRepo(QStringLiteral("acme/disable"), kCommit, {weights});
    m_hub.stallAfter(QStringLiteral("d.bin"), 1024 * 1024, 1);
    const QString id = startPull({{"source", "hf:acme/disable"}}).value("id").toString();
    QVERIFY(waitForBytes(id, 1024 * 1024));
    const CtlRun off = ctl({"disable"});
    QCOMPARE(off.code, 0);
    const QJsonObject stopped = waitForPull(id, {"stopped", "published", "failed"}, 1000);
    QCOMPARE(stopped.value("state").toString(), QStringLiteral("stopped"));
    QCOMPARE(stopped.value("error").toObject().value("code").toString(), QStringLiteral("disabled"));
    // Enabled again, it stays stopped until someone resumes it; then it finishes from where it was.
    QCOMPARE(ctl({"enable"}).code, 0);
    QTest::qWait(300);
    QCOMPARE(m_airlock->get("/v1/pulls/" + id.toLatin1()).json().value("state").toString(), QStringLiteral("stopped"));
    const CtlRun resumed = ctl({"pull", "resume", id});
    QVERIFY2(resumed.code == 0, resumed.err.constData());
    QVERIFY(QFileInfo::exists(hfPublished("acme/disable", kCommit) + "/d.bin"));
}

QTEST_GUILESS_MAIN(TestPulls)
#include "tst_pulls.moc"
