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
