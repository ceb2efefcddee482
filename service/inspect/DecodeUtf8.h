#pragma once

#include <QtGlobal>

// Byte-level helpers the decoders share: hex digits and strict UTF-8.
namespace airlock::decode {

inline int hexValue(unsigned char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

// Writes cp (at most U+10FFFF) as UTF-8 into buf (4 bytes room); returns the length.
inline qsizetype encodeUtf8(char32_t cp, char *buf) {
    if (cp < 0x80) {
        buf[0] = char(cp);
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = char(0xC0 | (cp >> 6));
        buf[1] = char(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = char(0xE0 | (cp >> 12));
        buf[1] = char(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = char(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = char(0xF0 | (cp >> 18));
    buf[1] = char(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = char(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = char(0x80 | (cp & 0x3F));
    return 4;
}

// Decodes one well-formed UTF-8 sequence (no overlongs, no surrogates) at s[0..n) whose first
// byte is >= 0x80. Returns its length, or 0 when the bytes are not UTF-8.
inline qsizetype decodeUtf8(const unsigned char *s, qsizetype n, char32_t *cp) {
    const unsigned char b0 = s[0];
    auto cont = [&](qsizetype k) {
        return k < n && (s[k] & 0xC0) == 0x80;
    };
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        if (!cont(1))
            return 0;
        *cp = char32_t(b0 & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (!cont(1) || !cont(2))
            return 0;
        if ((b0 == 0xE0 && s[1] < 0xA0) || (b0 == 0xED && s[1] > 0x9F))
            return 0;
        *cp = char32_t(b0 & 0x0F) << 12 | char32_t(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3))
            return 0;
        if ((b0 == 0xF0 && s[1] < 0x90) || (b0 == 0xF4 && s[1] > 0x8F))
            return 0;
        *cp = char32_t(b0 & 0x07) << 18 | char32_t(s[1] & 0x3F) << 12 | char32_t(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
        return 4;
    }
    return 0;
}

} // namespace airlock::decode
