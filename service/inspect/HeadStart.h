#pragma once

#include "policy/Policy.h"

#include <QByteArray>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <vector>

namespace airlock {

class Inspector;
class RuleSet;
struct PrescannedBody;

// Inspection's head start on a large body that is still arriving: a thread of its own turns
// the arriving bytes into the body's bytes (the caller's Decoder, e.g. the JSON envelope's
// body string) and runs the built-in rules' first pass over them (RuleSet::prescan) and, for a
// binary body, the Normalizer's line-by-line passes (BinaryPasses). Once the request is whole
// only the rest is left to Inspector::inspect, which is handed finish()'s result. It decides
// nothing: the Inspector uses the result only for the body it is given and the rules it uses.
//
// This is the head start's one seam: the caller (the API layer) knows how the body is framed,
// this knows how it is matched, and what it made travels to the Inspector as an opaque
// PrescannedBody.
class HeadStart final {
public:
    // Bodies at least this large are worth a thread.
    static constexpr qint64 kMinBodyBytes = 1024 * 1024;
    // At most this many run at once (one per core is all that helps); none when they do.
    static constexpr int kMaxRunning = 2;

    // On the head start's thread: appends the body bytes found in the next `size` bytes that
    // arrived to *body. False: no more will be found (the rest is left to the Inspector).
    using Decoder = std::function<bool(const char *data, qsizetype size, QByteArray *body)>;

    // nullptr when kMaxRunning already run, the rules do not compile or no thread can be had.
    // Nothing is thrown (it runs inside the HTTP parser's callback).
    static std::shared_ptr<HeadStart> start(const Inspector &inspector, const ContentRules &rules, qint64 expectedBytes,
                                            Decoder decoder);
    ~HeadStart();
    HeadStart(const HeadStart &) = delete;
    HeadStart &operator=(const HeadStart &) = delete;

    // The connection's thread: bytes as they arrive, buffer[offset, offset + size) of a buffer
    // never changed again (a reference is kept, not a copy); then end() once.
    void add(const QByteArray &buffer, qsizetype offset, qsizetype size);
    void end();
    qint64 bytesSeen() const { return m_bytesSeen; } // every byte added

    // Lets the thread decode what it was handed, stops it and returns its work. Once, after end().
    struct Result {
        bool ok = false;                            // false: nothing usable, the Inspector does it all
        QByteArray body;                            // the body bytes decoded (when ok)
        std::shared_ptr<const PrescannedBody> scan; // for Inspector::inspect; nullptr if nothing was matched
    };
    Result finish();

private:
    HeadStart(std::shared_ptr<const RuleSet> rules, int maxJsonDepth, qint64 expectedBytes, Decoder decoder);
    struct Piece {
        QByteArray buffer;
        qsizetype offset = 0;
        qsizetype size = 0;
    };
    void hand();
    void run();
    bool passLines(); // the thread's: one step of the binary passes; false when none is left
    void stop();

    std::shared_ptr<PrescannedBody> m_result; // the thread's until stop()
    Decoder m_decoder;                        // the thread's
    bool m_failed = false;                    // the thread's until stop()
    int m_binary = -1;                        // the thread's: body looks binary (1), not (0), not known yet
    qsizetype m_noLineBreakBefore = 0;        // the thread's: prefix has no line break from upTo to here

    std::vector<Piece> m_pending; // the connection thread's: bytes not yet handed over
    qsizetype m_pendingBytes = 0;
    qint64 m_bytesSeen = 0; // the connection thread's: every byte, handed over or not
    qint64 m_expectedBytes = 0;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Piece> m_queue;
    std::atomic<bool> m_stop{false};     // stop now
    std::atomic<bool> m_ending{false};   // finish what is queued, decoding only, then stop
    std::atomic<bool> m_following{true}; // cleared by the thread when it will decode nothing more
    std::future<void> m_worker;
    bool m_counted = false;
};

} // namespace airlock
