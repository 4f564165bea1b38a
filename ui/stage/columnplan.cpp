// SPDX-License-Identifier: GPL-2.0-or-later
#include "columnplan.h"

#include "core/stack/workspace.h"
#include "ui/common/mergedtreemodel.h"

namespace strata
{

QList<LayerColumns::Column> ColumnPlan::forOverlay(const Workspace &workspace, int overlay, const MergeLayers &layers)
{
    const OverlaySpec &spec = workspace.overlays().at(overlay);
    const MergeOptions options = spec.options.mergeOptions();
    QList<LayerColumns::Column> columns;
    int lowerNo = 0;
    for (auto it = layers.crbegin(); it != layers.crend(); ++it) {
        if (it->role != LayerRole::Lower)
            continue;
        const QString via = it->viaOverlay.isEmpty() ? QString() : tr(" (via %1)").arg(it->viaOverlay);
        columns.append(
            {tr("lower %1: %2%3").arg(++lowerNo).arg(it->name, via), {*it}, options, LayerRole::Lower, it->name});
    }
    if (spec.hasUpper()) {
        columns.append({tr("upper: %1").arg(workspace.displayPath(spec.upper)),
            {layers.first()},
            options,
            LayerRole::Upper,
            layers.first().name});
        const MergeLayer work {spec.work, workspace.displayPath(spec.work), LayerRole::Upper, {}, {}};
        columns.append({tr("work: %1").arg(work.name), {work}, options, LayerRole::Work, work.name});
    }
    const QString mountpoint = workspace.displayPath(spec.mountpoint);
    columns.append({tr("merged: %1").arg(mountpoint), layers, options, LayerRole::Merged, mountpoint, true});
    return columns;
}

QList<LayerColumns::Column> ColumnPlan::forLayers(const MergeLayers &layers, const MergeOptions &options)
{
    QList<LayerColumns::Column> columns;
    for (auto it = layers.crbegin(); it != layers.crend(); ++it)
        columns.append({it->name, {*it}, options, it->role, it->name}); // a container's upper is its upper
    columns.append({tr("merged (read-only)"), layers, options, LayerRole::Merged, QString(), true});
    return columns;
}

QList<StackDiagram::Plane> ColumnPlan::planes(const QList<LayerColumns::Column> &columns)
{
    const MergeLayers all = columns.isEmpty() ? MergeLayers() : columns.last().layers;
    QList<StackDiagram::Plane> planes;
    for (const LayerColumns::Column &c : columns) {
        StackDiagram::Plane plane;
        plane.name = c.layer;
        plane.role = c.role;
        if (c.role == LayerRole::Merged && plane.name.isEmpty())
            plane.name = tr("read-only view");
        for (qsizetype i = 0; i < all.size() && c.role != LayerRole::Work && c.role != LayerRole::Merged; ++i) {
            if (all.at(i).name != c.layer)
                continue;
            plane.colour = MergedTreeModel::layerColor(
                static_cast<int>(i), static_cast<int>(all.size()), all.at(i).role == LayerRole::Upper);
            plane.via = all.at(i).viaOverlay;
        }
        planes << plane;
    }
    return planes;
}

} // namespace strata
