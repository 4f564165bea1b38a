// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/images/analysistree.h"

#include <QAbstractItemModel>

#include <memory>

namespace strata
{

/// dive's layer tree: a thin model over an AnalysisTree, one row per name, its change as a
/// text mark (A, M, D: never colour alone) and its size.
class AnalysisTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, ChangeColumn, SizeColumn, LayersColumn, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, ///< QString: the whole path, for the filter and the panel
        SortRole, ///< the name, or the size as a number
    };

    explicit AnalysisTreeModel(QObject *parent = nullptr);

    void setTree(std::shared_ptr<const AnalysisTree> tree);
    [[nodiscard]] const std::shared_ptr<const AnalysisTree> &tree() const { return m_tree; }
    /// The mark's word: "A added", "M modified", "D removed", empty for none.
    [[nodiscard]] static QString markText(char mark);

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    [[nodiscard]] int nodeOf(const QModelIndex &index) const;

    std::shared_ptr<const AnalysisTree> m_tree;
};

} // namespace strata
