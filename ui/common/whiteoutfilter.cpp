// SPDX-License-Identifier: GPL-2.0-or-later
#include "whiteoutfilter.h"

#include "ui/common/mergedtreemodel.h"

namespace strata
{

void WhiteoutFilter::setShowWhiteouts(bool show)
{
    m_show = show;
    invalidateFilter();
}

bool WhiteoutFilter::filterAcceptsRow(int row, const QModelIndex &parent) const
{
    if (m_show)
        return true;
    const QModelIndex idx = sourceModel()->index(row, 0, parent);
    return !idx.data(MergedTreeModel::IsWhiteoutRole).toBool();
}

} // namespace strata
