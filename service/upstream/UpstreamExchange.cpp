#include "upstream/UpstreamExchange.h"

#include "base/HttpGrammar.h"
#include "upstream/Resolver.h"
#include "upstream/UpstreamLog.h"

#include <QHash>
#include <QNetworkProxy>
#include <QPointer>
#include <QSslSocket>

#include <algorithm>

namespace airlock {

namespace {

// RFC 9110 9.2.2: what may be sent again after a connection broke.
bool isIdempotent(const QString &method) {
    return method == QLatin1String("GET") || method == QLatin1String("HEAD") || method == QLatin1String("OPTIONS") ||
           method == QLatin1String("TRACE") || method == QLatin1String("PUT") || method == QLatin1String("DELETE");
}

bool isRequestTarget(const QByteArray &s) {
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// The request body goes to the socket in slices, topped up as the encrypted bytes leave: handed
// over whole, QSslSocket encrypts all of it at once into an OpenSSL memory BIO that grows by
// reallocation, copies that into a buffer and then into the plain socket's, three fresh copies
// of the body whose page faults cost more than the encryption (docs/PERFORMANCE.md).
constexpr qint64 kUploadSlice = 256 * 1024;
constexpr qint64 kUploadHighWater = 512 * 1024; // plain + encrypted bytes queued in the socket
// A request that must not be sent twice (POST, PATCH, ...) takes a kept connection only this
// fresh: inside the keep-alive timeouts servers use (2 s and up), so the upstream is not
// closing it just as the request goes out, and it is never sent again if it did.
constexpr int kFreshForUnsafeMs = 1'000;

FetchError error(ErrorCode code, QString message) {
    return FetchError{code, std::move(message), {}};
}

// The request head, or an empty array with *failure set. What the Gate let through always
// passes; this is the last check before bytes are written.
QByteArray requestHead(const UpstreamExchange::Request &request, const UpstreamConfig &config, FetchError *failure) {
    const CanonicalUrl &url = request.url;
    QByteArray target = url.path.toUtf8();
    if (url.hasQuery)
        target += '?' + url.query.toUtf8();
    const QByteArray verb = request.method.toLatin1();
    if (!isRequestTarget(target) || !target.startsWith('/') || !http::isToken(verb)) {
        *failure = error(ErrorCode::BadRequest, QStringLiteral("invalid url for ") + url.host);
        return {};
    }
    // Repeated fields are joined; the service frames the request and names the host itself.
    // One lookup per header (not a scan of those merged so far): linear in the header count.
    HeaderList merged;
    QHash<QByteArray, qsizetype> indexOf;
    for (const auto &h : request.headers) {
        const QByteArray lower = h.first.toLower();
        if (http::isHopByHop(lower) || http::isFraming(lower))
            continue;
        if (!http::isToken(h.first) || !http::isFieldValue(h.second)) {
            *failure = error(ErrorCode::BadRequest, QStringLiteral("invalid request header for ") + url.host);
            return {};
        }
        const auto at = indexOf.constFind(lower);
        if (at == indexOf.cend()) {
            indexOf.insert(lower, merged.size());
            merged.append(h);
        } else {
            merged[*at].second += ", " + h.second;
        }
    }
    QByteArray head;
    head.reserve(1024);
    head += verb + ' ' + target + " HTTP/1.1\r\nHost: " + url.authority().toLatin1() + "\r\n";
    for (const auto &h : merged)
        head += h.first + ": " + h.second + "\r\n";
    if (!hasHeader(merged, "user-agent"))
        head += "User-Agent: " + config.userAgent + "\r\n";
    // Identity unless the client asked otherwise: the body and its Content-Length reach the
    // client as the upstream sent them.
    if (!hasHeader(merged, "accept-encoding"))
        head += "Accept-Encoding: identity\r\n";
    if (!request.body.isEmpty() && !hasHeader(merged, "content-type"))
        head += "Content-Type: application/octet-stream\r\n";
    if (!request.body.isEmpty() || verb == "POST" || verb == "PUT" || verb == "PATCH")
        head += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    // Kept open only when there is a pool to keep it in.
    head += config.pool ? "\r\n" : "Connection: close\r\n\r\n";
    return head;
}

} // namespace

UpstreamExchange::UpstreamExchange(Resolver *resolver, const UpstreamConfig &config, QObject *parent)
    : QObject(parent)
    , m_resolver(resolver)
    , m_config(config) {
    for (QTimer *t : {&m_connectTimer, &m_headTimer, &m_idleTimer})
        t->setSingleShot(true);
    m_connectTimer.setInterval(m_config.connectTimeoutMs);
    m_idleTimer.setInterval(m_config.idleTimeoutMs);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] { onTimeout(m_connectTimer, "connect"); });
    connect(&m_headTimer, &QTimer::timeout, this, [this] { onTimeout(m_headTimer, "first byte"); });
    connect(&m_idleTimer, &QTimer::timeout, this, [this] { onTimeout(m_idleTimer, "idle"); });
}

UpstreamExchange::~UpstreamExchange() {
    m_state = State::Failed;
    dropSocket();
}

void UpstreamExchange::start(const Request &request, ConnectionChoice choice, quint64 poolGeneration) {
    m_request = request;
    m_poolGeneration = poolGeneration;
    FetchError failure;
    m_head = requestHead(m_request, m_config, &failure);
    if (m_head.isEmpty()) {
        fail(failure);
        return;
    }
    m_parser = std::make_unique<ResponseParser>(m_request.method == QLatin1String("HEAD"));
    // DNS is covered too: a resolver that never answers must not hold the request forever.
    m_headTimer.start(m_config.connectTimeoutMs + m_config.firstByteTimeoutMs);
    const CanonicalUrl &url = m_request.url;
    if (m_config.pool && choice == ConnectionChoice::KeptOrNew) {
        const int maxIdle = isIdempotent(m_request.method) ? -1 : kFreshForUnsafeMs;
        if (QSslSocket *socket = m_config.pool->take(url.host, url.port, maxIdle)) {
            qCDebug(lcUpstream) << "reusing the connection to" << url.host;
            m_reused = true;
            attach(socket);
            sendRequest();
            return;
        }
    }
    m_state = State::Resolving;
    m_resolver->resolve(url.host, url.port, this, [this](const ResolveResult &resolved) {
        if (m_state != State::Resolving)
            return;
        if (resolved.error != ErrorCode::None)
            fail(error(resolved.error, resolved.message));
        else
            connectTo(resolved);
    });
}

void UpstreamExchange::abort() {
    m_state = State::Failed;
    dropSocket();
}

void UpstreamExchange::connectTo(const ResolveResult &resolved) {
    auto *socket = new QSslSocket(this);
    // Never a proxy from the environment: the Airlock is the only way out and connects itself.
    socket->setProxy(QNetworkProxy::NoProxy);
    QSslConfiguration ssl = m_config.ssl.isNull() ? QSslConfiguration::defaultConfiguration() : m_config.ssl;
    if (ssl.protocol() != QSsl::TlsV1_3 && ssl.protocol() != QSsl::TlsV1_3OrLater)
        ssl.setProtocol(QSsl::TlsV1_2OrLater);
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    ssl.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
    socket->setSslConfiguration(ssl);
    socket->setReadBufferSize(m_config.readBufferSize);
    attach(socket);
    connect(socket, &QSslSocket::connected, this, [this] {
        if (m_state == State::Connecting)
            m_state = State::Handshaking;
    });
    connect(socket, &QSslSocket::encrypted, this, [this] {
        if (m_state == State::Handshaking || m_state == State::Connecting)
            sendRequest();
    });
    connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        if (!errors.isEmpty())
            m_tlsError = errors.first().errorString();
    });

    QHostAddress address = resolved.address;
    address.setScopeId(QString());
    m_state = State::Connecting;
    m_connectTimer.start();
    // Connect to the checked address; TLS (SNI and certificate) and Host speak for the name.
    socket->connectToHostEncrypted(address.toString(), quint16(resolved.port), m_request.url.host, QIODevice::ReadWrite,
                                   address.protocol() == QAbstractSocket::IPv6Protocol ? QAbstractSocket::IPv6Protocol
                                                                                       : QAbstractSocket::IPv4Protocol);
}

// The exchange's own signals, on a new connection or one from the pool.
void UpstreamExchange::attach(QSslSocket *socket) {
    socket->setParent(this);
    m_socket = socket;
    connect(socket, &QSslSocket::bytesWritten, this, [this](qint64 written) {
        m_written += written;
        const qint64 bodySent = std::clamp<qint64>(m_written - m_head.size(), 0, m_request.body.size());
        m_bodySent = std::max(m_bodySent, bodySent);
    });
    connect(socket, &QSslSocket::encryptedBytesWritten, this, &UpstreamExchange::writeBody);
    connect(socket, &QSslSocket::readyRead, this, &UpstreamExchange::process);
    connect(socket, &QSslSocket::errorOccurred, this, &UpstreamExchange::onSocketError);
    connect(socket, &QSslSocket::disconnected, this, &UpstreamExchange::onSocketClosed);
}

void UpstreamExchange::sendRequest() {
    m_state = State::AwaitingHead;
    m_connectTimer.stop();
    m_headTimer.start(m_config.firstByteTimeoutMs);
    m_socket->write(m_head);
    m_bodyQueued = 0;
    writeBody();
}

void UpstreamExchange::writeBody() {
    if ((m_state != State::AwaitingHead && m_state != State::ReadingBody) || !m_socket)
        return;
    const QByteArray &body = m_request.body;
    while (m_bodyQueued < body.size() &&
           m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite() < kUploadHighWater) {
        const qint64 n = std::min<qint64>(kUploadSlice, body.size() - m_bodyQueued);
        const qint64 written = m_socket->write(body.constData() + m_bodyQueued, n);
        if (written <= 0)
            return; // the socket is failing; its error signal ends the exchange
        m_bodyQueued += written;
    }
}

void UpstreamExchange::onSocketError(QAbstractSocket::SocketError socketError) {
    if (isOver() || !m_socket)
        return;
    const QString host = m_request.url.host;
    const bool connecting = m_state == State::Connecting || m_state == State::Handshaking;
    if (connecting &&
        (!m_tlsError.isEmpty() || socketError == QAbstractSocket::SslHandshakeFailedError ||
         socketError == QAbstractSocket::SslInternalError || socketError == QAbstractSocket::SslInvalidUserDataError)) {
        QString reason = m_tlsError.isEmpty() ? m_socket->errorString() : m_tlsError;
        if (reason.contains(QLatin1String("://")) || reason.contains(QLatin1Char('?')))
            reason = QStringLiteral("handshake failed"); // never echo a URL or its query
        fail(error(ErrorCode::UpstreamTls, QStringLiteral("TLS handshake with %1 failed: %2").arg(host, reason)));
        return;
    }
    if (m_state == State::Connecting) {
        fail(error(ErrorCode::UpstreamUnreachable, QStringLiteral("upstream unreachable: ") + host));
        return;
    }
    // The connection ended; what was received is still parsed, and the framing decides.
    if (socketError != QAbstractSocket::RemoteHostClosedError)
        m_brokenClose = true;
    onSocketClosed();
}

// A kept connection the upstream closed while it idled can show only when it is used: closed
// (or reset) before a byte of the answer. Anything else, and a new connection that breaks, is
// an end of stream the framing judges.
void UpstreamExchange::onSocketClosed() {
    if (isOver() || !m_socket)
        return;
    if (m_reused && m_bytesRead == 0 && m_socket->bytesAvailable() <= 0 && isIdempotent(m_request.method)) {
        m_state = State::Failed;
        dropSocket();
        Q_EMIT staleConnection();
        return;
    }
    m_eof = true;
    process();
}

void UpstreamExchange::scheduleProcess() {
    if (m_processPosted)
        return;
    m_processPosted = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_processPosted = false;
            process();
        },
        Qt::QueuedConnection);
}

void UpstreamExchange::process() {
    if (isOver() || !m_socket || !m_parser || m_processing)
        return;
    m_processing = true;
    const QPointer<UpstreamExchange> self(this);
    ResponseParser &parser = *m_parser;
    const qint64 bodyBefore = parser.bodyBytes();
    ResponseParser::Status status = ResponseParser::Status::Incomplete;
    while (status == ResponseParser::Status::Incomplete) {
        // Backpressure: decoded body never exceeds readBufferSize; the rest waits in the socket
        // (whose own buffer is bounded too, so TCP pushes back on the upstream).
        const qint64 room = m_config.readBufferSize - parser.bufferedBytes();
        const qint64 available = m_socket->bytesAvailable();
        if (room <= 0 || available <= 0)
            break;
        const qint64 want = std::min(available, room);
        if (!m_in.isDetached())
            m_in = QByteArray(); // the reader still holds the last buffer
        m_in.resize(qsizetype(want));
        const qint64 got = m_socket->read(m_in.data(), want);
        if (got <= 0)
            break;
        m_bytesRead += got;
        m_in.resize(qsizetype(got));
        status = parser.feed(m_in).status;
        if (status != ResponseParser::Status::Incomplete && status != ResponseParser::Status::Complete)
            break;
        if (m_state == State::AwaitingHead && parser.headComplete() && !announceHead())
            return; // redirected, failed or aborted: this exchange is over
    }
    m_processing = false;

    if (status != ResponseParser::Status::Incomplete && status != ResponseParser::Status::Complete) {
        qCDebug(lcUpstream) << "response parse error:" << parser.errorMessage();
        fail(m_state == State::ReadingBody
                 ? error(ErrorCode::UpstreamFailed, QStringLiteral("upstream closed the connection mid-body"))
                 : error(ErrorCode::UpstreamFailed,
                         QStringLiteral("upstream sent an invalid response: ") + m_request.url.host));
        return;
    }
    if (parser.bodyBytes() != bodyBefore) {
        m_idleTimer.start();
        Q_EMIT readyRead();
        if (!self || isOver())
            return;
    }
    if (status == ResponseParser::Status::Complete) {
        // The response is complete: the connection has nothing more for this exchange.
        complete(parser.keepAlive() && !m_eof);
        return;
    }
    if (m_eof && m_socket->bytesAvailable() <= 0)
        endOfStream();
}

// The final head is parsed: the fetch looks at it (a redirect leaves this exchange).
bool UpstreamExchange::announceHead() {
    // The whole request was written before the answer could come: bytesWritten may lag.
    m_bodySent = m_request.body.size();
    m_written = std::max<qint64>(m_written, m_head.size() + m_request.body.size());
    m_state = State::ReadingBody;
    m_connectTimer.stop();
    m_headTimer.stop();
    m_idleTimer.start();
    const QPointer<UpstreamExchange> self(this);
    Q_EMIT headReceived();
    return self && m_state == State::ReadingBody;
}

void UpstreamExchange::endOfStream() {
    stopTimers();
    if (m_state != State::ReadingBody) {
        fail(error(ErrorCode::UpstreamFailed,
                   QStringLiteral("upstream closed the connection without a response: ") + m_request.url.host));
        return;
    }
    // Read-until-close framing ends cleanly only on a clean close; a length or a last chunk that
    // never came means the body is cut short.
    if (m_parser->finish(!m_brokenClose) != ResponseParser::Status::Complete) {
        fail(error(ErrorCode::UpstreamFailed, QStringLiteral("upstream closed the connection mid-body")));
        return;
    }
    complete(false);
}

void UpstreamExchange::complete(bool reusable) {
    m_state = State::Complete;
    stopTimers();
    const bool allSent = m_bodyQueued >= m_request.body.size();
    if (reusable && m_config.pool && m_socket && allSent && m_socket->bytesAvailable() <= 0) {
        QSslSocket *socket = m_socket;
        m_socket = nullptr;
        disconnect(socket, nullptr, this, nullptr);
        m_config.pool->put(m_request.url.host, m_request.url.port, socket, m_poolGeneration); // closes it if not clean
    } else {
        dropSocket();
    }
    Q_EMIT finished();
}

qint64 UpstreamExchange::bytesAvailable() const {
    return m_parser && m_parser->headComplete() ? m_parser->bufferedBytes() : 0;
}

QByteArray UpstreamExchange::read(qint64 maxSize) {
    if (!m_parser || !m_parser->headComplete())
        return {};
    QByteArray data = m_parser->readBody(maxSize);
    // Room again: pick up what the socket holds, on the next turn of the event loop.
    if (m_socket && m_state == State::ReadingBody && m_parser->bufferedBytes() < m_config.readBufferSize &&
        m_socket->bytesAvailable() > 0)
        scheduleProcess();
    return data;
}

void UpstreamExchange::onTimeout(const QTimer &timer, const char *what) {
    if (isOver())
        return;
    if (&timer == &m_idleTimer &&
        ((m_parser && m_parser->bufferedBytes() > 0) || (m_socket && m_socket->bytesAvailable() > 0))) {
        m_idleTimer.start(); // the reader is slow, not the upstream
        return;
    }
    fail(error(ErrorCode::UpstreamTimeout,
               QStringLiteral("upstream timeout (%1): %2").arg(QLatin1String(what), m_request.url.host)));
}

void UpstreamExchange::fail(const FetchError &failure) {
    if (isOver())
        return;
    m_state = State::Failed;
    dropSocket();
    Q_EMIT failed(failure);
}

void UpstreamExchange::stopTimers() {
    m_connectTimer.stop();
    m_headTimer.stop();
    m_idleTimer.stop();
}

void UpstreamExchange::dropSocket() {
    stopTimers();
    if (!m_socket)
        return;
    QSslSocket *socket = m_socket;
    m_socket = nullptr;
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
}

} // namespace airlock
