#include "admin/TransferTracker.h"

namespace airlock {

TransferTracker::TransferTracker(Clock clock, int tickMs, qint64 keepFinishedMs, QObject *parent)
    : QObject(parent)
    , m_clock(std::move(clock))
    , m_keepFinishedMs(keepFinishedMs) {
    m_elapsed.start();
    if (!m_clock)
        m_clock = [this] {
            return m_elapsed.elapsed();
        };
    m_timer.setInterval(tickMs);
    connect(&m_timer, &QTimer::timeout, this, &TransferTracker::tick);
}

TransferTracker::Transfer *TransferTracker::find(const QString &id) {
    for (Transfer &t : m_transfers)
        if (t.id == id)
            return &t;
    return nullptr;
}

void TransferTracker::ensureTicking() {
    m_dirty = true;
    if (!m_timer.isActive())
        m_timer.start();
}

void TransferTracker::started(const QString &id, const QString &method, const QString &host, const QString &path) {
    Transfer t;
    t.id = id;
    t.method = method;
    t.host = host;
    t.path = path;
    t.startedMs = t.sampleMs = m_clock();
    m_transfers.append(t);
    ensureTicking();
}

void TransferTracker::progress(const QString &id, qint64 bytes, qint64 total) {
    Transfer *t = find(id);
    if (!t || t->done)
        return;
    t->bytes = bytes;
    t->total = total;
    ensureTicking();
}

void TransferTracker::finished(const AuditRecord &r) {
    Transfer *t = find(r.requestId);
    if (!t) {
        // Finished before we saw it start (or the start was not reported): list the outcome anyway.
        started(r.requestId, r.method, r.host, r.path);
        t = find(r.requestId);
    }
    t->done = true;
    t->bytes = r.bytesDown;
    if (!r.host.isEmpty())
        t->host = r.host;
    if (!r.path.isEmpty())
        t->path = r.path;
    t->outcome = r.outcome;
    t->status = r.status;
    t->rate = 0;
    t->finishedMs = m_clock();
    ensureTicking();
}

void TransferTracker::setDetail(const QString &id, const QJsonObject &detail) {
    if (Transfer *t = find(id))
        t->detail = detail;
}

int TransferTracker::activeCount() const {
    int n = 0;
    for (const Transfer &t : m_transfers)
        n += t.done ? 0 : 1;
    return n;
}

QJsonObject TransferTracker::snapshot() const {
    const qint64 now = m_clock();
    QJsonArray list;
    for (const Transfer &t : m_transfers) {
        QJsonObject o = t.detail;
        o.insert(QStringLiteral("id"), t.id);
        o.insert(QStringLiteral("method"), t.method);
        o.insert(QStringLiteral("host"), t.host);
        o.insert(QStringLiteral("path"), t.path);
        o.insert(QStringLiteral("bytes"), t.bytes);
        o.insert(QStringLiteral("total"), t.total);
        o.insert(QStringLiteral("rate"), qint64(t.rate));
        o.insert(QStringLiteral("state"), t.done ? QStringLiteral("finished") : QStringLiteral("active"));
        o.insert(QStringLiteral("elapsed"), (t.done ? t.finishedMs : now) - t.startedMs);
        if (t.done) {
            o.insert(QStringLiteral("outcome"), outcomeName(t.outcome));
            o.insert(QStringLiteral("status"), t.status);
        }
        list.append(o);
    }
    return QJsonObject{{QStringLiteral("transfers"), list}};
}

void TransferTracker::tick() {
    const qint64 now = m_clock();
    for (Transfer &t : m_transfers) {
        if (t.done || now <= t.sampleMs)
            continue;
        const double instant = double(t.bytes - t.sampleBytes) * 1000.0 / double(now - t.sampleMs);
        // Smoothed so the figure does not jump with every scheduling hiccup.
        t.rate = t.sampleBytes == 0 && t.rate == 0 ? instant : 0.5 * t.rate + 0.5 * instant;
        t.sampleMs = now;
        t.sampleBytes = t.bytes;
    }
    const qsizetype before = m_transfers.size();
    m_transfers.removeIf([&](const Transfer &t) { return t.done && now - t.finishedMs >= m_keepFinishedMs; });
    if (m_transfers.size() != before)
        m_dirty = true;
    const bool active = activeCount() > 0;
    if (m_dirty || active)
        Q_EMIT updated(snapshot());
    m_dirty = false;
    // Keep ticking while something is active or a finished entry still has to expire.
    if (!active && m_transfers.isEmpty())
        m_timer.stop();
}

} // namespace airlock
