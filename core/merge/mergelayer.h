// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/layerrole.h"

#include <QString>
#include <QVector>

#include <memory>

namespace strata
{

class LayerSource;

/// One real directory taking part in a merged view, top of the stack first.
struct MergeLayer {
    QString path; ///< absolute path of the layer directory
    QString name; ///< short name for people: the path relative to the workspace, e.g. "upper_layer"
    LayerRole role = LayerRole::Lower; ///< Upper or Lower: the layers a merged view reads
    /// Non-empty when the layer belongs to another overlay whose mountpoint is used as a lower
    /// here (multi-level stacks): the name of that overlay.
    QString viaOverlay;
    /// Where `path` leads when it is a symbolic link (Docker's l/ short links), else empty.
    QString linkTarget;
    /// Set when the layer is not a directory (a layer tar in an image archive): the merge
    /// reads it from here, and `path` only names it.
    std::shared_ptr<const LayerSource> source {};
    /// A data-only lower layer (lowerdir=a::d, datadir+): never looked up by name, only the
    /// data of a metacopy file whose absolute overlay.redirect leads into it.
    bool dataOnly = false;
};

using MergeLayers = QVector<MergeLayer>;

} // namespace strata
