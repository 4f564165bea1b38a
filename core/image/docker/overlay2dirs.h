// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/docker/overlaydir.h"
#include "core/image/storeproblem.h"

#include <QHash>
#include <QString>

namespace strata
{

/// The directories of an overlay2 graph driver as it left them on disk: `<dir>/{link, lower,
/// committed, diff, work, merged}` for every directory, and the short links in `l/`. (Podman's
/// containers-storage overlay driver keeps the same layout.)
struct Overlay2Dirs {
    QHash<QString, OverlayDir> dirs; ///< by directory name
    QHash<QString, QString> links; ///< l/ short name -> directory name

    /// Reads `overlayRoot` (<root>/overlay2); a missing one gives nothing.
    [[nodiscard]] static Overlay2Dirs read(const QString &overlayRoot, StoreProblems &problems);

private:
    void readLinks(const QString &base, StoreProblems &problems);
    [[nodiscard]] OverlayDir readDir(
        const QString &base, const QString &name, bool linksReadable, StoreProblems &problems) const;
};

} // namespace strata
