#include "base/ErrorCode.h"

#include <QSet>
#include <QTest>

using namespace airlock;

class TestErrorCode final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyCodeHasItsOwnName();
    void namesRoundTrip();
    void unknownNames();
};

void TestErrorCode::everyCodeHasItsOwnName() {
    QSet<QString> names;
    for (ErrorCode code : allErrorCodes()) {
        const QString name = codeName(code);
        QVERIFY2(name != QLatin1String("internal_error"), qPrintable(QString::number(int(code))));
        QVERIFY2(!names.contains(name), qPrintable(name));
        names.insert(name);
    }
    QCOMPARE(allErrorCodes().size(), int(kLastErrorCode) + 1);
    QCOMPARE(codeName(ErrorCode::None), QStringLiteral("ok"));
    QCOMPARE(codeName(ErrorCode::NotHttps), QStringLiteral("https_required"));
    QCOMPARE(codeName(ErrorCode::UpstreamTls), QStringLiteral("upstream_tls_error"));
}

void TestErrorCode::namesRoundTrip() {
    for (ErrorCode code : allErrorCodes())
        QCOMPARE(errorCodeFromName(codeName(code)), std::optional<ErrorCode>(code));
}

void TestErrorCode::unknownNames() {
    for (const char *name : {"", "OK", "pii", "internal_error", "pii_detected "})
        QVERIFY2(!errorCodeFromName(QString::fromLatin1(name)).has_value(), name);
}

QTEST_APPLESS_MAIN(TestErrorCode)
#include "tst_errorcode.moc"
