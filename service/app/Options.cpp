#include "app/Options.h"

#include <QCommandLineParser>
#include <QDir>

namespace airlock {

bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port, QString *error) {
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0) {
        *error = QStringLiteral("--listen expects ADDR:PORT, got \"%1\"").arg(text);
        return false;
    }
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint p = text.mid(colon + 1).toUInt(&ok);
    QHostAddress a;
    if (!a.setAddress(host) || !ok || p > 65535) {
        *error = QStringLiteral("--listen expects an IP address and a port, got \"%1\"").arg(text);
        return false;
    }
    *address = a;
    *port = quint16(p);
    return true;
}

bool Options::parse(const QStringList &arguments, Options *o, QString *error, bool *exitNow) {
    *exitNow = false;
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Secure AI Airlock: the sanitized egress proxy of the appliance."));
    p.addHelpOption();
    p.addVersionOption();
    const QCommandLineOption config(QStringLiteral("config"), QStringLiteral("Policy file."), QStringLiteral("FILE"),
                                    o->configFile);
    const QCommandLineOption listen(QStringLiteral("listen"), QStringLiteral("API address (loopback only)."),
                                    QStringLiteral("ADDR:PORT"), QStringLiteral("127.0.0.1:8490"));
    const QCommandLineOption state(QStringLiteral("state-dir"), QStringLiteral("State folder (token, audit log)."),
                                   QStringLiteral("DIR"), o->stateDir);
    const QCommandLineOption admin(QStringLiteral("admin-socket"), QStringLiteral("Admin channel socket."),
                                   QStringLiteral("PATH"), o->adminSocket);
    const QCommandLineOption token(QStringLiteral("token-file"),
                                   QStringLiteral("API bearer token file (default <state-dir>/api.token)."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption ca(QStringLiteral("ca-file"),
                                QStringLiteral("Extra trusted CA certificates (PEM) for upstream TLS."),
                                QStringLiteral("FILE"));
    const QCommandLineOption connectTo(QStringLiteral("connect-to"),
                                       QStringLiteral("Connect to ADDR:PORT when a request targets HOST:PORT "
                                                      "(repeatable; TLS still verifies HOST)."),
                                       QStringLiteral("HOST:PORT:ADDR:PORT"));
    const QCommandLineOption pullDir(QStringLiteral("pull-dir"),
                                     QStringLiteral("Where model pulls are published (the quarantine's incoming "
                                                    "folder)."),
                                     QStringLiteral("DIR"), o->pullDir);
    const QCommandLineOption check(QStringLiteral("check-config"),
                                   QStringLiteral("Validate the policy file, print every problem, exit 0 or 1."));
    const QCommandLineOption verify(QStringLiteral("verify-audit"),
                                    QStringLiteral("Check an audit log's hash chain, print the first break, exit 0 "
                                                   "or 1 (no service is started)."),
                                    QStringLiteral("FILE"));
    p.addOptions({config, listen, state, admin, token, ca, connectTo, pullDir, check, verify});

    if (!p.parse(arguments)) {
        *error = p.errorText();
        return false;
    }
    if (p.isSet(QStringLiteral("help"))) {
        p.showHelp(0); // exits
    }
    if (p.isSet(QStringLiteral("version"))) {
        p.showVersion(); // exits
    }
    if (!p.positionalArguments().isEmpty()) {
        *error = QStringLiteral("unexpected argument: %1").arg(p.positionalArguments().first());
        return false;
    }
    o->configFile = p.value(config);
    o->stateDir = p.value(state);
    o->adminSocket = p.value(admin);
    o->tokenFile = p.isSet(token) ? p.value(token) : QDir(o->stateDir).filePath(QStringLiteral("api.token"));
    o->caFile = p.value(ca);
    o->pullDir = QDir::cleanPath(QDir(p.value(pullDir)).absolutePath());
    o->checkConfig = p.isSet(check);
    o->verifyAudit = p.value(verify);
    if (!parseListenAddress(p.value(listen), &o->listenAddress, &o->listenPort, error))
        return false;
    for (const QString &spec : p.values(connectTo)) {
        QString why;
        const auto mapping = parseConnectTo(spec, &why);
        if (!mapping) {
            *error = QStringLiteral("--connect-to %1: %2").arg(spec, why);
            return false;
        }
        o->connectTo.append(*mapping);
    }
    return true;
}

} // namespace airlock
