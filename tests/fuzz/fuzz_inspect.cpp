// libFuzzer target: arbitrary bytes through the Inspector (Normalizer views + RuleSet) as a
// request body under a fuzzer-chosen Content-Type/Content-Encoding, and as a header value and
// URL query, with the default ContentRules. Looks for crashes, hangs and unbounded memory.
#include "inspect/Inspector.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

using namespace airlock;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    static const char *types[] = {"application/json",
                                  "application/x-www-form-urlencoded",
                                  "multipart/form-data; boundary=xyz",
                                  "text/plain",
                                  "application/octet-stream",
                                  "text/html",
                                  "text/plain; charset=utf-16"};
    static const char *encodings[] = {"", "gzip", "deflate", "identity"};
    const uint8_t selector = data[0];
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    static const Inspector inspector;
    static const ContentRules rules;
    CanonicalUrl url;
    url.host = QStringLiteral("huggingface.co");
    url.path = QStringLiteral("/api/models");

    HeaderList headers = {{"Content-Type", types[selector % 7]}};
    if (const char *enc = encodings[(selector / 7) % 4]; *enc)
        headers.append(qMakePair(QByteArray("Content-Encoding"), QByteArray(enc)));
    (void)inspector.inspect(url, headers, bytes, rules);

    // The same bytes as a header value (split in two, so joining is exercised) and a query.
    HeaderList asHeaders = {{"X-Data", bytes.left(bytes.size() / 2)}, {"x-data", bytes.mid(bytes.size() / 2)}};
    url.query = QString::fromUtf8(bytes);
    url.hasQuery = true;
    (void)inspector.inspect(url, asHeaders, QByteArray(), rules);
    return 0;
}
