#pragma once

#include "api/FetchQueue.h"
#include "audit/AuditLog.h"
#include "audit/Stats.h"
#include "gate/Gate.h"
#include "upstream/UpstreamFetch.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace airlock {

struct RelayResult;
class FetchRelay;

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

    // A slot held by a slow reader, freed for a waiting request: among the GET and HEAD
    // transfers (a client can ask for the rest with Range; an upload would have to be sent
    // again) at least kSlowReaderMinAgeMs old whose client kept them waiting (data queued, not
    // read) at least half that time and took less than kSlowReaderBytesPerSecond on average,
    // the slowest is cut (preempted). False when none is such. A client reading at local speed
    // never is, nor is a transfer slow because its upstream is.
    bool preemptSlowReader();
    static constexpr qint64 kSlowReaderMinAgeMs = 10'000;

    // Lockdown: every transfer in progress is cut at once (FetchRelay::cutByLockdown). Returns
    // how many.
    int cutAll();
    static constexpr qint64 kSlowReaderBytesPerSecond = 1024 * 1024;

Q_SIGNALS:
    // Same id as the audit record; a "transfer" record then ended() close it.
    void started(const QString &id, const QString &method, const QString &host, const QString &path);
    void progress(const QString &id, qint64 bytesDown, qint64 total);
    void ended();

private:
    void book(const FetchJob &job, const RelayResult &result);

    TransferContext m_ctx;
    struct Running {
        QPointer<FetchRelay> relay;
        bool resumable = false; // GET or HEAD
    };
    QList<Running> m_relays;
};

} // namespace airlock
