#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace airlock::gui {

// Asks an administrator to confirm a lockdown and say why. The reason is required: it is
// recorded with the latch and shown to everyone until the Airlock is unlocked.
class LockdownDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LockdownDialog)

public:
    explicit LockdownDialog(QWidget *parent = nullptr);
    QString reason() const;
    QLineEdit *reasonEdit() const { return m_reason; }
    QPushButton *confirmButton() const { return m_confirm; }

private:
    QLineEdit *m_reason;
    QPushButton *m_confirm;
};

} // namespace airlock::gui
