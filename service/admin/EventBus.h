#pragma once

#include "record/AuditRecord.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <vector>

namespace airlock {

// Turns decisions and finished transfers into admin events and keeps the last N in a ring
// buffer for recent_events. An event is recordToJson's object, the audit line's shape without
// "prev"; AuditRecord never holds a query string, a header value or a body, so an event cannot
// leak one either.
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

Q_SIGNALS:
    void eventPublished(const QJsonObject &event);

private:
    std::vector<QJsonObject> m_ring;
    int m_capacity;
    qsizetype m_next = 0;
    qint64 m_published = 0;
};

} // namespace airlock
