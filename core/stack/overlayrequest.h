// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/stack/workspace.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// One overlay to add to a workspace file, as `strata new` (and the stack builder) asks for it:
/// plain directories as lowers, or another overlay's merged directory (`stackOn`).
struct OverlayRequest {
    QString name; ///< empty: "overlay", "overlay_2", ...
    QStringList lowers; ///< top first; existing directories, never written
    QString stackOn; ///< the overlay whose mountpoint is the lower
    QStringList dataLowers; ///< data-only layers, after the lowers (`--data-lower`); never written
    QString upper; ///< empty: a read-only overlay
    QString work;
    QString mountpoint; ///< empty: <workspace dir>/<name>-merged
    QStringList options; ///< "KEY=VALUE" or "KEY" (userxattr, volatile), as in the workspace file

    /// Adds the overlay to the workspace at `path` (a stratascope.json, or a directory for one;
    /// created when missing), checked as the file's reader checks it (names, distinct layers,
    /// mountpoints, options), creates the upper, work and mountpoint directories that are
    /// missing, and saves. `created` lists the directories it made.
    [[nodiscard]] Result<Workspace> addTo(const QString &path, QStringList *created = nullptr) const;
};

} // namespace strata
