#pragma once

#include "http/HttpRequest.h"

#include <QtGlobal>

#include <functional>
#include <memory>

namespace airlock {

// Limits the HTTP layer enforces on every request, and its hooks. Kept apart from
// HttpConnection so the socket-free HttpRequestParser (and its fuzzer) can use them without
// QObject baggage.
struct HttpLimits {
    qint64 maxHeaderBytes = 16 * 1024;    // request line + headers; over it: 431
    std::function<qint64()> maxBodyBytes; // asked per request; over it: 413 before the body is read
    int headerTimeoutMs = 10'000;         // time allowed to send a request's head (and body) once started
    int idleTimeoutMs = 30'000;           // keep-alive idle time between requests
    int firstHeadTimeoutMs = 5'000;       // a new connection must complete its first request head in this time
    // Asked once the head of a request that announces a body is accepted, before any body byte
    // is read: true means the handler will answer from the head alone (a refusal), so the body
    // is never read. The request is delivered with bodyUnread set and an empty body, and the
    // connection closes after the answer (its unread body makes the stream unusable).
    std::function<bool(const HttpRequest &head)> answerFromHead;
    // Asked once a request's head is accepted (method, target and headers set, no body yet):
    // a watcher returned sees the body as it arrives and goes on with the request.
    std::function<std::shared_ptr<BodyWatcher>(const HttpRequest &head)> watchBody;
};

// Used when maxBodyBytes is not set: fail closed with the product's default body limit.
inline constexpr qint64 kDefaultMaxBodyBytes = 10 * 1024 * 1024;

} // namespace airlock
