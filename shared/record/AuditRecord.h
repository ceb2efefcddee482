#pragma once

#include "base/ErrorCode.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringView>

#include <optional>

namespace airlock {

// The enums below each have exactly one name function and one from-name function. A name this
// build does not know reads as Unknown, never as the nearest guess; Unknown writes as "unknown".

// What a record is about: its JSON "event".
enum class EventKind {
    Unknown,
    Decision,     // a fetch judged, before anything is sent
    Check,        // POST /v1/egress/check: judged, nothing sent
    Transfer,     // an allowed fetch ended (any way)
    Admin,        // a change to the Airlock itself
    PullStarted,  // a model pull began (or resumed) its downloads
    PullFinished, // a model pull ended: published, failed, cancelled or stopped
};
constexpr EventKind kLastEventKind = EventKind::PullFinished;
QString eventKindName(EventKind kind);
EventKind eventKindFromName(QStringView name);

// The JSON "decision": "allowed" or "blocked".
enum class Verdict { Unknown, Allowed, Blocked };
constexpr Verdict kLastVerdict = Verdict::Blocked;
QString verdictName(Verdict verdict);
Verdict verdictFromName(QStringView name);

// How a transfer ended: its JSON "outcome". None (no name, not written) on every other record.
enum class TransferOutcome {
    None,
    Unknown,
    Complete,
    Refused,          // the Airlock refused a redirect hop or the address it resolved to
    UpstreamFailed,   // network, TLS, timeout, or the upstream broke off
    ClientAborted,    // the caller went away first
    ResponseTooLarge, // past the policy's max_response_size
    // How a model pull ended (pull_finished records):
    Published, // every file verified and moved into place
    Failed,    // code says why; partial files are kept for a resume
    Cancelled, // by an administrator or a client with the token
    Stopped,   // the Airlock was disabled or locked down; partial files kept
    // A fetch cut to give its upstream slot to a waiting request: its client had been reading
    // too slowly for too long (api/Transfers).
    Preempted,
    CutByLockdown, // a fetch cut mid-transfer because the Airlock was locked down
};
constexpr TransferOutcome kLastTransferOutcome = TransferOutcome::CutByLockdown;
QString outcomeName(TransferOutcome outcome);
TransferOutcome outcomeFromName(QStringView name);

// What an administrator (or the policy file) changed: an admin record's JSON "action".
// AuditRotated: the first record of an audit file that continues a rotated one (written by the
// log itself, so the oldest file kept still shows that nothing before it was cut off by hand).
enum class AdminAction { Unknown, PolicyChanged, Lockdown, Unlock, AuditRotated };
constexpr AdminAction kLastAdminAction = AdminAction::AuditRotated;
QString adminActionName(AdminAction action);
AdminAction adminActionFromName(QStringView name);

// One decision, check, finished transfer or admin change, as the audit log writes it, the admin
// channel publishes it and the panel and airlockctl read it: one shape, one set of names.
//
// Only what is safe to keep: never a query string, a header value or a body. A lockdown reason
// is free text too and stays in the latch file.
//
// JSON fields (recordToJson writes them, recordFromJson reads them):
//   time         string  ISO 8601 UTC with milliseconds ("2024-05-01T12:00:00.000Z")
//   event        string  EventKind: decision | check | transfer | admin (required)
// decision, check and transfer records:
//   id           string  the request's id (also the X-Airlock-Request-Id answer header)
//   method       string  canonical method; "invalid" when the caller's was not one
//   host         string  left empty when the host itself may hold a finding
//   path         string  without query; left empty unless the URL was scanned and found clean
//   decision     string  Verdict: allowed | blocked
//   code         string  ErrorCode's codeName: "ok" when allowed
//   rule         string  the rule or allowlist entry involved (written only when there is one)
//   where        string  where a finding was: "url", "body", "header:NAME" (the name, never the
//                        value); only when there is one
//   status       number  HTTP status answered (0 when none yet)
//   bytes_up     number  request bytes sent upstream: request lines, headers and bodies
//   bytes_down   number  response body bytes delivered to the caller
//   duration_ms  number  from the start of the upstream exchange to its end
//   redirects    number  redirect hops followed
//   outcome      string  TransferOutcome (transfer and pull_finished records only)
//   source       string  pull records: the pull's source in canonical form ("hf:org/repo@rev")
//   caller       string  the appliance service that asked (its X-SecAI-Service header), when named
// admin records:
//   action       string  AdminAction: policy_changed | lockdown | unlock | audit_rotated
//   by           string  who or what made the change: the admin peer, a reload's trigger
// The audit log adds "prev", the hash chain; readers ignore fields they do not know.
struct AuditRecord {
    EventKind event = EventKind::Unknown;
    QString requestId;
    QString method;
    QString host;
    QString path;
    Verdict verdict = Verdict::Unknown;
    // nullopt: a code this build does not know (written by a newer service).
    std::optional<ErrorCode> code = ErrorCode::None;
    QString rule;
    QString where;
    int status = 0;
    qint64 bytesUp = 0;
    qint64 bytesDown = 0;
    qint64 durationMs = 0;
    int redirects = 0;
    TransferOutcome outcome = TransferOutcome::None;
    QString source;
    QString caller;
    AdminAction action = AdminAction::Unknown;
    QString by;

    bool allowed() const { return verdict == Verdict::Allowed; }
    bool operator==(const AuditRecord &) const = default;
};

// The record's "code": codeName, or "unknown" for nullopt. errorCodeFromName reads it back.
QString recordCodeName(std::optional<ErrorCode> code);

QJsonObject recordToJson(const AuditRecord &record, const QDateTime &time);

// What recordFromJson read: the record and its time, or why the object is not a record.
struct RecordParse {
    AuditRecord record;
    QDateTime time; // invalid when the object has no "time"
    QString error;  // empty on success; otherwise record and time mean nothing
    bool ok() const { return error.isEmpty(); }
};

// Strict on types (a field that is present must have its type; numbers must be whole and not
// negative), tolerant of absent fields (they keep AuditRecord's defaults), deaf to fields it
// does not know. Only "event" is required.
RecordParse recordFromJson(const QJsonObject &object);

} // namespace airlock
