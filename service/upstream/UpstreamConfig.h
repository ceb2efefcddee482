#pragma once

#include "base/ErrorCode.h"
#include "upstream/ConnectionPool.h"

#include <QByteArray>
#include <QPointer>
#include <QSslConfiguration>
#include <QString>

namespace airlock {

struct UpstreamConfig {
    QSslConfiguration ssl;         // system CAs plus --ca-file, TLS 1.2 or newer
    int connectTimeoutMs = 10'000; // TCP and TLS of a new connection
    int firstByteTimeoutMs = 30'000;
    int idleTimeoutMs = 60'000; // no body byte for this long while streaming
    int maxRedirects = 5;
    qint64 readBufferSize = 1024 * 1024;
    QByteArray userAgent = "secure-ai-airlock";
    // Where connections are kept alive between fetches; none: one connection per hop.
    QPointer<ConnectionPool> pool;
};

struct FetchError {
    ErrorCode code = ErrorCode::None;
    QString message;
    QString ruleId; // set when a redirect hop was refused by the Gate
};

} // namespace airlock
