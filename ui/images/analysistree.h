// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/analysis/imageanalysis.h"

#include <QByteArray>
#include <QHash>
#include <QVector>

#include <memory>

namespace strata
{

/// A file tree of an analysed image, built from its layers' changes (LayerAnalysis::changes):
/// dive's layer tree for one layer, alone or aggregated, and the merged image the treemap
/// draws. Only leaves carry a change; a directory's size is what is below it that is there.
class AnalysisTree final
{
public:
    struct Node {
        QByteArray name;
        QByteArray path; ///< "/a/b", bytes; "/" for the root
        qint64 size = 0; ///< a removal: what it deletes; a directory: its present leaves
        char mark = 0; ///< 'A' added, 'M' modified, 'D' removed, 0 unchanged (and directories)
        bool leaf = false;
        int parent = -1;
        int row = 0; ///< among its parent's children
        QVector<int> children;
        QVector<int> layers; ///< the layers (up to the one shown) with an entry for this path
    };
    struct View {
        int layer = 0;
        /// The changes of layers 1..layer against layer 0 (dive's "aggregated" view) instead of
        /// this layer's against the layers below.
        bool aggregate = false;
        /// Only changed paths; otherwise the unchanged ones present at that layer too.
        bool changesOnly = true;
    };

    /// The tree of `view` over `a` (analysed with its changes).
    [[nodiscard]] static std::shared_ptr<const AnalysisTree> build(const ImageAnalysis &a, const View &view);
    /// The image as the top layer leaves it: every path present, none removed; with
    /// `userOnly`, only those a layer above layer 0 holds (what dive's user size counts).
    [[nodiscard]] static std::shared_ptr<const AnalysisTree> merged(const ImageAnalysis &a, bool userOnly = false);

    /// Node 0 is the root.
    [[nodiscard]] const QVector<Node> &nodes() const { return m_nodes; }
    [[nodiscard]] const Node &node(int i) const { return m_nodes.at(i); }
    /// The leaves' paths, in path order.
    [[nodiscard]] QVector<QByteArray> leafPaths() const;

    struct Row {
        QByteArray path;
        qint64 size = 0;
        char mark = 0;
        QVector<int> layers;
    };

private:
    void add(const Row &row);
    int dirOf(const QByteArray &path);
    qint64 sumSizes(int node);

    QVector<Node> m_nodes;
    QHash<QByteArray, int> m_index; // path → node, while building
};

} // namespace strata
