// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace strata
{

/// One layer of one image, bottom first, joined across the stores: the config's diff ID,
/// the computed chain ID, the layer store's record and the overlay2 directory, and the
/// history entry that made it.
struct DockerImageLayer {
    int index = 0; ///< 0 is the bottom layer
    QString diffId;
    QString chainId;
    QString cacheId; ///< empty when the layer store has no record
    QString dir; ///< <root>/overlay2/<cache-id>
    QString diffDir; ///< <root>/overlay2/<cache-id>/diff: the layer's files
    QString link; ///< short name in l/
    QStringList lowerLinks; ///< the directory's `lower` file ("l/..."), uppermost first
    QStringList lower; ///< the same resolved to directory names (cache-ids)
    bool committed = false; ///< `committed` exists: a layer (or a container's init layer) is on top
    qint64 size = -1;
    int historyIndex = -1; ///< into DockerImage::history, -1 when unknown
    QString createdBy;
    QString createdByRaw;
    QStringList problems;
};

} // namespace strata
