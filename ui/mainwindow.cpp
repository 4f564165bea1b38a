// SPDX-License-Identifier: GPL-2.0-or-later
#include "mainwindow.h"

#include "core/events/mergedoperation.h"
#include "core/image/docker/dockerhost.h"
#include "core/session/mountcontroller.h"
#include "core/session/stalemounts.h"
#include "core/stack/mountcommand.h"
#include "core/stack/scenario.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/common/treeloader.h"
#include "ui/images/dockerpanel.h"
#include "ui/stage/captionbanner.h"
#include "ui/stage/eventanimator.h"
#include "ui/stage/layercolumns.h"
#include "ui/stage/stackdiagram.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QSvgGenerator>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <thread>

namespace strata
{

namespace
{

// Hides whiteout rows when the user wants exactly the kernel's view.
class VisibleFilter final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setShowWhiteouts(bool show)
    {
        m_show = show;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (m_show)
            return true;
        const QModelIndex idx = sourceModel()->index(row, 0, parent);
        return !idx.data(MergedTreeModel::IsWhiteoutRole).toBool();
    }

private:
    bool m_show = true;
};

QLabel *sectionTitle(const QString &text)
{
    auto *l = new QLabel(text);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    return l;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_model(new MergedTreeModel(this))
    , m_proxy(new VisibleFilter(this))
    , m_loader(new TreeLoader(this))
{
    setWindowTitle(tr("Stratascope"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::DisplayRole);
    buildUi();
    buildActions();

    connect(m_loader, &TreeLoader::progress, this, [this](quint64 entries, quint64 dirs) {
        m_statusLabel->setText(tr("Scanning layers… %L1 entries in %L2 directories").arg(entries).arg(dirs));
    });
    connect(m_loader, &TreeLoader::finished, this, &MainWindow::showTree);
    connect(m_loader, &TreeLoader::failed, this, [this](const QString &message) {
        m_columns->provideTree(m_columns->findColumn(LayerRole::Merged), nullptr, message);
        m_progress->hide();
        m_cancel->hide();
        m_statusLabel->setText(tr("Scan stopped: %1").arg(message));
        Q_EMIT scanFailed(message);
    });
    resize(1280, 760);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    auto *splitter = new QSplitter(Qt::Horizontal, this);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(6, 6, 6, 6);
    leftLayout->addWidget(sectionTitle(tr("Overlays (mount order)")));
    m_overlayList = new QListWidget;
    m_overlayList->setObjectName(QStringLiteral("overlayList"));
    leftLayout->addWidget(m_overlayList, 1);
    leftLayout->addWidget(sectionTitle(tr("Layer stack (top first)")));
    m_layerList = new QTreeWidget;
    m_layerList->setObjectName(QStringLiteral("layerList"));
    m_layerList->setHeaderLabels({tr("#"), tr("Role"), tr("Layer")});
    m_layerList->setRootIsDecorated(false);
    // The stack as a figure (what the selected path does in each layer) or as a list.
    m_diagram = new StackDiagram;
    m_diagram->setObjectName(QStringLiteral("stackDiagram"));
    auto *stackTabs = new QTabWidget;
    stackTabs->setObjectName(QStringLiteral("stackTabs"));
    stackTabs->addTab(m_diagram, tr("Diagram"));
    stackTabs->addTab(m_layerList, tr("List"));
    leftLayout->addWidget(stackTabs, 3);
    splitter->addWidget(left);

    auto *center = new QWidget;
    auto *centerLayout = new QVBoxLayout(center);
    centerLayout->setContentsMargins(6, 6, 6, 6);
    centerLayout->addWidget(sectionTitle(tr("Merged view, computed from the layer directories")));
    m_mountCommand = new QLabel;
    m_mountCommand->setObjectName(QStringLiteral("mountCommand"));
    m_mountCommand->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_mountCommand->setWordWrap(true);
    m_mountCommand->setStyleSheet(
        QStringLiteral("font-family: monospace; padding: 4px; border: 1px solid palette(mid);"));
    centerLayout->addWidget(m_mountCommand);
    centerLayout->addLayout(buildMountRow());
    m_treeView = new QTreeView;
    m_treeView->setObjectName(QStringLiteral("mergedTree"));
    m_treeView->setModel(m_proxy);
    m_treeView->setUniformRowHeights(true);
    m_treeView->setAlternatingRowColors(true);
    m_treeView->setSortingEnabled(false);
    m_treeView->header()->setStretchLastSection(true);
    // The merged view, and every layer of the stack side by side.
    m_centerTabs = new QTabWidget;
    m_centerTabs->setObjectName(QStringLiteral("centerTabs"));
    m_centerTabs->addTab(m_treeView, style()->standardIcon(QStyle::SP_FileDialogListView), tr("Merged view"));
    m_columns = new LayerColumns;
    m_columns->setObjectName(QStringLiteral("layerColumns"));
    m_centerTabs->addTab(
        m_columns, style()->standardIcon(QStyle::SP_FileDialogDetailedView), tr("Layers side by side"));
    connect(m_columns, &LayerColumns::pathSelected, this, [this](const QString &path) { selectPath(path); });
    connect(m_columns, &LayerColumns::ready, this, &MainWindow::columnsReady);
    connect(m_columns, &LayerColumns::editMenuRequested, this, [this](const QString &, const QPoint &at) {
        if (m_editActions.isEmpty())
            return;
        QMenu menu(this);
        menu.addActions(m_editActions);
        menu.exec(at);
    });
    connect(m_diagram, &StackDiagram::planeClicked, this, [this](int index) {
        // A plane is a column: show it, with what it is.
        m_centerTabs->setCurrentWidget(m_columns);
        if (index >= 0 && index < m_columns->columnCount()) {
            m_columns->view(index)->setFocus();
            m_statusLabel->setText(m_diagram->label(index) + QStringLiteral(" — ") + m_columns->status(index));
        }
    });
    connect(m_columns,
        &LayerColumns::provenance,
        this,
        [this](const QString &path, int provider, const QList<int> &shadowed, int whiteoutIn) {
            if (path.isEmpty())
                m_diagram->clearHighlight();
            else
                m_diagram->setHighlight(path, provider, shadowed, whiteoutIn);
        });
    centerLayout->addWidget(m_centerTabs, 1);
    m_captions = new CaptionBanner;
    centerLayout->addWidget(m_captions);
    connect(m_captions, &CaptionBanner::showing, this, [this](const OverlayEvent &e) {
        selectPath(e.path);
        // The movement takes most of the caption's time, so the class can follow both.
        m_columns->animator()->animate(e, m_captions->holdTime(e) * 3 / 4);
    });
    splitter->addWidget(center);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(6, 6, 6, 6);
    rightLayout->addWidget(sectionTitle(tr("What the kernel does with it")));
    m_details = new QTextBrowser;
    m_details->setObjectName(QStringLiteral("details"));
    rightLayout->addWidget(m_details, 1);
    splitter->addWidget(right);
    m_detailsPanel = right;
    m_splitter = splitter;

    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 6);
    splitter->setStretchFactor(2, 3);
    splitter->setSizes({260, 720, 300});
    setCentralWidget(splitter);

    // Every edit, newest last, with what the overlay did and the equivalent command.
    m_timeline = new QTreeWidget;
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_timeline->setHeaderLabels({tr("Edit / event"), tr("Path"), tr("Layers"), tr("What happened")});
    m_timeline->setWordWrap(true);
    m_timeline->setExpandsOnDoubleClick(false); // a double-click plays the edit again
    m_timelineDock = new QDockWidget(tr("Timeline"), this);
    m_timelineDock->setObjectName(QStringLiteral("timelineDock"));
    m_timelineDock->setWidget(m_timeline);
    addDockWidget(Qt::BottomDockWidgetArea, m_timelineDock);
    // Double-click: the event (or every event of the edit) plays again, for the class that missed it.
    connect(m_timeline, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        QList<OverlayEvent> events;
        if (item->data(0, Qt::UserRole).canConvert<OverlayEvent>())
            events << item->data(0, Qt::UserRole).value<OverlayEvent>();
        for (int i = 0; i < item->childCount(); ++i)
            events << item->child(i)->data(0, Qt::UserRole).value<OverlayEvent>();
        if (events.isEmpty() || m_captions->speed() <= 0)
            return;
        if (m_animateInColumns)
            m_centerTabs->setCurrentWidget(m_columns);
        m_captions->clearQueue();
        m_captions->play(events);
    });
    connect(m_timeline, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item && !item->text(1).isEmpty())
            selectPath(item->text(1));
    });

    m_statusLabel = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    m_cancel = new QToolButton;
    m_cancel->setText(tr("Cancel"));
    m_cancel->hide();
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, m_loader, &TreeLoader::cancel);

    connect(m_overlayList, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row != m_overlay)
            selectOverlay(row);
    });
    connect(m_treeView->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        updateDetails();
        // The columns and the diagram follow a selection made in the merged view too.
        const QString p = currentPath();
        if (!p.isEmpty())
            m_columns->selectPath(p);
    });
}

void MainWindow::buildActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QToolBar *tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    auto *open = new QAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open Workspace…"), this);
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, &MainWindow::chooseWorkspace);
    file->addAction(open);
    tb->addAction(open);

    QMenu *lessons = file->addMenu(tr("New from &Lesson"));
    auto *lessonButton = new QToolButton;
    lessonButton->setText(tr("New from Lesson"));
    lessonButton->setIcon(style()->standardIcon(QStyle::SP_FileDialogNewFolder));
    lessonButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    lessonButton->setPopupMode(QToolButton::InstantPopup);
    lessonButton->setMenu(lessons);
    for (const QString &name : Scenario::names()) {
        QAction *a = lessons->addAction(QStringLiteral("%1 — %2").arg(name, Scenario::description(name)));
        connect(a, &QAction::triggered, this, [this, name] {
            const QString parent = QFileDialog::getExistingDirectory(
                this, tr("Where should the %1 lesson be created? (Cancel: a fresh temporary folder)").arg(name));
            QString dir;
            if (!parent.isEmpty())
                dir = QDir(parent).filePath(QStringLiteral("stratascope-") + name);
            openScenario(name, dir);
        });
    }
    tb->addWidget(lessonButton);

    auto *docker = new QAction(style()->standardIcon(QStyle::SP_DriveHDIcon), tr("&Docker…"), this);
    docker->setObjectName(QStringLiteral("dockerAction"));
    docker->setToolTip(tr("Explore a Docker root (/var/lib/docker): images, layers, containers — read-only"));
    connect(docker, &QAction::triggered, this, [this] { showDockerPanel(); });
    file->addAction(docker);
    tb->addAction(docker);

    m_recentMenu = file->addMenu(tr("Open &Recent"));
    updateRecentMenu();

    auto *exportAction
        = new QAction(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("&Export View (PNG, SVG)…"), this);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    connect(exportAction, &QAction::triggered, this, [this] {
        const QString file = QFileDialog::getSaveFileName(
            this, tr("Export view"), QStringLiteral("stratascope.svg"), tr("SVG (*.svg);;PNG (*.png)"));
        if (!file.isEmpty())
            exportView(file);
    });
    file->addAction(exportAction);

    auto *reload = new QAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("&Rescan"), this);
    reload->setShortcut(QKeySequence::Refresh);
    connect(reload, &QAction::triggered, this, &MainWindow::rescan);
    file->addAction(reload);
    tb->addAction(reload);
    buildEditActions(tb);

    file->addSeparator();
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    file->addAction(quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    auto *showDeleted = new QAction(tr("Show &Deleted Entries (Whiteouts)"), this);
    showDeleted->setObjectName(QStringLiteral("showDeleted"));
    showDeleted->setCheckable(true);
    showDeleted->setChecked(true);
    connect(showDeleted, &QAction::toggled, this, [this](bool on) {
        static_cast<VisibleFilter *>(m_proxy)->setShowWhiteouts(on);
    });
    view->addAction(showDeleted);
    QMenu *speed = view->addMenu(tr("Animation and &Captions Speed"));
    auto *speeds = new QActionGroup(this);
    for (const double f : {0.0, 0.25, 0.5, 1.0, 2.0, 4.0}) {
        QAction *a = speed->addAction(f == 0.0 ? tr("Off") : QStringLiteral("%1×").arg(f));
        a->setCheckable(true);
        a->setChecked(f == 1.0);
        a->setData(f);
        speeds->addAction(a);
        connect(a, &QAction::triggered, this, [this, f] { setAnimationSpeed(f); });
    }
    auto *animate = new QAction(tr("&Animate Edits in the Layer Columns"), this);
    animate->setObjectName(QStringLiteral("animateInColumns"));
    animate->setCheckable(true);
    animate->setChecked(m_animateInColumns);
    animate->setToolTip(tr("After an edit, show the layers side by side and play what the overlay did"));
    connect(animate, &QAction::toggled, this, [this](bool on) { m_animateInColumns = on; });
    view->addAction(animate);
    auto *presentation = new QAction(tr("&Presentation Mode"), this);
    presentation->setObjectName(QStringLiteral("presentationMode"));
    presentation->setCheckable(true);
    presentation->setShortcut(QKeySequence(Qt::Key_F11));
    connect(presentation, &QAction::toggled, this, &MainWindow::setPresentationMode);
    view->addAction(presentation);
    tb->addAction(showDeleted);
}

void MainWindow::showError(const QString &title, const QString &message)
{
    m_statusLabel->setText(message);
    if (QApplication::platformName() != QLatin1String("offscreen"))
        QMessageBox::warning(this, title, message);
}

void MainWindow::chooseWorkspace()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open Workspace"), QString(), tr("Stratascope workspaces (*.json);;All files (*)"));
    if (!file.isEmpty())
        openWorkspace(file);
}

bool MainWindow::openWorkspace(const QString &path)
{
    auto ws = Workspace::load(path);
    if (!ws) {
        showError(tr("Cannot open workspace"), ws.error().message);
        return false;
    }
    m_workspace = std::move(ws.value());
    rememberRecent(m_workspace->filePath());
    setWindowTitle(tr("Stratascope — %1").arg(QDir::toNativeSeparators(m_workspace->filePath())));
    m_overlay = -1;
    m_overlayList->blockSignals(true);
    m_overlayList->clear();
    for (const OverlaySpec &o : m_workspace->overlays()) {
        QString label = o.name;
        for (const OverlaySpec &inner : m_workspace->overlays()) {
            if (o.lower.contains(inner.mountpoint))
                label += tr("  (stacked on %1)").arg(inner.name);
        }
        auto *item = new QListWidgetItem(label, m_overlayList);
        item->setData(Qt::UserRole, label);
    }
    m_overlayList->blockSignals(false);
    for (const QString &w : m_workspace->warnings())
        m_statusLabel->setText(w);
    selectOverlay(0);
    return true;
}

bool MainWindow::openScenario(const QString &name, const QString &dir)
{
    QString target = dir;
    if (target.isEmpty()) {
        QTemporaryDir tmp(QDir(QStandardPaths::writableLocation(QStandardPaths::TempLocation))
                              .filePath(QStringLiteral("stratascope-%1-XXXXXX").arg(name)));
        if (!tmp.isValid()) {
            showError(tr("Cannot create lesson"), tmp.errorString());
            return false;
        }
        tmp.setAutoRemove(false); // the lesson's files outlive this window, for the terminal
        target = tmp.path();
    }
    auto ws = Scenario::create(name, target);
    if (!ws) {
        showError(tr("Cannot create lesson"), ws.error().message);
        return false;
    }
    return openWorkspace(ws->filePath());
}

void MainWindow::selectOverlay(int index)
{
    if (!m_workspace || index < 0 || index >= m_workspace->overlays().size())
        return;
    if (m_editing) {
        m_statusLabel->setText(tr("Still busy with an edit."));
        return;
    }
    m_dockerLayers.clear();
    // First the old overlay's mount and watcher go (what the watcher still had is told about
    // the old overlay), then the new one is shown; old captions are not about it.
    if (!m_mounts->setOverlay(*m_workspace, index))
        m_statusLabel->setText(m_mounts->errorString());
    m_overlay = index;
    m_session.reset(); // another overlay, or the same one of another workspace
    m_pendingEvents.clear();
    m_captions->clearQueue();
    // Seen now: the note about a change that came through a lower overlay has done its job.
    if (QListWidgetItem *item = m_overlayList->item(index)) {
        item->setText(item->data(Qt::UserRole).toString());
        item->setIcon({});
        item->setToolTip({});
    }
    if (m_overlayList->currentRow() != index) {
        m_overlayList->blockSignals(true);
        m_overlayList->setCurrentRow(index);
        m_overlayList->blockSignals(false);
    }
    const OverlaySpec &spec = m_workspace->overlays().at(index);
    m_mountCommand->setText(MountCommand::shellCommand(spec));
    updateMountState();
    m_layerList->clear();
    auto layers = m_workspace->mergeLayers(index);
    if (layers) {
        for (int i = 0; i < layers->size(); ++i) {
            const MergeLayer &l = layers->at(i);
            QString where = l.name;
            if (!l.viaOverlay.isEmpty())
                where += tr("  (through %1)").arg(l.viaOverlay);
            if (!l.linkTarget.isEmpty())
                where += QStringLiteral("  → %1").arg(m_workspace->displayPath(l.linkTarget));
            addLayerRow(i, static_cast<int>(layers->size()), l, where);
        }
        m_layerList->resizeColumnToContents(0);
        m_layerList->resizeColumnToContents(1);
    }
    rescan();
}

void MainWindow::addLayerRow(int index, int count, const MergeLayer &layer, const QString &label)
{
    // Colour chip plus role icon plus text: the colour is never the only signal.
    auto *item = new QTreeWidgetItem({QString::number(index), roleName(layer.role), label});
    item->setToolTip(2, layer.path);
    QPixmap chip(12, 12);
    chip.fill(MergedTreeModel::layerColor(index, count, layer.role == LayerRole::Upper));
    item->setIcon(2, QIcon(chip));
    item->setIcon(1,
        style()->standardIcon(layer.role == LayerRole::Upper ? QStyle::SP_DialogSaveButton : QStyle::SP_DirClosedIcon));
    m_layerList->addTopLevelItem(item);
}

void MainWindow::showLayers(const MergeLayers &layers, const QString &title)
{
    if (layers.isEmpty())
        return;
    m_dockerLayers = layers;
    m_overlay = -1;
    m_mounts->clear(); // read-only: nothing to mount, nothing to watch
    updateMountState();
    m_overlayList->blockSignals(true);
    m_overlayList->clearSelection();
    m_overlayList->setCurrentRow(-1);
    m_overlayList->blockSignals(false);
    setWindowTitle(tr("Stratascope — %1").arg(title));
    m_mountCommand->setText(tr("Docker layers (read-only) — %1. Nothing is mounted or written.").arg(title));
    m_layerList->clear();
    for (int i = 0; i < layers.size(); ++i) {
        const MergeLayer &l = layers.at(i);
        addLayerRow(i, static_cast<int>(layers.size()), l, l.name);
    }
    m_layerList->resizeColumnToContents(0);
    m_layerList->resizeColumnToContents(1);
    rescan();
}

DockerPanel *MainWindow::showDockerPanel(const QString &root)
{
    if (!m_dockerPanel) {
        m_dockerPanel = new DockerPanel;
        m_dockerPanel->setObjectName(QStringLiteral("dockerPanel"));
        m_dockerDock = new QDockWidget(tr("Docker host (read-only)"), this);
        m_dockerDock->setObjectName(QStringLiteral("dockerDock"));
        m_dockerDock->setWidget(m_dockerPanel);
        addDockWidget(Qt::BottomDockWidgetArea, m_dockerDock);
        resizeDocks({m_dockerDock}, {height() * 11 / 20}, Qt::Vertical);
        connect(m_dockerPanel, &DockerPanel::openLayers, this, &MainWindow::showLayers);
    }
    m_dockerDock->show();
    m_dockerDock->raise();
    if (!root.isEmpty() || (!m_dockerPanel->host() && !m_dockerPanel->isLoading()))
        m_dockerPanel->openRoot(root);
    return m_dockerPanel;
}

void MainWindow::rescan(bool lowersUnchanged)
{
    // A lower layer changed while mounted: the next rescan reads the lower columns too.
    lowersUnchanged = lowersUnchanged && !m_lowersDirty;
    m_lowersDirty = false;
    if (!m_dockerLayers.isEmpty()) {
        m_statusLabel->setText(tr("Scanning layers…"));
        m_progress->show();
        m_cancel->show();
        m_loader->start(m_dockerLayers, DockerHost::mountOptions());
        QList<LayerColumns::Column> columns;
        for (auto it = m_dockerLayers.crbegin(); it != m_dockerLayers.crend(); ++it)
            columns.append({it->name, {*it}, DockerHost::mountOptions(), LayerRole::Lower, it->name});
        columns.append(
            {tr("merged (read-only)"), m_dockerLayers, DockerHost::mountOptions(), LayerRole::Merged, QString(), true});
        m_columns->setColumns(columns);
        showDiagram(columns);
        return;
    }
    if (!m_workspace || m_overlay < 0)
        return;
    auto layers = m_workspace->mergeLayers(m_overlay);
    if (!layers) {
        showError(tr("Cannot compute the merged view"), layers.error().message);
        return;
    }
    m_statusLabel->setText(tr("Scanning layers…"));
    m_progress->show();
    m_cancel->show();
    const OverlaySpec &spec = m_workspace->overlays().at(m_overlay);
    const MergeOptions options = spec.options.mergeOptions();
    m_loader->start(*layers, options);

    // Columns, left to right: the bottom lower up to the top one, upper, work, merged.
    QList<LayerColumns::Column> columns;
    int lowerNo = 0;
    for (auto it = layers->crbegin(); it != layers->crend(); ++it) {
        if (it->role != LayerRole::Lower)
            continue;
        columns.append({tr("lower %1: %2%3")
                            .arg(++lowerNo)
                            .arg(it->name, it->viaOverlay.isEmpty() ? QString() : tr(" (via %1)").arg(it->viaOverlay)),
            {*it},
            options,
            LayerRole::Lower,
            it->name});
    }
    if (spec.hasUpper()) {
        columns.append({tr("upper: %1").arg(m_workspace->displayPath(spec.upper)),
            {layers->first()},
            options,
            LayerRole::Upper,
            layers->first().name});
        MergeLayer work {spec.work, m_workspace->displayPath(spec.work), LayerRole::Upper, {}, {}};
        columns.append({tr("work: %1").arg(work.name), {work}, options, LayerRole::Work, work.name});
    }
    columns.append({tr("merged: %1").arg(m_workspace->displayPath(spec.mountpoint)),
        *layers,
        options,
        LayerRole::Merged,
        m_workspace->displayPath(spec.mountpoint),
        true});
    m_columns->setColumns(columns, lowersUnchanged);
    showDiagram(columns);
}

void MainWindow::showDiagram(const QList<LayerColumns::Column> &columns)
{
    // One plane per column, bottom first, so plane and column indexes are the same.
    const MergeLayers all = columns.isEmpty() ? MergeLayers() : columns.last().layers;
    QList<StackDiagram::Plane> planes;
    for (const LayerColumns::Column &c : columns) {
        StackDiagram::Plane plane;
        plane.name = c.layer;
        plane.role = c.role;
        if (c.role == LayerRole::Merged && plane.name.isEmpty())
            plane.name = tr("read-only view");
        for (qsizetype i = 0; i < all.size() && c.role != LayerRole::Work; ++i) {
            if (c.role != LayerRole::Merged && all.at(i).name == c.layer) {
                plane.colour = MergedTreeModel::layerColor(
                    static_cast<int>(i), static_cast<int>(all.size()), all.at(i).role == LayerRole::Upper);
                plane.via = all.at(i).viaOverlay;
            }
        }
        planes << plane;
    }
    // A rescan of the same stack keeps the figure (and its highlight) as it is.
    bool same = planes.size() == m_diagram->planes().size();
    for (qsizetype i = 0; same && i < planes.size(); ++i)
        same = planes.at(i).name == m_diagram->planes().at(i).name
            && planes.at(i).role == m_diagram->planes().at(i).role;
    if (!same)
        m_diagram->setPlanes(planes);
}

void MainWindow::setAnimationSpeed(double factor)
{
    m_captions->setSpeed(factor);
    m_columns->animator()->setSpeed(factor);
}

void MainWindow::showCenterTab(int index)
{
    m_centerTabs->setCurrentIndex(index);
}

void MainWindow::columnsReady()
{
    // New columns open two levels deep; rescanned ones keep what the user opened and closed.
    for (int c = 0; c < m_columns->columnCount() && !m_columns->wasRefresh(); ++c) {
        // Opening a level of a huge tree costs a second of layout: only small ones open.
        const auto &t = m_columns->model(c)->tree();
        m_columns->view(c)->expandToDepth(t && t->nodeCount() < 2000 ? 1 : 0);
        m_columns->view(c)->resizeColumnToContents(MergedTreeModel::NameColumn);
    }
    const QString p = currentPath();
    if (!p.isEmpty())
        m_columns->selectPath(p);
    if (!m_pendingEvents.isEmpty()) {
        m_captions->clearQueue(); // a new edit: what is still queued from the last one is old news
        m_captions->play(m_pendingEvents);
        m_pendingEvents.clear();
    }
}

int MainWindow::checkStaleMounts()
{
    auto stale = StaleMounts::list();
    if (!stale || stale->isEmpty())
        return 0;
    QStringList lines;
    for (const StaleMounts::Mount &m : *stale)
        lines << QStringLiteral("%1 (overlay %2 of %3)").arg(m.mountPoint, m.overlay, m.workspace);
    const QString text
        = tr("Stratascope found overlay mounts left behind by a process that ended without unmounting them:\n\n%1\n\n"
             "Unmount them now?")
              .arg(lines.join(QLatin1Char('\n')));
    const bool interactive = QApplication::platformName() != QLatin1String("offscreen");
    if (interactive && QMessageBox::question(this, tr("Stale mounts"), text) != QMessageBox::Yes) {
        m_statusLabel->setText(
            tr("%n stale mount(s) left in place; `strata umount --stale` removes them.", nullptr, int(stale->size())));
        return int(stale->size());
    }
    QStringList failed;
    for (const StaleMounts::Mount &m : *stale) {
        const Status s = StaleMounts::remove(m);
        if (!s.ok())
            failed << s.error().message;
    }
    m_statusLabel->setText(failed.isEmpty()
            ? tr("Removed %n stale mount(s).", nullptr, int(stale->size()))
            : tr("Could not remove every stale mount: %1").arg(failed.join(QStringLiteral("; "))));
    return int(stale->size());
}

bool MainWindow::isScanning() const
{
    return m_loader->isRunning();
}

void MainWindow::buildEditActions(QToolBar *toolbar)
{
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    auto add = [&](const QString &text, const QKeySequence &key, QStyle::StandardPixmap icon, auto slot) {
        auto *a = new QAction(style()->standardIcon(icon), text, this);
        a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        edit->addAction(a);
        m_editActions << a;
        return a;
    };
    auto dirOf = [this] {
        const QString p = currentPath();
        if (p.isEmpty())
            return QStringLiteral("/");
        const QModelIndex idx = m_proxy->mapToSource(m_treeView->currentIndex());
        const bool isDir
            = idx.isValid() && m_model->tree()->node(idx.data(MergedTreeModel::NodeIdRole).toUInt()).isDir();
        return isDir ? p : p.left(p.lastIndexOf(QLatin1Char('/')) + 1);
    };
    auto join = [](const QString &dir, const QString &name) -> QString {
        return dir.endsWith(QLatin1Char('/')) ? QString(dir + name) : QString(dir + QLatin1Char('/') + name);
    };
    QAction *newFile = add(tr("New &File…"), QKeySequence::New, QStyle::SP_FileIcon, [this, dirOf, join] {
        const QString name
            = QInputDialog::getText(this, tr("New file"), tr("Name of the new file in %1:").arg(dirOf()));
        if (!name.isEmpty())
            applyEdit({QStringLiteral("write"), join(dirOf(), name), QString()});
    });
    add(tr("New F&older…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
        QStyle::SP_FileDialogNewFolder,
        [this, dirOf, join] {
            const QString name
                = QInputDialog::getText(this, tr("New folder"), tr("Name of the new folder in %1:").arg(dirOf()));
            if (!name.isEmpty())
                applyEdit({QStringLiteral("mkdir"), join(dirOf(), name)});
        });
    QAction *editText
        = add(tr("&Edit Text…"), QKeySequence(Qt::CTRL | Qt::Key_E), QStyle::SP_FileDialogDetailedView, [this] {
              const QString p = currentPath();
              if (p.isEmpty())
                  return;
              const QModelIndex idx = m_proxy->mapToSource(m_treeView->currentIndex());
              QFile f(QFile::decodeName(m_model->tree()->diskPath(idx.data(MergedTreeModel::NodeIdRole).toUInt())));
              const QString before = f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.read(1 << 20)) : QString();
              bool ok = false;
              QString text = QInputDialog::getMultiLineText(this, tr("Edit %1").arg(p), tr("Contents:"), before, &ok);
              if (!ok || text == before)
                  return;
              if (text.endsWith(QLatin1Char('\n')))
                  text.chop(1); // write adds the final newline
              applyEdit({QStringLiteral("write"), p, text});
          });
    add(tr("&Rename…"), QKeySequence(Qt::Key_F2), QStyle::SP_FileDialogContentsView, [this] {
        const QString p = currentPath();
        if (p.isEmpty())
            return;
        const QString to
            = QInputDialog::getText(this, tr("Rename"), tr("New path for %1:").arg(p), QLineEdit::Normal, p);
        if (!to.isEmpty() && to != p)
            applyEdit({QStringLiteral("mv"), p, to});
    });
    QAction *del = add(tr("&Delete"), QKeySequence::Delete, QStyle::SP_TrashIcon, [this] {
        const QString p = currentPath();
        if (p.isEmpty())
            return;
        const QModelIndex idx = m_proxy->mapToSource(m_treeView->currentIndex());
        const bool isDir = m_model->tree()->node(idx.data(MergedTreeModel::NodeIdRole).toUInt()).isDir();
        applyEdit({isDir ? QStringLiteral("rm-r") : QStringLiteral("rm"), p});
    });
    add(tr("&Permissions (chmod)…"), QKeySequence(Qt::CTRL | Qt::Key_M), QStyle::SP_FileDialogInfoView, [this] {
        const QString p = currentPath();
        if (p.isEmpty())
            return;
        const QString mode = QInputDialog::getText(
            this, tr("chmod"), tr("Octal mode for %1:").arg(p), QLineEdit::Normal, QStringLiteral("644"));
        if (!mode.isEmpty())
            applyEdit({QStringLiteral("chmod"), mode, p});
    });
    add(tr("&Touch"), QKeySequence(Qt::CTRL | Qt::Key_T), QStyle::SP_BrowserReload, [this] {
        const QString p = currentPath();
        if (!p.isEmpty())
            applyEdit({QStringLiteral("touch"), p});
    });
    add(tr("&Symlink…"), QKeySequence(Qt::CTRL | Qt::Key_L), QStyle::SP_FileLinkIcon, [this, dirOf, join] {
        const QString name
            = QInputDialog::getText(this, tr("Symbolic link"), tr("Name of the link in %1:").arg(dirOf()));
        if (name.isEmpty())
            return;
        const QString target = QInputDialog::getText(this, tr("Symbolic link"), tr("Target of %1:").arg(name));
        if (!target.isEmpty())
            applyEdit({QStringLiteral("ln-s"), target, join(dirOf(), name)});
    });
    edit->addSeparator();
    m_engineAction = new QAction(tr("Edit with the userspace &engine (no mount)"), this);
    m_engineAction->setObjectName(QStringLiteral("useEngine"));
    m_engineAction->setCheckable(true);
    m_engineAction->setChecked(usesEngine());
    connect(m_engineAction, &QAction::toggled, this, &MainWindow::setUseEngine);
    edit->addAction(m_engineAction);
    edit->addAction(m_mountAction);
    edit->addAction(m_terminalAction);

    toolbar->addSeparator();
    toolbar->addAction(newFile);
    toolbar->addAction(editText);
    toolbar->addAction(del);
    m_treeView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_treeView->addActions(m_editActions);
}

void MainWindow::setUseEngine(bool engine)
{
    setBackend(engine ? Backend::Engine : Backend::Auto);
}

bool MainWindow::usesEngine() const
{
    return m_mounts->effectiveBackend() == Backend::Engine;
}

void MainWindow::setBackend(Backend backend)
{
    if (m_editing)
        return;
    m_mounts->setBackend(backend);
    const int row = m_backendCombo->findData(static_cast<int>(backend));
    if (row >= 0 && m_backendCombo->currentIndex() != row) {
        const QSignalBlocker block(m_backendCombo);
        m_backendCombo->setCurrentIndex(row);
    }
    if (m_engineAction) {
        const QSignalBlocker block(m_engineAction);
        m_engineAction->setChecked(usesEngine());
    }
    m_statusLabel->setText(m_mounts->backendStatus());
    updateMountState();
}

Backend MainWindow::backend() const
{
    return m_mounts->backend();
}

QLayout *MainWindow::buildMountRow()
{
    m_mounts = new MountController(this);
    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Backend:")));
    m_backendCombo = new QComboBox;
    m_backendCombo->setObjectName(QStringLiteral("backendCombo"));
    auto *items = new QStandardItemModel(m_backendCombo);
    for (const BackendPolicy::Info &b : m_mounts->policy().backends()) {
        auto *item = new QStandardItem(b.label);
        item->setData(static_cast<int>(b.backend), Qt::UserRole);
        // Shown but not choosable where it cannot work, with the reason.
        if (!b.usable) {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
            item->setText(tr("%1 — unavailable").arg(b.label));
        }
        item->setToolTip(b.usable ? (b.mountable ? b.label : b.mountProblem) : b.problem);
        items->appendRow(item);
    }
    m_backendCombo->setModel(items);
    m_backendCombo->setCurrentIndex(m_backendCombo->findData(static_cast<int>(m_mounts->backend())));
    connect(m_backendCombo, &QComboBox::activated, this, [this](int row) {
        setBackend(static_cast<Backend>(m_backendCombo->itemData(row).toInt()));
    });
    row->addWidget(m_backendCombo);

    m_mountAction = new QAction(style()->standardIcon(QStyle::SP_DriveHDIcon), tr("&Mount"), this);
    m_mountAction->setObjectName(QStringLiteral("mountAction"));
    m_mountAction->setCheckable(true);
    m_mountAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    connect(m_mountAction, &QAction::triggered, this, [this](bool on) { setMounted(on); });
    auto *mountButton = new QToolButton;
    mountButton->setDefaultAction(m_mountAction);
    mountButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    row->addWidget(mountButton);

    m_terminalAction = new QAction(style()->standardIcon(QStyle::SP_ComputerIcon), tr("Open &Terminal Here"), this);
    m_terminalAction->setObjectName(QStringLiteral("openTerminal"));
    m_terminalAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_T));
    connect(m_terminalAction, &QAction::triggered, this, [this] {
        if (!m_mounts->openTerminal())
            showError(tr("Cannot open a terminal"), m_mounts->errorString());
        else
            m_statusLabel->setText(tr("Terminal started: what you do there appears here, labelled “outside the app”."));
    });
    auto *terminalButton = new QToolButton;
    terminalButton->setDefaultAction(m_terminalAction);
    terminalButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    row->addWidget(terminalButton);

    m_mountState = new QLabel;
    m_mountState->setObjectName(QStringLiteral("mountState"));
    row->addWidget(m_mountState, 1);

    connect(m_mounts, &MountController::mountedChanged, this, [this] { updateMountState(); });
    connect(m_mounts, &MountController::message, this, [this](const QString &text) { m_statusLabel->setText(text); });
    connect(m_mounts, &MountController::outsideEdit, this, [this](const QList<OverlayEvent> &events) {
        addToTimeline(tr("outside the app"), 0, QString(), events);
        if (m_captions->speed() > 0)
            m_pendingEvents += events;
        if (!events.isEmpty())
            m_pendingSelection = events.last().path;
        showPropagation(events);
        rescan(true);
    });
    connect(m_mounts, &MountController::lowerChanged, this, [this](const QString &path) {
        m_lowersDirty = true;
        if (m_mounts->isMounted())
            m_statusLabel->setText(tr("⚠ A lower layer changed while the overlay is mounted (%1): the kernel does not "
                                      "support this; what the merged view shows is undefined until it is remounted.")
                                       .arg(path));
        else
            rescan(); // not mounted: a lower layer may change; the view just follows
        m_session.reset(); // its picture of the lower layers is out of date
    });
    return row;
}

bool MainWindow::setMounted(bool on)
{
    if (m_editing) {
        updateMountState();
        return false;
    }
    const bool ok = on ? m_mounts->mount() : m_mounts->unmount();
    if (!ok)
        showError(on ? tr("Cannot mount") : tr("Cannot unmount"), m_mounts->errorString());
    updateMountState();
    return ok;
}

void MainWindow::updateMountState()
{
    if (!m_mountState)
        return;
    const bool overlay = m_mounts->hasOverlay();
    const Backend effective = m_mounts->effectiveBackend();
    const BackendPolicy::Info info = m_mounts->policy().info(effective);
    const bool mounted = overlay && m_mounts->isMounted();
    {
        const QSignalBlocker block(m_mountAction);
        m_mountAction->setChecked(mounted);
    }
    m_mountAction->setText(mounted ? tr("Un&mount") : tr("&Mount"));
    m_mountAction->setEnabled(overlay && (mounted || info.mountable));
    m_mountAction->setToolTip(mounted ? tr("Unmount %1").arg(m_mounts->mergedDirectory())
                                      : (info.mountable ? tr("Mount the overlay here") : info.mountProblem));
    m_terminalAction->setEnabled(overlay);
    m_backendCombo->setEnabled(overlay);
    // A short state with a symbol; the sentence in the tooltip.
    QString text;
    QString tip;
    if (!overlay) {
        text = tr("Read-only");
        tip = tr("A read-only view: nothing is mounted or written.");
    } else if (mounted) {
        text = tr("● Mounted");
        tip = tr("Mounted at %1%2")
                  .arg(QDir::toNativeSeparators(m_mounts->mergedDirectory()),
                      m_mounts->ownsMount() ? QString() : tr(" (by another program)"));
    } else {
        text = tr("○ Not mounted");
        tip = effective == Backend::Engine ? tr("The userspace engine edits the layer directories: no mount at all.")
                                           : tr("Each edit gets its own private mount, gone right after.");
    }
    m_mountState->setText(text);
    m_mountState->setToolTip(tip);
    if (overlay && m_workspace && m_overlay >= 0) {
        // The exact command for the chosen backend, to copy into a terminal.
        const QString command = m_mounts->policy().mountCommand(*m_workspace, m_overlay, effective);
        m_mountCommand->setText(command);
    }
}

void MainWindow::buildLessonDock()
{
    auto *box = new QWidget;
    auto *v = new QVBoxLayout(box);
    m_lessonCounter = new QLabel;
    m_lessonCounter->setObjectName(QStringLiteral("lessonCounter"));
    QFont bold = m_lessonCounter->font();
    bold.setBold(true);
    m_lessonCounter->setFont(bold);
    m_lessonText = new QLabel;
    m_lessonText->setObjectName(QStringLiteral("lessonText"));
    m_lessonText->setWordWrap(true);
    m_lessonText->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    QFont big = m_lessonText->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    m_lessonText->setFont(big);
    auto *buttons = new QHBoxLayout;
    auto *prev = new QPushButton(style()->standardIcon(QStyle::SP_MediaSeekBackward), tr("Previous"));
    auto *next = new QPushButton(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("Next"));
    auto *play = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Auto-play"));
    play->setCheckable(true);
    prev->setShortcut(QKeySequence(Qt::Key_PageUp));
    next->setShortcut(QKeySequence(Qt::Key_PageDown));
    buttons->addWidget(prev);
    buttons->addWidget(next);
    buttons->addWidget(play);
    buttons->addStretch(1);
    v->addWidget(m_lessonCounter);
    // Long narrations at presentation size scroll instead of being cut.
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_lessonText);
    v->addWidget(scroll, 1);
    v->addLayout(buttons);
    m_autoPlay = new QTimer(this);
    m_autoPlay->setInterval(5000);
    connect(m_autoPlay, &QTimer::timeout, this, [this, play] {
        if (m_editing)
            return; // the next tick
        if (!lessonNext()) {
            m_autoPlay->stop();
            play->setChecked(false);
        }
    });
    connect(play, &QPushButton::toggled, this, [this](bool on) { on ? m_autoPlay->start() : m_autoPlay->stop(); });
    connect(prev, &QPushButton::clicked, this, &MainWindow::lessonPrevious);
    connect(next, &QPushButton::clicked, this, &MainWindow::lessonNext);
    m_lessonDock = new QDockWidget(tr("Lesson"), this);
    m_lessonDock->setObjectName(QStringLiteral("lessonDock"));
    m_lessonDock->setWidget(box);
    // Below the views, beside the timeline: the columns keep the width they need.
    addDockWidget(Qt::BottomDockWidgetArea, m_lessonDock);
    splitDockWidget(m_lessonDock, m_timelineDock, Qt::Horizontal);
    const int share = m_presentation ? 3 : 2; // fifths of the width for the narration
    resizeDocks({m_lessonDock, m_timelineDock}, {width() * share / 5, width() * (5 - share) / 5}, Qt::Horizontal);
    if (m_presentation)
        resizeDocks({m_lessonDock}, {height() * 2 / 5}, Qt::Vertical);
}

bool MainWindow::startLesson(const QString &nameOrFile)
{
    auto lesson = Lesson::load(nameOrFile);
    if (!lesson) {
        showError(tr("Cannot open the lesson"), lesson.error().message);
        return false;
    }
    if (!m_lessonDock)
        buildLessonDock();
    m_lesson = std::move(lesson.value());
    m_lessonStep = 0;
    m_timeline->clear();
    if (!openScenario(m_lesson->scenario()))
        return false;
    m_lessonDock->show();
    return lessonNext();
}

void MainWindow::showLessonStep()
{
    if (!m_lesson || m_lessonStep == 0)
        return;
    m_lessonCounter->setText(
        tr("%1 — step %2 of %3").arg(m_lesson->title()).arg(m_lessonStep).arg(m_lesson->steps().size()));
    m_lessonText->setText(m_lesson->steps().at(m_lessonStep - 1).say);
}

bool MainWindow::lessonNext()
{
    if (!m_lesson || m_lessonStep >= m_lesson->steps().size())
        return false;
    // One step at a time: the step whose edit is running ends with a rescan, which calls again.
    if (m_editing)
        return true;
    const Lesson::Step &step = m_lesson->steps().at(m_lessonStep);
    ++m_lessonStep;
    const int overlayBefore = m_overlay;
    if (m_workspace && !step.overlay.isEmpty()) {
        const int index = m_workspace->indexOf(step.overlay);
        if (index >= 0 && index != m_overlay)
            selectOverlay(index);
    }
    showLessonStep();
    if (!step.edit.isEmpty())
        applyEdit(step.edit);
    else if (m_overlay == overlayBefore)
        rescan(); // narration only: the view is refreshed all the same (auto-play and --replay wait for it)
    return true;
}

bool MainWindow::lessonPrevious()
{
    if (!m_lesson || m_lessonStep <= 1)
        return false;
    const int target = m_lessonStep - 1;
    // Edits cannot be undone in an overlay: start from a fresh copy and replay.
    m_timeline->clear();
    if (!openScenario(m_lesson->scenario()))
        return false;
    m_lessonStep = 0;
    while (m_lessonStep < target)
        lessonNext();
    return true;
}

bool MainWindow::exportView(const QString &file)
{
    QWidget *what = centralWidget();
    if (file.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(what->size());
        svg.setViewBox(QRect(QPoint(0, 0), what->size()));
        svg.setTitle(windowTitle());
        svg.setDescription(tr("Stratascope view: %1").arg(m_mountCommand->text()));
        QPainter painter;
        if (!painter.begin(&svg)) {
            showError(tr("Cannot export"), tr("%1: cannot write").arg(file));
            return false;
        }
        what->render(&painter);
        painter.end();
        m_statusLabel->setText(tr("Exported %1").arg(file));
        return QFileInfo(file).size() > 0;
    }
    if (!what->grab().save(file, file.endsWith(QLatin1String(".png"), Qt::CaseInsensitive) ? "PNG" : nullptr)) {
        showError(tr("Cannot export"), tr("%1: cannot write (use .png or .svg)").arg(file));
        return false;
    }
    m_statusLabel->setText(tr("Exported %1").arg(file));
    return true;
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presentation)
        return;
    if (on) {
        m_normalFont = QApplication::font();
        m_normalPalette = QApplication::palette();
        QFont big = m_normalFont;
        big.setPointSizeF(m_normalFont.pointSizeF() * 1.6);
        QApplication::setFont(big);
        // High contrast: black on white, a dark selection with white text.
        QPalette p;
        p.setColor(QPalette::Window, Qt::white);
        p.setColor(QPalette::WindowText, Qt::black);
        p.setColor(QPalette::Base, Qt::white);
        p.setColor(QPalette::AlternateBase, QColor(0xee, 0xee, 0xee));
        p.setColor(QPalette::Text, Qt::black);
        p.setColor(QPalette::Button, QColor(0xf0, 0xf0, 0xf0));
        p.setColor(QPalette::ButtonText, Qt::black);
        p.setColor(QPalette::Highlight, QColor(0x00, 0x33, 0x99));
        p.setColor(QPalette::HighlightedText, Qt::white);
        QApplication::setPalette(p);
    } else {
        QApplication::setFont(m_normalFont);
        QApplication::setPalette(m_normalPalette);
    }
    for (QToolBar *tb : findChildren<QToolBar *>())
        tb->setIconSize(on ? QSize(40, 40) : QSize(24, 24));
    m_treeView->setIconSize(on ? QSize(28, 28) : QSize());
    // For the back of the room: fewer, bigger things. The captions say what the details panel would.
    m_detailsPanel->setVisible(!on);
    m_splitter->setSizes(on ? QList<int> {width() * 3 / 10, width() * 7 / 10, 0} : QList<int> {260, 720, 300});
    if (m_lessonDock && m_timelineDock && !m_lessonDock->isFloating()) {
        resizeDocks(
            {m_lessonDock, m_timelineDock}, {width() * (on ? 3 : 2) / 5, width() * (on ? 2 : 3) / 5}, Qt::Horizontal);
        resizeDocks({m_lessonDock}, {height() * (on ? 2 : 1) / 5 + (on ? 0 : 60)}, Qt::Vertical);
    }
    m_presentation = on;
}

QString MainWindow::narration() const
{
    return m_lessonText ? m_lessonText->text() : QString();
}

QString MainWindow::currentPath() const
{
    const QModelIndex idx = m_proxy->mapToSource(m_treeView->currentIndex());
    return idx.isValid() ? idx.data(MergedTreeModel::MergedPathRole).toString() : QString();
}

namespace
{
// Keys and clicks during an edit are dropped, not queued: replayed afterwards they would act
// on whatever is selected then (a second Delete, say).
class InputBlocker final : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        switch (event->type()) {
        case QEvent::ShortcutOverride:
            event->accept(); // the key goes nowhere, so no shortcut fires either
            return true;
        case QEvent::KeyPress:
        case QEvent::KeyRelease:
        case QEvent::Shortcut:
        case QEvent::MouseButtonPress:
        case QEvent::MouseButtonRelease:
        case QEvent::MouseButtonDblClick:
        case QEvent::Wheel:
        case QEvent::ContextMenu:
        case QEvent::TouchBegin:
        case QEvent::TouchUpdate:
        case QEvent::TouchEnd:
            return true;
        default:
            return false;
        }
    }
};
} // namespace

Result<StackSession::Outcome> MainWindow::runOffGuiThread(const std::function<Result<StackSession::Outcome>()> &work)
{
    // An edit can take long (rm -r of a big tree, a copy-up of a large file, a slow mount):
    // it runs on a worker while the window keeps drawing; the edit actions wait for it.
    m_editing = true;
    for (QAction *a : std::as_const(m_editActions))
        a->setEnabled(false);
    QTimer busy;
    busy.setSingleShot(true);
    connect(&busy, &QTimer::timeout, this, [this] {
        m_statusLabel->setText(tr("Editing…"));
        m_progress->show();
    });
    busy.start(150);
    std::optional<Result<StackSession::Outcome>> result;
    QEventLoop loop;
    std::thread worker([&] {
        result.emplace(work());
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
    });
    InputBlocker blocker;
    qApp->installEventFilter(&blocker);
    loop.exec();
    qApp->removeEventFilter(&blocker);
    worker.join(); // at once, unless the application is quitting under us
    busy.stop();
    m_progress->hide();
    for (QAction *a : std::as_const(m_editActions))
        a->setEnabled(true);
    m_editing = false;
    return std::move(*result);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_editing) {
        // Closing now would pull the session from under the worker: close right after it.
        m_closeRequested = true;
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

int MainWindow::applyEdit(const QStringList &verbAndArgs)
{
    if (m_editing) {
        m_statusLabel->setText(tr("Still busy with the previous edit."));
        return EBUSY;
    }
    if (!m_workspace || m_overlay < 0 || !m_dockerLayers.isEmpty()) {
        m_statusLabel->setText(tr("This view is read-only."));
        return EROFS;
    }
    auto op = MergedOperation::parse(verbAndArgs);
    if (!op) {
        m_statusLabel->setText(op.error().message);
        return EINVAL;
    }
    const Backend backend = m_mounts->effectiveBackend();
    if (m_sessionOverlay != m_overlay || m_sessionBackend != backend)
        m_session.reset();
    // Our own edit: the watcher must not report it again as one from outside.
    m_mounts->beginOwnEdit();
    bool opened = true;
    auto outcome = runOffGuiThread([this, &op, &opened]() -> Result<StackSession::Outcome> {
        // Opening a kernel session takes a picture of the lower layers (a whole scan of a big
        // stack): off the GUI thread too, and kept for the next edits of this overlay.
        if (!m_session) {
            auto s = m_mounts->openSession();
            if (!s) {
                opened = false;
                return s.error();
            }
            m_session = std::move(s.value());
        }
        return m_session->apply(*op);
    });
    if (opened) {
        m_sessionOverlay = m_overlay;
        m_sessionBackend = backend;
    }
    if (outcome)
        m_mounts->endOwnEdit(outcome->events); // a terminal's writes meanwhile still count
    else
        m_mounts->endOwnEdit();
    if (m_closeRequested) {
        m_closeRequested = false;
        QTimer::singleShot(0, this, &QWidget::close);
        return outcome ? outcome->error : EIO;
    }
    if (!outcome) {
        showError(tr("Cannot edit"), outcome.error().message);
        return opened ? EIO : EPERM;
    }
    addToTimeline(outcome->command, outcome->error, outcome->errorText, outcome->events);
    // Captions and animations start once the columns show the new state, so that every
    // movement ends on a row that exists.
    if (m_captions->speed() > 0)
        m_pendingEvents += outcome->events;
    if (m_animateInColumns && m_captions->speed() > 0 && !outcome->events.isEmpty())
        m_centerTabs->setCurrentWidget(m_columns);
    m_statusLabel->setText(outcome->error ? outcome->errorText
                                          : tr("%1 — %n event(s), %2", nullptr, int(outcome->events.size()))
                                                .arg(outcome->command, m_session->describe()));
    if (!outcome->events.isEmpty())
        m_pendingSelection = outcome->events.last().path;
    showPropagation(outcome->events);
    rescan(true);
    return outcome->error;
}

QList<int> MainWindow::dependents(int overlay) const
{
    // Overlays stacked on this one, directly or through others, in mount order.
    QList<int> found;
    QStringList mountpoints {m_workspace->overlays().at(overlay).mountpoint};
    for (int j = overlay + 1; j < m_workspace->overlays().size(); ++j) {
        const OverlaySpec &o = m_workspace->overlays().at(j);
        for (const QString &mp : std::as_const(mountpoints)) {
            if (o.lower.contains(mp)) {
                found << j;
                mountpoints << o.mountpoint;
                break;
            }
        }
    }
    return found;
}

void MainWindow::showPropagation(const QList<OverlayEvent> &events)
{
    if (events.isEmpty() || !m_workspace || m_overlay < 0)
        return;
    // A multi-level stack: an edit here is part of the lower layers of the overlays above.
    QStringList paths;
    for (const OverlayEvent &e : events) {
        if (!paths.contains(e.path))
            paths << e.path;
    }
    const QString from = m_workspace->overlays().at(m_overlay).name;
    for (int j : dependents(m_overlay)) {
        QListWidgetItem *item = m_overlayList->item(j);
        if (!item)
            continue;
        item->setText(tr("%1\n  ⬆ sees the edit in %2: %3")
                          .arg(item->data(Qt::UserRole).toString(), from, paths.join(QStringLiteral(", "))));
        item->setIcon(style()->standardIcon(QStyle::SP_ArrowUp));
        item->setToolTip(tr("%1 has %2 among its lower layers, so this edit shows through in its merged view "
                            "(unless its own upper layer hides the path). Select it to see.")
                             .arg(m_workspace->overlays().at(j).name, from));
    }
}

void MainWindow::addToTimeline(
    const QString &command, int error, const QString &errorText, const QList<OverlayEvent> &events)
{
    // Edits seen by the watcher were made by another program: no command of ours to show.
    const bool outside = !events.isEmpty() && events.first().outside;
    auto *op = new QTreeWidgetItem(
        {outside ? tr("⌨ %1 (a terminal or another program)").arg(command) : QStringLiteral("$ ") + command,
            QString(),
            QString(),
            error ? errorText : QString()});
    op->setIcon(0, style()->standardIcon(error ? QStyle::SP_MessageBoxWarning : QStyle::SP_CommandLink));
    for (const OverlayEvent &e : events) {
        const QString layers
            = e.fromLayer.isEmpty() ? e.toLayer : QStringLiteral("%1 → %2").arg(e.fromLayer, e.toLayer);
        auto *child = new QTreeWidgetItem(op, {OverlayEvent::kindName(e.kind), e.path, layers, e.explanation});
        child->setToolTip(3, e.explanation);
        child->setToolTip(0, tr("Double-click to play it again"));
        child->setData(0, Qt::UserRole, QVariant::fromValue(e));
        const QStyle::StandardPixmap icon = e.kind == OverlayEvent::Kind::Whiteout ? QStyle::SP_TrashIcon
            : e.kind == OverlayEvent::Kind::CopyUp                                 ? QStyle::SP_ArrowUp
            : e.kind == OverlayEvent::Kind::Opaque                                 ? QStyle::SP_DialogNoButton
            : e.kind == OverlayEvent::Kind::Removed                                ? QStyle::SP_DialogDiscardButton
            : e.kind == OverlayEvent::Kind::WorkTemp                               ? QStyle::SP_BrowserReload
                                                                                   : QStyle::SP_FileIcon;
        child->setIcon(0, style()->standardIcon(icon));
    }
    m_timeline->addTopLevelItem(op);
    op->setFirstColumnSpanned(!error);
    op->setExpanded(true);
    m_timeline->scrollToItem(op->childCount() ? op->child(op->childCount() - 1) : op);
    m_timeline->setColumnWidth(0, std::max(m_timeline->columnWidth(0), 150));
    m_timeline->resizeColumnToContents(1);
    m_timeline->resizeColumnToContents(2);
}

void MainWindow::showTree(std::shared_ptr<const MergedTree> tree)
{
    m_progress->hide();
    m_cancel->hide();
    m_model->setTree(tree);
    m_columns->provideTree(m_columns->findColumn(LayerRole::Merged), tree); // the same merged view
    m_treeView->expandToDepth(tree->nodeCount() < 2000 ? 2 : 0);
    for (int c = 0; c < MergedTreeModel::NotesColumn; ++c)
        m_treeView->resizeColumnToContents(c);
    m_statusLabel->setText(tr("%L1 entries in the merged view, %L2 deleted (whiteouts), from %3 layers")
                               .arg(tree->visibleCount())
                               .arg(tree->nodeCount() - tree->visibleCount())
                               .arg(tree->layers().size()));
    for (const QString &w : tree->warnings())
        m_statusLabel->setText(m_statusLabel->text() + QStringLiteral(" — ") + w);
    if (!m_pendingSelection.isEmpty())
        selectPath(m_pendingSelection);
    Q_EMIT treeReady();
}

bool MainWindow::selectPath(const QString &mergedPath)
{
    const auto &tree = m_model->tree();
    if (!tree) {
        m_pendingSelection = mergedPath;
        return false;
    }
    const QByteArray p = QFile::encodeName(mergedPath);
    const auto id = tree->find(std::string_view(p.constData(), static_cast<size_t>(p.size())));
    if (!id)
        return false;
    m_pendingSelection.clear();
    const QModelIndex idx = m_proxy->mapFromSource(m_model->indexForNode(*id));
    if (!idx.isValid())
        return false;
    m_treeView->scrollTo(idx);
    m_treeView->setCurrentIndex(idx);
    if (m_columns)
        m_columns->selectPath(mergedPath);
    return true;
}

QString MainWindow::detailsText() const
{
    return m_details->toPlainText();
}

void MainWindow::updateDetails()
{
    const QModelIndex idx = m_proxy->mapToSource(m_treeView->currentIndex());
    if (!idx.isValid()) {
        m_details->clear();
        return;
    }
    const NodeId id = idx.data(MergedTreeModel::NodeIdRole).toUInt();
    const auto &tree = m_model->tree();
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p>")
                       .arg(idx.data(MergedTreeModel::MergedPathRole).toString().toHtmlEscaped(),
                           m_model->explain(id).toHtmlEscaped());
    html += QStringLiteral("<p><b>%1</b><br><code>%2</code></p>")
                .arg(tr("On disk:"), QFile::decodeName(tree->diskPath(id)).toHtmlEscaped());
    m_details->setHtml(html);
}

void MainWindow::rememberRecent(const QString &file)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentWorkspaces")).toStringList();
    recent.removeAll(file);
    recent.prepend(file);
    while (recent.size() > 10)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentWorkspaces"), recent);
    settings.setValue(QStringLiteral("lastWorkspace"), file);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentWorkspaces")).toStringList();
    for (const QString &f : recent) {
        QAction *a = m_recentMenu->addAction(QDir::toNativeSeparators(f));
        connect(a, &QAction::triggered, this, [this, f] { openWorkspace(f); });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

} // namespace strata
