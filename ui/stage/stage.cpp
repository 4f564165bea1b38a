// SPDX-License-Identifier: GPL-2.0-or-later
#include "stage.h"

#include "core/events/patchedtree.h"
#include "core/merge/mergedtree.h"
#include "core/util/filename.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/common/whiteoutfilter.h"
#include "ui/stage/captionbanner.h"
#include "ui/stage/eventanimator.h"

#include <QEvent>
#include <QFile>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMenu>
#include <QScreen>
#include <QSignalBlocker>
#include <QStyle>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace strata
{

Stage::Stage(QWidget *parent) : QWidget(parent), m_model(new MergedTreeModel(this)), m_filter(new WhiteoutFilter(this))
{
    m_filter->setSourceModel(m_model);
    m_filter->setSortRole(Qt::DisplayRole);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_treeView = new QTreeView;
    m_treeView->setObjectName(QStringLiteral("mergedTree"));
    m_treeView->setModel(m_filter);
    m_treeView->setUniformRowHeights(true);
    m_treeView->setAlternatingRowColors(true);
    m_treeView->setSortingEnabled(false);
    m_treeView->header()->setStretchLastSection(true);
    m_treeView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("centerTabs"));
    m_columns = new LayerColumns;
    m_columns->setObjectName(QStringLiteral("layerColumns"));
    m_tabs->addTab(m_columns, style()->standardIcon(QStyle::SP_FileDialogDetailedView), tr("Layers side by side"));
    m_tabs->addTab(m_treeView, style()->standardIcon(QStyle::SP_FileDialogListView), tr("Merged view only"));
    m_tabs->setDocumentMode(true); // no frame around a frame: the rows get the pixels
    layout->addWidget(m_tabs, 1);
    m_strip = new QWidget;
    m_strip->setObjectName(QStringLiteral("stageStrip"));
    auto *strip = new QHBoxLayout(m_strip);
    strip->setContentsMargins(0, 4, 0, 0);
    m_captions = new CaptionBanner;
    strip->addWidget(m_captions, 1);
    layout->addWidget(m_strip);
    sizeStrip();

    connect(m_columns, &LayerColumns::pathSelected, this, [this](const QString &path) { selectPath(path); });
    connect(m_columns, &LayerColumns::ready, this, &Stage::columnsReady);
    connect(m_columns, &LayerColumns::editMenuRequested, this, [this](const QString &, const QPoint &at) {
        QMenu menu(this);
        menu.addActions(m_editActions);
        menu.exec(at);
    });
    connect(m_captions, &CaptionBanner::showing, this, [this](const OverlayEvent &e) {
        selectPath(e.path);
        // The movement takes most of the caption's time, so the class can follow both.
        m_columns->animator()->animate(e, m_captions->holdTime(e) * 3 / 4);
    });
    connect(m_treeView->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        // The columns (and through them the diagram) follow a selection made in the merged view too.
        const QString p = currentPath();
        if (!p.isEmpty())
            m_columns->selectPath(p);
        Q_EMIT currentChanged();
    });
}

void Stage::setEditActions(const QList<QAction *> &actions)
{
    m_editActions = actions;
    m_treeView->addActions(actions);
}

void Stage::setColumns(const QList<LayerColumns::Column> &columns, bool lowersUnchanged)
{
    m_columns->setColumns(columns, lowersUnchanged);
}

void Stage::showTree(std::shared_ptr<const MergedTree> tree, const QString &error)
{
    m_patchJob.stop(); // a patch of the tree before this one is old news
    // One view for both: a patch is applied to the two models as it was made, from this one.
    auto view = tree ? std::make_shared<const PatchedTree>(std::move(tree)) : nullptr;
    m_columns->provideTree(m_columns->findColumn(LayerRole::Merged), view, error); // the same merged view
    if (!view)
        return;
    const QString before = currentPath();
    m_model->setTree(view);
    m_treeView->expandToDepth(view->nodeCount() < 2000 ? 2 : 0);
    for (int c = 0; c < MergedTreeModel::NotesColumn; ++c)
        m_treeView->resizeColumnToContents(c);
    // The reset cleared the selection without a word.
    reselect(before);
}

void Stage::reselect(const QString &before)
{
    // Select the path again (or the one an edit asked for), and the panels follow whether it
    // is still there or not.
    if (!m_pendingSelection.isEmpty())
        selectPath(m_pendingSelection);
    else if (!before.isEmpty())
        selectPath(before);
    Q_EMIT currentChanged();
}

bool Stage::patchEdit(const QList<OverlayEvent> &events)
{
    const std::shared_ptr<const PatchedTree> merged = m_model->tree();
    const int upperColumn = m_columns->findColumn(LayerRole::Upper);
    std::shared_ptr<const PatchedTree> upper = upperColumn >= 0 ? m_columns->model(upperColumn)->tree() : nullptr;
    if (!merged || m_columns->isLoading() || m_patchJob.isRunning() || (upperColumn >= 0 && !upper))
        return false;
    m_patchJob.start(
        this,
        [merged, upper, events](ScanControl &control) -> std::shared_ptr<const Patches> {
            auto p = std::make_shared<Patches>();
            p->merged = TreePatcher::patch(merged, events, &control);
            if (upper && p->merged)
                p->upper = TreePatcher::patch(upper, events, &control);
            return p;
        },
        [this](const std::shared_ptr<const Patches> &p) { patchDone(*p); });
    return true;
}

void Stage::patchDone(const Patches &p)
{
    const Error *failed = !p.merged ? &p.merged.error() : p.upper && !*p.upper ? &p.upper->error() : nullptr;
    if (failed) {
        if (failed->code != ECANCELED) // cancelled: a newer scan replaces the views anyway
            Q_EMIT patchFailed(failed->message);
        return;
    }
    // The views changed meanwhile (a rescan is under way or done): it shows the edit too.
    const TreePatch *upper = p.upper ? &p.upper->value() : nullptr;
    if (m_model->tree() != p.merged->base || !m_columns->takesPatches(*p.merged, upper))
        return;
    const QString before = currentPath();
    {
        // A removed row moves the current one to a neighbour: not what the user chose. As
        // after a rescan, the selection stays on its path or goes.
        const QSignalBlocker quiet(m_treeView->selectionModel());
        (void)m_model->applyPatch(*p.merged);
        if (currentPath() != before)
            m_treeView->selectionModel()->clear();
    }
    (void)m_columns->applyPatches(*p.merged, upper); // ready(), and the captions, may follow at once
    if (m_model->tree()->nodeCount() < 2000)
        m_treeView->expandToDepth(2); // as a rescan shows a small tree
    reselect(before);
    Q_EMIT patched();
}

bool Stage::selectPath(const QString &path)
{
    // A copy: the path may be m_pendingSelection itself, which is cleared on the way.
    const QString mergedPath = path;
    const auto &tree = m_model->tree();
    if (!tree) {
        m_pendingSelection = mergedPath;
        return false;
    }
    const QByteArray p = encodeFileName(mergedPath);
    const auto id = tree->find(std::string_view(p.constData(), static_cast<size_t>(p.size())));
    if (!id)
        return false;
    m_pendingSelection.clear();
    const QModelIndex idx = m_filter->mapFromSource(m_model->indexForNode(*id));
    if (!idx.isValid())
        return false;
    m_treeView->scrollTo(idx);
    m_treeView->setCurrentIndex(idx);
    m_columns->selectPath(mergedPath);
    return true;
}

QString Stage::currentPath() const
{
    const QModelIndex idx = m_filter->mapToSource(m_treeView->currentIndex());
    return idx.isValid() ? idx.data(MergedTreeModel::MergedPathRole).toString() : QString();
}

NodeId Stage::currentNode() const
{
    const QModelIndex idx = m_filter->mapToSource(m_treeView->currentIndex());
    return idx.isValid() && m_model->tree() ? idx.data(MergedTreeModel::NodeIdRole).toUInt() : InvalidNode;
}

EditActions::Selection Stage::selection() const
{
    EditActions::Selection s;
    s.path = currentPath();
    if (const NodeId id = currentNode(); id != InvalidNode) {
        s.isDir = m_model->tree()->node(id).isDir();
        s.diskPath = decodeFileName(m_model->tree()->diskPath(id));
    }
    return s;
}

void Stage::play(const QList<OverlayEvent> &events)
{
    // Captions and animations start once the columns show the new state, so that every
    // movement ends on a row that exists.
    if (m_captions->speed() > 0)
        m_pendingEvents += events;
    if (m_animateInColumns && m_captions->speed() > 0 && !events.isEmpty())
        m_tabs->setCurrentWidget(m_columns);
    if (!events.isEmpty())
        m_pendingSelection = events.last().path;
}

void Stage::replay(const QList<OverlayEvent> &events)
{
    if (m_captions->speed() <= 0)
        return;
    if (m_animateInColumns)
        m_tabs->setCurrentWidget(m_columns);
    m_captions->clearQueue();
    m_captions->play(events);
}

void Stage::clearEvents()
{
    m_pendingEvents.clear();
    m_captions->clearQueue();
}

void Stage::setAnimationSpeed(double factor)
{
    m_captions->setSpeed(factor);
    m_columns->animator()->setSpeed(factor);
    sizeStrip();
}

void Stage::showTab(Tab tab)
{
    m_tabs->setCurrentWidget(tab == ColumnsTab ? static_cast<QWidget *>(m_columns) : m_treeView);
}

void Stage::setNarration(QWidget *narration)
{
    if (m_narration == narration)
        return;
    delete m_narration;
    m_narration = narration;
    if (narration)
        static_cast<QHBoxLayout *>(m_strip->layout())->insertWidget(0, narration, 1);
    sizeStrip();
}

void Stage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        sizeStrip();
}

void Stage::sizeStrip()
{
    // Six lines of text: a caption's three (its explanation and command may wrap), or the
    // narration's counter, buttons and four lines. A longer narration scrolls inside its panel. A
    // small screen (QT_SCALE_FACTOR=2 on 1080 lines) gives the rows one more.
    const QScreen *s = screen();
    const int lines = !m_narration ? 4 : s && s->availableSize().height() < 700 ? 4 : 6; // captions alone: 4
    m_captions->setTextFont(font()); // a style sheet's widget misses the application's font changes
    const int h = fontMetrics().lineSpacing() * lines + 28;
    m_strip->setFixedHeight(h);
    m_strip->setVisible(!m_readOnly && (m_narration || m_captions->speed() > 0));
}

void Stage::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    sizeStrip();
}

void Stage::showColumn(int index)
{
    m_tabs->setCurrentWidget(m_columns);
    if (index >= 0 && index < m_columns->columnCount()) {
        m_columns->ensureVisible(index);
        m_columns->view(index)->setFocus();
    }
}

void Stage::columnsReady()
{
    const QString p = currentPath();
    if (!p.isEmpty())
        m_columns->selectPath(p);
    if (!m_pendingEvents.isEmpty()) {
        m_captions->clearQueue(); // a new edit: what is still queued from the last one is old news
        m_captions->play(m_pendingEvents);
        m_pendingEvents.clear();
    }
}

} // namespace strata
