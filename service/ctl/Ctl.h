#pragma once

#include "AdminClient.h"

#include <QObject>
#include <QStringList>

#include <cstdio>

namespace airlock::ctl {

struct CtlOptions {
    QString socket = QStringLiteral("/run/secure-ai-airlock/admin.sock");
    bool json = false;
    bool follow = false;
    QString reason;
    QStringList include; // pull
    QStringList exclude;
    bool dryRun = false;
    bool detach = false;
    bool discard = false; // pull cancel
    QStringList via;      // allow add: origins whose redirects alone lead to the entry
    QStringList methods;  // allow add: the entry's own methods
    QStringList command;  // "status", "allow add ENTRY", ...
};

// One airlockctl run: connects, sends the command, prints the answer (or follows a stream) and
// ends the event loop with the exit code: 0 done, 1 refused or failed (a one-line reason on
// stderr), 2 usage.
class Ctl final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Ctl)
public:
    explicit Ctl(CtlOptions options, QObject *parent = nullptr);

    // Checks the command; returns false (with *error) on a usage error, before connecting.
    bool validate(QString *error) const;
    void start();

private:
    void run();
    void finish(int code, const QString &message = {});
    bool failed(const admin::AdminReply &reply);
    void printJson(const QJsonObject &object);
    void printLine(const QString &line);
    void printTransfers(const QJsonObject &snapshot);
    void printList(const QStringList &lines, const QString &empty);
    void runPull();
    void watchPull(const QString &id);
    void printPulls(const QJsonObject &list);

    CtlOptions m_options;
    admin::AdminClient m_client;
    bool m_done = false;
    bool m_tty = false;
    int m_drawnLines = 0;
    QString m_lastPullLine;
};

} // namespace airlock::ctl
