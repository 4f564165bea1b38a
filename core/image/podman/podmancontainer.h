// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storecontainer.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// A container of a containers-storage store (overlay-containers/containers.json): its own
/// layer is the upper directory, the image's layers (its parents) the lowers. It has no init
/// layer.
struct PodmanContainer : StoreContainer {
    QString layerId; ///< its read-write layer: overlay/<layerId>/diff is the upper
    QStringList lowerIds; ///< the layer IDs below it, top first
    QStringList names; ///< every name; `name` is the first
};

} // namespace strata
