#include "CtlFormat.h"

#include "record/AuditRecord.h"

#include <QJsonArray>

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
        lines.append(QStringLiteral("%1 %2")
                         .arg(o.value(QStringLiteral("entry")).toString(), -44)
                         .arg(methods.isEmpty() ? QStringLiteral("(policy methods)") : methods.join(QLatin1Char(',')))
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
        if (where.size() > 48)
            where = where.left(22) + QStringLiteral("...") + where.right(23);
        lines.append(QStringLiteral("%1%2 %3 %4").arg(bar).arg(where, -48).arg(size, -22).arg(state));
    }
    return lines;
}

} // namespace airlock::ctl
