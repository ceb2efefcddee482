#pragma once

#include "base/HeaderList.h"
#include "inspect/InspectLimits.h"
#include "policy/Policy.h"
#include "url/CanonicalUrl.h"

#include <QList>
#include <QString>

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace airlock {

class RuleSet;
struct PrescannedBody;

struct Finding {
    QString rule;      // stable id: "pii.us_ssn", "cred.github_token", "custom.block_if_contains", "custom.<id>"
    QString kind;      // "pii", "credential" or "custom"
    QString where;     // "url", "header:<name>" or "body"
    qint64 offset = 0; // in the view where it was found
};

struct InspectionResult {
    bool uninspectable = false; // a limit or an engine error: the request must be refused
    QString reason;             // why it could not be inspected (never request content)
    QList<Finding> findings;
};

// Content inspection, the Gate's last step. It sees what would be sent (canonical URL,
// filtered headers, body), builds the decoded views (Normalizer) and runs the rules
// (RuleSet) over each, stopping at the first finding. Findings name rule and place, never
// the matched text. The compiled rules are cached per ContentRules. inspect() may run on
// several threads at once; each call has its own WorkBudget (InspectLimits::maxCpuMillis).
class Inspector final {
public:
    explicit Inspector(InspectLimits limits = {});
    ~Inspector();
    Inspector(const Inspector &) = delete;
    Inspector &operator=(const Inspector &) = delete;

    // prescan: the body's raw bytes partly matched while they arrived (RuleSet::prescan with
    // rulesFor(rules)), and its binary passes partly made (BinaryPasses with limits()); the
    // result is the same with or without it.
    InspectionResult inspect(const CanonicalUrl &url, const HeaderList &headers, const QByteArray &body,
                             const ContentRules &rules, const PrescannedBody *prescan = nullptr) const;

    // The compiled rules inspect() uses for rules (nullptr and *error when they do not compile).
    std::shared_ptr<const RuleSet> rulesFor(const ContentRules &rules, QString *error = nullptr) const;
    const InspectLimits &limits() const { return m_limits; }

private:
    InspectLimits m_limits;
    // The rules of the last few policies, most recent first: after a reload, requests judged
    // under the old policy and the new one do not rebuild each other's rules in turn.
    static constexpr size_t kCachedRuleSets = 4;
    mutable std::mutex m_cacheMutex;
    mutable std::vector<std::pair<ContentRules, std::shared_ptr<const RuleSet>>> m_cache;
};

} // namespace airlock
