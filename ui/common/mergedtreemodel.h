// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/patchedtree.h"
#include "core/events/treepatcher.h"
#include "core/merge/mergedtree.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QHash>
#include <QIcon>
#include <QStyle>

#include <memory>
#include <optional>
#include <vector>

namespace strata
{

/// A merged view as a tree model: one row per entry (whiteouts included, marked), columns
/// for provenance. The tree is immutable and shared, so the model never copies it; an edit's
/// TreePatch is applied as the rows it removes and inserts and the data it reads again,
/// never as a reset, so views keep their expansion, selection and scrolling.
class MergedTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, LayerColumn, TypeColumn, SizeColumn, ModeColumn, NotesColumn, ColumnCount };
    enum Role { NodeIdRole = Qt::UserRole + 1, IsWhiteoutRole, MergedPathRole, IsGhostRole };

    explicit MergedTreeModel(QObject *parent = nullptr);

    void setTree(std::shared_ptr<const MergedTree> tree);
    void setTree(std::shared_ptr<const PatchedTree> tree);
    [[nodiscard]] const std::shared_ptr<const PatchedTree> &tree() const { return m_tree; }
    /// Applies a patch computed from this model's tree; false (nothing changed) when the
    /// model shows another tree by now.
    [[nodiscard]] bool applyPatch(const TreePatch &patch);
    [[nodiscard]] QModelIndex indexForNode(NodeId id) const;
    /// A placeholder row for a path this tree does not have, so that it lines up with the
    /// rows of the views that have it: under its deepest ancestor here, where its name sorts,
    /// named by what is missing from there ("base_image/new.txt"). One at a time; none when
    /// the tree has the path. A new tree drops it.
    void setGhost(const QString &path);
    void clearGhost();
    /// The ghost row's index (column 0); invalid when there is none.
    [[nodiscard]] QModelIndex ghostIndex() const;
    /// A sentence for people: where the entry comes from and what it hides.
    [[nodiscard]] QString explain(NodeId id) const;
    /// The colour that stands for a layer everywhere (always shown next to its name).
    [[nodiscard]] static QColor layerColor(int layer, int layerCount, bool upper);

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    /// Where the ghost row is: its parent node, its row there, and what it stands for.
    struct Ghost {
        NodeId parent = InvalidNode;
        int row = 0;
        QString path;
        QString label;
    };
    static constexpr quintptr GhostId = ~quintptr(0);
    [[nodiscard]] bool isGhost(const QModelIndex &index) const { return index.internalId() == GhostId; }
    [[nodiscard]] QModelIndex ghostParentIndex() const;
    [[nodiscard]] QVariant ghostData(const QModelIndex &index, int role) const;
    [[nodiscard]] QString problem(NodeId id) const;
    [[nodiscard]] QString notes(NodeId id) const;
    [[nodiscard]] QString displayName(NodeId id) const;
    [[nodiscard]] QIcon layerIcon(std::uint16_t layer) const;
    [[nodiscard]] const QIcon &standardIcon(QStyle::StandardPixmap which) const;
    /// One directory's children from `change.before` to `change.after`, a run of removed or
    /// inserted rows at a time, `work` (the tree shown meanwhile) following each step.
    void applyChange(PatchedTree &work, const TreePatch::Change &change);
    /// dataChanged for the entries a patch read again, one range per parent.
    void announceRefreshed(const QList<NodeId> &ids);

    std::shared_ptr<const PatchedTree> m_tree;
    std::optional<Ghost> m_ghost;
    mutable QHash<int, QIcon> m_icons;
    mutable std::vector<QIcon> m_layerIcons;
};

} // namespace strata
