#pragma once

// Encoders for the inspection tests: each produces what a client could send to hide text.
#include <QByteArray>
#include <QList>
#include <QString>

namespace airlock::test {

inline quint32 crc32Of(const QByteArray &data) {
    quint32 crc = 0xFFFFFFFFu;
    for (const char ch : data) {
        crc ^= static_cast<unsigned char>(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline void appendLe32(QByteArray *out, quint32 v) {
    for (int k = 0; k < 4; ++k)
        out->append(char((v >> (8 * k)) & 0xFF));
}

// qCompress is a 4-byte length followed by a zlib stream (2-byte header, 4-byte adler32).
inline QByteArray zlibWrapped(const QByteArray &data) {
    return qCompress(data, 9).mid(4);
}
inline QByteArray rawDeflate(const QByteArray &data) {
    return zlibWrapped(data).mid(2).chopped(4);
}
inline QByteArray gzip(const QByteArray &data) {
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    out += rawDeflate(data);
    appendLe32(&out, crc32Of(data));
    appendLe32(&out, quint32(data.size()));
    return out;
}

// Base32 (RFC 4648 alphabet), with or without '=' padding.
inline QByteArray base32(const QByteArray &data, bool pad = true) {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    for (const char c : data) {
        buffer = (buffer << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 5) {
            out += kAlphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out += kAlphabet[(buffer << (5 - bits)) & 31];
    while (pad && out.size() % 8 != 0)
        out += '=';
    return out;
}

// Adobe ascii85, delimited by <~ and ~>.
inline QByteArray ascii85(const QByteArray &data) {
    QByteArray out("<~");
    for (qsizetype i = 0; i < data.size(); i += 4) {
        const qsizetype len = qMin<qsizetype>(4, data.size() - i);
        quint32 v = 0;
        for (qsizetype k = 0; k < 4; ++k)
            v = v << 8 | (k < len ? static_cast<unsigned char>(data[i + k]) : 0u);
        if (v == 0 && len == 4) {
            out += 'z';
            continue;
        }
        char group[5];
        for (int k = 4; k >= 0; --k) {
            group[k] = char('!' + v % 85);
            v /= 85;
        }
        out.append(group, len + 1);
    }
    return out + "~>";
}

// Every byte as =XX, with a soft line break every 60 characters.
inline QByteArray quotedPrintableAll(const QByteArray &text) {
    QByteArray out;
    for (const char c : text) {
        if (out.size() % 63 == 60)
            out += "=\r\n";
        out += '=' + QByteArray(1, c).toHex().toUpper();
    }
    return out;
}

// Every byte as a \xHH escape.
inline QByteArray hexEscapeAll(const QByteArray &text) {
    QByteArray out;
    for (const char c : text)
        out += "\\x" + QByteArray(1, c).toHex();
    return out;
}

inline void appendLe16(QByteArray *out, quint16 v) {
    out->append(char(v & 0xFF)).append(char(v >> 8));
}

struct ZipMember {
    QByteArray name;
    QByteArray data;
    bool deflate = false;
    quint16 flags = 0;            // bit 0: encrypted
    quint16 method = 0xFFFF;      // 0xFFFF: stored or deflate as chosen above
    quint16 localMethod = 0xFFFF; // 0xFFFF: the local header says what the central directory says
    QByteArray before = {};       // bytes that are no member, written before this one
};

// A zip archive: local file headers and data, then a central directory.
inline QByteArray zipArchive(const QList<ZipMember> &members) {
    QByteArray out;
    QByteArray central;
    quint16 count = 0;
    for (const ZipMember &m : members) {
        const QByteArray stored = m.deflate ? rawDeflate(m.data) : m.data;
        const quint16 method = m.method != 0xFFFF ? m.method : (m.deflate ? 8 : 0);
        out += m.before;
        const quint32 offset = quint32(out.size());
        QByteArray common;
        appendLe16(&common, 20);
        appendLe16(&common, m.flags);
        appendLe16(&common, method);
        appendLe32(&common, 0); // time, date
        appendLe32(&common, crc32Of(m.data));
        appendLe32(&common, quint32(stored.size()));
        appendLe32(&common, quint32(m.data.size()));
        appendLe16(&common, quint16(m.name.size()));
        appendLe16(&common, 0);
        QByteArray local = common;
        if (m.localMethod != 0xFFFF)
            local.replace(4, 2, QByteArray(1, char(m.localMethod & 0xFF)) + char(m.localMethod >> 8));
        if (m.flags & 0x08) { // sizes and CRC in a data descriptor after the data, as streaming writers do
            local.replace(10, 12, QByteArray(12, '\0'));
            out += QByteArray("PK\x03\x04", 4) + local + m.name + stored + QByteArray("PK\x07\x08", 4);
            appendLe32(&out, crc32Of(m.data));
            appendLe32(&out, quint32(stored.size()));
            appendLe32(&out, quint32(m.data.size()));
        } else {
            out += QByteArray("PK\x03\x04", 4) + local + m.name + stored;
        }
        central += QByteArray("PK\x01\x02", 4);
        appendLe16(&central, 20);
        central += common;
        appendLe16(&central, 0); // comment
        appendLe16(&central, 0); // disk
        appendLe16(&central, 0); // internal attributes
        appendLe32(&central, 0); // external attributes
        appendLe32(&central, offset);
        central += m.name;
        ++count;
    }
    const quint32 centralOffset = quint32(out.size());
    out += central;
    out += QByteArray("PK\x05\x06", 4);
    appendLe32(&out, 0);
    appendLe16(&out, count);
    appendLe16(&out, count);
    appendLe32(&out, quint32(central.size()));
    appendLe32(&out, centralOffset);
    appendLe16(&out, 0);
    return out;
}

// An archive whose second member lies inside the first (stored) member's data: only the central
// directory points at it, so a reader walking local headers one after the other never meets it.
inline QByteArray zipWithHiddenMember(const ZipMember &outer, const ZipMember &inner) {
    const QByteArray alone = zipArchive({inner});
    const auto le32At = [](const QByteArray &b, qsizetype at) {
        quint32 v = 0;
        for (int k = 3; k >= 0; --k)
            v = v << 8 | quint8(b[at + k]);
        return v;
    };
    const qsizetype innerCentral = le32At(alone, alone.size() - 6);
    ZipMember carrier = outer;
    carrier.deflate = false;
    carrier.data += alone.left(innerCentral);
    const QByteArray outerArchive = zipArchive({carrier});
    const qsizetype outerCentral = le32At(outerArchive, outerArchive.size() - 6);
    QByteArray central = outerArchive.mid(outerCentral, outerArchive.size() - 22 - outerCentral);
    QByteArray innerEntry = alone.mid(innerCentral, alone.size() - 22 - innerCentral);
    QByteArray offset;
    appendLe32(&offset, quint32(30 + outer.name.size() + outer.data.size()));
    innerEntry.replace(42, 4, offset);
    central += innerEntry;
    QByteArray out = outerArchive.left(outerCentral) + central + QByteArray("PK\x05\x06", 4);
    appendLe32(&out, 0);
    appendLe16(&out, 2);
    appendLe16(&out, 2);
    appendLe32(&out, quint32(central.size()));
    appendLe32(&out, quint32(outerCentral));
    appendLe16(&out, 0);
    return out;
}

inline QByteArray utf8(const char16_t *text) {
    return QString::fromUtf16(text).toUtf8();
}

inline QByteArray multipart(const QList<QByteArray> &parts, const QByteArray &boundary = "XyZb0und",
                            bool close = true) {
    QByteArray out;
    for (const QByteArray &p : parts)
        out += "--" + boundary + "\r\n" + p + "\r\n";
    if (close)
        out += "--" + boundary + "--\r\n";
    return out;
}

// Every byte as %XX.
inline QByteArray percentAll(const QByteArray &text) {
    QByteArray out;
    for (const char c : text)
        out += '%' + QByteArray(1, c).toHex().toUpper();
    return out;
}

// Every character as a JSON \u escape.
inline QByteArray jsonEscapeAll(const QByteArray &text) {
    QByteArray out;
    for (const QChar c : QString::fromUtf8(text))
        out += "\\u" + QByteArray::number(c.unicode(), 16).rightJustified(4, '0');
    return out;
}

// Every byte as a decimal HTML entity.
inline QByteArray entitiesAll(const QByteArray &text) {
    QByteArray out;
    for (const char c : text)
        out += "&#" + QByteArray::number(static_cast<unsigned char>(c)) + ';';
    return out;
}

} // namespace airlock::test
