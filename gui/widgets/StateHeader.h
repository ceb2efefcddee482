#pragma once

#include "client/Messages.h"
#include "widgets/StateLook.h"

#include <QFrame>

#include <optional>

class QLabel;
class QPushButton;

namespace airlock::gui {

// The band across the top of the panel: the state as icon, word and colour, what it means, the
// lockdown reason when there is one, and the controls that change it — the on/off toggle,
// Lockdown and Unlock. Controls an administrator alone may use are disabled for viewers, and
// all of them while the service is unreachable.
class StateHeader final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StateHeader)

public:
    explicit StateHeader(QWidget *parent = nullptr);

    void setStatus(const std::optional<ServiceStatus> &status, bool connected);
    void setAdmin(bool admin);
    void setBusy(bool busy);
    void setCounters(const QString &text);

    QPushButton *toggleButton() const { return m_toggle; }
    QPushButton *lockdownButton() const { return m_lockdown; }
    QPushButton *unlockButton() const { return m_unlock; }
    QString stateText() const;

Q_SIGNALS:
    void enableRequested(bool enable);
    void lockdownRequested();
    void unlockRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_explanation;
    QLabel *m_counters;
    QPushButton *m_toggle;
    QPushButton *m_lockdown;
    QPushButton *m_unlock;
    std::optional<ServiceStatus> m_status;
    bool m_connected = false;
    bool m_admin = false;
    bool m_busy = false;
};

} // namespace airlock::gui
