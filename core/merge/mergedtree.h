// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergednode.h"
#include "core/merge/mergelayer.h"
#include "core/merge/mergeoptions.h"
#include "core/util/chunkedvector.h"
#include "core/util/result.h"
#include "core/util/stringarena.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace strata
{

class ScanControl;

/// The merged view of a stack of layer directories, computed from disk by the kernel's
/// lookup rules (Documentation/filesystems/overlayfs.rst; fs/overlayfs/namei.c, readdir.c),
/// with provenance: for each entry, the layer that provides it, the lower copies it merges
/// or hides, and the whiteouts and opaque directories that hide names.
///
/// Whiteouts are kept as nodes (flag Whiteout, not visible) so a view can show what was
/// deleted and what it hides.
class MergedTree final
{
public:
    enum class ShadowReason : std::uint8_t {
        Merged, ///< a lower directory merged into this one (not hidden)
        Shadowed, ///< a lower copy hidden because a higher layer has the name
        HiddenByWhiteout, ///< a lower copy hidden by this whiteout
        HiddenByOpaque, ///< a lower directory hidden because this directory is opaque
        DataSource, ///< the lower file that holds a metacopy file's data
    };
    struct Shadow {
        NodeId node;
        std::uint16_t layer;
        EntryType type;
        ShadowReason reason;
    };

    /// Stable names used in JSON: merged, shadowed, hidden_by_whiteout, hidden_by_opaque, data_source.
    [[nodiscard]] static const char *reasonName(ShadowReason reason);

    MergedTree() = default;
    MergedTree(MergedTree &&) noexcept = default;
    MergedTree &operator=(MergedTree &&) noexcept = default;

    /// Scans the layers (top first) and merges them. Fails only when no layer root can be
    /// opened, or when cancelled; unreadable subdirectories become per-entry errors.
    [[nodiscard]] static Result<MergedTree> build(
        const MergeLayers &layers, const MergeOptions &options = {}, ScanControl *control = nullptr);

    [[nodiscard]] const MergeLayers &layers() const { return m_layers; }
    [[nodiscard]] const MergeOptions &options() const { return m_options; }

    [[nodiscard]] std::size_t nodeCount() const { return m_nodes.size(); }
    [[nodiscard]] std::size_t visibleCount() const { return m_visible; }
    [[nodiscard]] static constexpr NodeId root() { return 0; }
    [[nodiscard]] const MergedNode &node(NodeId id) const { return m_nodes[id]; }
    [[nodiscard]] std::string_view name(NodeId id) const;
    /// Merged-view path, "/" for the root.
    [[nodiscard]] QByteArray path(NodeId id) const;
    /// Path of the providing entry relative to its layer root; differs from path() only
    /// below a followed redirect.
    [[nodiscard]] QByteArray realPath(NodeId id) const;
    /// Absolute path of the providing entry on disk.
    [[nodiscard]] QByteArray diskPath(NodeId id) const;

    /// Looks a merged path up ("/a/b"); cost: one binary search per component.
    [[nodiscard]] std::optional<NodeId> find(std::string_view path) const;
    [[nodiscard]] std::optional<NodeId> child(NodeId dir, std::string_view name) const;

    /// Everything recorded about the lower copies of this entry, top first.
    [[nodiscard]] std::span<const Shadow> shadows(NodeId id) const;
    [[nodiscard]] QByteArray symlinkTarget(NodeId id) const;
    [[nodiscard]] QByteArray redirect(NodeId id) const;
    [[nodiscard]] QString error(NodeId id) const;
    /// Layer at which an opaque directory stops the merge (the layer with opaque="y").
    [[nodiscard]] std::optional<std::uint16_t> opaqueLayer(NodeId id) const;

    /// Non-fatal problems found while scanning (e.g. "trusted.* xattrs not readable").
    [[nodiscard]] const QStringList &warnings() const { return m_warnings; }

    /// Bytes held by the tree's storage (nodes, names, side tables).
    [[nodiscard]] std::size_t memoryBytes() const;

private:
    friend class MergedTreeBuilder;

    enum class TextKind : std::uint8_t { SymlinkTarget, Redirect, RealPath, Error, OpaqueLayer };
    struct TextRecord {
        NodeId node;
        TextKind kind;
        std::uint32_t length;
        std::uint64_t offset;
    };

    [[nodiscard]] std::optional<std::string_view> text(NodeId id, TextKind kind) const;

    MergeLayers m_layers;
    MergeOptions m_options;
    ChunkedVector<MergedNode> m_nodes;
    StringArena m_names;
    StringArena m_texts;
    std::vector<Shadow> m_shadows; // sorted by node, then top first
    std::vector<TextRecord> m_textRecords; // sorted by node, then kind
    std::size_t m_visible = 0;
    QStringList m_warnings;
};

} // namespace strata
