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
// Whether htmlEntities replaces something at s[i] == '&' (s[0, n) being the text).
bool isEntityAt(const char *s, qsizetype i, qsizetype n);
// The first position at or after from where percent() or htmlEntities() would change s[0, n)
// (a '%' escape or an '&' entity), or n.
qsizetype nextEscape(const char *s, qsizetype from, qsizetype n);

// NFKC of every non-ASCII run, zero-width/invisible and control characters (except tab, CR,
// LF) removed, dashes, spaces and look-alikes of ASCII characters (Cyrillic, Greek, Cherokee,
// Armenian, ... per Unicode's confusables data) mapped to ASCII. ASCII itself is never mapped.
// Invalid UTF-8 bytes are kept as they are.
bool unicodeCleanup(const QByteArray &in, QByteArray *out);

// The printable ASCII character that a non-ASCII code point NFKC leaves alone looks like, per
// the UTS #39 skeletons of ICU's spoof checker (case picks among "1Il|" and "0O"), or 0.
char asciiLookalike(char32_t cp);

// The lines of in that hold an invisible character (zero-width space or joiner, LRM/RLM,
// word joiner, BOM, soft hyphen), or are text (24 bytes or more, at most 3 % control bytes),
// each passed through unicodeCleanup() and joined by '\n' when that changes them. For binary
// content, which gets no Unicode pass as a whole: binary-ness is judged per line here, so text
// after, between or before binary stretches gets the Unicode pass all the same. Random data
// holds about one invisible character per 10 MB and few lines that long without a control byte.
// False when there is none.
bool invisibleLines(const QByteArray &in, QByteArray *out);

// The lines holding an address spelled out, "[at]", "(at)", "{dot}" (any case, spaces inside
// the brackets or around them), folded to '@' and '.'; the words " at " and " dot " between
// spaces are folded too, but only on a line that holds both (prose holds either alone all the
// time). Only lines with an "at" form are kept. False when there is none.
bool spelledAddresses(const QByteArray &in, QByteArray *out);

// The e-mail addresses with non-ASCII in them (jürgen@bücher.de, 用户@例子.广告), one per line,
// made ASCII: letters and digits of the local part become 'x', the domain is written in punycode
// (UTS #46: xn--bcher-kva.de), so the e-mail rule, which knows xn-- top-level domains, sees them.
// False when there is none.
bool idnAddresses(const QByteArray &in, QByteArray *out);

// The index of the first byte at or after from that unicodeCleanup() would look at (non-ASCII,
// DEL or a control character other than tab, CR, LF), or n.
qsizetype nextNonAscii(const char *s, qsizetype from, qsizetype n);

// Decodes each base64/base64url run of 16+ characters that yields mostly printable text
// and appends the decoded texts to *out, one per line. A run of hex digits only (16+, an
// optional "0x" before it) is decoded as hex instead, and a run of one case that is not base64
// of text is tried as base32 (RFC 4648, 'A'-'Z' '2'-'7'; padding ends the run). Digests and ids
// decode to random bytes, which the printable test turns down within a few bytes. A decoded text
// that is JSON with escapes also goes, as jsonLines() output, to *jsonOut. Returns how many runs
// were decoded. A run that decodes to the start of a compressed stream (compressedMagic: gzip
// "H4sI", zlib "eJ", zip "UEsD", bzip2 "Qlpo") goes, decoded, to *compressed instead, for the
// caller to inflate under its limits.
int base64Runs(const QByteArray &in, int maxJsonDepth, QByteArray *out, QByteArray *jsonOut,
               QList<QByteArray> *compressed = nullptr);

// Adobe ascii85 blocks "<~ ... ~>" ('z' for four zero bytes, white space ignored) that decode to
// mostly printable text, appended to *out one per line. Bare ascii85 and Z85 have no delimiter
// and an alphabet that is most of printable ASCII: any text would be a candidate, so they are
// not looked for. Returns how many blocks were decoded.
int ascii85Blocks(const QByteArray &in, QByteArray *out);

// Runs of four or more \xHH escapes (C, Python, shell), with the characters between them,
// decoded and appended to *out one per line. Returns how many runs were decoded.
int hexEscapes(const QByteArray &in, QByteArray *out);

// Whole-text base64 (MIME body: whitespace ignored). False when it is not base64.
bool base64Strict(const QByteArray &in, QByteArray *out);

// Quoted-printable (RFC 2045) body. False when nothing was encoded.
bool quotedPrintable(const QByteArray &in, QByteArray *out);

// Quoted-printable in a text no header declares it for: the lines holding two =XX escapes in a
// row or ending in a soft line break ('=' before the line break), each with the lines its soft
// breaks join to it, decoded and joined by '\n'. One "a=1F" in a form is not enough; "=6A=61"
// or "=\r\n" is what an encoder writes. False when there are none.
bool quotedPrintableLines(const QByteArray &in, QByteArray *out);

enum class JsonStatus { Ok, NotJson, TooDeep };

// The JSON text the raw body does not already show: one line ("key: value", or the
// value alone in an array) per string whose key or value holds an escape (\uXXXX
// resolved), a raw control character, '%', '&' or non-ASCII (text the later layers decode),
// per scalar separated from its key by a line break or more than a short gap (rules read a
// key and its value on one line), and "key:" for such a key holding an object, an array or
// a literal. Everything else is visible verbatim in the raw body. C0 control characters
// other than tab, CR, LF are dropped. A sequence of top-level values (NDJSON), a leading
// UTF-8 BOM and Python's NaN/Infinity/-Infinity are accepted.
// Validates the whole text either way.
JsonStatus jsonLines(const QByteArray &in, int maxDepth, QByteArray *out);

// More than 3% control bytes (C0 other than tab, LF, VT, FF, CR; and DEL): not text. Random
// data has about 11%, UTF-8 text none.
bool looksBinary(const QByteArray &t);
// The bytes looksBinary counts (control characters other than white space, DEL) in s[0, n):
// a text is binary when they are more than 3 % of it, so counts of its parts add up.
qsizetype controlBytes(const char *s, qsizetype n);

// application/x-www-form-urlencoded: one "key=value" line per field, '+' and %XX decoded.
void formLines(const QByteArray &in, QByteArray *out);

enum class WideCharset { None, Utf16Le, Utf16Be, Utf32Le, Utf32Be };
enum class WideStatus { Ok, TooLarge };

// Whether a body is UTF-16 or UTF-32 text: by its byte order mark (which wins), else by the
// charset parameter of its Content-Type (utf-16, utf-16le/be, ucs-2, unicode, utf-32...; a
// bare utf-16 takes the byte order its ASCII characters show), else by its shape: at least
// half of the 2-byte code units are an ASCII text character next to a NUL, in one byte order
// (random or zero-filled binary is far from that). Clean text costs a memchr of 4 KB.
WideCharset wideCharset(const QByteArray &in, const QByteArray &charset);

// UTF-16/UTF-32 to UTF-8: the BOM dropped, unpaired surrogates, values above U+10FFFF and a
// cut-off last unit made U+FFFD. Stops with TooLarge as soon as the output passes maxBytes.
WideStatus wideToUtf8(const QByteArray &in, WideCharset charset, qint64 maxBytes, QByteArray *out);

enum class InflateStatus { Ok, Malformed, TooLarge, TooCompressed };
enum class Coding { Gzip, Deflate, RawDeflate, Bzip2 };

// Content-Encoding gzip (x-gzip, concatenated members accepted) or deflate (zlib-wrapped or
// raw), raw deflate (a zip member) or bzip2 (concatenated streams accepted). Stops as soon as
// the output passes maxBytes or maxRatio times the input. With consumed, the stream may be
// followed by other bytes: *consumed is where it ended (a zip member of unannounced size).
// On Malformed, *out holds what the stream gave before it broke (a cut-off stream, a bad
// checksum, bytes after its end); on the other errors it is empty.
InflateStatus inflate(const QByteArray &in, Coding coding, qint64 maxBytes, int maxRatio, QByteArray *out,
                      qsizetype *consumed = nullptr);

// The compressed stream content starts with, by its magic bytes: gzip (1f 8b 08), zlib (78 01,
// 78 5E, 78 9C, 78 DA: the header check holds; 78 5E is "x^", so a non-text byte must follow
// within 64 bytes), bzip2 ("BZh" level "1AY&SY") or a zip archive ("PK" 03 04).
enum class Magic { None, Gzip, Zlib, Bzip2, Zip };
Magic compressedMagic(const char *s, qsizetype n);

// One zip local file header at in[pos]. dataSize is -1 when the header leaves it to a data
// descriptor after the data (bit 3), which only a deflated member can have: its stream ends
// itself. Encrypted members and methods other than stored (0) and deflate (8) are refused, as are
// zip64 sizes: none of them can be looked into.
struct ZipEntry {
    QByteArray name;
    int method = 0;
    qsizetype dataStart = 0;
    qsizetype dataSize = 0;
    bool descriptor = false;
};
enum class ZipStatus { Ok, Malformed, Encrypted, Unsupported };
ZipStatus zipEntry(const QByteArray &in, qsizetype pos, ZipEntry *entry);
// The length of the data descriptor at in[pos] (12 bytes, or 16 with its signature).
qsizetype zipDescriptorLength(const QByteArray &in, qsizetype pos);

// Where a zip archive's central directory is, by its end-of-central-directory record ("PK" 05 06,
// searched from the end within 64 KiB + 22 bytes, as readers do). Offsets count from
// archiveStart, which is past anything before the archive (a self-extracting stub). False when
// there is no record whose directory starts where it says: four bytes met by chance in binary
// are not an archive. zip64 is set, and nothing else, when the record defers to zip64 values.
struct ZipDirectory {
    qsizetype archiveStart = 0;
    qsizetype centralStart = 0;
    qsizetype centralEnd = 0;
    int entries = 0;
    bool zip64 = false;
};
bool zipDirectory(const QByteArray &in, ZipDirectory *dir);

// One central directory entry at in[pos]: what readers that go by the directory (unzip, Python's
// zipfile) believe about a member. localHeader is its local file header's position in in; next
// is the following entry; name is a view into in. Refused as zipEntry refuses: encryption, other
// methods, zip64.
struct ZipCentral {
    QByteArrayView name;
    int method = 0;
    bool encrypted = false;
    qsizetype dataSize = 0;
    qsizetype localHeader = 0;
    qsizetype next = 0;
};
ZipStatus zipCentralEntry(const QByteArray &in, const ZipDirectory &dir, qsizetype pos, ZipCentral *entry);
// The local file header a central entry points at, which must agree with it on method, name
// and compressed size (unless the header leaves that to a data descriptor): a header that says
// "stored" over deflated data would be scanned as the wrong bytes. Disagreement is Malformed.
ZipStatus zipListedEntry(const QByteArray &in, const ZipCentral &central, ZipEntry *entry);

} // namespace airlock::decode
