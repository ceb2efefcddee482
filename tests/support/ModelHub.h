#pragma once

#include "TestUpstream.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

namespace airlock::test {

// One file of a Hugging Face repo or one blob of an Ollama model, as ModelHub serves it. The
// digests are computed on first use and kept, so set the fields first; copies keep what was
// computed (a multi-GiB generated file is hashed once).
struct HubFile {
    QString path;              // repo-relative, '/'-separated (Ollama: unused)
    QByteArray content;        // the bytes, for small files
    qint64 generatedSize = -1; // >= 0: the content is generated::slice(0, generatedSize), never held in memory
    bool lfs = false;          // Hugging Face: stored in LFS (resolve redirects to the CDN)
    QByteArray mediaType;      // Ollama layer media type (empty: the usual one for a config or a model layer)

    qint64 size() const;
    QByteArray sha256Hex() const; // of the content
    QByteArray gitOidHex() const; // SHA-1 of "blob <len>\0" + content: the git blob id of a plain file
    // What git stores for an LFS file, and its blob id: what a tree listing calls the file's "oid".
    QByteArray lfsPointer() const;
    QByteArray pointerOidHex() const;
    // The bytes [offset, offset + length), for checks in tests (materialises generated content).
    QByteArray bytes(qint64 offset = 0, qint64 length = -1) const;

    static HubFile small(const QString &path, const QByteArray &content, bool lfs = false);
    static HubFile generated(const QString &path, qint64 size, bool lfs = true);
    static HubFile blob(const QByteArray &content, const QByteArray &mediaType = {});
    static HubFile generatedBlob(qint64 size, const QByteArray &mediaType = {});

    // Caches of the digests; not part of the description.
    mutable QByteArray m_sha256;
    mutable QByteArray m_gitOid;
};

// A Hugging Face hub and an Ollama registry for TestUpstream: answers what a downloader asks of
// huggingface.co and its LFS CDN (cdn-lfs.hf.co), and of registry.ollama.ai and its blob storage
// (blobs.r2.cloudflarestorage.com), with the status codes, headers and JSON shapes the real
// services use, plus fault knobs for the bytes of single files. Generated files stream from the
// shared sequence, so memory stays flat whatever their size. Routing is by the Host header (the
// TLS server name when there is none).
//
// Differences from the real services a downloader must not depend on anyway: CDN and storage
// URLs carry signatures checked only against this hub; an LFS file and an Ollama blob with the
// same bytes are one stored object (their downloads and faults are shared).
class ModelHub {
    Q_DISABLE_COPY_MOVE(ModelHub) // handler() keeps a pointer to it
public:
    ModelHub();

    // Hugging Face. Adding a second commit to a repo keeps the first (history); refs then point
    // at the commit they were last given with.
    void addHfRepo(const QString &repo, const QString &commit, const QList<HubFile> &files,
                   const QStringList &refs = {QStringLiteral("main")});
    void setTreePageSize(int files) { m_treePageSize = qMax(1, files); }
    void setRawTree(const QString &repo, const QByteArray &json) { m_rawTrees.insert(repo, json); }

    // Ollama.
    void addOllamaModel(const QString &ns, const QString &name, const QString &tag, const HubFile &config,
                        const QList<HubFile> &layers);
    void setRawManifest(const QString &ns, const QString &name, const QString &tag, const QByteArray &json);
    void setRequireToken(bool on) { m_requireToken = on; }
    // The manifest as served, for assertions on its digest.
    QByteArray manifest(const QString &ns, const QString &name, const QString &tag) const;

    // Faults for the next `times` GETs of a file's bytes: an HF path (after the repo is added) or
    // an Ollama "sha256:<hex>" digest. Several queue up in the order given. "The middle" and
    // "half" are of the body sent, so a fault bites a ranged GET too.
    void corrupt(const QString &file, int times = 1);                  // same size, one byte inverted in the middle
    void truncate(const QString &file, int times = 1);                 // close the connection after half the body
    void stallAfter(const QString &file, qint64 bytes, int times = 1); // send `bytes`, then nothing; stay open
    void setOmitLinkedEtag(bool on) { m_omitLinkedEtag = on; }

    bool handle(const RecordedRequest &request, Responder &responder); // true when it answered
    TestHandler handler(); // handle(), else TestUpstream::standardRoutes; the hub must outlive it

    int downloads(const QString &file) const;            // GETs of the file's bytes (resolve, CDN or blob storage)
    QList<QByteArray> ranges(const QString &file) const; // their Range header values ("" when none)
    int tokensIssued() const { return m_tokensIssued; }

private:
    struct HfRepo {
        QString id; // "org/repo"
        QMap<QString, QList<HubFile>> commits;
        QHash<QString, QString> refs; // branch or tag name -> commit
    };
    struct OllamaModel {
        QByteArray manifest;
        QSet<QByteArray> blobs; // sha256 hex of the config and layers
    };
    struct Fault {
        enum class Kind { Corrupt, Truncate, Stall };
        Kind kind = Kind::Corrupt;
        qint64 bytes = 0;
        int remaining = 0;
    };

    bool handleHub(const RecordedRequest &request, Responder &responder);
    bool handleCdn(const RecordedRequest &request, Responder &responder);
    bool handleRegistry(const RecordedRequest &request, Responder &responder);
    bool handleStorage(const RecordedRequest &request, Responder &responder);

    void hfRevision(const HfRepo &repo, const QString &commit, Responder &responder);
    void hfTree(const RecordedRequest &request, const HfRepo &repo, const QString &commit, const QList<QByteArray> &raw,
                Responder &responder);
    void hfResolve(const RecordedRequest &request, const HfRepo &repo, const QString &commit, const QString &path,
                   Responder &responder);
    const HfRepo *findRepo(const QString &id) const;
    bool findCommit(const HfRepo &repo, const QString &rev, QString *commit) const;

    bool authorized(const RecordedRequest &request, const QString &repository, Responder &responder) const;
    void issueToken(const RecordedRequest &request, Responder &responder);

    QByteArray cdnUrl(const QString &repo, const HubFile &file) const;
    QByteArray storageUrl(const QByteArray &sha256) const;
    QByteArray sign(const QByteArray &what) const;
    QString faultKey(const QString &file) const;
    void addFault(const QString &file, Fault fault);
    void serveBytes(const RecordedRequest &request, Responder &responder, const HubFile &file, const QString &key,
                    TestHeaders headers);

    QHash<QString, HfRepo> m_repos;
    QHash<QString, QByteArray> m_rawTrees;
    QHash<QString, QByteArray> m_lfsPathSha; // HF path -> sha256 of its LFS object
    QHash<QByteArray, HubFile> m_objects;    // sha256 -> bytes kept at the CDN or blob storage
    QHash<QString, OllamaModel> m_models;    // "ns/name:tag"
    QHash<QString, QString> m_tokens;        // token -> scope it was issued for
    QHash<QString, QList<Fault>> m_faults;
    QHash<QString, QList<QByteArray>> m_ranges; // one entry per GET of a file's bytes
    QByteArray m_secret;
    int m_treePageSize = 1000;
    int m_tokensIssued = 0;
    bool m_requireToken = false;
    bool m_omitLinkedEtag = false;
};

} // namespace airlock::test
