// SPDX-License-Identifier: GPL-2.0-or-later
#include "changesmodel.h"

#include "ui/images/storeformat.h"

#include <algorithm>

namespace strata
{

namespace
{

int slot(ContainerChange::Kind kind)
{
    switch (kind) {
    case ContainerChange::Kind::Added:
        return 0;
    case ContainerChange::Kind::Changed:
        return 1;
    case ContainerChange::Kind::Deleted:
        return 2;
    }
    return 1;
}

} // namespace

ChangesModel::ChangesModel(QObject *parent) : QAbstractItemModel(parent)
{
}

void ChangesModel::setChanges(std::shared_ptr<const ImageStore> store, const QVector<ContainerChange> &changes)
{
    beginResetModel();
    m_store = std::move(store);
    m_changes = changes;
    build();
    endResetModel();
}

int ChangesModel::child(int parent, const QByteArray &name)
{
    const QVector<int> &siblings = parent < 0 ? m_top : m_nodes.at(parent).children;
    for (int n : siblings) {
        if (m_nodes.at(n).name == name)
            return n;
    }
    Node node;
    node.name = name;
    node.parent = parent;
    node.path = (parent < 0 ? QByteArray() : m_nodes.at(parent).path) + '/' + name;
    node.row = static_cast<int>(siblings.size());
    m_nodes << node;
    const int id = static_cast<int>(m_nodes.size()) - 1;
    (parent < 0 ? m_top : m_nodes[parent].children) << id;
    return id;
}

void ChangesModel::build()
{
    m_nodes.clear();
    m_top.clear();
    for (qsizetype i = 0; i < m_changes.size(); ++i) {
        int at = -1;
        for (const QByteArray &name : m_changes.at(i).path.split('/')) {
            if (!name.isEmpty())
                at = child(at, name);
        }
        if (at < 0)
            continue;
        m_nodes[at].change = static_cast<int>(i);
        for (int up = m_nodes.at(at).parent; up >= 0; up = m_nodes.at(up).parent)
            ++m_nodes[up].below[slot(m_changes.at(i).kind)];
    }
}

int ChangesModel::count(ContainerChange::Kind kind) const
{
    return static_cast<int>(std::count_if(
        m_changes.cbegin(), m_changes.cend(), [kind](const ContainerChange &c) { return c.kind == kind; }));
}

int ChangesModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<int>(index.internalId()) : -1;
}

QString ChangesModel::path(const QModelIndex &index) const
{
    const int n = nodeOf(index);
    return n < 0 ? QString() : QString::fromUtf8(m_nodes.at(n).path);
}

const ContainerChange *ChangesModel::change(const QModelIndex &index) const
{
    const int n = nodeOf(index);
    return n < 0 || m_nodes.at(n).change < 0 ? nullptr : &m_changes.at(m_nodes.at(n).change);
}

QModelIndex ChangesModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= columnCount() || (parent.isValid() && parent.column() != 0))
        return {};
    const int p = nodeOf(parent);
    const QVector<int> &siblings = p < 0 ? m_top : m_nodes.at(p).children;
    if (row < 0 || row >= siblings.size())
        return {};
    return createIndex(row, column, static_cast<quintptr>(siblings.at(row)));
}

QModelIndex ChangesModel::parent(const QModelIndex &child) const
{
    const int n = nodeOf(child);
    if (n < 0 || m_nodes.at(n).parent < 0)
        return {};
    const Node &p = m_nodes.at(m_nodes.at(n).parent);
    return createIndex(p.row, 0, static_cast<quintptr>(m_nodes.at(n).parent));
}

int ChangesModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    const int p = nodeOf(parent);
    return static_cast<int>(p < 0 ? m_top.size() : m_nodes.at(p).children.size());
}

int ChangesModel::columnCount(const QModelIndex &) const
{
    return 3;
}

QVariant ChangesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (static_cast<Column>(section)) {
    case PathColumn:
        return tr("Path");
    case KindColumn:
        return tr("Change");
    case BelowColumn:
        return tr("Changes below");
    }
    return {};
}

QVariant ChangesModel::data(const QModelIndex &index, int role) const
{
    const int n = nodeOf(index);
    if (n < 0)
        return {};
    const Node &node = m_nodes.at(n);
    if (role == PathRole)
        return QString::fromUtf8(node.path);
    switch (static_cast<Column>(index.column())) {
    case PathColumn:
        if (role == Qt::DisplayRole)
            return QString::fromUtf8(node.name);
        if (role == Qt::ToolTipRole)
            return QString::fromUtf8(node.path);
        if (role == Qt::FontRole)
            return StoreFormat::fixedFont();
        if (role == Qt::DecorationRole)
            return StoreFormat::icon(node.children.isEmpty() ? QStyle::SP_FileIcon : QStyle::SP_DirIcon);
        return {};
    case KindColumn:
        return kindCell(node, role);
    case BelowColumn:
        return role == Qt::DisplayRole ? QVariant(belowText(node)) : QVariant();
    }
    return {};
}

QVariant ChangesModel::kindCell(const Node &node, int role) const
{
    if (node.change < 0)
        return role == Qt::DisplayRole ? QVariant(QString()) : QVariant();
    const ContainerChange &c = m_changes.at(node.change);
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
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return QString(QString(QLatin1Char(c.letter())) + QLatin1Char(' ') + word);
    return {};
}

QString ChangesModel::belowText(const Node &node) const
{
    if (node.children.isEmpty())
        return {};
    QStringList parts;
    if (node.below[0] > 0)
        parts << tr("%1 added").arg(node.below[0]);
    if (node.below[1] > 0)
        parts << tr("%1 changed").arg(node.below[1]);
    if (node.below[2] > 0)
        parts << tr("%1 deleted").arg(node.below[2]);
    return parts.join(QStringLiteral(", "));
}

} // namespace strata
