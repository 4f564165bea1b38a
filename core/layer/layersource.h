// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/layerdir.h"
#include "core/layer/tarreader.h"
#include "core/util/result.h"

#include <QStringList>

#include <functional>
#include <memory>

namespace strata
{

class ScanControl;

/// Where a merge layer's files come from when they are not a directory on disk (MergeLayer
/// without a source is its path): a layer tar inside an image archive. MergedTree::build
/// loads every source (in parallel) before it merges, and lets go of what was loaded when it
/// is done: a source keeps nothing itself.
class LayerSource
{
public:
    struct Loaded {
        std::shared_ptr<LayerDir> root;
        /// What reading found wrong without failing (a digest that does not match, a refused
        /// entry), each naming the layer.
        QStringList warnings;
    };

    /// Each member as the layer holds it, with its data, while the layer is read: what
    /// `grep` looks into, so that a layer is read once and nothing of its data is kept.
    using FileVisitor = std::function<void(const TarEntry &, TarReader::Data &)>;

    virtual ~LayerSource() = default;

    /// Reads the layer. Thread-safe.
    [[nodiscard]] virtual Result<Loaded> load(ScanControl *control) const = 0;
    /// The same, handing every member and its data to `files` on the way.
    [[nodiscard]] virtual Result<Loaded> loadWithData(ScanControl *control, const FileVisitor &files) const = 0;
    /// The directory the layer's files are in, when they are in one (a directory read through
    /// a translation, as Podman's AUFS-form whiteouts are): grep then reads the files there
    /// and loadWithData() hands none over. Empty for a tar.
    [[nodiscard]] virtual QString directory() const { return {}; }

protected:
    LayerSource() = default;
    LayerSource(const LayerSource &) = default;
    LayerSource &operator=(const LayerSource &) = default;
};

} // namespace strata
