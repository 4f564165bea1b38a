// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storelayer.h"

#include <QString>

namespace strata
{

/// One layer of a Podman image: its layers.json record's directory (cacheId is the layer ID,
/// alias the l/ short name of its `link` file) and the record's parent.
struct PodmanLayer : StoreLayer {
    QString parent; ///< the layer ID below, empty at the bottom
    qint64 compressedSize = -1;
};

} // namespace strata
