#include "record/AuditChain.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace airlock {

namespace {
AuditChainCheck broken(AuditChainCheck check, qint64 line, const QString &reason) {
    check.ok = false;
    check.brokenAt = line;
    check.reason = reason;
    return check;
}
} // namespace

AuditChainCheck verifyAuditChain(QIODevice &in, const QByteArray &expectedFirst, qint64 maxLineBytes) {
    AuditChainCheck check;
    QByteArray expected = expectedFirst;
    qint64 line = 0;
    while (!in.atEnd()) {
        ++line;
        check.records = line;
        QByteArray text = in.readLine(maxLineBytes + 2);
        if (text.isEmpty() && !in.atEnd())
            return broken(check, line, QStringLiteral("the file could not be read: %1").arg(in.errorString()));
        if (!text.endsWith('\n')) {
            if (text.size() > maxLineBytes)
                return broken(check, line, QStringLiteral("the line is longer than %1 bytes").arg(maxLineBytes));
            return broken(check, line, QStringLiteral("the last line is incomplete (no line break)"));
        }
        text.chop(1);
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return broken(check, line, QStringLiteral("the line is not a JSON object"));
        const QJsonValue prev = doc.object().value(QLatin1String("prev"));
        if (!prev.isString())
            return broken(check, line, QStringLiteral("the line has no \"prev\" hash"));
        if (prev.toString().toLatin1() != expected) {
            return broken(check, line,
                          line == 1 && expected == auditChainStart()
                              ? QStringLiteral("the first line does not start the chain (lines before it removed?)")
                              : QStringLiteral("\"prev\" is not the hash of the line before: a line was edited, "
                                               "removed, inserted or moved here"));
        }
        expected = QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex();
    }
    check.ok = true;
    check.lastHash = expected;
    return check;
}

AuditChainCheck verifyAuditFile(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        AuditChainCheck check;
        check.reason = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return check;
    }
    return verifyAuditChain(file);
}

} // namespace airlock
