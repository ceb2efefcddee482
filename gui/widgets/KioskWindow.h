#pragma once

#include "client/Messages.h"

#include <QWidget>

#include <deque>

class QLabel;
class QVBoxLayout;

namespace airlock::gui {

class DailyCounters;
class ServiceLink;
class TransfersPage;

// The --kiosk status board for a wall display: the state, big, as word, icon and colour; today's
// counters; the last few decisions; the active transfers. Nothing on it can be edited or
// clicked into a dialog, and it rides through service restarts: while the service is away it
// says so and keeps showing the last state it knew, marked as such.
class KioskWindow final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskWindow)

public:
    static constexpr int RecentCount = 8;

    explicit KioskWindow(ServiceLink *link, QWidget *parent = nullptr);
    QString stateText() const;
    QString countersText() const;
    QStringList recentLines() const;

private:
    void refresh();
    void addDecisions(const QList<DecisionEvent> &events);

    ServiceLink *m_link;
    DailyCounters *m_counters;
    QWidget *m_band;
    QLabel *m_icon;
    QLabel *m_state;
    QLabel *m_explanation;
    QLabel *m_connection;
    QLabel *m_allowed;
    QLabel *m_blocked;
    QLabel *m_bytes;
    QVBoxLayout *m_recentLayout;
    QList<QLabel *> m_recentLabels;
    TransfersPage *m_transfers;
    std::deque<DecisionEvent> m_recent; // front = newest
};

} // namespace airlock::gui
