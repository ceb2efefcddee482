// Compressed content recognised by its magic bytes: bzip2 streams and zip archives.
#include "inspect/Decode.h"
#include "inspect/DecodeUtf8.h"

#include <bzlib.h>

#include <cstring>

namespace airlock::decode {

namespace {

quint32 le16(const unsigned char *p) {
    return quint32(p[0]) | quint32(p[1]) << 8;
}
quint32 le32(const unsigned char *p) {
    return le16(p) | le16(p + 2) << 16;
}

bool textByte(unsigned char c) {
    return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\r' || c == '\n';
}

} // namespace

InflateStatus bunzip2(const QByteArray &in, qint64 maxBytes, int maxRatio, QByteArray *out) {
    const qsizetype n = in.size();
    bz_stream bz{};
    if (BZ2_bzDecompressInit(&bz, 0, 0) != BZ_OK)
        return InflateStatus::Malformed;
    const qint64 limit = qMin(maxBytes, qint64(n) * maxRatio);
    const bool ratioBinds = qint64(n) * maxRatio < maxBytes;
    constexpr qsizetype chunk = 256 * 1024;
    out->clear();
    bz.next_in = const_cast<char *>(in.constData());
    bz.avail_in = unsigned(n);
    InflateStatus status = InflateStatus::Ok;
    qint64 have = 0;
    for (;;) {
        if (out->capacity() < have + chunk)
            out->reserve(qMax<qsizetype>(out->capacity() * 2, have + chunk));
        out->resize(have + chunk);
        bz.next_out = out->data() + have;
        bz.avail_out = unsigned(chunk);
        const int ret = BZ2_bzDecompress(&bz);
        have += chunk - qsizetype(bz.avail_out);
        if (have > limit) {
            status = ratioBinds ? InflateStatus::TooCompressed : InflateStatus::TooLarge;
            break;
        }
        if (ret == BZ_STREAM_END) {
            if (bz.avail_in == 0)
                break;
            // Parallel compressors write one stream per block, one after the other.
            if (bz.avail_in >= 4 && std::memcmp(bz.next_in, "BZh", 3) == 0) {
                const char *next = bz.next_in;
                const unsigned left = bz.avail_in;
                BZ2_bzDecompressEnd(&bz);
                bz = bz_stream{};
                if (BZ2_bzDecompressInit(&bz, 0, 0) != BZ_OK)
                    return InflateStatus::Malformed;
                bz.next_in = const_cast<char *>(next);
                bz.avail_in = left;
                continue;
            }
            status = InflateStatus::Malformed;
            break;
        }
        // BZ_OK with neither input nor output left to move: the stream is cut short.
        if (ret == BZ_OK && (bz.avail_in > 0 || bz.avail_out == 0))
            continue;
        status = InflateStatus::Malformed;
        break;
    }
    BZ2_bzDecompressEnd(&bz);
    if (status != InflateStatus::Ok && status != InflateStatus::Malformed) {
        out->clear();
        return status;
    }
    out->truncate(have);
    return status;
}

Magic compressedMagic(const char *text, qsizetype n) {
    const auto *s = reinterpret_cast<const unsigned char *>(text);
    if (n >= 3 && s[0] == 0x1F && s[1] == 0x8B && s[2] == 0x08)
        return Magic::Gzip;
    if (n >= 4 && std::memcmp(s, "PK\x03\x04", 4) == 0)
        return Magic::Zip;
    if (n >= 10 && std::memcmp(s, "BZh", 3) == 0 && s[3] >= '1' && s[3] <= '9' && std::memcmp(s + 4, "1AY&SY", 6) == 0)
        return Magic::Bzip2;
    // Any zlib header (RFC 1950): deflate, a window of up to 32 KiB, the check bits; a preset
    // dictionary cannot be inflated and is no header a sender of content would write.
    if (n >= 3 && (s[0] & 0x0F) == 8 && (s[0] >> 4) <= 7 && ((s[0] << 8) | s[1]) % 31 == 0 && !(s[1] & 0x20)) {
        // Compressed data is mostly bytes text never holds (controls, broken UTF-8); "x^2 + y^2"
        // and "x^2 — y" are text.
        for (qsizetype i = 2; i < qMin<qsizetype>(n, 64);) {
            if (s[i] < 0x80) {
                if (!textByte(s[i]))
                    return Magic::Zlib;
                ++i;
                continue;
            }
            char32_t cp = 0;
            const qsizetype len = decodeUtf8(s + i, qMin<qsizetype>(n, 64) - i, &cp);
            if (len == 0)
                return Magic::Zlib;
            i += len;
        }
    }
    return Magic::None;
}

ZipStatus zipEntry(const QByteArray &in, qsizetype pos, ZipEntry *entry) {
    const qsizetype n = in.size();
    if (pos < 0 || n - pos < 30 || std::memcmp(in.constData() + pos, "PK\x03\x04", 4) != 0)
        return ZipStatus::Malformed;
    const auto *h = reinterpret_cast<const unsigned char *>(in.constData() + pos);
    const quint32 flags = le16(h + 6);
    const quint32 method = le16(h + 8);
    const quint32 compressed = le32(h + 18);
    const quint32 nameLength = le16(h + 26);
    const quint32 extraLength = le16(h + 28);
    const qsizetype dataStart = pos + 30 + qsizetype(nameLength) + qsizetype(extraLength);
    if (dataStart > n)
        return ZipStatus::Malformed;
    entry->name = QByteArray(in.constData() + pos + 30, nameLength);
    entry->method = int(method);
    entry->dataStart = dataStart;
    entry->descriptor = (flags & 0x08) != 0;
    if (flags & 0x01)
        return ZipStatus::Encrypted;
    if (method != 0 && method != 8)
        return ZipStatus::Unsupported;
    if (compressed == 0xFFFFFFFFu)
        return ZipStatus::Unsupported; // zip64
    if (entry->descriptor && compressed == 0) {
        if (method != 8)
            return ZipStatus::Unsupported; // a stored member of unknown length has no end to find
        entry->dataSize = -1;
        return ZipStatus::Ok;
    }
    if (qsizetype(compressed) > n - dataStart)
        return ZipStatus::Malformed;
    entry->dataSize = qsizetype(compressed);
    return ZipStatus::Ok;
}

qsizetype zipDescriptorLength(const QByteArray &in, qsizetype pos) {
    return in.size() - pos >= 4 && std::memcmp(in.constData() + pos, "PK\x07\x08", 4) == 0 ? 16 : 12;
}

bool zipDirectory(const QByteArray &in, ZipDirectory *dir) {
    const qsizetype n = in.size();
    const auto *s = reinterpret_cast<const unsigned char *>(in.constData());
    // The record is 22 bytes and a comment of at most 65535 follows it: readers look no further
    // back than that. Each candidate costs a constant, so the search is linear in that window.
    const qsizetype lowest = qMax<qsizetype>(0, n - 22 - 0xFFFF);
    for (qsizetype p = n - 22; p >= lowest; --p) {
        if (s[p] != 'P' || std::memcmp(s + p, "PK\x05\x06", 4) != 0)
            continue;
        const quint32 entries = le16(s + p + 10);
        const quint32 size = le32(s + p + 12);
        const quint32 offset = le32(s + p + 16);
        if (entries == 0xFFFF || size == 0xFFFFFFFFu || offset == 0xFFFFFFFFu) {
            // Zip64 keeps the real values in a record of its own, announced just before this one.
            if (p >= 20 && std::memcmp(s + p - 20, "PK\x06\x07", 4) == 0) {
                *dir = ZipDirectory{};
                dir->zip64 = true;
                return true;
            }
            continue;
        }
        // Four bytes can turn up by chance in any binary: only a record whose directory is
        // where it says, and starts with a central entry, makes the content a zip archive.
        if (entries == 0 || qsizetype(size) > p || qsizetype(size) < 46 * qsizetype(entries))
            continue;
        const qsizetype centralStart = p - qsizetype(size);
        if (qsizetype(offset) > centralStart || std::memcmp(s + centralStart, "PK\x01\x02", 4) != 0)
            continue;
        dir->archiveStart = centralStart - qsizetype(offset);
        dir->centralStart = centralStart;
        dir->centralEnd = p;
        dir->entries = int(entries);
        dir->zip64 = false;
        return true;
    }
    return false;
}

ZipStatus zipCentralEntry(const QByteArray &in, const ZipDirectory &dir, qsizetype pos, ZipCentral *entry) {
    if (pos < dir.centralStart || dir.centralEnd - pos < 46 || std::memcmp(in.constData() + pos, "PK\x01\x02", 4) != 0)
        return ZipStatus::Malformed;
    const auto *h = reinterpret_cast<const unsigned char *>(in.constData() + pos);
    const quint32 flags = le16(h + 8);
    const quint32 method = le16(h + 10);
    const quint32 compressed = le32(h + 20);
    const quint32 nameLength = le16(h + 28);
    const qsizetype next = pos + 46 + qsizetype(nameLength) + qsizetype(le16(h + 30)) + qsizetype(le16(h + 32));
    const quint32 offset = le32(h + 42);
    if (next > dir.centralEnd)
        return ZipStatus::Malformed;
    entry->name = QByteArrayView(in.constData() + pos + 46, nameLength);
    entry->method = int(method);
    entry->encrypted = (flags & 0x01) != 0;
    entry->next = next;
    if (entry->encrypted)
        return ZipStatus::Encrypted;
    if (method != 0 && method != 8)
        return ZipStatus::Unsupported;
    if (compressed == 0xFFFFFFFFu || offset == 0xFFFFFFFFu)
        return ZipStatus::Unsupported; // zip64
    entry->dataSize = qsizetype(compressed);
    entry->localHeader = dir.archiveStart + qsizetype(offset);
    return ZipStatus::Ok;
}

ZipStatus zipListedEntry(const QByteArray &in, const ZipCentral &central, ZipEntry *entry) {
    const qsizetype pos = central.localHeader;
    if (pos < 0 || in.size() - pos < 30)
        return ZipStatus::Malformed;
    // Compared before the name is copied: many entries may point at one header with a long name.
    if (le16(reinterpret_cast<const unsigned char *>(in.constData() + pos + 26)) != quint32(central.name.size()))
        return ZipStatus::Malformed;
    const ZipStatus status = zipEntry(in, pos, entry);
    if (status != ZipStatus::Ok)
        return status;
    if (entry->method != central.method || entry->name != central.name)
        return ZipStatus::Malformed;
    if (entry->dataSize >= 0 ? entry->dataSize != central.dataSize : central.dataSize > in.size() - entry->dataStart)
        return ZipStatus::Malformed;
    return ZipStatus::Ok;
}

} // namespace airlock::decode
