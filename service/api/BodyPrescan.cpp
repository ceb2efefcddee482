#include "api/BodyPrescan.h"

#include <exception>

namespace airlock {

std::shared_ptr<BodyPrescan> BodyPrescan::start(const Inspector &inspector, const ContentRules &rules,
                                                qint64 expectedBytes) {
    // Inside the HTTP parser's callback: a failure here only costs the head start.
    std::shared_ptr<BodyPrescan> prescan;
    try {
        prescan.reset(new BodyPrescan);
    } catch (const std::exception &) {
        return nullptr;
    }
    EgressBodyFollower *follower = &prescan->m_follower;
    prescan->m_headStart = HeadStart::start(
        inspector, rules, expectedBytes,
        [follower](const char *data, qsizetype size, QByteArray *body) { return follower->feed(data, size, body); });
    if (!prescan->m_headStart)
        return nullptr;
    return prescan;
}

void BodyPrescan::bodyData(const char *data, qsizetype size) {
    m_headStart->add(QByteArray(data, size), 0, size);
}

void BodyPrescan::bodyDataIn(const QByteArray &buffer, qsizetype offset, qsizetype size) {
    m_headStart->add(buffer, offset, size); // a reference to the socket's bytes, not a copy
}

void BodyPrescan::bodyEnd() {
    m_headStart->end();
}

BodyPrescan::Result BodyPrescan::finish() {
    HeadStart::Result done = m_headStart->finish();
    Result result;
    if (!done.ok)
        return result;
    // The head start's thread has ended: the follower is this thread's again.
    if (m_follower.wholeBody64(&result.body64.begin, &result.body64.end))
        result.body64.bytes = std::move(done.body);
    result.scan = std::move(done.scan);
    return result;
}

} // namespace airlock
