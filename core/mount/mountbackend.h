// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace strata
{

/// How an overlay gets mounted.
enum class MountBackend : unsigned char {
    Auto,
    Kernel, ///< the kernel's overlayfs, as root (CAP_SYS_ADMIN)
    Userns, ///< the kernel's overlayfs in a user + mount namespace (Linux >= 5.11, userxattr)
    Fuse, ///< fuse-overlayfs
};

[[nodiscard]] QString backendName(MountBackend backend);
[[nodiscard]] std::optional<MountBackend> parseBackend(const QString &name);

} // namespace strata
