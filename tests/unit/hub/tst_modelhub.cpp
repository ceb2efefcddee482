#include "GeneratedBody.h"
#include "HttpTestClient.h"
#include "ModelHub.h"
#include "TestUpstream.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTest>
#include <QUrl>

#include <optional>

using namespace airlock;
using namespace airlock::test;

namespace {

const QString kC1 = QStringLiteral("1111111111111111111111111111111111111111");
const QString kC2 = QStringLiteral("2222222222222222222222222222222222222222");
constexpr qint64 kBigSize = 300'000;

// One exchange on a fresh TLS connection to the upstream, the way a downloader makes it: to
// 127.0.0.1 with the host name as SNI, certificate name and Host header.
struct Exchange {
    std::optional<Response> response; // nullopt: nothing complete arrived in time
    QByteArray pending;               // bytes received but not taken as a response
    bool closed = false;

    int status() const { return response ? response->status : 0; }
    QByteArray header(const QByteArray &name) const { return response ? response->header(name) : QByteArray(); }
    QByteArray body() const { return response ? response->body : QByteArray(); }
    QJsonDocument json() const { return QJsonDocument::fromJson(body()); }
};

Exchange exchange(TestUpstream &upstream, const QByteArray &url, const TestHeaders &headers = {},
                  const QByteArray &method = "GET", int timeoutMs = 5000) {
    Q_ASSERT(url.startsWith("https://"));
    const QByteArray rest = url.mid(8);
    const qsizetype slash = rest.indexOf('/');
    const QByteArray host = rest.left(slash);
    const QByteArray target = slash < 0 ? QByteArray("/") : rest.mid(slash);

    Exchange result;
    QSslSocket socket;
    socket.setSslConfiguration(upstream.clientConfiguration());
    QObject::connect(&socket, &QSslSocket::disconnected, &socket, [&result] { result.closed = true; });
    QObject::connect(&socket, &QSslSocket::errorOccurred, &socket, [&result](auto) { result.closed = true; });
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), upstream.port(), QString::fromLatin1(host));
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n";
    for (const auto &h : headers)
        request += h.first + ": " + h.second + "\r\n";
    socket.write(request + "\r\n");

    QByteArray buffer;
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        QTest::qWait(2);
        buffer += socket.readAll();
        result.response = takeResponse(buffer, result.closed, method == "HEAD");
        if (result.response || result.closed)
            break;
    }
    result.pending = buffer;
    QObject::disconnect(&socket, nullptr, nullptr, nullptr); // closing it now is not the peer's doing
    return result;
}

Exchange get(TestUpstream &upstream, const QByteArray &url, const TestHeaders &headers = {}) {
    return exchange(upstream, url, headers, "GET");
}

QByteArray sha256(const QByteArray &data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray gitBlobId(const QByteArray &data) {
    return QCryptographicHash::hash("blob " + QByteArray::number(data.size()) + '\0' + data, QCryptographicHash::Sha1)
        .toHex();
}

QByteArray unquoted(const QByteArray &value) {
    return value.size() >= 2 && value.startsWith('"') && value.endsWith('"') ? value.mid(1, value.size() - 2) : value;
}

bool isJson(const Exchange &e) {
    return e.header("Content-Type").startsWith("application/json");
}

} // namespace

// The Hugging Face hub and Ollama registry a downloader meets in tests: spoken to over real TLS,
// as the service will, and checked against what the real services answer.
class TestModelHub final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void hubFileDigests_data();
    void hubFileDigests();
    void revision_data();
    void revision();
    void treePagesFollowTheLinkHeader();
    void treeNotRecursive_data();
    void treeNotRecursive();
    void resolvePlainFile();
    void resolveLfsFileRedirectsToTheCdn();
    void cdnRefusesATamperedUrl();
    void omitLinkedEtag();
    void range_data();
    void range();
    void ollamaPullWithTokenChallenge();
    void ollamaUnknownNames();
    void rawTreeAndManifestServedVerbatim();
    void corruptOnce_data();
    void corruptOnce();
    void truncateOnce_data();
    void truncateOnce();
    void stallKeepsTheConnectionOpen();
    void faultsQueueInOrder();
    void otherRoutesFallThrough();

private:
    QByteArray bytesUrl(const QString &file);

    std::unique_ptr<TestUpstream> m_upstream;
    std::unique_ptr<ModelHub> m_hub;
    HubFile m_config;
    HubFile m_readme;
    HubFile m_weights;
    HubFile m_template;
    HubFile m_layer;
};

void TestModelHub::init() {
    m_upstream = std::make_unique<TestUpstream>();
    m_hub = std::make_unique<ModelHub>();
    m_config = HubFile::small(QStringLiteral("config.json"), "{\"model_type\":\"tiny\"}\n");
    m_readme = HubFile::small(QStringLiteral("docs/README.md"), "# tiny\n\nA model for tests.\n");
    m_weights = HubFile::generated(QStringLiteral("weights/model.safetensors"), kBigSize, true);
    // History: v1.0 is an older commit; main and a pull request ref point at the newer one.
    m_hub->addHfRepo(QStringLiteral("org/tiny"), kC1, {m_config}, {QStringLiteral("v1.0")});
    m_hub->addHfRepo(QStringLiteral("org/tiny"), kC2,
                     {m_config, m_readme, HubFile::small(QStringLiteral("docs/img/a.png"), "png"),
                      HubFile::small(QStringLiteral("tokenizer.json"), "{}", true), m_weights,
                      HubFile::small(QStringLiteral("zz.txt"), "last\n")},
                     {QStringLiteral("main"), QStringLiteral("refs/pr/1")});

    m_template = HubFile::blob("{{ .Prompt }}", "application/vnd.ollama.image.template");
    m_layer = HubFile::generatedBlob(kBigSize);
    m_hub->addOllamaModel(QStringLiteral("library"), QStringLiteral("tiny"), QStringLiteral("latest"),
                          HubFile::blob("{\"model_format\":\"gguf\"}"), {m_layer, m_template});
    m_upstream->setHandler(m_hub->handler());
    QVERIFY(m_upstream->start());
}

void TestModelHub::cleanup() {
    m_upstream.reset();
    m_hub.reset();
}

// Where a file's bytes are fetched: the resolve URL for a plain file, the CDN URL it redirects to
// for an LFS file, the storage URL for an Ollama blob.
QByteArray TestModelHub::bytesUrl(const QString &file) {
    if (file.startsWith(QLatin1String("sha256:"))) {
        const Exchange e =
            exchange(*m_upstream, "https://registry.ollama.ai/v2/library/tiny/blobs/" + file.toLatin1(), {}, "HEAD");
        return e.header("Location");
    }
    const QByteArray resolve = "https://huggingface.co/org/tiny/resolve/main/" + file.toUtf8();
    const Exchange e = exchange(*m_upstream, resolve, {}, "HEAD");
    return e.status() == 302 ? e.header("Location") : resolve;
}

void TestModelHub::hubFileDigests_data() {
    QTest::addColumn<HubFile>("file");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("sha256");
    QTest::addColumn<QByteArray>("gitOid");
    // Known answers: `printf 'hello\n' | sha256sum` and `git hash-object`.
    QTest::newRow("hello") << HubFile::small(QStringLiteral("a"), "hello\n") << QByteArray("hello\n")
                           << QByteArray("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
                           << QByteArray("ce013625030ba8dba906f756967f9e9ca394464a");
    QTest::newRow("empty") << HubFile::small(QStringLiteral("a"), QByteArray()) << QByteArray()
                           << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                           << QByteArray("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    const QByteArray generatedBytes = generated::slice(0, 200'000);
    QTest::newRow("generated, longer than one period")
        << HubFile::generated(QStringLiteral("g"), 200'000) << generatedBytes << sha256(generatedBytes)
        << gitBlobId(generatedBytes);
}

void TestModelHub::hubFileDigests() {
    QFETCH(HubFile, file);
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, sha256);
    QFETCH(QByteArray, gitOid);
    QCOMPARE(file.size(), bytes.size());
    QCOMPARE(file.bytes(), bytes);
    QCOMPARE(file.sha256Hex(), sha256);
    QCOMPARE(file.gitOidHex(), gitOid);
    const QByteArray pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256 + "\nsize " +
                               QByteArray::number(bytes.size()) + '\n';
    QCOMPARE(file.lfsPointer(), pointer);
    QCOMPARE(file.pointerOidHex(), gitBlobId(pointer));
}

void TestModelHub::revision_data() {
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("errorCode");
    QTest::addColumn<QString>("sha");
    QTest::addColumn<int>("siblings");
    QTest::newRow("branch") << QByteArray("/api/models/org/tiny/revision/main") << 200 << QByteArray() << kC2 << 6;
    QTest::newRow("tag") << QByteArray("/api/models/org/tiny/revision/v1.0") << 200 << QByteArray() << kC1 << 1;
    QTest::newRow("encoded ref") << QByteArray("/api/models/org/tiny/revision/refs%2Fpr%2F1") << 200 << QByteArray()
                                 << kC2 << 6;
    QTest::newRow("commit as itself") << "/api/models/org/tiny/revision/" + kC1.toLatin1() << 200 << QByteArray() << kC1
                                      << 1;
    QTest::newRow("no revision: main") << QByteArray("/api/models/org/tiny") << 200 << QByteArray() << kC2 << 6;
    QTest::newRow("unknown branch") << QByteArray("/api/models/org/tiny/revision/dev") << 404
                                    << QByteArray("RevisionNotFound") << QString() << 0;
    QTest::newRow("unknown commit") << QByteArray("/api/models/org/tiny/revision/") + QByteArray(40, 'a') << 404
                                    << QByteArray("RevisionNotFound") << QString() << 0;
    QTest::newRow("unknown repo") << QByteArray("/api/models/org/none/revision/main") << 401
                                  << QByteArray("RepoNotFound") << QString() << 0;
}

void TestModelHub::revision() {
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(QByteArray, errorCode);
    QFETCH(QString, sha);
    QFETCH(int, siblings);
    const Exchange e = get(*m_upstream, "https://huggingface.co" + target);
    QCOMPARE(e.status(), status);
    QVERIFY(isJson(e));
    QCOMPARE(e.header("X-Error-Code"), errorCode);
    const QJsonObject o = e.json().object();
    if (status != 200) {
        QVERIFY(!o.value(QLatin1String("error")).toString().isEmpty());
        return;
    }
    QCOMPARE(o.value(QLatin1String("id")).toString(), QStringLiteral("org/tiny"));
    QCOMPARE(o.value(QLatin1String("sha")).toString(), sha);
    QCOMPARE(o.value(QLatin1String("private")).toBool(true), false);
    const QJsonArray list = o.value(QLatin1String("siblings")).toArray();
    QCOMPARE(list.size(), siblings);
    QCOMPARE(list.first().toObject().value(QLatin1String("rfilename")).toString(), QStringLiteral("config.json"));
}

void TestModelHub::treePagesFollowTheLinkHeader() {
    m_hub->setTreePageSize(4);
    QByteArray url = "https://huggingface.co/api/models/org/tiny/tree/" + kC2.toLatin1() + "?recursive=true";
    QStringList paths;
    int pages = 0;
    while (!url.isEmpty() && pages < 10) {
        const Exchange e = get(*m_upstream, url);
        QCOMPARE(e.status(), 200);
        QVERIFY(isJson(e));
        const QJsonArray page = e.json().array();
        QVERIFY(!page.isEmpty());
        QVERIFY(page.size() <= 4);
        ++pages;
        for (const QJsonValue &v : page) {
            const QJsonObject entry = v.toObject();
            const QString path = entry.value(QLatin1String("path")).toString();
            paths.append(path);
            const QString type = entry.value(QLatin1String("type")).toString();
            const QByteArray oid = entry.value(QLatin1String("oid")).toString().toLatin1();
            QCOMPARE(oid.size(), 40);
            if (type == QLatin1String("directory")) {
                QCOMPARE(entry.value(QLatin1String("size")).toInteger(-1), 0);
                continue;
            }
            QCOMPARE(type, QStringLiteral("file"));
            if (path == m_weights.path) {
                const QJsonObject lfs = entry.value(QLatin1String("lfs")).toObject();
                QCOMPARE(lfs.value(QLatin1String("oid")).toString().toLatin1(), m_weights.sha256Hex());
                QCOMPARE(lfs.value(QLatin1String("size")).toInteger(), kBigSize);
                QCOMPARE(lfs.value(QLatin1String("pointerSize")).toInteger(), m_weights.lfsPointer().size());
                QCOMPARE(entry.value(QLatin1String("size")).toInteger(), kBigSize);
                QCOMPARE(oid, gitBlobId(m_weights.lfsPointer())); // git stores the pointer
            } else if (path == m_readme.path) {
                QVERIFY(!entry.contains(QLatin1String("lfs")));
                QCOMPARE(oid, gitBlobId(m_readme.content));
                QCOMPARE(entry.value(QLatin1String("size")).toInteger(), m_readme.content.size());
            }
        }
        const QByteArray link = e.header("Link");
        url.clear();
        if (!link.isEmpty()) {
            static const QRegularExpression next(QStringLiteral("^<(https://huggingface\\.co/api/models/org/tiny/tree/"
                                                                "[0-9a-f]{40}\\?recursive=true&cursor=[^>]+)>; "
                                                                "rel=\"next\"$"));
            const QRegularExpressionMatch m = next.match(QString::fromLatin1(link));
            QVERIFY2(m.hasMatch(), link.constData());
            url = m.captured(1).toLatin1();
        }
    }
    QCOMPARE(pages, 3);
    const QStringList expected{QStringLiteral("config.json"),    QStringLiteral("docs"),
                               QStringLiteral("docs/README.md"), QStringLiteral("docs/img"),
                               QStringLiteral("docs/img/a.png"), QStringLiteral("tokenizer.json"),
                               QStringLiteral("weights"),        QStringLiteral("weights/model.safetensors"),
                               QStringLiteral("zz.txt")};
    QCOMPARE(paths, expected);

    const Exchange bad =
        get(*m_upstream, "https://huggingface.co/api/models/org/tiny/tree/main?recursive=true&cursor=bm9wZQ==");
    QCOMPARE(bad.status(), 400);
}

void TestModelHub::treeNotRecursive_data() {
    QTest::addColumn<QByteArray>("folder");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("paths");
    QTest::newRow("root") << QByteArray() << 200
                          << QStringList{QStringLiteral("config.json"), QStringLiteral("docs"),
                                         QStringLiteral("tokenizer.json"), QStringLiteral("weights"),
                                         QStringLiteral("zz.txt")};
    QTest::newRow("folder") << QByteArray("/docs") << 200
                            << QStringList{QStringLiteral("docs/README.md"), QStringLiteral("docs/img")};
    QTest::newRow("nested") << QByteArray("/docs/img") << 200 << QStringList{QStringLiteral("docs/img/a.png")};
    QTest::newRow("missing") << QByteArray("/nope") << 404 << QStringList();
}

void TestModelHub::treeNotRecursive() {
    QFETCH(QByteArray, folder);
    QFETCH(int, status);
    QFETCH(QStringList, paths);
    const Exchange e =
        get(*m_upstream, "https://huggingface.co/api/models/org/tiny/tree/main" + folder + "?recursive=false");
    QCOMPARE(e.status(), status);
    QVERIFY(isJson(e));
    if (status != 200) {
        QCOMPARE(e.header("X-Error-Code"), QByteArray("EntryNotFound"));
        return;
    }
    QStringList got;
    for (const QJsonValue &v : e.json().array())
        got.append(v.toObject().value(QLatin1String("path")).toString());
    QCOMPARE(got, paths);
    QVERIFY(e.header("Link").isEmpty());
}

void TestModelHub::resolvePlainFile() {
    const QByteArray url = "https://huggingface.co/org/tiny/resolve/main/docs/README.md";
    const Exchange head = exchange(*m_upstream, url, {}, "HEAD");
    QCOMPARE(head.status(), 200);
    QCOMPARE(head.header("Content-Length"), QByteArray::number(m_readme.content.size()));
    QCOMPARE(m_hub->downloads(m_readme.path), 0); // a HEAD fetches no bytes

    const Exchange e = get(*m_upstream, url);
    QCOMPARE(e.status(), 200);
    QCOMPARE(e.body(), m_readme.content);
    QCOMPARE(unquoted(e.header("ETag")), gitBlobId(m_readme.content));
    QCOMPARE(e.header("X-Repo-Commit"), kC2.toLatin1());
    QVERIFY(e.header("X-Linked-Etag").isEmpty());
    QCOMPARE(m_hub->downloads(m_readme.path), 1);

    const Exchange old = get(*m_upstream, "https://huggingface.co/org/tiny/resolve/" + kC1.toLatin1() + "/config.json");
    QCOMPARE(old.status(), 200);
    QCOMPARE(old.header("X-Repo-Commit"), kC1.toLatin1());

    const Exchange missing = get(*m_upstream, "https://huggingface.co/org/tiny/resolve/v1.0/docs/README.md");
    QCOMPARE(missing.status(), 404);
    QCOMPARE(missing.header("X-Error-Code"), QByteArray("EntryNotFound"));
    const Exchange noRepo = get(*m_upstream, "https://huggingface.co/org/none/resolve/main/config.json");
    QCOMPARE(noRepo.status(), 401);
    QCOMPARE(noRepo.header("X-Error-Code"), QByteArray("RepoNotFound"));
}

void TestModelHub::resolveLfsFileRedirectsToTheCdn() {
    const Exchange e =
        get(*m_upstream, "https://huggingface.co/org/tiny/resolve/refs%2Fpr%2F1/weights/model.safetensors");
    QCOMPARE(e.status(), 302);
    QCOMPARE(unquoted(e.header("X-Linked-Etag")), m_weights.sha256Hex());
    QCOMPARE(e.header("X-Linked-Size"), QByteArray::number(kBigSize));
    QCOMPARE(e.header("X-Repo-Commit"), kC2.toLatin1());
    const QByteArray location = e.header("Location");
    QVERIFY2(location.startsWith("https://cdn-lfs.hf.co/repos/"), location.constData());
    QVERIFY(location.contains('/' + m_weights.sha256Hex() + '?'));
    QVERIFY(location.contains("&Expires=") && location.contains("&Signature="));
    QCOMPARE(m_hub->downloads(m_weights.path), 0);

    const Exchange cdn = get(*m_upstream, location);
    QCOMPARE(cdn.status(), 200);
    QCOMPARE(cdn.body().size(), kBigSize);
    QCOMPARE(sha256(cdn.body()), unquoted(e.header("X-Linked-Etag")));
    QCOMPARE(unquoted(cdn.header("ETag")), m_weights.sha256Hex());
    QCOMPARE(m_upstream->requests().last().sniHost, QStringLiteral("cdn-lfs.hf.co"));
    QCOMPARE(m_hub->downloads(m_weights.path), 1);
    QCOMPARE(m_hub->ranges(m_weights.path), QList<QByteArray>{QByteArray()});
}

void TestModelHub::cdnRefusesATamperedUrl() {
    QByteArray location = bytesUrl(m_weights.path);
    QVERIFY(!location.isEmpty());
    location.replace("Expires=", "Expires=1"); // a later expiry the signature does not cover
    const Exchange e = get(*m_upstream, location);
    QCOMPARE(e.status(), 403);
    QCOMPARE(m_hub->downloads(m_weights.path), 0);
}

void TestModelHub::omitLinkedEtag() {
    m_hub->setOmitLinkedEtag(true);
    const Exchange e =
        exchange(*m_upstream, "https://huggingface.co/org/tiny/resolve/main/weights/model.safetensors", {}, "HEAD");
    QCOMPARE(e.status(), 302);
    QVERIFY(e.header("X-Linked-Etag").isEmpty());
    QCOMPARE(e.header("X-Linked-Size"), QByteArray::number(kBigSize));
    QVERIFY(!e.header("Location").isEmpty());
}

void TestModelHub::range_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("range");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("length");
    const QString lfs = QStringLiteral("weights/model.safetensors");
    const QString plain = QStringLiteral("docs/README.md");
    QTest::newRow("lfs, open end") << lfs << QByteArray("bytes=100000-") << 206 << qint64(100'000)
                                   << qint64(kBigSize - 100'000);
    QTest::newRow("lfs, closed") << lfs << QByteArray("bytes=70000-70009") << 206 << qint64(70'000) << qint64(10);
    QTest::newRow("lfs, last byte") << lfs << "bytes=" + QByteArray::number(kBigSize - 1) + '-' << 206 << kBigSize - 1
                                    << qint64(1);
    QTest::newRow("lfs, past the end") << lfs << "bytes=" + QByteArray::number(kBigSize) + '-' << 416 << qint64(0)
                                       << qint64(0);
    QTest::newRow("plain, closed") << plain << QByteArray("bytes=2-5") << 206 << qint64(2) << qint64(4);
    QTest::newRow("plain, past the end") << plain << QByteArray("bytes=1000-") << 416 << qint64(0) << qint64(0);
    QTest::newRow("ollama blob") << QStringLiteral("sha256:") +
                                        QString::fromLatin1(HubFile::generatedBlob(kBigSize).sha256Hex())
                                 << QByteArray("bytes=65000-66000") << 206 << qint64(65'000) << qint64(1001);
}

void TestModelHub::range() {
    QFETCH(QString, file);
    QFETCH(QByteArray, range);
    QFETCH(int, status);
    QFETCH(qint64, first);
    QFETCH(qint64, length);
    const QByteArray url = bytesUrl(file);
    QVERIFY(!url.isEmpty());
    const Exchange e = get(*m_upstream, url, {{"Range", range}});
    QCOMPARE(e.status(), status);
    const HubFile whole = file == m_readme.path ? m_readme : m_weights; // the blob has the same bytes as m_weights
    const qint64 size = whole.size();
    if (status == 416) {
        QCOMPARE(e.header("Content-Range"), "bytes */" + QByteArray::number(size));
    } else {
        QCOMPARE(e.header("Content-Range"), "bytes " + QByteArray::number(first) + '-' +
                                                QByteArray::number(first + length - 1) + '/' +
                                                QByteArray::number(size));
        QCOMPARE(e.body(), whole.bytes(first, length));
    }
    QCOMPARE(m_hub->ranges(file), QList<QByteArray>{range});
}

void TestModelHub::ollamaPullWithTokenChallenge() {
    m_hub->setRequireToken(true);
    const QByteArray manifestUrl = "https://registry.ollama.ai/v2/library/tiny/manifests/latest";
    const TestHeaders accept{{"Accept", "application/vnd.docker.distribution.manifest.v2+json"}};
    const Exchange challenge = get(*m_upstream, manifestUrl, accept);
    QCOMPARE(challenge.status(), 401);
    QVERIFY(isJson(challenge));
    QCOMPARE(challenge.json()["errors"][0]["code"].toString(), QStringLiteral("UNAUTHORIZED"));
    const QByteArray www = challenge.header("WWW-Authenticate");
    QCOMPARE(www, QByteArray("Bearer realm=\"https://registry.ollama.ai/v2/token\",service=\"registry.ollama.ai\","
                             "scope=\"repository:library/tiny:pull\""));

    const auto tokenFor = [&](const QByteArray &scope) {
        const Exchange t = get(*m_upstream, "https://registry.ollama.ai/v2/token?service=registry.ollama.ai&scope=" +
                                                QUrl::toPercentEncoding(QString::fromLatin1(scope)));
        return t.status() == 200 && isJson(t) ? t.json()["token"].toString().toLatin1() : QByteArray();
    };
    const QByteArray token = tokenFor("repository:library/tiny:pull");
    QVERIFY(QRegularExpression(QStringLiteral("^tk-[A-Za-z0-9]{24}$")).match(QString::fromLatin1(token)).hasMatch());
    const TestHeaders authorized = accept + TestHeaders{{"Authorization", "Bearer " + token}};

    const Exchange manifest = get(*m_upstream, manifestUrl, authorized);
    QCOMPARE(manifest.status(), 200);
    QCOMPARE(manifest.header("Content-Type"), QByteArray("application/vnd.docker.distribution.manifest.v2+json"));
    QCOMPARE(manifest.header("Docker-Content-Digest"), "sha256:" + sha256(manifest.body()));
    QCOMPARE(manifest.body(),
             m_hub->manifest(QStringLiteral("library"), QStringLiteral("tiny"), QStringLiteral("latest")));
    const QJsonObject m = manifest.json().object();
    QCOMPARE(m.value(QLatin1String("schemaVersion")).toInt(), 2);
    QCOMPARE(m["config"]["mediaType"].toString(), QStringLiteral("application/vnd.docker.container.image.v1+json"));
    const QJsonArray layers = m.value(QLatin1String("layers")).toArray();
    QCOMPARE(layers.size(), 2);
    QCOMPARE(layers[0]["mediaType"].toString(), QStringLiteral("application/vnd.ollama.image.model"));
    QCOMPARE(layers[0]["digest"].toString().toLatin1(), "sha256:" + m_layer.sha256Hex());
    QCOMPARE(layers[0]["size"].toInteger(), kBigSize);
    QCOMPARE(layers[1]["mediaType"].toString(), QStringLiteral("application/vnd.ollama.image.template"));

    const Exchange head = exchange(*m_upstream, manifestUrl, authorized, "HEAD");
    QCOMPARE(head.status(), 200);
    QCOMPARE(head.header("Docker-Content-Digest"), manifest.header("Docker-Content-Digest"));
    const Exchange byDigest = get(
        *m_upstream, "https://registry.ollama.ai/v2/library/tiny/manifests/" + manifest.header("Docker-Content-Digest"),
        authorized);
    QCOMPARE(byDigest.body(), manifest.body());

    const QByteArray digest = layers[0]["digest"].toString().toLatin1();
    const QByteArray blobUrl = "https://registry.ollama.ai/v2/library/tiny/blobs/" + digest;
    QCOMPARE(get(*m_upstream, blobUrl).status(), 401);
    const Exchange redirect = get(*m_upstream, blobUrl, {{"Authorization", "Bearer " + token}});
    QCOMPARE(redirect.status(), 307);
    const QByteArray location = redirect.header("Location");
    QVERIFY2(location.startsWith("https://blobs.r2.cloudflarestorage.com/ollama/docker/registry/v2/blobs/sha256/" +
                                 m_layer.sha256Hex().left(2) + '/' + m_layer.sha256Hex() + "/data?"),
             location.constData());
    QVERIFY(location.contains("X-Amz-Signature="));

    // The storage needs no token and refuses one, as S3 refuses two kinds of authentication.
    const Exchange withToken = get(*m_upstream, location, {{"Authorization", "Bearer " + token}});
    QCOMPARE(withToken.status(), 400);
    const Exchange blob = get(*m_upstream, location);
    QCOMPARE(blob.status(), 200);
    QCOMPARE("sha256:" + sha256(blob.body()), digest);
    QCOMPARE(m_hub->downloads(QString::fromLatin1(digest)), 1);

    // A token is good for the repository it was issued for only.
    const QByteArray other = tokenFor("repository:library/other:pull");
    QVERIFY(!other.isEmpty());
    QCOMPARE(get(*m_upstream, manifestUrl, {{"Authorization", "Bearer " + other}}).status(), 401);
    QCOMPARE(m_hub->tokensIssued(), 2);
}

void TestModelHub::ollamaUnknownNames() {
    const Exchange manifest = get(*m_upstream, "https://registry.ollama.ai/v2/library/none/manifests/latest");
    QCOMPARE(manifest.status(), 404);
    QVERIFY(isJson(manifest));
    QCOMPARE(manifest.json()["errors"][0]["code"].toString(), QStringLiteral("MANIFEST_UNKNOWN"));
    const Exchange tag = get(*m_upstream, "https://registry.ollama.ai/v2/library/tiny/manifests/7b");
    QCOMPARE(tag.status(), 404);
    const Exchange blob =
        get(*m_upstream, "https://registry.ollama.ai/v2/library/tiny/blobs/sha256:" + QByteArray(64, 'a'));
    QCOMPARE(blob.status(), 404);
    QCOMPARE(blob.json()["errors"][0]["code"].toString(), QStringLiteral("BLOB_UNKNOWN"));
    // A blob of another model is not this model's.
    m_hub->addOllamaModel(QStringLiteral("library"), QStringLiteral("other"), QStringLiteral("latest"),
                          HubFile::blob("{}"), {HubFile::blob("other weights")});
    const QByteArray foreign = "sha256:" + HubFile::blob("other weights").sha256Hex();
    QCOMPARE(get(*m_upstream, "https://registry.ollama.ai/v2/library/tiny/blobs/" + foreign).status(), 404);
    QCOMPARE(get(*m_upstream, "https://registry.ollama.ai/v2/library/other/blobs/" + foreign).status(), 307);
}

void TestModelHub::rawTreeAndManifestServedVerbatim() {
    const QByteArray tree = R"([{"type":"file","oid":"x","size":-1,"path":"../../etc/passwd"}])";
    m_hub->setRawTree(QStringLiteral("org/tiny"), tree);
    const Exchange t = get(*m_upstream, "https://huggingface.co/api/models/org/tiny/tree/main?recursive=true");
    QCOMPARE(t.status(), 200);
    QVERIFY(isJson(t));
    QCOMPARE(t.body(), tree);

    const QByteArray manifest = R"({"schemaVersion":2,"layers":[{"digest":"sha256:../x","size":1}]})";
    m_hub->setRawManifest(QStringLiteral("library"), QStringLiteral("evil"), QStringLiteral("latest"), manifest);
    const Exchange m = get(*m_upstream, "https://registry.ollama.ai/v2/library/evil/manifests/latest");
    QCOMPARE(m.status(), 200);
    QCOMPARE(m.body(), manifest);
    QCOMPARE(m.header("Docker-Content-Digest"), "sha256:" + sha256(manifest));
}

void TestModelHub::corruptOnce_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("plain file") << QStringLiteral("docs/README.md");
    QTest::newRow("lfs file") << QStringLiteral("weights/model.safetensors");
    QTest::newRow("ollama blob") << QStringLiteral("sha256:") +
                                        QString::fromLatin1(HubFile::blob("{{ .Prompt }}").sha256Hex());
}

void TestModelHub::corruptOnce() {
    QFETCH(QString, file);
    const QByteArray url = bytesUrl(file);
    QVERIFY(!url.isEmpty());
    const Exchange clean = get(*m_upstream, url);
    QCOMPARE(clean.status(), 200);
    const QByteArray expected = clean.body();
    QVERIFY(!expected.isEmpty());

    m_hub->corrupt(file);
    const Exchange bad = get(*m_upstream, url);
    QCOMPARE(bad.status(), 200);
    QVERIFY(bad.response->complete);
    QCOMPARE(bad.body().size(), expected.size());
    qsizetype differing = 0;
    for (qsizetype i = 0; i < expected.size(); ++i)
        differing += bad.body()[i] != expected[i] ? 1 : 0;
    QCOMPARE(differing, 1);
    QVERIFY(bad.body()[expected.size() / 2] != expected[expected.size() / 2]);

    const Exchange again = get(*m_upstream, url);
    QCOMPARE(again.body(), expected);
    QCOMPARE(m_hub->downloads(file), 3);
}

void TestModelHub::truncateOnce_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("range");
    QTest::newRow("plain file") << QStringLiteral("docs/README.md") << QByteArray();
    QTest::newRow("lfs file") << QStringLiteral("weights/model.safetensors") << QByteArray();
    QTest::newRow("lfs file, ranged") << QStringLiteral("weights/model.safetensors") << QByteArray("bytes=100000-");
}

void TestModelHub::truncateOnce() {
    QFETCH(QString, file);
    QFETCH(QByteArray, range);
    const QByteArray url = bytesUrl(file);
    const TestHeaders headers = range.isEmpty() ? TestHeaders() : TestHeaders{{"Range", range}};
    m_hub->truncate(file);
    const Exchange cut = get(*m_upstream, url, headers);
    QVERIFY(cut.response);
    QCOMPARE(cut.status(), range.isEmpty() ? 200 : 206);
    QVERIFY(!cut.response->complete); // the peer sees the framing broken, not a clean end
    QVERIFY(cut.closed);
    const qint64 length = cut.header("Content-Length").toLongLong();
    QVERIFY(length > 1);
    QCOMPARE(cut.body().size(), length / 2);

    const Exchange whole = get(*m_upstream, url, headers);
    QVERIFY(whole.response && whole.response->complete);
    QCOMPARE(whole.body().size(), length);
    QCOMPARE(cut.body(), whole.body().left(length / 2));
}

void TestModelHub::stallKeepsTheConnectionOpen() {
    const QString file = m_weights.path;
    const QByteArray url = bytesUrl(file);
    m_hub->stallAfter(file, 1000);
    const Exchange stalled = exchange(*m_upstream, url, {}, "GET", 400);
    QVERIFY(!stalled.response); // no complete answer in time
    QVERIFY(!stalled.closed);
    const qsizetype headEnd = stalled.pending.indexOf("\r\n\r\n");
    QVERIFY(headEnd > 0);
    QCOMPARE(stalled.pending.size() - headEnd - 4, 1000);

    const Exchange next = get(*m_upstream, url);
    QVERIFY(next.response && next.response->complete);
    QCOMPARE(next.body().size(), kBigSize);
}

void TestModelHub::faultsQueueInOrder() {
    const QString file = m_readme.path;
    const QByteArray url = bytesUrl(file);
    m_hub->corrupt(file, 2);
    m_hub->truncate(file);
    const Exchange first = get(*m_upstream, url);
    const Exchange second = get(*m_upstream, url);
    const Exchange third = get(*m_upstream, url);
    const Exchange fourth = get(*m_upstream, url);
    QVERIFY(first.response && second.response && third.response && fourth.response);
    QCOMPARE(first.body().size(), m_readme.content.size());
    QVERIFY(first.body() != m_readme.content);
    QVERIFY(second.body() != m_readme.content);
    QVERIFY(second.response->complete);
    QVERIFY(!third.response->complete);
    QCOMPARE(fourth.body(), m_readme.content);
    QCOMPARE(m_hub->downloads(file), 4);
}

void TestModelHub::otherRoutesFallThrough() {
    const Exchange e = get(*m_upstream, "https://huggingface.co/bytes/10");
    QCOMPARE(e.status(), 200);
    QCOMPARE(e.body(), generated::slice(0, 10));
    QCOMPARE(get(*m_upstream, "https://evil.example/api/models/org/tiny").status(), 404);
}

QTEST_GUILESS_MAIN(TestModelHub)
#include "tst_modelhub.moc"
