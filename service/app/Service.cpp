#include "app/Service.h"

#include "admin/AdminServer.h"
#include "admin/EventBus.h"
#include "admin/PolicyFile.h"
#include "admin/PolicyStore.h"
#include "admin/TransferTracker.h"
#include "policy/PolicyYaml.h"
#include "pull/PullManager.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSslCertificate>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcService, "airlock.service")

namespace airlock {

bool loadOrCreateToken(const QString &path, QByteArray *token, bool *created, QString *error) {
    *created = false;
    QFile file(path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read token file %1: %2").arg(path, file.errorString());
            return false;
        }
        const QByteArray value = file.read(4096).trimmed();
        if (value.size() < 32) {
            *error = QStringLiteral("token file %1 holds no usable token (at least 32 characters)").arg(path);
            return false;
        }
        for (char c : value) {
            if (c <= 0x20 || c >= 0x7f) {
                *error = QStringLiteral("token file %1 holds characters a bearer token cannot carry").arg(path);
                return false;
            }
        }
        if (file.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup))
            qCWarning(lcService, "token file %s is readable by others than its owner; chmod 600 it", qPrintable(path));
        *token = value;
        return true;
    }
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray value = QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex();
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = QStringLiteral("cannot create token file %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    const QByteArray line = value + '\n';
    const bool ok = ::write(fd, line.constData(), size_t(line.size())) == line.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
        ::unlink(name.constData());
        *error = QStringLiteral("cannot write token file %1").arg(path);
        return false;
    }
    *token = value;
    *created = true;
    return true;
}

Service::Service(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_limiter([this] { return m_clock.elapsed(); })
    , m_budget([this] { return m_clock.elapsed(); })
    , m_checkLimiter([this] { return m_clock.elapsed(); })
    , m_gate(m_limiter, m_inspector) {
    m_clock.start();
    m_gate.setEgressBudget(&m_budget);
}

Service::~Service() {
    // The parts that act on the members below (audit log, counters) go first: Qt would delete
    // these children only after the members are gone. Pulls still running are saved as
    // interrupted on the way.
    delete m_http;
    delete m_admin;
    delete m_pulls;
    delete m_router;
}

quint16 Service::port() const {
    return m_http ? m_http->port() : 0;
}

bool Service::prepareStateDir(QString *error) {
    QDir dir(m_options.stateDir);
    if (!dir.exists() && !QDir().mkpath(m_options.stateDir)) {
        *error = QStringLiteral("cannot create state folder %1").arg(m_options.stateDir);
        return false;
    }
    QFile::setPermissions(m_options.stateDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return true;
}

bool Service::loadToken(QString *error) {
    bool created = false;
    if (!loadOrCreateToken(m_options.tokenFile, &m_token, &created, error))
        return false;
    qCInfo(lcService, "API token %s %s", created ? "created in" : "read from", qPrintable(m_options.tokenFile));
    return true;
}

bool Service::loadPolicy(QString *error) {
    if (!QFileInfo::exists(m_options.configFile)) {
        QDir().mkpath(QFileInfo(m_options.configFile).absolutePath());
        if (!writeFileAtomically(m_options.configFile, defaultPolicyYaml(), error))
            return false;
        qCInfo(lcService, "policy file %s written from the embedded default", qPrintable(m_options.configFile));
    }
    const PolicyFileResult loaded = loadPolicyFile(m_options.configFile);
    if (!loaded.policy) {
        *error =
            QStringLiteral("invalid policy, refusing to start:\n  ") + loaded.problems.join(QStringLiteral("\n  "));
        return false;
    }
    m_policy = std::make_shared<const Policy>(*loaded.policy);
    qCInfo(lcService, "policy %s loaded: %s, %lld destinations", qPrintable(m_options.configFile),
           m_policy->enabled ? "enabled" : "disabled", qint64(m_policy->allowedDestinations.size()));
    return true;
}

bool Service::loadCaFile(QString *error) {
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setProtocol(QSsl::TlsV1_2OrLater);
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!m_options.caFile.isEmpty()) {
        const QList<QSslCertificate> cas = QSslCertificate::fromPath(m_options.caFile, QSsl::Pem);
        if (cas.isEmpty()) {
            *error = QStringLiteral("--ca-file %1: no PEM certificate could be read").arg(m_options.caFile);
            return false;
        }
        ssl.addCaCertificates(cas);
        qCWarning(lcService, "--ca-file: trusting %lld extra CA certificate(s) from %s for upstream TLS",
                  qint64(cas.size()), qPrintable(m_options.caFile));
    }
    m_upstream.ssl = ssl;
    return true;
}

void Service::recordAdminAction(AdminAction action, const QString &by) {
    // Changes to the door itself belong in the same trail as the requests through it. Who and
    // what only: a lockdown reason is free text and stays in the latch file.
    AuditRecord record;
    record.event = EventKind::Admin;
    record.action = action;
    record.by = by;
    QString error;
    if (!m_audit.append(record, &error)) {
        ++m_stats.auditFailures;
        qCCritical(lcService, "%s", qPrintable(error));
    }
}

bool Service::startAdmin(QString *error) {
    // Lockdown, policy edits, reloads, events and transfers: the admin channel and its sources.
    m_store = new PolicyStore(m_options.configFile, m_policy, this);
    connect(m_store, &PolicyStore::policyChanged, this, [this](const PolicySnapshot &policy, const QString &source) {
        m_policy = policy;
        // Kept connections were made under the old policy; a disabled Airlock keeps none.
        m_pool->clear();
        m_pool->setKeeping(m_policy->enabled && !m_lockdown.isActive());
        m_audit.setRotation(m_policy->audit.maxFileBytes, m_policy->audit.keepFiles);
        recordAdminAction(AdminAction::PolicyChanged, source);
        if (!m_policy->enabled)
            m_pulls->stopAll(PullError{ErrorCode::Disabled, QStringLiteral("the Airlock was disabled")});
    });
    connect(&m_lockdown, &LockdownLatch::changed, this, [this](const LockdownState &state) {
        m_pool->setKeeping(!state.active && m_policy->enabled);
        m_pool->clear();
        recordAdminAction(state.active ? AdminAction::Lockdown : AdminAction::Unlock, state.who);
        if (state.active) {
            m_pulls->stopAll(PullError{ErrorCode::Lockdown, QStringLiteral("the Airlock was locked down")});
            m_router->lockdownEngaged(); // unlike a disable, which lets running downloads finish
        }
    });
    m_store->watch();
    m_events = new EventBus(1000, this);
    m_transfers = new TransferTracker({}, 250, 10'000, this);
    connect(m_router, &ApiRouter::decided, m_events, qOverload<const AuditRecord &>(&EventBus::publish));
    connect(m_router, &ApiRouter::decided, m_transfers, [this](const AuditRecord &record) {
        if (record.event == EventKind::Transfer)
            m_transfers->finished(record);
    });
    connect(m_router, &ApiRouter::transferStarted, m_transfers, &TransferTracker::started);
    connect(m_router, &ApiRouter::transferProgress, m_transfers, &TransferTracker::progress);
    connect(m_pulls, &PullManager::started, m_transfers,
            [this](const QString &id, const QString &host, const QString &name) {
                m_transfers->started(id, QStringLiteral("PULL"), host, name);
            });
    connect(m_pulls, &PullManager::progress, m_transfers,
            [this](const QString &id, qint64 bytes, qint64 total, const QJsonObject &detail) {
                m_transfers->progress(id, bytes, total);
                m_transfers->setDetail(id, detail);
            });
    connect(m_pulls, &PullManager::recorded, m_transfers, [this](const AuditRecord &record) {
        if (record.event == EventKind::PullFinished)
            m_transfers->finished(record);
    });
    AdminContext admin;
    admin.policy = m_store;
    admin.lockdown = &m_lockdown;
    admin.events = m_events;
    admin.transfers = m_transfers;
    admin.stats = &m_stats;
    admin.pulls = m_pulls;
    admin.extraStatus = [this] {
        // The egress byte budget: what each host had in the last hour, against the policy's limit.
        QJsonObject egress;
        for (const auto &[host, bytes] : m_budget.usage())
            egress.insert(host, bytes);
        return QJsonObject{{QStringLiteral("egress_bytes_last_hour"), egress},
                           {QStringLiteral("egress_budget_per_hour"), m_policy->uploadBytesPerHour}};
    };
    m_admin = new AdminServer(
        admin, [this] { return m_policy->admin; }, this);
    if (!m_admin->listen(m_options.adminSocket, error))
        return false;
    return true;
}

bool Service::recordPullRequest(const AuditRecord &record) {
    if (m_events)
        m_events->publish(record);
    QString error;
    if (m_audit.append(record, &error))
        return true;
    ++m_stats.auditFailures;
    qCCritical(lcService, "%s", qPrintable(error));
    return false;
}

void Service::startPulls() {
    PullContext ctx;
    ctx.gate = &m_gate;
    ctx.policy = [this] {
        return m_policy;
    };
    ctx.lockdown = [this] {
        return m_lockdown.isActive();
    };
    ctx.resolver = m_resolver;
    ctx.upstream = m_upstream;
    ctx.stats = &m_stats;
    ctx.record = [this](const AuditRecord &record) {
        return recordPullRequest(record);
    };
    ctx.pullDir = m_options.pullDir;
    ctx.stateDir = m_options.stateDir;
    m_pulls = new PullManager(std::move(ctx), this);
    m_pulls->restore();
    qCInfo(lcService, "model pulls publish into %s", qPrintable(m_options.pullDir));
}

void Service::reloadPolicy(const QString &trigger) {
    if (m_store)
        m_store->reload(trigger);
}

bool Service::start(QString *error) {
    if (!prepareStateDir(error) || !loadPolicy(error) || !loadToken(error) || !loadCaFile(error))
        return false;
    QString lockdownWarning;
    if (!m_lockdown.load(QDir(m_options.stateDir).filePath(QStringLiteral("lockdown")), &lockdownWarning))
        qCCritical(lcService, "%s", qPrintable(lockdownWarning));
    if (m_lockdown.isActive())
        qCWarning(lcService, "starting in LOCKDOWN (set by %s): every fetch is refused until an administrator unlocks",
                  qPrintable(m_lockdown.state().who));

    const QString auditPath = QDir(m_options.stateDir).filePath(QStringLiteral("audit.jsonl"));
    if (!m_audit.open(auditPath, error))
        return false;
    m_audit.setRotation(m_policy->audit.maxFileBytes, m_policy->audit.keepFiles);

    for (const ConnectTo &c : m_options.connectTo)
        qCWarning(lcService, "--connect-to: requests for %s:%d connect to %s:%d (operator override, no DNS check)",
                  qPrintable(c.host), c.port, qPrintable(c.address), c.addressPort);
    if (!m_options.listenAddress.isLoopback())
        qCCritical(lcService,
                   "WARNING: listening on %s, which is NOT a loopback address: other machines can reach "
                   "the API",
                   qPrintable(m_options.listenAddress.toString()));

    m_resolver = new Resolver(m_options.connectTo, this);
    m_pool = new ConnectionPool(this);
    m_pool->setKeeping(m_policy->enabled && !m_lockdown.isActive());
    m_upstream.pool = m_pool;

    startPulls();

    ApiContext ctx;
    ctx.pulls = m_pulls;
    ctx.policy = [this] {
        return m_policy;
    };
    ctx.lockdown = [this] {
        return m_lockdown.isActive();
    };
    ctx.disable = [this](const QString &incidentId, const QString &reason, QString *why) {
        return m_lockdown.engage(reason.isEmpty() ? QStringLiteral("incident ") + incidentId : reason,
                                 QStringLiteral("POST /api/v1/disable"), incidentId, why);
    };
    ctx.token = m_token;
    ctx.budget = &m_budget;
    ctx.checkLimiter = &m_checkLimiter;
    ctx.listenAddress = m_options.listenAddress;
    ctx.listenPort = [this] {
        return port();
    };
    ctx.gate = &m_gate;
    ctx.audit = &m_audit;
    ctx.stats = &m_stats;
    ctx.resolver = m_resolver;
    ctx.upstream = m_upstream;
    m_router = new ApiRouter(std::move(ctx), this);

    HttpLimits limits;
    ApiRouter *router = m_router;
    limits.maxBodyBytes = [router] {
        return router->maxRequestBytes();
    };
    limits.watchBody = [router](const HttpRequest &head) {
        return router->watchBody(head);
    };
    limits.answerFromHead = [router](const HttpRequest &head) {
        return router->answerFromHead(head);
    };
    if (!startAdmin(error))
        return false;
    m_http = new HttpServer(m_router, limits, 256, 64, this);
    connect(m_http, &HttpServer::connectionRefused, this, [this] { ++m_stats.connectionsRefused; });
    connect(m_http, &HttpServer::halfOpenDropped, this, [this] { ++m_stats.halfOpenDropped; });
    if (!m_http->listen(m_options.listenAddress, m_options.listenPort, error))
        return false;
    qCInfo(lcService, "listening on %s:%u", qPrintable(m_options.listenAddress.toString()), unsigned(port()));
    return true;
}

} // namespace airlock
