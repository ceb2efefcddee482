#pragma once

#include "api/FetchQueue.h"
#include "audit/AuditLog.h"
#include "audit/Stats.h"
#include "gate/Gate.h"
#include "upstream/UpstreamFetch.h"

#include <QObject>

#include <functional>

namespace airlock {

struct RelayResult;

// What a transfer needs beyond the job itself; the composition root fills it in (via ApiContext).
struct TransferContext {
    Gate *gate = nullptr;
    std::function<bool()> lockdown;
    Resolver *resolver = nullptr;
    UpstreamConfig upstream;
    Stats *stats = nullptr;
    std::function<bool(const AuditRecord &)> record; // false: the record could not be written
};

// The transfer bookkeeping of allowed fetches: starts each one's upstream exchange relayed to
// its client (FetchRelay), with every redirect hop judged by the Gate under the job's policy,
// reports its progress, and when it ends books it: counters, the "transfer" audit record,
// then ended() so its slot can be given to the next.
class Transfers final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Transfers)
public:
    explicit Transfers(TransferContext context, QObject *parent = nullptr);

    void start(const FetchJob &job);

Q_SIGNALS:
    // Same id as the audit record; a "transfer" record then ended() close it.
    void started(const QString &id, const QString &method, const QString &host, const QString &path);
    void progress(const QString &id, qint64 bytesDown, qint64 total);
    void ended();

private:
    void book(const FetchJob &job, const RelayResult &result);

    TransferContext m_ctx;
};

} // namespace airlock
