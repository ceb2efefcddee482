#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QString>

namespace airlock {

struct LockdownState {
    bool active = false;
    QString reason;
    QString who;
    QString incidentId;
    QDateTime time;
    QJsonObject toJson() const;
};

// The emergency brake. Once engaged every fetch is refused whatever the policy says, and the
// latch is written to a file in the state folder so that a restart keeps it. It is set in
// memory first and persisted second: a brake that cannot be written down still holds until the
// process ends, and the caller is told. Releasing removes the file first: if that fails the
// latch stays. A latch file that cannot be read at start counts as engaged (fail closed).
class LockdownLatch final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LockdownLatch)
public:
    explicit LockdownLatch(QObject *parent = nullptr);

    // Reads the latch file (if any). Returns false with *warning when it exists but is unreadable:
    // the latch is then engaged.
    bool load(const QString &path, QString *warning);

    bool isActive() const { return m_state.active; }
    LockdownState state() const { return m_state; }

    // Returns whether the latch was persisted; *error says why not.
    bool engage(const QString &reason, const QString &who, const QString &incidentId, QString *error);
    bool release(const QString &who, QString *error);

Q_SIGNALS:
    // The new state; on a release, inactive with who released it and when.
    void changed(const airlock::LockdownState &state);

private:
    QString m_path;
    LockdownState m_state;
};

} // namespace airlock
