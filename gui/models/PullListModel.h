#pragma once

#include "client/Messages.h"

#include <QAbstractItemModel>
#include <QColor>

namespace airlock::gui {

// The model pulls as a tree: one top-level row per pull, newest first, and under it one row per
// file once the service has sent them. Updated in place from each snapshot of the list, so the
// view keeps its selection and what the user expanded while the numbers move. A pull's rows are
// keyed by a serial of its own (not its position), so a file row still finds its pull after new
// pulls arrive above it.
class PullListModel final : public QAbstractItemModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PullListModel)

public:
    enum Column { Name, Progress, Rate, TimeLeft, Files, State, ColumnCount };
    enum Role {
        PullIdRole = Qt::UserRole + 1, // the pull's id, on its rows and its files' rows
        StateRole,                     // the service's word for the pull's state ("published", ...)
        PercentRole,                   // 0..100, -1 when unknown; on the Progress column
        IsFileRole,                    // true on a file's row
    };

    explicit PullListModel(QObject *parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The service's list, in its order (oldest first); shown newest first.
    void setPulls(const QList<PullInfo> &pulls);
    int pullCount() const { return int(m_entries.size()); }
    const PullInfo &pull(int row) const { return m_entries.at(row).info; }
    // The top-level row of a pull, -1 when it is not listed.
    int rowOf(const QString &id) const;
    // The pull a row (or one of its files' rows) belongs to; nullptr for an invalid index.
    const PullInfo *pullAt(const QModelIndex &index) const;

    // Words for the service's states and error codes, in the user's language.
    static QString stateText(const QString &state);
    static QString stateExplanation(const QString &state);
    static QColor stateColour(const QString &state);
    // "digest mismatch: w.bin does not match its sha256 digest"; empty when the pull has no error.
    static QString errorText(const PullInfo &pull);
    static QString progressText(qint64 done, qint64 total);
    static QString verificationText(const PullInfo &pull); // "12 of 12 files verified"
    static QString fileStateText(const PullInfo &pull, const PullFileInfo &file);

private:
    struct Entry {
        quintptr serial = 0;
        PullInfo info;
    };

    int rowOfSerial(quintptr serial) const;
    void updateEntry(int row, const PullInfo &next);
    QVariant pullData(const PullInfo &p, int column, int role) const;
    QVariant fileData(const PullInfo &p, const PullFileInfo &f, int column, int role) const;

    QList<Entry> m_entries; // newest first
    quintptr m_nextSerial = 1;
};

} // namespace airlock::gui
