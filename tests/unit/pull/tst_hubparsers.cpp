#include "pull/HubParsers.h"

#include <QTest>

using namespace airlock;

Q_DECLARE_METATYPE(airlock::HubError::Kind)

// What Hugging Face and the Ollama registry answer is hostile input: these tables pin what each
// parser takes, and that everything else is refused with the right kind of error.
class TestHubParsers final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void safeRelativePath_data();
    void safeRelativePath();
    void hfRevision_data();
    void hfRevision();
    void hfTreePage_data();
    void hfTreePage();
    void hfTreePageFields();
    void hfTreePagesAccumulate();
    void hfTree_data();
    void hfTree();
    void nextPageLink_data();
    void nextPageLink();
    void nextPageLinkAcrossFields();
    void ollamaManifest_data();
    void ollamaManifest();
    void ollamaManifestFields();
    void bearerChallenge_data();
    void bearerChallenge();
    void registryToken_data();
    void registryToken();
};

namespace {

const QByteArray kOid = "0123456789abcdef0123456789abcdef01234567";
const QByteArray kSha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

QString repeated(const QString &s, int n, const QString &separator = QString()) {
    return QStringList(n, s).join(separator);
}

QByteArray jsonString(const QString &s) {
    QByteArray out = "\"";
    for (const QChar c : s) {
        if (c.unicode() < 0x20 || c.unicode() >= 0x7f || c == u'"' || c == u'\\')
            out += "\\u" + QByteArray::number(c.unicode(), 16).rightJustified(4, '0');
        else
            out += char(c.unicode());
    }
    return out + "\"";
}

using Members = QMap<QByteArray, QByteArray>;

// One tree entry of a good file, with members changed, added or (a null value) removed.
QByteArray treeFile(const QString &path, const Members &changes = {}) {
    Members members{{"type", "\"file\""}, {"oid", "\"" + kOid + "\""}, {"size", "10"}, {"path", jsonString(path)}};
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        if (it.value().isNull())
            members.remove(it.key());
        else
            members.insert(it.key(), it.value());
    }
    QByteArrayList out;
    for (auto it = members.begin(); it != members.end(); ++it)
        out.append("\"" + it.key() + "\":" + it.value());
    return "{" + out.join(',') + "}";
}

QByteArray lfs(const QByteArray &members) {
    return "{\"type\":\"file\",\"oid\":\"" + kOid + "\",\"size\":10,\"path\":\"m.bin\",\"lfs\":{" + members + "}}";
}

QByteArray blob(const QByteArray &mediaType, const QByteArray &digest, const QByteArray &size) {
    return "{\"mediaType\":" + mediaType + ",\"digest\":" + digest + ",\"size\":" + size + "}";
}

QByteArray goodBlob(const QByteArray &kind) {
    return blob("\"application/vnd.ollama.image." + kind + "\"", "\"sha256:" + kSha256 + "\"", "123");
}

QByteArray manifest(const QByteArray &config, const QByteArray &layers,
                    const QByteArray &head = "\"schemaVersion\":2,"
                                             "\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\"") {
    QByteArray out = "{" + head;
    if (!config.isNull())
        out += ",\"config\":" + config;
    if (!layers.isNull())
        out += ",\"layers\":" + layers;
    return out + "}";
}

const QByteArray kThreeLayers = "[" + goodBlob("model") + "," + goodBlob("template") + "," + goodBlob("params") + "]";

} // namespace

void TestHubParsers::safeRelativePath_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("why"); // empty: safe
    QTest::newRow("file") << "model.safetensors"
                          << "";
    QTest::newRow("folders") << "sub/dir/config.json"
                             << "";
    QTest::newRow("dot file") << ".gitattributes"
                              << "";
    QTest::newRow("dots inside names") << "..hidden/a..b/c."
                                       << "";
    QTest::newRow("UTF-8") << QString::fromUtf8("caf\xc3\xa9/\xf0\x9f\x98\x80.txt") << "";
    QTest::newRow("longest segment") << repeated("a", 255) << "";
    QTest::newRow("longest segment in UTF-8 bytes") << repeated(QString::fromUtf8("\xc3\xa9"), 127) + "a"
                                                    << "";
    QTest::newRow("deepest") << repeated("a", 32, "/") << "";
    QTest::newRow("longest path") << repeated(repeated("a", 204), 5, "/") << "";
    QTest::newRow("empty") << ""
                           << "empty";
    QTest::newRow("dot dot") << ".."
                             << "'.' or '..'";
    QTest::newRow("dot dot inside") << "a/../b"
                                    << "'.' or '..'";
    QTest::newRow("dot") << "a/./b"
                         << "'.' or '..'";
    QTest::newRow("absolute") << "/etc/passwd"
                              << "absolute";
    QTest::newRow("backslash") << "a\\b"
                               << "backslash";
    QTest::newRow("windows parent") << "..\\..\\x"
                                    << "backslash";
    QTest::newRow("NUL") << QString::fromLatin1("a\0b", 3) << "control";
    QTest::newRow("newline") << "a\nb"
                             << "control";
    QTest::newRow("escape") << "a\x1b[31mb"
                            << "control";
    QTest::newRow("DEL") << "a\x7f"
                         << "control";
    QTest::newRow("C1 next line") << QStringView(u"a\u0085b").toString() << "control";
    QTest::newRow("C1 CSI") << QStringView(u"a\u009bb").toString() << "control";
    QTest::newRow("lone high surrogate") << QString(u'a') + QChar(0xd800) + u'b' << "not valid Unicode";
    QTest::newRow("lone low surrogate") << QString(QChar(0xdc00)) << "not valid Unicode";
    QTest::newRow("empty segment") << "a//b"
                                   << "empty segment";
    QTest::newRow("trailing slash") << "a/"
                                    << "empty segment";
    QTest::newRow("segment too long") << repeated("a", 256) << "longer than 255 bytes";
    QTest::newRow("segment too long in UTF-8 bytes")
        << repeated(QString::fromUtf8("\xc3\xa9"), 128) << "longer than 255 bytes";
    QTest::newRow("too deep") << repeated("a", 33, "/") << "deeper than 32";
    QTest::newRow("path too long") << repeated(repeated("a", 204), 4, "/") + "/" + repeated("a", 205)
                                   << "longer than 1024 bytes";
}

void TestHubParsers::safeRelativePath() {
    QFETCH(QString, path);
    QFETCH(QString, why);
    QString reason;
    QCOMPARE(isSafeRelativePath(path, PlanLimits{}, &reason), why.isEmpty());
    if (!why.isEmpty())
        QVERIFY2(reason.contains(why), qPrintable(reason));
}

void TestHubParsers::hfRevision_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("sha"); // empty: refused as bad_manifest
    QTest::newRow("good") << "{\"id\":\"org/repo\",\"sha\":\"" + kOid + "\"}" << QString(kOid);
    QTest::newRow("extra fields") << "{\"id\":\"o/r\",\"sha\":\"" + kOid + "\",\"siblings\":[],\"private\":false}"
                                  << QString(kOid);
    QTest::newRow("upper case is lower-cased") << "{\"sha\":\"" + kOid.toUpper() + "\"}" << QString(kOid);
    QTest::newRow("short") << "{\"sha\":\"" + kOid.chopped(1) + "\"}"
                           << "";
    QTest::newRow("long") << "{\"sha\":\"" + kOid + "0\"}"
                          << "";
    QTest::newRow("sha256 length") << "{\"sha\":\"" + kSha256 + "\"}"
                                   << "";
    QTest::newRow("not hex") << "{\"sha\":\"" + kOid.chopped(1) + "g\"}"
                             << "";
    QTest::newRow("number") << QByteArray("{\"sha\":12345}") << "";
    QTest::newRow("missing") << QByteArray("{\"id\":\"o/r\"}") << "";
    QTest::newRow("id not a string") << "{\"id\":5,\"sha\":\"" + kOid + "\"}"
                                     << "";
    QTest::newRow("array") << "[\"" + kOid + "\"]"
                           << "";
    QTest::newRow("not JSON") << QByteArray("sha=" + kOid) << "";
    QTest::newRow("empty") << QByteArray() << "";
}

void TestHubParsers::hfRevision() {
    QFETCH(QByteArray, json);
    QFETCH(QString, sha);
    HubError error;
    const std::optional<QString> got = parseHfRevision(json, &error);
    QCOMPARE(got.value_or(QString()), sha);
    if (sha.isEmpty()) {
        QCOMPARE(error.kind, HubError::Kind::BadManifest);
        QVERIFY(!error.message.isEmpty());
    }
}

void TestHubParsers::hfTreePage_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("maxFiles");
    QTest::addColumn<int>("files"); // -1: refused
    QTest::addColumn<HubError::Kind>("kind");
    const auto bad = HubError::Kind::BadManifest;
    const auto unsafe = HubError::Kind::UnsafePath;
    const QByteArray lfsGood = "\"oid\":\"" + kSha256 + "\",\"size\":10,\"pointerSize\":134";

    QTest::newRow("empty page") << QByteArray("[]") << 10'000 << 0 << bad;
    QTest::newRow("files and folders") << "[" + treeFile("a.json") + ",{\"type\":\"directory\",\"oid\":\"" + kOid +
                                              "\",\"size\":0,\"path\":\"sub\"}," + treeFile("sub/b.bin") + "," +
                                              lfs(lfsGood) + "]"
                                       << 10'000 << 3 << bad;
    QTest::newRow("unknown fields ignored")
        << "[" + treeFile("a", {{"xetHash", "\"x\""}, {"lastCommit", "{}"}}) + "]" << 10'000 << 1 << bad;
    QTest::newRow("integral double size") << "[" + treeFile("a", {{"size", "1.0"}}) + "]" << 10'000 << 1 << bad;
    QTest::newRow("largest size") << "[" + treeFile("a", {{"size", "1125899906842624"}}) + "]" << 10'000 << 1 << bad;
    QTest::newRow("as many files as allowed") << "[" + treeFile("a") + "," + treeFile("b") + "]" << 2 << 2 << bad;

    QTest::newRow("not JSON") << QByteArray("[{") << 10'000 << -1 << bad;
    QTest::newRow("object") << QByteArray("{\"files\":[]}") << 10'000 << -1 << bad;
    QTest::newRow("entry not an object") << QByteArray("[\"a\"]") << 10'000 << -1 << bad;
    QTest::newRow("submodule") << "[{\"type\":\"submodule\",\"oid\":\"" + kOid + "\",\"size\":0,\"path\":\"x\"}]"
                               << 10'000 << -1 << bad;
    QTest::newRow("no type") << "[" + treeFile("a", {{"type", QByteArray()}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("type not a string") << "[" + treeFile("a", {{"type", "1"}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("no path") << "[" + treeFile("a", {{"path", QByteArray()}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("path not a string") << "[" + treeFile("a", {{"path", "[\"a\"]"}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("too many files") << "[" + treeFile("a") + "," + treeFile("b") + "," + treeFile("c") + "]" << 2 << -1
                                    << bad;

    QTest::newRow("dot dot") << "[" + treeFile("../x") + "]" << 10'000 << -1 << unsafe;
    QTest::newRow("absolute") << "[" + treeFile("/etc/x") + "]" << 10'000 << -1 << unsafe;
    QTest::newRow("backslash") << "[" + treeFile("a\\b") + "]" << 10'000 << -1 << unsafe;
    QTest::newRow("NUL") << "[" + treeFile(QString::fromLatin1("a\0b", 3)) + "]" << 10'000 << -1 << unsafe;
    QTest::newRow("control") << "[" + treeFile("a\x01") + "]" << 10'000 << -1 << unsafe;
    QTest::newRow("DEL") << "[" + treeFile("a\x7f") + "]" << 10'000 << -1 << unsafe;
    QTest::newRow("C1") << "[" + treeFile(QStringView(u"a\u0085").toString()) + "]" << 10'000 << -1 << unsafe;
    QTest::newRow("segment too long") << "[" + treeFile(repeated("a", 256)) + "]" << 10'000 << -1 << unsafe;
    QTest::newRow("path too long") << "[" + treeFile(repeated(repeated("a", 250), 5, "/")) + "]" << 10'000 << -1
                                   << unsafe;
    QTest::newRow("too deep") << "[" + treeFile(repeated("a", 33, "/")) + "]" << 10'000 << -1 << unsafe;
    QTest::newRow("unsafe folder") << "[{\"type\":\"directory\",\"oid\":\"" + kOid +
                                          "\",\"size\":0,\"path\":\"../etc\"}]"
                                   << 10'000 << -1 << unsafe;

    QTest::newRow("oid short") << "[" + treeFile("a", {{"oid", "\"" + kOid.chopped(1) + "\""}}) + "]" << 10'000 << -1
                               << bad;
    QTest::newRow("oid not hex") << "[" + treeFile("a", {{"oid", "\"" + kOid.chopped(1) + "z\""}}) + "]" << 10'000 << -1
                                 << bad;
    QTest::newRow("oid missing") << "[" + treeFile("a", {{"oid", QByteArray()}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("size negative") << "[" + treeFile("a", {{"size", "-1"}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("size fractional") << "[" + treeFile("a", {{"size", "1.5"}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("size string") << "[" + treeFile("a", {{"size", "\"10\""}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("size null") << "[" + treeFile("a", {{"size", "null"}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("size above 2^50") << "[" + treeFile("a", {{"size", "1125899906842625"}}) + "]" << 10'000 << -1
                                     << bad;
    QTest::newRow("size huge") << "[" + treeFile("a", {{"size", "1e300"}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("size missing") << "[" + treeFile("a", {{"size", QByteArray()}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("lfs not an object") << "[" + treeFile("a", {{"lfs", "true"}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("lfs null") << "[" + treeFile("a", {{"lfs", "null"}}) + "]" << 10'000 << -1 << bad;
    QTest::newRow("lfs oid short") << "[" + lfs("\"oid\":\"" + kSha256.chopped(1) + "\",\"size\":10") + "]" << 10'000
                                   << -1 << bad;
    QTest::newRow("lfs oid is a sha1") << "[" + lfs("\"oid\":\"" + kOid + "\",\"size\":10") + "]" << 10'000 << -1
                                       << bad;
    QTest::newRow("lfs oid missing") << "[" + lfs("\"size\":10") + "]" << 10'000 << -1 << bad;
    QTest::newRow("lfs size mismatch") << "[" + lfs("\"oid\":\"" + kSha256 + "\",\"size\":11") + "]" << 10'000 << -1
                                       << bad;
    QTest::newRow("lfs size string") << "[" + lfs("\"oid\":\"" + kSha256 + "\",\"size\":\"10\"") + "]" << 10'000 << -1
                                     << bad;
    QTest::newRow("lfs pointer size string")
        << "[" + lfs("\"oid\":\"" + kSha256 + "\",\"size\":10,\"pointerSize\":\"134\"") + "]" << 10'000 << -1 << bad;
}

void TestHubParsers::hfTreePage() {
    QFETCH(QByteArray, json);
    QFETCH(int, maxFiles);
    QFETCH(int, files);
    QFETCH(HubError::Kind, kind);
    PlanLimits limits;
    limits.maxFiles = maxFiles;
    QList<HfTreeFile> out;
    HubError error;
    const bool ok = parseHfTreePage(json, limits, &out, &error);
    QVERIFY2(ok == (files >= 0), qPrintable(error.message));
    if (ok) {
        QCOMPARE(out.size(), files);
    } else {
        QCOMPARE(error.kind, kind);
        QVERIFY(!error.message.isEmpty());
        QVERIFY(out.isEmpty()); // nothing of a refused page is kept
    }
}

void TestHubParsers::hfTreePageFields() {
    const QByteArray json = "[" + treeFile("config.json", {{"oid", "\"" + kOid.toUpper() + "\""}, {"size", "1e3"}}) +
                            ",{\"type\":\"file\",\"oid\":\"" + kOid + "\",\"size\":4971440032,\"path\":\"m.bin\"," +
                            "\"lfs\":{\"oid\":\"" + kSha256.toUpper() + "\",\"size\":4971440032,\"pointerSize\":135}}]";
    QList<HfTreeFile> files;
    HubError error;
    QVERIFY2(parseHfTreePage(json, PlanLimits{}, &files, &error), qPrintable(error.message));
    QCOMPARE(files.size(), 2);
    QCOMPARE(files[0].path, QStringLiteral("config.json"));
    QCOMPARE(files[0].size, 1000);
    QCOMPARE(files[0].gitOid, kOid);
    QVERIFY(files[0].lfsSha256.isEmpty());
    QCOMPARE(files[0].lfsSize, -1);
    QCOMPARE(files[1].path, QStringLiteral("m.bin"));
    QCOMPARE(files[1].size, Q_INT64_C(4971440032));
    QCOMPARE(files[1].gitOid, kOid);
    QCOMPARE(files[1].lfsSha256, kSha256);
    QCOMPARE(files[1].lfsSize, Q_INT64_C(4971440032));
}

void TestHubParsers::hfTreePagesAccumulate() {
    PlanLimits limits;
    limits.maxFiles = 3;
    QList<HfTreeFile> files;
    HubError error;
    QVERIFY(parseHfTreePage("[" + treeFile("a") + "," + treeFile("b") + "]", limits, &files, &error));
    QVERIFY(parseHfTreePage("[" + treeFile("c") + "]", limits, &files, &error));
    QCOMPARE(files.size(), 3);
    QCOMPARE(files[2].path, QStringLiteral("c"));
    // The limit counts every page.
    QVERIFY(!parseHfTreePage("[" + treeFile("d") + "]", limits, &files, &error));
    QCOMPARE(error.kind, HubError::Kind::BadManifest);
    QCOMPARE(files.size(), 3);
}

void TestHubParsers::hfTree_data() {
    QTest::addColumn<QStringList>("paths");
    QTest::addColumn<int>("maxFiles");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<HubError::Kind>("kind");
    const auto bad = HubError::Kind::BadManifest;
    const auto unsafe = HubError::Kind::UnsafePath;
    QTest::newRow("distinct") << QStringList{"a.json", "sub/b.json", "sub/c/d.bin", "ab", "sub2/x"} << 10'000 << true
                              << bad;
    QTest::newRow("empty") << QStringList() << 10'000 << true << bad;
    QTest::newRow("prefix without slash is no folder") << QStringList{"a", "ab/c"} << 10'000 << true << bad;
    QTest::newRow("as many files as allowed") << QStringList{"a", "b"} << 2 << true << bad;
    QTest::newRow("too many files") << QStringList{"a", "b", "c"} << 2 << false << bad;
    QTest::newRow("duplicate") << QStringList{"a.json", "b", "a.json"} << 10'000 << false << bad;
    QTest::newRow("case duplicate") << QStringList{"Model.bin", "model.bin"} << 10'000 << false << unsafe;
    QTest::newRow("case duplicate folder") << QStringList{"Sub/x", "sub/x"} << 10'000 << false << unsafe;
    QTest::newRow("non-ASCII case duplicate")
        << QStringList{QString::fromUtf8("\xc3\x89.txt"), QString::fromUtf8("\xc3\xa9.txt")} << 10'000 << false
        << unsafe;
    QTest::newRow("normalization duplicate")
        << QStringList{QString::fromUtf8("e\xcc\x81.txt"), QString::fromUtf8("\xc3\xa9.txt")} << 10'000 << false
        << unsafe;
    QTest::newRow("file and folder") << QStringList{"a", "a/b"} << 10'000 << false << unsafe;
    QTest::newRow("folder and file") << QStringList{"a/b/c", "a/b"} << 10'000 << false << unsafe;
    QTest::newRow("file and folder by case") << QStringList{"A", "a/b"} << 10'000 << false << unsafe;
    QTest::newRow("unsafe path") << QStringList{"ok", "../x"} << 10'000 << false << unsafe;
}

void TestHubParsers::hfTree() {
    QFETCH(QStringList, paths);
    QFETCH(int, maxFiles);
    QFETCH(bool, ok);
    QFETCH(HubError::Kind, kind);
    PlanLimits limits;
    limits.maxFiles = maxFiles;
    QList<HfTreeFile> files;
    for (const QString &path : paths) {
        HfTreeFile file;
        file.path = path;
        file.gitOid = kOid;
        files.append(file);
    }
    HubError error;
    QCOMPARE(checkHfTree(files, limits, &error), ok);
    if (!ok) {
        QCOMPARE(error.kind, kind);
        QVERIFY(!error.message.isEmpty());
    }
}

void TestHubParsers::nextPageLink_data() {
    QTest::addColumn<QList<QByteArray>>("links"); // Link field values, in order
    QTest::addColumn<QByteArray>("next");
    QTest::addColumn<bool>("unreadable"); // a Link was there and may have named a next page
    const QByteArray hf = "https://huggingface.co/api/models/x/y/tree/abc?recursive=true&cursor=XYZ";
    QTest::newRow("hugging face") << QList<QByteArray>{"<" + hf + ">; rel=\"next\""} << hf << false;
    QTest::newRow("unquoted") << QList<QByteArray>{"<https://h/n>;rel=next"} << QByteArray("https://h/n") << false;
    QTest::newRow("several relations") << QList<QByteArray>{"<https://h/n>; rel=\"prev next\""}
                                       << QByteArray("https://h/n") << false;
    QTest::newRow("case") << QList<QByteArray>{"<https://h/n>; REL=\"NEXT\""} << QByteArray("https://h/n") << false;
    QTest::newRow("other parameters first")
        << QList<QByteArray>{"<https://h/n>; type=\"application/json\"; title=x; rel=next"} << QByteArray("https://h/n")
        << false;
    QTest::newRow("parameter without value")
        << QList<QByteArray>{"<https://h/n>; flag; rel=next"} << QByteArray("https://h/n") << false;
    QTest::newRow("spaces") << QList<QByteArray>{"  <https://h/n>  ;  rel = \"next\"  "} << QByteArray("https://h/n")
                            << false;
    QTest::newRow("second link") << QList<QByteArray>{"<https://h/p>; rel=\"prev\", <https://h/n>; rel=\"next\""}
                                 << QByteArray("https://h/n") << false;
    QTest::newRow("comma inside the URL") << QList<QByteArray>{"<https://h/p>; rel=prev, <https://h/a,b>; rel=next"}
                                          << QByteArray("https://h/a,b") << false;
    QTest::newRow("comma and semicolon in a quoted title")
        << QList<QByteArray>{"<https://h/p>; title=\"a, \\\"b\\\"; rel=next\"; rel=prev, <https://h/n>; rel=next"}
        << QByteArray("https://h/n") << false;
    QTest::newRow("second field") << QList<QByteArray>{"<https://h/p>; rel=prev", "<https://h/n>; rel=next"}
                                  << QByteArray("https://h/n") << false;
    QTest::newRow("none") << QList<QByteArray>{} << QByteArray() << false;
    QTest::newRow("only prev") << QList<QByteArray>{"<https://h/p>; rel=\"prev\""} << QByteArray() << false;
    QTest::newRow("similar relation") << QList<QByteArray>{"<https://h/p>; rel=\"nextpage\""} << QByteArray() << false;
    QTest::newRow("relation in another parameter")
        << QList<QByteArray>{"<https://h/p>; title=next"} << QByteArray() << false;
    QTest::newRow("only the first rel counts")
        << QList<QByteArray>{"<https://h/p>; rel=prev; rel=next"} << QByteArray() << false;
    QTest::newRow("no angle brackets") << QList<QByteArray>{"https://h/n; rel=next"} << QByteArray() << true;
    QTest::newRow("unclosed bracket") << QList<QByteArray>{"<https://h/n; rel=next"} << QByteArray() << true;
    QTest::newRow("unclosed quote") << QList<QByteArray>{"<https://h/n>; rel=\"next"} << QByteArray() << true;
    QTest::newRow("empty target") << QList<QByteArray>{"<>; rel=next"} << QByteArray() << true;
    QTest::newRow("space in target") << QList<QByteArray>{"<https://h/a b>; rel=next"} << QByteArray() << true;
    QTest::newRow("control in target") << QList<QByteArray>{"<https://h/a\x01>; rel=next"} << QByteArray() << true;
    QByteArray padding;
    while (padding.size() < 9 * 1024)
        padding += "<https://h/p>; rel=prev, ";
    QTest::newRow("beyond 8 KiB") << QList<QByteArray>{padding + "<https://h/n>; rel=next"} << QByteArray() << true;
    QTest::newRow("within 8 KiB") << QList<QByteArray>{padding.left(7 * 1024 - 7 * 1024 % 25) +
                                                       "<https://h/n>; rel=next"}
                                  << QByteArray("https://h/n") << false;
}

void TestHubParsers::nextPageLink() {
    QFETCH(QList<QByteArray>, links);
    HeaderList headers{{"Content-Type", "application/json"}};
    for (const QByteArray &value : links)
        headers.append({"Link", value});
    bool unreadable = !QTest::currentDataTag(); // set by the call either way
    QTEST(airlock::nextPageLink(headers, &unreadable), "next");
    QTEST(unreadable, "unreadable");
}

void TestHubParsers::nextPageLinkAcrossFields() {
    const HeaderList headers{{"X-Link", "<https://h/x>; rel=next"}, {"LINK", "<https://h/n>; rel=next"}};
    QCOMPARE(airlock::nextPageLink(headers), QByteArray("https://h/n"));
}

void TestHubParsers::ollamaManifest_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("maxFiles");
    QTest::addColumn<int>("layers"); // -1: refused
    QTest::addColumn<HubError::Kind>("kind");
    const auto bad = HubError::Kind::BadManifest;
    const QByteArray config = goodBlob("config");
    const QByteArray digest = "\"sha256:" + kSha256 + "\"";
    const QByteArray type = "\"application/vnd.ollama.image.model\"";

    QTest::newRow("docker v2") << manifest(config, kThreeLayers) << 10'000 << 3 << bad;
    QTest::newRow("OCI") << manifest(config, kThreeLayers,
                                     "\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"")
                         << 10'000 << 3 << bad;
    QTest::newRow("no media type") << manifest(config, kThreeLayers, "\"schemaVersion\":2") << 10'000 << 3 << bad;
    QTest::newRow("duplicate layers") << manifest(config, "[" + goodBlob("model") + "," + goodBlob("model") + "]")
                                      << 10'000 << 2 << bad;
    QTest::newRow("as many layers as allowed") << manifest(config, kThreeLayers) << 3 << 3 << bad;
    QTest::newRow("unknown fields") << manifest(config, kThreeLayers,
                                                "\"schemaVersion\":2,\"annotations\":{\"a\":\"b\"}")
                                    << 10'000 << 3 << bad;

    QTest::newRow("too many layers") << manifest(config, kThreeLayers) << 2 << -1 << bad;
    QTest::newRow("schema 1") << manifest(config, kThreeLayers, "\"schemaVersion\":1") << 10'000 << -1 << bad;
    QTest::newRow("schema as string") << manifest(config, kThreeLayers, "\"schemaVersion\":\"2\"") << 10'000 << -1
                                      << bad;
    QTest::newRow("no schema") << manifest(config, kThreeLayers, "\"x\":1") << 10'000 << -1 << bad;
    QTest::newRow("manifest list") << manifest(
                                          config, kThreeLayers,
                                          "\"schemaVersion\":2,"
                                          "\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\"")
                                   << 10'000 << -1 << bad;
    QTest::newRow("no config") << manifest(QByteArray(), kThreeLayers) << 10'000 << -1 << bad;
    QTest::newRow("config not an object") << manifest("\"x\"", kThreeLayers) << 10'000 << -1 << bad;
    QTest::newRow("no layers") << manifest(config, QByteArray()) << 10'000 << -1 << bad;
    QTest::newRow("empty layers") << manifest(config, "[]") << 10'000 << -1 << bad;
    QTest::newRow("layers not a list") << manifest(config, goodBlob("model")) << 10'000 << -1 << bad;
    QTest::newRow("layer not an object") << manifest(config, "[1]") << 10'000 << -1 << bad;
    QTest::newRow("sha512") << manifest(config, "[" + blob(type, "\"sha512:" + kSha256 + kSha256 + "\"", "1") + "]")
                            << 10'000 << -1 << bad;
    QTest::newRow("digest without algorithm")
        << manifest(config, "[" + blob(type, "\"" + kSha256 + "\"", "1") + "]") << 10'000 << -1 << bad;
    QTest::newRow("algorithm in capitals")
        << manifest(config, "[" + blob(type, "\"SHA256:" + kSha256 + "\"", "1") + "]") << 10'000 << -1 << bad;
    QTest::newRow("digest short") << manifest(config,
                                              "[" + blob(type, "\"sha256:" + kSha256.chopped(1) + "\"", "1") + "]")
                                  << 10'000 << -1 << bad;
    QTest::newRow("digest not hex") << manifest(config,
                                                "[" + blob(type, "\"sha256:" + kSha256.chopped(1) + "x\"", "1") + "]")
                                    << 10'000 << -1 << bad;
    QTest::newRow("digest not a string") << manifest(config, "[" + blob(type, "5", "1") + "]") << 10'000 << -1 << bad;
    QTest::newRow("size string") << manifest(config, "[" + blob(type, digest, "\"1\"") + "]") << 10'000 << -1 << bad;
    QTest::newRow("size negative") << manifest(config, "[" + blob(type, digest, "-1") + "]") << 10'000 << -1 << bad;
    QTest::newRow("size fractional") << manifest(config, "[" + blob(type, digest, "0.5") + "]") << 10'000 << -1 << bad;
    QTest::newRow("config size missing") << manifest("{\"mediaType\":" + type + ",\"digest\":" + digest + "}",
                                                     kThreeLayers)
                                         << 10'000 << -1 << bad;
    QTest::newRow("media type missing") << manifest(config, "[{\"digest\":" + digest + ",\"size\":1}]") << 10'000 << -1
                                        << bad;
    QTest::newRow("media type not a string")
        << manifest(config, "[" + blob("7", digest, "1") + "]") << 10'000 << -1 << bad;
    QTest::newRow("media type empty") << manifest(config, "[" + blob("\"\"", digest, "1") + "]") << 10'000 << -1 << bad;
    QTest::newRow("media type with control")
        << manifest(config, "[" + blob("\"a\\u0001b\"", digest, "1") + "]") << 10'000 << -1 << bad;
    QTest::newRow("not JSON") << QByteArray("{\"schemaVersion\":2,") << 10'000 << -1 << bad;
    QTest::newRow("array") << QByteArray("[]") << 10'000 << -1 << bad;
    QTest::newRow("registry says unknown manifest")
        << QByteArray("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}") << 10'000 << -1
        << HubError::Kind::NotFound;
    QTest::newRow("registry says unknown name")
        << QByteArray("{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}") << 10'000 << -1 << HubError::Kind::NotFound;
    QTest::newRow("registry says something else")
        << QByteArray("{\"errors\":[{\"code\":\"DENIED\"}]}") << 10'000 << -1 << bad;
}

void TestHubParsers::ollamaManifest() {
    QFETCH(QByteArray, json);
    QFETCH(int, maxFiles);
    QFETCH(int, layers);
    QFETCH(HubError::Kind, kind);
    PlanLimits limits;
    limits.maxFiles = maxFiles;
    HubError error;
    const std::optional<OllamaManifest> m = parseOllamaManifest(json, limits, &error);
    QVERIFY2(m.has_value() == (layers >= 0), qPrintable(error.message));
    if (m) {
        QCOMPARE(m->layers.size(), layers);
    } else {
        QCOMPARE(error.kind, kind);
        QVERIFY(!error.message.isEmpty());
    }
}

void TestHubParsers::ollamaManifestFields() {
    const QByteArray json = manifest(
        blob("\"application/vnd.docker.container.image.v1+json\"", "\"sha256:" + kSha256.toUpper() + "\"", "485"),
        "[" + blob("\"application/vnd.ollama.image.model\"", "\"sha256:" + kSha256 + "\"", "2019377376") + "," +
            blob("\"application/vnd.ollama.image.license\"", "\"sha256:" + kSha256 + "\"", "7e3") + "]");
    HubError error;
    const std::optional<OllamaManifest> m = parseOllamaManifest(json, PlanLimits{}, &error);
    QVERIFY2(m.has_value(), qPrintable(error.message));
    QCOMPARE(m->config.mediaType, QStringLiteral("application/vnd.docker.container.image.v1+json"));
    QCOMPARE(m->config.digestHex, kSha256);
    QCOMPARE(m->config.size, 485);
    QCOMPARE(m->layers.size(), 2);
    QCOMPARE(m->layers[0].mediaType, QStringLiteral("application/vnd.ollama.image.model"));
    QCOMPARE(m->layers[0].size, Q_INT64_C(2019377376));
    QCOMPARE(m->layers[1].size, 7000);
}

void TestHubParsers::bearerChallenge_data() {
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("realm");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("scope");
    const QString realm = QStringLiteral("https://registry.ollama.ai/v2/token");
    const QString service = QStringLiteral("registry.ollama.ai");
    const QString scope = QStringLiteral("repository:library/llama3.2:pull");

    QTest::newRow("ollama") << QByteArray("Bearer realm=\"https://registry.ollama.ai/v2/token\","
                                          "service=\"registry.ollama.ai\","
                                          "scope=\"repository:library/llama3.2:pull\"")
                            << true << realm << service << scope;
    QTest::newRow("scheme and names in other case")
        << QByteArray("bEARER REALM=\"https://registry.ollama.ai/v2/token\", Service=\"registry.ollama.ai\"") << true
        << realm << service << "";
    QTest::newRow("other order and spaces")
        << QByteArray("Bearer   scope = \"repository:library/llama3.2:pull\" ,  realm=\"https://registry.ollama.ai/"
                      "v2/token\" ,service=registry.ollama.ai")
        << true << realm << service << scope;
    QTest::newRow("escapes") << QByteArray("Bearer realm=\"https://r.example/t\\oken\",scope=\"a\\\"b\"") << true
                             << "https://r.example/token"
                             << ""
                             << "a\"b";
    QTest::newRow("unknown parameters") << QByteArray("Bearer realm=\"https://r.example/t\",error=\"invalid_token\"")
                                        << true << "https://r.example/t"
                                        << ""
                                        << "";
    QTest::newRow("realm scheme in capitals")
        << QByteArray("Bearer realm=\"HTTPS://r.example/t\"") << true << "HTTPS://r.example/t"
        << ""
        << "";
    QTest::newRow("after another challenge")
        << QByteArray("Basic realm=\"registry\", Bearer realm=\"https://r.example/t\",service=\"s\"") << true
        << "https://r.example/t"
        << "s"
        << "";
    QTest::newRow("before another challenge")
        << QByteArray("Bearer realm=\"https://r.example/t\",service=\"s\", Basic realm=\"registry\"") << true
        << "https://r.example/t"
        << "s"
        << "";

    QTest::newRow("http realm") << QByteArray("Bearer realm=\"http://registry.ollama.ai/v2/token\"") << false << ""
                                << ""
                                << "";
    QTest::newRow("relative realm") << QByteArray("Bearer realm=\"/v2/token\"") << false << ""
                                    << ""
                                    << "";
    QTest::newRow("realm without host") << QByteArray("Bearer realm=\"https://\"") << false << ""
                                        << ""
                                        << "";
    QTest::newRow("realm with space") << QByteArray("Bearer realm=\"https://r.example/ t\"") << false << ""
                                      << ""
                                      << "";
    QTest::newRow("realm with control") << QByteArray("Bearer realm=\"https://r.example/\x01t\"") << false << ""
                                        << ""
                                        << "";
    QTest::newRow("no realm") << QByteArray("Bearer service=\"s\",scope=\"x\"") << false << ""
                              << ""
                              << "";
    QTest::newRow("basic only") << QByteArray("Basic realm=\"https://r.example/t\"") << false << ""
                                << ""
                                << "";
    QTest::newRow("empty") << QByteArray() << false << ""
                           << ""
                           << "";
    QTest::newRow("scheme alone") << QByteArray("Bearer") << false << ""
                                  << ""
                                  << "";
    QTest::newRow("token68") << QByteArray("Bearer abc==") << false << ""
                             << ""
                             << "";
    QTest::newRow("no space after scheme") << QByteArray("Bearerrealm=\"https://r.example/t\"") << false << ""
                                           << ""
                                           << "";
    QTest::newRow("unclosed quote") << QByteArray("Bearer realm=\"https://r.example/t") << false << ""
                                    << ""
                                    << "";
    QTest::newRow("duplicate realm") << QByteArray(
                                            "Bearer realm=\"https://r.example/t\",realm=\"https://evil.example/t\"")
                                     << false << ""
                                     << ""
                                     << "";
    QTest::newRow("missing value") << QByteArray("Bearer realm=,service=\"s\"") << false << ""
                                   << ""
                                   << "";
    QTest::newRow("garbage after value") << QByteArray("Bearer realm=\"https://r.example/t\"x") << false << ""
                                         << ""
                                         << "";
    QTest::newRow("too long") << "Bearer realm=\"https://r.example/t\",scope=\"" + QByteArray(9000, 'a') + "\"" << false
                              << ""
                              << ""
                              << "";
}

void TestHubParsers::bearerChallenge() {
    QFETCH(QByteArray, value);
    QFETCH(bool, ok);
    const std::optional<BearerChallenge> c = parseBearerChallenge(value);
    QCOMPARE(c.has_value(), ok);
    if (c) {
        QTEST(c->realm, "realm");
        QTEST(c->service, "service");
        QTEST(c->scope, "scope");
    }
}

void TestHubParsers::registryToken_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("token"); // empty: refused
    QTest::newRow("token") << QByteArray("{\"token\":\"eyJ.abc-_~+/=\",\"expires_in\":300}")
                           << QByteArray("eyJ.abc-_~+/=");
    QTest::newRow("access token") << QByteArray("{\"access_token\":\"abc\"}") << QByteArray("abc");
    QTest::newRow("token wins") << QByteArray("{\"access_token\":\"b\",\"token\":\"a\"}") << QByteArray("a");
    QTest::newRow("empty token, access token")
        << QByteArray("{\"token\":\"\",\"access_token\":\"b\"}") << QByteArray("b");
    QTest::newRow("longest") << "{\"token\":\"" + QByteArray(8192, 'a') + "\"}" << QByteArray(8192, 'a');
    QTest::newRow("too long") << "{\"token\":\"" + QByteArray(8193, 'a') + "\"}" << QByteArray();
    QTest::newRow("empty") << QByteArray("{\"token\":\"\"}") << QByteArray();
    QTest::newRow("number") << QByteArray("{\"token\":5}") << QByteArray();
    QTest::newRow("space") << QByteArray("{\"token\":\"a b\"}") << QByteArray();
    QTest::newRow("newline") << QByteArray("{\"token\":\"a\\nb\"}") << QByteArray();
    QTest::newRow("non-ASCII") << QByteArray("{\"token\":\"a\\u00e9\"}") << QByteArray();
    QTest::newRow("missing") << QByteArray("{\"expires_in\":300}") << QByteArray();
    QTest::newRow("array") << QByteArray("[\"abc\"]") << QByteArray();
    QTest::newRow("not JSON") << QByteArray("token=abc") << QByteArray();
}

void TestHubParsers::registryToken() {
    QFETCH(QByteArray, json);
    QTEST(parseRegistryToken(json).value_or(QByteArray()), "token");
}

QTEST_APPLESS_MAIN(TestHubParsers)
#include "tst_hubparsers.moc"
