#include "upstream/UpstreamFetch.h"

#include "base/HttpGrammar.h"
#include "upstream/UpstreamLog.h"

#include <QSet>

namespace airlock {

namespace {

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

// Fail closed: a hop nobody judged is not taken.
FetchError notJudged() {
    return FetchError{ErrorCode::DestinationNotAllowed, QStringLiteral("hop refused: no judge for it"), {}};
}

} // namespace

UpstreamFetch::UpstreamFetch(Resolver *resolver, const UpstreamConfig &config, HopJudge judge, QObject *parent)
    : QObject(parent)
    , m_resolver(resolver)
    , m_config(config)
    , m_judge(std::move(judge)) {}

UpstreamFetch::~UpstreamFetch() {
    m_state = State::Failed;
    if (m_exchange)
        disconnect(m_exchange, nullptr, this, nullptr); // the exchange goes with its parent, silently
}

void UpstreamFetch::start(const CanonicalUrl &url, const QString &method, const HeaderList &headers,
                          const QByteArray &body) {
    m_url = url;
    m_origin = url;
    m_method = method.toUpper();
    m_headers = headers;
    m_body = body;
    // The request's policy is the one of its start: a hop after a clear() keeps no connection.
    if (m_config.pool)
        m_poolGeneration = m_config.pool->generation();
    m_state = State::Requesting;
    startHop(UpstreamExchange::ConnectionChoice::KeptOrNew);
}

void UpstreamFetch::abort() {
    m_state = State::Failed;
    leaveHop();
}

qint64 UpstreamFetch::bytesAvailable() const {
    return m_exchange ? m_exchange->bytesAvailable() : 0;
}

QByteArray UpstreamFetch::read(qint64 maxSize) {
    if (!m_exchange)
        return {};
    QByteArray data = m_exchange->read(maxSize);
    m_bytesDown += data.size();
    return data;
}

bool UpstreamFetch::atEnd() const {
    return m_state == State::Finished && bytesAvailable() == 0;
}

qint64 UpstreamFetch::bytesSent() const {
    return m_bytesUpBefore + (m_exchange ? m_exchange->bytesSent() : 0);
}

void UpstreamFetch::startHop(UpstreamExchange::ConnectionChoice choice) {
    auto *exchange = new UpstreamExchange(m_resolver, m_config, this);
    m_exchange = exchange;
    connect(exchange, &UpstreamExchange::headReceived, this, &UpstreamFetch::onHead);
    connect(exchange, &UpstreamExchange::readyRead, this, &UpstreamFetch::readyRead);
    connect(exchange, &UpstreamExchange::finished, this, [this] {
        m_state = State::Finished;
        Q_EMIT finished();
    });
    connect(exchange, &UpstreamExchange::failed, this, &UpstreamFetch::fail);
    connect(exchange, &UpstreamExchange::staleConnection, this, &UpstreamFetch::onStaleConnection);
    exchange->start({m_url, m_method, m_headers, m_body}, choice, m_poolGeneration);
}

// The hop's connection is closed at once; the exchange itself goes on the next turn of the event
// loop, as this may run inside one of its signals. Its bytes sent stay counted.
void UpstreamFetch::leaveHop() {
    if (!m_exchange)
        return;
    m_bytesUpBefore += m_exchange->bytesSent();
    disconnect(m_exchange, nullptr, this, nullptr);
    m_exchange->abort();
    m_exchange->deleteLater();
    m_exchange = nullptr;
}

// The final head of a hop: a redirect leaves it, anything else is the response.
void UpstreamFetch::onHead() {
    const ResponseParser &response = m_exchange->response();
    if (response.isRedirect()) {
        followRedirect(response.status(), response.location());
        return;
    }
    m_state = State::Responding;
    Q_EMIT responseStarted(response.status(), responseHeaders(response.headers()), response.contentLength());
}

// A kept connection the upstream closed before answering: the request goes again, once, on a new
// connection, and only if the judge still lets this hop go (a lockdown since stops it).
void UpstreamFetch::onStaleConnection() {
    leaveHop();
    HopVerdict verdict;
    if (!judge({m_url.toString().toUtf8(), m_url, m_origin, m_method, m_headers}, &verdict))
        return;
    qCDebug(lcUpstream) << "kept connection to" << m_url.host << "was closed; connecting anew";
    startHop(UpstreamExchange::ConnectionChoice::NewOnly);
}

void UpstreamFetch::followRedirect(int status, const QByteArray &location) {
    leaveHop();
    if (++m_redirects > m_config.maxRedirects) {
        fail(FetchError{ErrorCode::TooManyRedirects,
                        QStringLiteral("too many redirects (more than %1)").arg(m_config.maxRedirects),
                        {}});
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
    HopVerdict verdict;
    if (!judge({location, m_url, m_origin, method, headers}, &verdict))
        return;
    headers = verdict.headers;
    const CanonicalUrl &next = verdict.url;
    if (next.host != m_url.host || next.port != m_url.port) // defence in depth: the judge drops them too
        headers = withoutHeaders(headers, [](const QByteArray &lower) { return http::isCredentialHeader(lower); });

    qCDebug(lcUpstream) << "redirect" << status << "to" << next.withoutQuery();
    m_url = next;
    m_method = method;
    m_headers = headers;
    startHop(UpstreamExchange::ConnectionChoice::KeptOrNew);
}

// False: the hop is refused and the fetch has failed with the judge's error.
bool UpstreamFetch::judge(const HopRequest &hop, HopVerdict *verdict) {
    *verdict = m_judge ? m_judge(hop) : HopVerdict{false, notJudged(), {}, {}};
    if (verdict->allowed && verdict->url.host.isEmpty())
        *verdict = HopVerdict{false, notJudged(), {}, {}}; // allowed to go nowhere
    if (verdict->allowed)
        return true;
    FetchError refusal = verdict->error;
    if (refusal.code == ErrorCode::None)
        refusal.code = ErrorCode::DestinationNotAllowed;
    fail(refusal);
    return false;
}

void UpstreamFetch::fail(const FetchError &error) {
    if (m_state == State::Failed || m_state == State::Finished)
        return;
    m_state = State::Failed;
    Q_EMIT failed(error);
}

} // namespace airlock
