#pragma once

#include "inspect/InspectLimits.h"
#include "inspect/WorkBudget.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <vector>

namespace airlock {

// One text the rules are run over: the raw bytes or one decoded form of them.
struct TextView {
    QByteArray text;
    QString where;       // "url", "header:<lower-case name>" or "body"
    bool binary = false; // the text looks binary (decode::looksBinary): rules ask for more evidence
};

struct NormalizeResult {
    bool uninspectable = false;
    QString reason; // which limit or decoder failed; never request content
    std::vector<TextView> views;
};

// A large binary body's line-by-line passes (invisible characters, one round of escapes, base64
// runs) over its first whole lines, made while it is still arriving (inspect/HeadStart). Each pass
// works line by line, so the passes over two parts joined at a line break are the passes over
// the whole: Normalizer::addBody finishes them over the rest instead of starting over. The
// caller hands them over only for a body that starts with the bytes they were made from.
struct BinaryPasses {
    int maxJsonDepth = 0;   // InspectLimits::maxJsonDepth they were made with
    qsizetype upTo = 0;     // text[0, upTo) is done, whole lines
    qsizetype controls = 0; // decode::controlBytes over it
    bool invisible = false; // decode::invisibleLines found some: visible holds those lines
    QByteArray visible;
    bool rounded = false; // one round of escapes changed lines: first holds them
    QByteArray first;
    int runs = 0; // decode::base64Runs found some
    QByteArray runsDecoded;
    QByteArray runsJson;
    QList<QByteArray> runsCompressed; // runs that decode to a compressed stream

    // The passes over text[upTo, to), appended; to is just after a line break, or text's end.
    void extend(const QByteArray &text, qsizetype to);
    // The same without the base64 runs (the caller finds those of text[upTo, to) itself).
    void extendLines(const QByteArray &text, qsizetype to);
};

// Produces the decoded views of request content that inspection scans, each bounded by
// InspectLimits (reaching a limit sets uninspectable). Decoding only ever adds views: the raw
// text is always the first view, so an encoding can never hide the original.
// Layers: percent-encoding (repeatedly), form fields, JSON keys and strings (\u escapes
// resolved), HTML entities, base64/base64url, hex and base32 runs of 16+ characters and ascii85
// blocks that decode to mostly printable text, \x escapes, quoted-printable (part transfer
// encoding, or where a text shows it), gzip/deflate (body with Content-Encoding) and gzip, zlib,
// bzip2 and zip by their magic bytes (body, part or base64 run), multipart parts and their
// headers, UTF-16/UTF-32 bodies and parts (by BOM, charset or shape), Unicode NFKC with zero-width
// and control characters removed, look-alikes mapped to ASCII, every script's digits made ASCII
// digits and every dash '-' (binary content: per line, for its text lines), and e-mail addresses
// spelled out ("[at]", "dot") or in other scripts (punycode). A URL's path segments are decoded one
// by one too. Layers nest up to maxDepth.
class Normalizer final {
public:
    // meter: the request's work budget on this thread (decoding stops when it is spent), or nullptr.
    explicit Normalizer(InspectLimits limits = {}, WorkMeter *meter = nullptr);

    // The body, as announced by its Content-Type and Content-Encoding header values. ahead: the
    // binary passes over the body's first lines, made from these very bytes, or nullptr.
    void addBody(const QByteArray &body, const QByteArray &contentType, const QByteArray &contentEncoding,
                 NormalizeResult *out, const BinaryPasses *ahead = nullptr) const;

    // A short text: the URL's path and query, or one header's name and value.
    void addText(const QByteArray &text, const QString &where, NormalizeResult *out) const;

private:
    InspectLimits m_limits;
    WorkMeter *m_meter;
};

} // namespace airlock
