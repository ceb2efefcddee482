#pragma once

#include "client/Messages.h"

#include <QColor>
#include <QFrame>

class QLabel;
class QProgressBar;

namespace airlock::gui {

// One model pull on the kiosk board, to be read from across the room: the model's name and, in
// the same large type, its percent and time left, a tall progress bar, and the bytes of the total
// in smaller type. Once the pull has ended it says how, in words on the colour the board uses
// for that kind of outcome (green published, red failed, ...), and, when the service gave one,
// the reason in the service's own words. Read only.
class KioskPullRow final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskPullRow)

public:
    explicit KioskPullRow(QWidget *parent = nullptr);
    void setPull(const PullInfo &pull, bool ended);

    QString text() const; // everything it says, one line each
    int percent() const;  // as the bar shows it; -1 while the total is unknown
    QProgressBar *progressBar() const { return m_bar; }
    QColor badgeColour() const; // the outcome's colour once ended; invalid while running

    // The service's state ("published", ...) in words, and the colours an ended one is shown in.
    static QString stateWords(const QString &state);
    static QColor outcomeColour(const QString &state);
    static QColor outcomeTextColour(const QString &state);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void elideName();

    QLabel *m_name;
    QLabel *m_status;
    QProgressBar *m_bar;
    QLabel *m_detail;
    QString m_fullName;
};

} // namespace airlock::gui
