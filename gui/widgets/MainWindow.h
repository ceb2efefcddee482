#pragma once

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace airlock::gui {

class ActivityModel;
class ActivityPage;
class AllowlistPage;
class ConnectionBanner;
class DailyCounters;
class ModelsPage;
class PolicyPage;
class ServiceLink;
class StateHeader;
class TransfersPage;

// The admin panel: the state header, the connection banner when the service is out of reach,
// and the Activity, Transfers, Models, Allowlist and Policy tabs, all fed by one ServiceLink.
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(ServiceLink *link, QWidget *parent = nullptr);

    StateHeader *header() const { return m_header; }
    ConnectionBanner *banner() const { return m_banner; }
    QTabWidget *tabs() const { return m_tabs; }
    ActivityPage *activityPage() const { return m_activity; }
    TransfersPage *transfersPage() const { return m_transfers; }
    ModelsPage *modelsPage() const { return m_models; }
    AllowlistPage *allowlistPage() const { return m_allowlist; }
    PolicyPage *policyPage() const { return m_policy; }
    ActivityModel *activityModel() const { return m_model; }
    // The last answer to a state change (toggle, lockdown, unlock), as shown in the status bar.
    QString lastMessage() const { return m_lastMessage; }

    // Asks for a lockdown reason; without a parent dialog in tests, call lockdown() directly.
    void requestLockdown();
    void lockdown(const QString &reason);
    void requestUnlock();
    void switchAirlock(bool enable);

private:
    void updateLink();
    void updateStatus();
    void showMessage(const QString &message);

    ServiceLink *m_link;
    ActivityModel *m_model;
    DailyCounters *m_counters;
    StateHeader *m_header;
    ConnectionBanner *m_banner;
    QTabWidget *m_tabs;
    ActivityPage *m_activity;
    TransfersPage *m_transfers;
    ModelsPage *m_models;
    AllowlistPage *m_allowlist;
    PolicyPage *m_policy;
    QLabel *m_connection;
    QString m_lastMessage;
};

} // namespace airlock::gui
