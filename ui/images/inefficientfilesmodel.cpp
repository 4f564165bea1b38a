// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/images/inefficientfilesmodel.h"

#include "core/util/filename.h"
#include "ui/images/storeformat.h"

namespace strata
{

InefficientFilesModel::InefficientFilesModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void InefficientFilesModel::setReferences(const QVector<FileReference> &refs)
{
    beginResetModel();
    m_refs = refs;
    endResetModel();
}

int InefficientFilesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_refs.size());
}

int InefficientFilesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant InefficientFilesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const FileReference &r = m_refs.at(index.row());
    const auto column = Column(index.column());
    if (role == PathRole)
        return decodeFileName(r.path);
    if (role == SortRole) {
        return column == PathColumn ? QVariant(decodeFileName(r.path))
            : column == CountColumn ? QVariant(qint64(r.count))
                                    : QVariant(qint64(r.sizeBytes));
    }
    if (role == Qt::TextAlignmentRole && column != PathColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return tr("%1: in %2 layers, %3 in all its copies")
            .arg(decodeFileName(r.path))
            .arg(r.count)
            .arg(StoreFormat::exactSize(r.sizeBytes));
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case PathColumn:
        return decodeFileName(r.path);
    case CountColumn:
        return qint64(r.count);
    case WastedColumn:
        return StoreFormat::size(r.sizeBytes);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant InefficientFilesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case PathColumn:
        return tr("Path");
    case CountColumn:
        return tr("Layers");
    case WastedColumn:
        return tr("Wasted (all copies)");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace strata
