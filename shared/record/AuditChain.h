#pragma once

#include <QByteArray>
#include <QString>

class QIODevice;

namespace airlock {

// The audit log's hash chain: each line's "prev" is the lowercase hex SHA-256 of the line before
// it (its bytes without the line break); the first line's is 64 zeros. A line edited, removed,
// inserted or moved breaks the chain at the line after it (or at that line itself).
struct AuditChainCheck {
    bool ok = false;
    qint64 records = 0;  // lines read, the broken one included
    qint64 brokenAt = 0; // 1-based line where the chain breaks; 0 when it holds
    QString reason;      // why it breaks there (never a record's content)
    QByteArray lastHash; // hex SHA-256 of the last line: what a next line (or file) chains to
};

inline QByteArray auditChainStart() {
    return QByteArray(64, '0');
}

// Walks the lines of in, in one pass and bounded memory (a line longer than maxLineBytes breaks
// the chain). expectedFirst: the hash the first line must name (auditChainStart() for a log that
// starts the chain).
AuditChainCheck verifyAuditChain(QIODevice &in, const QByteArray &expectedFirst = auditChainStart(),
                                 qint64 maxLineBytes = 1024 * 1024);

// The same for a file by name; a file that cannot be read is reported as broken at line 0.
AuditChainCheck verifyAuditFile(const QString &path);

} // namespace airlock
