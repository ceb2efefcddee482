#include "CtlFormat.h"

#include "record/AuditRecord.h"

#include <QJsonArray>

#include <algorithm>

namespace airlock::ctl {

QString humanBytes(qint64 bytes) {
    if (bytes < 0)
        return QStringLiteral("?");
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return unit == 0 ? QStringLiteral("%1 B").arg(bytes)
                     : QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

QString formatStatus(const QJsonObject &s) {
    QStringList lines;
    auto line = [&lines](const char *label, const QString &value) {
        lines.append(QStringLiteral("%1 %2").arg(QString::fromLatin1(label) + QLatin1Char(':'), -18).arg(value));
    };
    line("airlock",
         s.value(QStringLiteral("enabled")).toBool() ? QStringLiteral("enabled") : QStringLiteral("disabled"));
    if (s.value(QStringLiteral("lockdown")).toBool()) {
        QString text = QStringLiteral("YES: every fetch is refused");
        const QString reason = s.value(QStringLiteral("lockdown_reason")).toString();
        if (!reason.isEmpty())
            text += QStringLiteral(" (%1)").arg(reason);
        line("lockdown", text);
        const QString who = s.value(QStringLiteral("lockdown_who")).toString();
        if (!who.isEmpty())
            line("  set by", who);
        const QString incident = s.value(QStringLiteral("lockdown_incident_id")).toString();
        if (!incident.isEmpty())
            line("  incident", incident);
        const QString time = s.value(QStringLiteral("lockdown_time")).toString();
        if (!time.isEmpty())
            line("  since", time);
    } else {
        line("lockdown", QStringLiteral("no"));
    }
    line("destinations", QString::number(s.value(QStringLiteral("destinations")).toInt()));
    if (s.contains(QStringLiteral("egress_budget_per_hour"))) {
        // The host that used most of its hour, against the budget every host has.
        const QJsonObject egress = s.value(QStringLiteral("egress_bytes_last_hour")).toObject();
        QString busiest;
        qint64 most = 0;
        for (auto it = egress.begin(); it != egress.end(); ++it)
            if (it.value().toInteger() > most) {
                most = it.value().toInteger();
                busiest = it.key();
            }
        const qint64 budget = s.value(QStringLiteral("egress_budget_per_hour")).toInteger();
        line("egress budget", busiest.isEmpty()
                                  ? QStringLiteral("%1 per host an hour, none used").arg(humanBytes(budget))
                                  : QStringLiteral("%1 per host an hour; most used: %2 (%3)")
                                        .arg(humanBytes(budget), busiest, humanBytes(most)));
    }
    line("policy file", s.value(QStringLiteral("policy_path")).toString());
    const QJsonObject c = s.value(QStringLiteral("counters")).toObject();
    line("requests", QStringLiteral("%1 allowed, %2 blocked")
                         .arg(c.value(QStringLiteral("allowed")).toInteger())
                         .arg(c.value(QStringLiteral("blocked")).toInteger()));
    line("traffic", QStringLiteral("%1 up, %2 down")
                        .arg(humanBytes(c.value(QStringLiteral("bytes_up")).toInteger()),
                             humanBytes(c.value(QStringLiteral("bytes_down")).toInteger())));
    line("active transfers", QString::number(s.value(QStringLiteral("active_transfers")).toInt()));
    line("version", s.value(QStringLiteral("version")).toString());
    line("your role", s.value(QStringLiteral("role")).toString());
    return lines.join(QLatin1Char('\n'));
}

QString formatEvent(const QJsonObject &object) {
    const RecordParse parsed = recordFromJson(object);
    if (!parsed.ok())
        return QStringLiteral("(event not understood: %1)").arg(parsed.error);
    const AuditRecord &e = parsed.record;
    const QString time = parsed.time.isValid() ? parsed.time.toUTC().toString(Qt::ISODateWithMs) : QStringLiteral("-");
    if (e.event == EventKind::PullStarted || e.event == EventKind::PullFinished)
        return QStringLiteral("%1  %2 %3 %4%5")
            .arg(time, -24)
            .arg(eventKindName(e.event), -13)
            .arg(e.requestId, e.source)
            .arg(e.event == EventKind::PullFinished
                     ? QStringLiteral("  %1 %2 %3")
                           .arg(outcomeName(e.outcome), recordCodeName(e.code), humanBytes(e.bytesDown))
                     : QString());
    if (e.event == EventKind::Admin)
        return QStringLiteral("%1  %2 %3 by %4")
            .arg(time, -24)
            .arg(eventKindName(e.event), -8)
            .arg(adminActionName(e.action), e.by);
    QString where = e.host + e.path;
    if (where.isEmpty())
        where = QStringLiteral("-");
    QString detail;
    if (e.event == EventKind::Transfer)
        detail = QStringLiteral("%1 in %2 ms").arg(humanBytes(e.bytesDown)).arg(e.durationMs);
    if (!e.rule.isEmpty())
        detail += (detail.isEmpty() ? QString() : QStringLiteral(" ")) + QStringLiteral("rule ") + e.rule;
    return QStringLiteral("%1  %2 %3 %4 %5 %6 %7")
        .arg(time, -24)
        .arg(eventKindName(e.event), -8)
        .arg(verdictName(e.verdict), -7)
        .arg(recordCodeName(e.code), -24)
        .arg(e.method, -6)
        .arg(QString::number(e.status), 3)
        .arg(where + (detail.isEmpty() ? QString() : QStringLiteral("  ") + detail))
        .trimmed();
}

QString formatAllowList(const QJsonObject &policy) {
    QStringList lines;
    for (const QJsonValue &v : policy.value(QStringLiteral("allowed_destinations")).toArray()) {
        const QJsonObject o = v.toObject();
        QStringList methods;
        for (const QJsonValue &m : o.value(QStringLiteral("methods")).toArray())
            methods.append(m.toString());
        QStringList via;
        for (const QJsonValue &origin : o.value(QStringLiteral("via")).toArray())
            via.append(origin.toString());
        lines.append(
            QStringLiteral("%1 %2 %3")
                .arg(o.value(QStringLiteral("entry")).toString(), -44)
                .arg(methods.isEmpty() ? QStringLiteral("(policy methods)") : methods.join(QLatin1Char(',')), -18)
                .arg(via.isEmpty() ? QString() : QStringLiteral("only via ") + via.join(QLatin1Char(',')))
                .trimmed());
    }
    if (lines.isEmpty())
        return QStringLiteral("(the allowlist is empty)");
    return lines.join(QLatin1Char('\n'));
}

QStringList formatTransfers(const QJsonObject &snapshot, int barWidth) {
    QStringList lines;
    for (const QJsonValue &v : snapshot.value(QStringLiteral("transfers")).toArray()) {
        const QJsonObject t = v.toObject();
        const qint64 bytes = t.value(QStringLiteral("bytes")).toInteger();
        const qint64 total = t.value(QStringLiteral("total")).toInteger(-1);
        const bool done = t.value(QStringLiteral("state")).toString() == QLatin1String("finished");
        QString bar;
        if (barWidth > 0) {
            const int filled =
                total > 0 ? int(std::min<qint64>(barWidth, bytes * barWidth / total)) : (done ? barWidth : 0);
            bar = QLatin1Char('[') + QString(filled, QLatin1Char('#')) + QString(barWidth - filled, QLatin1Char('.')) +
                  QStringLiteral("] ");
        }
        const QString size =
            total >= 0 ? humanBytes(bytes) + QStringLiteral(" / ") + humanBytes(total) : humanBytes(bytes);
        const QString state = done ? t.value(QStringLiteral("outcome")).toString()
                                   : humanBytes(t.value(QStringLiteral("rate")).toInteger()) + QStringLiteral("/s");
        QString where = t.value(QStringLiteral("host")).toString() + t.value(QStringLiteral("path")).toString();
        if (t.value(QStringLiteral("kind")).toString() == QLatin1String("pull"))
            where = QStringLiteral("pull %1 (%2/%3 files)")
                        .arg(t.value(QStringLiteral("path")).toString())
                        .arg(t.value(QStringLiteral("files_verified")).toInt())
                        .arg(t.value(QStringLiteral("files_total")).toInt());
        if (where.size() > 48)
            where = where.left(22) + QStringLiteral("...") + where.right(23);
        lines.append(QStringLiteral("%1%2 %3 %4").arg(bar).arg(where, -48).arg(size, -22).arg(state));
    }
    return lines;
}

QString formatDuration(qint64 seconds) {
    if (seconds < 0)
        return QStringLiteral("-");
    const qint64 h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QString formatPullProgress(const QJsonObject &p, int barWidth) {
    const qint64 done = p.value(QStringLiteral("bytes_done")).toInteger();
    const qint64 total = p.value(QStringLiteral("bytes_total")).toInteger();
    const double fraction = total > 0 ? double(done) / double(total) : 0.0;
    QString bar;
    if (barWidth > 0) {
        const int filled = int(std::clamp(fraction, 0.0, 1.0) * barWidth);
        bar = QLatin1Char('[') + QString(filled, QLatin1Char('#')) + QString(barWidth - filled, QLatin1Char('.')) +
              QStringLiteral("] ");
    }
    const QString state = p.value(QStringLiteral("state")).toString();
    QString line = QStringLiteral("%1%2% %3 / %4")
                       .arg(bar)
                       .arg(fraction * 100.0, 5, 'f', 1)
                       .arg(humanBytes(done), humanBytes(total));
    if (state == QLatin1String("downloading")) {
        line += QStringLiteral("  %1/s  %2 left")
                    .arg(humanBytes(p.value(QStringLiteral("rate")).toInteger()))
                    .arg(formatDuration(p.value(QStringLiteral("eta_seconds")).toInteger(-1)));
    } else {
        line += QStringLiteral("  ") + state;
    }
    line += QStringLiteral("  %1/%2 files")
                .arg(p.value(QStringLiteral("files_verified")).toInt())
                .arg(p.value(QStringLiteral("files_total")).toInt());
    const QString current = p.value(QStringLiteral("current_file")).toString();
    if (!current.isEmpty())
        line += QStringLiteral("  ") + current;
    return line;
}

QStringList formatPulls(const QJsonObject &list) {
    QStringList lines;
    for (const QJsonValue &v : list.value(QStringLiteral("pulls")).toArray()) {
        const QJsonObject p = v.toObject();
        const QString state = p.value(QStringLiteral("state")).toString();
        QString detail;
        if (state == QLatin1String("published"))
            detail = p.value(QStringLiteral("published_path")).toString();
        else if (p.contains(QStringLiteral("error")))
            detail = p.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString() +
                     QStringLiteral(": ") +
                     p.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
        else
            detail = formatPullProgress(p, 0);
        lines.append(QStringLiteral("%1 %2 %3 %4")
                         .arg(p.value(QStringLiteral("id")).toString(), -29)
                         .arg(state, -12)
                         .arg(p.value(QStringLiteral("name")).toString(), -32)
                         .arg(detail)
                         .trimmed());
    }
    return lines;
}

QString formatPullPlan(const QJsonObject &plan) {
    QStringList lines;
    lines.append(
        QStringLiteral("%1 at %2")
            .arg(plan.value(QStringLiteral("source")).toString(), plan.value(QStringLiteral("revision")).toString()));
    for (const QJsonValue &v : plan.value(QStringLiteral("files")).toArray()) {
        const QJsonObject f = v.toObject();
        lines.append(QStringLiteral("  %1 %2 %3")
                         .arg(humanBytes(f.value(QStringLiteral("size")).toInteger()), 10)
                         .arg(f.value(QStringLiteral("digest_kind")).toString(), -8)
                         .arg(f.value(QStringLiteral("path")).toString()));
    }
    const qint64 freeBytes = plan.value(QStringLiteral("free_bytes")).toInteger(-1);
    lines.append(QStringLiteral("%1 file(s), %2 in all; %3 free at %4")
                     .arg(plan.value(QStringLiteral("files")).toArray().size())
                     .arg(humanBytes(plan.value(QStringLiteral("total_bytes")).toInteger()),
                          freeBytes >= 0 ? humanBytes(freeBytes) : QStringLiteral("unknown"),
                          plan.value(QStringLiteral("destination")).toString()));
    return lines.join(QLatin1Char('\n'));
}

} // namespace airlock::ctl
