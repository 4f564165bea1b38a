// SPDX-License-Identifier: GPL-2.0-or-later
#include "historymodel.h"

#include "ui/images/storeformat.h"

namespace strata
{

HistoryModel::HistoryModel(QObject *parent)
    : ImageTableModel({tr("Instruction"), tr("Layer"), tr("Size"), tr("Created"), tr("Comment")}, parent)
{
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || image() < 0)
        return 0;
    return static_cast<int>(store()->imageAt(image()).history.size());
}

const HistoryEntry *HistoryModel::entry(int row) const
{
    const int n = rowCount();
    return row >= 0 && row < n ? &store()->imageAt(image()).history.at(n - 1 - row) : nullptr;
}

int HistoryModel::layerIndex(int row) const
{
    const HistoryEntry *h = entry(row);
    return h && h->layerIndex >= 0 && h->layerIndex < store()->imageLayerCount(image()) ? h->layerIndex : -1;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    const HistoryEntry *h = entry(index.isValid() ? index.row() : -1);
    if (!h)
        return {};
    const int layer = layerIndex(index.row());
    switch (static_cast<Column>(index.column())) {
    case InstructionColumn:
        if (role == Qt::DecorationRole)
            return StoreFormat::icon(layer >= 0 ? QStyle::SP_DirClosedIcon : QStyle::SP_FileDialogInfoView);
        return cell(role, h->createdBy.isEmpty() ? tr("(none)") : h->createdBy, h->createdByRaw, true);
    case LayerColumn:
        if (layer >= 0)
            return cell(role, tr("layer %1").arg(layer));
        return cell(role,
            h->emptyLayer ? tr("no layer") : tr("unknown"),
            h->emptyLayer ? tr("Only the image's config changed (ENV, LABEL, CMD…): no files, no layer")
                          : tr("The history does not pair with the layers"));
    case SizeColumn: {
        const qint64 size = layer >= 0 ? store()->imageLayerAt(image(), layer).size : -1;
        return cell(role, layer >= 0 ? StoreFormat::size(size) : QString(), StoreFormat::exactSize(size));
    }
    case CreatedColumn:
        return cell(role, StoreFormat::created(h->created), h->created);
    case CommentColumn:
        return cell(role, h->comment);
    }
    return {};
}

} // namespace strata
