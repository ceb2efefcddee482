#include "http/HttpRequestParser.h"

#include "base/HttpGrammar.h"

#include "llhttp.h"

namespace airlock {

namespace {

QByteArray trimmedOws(const QByteArray &value) {
    qsizetype begin = 0;
    qsizetype end = value.size();
    while (begin < end && (value[begin] == ' ' || value[begin] == '\t'))
        ++begin;
    while (end > begin && (value[end - 1] == ' ' || value[end - 1] == '\t'))
        --end;
    return value.mid(begin, end - begin);
}

} // namespace

struct HttpRequestParser::State {
    llhttp_t parser{};
    llhttp_settings_t settings{};
    HttpLimits limits;

    HttpRequest current;
    const QByteArray *source = nullptr; // what feed(QByteArray) was given, during that call
    QByteArray field;
    QByteArray value;
    const char *feedStart = nullptr;
    qint64 headBytesBefore = 0; // head bytes seen in earlier feed() calls of this request
    qint64 bodyBytes = 0;
    qint64 maxBody = 0;
    bool inRequest = false;
    bool headersDone = false;
    bool messageDone = false;
    bool paused = false;
    bool headOnly = false; // the current request is answered from its head; its body is never parsed
    bool stopped = false;  // a head-only request was taken: the rest of the stream is not HTTP we can frame
    bool continuePending = false;
    bool head = false;
    bool http10 = false;

    // Raw scan of the head for obs-fold, which llhttp 8 silently joins into the value.
    bool scanLineStart = false;
    bool scanSawLine = false;
    bool scanDone = false;

    Status failure = Status::Incomplete; // Incomplete = no failure
    QByteArray error;

    static State *of(llhttp_t *p) { return static_cast<State *>(p->data); }

    int fail(Status status, const char *message) {
        if (failure == Status::Incomplete) {
            failure = status;
            error = message;
        }
        return HPE_USER;
    }

    // Request line and headers are limited as a whole, wherever the bytes are split.
    int checkHead(const char *at, size_t length) {
        const qint64 end = headBytesBefore + qint64((at + length) - feedStart);
        if (end > limits.maxHeaderBytes)
            return fail(Status::HeadersTooLarge, "request headers too large");
        return 0;
    }

    // Trailers are read and dropped, but they count toward the body limit so they cannot grow unbounded.
    int countTrailer(size_t length) {
        bodyBytes += qint64(length);
        if (bodyBytes > maxBody)
            return fail(Status::BodyTooLarge, "request body too large");
        return 0;
    }

    int validateHead();
    bool hasObsFold(const char *data, qint64 size);

    static int onMessageBegin(llhttp_t *p) {
        auto *s = of(p);
        s->current = HttpRequest{};
        s->field.clear();
        s->value.clear();
        s->inRequest = true;
        s->headersDone = false;
        s->messageDone = false;
        s->continuePending = false;
        s->bodyBytes = 0;
        s->maxBody = s->limits.maxBodyBytes ? s->limits.maxBodyBytes() : kDefaultMaxBodyBytes;
        return 0;
    }

    static int onUrl(llhttp_t *p, const char *at, size_t length) {
        auto *s = of(p);
        s->current.target.append(at, qsizetype(length));
        return s->checkHead(at, length);
    }

    static int onMethod(llhttp_t *p, const char *at, size_t length) { return of(p)->checkHead(at, length); }

    static int onHeaderField(llhttp_t *p, const char *at, size_t length) {
        auto *s = of(p);
        if (s->headersDone)
            return s->countTrailer(length);
        s->field.append(at, qsizetype(length));
        return s->checkHead(at, length);
    }

    static int onHeaderValue(llhttp_t *p, const char *at, size_t length) {
        auto *s = of(p);
        if (s->headersDone)
            return s->countTrailer(length);
        s->value.append(at, qsizetype(length));
        return s->checkHead(at, length);
    }

    static int onHeaderValueComplete(llhttp_t *p) {
        auto *s = of(p);
        if (!s->headersDone)
            s->current.headers.append({s->field, trimmedOws(s->value)});
        s->field.clear();
        s->value.clear();
        return 0;
    }

    static int onHeadersComplete(llhttp_t *p) {
        auto *s = of(p);
        if (s->validateHead() != 0)
            return -1;
        // Stop before the body: the error is turned into a complete request by feed().
        return s->headOnly ? HPE_USER : 0;
    }

    static int onBody(llhttp_t *p, const char *at, size_t length) {
        auto *s = of(p);
        s->bodyBytes += qint64(length);
        if (s->bodyBytes > s->maxBody)
            return s->fail(Status::BodyTooLarge, "request body too large");
        s->current.body.append(at, qsizetype(length));
        if (BodyWatcher *watcher = s->current.bodyWatcher.get()) {
            const QByteArray *source = s->source;
            if (source && at >= source->constData() && at + length <= source->constData() + source->size())
                watcher->bodyDataIn(*source, at - source->constData(), qsizetype(length));
            else
                watcher->bodyData(at, qsizetype(length));
        }
        return 0;
    }

    static int onMessageComplete(llhttp_t *p) {
        auto *s = of(p);
        s->messageDone = true;
        s->continuePending = false;
        if (s->current.bodyWatcher)
            s->current.bodyWatcher->bodyEnd();
        // Stop right after this request: pipelined bytes wait until it has been answered.
        return HPE_PAUSED;
    }
};

int HttpRequestParser::State::validateHead() {
    const HeaderList &headers = current.headers;
    if (parser.http_major != 1)
        return fail(Status::BadRequest, "unsupported HTTP version");
    if (parser.method == HTTP_CONNECT)
        return fail(Status::BadRequest, "CONNECT is not supported");
    if (!current.target.startsWith('/'))
        return fail(Status::BadRequest, "request target must be an absolute path");

    for (const auto &header : headers) {
        if (!http::isToken(header.first))
            return fail(Status::BadRequest, "invalid header name");
    }

    http10 = parser.http_minor == 0;
    const int hosts = headerCount(headers, "host");
    if (hosts > 1 || (!http10 && hosts == 0))
        return fail(Status::BadRequest, "exactly one Host header is required");

    const int lengths = headerCount(headers, "content-length");
    const int encodings = headerCount(headers, "transfer-encoding");
    if (lengths > 1)
        return fail(Status::BadRequest, "duplicate Content-Length header");
    if (encodings > 0) {
        if (lengths > 0)
            return fail(Status::BadRequest, "both Content-Length and Transfer-Encoding present");
        if (encodings > 1 || http10)
            return fail(Status::BadRequest, "unsupported Transfer-Encoding");
        if (trimmedOws(current.header("transfer-encoding")).compare("chunked", Qt::CaseInsensitive) != 0)
            return fail(Status::BadRequest, "unsupported Transfer-Encoding");
    }

    const int expects = headerCount(headers, "expect");
    bool expectContinue = false;
    if (expects > 0) {
        if (expects > 1 || trimmedOws(current.header("expect")).compare("100-continue", Qt::CaseInsensitive) != 0)
            return fail(Status::ExpectationFailed, "unsupported expectation");
        expectContinue = !http10;
    }

    const bool chunked = (parser.flags & F_CHUNKED) != 0;
    const bool hasLength = (parser.flags & F_CONTENT_LENGTH) != 0;
    if (hasLength && parser.content_length > quint64(maxBody))
        return fail(Status::BodyTooLarge, "request body too large");

    // Upgrade (h2c, websocket) is not offered; the request is answered as plain HTTP/1.1.
    parser.upgrade = 0;
    current.method = llhttp_method_name(static_cast<llhttp_method_t>(parser.method));
    current.keepAlive = llhttp_should_keep_alive(&parser) != 0;
    head = parser.method == HTTP_HEAD;
    headersDone = true;
    const bool announcesBody = chunked || (hasLength && parser.content_length > 0);
    if (announcesBody && limits.answerFromHead && limits.answerFromHead(current)) {
        // Nothing of the body is read, reserved or acknowledged with 100-continue.
        headOnly = true;
        current.bodyUnread = true;
        current.keepAlive = false;
        return 0;
    }
    if (hasLength)
        current.body.reserve(qsizetype(parser.content_length));
    continuePending = expectContinue && announcesBody;
    if (limits.watchBody)
        current.bodyWatcher = limits.watchBody(current);
    return 0;
}

bool HttpRequestParser::State::hasObsFold(const char *data, qint64 size) {
    for (qint64 i = 0; i < size && !scanDone; ++i) {
        const char c = data[i];
        if (scanLineStart && scanSawLine) {
            if (c == ' ' || c == '\t')
                return true;
            if (c == '\r' || c == '\n') {
                scanDone = true; // the empty line ending the head; the body is never scanned
                continue;
            }
        }
        scanLineStart = c == '\n';
        if (c != '\r' && c != '\n')
            scanSawLine = true;
    }
    return false;
}

HttpRequestParser::HttpRequestParser(HttpLimits limits)
    : m_state(std::make_unique<State>()) {
    m_state->limits = std::move(limits);
    llhttp_settings_init(&m_state->settings);
    m_state->settings.on_message_begin = State::onMessageBegin;
    m_state->settings.on_method = State::onMethod;
    m_state->settings.on_url = State::onUrl;
    m_state->settings.on_header_field = State::onHeaderField;
    m_state->settings.on_header_value = State::onHeaderValue;
    m_state->settings.on_header_value_complete = State::onHeaderValueComplete;
    m_state->settings.on_headers_complete = State::onHeadersComplete;
    m_state->settings.on_body = State::onBody;
    m_state->settings.on_message_complete = State::onMessageComplete;
    llhttp_init(&m_state->parser, HTTP_REQUEST, &m_state->settings);
    m_state->parser.data = m_state.get();
}

HttpRequestParser::~HttpRequestParser() = default;

HttpRequestParser::Result HttpRequestParser::feed(const QByteArray &buffer, qsizetype from) {
    m_state->source = &buffer;
    const Result result = feed(buffer.constData() + from, qint64(buffer.size() - from));
    m_state->source = nullptr;
    return result;
}

HttpRequestParser::Result HttpRequestParser::feed(const char *data, qint64 size) {
    State &s = *m_state;
    if (s.failure != Status::Incomplete)
        return {s.failure, 0};
    if (s.stopped) {
        s.failure = Status::BadRequest;
        s.error = "request body was not read";
        return {s.failure, 0};
    }
    if (s.messageDone)
        return {Status::Ok, 0}; // the caller has not taken the previous request yet
    if (s.paused) {
        llhttp_resume(&s.parser);
        s.paused = false;
    }

    if (s.hasObsFold(data, size)) {
        s.failure = Status::BadRequest;
        s.error = "obsolete line folding in headers";
        return {s.failure, 0};
    }

    s.feedStart = data;
    const llhttp_errno_t err = llhttp_execute(&s.parser, data, size_t(size));
    if (s.failure != Status::Incomplete)
        return {s.failure, 0};

    if (s.headOnly && !s.messageDone) {
        // The head ended inside this buffer; the bytes after it (body) are consumed unread.
        s.messageDone = true;
        return {Status::Ok, size};
    }
    if (err == HPE_PAUSED && s.messageDone) {
        s.paused = true;
        return {Status::Ok, qint64(llhttp_get_error_pos(&s.parser) - data)};
    }
    if (err != HPE_OK) {
        s.failure = Status::BadRequest;
        s.error = QByteArray("malformed HTTP request: ") + llhttp_get_error_reason(&s.parser);
        return {s.failure, 0};
    }
    if (s.inRequest && !s.headersDone) {
        s.headBytesBefore += size;
        if (s.headBytesBefore > s.limits.maxHeaderBytes) {
            s.failure = Status::HeadersTooLarge;
            s.error = "request headers too large";
            return {s.failure, 0};
        }
    }
    return {Status::Incomplete, size};
}

HttpRequest HttpRequestParser::takeRequest() {
    State &s = *m_state;
    HttpRequest request = std::move(s.current);
    s.current = HttpRequest{};
    s.messageDone = false;
    s.inRequest = false;
    s.headersDone = false;
    s.stopped = s.headOnly;
    s.headBytesBefore = 0;
    s.scanLineStart = false;
    s.scanSawLine = false;
    s.scanDone = false;
    return request;
}

bool HttpRequestParser::inRequest() const {
    return m_state->inRequest;
}

bool HttpRequestParser::headComplete() const {
    return m_state->headersDone || m_state->messageDone;
}

bool HttpRequestParser::takeContinue() {
    const bool pending = m_state->continuePending;
    m_state->continuePending = false;
    return pending;
}

bool HttpRequestParser::isHead() const {
    return m_state->head;
}
bool HttpRequestParser::isHttp10() const {
    return m_state->http10;
}
qint64 HttpRequestParser::maxBodyBytes() const {
    return m_state->maxBody;
}
QByteArray HttpRequestParser::errorMessage() const {
    return m_state->error;
}

} // namespace airlock
