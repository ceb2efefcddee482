#include "client/ServiceLink.h"

#include "AdminClient.h"
#include "policy/PolicyYaml.h"

#include <QHash>
#include <QJsonArray>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcLink, "airlock.gui.link")

namespace airlock::gui {

using admin::AdminClient;
using admin::AdminReply;

namespace {

constexpr int SeenLimit = 10000;
constexpr int HistoryOnConnect = 500;

QString dedupeKey(const DecisionEvent &e) {
    // Ids restart with the service; the time keeps a restarted service's events apart.
    return e.requestId + QLatin1Char('|') + QString::number(e.time.toMSecsSinceEpoch()) + QLatin1Char('|') + e.host;
}

// The events an answer or a pushed frame holds; one the shared parser refuses is left out (and
// logged) rather than shown as a guess.
QList<DecisionEvent> decisionsFrom(const QJsonArray &array) {
    QList<DecisionEvent> events;
    events.reserve(array.size());
    for (const QJsonValue &v : array) {
        QString error;
        if (std::optional<DecisionEvent> e = DecisionEvent::fromJson(v.toObject(), &error))
            events.append(std::move(*e));
        else
            qCWarning(lcLink, "event ignored: %s", qPrintable(error));
    }
    return events;
}

} // namespace

ServiceLink::ServiceLink(QObject *parent)
    : QObject(parent)
    , m_client(new AdminClient(this)) {
    qRegisterMetaType<ServiceStatus>();
    qRegisterMetaType<DecisionEvent>();
    qRegisterMetaType<TransferInfo>();
    qRegisterMetaType<PullInfo>();
    m_pullPoll.setInterval(1000);
    connect(&m_pullPoll, &QTimer::timeout, this, &ServiceLink::refreshPulls);
    m_statusPoll.setInterval(5000);
    connect(&m_statusPoll, &QTimer::timeout, this, &ServiceLink::refreshStatus);
    connect(m_client, &AdminClient::ready, this, &ServiceLink::onReady);
    connect(m_client, &AdminClient::disconnected, this, &ServiceLink::onDisconnected);
    connect(m_client, &AdminClient::refused, this, &ServiceLink::onRefused);
    m_retry.setInterval(m_reconnectMs);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (!m_client->isReady() && m_state == LinkState::Unreachable)
            m_client->connectToServer(m_socketPath);
    });
    connect(m_client, &AdminClient::errorOccurred, this, [this](const QString &message) {
        m_lastError = message;
        if (!m_client->isReady() && m_state != LinkState::Refused)
            setLinkState(LinkState::Unreachable);
    });
    connect(m_client, &AdminClient::decisionEvent, this,
            [this](const QJsonObject &data) { acceptDecisions(decisionsFrom(QJsonArray{data})); });
    connect(m_client, &AdminClient::transfersEvent, this, [this](const QJsonObject &snapshot) {
        m_transfers = TransferInfo::listFromJson(snapshot);
        Q_EMIT transfersChanged(m_transfers);
    });
    connect(m_client, &AdminClient::stateEvent, this, &ServiceLink::applyStatus);
}

ServiceLink::~ServiceLink() = default;

void ServiceLink::start(const QString &socketPath) {
    m_socketPath = socketPath;
    m_client->setAutoReconnect(true, m_reconnectMs);
    setLinkState(LinkState::Connecting);
    m_client->connectToServer(socketPath);
}

void ServiceLink::retryNow() {
    if (m_state == LinkState::Connected)
        return;
    setLinkState(LinkState::Connecting);
    m_client->connectToServer(m_socketPath);
}

void ServiceLink::setLinkState(LinkState state) {
    if (state == m_state)
        return;
    m_state = state;
    if (state != LinkState::Connected)
        m_statusPoll.stop();
    if (state == LinkState::Unreachable)
        m_retry.start();
    else
        m_retry.stop();
    Q_EMIT linkStateChanged(state);
}

void ServiceLink::onReady(const QString &role) {
    m_lastError.clear();
    if (role != m_role) {
        m_role = role;
        Q_EMIT roleChanged(role);
    }
    // Subscribe first, so no decision falls between the history and the live stream.
    m_client->subscribeEvents();
    m_client->subscribeTransfers();
    m_client->recentEvents(HistoryOnConnect, [this](const AdminReply &reply) {
        if (!reply.ok)
            return;
        QList<DecisionEvent> events = decisionsFrom(reply.result.value(QLatin1String("events")).toArray());
        // The ring buffer answers oldest first; be tolerant of the other order.
        if (events.size() > 1 && events.first().time > events.last().time)
            std::reverse(events.begin(), events.end());
        acceptDecisions(events);
    });
    m_client->listTransfers([this](const AdminReply &reply) {
        if (!reply.ok)
            return;
        m_transfers = TransferInfo::listFromJson(reply.result);
        Q_EMIT transfersChanged(m_transfers);
    });
    refreshStatus();
    refreshPolicy();
    refreshPulls();
    m_statusPoll.start();
    m_pullPoll.start();
    setLinkState(LinkState::Connected);
}

void ServiceLink::onDisconnected() {
    if (m_state == LinkState::Refused)
        return;
    if (!m_transfers.isEmpty()) {
        m_transfers.clear();
        Q_EMIT transfersChanged(m_transfers);
    }
    m_pullPoll.stop();
    m_pullsInFlight = false;
    m_pullsListed = false;
    m_filesInFlight.clear();
    if (!m_pulls.isEmpty()) {
        m_pulls.clear();
        Q_EMIT pullsChanged(m_pulls);
    }
    setLinkState(LinkState::Unreachable);
}

void ServiceLink::onRefused(const QString &reason) {
    m_lastError = reason;
    setLinkState(LinkState::Refused);
}

void ServiceLink::refreshStatus() {
    m_client->status([this](const AdminReply &reply) {
        if (reply.ok)
            applyStatus(reply.result);
    });
}

void ServiceLink::applyStatus(const QJsonObject &object) {
    ServiceStatus next = ServiceStatus::fromJson(object);
    // A "state" event may carry only the switches: keep the counters we know.
    if (m_status && next.allowed < 0 && next.version.isEmpty()) {
        ServiceStatus merged = *m_status;
        merged.enabled = next.enabled;
        merged.lockdown = next.lockdown;
        merged.lockdownReason = next.lockdownReason;
        next = merged;
    }
    if (m_status && *m_status == next)
        return;
    m_status = next;
    Q_EMIT statusChanged(next);
}

void ServiceLink::refreshPolicy() {
    m_client->getPolicy([this](const AdminReply &reply) {
        if (!reply.ok)
            return;
        const PolicyParseResult parsed = parsePolicyYaml(reply.result.value(QLatin1String("yaml")).toString().toUtf8());
        if (parsed.ok()) {
            m_policy = *parsed.policy;
            m_policyProblem.clear();
        } else {
            m_policy.reset();
            m_policyProblem = parsed.problems.isEmpty() ? QString() : parsed.problems.first().toString();
        }
        Q_EMIT policyChanged();
    });
}

void ServiceLink::acceptDecisions(const QList<DecisionEvent> &events) {
    QList<DecisionEvent> fresh;
    for (const DecisionEvent &e : events) {
        const QString key = dedupeKey(e);
        if (m_seen.contains(key))
            continue;
        m_seen.insert(key);
        m_seenOrder.push_back(key);
        if (int(m_seenOrder.size()) > SeenLimit) {
            m_seen.remove(m_seenOrder.front());
            m_seenOrder.pop_front();
        }
        fresh.append(e);
    }
    if (!fresh.isEmpty())
        Q_EMIT decisionsReceived(fresh);
}

void ServiceLink::run(std::function<qint64(std::function<void(const AdminReply &)>)> request, ResultCallback done,
                      bool refreshPolicyAfter) {
    request([this, done = std::move(done), refreshPolicyAfter](const AdminReply &reply) {
        if (reply.ok) {
            refreshStatus();
            if (refreshPolicyAfter)
                refreshPolicy();
        }
        if (done)
            done(Result{reply.ok, reply.code, reply.error});
    });
}

void ServiceLink::setEnabled(bool enabled, ResultCallback done) {
    run([this, enabled](auto cb) { return m_client->setEnabled(enabled, std::move(cb)); }, std::move(done), true);
}

void ServiceLink::lockdown(const QString &reason, ResultCallback done) {
    run([this, reason](auto cb) { return m_client->lockdown(reason, std::move(cb)); }, std::move(done), false);
}

void ServiceLink::unlock(ResultCallback done) {
    run([this](auto cb) { return m_client->unlock(std::move(cb)); }, std::move(done), false);
}

void ServiceLink::replaceAllowlist(const QJsonArray &entries, ResultCallback done) {
    run(
        [this, entries](auto cb) {
            return m_client->send(admin::Command::AllowReplace, {{QStringLiteral("entries"), entries}}, std::move(cb));
        },
        std::move(done), true);
}

void ServiceLink::setPullDetail(const QString &id) {
    if (id == m_pullDetail)
        return;
    m_pullDetail = id;
    if (!id.isEmpty())
        refreshPulls();
}

void ServiceLink::refreshPulls() {
    if (m_pullsInFlight || !m_client->isReady())
        return; // one poll at a time: a slow service is not asked faster than it answers
    m_pullsInFlight = true;
    m_client->send(admin::Command::ListPulls, {}, [this](const AdminReply &reply) {
        m_pullsInFlight = false;
        if (!reply.ok)
            return;
        const qint64 freeBytes = reply.result.value(QLatin1String("free_bytes")).toInteger(-1);
        const QString destination = reply.result.value(QLatin1String("destination")).toString();
        const bool spaceChanged = freeBytes != m_pullFreeBytes || destination != m_pullDestination;
        m_pullFreeBytes = freeBytes;
        m_pullDestination = destination;
        QList<PullInfo> list;
        for (const QJsonValue &v : reply.result.value(QLatin1String("pulls")).toArray())
            list.append(PullInfo::fromJson(v.toObject()));
        const QList<PullInfo> before = m_pulls;
        applyPulls(list);
        // The free space is part of what pullsChanged announces, also when no pull changed; so
        // is the first list after (re)connecting, which may be as empty as the one before.
        if ((spaceChanged || !m_pullsListed) && m_pulls == before)
            Q_EMIT pullsChanged(m_pulls);
        m_pullsListed = true;
        QHash<QString, QString> stateBefore;
        for (const PullInfo &p : before)
            stateBefore.insert(p.id, p.state);
        for (const PullInfo &p : std::as_const(m_pulls)) {
            // The files of the pull shown in detail while it downloads; of any pull, once, when
            // its state changes (the files known from while it ran are stale once it ended).
            // Never more than one question per pull in flight: a slow service is not flooded.
            const bool stateChanged = stateBefore.value(p.id) != p.state;
            const bool detail = p.id == m_pullDetail && (p.state == QLatin1String("downloading") || !p.hasFiles);
            if ((!detail && !stateChanged) || p.state == QLatin1String("queued") || m_filesInFlight.contains(p.id))
                continue;
            m_filesInFlight.insert(p.id);
            m_client->send(admin::Command::GetPull, {{QStringLiteral("id"), p.id}},
                           [this, id = p.id](const AdminReply &one) {
                               m_filesInFlight.remove(id);
                               if (one.ok)
                                   applyPullFiles(PullInfo::fromJson(one.result));
                           });
        }
    });
}

void ServiceLink::applyPulls(const QList<PullInfo> &pulls) {
    // The list carries no files: keep those already known for each pull until its own answer.
    QList<PullInfo> next = pulls;
    for (PullInfo &p : next) {
        for (const PullInfo &old : std::as_const(m_pulls)) {
            if (old.id == p.id && old.hasFiles) {
                p.hasFiles = true;
                p.files = old.files;
            }
        }
    }
    if (next == m_pulls)
        return;
    m_pulls = next;
    Q_EMIT pullsChanged(m_pulls);
}

void ServiceLink::applyPullFiles(const PullInfo &detailed) {
    for (PullInfo &p : m_pulls) {
        if (p.id != detailed.id)
            continue;
        if (p == detailed)
            return;
        p = detailed;
        Q_EMIT pullsChanged(m_pulls);
        return;
    }
}

void ServiceLink::startPull(const QString &source, const QStringList &include, const QStringList &exclude, bool dryRun,
                            PullCallback done) {
    QJsonObject args{{QStringLiteral("source"), source}};
    if (!include.isEmpty())
        args.insert(QStringLiteral("include"), QJsonArray::fromStringList(include));
    if (!exclude.isEmpty())
        args.insert(QStringLiteral("exclude"), QJsonArray::fromStringList(exclude));
    if (dryRun)
        args.insert(QStringLiteral("dry_run"), true);
    m_client->send(admin::Command::StartPull, args, [this, dryRun, done = std::move(done)](const AdminReply &reply) {
        if (reply.ok && !dryRun)
            refreshPulls();
        if (done)
            done(Result{reply.ok, reply.code, reply.error}, reply.result);
    });
}

void ServiceLink::cancelPull(const QString &id, bool discard, ResultCallback done) {
    QJsonObject args{{QStringLiteral("id"), id}};
    if (discard)
        args.insert(QStringLiteral("discard"), true);
    m_client->send(admin::Command::CancelPull, args, [this, done = std::move(done)](const AdminReply &reply) {
        if (reply.ok)
            refreshPulls();
        if (done)
            done(Result{reply.ok, reply.code, reply.error});
    });
}

void ServiceLink::resumePull(const QString &id, ResultCallback done) {
    m_client->send(admin::Command::ResumePull, {{QStringLiteral("id"), id}},
                   [this, done = std::move(done)](const AdminReply &reply) {
                       if (reply.ok)
                           refreshPulls();
                       if (done)
                           done(Result{reply.ok, reply.code, reply.error});
                   });
}

void ServiceLink::reload(ResultCallback done) {
    run([this](auto cb) { return m_client->reload(std::move(cb)); }, std::move(done), true);
}

} // namespace airlock::gui
