// A validating single-pass JSON scanner that writes keys and values as lines. It never builds
// a document: model-hub listings are megabytes of small strings, and the rules only need the
// text (with its key next to it).
#include "inspect/Decode.h"
#include "inspect/DecodeUtf8.h"

#include <array>
#include <cstring>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace airlock::decode {

namespace {

// Bytes that end a plain stretch inside a JSON string: the string's end, an escape, a raw
// control character, and (kNoted) the bytes that make the string worth a line of its own
// because a later text layer decodes them: '%', '&' and non-ASCII.
constexpr std::array<bool, 256> kStringStop = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c)
        t[c] = true;
    t['"'] = t['\\'] = true;
    return t;
}();
constexpr std::array<bool, 256> kNotedStop = [] {
    std::array<bool, 256> t = kStringStop;
    t['%'] = t['&'] = true;
    for (int c = 0x80; c < 0x100; ++c)
        t[c] = true;
    return t;
}();

class JsonScanner {
public:
    JsonScanner(const QByteArray &in, int maxDepth, QByteArray *out)
        : m_p(in.constData())
        , m_end(in.constData() + in.size())
        , m_maxDepth(maxDepth)
        , m_out(out) {
        // Output never outgrows the input by more than one newline per value, and is usually
        // smaller; grow() covers the rest.
        m_out->resize(in.size() + 64);
        m_w = m_out->data();
        m_wEnd = m_w + m_out->size();
    }

    JsonStatus run() {
        if (m_end - m_p >= 3 && std::memcmp(m_p, "\xEF\xBB\xBF", 3) == 0) // a UTF-8 BOM, as RFC 8259 lets parsers skip
            m_p += 3;
        skipSpace();
        if (m_p == m_end)
            return JsonStatus::NotJson;
        while (m_p < m_end) {
            if (!value(0))
                return m_tooDeep ? JsonStatus::TooDeep : JsonStatus::NotJson;
            skipSpace();
        }
        m_out->truncate(m_w - m_out->constData());
        return JsonStatus::Ok;
    }

private:
    void grow(qsizetype need) {
        const qsizetype used = m_w - m_out->constData();
        m_out->resize(qMax(m_out->size() * 2, used + need + 64));
        m_w = m_out->data() + used;
        m_wEnd = m_out->data() + m_out->size();
    }
    void put(const char *s, qsizetype n) {
        if (m_wEnd - m_w < n)
            grow(n);
        std::memcpy(m_w, s, n);
        m_w += n;
    }
    void put(char c) {
        if (m_w == m_wEnd)
            grow(1);
        *m_w++ = c;
    }
    qsizetype mark() const { return m_w - m_out->constData(); }

    // Whether the key written at [from, to) holds a word that rules look for a fixed number of
    // characters before a value: ssn, social (security), phone, tel, mobile, cell, fax, aws,
    // secret (RulesBuiltin.cpp).
    bool holdsContextWord(qsizetype from, qsizetype to) const {
        const char *key = m_out->constData() + from;
        const qsizetype n = to - from;
        auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? char(c + 32) : c;
        };
        auto at = [&](qsizetype i, std::string_view word) {
            if (qsizetype(word.size()) > n - i)
                return false;
            for (size_t k = 1; k < word.size(); ++k) {
                if (lower(key[i + qsizetype(k)]) != word[k])
                    return false;
            }
            return true;
        };
        // By first letter: each key character costs one switch, not a look at every word.
        for (qsizetype i = 0; i < n; ++i) {
            switch (lower(key[i])) {
            case 's':
                if (at(i, "ssn") || at(i, "social") || at(i, "secret"))
                    return true;
                break;
            case 'p':
                if (at(i, "phone"))
                    return true;
                break;
            case 't':
                if (at(i, "tel"))
                    return true;
                break;
            case 'm':
                if (at(i, "mobile"))
                    return true;
                break;
            case 'c':
                if (at(i, "cell"))
                    return true;
                break;
            case 'f':
                if (at(i, "fax"))
                    return true;
                break;
            case 'a':
                if (at(i, "aws"))
                    return true;
                break;
            default:
                break;
            }
        }
        return false;
    }

    // A scalar of 9+ characters under a key with a context word keeps its line: the context
    // rules count the characters between word and value, and the raw body has two more (the
    // quotes) than the line. Shorter values cannot be what those rules look for.
    bool needsContext(qsizetype keyStart, qsizetype valueStart) const {
        return keyStart >= 0 && mark() - valueStart >= 9 && holdsContextWord(keyStart, m_keyTextEnd);
    }
    void rewind(qsizetype mark) { m_w = m_out->data() + mark; }

    void skipSpace() {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    bool literal(const char *word, qsizetype n) {
        if (m_end - m_p < n || std::memcmp(m_p, word, n) != 0)
            return false;
        m_p += n;
        return true;
    }

    bool hex4(char32_t *v) {
        if (m_end - m_p < 4)
            return false;
        *v = 0;
        for (int k = 0; k < 4; ++k) {
            const int h = hexValue(static_cast<unsigned char>(m_p[k]));
            if (h < 0)
                return false;
            *v = *v * 16 + char32_t(h);
        }
        m_p += 4;
        return true;
    }

    // Moves to the first quote, backslash or control byte (and, until the string is noted, '%',
    // '&' or non-ASCII byte), 16 bytes at a time.
    void skipPlain() {
#ifdef __SSE2__
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        const __m128i control = _mm_set1_epi8(0x1F);
        const __m128i percent = _mm_set1_epi8('%');
        const __m128i amp = _mm_set1_epi8('&');
        while (m_end - m_p >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(m_p));
            int mask =
                _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                               _mm_cmpeq_epi8(_mm_max_epu8(v, control), control)));
            if (!m_noted)
                mask |= _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, percent), _mm_cmpeq_epi8(v, amp))) |
                        _mm_movemask_epi8(v);
            if (mask) {
                m_p += __builtin_ctz(unsigned(mask));
                return;
            }
            m_p += 16;
        }
#endif
    }

    // At the opening quote; writes the unescaped content. Sets m_noted when the string holds
    // an escape, a raw control character, '%', '&' or a non-ASCII byte.
    bool string() {
        ++m_p;
        m_noted = false;
        for (;;) {
            const char *start = m_p;
            skipPlain();
            const std::array<bool, 256> &stop = m_noted ? kStringStop : kNotedStop;
            while (m_p < m_end && !stop[static_cast<unsigned char>(*m_p)])
                ++m_p;
            put(start, m_p - start);
            if (m_p == m_end)
                return false;
            const char c = *m_p++;
            if (c == '"')
                return true;
            m_noted = true;
            if (c == '%' || c == '&' || static_cast<unsigned char>(c) >= 0x80) {
                put(c);
                continue;
            }
            if (c != '\\') { // raw control character: tolerated, tab/CR/LF kept
                if (c == '\t' || c == '\n' || c == '\r')
                    put(c);
                continue;
            }
            if (m_p == m_end)
                return false;
            const char e = *m_p++;
            switch (e) {
            case '"':
                put('"');
                break;
            case '\\':
                put('\\');
                break;
            case '/':
                put('/');
                break;
            case 'b':
                break;
            case 'f':
                break;
            case 'n':
                put('\n');
                break;
            case 'r':
                put('\r');
                break;
            case 't':
                put('\t');
                break;
            case 'u': {
                char32_t cp;
                if (!hex4(&cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF && m_end - m_p >= 6 && m_p[0] == '\\' && m_p[1] == 'u') {
                    const char *save = m_p;
                    m_p += 2;
                    char32_t low;
                    if (hex4(&low) && low >= 0xDC00 && low <= 0xDFFF)
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    else
                        m_p = save;
                }
                if (cp >= 0xD800 && cp <= 0xDFFF)
                    cp = 0xFFFD;
                if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
                    break;
                char buf[4];
                put(buf, encodeUtf8(cp, buf));
                break;
            }
            default:
                return false;
            }
        }
    }

    bool number() {
        const char *start = m_p;
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        auto digits = [&] {
            const char *d = m_p;
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
            return m_p > d;
        };
        if (!digits())
            return false;
        if (m_p < m_end && *m_p == '.') {
            ++m_p;
            if (!digits())
                return false;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (!digits())
                return false;
        }
        put(start, m_p - start);
        return true;
    }

    // One value; the key (if any) is already written followed by ": ". The line is kept only
    // when the raw body does not already show the same text the same way (see jsonLines()).
    bool value(int depth) {
        if (m_p == m_end)
            return false;
        const qsizetype keyStart = m_keyStart;
        const bool keepKey = m_keepKey;
        const bool keepAll = keepKey || m_splitFromKey;
        const qsizetype lineStart = keyStart >= 0 ? keyStart : mark();
        // A key that must stay is written as "key:" on its own line; otherwise it goes.
        auto keyAlone = [&] {
            if (keyStart < 0)
                return;
            if (keepKey) {
                rewind(mark() - 1);
                put('\n');
            } else {
                rewind(keyStart);
            }
        };
        switch (*m_p) {
        case '"': {
            const qsizetype valueStart = mark();
            if (!string())
                return false;
            if (!keepAll && !m_noted && !needsContext(keyStart, valueStart)) {
                rewind(lineStart);
                return true;
            }
            put('\n');
            return true;
        }
        case '{':
        case '[': {
            if (depth >= m_maxDepth) {
                m_tooDeep = true;
                return false;
            }
            keyAlone();
            return *m_p == '{' ? object(depth + 1) : array(depth + 1);
        }
        case 't':
        case 'f':
        case 'n':
        case 'N': // NaN and Infinity: not JSON, but Python's json module writes them
        case 'I':
            keyAlone(); // a literal is no signal, an escaped key may be
            return literal("true", 4) || literal("false", 5) || literal("null", 4) || literal("NaN", 3) ||
                   literal("Infinity", 8);
        default:
            if (m_end - m_p >= 2 && m_p[0] == '-' && m_p[1] == 'I') {
                keyAlone();
                ++m_p;
                return literal("Infinity", 8);
            }
            const qsizetype valueStart = mark();
            if (!number())
                return false;
            if (!keepAll && !needsContext(keyStart, valueStart)) {
                rewind(lineStart);
                return true;
            }
            put('\n');
            return true;
        }
    }

    bool object(int depth) {
        ++m_p;
        skipSpace();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            return true;
        }
        for (;;) {
            if (m_p == m_end || *m_p != '"')
                return false;
            const qsizetype keyStart = mark();
            if (!string())
                return false;
            const bool keepKey = m_noted;
            m_keyTextEnd = mark();
            const char *keyEnd = m_p;
            skipSpace();
            if (m_p == m_end || *m_p != ':')
                return false;
            ++m_p;
            put(": ", 2);
            skipSpace();
            // Rules that read a key and its value together ("password": "…", "ssn": …) look
            // within one line and a short gap: a value further from its key gets a line.
            const qsizetype gap = m_p - keyEnd;
            m_splitFromKey = gap > 3 || std::memchr(keyEnd, '\n', gap) || std::memchr(keyEnd, '\r', gap);
            m_keepKey = keepKey;
            m_keyStart = keyStart;
            const bool ok = value(depth);
            m_keyStart = -1;
            m_keepKey = m_splitFromKey = false;
            if (!ok)
                return false;
            skipSpace();
            if (m_p == m_end)
                return false;
            if (*m_p == '}') {
                ++m_p;
                return true;
            }
            if (*m_p != ',')
                return false;
            ++m_p;
            skipSpace();
        }
    }

    bool array(int depth) {
        ++m_p;
        skipSpace();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            return true;
        }
        for (;;) {
            m_keyStart = -1;
            m_keepKey = m_splitFromKey = false;
            if (!value(depth))
                return false;
            skipSpace();
            if (m_p == m_end)
                return false;
            if (*m_p == ']') {
                ++m_p;
                return true;
            }
            if (*m_p != ',')
                return false;
            ++m_p;
            skipSpace();
        }
    }

    const char *m_p;
    const char *m_end;
    const int m_maxDepth;
    QByteArray *m_out;
    char *m_w = nullptr;
    char *m_wEnd = nullptr;
    qsizetype m_keyStart = -1;   // where the current member's key line starts, -1 outside a member
    bool m_keepKey = false;      // the current member's key was noted: its line stays
    bool m_splitFromKey = false; // the current member's value is not right after its key in the raw body
    bool m_noted = false;        // set by string()
    qsizetype m_keyTextEnd = 0;  // where the current member's key text ends in the output
    bool m_tooDeep = false;
};

} // namespace

JsonStatus jsonLines(const QByteArray &in, int maxDepth, QByteArray *out) {
    QByteArray lines;
    const JsonStatus status = JsonScanner(in, maxDepth, &lines).run();
    if (status == JsonStatus::Ok)
        *out = std::move(lines);
    return status;
}

} // namespace airlock::decode
