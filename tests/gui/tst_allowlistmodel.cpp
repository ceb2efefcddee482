// AllowlistModel: entries are checked with the shared validator as they are typed, duplicates
// and unknown methods are refused, and Apply's argument keeps per-entry methods. Every model here
// runs under QAbstractItemModelTester, which fails the test on a broken model rule.
#include "models/AllowlistModel.h"
#include "policy/AllowEntryParser.h"

#include <QAbstractItemModelTester>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace airlock;
using namespace airlock::gui;

namespace {

Policy policyWith(const QStringList &entries) {
    Policy p;
    for (const QString &text : entries) {
        AllowEntry e;
        e.kind = text.startsWith(QLatin1String("*.")) ? AllowEntry::Kind::Wildcard : AllowEntry::Kind::Host;
        e.host = text.startsWith(QLatin1String("*.")) ? text.mid(2) : text;
        p.allowedDestinations.append(e);
    }
    return p;
}

} // namespace

class TestAllowlistModel final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void check_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("methods");
        QTest::addColumn<bool>("valid");
        QTest::newRow("host") << QStringLiteral("example.org") << QStringList() << true;
        QTest::newRow("wildcard") << QStringLiteral("*.example.org") << QStringList() << true;
        QTest::newRow("url prefix") << QStringLiteral("https://registry.ollama.ai/v2/")
                                    << QStringList{QStringLiteral("GET")} << true;
        QTest::newRow("empty") << QString() << QStringList() << false;
        QTest::newRow("http url") << QStringLiteral("http://example.org/") << QStringList() << false;
        QTest::newRow("space in host") << QStringLiteral("exa mple.org") << QStringList() << false;
        QTest::newRow("duplicate") << QStringLiteral("huggingface.co") << QStringList() << false;
        QTest::newRow("duplicate, other case") << QStringLiteral("HuggingFace.co") << QStringList() << false;
        QTest::newRow("bad method") << QStringLiteral("example.org") << QStringList{QStringLiteral("FETCH")} << false;
    }

    void check() {
        QFETCH(QString, text);
        QFETCH(QStringList, methods);
        QFETCH(bool, valid);
        AllowlistModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.load(policyWith({QStringLiteral("huggingface.co")}));
        const QString error = model.check(text, methods, {});
        QCOMPARE(error.isEmpty(), valid);
        QString addError;
        QCOMPARE(model.addEntry(text, methods, {}, &addError), valid);
        QCOMPARE(model.rowCount(), valid ? 2 : 1);
    }

    void parseMethods_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<bool>("ok");
        QTest::newRow("empty") << QString() << QStringList() << true;
        QTest::newRow("list") << QStringLiteral("get, head")
                              << QStringList{QStringLiteral("GET"), QStringLiteral("HEAD")} << true;
        QTest::newRow("spaces, duplicate") << QStringLiteral("GET GET") << QStringList{QStringLiteral("GET")} << true;
        QTest::newRow("unknown") << QStringLiteral("GET, TRACE") << QStringList() << false;
    }

    void parseMethods() {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        QFETCH(bool, ok);
        QString error;
        QCOMPARE(AllowlistModel::parseMethods(text, &error), expected);
        QCOMPARE(error.isEmpty(), ok);
    }

    void editsTrackModificationAndRevert() {
        AllowlistModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy modified(&model, &AllowlistModel::modifiedChanged);
        model.load(policyWith({QStringLiteral("huggingface.co"), QStringLiteral("*.hf.co")}));
        QVERIFY(!model.isModified());
        QString error;
        QVERIFY(model.updateEntry(1, QStringLiteral("*.hf.co"), {QStringLiteral("GET")}, {}, &error));
        QVERIFY(model.isModified());
        QCOMPARE(modified.count(), 1);
        model.removeEntry(0);
        QCOMPARE(model.rowCount(), 1);
        model.revert();
        QVERIFY(!model.isModified());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(modified.count(), 2);
        // Editing an entry into itself is not a duplicate; into another one is.
        QVERIFY(model.updateEntry(0, QStringLiteral("huggingface.co"), {}, {}, &error));
        QVERIFY(!model.updateEntry(0, QStringLiteral("*.hf.co"), {}, {}, &error));
        QVERIFY(!error.isEmpty());
    }

    void aViewSeesEveryChange() {
        // A proxy knows the rows only from what the model announces, as a view does: after every
        // kind of change (reset, insert, update, removal, revert) it must show what the model holds.
        AllowlistModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel view;
        view.setSourceModel(&model);
        QAbstractItemModelTester viewTester(&view, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto shown = [&view] {
            QStringList rows;
            for (int row = 0; row < view.rowCount(); ++row)
                rows.append(view.index(row, AllowlistModel::Entry).data().toString());
            return rows;
        };
        QString error;
        model.load(policyWith({QStringLiteral("huggingface.co"), QStringLiteral("*.hf.co")}));
        QCOMPARE(shown(), QStringList({"huggingface.co", "*.hf.co"}));
        QVERIFY(model.addEntry(QStringLiteral("example.org"), {QStringLiteral("GET")}, {}, &error));
        QCOMPARE(shown(), QStringList({"huggingface.co", "*.hf.co", "example.org"}));
        QVERIFY(model.updateEntry(1, QStringLiteral("*.cdn.example"), {}, {}, &error));
        QCOMPARE(shown(), QStringList({"huggingface.co", "*.cdn.example", "example.org"}));
        model.removeEntry(0);
        model.removeEntry(0);
        QCOMPARE(shown(), QStringList({"example.org"}));
        model.revert();
        QCOMPARE(shown(), QStringList({"huggingface.co", "*.hf.co"}));
        model.load(policyWith({QStringLiteral("a.example"), QStringLiteral("b.example"), QStringLiteral("c.example")}));
        QCOMPARE(shown(), QStringList({"a.example", "b.example", "c.example"}));
        model.load(Policy());
        QCOMPARE(shown(), QStringList());
    }

    void jsonKeepsMethods() {
        AllowlistModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        QVERIFY(model.addEntry(QStringLiteral("Example.org"), {}, {}, &error));
        QVERIFY(model.addEntry(QStringLiteral("*.cdn.example"), {QStringLiteral("GET"), QStringLiteral("HEAD")}, {},
                               &error));
        const QJsonArray json = model.toJson();
        QCOMPARE(json.size(), 2);
        QCOMPARE(json.at(0).toString(), QStringLiteral("example.org")); // canonical form
        const QJsonObject second = json.at(1).toObject();
        QCOMPARE(second.value(QStringLiteral("host")).toString(), QStringLiteral("*.cdn.example"));
        QCOMPARE(second.value(QStringLiteral("methods")).toArray().size(), 2);
    }

    // An entry's via list is checked with the service's validator, shown, and sent.
    void viaIsCheckedShownAndSent() {
        AllowlistModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        QVERIFY(AllowlistModel::parseVia(QString(), &error).isEmpty());
        QVERIFY(error.isEmpty());
        const QStringList via = AllowlistModel::parseVia(QStringLiteral("HuggingFace.co, *.huggingface.co"), &error);
        QCOMPARE(via, QStringList({"huggingface.co", "*.huggingface.co"}));
        QVERIFY(AllowlistModel::parseVia(QStringLiteral("huggingface.co 10.0.0.1"), &error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("IP addresses")), qPrintable(error));
        error.clear();
        QVERIFY(AllowlistModel::parseVia(QStringLiteral("a.example a.example"), &error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("twice")), qPrintable(error));
        QVERIFY(!model.check(QStringLiteral("*.r2.cloudflarestorage.com"), {}, {QStringLiteral("*.com")}).isEmpty());

        QVERIFY(model.addEntry(QStringLiteral("*.r2.cloudflarestorage.com"), {QStringLiteral("GET")},
                               {QStringLiteral("https://registry.ollama.ai/v2/")}, &error));
        QVERIFY(model.addEntry(QStringLiteral("huggingface.co"), {}, {}, &error));
        QCOMPARE(model.index(0, AllowlistModel::Via).data().toString(),
                 QStringLiteral("https://registry.ollama.ai/v2/"));
        QCOMPARE(model.index(1, AllowlistModel::Via).data().toString(), QStringLiteral("direct"));
        const QJsonArray json = model.toJson();
        QCOMPARE(json.at(0).toObject().value(QStringLiteral("via")).toArray(),
                 QJsonArray({QStringLiteral("https://registry.ollama.ai/v2/")}));
        QCOMPARE(json.at(1).toString(), QStringLiteral("huggingface.co"));

        Policy p;
        AllowEntry entry = *parseAllowEntry(QStringLiteral("cdn-lfs.hf.co"), &error);
        entry.via = {QStringLiteral("huggingface.co")};
        p.allowedDestinations.append(entry);
        model.load(p);
        QCOMPARE(model.rows().first().via, QStringList({"huggingface.co"}));
        QVERIFY(model.updateEntry(0, QStringLiteral("cdn-lfs.hf.co"), {}, {}, &error));
        QVERIFY(model.isModified());
        QCOMPARE(model.toJson().at(0).toString(), QStringLiteral("cdn-lfs.hf.co"));
    }
};

QTEST_GUILESS_MAIN(TestAllowlistModel)
#include "tst_allowlistmodel.moc"
