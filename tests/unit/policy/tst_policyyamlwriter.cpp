// policyToYaml: whatever policy the panel or airlockctl builds, what is written is read back by
// the strict loader as the same policy, and writing that again gives the same bytes. Unlike the
// round trip in tst_policyyaml, which starts from YAML text, these policies are built in code, so
// every string the model can hold is put to the writer, not only those a YAML file can spell.
#include "policy/AllowEntryParser.h"
#include "policy/PolicyYaml.h"

#include <QCryptographicHash>
#include <QTest>

#include <limits>

using namespace airlock;

namespace {

// Entries in canonical form, as the loader produces them.
AllowEntry entry(const QString &text, const QStringList &methods = {}) {
    QString error;
    std::optional<AllowEntry> parsed = parseAllowEntry(text, &error);
    if (!parsed)
        qFatal("test data: %s: %s", qPrintable(text), qPrintable(error));
    parsed->methods = methods;
    return *parsed;
}

QByteArray sha256(const QByteArray &value) {
    return QCryptographicHash::hash(value, QCryptographicHash::Sha256);
}

const QStringList kAllMethods{QStringLiteral("GET"),    QStringLiteral("HEAD"),  QStringLiteral("POST"),
                              QStringLiteral("PUT"),    QStringLiteral("PATCH"), QStringLiteral("DELETE"),
                              QStringLiteral("OPTIONS")};

Policy everyFieldSet() {
    Policy p;
    p.enabled = true;
    p.allowedDestinations = {
        entry(QStringLiteral("huggingface.co")),
        entry(QStringLiteral("*.hf.co"), {QStringLiteral("GET"), QStringLiteral("HEAD")}),
        entry(QStringLiteral("https://registry.ollama.ai/v2/"), {QStringLiteral("GET")}),
        entry(QStringLiteral("https://files.example:8443/a/b/"), {QStringLiteral("PUT"), QStringLiteral("DELETE")}),
    };
    p.allowedMethods = kAllMethods;
    p.maxBodySize = qint64(1) << 30;
    p.maxResponseSize = std::numeric_limits<qint64>::max();
    p.requestsPerMinute = 100000;
    p.contentRules.scanForPii = false;
    p.contentRules.scanForCredentials = false;
    p.contentRules.blockIfContains = {QStringLiteral("project nightingale"), QStringLiteral("INTERNAL ONLY")};
    p.contentRules.customPatterns = {
        {QStringLiteral("emp-id"), QStringLiteral("pii"), QStringLiteral("EMP-[0-9]{6}")},
        {QStringLiteral("internal-key"), QStringLiteral("credential"), QStringLiteral("ik_[a-z0-9]{32}")},
    };
    p.credentialAllowlist = {
        {QStringLiteral("huggingface.co"), QStringLiteral("authorization"), sha256("Bearer hf_x")},
        {QStringLiteral("registry.ollama.ai"), QStringLiteral("x-api-key"), sha256("k")},
    };
    p.admin.group = QStringLiteral("wheel");
    p.admin.viewerGroup = QStringLiteral("airlock-view");
    return p;
}

Policy unicode() {
    Policy p;
    p.allowedDestinations = {
        entry(QStringLiteral("b\u00fccher.example")),                      // written as its xn-- form
        entry(QStringLiteral("*.\u4f8b\u3048.example")),                   // wildcard over an IDN parent
        entry(QStringLiteral("https://\u00e9t\u00e9.example/caf\u00e9/")), // path percent-encoded
    };
    p.contentRules.blockIfContains = {
        QStringLiteral("Stra\u00dfe"),
        QStringLiteral("\u6a5f\u5bc6"),             // CJK
        QStringLiteral("\u05e1\u05d5\u05d3\u05d9"), // right to left
        QStringLiteral("e\u0301"),                  // combining accent
        QString::fromUcs4(U"\U0001F512 locked"),    // outside the BMP
        QStringLiteral("line\u2028separator"),      // YAML 1.1 line breaks
        QStringLiteral("next\u0085line"),
        QStringLiteral("in\ufeffside"),
        QStringLiteral("\u200bzero width"),
        QStringLiteral("\u00a0no-break space\u00a0"),
    };
    p.contentRules.customPatterns = {
        {QStringLiteral("\u00fcid"), QStringLiteral("pii"), QStringLiteral("[\u00e4\u00f6\u00fc]+\\p{L}")},
    };
    return p;
}

Policy wildcards() {
    Policy p;
    p.allowedDestinations = {
        entry(QStringLiteral("*.hf.co")),
        entry(QStringLiteral("*.r2.cloudflarestorage.com"), {QStringLiteral("GET"), QStringLiteral("HEAD")}),
        entry(QStringLiteral("*.a.b.c.d.example")),
        entry(QStringLiteral("hf.co")), // the parent, which a wildcard never covers, as its own entry
        entry(QStringLiteral("*.xn--bcher-kva.example"), {QStringLiteral("OPTIONS")}),
    };
    return p;
}

Policy credentials() {
    Policy p;
    QByteArray allBytes;
    for (int i = 0; i < 32; ++i)
        allBytes.append(char(i * 8 + 7));
    p.credentialAllowlist = {
        {QStringLiteral("huggingface.co"), QStringLiteral("authorization"), sha256("Bearer hf_abc")},
        {QStringLiteral("huggingface.co"), QStringLiteral("cookie"), sha256("session=1")},
        {QStringLiteral("api.example"), QStringLiteral("x-!#$%&'*+.^_`|~-key"), QByteArray(32, '\0')},
        {QStringLiteral("xn--bcher-kva.example"), QStringLiteral("x-token"), QByteArray(32, '\xff')},
        {QStringLiteral("deep.sub.domain.example"), QStringLiteral("proxy-authorization"), allBytes},
    };
    return p;
}

Policy customPatterns() {
    Policy p;
    p.contentRules.customPatterns = {
        {QStringLiteral("ssn-like"), QStringLiteral("pii"), QStringLiteral("\\b\\d{3}-\\d{2}-\\d{4}\\b")},
        {QStringLiteral("quoted"), QStringLiteral("credential"), QStringLiteral("key=\"[^\"]+\"")},
        {QStringLiteral("single"), QStringLiteral("credential"), QStringLiteral("'[A-Z]{4}'")},
        {QStringLiteral("anchored"), QStringLiteral("pii"), QStringLiteral("^(?i)id:\\s*[a-f0-9]{8}$")},
        {QStringLiteral("a: b"), QStringLiteral("pii"), QStringLiteral("[{}\\[\\],&*#?|<>=!%@`-]")},
        {QStringLiteral("#not-a-comment"), QStringLiteral("pii"), QStringLiteral("x # y")},
        {QStringLiteral("- dash"), QStringLiteral("pii"), QStringLiteral("- z")},
        {QStringLiteral("true"), QStringLiteral("pii"), QStringLiteral("null")},
        {QStringLiteral("123"), QStringLiteral("credential"), QStringLiteral("0x1F")},
        {QStringLiteral("tab\tid"), QStringLiteral("pii"), QStringLiteral("a\tb\nc\\n")},
    };
    return p;
}

// Strings a YAML reader could take for something else when written plain.
Policy yamlLookalikes() {
    Policy p;
    p.allowedMethods = {};
    p.contentRules.blockIfContains = {
        QStringLiteral("~"),          QStringLiteral("null"),
        QStringLiteral("Null"),       QStringLiteral("NULL"),
        QStringLiteral("true"),       QStringLiteral("False"),
        QStringLiteral("yes"),        QStringLiteral("No"),
        QStringLiteral("on"),         QStringLiteral("OFF"),
        QStringLiteral("y"),          QStringLiteral("n"),
        QStringLiteral("0"),          QStringLiteral("-1"),
        QStringLiteral("0x10"),       QStringLiteral("0o17"),
        QStringLiteral("1e3"),        QStringLiteral(".inf"),
        QStringLiteral("-.Inf"),      QStringLiteral(".nan"),
        QStringLiteral("1_000"),      QStringLiteral("12:30:00"),
        QStringLiteral("2024-01-01"), QStringLiteral("-"),
        QStringLiteral("?"),          QStringLiteral(":"),
        QStringLiteral("- item"),     QStringLiteral("? key"),
        QStringLiteral("key: value"), QStringLiteral("a:b"),
        QStringLiteral("#"),          QStringLiteral("a #b"),
        QStringLiteral("!tag"),       QStringLiteral("!!str"),
        QStringLiteral("&anchor"),    QStringLiteral("*alias"),
        QStringLiteral("%YAML"),      QStringLiteral("@"),
        QStringLiteral("`"),          QStringLiteral("|"),
        QStringLiteral(">"),          QStringLiteral("---"),
        QStringLiteral("..."),        QStringLiteral("[a]"),
        QStringLiteral("{a: 1}"),     QStringLiteral("\"q\""),
        QStringLiteral("'s'"),        QStringLiteral("\\"),
        QStringLiteral(" lead"),      QStringLiteral("trail "),
        QStringLiteral("  "),         QStringLiteral("a\nb"),
        QStringLiteral("a\r\nb"),     QStringLiteral("\n"),
        QStringLiteral("\t"),         QStringLiteral("\x01\x1f\x7f"),
        QStringLiteral("a  b"),       QStringLiteral("<<"),
        QStringLiteral("="),
    };
    p.admin.group = QStringLiteral("_underscore");
    p.admin.viewerGroup = QStringLiteral("Yes");
    return p;
}

Policy leadingByteOrderMark() {
    Policy p;
    p.contentRules.blockIfContains = {QStringLiteral("\ufeffbom")};
    return p;
}

Policy smallest() {
    Policy p;
    p.allowedMethods = {};
    p.maxBodySize = 1;
    p.maxResponseSize = 0;
    p.requestsPerMinute = 1;
    p.admin.group = QStringLiteral("a");
    p.uploadBytesPerHour = 1024;
    p.pulls.maxParallel = 1;
    p.pulls.maxActive = 1;
    return p;
}

Policy defaultPolicy() {
    const PolicyParseResult parsed = parsePolicyYaml(defaultPolicyYaml());
    if (!parsed.ok())
        qFatal("the default policy does not load");
    return *parsed.policy;
}

QString describe(const QList<PolicyProblem> &problems) {
    QStringList out;
    for (const PolicyProblem &p : problems)
        out.append(p.toString());
    return out.join(QLatin1String(" | "));
}

} // namespace

class TestPolicyYamlWriter final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void everyCodePoint_data();
    void everyCodePoint();
    void everyFieldIsWritten();
};

void TestPolicyYamlWriter::roundTrip_data() {
    QTest::addColumn<Policy>("policy");
    QTest::newRow("a default-constructed policy") << Policy();
    QTest::newRow("the default policy") << defaultPolicy();
    QTest::newRow("every field set") << everyFieldSet();
    QTest::newRow("unicode") << unicode();
    QTest::newRow("wildcards") << wildcards();
    QTest::newRow("credential allowlist") << credentials();
    QTest::newRow("custom patterns") << customPatterns();
    QTest::newRow("strings that look like YAML") << yamlLookalikes();
    QTest::newRow("smallest values") << smallest();
    QTest::newRow("leading U+FEFF") << leadingByteOrderMark();
}

void TestPolicyYamlWriter::roundTrip() {
    QFETCH(Policy, policy);
    const QByteArray written = policyToYaml(policy);
    const PolicyParseResult loaded = parsePolicyYaml(written);
    QVERIFY2(loaded.ok(), qPrintable(describe(loaded.problems) + QLatin1String("\n") + QString::fromUtf8(written)));
    QCOMPARE(loaded.policy->allowedDestinations, policy.allowedDestinations);
    QCOMPARE(loaded.policy->contentRules.blockIfContains, policy.contentRules.blockIfContains);
    QCOMPARE(loaded.policy->contentRules.customPatterns.size(), policy.contentRules.customPatterns.size());
    for (qsizetype i = 0; i < policy.contentRules.customPatterns.size(); ++i) {
        QCOMPARE(loaded.policy->contentRules.customPatterns[i].id, policy.contentRules.customPatterns[i].id);
        QCOMPARE(loaded.policy->contentRules.customPatterns[i].regex, policy.contentRules.customPatterns[i].regex);
    }
    QCOMPARE(*loaded.policy, policy);
    QCOMPARE(policyToYaml(*loaded.policy), written); // stable: writing what was read changes nothing
}

void TestPolicyYamlWriter::everyCodePoint_data() {
    QTest::addColumn<char32_t>("first");
    QTest::addColumn<char32_t>("last");
    const auto block = [](char32_t first, char32_t last) {
        QTest::addRow("U+%04X..U+%04X", uint(first), uint(last)) << first << last;
    };
    for (char32_t c = 0x1; c < 0x3000; c += 0x400)
        block(c, c + 0x3FF);
    block(0xD000, 0xD7FF); // up to the surrogates, which are not characters
    block(0xE000, 0xE3FF);
    block(0xFC00, 0xFFFF);
    block(0x10000, 0x103FF);
    block(0x1F000, 0x1F3FF);
    block(0xE0000, 0xE03FF);
    block(0x10FC00, 0x10FFFF);
}

void TestPolicyYamlWriter::everyCodePoint() {
    // Each code point alone and between two letters, in a literal and in a regex.
    QFETCH(char32_t, first);
    QFETCH(char32_t, last);
    Policy policy;
    for (char32_t c = first; c <= last; ++c) {
        const QString one = QString::fromUcs4(&c, 1);
        if (c != 0xFEFF) // at the start of a string: the expected failure in roundTrip
            policy.contentRules.blockIfContains.append(one);
        policy.contentRules.blockIfContains.append(u'a' + one + u'b');
    }
    policy.contentRules.customPatterns.append(
        {QStringLiteral("all"), QStringLiteral("pii"), policy.contentRules.blockIfContains.join(QString())});
    const QByteArray written = policyToYaml(policy);
    // yaml-cpp would read most of these raw too, but YAML 1.1 readers take U+0085, U+2028 and
    // U+2029 for line breaks and YAML allows no control characters: the file holds none of them
    // raw, so any reader (or editor) sees the same text.
    for (const char32_t c : QString::fromUtf8(written).toUcs4()) {
        const bool unsafe = (c < 0x20 && c != U'\n') || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 ||
                            c == 0x2029 || c == 0xFEFF;
        QVERIFY2(!unsafe, qPrintable(QStringLiteral("U+%1 written raw").arg(uint(c), 4, 16, QLatin1Char('0'))));
    }
    const PolicyParseResult loaded = parsePolicyYaml(written);
    QVERIFY2(loaded.ok(), qPrintable(describe(loaded.problems)));
    const QStringList &got = loaded.policy->contentRules.blockIfContains;
    QCOMPARE(got.size(), policy.contentRules.blockIfContains.size());
    for (qsizetype i = 0; i < got.size(); ++i) {
        const QList<uint> expected = policy.contentRules.blockIfContains[i].toUcs4();
        QVERIFY2(got[i] == policy.contentRules.blockIfContains[i],
                 qPrintable(QStringLiteral("U+%1 came back as %2")
                                .arg(expected.value(expected.size() == 1 ? 0 : 1), 4, 16, QLatin1Char('0'))
                                .arg(QString::fromLatin1(got[i].toUtf8().toHex(' ')))));
    }
    QCOMPARE(*loaded.policy, policy);
    QCOMPARE(policyToYaml(*loaded.policy), written);
}

void TestPolicyYamlWriter::everyFieldIsWritten() {
    // A field the writer forgot would come back as its default; make every field differ from it.
    const Policy p = everyFieldSet();
    const Policy defaults;
    QVERIFY(p.enabled != defaults.enabled);
    QVERIFY(p.allowedDestinations != defaults.allowedDestinations);
    QVERIFY(p.allowedMethods != defaults.allowedMethods);
    QVERIFY(p.maxBodySize != defaults.maxBodySize);
    QVERIFY(p.maxResponseSize != defaults.maxResponseSize);
    QVERIFY(p.requestsPerMinute != defaults.requestsPerMinute);
    QVERIFY(p.contentRules.scanForPii != defaults.contentRules.scanForPii);
    QVERIFY(p.contentRules.scanForCredentials != defaults.contentRules.scanForCredentials);
    QVERIFY(p.contentRules.blockIfContains != defaults.contentRules.blockIfContains);
    QVERIFY(p.contentRules.customPatterns != defaults.contentRules.customPatterns);
    QVERIFY(p.credentialAllowlist != defaults.credentialAllowlist);
    QVERIFY(p.admin.group != defaults.admin.group);
    QVERIFY(p.admin.viewerGroup != defaults.admin.viewerGroup);
    const PolicyParseResult loaded = parsePolicyYaml(policyToYaml(p));
    QVERIFY2(loaded.ok(), qPrintable(describe(loaded.problems)));
    QCOMPARE(*loaded.policy, p);
}

QTEST_APPLESS_MAIN(TestPolicyYamlWriter)
#include "tst_policyyamlwriter.moc"
