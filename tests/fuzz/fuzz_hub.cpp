// libFuzzer target for what Hugging Face and the Ollama registry answer while a pull is
// resolved, and for what an administrator types as a pull source or pattern. The input goes to
// every parser (tree page, tree checks, revision, manifest, Bearer challenge, token, Link header,
// pull source) and, split in two, to the glob matcher as pattern and path. Whatever a parser
// accepts must keep the invariants below; the glob matcher must agree with a plain recursive
// reading of the documented semantics.
#include "pull/HubParsers.h"
#include "pullsource/PullSource.h"

#include <QSet>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <vector>

using namespace airlock;

namespace {

// A broken invariant names itself before the trap, so an artifact's report says which one.
#define REQUIRE(condition)                                                                                             \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            std::fprintf(stderr, "fuzz_hub: %s (line %d)\n", #condition, __LINE__);                                    \
            __builtin_trap();                                                                                          \
        }                                                                                                              \
    } while (false)

constexpr qint64 kMaxSize = qint64(1) << 50;

bool isLowerHex(const QByteArray &s, qsizetype length) {
    return s.size() == length &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool isVisibleAscii(QByteArrayView s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

void treePage(const QByteArray &input, const PlanLimits &limits) {
    HfTreeFile before;
    before.path = QStringLiteral("already/there");
    QList<HfTreeFile> files{before};
    HubError error;
    if (!parseHfTreePage(input, limits, &files, &error)) {
        REQUIRE(files.size() == 1 && !error.message.isEmpty());
        return;
    }
    REQUIRE(files.size() <= limits.maxFiles);
    for (qsizetype i = 1; i < files.size(); ++i) {
        const HfTreeFile &f = files[i];
        REQUIRE(isSafeRelativePath(f.path, limits, nullptr));
        REQUIRE(f.size >= 0 && f.size <= kMaxSize);
        REQUIRE(isLowerHex(f.gitOid, 40));
        REQUIRE(f.lfsSha256.isEmpty() ? f.lfsSize == -1 : isLowerHex(f.lfsSha256, 64) && f.lfsSize == f.size);
    }
    files.removeFirst();
    if (checkHfTree(files, limits, &error)) {
        QSet<QString> folded;
        for (const HfTreeFile &f : files)
            folded.insert(f.path.toCaseFolded());
        REQUIRE(folded.size() == files.size());
    } else {
        REQUIRE(!error.message.isEmpty());
    }
}

void manifest(const QByteArray &input, const PlanLimits &limits) {
    HubError error;
    const std::optional<OllamaManifest> m = parseOllamaManifest(input, limits, &error);
    if (!m) {
        REQUIRE(!error.message.isEmpty());
        return;
    }
    REQUIRE(!m->layers.isEmpty() && m->layers.size() <= limits.maxFiles);
    QList<OllamaBlob> blobs = m->layers;
    blobs.append(m->config);
    for (const OllamaBlob &b : blobs) {
        REQUIRE(isLowerHex(b.digestHex, 64));
        REQUIRE(b.size >= 0 && b.size <= kMaxSize);
        REQUIRE(!b.mediaType.isEmpty() && isVisibleAscii(b.mediaType.toUtf8()));
    }
}

void smallParsers(const QByteArray &input) {
    HubError error;
    if (const std::optional<QString> sha = parseHfRevision(input, &error))
        REQUIRE(isLowerHex(sha->toLatin1(), 40) && sha->size() == 40);
    else
        REQUIRE(!error.message.isEmpty());

    if (const std::optional<BearerChallenge> c = parseBearerChallenge(input)) {
        REQUIRE(c->realm.startsWith(QLatin1String("https://"), Qt::CaseInsensitive));
        REQUIRE(c->realm.size() > 8 && isVisibleAscii(c->realm.toUtf8()));
    }

    if (const std::optional<QByteArray> token = parseRegistryToken(input))
        REQUIRE(!token->isEmpty() && token->size() <= 8192 && isVisibleAscii(*token));

    // As one Link field, and split at line ends into several.
    HeaderList headers{{"Link", input}};
    const QByteArray next = nextPageLink(headers);
    REQUIRE(next.isEmpty() || (isVisibleAscii(next) && input.contains(next)));
    headers.clear();
    for (const QByteArray &line : input.split('\n'))
        headers.append({"link", line});
    const QByteArray nextOfMany = nextPageLink(headers);
    REQUIRE(nextOfMany.isEmpty() || (isVisibleAscii(nextOfMany) && input.contains(nextOfMany)));
}

void pullSource(const QString &text) {
    QString error;
    const std::optional<PullSource> s = parsePullSource(text, &error);
    if (!s) {
        REQUIRE(!error.isEmpty());
        return;
    }
    const std::optional<PullSource> again = parsePullSource(s->text(), &error);
    REQUIRE(again.has_value());
    REQUIRE(*again == *s);
    REQUIRE(!s->displayName().isEmpty());
}

// The documented glob semantics, written as plainly as possible for comparison: the pattern
// becomes tokens over the path with a '/' appended (each segment is followed by '/', and "**"
// is any number of whole segments), matched by memoized recursion.
struct Ref {
    enum class Kind { Char, Any, Star, Set, Globstar };
    Kind kind = Kind::Char;
    char32_t c = 0;
    bool negated = false;
    std::vector<std::pair<char32_t, char32_t>> ranges;
};

std::vector<Ref> referenceTokens(const QString &pattern, bool wholePath) {
    std::vector<Ref> out;
    for (const QString &segment : pattern.split(u'/')) {
        if (wholePath && segment == QLatin1String("**")) {
            out.push_back(Ref{Ref::Kind::Globstar, 0, false, {}});
            continue;
        }
        const QList<uint> cps = segment.toUcs4();
        for (qsizetype i = 0; i < cps.size(); ++i) {
            Ref t;
            if (cps[i] == U'*') {
                t.kind = Ref::Kind::Star;
            } else if (cps[i] == U'?') {
                t.kind = Ref::Kind::Any;
            } else if (cps[i] == U'[') {
                t.kind = Ref::Kind::Set;
                qsizetype j = i + 1;
                t.negated = cps[j] == U'!';
                if (t.negated)
                    ++j;
                const qsizetype first = j;
                for (; cps[j] != U']' || j == first; ++j) {
                    if (j + 2 < cps.size() && cps[j + 1] == U'-' && cps[j + 2] != U']') {
                        t.ranges.emplace_back(cps[j], cps[j + 2]);
                        j += 2;
                    } else {
                        t.ranges.emplace_back(cps[j], cps[j]);
                    }
                }
                i = j;
            } else {
                t.c = cps[i];
            }
            out.push_back(t);
        }
        if (wholePath)
            out.push_back(Ref{Ref::Kind::Char, U'/', false, {}});
    }
    return out;
}

bool referenceMatches(const std::vector<Ref> &p, const QList<uint> &s) {
    std::vector<signed char> memo((p.size() + 1) * size_t(s.size() + 1), -1);
    std::function<bool(size_t, qsizetype)> at = [&](size_t i, qsizetype j) -> bool {
        signed char &m = memo[i * size_t(s.size() + 1) + size_t(j)];
        if (m >= 0)
            return m;
        bool r = false;
        if (i == p.size()) {
            r = j == s.size();
        } else {
            const Ref &t = p[i];
            const bool more = j < s.size();
            const char32_t c = more ? s[j] : 0;
            switch (t.kind) {
            case Ref::Kind::Char:
                r = more && c == t.c && at(i + 1, j + 1);
                break;
            case Ref::Kind::Any:
                r = more && c != U'/' && at(i + 1, j + 1);
                break;
            case Ref::Kind::Star:
                r = at(i + 1, j) || (more && c != U'/' && at(i, j + 1));
                break;
            case Ref::Kind::Set: {
                bool in = false;
                for (const auto &[lo, hi] : t.ranges)
                    in = in || (c >= lo && c <= hi);
                r = more && c != U'/' && in != t.negated && at(i + 1, j + 1);
                break;
            }
            case Ref::Kind::Globstar: {
                r = at(i + 1, j);
                const qsizetype slash = s.indexOf(U'/', j);
                if (!r && slash >= 0)
                    r = at(i, slash + 1);
                break;
            }
            }
        }
        m = r ? 1 : 0;
        return r;
    };
    return at(0, 0);
}

void glob(const QString &pattern, const QString &path) {
    const bool matches = pullGlobMatches(pattern, path);
    if (!isValidPullGlob(pattern, nullptr)) {
        REQUIRE(!matches);
        REQUIRE(!pullPathSelected(path, {}, {pattern}));
        return;
    }
    REQUIRE(pullPathSelected(path, {pattern}, {}) == matches);
    REQUIRE(pullPathSelected(path, {}, {pattern}) == !matches);
    if (path.size() > 256) // the reference recurses once per character
        return;
    const bool wholePath = pattern.contains(u'/') || pattern == QLatin1String("**");
    const QString subject = wholePath ? path + u'/' : path.mid(path.lastIndexOf(u'/') + 1);
    const bool expected = referenceMatches(referenceTokens(pattern, wholePath), subject.toUcs4());
    if (expected != matches) {
        std::fprintf(stderr, "pattern [%s] path [%s]: matcher %d, reference %d\n", qPrintable(pattern),
                     qPrintable(path), matches, expected);
        __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));

    treePage(input, PlanLimits{});
    treePage(input, PlanLimits{4, 64, 16, 4});
    manifest(input, PlanLimits{});
    manifest(input, PlanLimits{2, 64, 16, 4});
    smallParsers(input);

    const QString text = QString::fromUtf8(input);
    pullSource(text);

    // Pattern and path: split at the first line end, else in the middle.
    qsizetype cut = text.indexOf(u'\n');
    const qsizetype skip = cut < 0 ? 0 : 1;
    if (cut < 0)
        cut = text.size() / 2;
    if (cut > 0 && cut < text.size() && text[cut].isLowSurrogate()) // keep a pair whole
        ++cut;
    glob(text.left(cut), text.mid(cut + skip));
    return 0;
}
