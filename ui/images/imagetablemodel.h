// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/images/storetablemodel.h"

namespace strata
{

/// A store table about one image of the store (its layers, its history): which image, and
/// nothing shown for none.
class ImageTableModel : public StoreTableModel
{
    Q_OBJECT
public:
    /// Shows the rows of the store's image `image` (nothing for -1 or a null store).
    void setImage(std::shared_ptr<const ImageStore> store, qsizetype image);
    [[nodiscard]] qsizetype image() const { return m_image; }

protected:
    using StoreTableModel::StoreTableModel;

private:
    qsizetype m_image = -1;
};

} // namespace strata
