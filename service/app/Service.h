#pragma once

#include "admin/LockdownLatch.h"
#include "api/ApiRouter.h"
#include "app/Options.h"
#include "audit/AuditLog.h"
#include "audit/Stats.h"
#include "gate/EgressBudget.h"
#include "gate/Gate.h"
#include "gate/RateLimiter.h"
#include "http/HttpServer.h"
#include "inspect/Inspector.h"
#include "policy/Policy.h"
#include "upstream/ConnectionPool.h"
#include "upstream/Resolver.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

namespace airlock {

class AdminServer;
class PullManager;
class EventBus;
class PolicyStore;
class TransferTracker;

// airlockd's composition root: builds every part from the options and wires them.
class Service final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Service)
public:
    explicit Service(Options options, QObject *parent = nullptr);
    ~Service() override;

    bool start(QString *error);
    quint16 port() const;

    PolicySnapshot policy() const { return m_policy; }
    bool lockdown() const { return m_lockdown.isActive(); }

    // Rereads the policy file (SIGHUP); an invalid file is refused and the policy in force stays.
    void reloadPolicy(const QString &trigger);

private:
    bool prepareStateDir(QString *error);
    bool loadToken(QString *error);
    bool loadPolicy(QString *error);
    bool loadCaFile(QString *error);
    void recordAdminAction(AdminAction action, const QString &by);
    bool startAdmin(QString *error);
    void startPulls();
    bool recordPullRequest(const AuditRecord &record);

    Options m_options;
    PolicySnapshot m_policy;
    LockdownLatch m_lockdown;
    QByteArray m_token;
    QElapsedTimer m_clock;
    RateLimiter m_limiter;
    EgressBudget m_budget;
    RateLimiter m_checkLimiter; // /v1/egress/check's own
    Inspector m_inspector;
    Gate m_gate;
    AuditLog m_audit;
    Stats m_stats;
    UpstreamConfig m_upstream;
    Resolver *m_resolver = nullptr;
    ConnectionPool *m_pool = nullptr; // idle upstream connections, closed on policy change and lockdown
    ApiRouter *m_router = nullptr;
    HttpServer *m_http = nullptr;
    PolicyStore *m_store = nullptr;
    EventBus *m_events = nullptr;
    TransferTracker *m_transfers = nullptr;
    AdminServer *m_admin = nullptr;
    PullManager *m_pulls = nullptr;
};

// Reads the API token from path, or creates it (32 random bytes, hex, mode 0600) when missing.
bool loadOrCreateToken(const QString &path, QByteArray *token, bool *created, QString *error);

} // namespace airlock
