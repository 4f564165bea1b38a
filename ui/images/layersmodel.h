// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/images/imagetablemodel.h"

namespace strata
{

/// The layers of one image of a store, top first: index, the instruction that made it, size,
/// which images share it (ImageStore::imagesUsing, the answer `find` gives too), the driver's
/// short name and the directory.
class LayersModel final : public ImageTableModel
{
    Q_OBJECT
public:
    enum Column { IndexColumn, InstructionColumn, SizeColumn, SharedColumn, LinkColumn, DirColumn };
    enum Role {
        /// QStringList: the images using the layer's directory (ImageStore::imagesUsing).
        SharedByRole = Qt::UserRole + 1,
        /// int: the layer's index in the image, 0 is the bottom.
        LayerIndexRole,
    };

    explicit LayersModel(QObject *parent = nullptr);

    /// The image's index of the layer in `row` (0 is the bottom), -1 for none.
    [[nodiscard]] int layerIndex(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] QVariant indexCell(const StoreLayer &layer, int role) const;
    [[nodiscard]] QVariant sharedCell(const StoreLayer &layer, int role) const;
};

} // namespace strata
