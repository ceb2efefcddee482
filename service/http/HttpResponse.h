#pragma once

#include "http/HttpRequest.h"

namespace airlock {

// How the body of a response is framed on the wire.
enum class BodyFraming {
    None,           // HEAD, 204, 304: no body bytes, whatever the length says
    ContentLength,  // Content-Length: N
    Chunked,        // Transfer-Encoding: chunked
    CloseDelimited, // HTTP/1.0 client, unknown length: the body ends when the connection closes
};

// Serialises response heads and the HTTP layer's own refusals. The framing headers
// (Content-Length, Transfer-Encoding, Connection, Keep-Alive) are always written here,
// never taken from the caller, and a caller header that could split the response is dropped.
namespace HttpResponse {

QByteArray reasonPhrase(int status);
bool statusHasBody(int status);
QByteArray head(int status, const HeaderList &headers, BodyFraming framing, qint64 contentLength, bool keepAlive,
                bool http10);
// A complete response in the product's error shape: {"error":…,"code":…}, X-Airlock-Decision: blocked,
// Connection: close.
QByteArray error(int status, const char *code, const QByteArray &message);
QByteArray chunkPrefix(qint64 size);

} // namespace HttpResponse
} // namespace airlock
