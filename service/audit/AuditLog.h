#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonObject>
#include <QString>

namespace airlock {

// One decision or one finished transfer, as recorded. Only what is safe to keep: never a
// query string, a header value or a body.
struct AuditRecord {
    QString event; // "decision" (before anything is sent) or "transfer" (when it ended)
    QString requestId;
    QString method;
    QString host;
    QString path; // without query; left empty when the finding was in the URL
    bool allowed = false;
    QString code;
    QString rule;
    QString where;
    int status = 0;
    qint64 bytesUp = 0;
    qint64 bytesDown = 0;
    qint64 durationMs = 0;
    int redirects = 0;
    QString outcome; // transfer: "complete", "upstream_failed", "client_aborted", ...
};

// Append-only JSON-lines audit trail with a hash chain: every line carries the SHA-256 of the
// line before it, so a removed or edited line shows. A record that cannot be written is
// reported to the caller, who must then refuse the request.
class AuditLog final {
public:
    AuditLog() = default;
    bool open(const QString &path, QString *error);
    bool append(const AuditRecord &record, QString *error);
    QString path() const { return m_file.fileName(); }
    qint64 failures() const { return m_failures; }

    static QJsonObject toJson(const AuditRecord &record);

private:
    QFile m_file;
    QByteArray m_previousHash;
    qint64 m_failures = 0;
};

} // namespace airlock
