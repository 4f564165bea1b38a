// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storelayerkind.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace strata
{

class LayerSource;

/// One directory of layer files in a store, with who uses it: what `find` and `grep` walk.
struct StoreDir {
    StoreLayerKind kind = StoreLayerKind::Image;
    QString cacheId; ///< the store's name for it (see StoreLayer::cacheId)
    QString dir; ///< the layer's directory (<root>/overlay2/<cache-id>)
    QString diffDir; ///< its files (<root>/overlay2/<cache-id>/diff)
    QString name; ///< for people: "layer 2 (9c1d…)", "upper (3f2a…)", "9c1d…" for an unused one
    QString createdBy; ///< for an image layer: the instruction that made it, when known
    QStringList images; ///< ImageStore::imagesUsing
    QString container; ///< for a container's read-write or init layer: its name
    /// Where the files are read from when they are no directory (a layer tar of an archive):
    /// diffDir then only names the layer.
    std::shared_ptr<const LayerSource> source {};
};

} // namespace strata
