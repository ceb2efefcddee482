#include "pull/PullPlan.h"

namespace airlock {

QString digestKindName(DigestKind kind) {
    switch (kind) {
    case DigestKind::Sha256:
        return QStringLiteral("sha256");
    case DigestKind::GitSha1:
        return QStringLiteral("git-sha1");
    }
    return {};
}

qint64 PullPlan::totalBytes() const {
    qint64 total = 0;
    for (const PlannedFile &file : files)
        total += file.size;
    return total;
}

} // namespace airlock
