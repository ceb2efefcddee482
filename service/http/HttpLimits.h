#pragma once

#include <QtGlobal>

#include <functional>

namespace airlock {

// Limits the HTTP layer enforces on every request. Kept apart from HttpConnection so the
// socket-free HttpRequestParser (and its fuzzer) can use them without QObject baggage.
struct HttpLimits {
    qint64 maxHeaderBytes = 16 * 1024;    // request line + headers; over it: 431
    std::function<qint64()> maxBodyBytes; // asked per request; over it: 413 before the body is read
    int headerTimeoutMs = 10'000;         // time allowed to send a request's head (and body) once started
    int idleTimeoutMs = 30'000;           // keep-alive idle time between requests
};

// Used when maxBodyBytes is not set: fail closed with the product's default body limit.
inline constexpr qint64 kDefaultMaxBodyBytes = 10 * 1024 * 1024;

} // namespace airlock
