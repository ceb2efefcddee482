#include "inspect/Inspector.h"

#include "inspect/Normalizer.h"
#include "inspect/RuleSet.h"

#include <QMap>

namespace airlock {

Inspector::Inspector(InspectLimits limits)
    : m_limits(limits) {}

Inspector::~Inspector() = default;

std::shared_ptr<const RuleSet> Inspector::ruleSetFor(const ContentRules &rules, QString *error) const {
    if (!m_cachedSet || !(m_cachedRules == rules)) {
        m_cachedSet = RuleSet::build(rules, error);
        m_cachedRules = rules;
    }
    return m_cachedSet;
}

InspectionResult Inspector::inspect(const CanonicalUrl &url, const HeaderList &headers, const QByteArray &body,
                                    const ContentRules &rules) const {
    InspectionResult result;
    QString error;
    const std::shared_ptr<const RuleSet> ruleSet = ruleSetFor(rules, &error);
    if (!ruleSet) {
        result.uninspectable = true;
        result.reason = QStringLiteral("content rules do not compile");
        return result;
    }

    const Normalizer normalizer(m_limits);
    NormalizeResult views;

    QByteArray urlText = url.path.toUtf8();
    if (url.hasQuery)
        urlText += '?' + url.query.toUtf8();
    normalizer.addText(urlText, QStringLiteral("url"), &views);

    // Repeated headers are joined, so a secret split across them is seen whole.
    QMap<QByteArray, QByteArray> joined;
    QByteArray contentType;
    QByteArray contentEncoding;
    for (const auto &[name, value] : headers) {
        const QByteArray lower = name.toLower();
        QByteArray &slot = joined[lower];
        if (!slot.isEmpty())
            slot += ", ";
        slot += value;
    }
    for (auto it = joined.cbegin(); it != joined.cend(); ++it) {
        normalizer.addText(it.key() + ": " + it.value(), QStringLiteral("header:") + QString::fromLatin1(it.key()),
                           &views);
        if (it.key() == "content-type")
            contentType = it.value();
        else if (it.key() == "content-encoding")
            contentEncoding = it.value();
    }
    if (!body.isEmpty())
        normalizer.addBody(body, contentType, contentEncoding, &views);

    if (views.uninspectable) {
        result.uninspectable = true;
        result.reason = views.reason;
        return result;
    }
    for (const TextView &view : views.views) {
        if (!ruleSet->scan(view.text, view.where, &result.findings)) {
            result.uninspectable = true;
            result.reason = QStringLiteral("the matching engine failed");
            result.findings.clear();
            return result;
        }
        if (!result.findings.isEmpty())
            break;
    }
    return result;
}

} // namespace airlock
