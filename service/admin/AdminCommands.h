#pragma once

#include "admin/AdminProtocol.h"
#include "admin/PeerCredentials.h"

#include <QJsonObject>

#include <functional>

namespace airlock {

class EventBus;
class PullManager;
class LockdownLatch;
class PolicyStore;
class TransferTracker;
struct Stats;

// What the admin commands act on; the composition root fills it in.
struct AdminContext {
    PolicyStore *policy = nullptr;
    LockdownLatch *lockdown = nullptr;
    EventBus *events = nullptr;
    TransferTracker *transfers = nullptr;
    Stats *stats = nullptr;
    PullManager *pulls = nullptr;
    std::function<QJsonObject()> extraStatus; // more status fields (connections, ...)
};

// Executes one typed admin command for a peer whose role is already known and answers it.
// Permission is checked here too (viewer → not_permitted) so no path skips it.
class AdminCommands final {
public:
    explicit AdminCommands(AdminContext context)
        : m_ctx(std::move(context)) {}

    enum class Subscription { None, Events, Transfers };
    struct Outcome {
        QJsonObject response;
        Subscription subscribe = Subscription::None;
        // Set when the answer comes later (a pull being resolved): called with the function
        // that sends it; response is then empty.
        std::function<void(std::function<void(const QJsonObject &)> answer)> later;
    };

    Outcome execute(qint64 id, admin::Command command, const QJsonObject &args, AdminRole role,
                    const QString &who) const;

    QJsonObject status() const;
    QJsonObject stateEvent() const; // {enabled, lockdown, lockdown_reason, ...}
    static QJsonObject policyJson(const struct Policy &policy);

private:
    Outcome pullCommand(qint64 id, admin::Command command, const QJsonObject &args, const QString &who) const;
    QJsonObject allowChange(qint64 id, admin::Command command, const QJsonObject &args, const QString &who) const;

    AdminContext m_ctx;
};

} // namespace airlock
