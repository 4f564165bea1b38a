// SPDX-License-Identifier: GPL-2.0-or-later
#include "layercolumns.h"

#include "core/events/patchedtree.h"
#include "core/events/treepatcher.h"
#include "core/merge/mergedtree.h"
#include "core/util/filename.h"
#include "ui/common/eventstyle.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/common/treeloader.h"
#include "ui/stage/eventanimator.h"
#include "ui/stage/layerrowdelegate.h"

#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QModelIndex>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace strata
{

LayerColumns::LayerColumns(QWidget *parent)
    : QWidget(parent), m_scroll(new QScrollArea(this)), m_animator(new EventAnimator(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // Many layers (an image of 8 to 20): the strip scrolls sideways rather than cut names.
    // Every layer keeps a column of its own, so lining up, ghosts and animations work as for four.
    m_scroll->setObjectName(QStringLiteral("layerStrip"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    layout->addWidget(m_scroll);
}

void LayerColumns::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_animator->setGeometry(rect());
    scheduleFit();
}

void LayerColumns::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::FontChange)
        return;
    m_statusHeight = 0; // measured again for the new text
    for (const Slot &s : m_columns) {
        sizeIcons(s.view);
        sizeStatus(s.status);
    }
    scheduleFit(); // the names' widths changed with the text
}

void LayerColumns::sizeIcons(QTreeView *view) const
{
    // Icons as tall as the text's capitals and more: they stay a unit with the name at any size.
    const int side = std::max(16, fontMetrics().height() * 4 / 5);
    view->setIconSize(QSize(side, side));
    view->setIndentation(fontMetrics().height()); // narrow columns: names first
}

void LayerColumns::sizeStatus(QLabel *status) const
{
    // Two lines at least; fitStatuses() makes them all as tall as the longest needs.
    status->setFixedHeight(std::max(m_statusHeight, fontMetrics().lineSpacing() * 2 + 2));
}

const PatchedTree *LayerColumns::mergedTree() const
{
    const int merged = findColumn(LayerRole::Merged);
    return merged >= 0 ? m_columns[static_cast<size_t>(merged)].model->tree().get() : nullptr;
}

QStringList LayerColumns::possibleStatuses(size_t column) const
{
    // What statusOf() and the animations' holds may say here about the selected path.
    const Slot &s = m_columns[column];
    QStringList texts {s.status->text()};
    const QString name = QFileInfo(m_selected).fileName();
    const PatchedTree *merged = mergedTree();
    const MergeLayers layers = merged ? merged->layers() : MergeLayers();
    switch (s.role) {
    case LayerRole::Work:
        texts << tr("⚙ staging only: nothing stays here") << EventStyle::workNotes(name);
        break;
    case LayerRole::Merged:
        for (const MergeLayer &l : layers)
            texts << tr("✔ %1 from %2").arg(name, l.name) << tr("✖ deleted: a whiteout in %1").arg(l.name);
        break;
    case LayerRole::Lower:
    case LayerRole::Upper:
        texts << tr("† its whiteout hides the lower copies") << tr("▦ hidden by an opaque directory above");
        for (const MergeLayer &l : layers)
            texts << tr("▽ shadowed by %1").arg(l.name) << tr("✖ hidden by the whiteout in %1").arg(l.name);
        break;
    }
    return texts;
}

void LayerColumns::setStatus(size_t column, const QString &text)
{
    QLabel *l = m_columns[column].status;
    l->setText(text);
    // Up to three lines at the stage's size; a longer status (a long name in a narrow
    // column) is drawn a little smaller rather than lose its end.
    QFont f = font();
    const int w = l->contentsRect().width() - 2 * l->margin();
    const bool pixels = f.pixelSize() > 0;
    const double full = pixels ? f.pixelSize() : f.pointSizeF();
    for (double size = full; w > 0 && size >= full * 2 / 3; size -= full / 12) {
        if (pixels)
            f.setPixelSize(static_cast<int>(std::round(size)));
        else
            f.setPointSizeF(size);
        const QRect need = QFontMetrics(f).boundingRect(QRect(0, 0, w, 100000), Qt::TextWordWrap, text);
        if (need.height() + 2 <= l->height())
            break;
    }
    l->setFont(f);
}

int LayerColumns::statusWidthNeeded(size_t column) const
{
    // The narrowest width at which everything the column may say fits in three lines.
    const QStringList texts = possibleStatuses(column);
    const QFontMetrics fm(font());
    const int most = fm.lineSpacing() * 3;
    const auto fits = [&](int w) {
        return std::all_of(texts.cbegin(), texts.cend(), [&](const QString &t) {
            return fm.boundingRect(QRect(0, 0, w, 100000), Qt::TextWordWrap, t).height() <= most;
        });
    };
    int lo = fm.height();
    int hi = std::max(lo, fm.horizontalAdvance(texts.join(QLatin1Char(' '))));
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (fits(mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo + 2 * m_columns[column].status->margin();
}

void LayerColumns::fitStatuses()
{
    const int most = fontMetrics().lineSpacing() * 3 + 2;
    int h = fontMetrics().lineSpacing() * 2 + 2;
    for (size_t c = 0; c < m_columns.size(); ++c) {
        const QLabel *l = m_columns[c].status;
        const int w = l->contentsRect().width() - 2 * l->margin();
        if (w <= 0)
            continue;
        const QFontMetrics fm(font());
        for (const QString &t : possibleStatuses(c))
            h = std::max(h, fm.boundingRect(QRect(0, 0, w, 100000), Qt::TextWordWrap | Qt::AlignLeft, t).height() + 2);
    }
    h = std::min(h, most);
    // Only ever taller while the same columns show: a selection does not make rows jump back and forth.
    if (h > m_statusHeight) {
        m_statusHeight = h;
        for (const Slot &s : m_columns)
            sizeStatus(s.status);
    }
    for (size_t c = 0; c < m_columns.size(); ++c)
        setStatus(c, m_columns[c].status->text()); // the widths may have changed
}

void LayerColumns::scheduleFit()
{
    if (m_fitPending)
        return;
    m_fitPending = true;
    QTimer::singleShot(0, this, [this] {
        m_fitPending = false;
        fitColumns();
    });
}

namespace
{
// Lets a path wrap after its slashes, underscores and dashes (a zero-width space there).
QString breakable(QString title)
{
    for (const QLatin1Char c : {QLatin1Char('/'), QLatin1Char('_'), QLatin1Char('-')})
        title.replace(c, QString(c) + QChar(0x200B));
    return title;
}

// QTreeView's override (which adds the indentation) is protected; the base's is public.
int contentWidth(const QTreeView *v, int column)
{
    return static_cast<const QAbstractItemView *>(v)->sizeHintForColumn(column);
}
} // namespace

int LayerColumns::nameWidthNeeded(int column) const
{
    const QTreeView *v = m_columns.at(static_cast<size_t>(column)).view;
    return std::max(
        contentWidth(v, MergedTreeModel::NameColumn), v->header()->sectionSizeHint(MergedTreeModel::NameColumn));
}

// Every name whole: the columns share the width by what they show (names first, then notes),
// and each Name section is as wide as its widest shown name. Only when even that does not fit
// does a name lose its middle (the view elides there), never its end.
void LayerColumns::fitColumns()
{
    if (!m_row || m_columns.empty())
        return;
    const int n = static_cast<int>(m_columns.size());
    QList<int> need; // a column with its names whole
    QList<int> status; // what its status lines need on top of that, in three lines
    QList<int> notes; // what its notes would add
    int needSum = 0;
    int statusSum = 0;
    int notesSum = 0;
    for (int i = 0; i < n; ++i) {
        const QTreeView *v = m_columns[static_cast<size_t>(i)].view;
        // Frame and a vertical scroll bar when there is one; the box's margins.
        const int chrome = v->width() - v->viewport()->width() + 4;
        need << nameWidthNeeded(i) + chrome;
        status << std::max(0, statusWidthNeeded(static_cast<size_t>(i)) + 4 - need.last());
        notes << std::max(
            contentWidth(v, MergedTreeModel::NotesColumn), v->header()->sectionSizeHint(MergedTreeModel::NotesColumn));
        needSum += need.last();
        statusSum += status.last();
        notesSum += notes.last();
    }
    QList<int> sizes = m_row->sizes();
    const int handles = m_row->handleWidth() * (n - 1);
    const int room = m_scroll->viewport()->width() - handles;
    // A column is never narrower than its names (nor wider than the whole strip): when they
    // do not all fit, the strip scrolls sideways.
    int minSum = 0;
    for (int i = 0; i < n; ++i)
        minSum += std::min(need[i], std::max(room, 1));
    const bool sideways = room > 0 && minSum > room;
    m_row->setMinimumWidth(sideways ? minSum + handles : 0);
    if (sideways)
        m_row->resize(minSum + handles, m_row->height());
    const int total = sideways ? minSum : room;
    if (!m_userSized && total > 0) {
        // Names first, then the status lines whole, then the notes, then an even share.
        const int wantSum = needSum + statusSum;
        for (int i = 0; i < n; ++i) {
            const int want = need[i] + status[i];
            if (wantSum + notesSum <= total)
                sizes[i] = want + notes[i] + (total - wantSum - notesSum) / n;
            else if (wantSum <= total)
                sizes[i] = want + static_cast<int>(qint64(total - wantSum) * notes[i] / std::max(1, notesSum));
            else if (needSum <= total)
                sizes[i] = need[i] + static_cast<int>(qint64(total - needSum) * status[i] / std::max(1, statusSum));
            else
                sizes[i] = std::min(need[i], std::max(room, 1));
        }
        m_syncing = true; // the splitter's own signal is not the user's
        m_row->setSizes(sizes);
        m_syncing = false;
    }
    // The titles as tall as the tallest (one may wrap where the others do not): every tree's
    // first row on the same line.
    int titleHeight = 0;
    for (const Slot &s : m_columns)
        titleHeight = std::max(titleHeight, s.title->heightForWidth(std::max(1, s.title->width())));
    for (int i = 0; i < n; ++i) {
        const Slot &s = m_columns[static_cast<size_t>(i)];
        s.title->setMinimumHeight(titleHeight);
        const int viewRoom = s.view->viewport()->width();
        s.view->header()->resizeSection(
            MergedTreeModel::NameColumn, std::min(nameWidthNeeded(i), std::max(viewRoom, 40)));
    }
    fitStatuses();
}

bool LayerColumns::scrollsSideways() const
{
    return m_row && m_row->minimumWidth() > 0;
}

void LayerColumns::ensureVisible(int index)
{
    if (index >= 0 && index < columnCount())
        m_scroll->ensureWidgetVisible(m_columns[static_cast<size_t>(index)].view, 0, 0);
}

LayerRole LayerColumns::role(int column) const
{
    return m_columns.at(static_cast<size_t>(column)).role;
}

int LayerColumns::findColumn(LayerRole role, const QString &layer) const
{
    int first = -1;
    for (size_t i = 0; i < m_columns.size(); ++i) {
        if (m_columns[i].role != role)
            continue;
        if (!layer.isEmpty() && m_columns[i].layer == layer)
            return static_cast<int>(i);
        if (first < 0)
            first = static_cast<int>(i);
    }
    return layer.isEmpty() ? first : -1; // another overlay's layer is not drawn on these columns
}

QModelIndex LayerColumns::indexFor(int column, const QString &path) const
{
    if (column < 0 || column >= columnCount())
        return {};
    const Slot &s = m_columns[static_cast<size_t>(column)];
    if (!s.model->tree())
        return {};
    const QByteArray p = encodeFileName(path);
    const auto id = s.model->tree()->find(std::string_view(p.constData(), static_cast<size_t>(p.size())));
    return id ? s.model->indexForNode(*id) : QModelIndex();
}

QRect LayerColumns::rowRect(int column, const QString &path) const
{
    const QModelIndex idx = indexFor(column, path);
    if (!idx.isValid())
        return {};
    const QTreeView *view = m_columns[static_cast<size_t>(column)].view;
    QRect r = view->visualRect(idx);
    if (!r.isValid() || !view->viewport()->rect().intersects(r))
        return {};
    r = r.intersected(view->viewport()->rect());
    return QRect(view->viewport()->mapTo(this, r.topLeft()), r.size());
}

QRect LayerColumns::lineRect(int column, const QString &path) const
{
    if (column < 0 || column >= columnCount())
        return {};
    if (hasPath(column, path))
        return rowRect(column, path);
    const QTreeView *view = m_columns[static_cast<size_t>(column)].view;
    const QModelIndex ghost = m_columns[static_cast<size_t>(column)].model->ghostIndex();
    if (!ghost.isValid() || ghost.data(MergedTreeModel::MergedPathRole).toString() != path)
        return {};
    const QRect r = view->visualRect(ghost).intersected(view->viewport()->rect());
    return r.isEmpty() ? QRect() : QRect(view->viewport()->mapTo(this, r.topLeft()), r.size());
}

QRect LayerColumns::subtreeRect(int column, const QString &path) const
{
    const QModelIndex idx = indexFor(column, path);
    if (!idx.isValid())
        return {};
    const QTreeView *view = m_columns[static_cast<size_t>(column)].view;
    // The last visible row below idx: follow the last expanded child down.
    QModelIndex last = idx;
    while (view->isExpanded(last) && view->model()->rowCount(last) > 0)
        last = view->model()->index(view->model()->rowCount(last) - 1, 0, last);
    QRect r = view->visualRect(idx).united(view->visualRect(last));
    r.setLeft(0);
    r.setRight(view->viewport()->width() - 1);
    r = r.intersected(view->viewport()->rect());
    if (r.isEmpty())
        return {};
    return QRect(view->viewport()->mapTo(this, r.topLeft()), r.size());
}

QRect LayerColumns::bodyRect(int column) const
{
    if (column < 0 || column >= columnCount())
        return {};
    const QWidget *vp = m_columns[static_cast<size_t>(column)].view->viewport();
    return QRect(vp->mapTo(this, QPoint(0, 0)), vp->size());
}

LayerColumns::~LayerColumns() = default;

QTreeView *LayerColumns::view(int column) const
{
    return m_columns.at(static_cast<size_t>(column)).view;
}

MergedTreeModel *LayerColumns::model(int column) const
{
    return m_columns.at(static_cast<size_t>(column)).model;
}

bool LayerColumns::sameColumns(const QList<Column> &columns) const
{
    if (columns.size() != m_defs.size() || static_cast<size_t>(columns.size()) != m_columns.size())
        return false;
    for (qsizetype i = 0; i < columns.size(); ++i) {
        const Column &a = columns.at(i);
        const Column &b = m_defs.at(i);
        if (a.title != b.title || a.role != b.role || a.layers.size() != b.layers.size())
            return false;
        for (qsizetype k = 0; k < a.layers.size(); ++k) {
            if (a.layers.at(k).path != b.layers.at(k).path || a.layers.at(k).name != b.layers.at(k).name)
                return false;
        }
    }
    return true;
}

namespace
{
void collectExpanded(const QTreeView *view, const QModelIndex &parent, QStringList &out)
{
    const QAbstractItemModel *model = view->model();
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex idx = model->index(r, 0, parent);
        if (view->isExpanded(idx)) {
            out << idx.data(MergedTreeModel::MergedPathRole).toString();
            collectExpanded(view, idx, out);
        }
    }
}
} // namespace

void LayerColumns::provideTree(int column, std::shared_ptr<const PatchedTree> tree, const QString &error)
{
    if (column < 0 || column >= columnCount() || !m_columns[static_cast<size_t>(column)].waiting)
        return;
    if (tree) {
        loaded(column, std::move(tree));
        return;
    }
    Slot &s = m_columns[static_cast<size_t>(column)];
    s.waiting = false;
    s.title->setText(s.title->text() + QStringLiteral("\n⚠ ") + error);
    if (--m_pending == 0)
        Q_EMIT ready();
}

bool LayerColumns::takesPatches(const TreePatch &merged, const TreePatch *upper) const
{
    const auto takes = [this](int column, const TreePatch *patch) {
        return column < 0 || (patch && model(column)->tree() == patch->base);
    };
    return !isLoading() && takes(findColumn(LayerRole::Merged), &merged) && takes(findColumn(LayerRole::Upper), upper);
}

bool LayerColumns::isLoading() const
{
    return std::any_of(
        m_columns.cbegin(), m_columns.cend(), [](const Slot &s) { return s.waiting && s.role != LayerRole::Work; });
}

bool LayerColumns::applyPatches(const TreePatch &merged, const TreePatch *upper)
{
    if (!takesPatches(merged, upper))
        return false;
    const int m = findColumn(LayerRole::Merged);
    const int u = findColumn(LayerRole::Upper);
    m_refresh = true;
    for (Slot &s : m_columns)
        s.previous = s.model->tree(); // animations tell the edit from there
    if (m >= 0)
        (void)model(m)->applyPatch(merged);
    if (u >= 0)
        (void)model(u)->applyPatch(*upper);
    if (m >= 0)
        m_columns[static_cast<size_t>(m)].view->viewport()->update(); // what it hides is drawn from the merged view
    for (size_t i = 0; i < m_columns.size(); ++i) {
        Slot &s = m_columns[i];
        if (s.role != LayerRole::Work)
            continue;
        if (!s.waiting) { // else its scan starts again, and reports once
            ++m_pending;
            s.waiting = true;
            s.keepExpanded.clear();
            collectExpanded(s.view, {}, s.keepExpanded);
            s.keepScroll = s.view->verticalScrollBar()->value();
        }
        s.loader->start(m_defs.at(static_cast<qsizetype>(i)).layers, m_defs.at(static_cast<qsizetype>(i)).options);
    }
    scheduleFit();
    if (m_pending == 0) {
        updateStatuses(m_selected);
        Q_EMIT ready();
    }
    return true;
}

void LayerColumns::loaded(int column, std::shared_ptr<const PatchedTree> tree)
{
    Slot &s = m_columns[static_cast<size_t>(column)];
    s.waiting = false;
    const bool first = !s.model->tree();
    s.model->setTree(tree);
    if (s.role == LayerRole::Merged) {
        for (const Slot &other : m_columns)
            other.view->viewport()->update(); // what it hides is drawn from the merged view
    }
    if (first && tree) {
        // A column opens two levels deep the first time it has a tree (a lesson rescans before
        // the user has opened anything); later scans keep what the user opened and closed.
        // Opening a level of a huge tree costs a second of layout: only small ones open.
        m_syncing = true;
        s.view->expandToDepth(tree->nodeCount() < 2000 ? 1 : 0);
        m_syncing = false;
    }
    if (!s.keepExpanded.isEmpty() || s.keepScroll >= 0) {
        m_syncing = true; // every column restores its own state
        for (const QString &path : std::as_const(s.keepExpanded)) {
            const QByteArray p = encodeFileName(path);
            if (const auto id = tree->find(std::string_view(p.constData(), static_cast<size_t>(p.size()))))
                s.view->setExpanded(s.model->indexForNode(*id), true);
        }
        s.view->verticalScrollBar()->setValue(s.keepScroll);
        m_syncing = false;
        s.keepExpanded.clear();
        s.keepScroll = -1;
    }
    scheduleFit();
    if (--m_pending == 0) {
        updateStatuses(m_selected);
        Q_EMIT ready();
    }
}

void LayerColumns::setColumns(const QList<Column> &columns, bool lowersUnchanged)
{
    m_refresh = sameColumns(columns);

    if (m_refresh) {
        m_pending = 0;
        for (size_t i = 0; i < m_columns.size(); ++i) {
            Slot &s = m_columns[i];
            const Column &c = columns.at(static_cast<qsizetype>(i));
            s.previous = s.model->tree(); // animations tell the edit from there
            if (lowersUnchanged && c.role == LayerRole::Lower && !s.waiting && s.model->tree())
                continue; // read-only to the overlay: what it showed still holds
            ++m_pending;
            s.waiting = true;
            s.title->setText(breakable(c.title)); // drops an earlier failure's note
            s.keepExpanded.clear();
            if (s.model->tree())
                collectExpanded(s.view, {}, s.keepExpanded);
            s.keepScroll = s.view->verticalScrollBar()->value();
            if (!c.external)
                s.loader->start(c.layers, c.options);
        }
        if (m_pending == 0)
            Q_EMIT ready();
        return;
    }
    m_defs = columns;
    m_animator->stop(); // its column indexes belong to the columns going away
    delete m_row;
    m_columns.clear();
    m_statusHeight = 0;
    auto *splitter = new QSplitter(Qt::Horizontal);
    m_row = splitter;
    m_userSized = false;
    connect(splitter, &QSplitter::splitterMoved, this, [this] {
        if (!m_syncing)
            m_userSized = true;
    });
    m_scroll->setWidget(splitter);
    m_pending = static_cast<int>(columns.size());
    for (int i = 0; i < columns.size(); ++i) {
        Slot slot;
        slot.role = columns.at(i).role;
        slot.layer = columns.at(i).layer;
        auto *box = new QWidget;
        auto *v = new QVBoxLayout(box);
        v->setContentsMargins(2, 2, 2, 2);
        slot.title = new QLabel(breakable(columns.at(i).title));
        slot.title->setToolTip(columns.at(i).title);
        // A title never widens the window: a long path wraps (at its slashes) instead.
        slot.title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        QFont f = slot.title->font();
        f.setBold(true);
        slot.title->setFont(f);
        slot.title->setWordWrap(true);
        v->addWidget(slot.title);
        slot.status = new QLabel;
        slot.status->setObjectName(QStringLiteral("layerStatus%1").arg(i));
        slot.status->setWordWrap(true);
        sizeStatus(slot.status);
        slot.status->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        v->addWidget(slot.status);
        slot.view = new QTreeView;
        slot.view->setObjectName(QStringLiteral("layerColumn%1").arg(i));
        slot.model = new MergedTreeModel(slot.view);
        slot.view->setModel(slot.model);
        slot.view->setUniformRowHeights(true);
        slot.view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel); // rows line up across columns
        // Names are fitted whole and notes elide: a scroll bar that comes and goes would only
        // move the rows (and the columns out of line).
        slot.view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        slot.view->setTextElideMode(Qt::ElideMiddle);
        slot.view->setItemDelegate(
            new LayerRowDelegate([this, i](const QString &path) { return hiddenBy(i, path); }, slot.view));
        sizeIcons(slot.view);
        // Name plus notes: the columns are narrow, the notes say what each entry does.
        for (int c = MergedTreeModel::LayerColumn; c < MergedTreeModel::NotesColumn; ++c)
            slot.view->setColumnHidden(c, true);
        slot.view->header()->setStretchLastSection(true);
        v->addWidget(slot.view, 1);
        splitter->addWidget(box);
        slot.loader = new TreeLoader(slot.view);
        const int column = i;
        connect(slot.loader, &TreeLoader::finished, this, [this, column](std::shared_ptr<const MergedTree> tree) {
            loaded(column, std::make_shared<const PatchedTree>(std::move(tree)));
        });
        connect(slot.loader, &TreeLoader::failed, this, [this, column](const QString &message) {
            provideTree(column, nullptr, message);
        });
        connect(slot.view, &QTreeView::expanded, this, [this, column](const QModelIndex &idx) {
            syncExpansion(column, idx, true);
        });
        connect(slot.view, &QTreeView::collapsed, this, [this, column](const QModelIndex &idx) {
            syncExpansion(column, idx, false);
        });
        if (slot.role == LayerRole::Merged) {
            // Edits are made in the merged view: here too, with the same menu.
            slot.view->setContextMenuPolicy(Qt::CustomContextMenu);
            connect(slot.view, &QWidget::customContextMenuRequested, this, [this, column](const QPoint &pos) {
                QTreeView *v = m_columns[static_cast<size_t>(column)].view;
                const QModelIndex idx = v->indexAt(pos);
                const QString p = idx.isValid() ? idx.data(MergedTreeModel::MergedPathRole).toString() : QString();
                if (!p.isEmpty()) {
                    selectPath(p);
                    Q_EMIT pathSelected(p);
                }
                Q_EMIT editMenuRequested(p, v->viewport()->mapToGlobal(pos));
            });
        }
        connect(slot.view, &QTreeView::clicked, this, [this](const QModelIndex &idx) {
            const QString p = idx.data(MergedTreeModel::MergedPathRole).toString();
            selectPath(p);
            Q_EMIT pathSelected(p);
        });
        // Scrolling one column scrolls the others as far: lines lined up stay lined up.
        connect(slot.view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this, column](int value) {
            int &last = m_columns[static_cast<size_t>(column)].lastScroll;
            const int delta = value - last;
            last = value;
            if (m_syncing)
                return;
            m_syncing = true;
            for (size_t k = 0; k < m_columns.size(); ++k) {
                if (static_cast<int>(k) != column) {
                    QScrollBar *bar = m_columns[k].view->verticalScrollBar();
                    bar->setValue(bar->value() + delta);
                }
            }
            m_syncing = false;
        });
        slot.waiting = true;
        m_columns.push_back(slot);
        if (!columns.at(i).external)
            slot.loader->start(columns.at(i).layers, columns.at(i).options);
    }
    m_animator->raise();
}

void LayerColumns::syncExpansion(int from, const QModelIndex &index, bool expanded)
{
    if (m_syncing)
        return;
    m_syncing = true;
    const QByteArray path = encodeFileName(index.data(MergedTreeModel::MergedPathRole).toString());
    for (size_t k = 0; k < m_columns.size(); ++k) {
        if (static_cast<int>(k) == from || !m_columns[k].model->tree())
            continue;
        const auto id
            = m_columns[k].model->tree()->find(std::string_view(path.constData(), static_cast<size_t>(path.size())));
        if (id)
            m_columns[k].view->setExpanded(m_columns[k].model->indexForNode(*id), expanded);
    }
    m_syncing = false;
    scheduleFit(); // names shown or hidden
}

QString LayerColumns::status(int column) const
{
    return m_columns.at(static_cast<size_t>(column)).status->text();
}

namespace
{
std::optional<NodeId> findIn(const PatchedTree *tree, const QString &path)
{
    if (!tree || path.isEmpty())
        return std::nullopt;
    const QByteArray p = encodeFileName(path);
    const auto id = tree->find(std::string_view(p.constData(), static_cast<size_t>(p.size())));
    return id ? std::optional<NodeId>(*id) : std::nullopt;
}
} // namespace

LayerColumns::Status LayerColumns::statusOf(size_t c, const QString &path, bool before) const
{
    const auto treeOf = [this, before](size_t k) {
        const Slot &s = m_columns[k];
        return before && s.previous ? s.previous.get() : s.model->tree().get();
    };
    const int mergedColumn = findColumn(LayerRole::Merged);
    const PatchedTree *merged = mergedColumn >= 0 ? treeOf(static_cast<size_t>(mergedColumn)) : nullptr;
    const auto id = findIn(merged, path);
    const Slot &s = m_columns[c];
    Status st;
    if (!id)
        return st;
    const MergedNode &n = merged->node(*id);
    const QString provider = merged->layers().at(n.layer).name;
    if (s.role == LayerRole::Merged) {
        st.text = n.isVisible() ? tr("✔ %1 from %2").arg(QFileInfo(path).fileName(), provider)
                                : tr("✖ deleted: a whiteout in %1").arg(provider);
        return st;
    }
    if (s.role == LayerRole::Work) {
        st.text = tr("⚙ staging only: nothing stays here");
        return st;
    }
    int k = -1;
    for (qsizetype i = 0; i < merged->layers().size(); ++i) {
        if (merged->layers().at(i).name == s.layer)
            k = static_cast<int>(i);
    }
    if (k == n.layer) {
        st.text = n.isVisible() ? tr("✔ provides it") : tr("† its whiteout hides the lower copies");
        (n.isVisible() ? st.provides : st.whiteout) = true;
        return st;
    }
    for (const MergedTree::Shadow &sh : merged->shadows(*id)) {
        if (sh.layer != k)
            continue;
        st.shadowed
            = sh.reason != MergedTree::ShadowReason::Merged && sh.reason != MergedTree::ShadowReason::DataSource;
        switch (sh.reason) {
        case MergedTree::ShadowReason::Merged:
            st.text = tr("⊕ merged into the view");
            break;
        case MergedTree::ShadowReason::Shadowed:
            st.text = tr("▽ shadowed by %1").arg(provider);
            break;
        case MergedTree::ShadowReason::HiddenByWhiteout:
            st.text = tr("✖ hidden by the whiteout in %1").arg(provider);
            break;
        case MergedTree::ShadowReason::HiddenByOpaque:
            st.text = tr("▦ hidden by an opaque directory above");
            break;
        case MergedTree::ShadowReason::DataSource:
            st.text = tr("⛁ holds the data (metacopy)");
            break;
        }
    }
    if (st.text.isEmpty())
        st.text = findIn(treeOf(c), path) ? tr("· here, not used") : tr("— not in this layer");
    return st;
}

QString LayerColumns::hiddenBy(int column, const QString &path) const
{
    if (column < 0 || column >= columnCount() || path.isEmpty())
        return {};
    const Slot &s = m_columns[static_cast<size_t>(column)];
    const PatchedTree *merged = mergedTree();
    if (s.role != LayerRole::Lower || !merged)
        return {};
    int k = -1; // the column's layer in the merged stack, top first
    for (qsizetype i = 0; i < merged->layers().size(); ++i) {
        if (merged->layers().at(i).name == s.layer)
            k = static_cast<int>(i);
    }
    if (k < 0)
        return {};
    // Down from the root as far as the merged view has the path: a whiteout or an opaque
    // directory of a layer above this one on the way hides the entry and all below it.
    const QList<QByteArray> parts = encodeFileName(path).split('/');
    NodeId at = MergedTree::root();
    for (const QByteArray &part : parts) {
        if (part.isEmpty())
            continue;
        const auto next = merged->child(at, std::string_view(part.constData(), static_cast<size_t>(part.size())));
        if (!next)
            return {};
        at = *next;
        const MergedNode &n = merged->node(at);
        const QString where = decodeFileName(merged->path(at));
        if (n.has(MergedNode::Whiteout) && n.layer < k)
            return tr("✖ hidden by the whiteout %1").arg(where);
        const auto opaque = n.has(MergedNode::Opaque) ? merged->opaqueLayer(at) : std::nullopt;
        if (opaque && *opaque < k)
            return tr("▦ hidden by the opaque directory %1").arg(where);
    }
    return {};
}

void LayerColumns::updateStatuses(const QString &path)
{
    m_selected = path;
    int providerColumn = -1;
    int whiteoutIn = -1;
    QList<int> shadowed;
    for (size_t c = 0; c < m_columns.size(); ++c) {
        const Status st = statusOf(c, path, false);
        if (st.provides)
            providerColumn = static_cast<int>(c);
        if (st.whiteout)
            whiteoutIn = static_cast<int>(c);
        if (st.shadowed)
            shadowed << static_cast<int>(c);
        const auto held = m_held.constFind(static_cast<int>(c));
        if (held != m_held.cend() && held->path == path && !path.isEmpty())
            setStatus(c, held->text.isEmpty() ? statusOf(c, path, true).text : held->text);
        else
            setStatus(c, st.text);
    }
    const int mergedColumn = findColumn(LayerRole::Merged);
    const bool known
        = mergedColumn >= 0 && findIn(m_columns[static_cast<size_t>(mergedColumn)].model->tree().get(), path);
    Q_EMIT provenance(known ? path : QString(), providerColumn, shadowed, whiteoutIn);
}

void LayerColumns::holdStatus(int column, const QString &path, const QString &text)
{
    if (column < 0 || column >= columnCount())
        return;
    m_held.insert(column, {path, text});
    if (path == m_selected && !path.isEmpty())
        setStatus(static_cast<size_t>(column),
            text.isEmpty() ? statusOf(static_cast<size_t>(column), path, true).text : text);
}

void LayerColumns::releaseStatus(int column)
{
    if (m_held.remove(column) && column < columnCount())
        setStatus(static_cast<size_t>(column), statusOf(static_cast<size_t>(column), m_selected, false).text);
}

void LayerColumns::releaseStatuses()
{
    const QList<int> held = m_held.keys();
    for (int c : held)
        releaseStatus(c);
}

QRect LayerColumns::nameRect(int column, const QString &path) const
{
    const QModelIndex idx = indexFor(column, path);
    if (!idx.isValid())
        return {};
    const QTreeView *view = m_columns[static_cast<size_t>(column)].view;
    const QRect cell = view->visualRect(idx);
    if (!cell.isValid() || !view->viewport()->rect().intersects(cell))
        return {};
    // What the delegate draws from the cell's left: a margin, the icon, a margin, the text.
    const QStyle *style = view->style();
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view) + 1;
    const int icon = idx.data(Qt::DecorationRole).isNull()
        ? 0
        : (view->iconSize().isValid() ? view->iconSize().width()
                                      : style->pixelMetric(QStyle::PM_SmallIconSize, nullptr, view))
            + 2 * margin;
    const QVariant font = idx.data(Qt::FontRole);
    const QFontMetrics fm(font.isValid() ? font.value<QFont>() : view->font());
    QRect r = cell;
    r.setWidth(std::min(cell.width(), 2 * margin + icon + fm.horizontalAdvance(idx.data().toString())));
    r = r.intersected(view->viewport()->rect());
    return QRect(view->viewport()->mapTo(this, r.topLeft()), r.size());
}

QRect LayerColumns::newRowRect(int column, const QString &parentPath) const
{
    if (column < 0 || column >= columnCount())
        return {};
    const QTreeView *view = m_columns[static_cast<size_t>(column)].view;
    const QAbstractItemModel *model = view->model();
    const QModelIndex parent = indexFor(column, parentPath);
    QModelIndex last = parent.isValid() || model->rowCount() == 0 ? parent : model->index(model->rowCount() - 1, 0);
    while (last.isValid() && view->isExpanded(last) && model->rowCount(last) > 0)
        last = model->index(model->rowCount(last) - 1, 0, last);
    const QRect vp = view->viewport()->rect();
    const int h = last.isValid() ? view->visualRect(last).height() : view->fontMetrics().height() + 6;
    QRect r = last.isValid() ? view->visualRect(last).translated(0, h) : QRect(0, 0, vp.width(), h);
    r.setLeft(parent.isValid() ? view->visualRect(parent).left() + view->indentation() : r.left());
    r.setRight(vp.right());
    // A short column shows it on its last line rather than not at all.
    if (r.bottom() > vp.bottom())
        r.moveBottom(vp.bottom());
    if (r.top() < 0)
        r.moveTop(0);
    return QRect(view->viewport()->mapTo(this, r.topLeft()), r.size());
}

void LayerColumns::selectPath(const QString &path)
{
    updateStatuses(path);
    bool anyHas = false;
    for (int c = 0; c < columnCount(); ++c)
        anyHas = anyHas || hasPath(c, path);
    // Every column shows the path on the same line as the first column that has it, so the
    // eye moves straight across: lower, upper, work, merged. A column without it keeps that
    // line with a ghost row.
    int line = -1;
    m_syncing = true;
    for (int c = 0; c < columnCount(); ++c) {
        Slot &s = m_columns[static_cast<size_t>(c)];
        if (!s.model->tree())
            continue;
        QModelIndex idx = indexFor(c, path);
        if (idx.isValid() || !anyHas)
            s.model->clearGhost();
        if (!idx.isValid()) {
            s.view->clearSelection();
            if (!anyHas)
                continue;
            s.model->setGhost(path);
            idx = s.model->ghostIndex();
            if (!idx.isValid())
                continue;
        } else {
            s.view->setCurrentIndex(idx);
        }
        if (line < 0) {
            s.view->scrollTo(idx);
            line = s.view->visualRect(idx).top();
        } else {
            QScrollBar *bar = s.view->verticalScrollBar();
            bar->setValue(bar->value() + s.view->visualRect(idx).top() - line);
            if (!s.view->viewport()->rect().contains(s.view->visualRect(idx)))
                s.view->scrollTo(idx); // the column is too short for that line: at least in sight
        }
    }
    m_syncing = false;
}

} // namespace strata
