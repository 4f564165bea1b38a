// SPDX-License-Identifier: GPL-2.0-or-later
#include "layersmodel.h"

#include "ui/images/storeformat.h"

namespace strata
{

LayersModel::LayersModel(QObject *parent)
    : ImageTableModel(
        {tr("#"), tr("Instruction"), tr("Size"), tr("Shared"), tr("Short link"), tr("Directory or blob (cache-id)")},
        parent)
{
}

int LayersModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || image() < 0)
        return 0;
    return static_cast<int>(store()->imageLayerCount(image()));
}

int LayersModel::layerIndex(int row) const
{
    const int n = rowCount();
    return row >= 0 && row < n ? n - 1 - row : -1;
}

QVariant LayersModel::data(const QModelIndex &index, int role) const
{
    const int k = layerIndex(index.isValid() ? index.row() : -1);
    if (k < 0)
        return {};
    const StoreLayer &l = store()->imageLayerAt(image(), k);
    if (role == SharedByRole)
        return store()->imagesUsing(l.cacheId);
    if (role == LayerIndexRole)
        return l.index;
    switch (static_cast<Column>(index.column())) {
    case IndexColumn:
        return indexCell(l, role);
    case InstructionColumn: {
        QString instruction = l.createdBy;
        if (instruction.isEmpty())
            instruction = l.historyIndex < 0 ? tr("(unknown: history does not pair with layers)") : tr("(none)");
        return cell(role,
            instruction,
            l.createdByRaw.isEmpty() ? instruction : tr("As stored in the image's history:\n%1").arg(l.createdByRaw),
            true);
    }
    case SizeColumn:
        return cell(role, StoreFormat::size(l.size), StoreFormat::exactSize(l.size));
    case SharedColumn:
        return sharedCell(l, role);
    case LinkColumn:
        return cell(role,
            l.alias.isEmpty() ? tr("(none)") : l.alias,
            l.alias.isEmpty() ? QString() : tr("%1 is a short link to %2").arg(l.alias, l.diffDir),
            true);
    case DirColumn:
        return cell(role, l.cacheId.isEmpty() ? tr("(not in the layer store)") : l.cacheId, l.diffDir, true);
    }
    return {};
}

QVariant LayersModel::indexCell(const StoreLayer &l, int role) const
{
    if (role == Qt::DecorationRole)
        return StoreFormat::icon(l.problems.isEmpty() ? QStyle::SP_DirClosedIcon : QStyle::SP_MessageBoxWarning);
    QString tip = tr("Layer %1 (0 is the bottom)\ndiff ID %2\nchain ID %3").arg(l.index).arg(l.diffId, l.chainId);
    if (!l.problems.isEmpty())
        tip += QStringLiteral("\n\n") + l.problems.join(QLatin1Char('\n'));
    return cell(role, QString::number(l.index), tip);
}

// Shared when another image's layers include the same directory.
QVariant LayersModel::sharedCell(const StoreLayer &l, int role) const
{
    const qsizetype images = l.cacheId.isEmpty() ? 0 : store()->imageIdsUsing(l.cacheId).size();
    if (images <= 1)
        return cell(role, tr("this image only"));
    if (role == Qt::DecorationRole)
        return StoreFormat::icon(QStyle::SP_FileLinkIcon);
    return cell(role,
        tr("%n images", nullptr, static_cast<int>(images)),
        tr("Shared: the same directory is a layer of\n%1")
            .arg(store()->imagesUsing(l.cacheId).join(QLatin1Char('\n'))));
}

} // namespace strata
