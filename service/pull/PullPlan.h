#pragma once

#include "pullsource/PullSource.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace airlock {

// How a downloaded file is checked before it is published.
enum class DigestKind {
    Sha256,  // Hugging Face LFS files (lfs.oid), Ollama blobs (sha256:…)
    GitSha1, // Hugging Face plain files: the git blob id, SHA-1 of "blob <len>\0<bytes>"
};
QString digestKindName(DigestKind kind); // "sha256", "git-sha1"

// One file of a plan: where it goes (relative to the model's folder), what it must be, where
// it comes from.
struct PlannedFile {
    QString path;    // safe relative path, '/'-separated (see isSafeRelativePath)
    qint64 size = 0; // exact size in bytes
    DigestKind kind = DigestKind::Sha256;
    QByteArray digest; // lower-case hex (64 for Sha256, 40 for GitSha1)
    QString url;       // absolute https URL to GET
    bool operator==(const PlannedFile &) const = default;
};

// The resolved plan of a pull: the revision pinned to a commit (Hugging Face) or the manifest's
// digest (Ollama), and every file, filtered by include/exclude.
struct PullPlan {
    PullSource source;
    QString revision;         // Hugging Face: the 40-hex commit; Ollama: "sha256:<hex>" of the manifest
    QList<PlannedFile> files; // in download order
    QByteArray manifest;      // Ollama: the manifest bytes exactly as received (published as-is)
    qint64 totalBytes() const;
};

} // namespace airlock
