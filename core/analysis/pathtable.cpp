// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/analysis/pathtable.h"

#include <vector>

namespace strata
{

PathTable::PathTable()
{
    m_nodes.push_back(Node {});
}

std::uint32_t PathTable::child(std::uint32_t parent, std::string_view name)
{
    const std::uint32_t found = find(parent, name);
    if (found != none)
        return found;
    Node n;
    n.nameOffset = m_names.add(name);
    n.nameLength = static_cast<std::uint16_t>(name.size());
    n.parent = parent;
    const auto id = static_cast<std::uint32_t>(m_nodes.size());
    m_nodes.push_back(n);
    m_index.emplace(Key {parent, m_names.view(n.nameOffset, n.nameLength)}, id);
    return id;
}

std::uint32_t PathTable::find(std::uint32_t parent, std::string_view name) const
{
    const auto it = m_index.find(Key {parent, name});
    return it == m_index.end() ? none : it->second;
}

std::string_view PathTable::name(std::uint32_t id) const
{
    const Node &n = m_nodes[id];
    return m_names.view(n.nameOffset, n.nameLength);
}

QByteArray PathTable::path(std::uint32_t id) const
{
    if (id == root)
        return QByteArrayLiteral("/");
    std::vector<std::string_view> parts;
    for (std::uint32_t at = id; at != root; at = parent(at))
        parts.push_back(name(at));
    QByteArray out;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it)
        out.append('/').append(it->data(), qsizetype(it->size()));
    return out;
}

} // namespace strata
