#pragma once

// Made-up values in real credential formats for the inspection tests; none is a real secret.
// Every token is put together at run time from a prefix and a repeated alphabet, so that no
// source file holds a complete token that scanners (or push protection) would take for a leak.
#include "inspect/Validators.h"

#include <QByteArray>

#include <cctype>
#include <string>
#include <vector>

namespace airlock::test {

// n characters cycling through alphabet with a stride of 7 (11 when 7 divides its length, so
// that every character comes round): random-looking, never a run of one character.
inline std::string repeatTo(const std::string &alphabet, size_t n, size_t shift = 0) {
    const size_t stride = alphabet.size() % 7 ? 7 : 11;
    std::string s;
    for (size_t i = 0; i < n; ++i)
        s += alphabet[(i * stride + shift) % alphabet.size()];
    return s;
}

inline const std::string kAlnum = "aB3dE5fG7hJ9kL2mN4pQ6rS8tU1vW0xYz";
inline const std::string kHex = "0123456789abcdef";
inline const std::string kUpperAlnum = "A1B2C3D4E5F6G7H8J9KLMNPQRSTUVWXYZ0";
inline const std::string kLowerAlnum = "a1b2c3d4e5f6g7h8j9klmnpqrstuvwxyz0";

// A GitHub token whose last six characters are the base62 CRC32 of the rest, as GitHub issues them.
inline std::string githubToken(const char *prefix, const std::string &random30) {
    static const char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    uint32_t crc = validators::crc32(random30);
    std::string check(6, '0');
    for (int i = 5; i >= 0; --i) {
        check[size_t(i)] = kBase62[crc % 62];
        crc /= 62;
    }
    return std::string(prefix) + random30 + check;
}

inline std::string b64url(const QByteArray &raw) {
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals).toStdString();
}

inline std::string b64(const QByteArray &raw) {
    return raw.toBase64().toStdString();
}

// An age secret key (AGE-SECRET-KEY-1 and 58 bech32 characters) with a valid checksum.
inline std::string ageSecretKey(size_t shift) {
    static const std::string kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    const std::string hrp = "age-secret-key-";
    std::vector<uint8_t> values;
    for (char c : hrp)
        values.push_back(uint8_t(uint8_t(c) >> 5));
    values.push_back(0);
    for (char c : hrp)
        values.push_back(uint8_t(uint8_t(c) & 31));
    std::vector<uint8_t> data;
    for (size_t i = 0; i < 52; ++i)
        data.push_back(uint8_t((i * 7 + shift) % 32));
    values.insert(values.end(), data.begin(), data.end());
    values.insert(values.end(), 6, 0);
    const uint32_t mod = validators::bech32Polymod(values.data(), values.size()) ^ 1;
    for (int i = 0; i < 6; ++i)
        data.push_back(uint8_t((mod >> (5 * (5 - i))) & 31));
    std::string key = "AGE-SECRET-KEY-1";
    for (uint8_t v : data)
        key += char(std::toupper(static_cast<unsigned char>(kCharset[v])));
    return key;
}

// Bytes that look random enough for a key body.
inline QByteArray noise(int n, int seed) {
    QByteArray b;
    for (int i = 0; i < n; ++i)
        b += char((i * 73 + seed * 31 + (i * i) % 251) & 0xff);
    return b;
}

} // namespace airlock::test
