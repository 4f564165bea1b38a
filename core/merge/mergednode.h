// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/entrytype.h"

#include <cstdint>

namespace strata
{

using NodeId = std::uint32_t;
inline constexpr NodeId InvalidNode = 0xffffffffu;

/// One entry of a merged view, kept small (56 bytes): a 500,000-entry view fits in tens of MB.
/// Children of a directory are stored contiguously, sorted by name bytes.
struct MergedNode {
    enum Flag : std::uint16_t {
        Whiteout = 1u << 0, ///< not visible: a whiteout hides this name
        Opaque = 1u << 1, ///< directory with overlay.opaque="y" somewhere in its stack
        Redirect = 1u << 2, ///< directory whose lower part comes from overlay.redirect
        Metacopy = 1u << 3, ///< file whose data lives in a lower layer (metacopy=on)
        Merged = 1u << 4, ///< directory merged from more than one layer
        HasError = 1u << 5, ///< something about this entry could not be read; see error()
        NotUtf8 = 1u << 6, ///< the name is not valid UTF-8
        HasShadows = 1u << 7, ///< lower copies are hidden by this entry
        Unreadable = 1u << 8, ///< a directory whose contents could not be listed
        XWhiteout = 1u << 9, ///< the whiteout is an xattr whiteout, not a 0/0 device
        LowerConflict = 1u << 10, ///< its lower directory is reached by another name too (ESTALE)
    };

    std::uint64_t nameOffset = 0;
    std::int64_t size = 0;
    std::int64_t mtime = 0;
    std::uint32_t mode = 0; ///< permission bits and S_IFMT of the providing entry
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    NodeId parent = InvalidNode;
    NodeId firstChild = 0;
    std::uint32_t childCount = 0;
    std::uint16_t nameLength = 0;
    std::uint16_t flags = 0;
    std::uint16_t layer = 0; ///< index into the tree's layers: the layer that provides the entry
    EntryType type = EntryType::Unknown;

    [[nodiscard]] bool has(Flag f) const { return (flags & f) != 0; }
    [[nodiscard]] bool isVisible() const { return !has(Whiteout); }
    [[nodiscard]] bool isDir() const { return type == EntryType::Directory; }
};

} // namespace strata
