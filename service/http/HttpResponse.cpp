#include "http/HttpResponse.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace airlock {

namespace {

Q_LOGGING_CATEGORY(lcHttp, "airlock.http")

bool isFramingHeader(const QByteArray &name) {
    for (const char *framing : {"content-length", "transfer-encoding", "connection", "keep-alive"}) {
        if (name.compare(framing, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isSafeHeader(const QByteArray &name, const QByteArray &value) {
    if (name.isEmpty())
        return false;
    for (const char c : name) {
        if (c <= ' ' || c == ':' || c == 0x7f)
            return false;
    }
    for (const char c : value) {
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    }
    return true;
}

} // namespace

namespace HttpResponse {

QByteArray reasonPhrase(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 416:
        return "Range Not Satisfiable";
    case 417:
        return "Expectation Failed";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

bool statusHasBody(int status) {
    return status >= 200 && status != 204 && status != 304;
}

QByteArray head(int status, const HeaderList &headers, BodyFraming framing, qint64 contentLength, bool keepAlive,
                bool http10) {
    QByteArray out;
    out.reserve(256 + headers.size() * 64);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers) {
        if (isFramingHeader(name))
            continue;
        if (!isSafeHeader(name, value)) {
            qCWarning(lcHttp) << "dropped a response header with invalid characters";
            continue;
        }
        out += name + ": " + value + "\r\n";
    }
    if (framing == BodyFraming::ContentLength ||
        (framing == BodyFraming::None && contentLength >= 0 && statusHasBody(status)))
        out += "Content-Length: " + QByteArray::number(contentLength) + "\r\n";
    else if (framing == BodyFraming::Chunked)
        out += "Transfer-Encoding: chunked\r\n";
    if (!keepAlive)
        out += "Connection: close\r\n";
    else if (http10)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    return out;
}

QByteArray error(int status, const char *code, const QByteArray &message) {
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("error"), QString::fromUtf8(message)},
                                                      {QStringLiteral("code"), QString::fromLatin1(code)}})
                                .toJson(QJsonDocument::Compact);
    const HeaderList headers{{"Content-Type", "application/json"}, {"X-Airlock-Decision", "blocked"}};
    return head(status, headers, BodyFraming::ContentLength, body.size(), false, false) + body;
}

QByteArray chunkPrefix(qint64 size) {
    return QByteArray::number(size, 16) + "\r\n";
}

} // namespace HttpResponse
} // namespace airlock
