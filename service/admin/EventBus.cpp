#include "admin/EventBus.h"

namespace airlock {

EventBus::EventBus(int capacity, QObject *parent)
    : QObject(parent)
    , m_capacity(std::max(1, capacity)) {
    m_ring.reserve(size_t(m_capacity));
}

void EventBus::publish(const AuditRecord &record) {
    publish(recordToJson(record, QDateTime::currentDateTimeUtc()));
}

void EventBus::publish(const QJsonObject &event) {
    if (qsizetype(m_ring.size()) < m_capacity)
        m_ring.push_back(event);
    else
        m_ring[size_t(m_next)] = event;
    m_next = (m_next + 1) % m_capacity;
    ++m_published;
    Q_EMIT eventPublished(event);
}

QJsonArray EventBus::recent(int limit) const {
    const qsizetype size = qsizetype(m_ring.size());
    const qsizetype count = std::clamp<qsizetype>(limit, 0, size);
    // When the ring is not yet full, m_next == size and the oldest is at 0.
    const qsizetype start = (size < m_capacity ? size : m_next) - count;
    QJsonArray out;
    for (qsizetype i = 0; i < count; ++i)
        out.append(m_ring[size_t(((start + i) % size + size) % size)]);
    return out;
}

} // namespace airlock
