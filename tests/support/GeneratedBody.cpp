#include "GeneratedBody.h"

#include <cstring>

namespace airlock::test::generated {

const QByteArray &pattern(qint64 extra) {
    static const qint64 kExtra = 1024 * 1024;
    static const QByteArray buffer = [] {
        QByteArray b(kPeriod + kExtra, Qt::Uninitialized);
        for (qint64 i = 0; i < b.size(); ++i)
            b[i] = byteAt(i);
        return b;
    }();
    Q_ASSERT(extra <= kExtra);
    Q_UNUSED(extra);
    return buffer;
}

QByteArray slice(qint64 offset, qint64 size) {
    QByteArray out;
    out.reserve(size);
    const QByteArray &p = pattern();
    const qint64 maxRun = p.size() - kPeriod;
    while (size > 0) {
        const qint64 run = qMin(size, maxRun);
        out.append(p.constData() + offset % kPeriod, run);
        offset += run;
        size -= run;
    }
    return out;
}

qint64 firstMismatch(qint64 offset, const char *data, qint64 size) {
    const QByteArray &p = pattern();
    const qint64 maxRun = p.size() - kPeriod;
    qint64 done = 0;
    while (done < size) {
        const qint64 run = qMin(size - done, maxRun);
        const char *expected = p.constData() + (offset + done) % kPeriod;
        if (std::memcmp(expected, data + done, size_t(run)) != 0) {
            for (qint64 i = 0; i < run; ++i) {
                if (expected[i] != data[done + i])
                    return done + i;
            }
        }
        done += run;
    }
    return -1;
}

} // namespace airlock::test::generated
