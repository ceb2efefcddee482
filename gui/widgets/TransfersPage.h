#pragma once

#include "client/Messages.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace airlock::gui {

class TransferRow;

// The Transfers tab (and, with a larger font, the kiosk's transfer list): a row with a progress
// bar per download, updated in place from each snapshot; a row disappears when the service stops
// listing its transfer (finished ones stay a few seconds, saying how they ended).
class TransfersPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransfersPage)

public:
    explicit TransfersPage(QWidget *parent = nullptr);
    void setTransfers(const QList<TransferInfo> &transfers);
    QList<TransferRow *> rows() const;
    void setMaximumRows(int rows) { m_maximumRows = rows; }

private:
    QVBoxLayout *m_list;
    QLabel *m_empty;
    QLabel *m_summary;
    QHash<QString, TransferRow *> m_rows;
    QList<QString> m_order;
    int m_maximumRows = 200;
};

} // namespace airlock::gui
