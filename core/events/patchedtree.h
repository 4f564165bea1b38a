// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergedtree.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace strata
{

/// A merged view with edits patched in: a scanned MergedTree and, for each edit since, the
/// small MergedTree that TreePatcher scanned of what the edit touched. The read API is
/// MergedTree's; its structure (children, parent, row) is asked here, never from a node's
/// firstChild/childCount/parent. Ids of the scanned tree stay valid across patches (a view
/// keeps its expansion and selection); entries an edit brings get ids of the patch's tree.
/// Copies are cheap (the trees are shared, the tables implicitly shared): a patch makes a new
/// PatchedTree and leaves the one a view still shows as it was.
class PatchedTree final
{
public:
    explicit PatchedTree(std::shared_ptr<const MergedTree> base);

    [[nodiscard]] const MergedTree &base() const { return *m_trees.front(); }
    [[nodiscard]] const MergeLayers &layers() const { return base().layers(); }
    [[nodiscard]] const MergeOptions &options() const { return base().options(); }
    [[nodiscard]] const QStringList &warnings() const { return base().warnings(); }
    [[nodiscard]] std::size_t nodeCount() const { return m_nodeCount; }
    [[nodiscard]] std::size_t visibleCount() const { return m_visible; }
    [[nodiscard]] static constexpr NodeId root() { return MergedTree::root(); }
    /// Whether `id` names an entry (of the scanned tree or of a patch).
    [[nodiscard]] bool contains(NodeId id) const;

    /// What the entry is (type, mode, flags, layer). Its firstChild, childCount and parent
    /// belong to the tree it was read from: ask childCount(), childAt() and parent() here.
    [[nodiscard]] const MergedNode &node(NodeId id) const;
    [[nodiscard]] std::string_view name(NodeId id) const;
    [[nodiscard]] QByteArray path(NodeId id) const;
    [[nodiscard]] QByteArray realPath(NodeId id) const;
    [[nodiscard]] QByteArray diskPath(NodeId id) const;
    [[nodiscard]] std::optional<NodeId> find(std::string_view path) const;
    [[nodiscard]] std::optional<NodeId> child(NodeId dir, std::string_view name) const;
    [[nodiscard]] std::span<const MergedTree::Shadow> shadows(NodeId id) const;
    [[nodiscard]] QByteArray symlinkTarget(NodeId id) const;
    [[nodiscard]] QByteArray redirect(NodeId id) const;
    [[nodiscard]] QString error(NodeId id) const;
    [[nodiscard]] std::optional<std::uint16_t> opaqueLayer(NodeId id) const;

    [[nodiscard]] std::uint32_t childCount(NodeId dir) const;
    [[nodiscard]] NodeId childAt(NodeId dir, std::uint32_t row) const;
    [[nodiscard]] QList<NodeId> children(NodeId dir) const;
    /// InvalidNode for the root.
    [[nodiscard]] NodeId parent(NodeId id) const;
    /// The entry's position among its parent's children (sorted by name).
    [[nodiscard]] std::uint32_t row(NodeId id) const;
    /// Every entry below the root, parents first, in name order.
    void forEach(const std::function<void(NodeId)> &fn) const;

    // What TreePatcher changes.
    /// Adds a patch's tree; returns the id its root has here.
    NodeId addTree(std::shared_ptr<const MergedTree> tree);
    /// `id` now is what `from` (an entry of a patch's tree) says; its children stay.
    void setData(NodeId id, NodeId from);
    /// The children of `dir`, sorted by name.
    void setChildren(NodeId dir, const QList<NodeId> &children);
    void addCounts(qint64 nodes, qint64 visible);

private:
    struct Ref {
        const MergedTree *tree = nullptr;
        std::size_t index = 0;
        NodeId node = 0;
    };
    static constexpr NodeId PatchBit = 0x80000000u;
    /// Where the entry itself lives: its tree and its id there (its structure).
    [[nodiscard]] Ref own(NodeId id) const;
    /// Where what the entry is lives (a later patch may have read it again).
    [[nodiscard]] Ref data(NodeId id) const;
    [[nodiscard]] NodeId idOf(std::size_t tree, NodeId node) const;
    /// What the tree that holds the entry's data says of it.
    template<typename R>
    [[nodiscard]] R onData(NodeId id, R (MergedTree::*what)(NodeId) const) const
    {
        const Ref r = data(id);
        return (r.tree->*what)(r.node);
    }

    std::vector<std::shared_ptr<const MergedTree>> m_trees; // the scan, then one per patch
    std::vector<NodeId> m_firstIds; // per tree: its first id after PatchBit (0 for the scan)
    NodeId m_nextId = 0;
    QHash<NodeId, NodeId> m_dataFrom;
    QHash<NodeId, NodeId> m_parentOf;
    QHash<NodeId, QList<NodeId>> m_children;
    std::size_t m_nodeCount = 0;
    std::size_t m_visible = 0;
};

} // namespace strata
