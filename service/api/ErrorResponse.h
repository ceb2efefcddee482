#pragma once

#include "base/ErrorCode.h"
#include "http/HttpRequest.h"

#include <QString>

namespace airlock {

class HttpConnection;

// The one place where an Airlock outcome becomes an HTTP status.
int httpStatusFor(ErrorCode code);

// Writes a refusal by the Airlock: {"error","code"[,"rule"]} with X-Airlock-Decision: blocked.
void sendError(HttpConnection *connection, ErrorCode code, const QString &message, const QString &rule = {},
               int retryAfterSeconds = 0, const HeaderList &extraHeaders = {});

// Writes a JSON body with status 200 (or the given status).
void sendJson(HttpConnection *connection, const QByteArray &json, int status = 200, const HeaderList &extra = {});

} // namespace airlock
