// SPDX-License-Identifier: GPL-2.0-or-later
#include "changesmodel.h"

#include "ui/images/storeformat.h"

#include <algorithm>

namespace strata
{

ChangesModel::ChangesModel(QObject *parent) : StoreTableModel({tr("Change"), tr("Path")}, parent)
{
}

void ChangesModel::setChanges(std::shared_ptr<const ImageStore> store, const QVector<ContainerChange> &changes)
{
    beginResetModel();
    replaceStore(std::move(store));
    m_changes = changes;
    endResetModel();
}

int ChangesModel::count(ContainerChange::Kind kind) const
{
    return static_cast<int>(std::count_if(
        m_changes.cbegin(), m_changes.cend(), [kind](const ContainerChange &c) { return c.kind == kind; }));
}

int ChangesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_changes.size());
}

QVariant ChangesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_changes.size())
        return {};
    const ContainerChange &c = m_changes.at(index.row());
    switch (static_cast<Column>(index.column())) {
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
