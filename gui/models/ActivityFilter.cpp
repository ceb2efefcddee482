#include "models/ActivityFilter.h"

#include "models/ActivityModel.h"

namespace airlock::gui {

ActivityFilter::ActivityFilter(QObject *parent)
    : QSortFilterProxyModel(parent) {}

void ActivityFilter::setDecisionFilter(DecisionFilter filter) {
    m_decision = filter;
    invalidateRowsFilter();
}

void ActivityFilter::setHostFilter(const QString &host) {
    m_host = host.trimmed();
    invalidateRowsFilter();
}

void ActivityFilter::setTextFilter(const QString &text) {
    m_text = text.trimmed();
    invalidateRowsFilter();
}

bool ActivityFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const {
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_decision != DecisionFilter::All) {
        const bool allowed = index.data(ActivityModel::AllowedRole).toBool();
        if (allowed != (m_decision == DecisionFilter::Allowed))
            return false;
    }
    if (!m_host.isEmpty() && !index.data(ActivityModel::HostRole).toString().contains(m_host, Qt::CaseInsensitive))
        return false;
    if (!m_text.isEmpty() &&
        !index.data(ActivityModel::SearchTextRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}

} // namespace airlock::gui
