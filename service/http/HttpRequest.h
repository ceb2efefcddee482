#pragma once

#include "base/HeaderList.h"

#include <QByteArray>
#include <QList>
#include <QPair>

#include <memory>

namespace airlock {

// Sees a request's body while it arrives (HttpLimits::watchBody), on the connection's thread.
class BodyWatcher {
public:
    virtual ~BodyWatcher() = default;
    virtual void bodyData(const char *data, qsizetype size) = 0; // every body byte, in order, once
    // The same, when the bytes are buffer[offset, offset + size) of a buffer that is never
    // changed again: a watcher may keep a reference instead of a copy.
    virtual void bodyDataIn(const QByteArray &buffer, qsizetype offset, qsizetype size) {
        bodyData(buffer.constData() + offset, size);
    }
    virtual void bodyEnd() = 0; // the body is complete
};

// One complete HTTP/1.1 request as parsed by HttpConnection.
struct HttpRequest {
    QByteArray method; // "GET"
    QByteArray target; // "/v1/fetch" (origin-form, query included)
    HeaderList headers;
    QByteArray body;
    bool keepAlive = true;
    std::shared_ptr<BodyWatcher> bodyWatcher; // the one that saw this body, if any
    bool bodyUnread = false; // HttpLimits::answerFromHead: body is empty, the announced one was never read

    QByteArray path() const;                         // target without the query
    QByteArray header(const QByteArray &name) const; // first value, case-insensitive name; empty if absent
    bool hasHeader(const QByteArray &name) const;
};

} // namespace airlock
