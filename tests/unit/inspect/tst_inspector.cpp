// Evasion through the whole inspection (Normalizer + rules): each decoding layer alone, layers
// nested two deep, JSON layouts that separate a key from its value, and the places a request
// carries text (URL, header names, repeated headers, body). Each row names the rule and the
// place that must report it; rows without a rule must pass.
#include "EncodingFixtures.h"
#include "InspectionText.h"
#include "inspect/Inspector.h"
#include "inspect/RuleSet.h"

#include <QRandomGenerator>
#include <QTest>

#include <bzlib.h>

#include <atomic>
#include <ctime>
#include <thread>

using namespace airlock;
using namespace airlock::test;

Q_DECLARE_METATYPE(HeaderList)

namespace {

const QByteArray kEmail = "jane.roe@example.org";
const QByteArray kSsn = "219-09-9999";
const QByteArray kHfToken = "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567";
const QByteArray kPassword = "Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hc1";

QByteArray anthropicKey(const char16_t *prefix) {
    QByteArray tail;
    static const char kAlnum[] = "aB3dE5fG7hJ9kL2mN4pQ6rS8tU1vW0xYz";
    for (int i = 0; i < 93; ++i)
        tail += kAlnum[(i * 7) % 33];
    return utf8(prefix) + tail + "AA";
}

QByteArray bzip2(const QByteArray &data) {
    QByteArray out(data.size() + data.size() / 100 + 700, Qt::Uninitialized);
    unsigned int size = unsigned(out.size());
    if (BZ2_bzBuffToBuffCompress(out.data(), &size, const_cast<char *>(data.constData()), unsigned(data.size()), 9, 0,
                                 0) != BZ_OK)
        qFatal("bzip2 failed");
    out.truncate(size);
    return out;
}

} // namespace

class TestInspector final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void evasions_data();
    void evasions();
    void uninspectable_data();
    void uninspectable();
    void randomBinaryPasses();
    void chanceZipSignaturesPass();
    void prescanGivesTheSameResult();
    void prescanOfOtherBytesOrRulesIsIgnored();
    void binaryPassesOfOtherBytesAreIgnored();
    void workBudgetRefusesCostlyBodies();
    void workBudgetIsSharedByThreads();
};

void TestInspector::evasions_data() {
    QTest::addColumn<QString>("url");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("where");

    const QString url = QStringLiteral("https://huggingface.co/api/upload");
    const HeaderList json{{"Content-Type", "application/json"}};
    const HeaderList text{{"Content-Type", "text/plain"}};
    auto body = [&](const char *name, const HeaderList &headers, const QByteArray &b, const char *rule) {
        QTest::newRow(name) << url << headers << b << QString::fromLatin1(rule)
                            << (*rule ? QStringLiteral("body") : QString());
    };

    // One layer.
    body("plain", json, R"({"note":")" + kEmail + R"("})", "pii.email");
    body("json \\u escapes", json, R"({"note":")" + jsonEscapeAll(kEmail) + R"("})", "pii.email");
    body("percent", text, "mail " + percentAll(kEmail), "pii.email");
    body("percent twice", text, "mail " + percentAll(percentAll(kEmail)), "pii.email");
    body("form", {{"Content-Type", "application/x-www-form-urlencoded"}}, "a=1&ssn=" + percentAll(kSsn), "pii.us_ssn");
    body("html entities", {{"Content-Type", "text/html"}}, "<p>" + entitiesAll(kEmail) + "</p>", "pii.email");
    body("base64", json, R"({"blob":")" + ("contact " + kEmail).toBase64() + R"("})", "pii.email");
    body("base64url", text, ("token " + kHfToken).toBase64(QByteArray::Base64UrlEncoding), "cred.huggingface_token");
    body("gzip", {{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"}},
         gzip(R"({"ssn":")" + kSsn + R"("})"), "pii.us_ssn");
    body("deflate", {{"Content-Encoding", "deflate"}}, zlibWrapped("key " + kHfToken), "cred.huggingface_token");
    body("gzip without Content-Encoding", {{"Content-Type", "application/octet-stream"}}, gzip("ssn " + kSsn),
         "pii.us_ssn");
    body("gzip in a multipart part", {{"Content-Type", "multipart/form-data; boundary=XyZb0und"}},
         multipart({"Content-Type: application/gzip\r\n\r\n" + gzip("ssn " + kSsn)}), "pii.us_ssn");
    body("gzip twice, once declared", {{"Content-Encoding", "gzip"}}, gzip(gzip("ssn " + kSsn)), "pii.us_ssn");
    body("multipart", {{"Content-Type", "multipart/form-data; boundary=XyZb0und"}},
         multipart({"Content-Disposition: form-data; name=\"a\"\r\n\r\nnothing",
                    "Content-Transfer-Encoding: base64\r\n\r\n" + ("ssn " + kSsn).toBase64()}),
         "pii.us_ssn");
    body("zero-width characters inside an email", text, utf8(u"jane.r\u200Boe@exa\u200Dmple.org"), "pii.email");
    body("homoglyph in a key prefix", text, anthropicKey(u"\u0455k-ant-api03-"), "cred.anthropic_key");
    // Control bytes make a body look binary; the text in it is still decoded.
    body("zero-width email in a binary-looking body", {},
         QByteArray(200, '\x01') + utf8(u" jane.r\u200Boe@example.org "), "pii.email");
    body("short address in JSON padded with DEL", json,
         "{\"pad\":\"" + QByteArray(70000, '\x7f') + "\",\"email\":\"li@acme.com\"}", "pii.email");
    body("email in a binary-looking body", {}, QByteArray(200, '\x04') + " mail " + kEmail + " ", "pii.email");
    body("homoglyph and zero-width in a binary-looking body", {},
         QByteArray(200, '\x02') + ' ' + anthropicKey(u"\u0455k-ant-\u200Bapi03-"), "cred.anthropic_key");
    body("percent email in a binary-looking body", {}, QByteArray(200, '\x03') + " " + percentAll(kEmail), "pii.email");

    // Two layers deep.
    body("percent inside base64 inside JSON", json,
         R"({"blob":")" + ("mail " + percentAll(kEmail)).toBase64() + R"("})", "pii.email");
    body("JSON escapes inside base64", text, R"({"e":")" + jsonEscapeAll(kEmail) + R"("})", "pii.email");
    body("JSON inside base64 inside JSON", json,
         R"({"blob":")" + QByteArray(R"({"e":")" + jsonEscapeAll(kEmail) + R"("})").toBase64() + R"("})", "pii.email");
    body("entities inside percent", text, "x " + percentAll(entitiesAll(kEmail)), "pii.email");
    body("percent inside JSON escapes", json, R"({"n":")" + jsonEscapeAll(percentAll(kSsn)) + R"("})", "pii.us_ssn");
    body("gzip inside base64 inside JSON", json, R"({"data":")" + gzip("contact " + kEmail).toBase64() + R"("})",
         "pii.email");
    body("base64 inside gzip", {{"Content-Encoding", "gzip"}}, gzip("v=" + ("tok " + kHfToken).toBase64()),
         "cred.huggingface_token");
    body("JSON inside multipart", {{"Content-Type", "multipart/form-data; boundary=XyZb0und"}},
         multipart({"Content-Type: application/json\r\n\r\n{\"e\":\"" + jsonEscapeAll(kEmail) + "\"}"}), "pii.email");

    // JSON layouts: the rules read a key with its value on one line.
    body("pretty-printed password", json, "{\n  \"password\":\n    \"" + kPassword + "\"\n}", "cred.generic_secret");
    body("phone number far from its key", json, "{\"phone\":                  2015550123}", "pii.phone");
    body("bare SSN on the line after its key", json, "{\"ssn\":\n  " + QByteArray(kSsn).replace("-", "") + "}",
         "pii.us_ssn");
    body("SSN under a long key", json, R"({"SSN of the applicant": "456789012"})", "pii.us_ssn");
    body("phone under a key with a note", json, QByteArray("{\"phone (office)\": \"2015550123\"}"), "pii.phone");
    body("JSON with NaN and Infinity", json,
         R"({"loss": NaN, "max": Infinity, "min": -Infinity, "note": ")" + jsonEscapeAll(kEmail) + R"("})",
         "pii.email");
    body("JSON after a byte order mark", json, "\xEF\xBB\xBF{\"k\":\"" + jsonEscapeAll(kEmail) + "\"}", "pii.email");
    body("escaped key holding a token, literal value", json, R"({")" + jsonEscapeAll(kHfToken) + R"(": true})",
         "cred.huggingface_token");
    body("escaped key holding a token, object value", json, R"({")" + jsonEscapeAll(kHfToken) + R"(": {"a": 1}})",
         "cred.huggingface_token");

    // Other encodings of text.
    body("hex", text, "data " + ("contact " + kEmail).toHex(), "pii.email");
    body("hex in JSON", json, R"({"blob":")" + ("ssn " + kSsn).toHex().toUpper() + R"("})", "pii.us_ssn");
    body("\\x escapes", text, "s = \"" + hexEscapeAll("mail " + kEmail) + "\"", "pii.email");
    body("base32", text, "v " + base32("token " + kHfToken), "cred.huggingface_token");
    body("base32 without padding in JSON", json, R"({"v":")" + base32("ssn " + kSsn, false) + R"("})", "pii.us_ssn");
    body("ascii85", text, "x " + ascii85("ssn " + kSsn) + " y", "pii.us_ssn");
    body("quoted-printable part", {{"Content-Type", "multipart/form-data; boundary=XyZb0und"}},
         multipart({"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + quotedPrintableAll("mail " + kEmail)}),
         "pii.email");
    body("quoted-printable body", text, "note: " + quotedPrintableAll("mail " + kEmail), "pii.email");

    // Compressed without Content-Encoding, found by magic bytes.
    body("zlib without Content-Encoding", {{"Content-Type", "application/octet-stream"}}, zlibWrapped("ssn " + kSsn),
         "pii.us_ssn");
    body("zlib inside base64 inside JSON", json, R"({"data":")" + zlibWrapped("contact " + kEmail).toBase64() + R"("})",
         "pii.email");
    // Any window size the zlib header allows (CINFO 1: 512 bytes; "18 19"), as a body and in
    // base64; a stream cut short, with a bad checksum or a byte after its end still shows what it
    // inflated to.
    const QByteArray smallWindow = "\x18\x19" + zlibWrapped("ssn " + kSsn).mid(2);
    body("zlib with a small window", {{"Content-Type", "application/octet-stream"}}, smallWindow, "pii.us_ssn");
    body("zlib with a small window in base64", json, R"({"data":")" + smallWindow.toBase64() + R"("})", "pii.us_ssn");
    const QByteArray stream = zlibWrapped("contact " + kEmail + " and some more words to compress");
    body("zlib in base64, a byte after its end", json, R"({"data":")" + (stream + '\0').toBase64() + R"("})",
         "pii.email");
    body("zlib in base64, checksum cut off", json, R"({"data":")" + stream.chopped(4).toBase64() + R"("})",
         "pii.email");
    QByteArray badCheck = stream;
    badCheck[badCheck.size() - 1] = char(badCheck.back() ^ 0x55);
    body("zlib in base64, wrong checksum", json, R"({"data":")" + badCheck.toBase64() + R"("})", "pii.email");
    // Hex whose first bytes are not text, or with other bytes in the middle: its text stretches.
    body("hex after a zero byte", text, "v=00" + ("ssn " + kSsn + " on file").toHex(), "pii.us_ssn");
    body("hex after an odd digit", text, "v=f" + ("ssn " + kSsn + " on file").toHex(), "pii.us_ssn");
    body("hex with bytes between", text,
         "v=" + QByteArray("nothing to see here").toHex() + "000102030405060708090a0b" +
             ("contact " + kEmail + " today").toHex(),
         "pii.email");
    // A short line of other-script digits between binary stretches still gets the Unicode pass.
    body("Arabic-Indic SSN on a short line in binary", {{"Content-Type", "application/octet-stream"}},
         randomBytes(11, 3000) + "\n\xD9\xA2\xD9\xA1\xD9\xA9-\xD9\xA0\xD9\xA9-\xD9\xA9\xD9\xA9\xD9\xA9\xD9\xA8\n" +
             randomBytes(12, 3000),
         "pii.us_ssn");
    body("bzip2 without Content-Encoding", {}, bzip2("ssn " + kSsn), "pii.us_ssn");
    body("zip, stored", {}, zipArchive({{"a.txt", "ssn " + kSsn}}), "pii.us_ssn");
    body("zip, deflated second member", {},
         zipArchive({{"readme.txt", "nothing here"}, {"b.txt", "mail " + kEmail + "\n", true}}), "pii.email");
    body("zip, secret in a member name", {}, zipArchive({{"key " + kHfToken + ".txt", "x"}}), "cred.huggingface_token");
    body("zip in a multipart part", {{"Content-Type", "multipart/form-data; boundary=XyZb0und"}},
         multipart({"Content-Type: application/zip\r\n\r\n" + zipArchive({{"a.txt", "ssn " + kSsn, true}})}),
         "pii.us_ssn");

    ZipMember streamed{"a.txt", "ssn " + kSsn, true, 0x08};
    body("zip, members of unannounced size", {}, zipArchive({{"readme.txt", "nothing", true, 0x08}, streamed}),
         "pii.us_ssn");

    ZipMember afterJunk{"b.txt", "ssn " + kSsn, true};
    afterJunk.before = "junk that is no member";
    body("zip, bytes between members", {}, zipArchive({{"readme.txt", "nothing", true}, afterJunk}), "pii.us_ssn");

    // Readers that go by the central directory (unzip, Python) find an archive wherever it starts.
    const QByteArray deflated = zipArchive({{"readme.txt", "nothing", true}, {"b.txt", "ssn " + kSsn, true}});
    body("zip after one byte", {}, "X" + deflated, "pii.us_ssn");
    body("zip after a text stub", {}, QByteArray(20000, 'a') + "\n" + deflated, "pii.us_ssn");
    body("zip after a binary stub", {}, QByteArray(3000, '\x01') + deflated, "pii.us_ssn");
    body("zip in a multipart part after a byte", {{"Content-Type", "multipart/form-data; boundary=XyZb0und"}},
         multipart({"Content-Type: application/zip\r\n\r\nX" + deflated}), "pii.us_ssn");
    // Local headers with no directory after other bytes: a streaming reader told where to start.
    QByteArray headless = "X" + deflated;
    headless.truncate(headless.indexOf("PK\x01\x02"));
    body("zip members without a directory after one byte", {}, headless, "pii.us_ssn");
    body("zip member only the directory points at", {},
         zipWithHiddenMember({"readme.txt", "nothing here "}, {"b.txt", "token " + kHfToken, true}),
         "cred.huggingface_token");
    body("zip member only the directory points at, after one byte", {},
         "X" + zipWithHiddenMember({"readme.txt", "nothing here "}, {"b.txt", "ssn " + kSsn, true}), "pii.us_ssn");

    // Digits of other scripts, full-width and ideographic punctuation, dashes and separators.
    body("Arabic-Indic digits", text, utf8(u"ssn \u0662\u0661\u0669-\u0660\u0669-\u0669\u0669\u0669\u0669"),
         "pii.us_ssn");
    body("Extended Arabic-Indic digits", text, utf8(u"\u06F2\u06F1\u06F9-\u06F0\u06F9-\u06F9\u06F9\u06F9\u06F9"),
         "pii.us_ssn");
    body("Devanagari card", text,
         utf8(u"card \u096A\u0967\u0967\u0967 \u0967\u0967\u0967\u0967 \u0967\u0967\u0967\u0967 "
              u"\u0967\u0967\u0967\u0967"),
         "pii.credit_card");
    body("Bengali digits", text, utf8(u"\u09E8\u09E7\u09EF-\u09E6\u09EF-\u09EF\u09EF\u09EF\u09EF"), "pii.us_ssn");
    body("Thai phone", text, utf8(u"call (\u0E52\u0E50\u0E51) \u0E55\u0E55\u0E55-\u0E50\u0E51\u0E52\u0E53"),
         "pii.phone");
    body("full-width at sign and ideographic full stop", text, utf8(u"jane.roe\uFF20example\u3002org"), "pii.email");
    body("halfwidth ideographic full stop", text, utf8(u"jane.roe@example\uFF61org"), "pii.email");
    body("full-width full stop", text, utf8(u"jane\uFF0Eroe@example\uFF0Eorg"), "pii.email");
    body("hyphen U+2010", text, utf8(u"219\u201009\u20109999"), "pii.us_ssn");
    body("minus sign", text, utf8(u"219\u221209\u22129999"), "pii.us_ssn");
    body("small hyphen-minus", text, utf8(u"219\uFE6309\uFE639999"), "pii.us_ssn");
    body("Armenian hyphen", text, utf8(u"219\u058A09\u058A9999"), "pii.us_ssn");
    body("double oblique hyphen", text, utf8(u"4111\u2E171111\u2E171111\u2E171111"), "pii.credit_card");
    body("SSN with slashes", text, "id 219/09/9999 ok", "pii.us_ssn");
    body("SSN with underscores", text, "id 219_09_9999 ok", "pii.us_ssn");
    body("card with slashes", text, "cc 4111/1111/1111/1111", "pii.credit_card");
    body("card with underscores", text, "cc 4111_1111_1111_1111", "pii.credit_card");
    body("date with slashes", text, "released 2024/01/15 and 15/01/2024, build model_123_45_6789", "");
    body("mixed separators", text, "id 219/09-9999", "");

    // Addresses spelled out or in other scripts.
    body("[at] and [dot]", text, "write to jane.roe [at] example [dot] org", "pii.email");
    body("(at) and (dot)", text, "write to jane.roe(at)example(dot)org", "pii.email");
    body("AT and DOT", text, "write to jane.roe AT example DOT org", "pii.email");
    body("at and dot", text, "write to jane.roe at example dot org", "pii.email");
    body("at and dot in prose", text, "we met at the lab, then looked at weights dot safetensors", "");
    body("IDN address", text, utf8(u"mail j\u00FCrgen@b\u00FCcher.de now"), "pii.email");
    body("IDN address in Chinese", text, utf8(u"\u7528\u6237@\u4F8B\u5B50.\u5E7F\u544A"), "pii.email");
    body("IDN local part, ASCII domain", json, utf8(u"{\"m\":\"\u00E9lodie@example.fr\"}"), "pii.email");

    // Control bytes at the top do not make the text after them binary.
    body("homoglyph key after a binary line", {},
         QByteArray(200, '\x01') + "\nkey " + anthropicKey(u"\u0455k-ant-api03-") + "\n", "cred.anthropic_key");
    body("Arabic-Indic SSN between binary stretches", {},
         QByteArray(300, '\x02') + "\n" +
             utf8(u"the number is \u0662\u0661\u0669-\u0660\u0669-\u0669\u0669\u0669\u0669") + "\n" +
             QByteArray(300, '\x03'),
         "pii.us_ssn");

    // Multipart part headers.
    body("address in a part's file name next to a large binary part",
         {{"Content-Type", "multipart/form-data; boundary=XyZb0und"}},
         multipart({"Content-Disposition: form-data; name=\"f\"; filename=\"Jane.Roe@Example.org\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n" +
                    randomBytes(7, 70000)}),
         "pii.email");

    // Must pass: text that only looks like one of the encodings above.
    body("text starting like zlib", text, "x^2 + y^2 = z^2, for all the ids 219 09 99 in the table", "");
    body("text starting like zlib, with UTF-8", text, "x^2 \xE2\x80\x94 y^2 \xC3\xA9t\xC3\xA9 ids 219 09 99", "");
    body("hex digests and ids", json,
         R"({"_id":"66f3a1b2c3d4e5f60718293a","sha":"2fd4e1c67a2d28fced849ee1bb76e7391b93eb12","sha256":)"
         R"("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})",
         "");
    body("form values that look like quoted-printable", {{"Content-Type", "application/x-www-form-urlencoded"}},
         "a=1F&b=2E&c=3D&d=ok", "");
    body("unclosed ascii85 opener", text, "a <~ b and <~ c", "");

    // Must pass: what model-hub traffic looks like, pretty-printed and minified.
    body("hub listing", json,
         "[{\n  \"id\": \"meta-llama/Llama-3.1-8B-Instruct\",\n  \"sha\": \"2fd4e1c67a2d28fced849ee1bb76e7391b93eb12\","
         "\n  \"lastModified\":\n    \"2024-09-25T14:20:38.000Z\",\n  \"downloads\":\n    8030261248,\n"
         "  \"siblings\": [{\"rfilename\": \"model-00001-of-00004.safetensors\", \"size\": 4976698672}],\n"
         "  \"key\": \"model.layers.0.mlp.down_proj.weight\",\n  \"pad_token\": \"<pad>\"\n}]",
         "");
    body("ollama manifest", json,
         R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":)"
         R"({"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":485}})",
         "");

    // URL and headers.
    QTest::newRow("percent-encoded email in the query")
        << QStringLiteral("https://huggingface.co/api/models?search=") + QString::fromLatin1(percentAll(kEmail))
        << HeaderList{} << QByteArray() << "pii.email"
        << "url";
    QTest::newRow("SSN split across a repeated header")
        << url << HeaderList{{"X-Part", kSsn.left(6)}, {"X-Part", kSsn.mid(6)}} << QByteArray() << "pii.us_ssn"
        << "header:x-part";
    QTest::newRow("token in a header name")
        << url << HeaderList{{"X-" + kHfToken, "1"}} << QByteArray() << "cred.huggingface_token"
        << "header";
    QTest::newRow("base64 email in a header")
        << url << HeaderList{{"X-Note", ("to " + kEmail).toBase64()}} << QByteArray() << "pii.email"
        << "header:x-note";
    QTest::newRow("token split across two headers")
        << url << HeaderList{{"X-A", kHfToken.left(14)}, {"X-B", kHfToken.mid(14)}} << QByteArray()
        << "cred.huggingface_token"
        << "header";
    QTest::newRow("base64url path segment")
        << QStringLiteral("https://huggingface.co/api/models/") +
               QString::fromLatin1(
                   ("ssn " + kSsn).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
        << HeaderList{} << QByteArray() << "pii.us_ssn"
        << "url";
    QTest::newRow("base64 path segment") << QStringLiteral("https://huggingface.co/") +
                                                QString::fromLatin1(
                                                    ("mail " + kEmail).toBase64(QByteArray::OmitTrailingEquals)) +
                                                QStringLiteral("/resolve/main/x.bin")
                                         << HeaderList{} << QByteArray() << "pii.email"
                                         << "url";
    QTest::newRow("hub download path")
        << QStringLiteral("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/"
                          "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12/model-00001-of-00004.safetensors")
        << HeaderList{} << QByteArray() << QString() << QString();
    QTest::newRow("ollama blob path") << QStringLiteral(
                                             "https://registry.ollama.ai/v2/library/llama3/blobs/"
                                             "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                                      << HeaderList{} << QByteArray() << QString() << QString();
}

void TestInspector::evasions() {
    QFETCH(QString, url);
    QFETCH(HeaderList, headers);
    QFETCH(QByteArray, body);
    QFETCH(QString, rule);
    QFETCH(QString, where);

    const UrlResult parsed = canonicalizeUrl(url);
    QVERIFY2(parsed.url, qPrintable(parsed.message));
    InspectLimits oneThread;
    oneThread.parallelBodyBytes = 0;
    const InspectionResult r = Inspector(oneThread).inspect(*parsed.url, headers, body, ContentRules{});
    QVERIFY2(!r.uninspectable, qPrintable(r.reason));
    // The raw body scanned on a second thread gives the same answer.
    InspectLimits twoThreads;
    twoThreads.parallelBodyBytes = 1;
    const InspectionResult parallel = Inspector(twoThreads).inspect(*parsed.url, headers, body, ContentRules{});
    QCOMPARE(parallel.uninspectable, r.uninspectable);
    QCOMPARE(parallel.findings.size(), r.findings.size());
    for (qsizetype i = 0; i < r.findings.size(); ++i) {
        QCOMPARE(parallel.findings[i].rule, r.findings[i].rule);
        QCOMPARE(parallel.findings[i].where, r.findings[i].where);
        QCOMPARE(parallel.findings[i].offset, r.findings[i].offset);
    }
    if (rule.isEmpty()) {
        QVERIFY2(r.findings.isEmpty(), qPrintable(r.findings.value(0).rule));
        return;
    }
    QVERIFY2(!r.findings.isEmpty(), "not found");
    QCOMPARE(r.findings.first().rule, rule);
    QCOMPARE(r.findings.first().where, where);
}

// What cannot be decoded is refused, with the reason.
void TestInspector::uninspectable_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("reason");
    ZipMember encrypted{"a.txt", "ssn " + kSsn};
    encrypted.flags = 1;
    ZipMember bzipped{"a.txt", "ssn " + kSsn};
    bzipped.method = 12;
    QTest::newRow("encrypted zip member") << zipArchive({encrypted}) << "encrypted archive member";
    QTest::newRow("zip member of another method") << zipArchive({bzipped}) << "unsupported archive method";
    QTest::newRow("corrupt zlib") << QByteArray("\x78\x9c\xff\xff\xff\xff garbage", 14) << "malformed compressed body";
    QTest::newRow("corrupt bzip2") << QByteArray("BZh91AY&SY\x01\x02\x03\x04 garbage") << "malformed compressed body";
    QByteArray truncated = zipArchive({{"a.txt", "ssn " + kSsn + QByteArray(200, 'x'), true}});
    truncated.truncate(40);
    QTest::newRow("truncated zip") << truncated << "malformed archive";
    ZipMember streamedStored{"a.txt", "ssn " + kSsn, false, 0x08};
    QTest::newRow("stored zip member of unannounced size")
        << zipArchive({streamedStored}) << "unsupported archive method";
    // The local header says stored over deflated bytes the directory calls deflated.
    ZipMember lying{"a.txt", "ssn " + kSsn, true};
    lying.localMethod = 0;
    QTest::newRow("zip member stored by its header, deflated by the directory")
        << zipArchive({lying}) << "malformed archive";
    QTest::newRow("zip member stored by its header, after one byte")
        << "X" + zipArchive({lying}) << "malformed archive";
    ZipMember lyingBack{"a.txt", "ssn " + kSsn};
    lyingBack.localMethod = 8;
    QTest::newRow("zip member deflated by its header, stored by the directory")
        << "X" + zipArchive({{"readme.txt", "nothing"}, lyingBack}) << "malformed archive";
    QByteArray renamed = "X" + zipArchive({{"a.txt", "ssn " + kSsn, true}});
    renamed[1 + 30] = 'b';
    QTest::newRow("zip member named otherwise by the directory") << renamed << "malformed archive";
    QTest::newRow("encrypted zip member after one byte") << "X" + zipArchive({encrypted}) << "encrypted archive member";
    QByteArray zip64 = "X" + zipArchive({{"a.txt", "ssn " + kSsn, true}});
    zip64.replace(zip64.size() - 22 + 16, 4, QByteArray(4, '\xFF'));
    zip64.insert(zip64.size() - 22, QByteArray("PK\x06\x07", 4) + QByteArray(16, '\0'));
    // Bytes put between members after the directory was written: it points off its headers.
    QByteArray junk = zipArchive({{"readme.txt", "nothing", true}, {"b.txt", "ssn " + kSsn, true}});
    junk.insert(junk.indexOf("PK\x03\x04", 4), "junk that is no member");
    QTest::newRow("zip directory pointing off its members") << junk << "malformed archive";
    QTest::newRow("zip64 archive after one byte") << zip64 << "unsupported archive method";
}

void TestInspector::uninspectable() {
    QFETCH(QByteArray, body);
    QFETCH(QString, reason);
    CanonicalUrl url;
    url.host = QStringLiteral("huggingface.co");
    const InspectionResult r = Inspector().inspect(url, {}, body, ContentRules{});
    QVERIFY(r.uninspectable);
    QCOMPARE(r.reason, reason);
}

// Random bytes (a model file, an archive) form chance matches: an '@' between letters
// followed by a dot and two letters of a real top-level domain turns up every few hundred MB.
void TestInspector::randomBinaryPasses() {
    CanonicalUrl url;
    url.host = QStringLiteral("huggingface.co");
    const HeaderList headers{{"Content-Type", "application/octet-stream"}};
    const Inspector inspector;
    int refused = 0;
    // Seed 59 makes such a match ("<letters>@<letters>.<tld>") that isEmail alone accepts.
    for (quint32 seed = 55; seed <= 66; ++seed) {
        QRandomGenerator gen(seed);
        QByteArray body(4 * 1024 * 1024, Qt::Uninitialized);
        gen.fillRange(reinterpret_cast<quint32 *>(body.data()), body.size() / 4);
        const InspectionResult r = inspector.inspect(url, headers, body, ContentRules{});
        QVERIFY2(!r.uninspectable, qPrintable(r.reason));
        refused += !r.findings.isEmpty();
    }
    QCOMPARE(refused, 0);
}

// Four bytes of a zip signature turn up by chance in random binary, a whole header or directory
// record hardly ever: such bytes are not an archive and refuse nothing.
void TestInspector::chanceZipSignaturesPass() {
    CanonicalUrl url;
    url.host = QStringLiteral("huggingface.co");
    const HeaderList headers{{"Content-Type", "application/octet-stream"}};
    const Inspector inspector;
    for (quint32 seed = 1; seed <= 8; ++seed) {
        QRandomGenerator gen(seed);
        QByteArray body(256 * 1024, Qt::Uninitialized);
        gen.fillRange(reinterpret_cast<quint32 *>(body.data()), body.size() / 4);
        for (const qsizetype at : {qsizetype(100), qsizetype(70000), body.size() - 5000})
            body.replace(at, 4, QByteArray("PK\x03\x04", 4));
        body.replace(body.size() - 300, 4, QByteArray("PK\x05\x06", 4));
        body.replace(body.size() - 22, 4, QByteArray("PK\x05\x06", 4));
        const InspectionResult r = inspector.inspect(url, headers, body, ContentRules{});
        QVERIFY2(!r.uninspectable, qPrintable(r.reason));
    }
}

namespace {
PrescannedBody prescanOf(const Inspector &inspector, const QByteArray &bytes, qsizetype upTo) {
    PrescannedBody p;
    p.rules = inspector.rulesFor(ContentRules{});
    p.prefix = bytes.left(upTo);
    if (!p.rules->prescan(std::string_view(p.prefix.constData(), size_t(p.prefix.size())), &p.blocks))
        qFatal("prescan failed");
    return p;
}

} // namespace

// A body matched ahead while it arrived (inspect/HeadStart) is inspected with the same result,
// on one thread or two, wherever the prescan stopped and wherever the secret is.
void TestInspector::prescanGivesTheSameResult() {
    CanonicalUrl url;
    url.host = QStringLiteral("huggingface.co");
    const HeaderList headers{{"Content-Type", "application/octet-stream"}};
    for (qint64 parallel : {qint64(0), qint64(1)}) {
        InspectLimits limits;
        limits.parallelBodyBytes = parallel;
        const Inspector inspector(limits);
        for (quint32 seed = 1; seed <= 4; ++seed) {
            QByteArray body = randomBytes(seed, 2 * 1024 * 1024);
            if (seed % 2 == 0)
                body.replace(qsizetype(seed) * 300'000, 22, "\n" + kEmail + "\n");
            const InspectionResult plain = inspector.inspect(url, headers, body, ContentRules{});
            for (qsizetype upTo : {qsizetype(5000), body.size() / 3, body.size() - 10, body.size()}) {
                const PrescannedBody prescan = prescanOf(inspector, body, upTo);
                QVERIFY(prescan.blocks.upTo > 0);
                const InspectionResult r = inspector.inspect(url, headers, body, ContentRules{}, &prescan);
                QCOMPARE(describe(r), describe(plain));
            }
        }
    }
}

// The Inspector trusts a prescan only for the bytes it was made from and the rules in force:
// a prescan of a clean body does not hide a secret in the body actually sent, nor does one
// made with other rules.
void TestInspector::prescanOfOtherBytesOrRulesIsIgnored() {
    CanonicalUrl url;
    url.host = QStringLiteral("huggingface.co");
    const HeaderList headers{{"Content-Type", "application/octet-stream"}};
    const Inspector inspector;
    QByteArray clean = randomBytes(3, 2 * 1024 * 1024);
    QByteArray sent = clean;
    sent.replace(1000, 22, "\n" + kEmail + "\n");
    const QString expected = describe(inspector.inspect(url, headers, sent, ContentRules{}));
    QVERIFY2(expected.contains(QStringLiteral("pii.email@body")), qPrintable(expected));

    const PrescannedBody ofClean = prescanOf(inspector, clean, clean.size());
    QVERIFY(ofClean.blocks.upTo > 1100);
    QCOMPARE(describe(inspector.inspect(url, headers, sent, ContentRules{}, &ofClean)), expected);

    PrescannedBody otherRules = prescanOf(inspector, sent, sent.size());
    otherRules.blocks.withHits.clear(); // as if made by rules that found nothing here
    otherRules.rules = RuleSet::build(ContentRules{}, nullptr);
    QCOMPARE(describe(inspector.inspect(url, headers, sent, ContentRules{}, &otherRules)), expected);

    // The same tampered prescan with the Inspector's own rules is taken as done: this is what
    // the two checks above protect.
    otherRules.rules = inspector.rulesFor(ContentRules{});
    QVERIFY(describe(inspector.inspect(url, headers, sent, ContentRules{}, &otherRules)) != expected);
}

// Likewise the binary passes made ahead (BinaryPasses): used only for a body that starts with
// the bytes they were made from. A percent-encoded address that only those passes reveal.
void TestInspector::binaryPassesOfOtherBytesAreIgnored() {
    CanonicalUrl url;
    url.host = QStringLiteral("huggingface.co");
    const HeaderList headers{{"Content-Type", "application/octet-stream"}};
    const Inspector inspector;
    const QByteArray clean = randomBytes(5, 2 * 1024 * 1024);
    QByteArray sent = clean;
    sent.replace(1000, 29, "\nmail jane.roe%40example.org\n");
    const QString expected = describe(inspector.inspect(url, headers, sent, ContentRules{}));
    QVERIFY2(expected.contains(QStringLiteral("pii.email@body")), qPrintable(expected));

    auto passesOf = [&](const QByteArray &bytes) {
        PrescannedBody p;
        p.rules = inspector.rulesFor(ContentRules{});
        p.prefix = bytes;
        p.binary.maxJsonDepth = inspector.limits().maxJsonDepth;
        p.binary.extend(bytes, bytes.lastIndexOf('\n') + 1);
        return p;
    };
    const PrescannedBody ofClean = passesOf(clean);
    QVERIFY(ofClean.binary.upTo > 1100);
    QCOMPARE(describe(inspector.inspect(url, headers, sent, ContentRules{}, &ofClean)), expected);
    PrescannedBody ofSent = passesOf(sent);
    QCOMPARE(describe(inspector.inspect(url, headers, sent, ContentRules{}, &ofSent)), expected);

    // Tampered passes for the very bytes sent are taken as made: what the check above protects.
    ofSent.binary.rounded = false;
    ofSent.binary.first.clear();
    QVERIFY(describe(inspector.inspect(url, headers, sent, ContentRules{}, &ofSent)) != expected);
    // ... unless they do not end after a line break, as passes never do.
    --ofSent.binary.upTo;
    QCOMPARE(describe(inspector.inspect(url, headers, sent, ContentRules{}, &ofSent)), expected);
}

namespace {
// Lines packed with address-shaped words the validator turns down (no such TLD): every word is
// located and validated, the most work per byte a body can ask of the rules.
QByteArray addressLikeLines(qsizetype size) {
    QByteArray body;
    body.reserve(size + 1024);
    for (quint32 n = 0; body.size() < size; ++n) {
        for (quint32 i = 0; i < 60; ++i)
            body += QByteArray(1 + i % 3, char('a' + i % 8)) + QByteArray::number((n * 60 + i) * 2654435761u % 9973) +
                    '@' + QByteArray(2, char('x' + i % 3)) + ".png ";
        body += '\n';
    }
    body.truncate(size);
    return body;
}

qint64 threadCpuNs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
} // namespace

// However a body is made, its inspection stops when the request's CPU budget is spent, and the
// request is uninspectable: the same body with no budget is inspected to the end (and passes),
// so the budget is what refused it. A gzip body is held to the same budget as a plain one.
void TestInspector::workBudgetRefusesCostlyBodies() {
    CanonicalUrl url;
    url.host = QStringLiteral("huggingface.co");
    const QByteArray body = addressLikeLines(8 * 1024 * 1024);
    const HeaderList text{{"Content-Type", "text/plain"}};
    const HeaderList gzipped{{"Content-Type", "text/plain"}, {"Content-Encoding", "gzip"}};

    InspectLimits unlimited;
    unlimited.maxCpuMillis = 0;
    const InspectionResult whole = Inspector(unlimited).inspect(url, text, body, ContentRules{});
    QVERIFY2(!whole.uninspectable, qPrintable(whole.reason));
    QVERIFY(whole.findings.isEmpty());

    InspectLimits tight;
    tight.maxCpuMillis = 5;
    const Inspector inspector(tight);
    for (const auto &[headers, sent] : {std::pair{text, body}, std::pair{gzipped, gzip(body)}}) {
        const InspectionResult r = inspector.inspect(url, headers, sent, ContentRules{});
        QVERIFY(r.uninspectable);
        QCOMPARE(r.reason, QStringLiteral("work budget: CPU time"));
        QVERIFY(r.findings.isEmpty());
    }
    // A small request is far within the same budget.
    const InspectionResult small = inspector.inspect(url, text, "hello " + kEmail, ContentRules{});
    QVERIFY(!small.uninspectable);
    QCOMPARE(small.findings.size(), 1);
}

// Two threads metering one budget spend it together: neither alone reaches it.
void TestInspector::workBudgetIsSharedByThreads() {
    WorkBudget budget(60);
    std::atomic<int> spentSeen{0};
    auto burn = [&budget, &spentSeen] {
        WorkMeter meter(&budget);
        const qint64 start = threadCpuNs();
        volatile quint64 x = 0;
        while (threadCpuNs() - start < 40'000'000) { // 40 ms of this thread's CPU
            for (int i = 0; i < 10000; ++i)
                x = x + quint64(i);
            meter.tick(4096);
        }
        if (!meter.check())
            ++spentSeen;
    };
    burn();
    QVERIFY(!budget.spent()); // 40 of 60 ms
    std::thread other(burn);
    other.join();
    QVERIFY(budget.spent());
    QVERIFY(budget.usedNs() >= 60'000'000);
    QCOMPARE(spentSeen.load(), 1);
}

QTEST_GUILESS_MAIN(TestInspector)
#include "tst_inspector.moc"
