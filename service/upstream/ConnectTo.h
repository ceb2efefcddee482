#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>

#include <optional>

namespace airlock {

// curl's --connect-to HOST:PORT:ADDR:PORT. ADDR is an IP address (IPv6 in brackets) or a
// host name resolved without the reserved-address check: it is the operator's explicit word.
struct ConnectTo {
    QString host; // canonical host
    int port = 443;
    QString address;
    int addressPort = 443;
};

std::optional<ConnectTo> parseConnectTo(const QString &spec, QString *error);

} // namespace airlock
