// StreamingDigest: the two ways a pull checks a file, against values git and sha256sum give.
#include "pull/Digest.h"

#include <QCryptographicHash>
#include <QTest>

using namespace airlock;

class TestDigest final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void knownValues_data();
    void knownValues();
    void chunkingDoesNotMatter();
    void resetStartsOver();
};

void TestDigest::knownValues_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("expected");
    // `printf hello | git hash-object --stdin`, `printf '' | git hash-object --stdin`
    QTest::newRow("git blob") << int(DigestKind::GitSha1) << QByteArray("hello")
                              << QByteArray("b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0");
    QTest::newRow("git empty blob") << int(DigestKind::GitSha1) << QByteArray()
                                    << QByteArray("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    QTest::newRow("sha256 empty") << int(DigestKind::Sha256) << QByteArray()
                                  << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::newRow("sha256 hello") << int(DigestKind::Sha256) << QByteArray("hello")
                                  << QByteArray("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
}

void TestDigest::knownValues() {
    QFETCH(int, kind);
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, expected);
    StreamingDigest d;
    d.reset(DigestKind(kind), content.size());
    d.update(content.constData(), content.size());
    QCOMPARE(d.hex(), expected);
}

void TestDigest::chunkingDoesNotMatter() {
    QByteArray data;
    for (int i = 0; i < 100'000; ++i)
        data.append(char(i * 7));
    StreamingDigest d;
    d.reset(DigestKind::Sha256, data.size());
    for (qsizetype at = 0; at < data.size(); at += 4093)
        d.update(data.constData() + at, qMin<qsizetype>(4093, data.size() - at));
    QCOMPARE(d.hex(), QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

void TestDigest::resetStartsOver() {
    StreamingDigest d;
    d.reset(DigestKind::Sha256, 3);
    d.update("abc", 3);
    d.reset(DigestKind::GitSha1, 5);
    d.update("hello", 5);
    QCOMPARE(d.hex(), QByteArray("b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0"));
}

QTEST_GUILESS_MAIN(TestDigest)
#include "tst_digest.moc"
