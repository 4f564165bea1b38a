// SPDX-License-Identifier: GPL-2.0-or-later
#include "problemsmodel.h"

#include "ui/images/storeformat.h"

namespace strata
{

ProblemsModel::ProblemsModel(QObject *parent) : QAbstractListModel(parent)
{
}

void ProblemsModel::setProblems(const StoreProblems &problems)
{
    beginResetModel();
    m_problems = problems;
    endResetModel();
}

int ProblemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_problems.size());
}

QVariant ProblemsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_problems.size() || index.column() != 0)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return m_problems.at(index.row()).text();
    case Qt::DecorationRole:
        return StoreFormat::icon(QStyle::SP_MessageBoxWarning);
    default:
        return {};
    }
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return tr("Problem");
    return {};
}

} // namespace strata
