#include "admin/PolicyStore.h"

#include "admin/PolicyFile.h"
#include "policy/PolicyYaml.h"

#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPolicy, "airlock.admin.policy")

namespace airlock {

namespace {

PolicyChange failure(const QString &code, const QString &error, const QStringList &problems = {}) {
    PolicyChange c;
    c.code = code;
    c.error = error;
    c.problems = problems;
    return c;
}

} // namespace

PolicyStore::PolicyStore(QString path, PolicySnapshot initial, QObject *parent)
    : QObject(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
    , m_current(std::move(initial)) {
    m_debounce.setSingleShot(true);
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        rewatch();
        reload(QStringLiteral("file change"));
    });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &PolicyStore::onFileEvent);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this](const QString &) { onFileEvent(); });
}

PolicyChange PolicyStore::change(const Edit &edit, const QString &who) {
    Policy candidate = *m_current;
    QString code, error;
    if (!edit(candidate, &code, &error))
        return failure(code.isEmpty() ? QStringLiteral("invalid_request") : code, error);
    if (candidate == *m_current) {
        PolicyChange c;
        c.ok = true;
        return c;
    }
    // Validate what will be on disk, exactly as a restart would read it.
    const QByteArray yaml = policyToYaml(candidate);
    const PolicyParseResult parsed = parsePolicyYaml(yaml);
    QStringList problems;
    for (const PolicyProblem &p : parsed.problems)
        problems.append(p.toString());
    if (parsed.ok())
        problems += servicePolicyProblems(*parsed.policy);
    if (!problems.isEmpty())
        return failure(QStringLiteral("invalid_policy"),
                       QStringLiteral("the change would make the policy invalid: ") + problems.first(), problems);
    if (!writeFileAtomically(m_path, yaml, &error))
        return failure(QStringLiteral("write_failed"), QStringLiteral("policy not changed: ") + error);
    m_current = std::make_shared<const Policy>(*parsed.policy);
    qCInfo(lcPolicy, "policy changed by %s and written to %s", qPrintable(who), qPrintable(m_path));
    Q_EMIT policyChanged(m_current, who);
    PolicyChange c;
    c.ok = true;
    c.changed = true;
    return c;
}

PolicyChange PolicyStore::reload(const QString &trigger) {
    const PolicyFileResult loaded = loadPolicyFile(m_path);
    if (!loaded.policy) {
        qCWarning(lcPolicy, "reload (%s) refused, the policy in force stays: %s", qPrintable(trigger),
                  qPrintable(loaded.problems.join(QStringLiteral("; "))));
        return failure(QStringLiteral("invalid_policy"),
                       QStringLiteral("policy file refused, the policy in force stays: ") +
                           loaded.problems.value(0, QStringLiteral("unreadable")),
                       loaded.problems);
    }
    PolicyChange c;
    c.ok = true;
    if (*loaded.policy == *m_current)
        return c;
    m_current = std::make_shared<const Policy>(*loaded.policy);
    c.changed = true;
    qCInfo(lcPolicy, "policy reloaded from %s (%s): %s, %lld destinations", qPrintable(m_path), qPrintable(trigger),
           m_current->enabled ? "enabled" : "disabled", qint64(m_current->allowedDestinations.size()));
    Q_EMIT policyChanged(m_current, trigger);
    return c;
}

void PolicyStore::watch(int debounceMs) {
    m_debounce.setInterval(debounceMs);
    rewatch();
}

void PolicyStore::rewatch() {
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher.directories().contains(dir))
        m_watcher.addPath(dir);
    if (!m_watcher.files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher.addPath(m_path);
}

void PolicyStore::onFileEvent() {
    m_debounce.start();
}

} // namespace airlock
