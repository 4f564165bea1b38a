// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace strata
{

/// One directory under overlay2/ (a layer, a container's read-write layer, or an `-init`
/// layer), as the overlay2 driver left it on disk.
struct OverlayDir {
    QString cacheId; ///< directory name: the cache-id, mount-id or "<mount-id>-init"
    QString link; ///< content of `link`: the 26-character short name in l/
    bool linkOk = false; ///< l/<link> is a symbolic link to ../<cacheId>/diff
    QStringList lowerLinks; ///< content of `lower`, split at ':' ("l/ABC..."), uppermost first
    QStringList lowerCacheIds; ///< the same, resolved through l/ (empty string where unresolved)
    bool hasLowerFile = false;
    bool committed = false; ///< `committed` exists: another layer was created on top
    bool hasDiff = false;
    bool hasWork = false;
    bool hasMerged = false; ///< exists only while mounted (a running container)
    QStringList problems;
};

} // namespace strata
