// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storecontainer.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// A container of a containerd namespace (meta.db containers/<id>): its image, and its active
/// snapshot as the upper directory over the snapshot's parents. It has no init layer.
struct ContainerdContainer : StoreContainer {
    QString snapshotter; ///< "overlayfs" is the one read
    QString snapshotKey; ///< the user key of its active snapshot
    QString snapshotName; ///< that snapshot's name in the snapshotter's metadata.db
    QString snapshotId; ///< its directory number: the upper is snapshots/<id>/fs
    QStringList lowerIds; ///< the parents' directory numbers, top first
    QString runtime;
};

} // namespace strata
