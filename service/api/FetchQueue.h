#pragma once

#include "gate/Decision.h"
#include "policy/Policy.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QTimer>

#include <functional>

namespace airlock {

class HttpConnection;

// One fetch the Gate allowed and the audit log recorded, waiting for or holding an upstream slot.
struct FetchJob {
    QPointer<HttpConnection> connection;
    Decision decision;
    QByteArray body;
    QByteArray requestId;
    PolicySnapshot policy; // the request keeps the policy it was allowed under, redirect hops included
    QString caller;        // X-SecAI-Service of the request, for its transfer record
};

// Admission of allowed fetches to the upstream: at most maxActive run at once; the rest wait in
// a bounded queue, each at most timeoutMs, and are answered 503 busy when it is full or their
// time is up. A fetch still waiting when a lockdown is engaged is refused, never started.
// While fetches wait for a slot, preempt is asked (at once, then every second) to free slots
// held by slow readers, one per waiting fetch: no client holds every slot by reading slowly.
class FetchQueue final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FetchQueue)
public:
    struct Limits {
        int maxActive = 32;
        int maxQueued = 256;
        int timeoutMs = 30'000;
    };
    using Start = std::function<void(const FetchJob &job)>; // takes a slot until release()
    // Frees one slot (release() is called before it returns true); false: none can be freed.
    using Preempt = std::function<bool()>;

    FetchQueue(Limits limits, std::function<bool()> lockdown, Start start, QObject *parent = nullptr,
               Preempt preempt = {});
    ~FetchQueue() override;

    void submit(const FetchJob &job); // starts it now, queues it, or answers busy
    void release();                   // a started fetch ended; the next starts on the next turn of the loop
    // Lockdown: every fetch still waiting is refused now (503 lockdown), not when a slot frees.
    void refuseWaiting();
    int queued() const { return int(m_queue.size()); }
    int active() const { return m_active; }

private:
    struct Waiting;
    void startNext();
    void makeRoom();

    Limits m_limits;
    std::function<bool()> m_lockdown;
    Start m_start;
    Preempt m_preempt;
    QTimer *m_roomTimer = nullptr;
    int m_active = 0;
    QQueue<Waiting *> m_queue;
};

} // namespace airlock
