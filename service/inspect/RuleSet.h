#pragma once

#include "inspect/Inspector.h"
#include "inspect/Normalizer.h"
#include "inspect/WorkBudget.h"
#include "policy/Policy.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <string_view>
#include <vector>

namespace airlock {

// The built-in rules' first pass over the start of a text, done ahead (while a large upload is
// still arriving, see inspect/HeadStart): text[0, upTo) is cut into the blocks RuleSet::scan
// cuts, and the blocks where the Set found something keep its hits, to be located later.
struct PrescannedBlocks {
    struct Block {
        size_t from = 0;
        size_t to = 0;
        std::vector<int> hits;
    };
    size_t upTo = 0;
    std::vector<Block> withHits;
    size_t searched = 0; // no line break in text[upTo + 1 KiB, searched)
};

class RuleSet;

// A body's first bytes as they were matched ahead, and with which rules: Inspector::inspect
// uses blocks only when rules are the ones it uses and the body starts with prefix; likewise
// the binary passes over its first lines (binary.upTo == 0: none made).
struct PrescannedBody {
    std::shared_ptr<const RuleSet> rules;
    QByteArray prefix;
    PrescannedBlocks blocks; // over prefix
    BinaryPasses binary;     // over prefix
};

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
    // done: the first pass of the built-in rules over text's start, made by prescan() from the
    // same bytes; the result is the same as without it.
    // meter: the request's work budget on this thread; when it is spent the scan stops and
    // returns false (meter->spent() tells the two failures apart).
    bool scan(const QByteArray &text, const QString &where, QList<Finding> *findings, bool binary = false,
              const PrescannedBlocks *done = nullptr, WorkMeter *meter = nullptr) const;

    // Continues done over prefix, the first bytes of a text whose rest is not known yet: the
    // blocks the rest cannot change. False when the engine failed or prefix does not continue
    // done; done is then of no use.
    bool prescan(std::string_view prefix, PrescannedBlocks *done) const;

    // Blocks that are mostly bytes no built-in match is made of (binary data) are matched only
    // around the runs of text a match needs; the findings are the same either way. On by
    // default; off only to check exactly that (tests, benchmarks).
    static void setSkipBinaryStretches(bool on);

    // The ids of every built-in rule, for documentation and tests.
    static QStringList builtinRuleIds();

private:
    RuleSet();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace airlock
