#include "url/CanonicalUrl.h"

#include <QTest>

using namespace airlock;

Q_DECLARE_METATYPE(airlock::UrlError)

// canonicalizeUrl() is the security boundary: every accepted form and every refusal below is
// something a client could send.
class TestCanonicalUrl final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
    void ipLiteral_data();
    void ipLiteral();
    void messageNeverContainsQuery();
    void canonicalHostForEntries();
    void idempotent_data() { accepted_data(); }
    void idempotent();
};

void TestCanonicalUrl::accepted_data() {
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("canonical");

    QTest::newRow("plain") << "https://huggingface.co/api/models"
                           << "https://huggingface.co/api/models";
    QTest::newRow("scheme upper") << "HTTPS://huggingface.co/"
                                  << "https://huggingface.co/";
    QTest::newRow("scheme mixed") << "HtTpS://huggingface.co/"
                                  << "https://huggingface.co/";
    QTest::newRow("host upper") << "https://HuggingFace.CO/x"
                                << "https://huggingface.co/x";
    QTest::newRow("trailing dot") << "https://huggingface.co./x"
                                  << "https://huggingface.co/x";
    QTest::newRow("empty path") << "https://huggingface.co"
                                << "https://huggingface.co/";
    QTest::newRow("empty path with query") << "https://huggingface.co?a=1"
                                           << "https://huggingface.co/?a=1";
    QTest::newRow("default port dropped") << "https://huggingface.co:443/x"
                                          << "https://huggingface.co/x";
    QTest::newRow("port leading zero") << "https://huggingface.co:0443/x"
                                       << "https://huggingface.co/x";
    QTest::newRow("other port kept") << "https://registry.ollama.ai:8443/v2/"
                                     << "https://registry.ollama.ai:8443/v2/";
    QTest::newRow("max port") << "https://a.example:65535/"
                              << "https://a.example:65535/";
    QTest::newRow("localhost") << "https://localhost:8443/"
                               << "https://localhost:8443/";
    QTest::newRow("dot segment") << "https://a.example/a/./b"
                                 << "https://a.example/a/b";
    QTest::newRow("dotdot") << "https://a.example/a/b/../c"
                            << "https://a.example/a/c";
    QTest::newRow("dotdot above root") << "https://a.example/../../etc/passwd"
                                       << "https://a.example/etc/passwd";
    QTest::newRow("trailing dotdot") << "https://a.example/a/b/.."
                                     << "https://a.example/a/";
    QTest::newRow("trailing dot seg") << "https://a.example/a/."
                                      << "https://a.example/a/";
    QTest::newRow("%2e%2e") << "https://a.example/v2/%2e%2e/admin"
                            << "https://a.example/admin";
    QTest::newRow("%2E%2E") << "https://a.example/v2/%2E%2E/admin"
                            << "https://a.example/admin";
    QTest::newRow(".%2e") << "https://a.example/v2/.%2e/admin"
                          << "https://a.example/admin";
    QTest::newRow("%2e.") << "https://a.example/v2/%2e./admin"
                          << "https://a.example/admin";
    QTest::newRow("%2e") << "https://a.example/v2/%2e/x"
                         << "https://a.example/v2/x";
    QTest::newRow("...") << "https://a.example/.../x"
                         << "https://a.example/.../x";
    QTest::newRow("%2F kept") << "https://a.example/v2/..%2Fadmin"
                              << "https://a.example/v2/..%2Fadmin";
    QTest::newRow("%2f upper-cased") << "https://a.example/a%2fb"
                                     << "https://a.example/a%2Fb";
    QTest::newRow("%5c kept") << "https://a.example/a%5cb"
                              << "https://a.example/a%5Cb";
    QTest::newRow("unreserved decoded") << "https://a.example/%41%7e%2D%5f"
                                        << "https://a.example/A~-_";
    QTest::newRow("escape upper-cased") << "https://a.example/%e2%82%ac"
                                        << "https://a.example/%E2%82%AC";
    QTest::newRow("non-ascii path encoded")
        << QString::fromUtf8("https://a.example/\xe2\x82\xac") << "https://a.example/%E2%82%AC";
    QTest::newRow("unsafe ascii encoded") << "https://a.example/a\"<>{}|^`b"
                                          << "https://a.example/a%22%3C%3E%7B%7D%7C%5E%60b";
    QTest::newRow("double slash kept") << "https://a.example//x"
                                       << "https://a.example//x";
    QTest::newRow("at in path") << "https://a.example/@user"
                                << "https://a.example/@user";
    QTest::newRow("query as given") << "https://a.example/p?x=%2e%2E&y=/../z"
                                    << "https://a.example/p?x=%2e%2E&y=/../z";
    QTest::newRow("empty query") << "https://a.example/p?"
                                 << "https://a.example/p?";
    QTest::newRow("query non-ascii encoded")
        << QString::fromUtf8("https://a.example/?q=\xc3\xa9") << "https://a.example/?q=%C3%A9";
    QTest::newRow("query brackets encoded") << "https://a.example/?a[]=1"
                                            << "https://a.example/?a%5B%5D=1";
    QTest::newRow("idn") << QString::fromUtf8("https://b\xc3\xbc\x63her.example/") << "https://xn--bcher-kva.example/";
    QTest::newRow("homoglyph") << QString::fromUtf8("https://huggingf\xd0\xb0\x63\x65.co/")
                               << "https://xn--huggingfce-6qi.co/";
    QTest::newRow("fullwidth dot") << QString::fromUtf8("https://huggingface\xef\xbc\x8e\x63o/")
                                   << "https://huggingface.co/";
    QTest::newRow("percent-encoded host") << "https://hugging%66ace.co/"
                                          << "https://huggingface.co/";
    QTest::newRow("numeric label inside") << "https://127.0.0.1.nip.io/"
                                          << "https://127.0.0.1.nip.io/";
    QTest::newRow("digit tld-like label first") << "https://1password.com/"
                                                << "https://1password.com/";
}

void TestCanonicalUrl::accepted() {
    QFETCH(QString, raw);
    QFETCH(QString, canonical);
    const UrlResult result = canonicalizeUrl(raw);
    QVERIFY2(result.url.has_value(), qPrintable(result.message));
    QCOMPARE(result.error, UrlError::None);
    QCOMPARE(result.url->toString(), canonical);
}

void TestCanonicalUrl::idempotent() {
    QFETCH(QString, raw);
    const UrlResult first = canonicalizeUrl(raw);
    QVERIFY(first.url);
    const UrlResult second = canonicalizeUrl(first.url->toString());
    QVERIFY2(second.url, qPrintable(second.message));
    QCOMPARE(*second.url, *first.url);
}

void TestCanonicalUrl::refused_data() {
    QTest::addColumn<QString>("raw");
    QTest::addColumn<UrlError>("error");

    const auto row = [](const char *name, const QString &raw, UrlError error) {
        QTest::newRow(name) << raw << error;
    };
    row("empty", "", UrlError::Malformed);
    row("no scheme", "huggingface.co/x", UrlError::Malformed);
    row("http", "http://huggingface.co/", UrlError::NotHttps);
    row("HTTP", "HTTP://huggingface.co/", UrlError::NotHttps);
    row("ftp", "ftp://huggingface.co/", UrlError::NotHttps);
    row("file", "file:///etc/passwd", UrlError::NotHttps);
    row("httpsx", "httpsx://huggingface.co/", UrlError::NotHttps);
    row("one slash", "https:/huggingface.co/", UrlError::Malformed);
    row("no slashes", "https:huggingface.co", UrlError::Malformed);
    row("backslash authority", "https:\\\\huggingface.co\\", UrlError::Malformed);
    row("backslash path", "https://huggingface.co\\@evil.com/", UrlError::Malformed);
    row("backslash later", "https://huggingface.co/a\\b", UrlError::Malformed);
    row("userinfo", "https://user:pass@huggingface.co/", UrlError::Userinfo);
    row("userinfo host trick", "https://huggingface.co@evil.com/", UrlError::Userinfo);
    row("userinfo empty", "https://@huggingface.co/", UrlError::Userinfo);
    row("encoded at", "https://huggingface.co%40evil.com/", UrlError::BadHost);
    row("fragment", "https://huggingface.co/#x", UrlError::Fragment);
    row("fragment after query", "https://huggingface.co/?a#b", UrlError::Fragment);
    row("empty host", "https:///x", UrlError::Malformed);
    row("empty host port", "https://:443/", UrlError::Malformed);
    row("space", "https://hugging face.co/", UrlError::ControlCharacter);
    row("space in path", "https://huggingface.co/a b", UrlError::ControlCharacter);
    row("space in query", "https://huggingface.co/?a=b c", UrlError::ControlCharacter);
    row("tab", "https://huggingface.co/\t", UrlError::ControlCharacter);
    row("CR LF", "https://huggingface.co/\r\nHost: evil", UrlError::ControlCharacter);
    row("LF in query", "https://huggingface.co/?a\n", UrlError::ControlCharacter);
    row("NUL", QStringLiteral("https://huggingface.co/") + QChar(0), UrlError::ControlCharacter);
    row("DEL", QStringLiteral("https://huggingface.co/") + QChar(0x7F), UrlError::ControlCharacter);
    row("leading space", " https://huggingface.co/", UrlError::ControlCharacter);
    row("nbsp", QStringLiteral("https://huggingface.co/") + QChar(0xA0), UrlError::ControlCharacter);
    row("zero width joiner", QStringLiteral("https://hugging") + QChar(0x200D) + "face.co/",
        UrlError::ControlCharacter);
    row("line separator", QStringLiteral("https://huggingface.co/") + QChar(0x2028), UrlError::ControlCharacter);
    row("encoded NUL in host", "https://huggingface.co%00.evil.com/", UrlError::ControlCharacter);
    row("encoded LF in host", "https://evil.com%0a.huggingface.co/", UrlError::ControlCharacter);
    row("encoded DEL in host", "https://a%7f.example/", UrlError::ControlCharacter);
    row("encoded space in host", "https://a%20b.example/", UrlError::ControlCharacter);
    row("encoded slash in host", "https://evil.com%2fhuggingface.co/", UrlError::BadHost);
    row("bad escape in host", "https://a%zz.example/", UrlError::BadHost);
    row("truncated escape in host", "https://a.example%2/", UrlError::BadHost);
    row("invalid utf8 in host", "https://a%ff.example/", UrlError::BadHost);
    row("bad escape in path", "https://a.example/%g0", UrlError::Malformed);
    row("truncated escape in path", "https://a.example/%4", UrlError::Malformed);
    row("bad escape in query", "https://a.example/?%", UrlError::Malformed);
    row("lone surrogate", QStringLiteral("https://a.example/") + QChar(0xD800), UrlError::Malformed);
    row("port zero", "https://a.example:0/", UrlError::BadPort);
    row("port too big", "https://a.example:65536/", UrlError::BadPort);
    row("port huge", "https://a.example:4294967739/", UrlError::BadPort);
    row("port negative", "https://a.example:-1/", UrlError::BadPort);
    row("port hex", "https://a.example:0x1bb/", UrlError::BadPort);
    row("port empty", "https://a.example:/", UrlError::BadPort);
    row("port plus", "https://a.example:+443/", UrlError::BadPort);
    row("port space", "https://a.example: 443/", UrlError::ControlCharacter);
    row("two colons", "https://a.example:443:443/", UrlError::BadHost);
    row("underscore", "https://a_b.example/", UrlError::BadHost);
    row("star", "https://*.hf.co/", UrlError::BadHost);
    row("double dot", "https://a..example/", UrlError::BadHost);
    row("two trailing dots", "https://huggingface.co../", UrlError::BadHost);
    row("only dot", "https://./", UrlError::BadHost);
    row("leading hyphen", "https://-a.example/", UrlError::BadHost);
    row("trailing hyphen", "https://a-.example/", UrlError::BadHost);
    row("label too long", "https://" + QString(64, u'a') + ".example/", UrlError::BadHost);
    row("name too long", "https://" + (QString(63, u'a') + u'.').repeated(4) + "com/", UrlError::BadHost);
    row("bracket in host", "https://a]b.example/", UrlError::IpLiteral);
    row("too long url", "https://a.example/" + QString(9000, u'a'), UrlError::Malformed);
}

void TestCanonicalUrl::refused() {
    QFETCH(QString, raw);
    QFETCH(UrlError, error);
    const UrlResult result = canonicalizeUrl(raw);
    QVERIFY2(!result.url.has_value(), qPrintable(result.url ? result.url->toString() : QString()));
    QCOMPARE(result.error, error);
    QVERIFY(!result.message.isEmpty());
}

void TestCanonicalUrl::ipLiteral_data() {
    QTest::addColumn<QString>("host");
    const char *hosts[] = {"127.0.0.1",
                           "127.0.0.1.",
                           "2130706433",
                           "2130706433.",
                           "0177.0.0.1",
                           "0x7f.0.0.1",
                           "0x7f.1",
                           "0X7F.1",
                           "0x7f000001",
                           "127.1",
                           "127.0.1",
                           "10.1",
                           "0",
                           "0x",
                           "00000",
                           "1.2.3.4.5",
                           "169.254.169.254",
                           "[::1]",
                           "[::ffff:127.0.0.1]",
                           "[::ffff:7f00:1]",
                           "[fe80::1%25eth0]",
                           "[2001:db8::1]",
                           "[64:ff9b::7f00:1]",
                           "::1",
                           "%31%32%37.0.0.1",
                           "127.0.0.%31",
                           "0x7f.0.0.0x1",
                           "127.000.000.001",
                           "4294967295",
                           "99999999999999999"};
    for (const char *host : hosts)
        QTest::newRow(host) << QString::fromLatin1(host);
    QTest::newRow("fullwidth digits") << QString::fromUtf8("\xef\xbc\x91\xef\xbc\x92\xef\xbc\x97.0.0.1");
    QTest::newRow("ideographic dots") << QString::fromUtf8("127\xe3\x80\x82\x30\xe3\x80\x82\x30\xe3\x80\x82\x31");
}

void TestCanonicalUrl::ipLiteral() {
    QFETCH(QString, host);
    for (const QString &url : {"https://" + host + "/", "https://" + host + ":443/x", "HTTPS://" + host}) {
        const UrlResult result = canonicalizeUrl(url);
        QVERIFY2(!result.url, qPrintable(url));
        QCOMPARE(result.error, UrlError::IpLiteral);
    }
    if (!host.contains(u'%'))
        QVERIFY(isIpLiteral(host));
    bool ip = false;
    QVERIFY(!canonicalHost(host, nullptr, &ip));
    QVERIFY(ip);
}

void TestCanonicalUrl::messageNeverContainsQuery() {
    const QString secret = QStringLiteral("token=SECRETVALUE");
    const QStringList urls{"http://a.example/?" + secret,
                           "https://a.example:0/?" + secret,
                           "https://a.example/%zz?" + secret,
                           "https://a.example/?" + secret + "%",
                           "https://a.example/?" + secret + "#frag",
                           "https://u@a.example/?" + secret,
                           "https://127.0.0.1/?" + secret,
                           "https://a_b.example/?" + secret};
    for (const QString &url : urls) {
        const UrlResult result = canonicalizeUrl(url);
        QVERIFY2(!result.url, qPrintable(url));
        QVERIFY2(!result.message.contains(QLatin1String("SECRET")), qPrintable(result.message));
    }
}

void TestCanonicalUrl::canonicalHostForEntries() {
    QString error;
    QCOMPARE(canonicalHost(QStringLiteral("HuggingFace.CO."), &error).value_or(QString()),
             QStringLiteral("huggingface.co"));
    QCOMPARE(canonicalHost(QStringLiteral("localhost"), &error).value_or(QString()), QStringLiteral("localhost"));
    QVERIFY(!canonicalHost(QStringLiteral("a b"), &error));
    QVERIFY(!error.isEmpty());
    bool ip = true;
    QVERIFY(!canonicalHost(QStringLiteral("a_b.example"), &error, &ip));
    QVERIFY(!ip);
    QVERIFY(!isIpLiteral(QStringLiteral("huggingface.co")));
    QVERIFY(!isIpLiteral(QStringLiteral("127.0.0.1.nip.io")));
    QVERIFY(!isIpLiteral(QStringLiteral("0x7f.example")));
}

QTEST_APPLESS_MAIN(TestCanonicalUrl)
#include "tst_canonicalurl.moc"
