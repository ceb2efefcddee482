#include "audit/AuditLog.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <algorithm>

namespace airlock {

Q_LOGGING_CATEGORY(lcAudit, "airlock.audit")

namespace {

constexpr int kMaxKeptFiles = 1000; // policy.yaml's bound on audit.keep_files

// The hash of the last complete line of an existing log, so a restart continues the chain.
QByteArray lastLineHash(QFile &file) {
    const qint64 size = file.size();
    if (size <= 0)
        return QByteArray(64, '0');
    const qint64 tail = std::min<qint64>(size, 64 * 1024);
    if (!file.seek(size - tail))
        return QByteArray(64, '0');
    QByteArray data = file.read(tail);
    if (data.endsWith('\n'))
        data.chop(1);
    const qsizetype start = data.lastIndexOf('\n');
    const QByteArray last = start >= 0 ? data.mid(start + 1) : data;
    return QCryptographicHash::hash(last, QCryptographicHash::Sha256).toHex();
}

} // namespace

bool AuditLog::open(const QString &path, QString *error) {
    m_path = path;
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append | QIODevice::Unbuffered)) {
        if (error)
            *error = QStringLiteral("cannot open audit log %1: %2").arg(path, m_file.errorString());
        return false;
    }
    m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    m_previousHash = lastLineHash(m_file);
    return true;
}

void AuditLog::setRotation(qint64 maxFileBytes, int keepFiles) {
    m_maxFileBytes = std::max<qint64>(0, maxFileBytes);
    m_keepFiles = std::max(1, keepFiles);
    m_retryRotationAt = 0;
}

bool AuditLog::append(const AuditRecord &record, QString *error) {
    const QJsonObject o = recordToJson(record, QDateTime::currentDateTimeUtc());
    if (m_maxFileBytes > 0 && m_file.isOpen()) {
        const qint64 size = m_file.size();
        // One compact line is well under a page; the estimate only decides when to rotate.
        const qint64 estimate = QJsonDocument(o).toJson(QJsonDocument::Compact).size() + 80;
        if (size > 0 && size + estimate > m_maxFileBytes && size >= m_retryRotationAt) {
            if (rotate()) {
                AuditRecord marker;
                marker.event = EventKind::Admin;
                marker.action = AdminAction::AuditRotated;
                marker.by = QStringLiteral("airlockd");
                if (!writeLine(recordToJson(marker, QDateTime::currentDateTimeUtc()), error))
                    return false;
            } else {
                // Nothing is lost: the live file takes the record; another try after it grew by
                // a tenth of its limit.
                m_retryRotationAt = size + std::max<qint64>(m_maxFileBytes / 10, 4096);
                qCWarning(lcAudit, "audit log %s could not be rotated; it grows past its limit", qPrintable(m_path));
            }
        }
    }
    return writeLine(o, error);
}

bool AuditLog::rotate() {
    const auto numbered = [this](int n) {
        return m_path + u'.' + QString::number(n);
    };
    m_file.close();
    bool ok = true;
    // The oldest kept file goes, and any beyond it left by a larger keep_files before.
    for (int n = m_keepFiles; ok && n <= kMaxKeptFiles + 1; ++n) {
        if (QFile::exists(numbered(n)))
            ok = QFile::remove(numbered(n));
    }
    for (int n = m_keepFiles - 1; ok && n >= 1; --n) {
        if (QFile::exists(numbered(n)))
            ok = QFile::rename(numbered(n), numbered(n + 1));
    }
    if (ok)
        ok = QFile::rename(m_path, numbered(1));
    m_file.setFileName(m_path);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append | QIODevice::Unbuffered))
        return false; // the next write reports it
    m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (ok) {
        ++m_rotations;
        m_retryRotationAt = 0;
    }
    return ok && m_file.size() == 0;
}

bool AuditLog::writeLine(const QJsonObject &object, QString *error) {
    QJsonObject o = object;
    o.insert(QStringLiteral("prev"), QString::fromLatin1(m_previousHash));
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    QByteArray out = line;
    out.append('\n');
    if (!m_file.isOpen() || m_file.write(out) != out.size()) {
        ++m_failures;
        if (error)
            *error = QStringLiteral("cannot write audit log: %1")
                         .arg(m_file.isOpen() ? m_file.errorString() : QStringLiteral("not open"));
        return false;
    }
    m_previousHash = QCryptographicHash::hash(line, QCryptographicHash::Sha256).toHex();
    return true;
}

} // namespace airlock
