#include "inspect/RuleSet.h"

#include "inspect/RulesBuiltin.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <string>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace airlock {

namespace {

constexpr int64_t kSetMaxMem = 256LL * 1024 * 1024;
constexpr int64_t kRuleMaxMem = 32LL * 1024 * 1024;
// libphonenumber costs ~25 us per candidate; a text full of phone-shaped but invalid numbers
// must not make inspection slow, so it gets this many calls and is uninspectable beyond.
constexpr int kExpensiveBudget = 4096;

struct Rule {
    QString id;
    QString kind;
    std::unique_ptr<RE2> re;
    bool (*validate)(std::string_view) = nullptr;
    int needs = -1;               // Set index of a pattern that must also occur in the text
    std::unique_ptr<RE2> needsRe; // that pattern, for when it is outside the block scanned
    bool expensive = false;
    bool (*scanFrom)(std::string_view, size_t, size_t *, size_t *) = nullptr;
    bool (*validateInBinary)(std::string_view) = nullptr;
};

// One RE2::Set and the rules it indexes. Built-ins use Latin-1 (byte semantics, the smallest
// DFA); the policy's literals and custom patterns use UTF-8 so their case folding and classes
// mean what an administrator expects.
struct Engine {
    std::unique_ptr<RE2::Set> set;
    std::vector<int> setToRule; // Set index -> rule index, or -1 for a helper pattern
    std::vector<Rule> rules;
    size_t minLength = 0;
    bool builtin = false; // the built-in rules: their matches need runs of text (matchBlock)
};

RE2::Options options(bool latin1, int64_t maxMem) {
    RE2::Options o;
    o.set_encoding(latin1 ? RE2::Options::EncodingLatin1 : RE2::Options::EncodingUTF8);
    o.set_max_mem(maxMem);
    o.set_log_errors(false);
    return o;
}

bool addPattern(Engine &e, const std::string &pattern, int rule, std::string *error) {
    const int index = e.set->Add(pattern, error);
    if (index < 0)
        return false;
    e.setToRule.resize(size_t(index) + 1, -1);
    e.setToRule[size_t(index)] = rule;
    return true;
}

// setPattern: what the Set looks for, when not pattern itself (BuiltinRule::prefilter).
bool addRule(Engine &e, Rule rule, const std::string &pattern, bool latin1, std::string *error,
             const std::string &setPattern = {}) {
    rule.re = std::make_unique<RE2>(pattern, options(latin1, kRuleMaxMem));
    if (!rule.re->ok()) {
        *error = rule.re->error();
        return false;
    }
    e.rules.push_back(std::move(rule));
    return addPattern(e, setPattern.empty() ? pattern : setPattern, int(e.rules.size()) - 1, error);
}

// Remembers validator rejections for the current text, so a repeated candidate costs a hash
// probe rather than another libphonenumber call.
class RejectCache {
public:
    bool contains(std::string_view s) const { return m_slots[slot(s)] == hash(s); }
    void insert(std::string_view s) { m_slots[slot(s)] = hash(s); }

private:
    static uint64_t hash(std::string_view s) {
        uint64_t h = 1469598103934665603ULL;
        for (unsigned char c : s)
            h = (h ^ c) * 1099511628211ULL;
        return h | 1; // never 0, the empty slot
    }
    size_t slot(std::string_view s) const { return size_t(hash(s) % m_slots.size()); }
    std::array<uint64_t, 512> m_slots{};
};

struct ScanState {
    bool binary = false; // the text looks binary: validateInBinary where a rule has one
    // Whether a rule's needed pattern occurs anywhere in the text, by its Set index: looked
    // up once per text, not once per block.
    std::vector<std::pair<int, bool>> needsFound;
    int expensiveCalls = 0;
    RejectCache rejected;
};

// Locates the first validated match of rule in text[from, to), the rest of text being the
// context (\b, ^ and $ see it). Returns false on budget exhaustion.
bool locate(const Rule &rule, std::string_view text, size_t from, size_t to, ScanState &state, qint64 *offset) {
    const re2::StringPiece input(text.data(), text.size());
    size_t pos = from;
    re2::StringPiece m;
    while (pos <= to && rule.re->Match(input, pos, to, RE2::UNANCHORED, &m, 1)) {
        const std::string_view match(m.data(), m.size());
        const size_t begin = size_t(m.data() - text.data());
        if (rule.scanFrom) {
            size_t foundAt = 0;
            size_t resumeAt = 0;
            if (rule.scanFrom(text, begin, &foundAt, &resumeAt)) {
                *offset = qint64(foundAt);
                return true;
            }
            pos = std::max(resumeAt, begin + 1);
            continue;
        }
        bool valid = true;
        if (rule.validate) {
            if (rule.expensive) {
                if (state.rejected.contains(match)) {
                    valid = false;
                } else {
                    if (++state.expensiveCalls > kExpensiveBudget)
                        return false;
                    valid = rule.validate(match);
                    if (!valid)
                        state.rejected.insert(match);
                }
            } else if (state.binary && rule.validateInBinary) {
                valid = rule.validateInBinary(match);
            } else {
                valid = rule.validate(match);
            }
        }
        if (valid) {
            *offset = qint64(begin);
            return true;
        }
        pos = begin + std::max<size_t>(m.size(), 1);
    }
    *offset = -1;
    return true;
}

// The Set's hits for text[from, to), sorted. False when the engine failed.
bool matchSet(const Engine &e, std::string_view text, size_t from, size_t to, std::vector<int> *hits) {
    hits->clear();
    RE2::Set::ErrorInfo info{RE2::Set::kNoError};
    if (!e.set->Match(re2::StringPiece(text.data() + from, to - from), hits, &info))
        return info.kind == RE2::Set::kNoError;
    std::sort(hits->begin(), hits->end());
    return true;
}

// Locates and validates the rules the Set found in text[from, to) (the rules locating a match
// see the whole text as context).
bool applyHits(const Engine &e, std::string_view text, size_t from, size_t to, const std::vector<int> &hits,
               const QString &where, ScanState &state, QList<Finding> *findings) {
    for (int hit : hits) {
        const int r = e.setToRule[size_t(hit)];
        if (r < 0)
            continue;
        const Rule &rule = e.rules[size_t(r)];
        if (rule.needs >= 0 && !std::binary_search(hits.begin(), hits.end(), rule.needs)) {
            if (from == 0 && to == text.size())
                continue;
            auto known = std::find_if(state.needsFound.begin(), state.needsFound.end(),
                                      [&](const auto &entry) { return entry.first == rule.needs; });
            if (known == state.needsFound.end()) {
                const bool found = RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *rule.needsRe);
                known = state.needsFound.insert(state.needsFound.end(), {rule.needs, found});
            }
            if (!known->second)
                continue;
        }
        // One finding per rule id and text: the Inspector stops at the first finding anyway,
        // and a text full of matches must not grow the result.
        const bool already = std::any_of(findings->cbegin(), findings->cend(),
                                         [&](const Finding &f) { return f.rule == rule.id && f.where == where; });
        if (already)
            continue;
        qint64 offset = -1;
        if (!locate(rule, text, from, to, state, &offset))
            return false;
        if (offset >= 0)
            findings->append(Finding{rule.id, rule.kind, where, offset});
    }
    return true;
}

// Text bytes: tab and ' ' to '~'. Every built-in match holds a run of 9 or more of them, or of
// 6 or more with an '@' in it (the shortest address), and reaches at most 47 bytes before that
// run (a context rule's keyword and gap, aws_secret's the longest) and 1 after (RulesBuiltin.cpp);
// kReach leaves room. So where a block is mostly other bytes (binary data, or text in another
// script), the Set only needs the stretches around such runs, and finds in them every rule it
// finds in the whole block. tst_rules checks each rule's matches in binary surroundings.
constexpr size_t kReach = 64;
constexpr size_t kLongRun = 9;
constexpr size_t kAddressRun = 6;
std::atomic<bool> g_skipBinaryStretches{true};

bool isTextByte(unsigned char c) {
    return c == '\t' || (c >= 0x20 && c <= 0x7E);
}

// Bit k: p[k] is a text byte. Up to 64 bytes; bits past len stay 0.
quint64 textMask(const unsigned char *p, size_t len) {
    quint64 m = 0;
#ifdef __SSE2__
    if (len == 64) {
        for (int k = 0; k < 4; ++k) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16 * k));
            // Signed compares: bytes from 0x80 are negative, so never above 0x1F.
            const __m128i printable =
                _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)));
            const __m128i text = _mm_or_si128(printable, _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));
            m |= quint64(unsigned(_mm_movemask_epi8(text))) << (16 * k);
        }
        return m;
    }
#endif
    for (size_t k = 0; k < len; ++k) {
        if (isTextByte(p[k]))
            m |= quint64(1) << k;
    }
    return m;
}

// The stretches of text[from, to) the Set must see: around each run that can hold a match,
// merged where they touch. False when they would cover most of the block anyway (then the
// whole block is matched, one call instead of many).
bool matchStretches(std::string_view text, size_t from, size_t to, std::vector<std::pair<size_t, size_t>> *out) {
    out->clear();
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    // A block that starts with text (a few line breaks aside) is text: nothing to skip.
    if (to - from > 64 && __builtin_popcountll(textMask(s + from + 1, 64)) >= 60)
        return false;
    size_t covered = 0;
    const size_t limit = (to - from) / 2;
    auto addRun = [&](size_t runFrom, size_t runTo) {
        const size_t length = runTo - runFrom;
        if (length < kAddressRun || (length < kLongRun && !std::memchr(text.data() + runFrom, '@', length)))
            return true;
        const size_t a = runFrom > from + kReach ? runFrom - kReach : from;
        const size_t b = std::min(to, runTo + kReach);
        if (!out->empty() && a <= out->back().second) {
            covered += b - out->back().second;
            out->back().second = b;
        } else {
            covered += b - a;
            out->emplace_back(a, b);
        }
        return covered <= limit;
    };
    constexpr size_t kNone = ~size_t(0);
    size_t runStart = kNone; // a run that goes on past the bytes looked at so far
    for (size_t base = from; base < to; base += 64) {
        const size_t len = std::min<size_t>(64, to - base);
        // The last bytes: the 64 ending there, when the text has them, shifted into place.
        const quint64 m = len == 64 || to < 64 ? textMask(s + base, len) : textMask(s + to - 64, 64) >> (64 - len);
        if (runStart != kNone && !(m & 1)) { // the run from before ended there
            if (!addRun(runStart, base))
                return false;
            runStart = kNone;
        }
        // Only runs of six or more can matter, and the ones at either end (they may go on).
        const quint64 six = m & (m >> 1) & (m >> 2) & (m >> 3) & (m >> 4) & (m >> 5);
        quint64 walk = six | (six << 1) | (six << 2) | (six << 3) | (six << 4) | (six << 5);
        if (runStart != kNone)
            walk |= m & ~(m + 1); // the run from before goes on
        if (len == 64 && m != ~quint64(0)) {
            const int tail = __builtin_clzll(~m);
            walk |= tail > 0 ? ~quint64(0) << (64 - tail) : 0;
        } else if (len == 64) {
            walk = m;
        }
        size_t bit = 0;
        while (bit < 64) {
            if (runStart == kNone) {
                const quint64 rest = walk >> bit;
                if (!rest)
                    break;
                bit += size_t(__builtin_ctzll(rest));
                runStart = base + bit;
            }
            const quint64 outside = ~walk >> bit;
            const size_t end = outside ? bit + size_t(__builtin_ctzll(outside)) : 64;
            if (end >= 64)
                break; // goes on into the next bytes (or ends at to, below)
            if (!addRun(runStart, base + end))
                return false;
            runStart = kNone;
            bit = end;
        }
    }
    return runStart == kNone || addRun(runStart, to);
}

// The Set's hits for the block text[from, to): over the stretches that can hold a match when
// the block is mostly bytes no match is made of, else over the whole block. The same hits a
// whole-block match gives (RuleSet::scan and prescan both match blocks this way).
bool matchBlock(const Engine &e, std::string_view text, size_t from, size_t to, std::vector<int> *hits) {
    thread_local std::vector<std::pair<size_t, size_t>> stretches;
    // Only the built-in rules are known to need runs of text; custom patterns are not.
    if (!e.builtin || !g_skipBinaryStretches.load(std::memory_order_relaxed) ||
        !matchStretches(text, from, to, &stretches))
        return matchSet(e, text, from, to, hits);
    hits->clear();
    thread_local std::vector<int> found;
    for (const auto &[a, b] : stretches) {
        if (b - a < e.minLength)
            continue;
        if (!matchSet(e, text, a, b, &found))
            return false;
        hits->insert(hits->end(), found.begin(), found.end());
    }
    std::sort(hits->begin(), hits->end());
    hits->erase(std::unique(hits->begin(), hits->end()), hits->end());
    return true;
}

bool scanRange(const Engine &e, std::string_view text, size_t from, size_t to, const QString &where, ScanState &state,
               QList<Finding> *findings) {
    std::vector<int> hits;
    return matchSet(e, text, from, to, &hits) && applyHits(e, text, from, to, hits, where, state, findings);
}

// Where a text holds line breaks, the built-in rules run block by block, each block whole
// lines (plus the line break before it, as the delimiter a match may start with). A rule the
// Set finds in a block is then located in that block only, not in the whole text: real
// traffic is full of near misses (a "bos_token" that is not a secret, an '@' that is not an
// address), and locating each of those rules through 10 MB cost a full pass per rule.
// This is exact because no built-in pattern matches across a line break (RulesBuiltin.cpp).
constexpr size_t kBlockBytes = 1024;

// The end of the block that starts at from: after the first line break at least kBlockBytes
// on, unless the rest is short. The one rule for scan() and prescan(), which must cut alike.
// When text is only the first bytes of a longer one (whole = false), npos where the bytes still
// to come could move the end; *searched (no line break before it) spares searching again.
size_t blockEnd(std::string_view text, size_t from, bool whole = true, size_t *searched = nullptr) {
    if (text.size() - from <= 2 * kBlockBytes)
        return whole ? text.size() : std::string_view::npos;
    const size_t searchFrom = std::max(from + kBlockBytes, searched ? *searched : 0);
    const void *nl = std::memchr(text.data() + searchFrom, '\n', text.size() - searchFrom);
    if (nl)
        return size_t(static_cast<const char *>(nl) - text.data()) + 1;
    if (searched)
        *searched = text.size();
    return whole ? text.size() : std::string_view::npos;
}

bool scanEngine(const Engine &e, std::string_view text, const QString &where, ScanState &state,
                QList<Finding> *findings, bool byLines, const PrescannedBlocks *done, WorkMeter *meter) {
    if (!e.set || text.size() < e.minLength)
        return true;
    if (!byLines || text.size() <= 2 * kBlockBytes)
        return scanRange(e, text, 0, text.size(), where, state, findings) &&
               (!meter || meter->tick(qint64(text.size())));
    size_t from = 0;
    if (done && done->upTo <= text.size()) {
        // The blocks of text[0, upTo) were matched ahead: the same blocks, so only their hits
        // are left to locate, in order.
        for (const PrescannedBlocks::Block &block : done->withHits) {
            if (!applyHits(e, text, block.from, block.to, block.hits, where, state, findings) ||
                (meter && !meter->tick(qint64(block.to - block.from))))
                return false;
        }
        from = done->upTo;
    }
    std::vector<int> hits;
    while (from < text.size()) {
        const size_t to = blockEnd(text, from);
        const size_t start = from > 0 ? from - 1 : 0; // text[from - 1] is the line break
        if (to - start >= e.minLength &&
            (!matchBlock(e, text, start, to, &hits) || !applyHits(e, text, start, to, hits, where, state, findings)))
            return false;
        if (meter && !meter->tick(qint64(to - start)))
            return false;
        from = to;
    }
    return true;
}

} // namespace

struct RuleSet::Impl {
    Engine builtin;
    Engine custom;
};

RuleSet::RuleSet()
    : m_impl(std::make_unique<Impl>()) {}

RuleSet::~RuleSet() = default;

std::shared_ptr<const RuleSet> RuleSet::build(const ContentRules &rules, QString *error) {
    std::shared_ptr<RuleSet> set(new RuleSet());
    std::string re2Error;
    auto fail = [&](const QString &what) {
        if (error)
            *error = what + QStringLiteral(": ") + QString::fromStdString(re2Error);
        return nullptr;
    };

    Engine &b = set->m_impl->builtin;
    b.set = std::make_unique<RE2::Set>(options(true, kSetMaxMem), RE2::UNANCHORED);
    b.minLength = 8;
    b.builtin = true;
    std::vector<std::pair<int, std::string_view>> requirements;
    for (const BuiltinRule &def : builtinRules()) {
        const bool pii = def.kind == "pii";
        if ((pii && !rules.scanForPii) || (!pii && !rules.scanForCredentials))
            continue;
        Rule rule;
        rule.id = QString::fromLatin1(def.id.data(), qsizetype(def.id.size()));
        rule.kind = QString::fromLatin1(def.kind.data(), qsizetype(def.kind.size()));
        rule.validate = def.validate;
        rule.expensive = def.expensiveValidator;
        rule.scanFrom = def.scanFrom;
        rule.validateInBinary = def.validateInBinary;
        if (!addRule(b, std::move(rule), std::string(def.pattern), true, &re2Error, std::string(def.prefilter)))
            return fail(QStringLiteral("built-in rule ") +
                        QString::fromLatin1(def.id.data(), qsizetype(def.id.size())));
        if (!def.needs.empty())
            requirements.emplace_back(int(b.rules.size()) - 1, def.needs);
    }
    for (const auto &[rule, pattern] : requirements) {
        const int index = int(b.setToRule.size());
        if (!addPattern(b, std::string(pattern), -1, &re2Error))
            return fail(QStringLiteral("built-in helper pattern"));
        b.rules[size_t(rule)].needs = index;
        b.rules[size_t(rule)].needsRe = std::make_unique<RE2>(std::string(pattern), options(true, kRuleMaxMem));
    }
    if (b.rules.empty())
        b.set.reset();
    else if (!b.set->Compile())
        return fail(QStringLiteral("built-in rules exceed the matcher's memory"));

    Engine &c = set->m_impl->custom;
    c.set = std::make_unique<RE2::Set>(options(false, kSetMaxMem), RE2::UNANCHORED);
    c.minLength = 1;
    for (const QString &literal : rules.blockIfContains) {
        if (literal.isEmpty())
            continue;
        Rule rule;
        rule.id = QStringLiteral("custom.block_if_contains");
        rule.kind = QStringLiteral("custom");
        const QByteArray utf8 = literal.toUtf8();
        const std::string pattern = "(?i)" + RE2::QuoteMeta(re2::StringPiece(utf8.constData(), size_t(utf8.size())));
        if (!addRule(c, std::move(rule), pattern, false, &re2Error))
            return fail(QStringLiteral("block_if_contains literal"));
    }
    for (const CustomPattern &p : rules.customPatterns) {
        Rule rule;
        rule.id = QStringLiteral("custom.") + p.id;
        rule.kind = p.kind.isEmpty() ? QStringLiteral("custom") : p.kind;
        if (!addRule(c, std::move(rule), p.regex.toStdString(), false, &re2Error))
            return fail(QStringLiteral("custom pattern ") + p.id);
    }
    if (c.rules.empty())
        c.set.reset();
    else if (!c.set->Compile())
        return fail(QStringLiteral("custom patterns exceed the matcher's memory"));
    return set;
}

bool RuleSet::scan(const QByteArray &text, const QString &where, QList<Finding> *findings, bool binary,
                   const PrescannedBlocks *done, WorkMeter *meter) const {
    const std::string_view view(text.constData(), size_t(text.size()));
    ScanState state;
    state.binary = binary;
    // Custom patterns may span lines: the custom engine always sees the whole text.
    return scanEngine(m_impl->builtin, view, where, state, findings, true, done, meter) &&
           scanEngine(m_impl->custom, view, where, state, findings, false, nullptr, meter);
}

bool RuleSet::prescan(std::string_view prefix, PrescannedBlocks *done) const {
    const Engine &e = m_impl->builtin;
    if (!e.set || done->upTo > prefix.size())
        return false;
    std::vector<int> hits;
    size_t from = done->upTo;
    while (from < prefix.size()) {
        const size_t to = blockEnd(prefix, from, false, &done->searched);
        if (to == std::string_view::npos)
            break;
        const size_t start = from > 0 ? from - 1 : 0;
        if (!matchBlock(e, prefix, start, to, &hits))
            return false;
        if (!hits.empty())
            done->withHits.push_back({start, to, hits});
        from = to;
        done->upTo = to;
    }
    return true;
}

void RuleSet::setSkipBinaryStretches(bool on) {
    g_skipBinaryStretches.store(on, std::memory_order_relaxed);
}

QStringList RuleSet::builtinRuleIds() {
    QStringList ids;
    for (const BuiltinRule &def : builtinRules()) {
        const QString id = QString::fromLatin1(def.id.data(), qsizetype(def.id.size()));
        if (!ids.contains(id))
            ids.append(id);
    }
    return ids;
}

} // namespace airlock
