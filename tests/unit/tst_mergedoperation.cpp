// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/events/mergedoperation.h"
#include "core/util/filename.h"
#include "tests/support/datatable.h"

#include <QTest>

#include <cerrno>

using namespace strata;

class TestMergedOperation final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseLine_data()
    {
        // args: empty: refused
        strata::test::addColumns<QString, QStringList>("line", "args");
        QTest::newRow("plain") << QStringLiteral("rm /base_image/common.txt")
                               << QStringList {QStringLiteral("rm"), QStringLiteral("/base_image/common.txt")};
        QTest::newRow("write: the rest is the text")
            << QStringLiteral("write /a/b some text here")
            << QStringList {QStringLiteral("write"), QStringLiteral("/a/b"), QStringLiteral("some text here")};
        QTest::newRow("append one word") << QStringLiteral("append /base_image/second_instruction.txt hi")
                                         << QStringList {QStringLiteral("append"),
                                                QStringLiteral("/base_image/second_instruction.txt"),
                                                QStringLiteral("hi")};
        QTest::newRow("quoted path with a space") << QStringLiteral(
            "mv \"/a b\" '/c d'") << QStringList {QStringLiteral("mv"), QStringLiteral("/a b"), QStringLiteral("/c d")};
        QTest::newRow("quoted text keeps its spaces")
            << QStringLiteral("write /x \"two  spaces\"")
            << QStringList {QStringLiteral("write"), QStringLiteral("/x"), QStringLiteral("two  spaces")};
        QTest::newRow("empty text") << QStringLiteral("write /x \"\"")
                                    << QStringList {QStringLiteral("write"), QStringLiteral("/x"), QString()};
        QTest::newRow("backslash-escaped space")
            << QStringLiteral("rm /a\\ b") << QStringList {QStringLiteral("rm"), QStringLiteral("/a b")};
        QTest::newRow("too many words for mv") << QStringLiteral("mv /a /b /c") << QStringList();
        QTest::newRow("unknown verb") << QStringLiteral("fly /a") << QStringList();
        QTest::newRow("nothing") << QStringLiteral("   ") << QStringList();
        // Numbers are digits only (fuzz: "utimes 17000\\<NUL>00s" passed as 17000, and the shell
        // equivalent showed the NUL raw).
        QTest::newRow("a NUL inside a number (fuzz)")
            << QStringLiteral("utimes 17000\\") + QChar(0) + QStringLiteral("00s /a") << QStringList();
        QTest::newRow("a newline after a number") << QStringLiteral("truncate /a '4\n'") << QStringList();
        QTest::newRow("blanks around a mode") << QStringLiteral("chmod ' 644' /a") << QStringList();
        QTest::newRow("blanks in an owner") << QStringLiteral("chown '0 :0' /a") << QStringList();
        QTest::newRow("a negative time") << QStringLiteral(
            "utimes -5 /a") << QStringList {QStringLiteral("utimes"), QStringLiteral("-5"), QStringLiteral("/a")};
    }

    void parseLine()
    {
        QFETCH(QString, line);
        QFETCH(QStringList, args);
        const auto op = MergedOperation::parseLine(line);
        if (args.isEmpty()) {
            QVERIFY(!op.ok());
            QVERIFY(!op.error().message.isEmpty());
            return;
        }
        QVERIFY2(op.ok(), op.ok() ? "" : qPrintable(op.error().message));
        QCOMPARE(QStringList {op->verb()} + op->args(), args);
    }

    // Every number is whole and in range, or the edit is refused (not read as 0).
    void numbers_data()
    {
        // number: truncate/utimes/chmod; chown: uid * 2^32 + gid
        strata::test::addColumns<QStringList, bool, qint64>("args", "accepted", "number");
        const auto row = [](const char *name, const QString &line, bool accepted, qint64 number = 0) {
            QTest::newRow(name) << line.split(QLatin1Char(' ')) << accepted << number;
        };
        row("truncate 0", QStringLiteral("truncate /f 0"), true, 0);
        row("truncate big", QStringLiteral("truncate /f 9223372036854775807"), true, 9223372036854775807LL);
        row("truncate abc", QStringLiteral("truncate /f abc"), false);
        row("truncate 1.5", QStringLiteral("truncate /f 1.5"), false);
        row("truncate -1", QStringLiteral("truncate /f -1"), false);
        row("truncate +5", QStringLiteral("truncate /f +5"), false);
        row("truncate huge", QStringLiteral("truncate /f 99999999999999999999"), false);
        row("truncate empty", QStringLiteral("truncate /f "), false);
        row("utimes negative", QStringLiteral("utimes -86400 /f"), true, -86400);
        row("utimes 1.5", QStringLiteral("utimes 1.5 /f"), false);
        row("utimes abc", QStringLiteral("utimes abc /f"), false);
        row("utimes huge", QStringLiteral("utimes 9223372036854775808 /f"), false);
        row("chmod 755", QStringLiteral("chmod 755 /f"), true, 0755);
        row("chmod 4755", QStringLiteral("chmod 4755 /f"), true, 04755);
        row("chmod 8", QStringLiteral("chmod 8 /f"), false);
        row("chmod 77777", QStringLiteral("chmod 77777 /f"), false);
        row("chmod -1", QStringLiteral("chmod -1 /f"), false);
        row("chmod 0x7", QStringLiteral("chmod 0x7 /f"), false);
        row("chown 0:0", QStringLiteral("chown 0:0 /f"), true, 0);
        row("chown max", QStringLiteral("chown 4294967295:7 /f"), true, (qint64(4294967295) << 32) + 7);
        row("chown over", QStringLiteral("chown 4294967296:0 /f"), false);
        row("chown a:b", QStringLiteral("chown a:b /f"), false);
        row("chown 1:2:3", QStringLiteral("chown 1:2:3 /f"), false);
        row("chown +1:0", QStringLiteral("chown +1:0 /f"), false);
        row("chown -1:0", QStringLiteral("chown -1:0 /f"), false);
        row("chown 1.5:0", QStringLiteral("chown 1.5:0 /f"), false);
    }

    void numbers()
    {
        QFETCH(QStringList, args);
        QFETCH(bool, accepted);
        QFETCH(qint64, number);
        const auto op = MergedOperation::parse(args);
        QCOMPARE(op.ok(), accepted);
        if (!accepted) {
            QVERIFY(op.error().message.contains(args.at(args.first() == QLatin1String("truncate") ? 2 : 1)));
            return;
        }
        if (args.first() == QLatin1String("chown"))
            QCOMPARE((qint64(op->uid()) << 32) + op->gid(), number);
        else
            QCOMPARE(op->number(), number);
    }

    // Path arguments keep the bytes argv had (decodeFileName()), text arguments stay text.
    void pathBytes_data()
    {
        strata::test::addColumns<QList<QByteArray>, QList<QByteArray>, QByteArray>("argv", "paths", "path");
        QTest::newRow("rm, not UTF-8") << QList<QByteArray> {"rm", "/bad\xff"} << QList<QByteArray> {"/bad\xff"}
                                       << QByteArray("/bad\xff");
        QTest::newRow("a real U+FFFD stays itself")
            << QList<QByteArray> {"rm", "/bad\xef\xbf\xbd"} << QList<QByteArray> {"/bad\xef\xbf\xbd"}
            << QByteArray("/bad\xef\xbf\xbd");
        QTest::newRow("mv: both") << QList<QByteArray> {"mv", "/a\x80", "/b\xc3"}
                                  << QList<QByteArray> {"/a\x80", "/b\xc3"} << QByteArray("/a\x80");
        QTest::newRow("ln-s: target and path") << QList<QByteArray> {"ln-s", "t\xfe", "/l\xfd"}
                                               << QList<QByteArray> {"t\xfe", "/l\xfd"} << QByteArray("/l\xfd");
        QTest::newRow("chmod: the path is second") << QList<QByteArray> {"chmod", "644", "/\xe9t\xe9"}
                                                   << QList<QByteArray> {"/\xe9t\xe9"} << QByteArray("/\xe9t\xe9");
        QTest::newRow("setxattr: the path is third") << QList<QByteArray> {"setxattr", "user.x", "v", "/\x81"}
                                                     << QList<QByteArray> {"/\x81"} << QByteArray("/\x81");
        QTest::newRow("write: the text is not a path")
            << QList<QByteArray> {"write", "/w\xff", "text"} << QList<QByteArray> {"/w\xff"} << QByteArray("/w\xff");
        QTest::newRow("UTF-8 and a character above U+FFFF")
            << QList<QByteArray> {"touch", "/\xc3\xa9\xf0\x9f\x98\x80"}
            << QList<QByteArray> {"/\xc3\xa9\xf0\x9f\x98\x80"} << QByteArray("/\xc3\xa9\xf0\x9f\x98\x80");
    }

    void pathBytes()
    {
        QFETCH(QList<QByteArray>, argv);
        QFETCH(QList<QByteArray>, paths);
        QFETCH(QByteArray, path);
        QStringList args;
        for (const QByteArray &a : argv)
            args << decodeFileName(a);
        const auto op = MergedOperation::parse(args);
        QVERIFY2(op.ok(), op.ok() ? "" : qPrintable(op.error().message));
        QCOMPARE(op->paths(), paths);
        QCOMPARE(op->path(), path);
    }

    // EROFS from an overlay that has an upper layer is not "it has no upper layer".
    void readOnlyExplained_data()
    {
        strata::test::addColumns<bool, QString, QString>("hasUpper", "says", "neverSays");
        QTest::newRow("no upper") << false << QStringLiteral("has no upper layer") << QStringLiteral("concurrent");
        QTest::newRow("an upper, mounted read-only")
            << true << QStringLiteral("mounted the overlay read-only") << QStringLiteral("no upper layer");
    }

    void readOnlyExplained()
    {
        QFETCH(bool, hasUpper);
        QFETCH(QString, says);
        QFETCH(QString, neverSays);
        const QString text = MergedOperation::explainError(QStringLiteral("write"), EROFS, hasUpper);
        QVERIFY2(text.contains(says), qPrintable(text));
        QVERIFY2(!text.contains(neverSays), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestMergedOperation)
#include "tst_mergedoperation.moc"
