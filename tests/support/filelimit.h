// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/filelimit.h"

/// QTEST_GUILESS_MAIN for tests that build merged trees: the file limit raised first.
#define STRATA_TEST_MAIN(TestObject)                                                                                   \
    int main(int argc, char *argv[])                                                                                   \
    {                                                                                                                  \
        strata::raiseFileLimit();                                                                                      \
        QCoreApplication app(argc, argv);                                                                              \
        TestObject tc;                                                                                                 \
        QTEST_SET_MAIN_SOURCE_PATH                                                                                     \
        return QTest::qExec(&tc, argc, argv);                                                                          \
    }
