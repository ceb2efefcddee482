#pragma once

#include "inspect/Inspector.h"
#include "policy/Policy.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace airlock {

// The compiled detection rules for one ContentRules: the built-in PII and credential rules
// (each with a stable id, a kind and a validator) that the policy switches on, the policy's
// block_if_contains literals and its custom patterns. One RE2::Set pass over a text finds
// which rules may match (after a literal prefilter); only those rules' own RE2 then locate
// matches, and a match counts only when its validator accepts it.
class RuleSet final {
public:
    // nullptr and *error when a custom pattern does not compile.
    static std::shared_ptr<const RuleSet> build(const ContentRules &rules, QString *error);
    ~RuleSet();

    // Appends findings for text (where is copied into each finding). Returns false when the
    // engine failed (e.g. RE2 out of memory): the caller must treat the text as uninspectable.
    // A binary text (TextView::binary) holds chance matches: rules with a stricter validator
    // for it use that one.
    bool scan(const QByteArray &text, const QString &where, QList<Finding> *findings, bool binary = false) const;

    // The ids of every built-in rule, for documentation and tests.
    static QStringList builtinRuleIds();

private:
    RuleSet();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace airlock
