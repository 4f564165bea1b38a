// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/images/analysistreemodel.h"

#include "core/util/filename.h"
#include "ui/images/storeformat.h"

#include <QStringList>

namespace strata
{

AnalysisTreeModel::AnalysisTreeModel(QObject *parent) : QAbstractItemModel(parent)
{
}

void AnalysisTreeModel::setTree(std::shared_ptr<const AnalysisTree> tree)
{
    beginResetModel();
    m_tree = std::move(tree);
    endResetModel();
}

QString AnalysisTreeModel::markText(char mark)
{
    switch (mark) {
    case 'A':
        return tr("A added");
    case 'M':
        return tr("M modified");
    case 'D':
        return tr("D removed");
    }
    return {};
}

int AnalysisTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? int(index.internalId()) : 0;
}

QModelIndex AnalysisTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!m_tree || column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (parent.isValid() && parent.column() != 0)
        return {};
    const auto &children = m_tree->node(nodeOf(parent)).children;
    if (row >= children.size())
        return {};
    return createIndex(row, column, quintptr(children[row]));
}

QModelIndex AnalysisTreeModel::parent(const QModelIndex &child) const
{
    if (!m_tree || !child.isValid())
        return {};
    const int p = m_tree->node(nodeOf(child)).parent;
    if (p <= 0)
        return {};
    return createIndex(m_tree->node(p).row, 0, quintptr(p));
}

int AnalysisTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!m_tree || (parent.isValid() && parent.column() != 0))
        return 0;
    return int(m_tree->node(nodeOf(parent)).children.size());
}

int AnalysisTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant AnalysisTreeModel::data(const QModelIndex &index, int role) const
{
    if (!m_tree || !index.isValid())
        return {};
    const AnalysisTree::Node &n = m_tree->node(nodeOf(index));
    if (role == PathRole)
        return decodeFileName(n.path);
    const int column = index.column();
    if (role == SortRole)
        return column == SizeColumn ? QVariant(n.size) : QVariant(decodeFileName(n.name));
    if (role == Qt::TextAlignmentRole && column == SizeColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return decodeFileName(n.path);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(column)) {
    case NameColumn:
        return QString(decodeFileName(n.name) + (n.leaf ? QString() : QStringLiteral("/")));
    case ChangeColumn:
        return markText(n.mark);
    case SizeColumn:
        return StoreFormat::size(n.size);
    case LayersColumn: {
        QStringList layers;
        for (int k : n.layers)
            layers << QString::number(k);
        return layers.join(QStringLiteral(", "));
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant AnalysisTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Name");
    case ChangeColumn:
        return tr("Change");
    case SizeColumn:
        return tr("Size");
    case LayersColumn:
        return tr("In layers");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace strata
