#pragma once

#include "api/EgressJson.h"
#include "http/HttpRequest.h"
#include "inspect/RuleSet.h"

#include <QByteArray>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace airlock {

// Inspection's head start on a large upload. While a /v1/fetch or /v1/egress/check request is
// still arriving, a thread of its own decodes the body from the JSON seen so far
// (EgressBodyFollower) and runs the built-in rules' first pass over it (RuleSet::prescan) and,
// when the body is binary, the Normalizer's line-by-line passes (BinaryPasses), so that once the
// request is whole only the rest is left to the Inspector. It decides nothing:
// the Inspector uses the result only for the body it is given and the rules it uses.
class BodyPrescan final : public BodyWatcher {
public:
    // Bodies at least this large are worth a thread.
    static constexpr qint64 kMinBodyBytes = 1024 * 1024;
    // At most this many run at once (one per core is all that helps); none when they do.
    static constexpr int kMaxRunning = 2;

    // nullptr when kMaxRunning already run or no thread can be had. maxJsonDepth: the
    // Inspector's limit, for the binary passes (BinaryPasses) it makes of a binary body.
    static std::shared_ptr<BodyPrescan> start(std::shared_ptr<const RuleSet> rules, qint64 expectedBytes,
                                              int maxJsonDepth);
    ~BodyPrescan() override;
    BodyPrescan(const BodyPrescan &) = delete;
    BodyPrescan &operator=(const BodyPrescan &) = delete;

    void bodyData(const char *data, qsizetype size) override;
    void bodyDataIn(const QByteArray &buffer, qsizetype offset, qsizetype size) override;
    void bodyEnd() override;

    // Body bytes seen: the caller checks they are the request's body before it trusts finish().
    qint64 bytesSeen() const { return m_bytesSeen; }

    // Lets the thread finish what it was handed, stops it and returns its work: the body's
    // start matched (scan, nullptr if nothing usable) and, when it decoded a whole
    // "body_base64", that string (body64.begin >= 0). Once, after bodyEnd().
    struct Result {
        std::shared_ptr<const PrescannedBody> scan;
        DecodedBody64 body64;
    };
    Result finish();

private:
    BodyPrescan(std::shared_ptr<const RuleSet> rules, qint64 expectedBytes, int maxJsonDepth);
    // Body bytes by reference: buffer[offset, offset + size), buffer never changed again.
    struct Piece {
        QByteArray buffer;
        qsizetype offset = 0;
        qsizetype size = 0;
    };
    void keep(Piece piece);
    void hand();
    void run();
    bool passLines(); // the thread's: one step of the binary passes; false when none is left
    void stop();

    std::shared_ptr<PrescannedBody> m_result; // the thread's until stop()
    EgressBodyFollower m_follower;            // the thread's
    bool m_failed = false;                    // the thread's until stop()
    int m_binary = -1;                        // the thread's: body looks binary (1), not (0), not known yet
    qsizetype m_noLineBreakBefore = 0;        // the thread's: prefix has no line break from upTo to here

    std::vector<Piece> m_pending; // the connection thread's: bytes not yet handed over
    qsizetype m_pendingBytes = 0;
    qint64 m_bytesSeen = 0; // the connection thread's: every body byte, handed over or not
    qint64 m_expectedBytes = 0;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Piece> m_queue;
    std::atomic<bool> m_stop{false};     // stop now
    std::atomic<bool> m_ending{false};   // finish what is queued, decoding only, then stop
    std::atomic<bool> m_following{true}; // cleared by the thread when it will decode nothing more
    std::thread m_thread;
    bool m_counted = false;
};

} // namespace airlock
