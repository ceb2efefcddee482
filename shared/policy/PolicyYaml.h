#pragma once

#include "policy/Policy.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace airlock {

// One problem found in a policy file, with its location (1-based; 0 when unknown).
struct PolicyProblem {
    int line = 0;
    int column = 0;
    QString path;             // "airlock.rate_limit.requests_per_minute", "airlock.allowed_destinations[2]"
    QString message;          // "expected an integer", "unknown key", ...
    QString toString() const; // "line 3, column 5: airlock.rate_limit.requests_per_minute: expected an integer"
};

struct PolicyParseResult {
    std::optional<Policy> policy; // set only when problems is empty
    QList<PolicyProblem> problems;
    bool ok() const { return policy.has_value() && problems.isEmpty(); }
};

// Strict parse: unknown keys, wrong types, out-of-range values and invalid entries are all
// problems; every problem in the file is reported, not only the first.
PolicyParseResult parsePolicyYaml(const QByteArray &yaml);

// Serialises a policy so that parsePolicyYaml(policyToYaml(p)) == p.
QByteArray policyToYaml(const Policy &policy);

// The default policy compiled into the binaries (resources/policy.yaml).
QByteArray defaultPolicyYaml();

} // namespace airlock
