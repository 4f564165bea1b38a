// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

#include <array>
#include <optional>

namespace strata
{

/// How edits reach an overlay, and how it gets mounted: the one list of backends of the
/// window, the command line and the mounter (BackendPolicy says which work here).
enum class Backend : unsigned char {
    Auto, ///< the first that works here: kernel (root), userns, fuse, else the engine
    Engine, ///< the userspace engine on the layer directories: no mount at all
    Kernel, ///< the kernel's overlayfs, as root (CAP_SYS_ADMIN)
    Userns, ///< the kernel's overlayfs in a user + mount namespace (Linux >= 5.11, userxattr)
    Fuse, ///< fuse-overlayfs
};

inline constexpr std::array<Backend, 5> AllBackends {
    Backend::Auto, Backend::Engine, Backend::Kernel, Backend::Userns, Backend::Fuse};

/// "auto", "engine", "kernel", "userns", "fuse": the word of --backend and of the mount records.
[[nodiscard]] QString backendName(Backend backend);
[[nodiscard]] std::optional<Backend> parseBackend(const QString &name);
/// The backends that mount something (kernel, userns, fuse).
[[nodiscard]] bool isMountBackend(Backend backend);

} // namespace strata
