#pragma once

// Inputs shared by the benchmarks.
#include <QByteArray>
#include <QRandomGenerator>

namespace airlock::bench {

// chars lower-case hex digits: the digests and ids model-hub listings are full of.
inline QByteArray randomHex(QRandomGenerator &gen, int chars) {
    static const char digits[] = "0123456789abcdef";
    QByteArray out(chars, Qt::Uninitialized);
    for (char &c : out)
        c = digits[gen.bounded(16)];
    return out;
}

} // namespace airlock::bench
