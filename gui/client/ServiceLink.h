#pragma once

#include "client/Messages.h"
#include "policy/Policy.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>
#include <optional>

namespace airlock::admin {
class AdminClient;
struct AdminReply;
} // namespace airlock::admin

namespace airlock::gui {

// The panel's side of the admin channel: owns an AdminClient, keeps connecting until the
// service answers (and again after it restarts), and turns the channel into state the widgets
// can bind to — link state, role, service status, policy, decisions and transfers — as signals.
// Every change is one request whose answer (the service's refusal included, word for word)
// comes back through a callback. No widgets here, so tests drive it against a real airlockd.
class ServiceLink final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceLink)

public:
    enum class LinkState { Connecting, Connected, Unreachable, Refused };
    Q_ENUM(LinkState)

    struct Result {
        bool ok = false;
        QString code;  // the service's stable code on refusal ("not_permitted", "invalid_entry", ...)
        QString error; // the service's own message
    };
    using ResultCallback = std::function<void(const Result &)>;

    explicit ServiceLink(QObject *parent = nullptr);
    ~ServiceLink() override;

    void setReconnectInterval(int ms) {
        m_reconnectMs = ms;
        m_retry.setInterval(ms);
    }
    void setStatusPollInterval(int ms) { m_statusPoll.setInterval(ms); }
    void start(const QString &socketPath);
    void retryNow();

    LinkState linkState() const { return m_state; }
    QString socketPath() const { return m_socketPath; }
    QString lastError() const { return m_lastError; }
    QString role() const { return m_role; }
    bool isAdmin() const { return m_role == QLatin1String("admin"); }
    std::optional<ServiceStatus> status() const { return m_status; }
    std::optional<Policy> policy() const { return m_policy; }
    QString policyProblem() const { return m_policyProblem; }
    QList<TransferInfo> transfers() const { return m_transfers; }

    void setEnabled(bool enabled, ResultCallback done = {});
    void lockdown(const QString &reason, ResultCallback done = {});
    void unlock(ResultCallback done = {});
    // One atomic change: the whole allowlist, each entry as its text or {host, methods}.
    void replaceAllowlist(const QJsonArray &entries, ResultCallback done = {});
    void reload(ResultCallback done = {});

    // Model pulls. The list is polled once a second while connected; the files of every running
    // pull (and of those named by setPullDetail) come with it.
    QList<PullInfo> pulls() const { return m_pulls; }
    qint64 pullFreeBytes() const { return m_pullFreeBytes; } // -1: not reported
    QString pullDestination() const { return m_pullDestination; }
    void setPullPollInterval(int ms) { m_pullPoll.setInterval(ms); }
    // Also fetch the files of this pull while it is shown expanded (empty: none).
    void setPullDetail(const QString &id);
    void refreshPulls();
    // The answer is the pull (or, for a dry run, the plan) as the service sent it.
    using PullCallback = std::function<void(const Result &, const QJsonObject &)>;
    void startPull(const QString &source, const QStringList &include, const QStringList &exclude, bool dryRun,
                   PullCallback done);
    void cancelPull(const QString &id, bool discard, ResultCallback done = {});
    void resumePull(const QString &id, ResultCallback done = {});
    void refreshStatus();
    void refreshPolicy();

Q_SIGNALS:
    void linkStateChanged(airlock::gui::ServiceLink::LinkState state);
    void roleChanged(const QString &role);
    void statusChanged(const airlock::gui::ServiceStatus &status);
    void policyChanged();
    // Decisions the panel has not seen yet: the recent history on (re)connect, oldest first.
    void decisionsReceived(const QList<airlock::gui::DecisionEvent> &events);
    void transfersChanged(const QList<airlock::gui::TransferInfo> &transfers);
    void pullsChanged(const QList<airlock::gui::PullInfo> &pulls);

private:
    void onReady(const QString &role);
    void onDisconnected();
    void onRefused(const QString &reason);
    void setLinkState(LinkState state);
    void applyStatus(const QJsonObject &object);
    void acceptDecisions(const QList<DecisionEvent> &events);
    void run(std::function<qint64(std::function<void(const admin::AdminReply &)>)> request, ResultCallback done,
             bool refreshPolicyAfter);

    admin::AdminClient *m_client;
    QTimer m_statusPoll;
    QTimer m_retry; // our own retry: a connect that fails at once may not reach AdminClient's
    LinkState m_state = LinkState::Connecting;
    QString m_socketPath;
    QString m_lastError;
    QString m_role;
    int m_reconnectMs = 2000;
    std::optional<ServiceStatus> m_status;
    std::optional<Policy> m_policy;
    QString m_policyProblem;
    QList<TransferInfo> m_transfers;
    void applyPulls(const QList<PullInfo> &pulls);
    void applyPullFiles(const PullInfo &detailed);
    QTimer m_pullPoll;
    QList<PullInfo> m_pulls;
    qint64 m_pullFreeBytes = -1;
    QString m_pullDestination;
    QString m_pullDetail;
    bool m_pullsInFlight = false;
    bool m_pullsListed = false;    // a list answer came since the link was (re)made
    QSet<QString> m_filesInFlight; // pulls whose files were asked for and not answered yet
    // Decisions already passed on, so the history fetched on reconnect is not shown twice.
    QSet<QString> m_seen;
    std::deque<QString> m_seenOrder;
};

} // namespace airlock::gui
