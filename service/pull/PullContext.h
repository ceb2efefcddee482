#pragma once

#include "audit/Stats.h"
#include "gate/Gate.h"
#include "policy/Policy.h"
#include "record/AuditRecord.h"
#include "upstream/UpstreamConfig.h"

#include <QString>

#include <functional>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace airlock {

class Resolver;

// What model pulls are wired to; the composition root (app/) fills it in.
struct PullContext {
    Gate *gate = nullptr;
    std::function<PolicySnapshot()> policy;
    std::function<bool()> lockdown;
    Resolver *resolver = nullptr;
    UpstreamConfig upstream;
    Stats *stats = nullptr;
    std::function<bool(const AuditRecord &)> record; // false: the record could not be written
    QString pullDir;                                 // the destination (the quarantine's incoming folder)
    QString stateDir;                                // where each pull's state is kept across restarts
    qint64 maxListingBytes = 16 * 1024 * 1024;       // a revision, tree page, manifest or token answer
    QThread *writerThread = nullptr;                 // where pulled files are written and hashed; none: this thread
};

} // namespace airlock
