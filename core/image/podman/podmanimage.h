// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storeimage.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// An image of a containers-storage store (overlay-images/images.json): its names, its top
/// layer, and the config read from its big-data file (the key is the config's digest).
struct PodmanImage : StoreImage {
    QString topLayer; ///< the layer ID of its top layer; the others are that layer's parents
    QString manifestDigest; ///< "digest": the manifest's
    QStringList names; ///< as stored ("localhost/x:1"), in the store's order
    QString configFile; ///< overlay-images/<id>/=<base64 of the config digest>
    /// The big-data items' sizes (config, manifests, signatures): `podman images` counts them
    /// in an image's size, with its layers' diff sizes.
    qint64 bigDataSize = 0;
};

} // namespace strata
