#pragma once

// Made-up values in real credential formats for the inspection tests; none is a real secret.
#include "inspect/Validators.h"

#include <QByteArray>

#include <string>

namespace airlock::test {

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

} // namespace airlock::test
