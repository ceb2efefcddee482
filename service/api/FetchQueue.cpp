#include "api/FetchQueue.h"

#include "api/ErrorResponse.h"
#include "http/HttpConnection.h"

#include <QTimer>

namespace airlock {

struct FetchQueue::Waiting {
    FetchJob job;
    QTimer *timeout = nullptr;
};

FetchQueue::FetchQueue(Limits limits, std::function<bool()> lockdown, Start start, QObject *parent, Preempt preempt)
    : QObject(parent)
    , m_limits(limits)
    , m_lockdown(std::move(lockdown))
    , m_start(std::move(start))
    , m_preempt(std::move(preempt)) {
    if (m_preempt) {
        m_roomTimer = new QTimer(this);
        m_roomTimer->setInterval(1000);
        connect(m_roomTimer, &QTimer::timeout, this, &FetchQueue::makeRoom);
    }
}

void FetchQueue::makeRoom() {
    if (m_queue.isEmpty()) {
        m_roomTimer->stop();
        return;
    }
    // Slots already free (a release waiting for the next turn of the loop) count as room.
    int needed = int(m_queue.size()) - (m_limits.maxActive - m_active);
    while (needed-- > 0 && m_preempt()) {
    }
}

FetchQueue::~FetchQueue() {
    qDeleteAll(m_queue);
}

void FetchQueue::submit(const FetchJob &job) {
    if (!job.connection || !job.connection->isOpen())
        return; // its client is gone: nothing is sent for it, and no slot taken
    if (m_active < m_limits.maxActive && m_queue.isEmpty()) {
        ++m_active;
        m_start(job);
        return;
    }
    if (m_queue.size() >= m_limits.maxQueued)
        return sendError(job.connection, ErrorCode::Busy, QStringLiteral("too many requests in flight, try again"));
    auto *waiting = new Waiting{job, new QTimer(this)};
    waiting->timeout->setSingleShot(true);
    connect(waiting->timeout, &QTimer::timeout, this, [this, waiting] {
        m_queue.removeOne(waiting);
        if (waiting->job.connection)
            sendError(waiting->job.connection, ErrorCode::Busy,
                      QStringLiteral("timed out waiting for an upstream slot"));
        waiting->timeout->deleteLater();
        delete waiting;
    });
    waiting->timeout->start(m_limits.timeoutMs);
    m_queue.enqueue(waiting);
    if (m_roomTimer) {
        if (!m_roomTimer->isActive())
            m_roomTimer->start();
        makeRoom();
    }
}

void FetchQueue::refuseWaiting() {
    while (!m_queue.isEmpty()) {
        Waiting *w = m_queue.dequeue();
        w->timeout->stop();
        w->timeout->deleteLater();
        if (w->job.connection && w->job.connection->isOpen())
            sendError(w->job.connection, ErrorCode::Lockdown, QStringLiteral("airlock is in lockdown"));
        delete w;
    }
}

void FetchQueue::release() {
    --m_active;
    // Slots free up on the next turn of the event loop, after the finished fetch is gone.
    QTimer::singleShot(0, this, &FetchQueue::startNext);
}

void FetchQueue::startNext() {
    while (m_active < m_limits.maxActive && !m_queue.isEmpty()) {
        Waiting *w = m_queue.dequeue();
        w->timeout->stop();
        w->timeout->deleteLater();
        if (w->job.connection && w->job.connection->isOpen()) {
            // Admitted before a lockdown, but not yet sent: the brake applies.
            if (m_lockdown()) {
                sendError(w->job.connection, ErrorCode::Lockdown, QStringLiteral("airlock is in lockdown"));
            } else {
                ++m_active;
                m_start(w->job);
            }
        }
        delete w;
    }
}

} // namespace airlock
