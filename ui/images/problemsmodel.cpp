// SPDX-License-Identifier: GPL-2.0-or-later
#include "problemsmodel.h"

#include "ui/images/storeformat.h"

namespace strata
{

ProblemsModel::ProblemsModel(QObject *parent) : RecordTableModel({tr("Problem")}, parent)
{
}

void ProblemsModel::setProblems(const StoreProblems &problems)
{
    beginResetModel();
    m_records = problems;
    endResetModel();
}

QVariant ProblemsModel::cellData(const StoreProblem &problem, int column, int role) const
{
    if (column != 0)
        return {};
    if (role == Qt::DecorationRole)
        return StoreFormat::icon(QStyle::SP_MessageBoxWarning);
    return cell(role, problem.text());
}

} // namespace strata
