#include "upstream/UpstreamFetch.h"

#include "upstream/UpstreamLog.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>
#include <QUrl>

namespace airlock {

namespace {

bool isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool isHopByHop(const QByteArray &lower) {
    return lower == "connection" || lower == "keep-alive" || lower == "te" || lower == "trailer" ||
           lower == "trailers" || lower == "transfer-encoding" || lower == "upgrade" || lower.startsWith("proxy-");
}

bool isCredential(const QByteArray &lower) {
    return lower == "authorization" || lower == "cookie" || lower == "proxy-authorization";
}

// The service frames the request itself and names the host from the URL.
bool isServiceControlled(const QByteArray &lower) {
    return isHopByHop(lower) || lower == "host" || lower == "content-length" || lower == "expect";
}

HeaderList responseHeaders(const QList<QNetworkReply::RawHeaderPair> &pairs) {
    QSet<QByteArray> named; // fields a Connection header declares hop-by-hop
    for (const auto &pair : pairs) {
        if (pair.first.toLower() != "connection")
            continue;
        for (const QByteArray &token : pair.second.split(','))
            named.insert(token.trimmed().toLower());
    }
    HeaderList out;
    for (const auto &pair : pairs) {
        const QByteArray lower = pair.first.toLower();
        if (isHopByHop(lower) || named.contains(lower) || lower == "set-cookie" || lower == "set-cookie2")
            continue;
        out.append(pair);
    }
    return out;
}

bool hasHeader(const HeaderList &headers, const QByteArray &lowerName) {
    for (const auto &h : headers) {
        if (h.first.toLower() == lowerName)
            return true;
    }
    return false;
}

HeaderList withoutHeaders(const HeaderList &headers, bool (*drop)(const QByteArray &lower)) {
    HeaderList out;
    for (const auto &h : headers) {
        if (!drop(h.first.toLower()))
            out.append(h);
    }
    return out;
}

// QNAM reports HTTP error statuses as reply errors; the body still arrived as sent.
bool isHttpStatusError(QNetworkReply::NetworkError e) {
    return (e >= QNetworkReply::ContentAccessDenied && e <= QNetworkReply::UnknownContentError) ||
           e == QNetworkReply::ProtocolInvalidOperationError ||
           (e >= QNetworkReply::InternalServerError && e <= QNetworkReply::UnknownServerError);
}

bool isUnreachable(QNetworkReply::NetworkError e) {
    return e == QNetworkReply::ConnectionRefusedError || e == QNetworkReply::HostNotFoundError ||
           e == QNetworkReply::TemporaryNetworkFailureError || e == QNetworkReply::NetworkSessionFailedError ||
           e == QNetworkReply::UnknownNetworkError;
}

FetchError error(ErrorCode code, QString message, QString ruleId = {}) {
    return FetchError{code, std::move(message), std::move(ruleId)};
}

} // namespace

UpstreamFetch::UpstreamFetch(QNetworkAccessManager *nam, Resolver *resolver, const UpstreamConfig &config,
                             HopJudge judge, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
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
    dropReply();
}

void UpstreamFetch::start(const CanonicalUrl &url, const QString &method, const HeaderList &headers,
                          const QByteArray &body) {
    m_url = url;
    m_method = method.toUpper();
    m_headers = headers;
    m_body = body;
    startHop();
}

void UpstreamFetch::abort() {
    m_done = true;
    ++m_generation;
    dropReply();
}

qint64 UpstreamFetch::bytesAvailable() const {
    return m_reply && m_headSeen ? m_reply->bytesAvailable() : 0;
}

QByteArray UpstreamFetch::read(qint64 maxSize) {
    if (!m_reply || !m_headSeen)
        return {};
    const QByteArray data = m_reply->read(maxSize);
    m_bytesDown += data.size();
    return data;
}

bool UpstreamFetch::atEnd() const {
    return m_finished && bytesAvailable() == 0;
}

void UpstreamFetch::startHop() {
    const quint64 generation = ++m_generation;
    // DNS is covered too: a resolver that never answers must not hold the request forever.
    m_headTimer.start(m_config.connectTimeoutMs + m_config.firstByteTimeoutMs);
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

void UpstreamFetch::sendRequest(const ResolveResult &resolved) {
    QHostAddress address = resolved.address;
    address.setScopeId(QString());
    const QString hostPart = address.protocol() == QAbstractSocket::IPv6Protocol
                                 ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
                                 : address.toString();
    QString target =
        QStringLiteral("https://") + hostPart + QLatin1Char(':') + QString::number(resolved.port) + m_url.path;
    if (m_url.hasQuery)
        target += QLatin1Char('?') + m_url.query;
    const QUrl url(target, QUrl::StrictMode);
    if (!url.isValid()) {
        fail(error(ErrorCode::BadRequest, QStringLiteral("invalid url for ") + m_url.host));
        return;
    }

    QNetworkRequest request(url);
    // Connect to the checked address, but let TLS (SNI and certificate) and Host speak for the name.
    request.setPeerVerifyName(m_url.host);
    QSslConfiguration ssl = m_config.ssl.isNull() ? QSslConfiguration::defaultConfiguration() : m_config.ssl;
    if (ssl.protocol() != QSsl::TlsV1_3 && ssl.protocol() != QSsl::TlsV1_3OrLater)
        ssl.setProtocol(QSsl::TlsV1_2OrLater);
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    request.setSslConfiguration(ssl);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);

    // setRawHeader replaces a field of the same name, so repeated fields are joined first.
    HeaderList merged;
    for (const auto &h : m_headers) {
        const QByteArray lower = h.first.toLower();
        if (isServiceControlled(lower))
            continue;
        auto it = std::find_if(merged.begin(), merged.end(), [&](const auto &m) { return m.first.toLower() == lower; });
        if (it == merged.end())
            merged.append(h);
        else
            it->second += ", " + h.second;
    }
    for (const auto &h : merged)
        request.setRawHeader(h.first, h.second);
    request.setRawHeader("Host", m_url.authority().toLatin1());
    if (!hasHeader(merged, "user-agent"))
        request.setRawHeader("User-Agent", m_config.userAgent);
    // Identity unless the client asked otherwise: QNAM then never inflates, so the body and its
    // Content-Length reach the client as the upstream sent them.
    if (!hasHeader(merged, "accept-encoding"))
        request.setRawHeader("Accept-Encoding", "identity");
    if (!m_body.isEmpty() && !hasHeader(merged, "content-type"))
        request.setRawHeader("Content-Type", "application/octet-stream"); // QNAM would invent a form type

    const QByteArray verb = m_method.toLatin1();
    QNetworkReply *reply = nullptr;
    if (verb == "GET" && m_body.isEmpty())
        reply = m_nam->get(request);
    else if (verb == "HEAD")
        reply = m_nam->head(request);
    else if (verb == "POST")
        reply = m_nam->post(request, m_body);
    else if (verb == "PUT")
        reply = m_nam->put(request, m_body);
    else
        reply = m_nam->sendCustomRequest(request, verb, m_body);
    m_reply = reply;
    reply->setReadBufferSize(m_config.readBufferSize);

    m_hopUpBase = m_bytesUp;
    connect(reply, &QNetworkReply::uploadProgress, this,
            [this](qint64 sent, qint64) { m_bytesUp = qMax(m_bytesUp, m_hopUpBase + sent); });
    connect(reply, &QNetworkReply::socketStartedConnecting, this, [this] { m_connectTimer.start(); });
    connect(reply, &QNetworkReply::encrypted, this, [this] {
        m_connectTimer.stop();
        if (!m_headSeen)
            m_headTimer.start(m_config.firstByteTimeoutMs);
    });
    connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        if (!errors.isEmpty())
            m_tlsError = errors.first().errorString();
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, &UpstreamFetch::onMetaDataChanged);
    connect(reply, &QNetworkReply::readyRead, this, &UpstreamFetch::onReplyReadyRead);
    connect(reply, &QNetworkReply::finished, this, &UpstreamFetch::onReplyFinished);
}

void UpstreamFetch::onMetaDataChanged() {
    if (m_headSeen || m_done || !m_reply)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status < 200)
        return;
    // QNAM writes the whole body before it reads a response; uploadProgress may never fire.
    m_bytesUp = qMax(m_bytesUp, m_hopUpBase + m_body.size());
    if (isRedirect(status) && m_reply->hasRawHeader("Location")) {
        followRedirect(status);
        return;
    }
    m_headSeen = true;
    m_connectTimer.stop();
    m_headTimer.stop();
    m_idleTimer.start();
    m_expectBody = m_method != QLatin1String("HEAD") && status != 204 && status != 304;
    bool ok = false;
    const qint64 length = m_reply->rawHeader("Content-Length").trimmed().toLongLong(&ok);
    m_contentLength = ok && length >= 0 && !m_reply->hasRawHeader("Transfer-Encoding") ? length : -1;

    const HeaderList headers = responseHeaders(m_reply->rawHeaderPairs());
    const QPointer<UpstreamFetch> self(this);
    Q_EMIT responseStarted(status, headers, m_expectBody ? m_contentLength : 0);
    if (!self || m_done || !m_reply)
        return;
    if (m_reply->bytesAvailable() > 0)
        Q_EMIT readyRead();
}

void UpstreamFetch::onReplyReadyRead() {
    if (!m_headSeen || m_done)
        return;
    m_idleTimer.start();
    Q_EMIT readyRead();
}

void UpstreamFetch::onReplyFinished() {
    if (m_done || !m_reply)
        return;
    m_connectTimer.stop();
    m_headTimer.stop();
    m_idleTimer.stop();
    const QNetworkReply::NetworkError e = m_reply->error();
    const QString host = m_url.host;

    if (!m_headSeen) {
        if (!m_tlsError.isEmpty() || e == QNetworkReply::SslHandshakeFailedError) {
            QString reason = m_tlsError.isEmpty() ? m_reply->errorString() : m_tlsError;
            if (reason.contains(QLatin1String("://")) || reason.contains(QLatin1Char('?')))
                reason = QStringLiteral("handshake failed"); // never echo a URL or its query
            fail(error(ErrorCode::UpstreamTls, QStringLiteral("TLS handshake with %1 failed: %2").arg(host, reason)));
        } else if (isUnreachable(e)) {
            fail(error(ErrorCode::UpstreamUnreachable, QStringLiteral("upstream unreachable: ") + host));
        } else if (e == QNetworkReply::TimeoutError) {
            fail(error(ErrorCode::UpstreamTimeout, QStringLiteral("upstream timed out: ") + host));
        } else {
            fail(error(ErrorCode::UpstreamFailed,
                       QStringLiteral("upstream closed the connection without a response: ") + host));
        }
        return;
    }

    if (e != QNetworkReply::NoError && !isHttpStatusError(e)) {
        fail(error(e == QNetworkReply::TimeoutError ? ErrorCode::UpstreamTimeout : ErrorCode::UpstreamFailed,
                   QStringLiteral("upstream closed the connection mid-body")));
        return;
    }
    if (m_expectBody && m_contentLength >= 0 && m_bytesDown + m_reply->bytesAvailable() != m_contentLength) {
        fail(error(ErrorCode::UpstreamFailed, QStringLiteral("upstream closed the connection mid-body")));
        return;
    }
    m_finished = true;
    Q_EMIT finished();
}

void UpstreamFetch::followRedirect(int status) {
    const QByteArray location = m_reply->rawHeader("Location").trimmed();
    dropReply();
    if (++m_redirects > m_config.maxRedirects) {
        fail(error(ErrorCode::TooManyRedirects,
                   QStringLiteral("too many redirects (more than %1)").arg(m_config.maxRedirects)));
        return;
    }
    const QUrl next = QUrl(m_url.toString()).resolved(QUrl::fromEncoded(location));
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
        headers = withoutHeaders(headers, &isCredential);

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
    if (what == QLatin1String("idle") && m_reply && m_reply->bytesAvailable() > 0) {
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
    dropReply();
    Q_EMIT failed(failure);
}

void UpstreamFetch::dropReply() {
    m_connectTimer.stop();
    m_headTimer.stop();
    m_idleTimer.stop();
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    reply->abort();
    reply->deleteLater();
}

} // namespace airlock
