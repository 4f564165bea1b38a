// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/self/mountinfo as the kernel writes it (octal escapes, overlay's own escapes in the
// layer strings), and what the kernel's refusals are said to mean.
#include "core/mount/kernelmounter.h"
#include "core/mount/mountinfo.h"
#include "core/util/filename.h"
#include "tests/support/datatable.h"

#include <QTest>

#include <cerrno>

using namespace strata;

class TestMountInfo final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void overlayLayers_data()
    {
        strata::test::addColumns<QByteArray, QStringList, QString, QString, QStringList>(
            "line", "lowers", "upper", "work", "others");
        const QString odd = QStringLiteral("/t/l a,b c:d\\e");
        // mount(8): one lowerdir string, with the \, \: \\ a user types, octal-escaped.
        QTest::newRow("lowerdir= with a comma, space, colon and backslash")
            << QByteArray("131 105 0:50 / /t/m rw,relatime - overlay overlay rw,lowerdir=/t/l\\040a\\134\\054b\\040c"
                          "\\134:d\\134\\134e:/t/l2,upperdir=/t/u,workdir=/t/w,uuid=on")
            << QStringList {odd, QStringLiteral("/t/l2")} << QStringLiteral("/t/u") << QStringLiteral("/t/w")
            << QStringList {QStringLiteral("uuid=on")};
        // The new mount API (what Stratascope does): one lowerdir+ each, as it is.
        QTest::newRow("lowerdir+ with a comma, space, colon and backslash")
            << QByteArray("131 105 0:50 / /t/m rw - overlay overlay rw,lowerdir+=/t/l\\040a\\054b\\040c:d\\134e,"
                          "lowerdir+=/t/l2,upperdir=/t/u\\134\\134x,workdir=/t/w,redirect_dir=on")
            << QStringList {odd, QStringLiteral("/t/l2")} << QStringLiteral("/t/u\\x") << QStringLiteral("/t/w")
            << QStringList {QStringLiteral("redirect_dir=on")};
        QTest::newRow("data-only layers")
            << QByteArray("1 2 0:5 / /m rw - overlay overlay rw,lowerdir=/a:/b::/d,upperdir=/u,workdir=/w")
            << QStringList {QStringLiteral("/a"), QStringLiteral("/b")} << QStringLiteral("/u") << QStringLiteral("/w")
            << QStringList {};
        QTest::newRow("a name that is not UTF-8")
            << QByteArray("1 2 0:5 / /m rw - overlay overlay ro,lowerdir+=/l\xff,lowerdir+=/k,userxattr")
            << QStringList {decodeFileName("/l\xff"), QStringLiteral("/k")} << QString() << QString()
            << QStringList {QStringLiteral("userxattr")};
    }

    void overlayLayers()
    {
        QFETCH(QByteArray, line);
        QFETCH(QStringList, lowers);
        QFETCH(QString, upper);
        QFETCH(QString, work);
        QFETCH(QStringList, others);
        const QList<MountInfo::Entry> entries = MountInfo::parse(line + '\n');
        QCOMPARE(entries.size(), 1);
        const MountInfo::Entry &e = entries.first();
        QVERIFY(e.isOverlay());
        QCOMPARE(e.lowerDirs, lowers);
        QCOMPARE(e.upperDir, upper);
        QCOMPARE(e.workDir, work);
        QCOMPARE(e.otherOptions, others);
    }

    void mountPointBytes()
    {
        const auto entries = MountInfo::parse("1 2 0:5 / /a\\040b/\xe9 rw - overlay overlay rw,lowerdir=/x:/y\n");
        QCOMPARE(entries.size(), 1);
        QCOMPARE(encodeFileName(entries.first().mountPoint), QByteArray("/a b/\xe9"));
    }

    void explanation_data()
    {
        strata::test::addColumns<int, QString, QString, QString>("error", "logged", "says", "neverSays");
        QTest::newRow("a directory used twice") << ELOOP << QStringLiteral("conflicting lowerdir path")
                                                << QStringLiteral("used twice") << QStringLiteral("userxattr");
        QTest::newRow("options that conflict")
            << EINVAL << QStringLiteral("conflicting options: userxattr,redirect_dir=on") << QStringLiteral("userxattr")
            << QStringLiteral("used twice");
    }

    void explanation()
    {
        QFETCH(int, error);
        QFETCH(QString, logged);
        QFETCH(QString, says);
        QFETCH(QString, neverSays);
        const QString text = KernelMounter::explain(error, {logged});
        QVERIFY2(text.contains(says), qPrintable(text));
        QVERIFY2(!text.contains(neverSays), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestMountInfo)
#include "tst_mountinfo.moc"
