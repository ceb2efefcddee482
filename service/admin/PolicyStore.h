#pragma once

#include "policy/Policy.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace airlock {

struct PolicyChange {
    bool ok = false;
    bool changed = false; // false: ok, but the result equals the policy in force
    QString code;         // on failure: "invalid_entry", "not_found", "invalid_policy", "write_failed", ...
    QString error;        // one line
    QStringList problems; // every validation problem, for reloads of an invalid file
};

// Owns the policy in force and every way it changes. An edit is applied to a copy, the copy is
// validated (the strict YAML round trip plus the service's own checks), written to the policy
// file atomically, and only then published; so a failed write changes nothing and the file
// always holds what is in force. Reloads (admin command, SIGHUP, file watcher) read the file and
// publish it only when it is valid and different; an invalid file leaves the policy in force.
class PolicyStore final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PolicyStore)
public:
    using Edit = std::function<bool(Policy &policy, QString *code, QString *error)>;

    PolicyStore(QString path, PolicySnapshot initial, QObject *parent = nullptr);

    PolicySnapshot current() const { return m_current; }
    QString path() const { return m_path; }

    PolicyChange change(const Edit &edit, const QString &who);
    PolicyChange reload(const QString &trigger);
    // Watches the file (and its folder: an atomic rename replaces the inode) and reloads,
    // debounced, when it changes.
    void watch(int debounceMs = 300);

Q_SIGNALS:
    void policyChanged(const airlock::PolicySnapshot &policy, const QString &source);

private:
    void onFileEvent();
    void rewatch();

    QString m_path;
    PolicySnapshot m_current;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
};

} // namespace airlock
