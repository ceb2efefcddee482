#pragma once

#include <QSortFilterProxyModel>

namespace airlock::gui {

// Narrows the Activity table by decision (all, allowed, blocked), by host (substring) and by
// free text matched against method, host, path, code, rule and status.
class ActivityFilter final : public QSortFilterProxyModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActivityFilter)

public:
    enum class DecisionFilter { All, Allowed, Blocked };

    explicit ActivityFilter(QObject *parent = nullptr);
    void setDecisionFilter(DecisionFilter filter);
    void setHostFilter(const QString &host);
    void setTextFilter(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    DecisionFilter m_decision = DecisionFilter::All;
    QString m_host;
    QString m_text;
};

} // namespace airlock::gui
