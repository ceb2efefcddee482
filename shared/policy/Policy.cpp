#include "policy/Policy.h"
#include "policy/PolicyYaml.h"

namespace airlock {

QString AllowEntry::text() const {
    switch (kind) {
    case Kind::Host:
        return host;
    case Kind::Wildcard:
        return QStringLiteral("*.") + host;
    case Kind::UrlPrefix:
        return QStringLiteral("https://") + (port == 443 ? host : host + u':' + QString::number(port)) + pathPrefix;
    }
    return host;
}

QString PolicyProblem::toString() const {
    QString out;
    if (line > 0) {
        out = QStringLiteral("line %1").arg(line);
        if (column > 0)
            out += QStringLiteral(", column %1").arg(column);
        out += QStringLiteral(": ");
    }
    if (!path.isEmpty())
        out += path + QStringLiteral(": ");
    return out + message;
}

} // namespace airlock
