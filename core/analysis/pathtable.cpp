// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/analysis/pathtable.h"

#include <vector>

namespace strata
{

PathTable::PathTable()
{
    m_nodes.push_back(Node {});
    m_slots.resize(1024);
}

std::uint32_t PathTable::hashOf(std::uint32_t parent, std::string_view name)
{
    // FNV-1a over the parent's id and the name's bytes.
    std::uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < 4; ++i) {
        h ^= (parent >> (8 * i)) & 0xFFu;
        h *= 1099511628211ull;
    }
    for (const char c : name) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

void PathTable::grow()
{
    std::vector<Slot> old(m_slots.size() * 2);
    old.swap(m_slots);
    const std::size_t mask = m_slots.size() - 1;
    for (const Slot &s : old) {
        if (s.id == none)
            continue;
        std::size_t at = s.hash & mask;
        while (m_slots[at].id != none)
            at = (at + 1) & mask;
        m_slots[at] = s;
    }
}

std::uint32_t PathTable::child(std::uint32_t parent, std::string_view name)
{
    const std::uint32_t found = find(parent, name);
    if (found != none)
        return found;
    name = name.substr(0, UINT16_MAX);
    Node n;
    n.nameOffset = m_names.add(name);
    n.nameLength = static_cast<std::uint16_t>(name.size());
    n.parent = parent;
    const auto id = static_cast<std::uint32_t>(m_nodes.size());
    m_nodes.push_back(n);
    if ((m_used + 1) * 4 > m_slots.size() * 3)
        grow();
    const std::uint32_t hash = hashOf(parent, name);
    const std::size_t mask = m_slots.size() - 1;
    std::size_t at = hash & mask;
    while (m_slots[at].id != none)
        at = (at + 1) & mask;
    m_slots[at] = Slot {id, hash};
    ++m_used;
    return id;
}

std::uint32_t PathTable::find(std::uint32_t parent, std::string_view name) const
{
    name = name.substr(0, UINT16_MAX);
    const std::uint32_t hash = hashOf(parent, name);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t at = hash & mask; m_slots[at].id != none; at = (at + 1) & mask) {
        const Slot &s = m_slots[at];
        if (s.hash == hash && m_nodes[s.id].parent == parent && this->name(s.id) == name)
            return s.id;
    }
    return none;
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
