// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/mount/kernelmounter.h"
#include "core/mount/mountregistry.h"
#include "core/session/backend.h"
#include "core/stack/workspace.h"

#include <functional>

namespace strata
{

/// Mounts the overlays of a workspace in order (an overlay's lower may be an earlier one's
/// mountpoint), with a chosen backend, and takes them down again.
class StackMounter final
{
public:
    struct Report {
        bool ok = true;
        QStringList lines; ///< per overlay: mounted / failed, with the kernel's words
        QStringList warnings;
    };

    explicit StackMounter(const Workspace &workspace);

    /// Why unprivileged user namespaces cannot be used here, or empty when they can.
    [[nodiscard]] static QString usernsProblem();
    [[nodiscard]] static bool fuseOverlayfsAvailable();

    /// The kernel request for one overlay. The userns backend adds userxattr and turns
    /// redirect_dir into nofollow (the only value the kernel accepts with userxattr).
    [[nodiscard]] KernelMounter::Request request(int overlayIndex, Backend backend, QStringList *notes = nullptr) const;

    /// Mounts overlays 0..upTo (all when -1) in this mount namespace and records them.
    /// Stops at the first failure, unmounting what it mounted.
    [[nodiscard]] Report mountAll(
        MountRegistry &registry, qint64 ownerPid, int upTo = -1, Backend backend = Backend::Kernel);
    /// Unmounts every overlay of the workspace that is mounted, last first.
    [[nodiscard]] Report unmountAll(MountRegistry &registry);

    /// Runs `fn` in a child process, in a new mount namespace (and user namespace for
    /// userns), with overlays 0..upTo mounted there; nothing outlives the child. Returns
    /// fn's exit code (0-199); mount failures come back as an Error with the kernel's words.
    [[nodiscard]] Result<int> runInNamespace(Backend backend, int upTo, const std::function<int()> &fn);

private:
    const Workspace &m_workspace;
};

} // namespace strata
