// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/fs/treecopy.h"
#include "core/stack/scenario.h"
#include "core/stack/stacksnapshot.h"
#include "tests/support/datatable.h"
#include "tests/support/fingerprint.h"
#include "tests/support/require.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <functional>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace strata;

namespace
{
using Maker = std::function<bool(const QByteArray &dir)>;

QByteArray xattr(const QByteArray &path, const char *name)
{
    char buf[256];
    const ssize_t n = ::lgetxattr(path.constData(), name, buf, sizeof buf);
    return n < 0 ? QByteArray("<none>") : QByteArray(buf, n);
}

bool writeFile(const QByteArray &path, const QByteArray &data, mode_t mode)
{
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, data.constData(), static_cast<size_t>(data.size())) == data.size();
    ::close(fd);
    return ok && ::chmod(path.constData(), mode) == 0;
}
} // namespace

Q_DECLARE_METATYPE(Maker)

class TestTreeCopy final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void copiesEveryKindOfEntry_data()
    {
        // xattrPath: relative; empty: none checked
        strata::test::addColumns<Maker, QByteArray, QByteArray, bool>("make", "xattrPath", "xattrName", "needsRoot");
        QTest::newRow("file with data and mode")
            << Maker([](const QByteArray &d) { return writeFile(d + "/f", "hello\n", 0640); }) << QByteArray()
            << QByteArray() << false;
        QTest::newRow("directories, one closed (mode 000)") << Maker([](const QByteArray &d) {
            return ::mkdir(QByteArray(d + "/a").constData(), 0750) == 0
                && ::mkdir(QByteArray(d + "/a/b").constData(), 0700) == 0 && writeFile(d + "/a/b/x", "x", 0600)
                && ::chmod(QByteArray(d + "/a/b").constData(), 0) == 0;
        }) << QByteArray() << QByteArray() << false;
        QTest::newRow("dangling symlink")
            << Maker([](const QByteArray &d) { return ::symlink("../nowhere", QByteArray(d + "/l").constData()) == 0; })
            << QByteArray() << QByteArray() << false;
        QTest::newRow("fifo") << Maker(
            [](const QByteArray &d) { return ::mkfifo(QByteArray(d + "/p").constData(), 0644) == 0; })
                              << QByteArray() << QByteArray() << false;
        QTest::newRow("whiteout (0/0 character device)") << Maker([](const QByteArray &d) {
            return ::mknod(QByteArray(d + "/gone").constData(), S_IFCHR | 0000, makedev(0, 0)) == 0;
        }) << QByteArray() << QByteArray() << false;
        QTest::newRow("hard links stay one inode") << Maker([](const QByteArray &d) {
            return writeFile(d + "/one", "1", 0644)
                && ::link(QByteArray(d + "/one").constData(), QByteArray(d + "/two").constData()) == 0;
        }) << QByteArray() << QByteArray() << false;
        QTest::newRow("non-UTF-8 name") << Maker(
            [](const QByteArray &d) { return writeFile(d + "/bad\xff", "b", 0644); })
                                        << QByteArray() << QByteArray() << false;
        QTest::newRow("user xattr") << Maker([](const QByteArray &d) {
            return ::mkdir(QByteArray(d + "/u").constData(), 0755) == 0
                && ::setxattr(QByteArray(d + "/u").constData(), "user.overlay.opaque", "y", 1, 0) == 0;
        }) << QByteArray("/u") << QByteArray("user.overlay.opaque")
                                    << false;
        QTest::newRow("trusted overlay xattr (root)") << Maker([](const QByteArray &d) {
            return ::mkdir(QByteArray(d + "/t").constData(), 0755) == 0
                && ::setxattr(QByteArray(d + "/t").constData(), "trusted.overlay.opaque", "y", 1, 0) == 0;
        }) << QByteArray("/t") << QByteArray("trusted.overlay.opaque")
                                                      << true;
    }

    void copiesEveryKindOfEntry()
    {
        QFETCH(Maker, make);
        QFETCH(QByteArray, xattrPath);
        QFETCH(QByteArray, xattrName);
        QFETCH(bool, needsRoot);
        STRATA_REQUIRE(!needsRoot || ::geteuid() == 0, "needs root");
        QTemporaryDir tmp;
        const QByteArray from = QFile::encodeName(tmp.filePath(QStringLiteral("from")));
        const QByteArray to = QFile::encodeName(tmp.filePath(QStringLiteral("to")));
        QVERIFY(::mkdir(from.constData(), 0755) == 0 && ::mkdir(to.constData(), 0755) == 0);
        QVERIFY(make(from));
        const QByteArray before = test::fingerprint(QFile::decodeName(from));
        QVERIFY2(TreeCopy::copyContents(from, to).ok(), "copy");
        QCOMPARE(test::fingerprint(QFile::decodeName(to)), before);
        QCOMPARE(test::fingerprint(QFile::decodeName(from)), before); // the source is left as it was
        if (!xattrPath.isEmpty())
            QCOMPARE(xattr(to + xattrPath, xattrName.constData()), xattr(from + xattrPath, xattrName.constData()));
        struct stat a {
        };
        struct stat b {
        };
        if (::lstat(QByteArray(to + "/one").constData(), &a) == 0
            && ::lstat(QByteArray(to + "/two").constData(), &b) == 0)
            QCOMPARE(a.st_ino, b.st_ino);
        QVERIFY(TreeCopy::clearContents(to).ok());
        QVERIFY(
            QDir(QFile::decodeName(to)).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System));
    }

    void errorsNameThePath()
    {
        QTemporaryDir tmp;
        const Status s = TreeCopy::copyContents(
            QFile::encodeName(tmp.filePath(QStringLiteral("missing"))), QFile::encodeName(tmp.path()));
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, ENOENT);
        QVERIFY(s.error().message.contains(QStringLiteral("missing")));
    }

    void snapshotPutsTheUppersBack()
    {
        QTemporaryDir tmp;
        auto ws = Scenario::create(QStringLiteral("stacked"), tmp.filePath(QStringLiteral("s")));
        QVERIFY(ws.ok());
        QStringList uppers;
        QList<QByteArray> before;
        for (const OverlaySpec &o : ws->overlays()) {
            uppers << o.upper;
            before << test::fingerprint(o.upper);
        }
        auto snap = StackSnapshot::take(*ws, tmp.filePath(QStringLiteral("snap")));
        QVERIFY2(snap.ok(), snap.ok() ? "" : qPrintable(snap.error().message));
        // What a lesson step does to the uppers: new files, a whiteout, a removed original.
        QVERIFY(writeFile(QFile::encodeName(uppers.at(0)) + "/new.txt", "n", 0644));
        QVERIFY(::mknod(QByteArray(QFile::encodeName(uppers.at(1)) + "/wh").constData(), S_IFCHR, makedev(0, 0)) == 0);
        QVERIFY(QFile::remove(uppers.at(0) + QStringLiteral("/base_image/common.txt")));
        QVERIFY(snap->restore(*ws).ok());
        for (qsizetype i = 0; i < uppers.size(); ++i)
            QCOMPARE(test::fingerprint(uppers.at(i)), before.at(i));
        QVERIFY(!StackSnapshot::take(*ws, tmp.filePath(QStringLiteral("snap"))).ok()); // never over another
    }
};

QTEST_GUILESS_MAIN(TestTreeCopy)
#include "tst_treecopy.moc"
