#include "Ctl.h"

#include "CtlFormat.h"

#include "base/Printable.h"

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
    if (verb == QLatin1String("pulls"))
        return count(1);
    if (verb == QLatin1String("pull")) {
        const QString sub = c.value(1);
        if (sub == QLatin1String("cancel") || sub == QLatin1String("resume"))
            return count(3);
        if (sub.isEmpty()) {
            *error = QStringLiteral("pull expects a SOURCE (hf:ORG/REPO[@REV], a Hugging Face resolve URL, "
                                    "ollama:NAME[:TAG]) or cancel|resume ID");
            return false;
        }
        return count(2);
    }
    if (verb == QLatin1String("allow")) {
        const QString sub = c.value(1);
        if (sub == QLatin1String("list"))
            return count(2);
        if (sub == QLatin1String("add"))
            return count(3);
        if (sub == QLatin1String("remove") && (!m_options.via.isEmpty() || !m_options.methods.isEmpty())) {
            *error = QStringLiteral("--via and --methods go with allow add");
            return false;
        }
        if (sub == QLatin1String("remove"))
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
    const bool watching = m_options.command.value(0) == QLatin1String("pull") && !m_options.detach &&
                          !m_options.dryRun && m_options.command.value(1) != QLatin1String("cancel");
    if (!m_options.follow && !watching) {
        QTimer::singleShot(30'000, this, [this] { finish(1, QStringLiteral("airlockd did not answer in 30 s")); });
    }
    m_client.connectToServer(m_options.socket);
}

void Ctl::finish(int code, const QString &message) {
    if (m_done)
        return;
    m_done = true;
    if (!message.isEmpty())
        std::fprintf(stderr, "airlockctl: %s\n", qPrintable(printableText(message)));
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
    // What the service reports holds strings from clients and upstreams (a lockdown reason, a
    // file name): each line is printed with anything a terminal would act on escaped.
    for (const QString &part : line.split(QLatin1Char('\n')))
        std::fprintf(stdout, "%s\n", qPrintable(printableText(part)));
    std::fflush(stdout);
}

void Ctl::printTransfers(const QJsonObject &snapshot) {
    if (m_options.json) {
        for (const QJsonValue &t : snapshot.value(QStringLiteral("transfers")).toArray())
            printJson(t.toObject());
        return;
    }
    printList(formatTransfers(snapshot, m_tty ? 24 : 0), QStringLiteral("(no transfers)"));
}

void Ctl::printList(const QStringList &lines, const QString &empty) {
    // With --follow on a terminal the list is redrawn in place: up over what was drawn last
    // time, clear to the end of the screen. Followed elsewhere, an empty list prints nothing.
    const bool redraw = m_tty && m_options.follow;
    if (redraw) {
        if (m_drawnLines > 0)
            std::fprintf(stdout, "\x1b[%dA", m_drawnLines);
        std::fprintf(stdout, "\x1b[J");
        m_drawnLines = lines.isEmpty() ? 1 : int(lines.size());
    }
    if (lines.isEmpty() && (redraw || !m_options.follow))
        printLine(empty);
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
            if (add && (!m_options.via.isEmpty() || !m_options.methods.isEmpty())) {
                QJsonObject object{{QStringLiteral("host"), entry}};
                if (!m_options.methods.isEmpty())
                    object.insert(QStringLiteral("methods"), QJsonArray::fromStringList(m_options.methods));
                if (!m_options.via.isEmpty())
                    object.insert(QStringLiteral("via"), QJsonArray::fromStringList(m_options.via));
                m_client.allowAdd(object, callback);
            } else if (add) {
                m_client.allowAdd(entry, callback);
            } else {
                m_client.allowRemove(entry, callback);
            }
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
    } else if (verb == QLatin1String("pull") || verb == QLatin1String("pulls")) {
        runPull();
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

void Ctl::printPulls(const QJsonObject &list) {
    if (m_options.json) {
        for (const QJsonValue &p : list.value(QStringLiteral("pulls")).toArray())
            printJson(p.toObject());
        return;
    }
    printList(formatPulls(list), QStringLiteral("(no pulls)"));
}

void Ctl::runPull() {
    const QStringList &c = m_options.command;
    if (c.value(0) == QLatin1String("pulls")) {
        const auto poll = [this] {
            m_client.send(admin::Command::ListPulls, {}, [this](const AdminReply &r) {
                if (failed(r))
                    return;
                printPulls(r.result);
                if (!m_options.follow)
                    finish(0);
            });
        };
        poll();
        if (m_options.follow) {
            auto *timer = new QTimer(this);
            connect(timer, &QTimer::timeout, this, poll);
            timer->start(1000);
        }
        return;
    }
    const QString sub = c.value(1);
    if (sub == QLatin1String("cancel")) {
        QJsonObject args{{QStringLiteral("id"), c.value(2)}, {QStringLiteral("discard"), m_options.discard}};
        m_client.send(admin::Command::CancelPull, args, [this](const AdminReply &r) {
            if (failed(r))
                return;
            if (m_options.json)
                printJson(r.result);
            else
                printLine(QStringLiteral("pull %1 %2")
                              .arg(r.result.value(QStringLiteral("id")).toString(),
                                   r.result.value(QStringLiteral("discarded")).toBool()
                                       ? QStringLiteral("removed with its partial files")
                                       : QStringLiteral("cancelled; partial files kept")));
            finish(0);
        });
        return;
    }
    const auto started = [this](const AdminReply &r) {
        if (failed(r))
            return;
        const QString id = r.result.value(QStringLiteral("id")).toString();
        if (m_options.detach) {
            if (m_options.json)
                printJson(r.result);
            else
                printLine(QStringLiteral("pull %1 %2").arg(id, r.result.value(QStringLiteral("state")).toString()));
            return finish(0);
        }
        if (!m_options.json && !m_tty)
            printLine(QStringLiteral("pull %1 of %2").arg(id, r.result.value(QStringLiteral("source")).toString()));
        watchPull(id);
    };
    if (sub == QLatin1String("resume")) {
        m_client.send(admin::Command::ResumePull, {{QStringLiteral("id"), c.value(2)}}, started);
        return;
    }
    QJsonObject args{{QStringLiteral("source"), sub}, {QStringLiteral("dry_run"), m_options.dryRun}};
    if (!m_options.include.isEmpty())
        args.insert(QStringLiteral("include"), QJsonArray::fromStringList(m_options.include));
    if (!m_options.exclude.isEmpty())
        args.insert(QStringLiteral("exclude"), QJsonArray::fromStringList(m_options.exclude));
    if (m_options.dryRun) {
        m_client.send(admin::Command::StartPull, args, [this](const AdminReply &r) {
            if (failed(r))
                return;
            if (m_options.json)
                printJson(r.result);
            else
                printLine(formatPullPlan(r.result));
            finish(0);
        });
        return;
    }
    m_client.send(admin::Command::StartPull, args, started);
}

void Ctl::watchPull(const QString &id) {
    // One progress line, redrawn in place on a terminal; elsewhere a line when it changes state.
    auto *timer = new QTimer(this);
    const auto poll = [this, id, timer] {
        m_client.send(admin::Command::GetPull, {{QStringLiteral("id"), id}}, [this, timer](const AdminReply &r) {
            if (failed(r))
                return;
            const QJsonObject &p = r.result;
            const QString state = p.value(QStringLiteral("state")).toString();
            const bool ended = state != QLatin1String("queued") && state != QLatin1String("downloading") &&
                               state != QLatin1String("publishing");
            if (m_options.json) {
                if (ended)
                    printJson(p);
            } else if (m_tty) {
                std::fprintf(stdout, "\r\x1b[K%s", qPrintable(printableText(formatPullProgress(p, 30))));
                if (ended)
                    std::fprintf(stdout, "\n");
                std::fflush(stdout);
            } else if (state != m_lastPullLine) {
                printLine(QStringLiteral("%1: %2").arg(state, formatPullProgress(p, 0)));
                m_lastPullLine = state;
            }
            if (!ended)
                return;
            timer->stop();
            if (state == QLatin1String("published")) {
                if (!m_options.json)
                    printLine(
                        QStringLiteral("published: %1").arg(p.value(QStringLiteral("published_path")).toString()));
                return finish(0);
            }
            const QJsonObject error = p.value(QStringLiteral("error")).toObject();
            finish(1, QStringLiteral("pull %1: %2%3")
                          .arg(state, error.value(QStringLiteral("code")).toString(),
                               error.contains(QStringLiteral("message"))
                                   ? QStringLiteral(": ") + error.value(QStringLiteral("message")).toString()
                                   : QString()));
        });
    };
    connect(timer, &QTimer::timeout, this, poll);
    timer->start(500);
    poll();
}

} // namespace airlock::ctl
