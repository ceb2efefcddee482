// libFuzzer target: arbitrary bytes through the Inspector (Normalizer views + RuleSet) as a
// request body under a fuzzer-chosen Content-Type/Content-Encoding, and as a header value and
// URL query, with the default ContentRules. Looks for crashes, hangs and unbounded memory; and
// checks that matching only the text stretches of mostly binary blocks finds exactly what
// matching whole blocks finds.
#include "inspect/Inspector.h"
#include "inspect/RuleSet.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

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

    // Long enough for blocks: the bytes over and over, with and without skipping.
    static const std::shared_ptr<const RuleSet> ruleSet = RuleSet::build(rules, nullptr);
    if (bytes.isEmpty())
        return 0;
    QByteArray text = bytes;
    while (text.size() < 5000)
        text += bytes;
    for (bool binary : {false, true}) {
        QList<Finding> skipping;
        QList<Finding> whole;
        const bool a = ruleSet->scan(text, QStringLiteral("body"), &skipping, binary);
        RuleSet::setSkipBinaryStretches(false);
        const bool b = ruleSet->scan(text, QStringLiteral("body"), &whole, binary);
        RuleSet::setSkipBinaryStretches(true);
        if (a != b || skipping.size() != whole.size())
            std::abort();
        for (qsizetype i = 0; i < skipping.size(); ++i) {
            if (skipping[i].rule != whole[i].rule || skipping[i].offset != whole[i].offset)
                std::abort();
        }
    }
    return 0;
}
