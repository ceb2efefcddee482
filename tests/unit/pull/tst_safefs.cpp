// SafeFs: pull files are made below a folder's descriptor, and no link planted in the pull
// folder is ever followed, whatever step meets it.
#include "pull/SafeFs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace airlock;

class TestSafeFs final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void foldersMadeOneSegmentAtATime();
    void linkedFolderRefused();
    void dotSegmentsRefused();
    void createIsExclusive();
    void linkedFileRefused();
    void hardLinkedFileRefused();
    void modes();
    void renameNeverReplaces();
    void removeTreeDoesNotFollowLinks();
    void writeNewFileHoldsTheBytes();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    Fd m_root;
};

void TestSafeFs::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QString error;
    m_root = safefs::openRoot(m_dir->path() + "/pulls", &error);
    QVERIFY2(m_root.isValid(), qPrintable(error));
}

void TestSafeFs::foldersMadeOneSegmentAtATime() {
    QString error;
    const Fd dir = safefs::openDir(m_root.get(), QStringLiteral("a/b/c"), true, &error);
    QVERIFY2(dir.isValid(), qPrintable(error));
    QVERIFY(QFileInfo(m_dir->path() + "/pulls/a/b/c").isDir());
    // Without create, a missing folder is an error, and nothing is made.
    QVERIFY(!safefs::openDir(m_root.get(), QStringLiteral("x/y"), false, &error).isValid());
    QVERIFY(!QFileInfo::exists(m_dir->path() + "/pulls/x"));
}

void TestSafeFs::linkedFolderRefused() {
    QTemporaryDir elsewhere;
    QVERIFY(QFile::link(elsewhere.path(), m_dir->path() + "/pulls/hf"));
    QString error;
    QVERIFY(!safefs::openDir(m_root.get(), QStringLiteral("hf/org"), true, &error).isValid());
    QVERIFY(error.contains(QLatin1String("hf")));
    QVERIFY(QDir(elsewhere.path()).isEmpty());
}

void TestSafeFs::dotSegmentsRefused() {
    QString error;
    QVERIFY(!safefs::openDir(m_root.get(), QStringLiteral("a/../../x"), true, &error).isValid());
    QVERIFY(!QFileInfo::exists(m_dir->path() + "/x"));
    QVERIFY(!safefs::openDir(m_root.get(), QStringLiteral("./a"), true, &error).isValid());
}

void TestSafeFs::createIsExclusive() {
    QString error;
    QVERIFY(safefs::openFile(m_root.get(), QStringLiteral("f"), true, &error).isValid());
    QVERIFY(!safefs::openFile(m_root.get(), QStringLiteral("f"), true, &error).isValid());
    QVERIFY(safefs::openFile(m_root.get(), QStringLiteral("f"), false, &error).isValid());
    QVERIFY(!safefs::openFile(m_root.get(), QStringLiteral("missing"), false, &error).isValid());
}

void TestSafeFs::linkedFileRefused() {
    QTemporaryDir elsewhere;
    const QString target = elsewhere.path() + "/victim";
    QFile victim(target);
    QVERIFY(victim.open(QIODevice::WriteOnly));
    victim.write("keep");
    victim.close();
    QVERIFY(QFile::link(target, m_dir->path() + "/pulls/model.bin"));
    QString error;
    QVERIFY(!safefs::openFile(m_root.get(), QStringLiteral("model.bin"), false, &error).isValid());
    QVERIFY(!safefs::openFile(m_root.get(), QStringLiteral("model.bin"), true, &error).isValid());
    QVERIFY(!safefs::writeNewFile(m_root.get(), QStringLiteral("model.bin"), "overwritten", &error));
    QFile check(target);
    QVERIFY(check.open(QIODevice::ReadOnly));
    QCOMPARE(check.readAll(), QByteArray("keep"));
}

void TestSafeFs::hardLinkedFileRefused() {
    QString error;
    QVERIFY(safefs::writeNewFile(m_root.get(), QStringLiteral("a"), "x", &error));
    QVERIFY(::link(QFile::encodeName(m_dir->path() + "/pulls/a").constData(),
                   QFile::encodeName(m_dir->path() + "/pulls/b").constData()) == 0);
    QVERIFY(!safefs::openFile(m_root.get(), QStringLiteral("b"), false, &error).isValid());
}

void TestSafeFs::modes() {
    const mode_t old = ::umask(0);
    QString error;
    const Fd dir = safefs::openDir(m_root.get(), QStringLiteral("m"), true, &error);
    const bool written = safefs::writeNewFile(dir.get(), QStringLiteral("f"), "x", &error);
    ::umask(old);
    QVERIFY(dir.isValid() && written);
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(m_dir->path() + "/pulls/m").constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0750));
    QCOMPARE(::stat(QFile::encodeName(m_dir->path() + "/pulls/m/f").constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0640));
}

void TestSafeFs::renameNeverReplaces() {
    QString error;
    QVERIFY(safefs::writeNewFile(m_root.get(), QStringLiteral("new"), "new", &error));
    QVERIFY(safefs::writeNewFile(m_root.get(), QStringLiteral("old"), "old", &error));
    QVERIFY(!safefs::renameNoReplace(m_root.get(), QStringLiteral("new"), m_root.get(), QStringLiteral("old"), &error));
    QFile old(m_dir->path() + "/pulls/old");
    QVERIFY(old.open(QIODevice::ReadOnly));
    QCOMPARE(old.readAll(), QByteArray("old"));
    QVERIFY(
        safefs::renameNoReplace(m_root.get(), QStringLiteral("new"), m_root.get(), QStringLiteral("moved"), &error));
    QVERIFY(QFileInfo::exists(m_dir->path() + "/pulls/moved"));
}

void TestSafeFs::removeTreeDoesNotFollowLinks() {
    QTemporaryDir elsewhere;
    QFile keep(elsewhere.path() + "/keep");
    QVERIFY(keep.open(QIODevice::WriteOnly));
    keep.close();
    QString error;
    QVERIFY(safefs::openDir(m_root.get(), QStringLiteral("t/sub"), true, &error).isValid());
    QVERIFY(QFile::link(elsewhere.path(), m_dir->path() + "/pulls/t/sub/link"));
    QVERIFY2(safefs::removeTree(m_root.get(), QStringLiteral("t"), &error), qPrintable(error));
    QVERIFY(!QFileInfo::exists(m_dir->path() + "/pulls/t"));
    QVERIFY(QFileInfo::exists(elsewhere.path() + "/keep"));
    QVERIFY(safefs::removeTree(m_root.get(), QStringLiteral("never-there"), &error));
}

void TestSafeFs::writeNewFileHoldsTheBytes() {
    QString error;
    const QByteArray bytes = QByteArray(100'000, 'z') + "end";
    QVERIFY(safefs::writeNewFile(m_root.get(), QStringLiteral("w"), bytes, &error));
    QFile f(m_dir->path() + "/pulls/w");
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), bytes);
    QVERIFY(safefs::freeBytes(m_root.get()) > 0);
}

QTEST_GUILESS_MAIN(TestSafeFs)
#include "tst_safefs.moc"
