// SPDX-License-Identifier: GPL-2.0-or-later
// File names are bytes: decodeFileName/encodeFileName carry any of them through a QString and
// back, printableText shows them without letting them drive the terminal, and parseInteger
// reads numbers strictly.
#include "core/util/filename.h"
#include "core/util/number.h"
#include "tests/support/datatable.h"

#include <QTest>

#include <QFile>
#include <QTemporaryDir>

#include <cerrno>
#include <fcntl.h>
#include <limits>
#include <unistd.h>

using namespace strata;

class TestFileName final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data()
    {
        // escaped: holds bytes that are not UTF-8
        strata::test::addColumns<QByteArray, bool>("bytes", "escaped");
        QTest::newRow("ASCII") << QByteArray("/base_image/common.txt") << false;
        QTest::newRow("UTF-8") << QByteArray("/\xc3\xa9t\xc3\xa9/\xe2\x82\xac") << false;
        QTest::newRow("four bytes") << QByteArray("/\xf0\x9f\x98\x80") << false;
        QTest::newRow("a real U+FFFD") << QByteArray("/bad\xef\xbf\xbd") << false;
        QTest::newRow("0xff") << QByteArray("/bad\xff") << true;
        QTest::newRow("Latin-1") << QByteArray("/\xe9t\xe9") << true;
        QTest::newRow("cut sequence") << QByteArray("/a\xc3") << true;
        QTest::newRow("overlong slash") << QByteArray("/\xc0\xaf") << true;
        QTest::newRow("encoded surrogate") << QByteArray("/\xed\xb3\xbf") << true;
        QTest::newRow("above U+10FFFF") << QByteArray("/\xf4\x90\x80\x80") << true;
        QTest::newRow("escape next to a pair") << QByteArray("\xf0\x90\x80\x80\x80") << true;
        QTest::newRow("control characters") << QByteArray("a\x1b]0;x\x07\n") << false;
        QByteArray all;
        for (int b = 1; b < 256; ++b)
            all += static_cast<char>(b);
        QTest::newRow("every byte") << all << true;
    }

    void roundTrip()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, escaped);
        const QString name = decodeFileName(bytes);
        QCOMPARE(encodeFileName(name), bytes);
        QCOMPARE(hasEscapedBytes(name), escaped);
        if (!escaped)
            QCOMPARE(name, QString::fromUtf8(bytes));
    }

    void printable_data()
    {
        strata::test::addColumns<QByteArray, bool, QString>("bytes", "keepLineBreaks", "shown");
        QTest::newRow("plain") << QByteArray("/a b/\xc3\xa9") << false << QStringLiteral("/a b/\u00e9");
        QTest::newRow("terminal title") << QByteArray("/a\x1b]0;pwned\x07") << false
                                        << QStringLiteral("/a\\x1b]0;pwned\\x07");
        QTest::newRow("CSI as C1") << QByteArray("/\xc2\x9b"
                                                 "2J")
                                   << false << QStringLiteral("/\\u009b2J");
        QTest::newRow("not UTF-8") << QByteArray("/bad\xff") << false << QStringLiteral("/bad\\xff");
        QTest::newRow("a name with a line break")
            << QByteArray("/a\nb\tc\r") << false << QStringLiteral("/a\\x0ab\\x09c\\x0d");
        QTest::newRow("a message keeps its lines")
            << QByteArray("one\n\ttwo\r") << true << QStringLiteral("one\n\ttwo\\x0d");
        QTest::newRow("DEL") << QByteArray("x\x7f") << false << QStringLiteral("x\\x7f");
        QTest::newRow("a pair is a character")
            << QByteArray("\xf0\x90\x82\x80") << false << QString::fromUtf8("\xf0\x90\x82\x80");
    }

    void printable()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, keepLineBreaks);
        QFETCH(QString, shown);
        QCOMPARE(printableText(decodeFileName(bytes), keepLineBreaks), shown);
    }

    void integers_data()
    {
        strata::test::addColumns<QString, qint64, qint64, int, bool, qint64>(
            "text", "min", "max", "base", "ok", "value");
        constexpr qint64 lo = std::numeric_limits<qint64>::min();
        constexpr qint64 hi = std::numeric_limits<qint64>::max();
        QTest::newRow("0") << QStringLiteral("0") << qint64(0) << hi << 10 << true << qint64(0);
        QTest::newRow("max") << QStringLiteral("9223372036854775807") << lo << hi << 10 << true << hi;
        QTest::newRow("min") << QStringLiteral("-9223372036854775808") << lo << hi << 10 << true << lo;
        QTest::newRow("over max") << QStringLiteral("9223372036854775808") << lo << hi << 10 << false << qint64(0);
        QTest::newRow("under min") << QStringLiteral("-9223372036854775809") << lo << hi << 10 << false << qint64(0);
        QTest::newRow("huge") << QStringLiteral("99999999999999999999999") << lo << hi << 10 << false << qint64(0);
        QTest::newRow("-1 where negatives are not")
            << QStringLiteral("-1") << qint64(0) << hi << 10 << false << qint64(0);
        QTest::newRow("above max") << QStringLiteral("2147484") << qint64(0) << qint64(2147483) << 10 << false
                                   << qint64(0);
        QTest::newRow("abc") << QStringLiteral("abc") << lo << hi << 10 << false << qint64(0);
        QTest::newRow("1.5") << QStringLiteral("1.5") << lo << hi << 10 << false << qint64(0);
        QTest::newRow("1e3") << QStringLiteral("1e3") << lo << hi << 10 << false << qint64(0);
        QTest::newRow("blank") << QStringLiteral(" 1") << lo << hi << 10 << false << qint64(0);
        QTest::newRow("plus") << QStringLiteral("+1") << lo << hi << 10 << false << qint64(0);
        QTest::newRow("empty") << QString() << lo << hi << 10 << false << qint64(0);
        QTest::newRow("minus alone") << QStringLiteral("-") << lo << hi << 10 << false << qint64(0);
        QTest::newRow("Arabic-Indic digit") << QStringLiteral("\u0661") << lo << hi << 10 << false << qint64(0);
        QTest::newRow("octal") << QStringLiteral("0755") << qint64(0) << qint64(07777) << 8 << true << qint64(0755);
        QTest::newRow("8 in octal") << QStringLiteral("8") << qint64(0) << qint64(07777) << 8 << false << qint64(0);
    }

    void integers()
    {
        QFETCH(QString, text);
        QFETCH(qint64, min);
        QFETCH(qint64, max);
        QFETCH(int, base);
        QFETCH(bool, ok);
        QFETCH(qint64, value);
        const auto n = parseInteger(text, min, max, base);
        QCOMPARE(n.has_value(), ok);
        if (ok)
            QCOMPARE(*n, value);
    }

    void readsAnyName()
    {
        QTemporaryDir dir;
        const QByteArray name = QFile::encodeName(dir.path()) + "/f\xff";
        const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        QVERIFY(fd >= 0);
        QVERIFY(::write(fd, "data", 4) == 4);
        ::close(fd);
        const auto read = readFileBytes(decodeFileName(name), 3);
        QVERIFY(read.ok());
        QCOMPARE(*read, QByteArray("dat"));
        QCOMPARE(readFileBytes(decodeFileName(QByteArray(name + "x")), 10).error().code, ENOENT);
        QVERIFY(::unlink(name.constData()) == 0); // QTemporaryDir cannot remove it
    }
};

QTEST_GUILESS_MAIN(TestFileName)
#include "tst_filename.moc"
