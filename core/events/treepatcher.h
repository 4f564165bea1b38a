// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"
#include "core/events/patchedtree.h"
#include "core/events/patchrules.h"
#include "core/util/result.h"
#include "core/util/status.h"

#include <QList>

#include <memory>

namespace strata
{

class ScanControl;

/// What an edit did to a merged view, ready for a model: the view after it, and per directory
/// whose children changed, its children before and after (parents first), so that a model can
/// announce each removal and insertion instead of a reset.
struct TreePatch {
    struct Change {
        NodeId parent = InvalidNode;
        QList<NodeId> before;
        QList<NodeId> after; // sorted by name; entries in both kept their ids
    };
    std::shared_ptr<const PatchedTree> base; ///< the view the patch was computed from
    std::shared_ptr<const PatchedTree> tree; ///< the view after it
    QList<Change> changes;
    QList<NodeId> refreshed; ///< entries read again (their data may have changed)
};

/// Applies an edit's events to a merged view in O(size of the change): it reads again, from
/// every layer and by MergedTree's own rules (a PrunedLayer per layer), only the directories
/// and entries the events name, and splices that into a copy of the view. It gives up (an
/// Error, and the caller rescans) where a patch could be wrong: a redirected directory on the
/// way, or an entry that changed where no event said so.
class TreePatcher final
{
public:
    [[nodiscard]] static Result<TreePatch> patch(const std::shared_ptr<const PatchedTree> &view,
        const QList<OverlayEvent> &events,
        ScanControl *control = nullptr);

private:
    TreePatcher(const PatchedTree &before, const MergedTree &scanned, PatchedTree &after, TreePatch &out)
        : m_before(before), m_scanned(scanned), m_after(after), m_out(out)
    {
    }
    [[nodiscard]] Status apply(const PatchRules::Rule &rule, NodeId scanned, NodeId id);
    [[nodiscard]] Status applySpine(const PatchRules::Rule &rule, NodeId scanned, NodeId id);
    [[nodiscard]] Status applyLevel(const PatchRules::Rule &rule, NodeId scanned, NodeId id);
    /// `id` takes the children `scanned` has in the patch's tree.
    [[nodiscard]] Status applyFull(NodeId scanned, NodeId id);
    /// A redirect the patch followed leads where the rules read everything.
    [[nodiscard]] bool covered(NodeId scanned) const;
    /// Entries and visible entries of a subtree of the view before the patch.
    void uncount(NodeId id);
    /// The same for a subtree of the patch's tree, which the view takes.
    [[nodiscard]] Status count(NodeId scanned);
    [[nodiscard]] NodeId idOf(NodeId scanned) const { return m_rootId + scanned; }
    [[nodiscard]] static Status gaveUp(const QString &why);

    const PatchedTree &m_before;
    const MergedTree &m_scanned;
    PatchedTree &m_after;
    TreePatch &m_out;
    const PatchRules *m_rules = nullptr;
    NodeId m_rootId = 0;
};

} // namespace strata
