// YamlReader: what it refuses to load, how strictly each scalar is read, and that every problem
// names the line and column a user has to look at (1-based; 0 when there is no place in the
// file, as for a file too large or not UTF-8).
#include "policy/YamlReader.h"

#include <QTest>

using namespace airlock;

namespace {

using Field = YamlReader::Field;

// The value under `key` in a one-level document, with its key, as the policy reader sees it.
std::optional<Field> fieldOf(YamlReader &reader, const YAML::Node &root, const QString &key) {
    const auto fields = reader.map(Field{root, root}, QString(), {key, QStringLiteral("other")});
    if (!fields || !fields->contains(key))
        return std::nullopt;
    return fields->value(key);
}

// Reads the field as `type` and returns the value as text; *accepted says whether the reader took it.
QString read(YamlReader &reader, const Field &field, const QString &type, bool *accepted) {
    const QString path = QStringLiteral("k");
    const auto note = [accepted](bool ok) {
        *accepted = ok;
        return ok;
    };
    if (type == QLatin1String("string")) {
        const auto value = reader.string(field, path);
        return note(value.has_value()) ? *value : QString();
    }
    if (type == QLatin1String("boolean")) {
        const auto value = reader.boolean(field, path);
        return note(value.has_value()) ? QString::fromLatin1(*value ? "true" : "false") : QString();
    }
    if (type == QLatin1String("integer")) {
        const auto value = reader.integer(field, path, -10, 10);
        return note(value.has_value()) ? QString::number(*value) : QString();
    }
    if (type == QLatin1String("map")) {
        const auto value = reader.map(field, path, {QStringLiteral("a"), QStringLiteral("b")});
        if (!note(value.has_value()))
            return QString();
        QStringList keys = value->keys();
        keys.sort();
        return keys.join(u',');
    }
    if (type == QLatin1String("list")) {
        const auto value = reader.sequence(field, path);
        return note(value.has_value()) ? QString::number(value->size()) : QString();
    }
    qFatal("unknown type");
}

QString describe(const QList<PolicyProblem> &problems) {
    QStringList out;
    for (const PolicyProblem &p : problems)
        out.append(p.toString());
    return out.join(QLatin1String(" | "));
}

} // namespace

class TestYamlReader final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void load_data();
    void load();
    void scalar_data();
    void scalar();
    void missingListItemIsReportedAtItsDash();
    void mapKeys_data();
    void mapKeys();
    void problemsAccumulate();
    void reportWithoutPlace();
    void paths();
};

void TestYamlReader::load_data() {
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<bool>("loads");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");

    const auto ok = [](const char *name, const QByteArray &yaml) {
        QTest::newRow(name) << yaml << true << 0 << 0 << QString();
    };
    const auto bad = [](const char *name, const QByteArray &yaml, int line, int column, const char *message) {
        QTest::newRow(name) << yaml << false << line << column << QString::fromLatin1(message);
    };
    ok("map", "a: 1\nb: [x, y]\n");
    ok("empty", "");
    ok("comment only", "# nothing here\n");
    ok("byte order mark", "\xEF\xBB\xBF"
                          "a: 1\n");
    ok("byte order mark, quoted values", "\xEF\xBB\xBF"
                                         "a: \"x\"\nb: 'y'\nc: [\"z\", 'w']\n");
    ok("quoted after multi-byte text", "a: gr\xC3\xBC\xC3\x9F \xF0\x9F\x94\x92\nb: \"x\"\nc: 'y'\n");
    ok("quoted over two lines", "a: \"x\n  y\"\nb: 'p\n  q'\n");
    ok("quotes inside quotes", "a: \"it's \\\"so\\\"\"\nb: 'say \"hi\"'\n");
    ok("explicit document start", "---\na: 1\n");
    ok("document end marker", "a: 1\n...\n");
    ok("UTF-8 text", "a: \"gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x94\x92\"\n");
    ok("exactly 1 MiB", "a: 1\n#" + QByteArray(1024 * 1024 - 7, 'x') + '\n');

    bad("over 1 MiB", "a: 1\n#" + QByteArray(1024 * 1024 - 6, 'x') + '\n', 0, 0, "larger than 1 MiB");
    bad("invalid UTF-8", "a: \"\xFF\"\n", 0, 0, "not valid UTF-8");
    bad("overlong UTF-8", "a: \"\xC0\xAF\"\n", 0, 0, "not valid UTF-8");
    bad("UTF-8 surrogate", "a: \"\xED\xA0\x80\"\n", 0, 0, "not valid UTF-8");
    bad("truncated UTF-8", "a: \"\xE2\x82\"\n", 0, 0, "not valid UTF-8");
    bad("two documents", "a: 1\n---\nb: 2\n", 2, 1, "only one YAML document");
    bad("three documents", "a: 1\n---\nb: 2\n---\nc: 3\n", 2, 1, "only one YAML document");
    bad("anchor on a scalar", "a: 1\nb: &x 2\n", 2, 4, "anchors are not supported");
    bad("anchor on a map", "a:\n  b: &m\n    c: 1\n", 2, 6, "anchors are not supported");
    bad("anchor on a list", "a: &l [1]\n", 1, 4, "anchors are not supported");
    bad("alias", "a: &x 1\nb: *x\n", 1, 4, "anchors are not supported");
    bad("unclosed flow list", "a: [1, 2\nb: 3\n", 2, 2, "YAML syntax error");
    bad("unclosed double quote", "a: \"open\nb: 3\n", 1, 4, "never closed");
    bad("unclosed single quote", "a: 'open\nb: 3\n", 1, 4, "never closed");
    bad("unclosed after an escaped quote", "a: \"open\\\"\nb: 3\n", 1, 4, "never closed");
    bad("unclosed after a doubled quote", "a: 'it''s\nb: 3\n", 1, 4, "never closed");
    bad("unknown escape", "a: \"x\\q\"\n", 1, -1, "YAML syntax error");
    // Where yaml-cpp notices these is its own business (-1: any column); the line is the user's.
    bad("tab indent", "a:\n\tb: 1\n", 2, -1, "YAML syntax error");
    bad("bad indentation", "a:\n    b: 1\n  c: 2\n", 3, -1, "YAML syntax error");
}

void TestYamlReader::load() {
    QFETCH(QByteArray, yaml);
    QFETCH(bool, loads);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    YamlReader reader;
    const std::optional<YAML::Node> root = reader.load(yaml);
    QCOMPARE(root.has_value(), loads);
    if (loads) {
        QVERIFY2(reader.problems().isEmpty(), qPrintable(describe(reader.problems())));
        return;
    }
    QVERIFY(!reader.problems().isEmpty());
    const PolicyProblem &first = reader.problems().first();
    QVERIFY2(first.message.contains(message), qPrintable(first.toString()));
    QCOMPARE(first.line, line);
    if (column >= 0)
        QCOMPARE(first.column, column);
    else
        QVERIFY(first.column > 0);
    QCOMPARE(first.path, QString());
}

void TestYamlReader::scalar_data() {
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");

    const auto ok = [](const char *name, const QByteArray &yaml, const char *type, const char *value) {
        QTest::newRow(name) << yaml << QString::fromLatin1(type) << true << QString::fromUtf8(value) << 0 << 0
                            << QString();
    };
    const auto bad = [](const char *name, const QByteArray &yaml, const char *type, int line, int column,
                        const char *message) {
        QTest::newRow(name) << yaml << QString::fromLatin1(type) << false << QString() << line << column
                            << QString::fromLatin1(message);
    };

    ok("string plain", "k: hello world\n", "string", "hello world");
    ok("string double quoted", "k: \"a: b # c\"\n", "string", "a: b # c");
    ok("string single quoted", "k: 'it''s'\n", "string", "it's");
    ok("string escapes", "k: \"tab\\tnl\\n\\u00e9\"\n", "string", "tab\tnl\n\u00e9");
    ok("string empty quoted", "k: \"\"\n", "string", "");
    ok("string that looks like a number", "k: 42\n", "string", "42");
    ok("string that looks like a boolean", "k: true\n", "string", "true");
    ok("string literal block", "k: |\n  one\n  two\n", "string", "one\ntwo\n");
    ok("string unicode", "k: gr\xC3\xBC\xC3\x9F\n", "string", "gr\u00fc\u00df");
    bad("string missing", "k:\nother: 1\n", "string", 1, 1, "expected a string");
    bad("string null", "k: null\n", "string", 1, 1, "expected a string");
    bad("string tilde", "k: ~\n", "string", 1, 1, "expected a string");
    bad("string list", "k: [a]\n", "string", 1, 4, "expected a string");
    bad("string map", "k:\n  a: 1\n", "string", 2, 3, "expected a string");
    bad("string tagged", "k: !!str x\n", "string", 1, 4, "tags are not supported");
    bad("string custom tag", "k: !secret x\n", "string", 1, 4, "tags are not supported");

    ok("boolean true", "k: true\n", "boolean", "true");
    ok("boolean True", "k: True\n", "boolean", "true");
    ok("boolean TRUE", "k: TRUE\n", "boolean", "true");
    ok("boolean false", "k: false\n", "boolean", "false");
    ok("boolean False", "k: False\n", "boolean", "false");
    ok("boolean FALSE", "k: FALSE\n", "boolean", "false");
    bad("boolean mixed case", "k: tRUE\n", "boolean", 1, 4, "expected true or false");
    bad("boolean quoted", "k: \"true\"\n", "boolean", 1, 4, "expected true or false");
    bad("boolean single quoted", "k: 'false'\n", "boolean", 1, 4, "expected true or false");
    bad("boolean yes", "k: yes\n", "boolean", 1, 4, "expected true or false");
    bad("boolean on", "k: on\n", "boolean", 1, 4, "expected true or false");
    bad("boolean 1", "k: 1\n", "boolean", 1, 4, "expected true or false");
    bad("boolean missing", "k:\n", "boolean", 1, 1, "expected true or false");
    bad("boolean list", "k: [true]\n", "boolean", 1, 4, "expected true or false");
    bad("boolean tagged", "k: !!bool true\n", "boolean", 1, 4, "expected true or false");

    ok("integer", "k: 7\n", "integer", "7");
    ok("integer zero", "k: 0\n", "integer", "0");
    ok("integer negative", "k: -3\n", "integer", "-3");
    ok("integer lowest", "k: -10\n", "integer", "-10");
    ok("integer highest", "k: 10\n", "integer", "10");
    ok("integer leading zero is decimal", "k: 010\n", "integer", "10");
    bad("integer below range", "k: -11\n", "integer", 1, 4, "must be an integer from -10 to 10");
    bad("integer above range", "k: 11\n", "integer", 1, 4, "must be an integer from -10 to 10");
    bad("integer plus sign", "k: +5\n", "integer", 1, 4, "expected an integer");
    bad("integer minus inside", "k: 1-2\n", "integer", 1, 4, "expected an integer");
    bad("integer minus last", "k: 5-\n", "integer", 1, 4, "expected an integer");
    bad("integer double minus", "k: --5\n", "integer", 1, 4, "expected an integer");
    bad("integer float", "k: 5.0\n", "integer", 1, 4, "expected an integer");
    bad("integer exponent", "k: 1e1\n", "integer", 1, 4, "expected an integer");
    bad("integer hex", "k: 0xA\n", "integer", 1, 4, "expected an integer");
    bad("integer octal", "k: 0o7\n", "integer", 1, 4, "expected an integer");
    bad("integer underscore", "k: 1_0\n", "integer", 1, 4, "expected an integer");
    bad("integer quoted", "k: \"5\"\n", "integer", 1, 4, "expected an integer");
    bad("integer overflow", "k: 9223372036854775808\n", "integer", 1, 4, "expected an integer");
    bad("integer word", "k: five\n", "integer", 1, 4, "expected an integer");
    bad("integer missing", "k:\n", "integer", 1, 1, "expected an integer");
    bad("integer tagged", "k: !!int 5\n", "integer", 1, 4, "expected an integer");

    ok("map", "k: {a: 1, b: 2}\n", "map", "a,b");
    ok("map empty", "k: {}\n", "map", "");
    bad("map scalar", "k: 1\n", "map", 1, 4, "expected a map");
    bad("map list", "k:\n  - a\n", "map", 2, 3, "expected a map");
    bad("map missing", "k:\n", "map", 1, 1, "expected a map");
    bad("map tagged", "k: !!map {a: 1}\n", "map", 1, 4, "tags are not supported");

    ok("list", "k: [1, 2, 3]\n", "list", "3");
    ok("list block", "k:\n  - 1\n  - 2\n", "list", "2");
    ok("list empty", "k: []\n", "list", "0");
    bad("list scalar", "k: a\n", "list", 1, 4, "expected a list");
    bad("list map", "k: {a: 1}\n", "list", 1, 4, "expected a list");
    bad("list missing", "k:\n", "list", 1, 1, "expected a list");
    bad("list tagged", "k: !!seq [1]\n", "list", 1, 4, "tags are not supported");
}

void TestYamlReader::scalar() {
    QFETCH(QByteArray, yaml);
    QFETCH(QString, type);
    QFETCH(bool, accepted);
    QFETCH(QString, value);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    YamlReader reader;
    const std::optional<YAML::Node> root = reader.load(yaml);
    QVERIFY2(root, qPrintable(describe(reader.problems())));
    const std::optional<Field> field = fieldOf(reader, *root, QStringLiteral("k"));
    QVERIFY2(field, qPrintable(describe(reader.problems())));
    QVERIFY(reader.problems().isEmpty());

    bool taken = false;
    const QString result = read(reader, *field, type, &taken);
    QCOMPARE(taken, accepted);
    if (accepted) {
        QCOMPARE(result, value);
        QVERIFY2(reader.problems().isEmpty(), qPrintable(describe(reader.problems())));
        return;
    }
    QCOMPARE(reader.problems().size(), 1);
    const PolicyProblem &problem = reader.problems().first();
    QVERIFY2(problem.message.contains(message), qPrintable(problem.toString()));
    QCOMPARE(problem.path, QStringLiteral("k"));
    QCOMPARE(problem.line, line);
    QCOMPARE(problem.column, column);
}

void TestYamlReader::missingListItemIsReportedAtItsDash() {
    // A list item with nothing after its '-' has no place of its own; yaml-cpp marks where the
    // next token starts, often lines later. The problem points at the '-'.
    const QByteArray yaml = "k:\n  - a\n  -\n\n  - c\n";
    YamlReader reader;
    const std::optional<YAML::Node> root = reader.load(yaml);
    QVERIFY2(root, qPrintable(describe(reader.problems())));
    const auto field = fieldOf(reader, *root, QStringLiteral("k"));
    QVERIFY(field);
    const auto items = reader.sequence(*field, QStringLiteral("k"));
    QVERIFY(items);
    QCOMPARE(items->size(), 3);
    QCOMPARE(reader.string(items->at(0), indexPath(QStringLiteral("k"), 0)), std::optional(QStringLiteral("a")));
    QVERIFY(!reader.string(items->at(1), indexPath(QStringLiteral("k"), 1)));
    QCOMPARE(reader.problems().size(), 1);
    const PolicyProblem &problem = reader.problems().first();
    QCOMPARE(problem.path, QStringLiteral("k[1]"));
    QCOMPARE(problem.line, 3);
    QCOMPARE(problem.column, 3);
}

void TestYamlReader::mapKeys_data() {
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QStringList>("known");    // the keys map() returns
    QTest::addColumn<QStringList>("problems"); // "line:column path: message part"

    QTest::newRow("known keys") << QByteArray("a: 1\nb: 2\n") << QStringList{"a", "b"} << QStringList();
    QTest::newRow("unknown key") << QByteArray("a: 1\nzz: 2\n") << QStringList{"a"}
                                 << QStringList{"2:1 zz: unknown key (expected one of: a, b)"};
    QTest::newRow("duplicate key") << QByteArray("a: 1\nb: 2\na: 3\n") << QStringList{"a", "b"}
                                   << QStringList{"3:1 a: duplicate key (first at line 1)"};
    QTest::newRow("duplicate unknown key")
        << QByteArray("zz: 1\nzz: 2\n") << QStringList() << QStringList{"1:1 zz: unknown key", "2:1 zz: duplicate key"};
    QTest::newRow("quoted key") << QByteArray("\"a\": 1\n") << QStringList()
                                << QStringList{"1:1 : keys must be plain names"};
    QTest::newRow("list as key") << QByteArray("? [a]\n: 1\nb: 2\n") << QStringList{"b"}
                                 << QStringList{"1:3 : keys must be plain names"};
    QTest::newRow("flow map") << QByteArray("{b: 1,\n a: 2, c: 3}\n") << QStringList{"a", "b"}
                              << QStringList{"2:8 c: unknown key"};
}

void TestYamlReader::mapKeys() {
    QFETCH(QByteArray, yaml);
    QFETCH(QStringList, known);
    QFETCH(QStringList, problems);
    YamlReader reader;
    const std::optional<YAML::Node> root = reader.load(yaml);
    QVERIFY2(root, qPrintable(describe(reader.problems())));
    const auto fields = reader.map(Field{*root, *root}, QString(), {QStringLiteral("a"), QStringLiteral("b")});
    QVERIFY(fields);
    QStringList keys = fields->keys();
    keys.sort();
    QCOMPARE(keys, known);
    QStringList found;
    for (const PolicyProblem &p : reader.problems())
        found.append(QStringLiteral("%1:%2 %3: %4").arg(p.line).arg(p.column).arg(p.path, p.message));
    QCOMPARE(found.size(), problems.size());
    for (qsizetype i = 0; i < problems.size(); ++i)
        QVERIFY2(found[i].startsWith(problems[i]), qPrintable(found.join(QLatin1String(" | "))));
}

void TestYamlReader::problemsAccumulate() {
    // Every problem is kept, in the order found; a refused value does not stop the reading.
    YamlReader reader;
    const auto root = reader.load("a: x\nb: \"1\"\nc: true\n");
    QVERIFY(root);
    const auto fields = reader.map(Field{*root, *root}, QStringLiteral("top"),
                                   {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
    QVERIFY(fields);
    QVERIFY(!reader.integer(fields->value(QStringLiteral("a")), QStringLiteral("top.a"), 0, 5));
    QVERIFY(!reader.boolean(fields->value(QStringLiteral("b")), QStringLiteral("top.b")));
    QCOMPARE(reader.boolean(fields->value(QStringLiteral("c")), QStringLiteral("top.c")), std::optional(true));
    QCOMPARE(reader.problems().size(), 2);
    QCOMPARE(reader.problems()[0].toString(),
             QStringLiteral("line 1, column 4: top.a: expected an integer; must be an integer from 0 to 5"));
    QCOMPARE(reader.problems()[1].toString(), QStringLiteral("line 2, column 4: top.b: expected true or false"));
}

void TestYamlReader::reportWithoutPlace() {
    YamlReader reader;
    reader.reportAt(YAML::Mark::null_mark(), QStringLiteral("x"), QStringLiteral("somewhere"));
    QCOMPARE(reader.problems().size(), 1);
    QCOMPARE(reader.problems().first().line, 0);
    QCOMPARE(reader.problems().first().column, 0);
    QCOMPARE(reader.problems().first().toString(), QStringLiteral("x: somewhere"));
}

void TestYamlReader::paths() {
    QCOMPARE(keyPath(QString(), QStringLiteral("airlock")), QStringLiteral("airlock"));
    QCOMPARE(keyPath(QStringLiteral("airlock"), QStringLiteral("rate_limit")), QStringLiteral("airlock.rate_limit"));
    QCOMPARE(indexPath(QStringLiteral("airlock.allowed_destinations"), 2),
             QStringLiteral("airlock.allowed_destinations[2]"));
    QCOMPARE(keyPath(indexPath(QStringLiteral("a"), 0), QStringLiteral("host")), QStringLiteral("a[0].host"));
}

QTEST_APPLESS_MAIN(TestYamlReader)
#include "tst_yamlreader.moc"
