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
    QString file;        // the file the chain breaks in (verifyAuditFile), or the last one read
    int files = 0;       // files walked
};

inline QByteArray auditChainStart() {
    return QByteArray(64, '0');
}

enum class FirstLine {
    Chains,            // the first line names expectedFirst
    ChainsOrContinues, // or it is an audit_rotated record: the file continues one rotated away
};

// Walks the lines of in, in one pass and bounded memory (a line longer than maxLineBytes breaks
// the chain). expectedFirst: the hash the first line must name (auditChainStart() for a log that
// starts the chain).
AuditChainCheck verifyAuditChain(QIODevice &in, const QByteArray &expectedFirst = auditChainStart(),
                                 qint64 maxLineBytes = 1024 * 1024, FirstLine first = FirstLine::Chains);

// The same for a file by name, with the files rotated from it: path.N (the oldest) ... path.1,
// then path, each file's first line chaining to the last line of the one before. The oldest file
// kept starts the chain or continues one rotated away (its first line is the audit_rotated record
// the log writes); a number missing between them breaks the chain. A file that cannot be read is
// reported as broken at line 0.
AuditChainCheck verifyAuditFile(const QString &path);

// One line for people: "PATH: N records in K files, the chain holds", "FILE: the chain breaks at
// line L: why", or why nothing could be read. File names are made printable.
QString auditCheckSummary(const QString &path, const AuditChainCheck &check);

} // namespace airlock
