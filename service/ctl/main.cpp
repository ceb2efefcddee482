// airlockctl: administers airlockd over its admin socket.
#include "Ctl.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <csignal>
#include <cstdio>

int main(int argc, char *argv[]) {
    std::signal(SIGPIPE, SIG_IGN);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("airlockctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AIRLOCK_VERSION));

    airlock::ctl::CtlOptions options;
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Administers the Secure AI Airlock (airlockd) over its admin socket.\n\n"
                       "Commands:\n"
                       "  status                  state, lockdown, counters\n"
                       "  enable | disable        turn the Airlock on or off (written to the policy file)\n"
                       "  lockdown [--reason T]   refuse every fetch until unlock (survives restarts)\n"
                       "  unlock                  clear the lockdown\n"
                       "  allow list              the allowlist\n"
                       "  allow add ENTRY         host, *.domain or https://host[:port]/path/\n"
                       "  allow remove ENTRY\n"
                       "  reload                  reread the policy file\n"
                       "  events [--follow]       recent decisions, or follow them live\n"
                       "  transfers [--follow]    downloads in progress"));
    p.addHelpOption();
    p.addVersionOption();
    const QCommandLineOption socket(QStringLiteral("socket"), QStringLiteral("Admin socket."), QStringLiteral("PATH"),
                                    options.socket);
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Machine-readable output (JSON)."));
    const QCommandLineOption reason(QStringLiteral("reason"), QStringLiteral("Why (lockdown)."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption follow(QStringLiteral("follow"), QStringLiteral("Keep printing as things happen."));
    p.addOptions({socket, json, reason, follow});
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("What to do (see above)."));
    if (!p.parse(app.arguments())) {
        std::fprintf(stderr, "airlockctl: %s\n", qPrintable(p.errorText()));
        return 2;
    }
    if (p.isSet(QStringLiteral("help")))
        p.showHelp(0);
    if (p.isSet(QStringLiteral("version")))
        p.showVersion();
    options.socket = p.value(socket);
    options.json = p.isSet(json);
    options.follow = p.isSet(follow);
    options.reason = p.value(reason);
    options.command = p.positionalArguments();

    airlock::ctl::Ctl ctl(options);
    QString error;
    if (!ctl.validate(&error)) {
        std::fprintf(stderr, "airlockctl: %s\n", qPrintable(error));
        return 2;
    }
    if ((options.follow && options.command.value(0) != QLatin1String("events") &&
         options.command.value(0) != QLatin1String("transfers")) ||
        (p.isSet(reason) && options.command.value(0) != QLatin1String("lockdown"))) {
        std::fprintf(stderr, "airlockctl: --follow goes with events or transfers, --reason with lockdown\n");
        return 2;
    }
    // From inside the event loop, so that a failure to connect can end it.
    QMetaObject::invokeMethod(&ctl, &airlock::ctl::Ctl::start, Qt::QueuedConnection);
    return app.exec();
}
