#pragma once

#include "http/HttpRequest.h"
#include "record/AuditRecord.h"

#include <functional>

namespace airlock {

class HttpConnection;
class PullManager;

// The REST API of model pulls, for a caller that has shown the token:
//   POST   /v1/pulls                 {"source", "include"?, "exclude"?, "dry_run"?} → 202 (200 for a dry run)
//   GET    /v1/pulls                 every pull (summaries)
//   GET    /v1/pulls/{id}            one pull with its files
//   DELETE /v1/pulls/{id}[?discard=true]   cancel; discard also removes the partial files and the pull
//   POST   /v1/pulls/{id}/resume
// A refused request is answered in the API's error shape and recorded with record().
void handlePullRequest(HttpConnection *connection, const HttpRequest &request, PullManager *pulls,
                       const std::function<void(const AuditRecord &)> &record);

// Whether a path belongs to handlePullRequest.
bool isPullPath(const QByteArray &path);

} // namespace airlock
