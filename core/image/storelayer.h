// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <memory>

namespace strata
{

class LayerSource;

/// One layer of one image, bottom first, joined across the store's records: the config's
/// diff ID and history entry, the computed chain ID, and the directory that holds the files.
struct StoreLayer {
    int index = 0; ///< 0 is the bottom layer
    QString diffId;
    QString chainId;
    /// The store's name for the layer's directory, what JSON calls `cache_id`: overlay2's
    /// cache-id, containerd's snapshot ID, containers-storage's layer ID. Empty when the store
    /// has no record of the layer.
    QString cacheId;
    QString dir; ///< the layer's directory (<root>/overlay2/<cache-id>)
    QString diffDir; ///< the layer's files (<root>/overlay2/<cache-id>/diff): what an overlay stacks
    /// How the driver's lowerdir= names the directory when it uses short names ("l/ABC…" in
    /// overlay2 and containers-storage); empty when it names it by its path.
    QString alias;
    /// How a stack names the layer for people: "layer 2 (3f2a…)".
    QString name;
    qint64 size = -1;
    int historyIndex = -1; ///< into the image's history, -1 when unknown
    QString createdBy; ///< the instruction that made the layer, cleaned up (CreatedBy::clean)
    QString createdByRaw;
    QStringList problems;
    /// Where the files are read from when they are not in diffDir (a layer tar of an archive).
    std::shared_ptr<const LayerSource> source {};
};

} // namespace strata
