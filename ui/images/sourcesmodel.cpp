// SPDX-License-Identifier: GPL-2.0-or-later
#include "sourcesmodel.h"

#include "ui/images/storeformat.h"

#include <QDir>

namespace strata
{

namespace
{

QStyle::StandardPixmap kindIcon(const StoreSource &s)
{
    if (!s.isAvailable())
        return QStyle::SP_MessageBoxCritical;
    if (s.kind == QLatin1String("Archive"))
        return QStyle::SP_FileIcon;
    return QStyle::SP_DriveHDIcon;
}

} // namespace

SourcesModel::SourcesModel(QObject *parent) : QAbstractListModel(parent)
{
}

void SourcesModel::setDiscovered(const QVector<StoreSource> &sources)
{
    beginResetModel();
    m_found = sources;
    endResetModel();
}

int SourcesModel::addArchive(const StoreSource &source)
{
    const int first = static_cast<int>(m_found.size());
    for (qsizetype i = 0; i < m_archives.size(); ++i) {
        if (m_archives.at(i).root == source.root) {
            m_archives[i] = source;
            const QModelIndex idx = index(first + static_cast<int>(i));
            Q_EMIT dataChanged(idx, idx);
            return idx.row();
        }
    }
    const int row = first + static_cast<int>(m_archives.size());
    beginInsertRows({}, row, row);
    m_archives << source;
    endInsertRows();
    return row;
}

const StoreSource *SourcesModel::source(int row) const
{
    if (row < 0)
        return nullptr;
    if (row < m_found.size())
        return &m_found.at(row);
    row -= static_cast<int>(m_found.size());
    return row < m_archives.size() ? &m_archives.at(row) : nullptr;
}

int SourcesModel::rowOf(const ImageStore *store) const
{
    for (int r = 0; r < rowCount(); ++r) {
        if (store && source(r)->store.get() == store)
            return r;
    }
    return -1;
}

int SourcesModel::rowOf(const QString &kind, const QString &root) const
{
    for (int r = 0; r < rowCount(); ++r) {
        if (source(r)->kind == kind && source(r)->root == root)
            return r;
    }
    return -1;
}

int SourcesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_found.size() + m_archives.size());
}

QVariant SourcesModel::data(const QModelIndex &index, int role) const
{
    const StoreSource *s = index.isValid() ? source(index.row()) : nullptr;
    if (!s)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1\n%2").arg(s->name, s->summary());
    case Qt::ToolTipRole: {
        QString tip = QDir::toNativeSeparators(s->root);
        if (!s->detail.isEmpty())
            tip += QLatin1Char('\n') + s->detail;
        return s->isAvailable() ? tip : tip + QLatin1Char('\n') + tr("Cannot be read: %1").arg(s->unavailable);
    }
    case Qt::DecorationRole:
        return StoreFormat::icon(kindIcon(*s));
    case UnavailableRole:
        return s->unavailable;
    case KindRole:
        return s->kind;
    default:
        return {};
    }
}

Qt::ItemFlags SourcesModel::flags(const QModelIndex &index) const
{
    const StoreSource *s = index.isValid() ? source(index.row()) : nullptr;
    if (!s)
        return Qt::NoItemFlags;
    return s->isAvailable() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren
                            : Qt::ItemNeverHasChildren;
}

} // namespace strata
