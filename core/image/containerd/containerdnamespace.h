// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

namespace strata
{

/// One namespace of a containerd root (meta.db v1/<name>) and how much it holds.
struct ContainerdNamespace {
    QString name;
    int images = 0; ///< image names
    int containers = 0;
    int snapshots = 0; ///< of every snapshotter
    int blobs = 0; ///< content store entries
};

} // namespace strata
