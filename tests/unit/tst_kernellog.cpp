// SPDX-License-Identifier: GPL-2.0-or-later
// KernelLog keeps the overlay lines of its own mount: a record another thread logged (the
// kernel names it with CONFIG_PRINTK_CALLER) is not ours, and while one KernelLog reads, no
// other Stratascope mount runs (without the caller field, the lines cannot be told apart).
#include "core/mount/kernellog.h"
#include "core/util/background.h"
#include "tests/support/datatable.h"
#include "tests/support/require.h"

#include <QElapsedTimer>
#include <QTest>

#include <memory>

using namespace strata;

class TestKernelLog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void overlayMessage_data()
    {
        strata::test::addColumns<QByteArray, long, bool, QString>("record", "thread", "kept", "message");
        const QString conflict = QStringLiteral("conflicting lowerdir path");
        QTest::newRow("no caller field: kept")
            << QByteArray("3,812,9174,-;overlayfs: conflicting lowerdir path\n") << 42L << true << conflict;
        QTest::newRow("our thread") << QByteArray("3,812,9174,-,caller=T42;overlayfs: conflicting lowerdir path\n")
                                    << 42L << true << conflict;
        QTest::newRow("another thread: another mount's line")
            << QByteArray("3,812,9174,-,caller=T4242;overlayfs: conflicting lowerdir path\n") << 42L << false
            << QString();
        QTest::newRow("a thread whose id starts like ours")
            << QByteArray("3,812,9174,-,caller=T421;overlayfs: conflicting lowerdir path\n") << 42L << false
            << QString();
        QTest::newRow("logged in an interrupt (C: a CPU)")
            << QByteArray("4,813,9175,-,caller=C1;overlayfs: upper fs does not support tmpfile.\n") << 42L << false
            << QString();
        QTest::newRow("our thread unknown (another PID namespace): kept")
            << QByteArray("4,813,9175,-,caller=T7;overlay: lowerdir is in-use as upperdir/workdir\n") << -1L << true
            << QStringLiteral("lowerdir is in-use as upperdir/workdir");
        QTest::newRow("continuation lines are not the message")
            << QByteArray("4,814,9176,-,caller=T42;overlayfs: failed to set xattr\n SUBSYSTEM=overlay\n") << 42L << true
            << QStringLiteral("failed to set xattr");
        QTest::newRow("not about overlayfs")
            << QByteArray("6,815,9177,-,caller=T42;EXT4-fs (sda1): mounted\n") << 42L << false << QString();
        QTest::newRow("no header") << QByteArray("overlayfs: x\n") << 42L << false << QString();
    }

    void overlayMessage()
    {
        QFETCH(QByteArray, record);
        QFETCH(long, thread);
        QFETCH(bool, kept);
        QFETCH(QString, message);
        const auto m = KernelLog::overlayMessage(record, thread);
        QCOMPARE(m.has_value(), kept);
        if (kept)
            QCOMPARE(*m, message);
    }

    // A second reader (another mount, in this process or another) waits for the first.
    void readersTakeTurns()
    {
        auto first = std::make_unique<KernelLog>();
        STRATA_REQUIRE(first->isAvailable(), "/dev/kmsg must be readable (root)");
        QElapsedTimer clock;
        clock.start();
        QFuture<qint64> second = runInBackground([&clock] {
            const KernelLog log;
            return clock.elapsed();
        });
        QTest::qWait(300);
        QVERIFY(!second.isFinished());
        first.reset();
        second.waitForFinished();
        QVERIFY(second.result() >= 300);
    }
};

QTEST_GUILESS_MAIN(TestKernelLog)
#include "tst_kernellog.moc"
