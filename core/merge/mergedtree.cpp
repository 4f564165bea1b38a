// SPDX-License-Identifier: GPL-2.0-or-later
#include "mergedtree.h"

#include "core/merge/mergedtreebuilder.h"
#include "core/merge/treepaths.h"
#include "core/util/filename.h"

#include <QDir>

#include <algorithm>

namespace strata
{

Result<MergedTree> MergedTree::build(const MergeLayers &layers, const MergeOptions &options, ScanControl *control)
{
    MergedTreeBuilder builder(layers, options, control);
    return builder.run();
}

const char *MergedTree::reasonName(ShadowReason reason)
{
    switch (reason) {
    case ShadowReason::Merged:
        return "merged";
    case ShadowReason::Shadowed:
        return "shadowed";
    case ShadowReason::HiddenByWhiteout:
        return "hidden_by_whiteout";
    case ShadowReason::HiddenByOpaque:
        return "hidden_by_opaque";
    case ShadowReason::DataSource:
        return "data_source";
    }
    return "shadowed";
}

std::string_view MergedTree::name(NodeId id) const
{
    const MergedNode &n = m_nodes[id];
    return m_names.view(n.nameOffset, n.nameLength);
}

QByteArray MergedTree::path(NodeId id) const
{
    return pathOf(*this, id, [this](NodeId n) { return m_nodes[n].parent; });
}

QByteArray MergedTree::realPath(NodeId id) const
{
    if (const auto t = text(id, TextKind::RealPath))
        return QByteArray(t->data(), static_cast<qsizetype>(t->size()));
    return path(id);
}

QByteArray MergedTree::diskPath(NodeId id) const
{
    QByteArray base = encodeFileName(m_layers.at(m_nodes[id].layer).path);
    if (id == root())
        return base;
    return base + realPath(id);
}

std::optional<NodeId> MergedTree::child(NodeId dir, std::string_view nm) const
{
    const MergedNode &d = m_nodes[dir];
    std::uint32_t lo = 0;
    std::uint32_t hi = d.childCount;
    while (lo < hi) {
        const std::uint32_t mid = lo + (hi - lo) / 2;
        const int c = name(d.firstChild + mid).compare(nm);
        if (c == 0)
            return d.firstChild + mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return std::nullopt;
}

std::optional<NodeId> MergedTree::find(std::string_view p) const
{
    if (m_nodes.empty())
        return std::nullopt;
    return findPath(*this, p);
}

std::span<const MergedTree::Shadow> MergedTree::shadows(NodeId id) const
{
    const auto lo = std::lower_bound(
        m_shadows.begin(), m_shadows.end(), id, [](const Shadow &s, NodeId n) { return s.node < n; });
    auto hi = lo;
    while (hi != m_shadows.end() && hi->node == id)
        ++hi;
    return {lo, hi};
}

std::optional<std::string_view> MergedTree::text(NodeId id, TextKind kind) const
{
    auto it = std::lower_bound(
        m_textRecords.begin(), m_textRecords.end(), id, [](const TextRecord &r, NodeId n) { return r.node < n; });
    for (; it != m_textRecords.end() && it->node == id; ++it) {
        if (it->kind == kind)
            return m_texts.view(it->offset, it->length);
    }
    return std::nullopt;
}

QByteArray MergedTree::symlinkTarget(NodeId id) const
{
    const auto t = text(id, TextKind::SymlinkTarget);
    return t ? QByteArray(t->data(), static_cast<qsizetype>(t->size())) : QByteArray();
}

QByteArray MergedTree::redirect(NodeId id) const
{
    const auto t = text(id, TextKind::Redirect);
    return t ? QByteArray(t->data(), static_cast<qsizetype>(t->size())) : QByteArray();
}

QString MergedTree::error(NodeId id) const
{
    const auto t = text(id, TextKind::Error);
    return t ? QString::fromUtf8(t->data(), static_cast<qsizetype>(t->size())) : QString();
}

std::optional<std::uint16_t> MergedTree::opaqueLayer(NodeId id) const
{
    const auto t = text(id, TextKind::OpaqueLayer);
    if (!t || t->size() != sizeof(std::uint16_t))
        return std::nullopt;
    std::uint16_t layer = 0;
    std::memcpy(&layer, t->data(), sizeof layer);
    return layer;
}

std::size_t MergedTree::memoryBytes() const
{
    return m_nodes.capacityBytes() + m_names.capacityBytes() + m_texts.capacityBytes()
        + m_shadows.capacity() * sizeof(Shadow) + m_textRecords.capacity() * sizeof(TextRecord);
}

} // namespace strata
