// SPDX-License-Identifier: GPL-2.0-or-later
#include "containersmodel.h"

#include "ui/images/storeformat.h"

namespace strata
{

ContainersModel::ContainersModel(QObject *parent)
    : StoreTableModel({tr("Container"), tr("Image"), tr("State"), tr("User"), tr("ID")}, parent)
{
}

int ContainersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !store() ? 0 : static_cast<int>(store()->containerCount());
}

QVariant ContainersModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const StoreContainer &c = store()->containerAt(index.row());
    switch (static_cast<Column>(index.column())) {
    case NameColumn:
        return recordCell(
            role, c.displayName(), c.running ? QStyle::SP_MediaPlay : QStyle::SP_MediaStop, c.id, c.error, c.problems);
    case ImageColumn:
        return cell(role, c.imageName(), c.imageId);
    case StateColumn: {
        QString state = c.status.isEmpty() ? tr("unknown") : c.status;
        if (c.status == QLatin1String("exited"))
            state += QStringLiteral(" (%1)").arg(c.exitCode);
        return cell(role, state);
    }
    case UserColumn:
        return cell(role, c.user.isEmpty() ? tr("root (no USER)") : c.user);
    case IdColumn:
        return cell(role, c.shortId(), c.id, true);
    }
    return {};
}

} // namespace strata
