#pragma once

#include "api/EgressJson.h"
#include "http/HttpRequest.h"
#include "inspect/HeadStart.h"

#include <QByteArray>

#include <memory>

namespace airlock {

class Inspector;

// Inspection's head start on a large /v1/fetch or /v1/egress/check upload, seen from the API:
// the HTTP layer's BodyWatcher for the request, which hands the arriving envelope to a
// HeadStart (inspect/) with the envelope's body follower (EgressBodyFollower) as its Decoder.
// The follower runs on the head start's thread; when the request is whole, finish() hands the
// decoded body_base64 to parseEgressJson and the matched start to the Inspector.
class BodyPrescan final : public BodyWatcher {
public:
    static constexpr qint64 kMinBodyBytes = HeadStart::kMinBodyBytes;

    // nullptr when no head start can be had (HeadStart::start).
    static std::shared_ptr<BodyPrescan> start(const Inspector &inspector, const ContentRules &rules,
                                              qint64 expectedBytes);
    BodyPrescan(const BodyPrescan &) = delete;
    BodyPrescan &operator=(const BodyPrescan &) = delete;

    void bodyData(const char *data, qsizetype size) override;
    void bodyDataIn(const QByteArray &buffer, qsizetype offset, qsizetype size) override;
    void bodyEnd() override;

    // Body bytes seen: the caller checks they are the request's body before it trusts finish().
    qint64 bytesSeen() const { return m_headStart->bytesSeen(); }

    // The body's start matched (scan, nullptr if nothing usable) and, when the follower decoded
    // a whole "body_base64", that string (body64.begin >= 0). Once, after bodyEnd().
    struct Result {
        std::shared_ptr<const PrescannedBody> scan;
        DecodedBody64 body64;
    };
    Result finish();

private:
    BodyPrescan() = default;

    EgressBodyFollower m_follower; // used by the head start's thread until finish(); outlives it
    std::shared_ptr<HeadStart> m_headStart;
};

} // namespace airlock
