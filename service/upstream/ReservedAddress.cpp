#include "upstream/ReservedAddress.h"

#include <array>
#include <cstring>

namespace airlock {

namespace {

struct V4Range {
    quint32 base;
    int prefix;
    const char *reason;
};

// Order matters only where ranges nest: the first match names the reason.
constexpr V4Range kV4Ranges[] = {
    {0x00000000, 8, "unspecified"},           // 0.0.0.0/8 "this network"
    {0x0A000000, 8, "private"},               // 10/8
    {0x64400000, 10, "shared address space"}, // 100.64/10, CGNAT
    {0x7F000000, 8, "loopback"},              // 127/8
    {0xA9FE0000, 16, "link-local"},           // 169.254/16, cloud metadata lives here
    {0xAC100000, 12, "private"},              // 172.16/12
    {0xC0000000, 24, "reserved"},             // 192.0.0/24 IETF protocol assignments
    {0xC0000200, 24, "documentation"},        // 192.0.2/24 TEST-NET-1
    {0xC0586300, 24, "reserved"},             // 192.88.99/24 former 6to4 relay anycast
    {0xC0A80000, 16, "private"},              // 192.168/16
    {0xC6120000, 15, "benchmarking"},         // 198.18/15
    {0xC6336400, 24, "documentation"},        // 198.51.100/24 TEST-NET-2
    {0xCB007100, 24, "documentation"},        // 203.0.113/24 TEST-NET-3
    {0xE0000000, 4, "multicast"},             // 224/4
    {0xFFFFFFFF, 32, "broadcast"},            // 255.255.255.255
    {0xF0000000, 4, "reserved"},              // 240/4
};

struct V6Range {
    std::array<quint8, 16> base;
    int prefix;
    const char *reason;
};

constexpr std::array<quint8, 16> v6(std::initializer_list<quint16> groups) {
    std::array<quint8, 16> bytes{};
    int i = 0;
    for (quint16 g : groups) {
        bytes[size_t(i++)] = quint8(g >> 8);
        bytes[size_t(i++)] = quint8(g & 0xff);
    }
    return bytes;
}

// Special forms that are refused outright. Embedded-IPv4 forms other than NAT64's well-known
// prefix are refused whatever they carry: no legitimate public DNS answer uses them, and each
// is a way to smuggle a private IPv4 address past a v4-only check.
const V6Range kV6Ranges[] = {
    {v6({0, 0, 0, 0, 0, 0, 0, 0}), 128, "unspecified"},
    {v6({0, 0, 0, 0, 0, 0, 0, 1}), 128, "loopback"},
    {v6({0, 0, 0, 0, 0, 0xffff, 0, 0}), 96, "ipv4-mapped"},
    {v6({0, 0, 0, 0, 0, 0, 0, 0}), 96, "ipv4-compatible"},
    {v6({0x64, 0xff9b, 1, 0, 0, 0, 0, 0}), 48, "nat64 local-use"},
    {v6({0x100, 0, 0, 0, 0, 0, 0, 0}), 64, "discard-only"},
    {v6({0x2001, 0, 0, 0, 0, 0, 0, 0}), 32, "teredo"},
    {v6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0}), 32, "documentation"},
    {v6({0x2001, 0, 0, 0, 0, 0, 0, 0}), 23, "reserved"}, // IETF protocol assignments: ORCHID, benchmarking, ...
    {v6({0x2002, 0, 0, 0, 0, 0, 0, 0}), 16, "6to4"},
    {v6({0x3fff, 0, 0, 0, 0, 0, 0, 0}), 20, "documentation"},
    {v6({0xfc00, 0, 0, 0, 0, 0, 0, 0}), 7, "private"}, // unique local
    {v6({0xfe80, 0, 0, 0, 0, 0, 0, 0}), 10, "link-local"},
    {v6({0xfec0, 0, 0, 0, 0, 0, 0, 0}), 10, "site-local"},
    {v6({0xff00, 0, 0, 0, 0, 0, 0, 0}), 8, "multicast"},
};

const std::array<quint8, 16> kNat64WellKnown = v6({0x64, 0xff9b, 0, 0, 0, 0, 0, 0});

bool prefixMatches(const quint8 *address, const std::array<quint8, 16> &base, int prefix) {
    const int whole = prefix / 8;
    if (std::memcmp(address, base.data(), size_t(whole)) != 0)
        return false;
    const int rest = prefix % 8;
    if (rest == 0)
        return true;
    const quint8 mask = quint8(0xff << (8 - rest));
    return (address[whole] & mask) == (base[size_t(whole)] & mask);
}

QString reasonV4(quint32 address) {
    for (const V4Range &r : kV4Ranges) {
        const quint32 mask = r.prefix == 0 ? 0 : ~quint32(0) << (32 - r.prefix);
        if ((address & mask) == r.base)
            return QString::fromLatin1(r.reason);
    }
    return QString();
}

} // namespace

QString reservedAddressReason(const QHostAddress &address) {
    if (address.protocol() == QAbstractSocket::IPv4Protocol)
        return reasonV4(address.toIPv4Address());
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return QStringLiteral("not an address");

    const Q_IPV6ADDR raw = address.toIPv6Address();
    const quint8 *bytes = raw.c;
    for (const V6Range &r : kV6Ranges) {
        if (prefixMatches(bytes, r.base, r.prefix))
            return QString::fromLatin1(r.reason);
    }
    // NAT64 (RFC 6052 well-known prefix) is how IPv6-only networks reach IPv4 hosts, so it is
    // judged by the IPv4 address it carries in its last 32 bits.
    if (prefixMatches(bytes, kNat64WellKnown, 96)) {
        const quint32 embedded =
            quint32(bytes[12]) << 24 | quint32(bytes[13]) << 16 | quint32(bytes[14]) << 8 | quint32(bytes[15]);
        const QString inner = reasonV4(embedded);
        return inner.isEmpty() ? QString() : QStringLiteral("nat64 ") + inner;
    }
    if ((bytes[0] & 0xe0) != 0x20) // outside 2000::/3, the only global unicast space assigned
        return QStringLiteral("reserved");
    return QString();
}

} // namespace airlock
