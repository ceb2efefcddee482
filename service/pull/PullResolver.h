#pragma once

#include "pull/HubParsers.h"
#include "pull/PullContext.h"
#include "pull/PullPlan.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace airlock {

class PullFetch;

// Why a resolution or a download failed: an API code and one sentence.
struct PullError {
    ErrorCode code = ErrorCode::None;
    QString message;
    bool ok() const { return code == ErrorCode::None; }
};

// Turns a source into a plan, asking the upstream as a client of it would:
//   Hugging Face: the revision to a commit (/api/models/{repo}/revision/{rev}), then the file
//   tree at that commit (/api/models/{repo}/tree/{commit}?recursive=true, every page of it),
//   filtered by include/exclude; one file of a resolve URL is looked up in its folder's listing.
//   Ollama: the manifest (/v2/{ns}/{name}/manifests/{tag}), answering a 401 token challenge the
//   way the registry asks; the config and each layer are the files.
// Every request is a PullFetch (gated, audited) whose answer is capped at maxListingBytes.
class PullResolver final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PullResolver)
public:
    using Done = std::function<void(const PullPlan &plan, const PullError &error)>;

    PullResolver(const PullContext &context, std::function<QString()> nextRequestId, QObject *parent = nullptr);

    void resolve(const PullSource &source, const QStringList &include, const QStringList &exclude, Done done);
    // Ends the resolution at once; done is called with code and message.
    void abort(ErrorCode code, const QString &message);

    // For Ollama: the Authorization value the registry's token challenge gave (empty when none was asked).
    QByteArray registryAuthorization() const { return m_authorization; }
    int requestCount() const { return m_requests; }

private:
    struct Answer {
        int status = 0;
        HeaderList headers;
        QByteArray body;
    };
    using AnswerFn = std::function<void(const Answer &answer)>;

    void get(const QString &url, const HeaderList &headers, AnswerFn then);
    void hfRevision();
    void hfTreePage(const QString &url);
    void hfTreeDone();
    void ollamaManifest(bool afterToken);
    void ollamaToken(const BearerChallenge &challenge);
    void fail(ErrorCode code, const QString &message);
    void fail(const HubError &error);
    void succeed();

    PullContext m_ctx;
    std::function<QString()> m_nextId;
    PullSource m_source;
    QStringList m_include, m_exclude;
    Done m_done;
    PullPlan m_plan;
    PlanLimits m_limits;
    QList<HfTreeFile> m_tree;
    int m_pages = 0;
    int m_requests = 0;
    qint64 m_listingBytes = 0; // every answer of this resolution together, against maxListingBytes
    QByteArray m_authorization;
    QPointer<PullFetch> m_current;
    bool m_finished = false;
};

// The URL a Hugging Face path segment list or revision goes into: each segment percent-encoded.
QString hfEncodePath(const QString &path);

} // namespace airlock
