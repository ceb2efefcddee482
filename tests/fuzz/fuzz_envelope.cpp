// libFuzzer target: arbitrary bytes as the JSON envelope of /v1/fetch (parseEgressJson), and the
// same bytes followed as they arrive in fuzzer-chosen pieces (EgressBodyFollower, the upload head
// start). Looks for crashes, hangs and unbounded memory; checks what a parsed envelope promises:
// a URL, headers within their bounds, one body form, the same answer twice; and that the one-pass
// JSON string unescaper reads a string exactly as QJsonDocument does.
#include "FuzzRequire.h"
#include "api/EgressJson.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstddef>
#include <cstdint>

using namespace airlock;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    const uint8_t piece = data[0] | 1; // the follower's piece size, 1..255
    const QByteArray json(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    EgressRequest request;
    QString error;
    const bool ok = parseEgressJson(json, &request, &error);
    require(ok == error.isEmpty(), "an error exactly when refused");
    if (ok) {
        require(!request.url.isEmpty(), "a parsed envelope has a URL");
        require(request.headers.size() <= kMaxEnvelopeHeaders, "header count bounded");
        qsizetype total = 0;
        for (const auto &[name, value] : request.headers) {
            require(value.size() <= kMaxEnvelopeHeaderValue, "header value bounded");
            total += name.size() + value.size();
        }
        require(total <= kMaxEnvelopeHeaderBytes, "header bytes bounded");
        require(request.hasBody || request.body.isEmpty(), "no body bytes without a body");
        EgressRequest again;
        QString error2;
        require(parseEgressJson(json, &again, &error2), "parsing is deterministic");
        require(again.url == request.url && again.body == request.body && again.headers == request.headers &&
                    again.method == request.method,
                "the same envelope twice gives the same request");
    }

    EgressBodyFollower follower;
    QByteArray decoded;
    for (qsizetype at = 0; at < json.size(); at += piece) {
        if (!follower.feed(json.constData() + at, qMin<qsizetype>(piece, json.size() - at), &decoded))
            break;
    }
    require(decoded.size() <= json.size(), "the follower never decodes more than it was given");

    // The one-pass string unescaper reads a string as QJsonDocument does, or leaves it alone.
    const QByteArray array = "[\"" + json + "\"]";
    QByteArray text;
    const qsizetype after = unescapeJsonString(array.constData(), 2, array.size(), &text);
    if (after == array.size() - 1) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(array, &parseError);
        require(parseError.error == QJsonParseError::NoError, "an unescaped string is valid JSON");
        require(doc.array().at(0).toString().toUtf8() == text, "the unescaper agrees with QJsonDocument");
    }
    require(text.size() <= array.size(), "unescaped text is never longer than its escaped form");
    return 0;
}
