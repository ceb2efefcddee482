#pragma once

#include "policy/Policy.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace airlock {

struct PolicyFileResult {
    std::optional<Policy> policy;
    QStringList problems; // each with its location: "policy.yaml: line 3, column 5: ..."
};

// Reads and validates a policy file: the strict YAML rules of shared/ plus what only the
// service can check (custom patterns compile with RE2).
PolicyFileResult loadPolicyFile(const QString &path);

// Validation the service adds on top of parsing.
QStringList servicePolicyProblems(const Policy &policy);

// Writes data to path so that a crash leaves the old file or the new one, never a mix:
// temporary file in the same folder, fsync, rename, fsync of the folder.
bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error, int mode = 0640);

} // namespace airlock
