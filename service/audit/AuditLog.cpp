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

QJsonObject AuditLog::toJson(const AuditRecord &r) {
    QJsonObject o;
    o.insert(QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("event"), r.event);
    o.insert(QStringLiteral("id"), r.requestId);
    o.insert(QStringLiteral("method"), r.method);
    o.insert(QStringLiteral("host"), r.host);
    o.insert(QStringLiteral("path"), r.path);
    o.insert(QStringLiteral("decision"), r.allowed ? QStringLiteral("allowed") : QStringLiteral("blocked"));
    o.insert(QStringLiteral("code"), r.code);
    if (!r.rule.isEmpty())
        o.insert(QStringLiteral("rule"), r.rule);
    if (!r.where.isEmpty())
        o.insert(QStringLiteral("where"), r.where);
    o.insert(QStringLiteral("status"), r.status);
    o.insert(QStringLiteral("bytes_up"), r.bytesUp);
    o.insert(QStringLiteral("bytes_down"), r.bytesDown);
    o.insert(QStringLiteral("duration_ms"), r.durationMs);
    o.insert(QStringLiteral("redirects"), r.redirects);
    if (!r.outcome.isEmpty())
        o.insert(QStringLiteral("outcome"), r.outcome);
    return o;
}

bool AuditLog::append(const AuditRecord &record, QString *error) {
    QJsonObject o = toJson(record);
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
