#pragma once

#include "gate/EgressRequest.h"

#include <QByteArray>
#include <QString>

namespace airlock {

// Turns the JSON body of /v1/fetch and /v1/egress/check into an EgressRequest:
// {"url"|"destination", "method", "headers": {name: value | [values]}, "body": string|null,
// "body_base64": string}. Unknown fields, wrong types, both url and destination, both body
// forms, or invalid base64 are errors. Returns false with a specific message.
bool parseEgressJson(const QByteArray &json, EgressRequest *request, QString *error);

} // namespace airlock
