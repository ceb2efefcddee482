// ActivityModel and ActivityFilter: the live table stays bounded under a flood, keeps the newest,
// holds events while paused, completes a decision's row when its transfer ends, and filters.
// QAbstractItemModelTester watches both models through every change, so a view on them is never
// told something the model does not hold.
#include "models/ActivityFilter.h"
#include "models/ActivityModel.h"
#include "models/DailyCounters.h"
#include "models/TransferList.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace airlock::gui;

namespace {

DecisionEvent decision(int n, bool allowed = true, const QString &host = QStringLiteral("huggingface.co")) {
    DecisionEvent e;
    e.event = airlock::EventKind::Decision;
    e.requestId = QString::number(n);
    e.time = QDateTime::currentDateTime();
    e.verdict = allowed ? airlock::Verdict::Allowed : airlock::Verdict::Blocked;
    e.code = allowed ? airlock::ErrorCode::None : airlock::ErrorCode::DestinationNotAllowed;
    e.method = QStringLiteral("GET");
    e.host = host;
    e.path = QStringLiteral("/file/%1").arg(n);
    return e;
}

// The model checker, in QtTest mode: a broken rule of QAbstractItemModel fails the test function.
// It re-walks the whole model after every change, which is fine for the small tables here.
std::unique_ptr<QAbstractItemModelTester> watch(QAbstractItemModel *model) {
    return std::make_unique<QAbstractItemModelTester>(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
}

} // namespace

class TestActivityModel final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void staysBoundedUnderFlood_data() {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("events");
        QTest::addColumn<int>("batch");
        QTest::newRow("default capacity, 20000 one by one") << ActivityModel::DefaultCapacity << 20000 << 1;
        QTest::newRow("small capacity, batches") << 100 << 5000 << 37;
        QTest::newRow("batch larger than capacity") << 50 << 1000 << 500;
        QTest::newRow("fewer events than capacity") << 100 << 60 << 7;
    }

    void staysBoundedUnderFlood() {
        QFETCH(int, capacity);
        QFETCH(int, events);
        QFETCH(int, batch);
        ActivityModel model(nullptr, capacity);
        // The checker walks every row after every change: too slow for the 20000 one by one.
        const auto tester = capacity <= 100 ? watch(&model) : nullptr;
        int maxSeen = 0;
        connect(&model, &QAbstractItemModel::rowsInserted, this, [&] { maxSeen = qMax(maxSeen, model.rowCount()); });
        QList<DecisionEvent> pending;
        for (int i = 0; i < events; ++i) {
            pending.append(decision(i));
            if (pending.size() == batch || i == events - 1) {
                model.addAll(pending);
                pending.clear();
            }
        }
        QCOMPARE(model.rowCount(), qMin(capacity, events));
        QVERIFY(maxSeen <= capacity);
        // Newest first, and the newest survive.
        QCOMPARE(model.event(0).requestId, QString::number(events - 1));
        QCOMPARE(model.event(model.rowCount() - 1).requestId, QString::number(events - model.rowCount()));
    }

    void pauseHoldsAndResumeShows() {
        ActivityModel model(nullptr, 10);
        const auto tester = watch(&model);
        model.add(decision(1));
        QSignalSpy held(&model, &ActivityModel::heldChanged);
        model.setPaused(true);
        for (int i = 2; i <= 25; ++i)
            model.add(decision(i));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.held(), 10); // bounded like the table
        QCOMPARE(model.dropped(), qint64(14));
        QVERIFY(held.count() > 0);
        model.setPaused(false);
        QCOMPARE(model.held(), 0);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.event(0).requestId, QStringLiteral("25"));
    }

    void transferEndCompletesItsRow() {
        ActivityModel model;
        const auto tester = watch(&model);
        model.add(decision(7));
        model.add(decision(8));
        DecisionEvent end = decision(7);
        end.event = airlock::EventKind::Transfer;
        end.status = 200;
        end.bytesDown = 1'500'000;
        end.outcome = airlock::TransferOutcome::Complete;
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.add(end);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.event(1).status, 200);
        QCOMPARE(model.data(model.index(1, ActivityModel::Status)).toInt(), 200);
        QVERIFY(!model.data(model.index(1, ActivityModel::Bytes)).toString().isEmpty());

        // A transfer end whose decision fell off (or never came) gets a row of its own.
        DecisionEvent orphan = decision(99);
        orphan.event = airlock::EventKind::Transfer;
        model.add(orphan);
        QCOMPARE(model.rowCount(), 3);
    }

    void endedTransferSaysHowInWords_data() {
        QTest::addColumn<int>("outcome");
        for (int i = 0; i <= int(airlock::kLastTransferOutcome); ++i) {
            const auto outcome = airlock::TransferOutcome(i);
            if (outcome != airlock::TransferOutcome::None && outcome != airlock::TransferOutcome::Complete)
                QTest::addRow("%s", qPrintable(airlock::outcomeName(outcome))) << i;
        }
    }

    void endedTransferSaysHowInWords() {
        // Refused and response_too_large included: every way a transfer ends reads as words.
        QFETCH(int, outcome);
        ActivityModel model;
        model.add(decision(5));
        DecisionEvent end = decision(5);
        end.event = airlock::EventKind::Transfer;
        end.status = 502;
        end.outcome = airlock::TransferOutcome(outcome);
        model.add(end);
        const QString status = model.data(model.index(0, ActivityModel::Status)).toString();
        QCOMPARE(status, QStringLiteral("502, %1").arg(ActivityModel::describeOutcome(end.outcome)));
        QVERIFY2(!status.contains(QLatin1Char('_')), qPrintable(status));
    }

    void eventReadsTheServicesRecord() {
        // The panel reads the record the service publishes with the shared parser, by the audit
        // log's names (bytes_down, duration_ms), and drops what is not a record.
        DecisionEvent sent = decision(4);
        sent.event = airlock::EventKind::Transfer;
        sent.status = 200;
        sent.bytesDown = 4096;
        sent.durationMs = 75;
        sent.outcome = airlock::TransferOutcome::ResponseTooLarge;
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(1'714'564'800'123, Qt::UTC);
        QJsonObject json = airlock::recordToJson(sent, time);
        const std::optional<DecisionEvent> read = DecisionEvent::fromJson(json);
        QVERIFY(read.has_value());
        QCOMPARE(static_cast<const airlock::AuditRecord &>(*read), static_cast<const airlock::AuditRecord &>(sent));
        QCOMPARE(read->time, time);
        QVERIFY(read->transferEnd());

        json.insert(QStringLiteral("status"), QStringLiteral("200"));
        QString error;
        QVERIFY(!DecisionEvent::fromJson(json, &error).has_value());
        QVERIFY2(error.contains(QLatin1String("status")), qPrintable(error));
    }

    void rowTextHasEveryColumn() {
        ActivityModel model;
        const auto tester = watch(&model);
        DecisionEvent e = decision(3, false, QStringLiteral("pastebin.com"));
        e.status = 403;
        model.add(e);
        const QStringList cells = model.rowText(0).split(QLatin1Char('\t'));
        QCOMPARE(cells.size(), int(ActivityModel::ColumnCount));
        QCOMPARE(cells.at(ActivityModel::Host), QStringLiteral("pastebin.com"));
        QCOMPARE(cells.at(ActivityModel::Decision), QStringLiteral("Blocked"));
        QCOMPARE(cells.at(ActivityModel::CodeOrRule), QStringLiteral("not on the allowlist"));
        QCOMPARE(cells.at(ActivityModel::Status), QStringLiteral("403"));
    }

    void filters_data() {
        QTest::addColumn<int>("decisionFilter");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("expected");
        QTest::newRow("everything") << int(ActivityFilter::DecisionFilter::All) << QString() << QString() << 6;
        QTest::newRow("allowed") << int(ActivityFilter::DecisionFilter::Allowed) << QString() << QString() << 4;
        QTest::newRow("blocked") << int(ActivityFilter::DecisionFilter::Blocked) << QString() << QString() << 2;
        QTest::newRow("host") << int(ActivityFilter::DecisionFilter::All) << QStringLiteral("PASTE") << QString() << 2;
        QTest::newRow("text in path") << int(ActivityFilter::DecisionFilter::All) << QString()
                                      << QStringLiteral("/file/2") << 1;
        QTest::newRow("text in code") << int(ActivityFilter::DecisionFilter::All) << QString()
                                      << QStringLiteral("destination_not") << 2;
        QTest::newRow("combined, none") << int(ActivityFilter::DecisionFilter::Allowed) << QStringLiteral("pastebin")
                                        << QString() << 0;
    }

    void filters() {
        QFETCH(int, decisionFilter);
        QFETCH(QString, host);
        QFETCH(QString, text);
        QFETCH(int, expected);
        ActivityModel model;
        const auto tester = watch(&model);
        for (int i = 0; i < 4; ++i)
            model.add(decision(i));
        model.add(decision(10, false, QStringLiteral("pastebin.com")));
        model.add(decision(11, false, QStringLiteral("paste.example")));
        ActivityFilter filter;
        filter.setSourceModel(&model);
        const auto filterTester = watch(&filter);
        filter.setDecisionFilter(ActivityFilter::DecisionFilter(decisionFilter));
        filter.setHostFilter(host);
        filter.setTextFilter(text);
        QCOMPARE(filter.rowCount(), expected);
    }

    void everyKindOfChangeKeepsTheModelContract() {
        // Inserts, in-place updates, removals at the bound and resets, under a filter that hides
        // some rows and shows others, with the checker on the model and on the filter.
        ActivityModel model(nullptr, 6);
        const auto tester = watch(&model);
        ActivityFilter filter;
        filter.setSourceModel(&model);
        const auto filterTester = watch(&filter);
        filter.setDecisionFilter(ActivityFilter::DecisionFilter::Blocked);

        model.add(decision(1));
        model.add(decision(2, false));
        model.addAll({decision(3), decision(4, false, QStringLiteral("pastebin.com")), decision(5)});
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(filter.rowCount(), 2);

        DecisionEvent end = decision(2, false);
        end.event = airlock::EventKind::Transfer;
        end.status = 403;
        model.add(end); // completes row "2" in place
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.event(3).status, 403);

        model.addAll({decision(6, false), decision(7), decision(8, false)}); // two fall off the end
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.event(5).requestId, QStringLiteral("3"));
        QCOMPARE(filter.rowCount(), 3);

        QList<DecisionEvent> flood;
        for (int i = 100; i < 120; ++i)
            flood.append(decision(i, i % 3 == 0));
        model.addAll(flood); // a batch larger than the table replaces every row
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.event(0).requestId, QStringLiteral("119"));

        model.setPaused(true);
        model.addAll({decision(200, false), decision(201)});
        QCOMPARE(model.rowCount(), 6);
        model.setPaused(false); // the held events arrive as one insert
        QCOMPARE(model.event(0).requestId, QStringLiteral("201"));

        filter.setHostFilter(QStringLiteral("paste"));
        filter.setTextFilter(QStringLiteral("GET"));
        filter.setDecisionFilter(ActivityFilter::DecisionFilter::All);
        filter.setHostFilter(QString());
        QCOMPARE(filter.rowCount(), 6);

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(filter.rowCount(), 0);
        model.add(decision(300));
        QCOMPARE(filter.rowCount(), 1);
    }

    void dailyCountersCountDecisionsOnce() {
        DailyCounters counters;
        DecisionEvent allowed = decision(1);
        DecisionEvent end = decision(1);
        end.event = airlock::EventKind::Transfer;
        end.bytesDown = 4096;
        DecisionEvent old = decision(2, false);
        old.time = QDateTime::currentDateTime().addDays(-1);
        // A pull's start and end records are not requests (its requests are recorded apart).
        DecisionEvent pullStarted = decision(4);
        pullStarted.event = airlock::EventKind::PullStarted;
        DecisionEvent pullFinished = decision(4);
        pullFinished.event = airlock::EventKind::PullFinished;
        pullFinished.bytesDown = 1 << 20;
        counters.add({allowed, end, decision(3, false), old, pullStarted, pullFinished});
        QCOMPARE(counters.allowed(), qint64(1));
        QCOMPARE(counters.blocked(), qint64(1));
        QCOMPARE(counters.bytes(), qint64(4096));
        counters.rollOver(QDate::currentDate().addDays(1));
        QCOMPARE(counters.allowed(), qint64(0));
    }

    // A pull's start and end rows name the pull (its source) and what happened, not an empty
    // method and path.
    void pullRecordsSayWhatTheyAre() {
        ActivityModel model;
        DecisionEvent started = decision(7);
        started.event = airlock::EventKind::PullStarted;
        started.method.clear();
        started.path.clear();
        started.source = QStringLiteral("hf:bench/big@main");
        DecisionEvent failed = started;
        failed.event = airlock::EventKind::PullFinished;
        failed.code = airlock::ErrorCode::DigestMismatch;
        failed.outcome = airlock::TransferOutcome::Failed;
        model.add(started);
        model.add(failed);
        QCOMPARE(model.rowCount(), 2);
        QStringList reasons;
        for (int row = 0; row < 2; ++row) {
            QCOMPARE(model.index(row, ActivityModel::Method).data().toString(), QStringLiteral("Pull"));
            QCOMPARE(model.index(row, ActivityModel::Path).data().toString(), QStringLiteral("hf:bench/big@main"));
            reasons.append(model.index(row, ActivityModel::CodeOrRule).data().toString());
        }
        reasons.sort();
        QCOMPARE(reasons.first(), QStringLiteral("model pull ended: ") +
                                      ActivityModel::describeCode(airlock::ErrorCode::DigestMismatch));
        QCOMPARE(reasons.last(), QStringLiteral("model pull started"));
    }

    // The appliance service that sent a request is shown, and found by the text filter.
    void callerIsShown() {
        ActivityModel model;
        DecisionEvent e = decision(8);
        e.caller = QStringLiteral("secai-agent");
        model.add(e);
        model.add(decision(9));
        QCOMPARE(model.headerData(ActivityModel::Caller, Qt::Horizontal).toString(), QStringLiteral("Caller"));
        QStringList callers;
        for (int row = 0; row < model.rowCount(); ++row)
            callers.append(model.index(row, ActivityModel::Caller).data().toString());
        callers.sort();
        QCOMPARE(callers, (QStringList{QString(), QStringLiteral("secai-agent")}));
        int found = 0;
        for (int row = 0; row < model.rowCount(); ++row)
            found += model.index(row, 0)
                             .data(ActivityModel::SearchTextRole)
                             .toString()
                             .contains(QLatin1String("secai-agent"))
                         ? 1
                         : 0;
        QCOMPARE(found, 1);
    }

    // A model pull in the transfer list reads as one, not as a URL missing its slash.
    void pullTransferHasItsOwnTitle() {
        TransferInfo fetch =
            TransferInfo::fromJson(QJsonObject{{QStringLiteral("method"), QStringLiteral("GET")},
                                               {QStringLiteral("host"), QStringLiteral("huggingface.co")},
                                               {QStringLiteral("path"), QStringLiteral("/api/models")}});
        QCOMPARE(TransferList::title(fetch), QStringLiteral("GET huggingface.co/api/models"));
        TransferInfo pull =
            TransferInfo::fromJson(QJsonObject{{QStringLiteral("method"), QStringLiteral("PULL")},
                                               {QStringLiteral("host"), QStringLiteral("huggingface.co")},
                                               {QStringLiteral("path"), QStringLiteral("bench/big")},
                                               {QStringLiteral("kind"), QStringLiteral("pull")}});
        QVERIFY(pull.pull);
        QCOMPARE(TransferList::title(pull), QStringLiteral("Model pull: bench/big from huggingface.co"));
    }
};

QTEST_GUILESS_MAIN(TestActivityModel)
#include "tst_activitymodel.moc"
