// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/stack/scenario.h"

#include <QTest>

namespace strata::test
{

/// The columns of a data-driven test in one line, types in order with their names:
/// addColumns<int, QString>("count", "name") is QTest::addColumn<int>("count") and so on.
template<typename... Types, typename... Names>
void addColumns(const Names &...names)
{
    static_assert(sizeof...(Types) == sizeof...(Names), "one name per column type");
    (QTest::addColumn<Types>(names), ...);
}

/// A column "scenario" with one row per built-in scenario, named after it.
inline void scenarioRows()
{
    QTest::addColumn<QString>("scenario");
    for (const QString &s : Scenario::names())
        QTest::newRow(qPrintable(s)) << s;
}

} // namespace strata::test
