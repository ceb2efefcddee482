// Micro-benchmarks of what every request pays before it leaves: URL canonical form, the Gate's
// ordered checks, and decoding the JSON envelope (a 10 MB base64 body at the top end).
#include "api/EgressJson.h"
#include "gate/Gate.h"
#include "policy/PolicyYaml.h"
#include "url/CanonicalUrl.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <benchmark/benchmark.h>

using namespace airlock;

namespace {

Policy defaultEnabledPolicy() {
    PolicyParseResult parsed = parsePolicyYaml(defaultPolicyYaml());
    Policy p = *parsed.policy;
    p.enabled = true;
    p.requestsPerMinute = 100000;
    return p;
}

void BM_CanonicalizeUrl(benchmark::State &state) {
    const QString url = QStringLiteral(
        "https://huggingface.co/meta-llama/Llama-3.1-8B/resolve/main/model-00001-of-00004.safetensors?download=true");
    for (auto _ : state)
        benchmark::DoNotOptimize(canonicalizeUrl(url));
}
BENCHMARK(BM_CanonicalizeUrl);

void BM_GateEvaluate(benchmark::State &state) {
    qint64 now = 0;
    RateLimiter limiter([&] { return now; });
    Inspector inspector;
    Gate gate(limiter, inspector);
    const Policy policy = defaultEnabledPolicy();
    EgressRequest r;
    r.url = QStringLiteral("https://cdn-lfs.hf.co/repos/ab/cd/0123456789abcdef?X-Amz-Signature=0123456789abcdef");
    r.headers = {{"Accept", "*/*"}, {"Range", "bytes=0-1048575"}, {"User-Agent", "huggingface_hub/0.25"}};
    for (auto _ : state) {
        now += 10'000; // keep the rate limiter out of the way
        benchmark::DoNotOptimize(gate.evaluate(r, policy, GateState{}));
    }
}
BENCHMARK(BM_GateEvaluate);

void BM_ParseEgressJson(benchmark::State &state) {
    const QByteArray body(state.range(0), 'x');
    const QByteArray json = QJsonDocument(QJsonObject{{"url", "https://huggingface.co/api/x"},
                                                      {"method", "POST"},
                                                      {"body_base64", QString::fromLatin1(body.toBase64())}})
                                .toJson(QJsonDocument::Compact);
    for (auto _ : state) {
        EgressRequest r;
        QString error;
        benchmark::DoNotOptimize(parseEgressJson(json, &r, &error));
    }
    state.SetBytesProcessed(state.iterations() * json.size());
}
BENCHMARK(BM_ParseEgressJson)->Arg(1024)->Arg(10 * 1024 * 1024);

// What a client of the seed's API sends: a JSON document as the "body" string, every quote in it
// escaped. Rows like a hub listing's: id, name, prompt, a 40-hex sha, a size.
void BM_ParseEgressJsonEscapedBody(benchmark::State &state) {
    QByteArray rows = "[";
    for (int i = 0; rows.size() < state.range(0); ++i)
        rows += "{\"id\":" + QByteArray::number(i) + ",\"name\":\"org/model-" + QByteArray::number(i) +
                "\",\"prompt\":\"Summarise the release notes of version " + QByteArray::number(i % 97) +
                "\",\"sha\":\"" + QByteArray::number(quint64(i) * 0x9E3779B97F4A7C15ULL, 16).repeated(3).left(40) +
                "\",\"size\":" + QByteArray::number(qint64(i) * 4099) + "},";
    rows += "{}]";
    const QByteArray json =
        QJsonDocument(
            QJsonObject{{"url", "https://huggingface.co/api/x"}, {"method", "POST"}, {"body", QString::fromUtf8(rows)}})
            .toJson(QJsonDocument::Compact);
    for (auto _ : state) {
        EgressRequest r;
        QString error;
        benchmark::DoNotOptimize(parseEgressJson(json, &r, &error));
    }
    state.SetBytesProcessed(state.iterations() * json.size());
}
BENCHMARK(BM_ParseEgressJsonEscapedBody)->Arg(9 * 1024 * 1024);

} // namespace

BENCHMARK_MAIN();
