// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

#include <cstdint>

namespace strata
{

/// One snapshot of containerd's overlayfs snapshotter (its metadata.db, v1/snapshots/<name>):
/// the directory snapshots/<id>/ holds its files (fs/) and, while active, the overlay's work/.
struct ContainerdSnapshot {
    /// core/snapshots/snapshotter.go Kind.
    enum class Kind { Unknown, View, Active, Committed, Snapshot };

    QString name; ///< the snapshotter's key: "<namespace>/<sequence>/<user key>"
    std::uint64_t id = 0; ///< the number of its directory under snapshots/
    Kind kind = Kind::Unknown;
    QString parent; ///< the parent's name; empty for a base layer
    std::int64_t size = -1; ///< bytes, recorded when it was committed
    std::int64_t inodes = -1;
    QString created;

    /// "committed", "active", "view"…, as `ctr snapshots ls` spells them (lower case).
    [[nodiscard]] QString kindName() const;
    /// The user key: the name without "<namespace>/<sequence>/".
    [[nodiscard]] QString key() const { return name.section(QLatin1Char('/'), 2); }
    /// The namespace part of the name.
    [[nodiscard]] QString nameSpace() const { return name.section(QLatin1Char('/'), 0, 0); }
};

} // namespace strata
