// Normalizer throughput: 10 MB of model-hub JSON (the common case, which must stay far above
// the inspection target of 300 MB/s) and 10 MB adversarial bodies (which must stay linear).
#include "BenchData.h"
#include "inspect/Normalizer.h"

#include <QRandomGenerator>

#include <benchmark/benchmark.h>

using namespace airlock;

namespace {

constexpr qsizetype kTenMb = 10 * 1024 * 1024;

using bench::randomHex;

QByteArray timestamp(QRandomGenerator &gen) {
    return QString::asprintf("2024-%02u-%02uT%02u:%02u:%02u.000Z", gen.bounded(1, 13), gen.bounded(1, 29),
                             gen.bounded(24), gen.bounded(60), gen.bounded(60))
        .toLatin1();
}

// A Hugging Face /api/models listing with full file metadata: digests, sizes, timestamps,
// URLs, tags. Deterministic, about `size` bytes.
QByteArray hubJson(qsizetype size) {
    QRandomGenerator gen(7);
    const char *orgs[] = {"meta-llama", "mistralai", "Qwen", "google", "microsoft", "TheBloke", "bartowski"};
    const char *kinds[] = {"Instruct", "chat-hf", "base", "GGUF", "AWQ", "it"};
    QByteArray out = "[";
    int n = 0;
    while (out.size() < size) {
        const QByteArray org = orgs[gen.bounded(7)];
        const QByteArray name = "Model-" + QByteArray::number(gen.bounded(1, 72)) + "B-" + kinds[gen.bounded(6)] +
                                "-v" + QByteArray::number(gen.bounded(1, 4)) + "." +
                                QByteArray::number(gen.bounded(10));
        const QByteArray id = org + "/" + name;
        if (n++)
            out += ',';
        out +=
            R"({"_id":")" + randomHex(gen, 24) + R"(","id":")" + id + R"(","modelId":")" + id + R"(","author":")" +
            org + R"(","sha":")" + randomHex(gen, 40) + R"(","lastModified":")" + timestamp(gen) +
            R"(","createdAt":")" + timestamp(gen) + R"(","private":false,"gated":)" +
            (gen.bounded(4) ? "false" : "\"manual\"") + R"(,"disabled":false,"downloads":)" +
            QByteArray::number(gen.bounded(10'000'000)) + R"(,"likes":)" + QByteArray::number(gen.bounded(5000)) +
            R"(,"library_name":"transformers","pipeline_tag":"text-generation","tags":["transformers","safetensors","llama","text-generation","conversational","en","license:apache-2.0","autotrain_compatible","text-generation-inference","endpoints_compatible","region:us"],)";
        if (gen.bounded(50) == 0)
            out += R"("description":"Fine-tuned r\u00e9sum\u00e9 model \u2014 see caf)"
                   "\xc3\xa9"
                   R"( notes",)";
        out += R"("cardData":{"license":"apache-2.0","language":["en","fr"],"base_model":")" + id +
               R"("},"safetensors":{"parameters":{"BF16":)" + QByteArray::number(gen.bounded(1'000'000'000)) +
               R"(},"total":)" + QByteArray::number(gen.bounded(1'000'000'000)) + R"(},"siblings":[)";
        const int files = int(gen.bounded(3, 9));
        for (int f = 0; f < files; ++f) {
            const QByteArray file = f == 0
                                        ? QByteArray("config.json")
                                        : QString::asprintf("model-%05d-of-%05d.safetensors", f, files - 1).toLatin1();
            if (f)
                out += ',';
            out += R"({"rfilename":")" + file + R"(","size":)" +
                   QByteArray::number(gen.bounded(5'000'000'000.0), 'f', 0) + R"(,"blobId":")" + randomHex(gen, 40) +
                   R"(","lfs":{"sha256":")" + randomHex(gen, 64) + R"(","size":)" +
                   QByteArray::number(gen.bounded(5'000'000'000.0), 'f', 0) +
                   R"(,"pointerSize":135},"url":"https://huggingface.co/)" + id + "/resolve/main/" + file +
                   R"(?download=true"})";
        }
        out += "]}";
    }
    out += ']';
    return out;
}

// Bytes processed are the decoded body's, so compressed and plain runs compare.
void run(benchmark::State &state, const QByteArray &body, const QByteArray &type, const QByteArray &encoding = {},
         qsizetype decodedSize = -1) {
    const Normalizer normalizer;
    size_t views = 0;
    for (auto _ : state) {
        NormalizeResult r;
        normalizer.addBody(body, type, encoding, &r);
        if (r.uninspectable)
            state.SkipWithError("uninspectable");
        views = r.views.size();
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(state.iterations() * (decodedSize < 0 ? body.size() : decodedSize));
    state.counters["views"] = double(views);
}

void BM_NormalizeHubJson(benchmark::State &state) {
    static const QByteArray body = hubJson(kTenMb);
    run(state, body, "application/json");
}
BENCHMARK(BM_NormalizeHubJson)->Unit(benchmark::kMillisecond);

void BM_NormalizeHubJsonDeflate(benchmark::State &state) {
    static const QByteArray plain = hubJson(kTenMb);
    static const QByteArray body = qCompress(plain, 6).mid(4);
    run(state, body, "application/json", "deflate", plain.size());
}
BENCHMARK(BM_NormalizeHubJsonDeflate)->Unit(benchmark::kMillisecond);

QByteArray repeated(const QByteArray &unit, qsizetype size) {
    QByteArray out;
    out.reserve(size + unit.size());
    while (out.size() < size)
        out += unit;
    return out;
}

QByteArray randomBytes(qsizetype size) {
    QByteArray out(size, Qt::Uninitialized);
    QRandomGenerator(11).fillRange(reinterpret_cast<quint32 *>(out.data()), size / 4);
    return out;
}

enum Adversarial {
    AtSigns,
    Digits,
    Base64Binary,
    Base64Text,
    PercentFourDeep,
    Entities,
    Fullwidth,
    ZeroWidth,
    JsonEscapes,
    JsonDeep,
    FormFields,
    Binary,
    Multipart,
};

void BM_NormalizeAdversarial(benchmark::State &state) {
    QByteArray body;
    QByteArray type = "text/plain";
    switch (state.range(0)) {
    case AtSigns:
        body = QByteArray(kTenMb, '@');
        break;
    case Digits:
        body = repeated("4111111111111111", kTenMb);
        break;
    case Base64Binary:
        body = randomBytes(kTenMb / 4 * 3).toBase64();
        break;
    case Base64Text:
        body = repeated("contact alice@example.com about the weights ", kTenMb / 4 * 3).toBase64();
        break;
    case PercentFourDeep:
        body = repeated("a%25252540b ", kTenMb);
        break;
    case Entities:
        body = repeated("&#64;&commat;&amp;", kTenMb);
        break;
    case Fullwidth:
        body = repeated(QString::fromUtf16(u"\uFF41\uFF4C\uFF49\uFF43\uFF45\uFF20").toUtf8(), kTenMb);
        break;
    case ZeroWidth:
        body = repeated(QString::fromUtf16(u"a\u200Bb\u00AD").toUtf8(), kTenMb);
        break;
    case JsonEscapes:
        type = "application/json";
        body = "[" + repeated(R"("\u0061\u0040\ud83d\ude00\n",)", kTenMb) + "0]";
        break;
    case JsonDeep:
        type = "application/json";
        body = "[" + repeated(QByteArray(100, '[') + QByteArray(100, ']') + ',', kTenMb) + "0]";
        break;
    case FormFields:
        type = "application/x-www-form-urlencoded";
        body = repeated("field=some+value%21&", kTenMb);
        break;
    case Binary:
        type = "application/octet-stream";
        body = randomBytes(kTenMb);
        break;
    case Multipart: {
        type = "multipart/form-data; boundary=b0und";
        const QByteArray part = "--b0und\r\nContent-Type: application/json\r\n\r\n" +
                                repeated("{\"k\":\"v\\u0040x\"}\n", kTenMb / 80) + "{}\r\n";
        body = repeated(part, kTenMb) + "--b0und--\r\n";
        break;
    }
    }
    run(state, body, type);
}
BENCHMARK(BM_NormalizeAdversarial)->ArgName("kind")->DenseRange(AtSigns, Multipart)->Unit(benchmark::kMillisecond);

void BM_NormalizeUrl(benchmark::State &state) {
    const Normalizer normalizer;
    const QByteArray url = "/api/models/meta-llama/Llama-3.1-8B/revision/main?expand%5B%5D=siblings&full=true";
    for (auto _ : state) {
        NormalizeResult r;
        normalizer.addText(url, QStringLiteral("url"), &r);
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_NormalizeUrl);

} // namespace
