// libFuzzer target: arbitrary bytes into the upstream ResponseParser, once whole and once in
// pieces of random size with the body read in random amounts as it arrives (the way
// UpstreamExchange drives it), then the end of the connection. Both must agree on everything
// (status, head, body, framing, keep-alive), no more body may come out than bytes went in, and a
// response framed by a length must end with exactly that many bytes. A third run with tiny
// limits checks the same invariants where the limits are reached.
#include "upstream/ResponseParser.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace {

using airlock::ResponseLimits;
using airlock::ResponseParser;
using Status = ResponseParser::Status;

// A broken invariant names itself before the trap, so an artifact's report says which one.
#define REQUIRE(condition)                                                                                             \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            std::fprintf(stderr, "fuzz_response: %s (line %d)\n", #condition, __LINE__);                               \
            __builtin_trap();                                                                                          \
        }                                                                                                              \
    } while (false)

struct Random {
    uint32_t state;
    uint32_t next(uint32_t bound) { // 1..bound
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state % bound + 1;
    }
};

struct Outcome {
    Status status = Status::Incomplete;
    int code = 0;
    airlock::HeaderList headers;
    QByteArray body;
    qint64 contentLength = 0;
    bool redirect = false;
    QByteArray location;
    bool keepAlive = false;
    bool trailing = false;
    bool operator==(const Outcome &) const = default;
};

void drain(ResponseParser &parser, QByteArray &body, qint64 maxSize) {
    const qint64 before = parser.bufferedBytes();
    const QByteArray out = parser.readBody(maxSize);
    REQUIRE(out.size() <= maxSize && out.size() <= before);
    REQUIRE(parser.bufferedBytes() == before - out.size());
    REQUIRE(before == 0 || !out.isEmpty());
    body += out;
}

// pieceBound 0: the input in one piece.
Outcome run(const QByteArray &input, bool head, bool clean, uint32_t pieceBound, Random random,
            ResponseLimits limits = {}) {
    ResponseParser parser(head, limits);
    Outcome out;
    qint64 consumed = 0;
    QList<QByteArray> pieces; // each a buffer of its own, as a socket read is
    for (qsizetype pos = 0; pieceBound != 0 && pos < input.size();) {
        pieces.append(input.mid(pos, qsizetype(random.next(pieceBound))));
        pos += pieces.last().size();
    }
    if (pieceBound == 0)
        pieces.append(input);
    for (const QByteArray &piece : pieces) {
        const Status before = out.status;
        const ResponseParser::Result r = parser.feed(piece);
        REQUIRE(r.consumed >= 0 && r.consumed <= piece.size());
        if (before != Status::Incomplete) // an outcome is final
            REQUIRE(r.status == before && r.consumed == 0);
        if (r.status == Status::Incomplete)
            REQUIRE(r.consumed == piece.size());
        out.status = r.status;
        consumed += r.status == Status::Complete ? r.consumed : piece.size(); // a failure reports 0, but read
        if (pieceBound != 0)
            drain(parser, out.body, random.next(64 * 1024));
    }
    const Status ended = parser.finish(clean);
    REQUIRE(out.status == Status::Incomplete || ended == out.status);
    out.status = ended;
    REQUIRE(ended != Status::Incomplete);
    while (parser.bufferedBytes() > 0)
        drain(parser, out.body, 1 << 20);
    REQUIRE(parser.bodyBytes() == out.body.size());
    REQUIRE(out.body.size() <= consumed); // no byte out that did not come in

    out.code = parser.status();
    out.headers = parser.headers();
    out.contentLength = parser.contentLength();
    out.redirect = parser.isRedirect();
    out.location = parser.location();
    out.keepAlive = parser.keepAlive();
    out.trailing = parser.trailingBytes();
    REQUIRE(out.headers.size() <= limits.maxFields);
    if (!parser.headComplete())
        REQUIRE(out.code == 0 && out.body.isEmpty() && out.headers.isEmpty());
    if (out.code != 0)
        REQUIRE(out.code >= 200 && out.code != 101);
    if (out.status == Status::Complete && out.contentLength >= 0)
        REQUIRE(out.body.size() == out.contentLength);
    if (parser.headComplete() && (out.redirect || head))
        REQUIRE(out.body.isEmpty() && out.contentLength == 0);
    if (out.keepAlive)
        REQUIRE(out.status == Status::Complete && !out.trailing);
    REQUIRE((out.status == Status::Complete || out.status == Status::Incomplete) == parser.errorMessage().isEmpty());
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2)
        return 0;
    // The first byte: HEAD or not, a clean or broken close, and the largest piece; the second
    // seeds the piece sizes.
    const bool head = (data[0] & 0x80) != 0;
    const bool clean = (data[0] & 0x40) != 0;
    const uint32_t pieceBound = uint32_t(data[0] & 0x3f) + 1;
    Random random{uint32_t(data[1]) * 2654435761u + 1};
    const QByteArray input(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));

    const Outcome whole = run(input, head, clean, 0, random);
    const Outcome pieces = run(input, head, clean, pieceBound, random);
    REQUIRE(whole == pieces);
    run(input, head, clean, pieceBound, random, ResponseLimits{64, 4});
    return 0;
}
