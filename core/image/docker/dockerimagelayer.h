// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storelayer.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// One layer of one Docker image, bottom first: the store-neutral record (cacheId is the
/// layer store's `cache-id`, dir is <root>/overlay2/<cache-id>) and what overlay2 keeps
/// beside the directory.
struct DockerImageLayer : StoreLayer {
    QString link; ///< short name in l/ (alias is "l/" + link)
    QStringList lowerLinks; ///< the directory's `lower` file ("l/..."), uppermost first
    QStringList lower; ///< the same resolved to directory names (cache-ids)
    bool committed = false; ///< `committed` exists: a layer (or a container's init layer) is on top
};

} // namespace strata
