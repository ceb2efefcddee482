#pragma once

#include "base/HeaderList.h"

#include <QByteArray>
#include <QTcpSocket>

#include <optional>

namespace airlock::test {

// A plain HTTP/1.1 client for tests of the Airlock's own server: raw bytes out, responses
// parsed back with their framing, on the test's event loop (the server lives in that thread).

struct Response {
    int status = 0;
    HeaderList headers;
    QByteArray body;
    bool complete = false; // framed end seen (not just a closed connection)

    QByteArray header(const QByteArray &name) const { return headerValue(headers, name); }
};

// Takes one response off the front of buf; nullopt while it is incomplete (and the peer open).
std::optional<Response> takeResponse(QByteArray &buf, bool eof, bool headRequest = false);

struct Client {
    QTcpSocket socket;
    QByteArray buffer;
    bool eof = false;

    explicit Client(quint16 port);
    void send(const QByteArray &data) { socket.write(data); }
    void pump();
    // Spins the event loop until a response is parsed; nullopt on timeout or a close.
    std::optional<Response> read(bool headRequest = false, int timeoutMs = 5000);
    bool waitClosed(int timeoutMs = 5000);
};

} // namespace airlock::test
