// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storecontainer.h"

#include <QString>

namespace strata
{

/// One Docker container: `containers/<id>/config.v2.json` joined with `layerdb/mounts/<id>/`
/// and its overlay2 directories.
struct DockerContainer : StoreContainer {
    QString mountId; ///< layerdb/mounts/<id>/mount-id: overlay2/<mount-id> is the read-write layer
    QString initId; ///< layerdb/mounts/<id>/init-id
    QString parentChainId; ///< layerdb/mounts/<id>/parent: the image's top layer
    QStringList lowerIds; ///< the overlay2 directory names of lowerDirs, uppermost first
};

} // namespace strata
