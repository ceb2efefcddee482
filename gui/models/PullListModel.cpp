#include "models/PullListModel.h"

#include "base/ErrorCode.h"
#include "models/ActivityModel.h"
#include "models/Colours.h"
#include "models/Format.h"

#include <QBrush>
#include <QSet>

#include <algorithm>

namespace airlock::gui {

namespace {

int childCount(const PullInfo &p) {
    return p.hasFiles ? int(p.files.size()) : 0;
}

// The same pull with what the list shows of it, without its files.
PullInfo withoutFiles(PullInfo p) {
    p.files.clear();
    p.hasFiles = false;
    return p;
}

} // namespace

PullListModel::PullListModel(QObject *parent)
    : QAbstractItemModel(parent) {}

QModelIndex PullListModel::index(int row, int column, const QModelIndex &parent) const {
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    return createIndex(row, column, m_entries.at(parent.row()).serial);
}

QModelIndex PullListModel::parent(const QModelIndex &child) const {
    if (!child.isValid() || child.internalId() == 0)
        return {};
    const int row = rowOfSerial(child.internalId());
    return row < 0 ? QModelIndex() : createIndex(row, 0, quintptr(0));
}

int PullListModel::rowCount(const QModelIndex &parent) const {
    if (!parent.isValid())
        return int(m_entries.size());
    // Only a pull's first column has children: its files.
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return childCount(m_entries.at(parent.row()).info);
}

int PullListModel::columnCount(const QModelIndex &) const {
    return ColumnCount;
}

int PullListModel::rowOf(const QString &id) const {
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries.at(row).info.id == id)
            return row;
    return -1;
}

int PullListModel::rowOfSerial(quintptr serial) const {
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries.at(row).serial == serial)
            return row;
    return -1;
}

const PullInfo *PullListModel::pullAt(const QModelIndex &index) const {
    if (!index.isValid() || index.model() != this)
        return nullptr;
    const int row = index.internalId() == 0 ? index.row() : rowOfSerial(index.internalId());
    return row < 0 ? nullptr : &m_entries.at(row).info;
}

void PullListModel::setPulls(const QList<PullInfo> &pulls) {
    // Newest first: the service lists them in the order they were started.
    QList<PullInfo> wanted;
    QSet<QString> ids;
    for (auto it = pulls.crbegin(); it != pulls.crend(); ++it) {
        if (ids.contains(it->id))
            continue; // one row per pull, whatever the answer held
        ids.insert(it->id);
        wanted.append(*it);
    }

    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        if (ids.contains(m_entries.at(row).info.id))
            continue;
        beginRemoveRows({}, row, row);
        m_entries.removeAt(row);
        endRemoveRows();
    }

    // The pulls still listed keep their order in the service's list; if they did not, start over.
    QStringList kept;
    for (const Entry &e : std::as_const(m_entries))
        kept.append(e.info.id);
    QStringList keptWanted;
    for (const PullInfo &p : std::as_const(wanted))
        if (kept.contains(p.id))
            keptWanted.append(p.id);
    if (kept != keptWanted) {
        beginResetModel();
        m_entries.clear();
        for (const PullInfo &p : std::as_const(wanted))
            m_entries.append(Entry{m_nextSerial++, p});
        endResetModel();
        return;
    }

    for (int row = 0; row < wanted.size(); ++row) {
        if (row < m_entries.size() && m_entries.at(row).info.id == wanted.at(row).id) {
            updateEntry(row, wanted.at(row));
            continue;
        }
        beginInsertRows({}, row, row);
        m_entries.insert(row, Entry{m_nextSerial++, wanted.at(row)});
        endInsertRows();
    }
}

void PullListModel::updateEntry(int row, const PullInfo &next) {
    PullInfo &info = m_entries[row].info;
    if (info == next)
        return;
    const QModelIndex parentIndex = index(row, 0);
    const int before = childCount(info);
    const int after = childCount(next);
    const bool pullChanged = withoutFiles(info) != withoutFiles(next);
    if (before != after) {
        if (before > 0) {
            beginRemoveRows(parentIndex, 0, before - 1);
            info.files.clear();
            info.hasFiles = false;
            endRemoveRows();
        }
        if (after > 0) {
            beginInsertRows(parentIndex, 0, after - 1);
            info = next;
            endInsertRows();
        } else {
            info = next;
        }
    } else {
        const bool filesChanged = info.files != next.files;
        info = next;
        if (filesChanged && after > 0)
            Q_EMIT dataChanged(index(0, 0, parentIndex), index(after - 1, ColumnCount - 1, parentIndex));
    }
    if (pullChanged) {
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        // A file's words depend on its pull's state ("waiting" or "not downloaded").
        if (after > 0 && before == after)
            Q_EMIT dataChanged(index(0, State, parentIndex), index(after - 1, State, parentIndex));
    }
}

QVariant PullListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const PullInfo *p = pullAt(index);
    if (!p)
        return {};
    switch (role) {
    case PullIdRole:
        return p->id;
    case StateRole:
        return p->state;
    case IsFileRole:
        return index.internalId() != 0;
    default:
        break;
    }
    if (index.internalId() == 0)
        return pullData(*p, index.column(), role);
    if (index.row() >= p->files.size())
        return {};
    return fileData(*p, p->files.at(index.row()), index.column(), role);
}

QVariant PullListModel::pullData(const PullInfo &p, int column, int role) const {
    const bool downloading = p.state == QLatin1String("downloading");
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (Column(column)) {
        case Name:
            return p.name.isEmpty() ? p.source : p.name;
        case Progress:
            return progressText(p.bytesDone, p.bytesTotal);
        case Rate:
            return downloading ? Format::rate(p.rate) : QString();
        case TimeLeft:
            return downloading ? Format::duration(p.etaSeconds) : QString();
        case Files:
            return tr("%1 of %2").arg(p.filesVerified).arg(p.filesTotal);
        case State:
            return stateText(p.state);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        switch (Column(column)) {
        case Name:
            return p.source;
        case Files:
            return verificationText(p);
        case State: {
            const QString error = errorText(p);
            return error.isEmpty() ? stateExplanation(p.state) : tr("%1\n%2").arg(stateExplanation(p.state), error);
        }
        default:
            return {};
        }
    case Qt::ForegroundRole:
        // The State column's word says it; the colour only repeats it.
        return column == State ? QVariant(QBrush(stateColour(p.state))) : QVariant();
    case Qt::TextAlignmentRole:
        if (column == Rate || column == TimeLeft || column == Files)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PercentRole:
        return column == Progress ? QVariant(p.percent()) : QVariant();
    default:
        return {};
    }
}

QVariant PullListModel::fileData(const PullInfo &p, const PullFileInfo &f, int column, int role) const {
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (Column(column)) {
        case Name:
            return f.path;
        case Progress:
            return progressText(f.verified && f.size >= 0 ? f.size : f.done, f.size);
        case State:
            return fileStateText(p, f);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (column == Name || column == State) {
            if (f.digest.isEmpty())
                return f.path;
            return tr("%1\n%2 %3").arg(f.path, f.digestKind, f.digest);
        }
        return {};
    case Qt::ForegroundRole:
        if (column != State)
            return {};
        if (!f.error.isEmpty())
            return QBrush(stateColour(QStringLiteral("failed")));
        if (f.verified)
            return QBrush(stateColour(QStringLiteral("published")));
        return {};
    case PercentRole:
        if (column != Progress)
            return {};
        if (f.verified)
            return 100;
        if (f.size <= 0)
            return f.size == 0 ? 0 : -1;
        return int(std::clamp<qint64>(f.done * 100 / f.size, 0, 100));
    default:
        return {};
    }
}

QVariant PullListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name:
        return tr("Model");
    case Progress:
        return tr("Progress");
    case Rate:
        return tr("Rate");
    case TimeLeft:
        return tr("Time left");
    case Files:
        return tr("Files verified");
    case State:
        return tr("State");
    case ColumnCount:
        break;
    }
    return {};
}

QString PullListModel::stateText(const QString &state) {
    if (state == QLatin1String("queued"))
        return tr("Waiting");
    if (state == QLatin1String("downloading"))
        return tr("Downloading");
    if (state == QLatin1String("publishing"))
        return tr("Publishing");
    if (state == QLatin1String("published"))
        return tr("Published");
    if (state == QLatin1String("failed"))
        return tr("Failed");
    if (state == QLatin1String("cancelled"))
        return tr("Cancelled");
    if (state == QLatin1String("stopped"))
        return tr("Stopped");
    if (state == QLatin1String("interrupted"))
        return tr("Interrupted");
    // A state this build does not know: the service's own word rather than a guess.
    return state.isEmpty() ? tr("unknown") : state;
}

QString PullListModel::stateExplanation(const QString &state) {
    if (state == QLatin1String("queued"))
        return tr("Waiting for its turn: only a few pulls download at once.");
    if (state == QLatin1String("downloading"))
        return tr("Every file is checked against its digest as it arrives.");
    if (state == QLatin1String("publishing"))
        return tr("Every file is verified; the model is being moved into place.");
    if (state == QLatin1String("published"))
        return tr("Every file was verified and the model is in place.");
    if (state == QLatin1String("failed"))
        return tr("Nothing was published.");
    if (state == QLatin1String("cancelled"))
        return tr("The files downloaded so far are kept for a resume.");
    if (state == QLatin1String("stopped"))
        return tr("The Airlock was switched off or locked down; the files so far are kept for a resume.");
    if (state == QLatin1String("interrupted"))
        return tr("The service stopped while this pull ran; Resume continues where it stopped.");
    return {};
}

QColor PullListModel::stateColour(const QString &state) {
    if (state == QLatin1String("published"))
        return Colours::good();
    if (state == QLatin1String("failed"))
        return Colours::bad();
    if (state == QLatin1String("downloading") || state == QLatin1String("publishing"))
        return QColor(0x0d, 0x47, 0xa1);
    if (state == QLatin1String("stopped") || state == QLatin1String("interrupted"))
        return QColor(0x8a, 0x4b, 0x00);
    return QColor(0x45, 0x5a, 0x64); // queued, cancelled, unknown
}

QString PullListModel::errorText(const PullInfo &pull) {
    if (pull.errorCode.isEmpty())
        return pull.errorMessage;
    const std::optional<ErrorCode> code = errorCodeFromName(pull.errorCode);
    // A file the hub does not have is "not found"; the Activity words speak of the API's endpoints.
    const QString words = code == ErrorCode::NotFound ? tr("not found") : ActivityModel::describeCode(code);
    return pull.errorMessage.isEmpty() ? words : tr("%1: %2").arg(words, pull.errorMessage);
}

QString PullListModel::verificationText(const PullInfo &pull) {
    // Two sentences rather than "file(s)": English has no plural forms file of its own.
    if (pull.filesTotal == 1)
        return tr("%1 of 1 file verified").arg(pull.filesVerified);
    return tr("%1 of %2 files verified").arg(pull.filesVerified).arg(pull.filesTotal);
}

QString PullListModel::progressText(qint64 done, qint64 total) {
    if (total < 0)
        return Format::bytes(done);
    return tr("%1 of %2").arg(Format::bytes(done), Format::bytes(total));
}

QString PullListModel::fileStateText(const PullInfo &pull, const PullFileInfo &file) {
    if (file.verified)
        return file.digestKind.isEmpty() ? tr("verified") : tr("verified (%1)").arg(file.digestKind);
    if (!file.error.isEmpty())
        return tr("failed: %1").arg(file.error);
    if (pull.running())
        return file.done > 0 ? tr("downloading") : tr("waiting");
    return file.done > 0 ? tr("partly downloaded") : tr("not downloaded");
}

} // namespace airlock::gui
