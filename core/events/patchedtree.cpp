// SPDX-License-Identifier: GPL-2.0-or-later
#include "patchedtree.h"

#include "core/merge/treepaths.h"

#include <algorithm>

namespace strata
{

PatchedTree::PatchedTree(std::shared_ptr<const MergedTree> base)
    : m_nodeCount(base->nodeCount()), m_visible(base->visibleCount())
{
    m_trees.push_back(std::move(base));
    m_firstIds.push_back(0);
}

PatchedTree::Ref PatchedTree::own(NodeId id) const
{
    if (id < PatchBit)
        return {m_trees.front().get(), 0, id};
    const NodeId offset = id - PatchBit;
    // The trees' id ranges are in order: the last that starts at or before `offset`.
    const auto it = std::upper_bound(m_firstIds.begin() + 1, m_firstIds.end(), offset);
    const auto index = static_cast<std::size_t>(it - m_firstIds.begin() - 1);
    return {m_trees[index].get(), index, offset - m_firstIds[index]};
}

PatchedTree::Ref PatchedTree::data(NodeId id) const
{
    if (!m_dataFrom.isEmpty()) {
        if (const auto it = m_dataFrom.constFind(id); it != m_dataFrom.cend())
            return own(*it);
    }
    return own(id);
}

NodeId PatchedTree::idOf(std::size_t tree, NodeId node) const
{
    return tree == 0 ? node : PatchBit + m_firstIds[tree] + node;
}

bool PatchedTree::contains(NodeId id) const
{
    if (id < PatchBit)
        return id < base().nodeCount();
    if (m_trees.size() < 2 || id - PatchBit < m_firstIds[1])
        return false;
    const Ref r = own(id);
    return r.node < r.tree->nodeCount();
}

NodeId PatchedTree::addTree(std::shared_ptr<const MergedTree> tree)
{
    m_firstIds.push_back(m_nextId);
    m_nextId += static_cast<NodeId>(tree->nodeCount());
    m_trees.push_back(std::move(tree));
    return idOf(m_trees.size() - 1, MergedTree::root());
}

void PatchedTree::setData(NodeId id, NodeId from)
{
    if (id == from)
        m_dataFrom.remove(id);
    else
        m_dataFrom.insert(id, from);
}

void PatchedTree::setChildren(NodeId dir, const QList<NodeId> &children)
{
    for (const NodeId c : children) {
        const Ref r = own(c);
        const NodeId natural = r.tree->node(r.node).parent;
        if (natural != InvalidNode && idOf(r.index, natural) == dir)
            m_parentOf.remove(c);
        else
            m_parentOf.insert(c, dir);
    }
    m_children.insert(dir, children);
}

void PatchedTree::addCounts(qint64 nodes, qint64 visible)
{
    m_nodeCount = static_cast<std::size_t>(static_cast<qint64>(m_nodeCount) + nodes);
    m_visible = static_cast<std::size_t>(static_cast<qint64>(m_visible) + visible);
}

const MergedNode &PatchedTree::node(NodeId id) const
{
    const Ref r = data(id);
    return r.tree->node(r.node);
}

std::string_view PatchedTree::name(NodeId id) const
{
    const Ref r = own(id);
    return r.tree->name(r.node);
}

QByteArray PatchedTree::path(NodeId id) const
{
    return pathOf(*this, id, [this](NodeId n) { return parent(n); });
}

QByteArray PatchedTree::realPath(NodeId id) const
{
    return onData(id, &MergedTree::realPath);
}

QByteArray PatchedTree::diskPath(NodeId id) const
{
    return onData(id, &MergedTree::diskPath);
}

std::span<const MergedTree::Shadow> PatchedTree::shadows(NodeId id) const
{
    return onData(id, &MergedTree::shadows);
}

QByteArray PatchedTree::symlinkTarget(NodeId id) const
{
    return onData(id, &MergedTree::symlinkTarget);
}

QByteArray PatchedTree::redirect(NodeId id) const
{
    return onData(id, &MergedTree::redirect);
}

QString PatchedTree::error(NodeId id) const
{
    return onData(id, &MergedTree::error);
}

std::optional<std::uint16_t> PatchedTree::opaqueLayer(NodeId id) const
{
    return onData(id, &MergedTree::opaqueLayer);
}

std::uint32_t PatchedTree::childCount(NodeId dir) const
{
    if (!m_children.isEmpty()) {
        if (const auto it = m_children.constFind(dir); it != m_children.cend())
            return static_cast<std::uint32_t>(it->size());
    }
    const Ref r = own(dir);
    return r.tree->node(r.node).childCount;
}

NodeId PatchedTree::childAt(NodeId dir, std::uint32_t row) const
{
    if (!m_children.isEmpty()) {
        if (const auto it = m_children.constFind(dir); it != m_children.cend())
            return it->at(row);
    }
    const Ref r = own(dir);
    return idOf(r.index, r.tree->node(r.node).firstChild + row);
}

QList<NodeId> PatchedTree::children(NodeId dir) const
{
    if (const auto it = m_children.constFind(dir); it != m_children.cend())
        return *it;
    QList<NodeId> out;
    const std::uint32_t n = childCount(dir);
    out.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i)
        out << childAt(dir, i);
    return out;
}

NodeId PatchedTree::parent(NodeId id) const
{
    if (id == root())
        return InvalidNode;
    if (!m_parentOf.isEmpty()) {
        if (const auto it = m_parentOf.constFind(id); it != m_parentOf.cend())
            return *it;
    }
    const Ref r = own(id);
    const NodeId p = r.tree->node(r.node).parent;
    return p == InvalidNode ? InvalidNode : idOf(r.index, p);
}

std::uint32_t PatchedTree::row(NodeId id) const
{
    const NodeId p = parent(id);
    if (p == InvalidNode)
        return 0;
    if (const auto it = m_children.constFind(p); it != m_children.cend()) {
        // Sorted by name: a binary search, as MergedTree::child().
        const std::string_view nm = name(id);
        const auto at = std::lower_bound(
            it->cbegin(), it->cend(), nm, [this](NodeId c, std::string_view n) { return name(c) < n; });
        return static_cast<std::uint32_t>(at - it->cbegin());
    }
    const Ref r = own(id);
    return r.node - r.tree->node(r.tree->node(r.node).parent).firstChild;
}

void PatchedTree::forEach(const std::function<void(NodeId)> &fn) const
{
    std::vector<NodeId> todo {root()};
    while (!todo.empty()) {
        const NodeId dir = todo.back();
        todo.pop_back();
        // Pushed in reverse: the first child is visited first.
        for (std::uint32_t i = childCount(dir); i-- > 0;) {
            const NodeId c = childAt(dir, i);
            todo.push_back(c);
        }
        if (dir != root())
            fn(dir);
    }
}

std::optional<NodeId> PatchedTree::child(NodeId dir, std::string_view nm) const
{
    std::uint32_t lo = 0;
    std::uint32_t hi = childCount(dir);
    while (lo < hi) {
        const std::uint32_t mid = lo + (hi - lo) / 2;
        const NodeId c = childAt(dir, mid);
        const int cmp = name(c).compare(nm);
        if (cmp == 0)
            return c;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return std::nullopt;
}

std::optional<NodeId> PatchedTree::find(std::string_view p) const
{
    if (base().nodeCount() == 0)
        return std::nullopt;
    return findPath(*this, p);
}

} // namespace strata
