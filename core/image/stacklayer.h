// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storelayerkind.h"
#include "core/merge/mergelayer.h"

#include <QString>
#include <QVector>

namespace strata
{

/// One directory of an image's or a container's stack, top first, named as the store names
/// it: what a merged view stacks, what `explain` walks, what the panel's chain shows.
struct StackLayer {
    StoreLayerKind kind = StoreLayerKind::Image;
    QString name; ///< "upper (3f2a…)", "init (3f2a…-init)", "layer 2 (9c1d…)"
    QString cacheId; ///< the store's name for the directory (see StoreLayer::cacheId)
    QString diffDir; ///< the directory of files
    QString alias; ///< "l/ABC…" where the driver uses short names (see StoreLayer::alias)
    int imageLayer = -1; ///< index in the image (bottom first) for image layers
    QString createdBy; ///< the instruction that made an image layer, when known
    /// The layer's files when they are no directory (see MergeLayer::source).
    std::shared_ptr<const LayerSource> source {};

    [[nodiscard]] MergeLayer mergeLayer() const
    {
        MergeLayer m;
        m.path = diffDir;
        m.name = name;
        m.role = kind == StoreLayerKind::ReadWrite ? LayerRole::Upper : LayerRole::Lower;
        m.source = source;
        return m;
    }
};

using Stack = QVector<StackLayer>;

} // namespace strata
