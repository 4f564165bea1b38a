// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace strata
{

/// One read-only image layer as the layer store records it:
/// `image/overlay2/layerdb/sha256/<chainID>/{diff,cache-id,parent,size}`.
struct DockerLayer {
    QString chainId; ///< "sha256:<hex>", the directory name
    QString diffId; ///< content of `diff`: "sha256:<hex>" of the uncompressed layer tar
    QString parent; ///< content of `parent` (chain ID of the layer below), empty for a base layer
    QString cacheId; ///< content of `cache-id`: the directory under overlay2/
    qint64 size = -1; ///< content of `size`: bytes of the unpacked layer, -1 when unknown
    QStringList problems; ///< what could not be read in this layer's metadata
};

} // namespace strata
