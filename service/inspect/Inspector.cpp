#include "inspect/Inspector.h"

namespace airlock {

namespace {

bool containsCaseInsensitive(const QByteArray &haystack, const QByteArray &needleLower) {
    if (needleLower.isEmpty() || haystack.size() < needleLower.size())
        return false;
    return haystack.toLower().contains(needleLower);
}

} // namespace

InspectionResult Inspector::inspect(const CanonicalUrl &url, const HeaderList &headers, const QByteArray &body,
                                    const ContentRules &rules) const {
    InspectionResult result;
    if (rules.blockIfContains.isEmpty())
        return result;

    const QByteArray urlText = url.toString().toUtf8();
    for (const QString &literal : rules.blockIfContains) {
        const QByteArray needle = literal.toUtf8().toLower();
        if (containsCaseInsensitive(urlText, needle)) {
            result.findings.append(
                {QStringLiteral("custom.block_if_contains"), QStringLiteral("custom"), QStringLiteral("url"), 0});
            return result;
        }
        for (const auto &[name, value] : headers) {
            if (containsCaseInsensitive(name, needle) || containsCaseInsensitive(value, needle)) {
                result.findings.append({QStringLiteral("custom.block_if_contains"), QStringLiteral("custom"),
                                        QStringLiteral("header:") + QString::fromLatin1(name.toLower()), 0});
                return result;
            }
        }
        if (containsCaseInsensitive(body, needle)) {
            result.findings.append(
                {QStringLiteral("custom.block_if_contains"), QStringLiteral("custom"), QStringLiteral("body"), 0});
            return result;
        }
    }
    return result;
}

} // namespace airlock
