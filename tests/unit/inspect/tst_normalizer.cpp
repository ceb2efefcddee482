#include "EncodingFixtures.h"
#include "inspect/Decode.h"
#include "inspect/Normalizer.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

using namespace airlock;
using namespace airlock::test;

namespace {

const QByteArray kEmail = "alice@example.com";

QByteArray b64(const QByteArray &text) {
    return text.toBase64();
}
QByteArray b64url(const QByteArray &text) {
    return text.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// text (UTF-8) in UTF-16 (unitBytes 2) or UTF-32 (4), little- or big-endian, with or without BOM.
QByteArray wide(const QByteArray &text, int unitBytes, bool littleEndian, bool bom = false) {
    QList<uint> units;
    if (bom)
        units.append(0xFEFF);
    const QString s = QString::fromUtf8(text);
    if (unitBytes == 2) {
        for (const QChar c : s)
            units.append(c.unicode());
    } else {
        for (const char32_t cp : s.toUcs4())
            units.append(cp);
    }
    QByteArray out;
    for (const uint u : units) {
        for (int k = 0; k < unitBytes; ++k) {
            const int shift = 8 * (littleEndian ? k : unitBytes - 1 - k);
            out.append(char((u >> shift) & 0xFF));
        }
    }
    return out;
}
QByteArray utf16le(const QByteArray &text, bool bom = false) {
    return wide(text, 2, true, bom);
}
QByteArray utf16be(const QByteArray &text, bool bom = false) {
    return wide(text, 2, false, bom);
}

NormalizeResult normalizeBody(const QByteArray &body, const QByteArray &type, const QByteArray &encoding = {},
                              InspectLimits limits = {}) {
    NormalizeResult r;
    Normalizer(limits).addBody(body, type, encoding, &r);
    return r;
}

bool anyViewContains(const NormalizeResult &r, const QByteArray &needle) {
    for (const TextView &v : r.views) {
        if (v.text.contains(needle))
            return true;
    }
    return false;
}

// Holds for every result: the input comes first, and no view repeats another of its place.
void checkInvariants(const NormalizeResult &r, const QByteArray &raw) {
    QVERIFY(!r.views.empty());
    QCOMPARE(r.views.front().text, raw);
    for (size_t i = 0; i < r.views.size(); ++i) {
        for (size_t j = i + 1; j < r.views.size(); ++j) {
            if (r.views[i].where == r.views[j].where)
                QVERIFY2(r.views[i].text != r.views[j].text, "duplicate view");
        }
    }
}

} // namespace

class TestNormalizer final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void longExpandingRunsAreLinear();
    void textDecoders_data();
    void textDecoders();
    void compressedMagic_data();
    void compressedMagic();
    void decodesBody_data();
    void decodesBody();
    void decodesText_data();
    void decodesText();
    void uninspectable_data();
    void uninspectable();
    void zipDirectoryIsFound();
    void fourDeepPercentIsDecoded();
    void viewCount_data();
    void viewCount();
    void rawFirstAndWhere();
    void jsonLines_data();
    void jsonLines();
    void multipartPartsAreDecoded();
    void depthLimitAppliesToEveryLayer();
    void decodedViewsHoldChangedLines();
    void base64RunsAnywhere();
    void looksBinaryCountsControlBytes();
    void invisibleLinesInBinary();
    void wideCharset_data();
    void wideCharset();
    void wideLimits();
    void lookalikes_data();
    void lookalikes();
    void binaryOnTwoThreadsMakesTheSameViews();
    void nextEscapeSkipsWhatChangesNothing();
    void base64RunsAreFoundRunByRun();
    void passesMadeAheadGiveTheSameViews();
};

void TestNormalizer::decodesBody_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray json = "application/json";
    const QByteArray form = "application/x-www-form-urlencoded";
    const QByteArray text = "text/plain";
    // Each layer alone.
    QTest::newRow("percent") << QByteArray("mail to alice%40example.com") << text << QByteArray() << kEmail;
    QTest::newRow("percent %u") << QByteArray("mail to alice%u0040example.com") << text << QByteArray() << kEmail;
    QTest::newRow("percent twice") << QByteArray("x alice%2540example.com") << text << QByteArray() << kEmail;
    QTest::newRow("form") << QByteArray("x=1&email=alice%40example.com") << form << QByteArray()
                          << QByteArray("email=alice@example.com\n");
    QTest::newRow("form plus") << QByteArray("name=John+Smith&x=1") << form << QByteArray()
                               << QByteArray("name=John Smith\n");
    QTest::newRow("form sniffed") << QByteArray("a=b+c&email=alice%40example.com") << QByteArray() << QByteArray()
                                  << QByteArray("email=alice@example.com\n");
    QTest::newRow("form sniffed, white space around")
        << QByteArray(" \ta=1&name=John+Smith\r\n") << QByteArray() << QByteArray() << QByteArray("name=John Smith");
    QTest::newRow("json escape") << QByteArray(R"({"email":"alice\u0040example.com"})") << json << QByteArray()
                                 << QByteArray("email: alice@example.com\n");
    QTest::newRow("json slash") << QByteArray(R"({"u":"https:\/\/x.test\/a"})") << json << QByteArray()
                                << QByteArray("u: https://x.test/a\n");
    QTest::newRow("json surrogate") << QByteArray(R"({"x":"\ud83d\ude00"})") << json << QByteArray()
                                    << utf8(u"x: \U0001F600\n");
    QTest::newRow("json number split from key") << QByteArray("{\"ssn\":\n  123456789, \"n\":\n-1.5e3}") << json
                                                << QByteArray() << QByteArray("ssn: 123456789\nn: -1.5e3\n");
    QTest::newRow("json value split from key") << QByteArray("{\"cfg\": {\n  \"api_key\":\n    \"abcdef0123\"}}")
                                               << json << QByteArray() << QByteArray("api_key: abcdef0123\n");
    QTest::newRow("json value far from key") << QByteArray(R"({"phone":              "5551234567"})") << json
                                             << QByteArray() << QByteArray("phone: 5551234567\n");
    QTest::newRow("json escaped key, literal value")
        << QByteArray(R"({"sk-\u0061nt-xyz": true})") << json << QByteArray() << QByteArray("sk-ant-xyz:\n");
    QTest::newRow("json any type") << QByteArray(R"([{"a":"b\u0040c.d"}])") << QByteArray("text/html") << QByteArray()
                                   << QByteArray("a: b@c.d\n");
    QTest::newRow("json control dropped")
        << QByteArray(R"({"k":"sk\u0000-ant"})") << json << QByteArray() << QByteArray("k: sk-ant\n");
    QTest::newRow("ndjson") << QByteArray("{\"a\":\"x\\u0040y\"}\n{\"b\":\"z\\u0040w\"}\n") << QByteArray()
                            << QByteArray() << QByteArray("a: x@y\nb: z@w\n");
    QTest::newRow("entity numeric") << QByteArray("alice&#64;example&#x2E;com") << text << QByteArray() << kEmail;
    QTest::newRow("entity no semicolon") << QByteArray("alice&#64example.com") << text << QByteArray() << kEmail;
    QTest::newRow("entity named") << QByteArray("alice&commat;example&period;com") << text << QByteArray() << kEmail;
    QTest::newRow("entity hyphen") << QByteArray("sk&hyphen;ant&dash;api03&lowbar;x") << text << QByteArray()
                                   << QByteArray("sk-ant-api03_x");
    QTest::newRow("base64") << "blob " + b64("contact alice@example.com now") + " end" << text << QByteArray()
                            << QByteArray("contact alice@example.com now");
    QTest::newRow("base64url") << "blob " + b64url("~~~?>~ alice@example.com ~~~?>~") << text << QByteArray()
                               << QByteArray("~~~?>~ alice@example.com ~~~?>~");
    QTest::newRow("base64 misaligned") << "tok" + b64("contact alice@example.com now") << text << QByteArray()
                                       << QByteArray("alice@example.com");
    QTest::newRow("nfkc fullwidth") << utf8(u"\uFF41\uFF4C\uFF49\uFF43\uFF45\uFF20example\uFF0Ecom") << text
                                    << QByteArray() << kEmail;
    QTest::newRow("zero width in email") << utf8(u"ali\u200Bce@exa\u00ADmple\u2060.c\uFEFFom") << text << QByteArray()
                                         << kEmail;
    QTest::newRow("homoglyph cyrillic") << utf8(u"key \u0455k-ant-api03-abc") << text << QByteArray()
                                        << QByteArray("key sk-ant-api03-abc");
    QTest::newRow("homoglyph greek") << utf8(u"hf_t\u03BFken \u0391KIA") << text << QByteArray()
                                     << QByteArray("hf_token AKIA");
    QTest::newRow("unicode dash") << utf8(u"sk\u2010ant\u2212api") << text << QByteArray() << QByteArray("sk-ant-api");
    QTest::newRow("combining mark") << utf8(u"sk-an\u0301t") << text << QByteArray() << QByteArray("sk-ant");
    QTest::newRow("gzip") << gzip(R"({"e":"alice\u0040example.com"})") << json << QByteArray("gzip")
                          << QByteArray("e: alice@example.com\n");
    QTest::newRow("x-gzip") << gzip("mail alice%40example.com") << text << QByteArray("x-gzip") << kEmail;
    QTest::newRow("deflate zlib") << zlibWrapped("mail alice%40example.com") << text << QByteArray("deflate") << kEmail;
    QTest::newRow("deflate raw") << rawDeflate("mail alice%40example.com") << text << QByteArray("deflate") << kEmail;
    QTest::newRow("gzip, gzip") << gzip(gzip("mail alice%40example.com")) << text << QByteArray("gzip, gzip") << kEmail;
    QTest::newRow("gzip members") << gzip("mail alice") + gzip("%40example.com") << text << QByteArray("gzip")
                                  << kEmail;
    QTest::newRow("identity") << QByteArray("mail alice%40example.com") << text << QByteArray("identity") << kEmail;
    QTest::newRow("multipart json part")
        << multipart({"Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n"
                      "{\"email\":\"alice\\u0040example.com\"}",
                      "Content-Disposition: form-data; name=\"f\"\r\n\r\nplain"})
        << QByteArray("multipart/form-data; boundary=XyZb0und") << QByteArray()
        << QByteArray("email: alice@example.com\n");
    QTest::newRow("multipart base64 part")
        << multipart({"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                      b64("mail alice%40example.com")})
        << QByteArray("multipart/mixed; boundary=\"XyZb0und\"") << QByteArray() << kEmail;
    QTest::newRow("multipart quoted-printable")
        << multipart({"Content-Transfer-Encoding: quoted-printable\r\n\r\nalice=40exam=\r\nple.com"})
        << QByteArray("multipart/related; boundary=XyZb0und") << QByteArray() << kEmail;
    QTest::newRow("multipart header decoded")
        << multipart({"Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''alice%40example.com\r\n\r\nx"})
        << QByteArray("multipart/form-data; boundary=XyZb0und") << QByteArray() << kEmail;
    QTest::newRow("multipart unterminated")
        << multipart({"Content-Type: application/json\r\n\r\n{\"e\":\"alice\\u0040example.com\"}"}, "XyZb0und", false)
        << QByteArray("multipart/form-data; boundary=XyZb0und") << QByteArray() << QByteArray("e: alice@example.com");
    QTest::newRow("multipart without boundary") << QByteArray("--q\r\n\r\nalice%40example.com\r\n--q--")
                                                << QByteArray("multipart/form-data") << QByteArray() << kEmail;
    QTest::newRow("multipart lf only")
        << QByteArray("--b\nContent-Type: application/json\n\n{\"e\":\"alice\\u0040example.com\"}\n--b--\n")
        << QByteArray("multipart/form-data; boundary=b") << QByteArray() << QByteArray("e: alice@example.com");

    // UTF-16 and UTF-32, by byte order mark, charset or shape.
    const QByteArray mail = "mail alice@example.com";
    QTest::newRow("utf-16le bom") << utf16le(mail, true) << text << QByteArray() << mail;
    QTest::newRow("utf-16be bom") << utf16be(mail, true) << QByteArray() << QByteArray() << mail;
    QTest::newRow("utf-16le charset") << utf16le(mail) << QByteArray("text/plain; charset=utf-16le") << QByteArray()
                                      << mail;
    QTest::newRow("utf-16be charset json")
        << utf16be(R"({"email":"alice\u0040example.com"})") << QByteArray("application/json; charset=\"UTF-16BE\"")
        << QByteArray() << QByteArray("email: alice@example.com\n");
    QTest::newRow("utf-16 charset, big-endian by shape")
        << utf16be(mail) << QByteArray("text/plain; charset=utf-16") << QByteArray() << mail;
    QTest::newRow("utf-16le sniffed") << utf16le(mail) << text << QByteArray() << mail;
    QTest::newRow("utf-16be sniffed json") << utf16be(R"({"ssn":"219-09-9999"})") << QByteArray() << QByteArray()
                                           << QByteArray(R"({"ssn":"219-09-9999"})");
    QTest::newRow("utf-16le sniffed with cyrillic")
        << utf16le(utf8(u"\u041F\u0440\u0438\u0432\u0435\u0442 alice@example.com")) << text << QByteArray() << kEmail;
    QTest::newRow("utf-16 surrogate pair") << utf16le(utf8(u"\U0001F600 alice@example.com"), true) << text
                                           << QByteArray() << utf8(u"\U0001F600 alice@example.com");
    QTest::newRow("utf-16 then percent") << utf16le("mail alice%40example.com", true) << text << QByteArray() << kEmail;
    QTest::newRow("utf-16 then lookalike")
        << utf16le(utf8(u"k \u0455k-ant-api03-abc"), true) << text << QByteArray() << QByteArray("k sk-ant-api03-abc");
    QTest::newRow("utf-32le bom") << wide(mail, 4, true, true) << text << QByteArray() << mail;
    QTest::newRow("utf-32be bom") << wide(mail, 4, false, true) << text << QByteArray() << mail;
    QTest::newRow("utf-32 charset") << wide(mail, 4, false) << QByteArray("text/plain; charset=utf-32") << QByteArray()
                                    << mail;
    QTest::newRow("utf-32le without bom, by shape") << wide(mail, 4, true) << text << QByteArray() << kEmail;
    QTest::newRow("utf-16 in gzip") << gzip(utf16le(mail, true)) << text << QByteArray("gzip") << mail;
    QTest::newRow("utf-16 multipart part")
        << multipart(
               {"Content-Disposition: form-data; name=\"f\"\r\nContent-Type: text/plain; charset=utf-16le\r\n\r\n" +
                utf16le(mail)})
        << QByteArray("multipart/form-data; boundary=XyZb0und") << QByteArray() << mail;
    QTest::newRow("utf-16 base64 multipart part")
        << multipart({"Content-Type: text/plain; charset=UTF-16\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                      b64(utf16le(mail, true))})
        << QByteArray("multipart/mixed; boundary=XyZb0und") << QByteArray() << mail;
    // A byte order mark in front of UTF-8 text does not hide the text's own encodings.
    QTest::newRow("utf-16 bom on percent text")
        << QByteArray("\xFF\xFE") + "mail alice%40example.com" << text << QByteArray() << kEmail;
    // Look-alikes from Unicode's confusables data (Cherokee, Armenian, Latin small capitals ...).
    QTest::newRow("lookalike cherokee aws")
        << utf8(u"id \u13AA\u13E6IA") << text << QByteArray() << QByteArray("id AKIA");
    QTest::newRow("lookalike armenian github")
        << utf8(u"t=g\u0570p_abc") << text << QByteArray() << QByteArray("t=ghp_abc");
    QTest::newRow("lookalike small capital s")
        << utf8(u"\uA731k-ant-api03") << text << QByteArray() << QByteArray("sk-ant-api03");
    QTest::newRow("lookalike email") << utf8(u"ali\u1D04e@example.\u1D04om") << text << QByteArray() << kEmail;
    QTest::newRow("lookalike after nfkc")
        << utf8(u"\U0001D5BA\u0570\uFF50") << text << QByteArray() << QByteArray("ahp");

    // Nested two deep.
    QTest::newRow("percent in base64 in json")
        << R"({"d":")" + b64("mail alice%40example.com") + R"("})" << json << QByteArray() << kEmail;
    QTest::newRow("base64 in form") << "x=1&payload=" + b64url("contact: alice@example.com ok") << form << QByteArray()
                                    << QByteArray("contact: alice@example.com ok");
    QTest::newRow("base64 with percent padding") << "x=1&p=" + b64("contact: alice@example.com").replace("=", "%3D")
                                                 << form << QByteArray() << QByteArray("contact: alice@example.com");
    QTest::newRow("entity in percent") << QByteArray("alice%26%2364%3Bexample.com") << text << QByteArray() << kEmail;
    QTest::newRow("percent in entity") << QByteArray("alice&#37;40example.com") << text << QByteArray() << kEmail;
    QTest::newRow("json in base64") << "v=" + b64(R"({"k":"alice\u0040example.com"})") << text << QByteArray()
                                    << QByteArray("k: alice@example.com");
    QTest::newRow("base64 in json in gzip")
        << gzip(R"({"d":")" + b64("contact alice@example.com now") + R"("})") << json << QByteArray("gzip")
        << QByteArray("contact alice@example.com now");
    QTest::newRow("fullwidth percent") << utf8(u"alice\uFF0540example.com") << text << QByteArray() << kEmail;
    QTest::newRow("percent in base64 in multipart")
        << multipart({"Content-Type: text/plain\r\n\r\nv=" + b64("mail alice%40example.com")})
        << QByteArray("multipart/form-data; boundary=XyZb0und") << QByteArray() << kEmail;
    QTest::newRow("base64 in binary") << QByteArray(64, '\0') + " " + b64("contact alice@example.com now") + " " +
                                             QByteArray(64, '\x01')
                                      << QByteArray("application/octet-stream") << QByteArray()
                                      << QByteArray("contact alice@example.com now");
    // Control-byte padding makes a body look binary; its percent-encoding is still undone.
    QTest::newRow("percent in padded binary")
        << QByteArray(64, '\x01') + "mail alice%40example.com" + QByteArray(64, '\x02')
        << QByteArray("application/octet-stream") << QByteArray() << kEmail;
    // A zip archive that does not start the body is found by its central directory.
    QTest::newRow("zip after one byte") << "X" + zipArchive({{"a.txt", "mail " + kEmail, true}}) << QByteArray()
                                        << QByteArray() << kEmail;
    QTest::newRow("text before a zip") << "mail alice%40example.com\n" + zipArchive({{"a.txt", "nothing", true}})
                                       << text << QByteArray() << kEmail;
    QTest::newRow("zip member inside a stored member")
        << zipWithHiddenMember({"a.txt", "nothing"}, {"b.txt", "mail " + kEmail, true}) << QByteArray() << QByteArray()
        << kEmail;
    QTest::newRow("entity in padded binary")
        << QByteArray(64, '\x01') + "mail alice&#64;example.com" << QByteArray() << QByteArray() << kEmail;
}

void TestNormalizer::decodesBody() {
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, expected);
    const NormalizeResult r = normalizeBody(body, type, encoding);
    QVERIFY2(!r.uninspectable, qPrintable(r.reason));
    checkInvariants(r, body);
    QVERIFY(!body.contains(expected)); // only decoding can reveal it
    QVERIFY(anyViewContains(r, expected));
    for (const TextView &v : r.views)
        QCOMPARE(v.where, QStringLiteral("body"));
}

void TestNormalizer::decodesText_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("url query plus") << QByteArray("/a+b/c?q=John+Smith&e=alice%40example.com") << QStringLiteral("url")
                                    << QByteArray("/a+b/c?q=John Smith&e=alice@example.com");
    QTest::newRow("url double percent") << QByteArray("/x?e=alice%2540example.com") << QStringLiteral("url")
                                        << QByteArray("/x?e=alice@example.com");
    QTest::newRow("url base64") << "/x?t=" + b64url("user alice@example.com ok?") << QStringLiteral("url")
                                << QByteArray("user alice@example.com ok?");
    QTest::newRow("header plus kept") << QByteArray("x-a: a+b%40c") << QStringLiteral("header:x-a")
                                      << QByteArray("x-a: a+b@c");
    QTest::newRow("header basic auth") << "authorization: Basic " + b64("alice:correct-horse-battery")
                                       << QStringLiteral("header:authorization")
                                       << QByteArray("alice:correct-horse-battery");
    QTest::newRow("header entity") << QByteArray("x-m: alice&#64;example.com") << QStringLiteral("header:x-m")
                                   << kEmail;
    QTest::newRow("header homoglyph") << utf8(u"x-k: \u0455k-proj-abc") << QStringLiteral("header:x-k")
                                      << QByteArray("x-k: sk-proj-abc");
}

void TestNormalizer::decodesText() {
    QFETCH(QByteArray, text);
    QFETCH(QString, where);
    QFETCH(QByteArray, expected);
    NormalizeResult r;
    Normalizer().addText(text, where, &r);
    QVERIFY2(!r.uninspectable, qPrintable(r.reason));
    checkInvariants(r, text);
    QVERIFY(!text.contains(expected));
    QVERIFY(anyViewContains(r, expected));
    for (const TextView &v : r.views)
        QCOMPARE(v.where, where);
}

void TestNormalizer::uninspectable_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QString>("reason");

    const QByteArray text = "text/plain";
    const QByteArray compressed = gzip("mail alice%40example.com, and more text to compress");
    QTest::newRow("gzip bomb") << gzip(QByteArray(10 * 1024 * 1024, '\0')) << text << QByteArray("gzip")
                               << QStringLiteral("decoding limit: inflate ratio");
    QTest::newRow("deflate bomb") << zlibWrapped(QByteArray(4 * 1024 * 1024, 'a')) << text << QByteArray("deflate")
                                  << QStringLiteral("decoding limit: inflate ratio");
    QTest::newRow("malformed gzip") << QByteArray("this is not gzip at all") << text << QByteArray("gzip")
                                    << QStringLiteral("malformed compressed body");
    QTest::newRow("truncated gzip") << compressed.left(compressed.size() - 12) << text << QByteArray("gzip")
                                    << QStringLiteral("malformed compressed body");
    QTest::newRow("gzip trailing garbage")
        << compressed + "garbage" << text << QByteArray("gzip") << QStringLiteral("malformed compressed body");
    QTest::newRow("gzip named deflate") << compressed << text << QByteArray("deflate")
                                        << QStringLiteral("malformed compressed body");
    QTest::newRow("single gzip named twice")
        << compressed << text << QByteArray("gzip, gzip") << QStringLiteral("malformed compressed body");
    QTest::newRow("br") << QByteArray("\x1b\x03\x00", 3) << text << QByteArray("br")
                        << QStringLiteral("unsupported content encoding");
    QTest::newRow("zstd") << QByteArray("abc") << text << QByteArray("zstd")
                          << QStringLiteral("unsupported content encoding");
    QTest::newRow("compress after gzip") << compressed << text << QByteArray("gzip, compress")
                                         << QStringLiteral("unsupported content encoding");
    QTest::newRow("too many codings") << compressed << text << QByteArray("gzip, gzip, gzip, gzip, gzip")
                                      << QStringLiteral("decoding limit: depth");
    QList<QByteArray> parts;
    for (int i = 0; i < 101; ++i)
        parts.append("Content-Disposition: form-data; name=\"p" + QByteArray::number(i) + "\"\r\n\r\nv");
    QTest::newRow("101 parts") << multipart(parts) << QByteArray("multipart/form-data; boundary=XyZb0und")
                               << QByteArray() << QStringLiteral("decoding limit: multipart parts");
    QByteArray sixDeep = kEmail;
    for (int i = 0; i < 6; ++i)
        sixDeep = QByteArray(sixDeep).replace("%", "%25").replace("@", "%40");
    QTest::newRow("6-deep percent") << sixDeep << text << QByteArray() << QStringLiteral("decoding limit: depth");
    QByteArray b64Deep = "contact alice@example.com now";
    for (int i = 0; i < 6; ++i)
        b64Deep = b64(b64Deep);
    QTest::newRow("6-deep base64") << b64Deep << text << QByteArray() << QStringLiteral("decoding limit: depth");
    ZipMember lying{"a.txt", "mail " + kEmail, true};
    lying.localMethod = 0;
    QTest::newRow("zip header disagreeing with its directory")
        << "X" + zipArchive({lying}) << QByteArray() << QByteArray() << QStringLiteral("malformed archive");
    QList<ZipMember> many;
    for (int i = 0; i < 1001; ++i)
        many.append({"m" + QByteArray::number(i), "x"});
    QTest::newRow("1001 zip members after one byte")
        << "X" + zipArchive(many) << QByteArray() << QByteArray() << QStringLiteral("decoding limit: archive members");
    QTest::newRow("json too deep") << QByteArray(200, '[') + QByteArray(200, ']') << QByteArray("application/json")
                                   << QByteArray() << QStringLiteral("decoding limit: JSON depth");
}

void TestNormalizer::uninspectable() {
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, encoding);
    QFETCH(QString, reason);
    const NormalizeResult r = normalizeBody(body, type, encoding);
    QVERIFY(r.uninspectable);
    QCOMPARE(r.reason, reason);
}

// The end-of-central-directory record places the archive; four bytes met by chance do not.
void TestNormalizer::zipDirectoryIsFound() {
    const QByteArray archive = zipArchive({{"a.txt", "one"}, {"b.txt", "two", true}});
    decode::ZipDirectory dir;
    QVERIFY(decode::zipDirectory("stub" + archive + "trailing", &dir));
    QCOMPARE(dir.archiveStart, 4);
    QCOMPARE(dir.entries, 2);
    QVERIFY(!dir.zip64);
    decode::ZipCentral central;
    decode::ZipEntry local;
    // A central entry's name is a view into the archive: it must outlive the entry.
    const QByteArray prefixed = "stub" + archive;
    QCOMPARE(decode::zipCentralEntry(prefixed, dir, dir.centralStart, &central), decode::ZipStatus::Ok);
    QCOMPARE(central.localHeader, 4);
    QCOMPARE(decode::zipListedEntry(prefixed, central, &local), decode::ZipStatus::Ok);
    QCOMPARE(local.name, QByteArray("a.txt"));

    QRandomGenerator gen(7);
    QByteArray noise(4096, Qt::Uninitialized);
    gen.fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
    noise.replace(noise.size() - 40, 4, QByteArray("PK\x05\x06", 4));
    QVERIFY(!decode::zipDirectory(noise, &dir));
    // A record pointing at a directory that is not one.
    QByteArray pointing = archive;
    pointing[archive.indexOf("PK\x01\x02") + 3] = 'x';
    QVERIFY(!decode::zipDirectory(pointing, &dir));
    // Further back than a comment can reach, a record is not looked for.
    QVERIFY(decode::zipDirectory(archive + QByteArray(0xFFFF, 'c'), &dir));
    QVERIFY(!decode::zipDirectory(archive + QByteArray(0x10000, 'c'), &dir));
}

void TestNormalizer::fourDeepPercentIsDecoded() {
    // Depth 4 is the limit: four layers are decoded completely, five are refused.
    QByteArray encoded = kEmail;
    for (int i = 0; i < 4; ++i)
        encoded = QByteArray(encoded).replace("%", "%25").replace("@", "%40");
    const NormalizeResult r = normalizeBody("x " + encoded, "text/plain");
    QVERIFY2(!r.uninspectable, qPrintable(r.reason));
    QVERIFY(anyViewContains(r, "x " + kEmail));

    encoded = QByteArray(encoded).replace("%", "%25");
    QVERIFY(normalizeBody("x " + encoded, "text/plain").uninspectable);
}

void TestNormalizer::viewCount_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<int>("views");

    QByteArray random(64 * 1024, Qt::Uninitialized);
    QRandomGenerator gen(42);
    gen.fillRange(reinterpret_cast<quint32 *>(random.data()), random.size() / 4);
    random.replace('%', '\x01').replace('&', '\x01'); // nothing a text layer could decode
    QTest::newRow("binary") << random << QByteArray("application/octet-stream") << 1;
    QTest::newRow("binary without type") << random << QByteArray() << 1;
    QTest::newRow("plain ascii") << QByteArray("hello world, nothing encoded here") << QByteArray("text/plain") << 1;
    QTest::newRow("form without escapes")
        << QByteArray("a=1&b=2") << QByteArray("application/x-www-form-urlencoded") << 1;
    QTest::newRow("percent not hex") << QByteArray("100% sure, 50%off") << QByteArray("text/plain") << 1;
    QTest::newRow("unknown entity") << QByteArray("a &bogus; b & c") << QByteArray("text/plain") << 1;
    QTest::newRow("digest not base64") << QByteArray(
                                              "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                                       << QByteArray("text/plain") << 1;
    QTest::newRow("path not base64") << QByteArray("/api/models/meta-llama/Llama-3.1-8B-Instruct/tree/main")
                                     << QByteArray("text/plain") << 1;
    QTest::newRow("nfkc stable") << utf8(u"caf\u00e9 \u4e2d\u6587 \u0434\u044b\u043c") << QByteArray("text/plain") << 1;
    // The raw body already shows unescaped strings on one line with their keys.
    QTest::newRow("json plain") << QByteArray(R"({"a":"b","c":[1,"d"],"e":{"f": 2}})") << QByteArray("application/json")
                                << 1;
    QTest::newRow("json escaped") << QByteArray(R"({"a":"b\u0041"})") << QByteArray("application/json") << 2;
    QByteArray samples(64 * 1024, Qt::Uninitialized); // 16-bit values below 256: every other byte NUL
    for (qsizetype i = 0; i < samples.size(); i += 2) {
        samples[i] = random[i];
        samples[i + 1] = 0;
    }
    QTest::newRow("16-bit samples") << samples << QByteArray("application/octet-stream") << 1;
    QTest::newRow("zero-filled") << QByteArray(64 * 1024, '\0') << QByteArray() << 1;
    QTest::newRow("ascii with a few nuls")
        << QByteArray("header\0\0\0\0 plain text follows, nothing encoded") << QByteArray() << 1;
    QTest::newRow("utf-16") << utf16le("hello world", true) << QByteArray("text/plain") << 2;
    QTest::newRow("percent") << QByteArray("a%40b") << QByteArray("text/plain") << 2;
    QTest::newRow("percent then entity, one round") << QByteArray("a%26commat%3Bb") << QByteArray("text/plain") << 2;
}

void TestNormalizer::viewCount() {
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, type);
    QFETCH(int, views);
    const NormalizeResult r = normalizeBody(body, type);
    QVERIFY(!r.uninspectable);
    checkInvariants(r, body);
    QCOMPARE(int(r.views.size()), views);
}

void TestNormalizer::rawFirstAndWhere() {
    NormalizeResult r;
    const Normalizer n;
    n.addText("/p?e=alice%40example.com", QStringLiteral("url"), &r);
    const size_t urlViews = r.views.size();
    n.addText("x-a: alice%40example.com", QStringLiteral("header:x-a"), &r);
    n.addBody("alice%40example.com", "text/plain", {}, &r);
    QVERIFY(!r.uninspectable);
    QCOMPARE(urlViews, size_t(2));
    QCOMPARE(r.views.size(), size_t(6));
    QCOMPARE(r.views[0].text, QByteArray("/p?e=alice%40example.com"));
    QCOMPARE(r.views[2].text, QByteArray("x-a: alice%40example.com"));
    QCOMPARE(r.views[2].where, QStringLiteral("header:x-a"));
    QCOMPARE(r.views[4].text, QByteArray("alice%40example.com"));
    QCOMPARE(r.views[4].where, QStringLiteral("body"));
    QCOMPARE(r.views[5].text, kEmail);

    // Limits count across calls: the total-size limit covers the whole request.
    InspectLimits limits;
    limits.maxTotalBytes = 50;
    NormalizeResult small;
    Normalizer(limits).addText("/p?e=alice%40example.com", QStringLiteral("url"), &small);
    QVERIFY(!small.uninspectable);
    Normalizer(limits).addBody("012345678901234567890", "text/plain", {}, &small);
    QVERIFY(small.uninspectable);
    QCOMPARE(small.reason, QStringLiteral("decoding limit: total size"));
}

void TestNormalizer::jsonLines_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("lines");

    // Only what the raw body does not show the same way gets a line.
    QTest::newRow("plain") << QByteArray(R"({"a": "x", "b": 2, "c": true, "d": null, "e": ["y", 3]})") << QByteArray();
    QTest::newRow("split") << QByteArray("{\"a\":\n\"x\", \"b\"\r\n: 2, \"c\":\ntrue, \"d\": [\n\"y\"]}")
                           << QByteArray("a: x\nb: 2\n");
    QTest::newRow("noted") << QByteArray(R"(["x%41", 1, {"k": "v&amp;", "m": "caf\u00e9"}, "\u00fc"])")
                           << utf8(u"x%41\nk: v&amp;\nm: caf\u00e9\n\u00fc\n");
    QTest::newRow("non-ASCII raw") << QByteArray("{\"k\": \"caf\xc3\xa9\"}") << utf8(u"k: caf\u00e9\n");
    QTest::newRow("escaped key") << QByteArray(R"({"o\u0041": {"p": ["q"]}, "n\u0041": null, "x\u0041": 5})")
                                 << QByteArray("oA:\nnA:\nxA: 5\n");
    QTest::newRow("escapes") << QByteArray(R"({"k\n": "a\"b\\c\td\u00e9"})") << utf8(u"k\n: a\"b\\c\td\u00e9\n");
    QTest::newRow("lone surrogate") << QByteArray(R"({"k": "\ud800x"})") << utf8(u"k: \uFFFDx\n");
    // A value of 9+ characters under a key holding a context word keeps its line (the context
    // rules count the characters between word and value); any case, anywhere in the key.
    for (const char *key :
         {"ssn", "Social_Security", "client_secret", "phone", "HomeTel", "mobile", "cell", "FAX", "aws_key"}) {
        QTest::addRow("context word in %s", key)
            << QByteArray("{\"") + key + "\": \"1234567890\"}" << QByteArray(key) + ": 1234567890\n";
    }
    QTest::newRow("no context word") << QByteArray(R"({"size": "1234567890"})") << QByteArray();
    QTest::newRow("context word, short value") << QByteArray(R"({"phone": "12345678"})") << QByteArray();
}

void TestNormalizer::jsonLines() {
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, lines);
    const NormalizeResult r = normalizeBody(body, "application/json");
    QVERIFY(!r.uninspectable);
    if (lines.isEmpty()) {
        QCOMPARE(int(r.views.size()), 1);
        return;
    }
    QVERIFY(r.views.size() >= 2);
    QCOMPARE(r.views[1].text, lines);
}

void TestNormalizer::multipartPartsAreDecoded() {
    // Invalid JSON with a JSON type still gets its text layers; the raw parts are not views, the
    // part headers together are one.
    const QByteArray body = multipart({"Content-Type: application/json\r\n\r\n{broken alice%40example.com",
                                       "Content-Type: text/plain\r\n\r\nnothing here"});
    const NormalizeResult r = normalizeBody(body, "multipart/form-data; boundary=XyZb0und");
    QVERIFY(!r.uninspectable);
    checkInvariants(r, body);
    QCOMPARE(int(r.views.size()), 3);
    QCOMPARE(r.views[1].text, QByteArray("{broken alice@example.com"));
    QCOMPARE(r.views[2].text, QByteArray("Content-Type: application/json\nContent-Type: text/plain\n"));

    QList<QByteArray> parts;
    for (int i = 0; i < 100; ++i)
        parts.append("Content-Disposition: form-data; name=\"p\"\r\n\r\nv");
    QVERIFY(!normalizeBody(multipart(parts), "multipart/form-data; boundary=XyZb0und").uninspectable);
}

void TestNormalizer::depthLimitAppliesToEveryLayer() {
    InspectLimits limits;
    limits.maxDepth = 1;
    // One layer is fine, a second one is refused, whichever layers they are.
    QVERIFY(!normalizeBody("a%40b", "text/plain", {}, limits).uninspectable);
    QVERIFY(normalizeBody("a%2540b", "text/plain", {}, limits).uninspectable);
    QVERIFY(!normalizeBody(R"({"a":"b"})", "application/json", {}, limits).uninspectable);
    QVERIFY(normalizeBody(R"({"a":"b%40c"})", "application/json", {}, limits).uninspectable);
    QVERIFY(!normalizeBody(gzip(R"({"a":"b"})"), "application/json", "gzip", limits).uninspectable);
    QVERIFY(normalizeBody(gzip(R"({"a":"b\u0041"})"), "application/json", "gzip", limits).uninspectable);
    QVERIFY(!normalizeBody(gzip("plain"), "text/plain", "gzip", limits).uninspectable);

    // A gzip stream is inflated by its magic bytes too, under the same limits.
    QVERIFY(!normalizeBody(gzip("plain"), "application/octet-stream", {}, limits).uninspectable);
    QVERIFY(normalizeBody(gzip(gzip("plain")), "application/octet-stream", {}, limits).uninspectable);
    const NormalizeResult truncated = normalizeBody(gzip("some text here").chopped(6), {}, {});
    QVERIFY(truncated.uninspectable);
    QCOMPARE(truncated.reason, QStringLiteral("malformed compressed body"));
    const NormalizeResult bomb =
        normalizeBody("{\"d\":\"" + gzip(QByteArray(1 << 20, 'a')).toBase64() + "\"}", "application/json");
    QVERIFY(bomb.uninspectable);
    QCOMPARE(bomb.reason, QStringLiteral("decoding limit: inflate ratio"));

    limits = {};
    limits.maxInflatedBytes = 1000;
    QByteArray text;
    for (int i = 0; i < 200; ++i)
        text += QByteArray::number(i * 7919) + ' ';
    const NormalizeResult big = normalizeBody(gzip(text), "text/plain", "gzip", limits);
    QVERIFY(big.uninspectable);
    QCOMPARE(big.reason, QStringLiteral("decoding limit: inflated size"));

    // Every stream and part draws on the request's one allowance: three parts, each well within
    // the inflated-size limit, together over the total are refused before the third is inflated.
    limits = {};
    limits.maxInflatedBytes = 2 * 1024 * 1024;
    limits.maxTotalBytes = 3 * 1024 * 1024;
    QByteArray lines;
    for (int i = 0; lines.size() < 1200 * 1024; ++i)
        lines += "line " + QByteArray::number(i) + '\n';
    QList<QByteArray> gzParts;
    for (int i = 0; i < 3; ++i)
        gzParts.append("Content-Type: text/plain\r\n\r\n" + gzip(lines + QByteArray::number(i)));
    const NormalizeResult parts =
        normalizeBody(multipart(gzParts), "multipart/form-data; boundary=XyZb0und", {}, limits);
    QVERIFY(parts.uninspectable);
    QCOMPARE(parts.reason, QStringLiteral("decoding limit: total size"));
    limits.maxTotalBytes = 96 * 1024 * 1024;
    QVERIFY(!normalizeBody(multipart(gzParts), "multipart/form-data; boundary=XyZb0und", {}, limits).uninspectable);

    limits = {};
    limits.maxViews = 2;
    QVERIFY(!normalizeBody("a%40b", "text/plain", {}, limits).uninspectable);
    QVERIFY(normalizeBody("a%2540b", "text/plain", {}, limits).uninspectable);
}

void TestNormalizer::decodedViewsHoldChangedLines() {
    // A big JSON document with one encoded value: the text-layer view is that line, not a copy.
    QByteArray body = "[";
    for (int i = 0; i < 1000; ++i)
        body += R"({"id":"org/model-)" + QByteArray::number(i) + R"(","sha":"0123abcd"},)";
    body += R"({"note":"mail alice%40example.com"}])";
    const NormalizeResult r = normalizeBody(body, "application/json");
    QVERIFY(!r.uninspectable);
    checkInvariants(r, body);
    QCOMPARE(int(r.views.size()), 3);
    QCOMPARE(r.views[1].text, QByteArray("note: mail alice%40example.com\n"));
    QCOMPARE(r.views[2].text, QByteArray("note: mail alice@example.com"));

    // Several changed lines are kept, each whole, in their order.
    const NormalizeResult lines = normalizeBody("a%40b\nplain\nx &amp; y\n", "text/plain");
    QCOMPARE(int(lines.views.size()), 2);
    QCOMPARE(lines.views[1].text, QByteArray("a@b\nx & y"));
}

void TestNormalizer::base64RunsAnywhere() {
    // Runs are found 64 bytes at a time: a run is found wherever it starts or ends relative to
    // those blocks, after short words, and repeated (a run seen before is not tried again, but
    // a different run is).
    const QByteArray encoded = QByteArray("contact " + kEmail).toBase64();
    for (int pad = 0; pad < 140; ++pad) {
        for (const QByteArray &filler : {QByteArray(" "), QByteArray("ab cd-"), QByteArray("0123456789abcdef.")}) {
            QByteArray body;
            while (body.size() < pad)
                body += filler;
            body.truncate(pad);
            body += ' ' + encoded + " tail " + encoded + " and " + QByteArray("mail " + kEmail).toBase64();
            const NormalizeResult r = normalizeBody(body, "text/plain");
            QVERIFY2(anyViewContains(r, "contact " + kEmail), qPrintable(QString::number(pad)));
            QVERIFY2(anyViewContains(r, "mail " + kEmail), qPrintable(QString::number(pad)));
        }
    }
}

void TestNormalizer::looksBinaryCountsControlBytes() {
    // Every byte value, at every position of a 16-byte block and in the tail.
    auto reference = [](const QByteArray &t) {
        qsizetype controls = 0;
        for (const char ch : t) {
            const auto c = static_cast<unsigned char>(ch);
            controls += (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7F;
        }
        return controls * 100 > t.size() * 3;
    };
    for (int c = 0; c < 256; ++c) {
        for (int len = 1; len <= 40; ++len) {
            const QByteArray t(len, char(c));
            QVERIFY2(decode::looksBinary(t) == reference(t),
                     qPrintable(QStringLiteral("byte %1 x %2").arg(c).arg(len)));
        }
    }
    // The 3% line: 3 control bytes in 100 is text, 4 is not.
    QByteArray t(100, 'a');
    t[10] = t[50] = t[90] = '\x01';
    QVERIFY(!decode::looksBinary(t));
    t[95] = '\x7f';
    QVERIFY(decode::looksBinary(t));
    // Long inputs: the vector counters are summed before they wrap.
    for (const int every : {1, 2, 33, 34}) {
        QByteArray big(70000, 'a');
        for (qsizetype i = 0; i < big.size(); i += every)
            big[i] = '\x02';
        QCOMPARE(decode::looksBinary(big), reference(big));
    }
    QVERIFY(decode::looksBinary(QByteArray(70000, '\x02')));
    QRandomGenerator gen(3);
    for (int round = 0; round < 200; ++round) {
        QByteArray mixed(int(gen.bounded(1, 300)), Qt::Uninitialized);
        for (char &ch : mixed)
            ch = char(gen.bounded(8) == 0 ? gen.bounded(0x21) : gen.bounded(0x20, 0x100));
        QCOMPARE(decode::looksBinary(mixed), reference(mixed));
    }
}

void TestNormalizer::wideCharset_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("charset");
    QTest::addColumn<int>("expected");
    using W = decode::WideCharset;
    const QByteArray text = "text with an address alice@example.com";
    QTest::newRow("utf-8") << text << QByteArray() << int(W::None);
    QTest::newRow("utf-8 charset") << text << QByteArray("utf-8") << int(W::None);
    QTest::newRow("bom le") << utf16le(text, true) << QByteArray() << int(W::Utf16Le);
    QTest::newRow("bom be") << utf16be(text, true) << QByteArray() << int(W::Utf16Be);
    QTest::newRow("bom wins over charset") << utf16be(text, true) << QByteArray("utf-16le") << int(W::Utf16Be);
    QTest::newRow("utf-32 bom le") << wide(text, 4, true, true) << QByteArray() << int(W::Utf32Le);
    QTest::newRow("utf-32 bom be") << wide(text, 4, false, true) << QByteArray() << int(W::Utf32Be);
    QTest::newRow("charset le") << utf16le(text) << QByteArray("UTF-16LE") << int(W::Utf16Le);
    QTest::newRow("charset be") << utf16be(text) << QByteArray("utf-16be") << int(W::Utf16Be);
    QTest::newRow("charset utf-16 le data") << utf16le(text) << QByteArray("utf-16") << int(W::Utf16Le);
    QTest::newRow("charset utf-16 be data") << utf16be(text) << QByteArray("utf-16") << int(W::Utf16Be);
    QTest::newRow("charset ucs-2") << utf16le(text) << QByteArray("ucs-2") << int(W::Utf16Le);
    QTest::newRow("charset utf-32") << wide(text, 4, true) << QByteArray("utf-32") << int(W::Utf32Le);
    QTest::newRow("charset utf-32be") << wide(text, 4, false) << QByteArray("utf-32be") << int(W::Utf32Be);
    QTest::newRow("shape le") << utf16le(text) << QByteArray() << int(W::Utf16Le);
    QTest::newRow("shape be") << utf16be(text) << QByteArray() << int(W::Utf16Be);
    QTest::newRow("shape, too short") << utf16le("abc") << QByteArray() << int(W::None);
    QTest::newRow("shape, half cjk") << utf16le(utf8(u"\u4E2D\u6587\u4E2D\u6587 abcd")) << QByteArray()
                                     << int(W::Utf16Le);
    QTest::newRow("shape, mostly cjk") << utf16le(utf8(u"\u4E2D\u6587\u4E2D\u6587\u4E2D\u6587 ab")) << QByteArray()
                                       << int(W::None);
    QByteArray random(64 * 1024, Qt::Uninitialized);
    QRandomGenerator(5).fillRange(reinterpret_cast<quint32 *>(random.data()), random.size() / 4);
    QTest::newRow("random") << random << QByteArray() << int(W::None);
    QByteArray sparse = random;
    for (qsizetype i = 1; i < sparse.size(); i += 2)
        sparse[i] = 0;
    QTest::newRow("random, odd bytes nul") << sparse << QByteArray() << int(W::None);
    QTest::newRow("zeros") << QByteArray(4096, '\0') << QByteArray() << int(W::None);
    // UTF-16 text after 4 KB of binary is not a UTF-16 body.
    QTest::newRow("utf-16 after binary") << random.left(8192) + utf16le(text.repeated(200)) << QByteArray()
                                         << int(W::None);
}

void TestNormalizer::wideCharset() {
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, charset);
    QFETCH(int, expected);
    QCOMPARE(int(decode::wideCharset(body, charset)), expected);
}

void TestNormalizer::wideLimits() {
    // The UTF-8 made of a UTF-16 body has its own limit, and counts to the request's total.
    const QByteArray body = utf16le(QByteArray(300, 'a') + " alice@example.com", true);
    InspectLimits limits;
    limits.maxWideBytes = 200;
    NormalizeResult r = normalizeBody(body, "text/plain", {}, limits);
    QVERIFY(r.uninspectable);
    QCOMPARE(r.reason, QStringLiteral("decoding limit: UTF-16 size"));
    limits.maxWideBytes = 400;
    r = normalizeBody(body, "text/plain", {}, limits);
    QVERIFY2(!r.uninspectable, qPrintable(r.reason));
    QVERIFY(anyViewContains(r, kEmail));

    limits = {};
    limits.maxTotalBytes = body.size() + 100;
    r = normalizeBody(body, "text/plain", {}, limits);
    QVERIFY(r.uninspectable);
    QCOMPARE(r.reason, QStringLiteral("decoding limit: total size"));

    limits = {};
    limits.maxDepth = 0;
    QVERIFY(normalizeBody(body, "text/plain", {}, limits).uninspectable);

    // Malformed input becomes U+FFFD, never a failure.
    QByteArray broken = utf16le("ab", true) + QByteArray("\x00\xD8", 2) + utf16le(" alice@example.com") + "x";
    r = normalizeBody(broken, "text/plain; charset=utf-16");
    QVERIFY2(!r.uninspectable, qPrintable(r.reason));
    QVERIFY(anyViewContains(r, "ab\xEF\xBF\xBD alice@example.com\xEF\xBF\xBD"));
}

void TestNormalizer::lookalikes_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("cyrillic") << utf8(u"\u0455k \u0410KIA gh\u0440_") << QByteArray("sk AKIA ghp_");
    QTest::newRow("greek") << utf8(u"\u0391\u039A\u0399\u0391 \u03BFk") << QByteArray("AKIA ok");
    QTest::newRow("cherokee") << utf8(u"\u13AA\u13E6 \u13DA\u13A2") << QByteArray("AK ST");
    QTest::newRow("armenian") << utf8(u"\u0570\u0581\u0585") << QByteArray("hgo");
    QTest::newRow("fullwidth and math") << utf8(u"\uFF53\uFF4B \U0001D41A\U0001D5C4") << QByteArray("sk ak");
    // "1Il|" and "0O" share a skeleton: the source's case or digit-ness picks.
    QTest::newRow("upper I") << utf8(u"\u0406\u2C92") << QByteArray("II");
    QTest::newRow("lower l") << utf8(u"\u05D5") << QByteArray("l");
    QTest::newRow("digit one") << utf8(u"\u0661") << QByteArray("1");
    QTest::newRow("upper O, digit 0") << utf8(u"\u041E\u09E6") << QByteArray("O0");
    // ASCII stays itself, even where its skeleton is other ASCII ("m" is "rn", "0" is "O").
    QTest::newRow("ascii kept") << utf8(u"\u0455 rn m l I 1 0 O | ` '") << QByteArray("s rn m l I 1 0 O | ` '");
    QTest::newRow("hand-made additions") << utf8(u"\u043A\u03BA\u04CF\u03C9") << QByteArray("kklw");
    QTest::newRow("letters with marks stay") << utf8(u"caf\u00E9 \u00F1") << QByteArray();
    QTest::newRow("cjk stays") << utf8(u"\u4E2D\u6587") << QByteArray();
    // NFKC runs on a stretch unless every code point in it is one NFKC leaves alone in any company
    // (quick check Yes, combining class 0): Jamo that compose, ligatures, compatibility letters and
    // digits still change; text in stable scripts does not.
    QTest::newRow("jamo compose") << utf8(u"id \u1100\u1161 ok") << utf8(u"id \uAC00 ok");
    QTest::newRow("jamo after a stable syllable") << utf8(u"\uAC00\u1100\u1161") << utf8(u"\uAC00\uAC00");
    QTest::newRow("ligature") << utf8(u"pro\uFB01le") << QByteArray("profile");
    QTest::newRow("kelvin sign") << utf8(u"\u212A=1") << QByteArray("K=1");
    QTest::newRow("superscript") << utf8(u"x\u00B2") << QByteArray("x2");
    QTest::newRow("circled digit") << utf8(u"\u2460\u2461") << QByteArray("12");
    QTest::newRow("cjk and hangul") << utf8(u"\u4F60\u597D \uC138\uACC4") << QByteArray();
    QTest::newRow("hiragana") << utf8(u"\u3072\u3089\u304C\u306A") << QByteArray();
}

void TestNormalizer::lookalikes() {
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    QByteArray out;
    const bool changed = decode::unicodeCleanup(text, &out);
    QCOMPARE(changed, !expected.isEmpty());
    if (changed)
        QCOMPARE(out, expected);
}

// Long runs of characters NFKC expands are normalised in bounded stretches: the result is the
// normalisation of the whole run, and a run of hundreds of kilobytes costs what its size does
// (whole-run normalisation took minutes for a megabyte of U+FDFA).
void TestNormalizer::longExpandingRunsAreLinear() {
    const QString one = QString(QChar(0xFDFA)).normalized(QString::NormalizationForm_KC);
    QVERIFY(one.size() > 10);
    const int count = 300'000; // 900 KB of UTF-8
    QByteArray text;
    text.reserve(count * 3 + 16);
    for (int i = 0; i < count; ++i)
        text.append("\xEF\xB7\xBA", 3);
    QElapsedTimer timer;
    timer.start();
    QByteArray out;
    QVERIFY(decode::unicodeCleanup(text, &out));
    QVERIFY2(timer.elapsed() < 30'000, QByteArray::number(timer.elapsed()).constData());
    QByteArray expected;
    decode::unicodeCleanup(text.left(3), &expected);
    QCOMPARE(out.size(), expected.size() * count);
    QCOMPARE(out.left(expected.size() * 3), expected.repeated(3));
    QCOMPARE(out.right(expected.size()), expected);
    // A base keeps its combining marks across a stretch boundary: e + acute stays one letter.
    QByteArray marks;
    for (int i = 0; i < 200; ++i)
        marks.append("\xEF\xBD\x85\xCC\x81"); // fullwidth e, combining acute
    QVERIFY(decode::unicodeCleanup(marks, &out));
    QVERIFY(decode::unicodeCleanup(marks.left(5), &expected));
    QCOMPARE(out, expected.repeated(200));
}

void TestNormalizer::invisibleLinesInBinary() {
    // Each invisible character, at every alignment of the 16-byte scan and near the end.
    const QList<QByteArray> invisibles = {"\xC2\xAD",     "\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D",
                                          "\xE2\x80\x8F", "\xE2\x81\xA0", "\xE2\x81\xA4", "\xEF\xBB\xBF"};
    for (const QByteArray &inv : invisibles) {
        for (int pad = 0; pad < 40; ++pad) {
            const QByteArray line = "mail jane" + inv + ".roe@example.org";
            for (const QByteArray &tail : {QByteArray("\n\x01\x02 more"), QByteArray()}) {
                const QByteArray binary = QByteArray(pad, '\x01') + "\n" + line + tail;
                QByteArray out;
                QVERIFY2(decode::invisibleLines(binary, &out), qPrintable(inv.toHex() + ' ' + QByteArray::number(pad)));
                QCOMPARE(out, QByteArray("mail jane.roe@example.org"));
            }
        }
    }
    // Look-alike bytes that are not invisible, and lead bytes without their sequence.
    QByteArray out;
    QVERIFY(!decode::invisibleLines(QByteArray(64, '\x01') + "a\xE2\x80\x80"
                                                             "b \xC2\xA0 \xEF\xBB\xBE \xE2\x81\xA5 \xC2",
                                    &out));
}

// Lines for random binary bodies, one per decoding layer a binary body still gets; the last two
// make the body uninspectable (a gzip member that does not inflate, an encoding too deep).
static QList<QByteArray> binaryLayers() {
    QByteArray deep = "jane.roe@example.org";
    for (int i = 0; i < 6; ++i)
        deep = deep.toPercentEncoding();
    return {
        "\n" + QByteArray("call jane.roe@example.org or 219-09-9999").toBase64() + "\n",
        "\nmail %6Aane.roe%40example.org &#106;ane&#64;example.org\n",
        "\nmail jane\xE2\x80\x8B.roe@example.org\n",
        "\n" + QByteArray(R"({"k":"jane\u002eroe\u0040example.org","n":[1,2]})").toBase64() + "\n",
        "\nH4sIAAAAAAAAA" + QByteArray(40, 'A') + "\n", // a gzip member's start: inflating it fails
        "\n" + deep + "\n",                             // deeper than the limit: refused either way
    };
}

// A large binary body's passes run on two threads (InspectLimits::parallelBodyBytes): the same
// views in the same order, the same refusal, as on one thread.
void TestNormalizer::binaryOnTwoThreadsMakesTheSameViews() {
    const QList<QByteArray> inserts = binaryLayers();
    for (quint32 seed = 1; seed <= 4; ++seed) {
        QRandomGenerator gen(seed);
        QByteArray body(256 * 1024, Qt::Uninitialized);
        gen.fillRange(reinterpret_cast<quint32 *>(body.data()), body.size() / 4);
        for (int k = 0; k < inserts.size(); ++k) {
            if ((seed >> (k % 3)) & 1 || k + 1 == int(seed))
                body.replace(qsizetype(gen.bounded(body.size() - 200)), inserts[k].size(), inserts[k]);
        }
        InspectLimits one;
        one.parallelBodyBytes = 0;
        InspectLimits two;
        two.parallelBodyBytes = 1;
        const NormalizeResult a = normalizeBody(body, "application/octet-stream", {}, one);
        const NormalizeResult b = normalizeBody(body, "application/octet-stream", {}, two);
        QCOMPARE(b.uninspectable, a.uninspectable);
        QCOMPARE(b.reason, a.reason);
        QCOMPARE(b.views.size(), a.views.size());
        for (size_t i = 0; i < a.views.size(); ++i) {
            QCOMPARE(b.views[i].where, a.views[i].where);
            QCOMPARE(b.views[i].binary, a.views[i].binary);
            QVERIFY2(b.views[i].text == a.views[i].text, qPrintable(QString::number(i)));
        }
        QVERIFY(a.views.size() > 1 || a.uninspectable);
    }
}

// A binary body's passes made ahead over its first lines, in steps of any size, then finished
// by addBody: the same views as addBody alone, wherever the steps stop. Only a body that starts
// with those bytes is handed them (the Inspector checks); a Content-Encoding body never is.
void TestNormalizer::passesMadeAheadGiveTheSameViews() {
    const QList<QByteArray> inserts = binaryLayers();
    for (quint32 seed = 1; seed <= 8; ++seed) {
        QRandomGenerator gen(seed);
        QByteArray body(300 * 1024, Qt::Uninitialized);
        gen.fillRange(reinterpret_cast<quint32 *>(body.data()), body.size() / 4);
        for (int k = 0; k < inserts.size(); ++k) {
            const bool refused = k + 2 >= inserts.size(); // bad gzip, too deep: only in odd seeds
            if (refused ? seed % 2 == 1 : ((seed >> (k % 4)) & 1 || k + 2 == int(seed)))
                body.replace(qsizetype(gen.bounded(body.size() - 200)), inserts[k].size(), inserts[k]);
        }
        // In some bodies every layer all along, so that wherever the passes stop, both sides
        // hold some of each.
        for (int j = 1; seed % 2 == 0 && j < 24; ++j) {
            const QByteArray n = QByteArray::number(j); // each different, so order shows
            const QList<QByteArray> layers = {
                "\n" + QByteArray("call jane.roe" + n + "@example.org").toBase64() + "\n",
                "\nmail %6Aane.roe" + n + "%40example.org\n",
                "\nmail jane\xE2\x80\x8B.roe" + n + "@example.org\n",
                "\n" + QByteArray(R"({"k":"jane\u002eroe)" + n + R"(\u0040example.org"})").toBase64() + "\n",
            };
            const QByteArray &insert = layers[j % 4];
            body.replace(body.size() * j / 24, insert.size(), insert);
        }
        for (const QByteArray &type : {QByteArray("application/octet-stream"), QByteArray()}) {
            for (const qint64 parallel : {qint64(0), qint64(1)}) { // the rest on one thread or two
                InspectLimits limits;
                limits.parallelBodyBytes = parallel;
                const NormalizeResult plain = normalizeBody(body, type, {}, limits);
                // Steps end after a line break; the last stops anywhere before the end.
                BinaryPasses ahead;
                ahead.maxJsonDepth = limits.maxJsonDepth;
                const qsizetype stopAt = qsizetype(gen.bounded(body.size() + 1));
                while (ahead.upTo < stopAt) {
                    const qsizetype want = std::min(stopAt, ahead.upTo + qsizetype(gen.bounded(1, 90000)));
                    const qsizetype lineBreak = body.lastIndexOf('\n', want - 1);
                    if (lineBreak < ahead.upTo)
                        break;
                    ahead.extend(body, lineBreak + 1);
                }
                if (ahead.upTo + 2 < body.size() && body.at(ahead.upTo + 1) != '\n') { // not after a line break
                    const qsizetype before = ahead.upTo;
                    ahead.extend(body, ahead.upTo + 2);
                    QCOMPARE(ahead.upTo, before);
                    ahead.extendLines(body, ahead.upTo + 2);
                    QCOMPARE(ahead.upTo, before);
                }
                NormalizeResult withAhead;
                Normalizer(limits).addBody(body, type, {}, &withAhead, &ahead);
                QCOMPARE(withAhead.uninspectable, plain.uninspectable);
                QCOMPARE(withAhead.reason, plain.reason);
                QCOMPARE(withAhead.views.size(), plain.views.size());
                for (size_t i = 0; i < plain.views.size(); ++i) {
                    QCOMPARE(withAhead.views[i].where, plain.views[i].where);
                    QCOMPARE(withAhead.views[i].binary, plain.views[i].binary);
                    QVERIFY2(
                        withAhead.views[i].text == plain.views[i].text,
                        qPrintable(QStringLiteral("seed %1 view %2 ahead to %3").arg(seed).arg(i).arg(ahead.upTo)));
                }
                QVERIFY(plain.views.size() > 1 || plain.uninspectable);
                QCOMPARE(plain.uninspectable, seed % 2 == 1);
            }
        }
    }
    // Counted in parts, control bytes add up to looksBinary's count.
    QRandomGenerator gen(99);
    for (int round = 0; round < 200; ++round) {
        QByteArray t(qsizetype(gen.bounded(1, 5000)), Qt::Uninitialized);
        for (char &c : t)
            c = char(gen.bounded(round % 2 ? 256 : 128));
        const qsizetype cut = qsizetype(gen.bounded(quint32(t.size() + 1)));
        const qsizetype controls =
            decode::controlBytes(t.constData(), cut) + decode::controlBytes(t.constData() + cut, t.size() - cut);
        QCOMPARE(controls * 100 > t.size() * 3, decode::looksBinary(t));
    }
}

// The escapes a text round looks for: a '%' or '&' that decodes, at any place of the 16-byte
// scan and in the tail; one that decodes to nothing new is passed over.
void TestNormalizer::nextEscapeSkipsWhatChangesNothing() {
    const QList<QByteArray> found = {"%41", "%u0041", "%U00e9", "&amp;", "&#64;", "&#x40", "&commat;"};
    const QList<QByteArray> skipped = {"%", "%4", "%zz", "%u00", "&", "&b=2", "&#;", "&nosuch;", "&amp"};
    for (int lead = 0; lead < 40; ++lead) {
        for (const QByteArray &noise : skipped) {
            for (const QByteArray &escape : found) {
                const QByteArray text = QByteArray(lead, 'x') + noise + " " + escape + QByteArray(lead % 7, 'y');
                const qsizetype at = decode::nextEscape(text.constData(), 0, text.size());
                QCOMPARE(at, qsizetype(lead + noise.size() + 1));
                QCOMPARE(decode::nextEscape(text.constData(), at + 1, text.size()), text.size());
            }
            const QByteArray clean = QByteArray(lead, 'x') + noise;
            QCOMPARE(decode::nextEscape(clean.constData(), 0, clean.size()), clean.size());
        }
    }
}

// base64Runs over a whole text finds what it finds in each maximal run of the alphabet taken
// alone, in order: checked on random bytes and prose with encoded text of every length around
// the minimum, placed across the 64-byte blocks it is scanned in.
void TestNormalizer::base64RunsAreFoundRunByRun() {
    auto inAlphabet = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
               c == '-' || c == '_';
    };
    for (quint32 seed = 1; seed <= 40; ++seed) {
        QRandomGenerator gen(seed);
        QByteArray text;
        if (seed % 2) {
            text = QByteArray(20000, Qt::Uninitialized);
            gen.fillRange(reinterpret_cast<quint32 *>(text.data()), text.size() / 4);
        } else {
            text = QByteArray("plain words of a model card, version 1.2.3, nothing to see\n").repeated(330);
        }
        for (int k = 0; k < 60; ++k) {
            const QByteArray plain = QByteArray("mail jane.roe@example.org now").left(int(gen.bounded(8, 30)));
            const QByteArray encoded = plain.toBase64(QByteArray::OmitTrailingEquals);
            const qsizetype at = qsizetype(gen.bounded(text.size() - 64));
            text.replace(at, encoded.size() + 2, ' ' + encoded + ' ');
        }
        QByteArray expected;
        int expectedCount = 0;
        for (qsizetype i = 0; i < text.size();) {
            if (!inAlphabet(text[i])) {
                ++i;
                continue;
            }
            qsizetype j = i;
            while (j < text.size() && inAlphabet(text[j]))
                ++j;
            QByteArray out;
            QByteArray json;
            expectedCount += decode::base64Runs(text.mid(i, j - i), 128, &out, &json, nullptr);
            expected += out;
            i = j;
        }
        QByteArray out;
        QByteArray json;
        QCOMPARE(decode::base64Runs(text, 128, &out, &json, nullptr), expectedCount);
        QCOMPARE(out, expected);
        QVERIFY(expectedCount > 0);
    }
    // A run whose only non-hex characters ("bWFp", "mai") come before a block boundary and whose
    // rest is hex digits ("aCA0" is "h 4"): still found, wherever the boundary falls.
    const QByteArray run = "bWFp" + QByteArray("aCA0").repeated(6);
    for (int at = 40; at < 70; ++at) {
        const QByteArray text = QByteArray(at, ' ') + run + QByteArray(100, ' ');
        QByteArray out;
        QByteArray json;
        QCOMPARE(decode::base64Runs(text, 128, &out, &json, nullptr), 1);
        QCOMPARE(out, QByteArray::fromBase64(run) + '\n');
    }
}

// The decoders that find encoded text inside other text: what each makes of a text, or nothing.
void TestNormalizer::textDecoders_data() {
    QTest::addColumn<QString>("decoder");
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("expected"); // empty: finds nothing

    QTest::newRow("qp escapes") << "qp" << QByteArray("x =6A=61ne y") << QByteArray("x jane y");
    QTest::newRow("qp soft break joins lines")
        << "qp" << QByteArray("a\nja=\r\nne=40x.org\nb") << QByteArray("jane@x.org");
    QTest::newRow("qp: one escape is a form value") << "qp" << QByteArray("a=1F&b=2E&c=3D") << QByteArray();
    QTest::newRow("spelled brackets") << "spelled" << QByteArray("jo [at] x [dot] org\nnothing")
                                      << QByteArray("jo@x.org");
    QTest::newRow("spelled parentheses, upper case")
        << "spelled" << QByteArray("jo(AT)x(DOT)org") << QByteArray("jo@x.org");
    QTest::newRow("spelled words") << "spelled" << QByteArray("jo at x dot org") << QByteArray("jo@x.org");
    QTest::newRow("spelled: a word alone is prose") << "spelled" << QByteArray("we met at noon") << QByteArray();
    QTest::newRow("spelled: dot alone") << "spelled" << QByteArray("x [dot] y") << QByteArray();
    QTest::newRow("idn") << "idn" << utf8(u"to j\u00FCrgen@b\u00FCcher.de.") << QByteArray("jxrgen@xn--bcher-kva.de");
    QTest::newRow("idn: ASCII address") << "idn" << QByteArray("to jo@x.org") << QByteArray();
    QTest::newRow("idn: punctuation of another script ends it")
        << "idn" << utf8(u"\u00E9@\u00E9x.de\u3001more") << QByteArray("x@xn--x-9fa.de");
    QTest::newRow("hex run") << "runs" << QByteArray("v=") + QByteArray("hello world!").toHex()
                             << QByteArray("hello world!\n");
    QTest::newRow("hex with 0x") << "runs"
                                 << "0x" + QByteArray("hello world!").toHex() << QByteArray("hello world!\n");
    QTest::newRow("hex digest") << "runs"
                                << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                                << QByteArray();
    QTest::newRow("base32") << "runs" << base32("hello world, again") << QByteArray("hello world, again\n");
    QTest::newRow("base32 of random bytes")
        << "runs" << base32(QByteArray::fromHex("8f00e1c2d3a4b5f6071829")) << QByteArray();
    QTest::newRow("ascii85") << "ascii85"
                             << "a " + ascii85("hello world") + " b" << QByteArray("hello world\n");
    QTest::newRow("ascii85 unclosed") << "ascii85" << QByteArray("<~87cURD]i,\"Ebo80") << QByteArray();
    QTest::newRow("hex escapes") << "escapes" << QByteArray("s = \"\\x6a\\x61\\x6e\\x65 x\"") << QByteArray("jane x\n");
    QTest::newRow("three hex escapes") << "escapes" << QByteArray("\\x6a\\x61\\x6e") << QByteArray();
    QTest::newRow("text line after binary")
        << "lines" << QByteArray(40, '\x01') + "\n" + utf8(u"key \u0455k-ant-api03-abcdefgh")
        << QByteArray("key sk-ant-api03-abcdefgh");
    QTest::newRow("short text line") << "lines" << QByteArray(40, '\x01') + "\n" + utf8(u"\u0455k-ant") << QByteArray();
}

void TestNormalizer::textDecoders() {
    QFETCH(QString, decoder);
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, expected);
    QByteArray out;
    QByteArray json;
    bool found = false;
    if (decoder == QLatin1String("qp"))
        found = decode::quotedPrintableLines(in, &out);
    else if (decoder == QLatin1String("spelled"))
        found = decode::spelledAddresses(in, &out);
    else if (decoder == QLatin1String("idn"))
        found = decode::idnAddresses(in, &out);
    else if (decoder == QLatin1String("runs"))
        found = decode::base64Runs(in, 16, &out, &json) > 0;
    else if (decoder == QLatin1String("ascii85"))
        found = decode::ascii85Blocks(in, &out) > 0;
    else if (decoder == QLatin1String("escapes"))
        found = decode::hexEscapes(in, &out) > 0;
    else if (decoder == QLatin1String("lines"))
        found = decode::invisibleLines(in, &out);
    QCOMPARE(found, !expected.isEmpty());
    if (found)
        QCOMPARE(out, expected);
}

void TestNormalizer::compressedMagic_data() {
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<int>("magic");
    QTest::newRow("gzip") << gzip("x") << int(decode::Magic::Gzip);
    QTest::newRow("zlib") << zlibWrapped("hello") << int(decode::Magic::Zlib);
    QTest::newRow("zip") << zipArchive({{"a", "b"}}) << int(decode::Magic::Zip);
    QTest::newRow("bzip2") << QByteArray("BZh91AY&SY\x01\x02") << int(decode::Magic::Bzip2);
    QTest::newRow("x^ text") << QByteArray("x^2 + y^2 = z^2") << int(decode::Magic::None);
    QTest::newRow("BZh in text") << QByteArray("BZh9 is a level") << int(decode::Magic::None);
    QTest::newRow("PK in text") << QByteArray("PK is a prefix") << int(decode::Magic::None);
}

void TestNormalizer::compressedMagic() {
    QFETCH(QByteArray, in);
    QFETCH(int, magic);
    QCOMPARE(int(decode::compressedMagic(in.constData(), in.size())), magic);
}

QTEST_APPLESS_MAIN(TestNormalizer)
#include "tst_normalizer.moc"
