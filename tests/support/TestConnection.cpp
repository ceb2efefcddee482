#include "TestConnection.h"

#include "GeneratedBody.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <limits>

namespace airlock::test {

namespace {

constexpr qint64 kSlice = 256 * 1024;
constexpr qint64 kHighWater = 1024 * 1024;

TestConnection *self(llhttp_t *p) {
    return static_cast<TestConnection *>(p->data);
}

QByteArray reasonPhrase(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 416:
        return "Range Not Satisfiable";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

bool hasHeader(const TestHeaders &headers, const QByteArray &name) {
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// A single "bytes=" range; false when absent or not something we serve (ignored then).
// *unsatisfiable is set when the range is well-formed but outside the representation.
bool parseRange(const QByteArray &value, qint64 size, qint64 *first, qint64 *last, bool *unsatisfiable) {
    *unsatisfiable = false;
    const QByteArray v = value.trimmed();
    if (!v.startsWith("bytes=") || v.contains(','))
        return false;
    const QByteArray spec = v.mid(6).trimmed();
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0)
        return false;
    const QByteArray a = spec.left(dash).trimmed();
    const QByteArray b = spec.mid(dash + 1).trimmed();
    bool okA = true, okB = true;
    if (a.isEmpty()) {
        const qint64 suffix = b.toLongLong(&okB);
        if (!okB || b.isEmpty())
            return false;
        if (suffix == 0 || size == 0) {
            *unsatisfiable = true;
            return true;
        }
        *first = qMax<qint64>(0, size - suffix);
        *last = size - 1;
        return true;
    }
    *first = a.toLongLong(&okA);
    *last =
        b.isEmpty() ? std::numeric_limits<qint64>::max() : b.toLongLong(&okB); // "a-": to the end, whatever the size
    if (!okA || !okB || *first < 0 || *last < *first)
        return false;
    if (*first >= size) {
        *unsatisfiable = true;
        return true;
    }
    *last = qMin(*last, size - 1);
    return true;
}

} // namespace

std::optional<ByteRange> parseByteRange(const QByteArray &value, qint64 size) {
    ByteRange range;
    if (!parseRange(value, size, &range.first, &range.last, &range.unsatisfiable))
        return std::nullopt;
    return range;
}

TestConnection::TestConnection(TestUpstream *server, QTcpSocket *socket, int serial, const QString &sni)
    : QObject(server)
    , m_server(server)
    , m_socket(socket)
    , m_serial(serial)
    , m_sni(sni) {
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    llhttp_settings_init(&m_settings);
    m_settings.on_url = &TestConnection::onUrl;
    m_settings.on_header_field = &TestConnection::onHeaderField;
    m_settings.on_header_value = &TestConnection::onHeaderValue;
    m_settings.on_headers_complete = &TestConnection::onHeadersComplete;
    m_settings.on_body = &TestConnection::onBody;
    m_settings.on_message_complete = &TestConnection::onMessageComplete;
    llhttp_init(&m_parser, HTTP_REQUEST, &m_settings);
    m_parser.data = this;

    connect(m_socket, &QTcpSocket::readyRead, this, &TestConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &TestConnection::pump);
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        connect(ssl, &QSslSocket::encryptedBytesWritten, this, &TestConnection::pump);
    connect(m_socket, &QTcpSocket::disconnected, this, &TestConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &TestConnection::onDisconnected);
    ++m_server->m_open;
}

TestConnection::~TestConnection() {
    --m_server->m_open;
}

int TestConnection::onUrl(llhttp_t *p, const char *at, size_t len) {
    self(p)->m_request.target.append(at, qsizetype(len));
    return 0;
}

int TestConnection::onHeaderField(llhttp_t *p, const char *at, size_t len) {
    TestConnection *c = self(p);
    if (c->m_headerValueLast || c->m_request.headers.isEmpty())
        c->m_request.headers.emplaceBack();
    c->m_headerValueLast = false;
    c->m_request.headers.last().first.append(at, qsizetype(len));
    return 0;
}

int TestConnection::onHeaderValue(llhttp_t *p, const char *at, size_t len) {
    TestConnection *c = self(p);
    c->m_headerValueLast = true;
    c->m_request.headers.last().second.append(at, qsizetype(len));
    return 0;
}

int TestConnection::onHeadersComplete(llhttp_t *p) {
    TestConnection *c = self(p);
    c->m_request.method = llhttp_method_name(llhttp_method_t(llhttp_get_method(p)));
    if (c->m_request.header("Expect").compare("100-continue", Qt::CaseInsensitive) == 0)
        c->m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    return 0;
}

int TestConnection::onBody(llhttp_t *p, const char *at, size_t len) {
    TestConnection *c = self(p);
    const qint64 room = c->m_server->m_recordBodyLimit - c->m_request.body.size();
    if (room > 0 && c->m_server->m_recording)
        c->m_request.body.append(at, qsizetype(qMin<qint64>(room, qint64(len))));
    c->m_request.bodySize += qint64(len);
    c->m_hash.addData(QByteArrayView(at, qsizetype(len)));
    return 0;
}

int TestConnection::onMessageComplete(llhttp_t *p) {
    TestConnection *c = self(p);
    c->m_keepAlive = llhttp_should_keep_alive(p) != 0;
    c->m_messageComplete = true;
    return HPE_PAUSED; // one request at a time: the rest waits until this one is answered
}

void TestConnection::onReadyRead() {
    m_in.append(m_socket->readAll());
    parse();
}

void TestConnection::parse() {
    if (m_inParse)
        return;
    m_inParse = true;
    while (m_state == State::Reading && !m_in.isEmpty()) {
        const llhttp_errno_t err = llhttp_execute(&m_parser, m_in.constData(), size_t(m_in.size()));
        qsizetype consumed = m_in.size();
        if (err == HPE_PAUSED) {
            consumed = llhttp_get_error_pos(&m_parser) - m_in.constData();
            llhttp_resume(&m_parser);
        } else if (err != HPE_OK) {
            m_state = State::Closed;
            m_socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            m_socket->disconnectFromHost();
            break;
        }
        m_in.remove(0, consumed);
        if (m_messageComplete) {
            m_messageComplete = false;
            dispatch();
        }
    }
    m_inParse = false;
}

void TestConnection::dispatch() {
    RecordedRequest request = std::move(m_request);
    m_request = RecordedRequest();
    m_headerValueLast = false;
    request.connection = m_serial;
    request.sniHost = m_sni;
    request.bodySha256 = m_hash.result().toHex();
    m_hash.reset();
    ++m_requestSerial;
    m_answered = false;
    m_state = State::Responding;
    m_isHead = request.method == "HEAD";
    m_range = request.header("Range");
    if (m_server->m_recording)
        m_server->m_requests.append(request);
    Q_EMIT m_server->requestReceived(request);
    Responder responder;
    responder.m_connection = this;
    responder.m_request = m_requestSerial;
    m_server->dispatch(request, responder);
}

void TestConnection::writeHead(int status, TestHeaders headers, qint64 contentLength) {
    if (contentLength >= 0 && !hasHeader(headers, "Content-Length") && !hasHeader(headers, "Transfer-Encoding"))
        headers.emplaceBack("Content-Length", QByteArray::number(contentLength));
    if (!m_keepAlive && !hasHeader(headers, "Connection"))
        headers.emplaceBack("Connection", "close");
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    head += "Server: airlock-test-upstream\r\n";
    for (const auto &h : headers)
        head += h.first + ": " + h.second + "\r\n";
    head += "\r\n";
    m_socket->write(head);
}

void TestConnection::reply(quint64 request, int status, const TestHeaders &headers, const QByteArray &body) {
    if (!answering(request))
        return;
    m_answered = true;
    writeHead(status, headers, body.size());
    if (!m_isHead && !body.isEmpty()) {
        m_socket->write(body);
        m_server->m_bodyBytesSent += body.size();
    }
    finishResponse();
}

void TestConnection::sendGenerated(quint64 request, const GeneratedResponse &spec) {
    if (!answering(request))
        return;
    const qint64 size = spec.content ? spec.content->size() : spec.size;
    qint64 first = 0;
    qint64 last = size - 1;
    int status = spec.status;
    TestHeaders headers = spec.headers;
    if (!hasHeader(headers, "Content-Type"))
        headers.emplaceBack("Content-Type", "application/octet-stream");
    headers.emplaceBack("Accept-Ranges", "bytes");
    bool unsatisfiable = false;
    if (spec.honourRange && parseRange(m_range, size, &first, &last, &unsatisfiable)) {
        if (unsatisfiable) {
            reply(request, 416, {{"Content-Range", "bytes */" + QByteArray::number(size)}}, {});
            return;
        }
        status = 206;
        headers.emplaceBack("Content-Range", "bytes " + QByteArray::number(first) + '-' + QByteArray::number(last) +
                                                 '/' + QByteArray::number(size));
    }
    m_answered = true;
    const qint64 length = last - first + 1;
    m_genChunked = spec.chunked;
    if (spec.chunked)
        headers.emplaceBack("Transfer-Encoding", "chunked");
    writeHead(status, headers, spec.chunked ? -1 : length);
    if (m_isHead) {
        finishResponse();
        return;
    }
    m_genOffset = first;
    m_genEnd = last + 1;
    m_genContent = spec.content.value_or(QByteArray());
    m_genFromContent = spec.content.has_value();
    m_genCorruptAt = spec.corruptAt;
    m_genDie = spec.dieAfter >= 0;
    m_genStopAt = spec.dieAfter >= 0 ? first + spec.dieAfter : spec.stallAfter >= 0 ? first + spec.stallAfter : -1;
    m_generating = true;
    pump();
}

qint64 TestConnection::pending() const {
    qint64 n = m_socket->bytesToWrite();
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        n += ssl->encryptedBytesToWrite();
    return n;
}

void TestConnection::pump() {
    if (!m_generating || m_state != State::Responding)
        return;
    const qint64 limit = m_genStopAt >= 0 ? qMin(m_genStopAt, m_genEnd) : m_genEnd;
    const QByteArray &pattern = generated::pattern();
    while (m_genOffset < limit && pending() < kHighWater) {
        const qint64 n = qMin(kSlice, limit - m_genOffset);
        const char *data = m_genFromContent ? m_genContent.constData() + m_genOffset
                                            : pattern.constData() + m_genOffset % generated::kPeriod;
        if (m_genChunked)
            m_socket->write(QByteArray::number(n, 16) + "\r\n");
        if (m_genCorruptAt >= m_genOffset && m_genCorruptAt < m_genOffset + n) {
            QByteArray damaged(data, n);
            damaged[m_genCorruptAt - m_genOffset] = char(~damaged[m_genCorruptAt - m_genOffset]);
            m_socket->write(damaged);
        } else {
            m_socket->write(data, n);
        }
        if (m_genChunked)
            m_socket->write("\r\n", 2);
        m_genOffset += n;
        m_server->m_bodyBytesSent += n;
    }
    if (m_genOffset < limit)
        return;
    m_generating = false;
    m_genContent.clear();
    if (m_genStopAt >= 0 && m_genStopAt < m_genEnd) {
        if (m_genDie) { // QAbstractSocket flushes what is queued before it closes
            m_state = State::Closed;
            m_socket->disconnectFromHost();
        }
        return; // stall: keep the connection, send nothing more
    }
    if (m_genChunked)
        m_socket->write("0\r\n\r\n");
    finishResponse();
}

void TestConnection::writeRaw(quint64 request, const QByteArray &bytes, bool closeAfter) {
    if (!answering(request))
        return;
    m_answered = true;
    m_socket->write(bytes);
    if (closeAfter) {
        m_state = State::Closed;
        m_socket->disconnectFromHost();
        return;
    }
    finishResponse();
}

void TestConnection::stall(quint64 request) {
    if (answering(request))
        m_answered = true;
}

void TestConnection::closeNow(quint64 request) {
    if (!answering(request))
        return;
    m_answered = true;
    m_state = State::Closed;
    m_socket->abort();
}

bool TestConnection::closeIfIdle() {
    if (m_state != State::Reading || !m_in.isEmpty() || m_gone)
        return false;
    m_state = State::Closed;
    m_socket->abort();
    return true;
}

void TestConnection::finishResponse() {
    if (!m_keepAlive) {
        m_state = State::Closed;
        m_socket->disconnectFromHost();
        return;
    }
    m_state = State::Reading;
    QMetaObject::invokeMethod(this, &TestConnection::onReadyRead, Qt::QueuedConnection);
}

void TestConnection::onDisconnected() {
    if (m_gone)
        return;
    m_gone = true;
    if (m_state == State::Responding) // stalled, streaming or unanswered: the peer did not get it all
        ++m_server->m_aborted;
    m_state = State::Closed;
    m_generating = false;
    deleteLater();
}

} // namespace airlock::test
