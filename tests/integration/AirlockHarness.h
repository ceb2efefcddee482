#pragma once

#include "TestUpstream.h"

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace airlock::test {

// A response as a client saw it, with whether the message ended cleanly by its own framing.
struct ClientResponse {
    int status = 0;
    TestHeaders headers;
    QByteArray body;
    bool complete = false;            // the framing (Content-Length or last chunk) was satisfied
    bool closed = false;              // the connection was closed by the server
    qint64 bodyBytes = 0;             // body bytes seen (also when not kept)
    bool bodyMatchesGenerated = true; // when checking against the generated sequence

    QByteArray header(const QByteArray &name) const;
    QJsonObject json() const;
};

struct ClientOptions {
    int timeoutMs = 30'000;
    bool keepBody = true;        // false: count bytes (and check them) without storing them
    qint64 generatedOffset = -1; // >= 0: check the body against the generated sequence from there
    qint64 abortAfterBytes = -1; // close the connection after this many body bytes
    std::function<void(qint64)> onBody;
};

// Sends raw bytes to host:port and reads one HTTP/1.1 response, spinning the event loop so
// in-process servers (TestUpstream) keep working meanwhile.
ClientResponse sendRaw(quint16 port, const QByteArray &request, const ClientOptions &options = {});
// The same for many requests at once, each on its own connection; answers in request order.
QList<ClientResponse> sendRawConcurrently(quint16 port, const QList<QByteArray> &requests,
                                          const ClientOptions &options = {});

// A real airlockd process with a policy of the test's choosing, pointed at a TestUpstream with
// --connect-to for each of the upstream's names and --ca-file for its CA.
class AirlockProcess {
public:
    AirlockProcess();
    ~AirlockProcess();

    // policyYaml null: no policy file, so airlockd writes its embedded default (disabled).
    bool start(TestUpstream *upstream, const QByteArray &policyYaml = {}, const QStringList &extraArgs = {});
    void stop();

    quint16 port() const { return m_port; }
    QByteArray token() const { return m_token; }
    QString stateDir() const { return m_dir.path(); }
    QString configPath() const { return m_dir.filePath(QStringLiteral("policy.yaml")); }
    QString logText() const { return QString::fromUtf8(m_log); }
    QProcess &process() { return m_process; }

    // POST /v1/fetch (or another path) with a JSON body and the token.
    ClientResponse fetch(const QJsonObject &body, const ClientOptions &options = {},
                         const QByteArray &path = "/v1/fetch");
    ClientResponse get(const QByteArray &path, bool withToken = true);
    // Any method on any path with the token; body sent as JSON when not empty.
    ClientResponse call(const QByteArray &method, const QByteArray &path, const QJsonObject &body = {});
    QByteArray fetchRequest(const QJsonObject &body, const QByteArray &path = "/v1/fetch") const;

    static QByteArray enabledDefaultPolicy();
    static QByteArray testPolicy(const QString &extraDestinations = {}, int requestsPerMinute = 1000,
                                 qint64 maxBodySize = 10485760);

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_log;
    QByteArray m_token;
    quint16 m_port = 0;
};

QString airlockdPath();

} // namespace airlock::test
