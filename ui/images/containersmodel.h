// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/images/storetablemodel.h"

namespace strata
{

/// The containers of a store, newest first: name, image, state, user, short ID.
class ContainersModel final : public StoreTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, ImageColumn, StateColumn, UserColumn, IdColumn };

    explicit ContainersModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
};

} // namespace strata
