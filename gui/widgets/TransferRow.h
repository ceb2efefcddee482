#pragma once

#include "client/Messages.h"

#include <QFrame>

class QLabel;
class QProgressBar;

namespace airlock::gui {

// One download: what it is, a progress bar (busy while the total is unknown), and bytes done
// of total, rate and time left. Read only; used by both the Transfers tab and the kiosk board.
class TransferRow final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferRow)

public:
    explicit TransferRow(QWidget *parent = nullptr);
    void setTransfer(const TransferInfo &transfer);
    QProgressBar *progressBar() const { return m_bar; }
    QString detailText() const;

private:
    QLabel *m_title;
    QProgressBar *m_bar;
    QLabel *m_detail;
};

} // namespace airlock::gui
