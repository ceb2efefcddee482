#pragma once

#include "record/AuditRecord.h"

#include <QByteArray>
#include <QFile>
#include <QString>

namespace airlock {

// Append-only JSON-lines audit trail with a hash chain: every line is recordToJson's object plus
// "prev", the SHA-256 of the line before it, so a removed or edited line shows. A record that
// cannot be written is reported to the caller, who must then refuse the request.
class AuditLog final {
public:
    AuditLog() = default;
    bool open(const QString &path, QString *error);
    bool append(const AuditRecord &record, QString *error);
    QString path() const { return m_file.fileName(); }
    qint64 failures() const { return m_failures; }

private:
    QFile m_file;
    QByteArray m_previousHash;
    qint64 m_failures = 0;
};

} // namespace airlock
