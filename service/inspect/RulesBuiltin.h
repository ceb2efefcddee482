#pragma once

#include <span>
#include <string>
#include <string_view>

namespace airlock {

// One built-in detection rule: a stable id, its kind, an RE2 pattern (Latin-1, DFA-friendly:
// bounded repeats, no captures) that finds candidates, and the validator that decides.
// Several entries may share an id when one format has two shapes.
struct BuiltinRule {
    std::string_view id;
    std::string_view kind;                              // "pii" or "credential"
    std::string_view pattern;                           // RE2 syntax
    bool (*validate)(std::string_view match) = nullptr; // nullptr: the shape is proof enough
    std::string_view needs;          // another pattern that must also occur in the same text, or empty
    bool expensiveValidator = false; // validator costs microseconds: budgeted per text
    // Replaces validate for shapes whose candidates overlap: searches from the match start.
    bool (*scanFrom)(std::string_view text, size_t begin, size_t *foundAt, size_t *resumeAt) = nullptr;
    // Replaces validate in text that looks binary, where random bytes form chance matches.
    bool (*validateInBinary)(std::string_view match) = nullptr;
    // For people (the README's rule table is printed from these): what the rule finds, and
    // what decides beyond the pattern. Given once per id, on its first entry.
    std::string_view what;
    std::string_view check;
    // What the combined first pass (the RE2::Set) looks for instead of pattern, or empty: a part
    // of every match that costs the Set's DFA less (a literal rather than a leading run of hex
    // digits to count). pattern still locates and delimits the match.
    std::string_view prefilter = {};
};

std::span<const BuiltinRule> builtinRules();

// The built-in rules as a Markdown table, one row per id (README.md holds it between
// <!-- rules:begin --> and <!-- rules:end -->; tests check that it is current).
std::string builtinRuleTable();

} // namespace airlock
