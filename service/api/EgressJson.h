#pragma once

#include "gate/EgressRequest.h"

#include <QByteArray>
#include <QString>

namespace airlock {

// Turns the JSON body of /v1/fetch and /v1/egress/check into an EgressRequest:
// {"url"|"destination", "method", "headers": {name: value | [values]}, "body": string|null,
// "body_base64": string}. Unknown fields, wrong types, both url and destination, both body
// forms, or invalid base64 are errors. Returns false with a specific message.
// predecoded: the "body_base64" string already decoded from these bytes while they arrived
// (EgressBodyFollower); used only if it is the very string the parser finds.
struct DecodedBody64 {
    qsizetype begin = -1; // json[begin, end) is the string, quotes excluded
    qsizetype end = -1;
    QByteArray bytes;
};
bool parseEgressJson(const QByteArray &json, EgressRequest *request, QString *error,
                     const DecodedBody64 *predecoded = nullptr);

// Bounds on "headers", far above what a real client sends (a browser sends ~20 headers, a
// large cookie is ~4 KB), so every later step over them is cheap whatever a client tries.
inline constexpr int kMaxEnvelopeHeaders = 100;                 // values, a repeated name counted each time
inline constexpr qsizetype kMaxEnvelopeHeaderValue = 8 * 1024;  // bytes of one value
inline constexpr qsizetype kMaxEnvelopeHeaderBytes = 64 * 1024; // names and values together

// Unescapes the JSON string whose text starts at data[begin] (just after its opening quote) into
// *out as UTF-8, in one pass, up to its closing quote. Returns the index after that quote, or -1
// for anything a JSON parser could read differently: no closing quote, a raw control character,
// invalid UTF-8, an unknown escape, a lone surrogate.
qsizetype unescapeJsonString(const char *data, qsizetype begin, qsizetype n, QByteArray *out);

// Decodes the whole base64 quanta in[0, size) (size a multiple of 4) into out, size / 4 * 3
// bytes, writing nothing past them. False when a character outside the alphabet (or '=') is
// among them; every valid quantum is decoded either way. The decoder both parsers use: AVX2
// where the CPU has it, else by table; simd = false always takes the table (tests compare).
bool decodeBase64Quanta(const char *in, qsizetype size, char *out, bool simd = true);

// Follows that JSON as it arrives and decodes the start of its body ("body_base64", or a plain
// "body" string) from the bytes seen so far, for work that can start before the request is
// complete. Only a head start: it follows the first body member of a plainly spelled
// top-level object and stops at anything else (an escape, '=', a key it cannot read, ...);
// parseEgressJson alone decides what the body is.
class EgressBodyFollower {
public:
    // data: the next bytes of the JSON. Appends to *decoded the body bytes they complete.
    // Returns false once it has stopped (nothing more will be appended).
    bool feed(const char *data, qsizetype size, QByteArray *decoded);

    // Whether *decoded holds a whole "body_base64" string: json[*begin, *end) (quotes
    // excluded) is canonical base64 and decoded to it.
    bool wholeBody64(qsizetype *begin, qsizetype *end) const;

private:
    enum class State { Start, BeforeKey, Key, AfterKey, BeforeValue, Value, AfterValue, Body64, BodyText, Stopped };
    qsizetype feedBody64(const char *data, qsizetype size, qsizetype at, QByteArray *decoded);
    qsizetype feedBodyText(const char *data, qsizetype size, QByteArray *decoded);

    State m_state = State::Start;
    QByteArray m_key;
    int m_depth = 0; // Value: nesting inside the value being skipped
    bool m_inString = false;
    bool m_escape = false;
    char m_quantum[4] = {};
    int m_quantumSize = 0;
    int m_padding = 0;    // '=' seen after the last quantum's characters
    qsizetype m_seen = 0; // bytes fed so far
    qsizetype m_body64Begin = -1;
    qsizetype m_body64End = -1; // set once the string ended as canonical base64
};

} // namespace airlock
