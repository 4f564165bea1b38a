// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QSortFilterProxyModel>

namespace strata
{

/// Hides whiteout rows of a MergedTreeModel when the user wants exactly the kernel's view.
class WhiteoutFilter final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setShowWhiteouts(bool show);

protected:
    [[nodiscard]] bool filterAcceptsRow(int row, const QModelIndex &parent) const override;

private:
    bool m_show = true;
};

} // namespace strata
