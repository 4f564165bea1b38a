// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/events/mergedoperation.h"

#include <QTest>

using namespace strata;

class TestMergedOperation final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseLine_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QStringList>("args"); // empty: refused
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
};

QTEST_GUILESS_MAIN(TestMergedOperation)
#include "tst_mergedoperation.moc"
