#include "widgets/MainWindow.h"

#include "client/ServiceLink.h"
#include "models/ActivityModel.h"
#include "models/DailyCounters.h"
#include "models/Format.h"
#include "models/TransferList.h"
#include "widgets/ActivityPage.h"
#include "widgets/AllowlistPage.h"
#include "widgets/ConnectionBanner.h"
#include "widgets/LockdownDialog.h"
#include "widgets/ModelsPage.h"
#include "widgets/PolicyPage.h"
#include "widgets/StateHeader.h"
#include "widgets/TransfersPage.h"

#include <QLabel>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace airlock::gui {

MainWindow::MainWindow(ServiceLink *link, QWidget *parent)
    : QMainWindow(parent)
    , m_link(link)
    , m_model(new ActivityModel(this))
    , m_counters(new DailyCounters(this))
    , m_header(new StateHeader(this))
    , m_banner(new ConnectionBanner(this))
    , m_tabs(new QTabWidget(this))
    , m_activity(new ActivityPage(m_model, m_counters, this))
    , m_transfers(new TransfersPage(this))
    , m_models(new ModelsPage(link, this))
    , m_allowlist(new AllowlistPage(link, this))
    , m_policy(new PolicyPage(link, this))
    , m_connection(new QLabel(this)) {
    setWindowTitle(tr("Secure AI Airlock"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/airlock.svg")));
    m_tabs->addTab(m_activity, tr("&Activity"));
    m_tabs->addTab(m_transfers, tr("T&ransfers"));
    m_tabs->addTab(m_models, tr("&Models"));
    m_tabs->addTab(m_allowlist, tr("Allow&list"));
    m_tabs->addTab(m_policy, tr("P&olicy"));
    m_tabs->setAccessibleName(tr("Views"));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_header);
    layout->addWidget(m_banner);
    auto *body = new QVBoxLayout;
    body->setContentsMargins(8, 8, 8, 0);
    body->addWidget(m_tabs);
    layout->addLayout(body, 1);
    setCentralWidget(central);
    statusBar()->addPermanentWidget(m_connection);

    connect(m_link, &ServiceLink::linkStateChanged, this, &MainWindow::updateLink);
    connect(m_link, &ServiceLink::roleChanged, this, &MainWindow::updateLink);
    connect(m_link, &ServiceLink::statusChanged, this, &MainWindow::updateStatus);
    connect(m_link, &ServiceLink::decisionsReceived, this, [this](const QList<DecisionEvent> &events) {
        m_model->addAll(events);
        m_counters->add(events);
    });
    connect(m_link, &ServiceLink::transfersChanged, m_transfers, &TransfersPage::setTransfers);
    connect(m_link, &ServiceLink::transfersChanged, this, [this](const QList<TransferInfo> &transfers) {
        const int active = int(TransferList::active(transfers).size());
        m_tabs->setTabText(m_tabs->indexOf(m_transfers),
                           active > 0 ? tr("T&ransfers (%1)").arg(active) : tr("T&ransfers"));
    });
    connect(m_link, &ServiceLink::pullsChanged, this, [this](const QList<PullInfo> &pulls) {
        const auto running = std::count_if(pulls.begin(), pulls.end(), [](const PullInfo &p) { return p.running(); });
        m_tabs->setTabText(m_tabs->indexOf(m_models), running > 0 ? tr("&Models (%1)").arg(running) : tr("&Models"));
    });
    connect(m_counters, &DailyCounters::changed, this, &MainWindow::updateStatus);
    connect(m_header, &StateHeader::enableRequested, this, &MainWindow::switchAirlock);
    connect(m_header, &StateHeader::lockdownRequested, this, &MainWindow::requestLockdown);
    connect(m_header, &StateHeader::unlockRequested, this, &MainWindow::requestUnlock);
    connect(m_banner, &ConnectionBanner::retryRequested, m_link, &ServiceLink::retryNow);
    updateLink();
}

void MainWindow::updateLink() {
    const bool connected = m_link->linkState() == ServiceLink::LinkState::Connected;
    m_banner->show(m_link->linkState(), m_link->socketPath(), m_link->lastError());
    m_header->setAdmin(m_link->isAdmin());
    if (connected) {
        m_connection->setText(m_link->isAdmin() ? tr("Connected as administrator")
                                                : tr("Connected as viewer (read only)"));
    } else {
        m_connection->setText(tr("Not connected"));
    }
    updateStatus();
}

void MainWindow::updateStatus() {
    const bool connected = m_link->linkState() == ServiceLink::LinkState::Connected;
    m_header->setStatus(m_link->status(), connected);
    m_header->setCounters(tr("Today: %1 allowed · %2 blocked · %3 delivered")
                              .arg(m_counters->allowed())
                              .arg(m_counters->blocked())
                              .arg(Format::bytes(m_counters->bytes())));
}

void MainWindow::showMessage(const QString &message) {
    m_lastMessage = message;
    statusBar()->showMessage(message, 15000);
}

void MainWindow::switchAirlock(bool enable) {
    m_header->setBusy(true);
    m_link->setEnabled(enable, [this, enable](const ServiceLink::Result &result) {
        m_header->setBusy(false);
        if (result.ok)
            showMessage(enable ? tr("The Airlock is on.") : tr("The Airlock is off."));
        else
            showMessage(tr("The service refused: %1").arg(result.error));
    });
}

void MainWindow::requestLockdown() {
    LockdownDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        lockdown(dialog.reason());
}

void MainWindow::lockdown(const QString &reason) {
    m_header->setBusy(true);
    m_link->lockdown(reason, [this](const ServiceLink::Result &result) {
        m_header->setBusy(false);
        showMessage(result.ok ? tr("Lockdown in force.") : tr("The service refused: %1").arg(result.error));
    });
}

void MainWindow::requestUnlock() {
    const QMessageBox::StandardButton answer =
        QMessageBox::question(this, tr("Unlock the Airlock"),
                              tr("End the lockdown? The Airlock then lets requests through again if it is "
                                 "switched on."),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    m_header->setBusy(true);
    m_link->unlock([this](const ServiceLink::Result &result) {
        m_header->setBusy(false);
        showMessage(result.ok ? tr("Lockdown ended.") : tr("The service refused: %1").arg(result.error));
    });
}

} // namespace airlock::gui
