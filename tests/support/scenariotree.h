// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergedtree.h"
#include "core/util/result.h"

#include <QAbstractItemModel>
#include <QString>

#include <functional>
#include <memory>

namespace strata::test
{

/// A built-in scenario created in `dir`, and the merged view of its top overlay.
[[nodiscard]] Result<std::shared_ptr<const MergedTree>> scenarioTree(const QString &scenario, const QString &dir);

/// Calls `visit` for every row of `model` (column 0), parents before their children.
void forEachRow(const QAbstractItemModel &model, const std::function<void(const QModelIndex &)> &visit);

} // namespace strata::test
