#include "base/HttpGrammar.h"

#include <algorithm>
#include <array>

namespace airlock::http {

namespace {

constexpr std::array<bool, 256> tcharTable() {
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c)
        t[size_t(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        t[size_t(c)] = true;
    for (int c = 'A'; c <= 'Z'; ++c)
        t[size_t(c)] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~"))
        t[size_t(static_cast<unsigned char>(c))] = true;
    return t;
}

constexpr std::array<bool, 256> kTchar = tcharTable();

bool isOneOf(QByteArrayView name, std::initializer_list<const char *> names) {
    return std::any_of(names.begin(), names.end(), [name](const char *n) { return name == QByteArrayView(n); });
}

} // namespace

bool isToken(QByteArrayView s) {
    return !s.isEmpty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return kTchar[size_t(static_cast<unsigned char>(c))]; });
}

bool isFieldValue(QByteArrayView s) {
    return std::none_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && u != '\t') || u == 0x7f;
    });
}

bool isHopByHop(QByteArrayView n) {
    return isOneOf(n, {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
                       "te", "trailer", "trailers", "transfer-encoding", "upgrade"});
}

bool isCredentialHeader(QByteArrayView n) {
    return isOneOf(n, {"authorization", "cookie", "proxy-authorization"});
}

bool isFraming(QByteArrayView n) {
    return isOneOf(n, {"host", "content-length", "expect"});
}

QSet<QByteArray> connectionListed(const HeaderList &headers) {
    QSet<QByteArray> named;
    for (const auto &[name, value] : headers) {
        if (name.compare("connection", Qt::CaseInsensitive) != 0)
            continue;
        for (const QByteArray &token : value.split(','))
            named.insert(token.trimmed().toLower());
    }
    return named;
}

} // namespace airlock::http
