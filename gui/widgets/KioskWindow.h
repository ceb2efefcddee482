#pragma once

#include "client/Messages.h"

#include <QWidget>

#include <deque>

class QLabel;

namespace airlock::gui {

class DailyCounters;
class KioskPullBoard;
class ServiceLink;
class TransfersPage;

// The --kiosk status board for a wall display: the state, big, as word, icon and colour; today's
// counters; the model pulls running and, for a minute, those that ended, with how; the last few
// decisions; the active transfers. Nothing on it can be edited or clicked into a dialog, and it
// rides through service restarts: while the service is away it says so and keeps showing the
// last state it knew, marked as such.
class KioskWindow final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskWindow)

public:
    static constexpr int RecentCount = 8;
    // How long a pull that ended stays on the board with its outcome.
    static constexpr int PullLingerMs = 60'000;

    explicit KioskWindow(ServiceLink *link, QWidget *parent = nullptr);
    QString stateText() const;
    QString countersText() const;
    QStringList recentLines() const;
    // The model pulls shown, top to bottom: each one's text (name, status, detail; one line
    // each) and the percent its bar shows (-1 while the total is unknown).
    int pullCount() const;
    QString pullText(int i) const;
    int pullPercent(int i) const;
    KioskPullBoard *pullBoard() const { return m_pulls; }
    void setPullLinger(int ms);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    void fitLowerLists();
    void addDecisions(const QList<DecisionEvent> &events);
    void updatePulls();

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
    KioskPullBoard *m_pulls;
    QWidget *m_recentBox; // lines placed by hand: as many whole ones as fit, the newest first
    QList<QLabel *> m_recentLabels;
    QLabel *m_transfersTitle;
    TransfersPage *m_transfers;
    std::deque<DecisionEvent> m_recent; // front = newest
};

} // namespace airlock::gui
