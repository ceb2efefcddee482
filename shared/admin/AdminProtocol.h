#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace airlock::admin {

// The admin channel between airlockd and its clients (airlockctl, airlock-admin), over a
// local socket. Both ends use this code.
//
// Framing: a 4-byte big-endian length, then that many bytes of UTF-8 JSON (one object).
// A frame longer than MaxFrameBytes, or a payload that is not a JSON object, is a protocol
// error: the reader stops and the connection is closed.
//
// Client → server, a request:   {"v":1, "id":<int>, "cmd":"<command>", "args":{...}}
// Server → client, its answer:  {"v":1, "id":<same>, "ok":true, "result":{...}}
//                            or {"v":1, "id":<same>, "ok":false, "code":"<stable code>", "error":"<message>"}
// Server → client, unasked:     {"v":1, "event":"decision"|"transfers"|"state", "data":{...}}
// First frame from the server on every connection: {"v":1, "event":"hello",
//   "data":{"role":"admin"|"viewer", "version":"…", "protocol":1}} — or, for a peer that may not
// use the channel, {"v":1,"event":"refused","data":{"error":"…"}} and the connection closes.
inline constexpr int ProtocolVersion = 1;
inline constexpr qint64 MaxFrameBytes = 4 * 1024 * 1024;

// Typed commands; the wire name is only parsed and printed here.
enum class Command {
    Status,             // → {enabled, lockdown, lockdown_reason, version, policy_path, counters...}
    SetEnabled,         // args {enabled: bool}                          (admin)
    Lockdown,           // args {reason: string}                         (admin)
    Unlock,             // args {}                                        (admin)
    GetPolicy,          // → {policy: <policy as JSON>, yaml: "<text>"}
    AllowAdd,           // args {entry: "<entry text>" | {host, methods}} (admin)
    AllowRemove,        // args {entry: "<entry text>"}                   (admin)
    AllowReplace,       // args {entries: [ ... ]}                        (admin) one atomic change
    Reload,             // args {}                                        (admin) reread the policy file
    RecentEvents,       // args {limit?: int} → {events: [...]}
    SubscribeEvents,    // args {} → then "decision" events
    ListTransfers,      // → {transfers: [...]}
    SubscribeTransfers, // args {} → then "transfers" events a few times a second
    ListPulls,          // → {pulls: [...], free_bytes, destination}
    GetPull,            // args {id} → one pull with its files
    StartPull,          // args {source, include?, exclude?, dry_run?} → the pull, or the plan  (admin)
    CancelPull,         // args {id, discard?}                                                 (admin)
    ResumePull,         // args {id}                                                           (admin)
};

std::optional<Command> commandFromName(const QString &name);
QString commandName(Command command);
bool commandNeedsAdmin(Command command);

// Appends one frame holding object to out.
void appendFrame(QByteArray *out, const QJsonObject &object);
QByteArray frame(const QJsonObject &object);

// Incremental frame reader for a byte stream.
class FrameReader final {
public:
    enum class Status { NeedMore, Frame, Error };
    void feed(const QByteArray &bytes);
    // Takes the next complete frame, if any. After Error nothing more is read.
    Status next(QJsonObject *object);
    QString errorString() const { return m_error; }
    qint64 buffered() const { return m_buffer.size() - m_offset; }

private:
    QByteArray m_buffer;
    qsizetype m_offset = 0;
    QString m_error;
    bool m_failed = false;
};

// Message builders used by both ends.
QJsonObject request(qint64 id, Command command, const QJsonObject &args = {});
QJsonObject okResponse(qint64 id, const QJsonObject &result = {});
QJsonObject errorResponse(qint64 id, const QString &code, const QString &error);
QJsonObject event(const QString &name, const QJsonValue &data);

} // namespace airlock::admin
