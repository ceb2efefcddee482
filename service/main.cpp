// airlockd: parses the command line and hands over to Service, the composition root.
#include "admin/HangupNotifier.h"
#include "admin/PolicyFile.h"
#include "app/Options.h"
#include "app/Service.h"
#include "record/AuditChain.h"

#include <QCoreApplication>

#include <csignal>
#include <cstdio>

#ifdef __GLIBC__
#include <malloc.h>
#endif

int main(int argc, char *argv[]) {
    // Qt's own event loop instead of GLib's: GLib's wakes the main thread with a system call
    // for every cross-thread event; Qt's coalesces them. Measured: about 40% less CPU per GiB
    // streamed while the upstream client was QNAM with its HTTP thread (docs/PERFORMANCE.md).
    qputenv("QT_NO_GLIB", "1");
#ifdef __GLIBC__
    // A 10 MB upload needs a handful of 10-14 MB buffers (request, decoded body, inspection views).
    // With glibc's sliding thresholds, whether they come back from a warm heap or from fresh
    // mmaps (a page fault per 4 KiB, ~55 ms per 13 MB on these VMs) depended on the order of
    // earlier allocations: some runs of the daemon faulted ~32 MB on every upload and spent 2.5x
    // the CPU (docs/PERFORMANCE.md). Fixed thresholds keep up to 64 MiB of freed memory for the
    // next request; larger allocations (a body limit raised past 32 MiB) still go to mmap.
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
    std::signal(SIGPIPE, SIG_IGN);
    qSetMessagePattern(
        QStringLiteral("airlockd: %{if-warning}warning: %{endif}%{if-critical}error: %{endif}%{message}"));
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("airlockd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AIRLOCK_VERSION));

    airlock::Options options;
    QString error;
    bool exitNow = false;
    if (!airlock::Options::parse(app.arguments(), &options, &error, &exitNow)) {
        std::fprintf(stderr, "airlockd: %s\n", qPrintable(error));
        return 2;
    }

    if (!options.verifyAudit.isEmpty()) {
        const airlock::AuditChainCheck check = airlock::verifyAuditFile(options.verifyAudit);
        const QString summary = airlock::auditCheckSummary(options.verifyAudit, check);
        if (check.ok || check.brokenAt > 0)
            std::printf("%s\n", qPrintable(summary));
        else
            std::fprintf(stderr, "airlockd: %s\n", qPrintable(summary));
        return check.ok ? 0 : 1;
    }

    if (options.checkConfig) {
        const airlock::PolicyFileResult result = airlock::loadPolicyFile(options.configFile);
        for (const QString &problem : result.problems)
            std::fprintf(stderr, "%s\n", qPrintable(problem));
        if (!result.policy)
            return 1;
        std::printf("%s: OK\n", qPrintable(options.configFile));
        return 0;
    }

    airlock::Service service(options);
    // SIGHUP rereads the policy file, as the watcher and `airlockctl reload` do. Installed before
    // start so an early SIGHUP is not the default "terminate".
    airlock::HangupNotifier hangup;
    QObject::connect(&hangup, &airlock::HangupNotifier::hangup, &service,
                     [&service] { service.reloadPolicy(QStringLiteral("SIGHUP")); });
    if (!service.start(&error)) {
        std::fprintf(stderr, "airlockd: %s\n", qPrintable(error));
        return 1;
    }
    return app.exec();
}
