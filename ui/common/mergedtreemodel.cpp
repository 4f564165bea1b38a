// SPDX-License-Identifier: GPL-2.0-or-later
#include "mergedtreemodel.h"

#include "core/util/filename.h"
#include "ui/common/ink.h"

#include <QApplication>
#include <QColor>
#include <QFile>
#include <QFont>
#include <QLocale>
#include <QPixmap>
#include <QSet>
#include <QStyle>

namespace strata
{

MergedTreeModel::MergedTreeModel(QObject *parent) : QAbstractItemModel(parent)
{
}

void MergedTreeModel::setTree(std::shared_ptr<const MergedTree> tree)
{
    setTree(tree ? std::make_shared<const PatchedTree>(std::move(tree)) : nullptr);
}

void MergedTreeModel::setTree(std::shared_ptr<const PatchedTree> tree)
{
    beginResetModel();
    m_layerIcons.clear(); // another stack, other colours
    m_tree = std::move(tree);
    m_ghost.reset();
    endResetModel();
}

bool MergedTreeModel::applyPatch(const TreePatch &patch)
{
    if (!m_tree || m_tree != patch.base || !patch.tree)
        return false;
    clearGhost(); // its row would move with every step; the views set it again
    // The patched tree, showing each changed directory's old children until its rows move.
    auto work = std::make_shared<PatchedTree>(*patch.tree);
    for (const TreePatch::Change &c : patch.changes)
        work->setChildren(c.parent, c.before);
    m_tree = work;
    for (const TreePatch::Change &c : patch.changes)
        applyChange(*work, c);
    m_tree = patch.tree;
    announceRefreshed(patch.refreshed);
    return true;
}

void MergedTreeModel::applyChange(PatchedTree &work, const TreePatch::Change &change)
{
    const QModelIndex parent = indexForNode(change.parent);
    const QSet<NodeId> kept(change.after.cbegin(), change.after.cend());
    const QSet<NodeId> old(change.before.cbegin(), change.before.cend());
    QList<NodeId> rows = change.before;
    for (qsizetype i = rows.size() - 1; i >= 0;) {
        if (kept.contains(rows.at(i))) {
            --i;
            continue;
        }
        qsizetype first = i;
        while (first > 0 && !kept.contains(rows.at(first - 1)))
            --first;
        beginRemoveRows(parent, int(first), int(i));
        rows.remove(first, i - first + 1);
        work.setChildren(change.parent, rows);
        endRemoveRows();
        i = first - 1;
    }
    // What is left are the kept entries, in the same order as in `after`.
    for (qsizetype i = 0; i < change.after.size();) {
        if (old.contains(change.after.at(i))) {
            ++i;
            continue;
        }
        qsizetype last = i;
        while (last + 1 < change.after.size() && !old.contains(change.after.at(last + 1)))
            ++last;
        beginInsertRows(parent, int(i), int(last));
        rows = change.after.mid(0, last + 1) + rows.mid(i);
        work.setChildren(change.parent, rows);
        endInsertRows();
        i = last + 1;
    }
}

void MergedTreeModel::announceRefreshed(const QList<NodeId> &ids)
{
    QHash<NodeId, std::pair<int, int>> ranges; // per parent: first and last row
    for (const NodeId id : ids) {
        if (!m_tree->contains(id) || id == PatchedTree::root())
            continue;
        const NodeId p = m_tree->parent(id);
        const int r = static_cast<int>(m_tree->row(id));
        auto it = ranges.find(p);
        if (it == ranges.end())
            ranges.insert(p, {r, r});
        else
            *it = {std::min(it->first, r), std::max(it->second, r)};
    }
    for (auto it = ranges.cbegin(); it != ranges.cend(); ++it) {
        const QModelIndex parent = indexForNode(it.key());
        Q_EMIT dataChanged(index(it->first, 0, parent), index(it->second, ColumnCount - 1, parent));
    }
}

QModelIndex MergedTreeModel::indexForNode(NodeId id) const
{
    if (!m_tree || id == MergedTree::root() || !m_tree->contains(id))
        return {};
    const NodeId parent = m_tree->parent(id);
    int row = static_cast<int>(m_tree->row(id));
    if (m_ghost && m_ghost->parent == parent && row >= m_ghost->row)
        ++row; // below the ghost
    return createIndex(row, 0, static_cast<quintptr>(id));
}

QModelIndex MergedTreeModel::ghostParentIndex() const
{
    return m_ghost && m_ghost->parent != MergedTree::root() ? indexForNode(m_ghost->parent) : QModelIndex();
}

QModelIndex MergedTreeModel::ghostIndex() const
{
    return m_ghost ? createIndex(m_ghost->row, 0, GhostId) : QModelIndex();
}

void MergedTreeModel::clearGhost()
{
    if (!m_ghost)
        return;
    beginRemoveRows(ghostParentIndex(), m_ghost->row, m_ghost->row);
    m_ghost.reset();
    endRemoveRows();
}

void MergedTreeModel::setGhost(const QString &path)
{
    if (m_ghost && m_ghost->path == path)
        return;
    clearGhost();
    if (!m_tree || m_tree->nodeCount() == 0)
        return;
    const QList<QByteArray> parts = encodeFileName(path).split('/');
    NodeId at = MergedTree::root();
    qsizetype missing = 0;
    for (; missing < parts.size(); ++missing) {
        const QByteArray &part = parts.at(missing);
        if (part.isEmpty())
            continue;
        const auto next = m_tree->child(at, std::string_view(part.constData(), static_cast<size_t>(part.size())));
        if (!next || !m_tree->node(*next).isDir())
            break;
        at = *next;
    }
    if (missing == parts.size())
        return; // it is here
    Ghost g;
    g.parent = at;
    g.path = path;
    g.label = decodeFileName(parts.mid(missing).join('/'));
    // Where its name sorts among the parent's children (they are sorted by name).
    const QByteArray &first = parts.at(missing);
    const std::uint32_t count = m_tree->childCount(at);
    const std::string_view name(first.constData(), static_cast<size_t>(first.size()));
    while (static_cast<std::uint32_t>(g.row) < count && m_tree->name(m_tree->childAt(at, g.row)) <= name)
        ++g.row;
    const QModelIndex parent = at == MergedTree::root() ? QModelIndex() : indexForNode(at);
    beginInsertRows(parent, g.row, g.row);
    m_ghost = g;
    endInsertRows();
}

QModelIndex MergedTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!m_tree || row < 0 || column < 0 || column >= ColumnCount || (parent.isValid() && isGhost(parent)))
        return {};
    const NodeId parentId = parent.isValid() ? static_cast<NodeId>(parent.internalId()) : MergedTree::root();
    int child = row;
    if (m_ghost && m_ghost->parent == parentId) {
        if (row == m_ghost->row)
            return createIndex(row, column, GhostId);
        if (row > m_ghost->row)
            --child;
    }
    if (static_cast<std::uint32_t>(child) >= m_tree->childCount(parentId))
        return {};
    return createIndex(
        row, column, static_cast<quintptr>(m_tree->childAt(parentId, static_cast<std::uint32_t>(child))));
}

QModelIndex MergedTreeModel::parent(const QModelIndex &child) const
{
    if (!m_tree || !child.isValid())
        return {};
    if (isGhost(child))
        return ghostParentIndex();
    const NodeId id = static_cast<NodeId>(child.internalId());
    const NodeId parentId = m_tree->parent(id);
    if (parentId == MergedTree::root() || parentId == InvalidNode)
        return {};
    return indexForNode(parentId);
}

int MergedTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!m_tree || m_tree->nodeCount() == 0)
        return 0;
    if (parent.isValid() && (parent.column() != 0 || isGhost(parent)))
        return 0;
    const NodeId id = parent.isValid() ? static_cast<NodeId>(parent.internalId()) : MergedTree::root();
    return static_cast<int>(m_tree->childCount(id)) + (m_ghost && m_ghost->parent == id ? 1 : 0);
}

int MergedTreeModel::columnCount(const QModelIndex &parent) const
{
    Q_UNUSED(parent)
    return ColumnCount;
}

QString MergedTreeModel::displayName(NodeId id) const
{
    const std::string_view n = m_tree->name(id);
    return decodeFileName(QByteArray(n.data(), static_cast<qsizetype>(n.size())));
}

QString MergedTreeModel::notes(NodeId id) const
{
    const MergedNode &n = m_tree->node(id);
    QStringList parts;
    if (n.has(MergedNode::Whiteout))
        parts << tr("deleted (whiteout)");
    if (n.has(MergedNode::Opaque))
        parts << tr("opaque");
    if (n.has(MergedNode::Redirect))
        parts << tr("redirect → %1").arg(QString::fromUtf8(m_tree->redirect(id)));
    if (n.has(MergedNode::Metacopy))
        parts << tr("metacopy");
    QStringList merged;
    QStringList hidden;
    for (const auto &s : m_tree->shadows(id)) {
        const QString layer = m_tree->layers().at(s.layer).name;
        if (s.reason == MergedTree::ShadowReason::Merged)
            merged << layer;
        else if (s.reason != MergedTree::ShadowReason::DataSource)
            hidden << layer;
    }
    if (!merged.isEmpty())
        parts << tr("merged with %1").arg(merged.join(QStringLiteral(", ")));
    if (!hidden.isEmpty())
        parts
            << (n.has(MergedNode::Whiteout) ? tr("hides %1") : tr("shadows %1")).arg(hidden.join(QStringLiteral(", ")));
    if (n.has(MergedNode::HasError))
        parts << (n.has(MergedNode::Unreadable) && (n.mode & 07777) == 0 ? problem(id)
                                                                         : tr("error: %1").arg(problem(id)));
    return parts.join(QStringLiteral(" · "));
}

QString MergedTreeModel::problem(NodeId id) const
{
    const MergedNode &n = m_tree->node(id);
    // The kernel creates workdir/work with mode 000: a normal user cannot list it, and that is
    // by design, not damage.
    if (n.has(MergedNode::Unreadable) && (n.mode & 07777) == 0)
        return tr("closed (mode 000): the kernel creates its work directory this way; only root can look inside");
    return m_tree->error(id);
}

QColor MergedTreeModel::layerColor(int layer, int layerCount, bool upper)
{
    // Upper is always the same warm colour; lowers get cool hues, darker further down.
    if (upper)
        return QColor(0xe6, 0x7e, 0x22);
    const int lowers = std::max(1, layerCount);
    const int step = layer * 200 / lowers;
    return QColor::fromHsv((200 + step) % 360, 150, 200 - std::min(80, layer * 12));
}

const QIcon &MergedTreeModel::standardIcon(QStyle::StandardPixmap which) const
{
    // Made once: the style decodes its PNGs on every call, and views ask for every row.
    auto it = m_icons.find(which);
    if (it == m_icons.end())
        it = m_icons.insert(which, QApplication::style()->standardIcon(which));
    return *it;
}

QIcon MergedTreeModel::layerIcon(std::uint16_t layer) const
{
    if (layer < m_layerIcons.size() && !m_layerIcons[layer].isNull())
        return m_layerIcons[layer];
    const MergeLayer &l = m_tree->layers().at(layer);
    const QColor c = layerColor(layer, static_cast<int>(m_tree->layers().size()), l.role == LayerRole::Upper);
    QPixmap pm(12, 12);
    pm.fill(c);
    if (m_layerIcons.size() <= layer)
        m_layerIcons.resize(layer + 1);
    m_layerIcons[layer] = QIcon(pm);
    return m_layerIcons[layer];
}

QString MergedTreeModel::explain(NodeId id) const
{
    if (!m_tree || !m_tree->contains(id))
        return {};
    const MergedNode &n = m_tree->node(id);
    const auto layerName = [this](std::uint16_t l) {
        const MergeLayer &ml = m_tree->layers().at(l);
        return ml.viaOverlay.isEmpty() ? ml.name : tr("%1 (through overlay %2)").arg(ml.name, ml.viaOverlay);
    };
    const QString path = decodeFileName(m_tree->path(id));
    QStringList s;
    if (n.has(MergedNode::Whiteout)) {
        s << tr("%1 was deleted: %2 holds a whiteout (a character device 0/0) with this name, so the kernel hides it.")
                 .arg(path, layerName(n.layer));
    } else {
        s << tr("%1 comes from %2.").arg(path, layerName(n.layer));
    }
    QStringList merged;
    QStringList hidden;
    for (const auto &sh : m_tree->shadows(id)) {
        if (sh.reason == MergedTree::ShadowReason::Merged)
            merged << layerName(sh.layer);
        else if (sh.reason == MergedTree::ShadowReason::DataSource)
            s << tr("Its data is read from %1 (metadata-only copy-up).").arg(layerName(sh.layer));
        else
            hidden << tr("%1 (%2)").arg(layerName(sh.layer), entryTypeName(sh.type));
    }
    if (!merged.isEmpty())
        s << tr("The directory is merged: its listing also shows the contents of %1.")
                 .arg(merged.join(QStringLiteral(", ")));
    if (n.has(MergedNode::Opaque))
        s << tr("It is opaque (overlay.opaque=y): nothing below it shows through.");
    if (n.has(MergedNode::Redirect))
        s << tr("It was renamed: overlay.redirect points lookup at \"%1\" in the lower layers.")
                 .arg(QString::fromUtf8(m_tree->redirect(id)));
    if (!hidden.isEmpty()) {
        s << (n.has(MergedNode::Whiteout) ? tr("It hides: %1.") : tr("It shadows lower copies in: %1."))
                 .arg(hidden.join(QStringLiteral(", ")));
    }
    if (n.has(MergedNode::HasError))
        s << tr("Problem: %1").arg(problem(id));
    return s.join(QLatin1Char(' '));
}

QVariant MergedTreeModel::ghostData(const QModelIndex &index, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn)
            return m_ghost->label;
        return index.column() == NotesColumn ? tr("— not in this layer") : QString();
    case Qt::ForegroundRole:
        return Ink::dimmed(QGuiApplication::palette());
    case Qt::FontRole: {
        QFont f;
        f.setItalic(true);
        return f;
    }
    case Qt::ToolTipRole:
        return tr("%1 is not in this layer: this empty row keeps it in line with the other columns.")
            .arg(m_ghost->path);
    case NodeIdRole:
        return static_cast<quint32>(InvalidNode);
    case IsWhiteoutRole:
        return false;
    case MergedPathRole:
        return m_ghost->path;
    case IsGhostRole:
        return true;
    default:
        return {};
    }
}

QVariant MergedTreeModel::data(const QModelIndex &index, int role) const
{
    if (!m_tree || !index.isValid())
        return {};
    if (isGhost(index))
        return m_ghost ? ghostData(index, role) : QVariant();
    const NodeId id = static_cast<NodeId>(index.internalId());
    const MergedNode &n = m_tree->node(id);
    const bool whiteout = n.has(MergedNode::Whiteout);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return displayName(id);
        case LayerColumn: {
            const MergeLayer &l = m_tree->layers().at(n.layer);
            return l.viaOverlay.isEmpty() ? l.name : tr("%1 (via %2)").arg(l.name, l.viaOverlay);
        }
        case TypeColumn:
            return entryTypeName(n.type);
        case SizeColumn:
            return n.isDir() || whiteout ? QString() : QLocale().formattedDataSize(n.size);
        case ModeColumn:
            return modeString(n.type, n.mode);
        case NotesColumn:
            return notes(id);
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == LayerColumn)
            return layerIcon(n.layer);
        if (index.column() != NameColumn)
            return {};
        if (whiteout)
            return standardIcon(QStyle::SP_TrashIcon);
        if (n.has(MergedNode::Unreadable) && (n.mode & 07777) == 0)
            return standardIcon(QStyle::SP_DirClosedIcon); // closed by design (work/work), not broken
        if (n.has(MergedNode::HasError))
            return standardIcon(QStyle::SP_MessageBoxWarning);
        if (n.isDir())
            return standardIcon(QStyle::SP_DirIcon);
        if (n.type == EntryType::Symlink)
            return standardIcon(QStyle::SP_FileLinkIcon);
        return standardIcon(QStyle::SP_FileIcon);
    case Qt::ForegroundRole:
        if (whiteout)
            return Ink::dimmed(QGuiApplication::palette()); // presentation mode and --dark set it
        return {};
    case Qt::FontRole:
        if (whiteout && index.column() == NameColumn) {
            QFont f;
            f.setStrikeOut(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole:
        return explain(id);
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case NodeIdRole:
        return static_cast<quint32>(id);
    case IsWhiteoutRole:
        return whiteout;
    case MergedPathRole:
        return decodeFileName(m_tree->path(id));
    case IsGhostRole:
        return false;
    default:
        return {};
    }
}

QVariant MergedTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    // In Column's order.
    static constexpr const char *titles[ColumnCount] = {QT_TR_NOOP("Name"),
        QT_TR_NOOP("Provided by"),
        QT_TR_NOOP("Type"),
        QT_TR_NOOP("Size"),
        QT_TR_NOOP("Mode"),
        QT_TR_NOOP("Overlay notes")};
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    return tr(titles[section]);
}

} // namespace strata
