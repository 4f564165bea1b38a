// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergedtree.h"
#include "core/util/jsonwriter.h"

#include <QIODevice>
#include <QString>

#include <string>
#include <vector>

namespace strata
{

/// Prints a MergedTree for people (one line per entry, `ls -l` style, with provenance) or as
/// JSON (the `strata tree --json` format in docs/cli.md), streaming in depth-first order.
class TreeWriter final
{
public:
    struct Options {
        bool json = false;
        bool includeWhiteouts = true; ///< list whiteouts (deleted names) with what they hide
        QString overlayName;
        QString workspaceFile;
        /// An image's merged view: for each layer of the tree (top first) its index in the
        /// image (bottom first) and its diff ID. Entries then give these as `layer_index`
        /// and `diff_id`.
        std::vector<int> imageLayers;
        QStringList diffIds;
    };

    TreeWriter(const MergedTree &tree, Options options);
    /// Writes everything below `start` (the root by default). Returns false on a write error.
    bool write(QIODevice &out, NodeId start = MergedTree::root());

private:
    void headerText(std::string &buf) const;
    /// Opens the document and its "entries" array, which the chunks then fill.
    void headerJson(JsonWriter &w) const;
    void entryJson(JsonWriter &w, NodeId id, std::string_view path) const;
    void entryText(std::string &buf, NodeId id, std::string_view path) const;
    void formatRange(std::string &buf,
        const std::vector<NodeId> &order,
        std::size_t begin,
        std::size_t end,
        const JsonWriter &entries) const;

    const MergedTree &m_tree;
    Options m_options;
    std::vector<std::string> m_layerNames; // UTF-8, computed once
    std::vector<std::string> m_layerJson; // members "layer", "layer_name", "layer_index"
    std::vector<std::string> m_typeJson; // quoted: "file", "dir", ...
    int m_layerWidth = 0;
};

} // namespace strata
