// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergednode.h"

#include <QByteArray>

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

namespace strata
{

/// A merged path ("/a/b") looked up in a tree by its names, one child() per component: for
/// MergedTree and PatchedTree alike (their child(dir, name) and root 0).
template<typename Tree>
[[nodiscard]] std::optional<NodeId> findPath(const Tree &tree, std::string_view p)
{
    NodeId cur = 0;
    std::size_t pos = 0;
    while (pos < p.size()) {
        while (pos < p.size() && p[pos] == '/')
            ++pos;
        if (pos >= p.size())
            break;
        const std::size_t end = std::min(p.find('/', pos), p.size());
        const auto next = tree.child(cur, p.substr(pos, end - pos));
        if (!next)
            return std::nullopt;
        cur = *next;
        pos = end;
    }
    return cur;
}

/// The merged path of `id`, "/" for the root: its names up the `parentOf` chain.
template<typename Tree, typename ParentOf>
[[nodiscard]] QByteArray pathOf(const Tree &tree, NodeId id, ParentOf parentOf)
{
    if (id == 0)
        return QByteArrayLiteral("/");
    std::vector<NodeId> chain;
    for (NodeId n = id; n != 0 && n != InvalidNode; n = parentOf(n))
        chain.push_back(n);
    QByteArray p;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const std::string_view nm = tree.name(*it);
        p += '/';
        p.append(nm.data(), static_cast<qsizetype>(nm.size()));
    }
    return p;
}

} // namespace strata
