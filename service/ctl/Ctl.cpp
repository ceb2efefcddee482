#include "Ctl.h"

#include "CtlFormat.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <unistd.h>

namespace airlock::ctl {

using admin::AdminReply;

Ctl::Ctl(CtlOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_tty(::isatty(STDOUT_FILENO) == 1) {}

bool Ctl::validate(QString *error) const {
    const QStringList &c = m_options.command;
    const QString verb = c.value(0);
    const auto count = [&](qsizetype n) {
        if (c.size() == n)
            return true;
        *error = c.size() < n ? QStringLiteral("\"%1\" needs more arguments").arg(c.join(QLatin1Char(' ')))
                              : QStringLiteral("unexpected argument \"%1\"").arg(c.value(n));
        return false;
    };
    if (verb.isEmpty()) {
        *error = QStringLiteral("no command given (try --help)");
        return false;
    }
    static const QStringList simple{QStringLiteral("status"),   QStringLiteral("enable"),   QStringLiteral("disable"),
                                    QStringLiteral("lockdown"), QStringLiteral("unlock"),   QStringLiteral("reload"),
                                    QStringLiteral("events"),   QStringLiteral("transfers")};
    if (simple.contains(verb))
        return count(1);
    if (verb == QLatin1String("allow")) {
        const QString sub = c.value(1);
        if (sub == QLatin1String("list"))
            return count(2);
        if (sub == QLatin1String("add") || sub == QLatin1String("remove"))
            return count(3);
        *error = QStringLiteral("allow expects list, add ENTRY or remove ENTRY");
        return false;
    }
    *error = QStringLiteral("unknown command \"%1\"").arg(verb);
    return false;
}

void Ctl::start() {
    connect(&m_client, &admin::AdminClient::ready, this, &Ctl::run);
    connect(&m_client, &admin::AdminClient::refused, this,
            [this](const QString &reason) { finish(1, QStringLiteral("refused by airlockd: ") + reason); });
    connect(&m_client, &admin::AdminClient::errorOccurred, this, [this](const QString &message) {
        if (!m_client.isReady())
            finish(1, QStringLiteral("cannot reach airlockd at ") + message);
    });
    connect(&m_client, &admin::AdminClient::disconnected, this,
            [this] { finish(1, QStringLiteral("the connection to airlockd was closed")); });
    if (!m_options.follow) {
        QTimer::singleShot(30'000, this, [this] { finish(1, QStringLiteral("airlockd did not answer in 30 s")); });
    }
    m_client.connectToServer(m_options.socket);
}

void Ctl::finish(int code, const QString &message) {
    if (m_done)
        return;
    m_done = true;
    if (!message.isEmpty())
        std::fprintf(stderr, "airlockctl: %s\n", qPrintable(message));
    std::fflush(stdout);
    QCoreApplication::exit(code);
}

bool Ctl::failed(const AdminReply &reply) {
    if (reply.ok)
        return false;
    QString message = reply.error.isEmpty() ? reply.code : reply.error;
    message.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (reply.code == QLatin1String("not_permitted"))
        message = QStringLiteral("not permitted: ") + message;
    finish(1, message);
    return true;
}

void Ctl::printJson(const QJsonObject &object) {
    std::fprintf(stdout, "%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

void Ctl::printLine(const QString &line) {
    std::fprintf(stdout, "%s\n", qPrintable(line));
    std::fflush(stdout);
}

void Ctl::printTransfers(const QJsonObject &snapshot) {
    if (m_options.json) {
        for (const QJsonValue &t : snapshot.value(QStringLiteral("transfers")).toArray())
            printJson(t.toObject());
        return;
    }
    const QStringList lines = formatTransfers(snapshot, m_tty ? 24 : 0);
    if (m_tty && m_options.follow) {
        // Redraw in place: up over what was drawn last time, clear to the end of the screen.
        if (m_drawnLines > 0)
            std::fprintf(stdout, "\x1b[%dA", m_drawnLines);
        std::fprintf(stdout, "\x1b[J");
        for (const QString &line : lines)
            std::fprintf(stdout, "%s\n", qPrintable(line));
        if (lines.isEmpty())
            std::fprintf(stdout, "(no transfers)\n");
        m_drawnLines = lines.isEmpty() ? 1 : int(lines.size());
        std::fflush(stdout);
        return;
    }
    if (lines.isEmpty() && !m_options.follow)
        printLine(QStringLiteral("(no transfers)"));
    for (const QString &line : lines)
        printLine(line);
}

void Ctl::run() {
    const QStringList &c = m_options.command;
    const QString verb = c.value(0);
    auto done = [this](const QString &human, const QJsonObject &json) {
        if (m_options.json)
            printJson(json);
        else if (!human.isEmpty())
            printLine(human);
        finish(0);
    };

    if (verb == QLatin1String("status")) {
        m_client.status([this, done](const AdminReply &r) {
            if (!failed(r))
                done(formatStatus(r.result), r.result);
        });
    } else if (verb == QLatin1String("enable") || verb == QLatin1String("disable")) {
        const bool on = verb == QLatin1String("enable");
        m_client.setEnabled(on, [this, done, on](const AdminReply &r) {
            if (failed(r))
                return;
            const bool changed = r.result.value(QStringLiteral("changed")).toBool();
            done(QStringLiteral("airlock %1%2")
                     .arg(on ? QStringLiteral("enabled") : QStringLiteral("disabled"),
                          changed ? QString() : QStringLiteral(" (it already was)")),
                 r.result);
        });
    } else if (verb == QLatin1String("lockdown")) {
        m_client.lockdown(m_options.reason, [this](const AdminReply &r) {
            if (failed(r))
                return;
            if (m_options.json)
                printJson(r.result);
            else
                printLine(QStringLiteral("lockdown set: every fetch is refused until `airlockctl unlock`"));
            if (!r.result.value(QStringLiteral("persisted")).toBool())
                return finish(1, QStringLiteral("lockdown holds, but was NOT saved and ends with a restart: ") +
                                     r.result.value(QStringLiteral("error")).toString());
            finish(0);
        });
    } else if (verb == QLatin1String("unlock")) {
        m_client.unlock([this, done](const AdminReply &r) {
            if (!failed(r))
                done(QStringLiteral("lockdown cleared"), r.result);
        });
    } else if (verb == QLatin1String("reload")) {
        m_client.reload([this, done](const AdminReply &r) {
            if (failed(r))
                return;
            const bool changed = r.result.value(QStringLiteral("changed")).toBool();
            done(changed ? QStringLiteral("policy reloaded") : QStringLiteral("policy reloaded (no change)"), r.result);
        });
    } else if (verb == QLatin1String("allow")) {
        const QString sub = c.value(1);
        if (sub == QLatin1String("list")) {
            m_client.getPolicy([this, done](const AdminReply &r) {
                if (failed(r))
                    return;
                const QJsonObject policy = r.result.value(QStringLiteral("policy")).toObject();
                done(formatAllowList(policy),
                     {{QStringLiteral("allowed_destinations"), policy.value(QStringLiteral("allowed_destinations"))}});
            });
        } else {
            const bool add = sub == QLatin1String("add");
            const QString entry = c.value(2);
            auto callback = [this, done, add](const AdminReply &r) {
                if (failed(r))
                    return;
                const QString text = r.result.value(QStringLiteral("entry")).toString();
                const bool changed = r.result.value(QStringLiteral("changed")).toBool();
                done(QStringLiteral("%1 %2%3").arg(add ? QStringLiteral("allowed:") : QStringLiteral("removed:"), text,
                                                   changed ? QString() : QStringLiteral(" (no change)")),
                     r.result);
            };
            if (add)
                m_client.allowAdd(entry, callback);
            else
                m_client.allowRemove(entry, callback);
        }
    } else if (verb == QLatin1String("events")) {
        if (m_options.follow) {
            connect(&m_client, &admin::AdminClient::decisionEvent, this, [this](const QJsonObject &e) {
                if (m_options.json)
                    printJson(e);
                else
                    printLine(formatEvent(e));
            });
            connect(&m_client, &admin::AdminClient::droppedEvent, this, [](const QJsonObject &d) {
                std::fprintf(stderr, "airlockctl: %lld event(s) dropped: this terminal did not keep up\n",
                             qint64(d.value(QStringLiteral("count")).toInteger()));
            });
            m_client.subscribeEvents([this](const AdminReply &r) { failed(r); });
        } else {
            m_client.recentEvents(1000, [this](const AdminReply &r) {
                if (failed(r))
                    return;
                for (const QJsonValue &e : r.result.value(QStringLiteral("events")).toArray()) {
                    if (m_options.json)
                        printJson(e.toObject());
                    else
                        printLine(formatEvent(e.toObject()));
                }
                finish(0);
            });
        }
    } else if (verb == QLatin1String("transfers")) {
        if (m_options.follow) {
            connect(&m_client, &admin::AdminClient::transfersEvent, this, &Ctl::printTransfers);
            m_client.subscribeTransfers([this](const AdminReply &r) {
                if (!failed(r))
                    printTransfers(r.result);
            });
        } else {
            m_client.listTransfers([this](const AdminReply &r) {
                if (failed(r))
                    return;
                printTransfers(r.result);
                finish(0);
            });
        }
    }
}

} // namespace airlock::ctl
