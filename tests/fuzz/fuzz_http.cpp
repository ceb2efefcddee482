// libFuzzer target: arbitrary bytes into the HTTP request parser, split at fuzzer-chosen
// points, with every request taken as it completes (the way HttpConnection drives it). Each
// body is also followed as it arrives, as the API does for large uploads (EgressBodyFollower):
// what it decodes must be a start of the body parseEgressJson finds, and a body_base64 it
// decoded whole must give the parser's very answer.
#include "api/EgressJson.h"
#include "http/HttpRequestParser.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace {
struct Follow final : airlock::BodyWatcher {
    airlock::EgressBodyFollower follower;
    QByteArray decoded;
    bool following = true;
    std::vector<QByteArray> kept; // references kept past the feed, read at the end
    void bodyData(const char *data, qsizetype size) override {
        if (following)
            following = follower.feed(data, size, &decoded);
    }
    void bodyDataIn(const QByteArray &buffer, qsizetype offset, qsizetype size) override {
        kept.push_back(buffer);
        bodyData(buffer.constData() + offset, size);
    }
    void bodyEnd() override {}
};

void check(const airlock::HttpRequest &request) {
    auto *follow = dynamic_cast<Follow *>(request.bodyWatcher.get());
    if (!follow)
        __builtin_trap();
    size_t sum = 0; // every kept byte is read here: ASan reports a reference outliving its buffer
    for (const QByteArray &buffer : follow->kept) {
        for (const char c : buffer)
            sum += static_cast<unsigned char>(c);
    }
    if (sum == size_t(-1))
        __builtin_trap();
    airlock::EgressRequest plain;
    QString plainError;
    const bool ok = airlock::parseEgressJson(request.body, &plain, &plainError);
    if (ok && !plain.body.startsWith(follow->decoded) && plain.hasBody)
        __builtin_trap();
    airlock::DecodedBody64 predecoded;
    if (!follow->follower.wholeBody64(&predecoded.begin, &predecoded.end))
        return;
    predecoded.bytes = follow->decoded;
    airlock::EgressRequest fast;
    QString fastError;
    if (airlock::parseEgressJson(request.body, &fast, &fastError, &predecoded) != ok || fastError != plainError ||
        fast.body != plain.body)
        __builtin_trap();
}
} // namespace

using airlock::HttpLimits;
using airlock::HttpRequestParser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    // The first byte picks the feed size, so splits inside tokens and CRLFs are explored, and
    // whether pieces are fed as pointers or as buffers (HttpConnection's way).
    const size_t step = size_t(data[0] % 64) + 1;
    const bool buffers = (data[0] & 0x80) != 0;
    ++data;
    --size;

    HttpLimits limits;
    limits.maxHeaderBytes = 4096;
    limits.maxBodyBytes = [] {
        return qint64(8192);
    };
    limits.watchBody = [](const airlock::HttpRequest &) {
        return std::make_shared<Follow>();
    };
    HttpRequestParser parser(limits);

    const char *bytes = reinterpret_cast<const char *>(data);
    size_t pos = 0;
    while (pos < size) {
        const size_t n = step < size - pos ? step : size - pos;
        const auto result =
            buffers ? parser.feed(QByteArray(bytes + pos, qsizetype(n)), 0) : parser.feed(bytes + pos, qint64(n));
        if (result.consumed < 0 || size_t(result.consumed) > n)
            __builtin_trap();
        pos += size_t(result.consumed);
        (void)parser.takeContinue();
        if (result.status == HttpRequestParser::Status::Ok) {
            const auto request = parser.takeRequest();
            if (request.body.size() > 8192 || !request.target.startsWith('/'))
                __builtin_trap();
            (void)request.path();
            (void)request.header("host");
            check(request);
        } else if (result.status != HttpRequestParser::Status::Incomplete) {
            break;
        }
    }
    return 0;
}
