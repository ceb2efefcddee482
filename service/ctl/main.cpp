// airlockctl: administers airlockd over its admin socket.
#include "Ctl.h"
#include "base/Printable.h"
#include "record/AuditChain.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <csignal>
#include <cstdio>

int main(int argc, char *argv[]) {
    std::signal(SIGPIPE, SIG_IGN);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("airlockctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AIRLOCK_VERSION));

    airlock::ctl::CtlOptions options;
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Administers the Secure AI Airlock (airlockd) over its admin socket.\n\n"
        "Commands:\n"
        "  status                  state, lockdown, counters\n"
        "  enable | disable        turn the Airlock on or off (written to the policy file)\n"
        "  lockdown [--reason T]   refuse every fetch until unlock (survives restarts)\n"
        "  unlock                  clear the lockdown\n"
        "  allow list              the allowlist\n"
        "  allow add ENTRY [--methods GET,HEAD] [--via ORIGIN]...\n"
        "                          host, *.domain or https://host[:port]/path/; --via: reached\n"
        "                          only through a redirect from ORIGIN (shared storage)\n"
        "  allow remove ENTRY\n"
        "  reload                  reread the policy file\n"
        "  events [--follow]       recent decisions, or follow them live\n"
        "  transfers [--follow]    downloads in progress\n"
        "  pull SOURCE [--include GLOB]... [--exclude GLOB]... [--dry-run] [--detach]\n"
        "                          download a model into the quarantine folder, verified:\n"
        "                          hf:ORG/REPO[@REV], https://huggingface.co/ORG/REPO/resolve/REV/PATH,\n"
        "                          ollama:[NS/]NAME[:TAG]\n"
        "  pulls [--follow]        model pulls and their state\n"
        "  pull cancel ID [--discard]   stop a pull (--discard: remove its partial files too)\n"
        "  pull resume ID          continue a pull where it stopped\n"
        "  audit verify [FILE]     check the audit log's hash chain (default\n"
        "                          /var/lib/secure-ai/airlock/audit.jsonl); no service needed,\n"
        "                          exit 1 at the first line that does not chain"));
    p.addHelpOption();
    p.addVersionOption();
    const QCommandLineOption socket(QStringLiteral("socket"), QStringLiteral("Admin socket."), QStringLiteral("PATH"),
                                    options.socket);
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Machine-readable output (JSON)."));
    const QCommandLineOption reason(QStringLiteral("reason"), QStringLiteral("Why (lockdown)."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption follow(QStringLiteral("follow"), QStringLiteral("Keep printing as things happen."));
    const QCommandLineOption include(QStringLiteral("include"),
                                     QStringLiteral("Pull only files matching (repeatable)."), QStringLiteral("GLOB"));
    const QCommandLineOption exclude(QStringLiteral("exclude"), QStringLiteral("Skip files matching (repeatable)."),
                                     QStringLiteral("GLOB"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
                                    QStringLiteral("Show what a pull would download, download nothing."));
    const QCommandLineOption detach(QStringLiteral("detach"), QStringLiteral("Start the pull and return at once."));
    const QCommandLineOption discard(QStringLiteral("discard"),
                                     QStringLiteral("With pull cancel: remove the partial files and the pull."));
    const QCommandLineOption via(QStringLiteral("via"),
                                 QStringLiteral("With allow add: reached only through a redirect from ORIGIN "
                                                "(repeatable)."),
                                 QStringLiteral("ORIGIN"));
    const QCommandLineOption methods(QStringLiteral("methods"),
                                     QStringLiteral("With allow add: the entry's methods, comma-separated."),
                                     QStringLiteral("LIST"));
    p.addOptions({socket, json, reason, follow, include, exclude, dryRun, detach, discard, via, methods});
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
    options.include = p.values(include);
    options.exclude = p.values(exclude);
    options.dryRun = p.isSet(dryRun);
    options.detach = p.isSet(detach);
    options.via = p.values(via);
    if (p.isSet(methods))
        options.methods = p.value(methods).split(QLatin1Char(','), Qt::SkipEmptyParts);
    options.discard = p.isSet(discard);
    const bool pullStart = options.command.value(0) == QLatin1String("pull") &&
                           options.command.value(1) != QLatin1String("cancel") &&
                           options.command.value(1) != QLatin1String("resume");
    if ((!pullStart && (p.isSet(include) || p.isSet(exclude) || p.isSet(dryRun))) ||
        (p.isSet(detach) && options.command.value(0) != QLatin1String("pull")) ||
        (p.isSet(discard) && options.command.value(1) != QLatin1String("cancel"))) {
        std::fprintf(stderr, "airlockctl: --include, --exclude and --dry-run go with pull SOURCE, --detach with pull, "
                             "--discard with pull cancel\n");
        return 2;
    }

    if (options.command.value(0) == QLatin1String("audit")) {
        // Reads the file itself: an incident responder checks a copy, with or without a service.
        if (options.command.value(1) != QLatin1String("verify") || options.command.size() > 3) {
            std::fprintf(stderr, "airlockctl: use audit verify [FILE]\n");
            return 2;
        }
        const QString file = options.command.value(2, QStringLiteral("/var/lib/secure-ai/airlock/audit.jsonl"));
        const airlock::AuditChainCheck check = airlock::verifyAuditFile(file);
        if (options.json) {
            QJsonObject o{{QStringLiteral("file"), file},
                          {QStringLiteral("ok"), check.ok},
                          {QStringLiteral("records"), check.records}};
            o.insert(QStringLiteral("files"), check.files);
            if (!check.ok) {
                o.insert(QStringLiteral("broken_file"), check.file);
                o.insert(QStringLiteral("broken_at"), check.brokenAt);
                o.insert(QStringLiteral("reason"), check.reason);
            }
            std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
        } else {
            std::printf("%s\n", qPrintable(airlock::auditCheckSummary(file, check)));
        }
        return check.ok ? 0 : 1;
    }

    airlock::ctl::Ctl ctl(options);
    QString error;
    if (!ctl.validate(&error)) {
        std::fprintf(stderr, "airlockctl: %s\n", qPrintable(error));
        return 2;
    }
    if ((options.follow && options.command.value(0) != QLatin1String("events") &&
         options.command.value(0) != QLatin1String("transfers") &&
         options.command.value(0) != QLatin1String("pulls")) ||
        (p.isSet(reason) && options.command.value(0) != QLatin1String("lockdown"))) {
        std::fprintf(stderr, "airlockctl: --follow goes with events, transfers or pulls, --reason with lockdown\n");
        return 2;
    }
    // From inside the event loop, so that a failure to connect can end it.
    QMetaObject::invokeMethod(&ctl, &airlock::ctl::Ctl::start, Qt::QueuedConnection);
    return app.exec();
}
