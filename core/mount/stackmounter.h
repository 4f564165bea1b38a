// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/mount/kernelmounter.h"
#include "core/mount/mountinfo.h"
#include "core/mount/mountregistry.h"
#include "core/session/backend.h"
#include "core/stack/workspace.h"

#include <functional>
#include <optional>
#include <sys/types.h>

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

    /// What sits on an overlay's mountpoint in this mount namespace. Ours is an overlay with
    /// this overlay's layers, or one our registry recorded for it; anything else (another
    /// overlay mounted there by someone else) is never unmounted, edited or called mounted.
    struct Occupant {
        enum class Kind : unsigned char { Nothing, Ours, Foreign };
        Kind kind = Kind::Nothing;
        std::optional<MountInfo::Entry> entry; ///< the mount, when there is one
        QString backend; ///< ours: the backend of our record, else "kernel (mounted outside Stratascope)"
        [[nodiscard]] bool ours() const { return kind == Kind::Ours; }
        /// For people: "another overlay (lowerdir=...) is mounted on M", or empty.
        [[nodiscard]] QString foreignText() const;
    };
    [[nodiscard]] Occupant occupant(int overlayIndex) const;
    [[nodiscard]] Occupant occupant(int overlayIndex,
        const QList<MountInfo::Entry> &mounts,
        const QList<MountRegistry::Record> &records,
        const QString &mountNamespace) const;
    /// Whether `mount` is an overlay of overlay `overlayIndex`'s lower, upper and work
    /// directories (the same paths, or the same directories under other names).
    [[nodiscard]] bool layersMatch(int overlayIndex, const MountInfo::Entry &mount) const;

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
    /// Unmounts every overlay of the workspace that is mounted, last first. One that cannot be
    /// unmounted (busy) keeps the overlays below it mounted, and the report says so; mounts
    /// that are not ours are left alone.
    [[nodiscard]] Report unmountAll(MountRegistry &registry);

    /// Runs `fn` in a child process, in a new mount namespace (and user namespace for
    /// userns), with overlays 0..upTo mounted there; nothing outlives the child. Returns
    /// fn's exit code (0-199); mount failures come back as an Error with the kernel's words.
    /// The child dies with the thread that started it (PR_SET_PDEATHSIG); `started`, called
    /// in this process with the child's pid right after the fork, lets a caller pass signals on.
    [[nodiscard]] Result<int> runInNamespace(
        Backend backend, int upTo, const std::function<int()> &fn, const std::function<void(pid_t)> &started = {});

private:
    /// Unmounts `mounted` (mountpoints, in mount order) last first and forgets them.
    static void takeDown(MountRegistry &registry, Backend backend, const QStringList &mounted);

    const Workspace &m_workspace;
};

} // namespace strata
