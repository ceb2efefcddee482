#pragma once

#include "client/Messages.h"

#include <QAbstractTableModel>

#include <deque>

namespace airlock::gui {

// The live Activity table: one row per decision, newest first, never more than capacity() rows
// (the oldest fall off), so a flood of events costs bounded memory however long the panel runs.
// While paused, new events wait in a queue of the same bound and appear on resume; what
// overflows that queue is counted in dropped(). The end of a transfer completes its decision's
// row (status, bytes) instead of adding a row.
class ActivityModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActivityModel)

public:
    // Caller: the appliance service that sent the request (X-SecAI-Service), when it says.
    enum Column { Time, Decision, Method, Host, Path, CodeOrRule, Status, Bytes, Caller, ColumnCount };
    enum Role { AllowedRole = Qt::UserRole + 1, HostRole, SearchTextRole };
    static constexpr int DefaultCapacity = 5000;

    explicit ActivityModel(QObject *parent = nullptr, int capacity = DefaultCapacity);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int capacity() const { return m_capacity; }
    void add(const DecisionEvent &event);
    void addAll(const QList<DecisionEvent> &events); // oldest first
    void clear();
    const DecisionEvent &event(int row) const { return m_rows.at(std::size_t(row)); }
    // The row as one tab-separated line, in the table's column order, for the clipboard.
    QString rowText(int row) const;

    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    int held() const { return int(m_held.size()); }
    qint64 dropped() const { return m_dropped; }

    // Words for a decision's code and a transfer's outcome, in the user's language; nullopt is a
    // code this build does not know. TransferOutcome::None has no words (empty).
    static QString describeCode(std::optional<ErrorCode> code);
    static QString describeOutcome(TransferOutcome outcome);

Q_SIGNALS:
    void pausedChanged(bool paused);
    void heldChanged(int held);

private:
    void merge(const QList<DecisionEvent> &events);
    bool completeRow(QList<DecisionEvent> *pending, const DecisionEvent &end);
    void insertNewest(const QList<DecisionEvent> &newestLast);

    std::deque<DecisionEvent> m_rows; // front = newest
    std::deque<DecisionEvent> m_held; // back = newest
    int m_capacity;
    bool m_paused = false;
    qint64 m_dropped = 0;
};

} // namespace airlock::gui
