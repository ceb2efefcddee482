#pragma once

#include <QString>

namespace airlock {

// Every outcome the Airlock reports. The stable string (codeName) is the API's "code" field
// and the audit record's; the HTTP status is chosen from it in exactly one place (api/).
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
};

QString codeName(ErrorCode code);

} // namespace airlock
