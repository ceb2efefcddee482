#include "base/ErrorCode.h"

namespace airlock {

QString codeName(ErrorCode code) {
    switch (code) {
    case ErrorCode::None:
        return QStringLiteral("ok");
    case ErrorCode::BadRequest:
        return QStringLiteral("bad_request");
    case ErrorCode::Unauthorized:
        return QStringLiteral("unauthorized");
    case ErrorCode::NotFound:
        return QStringLiteral("not_found");
    case ErrorCode::ApiMethodNotAllowed:
        return QStringLiteral("api_method_not_allowed");
    case ErrorCode::Disabled:
        return QStringLiteral("disabled");
    case ErrorCode::Lockdown:
        return QStringLiteral("lockdown");
    case ErrorCode::RateLimited:
        return QStringLiteral("rate_limited");
    case ErrorCode::NotHttps:
        return QStringLiteral("https_required");
    case ErrorCode::DestinationNotAllowed:
        return QStringLiteral("destination_not_allowed");
    case ErrorCode::MethodNotAllowed:
        return QStringLiteral("method_not_allowed");
    case ErrorCode::ReservedAddress:
        return QStringLiteral("reserved_address");
    case ErrorCode::CredentialDetected:
        return QStringLiteral("credential_detected");
    case ErrorCode::PiiDetected:
        return QStringLiteral("pii_detected");
    case ErrorCode::ContentBlocked:
        return QStringLiteral("content_blocked");
    case ErrorCode::Uninspectable:
        return QStringLiteral("uninspectable");
    case ErrorCode::BodyTooLarge:
        return QStringLiteral("body_too_large");
    case ErrorCode::ResponseTooLarge:
        return QStringLiteral("response_too_large");
    case ErrorCode::AuditUnavailable:
        return QStringLiteral("audit_unavailable");
    case ErrorCode::Busy:
        return QStringLiteral("busy");
    case ErrorCode::UpstreamUnreachable:
        return QStringLiteral("upstream_unreachable");
    case ErrorCode::UpstreamTls:
        return QStringLiteral("upstream_tls_error");
    case ErrorCode::UpstreamTimeout:
        return QStringLiteral("upstream_timeout");
    case ErrorCode::UpstreamFailed:
        return QStringLiteral("upstream_failed");
    case ErrorCode::TooManyRedirects:
        return QStringLiteral("too_many_redirects");
    case ErrorCode::Conflict:
        return QStringLiteral("conflict");
    case ErrorCode::InsufficientStorage:
        return QStringLiteral("insufficient_storage");
    case ErrorCode::UnsafePath:
        return QStringLiteral("unsafe_path");
    case ErrorCode::BadManifest:
        return QStringLiteral("bad_manifest");
    case ErrorCode::DigestMismatch:
        return QStringLiteral("digest_mismatch");
    case ErrorCode::OriginRefused:
        return QStringLiteral("origin_refused");
    case ErrorCode::EgressBudgetExceeded:
        return QStringLiteral("egress_budget_exceeded");
    }
    return QStringLiteral("internal_error");
}

const QList<ErrorCode> &allErrorCodes() {
    static const QList<ErrorCode> codes = [] {
        QList<ErrorCode> all;
        for (int i = 0; i <= int(kLastErrorCode); ++i)
            all.append(ErrorCode(i));
        return all;
    }();
    return codes;
}

std::optional<ErrorCode> errorCodeFromName(QStringView name) {
    for (ErrorCode code : allErrorCodes()) {
        if (codeName(code) == name)
            return code;
    }
    return std::nullopt;
}

} // namespace airlock
