#pragma once

#include "client/Messages.h"
#include "widgets/KioskPullTracker.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace airlock::gui {

class KioskPullRow;

// The kiosk board's "Model pulls" section: a large row per running pull, stacked, and each pull
// that ended while the board watched for a while after (KioskPullTracker decides which). It
// takes no room while there is nothing to show. At most MaxRows rows; more are counted below.
class KioskPullBoard final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskPullBoard)

public:
    static constexpr int MaxRows = 3;

    explicit KioskPullBoard(QWidget *parent = nullptr);
    // The service's list of pulls, as it comes.
    void setPulls(const QList<PullInfo> &pulls);
    void setLinger(int ms);

    int count() const { return int(m_order.size()); } // rows shown
    KioskPullRow *row(int i) const;
    QString moreText() const;

private:
    void expire();
    void showEntries(const QList<KioskPullTracker::Entry> &entries);
    void scheduleExpiry();

    KioskPullTracker m_tracker;
    QElapsedTimer m_clock;
    QTimer m_expiry;
    QLabel *m_title;
    QVBoxLayout *m_list;
    QLabel *m_more;
    QHash<QString, KioskPullRow *> m_rows;
    QList<QString> m_order;
};

} // namespace airlock::gui
