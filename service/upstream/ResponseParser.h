#pragma once

#include "base/HeaderList.h"

#include <QByteArray>

#include <memory>

namespace airlock {

// What one upstream response may make the Airlock hold before its body is relayed.
struct ResponseLimits {
    // Every byte of the response's heads, interim (1xx) heads included, from the first status
    // line to the last header field; the trailer section after a chunked body has a budget of the
    // same size of its own.
    qint64 maxHeadBytes = 256 * 1024;
    // Header fields of those heads together, and again of the trailer section. Servers send a
    // few dozen; 256 leaves room for any real one while bounding the per-field bookkeeping that a
    // head of tiny fields ("a:\r\n" 64 thousand times in 256 KiB) would otherwise cost.
    int maxFields = 256;
};

// Incremental, socket-free HTTP/1.x response parser on top of llhttp in strict mode, the twin of
// HttpRequestParser for the outbound side. It reads exactly one response: interim 1xx responses
// are skipped (101 is refused: no protocol is switched), HEAD, 204, 304 and redirects are
// bodiless (a redirect's body is never read), and the body is framed by Content-Length, chunked
// coding or the end of the connection (finish()). It refuses what could be read two ways
// (Content-Length with Transfer-Encoding, differing Content-Lengths). The decoded body waits in
// a queue the caller drains with readBody(): a read that is all body is queued as the very
// buffer fed (shared, never copied) and small spans (chunked coding) are copied together, so a
// download moves few, large buffers. Once it reports an error it stays failed.
class ResponseParser {
public:
    enum class Status {
        Incomplete, // every byte fed was consumed; the response goes on
        Complete,   // the response ended; `consumed` may be less than fed (trailingBytes())
        Invalid,    // not an HTTP/1.x response, ambiguous framing, or a protocol switch
        TooLarge,   // the heads (or trailers) exceed ResponseLimits
        Truncated,  // finish() only: the connection ended before the response did
    };
    struct Result {
        Status status = Status::Incomplete;
        qint64 consumed = 0;
    };

    explicit ResponseParser(bool headRequest, ResponseLimits limits = {});
    ~ResponseParser();
    ResponseParser(const ResponseParser &) = delete;
    ResponseParser &operator=(const ResponseParser &) = delete;

    // Parses buffer; a body span covering all of it is queued as buffer itself.
    Result feed(const QByteArray &buffer);
    // The connection ended; clean: closed by the upstream rather than broken (reset, TLS error).
    // A response read until the close ends only on a clean close; one framed by a length or by
    // chunks ends only if that framing was complete.
    Status finish(bool clean);

    bool headComplete() const; // the final (non-1xx) head was parsed
    int status() const;
    const HeaderList &headers() const; // of the final head, names as spelled, values trimmed
    bool isRedirect() const;           // 301, 302, 303, 307 or 308 with a Location
    QByteArray location() const;       // as received, trimmed; empty if absent
    qint64 contentLength() const;      // the body to expect: 0 when bodiless, -1 when not known ahead

    bool isComplete() const;
    bool trailingBytes() const; // bytes followed the response (the connection is out of step)
    bool keepAlive() const;     // complete, the connection is kept by both sides and in step

    qint64 bufferedBytes() const; // decoded body waiting in the queue
    qint64 bodyBytes() const;     // decoded body so far, read or not
    // Up to maxSize decoded bytes; a queued buffer no larger is handed over as it is.
    QByteArray readBody(qint64 maxSize);

    QByteArray errorMessage() const; // fixed text, never echoes response bytes

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace airlock
