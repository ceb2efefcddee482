#include "record/AuditChain.h"

#include "base/Printable.h"
#include "record/AuditRecord.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
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

AuditChainCheck verifyAuditChain(QIODevice &in, const QByteArray &expectedFirst, qint64 maxLineBytes, FirstLine first) {
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
        const bool continues =
            line == 1 && first == FirstLine::ChainsOrContinues &&
            doc.object().value(QLatin1String("event")).toString() == QLatin1String("admin") &&
            doc.object().value(QLatin1String("action")).toString() == adminActionName(AdminAction::AuditRotated);
        if (prev.toString().toLatin1() != expected && !continues) {
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
    // The rotated files beside it, by number: path.1 is the newest.
    const QFileInfo info(path);
    const QString prefix = info.fileName() + u'.';
    QList<int> numbers;
    constexpr int kMaxFiles = 100000;
    const QStringList names = info.dir().entryList({prefix + u'*'}, QDir::Files | QDir::Hidden | QDir::System);
    for (const QString &name : names) {
        bool ok = false;
        const int n = name.sliced(prefix.size()).toInt(&ok);
        if (ok && n >= 1 && n <= kMaxFiles && name == prefix + QString::number(n))
            numbers.append(n);
    }
    std::sort(numbers.begin(), numbers.end(), std::greater<>());

    QStringList files;
    for (qsizetype i = 0; i < numbers.size(); ++i)
        files.append(path + u'.' + QString::number(numbers[i]));
    files.append(path);

    AuditChainCheck total;
    QByteArray expected = auditChainStart();
    for (qsizetype i = 0; i < files.size(); ++i) {
        total.file = files[i];
        total.files = int(i + 1);
        // path.3 after path.5: path.4 was removed.
        const int number = i < numbers.size() ? numbers[i] : 0;
        const int previous = i > 0 ? numbers[i - 1] : number + 1;
        if (i > 0 && previous != number + 1) {
            total.file = path + u'.' + QString::number(previous - 1);
            return broken(total, 0, QStringLiteral("%1 is missing: the files around it do not chain").arg(total.file));
        }
        QFile file(files[i]);
        if (!file.open(QIODevice::ReadOnly)) {
            total.ok = false;
            total.brokenAt = 0;
            total.reason = QStringLiteral("cannot open %1: %2").arg(files[i], file.errorString());
            return total;
        }
        const AuditChainCheck check =
            verifyAuditChain(file, expected, 1024 * 1024, i == 0 ? FirstLine::ChainsOrContinues : FirstLine::Chains);
        total.records += check.records;
        if (!check.ok) {
            total.ok = false;
            total.brokenAt = check.brokenAt;
            total.reason = check.reason;
            if (check.brokenAt == 1 && i > 0 && check.reason.startsWith(QLatin1String("\"prev\"")))
                total.reason = QStringLiteral("the first line does not chain to the last line of %1").arg(files[i - 1]);
            return total;
        }
        // An empty file passes its expectation on.
        if (check.records > 0)
            expected = check.lastHash;
    }
    total.ok = true;
    total.lastHash = expected;
    return total;
}

QString auditCheckSummary(const QString &path, const AuditChainCheck &check) {
    if (check.ok) {
        if (check.files > 1)
            return QStringLiteral("%1: %2 records in %3 files, the chain holds")
                .arg(printableText(path))
                .arg(check.records)
                .arg(check.files);
        return QStringLiteral("%1: %2 records, the chain holds").arg(printableText(path)).arg(check.records);
    }
    if (check.brokenAt == 0)
        return printableText(check.reason);
    return QStringLiteral("%1: the chain breaks at line %2: %3")
        .arg(printableText(check.file.isEmpty() ? path : check.file))
        .arg(check.brokenAt)
        .arg(printableText(check.reason));
}

} // namespace airlock
