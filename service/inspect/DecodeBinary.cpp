// Base64 runs, MIME transfer encodings and gzip/deflate.
#include "inspect/Decode.h"
#include "inspect/DecodeUtf8.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <zlib.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace airlock::decode {

// DecodeArchive.cpp
InflateStatus bunzip2(const QByteArray &in, qint64 maxBytes, int maxRatio, QByteArray *out);

namespace {

// Both alphabets at once: '+' and '-' are 62, '/' and '_' are 63.
constexpr std::array<signed char, 256> kB64 = [] {
    std::array<signed char, 256> t{};
    t.fill(-1);
    for (int i = 0; i < 26; ++i) {
        t['A' + i] = static_cast<signed char>(i);
        t['a' + i] = static_cast<signed char>(26 + i);
    }
    for (int i = 0; i < 10; ++i)
        t['0' + i] = static_cast<signed char>(52 + i);
    t['+'] = t['-'] = 62;
    t['/'] = t['_'] = 63;
    return t;
}();

constexpr qsizetype kMinRun = 16;
constexpr int kPrintablePercent = 85;

struct BlockMasks {
    quint64 alphabet = 0; // bit k: byte k is in the base64/base64url alphabet
    quint64 nonHex = 0;   // bit k: ... and is not a hex digit
};

// Up to 64 bytes; bits past len stay 0.
BlockMasks classifyBlock(const unsigned char *p, qsizetype len) {
    BlockMasks m;
#ifdef __SSE2__
    if (len == 64) {
        auto range = [](__m128i v, char lo, char hi) {
            return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(char(lo - 1))),
                                 _mm_cmplt_epi8(v, _mm_set1_epi8(char(hi + 1))));
        };
        for (int k = 0; k < 4; ++k) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16 * k));
            const __m128i digit = range(v, '0', '9');
            const __m128i hexLetter = _mm_or_si128(range(v, 'a', 'f'), range(v, 'A', 'F'));
            const __m128i otherLetter = _mm_or_si128(range(v, 'g', 'z'), range(v, 'G', 'Z'));
            const __m128i symbol = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('/')), _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
            const __m128i nonHex = _mm_or_si128(otherLetter, symbol);
            const __m128i alphabet = _mm_or_si128(_mm_or_si128(digit, hexLetter), nonHex);
            m.alphabet |= quint64(unsigned(_mm_movemask_epi8(alphabet))) << (16 * k);
            m.nonHex |= quint64(unsigned(_mm_movemask_epi8(nonHex))) << (16 * k);
        }
        return m;
    }
#endif
    for (qsizetype k = 0; k < len; ++k) {
        if (kB64[p[k]] >= 0) {
            m.alphabet |= quint64(1) << k;
            if (hexValue(p[k]) < 0)
                m.nonHex |= quint64(1) << k;
        }
    }
    return m;
}

// The bits of the runs in alphabet that can matter: runs of kMinRun or more inside the block,
// and the runs touching either end (they may continue in the next or previous block). Text
// is mostly short words; dropping them keeps the run loop to the few long runs.
// Bit k: bits k..k+15 of alphabet are all set (a run of kMinRun starts there).
quint64 longRunStarts(quint64 alphabet) {
    static_assert(kMinRun == 16);
    quint64 starts = alphabet;
    starts &= starts >> 1;
    starts &= starts >> 2;
    starts &= starts >> 4;
    starts &= starts >> 8;
    return starts;
}

quint64 longRunBits(quint64 alphabet) {
    const quint64 starts = longRunStarts(alphabet);
    quint64 cover = starts;
    cover |= cover << 1;
    cover |= cover << 2;
    cover |= cover << 4;
    cover |= cover << 8;
    const quint64 head = alphabet & ~(alphabet + 1); // the trailing ones
    const int tailLength = alphabet == ~quint64(0) ? 64 : __builtin_clzll(~alphabet);
    const quint64 tail = tailLength == 0 ? 0 : ~quint64(0) << (64 - tailLength);
    return cover | head | tail;
}

// Counts bytes that cannot be part of printable UTF-8 text, as they stream by. Sequences are
// checked for shape only: this is a "mostly text" test, not a validator.
class PrintableCounter {
public:
    void add(unsigned char c) {
        if (c < 0x80) {
            bad += m_pending != 0;
            m_pending = 0;
            bad += (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
        } else if (c < 0xC0) {
            if (m_pending)
                --m_pending;
            else
                ++bad;
        } else if (c >= 0xC2 && c <= 0xF4) {
            bad += m_pending != 0;
            m_pending = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
        } else {
            ++bad;
        }
    }
    void finish() { bad += m_pending != 0; }
    qsizetype bad = 0;

private:
    int m_pending = 0;
};

// The bytes of group g (4 characters) of s[0..n): 3, or fewer for the last partial group.
inline int decodeGroup(const unsigned char *s, qsizetype n, qsizetype i, unsigned char *bytes) {
    const qsizetype rest = qMin<qsizetype>(n - i, 4);
    quint32 v = 0;
    for (qsizetype k = 0; k < 4; ++k)
        v = v << 6 | (k < rest ? quint32(kB64[s[i + k]]) : 0u);
    bytes[0] = static_cast<unsigned char>(v >> 16);
    bytes[1] = static_cast<unsigned char>(v >> 8);
    bytes[2] = static_cast<unsigned char>(v);
    return rest == 4 ? 3 : int(rest) - 1; // a lone trailing character carries no byte
}

// Whether s[0..n) (all in the alphabet) decodes to mostly printable text. Gives up as soon as
// more than 15% of the output cannot be printable, which random data does within a few groups,
// so the many runs of clean traffic that are not base64 cost little and allocate nothing.
bool decodesPrintable(const unsigned char *s, qsizetype n) {
    const qsizetype budget = (n * 3 / 4) * (100 - kPrintablePercent) / 100;
    PrintableCounter counter;
    qsizetype i = 0;
    for (; i + 4 <= n; i += 4) {
        const quint32 v = quint32(kB64[s[i]]) << 18 | quint32(kB64[s[i + 1]]) << 12 | quint32(kB64[s[i + 2]]) << 6 |
                          quint32(kB64[s[i + 3]]);
        counter.add(static_cast<unsigned char>(v >> 16));
        counter.add(static_cast<unsigned char>(v >> 8));
        counter.add(static_cast<unsigned char>(v));
        if (counter.bad > budget)
            return false;
    }
    unsigned char bytes[3];
    const int count = i < n ? decodeGroup(s, n, i, bytes) : 0;
    for (int k = 0; k < count; ++k)
        counter.add(bytes[k]);
    counter.finish();
    return counter.bad <= budget && n >= 2;
}

void decodeAppend(const unsigned char *s, qsizetype n, QByteArray *out) {
    const qsizetype base = out->size();
    out->resize(base + n / 4 * 3 + 3);
    auto *w = reinterpret_cast<unsigned char *>(out->data() + base);
    for (qsizetype i = 0; i < n; i += 4)
        w += decodeGroup(s, n, i, w);
    out->truncate(reinterpret_cast<char *>(w) - out->constData());
}

// Runs already found not to decode to text, by content. Listings repeat the same ids, tags
// and file names thousands of times; each is tried once per call. Entries hold the bytes
// themselves, so a hit is an exact repeat, never a hash collision.
class RejectedRuns {
public:
    RejectedRuns() { m_length.fill(0); }
    // The slot for p[0..n), or -1 for runs too long to be kept.
    static int slotOf(const unsigned char *p, qsizetype n) {
        if (n > kMaxLength)
            return -1;
        // Eight bytes a step (a byte-at-a-time hash cost more than all else in the run walk);
        // collisions only cost a memcmp.
        quint64 h = quint64(n) * 0x9E3779B97F4A7C15ull;
        qsizetype i = 0;
        for (; i + 8 <= n; i += 8) {
            quint64 word;
            std::memcpy(&word, p + i, 8);
            h = (h ^ word) * 0xFF51AFD7ED558CCDull;
            h ^= h >> 29;
        }
        quint64 tail = 0;
        std::memcpy(&tail, p + i, std::size_t(n - i));
        h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
        return int((h >> 40) % kSlots);
    }
    bool contains(int slot, const unsigned char *p, qsizetype n) const {
        return slot >= 0 && m_length[std::size_t(slot)] == n &&
               std::memcmp(m_bytes[std::size_t(slot)].data(), p, std::size_t(n)) == 0;
    }
    void insert(int slot, const unsigned char *p, qsizetype n) {
        if (slot < 0)
            return;
        m_length[std::size_t(slot)] = static_cast<unsigned char>(n);
        std::memcpy(m_bytes[std::size_t(slot)].data(), p, std::size_t(n));
    }

private:
    static constexpr qsizetype kMaxLength = 64;
    static constexpr std::size_t kSlots = 512;
    std::array<unsigned char, kSlots> m_length;
    std::array<std::array<unsigned char, kMaxLength>, kSlots> m_bytes;
};

constexpr qsizetype kHexStretch = 16; // text bytes in a row that make a stretch worth scanning

// Hex digits s[0..n) (n even) decode to mostly printable text. Digests and ids decode to random
// bytes and fail within a few bytes. Listings hold tens of thousands of short hex ids (24 digits:
// 12 bytes), which random bytes pass one in a few thousand times with one byte allowed amiss:
// under 32 bytes, every byte must be text.
bool hexDecodesPrintable(const unsigned char *s, qsizetype n) {
    // Text starts with text: the first four bytes must be printable ASCII or white space, or
    // belong to a UTF-8 sequence. Nearly all digests are turned down here, with table lookups.
    static constexpr std::array<signed char, 256> kHex = [] {
        std::array<signed char, 256> t{};
        t.fill(-1);
        for (int i = 0; i < 10; ++i)
            t['0' + i] = static_cast<signed char>(i);
        for (int i = 0; i < 6; ++i)
            t['a' + i] = t['A' + i] = static_cast<signed char>(10 + i);
        return t;
    }();
    for (qsizetype k = 0; k < qMin<qsizetype>(4, n / 2); ++k) {
        const int hi = kHex[s[2 * k]];
        const int byte = hi << 4 | kHex[s[2 * k + 1]];
        const bool textByte = (byte >= 0x20 && byte < 0x7F) || byte == '\t' || byte == '\n' || byte == '\r' ||
                              (byte >= 0xC2 && byte <= 0xF4) || (k > 0 && byte >= 0x80 && byte < 0xC0);
        if (!textByte)
            return false;
    }
    const qsizetype budget = n < 64 ? 0 : (n / 2) * (100 - kPrintablePercent) / 100;
    PrintableCounter counter;
    for (qsizetype i = 0; i + 1 < n; i += 2) {
        counter.add(static_cast<unsigned char>(hexValue(s[i]) << 4 | hexValue(s[i + 1])));
        if (counter.bad > budget)
            return false;
    }
    counter.finish();
    return counter.bad <= budget;
}

void hexDecodeAppend(const unsigned char *s, qsizetype n, QByteArray *out) {
    const qsizetype base = out->size();
    out->resize(base + n / 2);
    char *w = out->data() + base;
    for (qsizetype i = 0; i + 1 < n; i += 2)
        *w++ = char(hexValue(s[i]) << 4 | hexValue(s[i + 1]));
}

// RFC 4648 base32, one case throughout: 'A'-'Z' (or 'a'-'z') and '2'-'7'.
int base32Value(unsigned char c, bool upper) {
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    if (upper ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z'))
        return c - (upper ? 'A' : 'a');
    return -1;
}

// Whether s[0..n) is base32 of mostly printable text; appends the text to out when it is.
bool base32Decode(const unsigned char *s, qsizetype n, QByteArray *out) {
    const bool upper = !(s[0] >= 'a' && s[0] <= 'z');
    for (qsizetype i = 0; i < n; ++i) {
        if (base32Value(s[i], upper) < 0)
            return false; // most runs: a word of mixed case, a '-' or '_'
    }
    const qsizetype budget = (n * 5 / 8) * (100 - kPrintablePercent) / 100;
    const qsizetype base = out->size();
    PrintableCounter counter;
    quint32 buffer = 0;
    int bits = 0;
    for (qsizetype i = 0; i < n; ++i) {
        buffer = (buffer << 5) | quint32(base32Value(s[i], upper));
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            const auto byte = static_cast<unsigned char>(buffer >> bits);
            counter.add(byte);
            if (counter.bad > budget) {
                out->truncate(base);
                return false;
            }
            out->append(char(byte));
        }
    }
    counter.finish();
    if (counter.bad > budget) {
        out->truncate(base);
        return false;
    }
    return true;
}

} // namespace

int base64Runs(const QByteArray &in, int maxJsonDepth, QByteArray *out, QByteArray *jsonOut,
               QList<QByteArray> *compressed) {
    const auto *s = reinterpret_cast<const unsigned char *>(in.constData());
    const qsizetype n = in.size();
    int decoded = 0;
    RejectedRuns rejected;
    // The text just appended to out (from chunkStart): JSON goes on to jsonOut as well.
    auto found = [&](qsizetype chunkStart) {
        const QByteArray chunk = QByteArray::fromRawData(out->constData() + chunkStart, out->size() - chunkStart);
        if (chunk.startsWith('{') || chunk.startsWith('[')) {
            QByteArray lines;
            if (jsonLines(chunk, maxJsonDepth, &lines) == JsonStatus::Ok)
                jsonOut->append(lines);
        }
        out->append('\n');
        ++decoded;
    };
    // Hex digits only (a "0x" prefix dropped): an odd digit at either end is not part of it.
    // Digests fail on their first byte or few: cheaper than the cache of rejected runs.
    auto tryHex = [&](qsizetype start, qsizetype len) {
        for (qsizetype shift = 0; shift < 2 && len - shift >= kMinRun; ++shift) {
            const qsizetype even = (len - shift) & ~qsizetype(1);
            if (hexDecodesPrintable(s + start + shift, even)) {
                const qsizetype chunkStart = out->size();
                hexDecodeAppend(s + start + shift, even, out);
                found(chunkStart);
                return;
            }
            if (len % 2 == 0)
                break;
        }
        // A run that is not text as a whole may still carry text behind a few other bytes
        // ("00" + the hex of a secret): its stretches of 16 or more text bytes are kept. Random
        // bytes hold such a stretch about once in five million positions.
        const qsizetype chunkStart = out->size();
        for (qsizetype shift = 0; shift < 1 + (len % 2) && len - shift >= 2 * kHexStretch; ++shift) {
            const unsigned char *h = s + start + shift;
            const qsizetype bytes = (len - shift) / 2;
            const auto isText = [h](qsizetype i) {
                const int c = hexValue(h[2 * i]) << 4 | hexValue(h[2 * i + 1]);
                return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r';
            };
            // Looks at the last byte of each window first and skips the whole window when it is
            // not text: a digest costs about one byte in sixteen.
            qsizetype i = 0; // in decoded bytes
            while (i + kHexStretch <= bytes) {
                qsizetype miss = -1;
                for (qsizetype k = i + kHexStretch - 1; k >= i; --k) {
                    if (!isText(k)) {
                        miss = k;
                        break;
                    }
                }
                if (miss >= 0) {
                    i = miss + 1;
                    continue;
                }
                qsizetype end = i + kHexStretch;
                while (end < bytes && isText(end))
                    ++end;
                hexDecodeAppend(h + 2 * i, 2 * (end - i), out);
                out->append('\n');
                i = end + 1;
            }
        }
        if (out->size() > chunkStart) {
            out->chop(1);
            found(chunkStart);
        }
    };
    auto tryRun = [&](qsizetype start, qsizetype len) {
        const int slot = RejectedRuns::slotOf(s + start, len);
        if (rejected.contains(slot, s + start, len))
            return;
        if (len >= kMinRun + 2 && s[start] == '0' && s[start + 1] == 'x' &&
            std::all_of(s + start + 2, s + start + len, [](unsigned char c) { return hexValue(c) >= 0; })) {
            tryHex(start + 2, len - 2);
            return;
        }
        // The run may start mid-word ("token" + base64): try each alignment.
        for (qsizetype shift = 0; shift < 4 && len - shift >= kMinRun; ++shift) {
            const unsigned char *p = s + start + shift;
            // A compressed stream (gzip "H4sI", zlib "eJ", zip "UEsD", bzip2 "Qlpo"): the caller
            // inflates it under its limits.
            unsigned char first[3];
            if (compressed && decodeGroup(p, 4, 0, first) == 3 &&
                ((first[0] == 0x1F && first[1] == 0x8B) || ((first[0] & 0x0F) == 8 && (first[0] >> 4) <= 7) ||
                 (first[0] == 'P' && first[1] == 'K') || (first[0] == 'B' && first[1] == 'Z'))) {
                unsigned char head[66];
                const qsizetype headChars = qMin<qsizetype>(len - shift, 88) & ~qsizetype(3);
                qsizetype headLength = 0;
                for (qsizetype i = 0; i < headChars; i += 4)
                    headLength += decodeGroup(p, headChars, i, head + headLength);
                if (compressedMagic(reinterpret_cast<const char *>(head), headLength) != Magic::None) {
                    QByteArray member;
                    decodeAppend(p, len - shift, &member);
                    compressed->append(member);
                    ++decoded;
                    return;
                }
            }
            if (!decodesPrintable(p, len - shift))
                continue;
            const qsizetype chunkStart = out->size();
            decodeAppend(p, len - shift, out);
            found(chunkStart);
            return;
        }
        // Base32 is base64's alphabet in one case: what did not decode as base64 may as base32.
        const qsizetype chunkStart = out->size();
        if (base32Decode(s + start, len, out)) {
            found(chunkStart);
            return;
        }
        rejected.insert(slot, s + start, len);
    };
    // Runs are found 64 bytes at a time from two bit masks: alphabet bytes, and alphabet bytes
    // that are not hex digits. Digests and other hex never come from encoding text, so a run
    // without a non-hex byte is skipped; that keeps model-hub traffic (full of sha256) cheap.
    qsizetype runStart = -1;
    bool runNonHex = false;
    for (qsizetype base = 0; base < n; base += 64) {
        const BlockMasks m = classifyBlock(s + base, qMin<qsizetype>(64, n - base));
        // Most blocks of binary data and prose hold only short runs: no run of kMinRun inside,
        // and a run coming in from the last block ends here still short. Then only the run
        // going on into the next block is kept, without walking the block's runs.
        if (m.alphabet != ~quint64(0) && !longRunStarts(m.alphabet)) {
            const int head = __builtin_ctzll(~m.alphabet);
            if (runStart < 0 || base + head - runStart < kMinRun) {
                const int tail = __builtin_clzll(~m.alphabet);
                runStart = tail > 0 ? base + 64 - tail : -1;
                runNonHex = tail > 0 && (m.nonHex >> (64 - tail)) != 0;
                continue;
            }
        }
        const quint64 alphabet = longRunBits(m.alphabet);
        int bit = 0;
        while (bit < 64) {
            if (runStart < 0) {
                const quint64 rest = alphabet >> bit;
                if (!rest)
                    break;
                bit += __builtin_ctzll(rest);
                runStart = base + bit;
                runNonHex = false;
            }
            const quint64 outside = ~alphabet >> bit;
            const int end = outside ? bit + __builtin_ctzll(outside) : 64;
            quint64 nonHex = m.nonHex >> bit;
            if (end - bit < 64)
                nonHex &= (quint64(1) << (end - bit)) - 1;
            runNonHex = runNonHex || nonHex != 0;
            if (end >= 64)
                break; // the run goes on in the next block
            if (base + end - runStart >= kMinRun) {
                if (runNonHex)
                    tryRun(runStart, base + end - runStart);
                else
                    tryHex(runStart, base + end - runStart);
            }
            runStart = -1;
            bit = end;
        }
    }
    if (runStart >= 0 && n - runStart >= kMinRun) {
        if (runNonHex)
            tryRun(runStart, n - runStart);
        else
            tryHex(runStart, n - runStart);
    }
    return decoded;
}

namespace {
// The first i >= from with s[i] == a and s[i + 1] == b, or n. Binary data holds either byte
// every 256 bytes, the pair every 64 KB: one pass over both, not a memchr call per byte found.
qsizetype nextPair(const char *s, qsizetype from, qsizetype n, char a, char b) {
    qsizetype i = from;
#ifdef __SSE2__
    const __m128i va = _mm_set1_epi8(a);
    const __m128i vb = _mm_set1_epi8(b);
    for (; i + 17 <= n; i += 16) {
        const __m128i first = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i)), va);
        const __m128i second = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(s + i + 1)), vb);
        const unsigned mask = unsigned(_mm_movemask_epi8(_mm_and_si128(first, second)));
        if (mask)
            return i + __builtin_ctz(mask);
    }
#endif
    for (; i + 1 < n; ++i) {
        if (s[i] == a && s[i + 1] == b)
            return i;
    }
    return n;
}
} // namespace

int ascii85Blocks(const QByteArray &in, QByteArray *out) {
    const char *s = in.constData();
    const qsizetype n = in.size();
    int decoded = 0;
    qsizetype pos = 0;
    while (pos < n) {
        const qsizetype found = nextPair(s, pos, n, '<', '~');
        if (found >= n)
            break;
        const char *open = s + found;
        qsizetype i = open - s + 2;
        QByteArray bytes;
        quint64 group = 0;
        int count = 0;
        bool closed = false;
        for (; i < n; ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                continue;
            if (c == '~') {
                closed = i + 1 < n && s[i + 1] == '>';
                break;
            }
            if (c == 'z' && count == 0) {
                bytes.append(4, '\0');
                continue;
            }
            if (c < '!' || c > 'u')
                break;
            group = group * 85 + (c - '!');
            if (++count == 5) {
                if (group > 0xFFFFFFFFull)
                    break;
                for (int k = 3; k >= 0; --k)
                    bytes.append(char(group >> (8 * k)));
                group = 0;
                count = 0;
            }
        }
        // Decoding resumes where this block stopped: each byte is looked at once.
        pos = qMax(i, open - s + 2);
        if (!closed)
            continue;
        if (count == 1)
            continue; // a lone last character carries no byte: not ascii85
        if (count > 1) {
            for (int k = count; k < 5; ++k)
                group = group * 85 + 84;
            for (int k = 0; k < count - 1; ++k)
                bytes.append(char(group >> (8 * (3 - k))));
        }
        pos = i + 2;
        if (bytes.size() < 8)
            continue;
        PrintableCounter counter;
        for (const char c : bytes)
            counter.add(static_cast<unsigned char>(c));
        counter.finish();
        if (counter.bad * 100 > bytes.size() * (100 - kPrintablePercent))
            continue;
        out->append(bytes).append('\n');
        ++decoded;
    }
    return decoded;
}

int hexEscapes(const QByteArray &in, QByteArray *out) {
    const char *s = in.constData();
    const qsizetype n = in.size();
    auto escapeAt = [&](qsizetype i) {
        return i + 3 < n && s[i] == '\\' && s[i + 1] == 'x' && hexValue(static_cast<unsigned char>(s[i + 2])) >= 0 &&
               hexValue(static_cast<unsigned char>(s[i + 3])) >= 0;
    };
    int decoded = 0;
    qsizetype pos = 0;
    while (pos < n) {
        const qsizetype found = nextPair(s, pos, n, '\\', 'x');
        if (found >= n)
            break;
        const char *slash = s + found;
        qsizetype i = found;
        if (!escapeAt(i)) {
            pos = i + 1;
            continue;
        }
        // A run of escapes, with the printable characters between them kept.
        QByteArray bytes;
        int escapes = 0;
        while (i < n && s[i] != '\n' && s[i] != '"' && s[i] != '\'') {
            if (escapeAt(i)) {
                bytes.append(char(hexValue(static_cast<unsigned char>(s[i + 2])) << 4 |
                                  hexValue(static_cast<unsigned char>(s[i + 3]))));
                ++escapes;
                i += 4;
            } else if (s[i] == '\\') {
                break;
            } else {
                bytes.append(s[i++]);
            }
        }
        pos = qMax(i, slash - s + 1);
        if (escapes >= 4) {
            out->append(bytes).append('\n');
            ++decoded;
        }
    }
    return decoded;
}

bool base64Strict(const QByteArray &in, QByteArray *out) {
    QByteArray clean;
    clean.reserve(in.size());
    qsizetype padding = 0;
    for (const char ch : in) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            ++padding;
            continue;
        }
        if (kB64[c] < 0 || padding > 0)
            return false;
        clean.append(ch);
    }
    if (clean.isEmpty() || padding > 2 || clean.size() % 4 == 1)
        return false;
    const auto *s = reinterpret_cast<const unsigned char *>(clean.constData());
    const qsizetype n = clean.size();
    out->clear();
    out->reserve(n * 3 / 4 + 3);
    qsizetype i = 0;
    for (; i + 4 <= n; i += 4) {
        const quint32 v = quint32(kB64[s[i]]) << 18 | quint32(kB64[s[i + 1]]) << 12 | quint32(kB64[s[i + 2]]) << 6 |
                          quint32(kB64[s[i + 3]]);
        out->append(char(v >> 16)).append(char(v >> 8)).append(char(v));
    }
    if (n - i >= 2) {
        quint32 v = quint32(kB64[s[i]]) << 18 | quint32(kB64[s[i + 1]]) << 12;
        if (n - i == 3)
            v |= quint32(kB64[s[i + 2]]) << 6;
        out->append(char(v >> 16));
        if (n - i == 3)
            out->append(char(v >> 8));
    }
    return true;
}

bool quotedPrintable(const QByteArray &in, QByteArray *out) {
    if (!in.contains('='))
        return false;
    out->clear();
    out->reserve(in.size());
    const qsizetype n = in.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char c = in[i];
        if (c != '=') {
            out->append(c);
            continue;
        }
        if (i + 1 < n && in[i + 1] == '\n') { // soft line break
            i += 1;
        } else if (i + 2 < n && in[i + 1] == '\r' && in[i + 2] == '\n') {
            i += 2;
        } else if (i + 2 < n && hexValue(static_cast<unsigned char>(in[i + 1])) >= 0 &&
                   hexValue(static_cast<unsigned char>(in[i + 2])) >= 0) {
            out->append(char(hexValue(static_cast<unsigned char>(in[i + 1])) * 16 +
                             hexValue(static_cast<unsigned char>(in[i + 2]))));
            i += 2;
        } else {
            out->append(c);
        }
    }
    return true;
}

bool quotedPrintableLines(const QByteArray &in, QByteArray *out) {
    const char *s = in.constData();
    const qsizetype n = in.size();
    auto hexAt = [&](qsizetype k) {
        return k < n && hexValue(static_cast<unsigned char>(s[k])) >= 0;
    };
    auto softBreakAt = [&](qsizetype i) { // s[i] == '='
        return (i + 1 < n && s[i + 1] == '\n') || (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n');
    };
    auto lineEnd = [&](qsizetype from) {
        const void *nl = from < n ? std::memchr(s + from, '\n', size_t(n - from)) : nullptr;
        return nl ? static_cast<const char *>(nl) - s : n;
    };
    QByteArray result;
    bool found = false;
    qsizetype pos = 0;
    while (pos < n) {
        const void *eq = std::memchr(s + pos, '=', size_t(n - pos));
        if (!eq)
            break;
        const qsizetype i = static_cast<const char *>(eq) - s;
        const bool escapes =
            hexAt(i + 1) && hexAt(i + 2) && i + 3 < n && s[i + 3] == '=' && hexAt(i + 4) && hexAt(i + 5);
        if (!escapes && !softBreakAt(i)) {
            pos = i + 1;
            continue;
        }
        qsizetype start = i;
        while (start > pos && s[start - 1] != '\n')
            --start;
        // The line, and the lines a soft break at the end of each joins to it.
        qsizetype end = lineEnd(i);
        while (end < n) {
            qsizetype last = end;
            if (last > start && s[last - 1] == '\r')
                --last;
            if (last == start || s[last - 1] != '=')
                break;
            end = lineEnd(end + 1);
        }
        QByteArray decoded;
        if (quotedPrintable(QByteArray::fromRawData(s + start, end - start), &decoded)) {
            if (found)
                result.append('\n');
            result.append(decoded);
            found = true;
        }
        pos = end + 1;
    }
    if (found)
        *out = std::move(result);
    return found;
}

InflateStatus inflate(const QByteArray &in, Coding coding, qint64 maxBytes, int maxRatio, QByteArray *out,
                      qsizetype *consumed) {
    if (coding == Coding::Bzip2)
        return bunzip2(in, maxBytes, maxRatio, out);
    const auto *s = reinterpret_cast<const unsigned char *>(in.constData());
    const qsizetype n = in.size();
    if (n < 2)
        return InflateStatus::Malformed;
    int windowBits = 15 + 16;
    if (coding == Coding::RawDeflate) {
        windowBits = -15;
    } else if (coding == Coding::Deflate) {
        // RFC 9110 says zlib-wrapped, but many clients send raw deflate: the zlib header tells.
        const bool zlibHeader = (s[0] & 0x0F) == 8 && (s[0] >> 4) <= 7 && ((s[0] << 8) | s[1]) % 31 == 0;
        windowBits = zlibHeader ? 15 : -15;
    }
    z_stream zs{};
    if (inflateInit2(&zs, windowBits) != Z_OK)
        return InflateStatus::Malformed;
    const qint64 limit = qMin(maxBytes, qint64(n) * maxRatio);
    const bool ratioBinds = qint64(n) * maxRatio < maxBytes;
    constexpr qsizetype chunk = 256 * 1024;
    out->clear();
    out->reserve(qMin<qint64>(limit, qMax<qint64>(qint64(n) * 8, chunk)) + 1);
    zs.next_in = const_cast<Bytef *>(s);
    zs.avail_in = uInt(n);
    InflateStatus status = InflateStatus::Ok;
    qint64 have = 0;
    for (;;) {
        if (out->capacity() < have + chunk)
            out->reserve(qMax<qsizetype>(out->capacity() * 2, have + chunk));
        out->resize(have + chunk);
        zs.next_out = reinterpret_cast<Bytef *>(out->data() + have);
        zs.avail_out = uInt(chunk);
        const int ret = ::inflate(&zs, Z_NO_FLUSH);
        have += chunk - zs.avail_out;
        if (have > limit) {
            status = ratioBinds ? InflateStatus::TooCompressed : InflateStatus::TooLarge;
            break;
        }
        if (ret == Z_STREAM_END) {
            if (consumed) {
                *consumed = n - qsizetype(zs.avail_in);
                break;
            }
            if (zs.avail_in == 0)
                break;
            // gzip allows concatenated members; anything else after the end is not ours to skip.
            if (coding == Coding::Gzip && zs.avail_in >= 2 && zs.next_in[0] == 0x1F && zs.next_in[1] == 0x8B &&
                inflateReset(&zs) == Z_OK)
                continue;
            status = InflateStatus::Malformed;
            break;
        }
        if (ret == Z_OK)
            continue;
        status = InflateStatus::Malformed; // Z_BUF_ERROR here means truncated input
        break;
    }
    inflateEnd(&zs);
    if (status != InflateStatus::Ok && status != InflateStatus::Malformed) {
        out->clear();
        return status;
    }
    // A broken stream keeps what it gave before it broke: a reader that stops at the error (or
    // ignores a bad checksum or trailing bytes) still sees that much.
    out->truncate(qMin<qint64>(have, out->size()));
    return status;
}

} // namespace airlock::decode
