#pragma once

#include "inspect/InspectLimits.h"

#include <QByteArray>
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

// Produces the decoded views of request content that inspection scans, each bounded by
// InspectLimits (reaching a limit sets uninspectable). Decoding only ever adds views: the raw
// text is always the first view, so an encoding can never hide the original.
// Layers: percent-encoding (repeatedly), form fields, JSON keys and strings (\u escapes
// resolved), HTML entities, base64/base64url runs of 16+ characters that decode to mostly
// printable text, gzip/deflate (body with Content-Encoding), multipart parts, UTF-16/UTF-32
// bodies and parts (by BOM, charset or shape), and Unicode NFKC with zero-width and control
// characters removed and look-alikes mapped to ASCII. Layers nest up to maxDepth.
class Normalizer final {
public:
    explicit Normalizer(InspectLimits limits = {});

    // The body, as announced by its Content-Type and Content-Encoding header values.
    void addBody(const QByteArray &body, const QByteArray &contentType, const QByteArray &contentEncoding,
                 NormalizeResult *out) const;

    // A short text: the URL's path and query, or one header's name and value.
    void addText(const QByteArray &text, const QString &where, NormalizeResult *out) const;

private:
    InspectLimits m_limits;
};

} // namespace airlock
