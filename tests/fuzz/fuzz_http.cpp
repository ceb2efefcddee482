// libFuzzer target: arbitrary bytes into the HTTP request parser, split at fuzzer-chosen
// points, with every request taken as it completes (the way HttpConnection drives it).
#include "http/HttpRequestParser.h"

#include <cstddef>
#include <cstdint>

using airlock::HttpLimits;
using airlock::HttpRequestParser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    // The first byte picks the feed size, so splits inside tokens and CRLFs are explored.
    const size_t step = size_t(data[0] % 64) + 1;
    ++data;
    --size;

    HttpLimits limits;
    limits.maxHeaderBytes = 4096;
    limits.maxBodyBytes = [] {
        return qint64(8192);
    };
    HttpRequestParser parser(limits);

    const char *bytes = reinterpret_cast<const char *>(data);
    size_t pos = 0;
    while (pos < size) {
        const size_t n = step < size - pos ? step : size - pos;
        const auto result = parser.feed(bytes + pos, qint64(n));
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
        } else if (result.status != HttpRequestParser::Status::Incomplete) {
            break;
        }
    }
    return 0;
}
