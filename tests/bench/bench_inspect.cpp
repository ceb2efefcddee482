// Content inspection throughput (issue 3 targets): RuleSet::scan over 10 MB of clean model-hub
// JSON (>= 300 MB/s on one core) and over adversarial inputs (>= 30 MB/s, linear), and the full
// Inspector (all decoded views) over a 10 MB JSON body. Google Benchmark reports bytes_per_second.
#include "BenchData.h"
#include "inspect/Inspector.h"
#include "inspect/Normalizer.h"
#include "inspect/RuleSet.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <benchmark/benchmark.h>

using namespace airlock;

namespace {

constexpr int kTen = 10 * 1024 * 1024;

using bench::randomHex;

// A Hugging Face style model listing: ids, sha256/sha1 digests, sizes, timestamps, dates, tags,
// URLs and siblings, repeated with varying values until it reaches bytes.
QByteArray hubJson(int bytes) {
    QRandomGenerator g(42);
    static const char *orgs[] = {"meta-llama", "mistralai", "Qwen", "google", "microsoft", "TheBloke", "bartowski"};
    static const char *kinds[] = {"Instruct", "GGUF", "AWQ", "base", "chat", "GPTQ-Int4"};
    QByteArray out = "[";
    out.reserve(bytes + 4096);
    for (int i = 0; out.size() < bytes; ++i) {
        const QByteArray org = orgs[g.bounded(7)];
        const QByteArray name = org + "/Model-" + QByteArray::number(g.bounded(1, 72)) + "B-" + kinds[g.bounded(6)];
        const QByteArray sha = randomHex(g, 40);
        const qint64 size = 1000000 + qint64(g.bounded(2000000000)) * 8;
        const QByteArray date = "2024-" + QByteArray::number(10 + g.bounded(3)) + "-" +
                                QByteArray::number(10 + g.bounded(18)) + "T1" + QByteArray::number(g.bounded(10)) +
                                ":2" + QByteArray::number(g.bounded(10)) + ":38.000Z";
        out += "{\"_id\":\"" + randomHex(g, 24) + "\",\"id\":\"" + name + "\",\"modelId\":\"" + name + "\",\"sha\":\"" +
               sha + "\",\"lastModified\":\"" + date + "\",\"createdAt\":\"" + date +
               "\",\"private\":false,\"downloads\":" + QByteArray::number(g.bounded(90000000)) +
               ",\"likes\":" + QByteArray::number(g.bounded(5000)) +
               ",\"library_name\":\"transformers\",\"pipeline_tag\":\"text-generation\",\"tags\":[\"transformers\","
               "\"safetensors\",\"llama\",\"text-generation\",\"conversational\",\"en\",\"arxiv:2407.10671\","
               "\"license:apache-2.0\",\"region:us\"],\"usedStorage\":" +
               QByteArray::number(size) + ",\"created\":" + QByteArray::number(1700000000 + g.bounded(30000000)) +
               ",\"url\":\"https://huggingface.co/" + name + "/resolve/" + sha + "/model.safetensors?download=true\"" +
               ",\"siblings\":[{\"rfilename\":\"config.json\"},{\"rfilename\":\"model-00001-of-00004.safetensors\","
               "\"lfs\":{\"oid\":\"" +
               randomHex(g, 64) + "\",\"size\":" + QByteArray::number(size) +
               "}},{\"rfilename\":\"tokenizer_config.json\"},{\"rfilename\":\"generation_config.json\"}],"
               "\"config\":{\"torch_dtype\":\"bfloat16\",\"rope_theta\":500000.0,\"rms_norm_eps\":1e-05,"
               "\"transformers_version\":\"4.45." +
               QByteArray::number(g.bounded(3)) +
               "\",\"tokenizer_config\":{\"bos_token\":\"<s>\",\"eos_token\":\"</s>\"}}},\n";
    }
    out.chop(2);
    out += "]";
    return out;
}

QByteArray randomBase64(int bytes) {
    QRandomGenerator g(7);
    QByteArray raw(bytes * 3 / 4, Qt::Uninitialized);
    for (char &c : raw)
        c = char(g.bounded(256));
    return raw.toBase64();
}

QByteArray adversarial(int which) {
    switch (which) {
    case 0:
        return QByteArray(kTen, '@');
    case 1:
        return QByteArray(kTen, '7');
    case 2:
        return QByteArray("1234 5678 ").repeated(kTen / 10);
    case 3:
        return randomBase64(kTen);
    case 4:
        return QByteArray("a@b.").repeated(kTen / 4);
    case 5: // percent inside base64 inside JSON strings, with digits and '@' in the decoded text
        return QByteArray("{\"k\":\"" + QByteArray("%25%34%30 user%40host 4111%201111 ").toBase64() + "\"},")
            .repeated(kTen / 52);
    case 6: // keyword = high-entropy-looking values that fail validation
        return QByteArray("token=aaaaaaaaaaaaaaaaaaaa1 ").repeated(kTen / 27);
    case 8: // a service account named in every line, its private key nowhere
        return QByteArray("{\"type\": \"service_account\", \"x\": \"" + QByteArray(1000, 'p') + "\"}\n")
            .repeated(kTen / 1031);
    default: { // random bytes: what ./scripts/bench uploads (a model file, an archive)
        QRandomGenerator g(11);
        QByteArray raw(kTen, Qt::Uninitialized);
        for (char &c : raw)
            c = char(g.bounded(256));
        return raw;
    }
    }
}

const char *adversarialName(int which) {
    static const char *names[] = {"at_signs", "digits",         "digit_groups",  "base64",          "at_dot",
                                  "nested",   "keyword_values", "random_binary", "service_accounts"};
    return names[which];
}

// The targets are per core: the raw body is not handed to a second thread here (the
// service does that for bodies of 1 MiB or more, see BM_InspectorCleanJsonBodyTwoThreads).
InspectLimits oneCore() {
    InspectLimits limits;
    limits.parallelBodyBytes = 0;
    return limits;
}

void BM_RuleSetScanCleanJson(benchmark::State &state) {
    const QByteArray text = hubJson(kTen);
    const auto rules = RuleSet::build({}, nullptr);
    for (auto _ : state) {
        QList<Finding> findings;
        if (!rules->scan(text, QStringLiteral("body"), &findings) || !findings.isEmpty())
            state.SkipWithError("clean JSON gave a finding or failed");
        benchmark::DoNotOptimize(findings);
    }
    state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_RuleSetScanCleanJson)->Unit(benchmark::kMillisecond);

void BM_RuleSetScanAdversarial(benchmark::State &state) {
    const QByteArray text = adversarial(int(state.range(0)));
    state.SetLabel(adversarialName(int(state.range(0))));
    const auto rules = RuleSet::build({}, nullptr);
    for (auto _ : state) {
        QList<Finding> findings;
        const bool ok = rules->scan(text, QStringLiteral("body"), &findings);
        benchmark::DoNotOptimize(ok);
    }
    state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK(BM_RuleSetScanAdversarial)->DenseRange(0, 8)->Unit(benchmark::kMillisecond);

// The RuleSet's share of a full inspection: every view the Normalizer makes of the clean body
// (bytes counted are the body's, as in BM_InspectorCleanJsonBody).
void BM_RuleSetScanNormalizedViews(benchmark::State &state) {
    const QByteArray body = hubJson(kTen);
    NormalizeResult views;
    Normalizer().addBody(body, "application/json", {}, &views);
    qint64 viewBytes = 0;
    for (const TextView &v : views.views)
        viewBytes += v.text.size();
    state.counters["views"] = double(views.views.size());
    state.counters["view_MB"] = double(viewBytes) / (1024 * 1024);
    const auto rules = RuleSet::build({}, nullptr);
    for (auto _ : state) {
        QList<Finding> findings;
        for (const TextView &v : views.views) {
            if (!rules->scan(v.text, v.where, &findings))
                state.SkipWithError("scan failed");
        }
        if (!findings.isEmpty())
            state.SkipWithError("clean JSON views gave a finding");
    }
    state.SetBytesProcessed(state.iterations() * body.size());
}
BENCHMARK(BM_RuleSetScanNormalizedViews)->Unit(benchmark::kMillisecond);

// Inspects body as a JSON POST to huggingface.co/api/models, once per iteration. With
// refusedError set, a refusal is an error of the benchmark (the body must pass).
void inspectLoop(benchmark::State &state, const QByteArray &body, const InspectLimits &limits,
                 const char *refusedError = nullptr) {
    const Inspector inspector(limits);
    CanonicalUrl url;
    url.host = QStringLiteral("huggingface.co");
    url.path = QStringLiteral("/api/models");
    const HeaderList headers = {{"Content-Type", "application/json"}, {"User-Agent", "huggingface_hub/0.25.1"}};
    const ContentRules rules;
    for (auto _ : state) {
        const InspectionResult r = inspector.inspect(url, headers, body, rules);
        if (refusedError && (r.uninspectable || !r.findings.isEmpty()))
            state.SkipWithError(refusedError);
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(state.iterations() * body.size());
}

void BM_InspectorCleanJsonBody(benchmark::State &state) {
    inspectLoop(state, hubJson(kTen), oneCore(), "clean JSON body was refused");
}
BENCHMARK(BM_InspectorCleanJsonBody)->Unit(benchmark::kMillisecond);

// As the service runs it: the raw body scanned on a second thread meanwhile. Wall-clock time.
void BM_InspectorTwoThreads(benchmark::State &state) {
    state.SetLabel(state.range(0) == 0 ? "clean_json" : "random_binary");
    inspectLoop(state, state.range(0) == 0 ? hubJson(kTen) : adversarial(7), InspectLimits{});
}
BENCHMARK(BM_InspectorTwoThreads)->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// The benign corpus (tests/data/benign: Hugging Face API answers and requests, Ollama
// manifests, pretty-printed as the tools send them) repeated as NDJSON up to 10 MB.
void BM_InspectorBenignCorpusBody(benchmark::State &state) {
    QByteArray body;
    const QDir dir(QStringLiteral(AIRLOCK_BENIGN_DIR));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (qsizetype before = -1; body.size() < kTen && body.size() > before;) {
        before = body.size();
        for (const QString &name : files) {
            QFile f(dir.filePath(name));
            if (f.open(QIODevice::ReadOnly))
                body += f.readAll() + '\n';
        }
    }
    if (body.isEmpty()) {
        state.SkipWithError("benign corpus not found");
        return;
    }
    inspectLoop(state, body, oneCore(), "benign corpus was refused");
}
BENCHMARK(BM_InspectorBenignCorpusBody)->Unit(benchmark::kMillisecond);

void BM_InspectorAdversarialBody(benchmark::State &state) {
    state.SetLabel(adversarialName(int(state.range(0))));
    inspectLoop(state, adversarial(int(state.range(0))), oneCore());
}
BENCHMARK(BM_InspectorAdversarialBody)->DenseRange(0, 8)->Unit(benchmark::kMillisecond);

} // namespace
