// libFuzzer target: the decompression, archive, wide-text and text-encoding layers of inspection
// on their own. The first byte picks what happens: the rest inflated as given (gzip, deflate or
// bzip2, malformed input and bombs), or first compressed and inflated back (so the fuzzer reaches
// deep into valid streams), walked as a zip archive, turned from UTF-16/UTF-32 into UTF-8, and
// run through the text decoders (hex, base32, ascii85, \x escapes, quoted-printable, spelled-out
// and IDN addresses, text lines in binary). Checks the limits hold, outputs stay in proportion to
// their input and a round trip gives the bytes back.
#include "FuzzRequire.h"
#include "inspect/Decode.h"

#include <QByteArray>

#include <bzlib.h>
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

QByteArray bzip2(const QByteArray &in) {
    QByteArray out(in.size() + in.size() / 100 + 700, Qt::Uninitialized);
    unsigned int size = unsigned(out.size());
    if (BZ2_bzBuffToBuffCompress(out.data(), &size, const_cast<char *>(in.constData()), unsigned(in.size()), 1, 0, 0) !=
        BZ_OK)
        return {};
    out.truncate(size);
    return out;
}

void textDecoders(const QByteArray &bytes) {
    QByteArray out;
    QByteArray json;
    QList<QByteArray> compressed;
    decode::base64Runs(bytes, 16, &out, &json, &compressed);
    require(out.size() <= bytes.size() + bytes.size() / 16 + 1, "decoded runs are smaller than their text");
    for (const QByteArray &member : compressed)
        require(member.size() <= bytes.size(), "a compressed run is smaller than its text");
    out.clear();
    decode::ascii85Blocks(bytes, &out);
    require(out.size() <= 4 * bytes.size() + 1, "ascii85 output within four bytes per character ('z')");
    out.clear();
    decode::hexEscapes(bytes, &out);
    require(out.size() <= bytes.size() + 1, "\\x escapes only shrink");
    out.clear();
    if (decode::quotedPrintableLines(bytes, &out))
        require(out.size() <= bytes.size(), "quoted-printable only shrinks");
    out.clear();
    if (decode::spelledAddresses(bytes, &out))
        require(out.size() <= bytes.size(), "folded addresses only shrink");
    out.clear();
    if (decode::idnAddresses(bytes, &out))
        require(out.size() <= 2 * bytes.size() + 1024, "one ASCII address per '@'");
    out.clear();
    if (decode::invisibleLines(bytes, &out))
        require(out.size() <= 16 * bytes.size(), "cleaned lines in proportion to the text (NFKC: up to 11 times)");
}

// Walks the local file headers as the Normalizer does; each entry lies within the archive.
void zipWalk(const QByteArray &bytes) {
    qsizetype pos = 0;
    for (int members = 0; members < 1000 && bytes.size() - pos >= 4; ++members) {
        decode::ZipEntry entry;
        if (decode::zipEntry(bytes, pos, &entry) != decode::ZipStatus::Ok)
            return;
        require(entry.dataStart <= bytes.size(), "member data starts within the archive");
        if (entry.dataSize < 0)
            return; // its end is found by inflating
        require(entry.dataStart + entry.dataSize <= bytes.size(), "member data ends within the archive");
        const qsizetype next =
            entry.dataStart + entry.dataSize +
            (entry.descriptor ? decode::zipDescriptorLength(bytes, entry.dataStart + entry.dataSize) : 0);
        require(next > pos, "the walk moves on");
        pos = next;
    }
}

// Walks the central directory as the Normalizer does: the record and every entry lie within the
// bytes, each entry's local header agrees with it, and the walk moves forward.
void zipDirectoryWalk(const QByteArray &bytes) {
    decode::ZipDirectory dir;
    if (!decode::zipDirectory(bytes, &dir) || dir.zip64)
        return;
    require(dir.archiveStart >= 0 && dir.archiveStart <= dir.centralStart, "the archive starts before its directory");
    require(dir.centralStart < dir.centralEnd && dir.centralEnd + 22 <= bytes.size(), "the directory lies within");
    require(dir.entries > 0, "a directory lists members");
    qsizetype pos = dir.centralStart;
    for (int i = 0; i < dir.entries && i < 1000; ++i) {
        decode::ZipCentral central;
        if (decode::zipCentralEntry(bytes, dir, pos, &central) != decode::ZipStatus::Ok)
            return;
        require(central.next > pos && central.next <= dir.centralEnd, "the entry lies within the directory");
        decode::ZipEntry local;
        if (decode::zipListedEntry(bytes, central, &local) == decode::ZipStatus::Ok) {
            require(local.method == central.method && local.name == central.name, "the local header agrees");
            require(local.dataStart + central.dataSize <= bytes.size(), "member data ends within the bytes");
        }
        pos = central.next;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    const uint8_t selector = data[0];
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    constexpr qint64 kMaxBytes = 4 * 1024 * 1024;
    constexpr int kMaxRatio = 200;
    const decode::Coding coding = selector & 8   ? decode::Coding::Bzip2
                                  : selector & 1 ? decode::Coding::Gzip
                                                 : decode::Coding::Deflate;

    QByteArray out;
    if (selector & 2) {
        const QByteArray packed =
            coding == decode::Coding::Bzip2 ? bzip2(bytes) : compress(bytes, coding == decode::Coding::Gzip);
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

    decode::compressedMagic(bytes.constData(), bytes.size());
    zipWalk(bytes);
    zipDirectoryWalk(bytes);
    textDecoders(bytes);

    QByteArray utf8;
    const decode::WideCharset charset = decode::wideCharset(bytes, selector & 4 ? "utf-16" : "");
    decode::wideToUtf8(bytes, charset, kMaxBytes, &utf8);
    require(utf8.size() <= kMaxBytes + 4, "wide text output within maxBytes");
    return 0;
}
