#include "HttpTestClient.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTest>

namespace airlock::test {

std::optional<Response> takeResponse(QByteArray &buf, bool eof, bool headRequest) {
    const qsizetype headEnd = buf.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return std::nullopt;
    Response r;
    const QList<QByteArray> lines = buf.left(headEnd).split('\n');
    r.status = lines.first().split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        r.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    qsizetype pos = headEnd + 4;
    if (headRequest || r.status == 100 || r.status == 204) {
        r.complete = true;
    } else if (r.header("transfer-encoding") == "chunked") {
        for (;;) {
            const qsizetype lineEnd = buf.indexOf("\r\n", pos);
            if (lineEnd < 0)
                break;
            bool ok = false;
            const qint64 size = buf.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
            if (!ok || buf.size() < lineEnd + 2 + size + 2)
                break;
            if (size == 0) {
                pos = lineEnd + 4;
                r.complete = true;
                break;
            }
            r.body += buf.mid(lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
        }
        if (!r.complete && !eof)
            return std::nullopt;
    } else if (!r.header("content-length").isEmpty()) {
        const qint64 length = r.header("content-length").toLongLong();
        r.body = buf.mid(pos, length);
        r.complete = r.body.size() == length;
        if (!r.complete && !eof)
            return std::nullopt;
        pos += r.body.size();
    } else {
        if (!eof)
            return std::nullopt;
        r.body = buf.mid(pos);
        pos = buf.size();
    }
    buf.remove(0, pos);
    return r;
}

Client::Client(quint16 port) {
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [this] { eof = true; });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &socket, [this](auto) { eof = true; });
    socket.connectToHost(QHostAddress::LocalHost, port);
}

void Client::pump() {
    QTest::qWait(2);
    buffer += socket.readAll();
}

std::optional<Response> Client::read(bool headRequest, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        pump();
        if (auto r = takeResponse(buffer, eof, headRequest))
            return r;
        if (eof && buffer.isEmpty())
            return std::nullopt;
    }
    return std::nullopt;
}

bool Client::waitClosed(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!eof && !deadline.hasExpired())
        pump();
    buffer += socket.readAll();
    return eof;
}

} // namespace airlock::test
