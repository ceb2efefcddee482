#pragma once

#include "base/HeaderList.h"
#include "pull/PullPlan.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace airlock {

// Parsers for what Hugging Face and the Ollama registry answer while a pull is resolved. All of
// it is untrusted input: each parser is socket-free, bounded (the caller caps the bytes it
// hands in) and refuses anything it does not understand with a one-sentence reason.

// Limits on a plan, from the hostile-upstream rules.
struct PlanLimits {
    int maxFiles = 10'000;
    int maxPathBytes = 1024;   // UTF-8 bytes of one relative path
    int maxSegmentBytes = 255; // one path segment (a file-system name)
    int maxDepth = 32;         // path segments
};

// Why a parser refused; maps to the API codes bad_manifest and unsafe_path.
struct HubError {
    enum class Kind { BadManifest, UnsafePath, NotFound };
    Kind kind = Kind::BadManifest;
    QString message;
};

// A relative path a file may be created at: non-empty, '/'-separated segments, none empty, "."
// or "..", no leading '/', no backslash, no NUL or other control character (C0, DEL, C1), valid
// UTF-8 when encoded, within the limits. *why says which rule failed.
bool isSafeRelativePath(QStringView path, const PlanLimits &limits, QString *why);

// GET /api/models/{repo}/revision/{rev}: the commit it names ("sha", 40 lower-case hex).
std::optional<QString> parseHfRevision(const QByteArray &json, HubError *error);

// One entry of a Hugging Face tree listing (type "file"; directories are skipped).
struct HfTreeFile {
    QString path;
    qint64 size = 0;
    QByteArray gitOid;    // 40-hex git blob id ("oid")
    QByteArray lfsSha256; // 64-hex "lfs.oid" when the file is in LFS, else empty
    qint64 lfsSize = -1;  // "lfs.size" when present
};

// GET /api/models/{repo}/tree/{commit}[/{dir}]?recursive=true: one page (a JSON array). Appends
// the files to *files. Refuses malformed entries (missing or mistyped fields, digests that are
// not hex of the right length, a negative size, an LFS size that differs from size) as
// BadManifest, and unsafe paths as UnsafePath.
bool parseHfTreePage(const QByteArray &json, const PlanLimits &limits, QList<HfTreeFile> *files, HubError *error);

// The next page of a paginated listing: the URL of the Link header's rel="next" entry (RFC 8288;
// several comma-separated links, parameters in any order, quoted or not). Empty when there is none;
// *unreadable (when given) says a Link header was there but could not be read (malformed, over
// 8 KiB, a next link that is not a visible-ASCII URL): it may have named a next page.
QByteArray nextPageLink(const HeaderList &headers, bool *unreadable = nullptr);

// The checks a whole listing must pass after the last page: no duplicate paths (compared
// exactly, and also case-insensitively, since a quarantine folder may be on such a file system),
// no path that is both a file and a folder ("a" and "a/b"), at most limits.maxFiles files.
bool checkHfTree(const QList<HfTreeFile> &files, const PlanLimits &limits, HubError *error);

// An Ollama (OCI / Docker v2) image manifest: schemaVersion 2, a config and layers, each with a
// mediaType, a "sha256:<64 hex>" digest and a size. Duplicate layer digests are allowed (a blob
// is stored once).
struct OllamaBlob {
    QString mediaType;
    QByteArray digestHex; // the 64 hex after "sha256:"
    qint64 size = 0;
};
struct OllamaManifest {
    OllamaBlob config;
    QList<OllamaBlob> layers;
};
std::optional<OllamaManifest> parseOllamaManifest(const QByteArray &json, const PlanLimits &limits, HubError *error);

// A WWW-Authenticate "Bearer" challenge (RFC 6750 / the Docker token protocol): realm, service,
// scope. Parameters in any order, quoted-string values with backslash escapes. nullopt when the
// value is not a Bearer challenge with an https realm.
struct BearerChallenge {
    QString realm;
    QString service;
    QString scope;
};
std::optional<BearerChallenge> parseBearerChallenge(const QByteArray &value);

// The token endpoint's answer: {"token": …} or {"access_token": …}. Only visible ASCII, at most
// 8 KiB; nullopt otherwise.
std::optional<QByteArray> parseRegistryToken(const QByteArray &json);

} // namespace airlock
