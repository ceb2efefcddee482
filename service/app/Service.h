#pragma once

#include "api/ApiRouter.h"
#include "api/Stats.h"
#include "app/Options.h"
#include "audit/AuditLog.h"
#include "gate/Gate.h"
#include "gate/RateLimiter.h"
#include "http/HttpServer.h"
#include "inspect/Inspector.h"
#include "policy/Policy.h"
#include "upstream/Resolver.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

class QNetworkAccessManager;

namespace airlock {

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

private:
    bool prepareStateDir(QString *error);
    bool loadToken(QString *error);
    bool loadPolicy(QString *error);
    bool loadCaFile(QString *error);

    Options m_options;
    PolicySnapshot m_policy;
    bool m_lockdown = false;
    QByteArray m_token;
    QElapsedTimer m_clock;
    RateLimiter m_limiter;
    Inspector m_inspector;
    Gate m_gate;
    AuditLog m_audit;
    Stats m_stats;
    UpstreamConfig m_upstream;
    QNetworkAccessManager *m_nam = nullptr;
    Resolver *m_resolver = nullptr;
    ApiRouter *m_router = nullptr;
    HttpServer *m_http = nullptr;
};

// Reads the API token from path, or creates it (32 random bytes, hex, mode 0600) when missing.
bool loadOrCreateToken(const QString &path, QByteArray *token, bool *created, QString *error);

} // namespace airlock
