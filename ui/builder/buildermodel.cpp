// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/builder/buildermodel.h"

#include <QDir>
#include <QMimeData>

#include <algorithm>

namespace strata
{

namespace
{

const QString MimeType = QStringLiteral("application/x-strata-builder-lower");

} // namespace

BuilderModel::BuilderModel(QObject *parent) : QAbstractItemModel(parent)
{
}

void BuilderModel::setDraft(const StackDraft &draft)
{
    beginResetModel();
    m_draft = draft;
    endResetModel();
}

void BuilderModel::setDataOnlyRefusal(const QString &reason)
{
    if (reason == m_dataOnlyRefusal)
        return;
    m_dataOnlyRefusal = reason;
    for (int o = 0; o < rowCount(); ++o) {
        const int rows = rowCount(overlayIndex(o));
        if (rows > 0)
            Q_EMIT dataChanged(lowerIndex(o, 0), lowerIndex(o, rows - 1));
    }
}

bool BuilderModel::isDataRow(int overlay, int lower) const
{
    return lower >= m_draft.lowerDirs(overlay).size();
}

QModelIndex BuilderModel::overlayIndex(int overlay) const
{
    return index(overlay, 0);
}

QModelIndex BuilderModel::lowerIndex(int overlay, int lower) const
{
    return index(lower, 0, overlayIndex(overlay));
}

// internalId: 0 for an overlay's row, overlay + 1 for its lowers.
int BuilderModel::overlayOf(const QModelIndex &index)
{
    if (!index.isValid())
        return -1;
    return index.internalId() == 0 ? index.row() : int(index.internalId()) - 1;
}

int BuilderModel::lowerOf(const QModelIndex &index)
{
    return index.isValid() && index.internalId() != 0 ? index.row() : -1;
}

QModelIndex BuilderModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row() + 1) : quintptr(0));
}

QModelIndex BuilderModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId()) - 1, 0, quintptr(0));
}

int BuilderModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_draft.overlays.size());
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return int(m_draft.layerRows(parent.row()).size());
}

int BuilderModel::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant BuilderModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const int overlay = overlayOf(index);
    const int lower = lowerOf(index);
    const OverlayRequest &r = m_draft.overlays.at(overlay);
    switch (role) {
    case OverlayRole:
        return overlay;
    case LowerRole:
        return lower;
    case PathRole:
        return lower < 0 ? m_draft.mountpointOf(overlay) : m_draft.layerRows(overlay).at(lower);
    case Qt::CheckStateRole:
        if (lower < 0 || (!r.stackOn.isEmpty() && lower == 0))
            return {};
        return isDataRow(overlay, lower) ? Qt::Checked : Qt::Unchecked;
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        break;
    default:
        return {};
    }
    if (lower < 0) {
        const QString kind = r.upper.isEmpty() ? tr("read-only") : tr("writable");
        return tr("%1 (%2, %n lower(s))", nullptr, int(m_draft.lowerDirs(overlay).size())).arg(r.name, kind);
    }
    const QString path = m_draft.layerRows(overlay).at(lower);
    if (!r.stackOn.isEmpty() && lower == 0)
        return tr("merged view of %1").arg(r.stackOn);
    const QString shown = role == Qt::ToolTipRole ? QDir::toNativeSeparators(path) : QDir(path).dirName();
    if (isDataRow(overlay, lower)) {
        const QString text = tr("data only: %1").arg(shown);
        return role == Qt::ToolTipRole
            ? tr("%1\nA data-only layer (lowerdir=…::%2): never in the merged view; it holds the data of metacopy "
                 "files whose absolute redirect leads into it.")
                  .arg(text, QDir(path).dirName())
            : text;
    }
    if (role == Qt::ToolTipRole && !m_dataOnlyRefusal.isEmpty())
        return tr("%1\nData only: %2").arg(shown, m_dataOnlyRefusal);
    return tr("lower %1: %2").arg(lower + 1).arg(shown);
}

Qt::ItemFlags BuilderModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const int overlay = overlayOf(index);
    const int lower = lowerOf(index);
    const bool stacked = !m_draft.overlays.at(overlay).stackOn.isEmpty();
    // A lower can be made data-only where the kernel takes datadir+ (never the merged view).
    const Qt::ItemFlags checkable
        = lower < 0 || (stacked && lower == 0) || (!m_dataOnlyRefusal.isEmpty() && !isDataRow(overlay, lower))
        ? Qt::NoItemFlags
        : Qt::ItemIsUserCheckable;
    if (stacked || (lower >= 0 && isDataRow(overlay, lower)))
        return base | checkable;
    return lower < 0 ? base | Qt::ItemIsDropEnabled : base | Qt::ItemIsDragEnabled | Qt::ItemIsDropEnabled | checkable;
}

Qt::DropActions BuilderModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

QStringList BuilderModel::mimeTypes() const
{
    return {MimeType};
}

QMimeData *BuilderModel::mimeData(const QModelIndexList &indexes) const
{
    if (indexes.size() != 1 || lowerOf(indexes.first()) < 0)
        return nullptr;
    auto *m = new QMimeData;
    m->setData(
        MimeType, QByteArray::number(overlayOf(indexes.first())) + ' ' + QByteArray::number(lowerOf(indexes.first())));
    return m;
}

bool BuilderModel::dropMimeData(const QMimeData *data, Qt::DropAction, int row, int, const QModelIndex &parent)
{
    if (!data || !data->hasFormat(MimeType))
        return false;
    const QList<QByteArray> words = data->data(MimeType).split(' ');
    if (words.size() != 2)
        return false;
    const int overlay = words.at(0).toInt();
    const int from = words.at(1).toInt();
    // Dropped on a lower: before it; on the overlay's row: at `row`, or at the end.
    const int target = overlayOf(parent);
    if (target != overlay)
        return false;
    // Among the regular lowers only: the data-only layers stay below them.
    const int count = int(m_draft.lowerDirs(overlay).size());
    int at = lowerOf(parent) >= 0 ? lowerOf(parent) : row < 0 ? count : std::min(row, count);
    if (at > count)
        return false;
    if (at > from)
        --at;
    if (at == from || from < 0 || from >= count)
        return false;
    Q_EMIT moveRequested(overlay, from, at);
    return true;
}

bool BuilderModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || !(flags(index) & Qt::ItemIsUserCheckable))
        return false;
    // The builder makes it an undoable change and sets the draft again.
    Q_EMIT dataOnlyRequested(overlayOf(index), lowerOf(index), value.toInt() == Qt::Checked);
    return true;
}

} // namespace strata
