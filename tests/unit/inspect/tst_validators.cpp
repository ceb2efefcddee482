#include "TokenFixtures.h"
#include "inspect/Validators.h"

#include <QTest>

#include <string>

using namespace airlock;
using airlock::test::b64url;
using airlock::test::githubToken;

class TestValidators final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void crc32KnownValue();
    void entropy_data();
    void entropy();
    void validators_data();
    void validators();
};

void TestValidators::crc32KnownValue() {
    // The IEEE CRC-32 check value.
    QCOMPARE(validators::crc32("123456789"), 0xCBF43926u);
}

void TestValidators::entropy_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::newRow("empty") << QByteArray() << 0.0 << 0.0;
    QTest::newRow("one symbol") << QByteArray("aaaaaaaa") << 0.0 << 0.0;
    QTest::newRow("two symbols") << QByteArray("abababab") << 1.0 << 1.0;
    QTest::newRow("16 distinct") << QByteArray("0123456789abcdef") << 4.0 << 4.0;
}

void TestValidators::entropy() {
    QFETCH(QByteArray, text);
    QFETCH(double, low);
    QFETCH(double, high);
    const double h = validators::shannonEntropy(std::string_view(text.constData(), size_t(text.size())));
    QVERIFY2(h >= low - 1e-9 && h <= high + 1e-9, QByteArray::number(h).constData());
}

void TestValidators::validators_data() {
    QTest::addColumn<QString>("validator");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("accepted");

    auto add = [](const char *name, const char *validator, const std::string &input, bool ok) {
        QTest::newRow(name) << QString::fromLatin1(validator) << QByteArray::fromStdString(input) << ok;
    };
    add("luhn ok", "luhn", "79927398713", true);
    add("luhn bad", "luhn", "79927398710", false);
    add("card visa test", "card", "4111 1111 1111 1111", true);
    add("card mc dashes", "card", "5555-5555-5555-4444", true);
    add("card amex", "card", "378282246310005", true);
    add("card discover", "card", "6011111111111117", true);
    add("card mc 2-series", "card", "2223003122003222", true);
    add("card bad luhn", "card", "4111 1111 1111 1112", false);
    add("card epoch ms passing luhn", "card", "1715012345675", false);
    add("card unknown issuer", "card", "9111111111111111", false);
    add("card zeros", "card", "0000000000000000", false);
    add("card amex wrong length", "card", "3782822463100058", false);
    add("ssn ok", "ssn", "123-45-6789", true);
    add("ssn context", "ssn", "SSN: 234567890", true);
    add("ssn area 000", "ssn", "000-12-3456", false);
    add("ssn area 666", "ssn", "666-12-3456", false);
    add("ssn area 9xx", "ssn", "912-12-3456", false);
    add("ssn group 00", "ssn", "123-00-4567", false);
    add("ssn serial 0000", "ssn", "123-45-0000", false);
    add("ssn all same", "ssn", "222-22-2222", false);
    add("iban de", "iban", "DE89 3704 0044 0532 0130 00", true);
    add("iban gb compact", "iban", "GB82WEST12345698765432", true);
    add("iban fr", "iban", "FR14 2004 1010 0505 0001 3M02 606", true);
    add("iban bad check", "iban", "DE89 3704 0044 0532 0130 01", false);
    add("iban wrong length", "iban", "DE89 3704 0044 0532 0130 0", false);
    add("iban unknown country", "iban", "XX89370400440532013000", false);
    add("email ok", "email", "jane.doe@example.com", true);
    add("email cc", "email", "a.b@mail.example.co.uk", true);
    add("email file 2x", "email", "icon@2x.png", false);
    add("email file 3x pt", "email", "weights@3x.pt", false);
    add("email unknown tld", "email", "user@host.local", false);
    add("email extension tld", "email", "model@weights.safetensors", false);
    add("email ssh remote", "email", "git@github.com:", false);
    add("email ssh url", "email", "git@hf.co/", false);
    add("email git mailbox", "email", "git@example.com", true);
    add("email person before colon", "email", "alice@github.com:", true);
    add("email person before slash", "email", "alice@example.org/", true);
    add("email git in a longer local part", "email", "legit@github.com:", true);
    add("binary email ok", "email in binary", "jane.doe@example.com", true);
    add("binary email upper", "email in binary", "JDO@EXAMPLE.COM", true);
    add("binary email short local", "email in binary", "li@acme.com", true);
    add("binary email co.uk", "email in binary", "john@bbc.co.uk", true);
    add("binary email one-letter local", "email in binary", "j@example.com", false);
    add("binary email mixed-case domain", "email in binary", "jane@exAmple.com", false);
    add("binary email mixed-case tld", "email in binary", "Ann@example.Com", false);
    add("binary email chance match", "email in binary", "Kq@zRt.gov", false);
    add("binary email still a file", "email in binary", "icon@2x.png", false);
    add("binary email ssh remote", "email in binary", "git@github.com:", false);
    add("binary email trailing slash", "email in binary", "alice@example.org/", true);
    add("phone us", "phone", "(201) 555-0123", true);
    add("phone intl", "phone", "+44 20 7946 0958", true);
    add("phone context", "phone", "phone: 2015550123", true);
    add("phone bad area", "phone", "123-456-7890", false);
    add("phone short intl", "phone", "+20240512", false);
    add("aws id", "awsid", "AKIAZ7QWERTY2345ABCD", true);
    add("aws id example", "awsid", "AKIAIOSFODNN7EXAMPLE", false);
    add("aws secret", "awssecret", "aws_secret_access_key = Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hc1Jd5Fg0Sa8Qe2Wr4T", true);
    add("aws secret hex sha1", "awssecret", "secret: 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", false);
    add("generic random", "generic", "api_key=Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hc1", true);
    add("generic hex", "generic", "access_token: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        true);
    add("generic digest", "generic", "token: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", false);
    add("generic dotted name", "generic", "key: model.layers.0.mlp.down_proj.weight", false);
    add("generic low entropy", "generic", "password=aaaaaaaaaaaaaaaaaaaaaaa1", false);
    add("generic snake_case", "generic", "key: tokenizer_config_file_name", false);
    add("generic short password", "generic", "password=Tr0ub4dor&3", true);
    add("generic short", "generic", "secret=Tr0ub4dor&3", false);
    add("generic short plain password", "generic", "password=hunter22", false);
    add("bearer ok", "bearer", "Bearer abcDEF123456ghiJKL789", true);
    add("bearer word", "bearer", "Bearer authenticationscheme", false);

    const std::string random30 = "Xq3vT9pL2mN8kR4sW7yZ1aB5cD6eF0";
    const std::string good = githubToken("ghp_", random30);
    std::string bad = good;
    bad.back() = bad.back() == 'A' ? 'B' : 'A';
    add("github ok", "github", good, true);
    add("github gho ok", "github", githubToken("gho_", "0123456789abcdefghijABCDEFGHIJ"), true);
    add("github bad checksum", "github", bad, false);
    add("github short", "github", good.substr(0, good.size() - 1), false);

    add("aws secret documentation example", "awssecret",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", false);
    add("generic documentation example", "generic", "secret_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", false);

    using test::kAlnum;
    using test::kHex;
    using test::repeatTo;
    add("random token", "random", "glpat-" + repeatTo(kAlnum + "_-", 20), true);
    add("random hex token", "random", "dop_v1_" + repeatTo(kHex, 64), true);
    add("random short groups", "random", "A3-ABC123-DEF456-GH789-JK123-LM456-NP789", true);
    add("random placeholder x", "random", "glpat-xxxxxxxxxxxxxxxxxxxx", false);
    add("random zeros", "random", "sk-or-v1-" + std::string(64, '0'), false);
    add("random six in a row", "random", "npm_" + repeatTo(kAlnum, 15) + "aaaaaa" + repeatTo(kAlnum, 15), false);
    add("random five in a row", "random", "npm_" + repeatTo(kAlnum, 15) + "kkkkk" + repeatTo(kAlnum, 16), true);
    add("random example", "random", "npm_" + repeatTo(kAlnum, 10) + "Example" + repeatTo(kAlnum, 19), false);
    add("random low entropy", "random", "npm_abababababababababababababababababab", false);
    add("random no long run", "random", "ab-cd-ef-gh", false);

    add("age key", "age", test::ageSecretKey(5), true);
    std::string badAge = test::ageSecretKey(5);
    badAge[30] = badAge[30] == 'Q' ? 'P' : 'Q';
    add("age key bad checksum", "age", badAge, false);
    add("age key not bech32", "age", "AGE-SECRET-KEY-1" + std::string(58, 'B'), false);

    add("azure storage key", "azure storage", "AccountKey=" + test::b64(test::noise(64, 1)), true);
    add("azure storage emulator key", "azure storage",
        "AccountKey=Eby8vdM02xNOcqFl" + test::b64(test::noise(64, 2)).substr(16), false);
    add("azure storage key too short", "azure storage", "AccountKey=" + test::b64(test::noise(48, 1)), false);
    const QByteArray sig = QByteArray::fromStdString(test::b64(test::noise(32, 4)));
    add("sas signature", "sas", "&sig=" + sig.toPercentEncoding().toStdString(), true);
    add("sas signature unescaped", "sas", "?sig=" + sig.toStdString(), true);
    add("sas signature of 24 bytes", "sas", "&sig=" + test::b64(test::noise(24, 4)), false);

    add("discord token", "discord", b64url("123456789012345678") + ".Gh3kLm.abc", true);
    add("discord token, id not digits", "discord", b64url("12345678901234567x") + ".Gh3kLm.abc", false);
    add("discord token, short id", "discord", b64url("1234") + ".Gh3kLm.abc", false);

    add("base64 json", "json token", "sk." + b64url(R"({"u":"someone","a":"xyz"})") + ".sig", true);
    add("base64 json then _signature", "json token",
        "sntrys_" + test::b64(R"({"iat":1,"org":"demo!"})") + "_" + repeatTo(kAlnum, 43), true);
    add("base64 json unpadded then _signature", "json token",
        "sntrys_" + b64url(R"({"iat":1,"org":"demo"})") + "_" + repeatTo(kAlnum, 43), true);
    add("base64 not json", "json token", "glc_eyJ" + repeatTo(kAlnum, 60), false);
    add("base64 json array", "json token", "ops_" + b64url(R"(["a","b"])"), false);

    // DER openings: what a private key's base64 starts with, and what others' do.
    const auto der = [](const char *head, int n) {
        return test::b64(QByteArray(head, n) + test::noise(40, 3));
    };
    add("der pkcs#1 rsa", "der", der("\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00", 12), true);
    add("der pkcs#1 rsa 1024", "der", der("\x30\x82\x02\x5c\x02\x01\x00\x02\x81\x81\x00", 11), true);
    add("der pkcs#8 rsa", "der",
        der("\x30\x82\x04\xbe\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00", 22), true);
    add("der pkcs#8 ec", "der", der("\x30\x81\x87\x02\x01\x00\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01", 17), true);
    add("der pkcs#8 ed25519", "der", der("\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70", 12), true);
    add("der pkcs#8 v2 ed25519", "der", der("\x30\x51\x02\x01\x01\x30\x05\x06\x03\x2b\x65\x70", 12), true);
    add("der sec1 ec", "der", der("\x30\x77\x02\x01\x01\x04\x20", 7), true);
    add("der openssh", "der", der("openssh-key-v1\0\0\0\0\x04none", 23), true);
    add("der pkcs#8 unknown algorithm", "der",
        der("\x30\x82\x04\xbe\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b\x05\x00", 22), false);
    add("der short integer after version", "der", der("\x30\x82\x04\xa4\x02\x01\x00\x02\x05\x01", 10), false);
    add("der version 2", "der", der("\x30\x82\x04\xa4\x02\x01\x02\x02\x82\x01", 10), false);
    add("der certificate", "der", der("\x30\x82\x03\x77\x30\x82\x02\x5f\xa0\x03\x02\x01\x02", 13), false);
    add("der public key", "der", der("\x30\x82\x01\x22\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d", 14), false);
    add("der rsa public key", "der", der("\x30\x82\x01\x0a\x02\x82\x01\x01\x00", 9), false);
    add("der ecdsa signature", "der", der("\x30\x45\x02\x21\x00", 5), false);
    add("der 3-byte length", "der", der("\x30\x83\x01\x00\x00\x02\x01\x00\x02\x82", 10), false);
    add("der truncated", "der", "MIIEpAIBAAKC", false);

    const std::string header = b64url(R"({"alg":"HS256","typ":"JWT"})");
    const std::string payload = b64url(R"({"sub":"user-1","iat":1700000000})");
    add("jwt ok", "jwt", header + "." + payload + ".c2lnbmF0dXJlLW5vdC1yZWFs", true);
    add("jwt array payload", "jwt", header + "." + b64url("[1,2,3]") + ".sig", false);
    add("jwt not json", "jwt", header + "." + b64url("eyJ hello world") + ".sig", false);
}

void TestValidators::validators() {
    QFETCH(QString, validator);
    QFETCH(QByteArray, input);
    QFETCH(bool, accepted);
    const std::string_view s(input.constData(), size_t(input.size()));
    bool got = false;
    if (validator == QLatin1String("luhn"))
        got = validators::luhn(s);
    else if (validator == QLatin1String("card"))
        got = validators::isCardNumber(s);
    else if (validator == QLatin1String("ssn"))
        got = validators::isSsn(s);
    else if (validator == QLatin1String("iban"))
        got = validators::isIban(s);
    else if (validator == QLatin1String("email"))
        got = validators::isEmail(s);
    else if (validator == QLatin1String("email in binary"))
        got = validators::isEmailInBinary(s);
    else if (validator == QLatin1String("phone"))
        got = validators::isValidPhone(s);
    else if (validator == QLatin1String("awsid"))
        got = validators::isAwsKeyId(s);
    else if (validator == QLatin1String("awssecret"))
        got = validators::isAwsSecret(s);
    else if (validator == QLatin1String("generic"))
        got = validators::isGenericSecret(s);
    else if (validator == QLatin1String("bearer"))
        got = validators::isBearerToken(s);
    else if (validator == QLatin1String("github"))
        got = validators::isGithubToken(s);
    else if (validator == QLatin1String("jwt"))
        got = validators::isJwt(s);
    else if (validator == QLatin1String("random"))
        got = validators::isRandomToken(s);
    else if (validator == QLatin1String("age"))
        got = validators::isAgeSecretKey(s);
    else if (validator == QLatin1String("azure storage"))
        got = validators::isAzureStorageKey(s);
    else if (validator == QLatin1String("sas"))
        got = validators::isSasSignature(s);
    else if (validator == QLatin1String("discord"))
        got = validators::isDiscordToken(s);
    else if (validator == QLatin1String("json token"))
        got = validators::isBase64JsonToken(s);
    else if (validator == QLatin1String("der"))
        got = validators::isDerPrivateKey(s);
    else
        QFAIL("unknown validator");
    QCOMPARE(got, accepted);
}

QTEST_APPLESS_MAIN(TestValidators)
#include "tst_validators.moc"
