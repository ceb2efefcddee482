#pragma once

#include <QHostAddress>
#include <QString>

namespace airlock {

// Classifies an address the Airlock must never connect to on a DNS answer's word:
// loopback, private (RFC 1918, ULA), link-local (incl. 169.254.169.254), CGNAT, unspecified,
// multicast, broadcast, reserved, documentation and benchmarking ranges, and IPv6 forms that
// embed an IPv4 address (v4-mapped, v4-compatible, NAT64 64:ff9b::/96 and 64:ff9b:1::/48,
// 6to4 2002::/16, Teredo 2001::/32), which are judged by the address they carry or refused.
// Returns an empty string for a public address, else a short reason ("loopback", "private", ...).
QString reservedAddressReason(const QHostAddress &address);

inline bool isReservedAddress(const QHostAddress &address) {
    return !reservedAddressReason(address).isEmpty();
}

} // namespace airlock
