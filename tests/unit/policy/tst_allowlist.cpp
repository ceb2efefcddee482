#include "policy/AllowEntryParser.h"
#include "policy/Allowlist.h"
#include "policy/PolicyYaml.h"

#include <QTest>

using namespace airlock;

// Allowlist matching against canonical URLs: the lookalikes and tricks an attacker would try
// must never match, the forms the default policy needs must.
class TestAllowlist final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void match_data();
    void match();
    void manualUrlWithIpNeverMatches();
    void firstMatchWins();
    void methods_data();
    void methods();
    void defaultPolicy_data();
    void defaultPolicy();

private:
    static QList<AllowEntry> entries(const QStringList &texts);
};

QList<AllowEntry> TestAllowlist::entries(const QStringList &texts) {
    QList<AllowEntry> out;
    for (const QString &text : texts) {
        QString error;
        const std::optional<AllowEntry> entry = parseAllowEntry(text, &error);
        if (!entry)
            qFatal("bad test entry %s: %s", qPrintable(text), qPrintable(error));
        out.append(*entry);
    }
    return out;
}

void TestAllowlist::match_data() {
    QTest::addColumn<QString>("entry");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("matches");

    const auto row = [](const QString &entry, const QString &url, bool matches) {
        QTest::addRow("%s | %s", qPrintable(entry), qPrintable(url)) << entry << url << matches;
    };
    // Exact host.
    row("huggingface.co", "https://huggingface.co/", true);
    row("huggingface.co", "https://huggingface.co/api/models?search=x", true);
    row("huggingface.co", "https://HUGGINGFACE.CO./x", true);
    row("huggingface.co", "https://huggingface.co:443/x", true);
    row("huggingface.co", "https://hugging%66ace.co/x", true);
    row("huggingface.co", "https://huggingface.co:8443/x", false);
    row("huggingface.co", "https://huggingface.co:444/", false);
    row("huggingface.co", "https://www.huggingface.co/", false);
    row("huggingface.co", "https://huggingface.co.evil.com/", false);
    row("huggingface.co", "https://evil-huggingface.co/", false);
    row("huggingface.co", "https://evilhuggingface.co/", false);
    row("huggingface.co", "https://huggingface.com/", false);
    row("huggingface.co", "https://huggingface.co@evil.com/", false);
    row("huggingface.co", "https://evil.com@huggingface.co/", false);
    row("huggingface.co", "https://evil.com%2f@huggingface.co/", false);
    row("huggingface.co", "https://evil.com/huggingface.co", false);
    row("huggingface.co", "https://evil.com/?huggingface.co", false);
    row("huggingface.co", "https://evil.com\\@huggingface.co/", false);
    row("huggingface.co", "http://huggingface.co/", false);
    row("huggingface.co", "https://huggingface.co/#x", false);
    row("huggingface.co", QString::fromUtf8("https://huggingf\xd0\xb0\x63\x65.co/"), false);
    row("huggingface.co", QString::fromUtf8("https://hugging\xef\xbd\x86\x61\x63\x65.co/"), true); // full-width f
    // IP literals never match, even an entry naming the same address.
    row("localhost", "https://127.0.0.1/", false);
    row("localhost", "https://localhost/", true);
    row("localhost", "https://localhost:8443/", false);
    row("huggingface.co", "https://2130706433/", false);
    row("huggingface.co", "https://[::ffff:127.0.0.1]/", false);
    row("*.hf.co", "https://0x7f.1/", false);
    // Wildcards: any depth, never the parent, never a lookalike suffix.
    row("*.hf.co", "https://a.hf.co/", true);
    row("*.hf.co", "https://a.b.hf.co/x", true);
    row("*.hf.co", "https://CAS-BRIDGE.XETHUB.HF.CO./x", true);
    row("*.hf.co", "https://hf.co/", false);
    row("*.hf.co", "https://evilhf.co/", false);
    row("*.hf.co", "https://a.evilhf.co/", false);
    row("*.hf.co", "https://hf.co.evil.com/", false);
    row("*.hf.co", "https://a.hf.co.evil.com/", false);
    row("*.hf.co", "https://a.hf.com/", false);
    row("*.hf.co", "https://a.hf.co:8443/", false);
    row("*.hf.co", "https://.hf.co/", false);
    row("*.hf.co", "https://a.hf.co@evil.com/", false);
    // URL prefixes: host and port exact, path on a segment boundary.
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2/", true);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2/library/x/manifests/latest", true);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2", false);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2x", false);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/", false);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v1/", false);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2/../admin", false);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2/%2e%2e/admin", false);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2/.%2E/admin", false);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2/a/../../admin", false);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2/a/../b", true);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/x/../v2/b", true);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2%2Fx", false);
    // Servers that decode %2F or honour ";" path parameters would leave the prefix: refused.
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2/..%2F..%2Fadmin", false);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2/%5c..%5cadmin", false);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/v2/..;/admin", false);
    row("huggingface.co", "https://huggingface.co/a%2Fb;c", true); // host entries admit any path
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai/%76%32/x", true);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai:8443/v2/", false);
    row("https://registry.ollama.ai/v2/", "https://a.registry.ollama.ai/v2/", false);
    row("https://registry.ollama.ai/v2/", "https://registry.ollama.ai.evil.com/v2/", false);
    row("https://registry.ollama.ai/v2", "https://registry.ollama.ai/v2", true);
    row("https://registry.ollama.ai/v2", "https://registry.ollama.ai/v2/x", true);
    row("https://registry.ollama.ai/v2", "https://registry.ollama.ai/v2x", false);
    row("https://registry.ollama.ai/v2", "https://registry.ollama.ai/v2%2F", false);
    row("https://localhost:8443/files/", "https://localhost:8443/files/a.bin", true);
    row("https://localhost:8443/files/", "https://localhost/files/a.bin", false);
    row("https://localhost:8443/files/", "https://localhost:8444/files/a.bin", false);
    row("https://a.example/", "https://a.example/anything", true);
    row("https://a.example", "https://a.example/anything", true);
    row("https://a.example/", "https://a.example:443/x", true);
}

void TestAllowlist::match() {
    QFETCH(QString, entry);
    QFETCH(QString, url);
    QFETCH(bool, matches);
    const QList<AllowEntry> list = entries({entry});
    const UrlResult parsed = canonicalizeUrl(url);
    if (!parsed.url) {
        QVERIFY2(!matches, qPrintable(parsed.message));
        return;
    }
    QCOMPARE(matchAllowlist(list, *parsed.url) != nullptr, matches);
}

void TestAllowlist::manualUrlWithIpNeverMatches() {
    AllowEntry entry;
    entry.host = QStringLiteral("127.0.0.1"); // cannot come from the parser; built by hand
    CanonicalUrl url;
    url.host = QStringLiteral("127.0.0.1");
    QVERIFY(!matchAllowlist({entry}, url));
    url.host.clear();
    entry.host.clear();
    QVERIFY(!matchAllowlist({entry}, url));
}

void TestAllowlist::firstMatchWins() {
    const QList<AllowEntry> list = entries({"a.example", "*.hf.co", "https://x.hf.co/v2/"});
    const UrlResult parsed = canonicalizeUrl(QStringLiteral("https://x.hf.co/v2/y"));
    QVERIFY(parsed.url);
    const AllowEntry *entry = matchAllowlist(list, *parsed.url);
    QVERIFY(entry);
    QCOMPARE(entry, &list[1]);
}

void TestAllowlist::methods_data() {
    QTest::addColumn<QStringList>("entryMethods");
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("allowed");
    const QStringList policy{"GET", "HEAD", "POST"};
    QTest::newRow("policy GET") << QStringList() << "GET" << true;
    QTest::newRow("policy lower") << QStringList() << "post" << true;
    QTest::newRow("policy PUT") << QStringList() << "PUT" << false;
    QTest::newRow("entry GET") << QStringList{"GET", "HEAD"} << "GET" << true;
    QTest::newRow("entry narrows POST") << QStringList{"GET", "HEAD"} << "POST" << false;
    QTest::newRow("entry cannot widen") << QStringList{"PUT"} << "PUT" << false;
    QTest::newRow("entry and policy") << QStringList{"PUT", "POST"} << "POST" << true;
    QTest::newRow("unknown") << QStringList() << "BREW" << false;
    QTest::newRow("empty") << QStringList() << "" << false;
    QTest::newRow("dotless i") << QStringList{"OPTIONS"} << QString::fromUtf8("OPT\xc4\xb1ONS") << false;
}

void TestAllowlist::methods() {
    QFETCH(QStringList, entryMethods);
    QFETCH(QString, method);
    QFETCH(bool, allowed);
    AllowEntry entry;
    entry.host = QStringLiteral("a.example");
    entry.methods = entryMethods;
    QCOMPARE(methodAllowed(entry, {"GET", "HEAD", "POST"}, method), allowed);
}

void TestAllowlist::defaultPolicy_data() {
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("hf api") << "https://huggingface.co/api/models/x"
                            << "GET" << true;
    QTest::newRow("hf post") << "https://huggingface.co/api/models/x/paths-info/main"
                             << "POST" << true;
    QTest::newRow("hf resolve") << "https://huggingface.co/x/resolve/main/model.safetensors"
                                << "HEAD" << true;
    QTest::newRow("lfs get") << "https://cdn-lfs.huggingface.co/repos/a/b"
                             << "GET" << true;
    QTest::newRow("lfs post") << "https://cdn-lfs.huggingface.co/repos/a/b"
                              << "POST" << false;
    QTest::newRow("xet") << "https://cas-bridge.xethub.hf.co/xet-bridge-us/x"
                         << "GET" << true;
    QTest::newRow("hf.co edge") << "https://cdn-lfs-us-1.hf.co/x"
                                << "GET" << true;
    QTest::newRow("hf.co itself") << "https://hf.co/x"
                                  << "GET" << false;
    QTest::newRow("ollama manifest") << "https://registry.ollama.ai/v2/library/llama3/manifests/latest"
                                     << "GET" << true;
    QTest::newRow("ollama outside v2") << "https://registry.ollama.ai/api/x"
                                       << "GET" << false;
    QTest::newRow("ollama post") << "https://registry.ollama.ai/v2/x"
                                 << "POST" << false;
    QTest::newRow("r2") << "https://abc.r2.cloudflarestorage.com/ollama/docker/x"
                        << "GET" << true;
    QTest::newRow("r2 parent") << "https://r2.cloudflarestorage.com/x"
                               << "GET" << false;
    QTest::newRow("lookalike") << "https://huggingface.co.evil.com/"
                               << "GET" << false;
    QTest::newRow("other") << "https://example.com/"
                           << "GET" << false;
}

void TestAllowlist::defaultPolicy() {
    QFETCH(QString, url);
    QFETCH(QString, method);
    QFETCH(bool, allowed);
    const PolicyParseResult parsed = parsePolicyYaml(defaultPolicyYaml());
    QVERIFY(parsed.ok());
    const UrlResult canonical = canonicalizeUrl(url);
    QVERIFY(canonical.url);
    const AllowEntry *entry = matchAllowlist(parsed.policy->allowedDestinations, *canonical.url);
    const bool result = entry && methodAllowed(*entry, parsed.policy->allowedMethods, method);
    QCOMPARE(result, allowed);
}

QTEST_APPLESS_MAIN(TestAllowlist)
#include "tst_allowlist.moc"
