// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storelayer.h"

#include <QString>

namespace strata
{

/// One layer of a containerd image: its committed snapshot (user key = chain ID) and the
/// snapshotter's name and directory for it (cacheId is the directory's number).
struct ContainerdLayer : StoreLayer {
    QString snapshotName; ///< in the snapshotter's metadata.db: "<namespace>/<seq>/<chain ID>"
    QString kind; ///< the snapshot's kind, "committed" for a layer
};

} // namespace strata
