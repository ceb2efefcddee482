#pragma once

#include "gate/EgressRequest.h"
#include "policy/Policy.h"
#include "url/CanonicalUrl.h"

#include <QList>
#include <QString>

namespace airlock {

struct Finding {
    QString rule;  // stable id: "pii.us_ssn", "cred.github_token", "custom.block_if_contains"
    QString kind;  // "pii", "credential" or "custom"
    QString where; // "url", "header:<name>" or "body"
    qint64 offset = 0;
};

struct InspectionResult {
    bool uninspectable = false; // a limit or an engine error: the request must be refused
    QString reason;             // why it could not be inspected (never request content)
    QList<Finding> findings;
};

// Content inspection, the Gate's last step. It sees what would be sent (canonical URL,
// filtered headers, body) and reports findings by rule and place, never the matched text.
class Inspector final {
public:
    InspectionResult inspect(const CanonicalUrl &url, const HeaderList &headers, const QByteArray &body,
                             const ContentRules &rules) const;
};

} // namespace airlock
