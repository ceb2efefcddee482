#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

namespace airlock {

// Every outcome the Airlock reports. The stable string (codeName) is the API's "code" field
// and the audit record's; the HTTP status is chosen from it in exactly one place (api/).
// A new code goes at the end of the enum, and kLastErrorCode names it.
enum class ErrorCode {
    None,
    BadRequest,
    Unauthorized,
    NotFound,
    ApiMethodNotAllowed,
    Disabled,
    Lockdown,
    RateLimited,
    NotHttps,
    DestinationNotAllowed,
    MethodNotAllowed,
    ReservedAddress,
    CredentialDetected,
    PiiDetected,
    ContentBlocked,
    Uninspectable,
    BodyTooLarge,
    ResponseTooLarge,
    AuditUnavailable,
    Busy,
    UpstreamUnreachable,
    UpstreamTls,
    UpstreamTimeout,
    UpstreamFailed,
    TooManyRedirects,
    Conflict,             // the thing asked for is in a state where that cannot be done
    InsufficientStorage,  // not enough free space at a pull's destination
    UnsafePath,           // an upstream listing named a path a file may not be created at
    BadManifest,          // an upstream listing or manifest that is not what it must be
    DigestMismatch,       // a downloaded file is not the one its digest names (twice)
    OriginRefused,        // a request from a web page: an Origin header, or a Host that is not this service
    EgressBudgetExceeded, // the destination's rate_limit.upload_bytes_per_hour is spent
};
constexpr ErrorCode kLastErrorCode = ErrorCode::EgressBudgetExceeded;

QString codeName(ErrorCode code);
// The code a stable string names; nullopt for a string no code has.
std::optional<ErrorCode> errorCodeFromName(QStringView name);
// Every code, in declaration order (for tables and tests).
const QList<ErrorCode> &allErrorCodes();

} // namespace airlock
