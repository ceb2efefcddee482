#pragma once

#include "base/ErrorCode.h"
#include "http/HttpRequest.h"

#include <QJsonObject>
#include <QString>

#include <initializer_list>
#include <optional>

namespace airlock {

class HttpConnection;

// The one place where an Airlock outcome becomes an HTTP status.
int httpStatusFor(ErrorCode code);

// Writes a refusal by the Airlock: {"error","code"[,"rule"]} with X-Airlock-Decision: blocked.
void sendError(HttpConnection *connection, ErrorCode code, const QString &message, const QString &rule = {},
               int retryAfterSeconds = 0, const HeaderList &extraHeaders = {});

// A request body that must be a JSON object holding no field but those named: the object, or
// nullopt and *error (for a 400) saying what is wrong.
std::optional<QJsonObject> strictJsonObject(const QByteArray &body, std::initializer_list<QLatin1String> fields,
                                            QString *error);

// Writes a JSON body with status 200 (or the given status).
void sendJson(HttpConnection *connection, const QByteArray &json, int status = 200, const HeaderList &extra = {});

} // namespace airlock
