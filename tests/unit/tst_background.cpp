// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/util/background.h"
#include "core/util/scancontrol.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace strata;

class TestBackground final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resultArrivesOnTheCallersThread_data()
    {
        QTest::addColumn<int>("workMs");
        QTest::newRow("done before the continuation is attached") << 0;
        QTest::newRow("done later") << 50;
    }

    void resultArrivesOnTheCallersThread()
    {
        QFETCH(int, workMs);
        QThread *worker = nullptr;
        auto future = runInBackground([&worker, workMs] {
            worker = QThread::currentThread();
            QThread::msleep(static_cast<unsigned long>(workMs));
            return std::make_shared<int>(42);
        });
        if (workMs == 0)
            future.waitForFinished(); // the continuation is attached to finished work
        int got = 0;
        QThread *deliveredOn = nullptr;
        continueOn(future, this, [&](const std::shared_ptr<int> &v) {
            got = *v;
            deliveredOn = QThread::currentThread();
        });
        QCOMPARE(got, 0); // never inside continueOn itself
        QTRY_COMPARE(got, 42);
        QCOMPARE(deliveredOn, QThread::currentThread());
        QVERIFY(worker != QThread::currentThread());
    }

    void manyRacesWithTheEnd()
    {
        // Work that ends while its continuation is attached, again and again: each result
        // arrives once (Qt 6.4's .then(context) could run twice, and crash, here).
        constexpr int Rounds = 2000;
        int arrived = 0;
        for (int i = 0; i < Rounds; ++i) {
            auto future = runInBackground([i] { return std::make_shared<int>(i); });
            continueOn(future, this, [&arrived](const std::shared_ptr<int> &) { ++arrived; });
        }
        QTRY_COMPARE_WITH_TIMEOUT(arrived, Rounds, 20000);
        QTest::qWait(20);
        QCOMPARE(arrived, Rounds);
    }

    void cancelStopsTheWork()
    {
        auto control = std::make_shared<ScanControl>();
        auto future = runInBackground([control] {
            int steps = 0;
            while (!control->isCancelled() && steps < 100000) {
                control->addEntries(1);
                QThread::usleep(100);
                ++steps;
            }
            return steps;
        });
        QTRY_VERIFY(control->entries() > 0); // progress is visible while it runs
        control->cancel();
        future.waitForFinished();
        QVERIFY(future.result() < 100000);
    }

    void noContinuationAfterTheContextIsGone()
    {
        std::atomic_bool release {false};
        auto future = runInBackground([&release] {
            while (!release)
                QThread::msleep(1);
        });
        bool called = false;
        {
            QObject context;
            continueOn(future, &context, [&called] { called = true; });
        }
        release = true;
        future.waitForFinished();
        QTest::qWait(50);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestBackground)
#include "tst_background.moc"
