// libFuzzer target: the decompression and wide-text layers of inspection on their own. The first
// byte picks what happens: the rest inflated as given (gzip or deflate, malformed input and
// bombs), or first compressed with zlib and inflated back (so the fuzzer reaches deep into valid
// streams), and the rest turned from UTF-16/UTF-32 into UTF-8. Checks the limits hold and a
// round trip gives the bytes back.
#include "FuzzRequire.h"
#include "inspect/Decode.h"

#include <QByteArray>

#include <zlib.h>

#include <cstddef>
#include <cstdint>

using namespace airlock;

namespace {

QByteArray compress(const QByteArray &in, bool gzip) {
    z_stream s{};
    if (deflateInit2(&s, 6, Z_DEFLATED, gzip ? 31 : 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(int(deflateBound(&s, uLong(in.size()))), Qt::Uninitialized);
    s.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.constData()));
    s.avail_in = uInt(in.size());
    s.next_out = reinterpret_cast<Bytef *>(out.data());
    s.avail_out = uInt(out.size());
    const int rc = deflate(&s, Z_FINISH);
    out.resize(qsizetype(s.total_out));
    deflateEnd(&s);
    return rc == Z_STREAM_END ? out : QByteArray();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    const uint8_t selector = data[0];
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    constexpr qint64 kMaxBytes = 4 * 1024 * 1024;
    constexpr int kMaxRatio = 200;
    const decode::Coding coding = selector & 1 ? decode::Coding::Gzip : decode::Coding::Deflate;

    QByteArray out;
    if (selector & 2) {
        const QByteArray packed = compress(bytes, coding == decode::Coding::Gzip);
        if (!packed.isEmpty()) {
            const decode::InflateStatus st = decode::inflate(packed, coding, kMaxBytes, kMaxRatio, &out);
            if (st == decode::InflateStatus::Ok)
                require(out == bytes, "what was compressed inflates back to the same bytes");
            else
                require(st == decode::InflateStatus::TooLarge || st == decode::InflateStatus::TooCompressed,
                        "a valid stream is refused only for a limit");
        }
    } else {
        const decode::InflateStatus st = decode::inflate(bytes, coding, kMaxBytes, kMaxRatio, &out);
        if (st == decode::InflateStatus::Ok) {
            require(out.size() <= kMaxBytes, "inflated output within maxBytes");
            require(out.size() <= qint64(kMaxRatio) * qMax<qint64>(bytes.size(), 1),
                    "inflated output within the ratio");
        }
    }

    QByteArray utf8;
    const decode::WideCharset charset = decode::wideCharset(bytes, selector & 4 ? "utf-16" : "");
    decode::wideToUtf8(bytes, charset, kMaxBytes, &utf8);
    require(utf8.size() <= kMaxBytes + 4, "wide text output within maxBytes");
    return 0;
}
