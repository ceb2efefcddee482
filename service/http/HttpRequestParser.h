#pragma once

#include "http/HttpLimits.h"
#include "http/HttpRequest.h"

#include <memory>

namespace airlock {

// Incremental, socket-free HTTP/1.x request parser on top of llhttp in strict mode. It
// stops after each complete request so the caller can answer it before pipelined bytes
// are looked at, and it refuses anything whose framing could be read two ways
// (Content-Length with Transfer-Encoding, duplicate Content-Length, obs-fold, codings
// other than chunked). Once it reports an error it stays failed: the connection must close.
class HttpRequestParser {
public:
    enum class Status {
        Incomplete,        // every byte consumed, the request is not complete yet
        Ok,                // a request is complete: takeRequest(); `consumed` may be less than fed
        BadRequest,        // 400
        HeadersTooLarge,   // 431
        BodyTooLarge,      // 413
        ExpectationFailed, // 417
    };
    struct Result {
        Status status = Status::Incomplete;
        qint64 consumed = 0;
    };

    explicit HttpRequestParser(HttpLimits limits);
    ~HttpRequestParser();
    HttpRequestParser(const HttpRequestParser &) = delete;
    HttpRequestParser &operator=(const HttpRequestParser &) = delete;

    Result feed(const char *data, qint64 size);
    // The same for buffer[from, end); buffer must never be changed afterwards (a body watcher
    // may keep a reference to it, see BodyWatcher::bodyDataIn).
    Result feed(const QByteArray &buffer, qsizetype from);

    HttpRequest takeRequest();       // after Ok; the next feed() starts the next request
    bool inRequest() const;          // some bytes of a request (past leading blank lines) were seen
    bool headComplete() const;       // the current request's head is complete (its body may still be arriving)
    bool takeContinue();             // once per request: the head is accepted and asked for 100-continue
    bool isHead() const;             // the last completed request is HEAD
    bool isHttp10() const;           // the last completed request is HTTP/1.0
    qint64 maxBodyBytes() const;     // limit in force for the current request
    QByteArray errorMessage() const; // fixed text, never echoes request bytes

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace airlock
