#include "TestUpstream.h"

#include "ClientHelloPeek.h"
#include "TestConnection.h"

#include <QSslSocket>
#include <QUrl>

namespace airlock::test {

QByteArray RecordedRequest::header(const QByteArray &name) const {
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

bool RecordedRequest::hasHeader(const QByteArray &name) const {
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray RecordedRequest::path() const {
    const qsizetype q = target.indexOf('?');
    return q < 0 ? target : target.left(q);
}

QByteArray RecordedRequest::query() const {
    const qsizetype q = target.indexOf('?');
    return q < 0 ? QByteArray() : target.mid(q + 1);
}

void Responder::reply(int status, const TestHeaders &headers, const QByteArray &body) {
    if (m_connection)
        m_connection->reply(m_request, status, headers, body);
}

void Responder::redirect(int status, const QByteArray &location, const TestHeaders &headers) {
    TestHeaders all = headers;
    all.emplaceBack("Location", location);
    reply(status, all, {});
}

void Responder::sendGenerated(const GeneratedResponse &spec) {
    if (m_connection)
        m_connection->sendGenerated(m_request, spec);
}

void Responder::writeRaw(const QByteArray &bytes, bool closeAfter) {
    if (m_connection)
        m_connection->writeRaw(m_request, bytes, closeAfter);
}

void Responder::stall() {
    if (m_connection)
        m_connection->stall(m_request);
}

void Responder::close() {
    if (m_connection)
        m_connection->closeNow(m_request);
}

bool Responder::isValid() const {
    return m_connection && m_connection->answering(m_request);
}

QStringList TestUpstream::defaultHostNames() {
    return {QStringLiteral("huggingface.co"),     QStringLiteral("cdn-lfs.huggingface.co"),
            QStringLiteral("cdn-lfs.hf.co"),      QStringLiteral("cas-bridge.xethub.hf.co"),
            QStringLiteral("registry.ollama.ai"), QStringLiteral("blobs.r2.cloudflarestorage.com"),
            QStringLiteral("evil.example"),       QStringLiteral("localhost")};
}

TestUpstream::TestUpstream(TestCa *ca, const QStringList &hostNames, QObject *parent)
    : QTcpServer(parent)
    , m_ca(ca)
    , m_hostNames(hostNames) {
    if (!m_ca) {
        m_ownCa = std::make_unique<TestCa>();
        m_ca = m_ownCa.get();
    }
}

TestUpstream::~TestUpstream() {
    // Children that count themselves out of m_open must go while the counters still exist.
    qDeleteAll(findChildren<TestConnection *>(Qt::FindDirectChildrenOnly));
    qDeleteAll(findChildren<ClientHelloPeek *>(Qt::FindDirectChildrenOnly));
}

bool TestUpstream::start(quint16 port, const QHostAddress &address) {
    if (m_tls) {
        if (!m_ca->isValid())
            return false;
        m_serverConfig = m_ca->serverConfiguration(m_hostNames);
        if (m_serverConfig.localCertificate().isNull() || m_serverConfig.privateKey().isNull())
            return false;
    }
    return listen(address, port);
}

void TestUpstream::clearRecords() {
    m_requests.clear();
    m_connections = 0;
    m_aborted = 0;
    m_bodyBytesSent = 0;
}

int TestUpstream::closeIdleConnections() {
    int closed = 0;
    for (TestConnection *c : findChildren<TestConnection *>(Qt::FindDirectChildrenOnly))
        closed += c->closeIfIdle() ? 1 : 0;
    return closed;
}

void TestUpstream::incomingConnection(qintptr socketDescriptor) {
    const int serial = ++m_connections;
    if (!m_tls) {
        beginConnection(socketDescriptor, serial, QString());
        return;
    }
    ++m_open;
    auto *peek = new ClientHelloPeek(socketDescriptor, this);
    connect(peek, &ClientHelloPeek::done, this, [this, peek, serial](qintptr fd, const QString &sni, bool closed) {
        --m_open;
        peek->deleteLater();
        if (!closed)
            beginConnection(fd, serial, sni);
    });
}

void TestUpstream::beginConnection(qintptr fd, int serial, const QString &sni) {
    QTcpSocket *socket = nullptr;
    if (m_tls) {
        auto *ssl = new QSslSocket;
        ssl->setSslConfiguration(m_serverConfig);
        socket = ssl;
    } else {
        socket = new QTcpSocket;
    }
    if (!socket->setSocketDescriptor(fd)) {
        delete socket;
        return;
    }
    new TestConnection(this, socket, serial, sni);
    if (auto *ssl = qobject_cast<QSslSocket *>(socket))
        ssl->startServerEncryption();
}

void TestUpstream::dispatch(const RecordedRequest &request, Responder &responder) {
    if (m_handler)
        m_handler(request, responder);
    else
        standardRoutes(request, responder);
}

void TestUpstream::standardRoutes(const RecordedRequest &request, Responder &responder) {
    const QByteArray path = request.path();
    const bool get = request.method == "GET" || request.method == "HEAD";
    bool ok = false;
    if (get && path.startsWith("/bytes/")) {
        const qint64 size = path.mid(7).toLongLong(&ok);
        if (ok && size >= 0) {
            GeneratedResponse spec;
            spec.size = size;
            responder.sendGenerated(spec);
            return;
        }
    } else if (get && path.startsWith("/chunked/")) {
        const qint64 size = path.mid(9).toLongLong(&ok);
        if (ok && size >= 0) {
            GeneratedResponse spec;
            spec.size = size;
            spec.chunked = true;
            responder.sendGenerated(spec);
            return;
        }
    } else if ((request.method == "POST" || request.method == "PUT") && path == "/echo") {
        const QByteArray json =
            "{\"size\":" + QByteArray::number(request.bodySize) + ",\"sha256\":\"" + request.bodySha256 + "\"}";
        responder.reply(200, {{"Content-Type", "application/json"}}, json);
        return;
    } else if (get && path == "/redirect") {
        for (const QByteArray &pair : request.query().split('&')) {
            if (pair.startsWith("to=")) {
                responder.redirect(302, QUrl::fromPercentEncoding(pair.mid(3)).toUtf8());
                return;
            }
        }
    } else if (path.startsWith("/status/")) {
        const int status = path.mid(8).toInt(&ok);
        if (ok && status >= 200 && status <= 599) {
            responder.reply(status, {{"Content-Type", "text/plain"}}, "status " + QByteArray::number(status) + "\n");
            return;
        }
    }
    responder.reply(404, {{"Content-Type", "text/plain"}}, "not found\n");
}

} // namespace airlock::test
