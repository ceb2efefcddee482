#include "audit/AuditLog.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>

namespace airlock {

namespace {

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

bool AuditLog::append(const AuditRecord &record, QString *error) {
    QJsonObject o = recordToJson(record, QDateTime::currentDateTimeUtc());
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
