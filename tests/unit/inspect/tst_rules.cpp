#include "CredentialSamples.h"
#include "TokenFixtures.h"
#include "inspect/RuleSet.h"
#include "inspect/RulesBuiltin.h"
#include "inspect/Validators.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

using namespace airlock;
using airlock::test::b64url;
using airlock::test::githubToken;
using airlock::test::kAlnum;
using airlock::test::repeatTo;

namespace {

QByteArray randomBase64(int bytes, quint32 seed) {
    QRandomGenerator gen(seed);
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(gen.bounded(256));
    return raw.toBase64();
}

QList<Finding> scanWithRules(const RuleSet &set, const QByteArray &text) {
    QList<Finding> findings;
    if (!set.scan(text, QStringLiteral("body"), &findings))
        qFatal("scan failed");
    return findings;
}

QList<Finding> scan(const QByteArray &text, const ContentRules &rules) {
    QString error;
    const auto set = RuleSet::build(rules, &error);
    if (!set)
        qFatal("rules do not build");
    return scanWithRules(*set, text);
}

// With the default rules, built once: compiling the built-in rules costs a tenth of a second.
QList<Finding> scan(const QByteArray &text) {
    static const std::shared_ptr<const RuleSet> defaults = RuleSet::build({}, nullptr);
    return scanWithRules(*defaults, text);
}

QStringList ruleIds(const QList<Finding> &findings) {
    QStringList ids;
    for (const Finding &f : findings)
        ids << f.rule;
    return ids;
}

} // namespace

class TestRules final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void detects_data();
    void detects();
    void benignCorpus_data();
    void benignCorpus();
    void findingsCarryNoText();
    void pollicySwitchesTurnFamiliesOff();
    void blockIfContainsIsCaseInsensitive();
    void customPatterns();
    void badCustomPatternFailsBuild();
    void builtinIdsAreStable();
    void everyCredentialRuleHasSamples();
    void ruleTableDescribesEveryId();
    void prefiltersFindEveryMatch();
    void unarmouredPrivateKeys_data();
    void randomBase64HoldsNoCredential();
    void unarmouredPrivateKeys();
    void adversarialInputsFinish_data();
    void adversarialInputsFinish();
    void noMatchSpansALineBreak_data() { detects_data(); }
    void noMatchSpansALineBreak();
    void findsWhereverLongTextsAreCut_data() { detects_data(); }
    void findsWhereverLongTextsAreCut();
    void prescanGivesTheSameFindings_data() { detects_data(); }
    void prescanGivesTheSameFindings();
    void prescanOfRandomBytesGivesTheSameFindings();
    void prescannedBlocksAreTakenAsDone();
    void longTextsFindWhatShortOnesFind_data() { detects_data(); }
    void longTextsFindWhatShortOnesFind();
    void foundAmidBinary_data() { detects_data(); }
    void foundAmidBinary();
    void binaryStretchesChangeNoFinding();
    void gapsAndEdgesInBinary_data();
    void gapsAndEdgesInBinary();
};

void TestRules::detects_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("rule"); // empty: nothing may be found

    auto add = [](const char *name, const std::string &text, const char *rule) {
        QTest::newRow(name) << QByteArray::fromStdString(text) << QString::fromLatin1(rule);
    };
    // --- PII ---
    add("ssn dashes", "my ssn is 123-45-6789.", "pii.us_ssn");
    add("ssn spaces", "{\"n\": \"234 56 7890\"}", "pii.us_ssn");
    add("ssn dots", "id 345.67.8901 end", "pii.us_ssn");
    add("ssn bare with context", "SSN: 456789012", "pii.us_ssn");
    add("ssn bare social security", "social security number 567890123", "pii.us_ssn");
    add("ssn area 000", "000-12-3456", "");
    add("ssn area 666", "666-12-3456", "");
    add("ssn area 9xx", "987-65-4321", "");
    add("ssn group 00", "123-00-4567", "");
    add("ssn serial 0000", "123-45-0000", "");
    add("ssn all one digit", "555-55-5555", "");
    add("ssn mixed separators", "123-45.6789", "");
    add("ssn bare without context", "{\"id\": 123456789}", "");

    add("email plain", "contact jane.doe@example.com today", "pii.email");
    add("email plus tag", "\"author\": \"j.smith+hf@mail.example.co.uk\"", "pii.email");
    add("email cc tld", "x=user_1@uni-heidelberg.de", "pii.email");
    add("email io", "ops@startup.io", "pii.email");
    add("email retina file", "\"rfilename\": \"assets/icon@2x.png\"", "");
    add("email package version", "npm i @huggingface/hub@0.15.1 transformers@4.44.2", "");
    add("email unknown tld", "root@localhost.localdomain", "");
    add("email file tld", "weights@model.safetensors", "");
    add("email ssh remote", "git remote add origin git@github.com:org/repo.git", "");
    add("email ssh remote gitlab", "url = git@gitlab.com:group/sub/project.git", "");
    add("email ssh remote hf", "\"repo\": \"git@hf.co:spaces/org/demo\"", "");
    add("email ssh url", "git clone ssh://git@github.com/org/repo.git", "");
    add("email after an ssh remote", "git@github.com:org/repo.git by alice@github.com", "pii.email");
    add("email person at a forge", "author: alice@github.com: thanks", "pii.email");
    add("email before a path", "mailto alice@example.org/inbox", "pii.email");

    add("phone parenthesized", "call (201) 555-0123 now", "pii.phone");
    add("phone dashes", "tel 201-555-0123", "pii.phone");
    add("phone dots", "201.555.0123", "pii.phone");
    add("phone e164", "\"+12015550123\"", "pii.phone");
    add("phone intl uk", "+44 20 7946 0958", "pii.phone");
    add("phone intl de", "ring +49 30 901820", "pii.phone");
    add("phone bare with context", "{\"phone\": \"2015550123\"}", "pii.phone");
    add("phone bare size", "{\"size\": 4976698672}", "");
    add("phone bare timestamp", "{\"created\": 1715012345}", "");
    add("phone invalid area", "123-456-7890", "");
    add("phone date", "2024-05-12 10:22:33", "");
    add("phone semver build", "1.0.0+20240512", "");

    add("card visa spaces", "card 4111 1111 1111 1111 exp", "pii.credit_card");
    add("card mc dashes", "5555-5555-5555-4444", "pii.credit_card");
    add("card amex", "\"cc\": \"378282246310005\"", "pii.credit_card");
    add("card amex grouped", "3782 822463 10005", "pii.credit_card");
    add("card discover", "6011111111111117", "pii.credit_card");
    add("card behind a rejected group", "1234 4111 1111 1111 1111", "pii.credit_card");
    add("card bad luhn", "4111 1111 1111 1112", "");
    add("card epoch ms", "{\"ts\": 1715012345678}", "");
    add("card inside hex", "a41111111111111111b", "");
    add("card long digit run", "{\"model_max_length\": 1000000000000000019884624838656}", "");

    add("iban de spaced", "IBAN DE89 3704 0044 0532 0130 00", "pii.iban");
    add("iban gb compact", "GB82WEST12345698765432", "pii.iban");
    add("iban fr", "FR14 2004 1010 0505 0001 3M02 606", "pii.iban");
    add("iban bad check", "DE89 3704 0044 0532 0130 01", "");
    add("iban unknown country", "XX89370400440532013000", "");

    // --- credentials ---
    add("openai project", "OPENAI_API_KEY=sk-proj-" + repeatTo(kAlnum + "_-", 120), "cred.openai_key");
    add("openai svcacct", "sk-svcacct-" + repeatTo(kAlnum, 100, 3), "cred.openai_key");
    add("openai legacy", "key sk-" + repeatTo(kAlnum, 20) + "T3BlbkFJ" + repeatTo(kAlnum, 20, 1), "cred.openai_key");
    add("anthropic", "x-api-key: sk-ant-api03-" + repeatTo(kAlnum + "-_", 93) + "AA", "cred.anthropic_key");
    add("anthropic admin", "\"sk-ant-admin01-" + repeatTo(kAlnum, 93, 2) + "AA\"", "cred.anthropic_key");
    add("aws akia", "aws_access_key_id=AKIAZ7QWERTY2345ABCD", "cred.aws_access_key");
    add("aws asia", "\"ASIA2345ZYXWVUTSRQPO\"", "cred.aws_access_key");
    add("aws example id", "AKIAIOSFODNN7EXAMPLE", "");
    add("aws secret", "AWS_SECRET_ACCESS_KEY=Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hc1Jd5Fg0Sa8Qe2Wr4T", "cred.aws_secret_key");
    add("gcp api key", "?key=AIza" + repeatTo(kAlnum + "-_", 35), "cred.gcp_api_key");
    add("gcp service account",
        "{\"type\": \"service_account\", \"project_id\": \"demo\", \"private_key\": \"MIIEvQIBADANBg...\"}",
        "cred.gcp_service_account");
    add("gcp type without key", "{\"type\": \"service_account\", \"project_id\": \"demo\"}", "");
    add("github ghp", "token " + githubToken("ghp_", "Xq3vT9pL2mN8kR4sW7yZ1aB5cD6eF0"), "cred.github_token");
    add("github ghs", githubToken("ghs_", "0123456789abcdefghijABCDEFGHIJ"), "cred.github_token");
    add("github pat", "github_pat_" + repeatTo(kAlnum, 22) + "_" + repeatTo(kAlnum, 59, 5), "cred.github_token");
    std::string badGithub = githubToken("ghp_", "Xq3vT9pL2mN8kR4sW7yZ1aB5cD6eF0");
    badGithub.back() = badGithub.back() == 'A' ? 'B' : 'A';
    add("github bad checksum", badGithub, "");
    add("huggingface", "HF_TOKEN=hf_" + repeatTo(kAlnum, 34), "cred.huggingface_token");
    add("huggingface org", "api_org_" + repeatTo(kAlnum, 34, 4), "cred.huggingface_token");
    add("slack bot", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "cred.slack_token");
    add("slack app", "xapp-1-A0123456789-1234567890123-abcdef0123456789", "cred.slack_token");
    add("slack webhook", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "cred.slack_webhook");
    add("stripe live", "sk_live_" + repeatTo(kAlnum, 24), "cred.stripe_key");
    add("stripe restricted test", "rk_test_" + repeatTo(kAlnum, 40, 1), "cred.stripe_key");
    add("private key rsa", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow", "cred.private_key");
    add("private key pkcs8", "\"-----BEGIN PRIVATE KEY-----\\n\"", "cred.private_key");
    add("private key openssh", "-----BEGIN OPENSSH PRIVATE KEY-----", "cred.private_key");
    add("private key pgp", "-----BEGIN PGP PRIVATE KEY BLOCK-----", "cred.private_key");
    add("putty", "PuTTY-User-Key-File-3: ssh-ed25519", "cred.private_key");
    add("public key", "-----BEGIN PUBLIC KEY-----\n-----BEGIN CERTIFICATE-----", "");
    const std::string jwtHeader = b64url(R"({"alg":"HS256","typ":"JWT"})");
    add("jwt", "id_token=" + jwtHeader + "." + b64url(R"({"sub":"user-1"})") + ".c2lnbmF0dXJl", "cred.jwt");
    add("jwt spaced json", jwtHeader + "." + b64url("{ \"iss\": \"me\" }") + ".", "cred.jwt");
    add("jwt-like not json", "eyJhbGciOiAi.eyJzdWIiOi.abc", "");
    add("bearer in text", "curl -H 'X: Bearer abcDEF123456ghiJKL789'", "cred.bearer_token");
    add("bearer prose", "Bearer authenticationscheme is described", "");
    add("url password, postgres", "DATABASE_URL=postgres://app:s3cr3tPw9@db.internal:5432/main", "cred.url_password");
    add("url password, https", "see https://deploy:Hx7!q2Lm@registry.example.org/v2/", "cred.url_password");
    add("url password, redis", "\"redis://default:Zq81mT4x@cache:6379/0\"", "cred.url_password");
    add("url with a port, no password", "proxy http://proxy.local:3128@corp ignored", "");
    add("url password placeholder", "postgres://user:password@localhost/db", "");
    add("url password variable", "mysql://root:${DB_PASSWORD}@db/app", "");
    add("url password stars", "amqp://guest:*****@rabbit/", "");
    add("url user only", "https://git@github.com/org/repo.git", "");
    add("generic api_key", "api_key=Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hc1", "cred.generic_secret");
    add("generic json", "{\"client_secret\": \"Qm9vLx7Rt2Yp8Kw3Zs6Nf1\"}", "cred.generic_secret");
    add("generic key line", "password: Tr0ub4dor&3xYzQ9!kLm", "cred.generic_secret");
    add("generic hex token", "token: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0",
        "cred.generic_secret"); // 63 hex: not a digest length
    add("digest under a key word",
        "{\"cache_key\": \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}", "");
    add("digest under token", "token=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "");
    add("hex under api_key", "api_key=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "cred.generic_secret");
    add("generic pad token", "{\"pad_token\": \"<pad>\", \"eos_token\": \"</s>\"}", "");
    add("generic dotted", "{\"key\": \"model.layers.0.mlp.down_proj.weight\"}", "");
    add("generic low entropy", "password=aaaaaaaaaaaaaaaaaaaaaaaa", "");
    add("generic monkey", "monkey=Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hc1", "");
    add("password with symbols", "password=Zx9!kQ2#mW7$pL4@vB8", "cred.generic_secret");
    add("short json password", "{\"password\":\"Tr0ub4dor&3xyzQ\"}", "cred.generic_secret");
    add("password placeholder", "{\"password\": \"required\", \"pwd\": \"********\"}", "");
    add("password short plain", "password=changeme", "");

    // One positive and one near miss per credential format (CredentialSamples.h).
    int n = 0;
    for (const test::CredentialSample &sample : test::credentialSamples()) {
        ++n;
        QTest::addRow("%s +%d", sample.rule, n)
            << QByteArray::fromStdString(sample.positive) << QString::fromLatin1(sample.rule);
        QTest::addRow("%s -%d", sample.rule, n) << QByteArray::fromStdString(sample.negative) << QString();
    }

    // --- must pass untouched ---
    add("sha256", "\"oid\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"", "");
    add("sha256 digits heavy", "sha256:4111111111111111829384756102938475610293847561029384756102938475", "");
    add("git sha", "\"sha\": \"2fd4e1c67a2d28fced849ee1bb76e7391b93eb12\"", "");
    add("uuid", "\"id\": \"123e4567-e89b-12d3-a456-426614174000\"", "");
    add("semver", "\"version\": \"1.2.3-rc.1+build.5\", \"v\": \"2.10.100\"", "");
    add("dates", "\"lastModified\": \"2024-09-25T14:20:38.000Z\", \"d\": \"2024/05/12\"", "");
    add("floats", "[3.14159265358979, 0.0001234567, -273.15, 6.02214076e23]", "");
    add("sizes", "{\"size\": 16060522496, \"total\": 4976698672, \"n\": 8030261248}", "");
    add("package at version", "pip install torch==2.3.1; \"@types/node@18.11.9\"", "");
    add("base64 of binary", randomBase64(3000, 7).toStdString(), "");
    add("base64 of binary 2", randomBase64(3000, 11).toStdString(), "");
    add("ip and port", "10.0.0.1:8080 192.168.100.200", "");
}

void TestRules::detects() {
    QFETCH(QByteArray, text);
    QFETCH(QString, rule);
    const QList<Finding> findings = scan(text);
    if (rule.isEmpty()) {
        QVERIFY2(findings.isEmpty(), qPrintable(ruleIds(findings).join(QLatin1Char(','))));
        return;
    }
    QVERIFY2(ruleIds(findings).contains(rule), qPrintable(ruleIds(findings).join(QLatin1Char(','))));
    for (const Finding &f : findings) {
        QVERIFY(f.offset >= 0 && f.offset < text.size());
        QCOMPARE(f.where, QStringLiteral("body"));
        QCOMPARE(f.kind,
                 f.rule.startsWith(QLatin1String("pii.")) ? QStringLiteral("pii") : QStringLiteral("credential"));
    }
}

void TestRules::benignCorpus_data() {
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(AIRLOCK_BENIGN_DIR));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 6);
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << dir.filePath(f);
}

void TestRules::benignCorpus() {
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray body = file.readAll();
    QVERIFY(body.size() > 200);
    const QList<Finding> findings = scan(body);
    QVERIFY2(findings.isEmpty(), qPrintable(ruleIds(findings).join(QLatin1Char(','))));
}

void TestRules::findingsCarryNoText() {
    const QByteArray secret = "password=Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hc1";
    const QList<Finding> findings = scan(QByteArray("abc ") + secret);
    QCOMPARE(findings.size(), 1);
    const Finding &f = findings.first();
    QCOMPARE(f.offset, 3); // the delimiter before the keyword
    for (const QString &s : {f.rule, f.kind, f.where})
        QVERIFY(!s.contains(QLatin1String("Zx8Kq2")));
}

void TestRules::pollicySwitchesTurnFamiliesOff() {
    const QByteArray text = "ssn 123-45-6789 and sk_live_" + QByteArray(24, 'a') + "Bc9";
    ContentRules rules;
    QCOMPARE(ruleIds(scan(text, rules)), QStringList({"pii.us_ssn", "cred.stripe_key"}));
    rules.scanForPii = false;
    QCOMPARE(ruleIds(scan(text, rules)), QStringList({"cred.stripe_key"}));
    rules.scanForCredentials = false;
    QVERIFY(scan(text, rules).isEmpty());
    rules.scanForPii = true;
    QCOMPARE(ruleIds(scan(text, rules)), QStringList({"pii.us_ssn"}));
}

void TestRules::blockIfContainsIsCaseInsensitive() {
    ContentRules rules;
    rules.blockIfContains = {QStringLiteral("Project Nightingale"), QStringLiteral("Grüße.*")};
    QList<Finding> f = scan("notes about PROJECT nightingale here", rules);
    QCOMPARE(f.size(), 1);
    QCOMPARE(f.first().rule, QStringLiteral("custom.block_if_contains"));
    QCOMPARE(f.first().kind, QStringLiteral("custom"));
    QCOMPARE(f.first().offset, 12);
    QCOMPARE(scan(QStringLiteral("GRÜSSE x GRÜSSE.* y").toUtf8(), rules).size(), 0); // literal, not regex
    QCOMPARE(scan(QStringLiteral("viele GRÜßE.* z").toUtf8(), rules).size(), 1);
    QVERIFY(scan("project night", rules).isEmpty());
}

void TestRules::customPatterns() {
    ContentRules rules;
    rules.scanForPii = false;
    rules.scanForCredentials = false;
    rules.customPatterns = {{QStringLiteral("employee_id"), QStringLiteral("pii"), QStringLiteral(R"(\bEMP-\d{6}\b)")}};
    const QList<Finding> f = scan("badge EMP-123456 ok", rules);
    QCOMPARE(f.size(), 1);
    QCOMPARE(f.first().rule, QStringLiteral("custom.employee_id"));
    QCOMPARE(f.first().kind, QStringLiteral("pii"));
    QCOMPARE(f.first().offset, 6);
    QVERIFY(scan("badge EMP-12345 ok", rules).isEmpty());
}

void TestRules::badCustomPatternFailsBuild() {
    ContentRules rules;
    rules.customPatterns = {{QStringLiteral("broken"), QStringLiteral("pii"), QStringLiteral("(unclosed")}};
    QString error;
    QVERIFY(!RuleSet::build(rules, &error));
    QVERIFY2(error.contains(QLatin1String("broken")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("missing )")), qPrintable(error));
}

void TestRules::builtinIdsAreStable() {
    // Ids are part of the API (audit records, policies, the README): a rule may be added, never
    // renamed or dropped.
    const QStringList expected = {"pii.us_ssn",
                                  "pii.email",
                                  "pii.phone",
                                  "pii.credit_card",
                                  "pii.iban",
                                  "cred.openai_key",
                                  "cred.anthropic_key",
                                  "cred.aws_access_key",
                                  "cred.aws_secret_key",
                                  "cred.gcp_api_key",
                                  "cred.gcp_service_account",
                                  "cred.github_token",
                                  "cred.huggingface_token",
                                  "cred.slack_token",
                                  "cred.slack_webhook",
                                  "cred.stripe_key",
                                  "cred.private_key",
                                  "cred.jwt",
                                  "cred.bearer_token",
                                  "cred.url_password",
                                  "cred.generic_secret",
                                  "cred.groq_key",
                                  "cred.xai_key",
                                  "cred.perplexity_key",
                                  "cred.replicate_token",
                                  "cred.openrouter_key",
                                  "cred.deepseek_key",
                                  "cred.langsmith_key",
                                  "cred.langfuse_secret_key",
                                  "cred.pinecone_key",
                                  "cred.fireworks_key",
                                  "cred.together_key",
                                  "cred.cerebras_key",
                                  "cred.nvidia_key",
                                  "cred.elevenlabs_key",
                                  "cred.tavily_key",
                                  "cred.google_oauth_token",
                                  "cred.google_oauth_client_secret",
                                  "cred.google_refresh_token",
                                  "cred.firebase_fcm_key",
                                  "cred.azure_storage_key",
                                  "cred.azure_shared_access_key",
                                  "cred.azure_sas_token",
                                  "cred.azure_ad_client_secret",
                                  "cred.digitalocean_pat",
                                  "cred.digitalocean_oauth_token",
                                  "cred.digitalocean_refresh_token",
                                  "cred.heroku_key",
                                  "cred.alibaba_access_key",
                                  "cred.tencent_secret_id",
                                  "cred.cloudflare_origin_ca_key",
                                  "cred.scaleway_access_key",
                                  "cred.flyio_token",
                                  "cred.supabase_pat",
                                  "cred.supabase_secret_key",
                                  "cred.databricks_token",
                                  "cred.gitlab_pat",
                                  "cred.gitlab_deploy_token",
                                  "cred.gitlab_runner_token",
                                  "cred.gitlab_runner_registration",
                                  "cred.gitlab_trigger_token",
                                  "cred.gitlab_ci_job_token",
                                  "cred.gitlab_feed_token",
                                  "cred.gitlab_incoming_mail_token",
                                  "cred.gitlab_agent_token",
                                  "cred.gitlab_scim_token",
                                  "cred.gitlab_oauth_secret",
                                  "cred.gitlab_feature_flag_token",
                                  "cred.bitbucket_app_password",
                                  "cred.atlassian_api_token",
                                  "cred.npm_token",
                                  "cred.pypi_token",
                                  "cred.rubygems_key",
                                  "cred.nuget_key",
                                  "cred.cratesio_token",
                                  "cred.clojars_token",
                                  "cred.docker_hub_pat",
                                  "cred.docker_hub_org_token",
                                  "cred.artifactory_api_key",
                                  "cred.artifactory_reference_token",
                                  "cred.vault_service_token",
                                  "cred.vault_batch_token",
                                  "cred.terraform_cloud_token",
                                  "cred.doppler_token",
                                  "cred.pulumi_token",
                                  "cred.circleci_pat",
                                  "cred.circleci_project_token",
                                  "cred.buildkite_token",
                                  "cred.harness_token",
                                  "cred.octopus_key",
                                  "cred.scalingo_token",
                                  "cred.infracost_key",
                                  "cred.prefect_key",
                                  "cred.defined_networking_key",
                                  "cred.age_secret_key",
                                  "cred.onepassword_secret_key",
                                  "cred.onepassword_service_token",
                                  "cred.planetscale_token",
                                  "cred.planetscale_password",
                                  "cred.planetscale_oauth_token",
                                  "cred.slack_legacy_token",
                                  "cred.telegram_bot_token",
                                  "cred.discord_bot_token",
                                  "cred.discord_webhook",
                                  "cred.teams_webhook",
                                  "cred.twilio_api_key",
                                  "cred.sendgrid_key",
                                  "cred.brevo_key",
                                  "cred.mailchimp_key",
                                  "cred.resend_key",
                                  "cred.stripe_webhook_secret",
                                  "cred.square_access_token",
                                  "cred.square_oauth_secret",
                                  "cred.braintree_token",
                                  "cred.shopify_access_token",
                                  "cred.shopify_custom_app_token",
                                  "cred.shopify_private_app_token",
                                  "cred.shopify_shared_secret",
                                  "cred.flutterwave_secret_key",
                                  "cred.flutterwave_encryption_key",
                                  "cred.plaid_access_token",
                                  "cred.duffel_token",
                                  "cred.easypost_key",
                                  "cred.shippo_token",
                                  "cred.newrelic_user_key",
                                  "cred.newrelic_insert_key",
                                  "cred.newrelic_license_key",
                                  "cred.sentry_org_token",
                                  "cred.sentry_user_token",
                                  "cred.grafana_cloud_token",
                                  "cred.grafana_service_account_token",
                                  "cred.dynatrace_token",
                                  "cred.axiom_token",
                                  "cred.honeycomb_key",
                                  "cred.linear_key",
                                  "cred.notion_token",
                                  "cred.postman_key",
                                  "cred.figma_token",
                                  "cred.airtable_pat",
                                  "cred.typeform_token",
                                  "cred.frameio_token",
                                  "cred.readme_key",
                                  "cred.sourcegraph_token",
                                  "cred.contentful_pat",
                                  "cred.dropbox_token",
                                  "cred.meta_access_token",
                                  "cred.mapbox_secret_token"};
    QCOMPARE(RuleSet::builtinRuleIds(), expected);
}

// A credential rule without a positive and a near miss in CredentialSamples.h fails here.
void TestRules::everyCredentialRuleHasSamples() {
    QStringList sampled;
    for (const test::CredentialSample &sample : test::credentialSamples()) {
        QVERIFY(!sample.positive.empty() && !sample.negative.empty());
        sampled << QString::fromLatin1(sample.rule);
    }
    int credentials = 0;
    for (const BuiltinRule &def : builtinRules()) {
        if (def.kind != "credential")
            continue;
        const QString id = QString::fromLatin1(def.id.data(), qsizetype(def.id.size()));
        QVERIFY2(sampled.contains(id), qPrintable(id));
        ++credentials;
    }
    for (const QString &id : sampled)
        QVERIFY2(RuleSet::builtinRuleIds().contains(id), qPrintable(id)); // no sample for a rule that is gone
    QStringList ids = RuleSet::builtinRuleIds().filter(QStringLiteral("cred."));
    QVERIFY2(ids.size() >= 100, qPrintable(QString::number(ids.size())));
    QVERIFY(credentials >= ids.size());
}

// Every id's first entry says what it finds and what decides, for the README's table.
void TestRules::ruleTableDescribesEveryId() {
    QStringList described;
    for (const BuiltinRule &def : builtinRules()) {
        const QString id = QString::fromLatin1(def.id.data(), qsizetype(def.id.size()));
        if (!def.what.empty()) {
            QVERIFY2(!described.contains(id), qPrintable(id + QStringLiteral(" is described twice")));
            QVERIFY2(!def.check.empty(), qPrintable(id));
            described << id;
        } else {
            QVERIFY2(described.contains(id), qPrintable(id + QStringLiteral(": its first entry has no description")));
        }
    }
    const QString table = QString::fromStdString(builtinRuleTable());
    for (const QString &id : RuleSet::builtinRuleIds())
        QCOMPARE(table.count(QLatin1Char('`') + id + QLatin1Char('`')), 1);
}

// A rule's prefilter stands in for its pattern in the Set: it must occur inside every match of
// the pattern, or the Set would never hand that match over.
void TestRules::prefiltersFindEveryMatch() {
    RE2::Options options;
    options.set_encoding(RE2::Options::EncodingLatin1);
    int checked = 0;
    for (const BuiltinRule &def : builtinRules()) {
        if (def.prefilter.empty())
            continue;
        const RE2 full(re2::StringPiece(def.pattern.data(), def.pattern.size()), options);
        const RE2 pre(re2::StringPiece(def.prefilter.data(), def.prefilter.size()), options);
        QVERIFY(full.ok() && pre.ok());
        for (const test::CredentialSample &sample : test::credentialSamples()) {
            for (const std::string &text : {sample.positive, sample.negative}) {
                re2::StringPiece m;
                if (!RE2::PartialMatch(text, full) || !full.Match(text, 0, text.size(), RE2::UNANCHORED, &m, 1))
                    continue;
                QVERIFY2(RE2::PartialMatch(m, pre), sample.rule);
                ++checked;
            }
        }
    }
    QVERIFY(checked >= 3);
}

// Keys, certificates and public keys made by OpenSSL and ssh-keygen for the test, their PEM
// armour taken off: the base64 of a key is a credential, that of a certificate or public key is not.
void TestRules::unarmouredPrivateKeys_data() {
    QTest::addColumn<QString>("command");
    QTest::addColumn<bool>("privateKey");
    QTest::newRow("rsa pkcs#8") << "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048" << true;
    QTest::newRow("rsa pkcs#1") << "openssl genrsa -traditional 2048" << true;
    QTest::newRow("rsa 4096 pkcs#1") << "openssl genrsa -traditional 4096" << true;
    QTest::newRow("ec p-256 sec1") << "openssl ecparam -name prime256v1 -genkey -noout" << true;
    QTest::newRow("ec p-384 pkcs#8") << "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384" << true;
    QTest::newRow("ed25519 pkcs#8") << "openssl genpkey -algorithm ed25519" << true;
    QTest::newRow("x25519 pkcs#8") << "openssl genpkey -algorithm x25519" << true;
    QTest::newRow("openssh ed25519") << "ssh-keygen -q -t ed25519 -N '' -f KEY && cat KEY" << true;
    QTest::newRow("openssh rsa") << "ssh-keygen -q -t rsa -b 2048 -N '' -f KEY && cat KEY" << true;
    QTest::newRow("certificate")
        << "openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -subj /CN=test -days 1 2>/dev/null" << false;
    QTest::newRow("ec certificate")
        << "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=t "
           "-days 1 2>/dev/null"
        << false;
    QTest::newRow("rsa public key") << "openssl genrsa 2048 2>/dev/null | openssl pkey -pubout" << false;
    QTest::newRow("rsa public key pkcs#1")
        << "openssl genrsa 2048 2>/dev/null | openssl rsa -RSAPublicKey_out 2>/dev/null" << false;
    QTest::newRow("ec public key")
        << "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl pkey -pubout" << false;
    QTest::newRow("certificate request")
        << "openssl req -new -newkey rsa:2048 -nodes -keyout /dev/null -subj /CN=test 2>/dev/null" << false;
}

void TestRules::unarmouredPrivateKeys() {
    QFETCH(QString, command);
    QFETCH(bool, privateKey);
    const QString tool = command.section(QLatin1Char(' '), 0, 0);
    if (QStandardPaths::findExecutable(tool).isEmpty())
        QSKIP("the key tool is not installed");
    QTemporaryDir dir;
    QProcess p;
    p.setWorkingDirectory(dir.path());
    p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command});
    QVERIFY(p.waitForFinished(60000));
    const QList<QByteArray> lines = p.readAllStandardOutput().split('\n');
    QByteArray body; // the base64 between the armour lines, and the same on one line
    for (const QByteArray &line : lines) {
        if (!line.startsWith("-----") && !line.isEmpty())
            body += line + '\n';
    }
    QVERIFY2(body.size() > 40, qPrintable(command));
    for (const QByteArray &text : {body, QByteArray("{\"key\": \"") + QByteArray(body).replace('\n', "") + "\"}",
                                   QByteArray(body).replace('\n', "\\n")}) {
        const QStringList ids = ruleIds(scan(text));
        QVERIFY2(ids.contains(QStringLiteral("cred.private_key")) == privateKey,
                 qPrintable(ids.join(QLatin1Char(','))));
    }
}

// The base64 of random bytes (a photo, an archive, a model file sent inline) must not hold a
// chance credential: short prefixes (cio, LTAI, fw_, "aws" before 40 characters) turn up in it
// every few MB, so their formats end where base64 cannot go on. 16 MB of each alphabet.
void TestRules::randomBase64HoldsNoCredential() {
    for (const auto encoding : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
        for (quint32 seed = 1; seed <= 16; ++seed) {
            QRandomGenerator gen(seed);
            QByteArray raw(768 * 1024, Qt::Uninitialized);
            for (char &c : raw)
                c = char(gen.bounded(256));
            const QByteArray text = "{\"image\": \"" + raw.toBase64(encoding) + "\"}";
            const QList<Finding> findings = scan(text);
            QVERIFY2(findings.isEmpty(), qPrintable(ruleIds(findings).join(QLatin1Char(','))));
        }
    }
}

void TestRules::adversarialInputsFinish_data() {
    QTest::addColumn<QByteArray>("text");
    const int n = 1 << 20;
    QTest::newRow("at signs") << QByteArray(n, '@');
    QTest::newRow("digits") << QByteArray(n, '7');
    QTest::newRow("a@ pairs") << QByteArray("a@").repeated(n / 2);
    QTest::newRow("digit groups") << QByteArray("1234 5678 ").repeated(n / 10);
    QTest::newRow("long base64") << randomBase64(n, 3);
    QTest::newRow("invalid phones") << QByteArray("+999 555 0100 ").repeated(n / 14);
    // Every block names a service account, none holds the private key the rule needs: the
    // whole text is searched for it once, not once per block (a 1 MB text took seconds).
    QTest::newRow("service accounts without keys")
        << QByteArray("{\"type\": \"service_account\", \"x\": \"" + QByteArray(1000, 'p') + "\"}\n").repeated(n / 1031);
}

// Must return (no engine failure, no findings) for pathological but clean input.
void TestRules::adversarialInputsFinish() {
    QFETCH(QByteArray, text);
    const auto set = RuleSet::build({}, nullptr);
    QList<Finding> findings;
    QVERIFY(set->scan(text, QStringLiteral("body"), &findings));
    QVERIFY2(findings.isEmpty(), qPrintable(ruleIds(findings).join(QLatin1Char(','))));
}

// RuleSet scans long texts in blocks of whole lines, which is exact only because no built-in
// pattern matches across a line break (one may only start or end a match). Every sample,
// with a line break inserted or substituted anywhere, must keep that true.
namespace {
// Every built-in pattern compiled once, and a Set of them all that says which may match a text.
struct CompiledPatterns {
    std::vector<std::unique_ptr<RE2>> res;
    std::unique_ptr<RE2::Set> set;
    CompiledPatterns() {
        RE2::Options options;
        options.set_encoding(RE2::Options::EncodingLatin1);
        options.set_log_errors(false);
        set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
        for (const BuiltinRule &def : builtinRules()) {
            res.push_back(std::make_unique<RE2>(re2::StringPiece(def.pattern.data(), def.pattern.size()), options));
            if (!res.back()->ok() || set->Add(re2::StringPiece(def.pattern.data(), def.pattern.size()), nullptr) < 0)
                qFatal("a built-in pattern does not compile");
        }
        if (!set->Compile())
            qFatal("the built-in patterns do not compile as a set");
    }
};
} // namespace

void TestRules::noMatchSpansALineBreak() {
    QFETCH(QByteArray, text);
    static const CompiledPatterns patterns;
    const std::span<const BuiltinRule> defs = builtinRules();
    for (qsizetype cut = 0; cut < text.size(); ++cut) {
        QByteArray inserted = text;
        inserted.insert(cut, '\n');
        QByteArray replaced = text;
        replaced[cut] = '\n';
        for (const QByteArray &t : {inserted, replaced}) {
            const re2::StringPiece input(t.constData(), size_t(t.size()));
            std::vector<int> candidates;
            patterns.set->Match(input, &candidates);
            for (int k : candidates) {
                const RE2 &re = *patterns.res[size_t(k)];
                re2::StringPiece m;
                size_t pos = 0;
                while (pos <= input.size() && re.Match(input, pos, input.size(), RE2::UNANCHORED, &m, 1)) {
                    const std::string_view match(m.data(), m.size());
                    if (match.size() > 2)
                        QVERIFY2(match.substr(1, match.size() - 2).find('\n') == std::string_view::npos,
                                 qPrintable(QString::fromLatin1(defs[size_t(k)].id.data(),
                                                                qsizetype(defs[size_t(k)].id.size()))));
                    pos = size_t(m.data() - input.data()) + std::max<size_t>(m.size(), 1);
                }
            }
        }
    }
}

// The same finding whether a sample opens a block, closes one or sits inside one; a rule
// that needs a second pattern in the same text finds it in another block.

void TestRules::findsWhereverLongTextsAreCut() {
    QFETCH(QByteArray, text);
    QFETCH(QString, rule);
    if (rule.isEmpty() || text.contains('\n'))
        return;
    const QByteArray filler = QByteArray("plain words of a model card, version 1.2.3, nothing to see\n").repeated(60);
    static const std::shared_ptr<const RuleSet> rules = RuleSet::build({}, nullptr);
    auto found = [&](const QByteArray &t) {
        QList<Finding> findings;
        return rules->scan(t, QStringLiteral("body"), &findings) && ruleIds(findings).contains(rule);
    };
    if (rule == QLatin1String("cred.gcp_service_account")) {
        QVERIFY(found("{\n\"type\": \"service_account\",\n" + filler + "\"private_key\": \"x\"}"));
        QVERIFY(!found("{\n\"type\": \"service_account\",\n" + filler + "\"key\": \"x\"}"));
    }
    // Blocks end at the first line break 1 KiB or more into the text.
    for (int lead = 0; lead < 1100; lead += lead < 1000 || lead > 1030 ? 61 : 1) {
        QVERIFY2(found(QByteArray(lead, 'a') + '\n' + text + '\n' + filler), qPrintable(QString::number(lead)));
        QVERIFY2(found(filler + QByteArray(lead, 'b') + ' ' + text), qPrintable(QString::number(lead)));
    }
}

// RuleSet::prescan over the first bytes of a text, in pieces of any size, then scan with what it
// did: the same findings (rule and offset) as one scan, wherever the sample sits.
namespace {
QList<Finding> scanAfterPrescan(const RuleSet &rules, const QByteArray &text, const QList<qsizetype> &cuts,
                                PrescannedBlocks *done) {
    for (qsizetype cut : cuts) {
        if (!rules.prescan(std::string_view(text.constData(), size_t(cut)), done))
            qFatal("prescan failed");
    }
    QList<Finding> findings;
    if (!rules.scan(text, QStringLiteral("body"), &findings, false, done))
        qFatal("scan failed");
    return findings;
}

QString describe(const QList<Finding> &findings) {
    QStringList parts;
    for (const Finding &f : findings)
        parts << f.rule + QLatin1Char('@') + QString::number(f.offset);
    return parts.join(QLatin1Char(','));
}
} // namespace

void TestRules::prescanGivesTheSameFindings() {
    QFETCH(QByteArray, text);
    const QByteArray filler = QByteArray("plain words of a model card, version 1.2.3, nothing to see\n").repeated(40);
    static const std::shared_ptr<const RuleSet> rules = RuleSet::build({}, nullptr);
    const QList<QByteArray> texts = {filler + text + '\n' + filler, filler + filler + QByteArray(700, 'x') + text,
                                     text + '\n' + filler + filler, filler + text.repeated(3) + filler};
    for (const QByteArray &t : texts) {
        QList<Finding> whole;
        QVERIFY(rules->scan(t, QStringLiteral("body"), &whole));
        const QList<QList<qsizetype>> cutSets = {{t.size()},
                                                 {t.size() / 2},
                                                 {1000, 2100, 2101, 3333, t.size() - 1},
                                                 {qsizetype(filler.size()) + 5, t.size()}};
        for (const QList<qsizetype> &cuts : cutSets) {
            PrescannedBlocks done;
            const QList<Finding> after = scanAfterPrescan(*rules, t, cuts, &done);
            QCOMPARE(describe(after), describe(whole));
            QVERIFY(done.upTo <= size_t(cuts.last()));
        }
    }
}

void TestRules::prescanOfRandomBytesGivesTheSameFindings() {
    static const std::shared_ptr<const RuleSet> rules = RuleSet::build({}, nullptr);
    for (quint32 seed = 1; seed <= 12; ++seed) {
        QRandomGenerator gen(seed);
        QByteArray t(512 * 1024, Qt::Uninitialized);
        for (char &c : t)
            c = char(gen.bounded(256));
        // Something to find at a few places, in some seeds only.
        if (seed % 3 == 0)
            t.replace(qsizetype(gen.bounded(t.size() - 100)), 28, "\nAKIAIOSFODNN7EXAMPLX user@example.org\n");
        if (seed % 4 == 0)
            t.replace(t.size() / 2, 14, "\n078-05-1121\n");
        for (bool binary : {false, true}) {
            QList<Finding> whole;
            QVERIFY(rules->scan(t, QStringLiteral("body"), &whole, binary));
            PrescannedBlocks done;
            for (qsizetype cut = 0; cut < t.size(); cut += qsizetype(gen.bounded(1, 70000))) {
                QVERIFY(rules->prescan(std::string_view(t.constData(), size_t(cut)), &done));
            }
            QVERIFY(done.upTo > size_t(t.size()) / 2); // it did most of the work
            QList<Finding> after;
            QVERIFY(rules->scan(t, QStringLiteral("body"), &after, binary, &done));
            QCOMPARE(describe(after), describe(whole));
        }
    }
}

// What prescan did is not done again: its blocks are taken as they are (the Inspector uses them
// only for the bytes they were made from). A prefix that does not continue them is refused.
void TestRules::prescannedBlocksAreTakenAsDone() {
    const auto rules = RuleSet::build({}, nullptr);
    const QByteArray filler = QByteArray("plain words of a model card, version 1.2.3, nothing to see\n").repeated(80);
    const QByteArray clean = filler + filler;
    QByteArray dirty = clean;
    dirty.replace(100, 20, "\nuser@example.org\n");
    QList<Finding> findings;
    QVERIFY(rules->scan(dirty, QStringLiteral("body"), &findings));
    QCOMPARE(ruleIds(findings), QStringList{QStringLiteral("pii.email")});

    PrescannedBlocks done;
    QVERIFY(rules->prescan(std::string_view(clean.constData(), size_t(clean.size())), &done));
    QVERIFY(done.upTo > 200);
    findings.clear();
    QVERIFY(rules->scan(dirty, QStringLiteral("body"), &findings, false, &done));
    QVERIFY(findings.isEmpty());

    PrescannedBlocks ahead = done;
    QVERIFY(!rules->prescan(std::string_view(clean.constData(), 100), &ahead));
}

// A long text is matched over spans of many blocks while nothing is found, block by block
// where something is: a sample anywhere in 300 KiB of clean lines, alone or among many other
// samples, is reported by the same rule at the same place as in a short text.
void TestRules::longTextsFindWhatShortOnesFind() {
    QFETCH(QByteArray, text);
    QFETCH(QString, rule);
    if (rule.isEmpty() || text.contains('\n'))
        return;
    static const std::shared_ptr<const RuleSet> rules = RuleSet::build({}, nullptr);
    auto offsetOf = [&](const QByteArray &t) {
        QList<Finding> findings;
        if (!rules->scan(t, QStringLiteral("body"), &findings))
            qFatal("scan failed");
        for (const Finding &f : findings) {
            if (f.rule == rule)
                return f.offset;
        }
        return qint64(-1);
    };
    const QByteArray sample = "\n " + text + " \n";
    const qint64 inShort = offsetOf(sample);
    QVERIFY(inShort >= 0);
    const QByteArray line("plain words of a model card, version 1.2.3, nothing to see\n");
    const QByteArray filler = line.repeated(300 * 1024 / line.size());
    for (qsizetype at : {qsizetype(0), qsizetype(1500), filler.size() / 3, filler.size() - 3000, filler.size()}) {
        const qsizetype place = filler.indexOf('\n', at) + 1 > 0 ? filler.indexOf('\n', at) : filler.size();
        const QByteArray t = filler.left(place) + sample + filler.mid(place);
        QCOMPARE(offsetOf(t), place + inShort);
    }
    // Dense: a near miss in every few lines before it (the span shrinks and grows again).
    QByteArray dense;
    for (int i = 0; i < 2000; ++i)
        dense += (i % 3 == 0 ? QByteArray("card 4111 1111 1111 1112 id 000-12-3456\n") : line);
    const QByteArray t = dense + sample + filler;
    QCOMPARE(offsetOf(t), dense.size() + inShort);
}

// Mostly binary blocks are matched only around the runs of text a built-in match needs (see
// RuleSet.cpp). Every sample, in binary surroundings at every alignment, is still found, and
// found exactly as with the whole block matched: a rule whose matches could do with a shorter
// run of text, or reach further from it, fails here.
namespace {
QList<Finding> scanWith(const RuleSet &rules, const QByteArray &t, bool skip, bool binary = false) {
    RuleSet::setSkipBinaryStretches(skip);
    QList<Finding> findings;
    const bool ok = rules.scan(t, QStringLiteral("body"), &findings, binary);
    RuleSet::setSkipBinaryStretches(true);
    if (!ok)
        qFatal("scan failed");
    return findings;
}

// Bytes no built-in match is made of: controls (no tab or line break), DEL and 0x80 up.
QByteArray nonText(QRandomGenerator &gen, qsizetype n) {
    QByteArray b(n, Qt::Uninitialized);
    for (char &c : b) {
        const quint32 v = gen.bounded(8 + 18 + 129);
        c = char(v < 8 ? v : v < 26 ? v - 8 + 0x0E : v - 26 + 0x7F);
    }
    return b;
}
} // namespace

void TestRules::foundAmidBinary() {
    QFETCH(QByteArray, text);
    QFETCH(QString, rule);
    if (rule.isEmpty())
        return;
    static const std::shared_ptr<const RuleSet> rules = RuleSet::build({}, nullptr);
    QRandomGenerator gen(qHash(text));
    for (int lead = 2000; lead < 2064; lead += 3) {
        const QByteArray t = nonText(gen, lead) + text + nonText(gen, 3000);
        const QList<Finding> skipping = scanWith(*rules, t, true);
        QVERIFY2(ruleIds(skipping).contains(rule),
                 qPrintable(QString::number(lead) + QLatin1Char(' ') + describe(skipping)));
        QCOMPARE(describe(skipping), describe(scanWith(*rules, t, false)));
    }
}

// The shortest runs and the widest reaches the rules allow, in binary: a context word, then
// bytes of any kind, then the value; the shortest address; and each at the very end of a text.
void TestRules::gapsAndEdgesInBinary_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("rule");
    const QByteArray gap20("\x01\x80\xff\x7f\x02\x90\xa0\xb0\xc0\xd0\xe0\xf0\x03\x04\x05\x06\x07\x10\x11\x12", 20);
    const QByteArray key = "Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hc1Jd5Fg0Sa8Qe2Wr4T";
    QTest::newRow("ssn: word, 20 bytes, 9 digits") << "ssn" + gap20 + "456789012"
                                                   << "pii.us_ssn";
    QTest::newRow("ssn: long word, 20 bytes") << "social security number" + gap20 + "456789012"
                                              << "pii.us_ssn";
    QTest::newRow("phone: word, 12 bytes, 10 digits") << "tel" + gap20.left(12) + "2015550123"
                                                      << "pii.phone";
    QTest::newRow("aws: word, 40 bytes, key") << "secret" + gap20 + gap20 + '\x01' + key << "cred.aws_secret_key";
    QTest::newRow("the shortest address") << QByteArray("a@b.io") << "pii.email";
    QTest::newRow("keyword after any byte") << QByteArray("\x80password:\t\t\tZx8Kq2Lm9Pw4") << "cred.generic_secret";
    QTest::newRow("keyword, 70 tabs, value") << "pwd" + QByteArray(70, '\t') + "=Zx8Kq2Lm9Pw4"
                                             << "cred.generic_secret";
}

void TestRules::gapsAndEdgesInBinary() {
    QFETCH(QByteArray, text);
    QFETCH(QString, rule);
    static const std::shared_ptr<const RuleSet> rules = RuleSet::build({}, nullptr);
    QVERIFY(ruleIds(scanWith(*rules, '\n' + text + '\n', false)).contains(rule)); // a true positive on its own
    QRandomGenerator gen(7);
    for (int lead = 2000; lead < 2130; lead += 1) {
        for (const QByteArray &t : {nonText(gen, lead) + text + nonText(gen, 2500), nonText(gen, lead + 1200) + text}) {
            const QList<Finding> skipping = scanWith(*rules, t, true);
            QVERIFY2(ruleIds(skipping).contains(rule), qPrintable(QString::number(lead)));
            QCOMPARE(describe(skipping), describe(scanWith(*rules, t, false)));
        }
    }
}

// Random bytes with text fragments, keywords, gaps and line breaks strewn in: the same findings
// (rule and offset) with and without skipping, by scan and by prescan then scan.
void TestRules::binaryStretchesChangeNoFinding() {
    static const std::shared_ptr<const RuleSet> rules = RuleSet::build({}, nullptr);
    const QList<QByteArray> fragments = {"secret",
                                         "aws",
                                         "SSN ",
                                         "phone: ",
                                         "\t",
                                         "\n",
                                         "=",
                                         "123456789",
                                         "5551234567",
                                         "078-05-1121",
                                         "a@b.io",
                                         "user@example.org",
                                         "x@y",
                                         "password = hunter2hunter2",
                                         "Bearer abcdefghijklmnopqrstuvwxyz",
                                         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                         "AKIAIOSFODNN7EXAMPLE",
                                         "4111 1111 1111 1111",
                                         "DE89370400440532013000",
                                         "ghp_" + QByteArray::fromStdString(repeatTo(kAlnum, 36))};
    int found = 0;
    for (quint32 seed = 1; seed <= 40; ++seed) {
        QRandomGenerator gen(seed);
        QByteArray t;
        while (t.size() < 64 * 1024) {
            const quint32 what = gen.bounded(10);
            if (what < 4) {
                QByteArray noise(qsizetype(gen.bounded(300)), Qt::Uninitialized);
                for (char &c : noise)
                    c = char(gen.bounded(256));
                t += noise;
            } else if (what < 6) {
                t += nonText(gen, gen.bounded(120));
            } else {
                t += fragments[qsizetype(gen.bounded(quint32(fragments.size())))];
            }
        }
        for (bool binary : {false, true}) {
            const QList<Finding> whole = scanWith(*rules, t, false, binary);
            found += int(whole.size());
            QCOMPARE(describe(scanWith(*rules, t, true, binary)), describe(whole));
            PrescannedBlocks done;
            for (qsizetype cut = 0; cut < t.size(); cut += qsizetype(gen.bounded(1, 9000)))
                QVERIFY(rules->prescan(std::string_view(t.constData(), size_t(cut)), &done));
            QList<Finding> after;
            QVERIFY(rules->scan(t, QStringLiteral("body"), &after, binary, &done));
            QCOMPARE(describe(after), describe(whole));
        }
    }
    QVERIFY(found > 40); // the texts do hold things to find
}

QTEST_APPLESS_MAIN(TestRules)
#include "tst_rules.moc"
