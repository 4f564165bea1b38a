// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerchange.h"
#include "core/image/storecontainer.h"
#include "core/util/result.h"

#include <QStringList>
#include <QVector>

namespace strata
{

class ImageStore;
class ScanControl;

/// What `docker diff CTR` prints, computed from the layer directories without mounting, for a
/// container of any store.
///
/// Docker's overlay2 driver answers `docker diff` with its "naive" diff (graphdriver
/// NaiveDiffDriver.Changes, pkg/archive ChangesDirs): it mounts the container's layer and its
/// parent, the init layer (init + image layers), and compares the two trees entry by entry.
/// So the init layer's files (/etc/hosts, /.dockerenv, ...) are never reported unless the
/// container changed them. Here the two trees are the merged views of the container's stack
/// with and without its read-write layer (ImageStore::containerStack), computed by MergedTree
/// with the store's lookup options, and entries are compared by the same rules.
class ContainerDiff final
{
public:
    struct Output {
        QVector<ContainerChange> changes; ///< sorted by path
        QStringList warnings; ///< e.g. "trusted.* xattrs not readable" (not root)
    };

    /// `container` is a record of `store`.
    [[nodiscard]] static Result<Output> compute(
        const ImageStore &store, const StoreContainer &container, ScanControl *control = nullptr);
    [[nodiscard]] static Result<Output> compute(
        const ImageStore &store, qsizetype container, ScanControl *control = nullptr);
};

} // namespace strata
