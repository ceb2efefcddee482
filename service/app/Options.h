#pragma once

#include "upstream/ConnectTo.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

namespace airlock {

// airlockd's command line.
struct Options {
    QString configFile = QStringLiteral("/var/lib/secure-ai/airlock/policy.yaml");
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 listenPort = 8490;
    QString stateDir = QStringLiteral("/var/lib/secure-ai/airlock");
    QString adminSocket = QStringLiteral("/run/secure-ai-airlock/admin.sock");
    QString tokenFile; // default <state-dir>/api.token
    QString caFile;
    QString pullDir = QStringLiteral("/var/lib/secure-ai/quarantine/incoming"); // where model pulls publish
    QList<ConnectTo> connectTo;
    bool checkConfig = false;
    QString verifyAudit; // --verify-audit FILE: check the audit log's chain and exit

    // Parses arguments (argv[0] included). On error returns false and sets *error; --help and
    // --version print and set *exitNow.
    static bool parse(const QStringList &arguments, Options *options, QString *error, bool *exitNow);
};

// "127.0.0.1:8490", "[::1]:8490". Port 0 picks a free port.
bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port, QString *error);

} // namespace airlock
