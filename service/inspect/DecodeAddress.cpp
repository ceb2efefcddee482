// Addresses written so that no address pattern sees them: spelled out ("name [at] domain [dot]
// org") or in other scripts ("jürgen@bücher.de"). Both views hold addresses as the rules know them.
#include "inspect/Decode.h"
#include "inspect/DecodeUtf8.h"

#include <unicode/uchar.h>
#include <unicode/uidna.h>

#include <cstring>
#include <string>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace airlock::decode {

namespace {

char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? char(c | 0x20) : c;
}

bool isSpace(char c) {
    return c == ' ' || c == '\t';
}

bool isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Whether s[i, i + word.size()) is word, in any case.
bool wordAt(const char *s, qsizetype i, qsizetype end, std::string_view word) {
    if (end - i < qsizetype(word.size()))
        return false;
    for (size_t k = 0; k < word.size(); ++k) {
        if (lowerAscii(s[i + qsizetype(k)]) != word[k])
            return false;
    }
    return true;
}

enum class Spelled { None, At, Dot };

// A bracketed "[at]", "(dot)", "{ at }" at s[i] (an opening bracket): what it stands for, and
// where it ends (*next).
Spelled bracketedAt(const char *s, qsizetype i, qsizetype end, qsizetype *next) {
    const char open = s[i];
    const char close = open == '[' ? ']' : open == '(' ? ')' : '}';
    qsizetype j = i + 1;
    while (j < end && isSpace(s[j]))
        ++j;
    Spelled what = Spelled::None;
    if (wordAt(s, j, end, "at")) {
        what = Spelled::At;
        j += 2;
    } else if (wordAt(s, j, end, "dot")) {
        what = Spelled::Dot;
        j += 3;
    } else {
        return Spelled::None;
    }
    while (j < end && isSpace(s[j]))
        ++j;
    if (j >= end || s[j] != close)
        return Spelled::None;
    *next = j + 1;
    return what;
}

// A word "at" or "dot" between spaces at s[i] (a space).
Spelled wordFormAt(const char *s, qsizetype i, qsizetype end, qsizetype *next) {
    qsizetype j = i;
    while (j < end && isSpace(s[j]))
        ++j;
    Spelled what = Spelled::None;
    qsizetype k = j;
    if (wordAt(s, j, end, "at")) {
        what = Spelled::At;
        k += 2;
    } else if (wordAt(s, j, end, "dot")) {
        what = Spelled::Dot;
        k += 3;
    } else {
        return Spelled::None;
    }
    if (k >= end || !isSpace(s[k]))
        return Spelled::None;
    while (k < end && isSpace(s[k]))
        ++k;
    if (k >= end || !isWordChar(s[k]))
        return Spelled::None;
    *next = k;
    return what;
}

// One line with its spelled-out separators folded, when it holds an "at" form; word forms only
// when the line has both a word "at" and a word "dot" (prose has plenty of either alone).
bool foldLine(const char *s, qsizetype start, qsizetype end, QByteArray *out) {
    bool wordAtSeen = false;
    bool wordDotSeen = false;
    for (qsizetype i = start; i < end; ++i) {
        qsizetype next = 0;
        if (isSpace(s[i]) && i > start && isWordChar(s[i - 1])) {
            const Spelled w = wordFormAt(s, i, end, &next);
            wordAtSeen = wordAtSeen || w == Spelled::At;
            wordDotSeen = wordDotSeen || w == Spelled::Dot;
        }
    }
    const bool words = wordAtSeen && wordDotSeen;
    QByteArray line;
    bool folded = false;
    for (qsizetype i = start; i < end;) {
        qsizetype next = 0;
        Spelled what = Spelled::None;
        if (s[i] == '[' || s[i] == '(' || s[i] == '{') {
            what = bracketedAt(s, i, end, &next);
        } else if (isSpace(s[i])) {
            // Spaces before a bracketed form go with it.
            qsizetype j = i;
            while (j < end && isSpace(s[j]))
                ++j;
            if (j < end && (s[j] == '[' || s[j] == '(' || s[j] == '{'))
                what = bracketedAt(s, j, end, &next);
            if (what == Spelled::None && words && i > start && isWordChar(s[i - 1]))
                what = wordFormAt(s, i, end, &next);
            if (what == Spelled::None) { // the whole run of spaces at once: each is looked at once
                line.append(s + i, j - i);
                i = j;
                continue;
            }
        }
        if (what == Spelled::None) {
            line.append(s[i]);
            ++i;
            continue;
        }
        while (next < end && isSpace(s[next]))
            ++next;
        line.append(what == Spelled::At ? '@' : '.');
        folded = folded || what == Spelled::At;
        i = next;
    }
    if (folded)
        *out = std::move(line);
    return folded;
}

// Candidates: a 't' or 'T' closing "at" or "dot" with a bracket or a space after it.
bool maybeSpelled(const char *s, qsizetype i, qsizetype n) {
    if (i < 1 || i + 1 >= n)
        return false;
    const char before = lowerAscii(s[i - 1]);
    if (before != 'a' && !(before == 'o' && i >= 2 && lowerAscii(s[i - 2]) == 'd'))
        return false;
    const char after = s[i + 1];
    return after == ']' || after == ')' || after == '}' || isSpace(after);
}

} // namespace

bool spelledAddresses(const QByteArray &in, QByteArray *out) {
    const char *s = in.constData();
    const qsizetype n = in.size();
    QByteArray result;
    bool found = false;
    qsizetype i = 0;
    auto take = [&](qsizetype at) {
        qsizetype start = at;
        while (start > 0 && s[start - 1] != '\n')
            --start;
        const void *nl = std::memchr(s + at, '\n', size_t(n - at));
        const qsizetype end = nl ? static_cast<const char *>(nl) - s : n;
        QByteArray line;
        if (foldLine(s, start, end, &line)) {
            if (found)
                result.append('\n');
            result.append(line);
            found = true;
        }
        return end + 1;
    };
#ifdef __SSE2__
    const __m128i t = _mm_set1_epi8('t');
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i)), _mm_set1_epi8(0x20));
        unsigned mask = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(v, t)));
        qsizetype next = i + 16;
        while (mask) {
            const qsizetype at = i + __builtin_ctz(mask);
            mask &= mask - 1;
            if (maybeSpelled(s, at, n)) {
                next = take(at);
                break;
            }
        }
        i = next - 16; // the loop adds 16
    }
#endif
    for (; i < n; ++i) {
        if (lowerAscii(s[i]) == 't' && maybeSpelled(s, i, n))
            i = take(i) - 1;
    }
    if (found)
        *out = std::move(result);
    return found;
}

namespace {

bool localChar(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '%' || c == '+' || c == '-' || c >= 0x80;
}

bool domainChar(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c >= 0x80;
}

bool hasHighByte(const unsigned char *s, qsizetype n) {
    qsizetype i = 0;
#ifdef __SSE2__
    for (; i + 16 <= n; i += 16) {
        if (_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i))))
            return true;
    }
#endif
    for (; i < n; ++i) {
        if (s[i] >= 0x80)
            return true;
    }
    return false;
}

const UIDNA *uts46() {
    static const UIDNA *idna = [] {
        UErrorCode status = U_ZERO_ERROR;
        UIDNA *made = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII, &status);
        return U_SUCCESS(status) ? made : nullptr;
    }();
    return idna;
}

// The address around s[at] == '@' with its non-ASCII parts made ASCII: letters and digits of the
// local part become 'x' (the rules need its shape, not its spelling), the domain its punycode
// form (bücher.de: xn--bcher-kva.de). False when it has no non-ASCII part or is no address.
bool foldAddress(const unsigned char *s, qsizetype n, qsizetype at, QByteArray *out) {
    qsizetype start = at;
    while (start > 0 && at - start < 64 && localChar(s[start - 1]))
        --start;
    qsizetype end = at + 1;
    while (end < n && end - at < 254 && domainChar(s[end]))
        ++end;
    bool wide = false;
    for (qsizetype i = start; i < end && !wide; ++i)
        wide = s[i] >= 0x80;
    if (!wide)
        return false;
    // Whole code points only: a continuation byte at the start belongs to a character cut off.
    while (start < at && (s[start] & 0xC0) == 0x80)
        ++start;
    QByteArray local;
    for (qsizetype i = start; i < at;) {
        if (s[i] < 0x80) {
            local.append(char(s[i++]));
            continue;
        }
        char32_t cp = 0;
        const qsizetype len = decodeUtf8(s + i, at - i, &cp);
        if (len == 0 || !u_isalnum(UChar32(cp))) {
            local.clear(); // not part of the address: it starts after this
            i += len ? len : 1;
            continue;
        }
        local.append('x');
        i += len;
    }
    std::string domain;
    for (qsizetype i = at + 1; i < end;) {
        if (s[i] < 0x80) {
            domain += char(s[i++]);
            continue;
        }
        char32_t cp = 0;
        const qsizetype len = decodeUtf8(s + i, end - i, &cp);
        if (len == 0 || !u_isalnum(UChar32(cp)))
            break; // the address ends before punctuation of another script
        domain.append(reinterpret_cast<const char *>(s + i), size_t(len));
        i += len;
    }
    while (!domain.empty() && (domain.back() == '.' || domain.back() == '-'))
        domain.pop_back();
    if (local.isEmpty() || domain.find('.') == std::string::npos || !uts46())
        return false;
    char ascii[256];
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    UErrorCode status = U_ZERO_ERROR;
    const int32_t length =
        uidna_nameToASCII_UTF8(uts46(), domain.data(), int32_t(domain.size()), ascii, sizeof ascii, &info, &status);
    if (U_FAILURE(status) || info.errors != 0 || length <= 0 || length >= int32_t(sizeof ascii))
        return false;
    out->append(local).append('@').append(ascii, length).append('\n');
    return true;
}

} // namespace

bool idnAddresses(const QByteArray &in, QByteArray *out) {
    const auto *s = reinterpret_cast<const unsigned char *>(in.constData());
    const qsizetype n = in.size();
    if (!hasHighByte(s, n))
        return false; // ASCII text, however many '@' it holds
    QByteArray result;
    for (qsizetype pos = 0; pos < n;) {
        const void *at = std::memchr(s + pos, '@', size_t(n - pos));
        if (!at)
            break;
        const qsizetype i = static_cast<const unsigned char *>(at) - s;
        // Only an '@' with a non-ASCII byte next to it, or within its domain, is worth the look.
        const bool near = (i > 0 && s[i - 1] >= 0x80) || (i + 1 < n && s[i + 1] >= 0x80);
        bool inDomain = near;
        for (qsizetype k = i + 1; !inDomain && k < n && k - i < 254 && domainChar(s[k]); ++k)
            inDomain = s[k] >= 0x80;
        if (inDomain || near) {
            foldAddress(s, n, i, &result);
        } else {
            // Local parts are short: look back a little for a non-ASCII byte.
            bool before = false;
            for (qsizetype k = i; !before && k > 0 && i - k < 64 && localChar(s[k - 1]); --k)
                before = s[k - 1] >= 0x80;
            if (before)
                foldAddress(s, n, i, &result);
        }
        pos = i + 1;
    }
    if (result.isEmpty())
        return false;
    result.chop(1);
    *out = std::move(result);
    return true;
}

} // namespace airlock::decode
