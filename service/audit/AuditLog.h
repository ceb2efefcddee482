#pragma once

#include "record/AuditRecord.h"

#include <QByteArray>
#include <QFile>
#include <QJsonObject>
#include <QString>

namespace airlock {

// Append-only JSON-lines audit trail with a hash chain: every line is recordToJson's object plus
// "prev", the SHA-256 of the line before it, so a removed or edited line shows. A record that
// cannot be written is reported to the caller, who must then refuse the request.
//
// Rotation (setRotation): a record that would take the file past maxFileBytes goes to a new
// file instead. The live file becomes <path>.1, the older ones move up a number and the one
// past keepFiles is removed. The new file's first line is an audit_rotated admin record whose
// "prev" is the hash of the old file's last line, so the chain runs on across files.
class AuditLog final {
public:
    AuditLog() = default;
    bool open(const QString &path, QString *error);
    bool append(const AuditRecord &record, QString *error);
    // maxFileBytes 0: never rotate.
    void setRotation(qint64 maxFileBytes, int keepFiles);
    QString path() const { return m_file.fileName(); }
    qint64 failures() const { return m_failures; }
    qint64 rotations() const { return m_rotations; }

private:
    bool writeLine(const QJsonObject &object, QString *error);
    // False when the files could not be moved: the live file stays and takes the record.
    bool rotate();

    QFile m_file;
    QString m_path;
    QByteArray m_previousHash;
    qint64 m_failures = 0;
    qint64 m_rotations = 0;
    qint64 m_maxFileBytes = 0;
    int m_keepFiles = 8;
    qint64 m_retryRotationAt = 0; // after a failed rotation, the size at which to try again
};

} // namespace airlock
