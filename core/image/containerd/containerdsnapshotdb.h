// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerd/boltbucket.h"
#include "core/image/containerd/containerdsnapshot.h"
#include "core/image/storeproblem.h"

#include <QHash>
#include <QString>

namespace strata
{

/// The overlayfs snapshotter's own database (io.containerd.snapshotter.v1.overlayfs/
/// metadata.db; containerd core/snapshots/storage/bolt.go): every snapshot by its name.
class ContainerdSnapshotDb final
{
public:
    /// The snapshots of the tree `root` of the file `path` (named in the problems).
    [[nodiscard]] static QHash<QString, ContainerdSnapshot> parse(
        const BoltBucket &root, const QString &path, StoreProblems &problems);
};

} // namespace strata
