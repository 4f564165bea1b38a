// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "tests/support/filelimit.h"

#include <QString>

namespace strata::test
{

/// Moves the process into a private mount namespace, so every mount a test makes disappears
/// with the process, whatever happens. Call first thing in main(), before any thread exists.
/// Returns an empty string on success, else why it could not.
QString enterPrivateMountNamespace();

/// True when the environment says CI=true: then a test that lacks a privilege must fail,
/// not skip.
bool inCi();

} // namespace strata::test

/// main() for tests that mount: private mount namespace first, the file limit raised, then
/// QtTest. Without the privilege, every test function skips (or fails under CI=true) with the
/// reason.
#define STRATA_MOUNT_TEST_MAIN(TestObject)                                                                             \
    int main(int argc, char *argv[])                                                                                   \
    {                                                                                                                  \
        const QString nsError = strata::test::enterPrivateMountNamespace();                                            \
        strata::raiseFileLimit();                                                                                      \
        QCoreApplication app(argc, argv);                                                                              \
        TestObject tc;                                                                                                 \
        tc.setMountUnavailableReason(nsError);                                                                         \
        QTEST_SET_MAIN_SOURCE_PATH                                                                                     \
        return QTest::qExec(&tc, argc, argv);                                                                          \
    }

#include <QObject>

namespace strata::test
{

/// Base of test objects whose tests mount: knows why mounting is impossible, if it is.
class MountTest : public QObject
{
public:
    void setMountUnavailableReason(const QString &reason) { m_mountUnavailable = reason; }

protected:
    QString m_mountUnavailable;
};

} // namespace strata::test

/// Skips (or fails under CI=true) the current test when this process cannot mount.
#define STRATA_REQUIRE_MOUNT()                                                                                         \
    do {                                                                                                               \
        if (!m_mountUnavailable.isEmpty()) {                                                                           \
            if (strata::test::inCi())                                                                                  \
                QFAIL(qPrintable(QStringLiteral("CI=true and mounting is impossible: ") + m_mountUnavailable));        \
            QSKIP(qPrintable(m_mountUnavailable));                                                                     \
        }                                                                                                              \
    } while (0)

/// The main() of a test with windows that mounts: in a private mount namespace (its mounts
/// vanish with the process, whatever happens), the reason handed over when it cannot mount.
#define STRATA_MOUNT_GUI_TEST_MAIN(TestClass)                                                                          \
    int main(int argc, char *argv[])                                                                                   \
    {                                                                                                                  \
        const QString nsError = strata::test::enterPrivateMountNamespace();                                            \
        QApplication app(argc, argv);                                                                                  \
        TestClass tc;                                                                                                  \
        tc.setMountUnavailableReason(nsError);                                                                         \
        QTEST_SET_MAIN_SOURCE_PATH                                                                                     \
        return QTest::qExec(&tc, argc, argv);                                                                          \
    }
