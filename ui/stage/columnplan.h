// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergelayer.h"
#include "core/merge/mergeoptions.h"
#include "ui/stage/layercolumns.h"
#include "ui/stage/stackdiagram.h"

#include <QCoreApplication>
#include <QList>

namespace strata
{

class Workspace;

/// Which columns the stage shows, left to right, and the diagram's planes that match them.
class ColumnPlan final
{
    Q_DECLARE_TR_FUNCTIONS(ColumnPlan)
public:
    /// An overlay of a workspace: its lowers from the bottom one up, upper, work, merged.
    /// `layers` are its merge layers (Workspace::mergeLayers), top first.
    [[nodiscard]] static QList<LayerColumns::Column> forOverlay(
        const Workspace &workspace, int overlay, const MergeLayers &layers);
    /// A read-only stack (an image, a container): its layers bottom first, then the merged view.
    [[nodiscard]] static QList<LayerColumns::Column> forLayers(const MergeLayers &layers, const MergeOptions &options);
    /// One plane per column, bottom first, so that plane and column indexes are the same.
    [[nodiscard]] static QList<StackDiagram::Plane> planes(const QList<LayerColumns::Column> &columns);
};

} // namespace strata
