// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

namespace strata::test
{

/// Raises this process's soft limit of open files to the hard one, as the mains do: deep
/// trees over many layers keep a descriptor per layer per level open, per thread. The core
/// never changes the limit itself.
void raiseFileLimit();

} // namespace strata::test

/// QTEST_GUILESS_MAIN for tests that build merged trees: the file limit raised first.
#define STRATA_TEST_MAIN(TestObject)                                                                                   \
    int main(int argc, char *argv[])                                                                                   \
    {                                                                                                                  \
        strata::test::raiseFileLimit();                                                                                \
        QCoreApplication app(argc, argv);                                                                              \
        TestObject tc;                                                                                                 \
        QTEST_SET_MAIN_SOURCE_PATH                                                                                     \
        return QTest::qExec(&tc, argc, argv);                                                                          \
    }
