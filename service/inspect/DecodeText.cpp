// Percent-encoding, HTML entities and form fields. All of them only shrink the text, so the
// output buffer is allocated once, at the first change.
#include "inspect/Decode.h"
#include "inspect/DecodeUtf8.h"

#include <cstring>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace airlock::decode {

namespace {

// Copies the input lazily: nothing happens until the first change, then unchanged spans are
// copied in one memcpy each.
class ShrinkingWriter {
public:
    explicit ShrinkingWriter(const QByteArray &in)
        : m_in(in) {}
    // Input [m_copied, pos) is kept, input [pos, pos + consumed) is replaced by bytes.
    void replace(qsizetype pos, qsizetype consumed, const char *bytes, qsizetype len) {
        if (!m_w) {
            m_buf.resize(m_in.size());
            m_w = m_buf.data();
        }
        std::memcpy(m_w, m_in.constData() + m_copied, pos - m_copied);
        m_w += pos - m_copied;
        std::memcpy(m_w, bytes, len);
        m_w += len;
        m_copied = pos + consumed;
    }
    bool finish(QByteArray *out) {
        if (!m_w)
            return false;
        std::memcpy(m_w, m_in.constData() + m_copied, m_in.size() - m_copied);
        m_w += m_in.size() - m_copied;
        m_buf.truncate(m_w - m_buf.constData());
        *out = std::move(m_buf);
        return true;
    }

private:
    const QByteArray &m_in;
    QByteArray m_buf;
    char *m_w = nullptr;
    qsizetype m_copied = 0;
};

struct NamedEntity {
    std::string_view name;
    std::string_view text;
};

// Characters that spell out URLs, e-mail addresses and keys, plus the usual HTML ones.
// Dashes and hyphens become '-' and spaces ' ' directly, since that is what a matcher needs.
constexpr NamedEntity kNamed[] = {
    {"amp", "&"},    {"AMP", "&"},    {"lt", "<"},       {"LT", "<"},     {"gt", ">"},       {"GT", ">"},
    {"quot", "\""},  {"QUOT", "\""},  {"apos", "'"},     {"nbsp", " "},   {"ensp", " "},     {"emsp", " "},
    {"thinsp", " "}, {"commat", "@"}, {"period", "."},   {"lowbar", "_"}, {"UnderBar", "_"}, {"hyphen", "-"},
    {"dash", "-"},   {"ndash", "-"},  {"mdash", "-"},    {"minus", "-"},  {"colon", ":"},    {"sol", "/"},
    {"bsol", "\\"},  {"num", "#"},    {"percnt", "%"},   {"plus", "+"},   {"equals", "="},   {"excl", "!"},
    {"quest", "?"},  {"lpar", "("},   {"rpar", ")"},     {"lsqb", "["},   {"rsqb", "]"},     {"lbrack", "["},
    {"rbrack", "]"}, {"lcub", "{"},   {"rcub", "}"},     {"lbrace", "{"}, {"rbrace", "}"},   {"ast", "*"},
    {"midast", "*"}, {"comma", ","},  {"semi", ";"},     {"dollar", "$"}, {"verbar", "|"},   {"vert", "|"},
    {"grave", "`"},  {"Hat", "^"},    {"NewLine", "\n"}, {"Tab", "\t"},   {"shy", ""},       {"zwj", ""},
    {"zwnj", ""},
};

// The replacement for an entity starting at in[i] == '&', or false when there is none.
bool entityAt(const char *s, qsizetype i, qsizetype n, qsizetype *consumed, char *buf, qsizetype *len) {
    qsizetype j = i + 1;
    if (j < n && s[j] == '#') {
        ++j;
        const bool hex = j < n && (s[j] == 'x' || s[j] == 'X');
        if (hex)
            ++j;
        const qsizetype digitsStart = j;
        char32_t cp = 0;
        while (j < n && j - digitsStart < 8) {
            const int v =
                hex ? hexValue(static_cast<unsigned char>(s[j])) : (s[j] >= '0' && s[j] <= '9' ? s[j] - '0' : -1);
            if (v < 0)
                break;
            cp = cp * (hex ? 16 : 10) + char32_t(v);
            ++j;
        }
        if (j == digitsStart || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        if (j < n && s[j] == ';')
            ++j;
        *consumed = j - i;
        *len = encodeUtf8(cp, buf);
        return true;
    }
    while (j < n && j - i <= 9 && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
        ++j;
    if (j >= n || s[j] != ';' || j == i + 1)
        return false;
    const std::string_view name(s + i + 1, j - i - 1);
    for (const NamedEntity &e : kNamed) {
        if (e.name == name) {
            std::memcpy(buf, e.text.data(), e.text.size());
            *len = qsizetype(e.text.size());
            *consumed = j + 1 - i;
            return true;
        }
    }
    return false;
}

} // namespace

bool percent(const QByteArray &in, qsizetype plusFrom, QByteArray *out) {
    const char *s = in.constData();
    const qsizetype n = in.size();
    ShrinkingWriter writer(in);
    const char *nextPlus = nullptr;
    if (plusFrom >= 0 && plusFrom < n)
        nextPlus = static_cast<const char *>(std::memchr(s + plusFrom, '+', n - plusFrom));
    qsizetype i = 0;
    while (i < n) {
        const char *pct = static_cast<const char *>(std::memchr(s + i, '%', n - i));
        if (nextPlus && (!pct || nextPlus < pct)) {
            const qsizetype pos = nextPlus - s;
            writer.replace(pos, 1, " ", 1);
            i = pos + 1;
            nextPlus = static_cast<const char *>(std::memchr(s + i, '+', n - i));
            continue;
        }
        if (!pct)
            break;
        const qsizetype pos = pct - s;
        i = pos + 1;
        if (pos + 2 < n) {
            const int hi = hexValue(static_cast<unsigned char>(s[pos + 1]));
            const int lo = hexValue(static_cast<unsigned char>(s[pos + 2]));
            if (hi >= 0 && lo >= 0) {
                const char byte = char(hi * 16 + lo);
                writer.replace(pos, 3, &byte, 1);
                i = pos + 3;
                continue;
            }
        }
        if (pos + 5 < n && (s[pos + 1] == 'u' || s[pos + 1] == 'U')) {
            char32_t cp = 0;
            bool ok = true;
            for (int k = 2; k < 6 && ok; ++k) {
                const int v = hexValue(static_cast<unsigned char>(s[pos + k]));
                ok = v >= 0;
                cp = cp * 16 + char32_t(v);
            }
            if (ok) {
                char buf[4];
                const qsizetype len = encodeUtf8(cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp, buf);
                writer.replace(pos, 6, buf, len);
                i = pos + 6;
            }
        }
    }
    return writer.finish(out);
}

bool isEntityAt(const char *s, qsizetype i, qsizetype n) {
    qsizetype consumed = 0;
    qsizetype len = 0;
    char buf[8];
    return entityAt(s, i, n, &consumed, buf, &len);
}

namespace {
bool isEscapeAt(const char *s, qsizetype i, qsizetype n) {
    auto hex = [&](qsizetype k) {
        return k < n && hexValue(static_cast<unsigned char>(s[k])) >= 0;
    };
    if (s[i] == '&')
        return isEntityAt(s, i, n);
    return (hex(i + 1) && hex(i + 2)) ||
           (i + 1 < n && (s[i + 1] == 'u' || s[i + 1] == 'U') && hex(i + 2) && hex(i + 3) && hex(i + 4) && hex(i + 5));
}
} // namespace

qsizetype nextEscape(const char *s, qsizetype from, qsizetype n) {
    qsizetype i = from;
#ifdef __SSE2__
    // Binary and escaped text hold a '%' or '&' every few hundred bytes: one pass over both,
    // not a memchr call per occurrence.
    const __m128i percent = _mm_set1_epi8('%');
    const __m128i amp = _mm_set1_epi8('&');
    auto range = [](__m128i v, char lo, char hi) {
        return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(char(lo - 1))),
                             _mm_cmplt_epi8(v, _mm_set1_epi8(char(hi + 1))));
    };
    for (; i + 17 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i));
        const __m128i isPercent = _mm_cmpeq_epi8(v, percent);
        const __m128i isAmp = _mm_cmpeq_epi8(v, amp);
        if (!_mm_movemask_epi8(_mm_or_si128(isPercent, isAmp)))
            continue;
        // Most are not escapes: a '%' needs a hex digit or 'u' after it, an '&' a letter or '#'.
        const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i + 1));
        const __m128i lower = _mm_or_si128(next, _mm_set1_epi8(0x20));
        const __m128i hexOrU = _mm_or_si128(_mm_or_si128(range(next, '0', '9'), range(lower, 'a', 'f')),
                                            _mm_cmpeq_epi8(lower, _mm_set1_epi8('u')));
        const __m128i letterOrHash = _mm_or_si128(range(lower, 'a', 'z'), _mm_cmpeq_epi8(next, _mm_set1_epi8('#')));
        unsigned mask = unsigned(
            _mm_movemask_epi8(_mm_or_si128(_mm_and_si128(isPercent, hexOrU), _mm_and_si128(isAmp, letterOrHash))));
        while (mask) {
            const qsizetype at = i + __builtin_ctz(mask);
            if (isEscapeAt(s, at, n))
                return at;
            mask &= mask - 1;
        }
    }
#endif
    for (; i < n; ++i) {
        if ((s[i] == '%' || s[i] == '&') && isEscapeAt(s, i, n))
            return i;
    }
    return n;
}

bool htmlEntities(const QByteArray &in, QByteArray *out) {
    const char *s = in.constData();
    const qsizetype n = in.size();
    ShrinkingWriter writer(in);
    qsizetype i = 0;
    while (i < n) {
        const char *amp = static_cast<const char *>(std::memchr(s + i, '&', n - i));
        if (!amp)
            break;
        const qsizetype pos = amp - s;
        qsizetype consumed = 0;
        qsizetype len = 0;
        char buf[8];
        if (entityAt(s, pos, n, &consumed, buf, &len)) {
            writer.replace(pos, consumed, buf, len);
            i = pos + consumed;
        } else {
            i = pos + 1;
        }
    }
    return writer.finish(out);
}

void formLines(const QByteArray &in, QByteArray *out) {
    out->clear();
    out->reserve(in.size() + 16);
    qsizetype start = 0;
    const qsizetype n = in.size();
    while (start <= n) {
        qsizetype end = in.indexOf('&', start);
        if (end < 0)
            end = n;
        if (end > start) {
            const QByteArray field = QByteArray::fromRawData(in.constData() + start, end - start);
            QByteArray decoded;
            if (percent(field, 0, &decoded))
                out->append(decoded);
            else
                out->append(field.constData(), field.size());
            out->append('\n');
        }
        start = end + 1;
    }
}

namespace {
// The control bytes of p[0, n); with stopAbove >= 0, stops counting once there are more.
qsizetype countControls(const unsigned char *p, qsizetype n, qsizetype stopAbove) {
    qsizetype controls = 0;
    qsizetype i = 0;
#ifdef __SSE2__
    // 16 bytes at a time: below 0x20 (unsigned) and not 0x09..0x0D, or 0x7F.
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i beforeTab = _mm_set1_epi8(0x08);
    const __m128i afterCr = _mm_set1_epi8(0x0E);
    const __m128i del = _mm_set1_epi8(0x7F);
    auto sumBytes = [](__m128i v) {
        const __m128i sums = _mm_sad_epu8(v, _mm_setzero_si128());
        return qsizetype(_mm_cvtsi128_si32(sums)) + qsizetype(_mm_extract_epi16(sums, 4));
    };
    __m128i counts = _mm_setzero_si128();
    int rounds = 0;
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
        const __m128i notBelow = _mm_cmpeq_epi8(_mm_max_epu8(v, space), v);
        const __m128i whitespace = _mm_and_si128(_mm_cmpgt_epi8(v, beforeTab), _mm_cmplt_epi8(v, afterCr));
        const __m128i control = _mm_or_si128(_mm_andnot_si128(_mm_or_si128(notBelow, whitespace), _mm_set1_epi8(-1)),
                                             _mm_cmpeq_epi8(v, del));
        // Per-lane byte counters (control is -1 where counted), summed before they can wrap.
        counts = _mm_sub_epi8(counts, control);
        if (++rounds == 255) {
            controls += sumBytes(counts);
            counts = _mm_setzero_si128();
            rounds = 0;
            if (stopAbove >= 0 && controls > stopAbove)
                return controls; // already more than the whole text may have
        }
    }
    controls += sumBytes(counts);
#endif
    for (; i < n; ++i) {
        const unsigned char c = p[i];
        controls += (c < 0x20 && (c < 0x09 || c > 0x0D)) || c == 0x7F;
    }
    return controls;
}
} // namespace

bool looksBinary(const QByteArray &t) {
    const qsizetype n = t.size();
    // More than 3 %: controls * 100 > n * 3.
    return countControls(reinterpret_cast<const unsigned char *>(t.constData()), n, n * 3 / 100) * 100 > n * 3;
}

qsizetype controlBytes(const char *s, qsizetype n) {
    return countControls(reinterpret_cast<const unsigned char *>(s), n, -1);
}

} // namespace airlock::decode
