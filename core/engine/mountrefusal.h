// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/stack/workspace.h"
#include "core/util/result.h"

#include <optional>

namespace strata
{

/// What the kernel refuses when it mounts an overlay, before any edit (fs/overlayfs/super.c),
/// with its errno and in its own words, so that the engine refuses the same: conflicting
/// options and an overlay stacked deeper than FILESYSTEM_MAX_STACK_DEPTH (EINVAL), and an
/// upper or work directory that an overlay mounted along with it uses already, when
/// index=on (EBUSY), and a work directory a volatile mount used (VolatileMarker, EINVAL).
class MountRefusal final
{
public:
    /// The refusal of mounting overlay `index` on top of the overlays it stands on (which a
    /// kernel session mounts first); nothing when the kernel mounts it.
    [[nodiscard]] static std::optional<Error> of(const Workspace &workspace, int index);
    /// The options the kernel refuses together, as it names them ("metacopy=on,redirect_dir=
    /// follow"), or empty: only those given explicitly conflict (metacopy=on alone turns
    /// redirect_dir=on).
    [[nodiscard]] static QString conflictingOptions(const OverlayOptions &options);
    /// "upperdir" or "workdir" when overlay `index`'s upper or work directory is the upper or
    /// work directory of an overlay it stands on (the kernel's in-use lock), else empty: the
    /// kernel names the first it finds, the upper first.
    [[nodiscard]] static QString sharedDirectory(const Workspace &workspace, int index);
};

} // namespace strata
