#pragma once
// Test helpers shared by the inspection tests: an inspection's answer as one comparable line,
// and reproducible random bytes (what a model file or an archive looks like to the rules).
#include "inspect/Inspector.h"

#include <QByteArray>
#include <QRandomGenerator>
#include <QStringList>

namespace airlock::test {

inline QString describe(const InspectionResult &r) {
    QStringList parts{r.uninspectable ? QStringLiteral("uninspectable") : QStringLiteral("inspected")};
    for (const Finding &f : r.findings)
        parts << f.rule + QLatin1Char('@') + f.where + QLatin1Char(':') + QString::number(f.offset);
    return parts.join(QLatin1Char(' '));
}

inline QByteArray randomBytes(quint32 seed, qsizetype size) {
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator(seed).fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

} // namespace airlock::test
