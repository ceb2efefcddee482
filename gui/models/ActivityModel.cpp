#include "models/ActivityModel.h"

#include "models/Colours.h"
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

QString ActivityModel::describeCode(std::optional<ErrorCode> code) {
    // The service's codes are stable English identifiers; the user reads words in their language.
    // A switch without a default, so a new code does not build until it has its words here.
    if (!code)
        return tr("unknown reason");
    switch (*code) {
    case ErrorCode::None:
        return tr("allowed");
    case ErrorCode::BadRequest:
        return tr("malformed request");
    case ErrorCode::Unauthorized:
        return tr("missing or invalid service token");
    case ErrorCode::NotFound:
        return tr("no such endpoint");
    case ErrorCode::ApiMethodNotAllowed:
        return tr("wrong method for the endpoint");
    case ErrorCode::Disabled:
        return tr("Airlock disabled");
    case ErrorCode::Lockdown:
        return tr("lockdown");
    case ErrorCode::RateLimited:
        return tr("rate limit");
    case ErrorCode::NotHttps:
        return tr("HTTPS required");
    case ErrorCode::DestinationNotAllowed:
        return tr("not on the allowlist");
    case ErrorCode::MethodNotAllowed:
        return tr("method not allowed");
    case ErrorCode::ReservedAddress:
        return tr("reserved address");
    case ErrorCode::CredentialDetected:
        return tr("credential detected");
    case ErrorCode::PiiDetected:
        return tr("personal data detected");
    case ErrorCode::ContentBlocked:
        return tr("content blocked");
    case ErrorCode::Uninspectable:
        return tr("could not be inspected");
    case ErrorCode::BodyTooLarge:
        return tr("request too large");
    case ErrorCode::ResponseTooLarge:
        return tr("response too large");
    case ErrorCode::AuditUnavailable:
        return tr("audit log unavailable");
    case ErrorCode::Busy:
        return tr("busy");
    case ErrorCode::UpstreamUnreachable:
        return tr("upstream unreachable");
    case ErrorCode::UpstreamTls:
        return tr("upstream TLS error");
    case ErrorCode::UpstreamTimeout:
        return tr("upstream timeout");
    case ErrorCode::UpstreamFailed:
        return tr("upstream failed");
    case ErrorCode::TooManyRedirects:
        return tr("too many redirects");
    case ErrorCode::Conflict:
        return tr("not possible in this state");
    case ErrorCode::InsufficientStorage:
        return tr("not enough disk space");
    case ErrorCode::UnsafePath:
        return tr("unsafe file path");
    case ErrorCode::BadManifest:
        return tr("malformed file list");
    case ErrorCode::DigestMismatch:
        return tr("digest mismatch");
    case ErrorCode::OriginRefused:
        return tr("request from a web page");
    case ErrorCode::EgressBudgetExceeded:
        return tr("hourly upload budget spent");
    }
    return tr("unknown reason");
}

QString ActivityModel::describeOutcome(TransferOutcome outcome) {
    switch (outcome) {
    case TransferOutcome::None:
        return {};
    case TransferOutcome::Unknown:
        return tr("unknown outcome");
    case TransferOutcome::Complete:
        return tr("complete");
    case TransferOutcome::Refused:
        return tr("refused by the Airlock");
    case TransferOutcome::UpstreamFailed:
        return tr("upstream failed");
    case TransferOutcome::ClientAborted:
        return tr("cancelled by the client");
    case TransferOutcome::ResponseTooLarge:
        return tr("response too large");
    case TransferOutcome::Published:
        return tr("published");
    case TransferOutcome::Failed:
        return tr("failed");
    case TransferOutcome::Cancelled:
        return tr("cancelled");
    case TransferOutcome::Stopped:
        return tr("stopped");
    case TransferOutcome::Preempted:
        return tr("cut: the client read too slowly");
    case TransferOutcome::CutByLockdown:
        return tr("cut by the lockdown");
    }
    return tr("unknown outcome");
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const DecisionEvent &e = m_rows.at(std::size_t(index.row()));
    // A model pull's start and end: no method or path of their own; the pull's source instead.
    const bool pull = e.event == EventKind::PullStarted || e.event == EventKind::PullFinished;
    if (pull && role == Qt::DisplayRole) {
        switch (index.column()) {
        case Method:
            return tr("Pull");
        case Path:
            return e.source;
        case CodeOrRule:
            if (e.event == EventKind::PullStarted)
                return tr("model pull started");
            return e.code == ErrorCode::None ? tr("model pull ended")
                                             : tr("model pull ended: %1").arg(describeCode(e.code));
        default:
            break;
        }
    }
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return e.time.toLocalTime().time().toString(QStringLiteral("HH:mm:ss"));
        case Decision:
            return e.allowed() ? tr("Allowed") : tr("Blocked");
        case Method:
            return e.method;
        case Host:
            return e.host;
        case Path:
            return e.path;
        case CodeOrRule:
            if (e.allowed() && e.code == ErrorCode::None)
                return e.rule; // the allowlist entry that let it through, when the service names it
            if (e.rule.isEmpty())
                return describeCode(e.code);
            return tr("%1 (%2)").arg(describeCode(e.code), e.rule);
        case Status:
            if (e.outcome != TransferOutcome::None && e.outcome != TransferOutcome::Complete)
                return e.status > 0 ? tr("%1, %2").arg(e.status).arg(describeOutcome(e.outcome))
                                    : describeOutcome(e.outcome);
            return e.status > 0 ? QVariant(e.status) : QVariant();
        case Bytes:
            return e.bytesDown > 0 ? Format::bytes(e.bytesDown) : QString();
        case Caller:
            return e.caller;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QLocale().toString(e.time.toLocalTime(), QLocale::LongFormat);
        if (index.column() == CodeOrRule)
            return recordCodeName(e.code); // the stable identifier, for a report or a search
        return {};
    case Qt::ForegroundRole:
        // Colour repeats the Decision column's word; it never carries meaning alone.
        if (index.column() == Decision)
            return QBrush(e.allowed() ? Colours::good() : Colours::bad());
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Status || index.column() == Bytes)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case AllowedRole:
        return e.allowed();
    case HostRole:
        return e.host;
    case SearchTextRole:
        return QStringList{
            e.method, e.host, e.path, e.source, e.caller, recordCodeName(e.code), e.rule, QString::number(e.status)}
            .join(QLatin1Char(' '));
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
    case Caller:
        return tr("Caller");
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
        if (e.transferEnd() && !e.requestId.isEmpty() && completeRow(&fresh, e))
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
        row.bytesDown = end.bytesDown;
        row.durationMs = end.durationMs;
        row.outcome = end.outcome;
    };
    for (qsizetype i = pending->size() - 1; i >= 0; --i) {
        if ((*pending)[i].requestId == end.requestId && !(*pending)[i].transferEnd()) {
            fill((*pending)[i]);
            return true;
        }
    }
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].requestId == end.requestId && !m_rows[row].transferEnd()) {
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
