#pragma once

#include <QByteArray>
#include <QList>

// The single decoding layers the Normalizer stacks. Each is a pure function, linear in its
// input, that touches nothing when its layer does not apply: the text transforms return
// false (and leave *out alone) when they would change nothing, so clean text costs one
// scan and no copy.
namespace airlock::decode {

// %XX and %uXXXX escapes, one pass (double encoding needs a second call). From byte offset
// plusFrom on, '+' is a space (query strings and form bodies); plusFrom < 0 disables that.
bool percent(const QByteArray &in, qsizetype plusFrom, QByteArray *out);

// Numeric (&#64; &#x40;, semicolon optional) and common named entities (&commat; &amp; ...).
bool htmlEntities(const QByteArray &in, QByteArray *out);

// NFKC of every non-ASCII run, zero-width/invisible and control characters (except tab, CR,
// LF) removed, dashes and Cyrillic/Greek lookalikes of ASCII letters mapped to ASCII.
// Invalid UTF-8 bytes are kept as they are.
bool unicodeCleanup(const QByteArray &in, QByteArray *out);

// The index of the first byte at or after from that unicodeCleanup() would look at (non-ASCII,
// DEL or a control character other than tab, CR, LF), or n.
qsizetype nextNonAscii(const char *s, qsizetype from, qsizetype n);

// Decodes each base64/base64url run of 16+ characters that yields mostly printable text
// and appends the decoded texts to *out, one per line. A decoded text that is JSON with
// escapes also goes, as jsonLines() output, to *jsonOut. Returns how many runs were decoded.
// A run that decodes to the start of a gzip member (1f 8b 08, "H4sI") goes, decoded, to
// *gzipped instead, for the caller to inflate under its limits.
int base64Runs(const QByteArray &in, int maxJsonDepth, QByteArray *out, QByteArray *jsonOut,
               QList<QByteArray> *gzipped = nullptr);

// Whole-text base64 (MIME body: whitespace ignored). False when it is not base64.
bool base64Strict(const QByteArray &in, QByteArray *out);

// Quoted-printable (RFC 2045) body. False when nothing was encoded.
bool quotedPrintable(const QByteArray &in, QByteArray *out);

enum class JsonStatus { Ok, NotJson, TooDeep };

// The JSON text the raw body does not already show: one line ("key: value", or the
// value alone in an array) per string whose key or value holds an escape (\uXXXX
// resolved), a raw control character, '%', '&' or non-ASCII (text the later layers decode),
// per scalar separated from its key by a line break or more than a short gap (rules read a
// key and its value on one line), and "key:" for such a key holding an object, an array or
// a literal. Everything else is visible verbatim in the raw body. C0 control characters
// other than tab, CR, LF are dropped. A sequence of top-level values (NDJSON) is accepted.
// Validates the whole text either way.
JsonStatus jsonLines(const QByteArray &in, int maxDepth, QByteArray *out);

// More than 3% control bytes (C0 other than tab, LF, VT, FF, CR; and DEL): not text. Random
// data has about 11%, UTF-8 text none.
bool looksBinary(const QByteArray &t);

// application/x-www-form-urlencoded: one "key=value" line per field, '+' and %XX decoded.
void formLines(const QByteArray &in, QByteArray *out);

enum class InflateStatus { Ok, Malformed, TooLarge, TooCompressed };
enum class Coding { Gzip, Deflate };

// Content-Encoding gzip (x-gzip, concatenated members accepted) or deflate (zlib-wrapped or
// raw). Stops as soon as the output passes maxBytes or maxRatio times the input.
InflateStatus inflate(const QByteArray &in, Coding coding, qint64 maxBytes, int maxRatio, QByteArray *out);

} // namespace airlock::decode
