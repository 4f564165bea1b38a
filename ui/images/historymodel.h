// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/images/imagetablemodel.h"

namespace strata
{

/// Every entry of one image's history, newest (top) first, as `docker history` lists them:
/// the instruction in full, the layer it made or "no layer" (ENV, LABEL, CMD…), its size,
/// when, and the comment.
class HistoryModel final : public ImageTableModel
{
    Q_OBJECT
public:
    enum Column { InstructionColumn, LayerColumn, SizeColumn, CreatedColumn, CommentColumn };

    explicit HistoryModel(QObject *parent = nullptr);

    /// The image's layer the entry in `row` made, -1 for none.
    [[nodiscard]] int layerIndex(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] const HistoryEntry *entry(int row) const;
};

} // namespace strata
