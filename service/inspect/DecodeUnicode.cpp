// Unicode cleanup: what a human reads as the same ASCII text must match as the same text.
// NFKC (fullwidth, mathematical letters, ligatures) is run only on the non-ASCII stretches,
// so mostly-ASCII text costs a word-at-a-time scan.
#include "inspect/Decode.h"
#include "inspect/DecodeUtf8.h"

#include <QString>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include <array>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace airlock::decode {

namespace {

constexpr char kDrop = 0;
constexpr char kKeep = 1;

// kDrop for invisible characters, kKeep for everything NFKC should look at, else the ASCII
// character the code point is a look-alike of (Unicode's confusables, see DecodeLookalike.cpp).
char classify(char32_t cp) {
    if (cp < 0x80)
        return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F ? kDrop : char(cp);
    if (cp <= 0x9F || cp == 0xAD || (cp >= 0x300 && cp <= 0x36F) || cp == 0x61C || cp == 0x115F || cp == 0x1160 ||
        cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) ||
        (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 ||
        (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0x1D173 && cp <= 0x1D17A) ||
        (cp >= 0xE0000 && cp <= 0xE0FFF))
        return kDrop;
    if (cp >= 0xFF01 && cp <= 0xFF5E) // fullwidth ASCII, what NFKC would make of it, without the round trip
        return char(cp - 0xFEE0);
    if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000)
        return ' ';
    if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2043 || cp == 0x2212 || cp == 0xFE58 || cp == 0xFE63)
        return '-';
    // Ideographic full stops separate the labels of an address as '.' does (U+FF61 is what NFKC
    // makes of nothing: it stays halfwidth).
    if (cp == 0x3002 || cp == 0xFF61)
        return '.';
    // Every script's decimal digits (Arabic-Indic, Devanagari, Thai, ...) are read as numbers, and
    // every dash (Armenian hyphen, wave dash, two-em dash, ...) as a group separator; NFKC folds
    // neither. Before the look-alikes, which would make some digits letters ('0' of Arabic-Indic
    // looks like '.').
    const int8_t type = u_charType(UChar32(cp));
    if (type == U_DECIMAL_DIGIT_NUMBER)
        return char('0' + u_charDigitValue(UChar32(cp)));
    if (type == U_DASH_PUNCTUATION)
        return '-';
    switch (cp) {
    // Look-alikes Unicode's confusables data leaves out (or, for U+04CF, maps to 'i').
    case 0x432: // Cyrillic ve
        return 'b';
    case 0x43A: // Cyrillic ka
    case 0x3BA: // Greek kappa
        return 'k';
    case 0x45B: // Cyrillic tshe
        return 'h';
    case 0x4CF: // Cyrillic palochka
        return 'l';
    case 0x51A: // Cyrillic qa
        return 'Q';
    case 0x3B5: // Greek epsilon
        return 'e';
    case 0x3C4: // Greek tau
        return 't';
    case 0x3C7: // Greek chi
        return 'x';
    case 0x3C9: // Greek omega
        return 'w';
    default: {
        const char ascii = asciiLookalike(cp);
        return ascii ? ascii : kKeep;
    }
    }
}

// Code points NFKC certainly leaves unchanged, so most stretches skip the QString round trip:
// a string of code points whose NFKC quick check is Yes and whose combining class is 0 is in
// NFKC (UAX #15, "Detecting Normalization Forms"). Looked up once per process for the BMP.
class NfkcStableTable {
public:
    NfkcStableTable() {
        for (UChar32 cp = 0; cp < 0x10000; ++cp) {
            if (u_getIntPropertyValue(cp, UCHAR_NFKC_QUICK_CHECK) == UNORM_YES && u_getCombiningClass(cp) == 0)
                m_bits[size_t(cp) / 64] |= quint64(1) << (cp % 64);
        }
    }
    bool contains(char32_t cp) const { return cp < 0x10000 && (m_bits[cp / 64] >> (cp % 64)) & 1; }

private:
    std::array<quint64, 0x10000 / 64> m_bits{};
};

bool nfkcStable(char32_t cp) {
    static const NfkcStableTable table;
    return table.contains(cp);
}

void appendCodePoint(QByteArray *out, char32_t cp) {
    const char c = classify(cp);
    if (c == kDrop)
        return;
    if (c != kKeep) {
        out->append(c);
        return;
    }
    char buf[4];
    out->append(buf, encodeUtf8(cp, buf));
}

} // namespace

qsizetype nextNonAscii(const char *s, qsizetype i, qsizetype n) {
#ifdef __SSE2__
    // 16 bytes at a time: any byte >= 0x7F or < 0x20 (then tab, CR, LF are sorted out below).
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i del = _mm_set1_epi8(0x7F);
    while (i + 16 <= n) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i));
        // Signed compare: bytes >= 0x80 are negative, so they count as "below space" too.
        const __m128i odd = _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del));
        int mask = _mm_movemask_epi8(odd);
        while (mask) {
            const int k = __builtin_ctz(unsigned(mask));
            const char c = s[i + k];
            if (c != '\t' && c != '\n' && c != '\r')
                return i + k;
            mask &= mask - 1;
        }
        i += 16;
    }
#endif
    for (; i < n; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x7F || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
            return i;
    }
    return n;
}

namespace {
constexpr int kNfkcStretch = 64;
constexpr qsizetype kNfkcStretchBytes = 1024;
} // namespace

bool unicodeCleanup(const QByteArray &in, QByteArray *out) {
    const auto *s = reinterpret_cast<const unsigned char *>(in.constData());
    const qsizetype n = in.size();
    qsizetype i = nextNonAscii(in.constData(), 0, n);
    if (i == n)
        return false;
    QByteArray result;
    qsizetype copied = 0;
    bool changed = false;
    auto flush = [&](qsizetype upTo) {
        if (result.isEmpty())
            result.reserve(n + 16);
        result.append(in.constData() + copied, upTo - copied);
    };
    while (i < n) {
        char32_t cp = s[i];
        qsizetype len = 1;
        if (s[i] >= 0x80) {
            len = decodeUtf8(s + i, n - i, &cp);
            if (len == 0) { // not UTF-8: keep the byte as it is
                i = nextNonAscii(in.constData(), i + 1, n);
                continue;
            }
        }
        const char c = classify(cp);
        if (c != kKeep) {
            flush(i);
            if (c != kDrop)
                result.append(c);
            changed = true;
            i += len;
            copied = i;
            i = nextNonAscii(in.constData(), i, n);
            continue;
        }
        // A stretch of code points for NFKC, of bounded length: QString::normalized rewrites its
        // string in place as characters expand (U+FDFA becomes 18), which costs the square of
        // the stretch. A stretch ends before a starter (combining class 0) once it holds
        // kNfkcStretch code points, so a base keeps its marks, and at kNfkcStretchBytes whatever
        // comes: every call is bounded and the whole pass stays linear.
        const qsizetype start = i;
        bool stable = true;
        int count = 0;
        while (i < n && s[i] >= 0x80) {
            const qsizetype l = decodeUtf8(s + i, n - i, &cp);
            if (l == 0 || classify(cp) != kKeep)
                break;
            if (count >= kNfkcStretch && (QChar::combiningClass(cp) == 0 || i - start >= kNfkcStretchBytes))
                break;
            ++count;
            stable = stable && nfkcStable(cp);
            i += l;
        }
        if (!stable) {
            const QString original = QString::fromUtf8(in.constData() + start, i - start);
            const QString normalized = original.normalized(QString::NormalizationForm_KC);
            if (normalized != original) {
                flush(start);
                for (auto it = normalized.cbegin(); it != normalized.cend(); ++it) {
                    char32_t u = it->unicode();
                    if (it->isHighSurrogate() && it + 1 != normalized.cend() && (it + 1)->isLowSurrogate()) {
                        u = QChar::surrogateToUcs4(*it, *(it + 1));
                        ++it;
                    }
                    appendCodePoint(&result, u);
                }
                changed = true;
                copied = i;
            }
        }
        i = nextNonAscii(in.constData(), i, n);
    }
    if (!changed)
        return false;
    flush(n);
    *out = std::move(result);
    return true;
}

namespace {

// Length of the invisible character starting at s[i] (zero-width space, joiners, LRM/RLM,
// word joiner and invisible operators, BOM, soft hyphen), or 0.
int invisibleAt(const unsigned char *s, qsizetype i, qsizetype n) {
    if (s[i] == 0xC2)
        return i + 1 < n && s[i + 1] == 0xAD ? 2 : 0;
    if (i + 2 >= n)
        return 0;
    if (s[i] == 0xE2)
        return (s[i + 1] == 0x80 && s[i + 2] >= 0x8B && s[i + 2] <= 0x8F) ||
                       (s[i + 1] == 0x81 && s[i + 2] >= 0xA0 && s[i + 2] <= 0xA4)
                   ? 3
                   : 0;
    return s[i] == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF ? 3 : 0;
}

} // namespace

namespace {

// Whether s[i, end) holds an invisible character.
bool hasInvisible(const unsigned char *s, qsizetype i, qsizetype end) {
#ifdef __SSE2__
    // Candidates are the first two bytes of the sequences: C2 AD, E2 80, E2 81, EF BB.
    auto is = [](__m128i v, int byte) {
        return _mm_cmpeq_epi8(v, _mm_set1_epi8(char(byte)));
    };
    for (; i + 17 <= end; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i));
        const __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i + 1));
        const __m128i pairs =
            _mm_or_si128(_mm_or_si128(_mm_and_si128(is(v, 0xC2), is(w, 0xAD)), _mm_and_si128(is(v, 0xEF), is(w, 0xBB))),
                         _mm_and_si128(is(v, 0xE2), _mm_or_si128(is(w, 0x80), is(w, 0x81))));
        unsigned mask = unsigned(_mm_movemask_epi8(pairs));
        while (mask) {
            if (invisibleAt(s, i + __builtin_ctz(mask), end))
                return true;
            mask &= mask - 1;
        }
    }
#endif
    for (; i < end; ++i) {
        if ((s[i] == 0xC2 || s[i] == 0xE2 || s[i] == 0xEF) && invisibleAt(s, i, end))
            return true;
    }
    return false;
}

// A line at least this long with at most 3 % control bytes or bytes that are not UTF-8 is text,
// wherever it is (under 34 bytes that means none at all). Random data has about 11 % control
// bytes, and its bytes from 0x80 up (half of them) are almost never UTF-8. An SSN in Arabic-Indic
// digits on a line of its own is 20 bytes.
constexpr qsizetype kTextLine = 8;

// Whether s[start, end) has at most 3 % bytes that are control characters or not UTF-8 (by
// shape: a lead byte and its continuation bytes). Random data has about half such bytes and is
// turned down within a few dozen; text is read to the end.
bool mostlyText(const unsigned char *s, qsizetype start, qsizetype end) {
    const qsizetype budget = (end - start) * 3 / 100;
    qsizetype bad = 0;
    int pending = 0;
    for (qsizetype i = start; i < end; ++i) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            bad += pending != 0;
            pending = 0;
            bad += (c < 0x20 && c != '\t' && c != '\r') || c == 0x7F;
        } else if (c < 0xC0) {
            if (pending)
                --pending;
            else
                ++bad;
        } else if (c >= 0xC2 && c <= 0xF4) {
            bad += pending != 0;
            pending = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
        } else {
            ++bad;
        }
        if (bad > budget)
            return false;
    }
    return bad + (pending != 0) <= budget;
}
} // namespace

bool invisibleLines(const QByteArray &in, QByteArray *out) {
    const auto *s = reinterpret_cast<const unsigned char *>(in.constData());
    const qsizetype n = in.size();
    QByteArray result;
    bool found = false;
    for (qsizetype start = 0; start < n;) {
        const void *nl = std::memchr(s + start, '\n', size_t(n - start));
        const qsizetype end = nl ? static_cast<const unsigned char *>(nl) - s : n;
        const qsizetype length = end - start;
        // Random data has too many control bytes, counted 16 at a time: the byte-wise UTF-8 test
        // is left to the few lines that pass.
        const bool text = length >= kTextLine && nextNonAscii(in.constData(), start, end) < end &&
                          controlBytes(in.constData() + start, length) * 100 <= length * 3 && mostlyText(s, start, end);
        if (text || hasInvisible(s, start, end)) {
            QByteArray cleaned;
            if (unicodeCleanup(QByteArray::fromRawData(in.constData() + start, length), &cleaned)) {
                if (found)
                    result.append('\n');
                result.append(cleaned);
                found = true;
            }
        }
        start = end + 1;
    }
    if (found)
        *out = std::move(result);
    return found;
}

} // namespace airlock::decode
