// SPDX-License-Identifier: GPL-2.0-or-later
#include "scenariotree.h"

#include "core/stack/scenario.h"
#include "core/stack/workspace.h"

namespace strata::test
{

Result<std::shared_ptr<const MergedTree>> scenarioTree(const QString &scenario, const QString &dir)
{
    auto ws = Scenario::create(scenario, dir);
    if (!ws)
        return ws.error();
    auto layers = ws->mergeLayers(static_cast<int>(ws->overlays().size()) - 1);
    if (!layers)
        return layers.error();
    auto tree = MergedTree::build(*layers, ws->overlays().last().options.mergeOptions());
    if (!tree)
        return tree.error();
    return std::make_shared<const MergedTree>(std::move(tree.value()));
}

void forEachRow(const QAbstractItemModel &model, const std::function<void(const QModelIndex &)> &visit)
{
    const std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
        for (int r = 0; r < model.rowCount(parent); ++r) {
            const QModelIndex idx = model.index(r, 0, parent);
            visit(idx);
            walk(idx);
        }
    };
    walk({});
}

} // namespace strata::test
