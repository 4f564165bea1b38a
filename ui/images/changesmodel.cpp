// SPDX-License-Identifier: GPL-2.0-or-later
#include "changesmodel.h"

#include "ui/images/storeformat.h"

#include <algorithm>

namespace strata
{

ChangesModel::ChangesModel(QObject *parent) : RecordTableModel({tr("Change"), tr("Path")}, parent)
{
}

void ChangesModel::setChanges(std::shared_ptr<const ImageStore> store, const QVector<ContainerChange> &changes)
{
    beginResetModel();
    replaceStore(std::move(store));
    m_records = changes;
    endResetModel();
}

int ChangesModel::count(ContainerChange::Kind kind) const
{
    return static_cast<int>(std::count_if(
        m_records.cbegin(), m_records.cend(), [kind](const ContainerChange &c) { return c.kind == kind; }));
}

QVariant ChangesModel::cellData(const ContainerChange &c, int column, int role) const
{
    switch (static_cast<Column>(column)) {
    case KindColumn: {
        QString word;
        QStyle::StandardPixmap icon = QStyle::SP_FileIcon;
        switch (c.kind) {
        case ContainerChange::Kind::Added:
            word = tr("added");
            icon = QStyle::SP_FileDialogNewFolder;
            break;
        case ContainerChange::Kind::Changed:
            word = tr("changed");
            icon = QStyle::SP_FileDialogDetailedView;
            break;
        case ContainerChange::Kind::Deleted:
            word = tr("deleted");
            icon = QStyle::SP_TrashIcon;
            break;
        }
        if (role == Qt::DecorationRole)
            return StoreFormat::icon(icon);
        return cell(role, QString(QLatin1Char(c.letter())) + QLatin1Char(' ') + word);
    }
    case PathColumn:
        return cell(role, QString::fromUtf8(c.path), {}, true);
    }
    return {};
}

} // namespace strata
