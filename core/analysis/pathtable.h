// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/chunkedvector.h"
#include "core/util/stringarena.h"

#include <QByteArray>

#include <cstdint>
#include <string_view>
#include <vector>

namespace strata
{

/// Every path of an image once, as a tree of names (bytes): an id per path, the parent and
/// the name of each id, and one lookup (parent, name) → id. Names live in a StringArena and
/// nodes in a ChunkedVector, so a path costs its name's bytes and a few words, however many
/// layers hold it. Id 0 is the root. A name longer than 65,535 bytes is cut there (no file
/// system has one; tar could).
class PathTable final
{
public:
    static constexpr std::uint32_t root = 0;
    static constexpr std::uint32_t none = UINT32_MAX;

    PathTable();

    /// The id of `name` under `parent`, added when it is new.
    [[nodiscard]] std::uint32_t child(std::uint32_t parent, std::string_view name);
    /// The id of `name` under `parent`, `none` when there is none.
    [[nodiscard]] std::uint32_t find(std::uint32_t parent, std::string_view name) const;
    [[nodiscard]] std::string_view name(std::uint32_t id) const;
    [[nodiscard]] std::uint32_t parent(std::uint32_t id) const { return m_nodes[id].parent; }
    /// "/a/b" (the root is "/").
    [[nodiscard]] QByteArray path(std::uint32_t id) const;
    [[nodiscard]] std::size_t size() const { return m_nodes.size(); }

private:
    struct Node {
        std::uint64_t nameOffset = 0;
        std::uint32_t parent = none;
        std::uint16_t nameLength = 0;
    };
    [[nodiscard]] static std::uint32_t hashOf(std::uint32_t parent, std::string_view name);
    void grow();

    StringArena m_names;
    ChunkedVector<Node> m_nodes;
    // The lookup (parent, name) → id: open addressing over ids, with each slot's hash beside
    // it so growing never reads a name. About 13 bytes a path, where a node map takes ~70.
    struct Slot {
        std::uint32_t id = none;
        std::uint32_t hash = 0;
    };
    std::vector<Slot> m_slots;
    std::size_t m_used = 0;
};

} // namespace strata
