// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergedtree.h"

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
    };

    TreeWriter(const MergedTree &tree, Options options);
    /// Writes everything below `start` (the root by default). Returns false on a write error.
    bool write(QIODevice &out, NodeId start = MergedTree::root());

private:
    void header(std::string &buf) const;
    void entryJson(std::string &buf, NodeId id, std::string_view path, bool first) const;
    void entryText(std::string &buf, NodeId id, std::string_view path) const;
    void layerJson(std::string &buf, std::uint16_t layer) const;
    void formatRange(std::string &buf, const std::vector<NodeId> &order, std::size_t begin, std::size_t end) const;

    const MergedTree &m_tree;
    Options m_options;
    std::vector<std::string> m_layerNames; // UTF-8, computed once
    std::vector<std::string> m_layerJson; // "layer":...,"layer_name":...,"layer_index":N
    std::vector<std::string> m_typeNames;
    int m_layerWidth = 0;
};

} // namespace strata
