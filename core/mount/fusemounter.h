// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/mount/kernelmounter.h"

namespace strata
{

/// Mounts an overlay with fuse-overlayfs (a userspace overlay filesystem; Debian package
/// fuse-overlayfs): the fallback when neither root nor user namespaces are available. It
/// takes lowerdir/upperdir/workdir like the kernel; kernel-only options are not passed.
class FuseMounter final
{
public:
    /// Runs fuse-overlayfs and waits until it has mounted (it then stays as a daemon).
    [[nodiscard]] static KernelMounter::Outcome mount(const KernelMounter::Request &request);
    /// Unmounts (umount2 as root or inside a namespace, else fusermount3 -u).
    [[nodiscard]] static Status unmount(const QString &target);
};

} // namespace strata
