// SPDX-License-Identifier: GPL-2.0-or-later
#include "imagetablemodel.h"

namespace strata
{

void ImageTableModel::setImage(std::shared_ptr<const ImageStore> store, qsizetype image)
{
    beginResetModel();
    m_image = store && image >= 0 && image < store->imageCount() ? image : -1;
    replaceStore(std::move(store));
    endResetModel();
}

} // namespace strata
