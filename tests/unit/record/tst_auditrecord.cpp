// AuditRecord's one JSON shape: every enum value has its own name and reads back as itself, a
// name this build does not know reads as Unknown, every field survives recordToJson and
// recordFromJson under the audit log's names, and a field of the wrong type is refused.
#include "record/AuditRecord.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

using namespace airlock;

Q_DECLARE_METATYPE(airlock::AuditRecord)

namespace {

// Every value of an enum that runs from 0 to `last`, with its name, as (value, name) pairs.
template <typename Enum> QList<QPair<Enum, QString>> named(Enum last, QString (*nameOf)(Enum)) {
    QList<QPair<Enum, QString>> all;
    for (int i = 0; i <= int(last); ++i)
        all.append({Enum(i), nameOf(Enum(i))});
    return all;
}

AuditRecord requestRecord(EventKind kind) {
    AuditRecord r;
    r.event = kind;
    r.requestId = QStringLiteral("0123456789abcdef0123456789abcdef");
    r.method = QStringLiteral("POST");
    r.host = QStringLiteral("huggingface.co");
    r.path = QStringLiteral("/api/models/x");
    r.verdict = Verdict::Blocked;
    r.code = ErrorCode::PiiDetected;
    r.rule = QStringLiteral("pii.us_ssn");
    r.where = QStringLiteral("header:x-note");
    r.status = 403;
    r.bytesUp = 9'007'199'254'740'992; // 2^53, the largest count a JSON number holds exactly
    r.bytesDown = 5'000'000'000;
    r.durationMs = 1234;
    r.redirects = 3;
    return r;
}

} // namespace

class TestAuditRecord final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void namesAreDistinctAndReadBack();
    void unknownNamesAreUnknown();
    void roundTrip_data();
    void roundTrip();
    void fieldNames_data();
    void fieldNames();
    void absentFieldsKeepDefaults();
    void unknownFieldsAreIgnored();
    void wrongTypesAreRefused_data();
    void wrongTypesAreRefused();
};

void TestAuditRecord::namesAreDistinctAndReadBack() {
    const auto check = [](const auto &values, auto fromName) {
        QSet<QString> seen;
        for (const auto &[value, name] : values) {
            QVERIFY2(!seen.contains(name), qPrintable(name));
            seen.insert(name);
            QVERIFY2(fromName(name) == value, qPrintable(name));
        }
    };
    check(named(kLastEventKind, &eventKindName), &eventKindFromName);
    check(named(kLastVerdict, &verdictName), &verdictFromName);
    check(named(kLastTransferOutcome, &outcomeName), &outcomeFromName);
    check(named(kLastAdminAction, &adminActionName), &adminActionFromName);

    // The names the audit log has always used.
    QCOMPARE(eventKindName(EventKind::Decision), QStringLiteral("decision"));
    QCOMPARE(eventKindName(EventKind::Check), QStringLiteral("check"));
    QCOMPARE(eventKindName(EventKind::Transfer), QStringLiteral("transfer"));
    QCOMPARE(eventKindName(EventKind::Admin), QStringLiteral("admin"));
    QCOMPARE(verdictName(Verdict::Allowed), QStringLiteral("allowed"));
    QCOMPARE(verdictName(Verdict::Blocked), QStringLiteral("blocked"));
    QCOMPARE(outcomeName(TransferOutcome::None), QString());
    QCOMPARE(outcomeName(TransferOutcome::Complete), QStringLiteral("complete"));
    QCOMPARE(outcomeName(TransferOutcome::Refused), QStringLiteral("refused"));
    QCOMPARE(outcomeName(TransferOutcome::UpstreamFailed), QStringLiteral("upstream_failed"));
    QCOMPARE(outcomeName(TransferOutcome::ClientAborted), QStringLiteral("client_aborted"));
    QCOMPARE(outcomeName(TransferOutcome::ResponseTooLarge), QStringLiteral("response_too_large"));
    QCOMPARE(adminActionName(AdminAction::PolicyChanged), QStringLiteral("policy_changed"));
    QCOMPARE(adminActionName(AdminAction::Lockdown), QStringLiteral("lockdown"));
    QCOMPARE(adminActionName(AdminAction::Unlock), QStringLiteral("unlock"));
    QCOMPARE(recordCodeName(std::nullopt), QStringLiteral("unknown"));
}

void TestAuditRecord::unknownNamesAreUnknown() {
    // No nearest guess: a different case, a stray space or a newer writer's word is Unknown.
    for (const char *name : {"Decision", "pull", "decision ", "unknown"})
        QCOMPARE(eventKindFromName(QString::fromLatin1(name)), EventKind::Unknown);
    for (const char *name : {"", "Allowed", "allow", "denied"})
        QCOMPARE(verdictFromName(QString::fromLatin1(name)), Verdict::Unknown);
    for (const char *name : {"completed", "COMPLETE", "refused_by_policy"})
        QCOMPARE(outcomeFromName(QString::fromLatin1(name)), TransferOutcome::Unknown);
    for (const char *name : {"", "reboot", "policy-changed"})
        QCOMPARE(adminActionFromName(QString::fromLatin1(name)), AdminAction::Unknown);
}

void TestAuditRecord::roundTrip_data() {
    QTest::addColumn<AuditRecord>("record");
    for (const auto &[kind, name] : named(kLastEventKind, &eventKindName))
        if (kind != EventKind::Admin)
            QTest::addRow("event %s", qPrintable(name)) << requestRecord(kind);
    for (const auto &[verdict, name] : named(kLastVerdict, &verdictName)) {
        AuditRecord r = requestRecord(EventKind::Decision);
        r.verdict = verdict;
        QTest::addRow("decision %s", qPrintable(name)) << r;
    }
    for (ErrorCode code : allErrorCodes()) {
        AuditRecord r = requestRecord(EventKind::Decision);
        r.code = code;
        QTest::addRow("code %s", qPrintable(codeName(code))) << r;
    }
    AuditRecord unknownCode = requestRecord(EventKind::Decision);
    unknownCode.code = std::nullopt;
    QTest::newRow("code unknown") << unknownCode;
    for (const auto &[outcome, name] : named(kLastTransferOutcome, &outcomeName)) {
        AuditRecord r = requestRecord(EventKind::Transfer);
        r.outcome = outcome;
        QTest::addRow("outcome %s", qPrintable(name.isEmpty() ? QStringLiteral("none") : name)) << r;
    }
    for (const auto &[action, name] : named(kLastAdminAction, &adminActionName)) {
        AuditRecord r;
        r.event = EventKind::Admin;
        r.action = action;
        r.by = QStringLiteral("uid 1000");
        QTest::addRow("admin %s", qPrintable(name)) << r;
    }
    AuditRecord empty;
    empty.event = EventKind::Decision;
    QTest::newRow("defaults") << empty;
}

void TestAuditRecord::roundTrip() {
    QFETCH(AuditRecord, record);
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(1'714'564'800'123, Qt::UTC);
    const QJsonObject json = recordToJson(record, time);
    QCOMPARE(json.value(QStringLiteral("time")).toString(), QStringLiteral("2024-05-01T12:00:00.123Z"));
    const RecordParse back = recordFromJson(json);
    QVERIFY2(back.ok(), qPrintable(back.error));
    QCOMPARE(back.record, record);
    QCOMPARE(back.time, time);
}

void TestAuditRecord::fieldNames_data() {
    QTest::addColumn<AuditRecord>("record");
    QTest::addColumn<QStringList>("fields");
    AuditRecord transfer = requestRecord(EventKind::Transfer);
    transfer.outcome = TransferOutcome::ResponseTooLarge;
    QTest::newRow("transfer") << transfer
                              << QStringList{"bytes_down", "bytes_up", "code",   "decision", "duration_ms", "event",
                                             "host",       "id",       "method", "outcome",  "path",        "redirects",
                                             "rule",       "status",   "time",   "where"};
    AuditRecord decision = requestRecord(EventKind::Decision);
    decision.rule.clear();
    decision.where.clear();
    QTest::newRow("decision without rule")
        << decision << QStringList{"bytes_down", "bytes_up", "code", "decision",  "duration_ms", "event", "host",
                                   "id",         "method",   "path", "redirects", "status",      "time"};
    AuditRecord admin;
    admin.event = EventKind::Admin;
    admin.action = AdminAction::Lockdown;
    admin.by = QStringLiteral("uid 0");
    QTest::newRow("admin") << admin << QStringList{"action", "by", "event", "time"};
}

void TestAuditRecord::fieldNames() {
    QFETCH(AuditRecord, record);
    QFETCH(QStringList, fields);
    QCOMPARE(recordToJson(record, QDateTime::currentDateTimeUtc()).keys(), fields);
}

void TestAuditRecord::absentFieldsKeepDefaults() {
    const RecordParse p = recordFromJson(QJsonObject{{QStringLiteral("event"), QStringLiteral("transfer")}});
    QVERIFY2(p.ok(), qPrintable(p.error));
    AuditRecord expected;
    expected.event = EventKind::Transfer;
    QCOMPARE(p.record, expected);
    QVERIFY(!p.time.isValid());
    QCOMPARE(p.record.outcome, TransferOutcome::None);
    QCOMPARE(p.record.code, std::optional(ErrorCode::None));

    const RecordParse none = recordFromJson(QJsonObject{{QStringLiteral("id"), QStringLiteral("abc")}});
    QVERIFY(!none.ok());
    QVERIFY2(none.error.contains(QLatin1String("event")), qPrintable(none.error));
}

void TestAuditRecord::unknownFieldsAreIgnored() {
    QJsonObject o = recordToJson(requestRecord(EventKind::Decision), QDateTime::currentDateTimeUtc());
    o.insert(QStringLiteral("prev"), QString(64, QLatin1Char('0'))); // the audit log's hash chain
    o.insert(QStringLiteral("added_later"), QJsonArray{1, 2});
    const RecordParse p = recordFromJson(o);
    QVERIFY2(p.ok(), qPrintable(p.error));
    QCOMPARE(p.record, requestRecord(EventKind::Decision));
}

void TestAuditRecord::wrongTypesAreRefused_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");
    for (const char *text : {"event", "time", "id", "method", "host", "path", "decision", "code", "rule", "where",
                             "outcome", "action", "by"}) {
        QTest::addRow("%s number", text) << QString::fromLatin1(text) << QJsonValue(1);
        QTest::addRow("%s null", text) << QString::fromLatin1(text) << QJsonValue(QJsonValue::Null);
    }
    QTest::newRow("decision bool") << "decision" << QJsonValue(true);
    QTest::newRow("outcome array") << "outcome" << QJsonValue(QJsonArray{QStringLiteral("complete")});
    QTest::newRow("time not a date") << "time" << QJsonValue(QStringLiteral("yesterday"));
    for (const char *number : {"status", "bytes_up", "bytes_down", "duration_ms", "redirects"}) {
        QTest::addRow("%s string", number) << QString::fromLatin1(number) << QJsonValue(QStringLiteral("200"));
        QTest::addRow("%s fraction", number) << QString::fromLatin1(number) << QJsonValue(1.5);
        QTest::addRow("%s negative", number) << QString::fromLatin1(number) << QJsonValue(-1);
        QTest::addRow("%s bool", number) << QString::fromLatin1(number) << QJsonValue(false);
    }
    QTest::newRow("status past 999") << "status" << QJsonValue(1000);
    QTest::newRow("bytes_down past 2^53") << "bytes_down" << QJsonValue(1.8e16);
}

void TestAuditRecord::wrongTypesAreRefused() {
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QJsonObject o = recordToJson(requestRecord(EventKind::Transfer), QDateTime::currentDateTimeUtc());
    QVERIFY(recordFromJson(o).ok());
    o.insert(field, value);
    const RecordParse p = recordFromJson(o);
    QVERIFY(!p.ok());
    QVERIFY2(p.error.contains(QLatin1Char('"') + field + QLatin1Char('"')), qPrintable(p.error));
}

QTEST_APPLESS_MAIN(TestAuditRecord)
#include "tst_auditrecord.moc"
