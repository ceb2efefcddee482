#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace airlock::test {

// The deterministic body TestUpstream serves: byte i is a function of i alone, so a client can
// check a multi-GB download byte for byte without storing it. The sequence repeats every
// kPeriod bytes, a prime, so a lost, duplicated or shifted chunk of any power-of-two size is
// detected; the server streams from one precomputed buffer.
namespace generated {

inline constexpr qint64 kPeriod = 65521;

inline char byteAt(qint64 i) {
    const quint32 j = quint32(i % kPeriod);
    return char(quint8((j * 2654435761u) >> 13) ^ quint8(j));
}

// kPeriod + extra bytes of the sequence, so any slice of up to `extra` bytes starting anywhere
// is contiguous at offset (start % kPeriod).
const QByteArray &pattern(qint64 extra = 1024 * 1024);

// Bytes [offset, offset + size) of the sequence.
QByteArray slice(qint64 offset, qint64 size);

// Index (relative to data) of the first byte that differs from the sequence at offset, or -1.
qint64 firstMismatch(qint64 offset, const char *data, qint64 size);
inline qint64 firstMismatch(qint64 offset, const QByteArray &data) {
    return firstMismatch(offset, data.constData(), data.size());
}

} // namespace generated

// Checks a stream chunk by chunk against the sequence starting at startOffset.
class GeneratedBodyChecker {
public:
    explicit GeneratedBodyChecker(qint64 startOffset = 0)
        : m_offset(startOffset)
        , m_start(startOffset) {}

    void feed(const char *data, qint64 size) {
        if (m_mismatch < 0) {
            const qint64 bad = generated::firstMismatch(m_offset, data, size);
            if (bad >= 0)
                m_mismatch = m_offset - m_start + bad;
        }
        m_offset += size;
    }
    void feed(const QByteArray &data) { feed(data.constData(), data.size()); }

    qint64 bytesChecked() const { return m_offset - m_start; }
    bool ok() const { return m_mismatch < 0; }
    qint64 firstMismatch() const { return m_mismatch; } // relative to the start, -1 when none

private:
    qint64 m_offset;
    qint64 m_start;
    qint64 m_mismatch = -1;
};

} // namespace airlock::test
