#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace airlock {

using HeaderList = QList<QPair<QByteArray, QByteArray>>; // names as received, in order

// One complete HTTP/1.1 request as parsed by HttpConnection.
struct HttpRequest {
    QByteArray method; // "GET"
    QByteArray target; // "/v1/fetch" (origin-form, query included)
    HeaderList headers;
    QByteArray body;
    bool keepAlive = true;

    QByteArray path() const;                         // target without the query
    QByteArray header(const QByteArray &name) const; // first value, case-insensitive name; empty if absent
    bool hasHeader(const QByteArray &name) const;
};

} // namespace airlock
