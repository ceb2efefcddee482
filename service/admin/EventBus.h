#pragma once

#include "audit/AuditLog.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <vector>

namespace airlock {

// Turns decisions and finished transfers into admin events and keeps the last N in a ring
// buffer for recent_events. Built from AuditRecord only, which never holds a query string, a
// header value or a body, so an event cannot leak one either.
class EventBus final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventBus)
public:
    explicit EventBus(int capacity = 1000, QObject *parent = nullptr);

    void publish(const AuditRecord &record);
    void publish(const QJsonObject &event);
    // The newest `limit` events, oldest first.
    QJsonArray recent(int limit) const;
    qint64 published() const { return m_published; }

    // {time, id, event, decision, code, rule, method, host, path, status, bytes, bytes_up, duration, outcome}
    static QJsonObject eventFor(const AuditRecord &record, const QDateTime &time);

Q_SIGNALS:
    void eventPublished(const QJsonObject &event);

private:
    std::vector<QJsonObject> m_ring;
    int m_capacity;
    qsizetype m_next = 0;
    qint64 m_published = 0;
};

} // namespace airlock
