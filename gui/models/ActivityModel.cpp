#include "models/ActivityModel.h"

#include "models/Format.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace airlock::gui {

ActivityModel::ActivityModel(QObject *parent, int capacity)
    : QAbstractTableModel(parent)
    , m_capacity(qMax(1, capacity)) {}

int ActivityModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString ActivityModel::describeCode(const QString &code) {
    // The service's codes are stable English identifiers; the user reads words in their language.
    static const struct {
        const char *code;
        const char *text;
    } known[] = {
        {"ok", QT_TR_NOOP("allowed")},
        {"bad_request", QT_TR_NOOP("malformed request")},
        {"disabled", QT_TR_NOOP("Airlock disabled")},
        {"lockdown", QT_TR_NOOP("lockdown")},
        {"rate_limited", QT_TR_NOOP("rate limit")},
        {"https_required", QT_TR_NOOP("HTTPS required")},
        {"destination_not_allowed", QT_TR_NOOP("not on the allowlist")},
        {"method_not_allowed", QT_TR_NOOP("method not allowed")},
        {"reserved_address", QT_TR_NOOP("reserved address")},
        {"credential_detected", QT_TR_NOOP("credential detected")},
        {"pii_detected", QT_TR_NOOP("personal data detected")},
        {"content_blocked", QT_TR_NOOP("content blocked")},
        {"uninspectable", QT_TR_NOOP("could not be inspected")},
        {"body_too_large", QT_TR_NOOP("request too large")},
        {"response_too_large", QT_TR_NOOP("response too large")},
        {"audit_unavailable", QT_TR_NOOP("audit log unavailable")},
        {"busy", QT_TR_NOOP("busy")},
        {"upstream_unreachable", QT_TR_NOOP("upstream unreachable")},
        {"upstream_tls_error", QT_TR_NOOP("upstream TLS error")},
        {"upstream_timeout", QT_TR_NOOP("upstream timeout")},
        {"upstream_failed", QT_TR_NOOP("upstream failed")},
        {"too_many_redirects", QT_TR_NOOP("too many redirects")},
    };
    for (const auto &k : known)
        if (code == QLatin1String(k.code))
            return tr(k.text);
    return code;
}

QString ActivityModel::describeOutcome(const QString &outcome) {
    if (outcome == QLatin1String("complete"))
        return tr("complete");
    if (outcome == QLatin1String("upstream_failed"))
        return tr("upstream failed");
    if (outcome == QLatin1String("client_aborted"))
        return tr("cancelled by the client");
    return outcome;
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const DecisionEvent &e = m_rows.at(std::size_t(index.row()));
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return e.time.toLocalTime().time().toString(QStringLiteral("HH:mm:ss"));
        case Decision:
            return e.allowed ? tr("Allowed") : tr("Blocked");
        case Method:
            return e.method;
        case Host:
            return e.host;
        case Path:
            return e.path;
        case CodeOrRule:
            if (e.allowed && (e.code.isEmpty() || e.code == QLatin1String("ok")))
                return e.rule; // the allowlist entry that let it through, when the service names it
            if (e.rule.isEmpty())
                return describeCode(e.code);
            return e.code.isEmpty() ? e.rule : tr("%1 (%2)").arg(describeCode(e.code), e.rule);
        case Status:
            if (!e.outcome.isEmpty() && e.outcome != QLatin1String("complete"))
                return e.status > 0 ? tr("%1, %2").arg(e.status).arg(describeOutcome(e.outcome))
                                    : describeOutcome(e.outcome);
            return e.status > 0 ? QVariant(e.status) : QVariant();
        case Bytes:
            return e.bytes > 0 ? Format::bytes(e.bytes) : QString();
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QLocale().toString(e.time.toLocalTime(), QLocale::LongFormat);
        if (index.column() == CodeOrRule && !e.code.isEmpty())
            return e.code;
        return {};
    case Qt::ForegroundRole:
        // Colour repeats the Decision column's word; it never carries meaning alone.
        if (index.column() == Decision)
            return QBrush(e.allowed ? QColor(0x1b, 0x6e, 0x20) : QColor(0xb0, 0x1c, 0x1c));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Status || index.column() == Bytes)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case AllowedRole:
        return e.allowed;
    case HostRole:
        return e.host;
    case SearchTextRole:
        return QStringList{e.method, e.host, e.path, e.code, e.rule, QString::number(e.status)}.join(QLatin1Char(' '));
    }
    return {};
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Decision:
        return tr("Decision");
    case Method:
        return tr("Method");
    case Host:
        return tr("Host");
    case Path:
        return tr("Path");
    case CodeOrRule:
        return tr("Reason or rule");
    case Status:
        return tr("Status");
    case Bytes:
        return tr("Bytes");
    }
    return {};
}

void ActivityModel::add(const DecisionEvent &event) {
    addAll({event});
}

void ActivityModel::addAll(const QList<DecisionEvent> &events) {
    if (events.isEmpty())
        return;
    if (m_paused) {
        for (const DecisionEvent &e : events)
            m_held.push_back(e);
        while (int(m_held.size()) > m_capacity) {
            m_held.pop_front();
            ++m_dropped;
        }
        Q_EMIT heldChanged(held());
        return;
    }
    merge(events);
}

void ActivityModel::merge(const QList<DecisionEvent> &events) {
    QList<DecisionEvent> fresh;
    for (const DecisionEvent &e : events) {
        if (e.transferEnd && !e.id.isEmpty() && completeRow(&fresh, e))
            continue;
        fresh.append(e);
    }
    if (!fresh.isEmpty())
        insertNewest(fresh);
}

bool ActivityModel::completeRow(QList<DecisionEvent> *pending, const DecisionEvent &end) {
    // The end of a transfer fills in its decision's row rather than adding one of its own.
    auto fill = [&end](DecisionEvent &row) {
        row.status = end.status;
        row.bytes = end.bytes;
        row.durationMs = end.durationMs;
        row.outcome = end.outcome;
    };
    for (qsizetype i = pending->size() - 1; i >= 0; --i) {
        if ((*pending)[i].id == end.id && !(*pending)[i].transferEnd) {
            fill((*pending)[i]);
            return true;
        }
    }
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].id == end.id && !m_rows[row].transferEnd) {
            fill(m_rows[row]);
            Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
            return true;
        }
    }
    return false;
}

void ActivityModel::insertNewest(const QList<DecisionEvent> &newestLast) {
    // Only the newest `capacity` of a batch can ever be shown.
    const qsizetype skip = qMax<qsizetype>(0, newestLast.size() - m_capacity);
    const int incoming = int(newestLast.size() - skip);
    const int overflow = int(m_rows.size()) + incoming - m_capacity;
    if (overflow > 0) {
        const int first = int(m_rows.size()) - overflow;
        beginRemoveRows({}, first, int(m_rows.size()) - 1);
        m_rows.erase(m_rows.begin() + first, m_rows.end());
        endRemoveRows();
    }
    beginInsertRows({}, 0, incoming - 1);
    for (qsizetype i = skip; i < newestLast.size(); ++i)
        m_rows.push_front(newestLast.at(i));
    endInsertRows();
}

void ActivityModel::clear() {
    beginResetModel();
    m_rows.clear();
    endResetModel();
    m_held.clear();
    Q_EMIT heldChanged(0);
}

QString ActivityModel::rowText(int row) const {
    QStringList cells;
    for (int c = 0; c < ColumnCount; ++c)
        cells.append(data(index(row, c)).toString());
    return cells.join(QLatin1Char('\t'));
}

void ActivityModel::setPaused(bool paused) {
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!paused && !m_held.empty()) {
        const QList<DecisionEvent> held(m_held.begin(), m_held.end());
        m_held.clear();
        merge(held);
        Q_EMIT heldChanged(0);
    }
    Q_EMIT pausedChanged(paused);
}

} // namespace airlock::gui
