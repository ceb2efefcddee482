#include "admin/LockdownLatch.h"

#include "admin/PolicyFile.h"
#include "base/Printable.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcLockdown, "airlock.admin.lockdown")

namespace airlock {

QJsonObject LockdownState::toJson() const {
    QJsonObject o;
    o.insert(QStringLiteral("lockdown"), active);
    o.insert(QStringLiteral("reason"), reason);
    o.insert(QStringLiteral("who"), who);
    if (!incidentId.isEmpty())
        o.insert(QStringLiteral("incident_id"), incidentId);
    o.insert(QStringLiteral("time"), time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString());
    return o;
}

LockdownLatch::LockdownLatch(QObject *parent)
    : QObject(parent) {}

bool LockdownLatch::load(const QString &path, QString *warning) {
    m_path = path;
    QFile file(path);
    if (!file.exists())
        return true;
    m_state.active = true;
    if (!file.open(QIODevice::ReadOnly)) {
        m_state.reason = QStringLiteral("lockdown file unreadable");
        *warning = QStringLiteral("cannot read %1 (%2): staying in lockdown").arg(path, file.errorString());
        return false;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(64 * 1024));
    if (!doc.isObject()) {
        m_state.reason = QStringLiteral("lockdown file corrupt");
        *warning = QStringLiteral("%1 is not valid JSON: staying in lockdown").arg(path);
        return false;
    }
    const QJsonObject o = doc.object();
    m_state.reason = o.value(QStringLiteral("reason")).toString();
    m_state.who = o.value(QStringLiteral("who")).toString();
    m_state.incidentId = o.value(QStringLiteral("incident_id")).toString();
    m_state.time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    return true;
}

bool LockdownLatch::engage(const QString &reason, const QString &who, const QString &incidentId, QString *error) {
    m_state.active = true;
    m_state.reason = reason;
    m_state.who = who;
    m_state.incidentId = incidentId;
    m_state.time = QDateTime::currentDateTimeUtc();
    qCWarning(lcLockdown, "LOCKDOWN engaged by %s%s%s", qPrintable(printableText(who)),
              incidentId.isEmpty() ? "" : ", incident ", qPrintable(printableText(incidentId)));
    Q_EMIT changed(m_state);
    QString why;
    if (m_path.isEmpty())
        why = QStringLiteral("no lockdown file configured");
    else if (writeFileAtomically(m_path, QJsonDocument(m_state.toJson()).toJson(QJsonDocument::Indented), &why, 0600))
        return true;
    qCCritical(lcLockdown, "lockdown holds in memory but was NOT persisted: %s", qPrintable(why));
    if (error)
        *error = why;
    return false;
}

bool LockdownLatch::release(const QString &who, QString *error) {
    if (!m_path.isEmpty()) {
        const QByteArray name = QFile::encodeName(m_path);
        if (::unlink(name.constData()) != 0 && errno != ENOENT) {
            if (error)
                *error = QStringLiteral("cannot remove %1: %2: lockdown stays")
                             .arg(m_path, QString::fromLocal8Bit(strerror(errno)));
            return false;
        }
        const QByteArray dir = QFile::encodeName(QFileInfo(m_path).absolutePath());
        const int fd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
    }
    const bool was = m_state.active;
    m_state = LockdownState{};
    if (was) {
        qCWarning(lcLockdown, "lockdown released by %s", qPrintable(who));
        // The latch keeps nothing once released; the change says who released it, and when.
        LockdownState released;
        released.who = who;
        released.time = QDateTime::currentDateTimeUtc();
        Q_EMIT changed(released);
    }
    return true;
}

} // namespace airlock
