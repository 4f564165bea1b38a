// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/enumwords.h"

#include <QString>

namespace strata
{

/// What a directory of a store is to that store. (Not LayerRole: that is the part a directory
/// plays in one overlay mount; this is where the directory came from.)
enum class StoreLayerKind {
    Image, ///< a read-only layer of one or more images
    Init, ///< a container's init layer (Docker: /etc/hosts, /etc/resolv.conf… on top of the image)
    ReadWrite, ///< a container's read-write layer: the upper directory of its overlay
    Unused, ///< a layer directory nobody refers to
};

/// The word `find` and `grep` write for the directory (JSON `role`): layer, init, container, unused.
[[nodiscard]] inline QString searchRoleName(StoreLayerKind kind)
{
    static constexpr std::array<const char *, 4> Words {"layer", "init", "container", "unused"};
    return wordOf(Words, kind);
}

/// The word `explain` writes for a layer of a stack (JSON `role`): upper, init, layer.
[[nodiscard]] inline QString stackRoleName(StoreLayerKind kind)
{
    static constexpr std::array<const char *, 4> Words {"layer", "init", "upper", "layer"};
    return wordOf(Words, kind);
}

} // namespace strata
