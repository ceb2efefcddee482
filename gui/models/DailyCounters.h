#pragma once

#include "client/Messages.h"

#include <QDate>
#include <QObject>

namespace airlock::gui {

// Today's tallies for the header and the kiosk board: decisions allowed and blocked and bytes
// delivered since local midnight, from the decisions the panel has seen. A decision dated on a
// later day starts a new day; one from an earlier day is not counted.
class DailyCounters final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DailyCounters)

public:
    explicit DailyCounters(QObject *parent = nullptr);

    void add(const QList<DecisionEvent> &events);
    // Starts a new day if the clock has passed midnight since the last decision.
    void rollOver(const QDate &today);

    QDate day() const { return m_day; }
    qint64 allowed() const { return m_allowed; }
    qint64 blocked() const { return m_blocked; }
    qint64 bytes() const { return m_bytes; }

Q_SIGNALS:
    void changed();

private:
    QDate m_day;
    qint64 m_allowed = 0;
    qint64 m_blocked = 0;
    qint64 m_bytes = 0;
};

} // namespace airlock::gui
