#include "policy/AllowEntryParser.h"

#include <QTest>

using namespace airlock;

Q_DECLARE_METATYPE(airlock::AllowEntry::Kind)

// The one validator behind policy.yaml, the admin channel and the GUI editor.
class TestAllowEntryParser final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void method_data();
    void method();
};

void TestAllowEntryParser::valid_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<AllowEntry::Kind>("kind");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("pathPrefix");
    QTest::addColumn<QString>("canonicalText");
    using K = AllowEntry::Kind;
    QTest::newRow("host") << "huggingface.co" << K::Host << "huggingface.co" << 443 << ""
                          << "huggingface.co";
    QTest::newRow("host upper dot") << "HuggingFace.CO." << K::Host << "huggingface.co" << 443 << ""
                                    << "huggingface.co";
    QTest::newRow("host trimmed") << "  huggingface.co " << K::Host << "huggingface.co" << 443 << ""
                                  << "huggingface.co";
    QTest::newRow("single label") << "localhost" << K::Host << "localhost" << 443 << ""
                                  << "localhost";
    QTest::newRow("idn") << QString::fromUtf8("b\xc3\xbc\x63her.example") << K::Host << "xn--bcher-kva.example" << 443
                         << ""
                         << "xn--bcher-kva.example";
    QTest::newRow("wildcard") << "*.hf.co" << K::Wildcard << "hf.co" << 443 << ""
                              << "*.hf.co";
    QTest::newRow("wildcard upper") << "*.HF.CO." << K::Wildcard << "hf.co" << 443 << ""
                                    << "*.hf.co";
    QTest::newRow("prefix") << "https://registry.ollama.ai/v2/" << K::UrlPrefix << "registry.ollama.ai" << 443 << "/v2/"
                            << "https://registry.ollama.ai/v2/";
    QTest::newRow("prefix no slash") << "https://registry.ollama.ai/v2" << K::UrlPrefix << "registry.ollama.ai" << 443
                                     << "/v2"
                                     << "https://registry.ollama.ai/v2";
    QTest::newRow("prefix root") << "https://a.example" << K::UrlPrefix << "a.example" << 443 << "/"
                                 << "https://a.example/";
    QTest::newRow("prefix port") << "HTTPS://Localhost:8443/files/" << K::UrlPrefix << "localhost" << 8443 << "/files/"
                                 << "https://localhost:8443/files/";
    QTest::newRow("prefix port 443") << "https://a.example:443/x/" << K::UrlPrefix << "a.example" << 443 << "/x/"
                                     << "https://a.example/x/";
    QTest::newRow("prefix dots") << "https://a.example/x/../v2/" << K::UrlPrefix << "a.example" << 443 << "/v2/"
                                 << "https://a.example/v2/";
}

void TestAllowEntryParser::valid() {
    QFETCH(QString, text);
    QFETCH(AllowEntry::Kind, kind);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, pathPrefix);
    QFETCH(QString, canonicalText);
    QString error;
    const std::optional<AllowEntry> entry = parseAllowEntry(text, &error);
    QVERIFY2(entry, qPrintable(error));
    QCOMPARE(entry->kind, kind);
    QCOMPARE(entry->host, host);
    QCOMPARE(entry->port, port);
    QCOMPARE(entry->pathPrefix, pathPrefix);
    QCOMPARE(entry->text(), canonicalText);
    QVERIFY(entry->methods.isEmpty());
    const std::optional<AllowEntry> again = parseAllowEntry(entry->text(), &error);
    QVERIFY(again);
    QCOMPARE(*again, *entry);
}

void TestAllowEntryParser::invalid_data() {
    QTest::addColumn<QString>("text");
    const char *texts[] = {"",
                           "   ",
                           "*",
                           "*.",
                           "*.com",
                           "**.hf.co",
                           "a.*.hf.co",
                           "*hf.co",
                           "hf.*",
                           "huggingface.co:443",
                           "huggingface.co:8443",
                           "huggingface.co/path",
                           "http://huggingface.co/",
                           "ftp://huggingface.co/",
                           "https://huggingface.co/?q=1",
                           "https://huggingface.co/#f",
                           "https://user@huggingface.co/",
                           "https://*.hf.co/",
                           "https://127.0.0.1/",
                           "https://a.example:0/",
                           "127.0.0.1",
                           "2130706433",
                           "0x7f.1",
                           "[::1]",
                           "::1",
                           "*.127.0.0.1",
                           "a b.example",
                           "a_b.example",
                           "a..example",
                           "-a.example",
                           "huggingface.co..",
                           "a%zz.example"};
    for (const char *text : texts)
        QTest::newRow(*text ? text : "(empty)") << QString::fromLatin1(text);
}

void TestAllowEntryParser::invalid() {
    QFETCH(QString, text);
    QString error;
    QVERIFY(!parseAllowEntry(text, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!parseAllowEntry(text, nullptr));
}

void TestAllowEntryParser::method_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("GET") << "GET"
                         << "GET";
    QTest::newRow("get") << "get"
                         << "GET";
    QTest::newRow("Options") << "Options"
                             << "OPTIONS";
    QTest::newRow("delete") << "delete"
                            << "DELETE";
    QTest::newRow("patch") << "PATCH"
                           << "PATCH";
    QTest::newRow("put") << "put"
                         << "PUT";
    QTest::newRow("head") << "HEAD"
                          << "HEAD";
    QTest::newRow("post") << "post"
                          << "POST";
    QTest::newRow("CONNECT") << "CONNECT"
                             << "";
    QTest::newRow("TRACE") << "TRACE"
                           << "";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("space") << "GET "
                           << "";
    QTest::newRow("crlf") << "GET\r\n"
                          << "";
    QTest::newRow("dotless i") << QString::fromUtf8("opt\xc4\xb1ons") << "";
    QTest::newRow("long s") << QString::fromUtf8("option\xc5\xbf") << "";
}

void TestAllowEntryParser::method() {
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(canonicalMethod(input), expected);
}

QTEST_APPLESS_MAIN(TestAllowEntryParser)
#include "tst_allowentryparser.moc"
