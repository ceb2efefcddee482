// printableText: what a client wrote, made safe to log and print.
#include "base/Printable.h"

#include <QTest>

using namespace airlock;

class TestPrintable final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void escapes_data();
    void escapes();
    void longInputIsLinear();
};

void TestPrintable::escapes_data() {
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << QStringLiteral("INC-7 exfil") << QStringLiteral("INC-7 exfil");
    QTest::newRow("letters of other scripts stay")
        << QStringLiteral("Grüße, 事件 ✓") << QStringLiteral("Grüße, 事件 ✓");
    QTest::newRow("emoji stays") << QString::fromUcs4(U"\U0001F512 locked") << QString::fromUcs4(U"\U0001F512 locked");
    QTest::newRow("ESC") << QStringLiteral("a\x1b[2Jb") << QStringLiteral("a\\u{001B}[2Jb");
    QTest::newRow("newline and tab") << QStringLiteral("a\nb\tc") << QStringLiteral("a\\u{000A}b\\u{0009}c");
    QTest::newRow("DEL") << QStringLiteral("a\x7f") << QStringLiteral("a\\u{007F}");
    QTest::newRow("C1 CSI and NEL") << QStringLiteral("a\u009Bb\u0085c") << QStringLiteral("a\\u{009B}b\\u{0085}c");
    QTest::newRow("line and paragraph separators")
        << QStringLiteral("a\u2028b\u2029c") << QStringLiteral("a\\u{2028}b\\u{2029}c");
    QTest::newRow("bidi override and isolate")
        << QStringLiteral("x\u202Eexe.txt\u2066y") << QStringLiteral("x\\u{202E}exe.txt\\u{2066}y");
    QTest::newRow("zero width and BOM") << QStringLiteral("a\u200Bb\uFEFFc") << QStringLiteral("a\\u{200B}b\\u{FEFF}c");
    QTest::newRow("lone surrogate") << QString(QChar(0xD800)) + QStringLiteral("x") << QStringLiteral("\\u{D800}x");
    QTest::newRow("backslash doubled, so an escape cannot be forged")
        << QStringLiteral("\\u{0041}") << QStringLiteral("\\\\u{0041}");
    QTest::newRow("unassigned") << QString::fromUcs4(U"\U000E0FFF") << QStringLiteral("\\u{E0FFF}");
}

void TestPrintable::escapes() {
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(printableText(in), out);
}

void TestPrintable::longInputIsLinear() {
    const QString in = QString(500'000, QChar(0x202E));
    const QString out = printableText(in);
    QCOMPARE(out.size(), 500'000 * 8);
    QVERIFY(out.startsWith(QStringLiteral("\\u{202E}\\u{202E}")));
}

QTEST_GUILESS_MAIN(TestPrintable)
#include "tst_printable.moc"
