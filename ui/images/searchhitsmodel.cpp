// SPDX-License-Identifier: GPL-2.0-or-later
#include "searchhitsmodel.h"

#include "ui/images/storeformat.h"

#include <algorithm>

namespace strata
{

SearchHitsModel::SearchHitsModel(QObject *parent)
    : RecordTableModel({tr("Path"), tr("Kind"), tr("Layer"), tr("Used by"), tr("Notes")}, parent)
{
}

void SearchHitsModel::clear(bool grep)
{
    beginResetModel();
    m_records.clear();
    m_grep = grep;
    endResetModel();
    setHeader(MatchColumn, grep ? tr("Line: match") : tr("Notes"));
}

void SearchHitsModel::append(const QVector<SearchHit> &hits)
{
    const qsizetype room = std::max<qsizetype>(0, m_maxRows - m_records.size());
    const qsizetype n = std::min(room, hits.size());
    if (n == 0)
        return;
    const int first = static_cast<int>(m_records.size());
    beginInsertRows({}, first, first + static_cast<int>(n) - 1);
    m_records.append(hits.mid(0, n));
    endInsertRows();
}

void SearchHitsModel::storeChanged()
{
    m_instructions.clear();
    if (!store())
        return;
    for (const StoreDir &d : store()->searchDirs()) {
        if (d.kind == StoreLayerKind::Image && !d.createdBy.isEmpty())
            m_instructions.insert(d.cacheId, d.createdBy);
    }
}

QString SearchHitsModel::layerText(const SearchHit &h) const
{
    const QString instruction = m_instructions.value(h.cacheId);
    if (instruction.isEmpty())
        return h.layer;
    // "layer 3 (9c1d…)": the directory's ID is in the tooltip.
    return QStringLiteral("%1: %2").arg(h.layer.section(QStringLiteral(" ("), 0, 0), instruction);
}

QVariant SearchHitsModel::cellData(const SearchHit &h, int column, int role) const
{
    switch (static_cast<Column>(column)) {
    case PathColumn:
        return pathCell(h, role);
    case KindColumn:
        return cell(role, kindText(h));
    case LayerColumn:
        return cell(role, layerText(h), QStringLiteral("%1\n%2").arg(h.layer, h.dir), true);
    case OwnerColumn:
        return cell(role, ownerText(h));
    case MatchColumn:
        return cell(role, matchText(h), {}, true);
    }
    return {};
}

QVariant SearchHitsModel::pathCell(const SearchHit &h, int role) const
{
    if (role == Qt::DecorationRole)
        return StoreFormat::icon(h.type == EntryType::Whiteout ? QStyle::SP_MessageBoxWarning
                : h.type == EntryType::Directory               ? QStyle::SP_DirIcon
                                                               : QStyle::SP_FileIcon);
    const QString path = QString::fromUtf8(h.path);
    return cell(role, path, h.diffDir + path, true);
}

QString SearchHitsModel::kindText(const SearchHit &h) const
{
    QString kind = h.type == EntryType::Whiteout ? tr("whiteout (deleted)") : entryTypeName(h.type);
    if (h.opaque)
        kind += tr(" (opaque)");
    return kind;
}

QString SearchHitsModel::ownerText(const SearchHit &h) const
{
    QString owner = h.container.isEmpty() ? h.images.join(QStringLiteral(", ")) : h.container;
    if (owner.isEmpty())
        owner = tr("no image");
    return QStringLiteral("%1: %2").arg(h.role, owner);
}

QString SearchHitsModel::matchText(const SearchHit &h) const
{
    if (m_grep)
        return h.binary ? tr("binary file matches")
                        : QStringLiteral("%1: %2").arg(h.line).arg(QString::fromUtf8(h.text).trimmed());
    if (h.type == EntryType::File)
        return StoreFormat::size(h.size);
    return {};
}

} // namespace strata
