// airlockctl's event line: read with the shared record parser, so it shows the bytes and time the
// service recorded under the audit log's names, and says so when an event is not a record.
#include "CtlFormat.h"
#include "record/AuditRecord.h"

#include <QTest>

using namespace airlock;
using namespace airlock::ctl;

class TestCtlFormat final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eventLine_data() {
        QTest::addColumn<QJsonObject>("event");
        QTest::addColumn<QString>("line");
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(1'714'564'800'123, Qt::UTC);

        AuditRecord transfer;
        transfer.event = EventKind::Transfer;
        transfer.requestId = QStringLiteral("abc");
        transfer.method = QStringLiteral("GET");
        transfer.host = QStringLiteral("huggingface.co");
        transfer.path = QStringLiteral("/api/models");
        transfer.verdict = Verdict::Allowed;
        transfer.status = 200;
        transfer.bytesDown = 3 * 1024 * 1024;
        transfer.durationMs = 56;
        transfer.outcome = TransferOutcome::Complete;
        QTest::newRow("transfer") << recordToJson(transfer, time)
                                  << "2024-05-01T12:00:00.123Z  transfer allowed ok                       GET    200 "
                                     "huggingface.co/api/models  3.0 MiB in 56 ms";

        AuditRecord blocked;
        blocked.event = EventKind::Decision;
        blocked.method = QStringLiteral("POST");
        blocked.verdict = Verdict::Blocked;
        blocked.code = ErrorCode::CredentialDetected;
        blocked.rule = QStringLiteral("cred.github_token");
        blocked.where = QStringLiteral("url");
        blocked.status = 403;
        QTest::newRow("blocked, no host") << recordToJson(blocked, time)
                                          << "2024-05-01T12:00:00.123Z  decision blocked credential_detected      "
                                             "POST   403 -  rule cred.github_token";

        AuditRecord admin;
        admin.event = EventKind::Admin;
        admin.action = AdminAction::Lockdown;
        admin.by = QStringLiteral("uid 0");
        QTest::newRow("admin") << recordToJson(admin, time) << "2024-05-01T12:00:00.123Z  admin    lockdown by uid 0";

        QJsonObject mistyped = recordToJson(transfer, time);
        mistyped.insert(QStringLiteral("bytes_down"), QStringLiteral("3145728"));
        QTest::newRow("not a record") << mistyped
                                      << "(event not understood: \"bytes_down\" must be a whole number, not negative)";
    }

    void eventLine() {
        QFETCH(QJsonObject, event);
        QFETCH(QString, line);
        QCOMPARE(formatEvent(event), line);
    }
};

QTEST_APPLESS_MAIN(TestCtlFormat)
#include "tst_ctlformat.moc"
