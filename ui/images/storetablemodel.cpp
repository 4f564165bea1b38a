// SPDX-License-Identifier: GPL-2.0-or-later
#include "storetablemodel.h"

#include "ui/images/storeformat.h"

namespace strata
{

StoreTableModel::StoreTableModel(const QStringList &headers, QObject *parent)
    : QAbstractTableModel(parent), m_headers(headers)
{
}

int StoreTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_headers.size());
}

QVariant StoreTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= m_headers.size())
        return {};
    return m_headers.at(section);
}

void StoreTableModel::setHeader(int column, const QString &text)
{
    if (column < 0 || column >= m_headers.size() || m_headers.at(column) == text)
        return;
    m_headers[column] = text;
    Q_EMIT headerDataChanged(Qt::Horizontal, column, column);
}

QVariant StoreTableModel::cell(int role, const QString &text, const QString &toolTip, bool fixed)
{
    switch (role) {
    case Qt::DisplayRole:
        return text;
    case Qt::ToolTipRole:
        return toolTip.isEmpty() ? text : toolTip;
    case Qt::FontRole:
        return fixed ? QVariant(StoreFormat::fixedFont()) : QVariant();
    default:
        return {};
    }
}

QVariant StoreTableModel::recordCell(int role,
    const QString &text,
    QStyle::StandardPixmap icon,
    const QString &toolTip,
    const QString &error,
    const QStringList &problems)
{
    const bool bad = !error.isEmpty() || !problems.isEmpty();
    if (role == Qt::DecorationRole)
        return StoreFormat::icon(bad ? QStyle::SP_MessageBoxWarning : icon);
    if (!bad)
        return cell(role, text, toolTip);
    return cell(
        role, text, tr("Problems:\n%1").arg((QStringList {error} + problems).join(QLatin1Char('\n')).trimmed()));
}

void StoreTableModel::setStore(std::shared_ptr<const ImageStore> store)
{
    beginResetModel();
    replaceStore(std::move(store));
    storeChanged();
    endResetModel();
}

} // namespace strata
