#include "pullsource/PullSource.h"

#include <QTest>

using namespace airlock;

Q_DECLARE_METATYPE(airlock::PullSource::Kind)

// Pins what an administrator may write as a pull source and as include/exclude patterns: the
// service and the admin panel parse with these same functions, so a row here is also what the
// panel accepts as you type.
class TestPullSource final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesValidForms_data();
    void parsesValidForms();
    void refusesEachRule_data();
    void refusesEachRule();
    void canonicalTextRoundTrips_data();
    void canonicalTextRoundTrips();
    void globMatches_data();
    void globMatches();
    void globValidity_data();
    void globValidity();
    void pathSelection_data();
    void pathSelection();
    void adversarialGlobsFinish_data();
    void adversarialGlobsFinish();
};

namespace {

const QString kSha = QStringLiteral("0123456789abcdef0123456789abcdef01234567");

QString repeat(QChar c, int n) {
    return QString(n, c);
}

} // namespace

void TestPullSource::parsesValidForms_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<PullSource::Kind>("kind");
    QTest::addColumn<QString>("repo");
    QTest::addColumn<QString>("revision");
    QTest::addColumn<QString>("filePath");
    QTest::addColumn<QString>("ns");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("tag");
    const auto hf = PullSource::Kind::HuggingFaceRepo;
    const auto file = PullSource::Kind::HuggingFaceFile;
    const auto ollama = PullSource::Kind::Ollama;

    QTest::newRow("hf default revision") << "hf:org/repo" << hf << "org/repo"
                                         << "main"
                                         << ""
                                         << ""
                                         << ""
                                         << "";
    QTest::newRow("hf punctuation") << "hf:Org-1/Repo.v2_x@v1.0" << hf << "Org-1/Repo.v2_x"
                                    << "v1.0"
                                    << ""
                                    << ""
                                    << ""
                                    << "";
    QTest::newRow("hf branch with slash") << "hf:org/repo@refs/pr/1" << hf << "org/repo"
                                          << "refs/pr/1"
                                          << ""
                                          << ""
                                          << ""
                                          << "";
    QTest::newRow("hf commit") << "hf:org/repo@" + kSha << hf << "org/repo" << kSha << ""
                               << ""
                               << ""
                               << "";
    QTest::newRow("hf longest names") << "hf:" + repeat(u'o', 96) + "/" + repeat(u'r', 96) << hf
                                      << repeat(u'o', 96) + "/" + repeat(u'r', 96) << "main"
                                      << ""
                                      << ""
                                      << ""
                                      << "";
    QTest::newRow("hf longest revision") << "hf:o/r@" + repeat(u'v', 255) << hf << "o/r" << repeat(u'v', 255) << ""
                                         << ""
                                         << ""
                                         << "";
    QTest::newRow("hf revision with @ not before {") << "hf:o/r@a@b" << hf << "o/r"
                                                     << "a@b"
                                                     << ""
                                                     << ""
                                                     << ""
                                                     << "";
    QTest::newRow("url") << "https://huggingface.co/org/repo/resolve/main/model.gguf" << file << "org/repo"
                         << "main"
                         << "model.gguf"
                         << ""
                         << ""
                         << "";
    QTest::newRow("url host and scheme in capitals")
        << "HTTPS://HuggingFace.CO/org/repo/resolve/main/sub/dir/x.gguf" << file << "org/repo"
        << "main"
        << "sub/dir/x.gguf"
        << ""
        << ""
        << "";
    QTest::newRow("url encoded revision")
        << "https://huggingface.co/org/repo/resolve/refs%2Fpr%2F1/x.bin" << file << "org/repo"
        << "refs/pr/1"
        << "x.bin"
        << ""
        << ""
        << "";
    QTest::newRow("url encoded UTF-8 path")
        << "https://huggingface.co/o/r/resolve/v1/caf%C3%A9%20menu.txt" << file << "o/r"
        << "v1" << QString::fromUtf8("caf\xc3\xa9 menu.txt") << ""
        << ""
        << "";
    QTest::newRow("url dots inside names") << "https://huggingface.co/o/r/resolve/main/..hidden/a..b" << file << "o/r"
                                           << "main"
                                           << "..hidden/a..b"
                                           << ""
                                           << ""
                                           << "";
    QTest::newRow("ollama defaults") << "ollama:llama3.2" << ollama << ""
                                     << ""
                                     << ""
                                     << "library"
                                     << "llama3.2"
                                     << "latest";
    QTest::newRow("ollama tag") << "ollama:llama3.2:3b-instruct-Q4_K_M" << ollama << ""
                                << ""
                                << ""
                                << "library"
                                << "llama3.2"
                                << "3b-instruct-Q4_K_M";
    QTest::newRow("ollama namespace") << "ollama:some-user/model_x:v1.0" << ollama << ""
                                      << ""
                                      << ""
                                      << "some-user"
                                      << "model_x"
                                      << "v1.0";
    QTest::newRow("ollama tag starts with underscore") << "ollama:x:_t" << ollama << ""
                                                       << ""
                                                       << ""
                                                       << "library"
                                                       << "x"
                                                       << "_t";
    QTest::newRow("ollama longest") << "ollama:" + repeat(u'n', 80) + "/" + repeat(u'm', 80) + ":" + repeat(u'T', 128)
                                    << ollama << ""
                                    << ""
                                    << "" << repeat(u'n', 80) << repeat(u'm', 80) << repeat(u'T', 128);
}

void TestPullSource::parsesValidForms() {
    QFETCH(QString, text);
    QString error;
    const std::optional<PullSource> s = parsePullSource(text, &error);
    QVERIFY2(s.has_value(), qPrintable(error));
    QTEST(s->kind, "kind");
    QTEST(s->repo, "repo");
    QTEST(s->revision, "revision");
    QTEST(s->filePath, "filePath");
    QTEST(s->ns, "ns");
    QTEST(s->name, "name");
    QTEST(s->tag, "tag");
}

// Each rule, broken once; the near miss that passes is a row of parsesValidForms.
void TestPullSource::refusesEachRule_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason"); // a part of the one-sentence error
    const QString url = QStringLiteral("https://huggingface.co/org/repo/resolve/main/");

    QTest::newRow("empty") << ""
                           << "A pull source is";
    QTest::newRow("unknown scheme") << "s3:bucket/x"
                                    << "A pull source is";
    QTest::newRow("prefix in capitals") << "HF:org/repo"
                                        << "A pull source is";
    QTest::newRow("too long") << "hf:o/r@" + repeat(u'v', kMaxPullSourceLength) << "at most 1024";
    QTest::newRow("too long once escaped")
        << "https://huggingface.co/o/r/resolve/main/" + repeat(u'"', 980) << "when written out in full";
    QTest::newRow("hf one name") << "hf:org"
                                 << "ORG/REPO";
    QTest::newRow("hf three names") << "hf:org/repo/x"
                                    << "one '/'";
    QTest::newRow("hf empty org") << "hf:/repo"
                                  << "organization name is empty";
    QTest::newRow("hf empty repo") << "hf:org/"
                                   << "repository name is empty";
    QTest::newRow("hf starts with dot") << "hf:.org/repo"
                                        << "start with a letter or digit";
    QTest::newRow("hf starts with dash") << "hf:org/-repo"
                                         << "start with a letter or digit";
    QTest::newRow("hf space") << "hf:org/re po"
                              << "only letters";
    QTest::newRow("hf non-ASCII") << QString::fromUtf8("hf:org/r\xc3\xa9po") << "only letters";
    QTest::newRow("hf double dash") << "hf:org/re--po"
                                    << "'--' or '..'";
    QTest::newRow("hf double dot") << "hf:or..g/repo"
                                   << "'--' or '..'";
    QTest::newRow("hf ends with dot") << "hf:org/repo."
                                      << "end in '.' or '-'";
    QTest::newRow("hf ends with dash") << "hf:org-/repo"
                                       << "end in '.' or '-'";
    QTest::newRow("hf name too long") << "hf:" + repeat(u'o', 97) + "/r"
                                      << "longer than 96";
    QTest::newRow("revision empty") << "hf:org/repo@"
                                    << "revision is empty";
    QTest::newRow("revision too long") << "hf:o/r@" + repeat(u'v', 256) << "longer than 255";
    QTest::newRow("revision space") << "hf:o/r@a b"
                                    << "visible ASCII";
    QTest::newRow("revision non-ASCII") << QString::fromUtf8("hf:o/r@v\xc3\xa9") << "visible ASCII";
    QTest::newRow("revision DEL") << "hf:o/r@a\x7f"
                                  << "visible ASCII";
    QTest::newRow("revision tilde") << "hf:o/r@main~1"
                                    << "~ ^ :";
    QTest::newRow("revision caret") << "hf:o/r@main^"
                                    << "~ ^ :";
    QTest::newRow("revision colon") << "hf:o/r@a:b"
                                    << "~ ^ :";
    QTest::newRow("revision question mark") << "hf:o/r@a?"
                                            << "~ ^ :";
    QTest::newRow("revision star") << "hf:o/r@a*"
                                   << "~ ^ :";
    QTest::newRow("revision bracket") << "hf:o/r@a["
                                      << "~ ^ :";
    QTest::newRow("revision backslash") << "hf:o/r@a\\b"
                                        << "~ ^ :";
    QTest::newRow("revision dot dot") << "hf:o/r@a..b"
                                      << "'..', '//' or '@{'";
    QTest::newRow("revision double slash") << "hf:o/r@refs//pr"
                                           << "'..', '//' or '@{'";
    QTest::newRow("revision reflog") << "hf:o/r@main@{1}"
                                     << "'..', '//' or '@{'";
    QTest::newRow("revision leading slash") << "hf:o/r@/main"
                                            << "start or end with '/'";
    QTest::newRow("revision trailing slash") << "hf:o/r@main/"
                                             << "start or end with '/'";

    QTest::newRow("url http") << "http://huggingface.co/org/repo/resolve/main/x"
                              << "must use https";
    QTest::newRow("url userinfo") << "https://u@huggingface.co/org/repo/resolve/main/x"
                                  << "user name";
    QTest::newRow("url port") << "https://huggingface.co:443/org/repo/resolve/main/x"
                              << "port";
    QTest::newRow("url other host") << "https://huggingface.co.evil.example/o/r/resolve/main/x"
                                    << "on huggingface.co";
    QTest::newRow("url subdomain") << "https://www.huggingface.co/o/r/resolve/main/x"
                                   << "on huggingface.co";
    QTest::newRow("url trailing dot host") << "https://huggingface.co./o/r/resolve/main/x"
                                           << "on huggingface.co";
    QTest::newRow("url no path") << "https://huggingface.co"
                                 << "https://huggingface.co/ORG/REPO/resolve";
    QTest::newRow("url query") << url + "x?download=true"
                               << "query or fragment";
    QTest::newRow("url fragment") << url + "x#top"
                                  << "query or fragment";
    QTest::newRow("url blob not resolve") << "https://huggingface.co/org/repo/blob/main/x"
                                          << "https://huggingface.co/ORG/REPO/resolve";
    QTest::newRow("url without file") << "https://huggingface.co/org/repo/resolve/main"
                                      << "https://huggingface.co/ORG/REPO/resolve";
    QTest::newRow("url bad org") << "https://huggingface.co/-org/repo/resolve/main/x"
                                 << "start with a letter";
    QTest::newRow("url bad revision") << "https://huggingface.co/org/repo/resolve/a..b/x"
                                      << "'..', '//' or '@{'";
    QTest::newRow("url encoded bad revision") << "https://huggingface.co/org/repo/resolve/%2Fmain/x"
                                              << "start or end with '/'";
    QTest::newRow("url dot dot") << url + "../x"
                                 << "'.' or '..'";
    QTest::newRow("url encoded dot dot") << url + "a/%2e%2E/x"
                                         << "'.' or '..'";
    QTest::newRow("url dot") << url + "./x"
                             << "'.' or '..'";
    QTest::newRow("url empty segment") << url + "a//b"
                                       << "empty segment";
    QTest::newRow("url trailing slash") << url + "a/"
                                        << "empty segment";
    QTest::newRow("url encoded slash") << url + "a%2Fb"
                                       << "encoded '/'";
    QTest::newRow("url encoded backslash") << url + "a%5Cb"
                                           << "backslash";
    QTest::newRow("url raw backslash") << url + "a\\b"
                                       << "backslash";
    QTest::newRow("url encoded NUL") << url + "a%00b"
                                     << "control";
    QTest::newRow("url encoded control") << url + "a%1Fb"
                                         << "control";
    QTest::newRow("url encoded DEL") << url + "a%7Fb"
                                     << "control";
    QTest::newRow("url encoded C1") << url + "a%C2%85b"
                                    << "control";
    QTest::newRow("url bad escape") << url + "a%zzb"
                                    << "two hex digits";
    QTest::newRow("url cut escape") << url + "a%4"
                                    << "two hex digits";
    QTest::newRow("url overlong UTF-8") << url + "a%C0%AFb"
                                        << "not valid UTF-8";
    QTest::newRow("url encoded surrogate") << url + "a%ED%A0%80b"
                                           << "not valid UTF-8";
    QTest::newRow("url raw space") << url + "a b"
                                   << "visible ASCII";
    QTest::newRow("url raw non-ASCII") << url + QString::fromUtf8("caf\xc3\xa9") << "visible ASCII";

    QTest::newRow("ollama empty") << "ollama:"
                                  << "model name is empty";
    QTest::newRow("ollama empty namespace") << "ollama:/x"
                                            << "namespace is empty";
    QTest::newRow("ollama empty name") << "ollama:ns/"
                                       << "model name is empty";
    QTest::newRow("ollama upper case") << "ollama:Llama3"
                                       << "lower-case";
    QTest::newRow("ollama upper case namespace") << "ollama:User/x"
                                                 << "lower-case";
    QTest::newRow("ollama starts with dash") << "ollama:-x"
                                             << "must start with";
    QTest::newRow("ollama digest reference") << "ollama:x@sha256:ab"
                                             << "only lower-case";
    QTest::newRow("ollama name too long") << "ollama:" + repeat(u'n', 81) << "longer than 80";
    QTest::newRow("ollama empty tag") << "ollama:x:"
                                      << "tag is empty";
    QTest::newRow("ollama tag starts with dot") << "ollama:x:.t"
                                                << "tag must start";
    QTest::newRow("ollama tag with colon") << "ollama:x:a:b"
                                           << "tag may contain only";
    QTest::newRow("ollama tag too long") << "ollama:x:" + repeat(u't', 129) << "longer than 128";
    QTest::newRow("ollama explicit host") << "ollama:registry.ollama.ai/library/x"
                                          << "registry host";
    QTest::newRow("ollama host and port") << "ollama:localhost:11434/x"
                                          << "registry host";
    QTest::newRow("ollama four parts") << "ollama:a/b/c/d"
                                       << "registry host";
}

void TestPullSource::refusesEachRule() {
    QFETCH(QString, text);
    QFETCH(QString, reason);
    QString error;
    const std::optional<PullSource> s = parsePullSource(text, &error);
    QVERIFY2(!s.has_value(), qPrintable(s ? s->text() : QString()));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY2(error.endsWith(u'.') && !error.contains(u'\n'), qPrintable(error)); // one sentence
}

void TestPullSource::canonicalTextRoundTrips_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<QString>("display");
    QTest::newRow("hf") << "hf:org/repo"
                        << "hf:org/repo@main"
                        << "org/repo";
    QTest::newRow("hf slash revision") << "hf:org/repo@refs/pr/1"
                                       << "hf:org/repo@refs/pr/1"
                                       << "org/repo";
    QTest::newRow("hf reserved characters in revision") << "hf:o/r@v%1#2&x"
                                                        << "hf:o/r@v%1#2&x"
                                                        << "o/r";
    QTest::newRow("url") << "https://HUGGINGFACE.co/org/repo/resolve/main/sub/x.gguf"
                         << "https://huggingface.co/org/repo/resolve/main/sub/x.gguf"
                         << "org/repo: sub/x.gguf";
    QTest::newRow("url slash revision") << "https://huggingface.co/o/r/resolve/refs%2fpr%2f1/x.bin"
                                        << "https://huggingface.co/o/r/resolve/refs%2Fpr%2F1/x.bin"
                                        << "o/r: x.bin";
    QTest::newRow("url reserved characters in revision") << "https://huggingface.co/o/r/resolve/v%251%232%26x/x.bin"
                                                         << "https://huggingface.co/o/r/resolve/v%251%232&x/x.bin"
                                                         << "o/r: x.bin";
    QTest::newRow("url encoded path") << "https://huggingface.co/o/r/resolve/main/caf%c3%a9%20%2B%25.txt"
                                      << "https://huggingface.co/o/r/resolve/main/caf%C3%A9%20+%25.txt"
                                      << QString::fromUtf8("o/r: caf\xc3\xa9 +%.txt");
    QTest::newRow("url sub-delimiters stay") << "https://huggingface.co/o/r/resolve/main/a(1)+b,c;d=e@f:g!$'*.bin"
                                             << "https://huggingface.co/o/r/resolve/main/a(1)+b,c;d=e@f:g!$'*.bin"
                                             << "o/r: a(1)+b,c;d=e@f:g!$'*.bin";
    QTest::newRow("url needless escapes") << "https://huggingface.co/%6Frg/repo/resolve/m%61in/%78.bin"
                                          << "https://huggingface.co/org/repo/resolve/main/x.bin"
                                          << "org/repo: x.bin";
    QTest::newRow("ollama defaults") << "ollama:llama3.2"
                                     << "ollama:library/llama3.2:latest"
                                     << "llama3.2:latest";
    QTest::newRow("ollama library explicit") << "ollama:library/x:1b"
                                             << "ollama:library/x:1b"
                                             << "x:1b";
    QTest::newRow("ollama namespace") << "ollama:user/x"
                                      << "ollama:user/x:latest"
                                      << "user/x:latest";
}

void TestPullSource::canonicalTextRoundTrips() {
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    QFETCH(QString, display);
    QString error;
    const std::optional<PullSource> first = parsePullSource(text, &error);
    QVERIFY2(first.has_value(), qPrintable(error));
    QCOMPARE(first->text(), canonical);
    QCOMPARE(first->displayName(), display);
    const std::optional<PullSource> again = parsePullSource(first->text(), &error);
    QVERIFY2(again.has_value(), qPrintable(error));
    QCOMPARE(*again, *first);
    QCOMPARE(again->text(), canonical);
}

void TestPullSource::globMatches_data() {
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("matches");

    QTest::newRow("suffix") << "*.gguf"
                            << "x.gguf" << true;
    QTest::newRow("suffix finds files in folders") << "*.gguf"
                                                   << "sub/x.gguf" << true;
    QTest::newRow("suffix deep") << "*.gguf"
                                 << "a/b/c/x.gguf" << true;
    QTest::newRow("suffix is the end") << "*.gguf"
                                       << "x.gguf.part" << false;
    QTest::newRow("case matters") << "*.gguf"
                                  << "x.GGUF" << false;
    QTest::newRow("name without slash sees the name only") << "sub*"
                                                           << "sub/x.gguf" << false;
    QTest::newRow("quant") << "*Q4_K_M.gguf"
                           << "model-Q4_K_M.gguf" << true;
    QTest::newRow("quant in folder") << "*Q4_K_M.gguf"
                                     << "Q4/model-Q4_K_M.gguf" << true;
    QTest::newRow("other quant") << "*Q4_K_M.gguf"
                                 << "model-Q5_K_M.gguf" << false;
    QTest::newRow("quant needs the whole suffix") << "*Q4_K_M.gguf"
                                                  << "model-Q4_K_M.gguf.sha256" << false;
    QTest::newRow("globstar json at the top") << "**/*.json"
                                              << "config.json" << true;
    QTest::newRow("globstar json deep") << "**/*.json"
                                        << "a/b/config.json" << true;
    QTest::newRow("globstar json other suffix") << "**/*.json"
                                                << "a/b/config.jsonl" << false;
    QTest::newRow("folder star") << "sub/*.bin"
                                 << "sub/x.bin" << true;
    QTest::newRow("star stays in its segment") << "sub/*.bin"
                                               << "sub/deeper/x.bin" << false;
    QTest::newRow("path pattern is anchored") << "sub/*.bin"
                                              << "other/sub/x.bin" << false;
    QTest::newRow("path pattern needs the folder") << "sub/*.bin"
                                                   << "x.bin" << false;
    QTest::newRow("star alone in a segment") << "a/*/c"
                                             << "a/b/c" << true;
    QTest::newRow("star alone is one segment") << "a/*/c"
                                               << "a/b/b/c" << false;
    QTest::newRow("folder globstar") << "onnx/**"
                                     << "onnx/model.onnx" << true;
    QTest::newRow("folder globstar deep") << "onnx/**"
                                          << "onnx/a/b/c.bin" << true;
    QTest::newRow("folder globstar other folder") << "onnx/**"
                                                  << "onnxx/a" << false;
    QTest::newRow("inner globstar none") << "a/**/b"
                                         << "a/b" << true;
    QTest::newRow("inner globstar many") << "a/**/b"
                                         << "a/x/y/b" << true;
    QTest::newRow("inner globstar wrong end") << "a/**/b"
                                              << "a/x/y/c" << false;
    QTest::newRow("two globstars") << "**/x/**/y.bin"
                                   << "p/x/q/r/y.bin" << true;
    QTest::newRow("two globstars missing x") << "**/x/**/y.bin"
                                             << "p/q/r/y.bin" << false;
    QTest::newRow("stars inside a segment are one star") << "a**b"
                                                         << "axyb" << true;
    QTest::newRow("stars inside a segment stay in it") << "x/a**b"
                                                       << "x/a/b" << false;
    QTest::newRow("question mark") << "?.txt"
                                   << "a.txt" << true;
    QTest::newRow("question mark is one character") << "?.txt"
                                                    << "ab.txt" << false;
    QTest::newRow("question mark needs a character") << "?.txt"
                                                     << ".txt" << false;
    QTest::newRow("question mark is not a slash") << "x?y/z"
                                                  << "x/y/z" << false;
    QTest::newRow("question mark in a folder") << "x/?/y"
                                               << "x/a/y" << true;
    QTest::newRow("question mark takes a whole emoji") << "?.txt" << QString::fromUtf8("\xf0\x9f\x98\x80.txt") << true;
    QTest::newRow("set") << "[abc].txt"
                         << "b.txt" << true;
    QTest::newRow("set miss") << "[abc].txt"
                              << "d.txt" << false;
    QTest::newRow("range") << "model-0000[1-3]-of-00003.safetensors"
                           << "model-00002-of-00003.safetensors" << true;
    QTest::newRow("range miss") << "model-0000[1-3]-of-00003.safetensors"
                                << "model-00004-of-00003.safetensors" << false;
    QTest::newRow("negated set") << "[!a]x"
                                 << "bx" << true;
    QTest::newRow("negated set miss") << "[!a]x"
                                      << "ax" << false;
    QTest::newRow("bracket first in a set") << "[]a]x"
                                            << "]x" << true;
    QTest::newRow("dash last in a set") << "[a-]x"
                                        << "-x" << true;
    QTest::newRow("star backtracks") << "*a*b"
                                     << "xaybzb" << true;
    QTest::newRow("star backtracks over a repeat") << "*ab"
                                                   << "aab" << true;
    QTest::newRow("star backtracks and fails") << "*ab*c"
                                               << "abab" << false;
    QTest::newRow("trailing star matches nothing") << "model*"
                                                   << "model" << true;
    QTest::newRow("literal") << "README.md"
                             << "README.md" << true;
    QTest::newRow("literal prefix only") << "README.md"
                                         << "README.md.bak" << false;
    QTest::newRow("invalid pattern matches nothing") << "[abc"
                                                     << "[abc" << false;
    QTest::newRow("empty pattern matches nothing") << ""
                                                   << "x" << false;
}

void TestPullSource::globMatches() {
    QFETCH(QString, pattern);
    QFETCH(QString, path);
    QTEST(pullGlobMatches(pattern, path), "matches");
}

void TestPullSource::globValidity_data() {
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("reason"); // empty: valid
    QTest::newRow("suffix") << "*.gguf"
                            << "";
    QTest::newRow("globstar") << "**/*.json"
                              << "";
    QTest::newRow("set") << "[!a-c]*"
                         << "";
    QTest::newRow("bracket first in a set") << "[]]"
                                            << "";
    QTest::newRow("longest") << repeat(u'a', 256) << "";
    QTest::newRow("empty") << ""
                           << "empty";
    QTest::newRow("too long") << repeat(u'a', 257) << "longer than 256";
    QTest::newRow("open set") << "[abc"
                              << "not closed";
    QTest::newRow("open negated set") << "[!"
                                      << "not closed";
    QTest::newRow("set across folders") << "[a/b]"
                                        << "not closed";
    QTest::newRow("reversed range") << "[z-a]"
                                    << "reversed range";
    QTest::newRow("NUL") << QString::fromLatin1("a\0b", 3) << "NUL";
    QTest::newRow("control") << "a\tb"
                             << "control";
    QTest::newRow("backslash") << "sub\\x.gguf"
                               << "backslash";
    QTest::newRow("lone surrogate") << QString(u'a') + QChar(0xd800) << "not valid Unicode";
    QTest::newRow("emoji") << QString::fromUtf8("\xf0\x9f\x98\x80*") << "";
    QTest::newRow("leading slash") << "/x.gguf"
                                   << "empty folder name";
    QTest::newRow("trailing slash") << "onnx/"
                                    << "empty folder name";
    QTest::newRow("double slash") << "a//b"
                                  << "empty folder name";
    QTest::newRow("dot dot") << "../x"
                             << "'.' or '..'";
    QTest::newRow("dot") << "./x"
                         << "'.' or '..'";
}

void TestPullSource::globValidity() {
    QFETCH(QString, pattern);
    QFETCH(QString, reason);
    QString error;
    const bool valid = isValidPullGlob(pattern, &error);
    QCOMPARE(valid, reason.isEmpty());
    if (!valid)
        QVERIFY2(error.contains(reason), qPrintable(error));
}

void TestPullSource::pathSelection_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("include");
    QTest::addColumn<QStringList>("exclude");
    QTest::addColumn<bool>("selected");
    QTest::newRow("no filters") << "x.bin" << QStringList() << QStringList() << true;
    QTest::newRow("included") << "sub/x.gguf" << QStringList{"*.gguf"} << QStringList() << true;
    QTest::newRow("not included") << "config.json" << QStringList{"*.gguf"} << QStringList() << false;
    QTest::newRow("any include") << "config.json" << QStringList{"*.gguf", "*.json"} << QStringList() << true;
    QTest::newRow("excluded") << "README.md" << QStringList() << QStringList{"*.md"} << false;
    QTest::newRow("not excluded") << "x.bin" << QStringList() << QStringList{"*.md"} << true;
    QTest::newRow("exclude wins over include")
        << "onnx/model.gguf" << QStringList{"*.gguf"} << QStringList{"onnx/**"} << false;
    QTest::newRow("include and survive exclude")
        << "model-Q4_K_M.gguf" << QStringList{"*Q4_K_M.gguf"} << QStringList{"*Q8_0.gguf"} << true;
    QTest::newRow("invalid include selects nothing")
        << "x.gguf" << QStringList{"*.gguf", "[x"} << QStringList() << false;
    QTest::newRow("invalid exclude selects nothing") << "x.gguf" << QStringList() << QStringList{"[x"} << false;
}

void TestPullSource::pathSelection() {
    QFETCH(QString, path);
    QFETCH(QStringList, include);
    QFETCH(QStringList, exclude);
    QTEST(pullPathSelected(path, include, exclude), "selected");
}

// Patterns a backtracking matcher takes exponential time on. These finish (the suite's timeout
// would catch one that does not) and give the right answer.
void TestPullSource::adversarialGlobsFinish_data() {
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("matches");
    QString stars;
    while (stars.size() + 3 <= 255)
        stars += QStringLiteral("*a");
    const QString longName = repeat(u'a', 100'000);
    QTest::newRow("stars in a name, no match") << stars + "b" << longName << false;
    QTest::newRow("stars in a name, match") << stars + "b" << longName + "b" << true;
    QTest::newRow("a star and a long literal") << "*" + repeat(u'a', 250) + "b" << longName << false;
    QTest::newRow("question marks and stars") << QString("*?").repeated(60) + "b" << longName << false;
    QTest::newRow("sets and stars") << QString("*[a-c]").repeated(40) + "d" << longName << false;

    QString globstars;
    while (globstars.size() + 10 <= 250)
        globstars += QStringLiteral("**/*a*/");
    QStringList deepSegments(20'000, QStringLiteral("aaaa"));
    const QString deep = deepSegments.join(u'/');
    QTest::newRow("globstars over many folders, no match") << globstars + "b" << deep << false;
    QTest::newRow("globstars over many folders, match") << globstars + "b" << deep + "/b" << true;
    QTest::newRow("globstars and long names")
        << QString("**/a").repeated(60) + "/b" << QStringList(50, repeat(u'a', 4'000)).join(u'/') << false;
}

void TestPullSource::adversarialGlobsFinish() {
    QFETCH(QString, pattern);
    QFETCH(QString, path);
    QVERIFY2(isValidPullGlob(pattern, nullptr), qPrintable(pattern));
    QTEST(pullGlobMatches(pattern, path), "matches");
}

QTEST_APPLESS_MAIN(TestPullSource)
#include "tst_pullsource.moc"
