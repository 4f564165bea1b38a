// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergelayer.h"
#include "core/merge/mergeoptions.h"

#include <QWidget>

#include <memory>
#include <vector>

class QTreeView;
class QLabel;

namespace strata
{

class MergedTree;
class MergedTreeModel;
class TreeLoader;

/// The layers of one overlay side by side — each lower (the top one nearest upper), upper,
/// work, and the merged view — one tree per column, with expansion, scrolling and selection
/// kept in step: select a path in any column and see it in every layer that has it.
class LayerColumns final : public QWidget
{
    Q_OBJECT
public:
    struct Column {
        QString title; ///< e.g. "lower 1: lower_layer"
        MergeLayers layers; ///< one directory, or the whole stack for the merged column
        MergeOptions options;
    };

    explicit LayerColumns(QWidget *parent = nullptr);
    ~LayerColumns() override;

    /// Replaces the columns and scans them in the background.
    void setColumns(const QList<Column> &columns);
    /// Selects (and reveals) a merged path in every column that has it.
    void selectPath(const QString &path);
    [[nodiscard]] int columnCount() const { return static_cast<int>(m_columns.size()); }
    [[nodiscard]] QTreeView *view(int column) const;
    [[nodiscard]] MergedTreeModel *model(int column) const;

Q_SIGNALS:
    /// Every column has been scanned.
    void ready();
    void pathSelected(const QString &path);

private:
    struct Slot {
        QLabel *title = nullptr;
        QTreeView *view = nullptr;
        MergedTreeModel *model = nullptr;
        TreeLoader *loader = nullptr;
    };
    void syncExpansion(int from, const QModelIndex &index, bool expanded);

    std::vector<Slot> m_columns;
    QWidget *m_row = nullptr;
    int m_pending = 0;
    bool m_syncing = false;
};

} // namespace strata
