#include "inspect/HeadStart.h"

#include "inspect/Decode.h"
#include "inspect/Inspector.h"
#include "inspect/OffThread.h"
#include "inspect/RuleSet.h"

#include <exception>
#include <string_view>
#include <utility>

namespace airlock {

namespace {

// Handed to the thread this many bytes at a time: a few dozen wake-ups per 10 MB upload.
constexpr qsizetype kChunkBytes = 256 * 1024;
// The rules run over this much of the decoded body between looks at what was handed over, so
// the bytes that end a request are decoded within ~0.1 ms of arriving.
constexpr size_t kMatchStepBytes = 64 * 1024;
// The binary passes go this far at a time, once the rules have caught up.
constexpr qsizetype kPassStepBytes = 256 * 1024;
// Whether the body is binary (and worth those passes) is judged on its first bytes.
constexpr qsizetype kBinaryCheckBytes = 256 * 1024;
// A line longer than this (random data has one every few hundred bytes) ends the passes ahead.
constexpr qsizetype kMaxLineBytes = 4 * 1024 * 1024;

std::atomic<int> s_running{0};

} // namespace

std::shared_ptr<HeadStart> HeadStart::start(const Inspector &inspector, const ContentRules &rules, qint64 expectedBytes,
                                            Decoder decoder) {
    int running = s_running.load();
    do {
        if (running >= kMaxRunning)
            return nullptr;
    } while (!s_running.compare_exchange_weak(running, running + 1));
    // Called from the HTTP parser's callback: nothing may be thrown from here. Once the
    // object exists its destructor gives the slot back; before, this does.
    std::shared_ptr<HeadStart> headStart;
    try {
        std::shared_ptr<const RuleSet> ruleSet = inspector.rulesFor(rules);
        if (ruleSet)
            headStart.reset(
                new HeadStart(std::move(ruleSet), inspector.limits().maxJsonDepth, expectedBytes, std::move(decoder)));
    } catch (const std::exception &) {
    }
    if (!headStart) {
        --s_running;
        return nullptr;
    }
    headStart->m_counted = true;
    headStart->m_worker = startOffThread([p = headStart.get()] { p->run(); });
    if (!headStart->m_worker.valid())
        return nullptr; // no thread to be had: no head start
    return headStart;
}

HeadStart::HeadStart(std::shared_ptr<const RuleSet> rules, int maxJsonDepth, qint64 expectedBytes, Decoder decoder)
    : m_result(std::make_shared<PrescannedBody>())
    , m_decoder(std::move(decoder))
    , m_expectedBytes(expectedBytes) {
    m_result->rules = std::move(rules);
    m_result->binary.maxJsonDepth = maxJsonDepth;
}

HeadStart::~HeadStart() {
    stop();
    if (m_counted)
        --s_running;
}

void HeadStart::stop() {
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true; // also seen between pieces: a client gone mid-body waits for no decoding
        m_queue.clear();
    }
    m_wake.notify_one();
    if (m_worker.valid())
        m_worker.wait();
}

void HeadStart::add(const QByteArray &buffer, qsizetype offset, qsizetype size) {
    m_bytesSeen += size;
    if (!m_following.load(std::memory_order_relaxed))
        return;
    m_pendingBytes += size;
    m_pending.push_back(Piece{buffer, offset, size});
    if (m_pendingBytes >= kChunkBytes)
        hand();
}

void HeadStart::end() {
    if (m_following.load(std::memory_order_relaxed))
        hand();
    m_pending.clear();
}

void HeadStart::hand() {
    {
        const std::lock_guard lock(m_mutex);
        if (!m_stop) {
            for (Piece &piece : m_pending)
                m_queue.push_back(std::move(piece));
        }
    }
    m_pending.clear();
    m_pendingBytes = 0;
    m_wake.notify_one();
}

void HeadStart::run() {
    // Decoding comes first: when the request is whole the parser needs the decoded body at
    // once, while the Inspector matches whatever the rules have not seen yet. Between pieces
    // handed over, the rules run over the decoded body a step (kMatchStepBytes) at a time.
    bool matchable = false; // there may be blocks to match without more bytes
    for (;;) {
        std::deque<Piece> pieces;
        bool ending = false;
        {
            std::unique_lock lock(m_mutex);
            if (!matchable || m_ending)
                m_wake.wait(lock, [this] { return m_stop || m_ending || !m_queue.empty(); });
            if (m_stop)
                return;
            pieces.swap(m_queue);
            ending = m_ending;
        }
        try {
            if (m_result->prefix.capacity() == 0) // reserved here, not on the connection's thread
                m_result->prefix.reserve(qsizetype(m_expectedBytes / 4 * 3 + 3));
            for (const Piece &piece : pieces) {
                if (m_stop)
                    return;
                if (m_following && !m_decoder(piece.buffer.constData() + piece.offset, piece.size, &m_result->prefix))
                    m_following = false; // nothing more will be decoded
            }
            if (ending) {
                if (pieces.empty())
                    return;
                continue;
            }
            const std::string_view prefix(m_result->prefix.constData(), size_t(m_result->prefix.size()));
            PrescannedBlocks &blocks = m_result->blocks;
            const size_t upTo = blocks.upTo;
            const size_t searched = blocks.searched;
            const size_t limit = std::min(prefix.size(), std::max(upTo, searched) + kMatchStepBytes);
            if (!m_result->rules->prescan(prefix.substr(0, limit), &blocks)) {
                m_failed = true;
                m_following = false;
                return;
            }
            matchable = blocks.upTo != upTo || blocks.searched != searched;
            if (!matchable) // the rules have caught up: the binary passes, a step
                matchable = passLines();
        } catch (const std::exception &) { // bad_alloc: no head start, the Inspector does it all
            m_failed = true;
            m_following = false;
            return;
        }
    }
}

// One step of the binary passes over whole lines decoded since the last, for a body whose first
// bytes look binary (the Normalizer makes them only for a binary body). Without a whole line it
// waits for more bytes; the Normalizer does what was not done.
bool HeadStart::passLines() {
    const QByteArray &prefix = m_result->prefix;
    BinaryPasses &passes = m_result->binary;
    if (m_binary < 0) {
        if (prefix.size() < kBinaryCheckBytes)
            return false;
        m_binary = decode::looksBinary(QByteArray::fromRawData(prefix.constData(), kBinaryCheckBytes)) ? 1 : 0;
    }
    if (m_binary == 0 || passes.upTo >= prefix.size())
        return false;
    // Up to the last line break of the step, or past a line longer than the step (searched once
    // per byte); a line longer than kMaxLineBytes ends the passes ahead: the Normalizer does them.
    const qsizetype from = std::max(passes.upTo, m_noLineBreakBefore);
    const QByteArrayView rest(prefix.constData() + from, prefix.size() - from);
    qsizetype lineBreak = rest.first(std::min(rest.size(), kPassStepBytes)).lastIndexOf('\n');
    if (lineBreak < 0)
        lineBreak = rest.indexOf('\n');
    if (lineBreak < 0) {
        m_noLineBreakBefore = prefix.size();
        if (prefix.size() - passes.upTo > kMaxLineBytes)
            m_binary = 0;
        return false; // no whole line yet
    }
    passes.extend(prefix, from + lineBreak + 1);
    return true;
}

HeadStart::Result HeadStart::finish() {
    {
        const std::lock_guard lock(m_mutex);
        m_ending = true;
    }
    m_wake.notify_one();
    if (m_worker.valid())
        m_worker.wait();
    Result result;
    if (m_failed || !m_result)
        return result;
    result.ok = true;
    result.body = m_result->prefix;
    if (m_result->blocks.upTo > 0 || m_result->binary.upTo > 0)
        result.scan = std::exchange(m_result, nullptr);
    return result;
}

} // namespace airlock
