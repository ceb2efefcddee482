#include "pull/PullPlan.h"

#include <limits>

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
    // Saturating: a hostile listing of many huge sizes must not wrap round to a small total.
    qint64 total = 0;
    for (const PlannedFile &file : files) {
        if (file.size < 0 || file.size > std::numeric_limits<qint64>::max() - total)
            return std::numeric_limits<qint64>::max();
        total += file.size;
    }
    return total;
}

} // namespace airlock
