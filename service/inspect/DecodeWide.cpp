// UTF-16 and UTF-32 bodies: a Windows tool, a .NET or Java client or PowerShell can send text
// two or four bytes per character, in which "alice@example.com" is "a\0l\0i\0..." and no rule
// matches. Such a body also goes on as UTF-8.
#include "inspect/Decode.h"
#include "inspect/DecodeUtf8.h"

#include <algorithm>
#include <cstring>

namespace airlock::decode {

namespace {

// Code units looked at before deciding that a body without BOM and charset is not UTF-16.
constexpr qsizetype kSampleBytes = 4096;

bool asciiText(unsigned char c) {
    return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r';
}

// Code units of s[0..n) that are one ASCII text character in little-endian (*le) or big-endian
// (*be) order: that byte, and a NUL beside it.
void countAsciiUnits(const unsigned char *s, qsizetype n, qsizetype *le, qsizetype *be) {
    qsizetype l = 0;
    qsizetype b = 0;
    for (qsizetype i = 0; i + 1 < n; i += 2) {
        l += s[i + 1] == 0 && asciiText(s[i]);
        b += s[i] == 0 && asciiText(s[i + 1]);
    }
    *le = l;
    *be = b;
}

// At least half of the code units are ASCII text in one byte order.
WideCharset utf16Shape(const unsigned char *s, qsizetype n) {
    const qsizetype units = n / 2;
    if (units < 4)
        return WideCharset::None;
    // Text without a NUL in its first bytes is not UTF-16 of ASCII: most bodies end here.
    if (!std::memchr(s, 0, size_t(std::min(n, kSampleBytes))))
        return WideCharset::None;
    qsizetype le = 0;
    qsizetype be = 0;
    // A sample first, so binary data with NULs costs 4 KB, not a pass over the body.
    const qsizetype sample = std::min(n, kSampleBytes) & ~qsizetype(1);
    countAsciiUnits(s, sample, &le, &be);
    if (std::max(le, be) * 2 < sample / 2)
        return WideCharset::None;
    countAsciiUnits(s, n, &le, &be);
    if (le >= be && le * 2 >= units)
        return WideCharset::Utf16Le;
    if (be > le && be * 2 >= units)
        return WideCharset::Utf16Be;
    return WideCharset::None;
}

// Byte order by evidence: ASCII characters put their NUL after (LE) or before (BE) them.
// Without evidence little-endian, what Windows, .NET and Python write.
WideCharset utf16Order(const unsigned char *s, qsizetype n) {
    qsizetype le = 0;
    qsizetype be = 0;
    countAsciiUnits(s, std::min(n, kSampleBytes) & ~qsizetype(1), &le, &be);
    return be > le ? WideCharset::Utf16Be : WideCharset::Utf16Le;
}

WideCharset utf32Order(const unsigned char *s, qsizetype n) {
    return n >= 4 && s[0] == 0 && s[1] == 0 && s[3] != 0 ? WideCharset::Utf32Be : WideCharset::Utf32Le;
}

} // namespace

WideCharset wideCharset(const QByteArray &in, const QByteArray &charset) {
    const auto *s = reinterpret_cast<const unsigned char *>(in.constData());
    const qsizetype n = in.size();
    // The byte order mark wins over the charset, as browsers decide.
    if (n >= 4 && s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0)
        return WideCharset::Utf32Le;
    if (n >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF)
        return WideCharset::Utf32Be;
    if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        return WideCharset::Utf16Le;
    if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        return WideCharset::Utf16Be;
    if (!charset.isEmpty()) {
        const QByteArray c = charset.toLower();
        if (c == "utf-16le" || c == "utf16le" || c == "x-utf-16le")
            return WideCharset::Utf16Le;
        if (c == "utf-16be" || c == "utf16be" || c == "x-utf-16be" || c == "unicodefffe")
            return WideCharset::Utf16Be;
        if (c == "utf-16" || c == "utf16" || c == "ucs-2" || c == "ucs2" || c == "iso-10646-ucs-2" || c == "unicode" ||
            c == "csunicode")
            return utf16Order(s, n);
        if (c == "utf-32le" || c == "utf32le")
            return WideCharset::Utf32Le;
        if (c == "utf-32be" || c == "utf32be")
            return WideCharset::Utf32Be;
        if (c == "utf-32" || c == "utf32" || c == "ucs-4" || c == "ucs4" || c == "iso-10646-ucs-4")
            return utf32Order(s, n);
    }
    return utf16Shape(s, n);
}

WideStatus wideToUtf8(const QByteArray &in, WideCharset charset, qint64 maxBytes, QByteArray *out) {
    const auto *s = reinterpret_cast<const unsigned char *>(in.constData());
    const qsizetype n = in.size();
    const bool utf32 = charset == WideCharset::Utf32Le || charset == WideCharset::Utf32Be;
    const bool le = charset == WideCharset::Utf16Le || charset == WideCharset::Utf32Le;
    const qsizetype unit = utf32 ? 4 : 2;
    auto read = [&](qsizetype i) -> char32_t {
        if (utf32) {
            return le ? char32_t(s[i]) | char32_t(s[i + 1]) << 8 | char32_t(s[i + 2]) << 16 | char32_t(s[i + 3]) << 24
                      : char32_t(s[i + 3]) | char32_t(s[i + 2]) << 8 | char32_t(s[i + 1]) << 16 | char32_t(s[i]) << 24;
        }
        return le ? char32_t(s[i]) | char32_t(s[i + 1]) << 8 : char32_t(s[i + 1]) | char32_t(s[i]) << 8;
    };
    QByteArray result;
    // UTF-8 takes at most 3 bytes per UTF-16 unit and 4 per UTF-32 unit.
    result.reserve(qsizetype(std::min<qint64>(qint64(n) / unit * (utf32 ? 4 : 3) + 4, maxBytes + 4)));
    char buf[4];
    qsizetype i = 0;
    if (n >= unit && read(0) == 0xFEFF)
        i = unit;
    for (; i + unit <= n; i += unit) {
        char32_t cp = read(i);
        if (!utf32 && cp >= 0xD800 && cp <= 0xDBFF) {
            const char32_t low = i + 2 * unit <= n ? read(i + unit) : 0;
            if (low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                i += unit;
            } else {
                cp = 0xFFFD;
            }
        } else if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            cp = 0xFFFD;
        }
        result.append(buf, encodeUtf8(cp, buf));
        if (result.size() > maxBytes)
            return WideStatus::TooLarge;
    }
    if (i < n) // a cut-off last unit
        result.append("\xEF\xBF\xBD");
    if (result.size() > maxBytes)
        return WideStatus::TooLarge;
    *out = std::move(result);
    return WideStatus::Ok;
}

} // namespace airlock::decode
