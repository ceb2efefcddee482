#include "policy/PolicyYaml.h"

#include <QCryptographicHash>
#include <QTest>

using namespace airlock;

// Strict policy.yaml parsing: every error path is reported with its location, nothing is
// silently ignored, and what is written can be read back unchanged.
class TestPolicyYaml final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultPolicyParses();
    void minimalTakesDefaults();
    void fullPolicy();
    void problem_data();
    void problem();
    void allProblemsReported();
    void problemToString();
    void roundTrip_data();
    void roundTrip();
};

namespace {

const QByteArray kFull = R"(# a comment
airlock:
  enabled: true
  allowed_destinations:
    - huggingface.co
    - "*.hf.co"
    - https://registry.ollama.ai/v2/
    - { host: "*.r2.cloudflarestorage.com", methods: [get, HEAD] }
    - host: https://localhost:8443/files/
      methods: [PUT]
    - { host: "*.storage.example", via: HuggingFace.co }
    - host: cdn.example
      via: [huggingface.co, "https://registry.ollama.ai/v2/"]
  allowed_methods: [GET, HEAD]
  max_body_size: 1024
  max_response_size: 0
  rate_limit:
    requests_per_minute: 100000
  content_rules:
    scan_for_pii: false
    scan_for_credentials: True
    block_if_contains: ["secret project", 'codename: x']
    custom_patterns:
      - { id: emp-id, kind: pii, regex: "EMP-[0-9]{6}" }
      - id: internal-key
        kind: credential
        regex: 'ik_[a-z0-9]{32}'
  credential_allowlist:
    - { destination: HuggingFace.co, header: Authorization, sha256: "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855" }
  admin:
    group: wheel
    viewer_group: airlock-view
  pulls:
    max_parallel: 8
    max_active: 1
  audit:
    max_file_bytes: 0
    keep_files: 3
)";

} // namespace

void TestPolicyYaml::defaultPolicyParses() {
    const PolicyParseResult result = parsePolicyYaml(defaultPolicyYaml());
    for (const PolicyProblem &problem : result.problems)
        qWarning() << problem.toString();
    QVERIFY(result.ok());
    const Policy &p = *result.policy;
    QCOMPARE(p.enabled, false);
    QCOMPARE(p.requestsPerMinute, 30);
    QCOMPARE(p.maxBodySize, 10 * 1024 * 1024);
    QVERIFY(p.contentRules.scanForPii && p.contentRules.scanForCredentials);
    QCOMPARE(p.audit, AuditSettings());
    QStringList texts;
    for (const AllowEntry &entry : p.allowedDestinations)
        texts.append(entry.text());
    QVERIFY2(texts.contains(QLatin1String("huggingface.co")), qPrintable(texts.join(u' ')));
    QVERIFY(texts.contains(QLatin1String("*.hf.co")));
    QVERIFY(texts.contains(QLatin1String("https://registry.ollama.ai/v2/")));
    QVERIFY(texts.contains(QLatin1String("*.r2.cloudflarestorage.com")));
    // Every storage and CDN host is reached only through its origin's redirects; the origins
    // themselves are asked for directly.
    for (const AllowEntry &entry : p.allowedDestinations) {
        const bool origin = entry.text() == QLatin1String("huggingface.co") ||
                            entry.text() == QLatin1String("https://registry.ollama.ai/v2/");
        QVERIFY2(entry.via.isEmpty() == origin, qPrintable(entry.text()));
    }
    QCOMPARE(parsePolicyYaml(policyToYaml(p)).policy, result.policy);
}

void TestPolicyYaml::minimalTakesDefaults() {
    const PolicyParseResult result = parsePolicyYaml("airlock: {}\n");
    QVERIFY(result.ok());
    QCOMPARE(*result.policy, Policy());
}

void TestPolicyYaml::fullPolicy() {
    const PolicyParseResult result = parsePolicyYaml(kFull);
    for (const PolicyProblem &problem : result.problems)
        qWarning() << problem.toString();
    QVERIFY(result.ok());
    const Policy &p = *result.policy;
    QVERIFY(p.enabled);
    QCOMPARE(p.allowedDestinations.size(), 7);
    QCOMPARE(p.allowedDestinations[3].methods, QStringList({"GET", "HEAD"}));
    QCOMPARE(p.allowedDestinations[4].port, 8443);
    QCOMPARE(p.allowedDestinations[4].methods, QStringList({"PUT"}));
    QVERIFY(p.allowedDestinations[4].via.isEmpty());
    QCOMPARE(p.allowedDestinations[5].via, QStringList({"huggingface.co"}));
    QVERIFY(p.allowedDestinations[5].methods.isEmpty());
    QCOMPARE(p.allowedDestinations[6].via, QStringList({"huggingface.co", "https://registry.ollama.ai/v2/"}));
    QCOMPARE(p.allowedMethods, QStringList({"GET", "HEAD"}));
    QCOMPARE(p.maxBodySize, 1024);
    QCOMPARE(p.requestsPerMinute, 100000);
    QVERIFY(!p.contentRules.scanForPii);
    QCOMPARE(p.contentRules.blockIfContains, QStringList({"secret project", "codename: x"}));
    QCOMPARE(p.contentRules.customPatterns.size(), 2);
    QCOMPARE(p.contentRules.customPatterns[1].regex, QStringLiteral("ik_[a-z0-9]{32}"));
    QCOMPARE(p.credentialAllowlist.size(), 1);
    QCOMPARE(p.credentialAllowlist[0].destination, QStringLiteral("huggingface.co"));
    QCOMPARE(p.credentialAllowlist[0].header, QStringLiteral("authorization"));
    QCOMPARE(p.credentialAllowlist[0].sha256, QCryptographicHash::hash("", QCryptographicHash::Sha256));
    QCOMPARE(p.admin.group, QStringLiteral("wheel"));
    QCOMPARE(p.admin.viewerGroup, QStringLiteral("airlock-view"));
    QCOMPARE(p.pulls.maxParallel, 8);
    QCOMPARE(p.pulls.maxActive, 1);
    QCOMPARE(p.audit.maxFileBytes, 0);
    QCOMPARE(p.audit.keepFiles, 3);
}

void TestPolicyYaml::problem_data() {
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");

    const auto row = [](const char *name, const QByteArray &yaml, int line, const char *path, const char *message) {
        QTest::newRow(name) << yaml << line << QString::fromLatin1(path) << QString::fromLatin1(message);
    };
    row("empty file", "", 1, "", "empty");
    row("only comment", "# nothing\n", 1, "", "empty");
    row("syntax error", "airlock:\n  enabled: [true\n  x: 1\n", 3, "", "syntax");
    row("tab indent", "airlock:\n\tenabled: true\n", 2, "", "syntax");
    row("top level list", "- airlock\n", 1, "", "expected a map");
    row("top level scalar", "airlock\n", 1, "", "expected a map");
    row("missing airlock", "policy:\n  enabled: true\n", 1, "policy", "unknown key");
    row("missing airlock only", "{}\n", 1, "", "missing key 'airlock'");
    row("airlock null", "airlock:\n", 1, "airlock", "expected a map");
    row("two documents", "airlock: {}\n---\nairlock: {}\n", 2, "", "one YAML document");
    row("anchor", "airlock: &a {}\n", 1, "", "anchors");
    row("alias", "x: &a 1\nairlock:\n  max_body_size: *a\n", 1, "", "anchors");
    row("unknown key", "airlock:\n  enabled: false\n  allow_all: true\n", 3, "airlock.allow_all", "unknown key");
    row("misspelt key", "airlock:\n  rate_limit:\n    request_per_minute: 5\n", 3,
        "airlock.rate_limit.request_per_minute", "unknown key");
    row("duplicate key", "airlock:\n  enabled: false\n  enabled: true\n", 3, "airlock.enabled", "duplicate key");
    row("duplicate top", "airlock: {}\nairlock: {}\n", 2, "airlock", "duplicate key");
    row("enabled string", "airlock:\n  enabled: \"true\"\n", 2, "airlock.enabled", "expected true or false");
    row("enabled yes", "airlock:\n  enabled: yes\n", 2, "airlock.enabled", "expected true or false");
    row("enabled number", "airlock:\n  enabled: 1\n", 2, "airlock.enabled", "expected true or false");
    row("enabled missing value", "airlock:\n  enabled:\n  max_body_size: 5\n", 2, "airlock.enabled",
        "expected true or false");
    row("enabled tagged", "airlock:\n  enabled: !!bool true\n", 2, "airlock.enabled", "expected true or false");
    row("pulls parallel zero", "airlock:\n  pulls:\n    max_parallel: 0\n", 3, "airlock.pulls.max_parallel",
        "from 1 to 16");
    row("pulls parallel too many", "airlock:\n  pulls:\n    max_parallel: 17\n", 3, "airlock.pulls.max_parallel",
        "from 1 to 16");
    row("pulls active too many", "airlock:\n  pulls:\n    max_active: 9\n", 3, "airlock.pulls.max_active",
        "from 1 to 8");
    row("pulls unknown key", "airlock:\n  pulls:\n    destination: /etc\n", 3, "airlock.pulls.destination",
        "unknown key");
    row("upload budget too small", "airlock:\n  rate_limit:\n    upload_bytes_per_hour: 1023\n", 3,
        "airlock.rate_limit.upload_bytes_per_hour", "from 1024 to");
    row("upload budget not a number", "airlock:\n  rate_limit:\n    upload_bytes_per_hour: lots\n", 3,
        "airlock.rate_limit.upload_bytes_per_hour", "expected an integer");
    row("rpm zero", "airlock:\n  rate_limit:\n    requests_per_minute: 0\n", 3,
        "airlock.rate_limit.requests_per_minute", "from 1 to 100000");
    row("rpm too big", "airlock:\n  rate_limit:\n    requests_per_minute: 100001\n", 3,
        "airlock.rate_limit.requests_per_minute", "from 1 to 100000");
    row("rpm string", "airlock:\n  rate_limit:\n    requests_per_minute: many\n", 3,
        "airlock.rate_limit.requests_per_minute", "expected an integer");
    row("rpm quoted", "airlock:\n  rate_limit:\n    requests_per_minute: \"30\"\n", 3,
        "airlock.rate_limit.requests_per_minute", "expected an integer");
    row("rpm float", "airlock:\n  rate_limit:\n    requests_per_minute: 3.5\n", 3,
        "airlock.rate_limit.requests_per_minute", "expected an integer");
    row("rpm hex", "airlock:\n  rate_limit:\n    requests_per_minute: 0x10\n", 3,
        "airlock.rate_limit.requests_per_minute", "expected an integer");
    row("rate_limit scalar", "airlock:\n  rate_limit: 30\n", 2, "airlock.rate_limit", "expected a map");
    row("body zero", "airlock:\n  max_body_size: 0\n", 2, "airlock.max_body_size", "from 1 to 1073741824");
    row("body over 1 GiB", "airlock:\n  max_body_size: 1073741825\n", 2, "airlock.max_body_size",
        "from 1 to 1073741824");
    row("body overflow", "airlock:\n  max_body_size: 99999999999999999999999\n", 2, "airlock.max_body_size",
        "expected an integer");
    row("response negative", "airlock:\n  max_response_size: -1\n", 2, "airlock.max_response_size", "from 0 to");
    row("methods scalar", "airlock:\n  allowed_methods: GET\n", 2, "airlock.allowed_methods", "expected a list");
    row("method unknown", "airlock:\n  allowed_methods: [GET, BREW]\n", 2, "airlock.allowed_methods[1]",
        "unknown method");
    row("method duplicate", "airlock:\n  allowed_methods: [GET, get]\n", 2, "airlock.allowed_methods[1]",
        "duplicate method");
    row("method map", "airlock:\n  allowed_methods: [{GET: 1}]\n", 2, "airlock.allowed_methods[0]",
        "expected a string");
    row("destinations map", "airlock:\n  allowed_destinations: {a: b}\n", 2, "airlock.allowed_destinations",
        "expected a list");
    row("destination ip", "airlock:\n  allowed_destinations:\n    - ok.example\n    - 127.0.0.1\n", 4,
        "airlock.allowed_destinations[1]", "IP addresses");
    row("destination http", "airlock:\n  allowed_destinations:\n    - http://a.example/\n", 3,
        "airlock.allowed_destinations[0]", "HTTPS");
    row("destination star com", "airlock:\n  allowed_destinations: [\"*.com\"]\n", 2, "airlock.allowed_destinations[0]",
        "wildcard");
    row("destination null", "airlock:\n  allowed_destinations:\n    -\n", 3, "airlock.allowed_destinations[0]",
        "expected");
    row("destination null later", "airlock:\n  allowed_destinations:\n    - a.example\n    -\n    - b.example\n", 4,
        "airlock.allowed_destinations[1]", "expected");
    row("deep nesting", "airlock: " + QByteArray(5000, '['), 1, "", "syntax");
    row("destination list", "airlock:\n  allowed_destinations:\n    - [a.example]\n", 3,
        "airlock.allowed_destinations[0]", "expected a host");
    row("destination duplicate", "airlock:\n  allowed_destinations:\n    - a.example\n    - A.example.\n", 4,
        "airlock.allowed_destinations[1]", "duplicate entry");
    row("entry unknown key", "airlock:\n  allowed_destinations:\n    - { host: a.example, method: [GET] }\n", 3,
        "airlock.allowed_destinations[0].method", "unknown key");
    row("entry missing host", "airlock:\n  allowed_destinations:\n    - { methods: [GET] }\n", 3,
        "airlock.allowed_destinations[0]", "missing key 'host'");
    row("entry bad host", "airlock:\n  allowed_destinations:\n    - host: a_b.example\n", 3,
        "airlock.allowed_destinations[0].host", "invalid");
    row("entry empty methods", "airlock:\n  allowed_destinations:\n    - { host: a.example, methods: [] }\n", 3,
        "airlock.allowed_destinations[0].methods", "must not be empty");
    row("entry bad method", "airlock:\n  allowed_destinations:\n    - { host: a.example, methods: [CONNECT] }\n", 3,
        "airlock.allowed_destinations[0].methods[0]", "unknown method");
    row("via empty", "airlock:\n  allowed_destinations:\n    - { host: \"*.s.example\", via: [] }\n", 3,
        "airlock.allowed_destinations[0].via", "at least one origin");
    row("via ip", "airlock:\n  allowed_destinations:\n    - { host: \"*.s.example\", via: [a.example, 10.0.0.1] }\n", 3,
        "airlock.allowed_destinations[0].via", "IP addresses");
    row("via twice",
        "airlock:\n  allowed_destinations:\n    - { host: \"*.s.example\", via: [a.example, A.example] }\n", 3,
        "airlock.allowed_destinations[0].via", "twice");
    row("via map", "airlock:\n  allowed_destinations:\n    - { host: \"*.s.example\", via: {a: b} }\n", 3,
        "airlock.allowed_destinations[0].via", "expected a list");
    row("via item map", "airlock:\n  allowed_destinations:\n    - { host: \"*.s.example\", via: [{a: b}] }\n", 3,
        "airlock.allowed_destinations[0].via[0]", "expected");
    row("audit too small", "airlock:\n  audit:\n    max_file_bytes: 4096\n", 3, "airlock.audit.max_file_bytes",
        "at least 65536");
    row("audit negative", "airlock:\n  audit:\n    max_file_bytes: -1\n", 3, "airlock.audit.max_file_bytes", "");
    row("audit keep none", "airlock:\n  audit:\n    keep_files: 0\n", 3, "airlock.audit.keep_files", "");
    row("audit keep many", "airlock:\n  audit:\n    keep_files: 1001\n", 3, "airlock.audit.keep_files", "");
    row("audit unknown", "airlock:\n  audit:\n    max_files: 3\n", 3, "airlock.audit.max_files", "unknown key");
    row("content unknown", "airlock:\n  content_rules:\n    scan_for_secrets: true\n", 3,
        "airlock.content_rules.scan_for_secrets", "unknown key");
    row("content bool", "airlock:\n  content_rules:\n    scan_for_pii: off\n", 3, "airlock.content_rules.scan_for_pii",
        "expected true or false");
    row("block null", "airlock:\n  content_rules:\n    block_if_contains:\n", 3,
        "airlock.content_rules.block_if_contains", "expected a list");
    row("block empty string", "airlock:\n  content_rules:\n    block_if_contains: [\"\"]\n", 3,
        "airlock.content_rules.block_if_contains[0]", "must not be empty");
    row("pattern missing regex", "airlock:\n  content_rules:\n    custom_patterns:\n      - { id: a, kind: pii }\n", 4,
        "airlock.content_rules.custom_patterns[0]", "missing key 'regex'");
    row("pattern bad kind",
        "airlock:\n  content_rules:\n    custom_patterns:\n      - { id: a, kind: secret, regex: x }\n", 4,
        "airlock.content_rules.custom_patterns[0].kind", "pii or credential");
    row("pattern empty regex",
        "airlock:\n  content_rules:\n    custom_patterns:\n      - { id: a, kind: pii, regex: \"\" }\n", 4,
        "airlock.content_rules.custom_patterns[0].regex", "must not be empty");
    row("pattern duplicate id",
        "airlock:\n  content_rules:\n    custom_patterns:\n      - { id: a, kind: pii, regex: x }\n"
        "      - { id: a, kind: pii, regex: y }\n",
        5, "airlock.content_rules.custom_patterns[1].id", "duplicate id");
    row("credential short hash",
        "airlock:\n  credential_allowlist:\n    - { destination: a.example, header: Authorization, sha256: abc }\n", 3,
        "airlock.credential_allowlist[0].sha256", "64 hexadecimal");
    row("credential non-hex hash",
        "airlock:\n  credential_allowlist:\n    - { destination: a.example, header: Authorization, sha256: "
        "\"zz00000000000000000000000000000000000000000000000000000000000000\" }\n",
        3, "airlock.credential_allowlist[0].sha256", "64 hexadecimal");
    row("credential bad header",
        "airlock:\n  credential_allowlist:\n    - { destination: a.example, header: \"Auth orization\", sha256: "
        "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\" }\n",
        3, "airlock.credential_allowlist[0].header", "header name");
    row("credential wildcard destination",
        "airlock:\n  credential_allowlist:\n    - { destination: \"*.hf.co\", header: Authorization, sha256: "
        "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\" }\n",
        3, "airlock.credential_allowlist[0].destination", "invalid destination");
    row("credential missing header",
        "airlock:\n  credential_allowlist:\n    - { destination: a.example, sha256: "
        "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\" }\n",
        3, "airlock.credential_allowlist[0]", "missing key 'header'");
    row("admin unknown", "airlock:\n  admin:\n    groups: [a]\n", 3, "airlock.admin.groups", "unknown key");
    row("admin bad group", "airlock:\n  admin:\n    group: \"a b\"\n", 3, "airlock.admin.group", "group name");
    row("admin empty group", "airlock:\n  admin:\n    group: \"\"\n", 3, "airlock.admin.group", "group name");
    row("invalid utf8", "airlock:\n  admin:\n    group: \"\xff\"\n", 0, "", "UTF-8");
    row("non-plain key", "airlock:\n  \"enabled\": true\n", 2, "airlock", "plain");
}

void TestPolicyYaml::problem() {
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(QString, path);
    QFETCH(QString, message);
    const PolicyParseResult result = parsePolicyYaml(yaml);
    QVERIFY(!result.ok());
    QVERIFY(!result.policy);
    QVERIFY(!result.problems.isEmpty());
    const PolicyProblem &first = result.problems.first();
    QVERIFY2(first.message.contains(message, Qt::CaseInsensitive), qPrintable(first.toString()));
    QCOMPARE(first.line, line);
    QCOMPARE(first.path, path);
    if (line > 0)
        QVERIFY(first.column > 0);
}

void TestPolicyYaml::allProblemsReported() {
    const QByteArray yaml = "airlock:\n"
                            "  enabled: maybe\n"
                            "  unknown: 1\n"
                            "  allowed_destinations: [127.0.0.1, ok.example, \"http://x.example/\"]\n"
                            "  rate_limit: { requests_per_minute: 0 }\n"
                            "  max_body_size: -5\n";
    const PolicyParseResult result = parsePolicyYaml(yaml);
    QVERIFY(!result.policy);
    QStringList paths;
    QList<int> lines;
    for (const PolicyProblem &problem : result.problems) {
        paths.append(problem.path);
        lines.append(problem.line);
    }
    QCOMPARE(result.problems.size(), 6);
    QVERIFY(paths.contains(QLatin1String("airlock.enabled")));
    QVERIFY(paths.contains(QLatin1String("airlock.unknown")));
    QVERIFY(paths.contains(QLatin1String("airlock.allowed_destinations[0]")));
    QVERIFY(paths.contains(QLatin1String("airlock.allowed_destinations[2]")));
    QVERIFY(paths.contains(QLatin1String("airlock.rate_limit.requests_per_minute")));
    QVERIFY(paths.contains(QLatin1String("airlock.max_body_size")));
    QCOMPARE(lines, QList<int>({2, 3, 4, 4, 5, 6})); // file order, whatever order the checks ran in
}

void TestPolicyYaml::problemToString() {
    PolicyProblem problem{3, 5, QStringLiteral("airlock.rate_limit.requests_per_minute"),
                          QStringLiteral("expected an integer")};
    QCOMPARE(problem.toString(),
             QStringLiteral("line 3, column 5: airlock.rate_limit.requests_per_minute: expected an integer"));
    problem.line = 0;
    problem.path.clear();
    QCOMPARE(problem.toString(), QStringLiteral("expected an integer"));
}

void TestPolicyYaml::roundTrip_data() {
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("default") << defaultPolicyYaml();
    QTest::newRow("full") << kFull;
    QTest::newRow("minimal") << QByteArray("airlock: {}\n");
    QTest::newRow("awkward strings") << QByteArray(
        "airlock:\n  allowed_methods: []\n  content_rules:\n"
        "    block_if_contains: [\"true\", \"null\", \"a: b\", \"#x\", \"- y\", \"q\\\"uote\", "
        "\"back\\\\slash\", \"tab\\there\", \"nl\\nhere\", \"\\u00e9t\\u00e9\", \"*star\", \"&amp\", "
        "\"  spaced  \", \"123\", \"{x}\", \"[y]\", \"'s'\", \"%p\", \"@at\", \"`b`\", \"\\u2028\"]\n"
        "    custom_patterns:\n      - { id: \"x: y\", kind: pii, regex: \"\\\\d{3}[- ]?\\\\d{4}\" }\n"
        "  admin: { group: _grp, viewer_group: \"\" }\n");
}

void TestPolicyYaml::roundTrip() {
    QFETCH(QByteArray, yaml);
    const PolicyParseResult first = parsePolicyYaml(yaml);
    for (const PolicyProblem &problem : first.problems)
        qWarning() << problem.toString();
    QVERIFY(first.ok());
    const QByteArray written = policyToYaml(*first.policy);
    const PolicyParseResult second = parsePolicyYaml(written);
    for (const PolicyProblem &problem : second.problems)
        qWarning() << problem.toString() << written;
    QVERIFY(second.ok());
    QCOMPARE(*second.policy, *first.policy);
    QCOMPARE(policyToYaml(*second.policy), written);
}

QTEST_APPLESS_MAIN(TestPolicyYaml)
#include "tst_policyyaml.moc"
