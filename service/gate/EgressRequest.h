#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace airlock {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// What a client asks the Airlock to send, before any check: the fields of the /v1/fetch
// JSON body, decoded (body_base64 already turned into bytes).
struct EgressRequest {
    QString url;
    QString method = QStringLiteral("GET");
    HeaderList headers;
    QByteArray body;
    bool hasBody = false;
};

} // namespace airlock
