#include "pullsource/PullSource.h"

#include <QList>

namespace airlock {

// The matcher works on code points (so '?' takes a whole character, also outside the BMP) and
// never backtracks more than one step: within a segment, a failed try after '*' resumes one
// character after where the last '*' started (the classic two-pointer algorithm); across segments
// '**' does the same with whole segments. Each level is correct because every other token matches
// exactly one unit (a character, or a segment), and the cost is at most proportional to the
// product of the pattern's and the path's lengths, never exponential.
namespace {

constexpr int kMaxGlobLength = 256;

struct Token {
    enum class Kind { Literal, Any, Star, Set };
    Kind kind = Kind::Literal;
    char32_t ch = 0;
    bool negated = false;
    QList<QPair<char32_t, char32_t>> ranges; // Set: inclusive ranges
};

struct Segment {
    QList<Token> tokens;
    bool globstar = false; // the whole segment is "**": any number of path segments
};
using Text = std::u32string;

bool fail(QString *error, const QString &message) {
    if (error)
        *error = message;
    return false;
}

Text toText(QStringView s) {
    Text out;
    out.reserve(size_t(s.size()));
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c.isHighSurrogate() && i + 1 < s.size() && s[i + 1].isLowSurrogate()) {
            out.push_back(QChar::surrogateToUcs4(c, s[i + 1]));
            ++i;
        } else {
            out.push_back(c.unicode());
        }
    }
    return out;
}

// One segment of a pattern (no '/'); nullopt and *error when a set is malformed.
std::optional<Segment> compileSegment(const Text &s, QString *error) {
    Segment out;
    out.globstar = s == U"**";
    for (size_t i = 0; i < s.size(); ++i) {
        Token t;
        switch (s[i]) {
        case U'*':
            t.kind = Token::Kind::Star;
            while (i + 1 < s.size() && s[i + 1] == U'*') // "**" inside a segment is one '*'
                ++i;
            break;
        case U'?':
            t.kind = Token::Kind::Any;
            break;
        case U'[': {
            t.kind = Token::Kind::Set;
            size_t j = i + 1;
            if (j < s.size() && s[j] == U'!') {
                t.negated = true;
                ++j;
            }
            const size_t first = j;
            // A ']' right after "[" or "[!" is a member, as in POSIX.
            while (j < s.size() && (s[j] != U']' || j == first)) {
                char32_t lo = s[j];
                char32_t hi = lo;
                if (j + 2 < s.size() && s[j + 1] == U'-' && s[j + 2] != U']') {
                    hi = s[j + 2];
                    j += 2;
                }
                if (hi < lo) {
                    fail(error, QStringLiteral("The pattern has a set with a reversed range."));
                    return std::nullopt;
                }
                t.ranges.append({lo, hi});
                ++j;
            }
            if (j >= s.size()) {
                fail(error,
                     QStringLiteral("The pattern has a '[' set that is not closed (and a set may not hold '/')."));
                return std::nullopt;
            }
            i = j;
            break;
        }
        default:
            t.ch = s[i];
            break;
        }
        out.tokens.append(t);
    }
    return out;
}

// nullopt and *error when the pattern is not acceptable.
std::optional<QList<Segment>> compile(QStringView pattern, QString *error) {
    if (pattern.isEmpty()) {
        fail(error, QStringLiteral("The pattern is empty."));
        return std::nullopt;
    }
    if (pattern.size() > kMaxGlobLength) {
        fail(error, QStringLiteral("The pattern is longer than %1 characters.").arg(kMaxGlobLength));
        return std::nullopt;
    }
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern[i];
        const char16_t u = c.unicode();
        if (c.isHighSurrogate() && i + 1 < pattern.size() && pattern[i + 1].isLowSurrogate()) {
            ++i;
            continue;
        }
        if (c.isSurrogate()) {
            fail(error, QStringLiteral("The pattern is not valid Unicode."));
            return std::nullopt;
        }
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u <= 0x9f)) {
            fail(error, QStringLiteral("The pattern may not contain NUL or other control characters."));
            return std::nullopt;
        }
        if (c == u'\\') {
            fail(error, QStringLiteral("The pattern may not contain a backslash; folders are separated by '/'."));
            return std::nullopt;
        }
    }
    QList<Segment> out;
    const Text text = toText(pattern);
    size_t start = 0;
    while (true) {
        const size_t slash = text.find(U'/', start);
        const Text piece = text.substr(start, slash == Text::npos ? Text::npos : slash - start);
        if (piece.empty()) {
            fail(error, QStringLiteral("The pattern has an empty folder name (a '/' at the start or end, or '//')."));
            return std::nullopt;
        }
        if (piece == U"." || piece == U"..") {
            fail(error, QStringLiteral("The pattern may not contain '.' or '..' as a folder name."));
            return std::nullopt;
        }
        std::optional<Segment> segment = compileSegment(piece, error);
        if (!segment)
            return std::nullopt;
        out.append(*segment);
        if (slash == Text::npos)
            break;
        start = slash + 1;
    }
    return out;
}

bool tokenMatches(const Token &t, char32_t c) {
    switch (t.kind) {
    case Token::Kind::Literal:
        return t.ch == c;
    case Token::Kind::Any:
        return true;
    case Token::Kind::Set: {
        bool in = false;
        for (const auto &[lo, hi] : t.ranges)
            in = in || (c >= lo && c <= hi);
        return in != t.negated;
    }
    case Token::Kind::Star:
        break;
    }
    return false;
}

// Two pointers over one segment: on a mismatch, the last '*' takes one more character.
bool segmentMatches(const Segment &segment, std::u32string_view s) {
    const QList<Token> &p = segment.tokens;
    size_t pi = 0;
    size_t si = 0;
    size_t starP = size_t(-1);
    size_t starS = 0;
    while (si < s.size()) {
        if (pi < size_t(p.size()) && p[qsizetype(pi)].kind == Token::Kind::Star) {
            starP = pi++;
            starS = si;
        } else if (pi < size_t(p.size()) && tokenMatches(p[qsizetype(pi)], s[si])) {
            ++pi;
            ++si;
        } else if (starP != size_t(-1)) {
            pi = starP + 1;
            si = ++starS;
        } else {
            return false;
        }
    }
    while (pi < size_t(p.size()) && p[qsizetype(pi)].kind == Token::Kind::Star)
        ++pi;
    return pi == size_t(p.size());
}

// The same two pointers over segments, with '**' as the star.
bool pathMatches(const QList<Segment> &p, const QList<std::u32string_view> &s) {
    qsizetype pi = 0;
    qsizetype si = 0;
    qsizetype starP = -1;
    qsizetype starS = 0;
    while (si < s.size()) {
        if (pi < p.size() && p[pi].globstar) {
            starP = pi++;
            starS = si;
        } else if (pi < p.size() && segmentMatches(p[pi], s[si])) {
            ++pi;
            ++si;
        } else if (starP >= 0) {
            pi = starP + 1;
            si = ++starS;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi].globstar)
        ++pi;
    return pi == p.size();
}

bool matchesCompiled(const QList<Segment> &pattern, QStringView path) {
    const Text text = toText(path);
    QList<std::u32string_view> segments;
    const std::u32string_view all(text);
    size_t start = 0;
    while (true) {
        const size_t slash = all.find(U'/', start);
        segments.append(
            all.substr(start, slash == std::u32string_view::npos ? std::u32string_view::npos : slash - start));
        if (slash == std::u32string_view::npos)
            break;
        start = slash + 1;
    }
    if (pattern.size() == 1 && !pattern.front().globstar) // no '/': the file name alone
        return segmentMatches(pattern.front(), segments.back());
    return pathMatches(pattern, segments);
}

} // namespace

bool pullGlobMatches(QStringView pattern, QStringView path) {
    const std::optional<QList<Segment>> compiled = compile(pattern, nullptr);
    return compiled && matchesCompiled(*compiled, path);
}

bool isValidPullGlob(QStringView pattern, QString *error) {
    return compile(pattern, error).has_value();
}

bool pullPathSelected(QStringView path, const QStringList &include, const QStringList &exclude) {
    // A pattern that does not compile selects nothing at all: an exclude that silently matched
    // nothing would download what the administrator meant to leave out.
    QList<QList<Segment>> includes;
    QList<QList<Segment>> excludes;
    for (const QString &p : include) {
        std::optional<QList<Segment>> c = compile(p, nullptr);
        if (!c)
            return false;
        includes.append(std::move(*c));
    }
    for (const QString &p : exclude) {
        std::optional<QList<Segment>> c = compile(p, nullptr);
        if (!c)
            return false;
        excludes.append(std::move(*c));
    }
    const auto matches = [path](const QList<Segment> &c) {
        return matchesCompiled(c, path);
    };
    if (!includes.isEmpty() && std::none_of(includes.begin(), includes.end(), matches))
        return false;
    return std::none_of(excludes.begin(), excludes.end(), matches);
}

} // namespace airlock
