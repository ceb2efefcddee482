#pragma once

#include "base/ErrorCode.h"
#include "gate/EgressRequest.h"
#include "url/CanonicalUrl.h"

#include <QString>

namespace airlock {

// The Gate's verdict on one request or redirect hop. A refusal names the rule and where it
// applied (url, header:<name>, body), never the offending value. An allowance carries what
// may be sent: the canonical URL, the method and the headers left after filtering.
struct Decision {
    bool allowed = false;
    ErrorCode code = ErrorCode::None;
    QString message;
    QString ruleId;
    QString where;
    int retryAfterSeconds = 0;

    CanonicalUrl url; // set once the destination has been canonicalised
    bool hasUrl = false;
    QString method;     // canonical method
    HeaderList headers; // headers to forward when allowed

    static Decision refuse(ErrorCode code, QString message, QString ruleId = {}, QString where = {}) {
        Decision d;
        d.code = code;
        d.message = std::move(message);
        d.ruleId = std::move(ruleId);
        d.where = std::move(where);
        return d;
    }
};

} // namespace airlock
