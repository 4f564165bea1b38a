// SPDX-License-Identifier: GPL-2.0-or-later
#include "imagesmodel.h"

#include "ui/images/storeformat.h"

namespace strata
{

ImagesModel::ImagesModel(QObject *parent)
    : StoreTableModel({tr("Image (tags)"), tr("ID"), tr("Created"), tr("Size"), tr("Layers")}, parent)
{
}

void ImagesModel::storeChanged()
{
    listRows();
}

void ImagesModel::setShowIntermediate(bool show)
{
    if (show == m_showIntermediate)
        return;
    beginResetModel();
    m_showIntermediate = show;
    listRows();
    endResetModel();
}

void ImagesModel::listRows()
{
    m_rows.clear();
    if (!store())
        return;
    for (qsizetype i = 0; i < store()->imageCount(); ++i) {
        if (m_showIntermediate || !store()->imageAt(i).intermediate)
            m_rows << i;
    }
}

qsizetype ImagesModel::imageIndex(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : -1;
}

int ImagesModel::rowOf(qsizetype index) const
{
    return static_cast<int>(m_rows.indexOf(index));
}

int ImagesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant ImagesModel::data(const QModelIndex &index, int role) const
{
    const qsizetype i = imageIndex(index.isValid() ? index.row() : -1);
    if (i < 0)
        return {};
    const StoreImage &img = store()->imageAt(i);
    switch (static_cast<Column>(index.column())) {
    case TagsColumn: {
        QString tags = img.tags.join(QStringLiteral(", "));
        if (tags.isEmpty())
            tags = img.intermediate ? tr("<none> (build step)") : tr("<none>");
        return recordCell(
            role, tags, QStyle::SP_DriveHDIcon, img.tags.join(QLatin1Char('\n')), img.error, img.problems);
    }
    case IdColumn:
        return cell(role, img.shortId(), img.id, true);
    case CreatedColumn:
        return cell(role, StoreFormat::created(img.created), img.created);
    case SizeColumn:
        return cell(role, StoreFormat::size(img.size), StoreFormat::exactSize(img.size));
    case LayersColumn: {
        QString text = QString::number(store()->imageLayerCount(i));
        if (const int shared = store()->sharedLayerCount(i); shared > 0)
            text += tr(" (%n shared)", nullptr, shared);
        return cell(role, text);
    }
    }
    return {};
}

} // namespace strata
