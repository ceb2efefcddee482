#include "api/EgressJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define AIRLOCK_BASE64_AVX2 1
#endif

namespace airlock {

namespace {

constexpr qsizetype kFastBody64Threshold = 64 * 1024; // below this the plain path costs nothing

bool fail(QString *error, const QString &message) {
    if (error)
        *error = message;
    return false;
}

constexpr signed char kPad = -2;
constexpr signed char kBad = -1;

struct Base64Table {
    signed char value[256];
    // The same sextets pre-shifted into place for each of the four positions of a quantum, and
    // kBadBit for anything else ('=' included): one load and an OR per character.
    quint32 shifted[4][256];
    static constexpr quint32 kBadBit = 0x80000000u;
    constexpr Base64Table()
        : value()
        , shifted() {
        for (int i = 0; i < 256; ++i) {
            value[i] = kBad;
            for (int k = 0; k < 4; ++k)
                shifted[k][i] = kBadBit;
        }
        const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; ++i) {
            const auto c = static_cast<unsigned char>(alphabet[i]);
            value[c] = static_cast<signed char>(i);
            for (int k = 0; k < 4; ++k)
                shifted[k][c] = quint32(i) << (18 - 6 * k);
        }
        value[int('=')] = kPad;
    }
};
constexpr Base64Table kBase64;

// Decodes the whole quanta u[from, to) into o (3 bytes each), by table. Returns the OR of their
// table values: kBadBit set means a character outside the alphabet (or '=') was among them.
quint32 decodeQuantaByTable(const unsigned char *u, qsizetype from, qsizetype to, char *o) {
    const auto &t = kBase64.shifted;
    quint32 bad = 0; // checked by the caller once per block: no branch in this loop
    for (qsizetype i = from; i < to; i += 4) {
        const quint32 v = t[0][u[i]] | t[1][u[i + 1]] | t[2][u[i + 2]] | t[3][u[i + 3]];
        bad |= v;
        o[0] = char(v >> 16);
        o[1] = char(v >> 8);
        o[2] = char(v);
        o += 3;
    }
    return bad;
}

#ifdef AIRLOCK_BASE64_AVX2
// The same, 32 characters (8 quanta) a step: each character's range gives its sextet, and two
// multiply-adds and a shuffle pack the sextets into bytes. A step with a character outside the
// alphabet is decoded by table instead, so every valid quantum's bytes are right, as above.
// Each step stores 32 bytes of which 24 count; it runs only while 12 more characters follow,
// whose quanta overwrite the other 8, so nothing is written past the end of o.
// lo <= v <= hi, byte by byte; bytes from 0x80 never (the compare is signed).
__attribute__((target("avx2"))) inline __m256i inRange(__m256i v, char lo, char hi) {
    return _mm256_and_si256(_mm256_cmpgt_epi8(v, _mm256_set1_epi8(char(lo - 1))),
                            _mm256_cmpgt_epi8(_mm256_set1_epi8(char(hi + 1)), v));
}

__attribute__((target("avx2"))) quint32 decodeQuantaAvx2(const unsigned char *u, qsizetype from, qsizetype to,
                                                         char *o) {
    quint32 bad = 0;
    qsizetype i = from;
    const __m256i packPairs = _mm256_set1_epi32(0x01400140); // (first << 6) | second
    const __m256i packQuads = _mm256_set1_epi32(0x00011000); // (pair0 << 12) | pair1
    const __m256i order = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1, //
                                           2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
    for (; i + 32 + 12 <= to; i += 32, o += 24) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(u + i));
        const __m256i upper = inRange(v, 'A', 'Z');
        const __m256i lower = inRange(v, 'a', 'z');
        const __m256i digit = inRange(v, '0', '9');
        const __m256i plus = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('+'));
        const __m256i slash = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('/'));
        const __m256i valid =
            _mm256_or_si256(_mm256_or_si256(upper, lower), _mm256_or_si256(digit, _mm256_or_si256(plus, slash)));
        if (_mm256_movemask_epi8(valid) != -1) {
            bad |= decodeQuantaByTable(u, i, i + 32, o);
            continue;
        }
        __m256i shift = _mm256_and_si256(upper, _mm256_set1_epi8(char(-'A')));
        shift = _mm256_or_si256(shift, _mm256_and_si256(lower, _mm256_set1_epi8(char(26 - 'a'))));
        shift = _mm256_or_si256(shift, _mm256_and_si256(digit, _mm256_set1_epi8(char(52 - '0'))));
        shift = _mm256_or_si256(shift, _mm256_and_si256(plus, _mm256_set1_epi8(char(62 - '+'))));
        shift = _mm256_or_si256(shift, _mm256_and_si256(slash, _mm256_set1_epi8(char(63 - '/'))));
        const __m256i sextets = _mm256_add_epi8(v, shift);
        const __m256i words = _mm256_madd_epi16(_mm256_maddubs_epi16(sextets, packPairs), packQuads);
        const __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(words, order), lanes);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(o), bytes);
    }
    return bad | decodeQuantaByTable(u, i, to, o);
}

bool hasAvx2() {
    static const bool yes = __builtin_cpu_supports("avx2");
    return yes;
}
#endif

// Decodes the whole quanta u[from, to) into o (3 bytes each): AVX2 where the CPU has it, by
// table elsewhere, with the same bytes and the same answer: kBadBit set in the result means a
// character outside the alphabet (or '=') was among them; every valid quantum is decoded.
quint32 decodeQuanta(const unsigned char *u, qsizetype from, qsizetype to, char *o) {
#ifdef AIRLOCK_BASE64_AVX2
    if (hasAvx2())
        return decodeQuantaAvx2(u, from, to, o);
#endif
    return decodeQuantaByTable(u, from, to, o);
}

bool isBase64Char(char c) {
    return kBase64.value[static_cast<unsigned char>(c)] != kBad;
}

bool isBase64Span(const char *in, qsizetype size) {
    for (qsizetype i = 0; i < size; ++i) {
        if (!isBase64Char(in[i]))
            return false;
    }
    return true;
}

// Qt's decoder works a byte at a time through branches (about 100 ms per 10 MB here). Canonical
// input (length a multiple of 4, '=' only as the last one or two) decodes the same everywhere, so
// it is decoded by table; anything else is left to QByteArray::fromBase64Encoding's own rules.
// Returns false for any byte outside the alphabet, so it also validates the span.
bool decodeCanonicalBase64(const char *in, qsizetype size, QByteArray *out) {
    if (size % 4 != 0)
        return false;
    qsizetype pad = 0;
    if (size >= 1 && in[size - 1] == '=')
        pad = size >= 2 && in[size - 2] == '=' ? 2 : 1;
    QByteArray result(size / 4 * 3 - pad, Qt::Uninitialized);
    char *o = result.data();
    const auto *u = reinterpret_cast<const unsigned char *>(in);
    const auto &t = kBase64.shifted;
    const qsizetype full = pad ? size - 4 : size;
    for (qsizetype block = 0; block < full; block += 4096) {
        const qsizetype blockEnd = std::min(full, block + 4096);
        if (decodeQuanta(u, block, blockEnd, o) & Base64Table::kBadBit)
            return false; // outside the alphabet, or '=' inside
        o += (blockEnd - block) / 4 * 3;
    }
    if (pad) {
        const unsigned char *q = u + size - 4;
        const quint32 v = t[0][q[0]] | t[1][q[1]] | (pad == 1 ? t[2][q[2]] : 0);
        if (v & Base64Table::kBadBit)
            return false;
        *o++ = char(v >> 16);
        if (pad == 1)
            *o++ = char(v >> 8);
    }
    *out = std::move(result);
    return true;
}

qsizetype skipSpace(const QByteArray &s, qsizetype i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        ++i;
    return i;
}

// i at the opening quote; returns the index after the closing quote, or -1.
qsizetype skipString(const QByteArray &s, qsizetype i, bool *escaped) {
    *escaped = false;
    for (++i; i < s.size(); ++i) {
        if (s[i] == '\\') {
            *escaped = true;
            ++i;
        } else if (s[i] == '"') {
            return i + 1;
        }
    }
    return -1;
}

// Skips one value of any kind; returns the index after it, or -1. Only positions matter here:
// QJsonDocument still judges the whole document.
qsizetype skipValue(const QByteArray &s, qsizetype i) {
    int depth = 0;
    bool escaped = false;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '"') {
            i = skipString(s, i, &escaped);
            if (i < 0)
                return -1;
        } else if (c == '{' || c == '[') {
            ++depth;
            ++i;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return i;
            --depth;
            ++i;
        } else if (c == ',' && depth == 0) {
            return i;
        } else {
            ++i;
        }
        if (depth == 0 && (c == '"' || c == '}' || c == ']'))
            return i;
    }
    return -1;
}

// A multi-MB body_base64 costs QJsonDocument a UTF-16 copy, a Latin-1 copy and their page
// faults (several hundred ms per 10 MB on these VMs). When the top-level object holds exactly
// one plainly spelled "body_base64" whose string is pure base64 alphabet, its span is found
// here, replaced by "" for QJsonDocument (so every other rule still applies unchanged) and
// decoded straight from the request bytes. Anything unusual returns false: the slow path. The
// span found is only a candidate until it is known to be pure base64 alphabet (see below).
// Writes code point cp as UTF-8 at o; returns the end.
char *putUtf8(char *o, char32_t cp) {
    if (cp < 0x80) {
        *o++ = char(cp);
    } else if (cp < 0x800) {
        *o++ = char(0xC0 | (cp >> 6));
        *o++ = char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = char(0xE0 | (cp >> 12));
        *o++ = char(0x80 | ((cp >> 6) & 0x3F));
        *o++ = char(0x80 | (cp & 0x3F));
    } else {
        *o++ = char(0xF0 | (cp >> 18));
        *o++ = char(0x80 | ((cp >> 12) & 0x3F));
        *o++ = char(0x80 | ((cp >> 6) & 0x3F));
        *o++ = char(0x80 | (cp & 0x3F));
    }
    return o;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The four hex digits at s[i, i + 4) as a UTF-16 unit, or -1.
int hex4(const char *s, qsizetype i, qsizetype n) {
    if (i + 4 > n)
        return -1;
    int v = 0;
    for (int k = 0; k < 4; ++k) {
        const int d = hexValue(s[i + k]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

// The length of the well-formed UTF-8 sequence at s[i] (a lead byte >= 0x80), or 0.
int utf8Length(const unsigned char *s, qsizetype i, qsizetype n) {
    const unsigned char c = s[i];
    int len = 0;
    char32_t min = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > n)
        return 0;
    char32_t cp = c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

} // namespace

qsizetype unescapeJsonString(const char *data, qsizetype begin, qsizetype n, QByteArray *out) {
    const auto *s = reinterpret_cast<const unsigned char *>(data);
    // Unescaped text is never longer than its escaped form: one buffer of that size, written
    // through a pointer and cut to length at the end.
    out->resize(n - begin);
    char *const start = out->data();
    char *o = start;
    qsizetype i = begin;
    const auto done = [&](qsizetype result) {
        out->resize(result < 0 ? 0 : o - start);
        return result;
    };
    while (i < n) {
        // Plain ASCII, eight bytes a step: no quote, backslash, control or high byte among them.
        while (i + 8 <= n) {
            quint64 w;
            std::memcpy(&w, s + i, 8);
            constexpr quint64 ones = 0x0101010101010101ULL;
            constexpr quint64 highs = 0x8080808080808080ULL;
            const quint64 quote = w ^ (ones * '"');
            const quint64 slash = w ^ (ones * '\\');
            const quint64 special = ((quote - ones) & ~quote) | ((slash - ones) & ~slash) | (w - ones * 0x20) | w;
            if (special & highs)
                break;
            std::memcpy(o, s + i, 8);
            o += 8;
            i += 8;
        }
        if (i >= n)
            break;
        const unsigned char c = s[i];
        if (c == '"')
            return done(i + 1);
        if (c < 0x20)
            return done(-1); // a raw control character: not JSON
        if (c >= 0x80) {
            const int len = utf8Length(s, i, n);
            if (len == 0)
                return done(-1);
            std::memcpy(o, s + i, size_t(len));
            o += len;
            i += len;
            continue;
        }
        if (c != '\\') {
            *o++ = char(c);
            ++i;
            continue;
        }
        if (i + 1 >= n)
            return done(-1);
        const char e = data[i + 1];
        i += 2;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            *o++ = e;
            break;
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'u': {
            // \uXXXX (6 bytes) is at most 3 bytes of UTF-8; a pair (12) at most 4.
            const int unit = hex4(data, i, n);
            if (unit < 0)
                return done(-1);
            i += 4;
            char32_t cp = char32_t(unit);
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                const int low = i + 1 < n && data[i] == '\\' && data[i + 1] == 'u' ? hex4(data, i + 2, n) : -1;
                if (low < 0xDC00 || low > 0xDFFF)
                    return done(-1); // a lone surrogate: left to the slow path's own reading
                cp = 0x10000 + ((char32_t(unit) - 0xD800) << 10) + (char32_t(low) - 0xDC00);
                i += 6;
            } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
                return done(-1);
            }
            o = putUtf8(o, cp);
            break;
        }
        default:
            return done(-1);
        }
    }
    return done(-1); // no closing quote
}

namespace {

// The span of the top-level member key's string value: s[*begin, *end) between its quotes,
// with the key spelled plainly and present once. plain: the string holds no escape (a
// body_base64), so its end is the next quote; otherwise *text is the string unescaped, made in
// the same pass that finds its end. Anything unusual returns false: the slow path.
bool findStringMember(const QByteArray &s, QByteArrayView key, qsizetype *begin, qsizetype *end,
                      QByteArray *text = nullptr) {
    qsizetype i = skipSpace(s, 0);
    if (i >= s.size() || s[i] != '{')
        return false;
    i = skipSpace(s, i + 1);
    int found = 0;
    while (i < s.size() && s[i] == '"') {
        bool escaped = false;
        const qsizetype keyEnd = skipString(s, i, &escaped);
        if (keyEnd < 0 || escaped)
            return false; // an escaped key might spell the one looked for
        const bool isKey = QByteArrayView(s.constData() + i + 1, keyEnd - i - 2) == key;
        i = skipSpace(s, keyEnd);
        if (i >= s.size() || s[i] != ':')
            return false;
        i = skipSpace(s, i + 1);
        if (isKey) {
            if (++found > 1 || i >= s.size() || s[i] != '"')
                return false;
            *begin = i + 1;
            if (text) {
                const qsizetype after = unescapeJsonString(s.constData(), i + 1, s.size(), text);
                if (after < 0)
                    return false;
                *end = after - 1;
            } else {
                // Up to the next quote; the caller checks the span is base64 alphabet (so holds
                // no escape and the quote really ends the string) while decoding it.
                const void *quote = std::memchr(s.constData() + i + 1, '"', size_t(s.size() - i - 1));
                if (!quote)
                    return false;
                *end = static_cast<const char *>(quote) - s.constData();
            }
            i = *end + 1;
        } else {
            i = skipValue(s, i);
            if (i < 0)
                return false;
        }
        i = skipSpace(s, i);
        if (i < s.size() && s[i] == ',')
            i = skipSpace(s, i + 1);
        else
            break;
    }
    return found == 1;
}

bool findBody64(const QByteArray &s, qsizetype *begin, qsizetype *end) {
    return findStringMember(s, "body_base64", begin, end);
}

bool isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

bool decodeBase64Quanta(const char *in, qsizetype size, char *out, bool simd) {
    const auto *u = reinterpret_cast<const unsigned char *>(in);
    const quint32 bad = simd ? decodeQuanta(u, 0, size / 4 * 4, out) : decodeQuantaByTable(u, 0, size / 4 * 4, out);
    return !(bad & Base64Table::kBadBit);
}

bool parseEgressJson(const QByteArray &json, EgressRequest *request, QString *error, const DecodedBody64 *predecoded) {
    qsizetype body64Begin = 0;
    qsizetype body64End = 0;
    bool fastBody64 = json.size() >= kFastBody64Threshold && findBody64(json, &body64Begin, &body64End);
    // Decoding validates the span in the same pass; only a span that does not decode canonically
    // is scanned again, and one with anything outside the alphabet (an escape, a quote that does
    // not end the string) goes to the slow path, as it always did.
    QByteArray fastDecoded;
    bool fastDecodedOk = false;
    if (fastBody64 && predecoded && predecoded->begin == body64Begin && predecoded->end == body64End) {
        fastDecoded = predecoded->bytes; // the same span, checked canonical as it was decoded
        fastDecodedOk = true;
    } else if (fastBody64) {
        const char *span = json.constData() + body64Begin;
        fastDecodedOk = decodeCanonicalBase64(span, body64End - body64Begin, &fastDecoded);
        if (!fastDecodedOk && !isBase64Span(span, body64End - body64Begin))
            fastBody64 = false;
    }
    // A large "body" string (a JSON document sent as text, full of \" escapes) is unescaped
    // once, straight from the request bytes into one buffer, and cut out for QJsonDocument like
    // a body_base64: no UTF-16 string of it is ever made.
    qsizetype bodyBegin = 0;
    qsizetype bodyEnd = 0;
    QByteArray fastText;
    const bool fastBody = !fastBody64 && json.size() >= kFastBody64Threshold &&
                          findStringMember(json, "body", &bodyBegin, &bodyEnd, &fastText);
    const bool cut = fastBody64 || fastBody;
    const qsizetype cutBegin = fastBody64 ? body64Begin : bodyBegin;
    const qsizetype cutEnd = fastBody64 ? body64End : bodyEnd;
    QJsonParseError parseError;
    const QJsonDocument doc = cut ? QJsonDocument::fromJson(json.left(cutBegin) + json.mid(cutEnd), &parseError)
                                  : QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const qsizetype offset =
            cut && parseError.offset >= cutBegin ? parseError.offset + (cutEnd - cutBegin) : parseError.offset;
        return fail(error, QStringLiteral("invalid JSON at offset %1: %2").arg(offset).arg(parseError.errorString()));
    }
    if (!doc.isObject())
        return fail(error, QStringLiteral("request body must be a JSON object"));
    const QJsonObject o = doc.object();

    static const QStringList known{QStringLiteral("url"),    QStringLiteral("destination"),
                                   QStringLiteral("method"), QStringLiteral("headers"),
                                   QStringLiteral("body"),   QStringLiteral("body_base64")};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(error, QStringLiteral("unknown field: %1").arg(it.key().left(64)));
    }

    EgressRequest r;
    if (o.contains(QLatin1String("url")) && o.contains(QLatin1String("destination")))
        return fail(error, QStringLiteral("give either url or destination, not both"));
    const QJsonValue url =
        o.contains(QLatin1String("url")) ? o.value(QLatin1String("url")) : o.value(QLatin1String("destination"));
    if (url.isUndefined())
        return fail(error, QStringLiteral("missing field: url"));
    if (!url.isString())
        return fail(error, QStringLiteral("field url must be a string"));
    r.url = url.toString();
    if (r.url.isEmpty())
        return fail(error, QStringLiteral("field url must not be empty"));

    const QJsonValue method = o.value(QLatin1String("method"));
    if (!method.isUndefined() && !method.isNull()) {
        if (!method.isString())
            return fail(error, QStringLiteral("field method must be a string"));
        r.method = method.toString();
    }

    const QJsonValue headers = o.value(QLatin1String("headers"));
    if (!headers.isUndefined() && !headers.isNull()) {
        if (!headers.isObject())
            return fail(error, QStringLiteral("field headers must be an object of strings"));
        const QJsonObject h = headers.toObject();
        if (h.size() > kMaxEnvelopeHeaders)
            return fail(error, QStringLiteral("too many headers: at most %1").arg(kMaxEnvelopeHeaders));
        qsizetype total = 0;
        const auto add = [&](const QByteArray &name, const QJsonValue &v) {
            if (!v.isString()) {
                *error = QStringLiteral("header values must be strings");
                return false;
            }
            const QByteArray value = v.toString().toUtf8();
            if (value.size() > kMaxEnvelopeHeaderValue) {
                *error = QStringLiteral("a header value is longer than %1 bytes").arg(kMaxEnvelopeHeaderValue);
                return false;
            }
            total += name.size() + value.size();
            if (r.headers.size() >= kMaxEnvelopeHeaders || total > kMaxEnvelopeHeaderBytes) {
                *error = QStringLiteral("the headers are too large: at most %1 values and %2 bytes")
                             .arg(kMaxEnvelopeHeaders)
                             .arg(kMaxEnvelopeHeaderBytes);
                return false;
            }
            r.headers.append({name, value});
            return true;
        };
        for (auto it = h.begin(); it != h.end(); ++it) {
            const QByteArray name = it.key().toUtf8();
            if (it.value().isArray()) {
                const QJsonArray values = it.value().toArray();
                if (values.size() > kMaxEnvelopeHeaders)
                    return fail(error, QStringLiteral("too many headers: at most %1").arg(kMaxEnvelopeHeaders));
                for (const QJsonValue &v : values)
                    if (!add(name, v))
                        return false;
            } else if (!add(name, it.value())) {
                return false;
            }
        }
    }

    const QJsonValue body = o.value(QLatin1String("body"));
    const QJsonValue body64 = o.value(QLatin1String("body_base64"));
    const bool hasBody = !body.isUndefined() && !body.isNull();
    const bool hasBody64 = !body64.isUndefined() && !body64.isNull();
    if (hasBody && hasBody64)
        return fail(error, QStringLiteral("give either body or body_base64, not both"));
    if (hasBody) {
        if (!body.isString())
            return fail(error, QStringLiteral("field body must be a string or null"));
        r.body = fastBody ? std::move(fastText) : body.toString().toUtf8();
        r.hasBody = true;
    } else if (hasBody64) {
        if (!body64.isString())
            return fail(error, QStringLiteral("field body_base64 must be a string"));
        if (fastDecodedOk) {
            r.body = std::move(fastDecoded);
        } else {
            // Named and const: the in-place (rvalue) overload must never write into the request bytes.
            const QByteArray encoded =
                fastBody64 ? QByteArray::fromRawData(json.constData() + body64Begin, body64End - body64Begin)
                           : body64.toString().toLatin1();
            const auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return fail(error, QStringLiteral("field body_base64 is not valid base64"));
            r.body = decoded.decoded;
        }
        r.hasBody = true;
    }

    *request = std::move(r);
    return true;
}

bool EgressBodyFollower::feed(const char *data, qsizetype size, QByteArray *decoded) {
    qsizetype i = 0;
    const qsizetype base = m_seen;
    m_seen += size;
    while (i < size && m_state != State::Stopped) {
        if (m_state == State::Body64) {
            i += feedBody64(data + i, size - i, base + i, decoded);
            continue;
        }
        if (m_state == State::BodyText) {
            i += feedBodyText(data + i, size - i, decoded);
            continue;
        }
        const char c = data[i++];
        switch (m_state) {
        case State::Start:
            if (!isJsonSpace(c))
                m_state = c == '{' ? State::BeforeKey : State::Stopped;
            break;
        case State::BeforeKey:
            if (!isJsonSpace(c)) {
                m_key.clear();
                m_state = c == '"' ? State::Key : State::Stopped;
            }
            break;
        case State::Key:
            if (c == '"')
                m_state = State::AfterKey;
            else if (c == '\\' || m_key.size() >= 64)
                m_state = State::Stopped; // an escaped key might spell a body member
            else
                m_key += c;
            break;
        case State::AfterKey:
            if (!isJsonSpace(c))
                m_state = c == ':' ? State::BeforeValue : State::Stopped;
            break;
        case State::BeforeValue:
            if (isJsonSpace(c))
                break;
            if (c == '"' && (m_key == "body_base64" || m_key == "body")) {
                m_state = m_key == "body" ? State::BodyText : State::Body64;
                m_body64Begin = base + i;
                break;
            }
            m_state = State::Value;
            m_depth = 0;
            m_inString = false;
            m_escape = false;
            --i; // the value's first character is the skipper's too
            break;
        case State::Value:
            if (m_inString) {
                if (m_escape)
                    m_escape = false;
                else if (c == '\\')
                    m_escape = true;
                else if (c == '"') {
                    m_inString = false;
                    if (m_depth == 0)
                        m_state = State::AfterValue;
                }
            } else if (c == '"') {
                m_inString = true;
            } else if (c == '{' || c == '[') {
                ++m_depth;
            } else if (c == '}' || c == ']') {
                if (m_depth == 0)
                    m_state = State::Stopped; // the object ended without a body
                else if (--m_depth == 0)
                    m_state = State::AfterValue;
            } else if (c == ',' && m_depth == 0) {
                m_state = State::BeforeKey;
            }
            break;
        case State::AfterValue:
            if (!isJsonSpace(c))
                m_state = c == ',' ? State::BeforeKey : State::Stopped;
            break;
        default:
            m_state = State::Stopped;
            break;
        }
    }
    return m_state != State::Stopped;
}

// Whole quanta of base64 alphabet, then the closing quote (after one or two '=' of padding):
// the string was decoded whole. Anything else stops.
qsizetype EgressBodyFollower::feedBody64(const char *data, qsizetype size, qsizetype at, QByteArray *decoded) {
    const auto &t = kBase64.shifted;
    const auto *u = reinterpret_cast<const unsigned char *>(data);
    qsizetype i = 0;
    auto stopAt = [&](qsizetype k) { // data[k] is not base64 alphabet
        if (data[k] == '"' && m_quantumSize == 0 && m_padding == 0) {
            m_body64End = at + k;
        } else if (data[k] == '=' && m_padding < 4 - m_quantumSize && m_quantumSize >= 2) {
            ++m_padding; // 'xx==' or 'xxx=': the quantum's bytes are added at the quote
            return false;
        } else if (data[k] == '"' && m_padding > 0 && m_quantumSize + m_padding == 4) {
            const auto *q = reinterpret_cast<const unsigned char *>(m_quantum);
            const quint32 v = t[0][q[0]] | t[1][q[1]] | (m_quantumSize == 3 ? t[2][q[2]] : 0);
            decoded->append(char(v >> 16));
            if (m_quantumSize == 3)
                decoded->append(char(v >> 8));
            m_quantumSize = 0;
            m_body64End = at + k;
        }
        m_state = State::Stopped;
        return true;
    };
    // A quantum begun in an earlier piece.
    while (m_quantumSize > 0 && m_quantumSize < 4 && i < size) {
        if (m_padding > 0 || !isBase64Char(data[i]) || data[i] == '=') {
            if (stopAt(i))
                return i;
            ++i;
            continue;
        }
        m_quantum[m_quantumSize++] = data[i++];
    }
    if (m_quantumSize == 4) {
        const auto *q = reinterpret_cast<const unsigned char *>(m_quantum);
        const quint32 v = t[0][q[0]] | t[1][q[1]] | t[2][q[2]] | t[3][q[3]];
        const char out[3] = {char(v >> 16), char(v >> 8), char(v)};
        decoded->append(out, 3);
        m_quantumSize = 0;
    }
    // Whole quanta straight from data, checked a block at a time (the branch stays out of the
    // inner loop); a block with anything outside the alphabet is done again up to it.
    const qsizetype whole = i + (size - i) / 4 * 4;
    const qsizetype before = decoded->size();
    decoded->resize(before + (whole - i) / 4 * 3);
    char *o = decoded->data() + before;
    while (i < whole) {
        const qsizetype blockEnd = std::min(whole, i + 4096);
        if (!(decodeQuanta(u, i, blockEnd, o) & Base64Table::kBadBit)) {
            o += (blockEnd - i) / 4 * 3;
            i = blockEnd;
            continue;
        }
        for (; i < blockEnd; i += 4) {
            const quint32 v = t[0][u[i]] | t[1][u[i + 1]] | t[2][u[i + 2]] | t[3][u[i + 3]];
            if (v & Base64Table::kBadBit)
                break;
            o += 3; // written above
        }
        break;
    }
    decoded->resize(o - decoded->constData());
    // The rest one character at a time: the string's end, padding, or a quantum to complete.
    for (; i < size; ++i) {
        if (m_padding > 0 || !isBase64Char(data[i]) || data[i] == '=') {
            if (stopAt(i))
                return i;
            continue;
        }
        if (m_quantumSize == 3) { // cannot happen after the whole quanta; never write past m_quantum
            m_state = State::Stopped;
            return i;
        }
        m_quantum[m_quantumSize++] = data[i];
    }
    return i;
}

bool EgressBodyFollower::wholeBody64(qsizetype *begin, qsizetype *end) const {
    if (m_body64End < 0)
        return false;
    *begin = m_body64Begin;
    *end = m_body64End;
    return true;
}

// The string's bytes up to the first escape, control character or quote.
qsizetype EgressBodyFollower::feedBodyText(const char *data, qsizetype size, QByteArray *decoded) {
    qsizetype i = 0;
    while (i < size && data[i] != '"' && data[i] != '\\' && static_cast<unsigned char>(data[i]) >= 0x20)
        ++i;
    decoded->append(data, i);
    if (i < size)
        m_state = State::Stopped;
    return i;
}

} // namespace airlock
