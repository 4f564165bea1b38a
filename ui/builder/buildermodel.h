// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/builder/stackdraft.h"

#include <QAbstractItemModel>

namespace strata
{

/// The builder's list: a thin tree model over a StackDraft. Top rows are the overlays in mount
/// order, their children its lowers, top first (for one stacked on another overlay, the
/// merged directory it stands on), then its data-only layers, checked "data only" (a lower's
/// check box asks for the change with dataOnlyRequested()). Lowers are dragged to reorder them: a drop asks for the
/// move with moveRequested() (the builder makes it an undoable command and sets the draft
/// again), so the model itself never changes but through setDraft().
class BuilderModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Role { OverlayRole = Qt::UserRole + 1, LowerRole, PathRole };

    explicit BuilderModel(QObject *parent = nullptr);

    void setDraft(const StackDraft &draft);
    /// Why no lower can be made data-only (the running kernel lacks datadir+); empty: it can.
    void setDataOnlyRefusal(const QString &reason);
    [[nodiscard]] const StackDraft &draft() const { return m_draft; }

    [[nodiscard]] QModelIndex overlayIndex(int overlay) const;
    [[nodiscard]] QModelIndex lowerIndex(int overlay, int lower) const;
    /// The overlay a row belongs to (-1 for none) and its lower (-1 for the overlay's row).
    [[nodiscard]] static int overlayOf(const QModelIndex &index);
    [[nodiscard]] static int lowerOf(const QModelIndex &index);

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    [[nodiscard]] Qt::DropActions supportedDropActions() const override;
    [[nodiscard]] QStringList mimeTypes() const override;
    [[nodiscard]] QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool dropMimeData(
        const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent) override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

Q_SIGNALS:
    /// A lower dragged within its overlay: from row `from` to stand at row `to` (of the list
    /// without it).
    void moveRequested(int overlay, int from, int to);
    /// A lower's "data only" box ticked or cleared: row `lower` of the overlay.
    void dataOnlyRequested(int overlay, int lower, bool dataOnly);

private:
    [[nodiscard]] bool isDataRow(int overlay, int lower) const;

    StackDraft m_draft;
    QString m_dataOnlyRefusal;
};

} // namespace strata
