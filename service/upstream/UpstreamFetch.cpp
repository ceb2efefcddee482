#include "upstream/UpstreamFetch.h"

#include "base/HttpGrammar.h"
#include "upstream/UpstreamLog.h"

#include <QNetworkProxy>
#include <QPointer>
#include <QSet>
#include <QUrl>

#include <llhttp.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <utility>

namespace airlock {

namespace {

bool isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// RFC 9110 9.2.2: what may be sent again after a connection broke.
bool isIdempotent(const QString &method) {
    return method == QLatin1String("GET") || method == QLatin1String("HEAD") || method == QLatin1String("OPTIONS") ||
           method == QLatin1String("TRACE") || method == QLatin1String("PUT") || method == QLatin1String("DELETE");
}

// The service frames the request itself and names the host from the URL.
bool isServiceControlled(const QByteArray &lower) {
    return http::isHopByHop(lower) || http::isFraming(lower);
}

HeaderList withoutHeaders(const HeaderList &headers, bool (*drop)(const QByteArray &lower)) {
    HeaderList out;
    for (const auto &h : headers) {
        if (!drop(h.first.toLower()))
            out.append(h);
    }
    return out;
}

HeaderList responseHeaders(const HeaderList &pairs) {
    const QSet<QByteArray> named = http::connectionListed(pairs);
    HeaderList out;
    for (const auto &pair : pairs) {
        const QByteArray lower = pair.first.toLower();
        if (http::isHopByHop(lower) || named.contains(lower) || lower == "set-cookie" || lower == "set-cookie2")
            continue;
        out.append(pair);
    }
    return out;
}

bool isRequestTarget(const QByteArray &s) {
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

constexpr qint64 kMaxHeadBytes = 256 * 1024; // a response head larger than this is refused
constexpr qint64 kCoalesceBytes = 64 * 1024; // small decoded spans (chunked) share one buffer
// The request body goes to the socket in slices, topped up as the encrypted bytes leave: handed
// over whole, QSslSocket encrypts all of it at once into an OpenSSL memory BIO that grows by
// reallocation, copies that into a buffer and then into the plain socket's, three fresh copies
// of the body whose page faults cost more than the encryption (docs/PERFORMANCE.md).
constexpr qint64 kUploadSlice = 256 * 1024;
// A request that must not be sent twice (POST, PATCH, ...) takes a kept connection only this
// fresh: inside the keep-alive timeouts servers use (2 s and up), so the upstream is not
// closing it just as the request goes out, and it is never sent again if it did.
constexpr int kFreshForUnsafeMs = 1'000;
constexpr qint64 kUploadHighWater = 512 * 1024; // plain + encrypted bytes queued in the socket

FetchError error(ErrorCode code, QString message, QString ruleId = {}) {
    return FetchError{code, std::move(message), std::move(ruleId)};
}

} // namespace

// One hop's response parser. llhttp calls back into it; the fetch looks at the flags after each
// llhttp_execute, so no signal is ever emitted from inside the parser.
struct UpstreamFetch::Wire {
    llhttp_t parser{};
    llhttp_settings_t settings{};
    bool headRequest = false;

    HeaderList headers;
    QByteArray field;
    QByteArray value;
    bool inValue = false;
    qint64 headBytes = 0;
    int status = 0;
    bool headComplete = false; // a final (non-1xx) head was parsed
    bool messageComplete = false;
    bool trailing = false; // bytes followed the message: the connection is not reused
    bool chunked = false;
    QString error; // why the parser stopped, never the bytes

    const QByteArray *input = nullptr; // the buffer being parsed, so a body span covering it is shared
    std::deque<QByteArray> body;
    qint64 frontOffset = 0;
    qint64 buffered = 0;
    bool backOwned = false; // body.back() is ours to append to (not a shared socket buffer)
    qint64 bodyAdded = 0;

    explicit Wire(bool head)
        : headRequest(head) {
        llhttp_settings_init(&settings);
        settings.on_message_begin = [](llhttp_t *p) {
            return self(p)->begin();
        };
        settings.on_header_field = [](llhttp_t *p, const char *at, size_t n) {
            return self(p)->onField(at, n);
        };
        settings.on_header_value = [](llhttp_t *p, const char *at, size_t n) {
            return self(p)->onValue(at, n);
        };
        settings.on_headers_complete = [](llhttp_t *p) {
            return self(p)->onHeadersComplete();
        };
        settings.on_body = [](llhttp_t *p, const char *at, size_t n) {
            return self(p)->onBody(at, n);
        };
        settings.on_message_complete = [](llhttp_t *p) {
            return self(p)->onMessageComplete();
        };
        llhttp_init(&parser, HTTP_RESPONSE, &settings);
        parser.data = this;
    }

    static Wire *self(llhttp_t *p) { return static_cast<Wire *>(p->data); }

    int begin() {
        headers.clear();
        field.clear();
        value.clear();
        inValue = false;
        return 0;
    }
    int grow(size_t n) {
        headBytes += qint64(n);
        return headBytes > kMaxHeadBytes ? -1 : 0;
    }
    int onField(const char *at, size_t n) {
        if (inValue) {
            headers.append({field, value.trimmed()});
            field.clear();
            value.clear();
            inValue = false;
        }
        field.append(at, qsizetype(n));
        return grow(n);
    }
    int onValue(const char *at, size_t n) {
        inValue = true;
        value.append(at, qsizetype(n));
        return grow(n);
    }
    int onHeadersComplete() {
        if (inValue || !field.isEmpty())
            headers.append({field, value.trimmed()});
        field.clear();
        value.clear();
        inValue = false;
        status = parser.status_code;
        if (status == 101) {
            error = QStringLiteral("protocol switch");
            return -1;
        }
        if (status < 200)
            return 1; // interim response (103 Early Hints, ...): the final one follows
        headComplete = true;
        chunked = (parser.flags & F_CHUNKED) != 0;
        // Bodiless by definition; a redirect's body is never looked at.
        const bool redirect = isRedirect(status) && !headerValue(headers, "location").trimmed().isEmpty();
        return headRequest || status == 204 || status == 304 || redirect ? 1 : 0;
    }
    int onBody(const char *at, size_t n) {
        const qsizetype size = qsizetype(n);
        bodyAdded += size;
        buffered += size;
        if (input && at == input->constData() && size == input->size()) {
            body.push_back(*input); // the whole read is body: shared, not copied
            backOwned = false;
        } else if (backOwned && body.back().size() + size <= kCoalesceBytes) {
            body.back().append(at, size);
        } else {
            body.emplace_back(at, size);
            backOwned = true;
        }
        return 0;
    }
    int onMessageComplete() {
        if (!headComplete)
            return 0; // the end of an interim response
        messageComplete = true;
        return HPE_PAUSED; // nothing after the message is read: one exchange per connection
    }

    QByteArray take(qint64 maxSize) {
        if (body.empty() || maxSize <= 0)
            return {};
        QByteArray &front = body.front();
        const qint64 left = front.size() - frontOffset;
        QByteArray out;
        if (frontOffset == 0 && left <= maxSize && (body.size() == 1 || 2 * left >= maxSize)) {
            out = std::move(front); // hand the buffer over as it is
            body.pop_front();
        } else {
            out.reserve(qsizetype(std::min(maxSize, buffered)));
            while (!body.empty() && out.size() < maxSize) {
                QByteArray &chunk = body.front();
                const qint64 n = std::min<qint64>(chunk.size() - frontOffset, maxSize - out.size());
                out.append(chunk.constData() + frontOffset, qsizetype(n));
                frontOffset += n;
                if (frontOffset == chunk.size()) {
                    body.pop_front();
                    frontOffset = 0;
                }
            }
        }
        if (body.empty())
            backOwned = false;
        buffered -= out.size();
        return out;
    }
};

UpstreamFetch::UpstreamFetch(Resolver *resolver, const UpstreamConfig &config, HopJudge judge, QObject *parent)
    : QObject(parent)
    , m_resolver(resolver)
    , m_config(config)
    , m_judge(std::move(judge)) {
    for (QTimer *t : {&m_connectTimer, &m_headTimer, &m_idleTimer})
        t->setSingleShot(true);
    m_connectTimer.setInterval(m_config.connectTimeoutMs);
    m_idleTimer.setInterval(m_config.idleTimeoutMs);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] { onTimeout(QStringLiteral("connect")); });
    connect(&m_headTimer, &QTimer::timeout, this, [this] { onTimeout(QStringLiteral("first byte")); });
    connect(&m_idleTimer, &QTimer::timeout, this, [this] { onTimeout(QStringLiteral("idle")); });
}

UpstreamFetch::~UpstreamFetch() {
    m_done = true;
    dropSocket();
}

void UpstreamFetch::start(const CanonicalUrl &url, const QString &method, const HeaderList &headers,
                          const QByteArray &body) {
    m_url = url;
    m_method = method.toUpper();
    m_headers = headers;
    m_body = body;
    // The request's policy is the one of its start: a hop after a clear() keeps no connection.
    if (m_config.pool)
        m_poolGeneration = m_config.pool->generation();
    startHop();
}

void UpstreamFetch::abort() {
    m_done = true;
    ++m_generation;
    dropSocket();
}

qint64 UpstreamFetch::bytesAvailable() const {
    return m_wire && m_headSeen ? m_wire->buffered : 0;
}

QByteArray UpstreamFetch::read(qint64 maxSize) {
    if (!m_wire || !m_headSeen)
        return {};
    const QByteArray data = m_wire->take(maxSize);
    m_bytesDown += data.size();
    // Room again: pick up what the socket holds, on the next turn of the event loop.
    if (m_socket && !m_done && m_wire->buffered < m_config.readBufferSize && m_socket->bytesAvailable() > 0)
        scheduleProcess();
    return data;
}

bool UpstreamFetch::atEnd() const {
    return m_finished && bytesAvailable() == 0;
}

void UpstreamFetch::startHop() {
    const quint64 generation = ++m_generation;
    // DNS is covered too: a resolver that never answers must not hold the request forever.
    m_headTimer.start(m_config.connectTimeoutMs + m_config.firstByteTimeoutMs);
    if (m_config.pool && !std::exchange(m_freshOnly, false)) {
        const int maxIdle = isIdempotent(m_method) ? -1 : kFreshForUnsafeMs;
        if (QSslSocket *socket = m_config.pool->take(m_url.host, m_url.port, maxIdle)) {
            if (!prepareHop()) {
                socket->abort();
                socket->deleteLater();
                return;
            }
            qCDebug(lcUpstream) << "reusing the connection to" << m_url.host;
            m_reused = true;
            attach(socket);
            m_connected = true;
            onEncrypted();
            return;
        }
    }
    m_resolver->resolve(m_url.host, m_url.port, this, [this, generation](const ResolveResult &resolved) {
        if (generation != m_generation || m_done)
            return;
        if (resolved.error != ErrorCode::None) {
            fail(error(resolved.error, resolved.message));
            return;
        }
        sendRequest(resolved);
    });
}

bool UpstreamFetch::prepareHop() {
    QByteArray target = m_url.path.toUtf8();
    if (m_url.hasQuery)
        target += '?' + m_url.query.toUtf8();
    const QByteArray verb = m_method.toLatin1();
    if (!isRequestTarget(target) || !target.startsWith('/') || !http::isToken(verb)) {
        fail(error(ErrorCode::BadRequest, QStringLiteral("invalid url for ") + m_url.host));
        return false;
    }

    // Repeated fields are joined, as they always were.
    HeaderList merged;
    for (const auto &h : m_headers) {
        const QByteArray lower = h.first.toLower();
        if (isServiceControlled(lower))
            continue;
        if (!http::isToken(h.first) || !http::isFieldValue(h.second)) {
            fail(error(ErrorCode::BadRequest, QStringLiteral("invalid request header for ") + m_url.host));
            return false;
        }
        auto it = std::find_if(merged.begin(), merged.end(), [&](const auto &m) { return m.first.toLower() == lower; });
        if (it == merged.end())
            merged.append(h);
        else
            it->second += ", " + h.second;
    }
    QByteArray head;
    head.reserve(1024);
    head += verb + ' ' + target + " HTTP/1.1\r\nHost: " + m_url.authority().toLatin1() + "\r\n";
    for (const auto &h : merged)
        head += h.first + ": " + h.second + "\r\n";
    if (!hasHeader(merged, "user-agent"))
        head += "User-Agent: " + m_config.userAgent + "\r\n";
    // Identity unless the client asked otherwise: the body and its Content-Length reach the
    // client as the upstream sent them.
    if (!hasHeader(merged, "accept-encoding"))
        head += "Accept-Encoding: identity\r\n";
    if (!m_body.isEmpty() && !hasHeader(merged, "content-type"))
        head += "Content-Type: application/octet-stream\r\n";
    if (!m_body.isEmpty() || verb == "POST" || verb == "PUT" || verb == "PATCH")
        head += "Content-Length: " + QByteArray::number(m_body.size()) + "\r\n";
    // Kept open only when there is a pool to keep it in.
    head += m_config.pool ? "\r\n" : "Connection: close\r\n\r\n";
    m_requestHead = head;

    m_wire = std::make_unique<Wire>(verb == "HEAD");
    m_connected = false;
    m_encrypted = false;
    m_reused = false;
    m_answered = false;
    m_eof = false;
    m_brokenClose = false;
    m_hopUpBase = m_bytesUp;
    m_hopWritten = 0;
    m_bodyQueued = 0;
    return true;
}

void UpstreamFetch::sendRequest(const ResolveResult &resolved) {
    if (!prepareHop())
        return;
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
    connect(socket, &QSslSocket::connected, this, [this] { m_connected = true; });
    connect(socket, &QSslSocket::encrypted, this, &UpstreamFetch::onEncrypted);
    connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        if (!errors.isEmpty())
            m_tlsError = errors.first().errorString();
    });

    QHostAddress address = resolved.address;
    address.setScopeId(QString());
    m_connectTimer.start();
    // Connect to the checked address; TLS (SNI and certificate) and Host speak for the name.
    socket->connectToHostEncrypted(address.toString(), quint16(resolved.port), m_url.host, QIODevice::ReadWrite,
                                   address.protocol() == QAbstractSocket::IPv6Protocol ? QAbstractSocket::IPv6Protocol
                                                                                       : QAbstractSocket::IPv4Protocol);
}

// The exchange's own signals, on a new connection or one from the pool.
void UpstreamFetch::attach(QSslSocket *socket) {
    socket->setParent(this);
    m_socket = socket;
    connect(socket, &QSslSocket::bytesWritten, this, [this](qint64 written) {
        m_hopWritten += written;
        const qint64 bodySent = std::clamp<qint64>(m_hopWritten - m_requestHead.size(), 0, m_body.size());
        m_bytesUp = qMax(m_bytesUp, m_hopUpBase + bodySent);
    });
    connect(socket, &QSslSocket::encryptedBytesWritten, this, &UpstreamFetch::writeBody);
    connect(socket, &QSslSocket::readyRead, this, &UpstreamFetch::process);
    connect(socket, &QSslSocket::errorOccurred, this, &UpstreamFetch::onSocketError);
    connect(socket, &QSslSocket::disconnected, this, &UpstreamFetch::onSocketClosed);
}

// A kept connection the upstream closed while it idled can show only when it is used: closed
// (or reset) before a byte of the answer. An idempotent request then goes again, once, on a new
// connection, and only if the Gate still lets this hop go (a lockdown since stops it); the bytes
// of the first attempt stay counted. Anything else fails, as does a new connection that breaks.
bool UpstreamFetch::retryOnNewConnection() {
    if (!isIdempotent(m_method))
        return false;
    if (!m_judge) {
        fail(error(ErrorCode::DestinationNotAllowed, QStringLiteral("destination not in allowlist: ") + m_url.host));
        return true;
    }
    const HopVerdict verdict = m_judge(m_url, m_method, m_headers, m_url);
    if (!verdict.allowed) {
        FetchError refusal = verdict.error;
        if (refusal.code == ErrorCode::None)
            refusal.code = ErrorCode::DestinationNotAllowed;
        fail(refusal);
        return true;
    }
    qCDebug(lcUpstream) << "kept connection to" << m_url.host << "was closed; connecting anew";
    dropSocket();
    m_freshOnly = true;
    startHop();
    return true;
}

void UpstreamFetch::onEncrypted() {
    if (m_done || !m_socket)
        return;
    m_encrypted = true;
    m_connectTimer.stop();
    if (!m_headSeen)
        m_headTimer.start(m_config.firstByteTimeoutMs);
    m_socket->write(m_requestHead);
    m_bodyQueued = 0;
    writeBody();
}

void UpstreamFetch::writeBody() {
    if (m_done || !m_socket || !m_encrypted)
        return;
    while (m_bodyQueued < m_body.size() &&
           m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite() < kUploadHighWater) {
        const qint64 n = std::min<qint64>(kUploadSlice, m_body.size() - m_bodyQueued);
        const qint64 written = m_socket->write(m_body.constData() + m_bodyQueued, n);
        if (written <= 0)
            return; // the socket is failing; its error signal ends the hop
        m_bodyQueued += written;
    }
}

void UpstreamFetch::onSocketError(QAbstractSocket::SocketError socketError) {
    if (m_done || !m_socket)
        return;
    const QString host = m_url.host;
    if (!m_encrypted &&
        (!m_tlsError.isEmpty() || socketError == QAbstractSocket::SslHandshakeFailedError ||
         socketError == QAbstractSocket::SslInternalError || socketError == QAbstractSocket::SslInvalidUserDataError)) {
        QString reason = m_tlsError.isEmpty() ? m_socket->errorString() : m_tlsError;
        if (reason.contains(QLatin1String("://")) || reason.contains(QLatin1Char('?')))
            reason = QStringLiteral("handshake failed"); // never echo a URL or its query
        fail(error(ErrorCode::UpstreamTls, QStringLiteral("TLS handshake with %1 failed: %2").arg(host, reason)));
        return;
    }
    if (!m_connected) {
        fail(error(ErrorCode::UpstreamUnreachable, QStringLiteral("upstream unreachable: ") + host));
        return;
    }
    // The connection ended; what was received is still parsed, and the framing decides.
    if (socketError != QAbstractSocket::RemoteHostClosedError)
        m_brokenClose = true;
    onSocketClosed();
}

void UpstreamFetch::onSocketClosed() {
    if (m_done || !m_socket)
        return;
    if (m_reused && !m_answered && m_socket->bytesAvailable() <= 0 && retryOnNewConnection())
        return;
    m_eof = true;
    process();
}

void UpstreamFetch::scheduleProcess() {
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

void UpstreamFetch::process() {
    if (m_done || m_finished || !m_socket || !m_wire || m_processing)
        return;
    m_processing = true;
    const QPointer<UpstreamFetch> self(this);
    Wire &wire = *m_wire;
    const qint64 bodyBefore = wire.bodyAdded;
    bool failedParse = false;
    while (!wire.messageComplete) {
        // Backpressure: decoded body never exceeds readBufferSize; the rest waits in the socket
        // (whose own buffer is bounded too, so TCP pushes back on the upstream).
        const qint64 room = m_config.readBufferSize - wire.buffered;
        const qint64 available = m_socket->bytesAvailable();
        if (room <= 0 || available <= 0)
            break;
        const qint64 want = std::min(available, room);
        if (!m_in.isDetached())
            m_in = QByteArray(); // the caller still holds the last buffer
        m_in.resize(qsizetype(want));
        const qint64 got = m_socket->read(m_in.data(), want);
        if (got <= 0)
            break;
        m_answered = true;
        m_in.resize(qsizetype(got));
        wire.input = &m_in;
        const llhttp_errno_t rc = llhttp_execute(&wire.parser, m_in.constData(), size_t(m_in.size()));
        wire.input = nullptr;
        if (rc != HPE_OK && !(rc == HPE_PAUSED && wire.messageComplete)) {
            failedParse = true;
            break;
        }
        if (rc == HPE_PAUSED && llhttp_get_error_pos(&wire.parser) != m_in.constData() + m_in.size())
            wire.trailing = true;
        if (wire.headComplete && !m_headSeen) {
            if (!headArrived())
                return; // redirected, failed or aborted: this hop is gone
        }
    }
    m_processing = false;

    if (failedParse) {
        qCDebug(lcUpstream) << "response parse error" << llhttp_errno_name(llhttp_get_errno(&wire.parser));
        fail(m_headSeen ? error(ErrorCode::UpstreamFailed, QStringLiteral("upstream closed the connection mid-body"))
                        : error(ErrorCode::UpstreamFailed,
                                QStringLiteral("upstream sent an invalid response: ") + m_url.host));
        return;
    }
    if (wire.bodyAdded != bodyBefore) {
        m_idleTimer.start();
        Q_EMIT readyRead();
        if (!self || m_done)
            return;
    }
    if (wire.messageComplete && m_headSeen && !m_finished) {
        m_finished = true;
        m_connectTimer.stop();
        m_headTimer.stop();
        m_idleTimer.stop();
        // The message is complete: the connection has nothing more for this exchange.
        releaseSocket(llhttp_should_keep_alive(&wire.parser) != 0 && !wire.trailing && !m_eof);
        Q_EMIT finished();
        return;
    }
    if (m_eof && m_socket && m_socket->bytesAvailable() <= 0)
        endOfStream();
}

// The final head is parsed: a redirect leaves this hop, anything else is the response.
bool UpstreamFetch::headArrived() {
    Wire &wire = *m_wire;
    const int status = wire.status;
    // The whole request was written before the answer could come: bytesWritten may lag.
    m_bytesUp = qMax(m_bytesUp, m_hopUpBase + m_body.size());
    const QByteArray location = headerValue(wire.headers, "location").trimmed();
    if (isRedirect(status) && !location.isEmpty()) {
        m_processing = false;
        followRedirect(status, location);
        return false;
    }
    m_headSeen = true;
    m_connectTimer.stop();
    m_headTimer.stop();
    m_idleTimer.start();
    const bool expectBody = !wire.headRequest && status != 204 && status != 304;
    bool ok = false;
    const qint64 length = headerValue(wire.headers, "content-length").trimmed().toLongLong(&ok);
    const bool framedByLength = ok && length >= 0 && !hasHeader(wire.headers, "transfer-encoding");
    const qint64 contentLength = framedByLength ? length : -1;

    const HeaderList headers = responseHeaders(wire.headers);
    const QPointer<UpstreamFetch> self(this);
    Q_EMIT responseStarted(status, headers, expectBody ? contentLength : 0);
    if (!self || m_done || !m_socket) {
        if (self)
            m_processing = false;
        return false;
    }
    return true;
}

void UpstreamFetch::endOfStream() {
    if (m_done || m_finished || !m_wire)
        return;
    Wire &wire = *m_wire;
    m_connectTimer.stop();
    m_headTimer.stop();
    m_idleTimer.stop();
    if (!m_headSeen) {
        fail(error(ErrorCode::UpstreamFailed,
                   QStringLiteral("upstream closed the connection without a response: ") + m_url.host));
        return;
    }
    // Read-until-close framing ends cleanly only on a clean close; a length or a last chunk that
    // never came means the body is cut short.
    const bool needsEof = llhttp_message_needs_eof(&wire.parser) != 0;
    if (!m_brokenClose || !needsEof)
        llhttp_finish(&wire.parser);
    if (!wire.messageComplete || (needsEof && m_brokenClose)) {
        fail(error(ErrorCode::UpstreamFailed, QStringLiteral("upstream closed the connection mid-body")));
        return;
    }
    m_finished = true;
    dropSocket();
    Q_EMIT finished();
}

void UpstreamFetch::followRedirect(int status, const QByteArray &location) {
    dropSocket();
    if (++m_redirects > m_config.maxRedirects) {
        fail(error(ErrorCode::TooManyRedirects,
                   QStringLiteral("too many redirects (more than %1)").arg(m_config.maxRedirects)));
        return;
    }
    QUrl next = QUrl(m_url.toString()).resolved(QUrl::fromEncoded(location));
    // A fragment is the client's business and never sent (RFC 9110 10.2.2): drop it.
    next.setFragment(QString());
    if (next.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) != 0) {
        fail(error(ErrorCode::NotHttps, QStringLiteral("only HTTPS destinations are allowed"),
                   QStringLiteral("destination.https_only")));
        return;
    }
    const UrlResult canonical = canonicalizeUrl(next.toString(QUrl::FullyEncoded));
    if (!canonical.url) {
        if (canonical.error == UrlError::NotHttps)
            fail(error(ErrorCode::NotHttps, QStringLiteral("only HTTPS destinations are allowed"),
                       QStringLiteral("destination.https_only")));
        else if (canonical.error == UrlError::IpLiteral)
            fail(error(ErrorCode::DestinationNotAllowed,
                       QStringLiteral("destination not in allowlist: IP address destinations are not allowed"),
                       QStringLiteral("destination.ip_literal")));
        else
            fail(error(ErrorCode::UpstreamFailed, QStringLiteral("upstream sent an invalid redirect location")));
        return;
    }

    QString method = m_method;
    HeaderList headers = m_headers;
    // 303 always, and 301/302 after a POST, turn into a GET without the body (what browsers do).
    if ((status == 303 && method != QLatin1String("HEAD")) ||
        ((status == 301 || status == 302) && method == QLatin1String("POST"))) {
        method = QStringLiteral("GET");
        m_body.clear();
        headers = withoutHeaders(headers, [](const QByteArray &lower) {
            return lower == "content-type" || lower == "content-encoding" || lower == "content-language";
        });
    }

    const CanonicalUrl target = *canonical.url;
    if (!m_judge) {
        fail(error(ErrorCode::DestinationNotAllowed, QStringLiteral("destination not in allowlist: ") + target.host));
        return;
    }
    HopVerdict verdict = m_judge(target, method, headers, m_url);
    if (!verdict.allowed) {
        FetchError refusal = verdict.error;
        if (refusal.code == ErrorCode::None)
            refusal.code = ErrorCode::DestinationNotAllowed;
        fail(refusal);
        return;
    }
    headers = verdict.headers;
    if (target.host != m_url.host || target.port != m_url.port) // defence in depth: the judge drops them too
        headers = withoutHeaders(headers, [](const QByteArray &lower) { return http::isCredentialHeader(lower); });

    qCDebug(lcUpstream) << "redirect" << status << "to" << target.withoutQuery();
    m_url = target;
    m_method = method;
    m_headers = headers;
    m_tlsError.clear();
    startHop();
}

void UpstreamFetch::onTimeout(const QString &what) {
    if (m_done)
        return;
    if (what == QLatin1String("idle") &&
        ((m_wire && m_wire->buffered > 0) || (m_socket && m_socket->bytesAvailable() > 0))) {
        m_idleTimer.start(); // the reader is slow, not the upstream
        return;
    }
    fail(error(ErrorCode::UpstreamTimeout, QStringLiteral("upstream timeout (%1): %2").arg(what, m_url.host)));
}

void UpstreamFetch::fail(const FetchError &failure) {
    if (m_done)
        return;
    m_done = true;
    ++m_generation;
    dropSocket();
    Q_EMIT failed(failure);
}

void UpstreamFetch::releaseSocket(bool reusable) {
    if (!reusable || !m_config.pool || !m_socket || m_bodyQueued < m_body.size() || m_socket->bytesAvailable() > 0) {
        dropSocket();
        return;
    }
    m_connectTimer.stop();
    m_headTimer.stop();
    m_idleTimer.stop();
    QSslSocket *socket = m_socket;
    m_socket = nullptr;
    disconnect(socket, nullptr, this, nullptr);
    m_config.pool->put(m_url.host, m_url.port, socket, m_poolGeneration); // closes it if not clean
}

void UpstreamFetch::dropSocket() {
    m_connectTimer.stop();
    m_headTimer.stop();
    m_idleTimer.stop();
    if (!m_socket)
        return;
    QSslSocket *socket = m_socket;
    m_socket = nullptr;
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
}

} // namespace airlock
