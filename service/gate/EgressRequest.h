#pragma once

#include "base/HeaderList.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace airlock {

struct PrescannedBody;

// What a client asks the Airlock to send, before any check: the fields of the /v1/fetch
// JSON body, decoded (body_base64 already turned into bytes).
struct EgressRequest {
    QString url;
    QString method = QStringLiteral("GET");
    HeaderList headers;
    QByteArray body;
    bool hasBody = false;
    // The body's first bytes, matched while the request arrived (inspect/HeadStart); only a
    // head start for inspection, which checks it is of this body.
    std::shared_ptr<const PrescannedBody> prescan;
};

} // namespace airlock
