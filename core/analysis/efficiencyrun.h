// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/analysis/imageanalysis.h"
#include "core/analysis/pathtable.h"
#include "core/layer/tarentry.h"
#include "core/util/chunkedvector.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace strata
{

/// dive's efficiency figures computed over layers streamed one by one, bottom first
/// (docs/analysis.md): each layer's entries form that layer's tree, its leaves are scored
/// child first in name order against the layers below stacked as dive stacks them, then the
/// layer is laid over that stack and forgotten. Per path the run keeps one record (its
/// references, its place in the stack); only the current layer's nodes are kept besides.
///
/// `opaqueAware` corrects dive's one mistake: `.wh..wh..opq` then hides what is below its
/// directory, and each hidden name counts as a whiteout of it.
class EfficiencyRun final
{
public:
    /// `changes`: keep each layer's changes (LayerAnalysis::changes), not only their counts.
    explicit EfficiencyRun(bool opaqueAware, bool changes = false);

    void beginLayer();
    void add(const TarEntry &entry);
    /// Scores and stacks the layer; its size and changes go into `layer`.
    void endLayer(LayerAnalysis &layer);

    [[nodiscard]] bool sawOpaque() const { return m_sawOpaque; }
    [[nodiscard]] double efficiency() const;
    [[nodiscard]] std::int64_t inefficientBytes() const;
    /// Paths seen twice or more, largest first (dive's order for ties: see docs/analysis.md).
    [[nodiscard]] QVector<FileReference> references() const;

private:
    static constexpr std::uint32_t none = PathTable::none;
    struct PathState {
        // dive's EfficiencyData
        std::int64_t cumulative = 0;
        std::int64_t minimum = -1;
        std::uint32_t count = 0;
        bool scored = false;
        // the layers below, stacked (dive's StackTreeRange)
        bool inStack = false;
        bool stackDir = false;
        std::int64_t stackSize = 0;
        std::uint32_t firstChild = none;
        std::uint32_t nextSibling = none;
        std::uint32_t prevSibling = none;
        // the current layer's tree
        std::uint32_t layer = none;
        bool layerDir = false;
        std::int64_t layerSize = 0;
        std::uint32_t childBegin = 0;
        std::uint32_t childCount = 0;
    };

    PathState &state(std::uint32_t id);
    [[nodiscard]] bool inLayer(std::uint32_t id) const;
    void sortLayerChildren();
    void copyLayer();
    void scoreLayer(LayerAnalysis &layer);
    void scoreNode(std::uint32_t id, LayerAnalysis &layer, bool &aborted);
    void hideBelow(std::uint32_t dir, LayerAnalysis &layer);
    void reference(std::uint32_t key, std::int64_t size);
    void stackLayer();
    void graft(std::uint32_t id);
    [[nodiscard]] std::uint32_t whiteoutTarget(std::uint32_t id) const;
    [[nodiscard]] std::optional<std::int64_t> deletedSize(std::uint32_t target) const;
    [[nodiscard]] std::int64_t subtreeSize(std::uint32_t id) const;
    void stackAdd(std::uint32_t id, std::int64_t size, bool dir);
    void stackLink(std::uint32_t id);
    void stackRemove(std::uint32_t id);

    void change(std::uint32_t id, char kind, std::int64_t size);

    bool m_opaqueAware;
    bool m_changes;
    bool m_sawOpaque = false;
    std::uint32_t m_layerIndex = 0;
    PathTable m_paths;
    ChunkedVector<PathState> m_state;
    std::vector<std::uint32_t> m_scored; // dive's efficiency map, in the order paths entered it
    std::vector<std::uint32_t> m_inefficient; // in the order they reached two references
    std::vector<std::uint32_t> m_layerNodes; // this layer's nodes, as added
    std::vector<std::uint32_t> m_children; // this layer's nodes grouped by parent, by name
    std::vector<std::uint32_t> m_opaque; // this layer's opaque directories
    LayerAnalysis m_current;
};

} // namespace strata
