#pragma once

#include "pull/PullPlan.h"

#include <QByteArray>

#include <memory>

namespace airlock {

// A file's digest computed while it streams (OpenSSL): SHA-256 of the bytes, or the git blob
// id, SHA-1 of "blob <size>\0" and the bytes.
class StreamingDigest final {
public:
    StreamingDigest();
    ~StreamingDigest();
    StreamingDigest(const StreamingDigest &) = delete;
    StreamingDigest &operator=(const StreamingDigest &) = delete;

    void reset(DigestKind kind, qint64 size); // size: the file's full size (git blob header)
    void update(const char *data, qint64 size);
    QByteArray hex(); // lower-case; ends the computation (reset() before the next)

private:
    struct State;
    std::unique_ptr<State> d;
};

} // namespace airlock
