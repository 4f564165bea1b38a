// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "tests/support/privatemountns.h" // inCi()

#include <QTest>

/// Skips the current test when `condition` does not hold on this machine, or fails it under
/// CI=true, where every test must run. `why` is a string literal: what the test needs.
#define STRATA_REQUIRE(condition, why)                                                                                 \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            if (strata::test::inCi())                                                                                  \
                QFAIL("CI=true: " why);                                                                                \
            QSKIP(why);                                                                                                \
        }                                                                                                              \
    } while (false)
