#include "upstream/ResponseParser.h"

#include <llhttp.h>

#include <algorithm>
#include <deque>

namespace airlock {

namespace {

bool isRedirectStatus(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Decoded spans smaller than this (chunked coding) are copied together into one buffer, so the
// reader gets few large buffers instead of many small ones.
constexpr qint64 kCoalesceBytes = 64 * 1024;

} // namespace

// llhttp calls back into it; the caller looks at its state after each feed(), so nothing above
// is ever called from inside llhttp.
struct ResponseParser::State {
    llhttp_t parser{};
    llhttp_settings_t settings{};
    ResponseLimits limits;
    bool headRequest = false;

    HeaderList headers; // of the head being parsed, then of the final one
    QByteArray field;
    QByteArray value;
    int status = 0;
    QByteArray location;
    qint64 contentLength = -1;
    bool headComplete = false;
    bool messageComplete = false;
    bool keepAlive = false;
    bool trailing = false;

    const QByteArray *input = nullptr; // the buffer being fed, so a body span covering it is shared
    const char *feedStart = nullptr;
    qint64 headBytesBefore = 0; // head bytes of earlier feed() calls
    qint64 trailerBytes = 0;
    int headFields = 0;
    int trailerFields = 0;

    Status failure = Status::Incomplete; // Incomplete = no failure
    QByteArray error;

    std::deque<QByteArray> body;
    qint64 frontOffset = 0;
    qint64 buffered = 0;
    qint64 bodyAdded = 0;
    bool backOwned = false; // body.back() is ours to append to (not a shared input buffer)

    static State *of(llhttp_t *p) { return static_cast<State *>(p->data); }

    int fail(Status why, const char *message) {
        if (failure == Status::Incomplete) {
            failure = why;
            error = message;
        }
        return HPE_USER;
    }

    // Heads are limited as a whole, by position, wherever the bytes are split.
    int checkHead(const char *at, size_t n) {
        if (headBytesBefore + qint64(at + n - feedStart) > limits.maxHeadBytes)
            return fail(Status::TooLarge, "response head too large");
        return 0;
    }
    int countTrailer(size_t n) {
        trailerBytes += qint64(n);
        if (trailerBytes > limits.maxHeadBytes)
            return fail(Status::TooLarge, "response trailers too large");
        return 0;
    }

    static int onMessageBegin(llhttp_t *p) {
        auto *s = of(p);
        s->headers.clear();
        s->field.clear();
        s->value.clear();
        return 0;
    }
    static int onStatus(llhttp_t *p, const char *at, size_t n) { return of(p)->checkHead(at, n); }
    static int onHeaderField(llhttp_t *p, const char *at, size_t n) {
        auto *s = of(p);
        if (s->headComplete)
            return s->countTrailer(n); // trailers are read and dropped
        s->field.append(at, qsizetype(n));
        return s->checkHead(at, n);
    }
    static int onHeaderFieldComplete(llhttp_t *p) {
        auto *s = of(p);
        int &count = s->headComplete ? s->trailerFields : s->headFields;
        if (++count > s->limits.maxFields)
            return s->fail(Status::TooLarge, "too many header fields");
        return 0;
    }
    static int onHeaderValue(llhttp_t *p, const char *at, size_t n) {
        auto *s = of(p);
        if (s->headComplete)
            return s->countTrailer(n);
        s->value.append(at, qsizetype(n));
        return s->checkHead(at, n);
    }
    static int onHeaderValueComplete(llhttp_t *p) {
        auto *s = of(p);
        if (!s->headComplete)
            s->headers.append({s->field, s->value.trimmed()});
        s->field.clear();
        s->value.clear();
        return 0;
    }
    static int onHeadersComplete(llhttp_t *p) { return of(p)->headersComplete(); }
    static int onBody(llhttp_t *p, const char *at, size_t n) {
        of(p)->queue(at, qsizetype(n));
        return 0;
    }
    static int onMessageComplete(llhttp_t *p) {
        auto *s = of(p);
        if (!s->headComplete)
            return 0; // the end of an interim response: the final one follows
        s->messageComplete = true;
        s->keepAlive = llhttp_should_keep_alive(p) != 0;
        return HPE_PAUSED; // nothing after the response is read
    }

    int headersComplete() {
        status = parser.status_code;
        if (status == 101) {
            fail(Status::Invalid, "protocol switch refused");
            return -1;
        }
        if (status < 200)
            return 1; // interim response (100, 103 Early Hints, ...): bodiless, the final one follows
        headComplete = true;
        location = headerValue(headers, "location");
        // Bodiless by definition; a redirect's body is never looked at.
        const bool redirect = isRedirectStatus(status) && !location.isEmpty();
        const bool bodiless = headRequest || status == 204 || status == 304 || redirect;
        bool ok = false;
        const qint64 length = headerValue(headers, "content-length").toLongLong(&ok);
        const bool framedByLength = ok && length >= 0 && !hasHeader(headers, "transfer-encoding");
        contentLength = bodiless ? 0 : framedByLength ? length : -1;
        return bodiless ? 1 : 0;
    }

    void queue(const char *at, qsizetype size) {
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
    }
};

ResponseParser::ResponseParser(bool headRequest, ResponseLimits limits)
    : m_state(std::make_unique<State>()) {
    State &s = *m_state;
    s.limits = limits;
    s.headRequest = headRequest;
    llhttp_settings_init(&s.settings);
    s.settings.on_message_begin = State::onMessageBegin;
    s.settings.on_status = State::onStatus;
    s.settings.on_header_field = State::onHeaderField;
    s.settings.on_header_field_complete = State::onHeaderFieldComplete;
    s.settings.on_header_value = State::onHeaderValue;
    s.settings.on_header_value_complete = State::onHeaderValueComplete;
    s.settings.on_headers_complete = State::onHeadersComplete;
    s.settings.on_body = State::onBody;
    s.settings.on_message_complete = State::onMessageComplete;
    llhttp_init(&s.parser, HTTP_RESPONSE, &s.settings);
    s.parser.data = &s;
}

ResponseParser::~ResponseParser() = default;

ResponseParser::Result ResponseParser::feed(const QByteArray &buffer) {
    State &s = *m_state;
    if (s.failure != Status::Incomplete)
        return {s.failure, 0};
    if (s.messageComplete) {
        if (!buffer.isEmpty())
            s.trailing = true;
        return {Status::Complete, 0};
    }
    const char *data = buffer.constData();
    s.input = &buffer;
    s.feedStart = data;
    const llhttp_errno_t err = llhttp_execute(&s.parser, data, size_t(buffer.size()));
    s.input = nullptr;
    s.feedStart = nullptr;
    if (s.failure != Status::Incomplete)
        return {s.failure, 0};
    if (err == HPE_PAUSED && s.messageComplete) {
        const qint64 consumed = llhttp_get_error_pos(&s.parser) - data;
        if (consumed != buffer.size())
            s.trailing = true;
        return {Status::Complete, consumed};
    }
    if (err != HPE_OK) {
        s.failure = Status::Invalid;
        s.error = QByteArray("malformed HTTP response: ") + llhttp_get_error_reason(&s.parser);
        return {s.failure, 0};
    }
    if (!s.headComplete) {
        s.headBytesBefore += buffer.size();
        if (s.headBytesBefore > s.limits.maxHeadBytes) {
            s.failure = Status::TooLarge;
            s.error = "response head too large";
            return {s.failure, 0};
        }
    }
    return {Status::Incomplete, buffer.size()};
}

ResponseParser::Status ResponseParser::finish(bool clean) {
    State &s = *m_state;
    if (s.failure != Status::Incomplete)
        return s.failure;
    if (s.messageComplete)
        return Status::Complete;
    // A length or a last chunk that never came, or a close that was a break: the body is cut short.
    const bool needsEof = llhttp_message_needs_eof(&s.parser) != 0;
    if (s.headComplete && needsEof && clean)
        llhttp_finish(&s.parser); // read until close: the close ends it (onMessageComplete)
    if (s.messageComplete)
        return Status::Complete;
    s.failure = Status::Truncated;
    s.error = s.headComplete ? "connection closed mid-body" : "connection closed before the response head";
    return s.failure;
}

bool ResponseParser::headComplete() const {
    return m_state->headComplete;
}
int ResponseParser::status() const {
    return m_state->headComplete ? m_state->status : 0;
}
const HeaderList &ResponseParser::headers() const {
    static const HeaderList none;
    return m_state->headComplete ? m_state->headers : none;
}
bool ResponseParser::isRedirect() const {
    return m_state->headComplete && isRedirectStatus(m_state->status) && !m_state->location.isEmpty();
}
QByteArray ResponseParser::location() const {
    return m_state->location;
}
qint64 ResponseParser::contentLength() const {
    return m_state->contentLength;
}
bool ResponseParser::isComplete() const {
    return m_state->messageComplete;
}
bool ResponseParser::trailingBytes() const {
    return m_state->trailing;
}
bool ResponseParser::keepAlive() const {
    return m_state->messageComplete && m_state->keepAlive && !m_state->trailing;
}
qint64 ResponseParser::bufferedBytes() const {
    return m_state->buffered;
}
qint64 ResponseParser::bodyBytes() const {
    return m_state->bodyAdded;
}
QByteArray ResponseParser::errorMessage() const {
    return m_state->error;
}

QByteArray ResponseParser::readBody(qint64 maxSize) {
    State &s = *m_state;
    if (s.body.empty() || maxSize <= 0)
        return {};
    QByteArray &front = s.body.front();
    const qint64 left = front.size() - s.frontOffset;
    QByteArray out;
    if (s.frontOffset == 0 && left <= maxSize && (s.body.size() == 1 || 2 * left >= maxSize)) {
        out = std::move(front); // hand the buffer over as it is
        s.body.pop_front();
    } else {
        out.reserve(qsizetype(std::min(maxSize, s.buffered)));
        while (!s.body.empty() && out.size() < maxSize) {
            QByteArray &chunk = s.body.front();
            const qint64 n = std::min<qint64>(chunk.size() - s.frontOffset, maxSize - out.size());
            out.append(chunk.constData() + s.frontOffset, qsizetype(n));
            s.frontOffset += n;
            if (s.frontOffset == chunk.size()) {
                s.body.pop_front();
                s.frontOffset = 0;
            }
        }
    }
    if (s.body.empty())
        s.backOwned = false;
    s.buffered -= out.size();
    return out;
}

} // namespace airlock
