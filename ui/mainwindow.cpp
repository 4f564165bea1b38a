// SPDX-License-Identifier: GPL-2.0-or-later
#include "mainwindow.h"

#include "core/image/docker/dockerhost.h"
#include "core/stack/scenario.h"
#include "ui/common/editrunner.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/common/mountbar.h"
#include "ui/common/treeloader.h"
#include "ui/common/viewexporter.h"
#include "ui/common/whiteoutfilter.h"
#include "ui/images/dockerpanel.h"
#include "ui/lesson/lessonpanel.h"
#include "ui/lesson/lessonplayer.h"
#include "ui/stage/captionbanner.h"
#include "ui/stage/columnplan.h"
#include "ui/stage/editactions.h"
#include "ui/stage/eventanimator.h"
#include "ui/stage/layercolumns.h"
#include "ui/stage/presentationmode.h"
#include "ui/stage/stackdiagram.h"
#include "ui/stage/stacksidebar.h"
#include "ui/stage/timeline.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace strata
{

namespace
{

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
    , m_proxy(new WhiteoutFilter(this))
    , m_loader(new TreeLoader(this))
    , m_mounts(new MountController(this))
    , m_runner(new EditRunner(this))
    , m_lesson(new LessonPlayer(this, this))
    , m_presentation(new PresentationMode(this))
    , m_busyDelay(new QTimer(this))
{
    setWindowTitle(tr("Stratascope"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::DisplayRole);
    buildUi();
    buildMenus();
    connectMounts();

    connect(m_loader, &TreeLoader::progress, this, [this](quint64 entries, quint64 dirs) {
        say(tr("Scanning layers… %L1 entries in %L2 directories").arg(entries).arg(dirs));
    });
    connect(m_loader, &TreeLoader::finished, this, &MainWindow::showTree);
    connect(m_loader, &TreeLoader::failed, this, [this](const QString &message) {
        m_columns->provideTree(m_columns->findColumn(LayerRole::Merged), nullptr, message);
        m_progress->hide();
        m_cancel->hide();
        say(tr("Scan stopped: %1").arg(message));
        Q_EMIT scanFailed(message);
    });
    connect(m_runner, &EditRunner::finished, this, &MainWindow::editDone);
    connect(m_runner, &EditRunner::busyChanged, this, &MainWindow::updateBusy);
    // Quick edits never flash the busy state; slow ones say so.
    m_busyDelay->setSingleShot(true);
    m_busyDelay->setInterval(150);
    connect(m_busyDelay, &QTimer::timeout, this, [this] {
        m_busyLabel->show();
        m_progress->show();
        m_sidebar->setChoosable(false);
        m_mountBar->setBusy(true);
    });
    connect(m_lesson, &LessonPlayer::stepDone, this, &MainWindow::lessonStepDone);
    connect(m_lesson, &LessonPlayer::problem, this, [this](const QString &message) { say(message); });
    resize(1280, 760);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_sidebar = new StackSidebar;
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(buildCenter());

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(6, 6, 6, 6);
    rightLayout->addWidget(sectionTitle(tr("What the kernel does with it")));
    m_details = new QTextBrowser;
    m_details->setObjectName(QStringLiteral("details"));
    rightLayout->addWidget(m_details, 1);
    m_splitter->addWidget(right);
    m_detailsPanel = right;
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 6);
    m_splitter->setStretchFactor(2, 3);
    m_splitter->setSizes({260, 720, 300});
    setCentralWidget(m_splitter);

    m_timeline = new Timeline;
    m_timelineDock = new QDockWidget(tr("Timeline"), this);
    m_timelineDock->setObjectName(QStringLiteral("timelineDock"));
    m_timelineDock->setWidget(m_timeline);
    addDockWidget(Qt::BottomDockWidgetArea, m_timelineDock);
    connect(m_timeline, &Timeline::replayRequested, this, [this](const QList<OverlayEvent> &events) {
        if (m_captions->speed() <= 0)
            return;
        if (m_animateInColumns)
            m_centerTabs->setCurrentWidget(m_columns);
        m_captions->clearQueue();
        m_captions->play(events);
    });
    connect(m_timeline, &Timeline::pathChosen, this, [this](const QString &path) { selectPath(path); });

    m_statusLabel = new QLabel;
    m_busyLabel = new QLabel(tr("⏳ Working…"));
    m_busyLabel->setObjectName(QStringLiteral("busyIndicator"));
    m_busyLabel->hide();
    m_progress = new QProgressBar;
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    m_cancel = new QToolButton;
    m_cancel->setText(tr("Cancel"));
    m_cancel->hide();
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_busyLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, m_loader, &TreeLoader::cancel);

    connect(m_sidebar, &StackSidebar::overlayChosen, this, [this](int row) {
        if (row != m_overlay)
            selectOverlay(row);
    });
    connect(m_sidebar->diagram(), &StackDiagram::planeClicked, this, [this](int index) {
        // A plane is a column: show it, with what it is.
        m_centerTabs->setCurrentWidget(m_columns);
        if (index >= 0 && index < m_columns->columnCount()) {
            m_columns->view(index)->setFocus();
            say(m_sidebar->diagram()->label(index) + QStringLiteral(" — ") + m_columns->status(index));
        }
    });
}

QWidget *MainWindow::buildCenter()
{
    auto *center = new QWidget;
    auto *layout = new QVBoxLayout(center);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(sectionTitle(tr("Merged view, computed from the layer directories")));
    m_mountBar = new MountBar(m_mounts);
    layout->addWidget(m_mountBar);
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
    layout->addWidget(m_centerTabs, 1);
    m_captions = new CaptionBanner;
    layout->addWidget(m_captions);

    connect(m_columns, &LayerColumns::pathSelected, this, [this](const QString &path) { selectPath(path); });
    connect(m_columns, &LayerColumns::ready, this, &MainWindow::columnsReady);
    connect(m_columns, &LayerColumns::editMenuRequested, this, [this](const QString &, const QPoint &at) {
        QMenu menu(this);
        menu.addActions(m_editActions->actions());
        menu.exec(at);
    });
    connect(m_columns,
        &LayerColumns::provenance,
        this,
        [this](const QString &path, int provider, const QList<int> &shadowed, int whiteoutIn) {
            if (path.isEmpty())
                m_sidebar->diagram()->clearHighlight();
            else
                m_sidebar->diagram()->setHighlight(path, provider, shadowed, whiteoutIn);
        });
    connect(m_captions, &CaptionBanner::showing, this, [this](const OverlayEvent &e) {
        selectPath(e.path);
        // The movement takes most of the caption's time, so the class can follow both.
        m_columns->animator()->animate(e, m_captions->holdTime(e) * 3 / 4);
    });
    connect(m_treeView->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        updateDetails();
        // The columns and the diagram follow a selection made in the merged view too.
        const QString p = currentPath();
        if (!p.isEmpty())
            m_columns->selectPath(p);
    });
    return center;
}

void MainWindow::buildMenus()
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
            openScenario(
                name, parent.isEmpty() ? QString() : QDir(parent).filePath(QStringLiteral("stratascope-") + name));
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
    connect(reload, &QAction::triggered, this, [this] { rescan(); });
    file->addAction(reload);
    tb->addAction(reload);

    file->addSeparator();
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    file->addAction(quit);

    // Edits in the merged view: the Edit menu, the tool bar, the context menus.
    m_editActions = new EditActions(this, [this] {
        EditActions::Selection s;
        s.path = currentPath();
        const QModelIndex idx = m_proxy->mapToSource(m_treeView->currentIndex());
        if (idx.isValid() && m_model->tree()) {
            const NodeId id = idx.data(MergedTreeModel::NodeIdRole).toUInt();
            s.isDir = m_model->tree()->node(id).isDir();
            s.diskPath = QFile::decodeName(m_model->tree()->diskPath(id));
        }
        return s;
    });
    connect(m_editActions, &EditActions::editRequested, this, [this](const QStringList &edit) { applyEdit(edit); });
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addActions(m_editActions->actions());
    edit->addSeparator();
    m_engineAction = new QAction(tr("Edit with the userspace &engine (no mount)"), this);
    m_engineAction->setObjectName(QStringLiteral("useEngine"));
    m_engineAction->setCheckable(true);
    m_engineAction->setChecked(usesEngine());
    connect(m_engineAction, &QAction::toggled, this, &MainWindow::setUseEngine);
    edit->addAction(m_engineAction);
    edit->addAction(m_mountBar->mountAction());
    edit->addAction(m_mountBar->terminalAction());
    tb->addSeparator();
    tb->addAction(m_editActions->newFile());
    tb->addAction(m_editActions->editText());
    tb->addAction(m_editActions->remove());
    m_treeView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_treeView->addActions(m_editActions->actions());

    buildViewMenu(menuBar()->addMenu(tr("&View")));
    tb->addAction(findChild<QAction *>(QStringLiteral("showDeleted")));
}

void MainWindow::buildViewMenu(QMenu *view)
{
    auto *showDeleted = new QAction(tr("Show &Deleted Entries (Whiteouts)"), this);
    showDeleted->setObjectName(QStringLiteral("showDeleted"));
    showDeleted->setCheckable(true);
    showDeleted->setChecked(true);
    connect(showDeleted, &QAction::toggled, this, [this](bool on) { m_proxy->setShowWhiteouts(on); });
    view->addAction(showDeleted);
    QMenu *speed = view->addMenu(tr("Animation and &Captions Speed"));
    auto *speeds = new QActionGroup(this);
    for (const double f : {0.0, 0.25, 0.5, 1.0, 2.0, 4.0}) {
        QAction *a = speed->addAction(f == 0.0 ? tr("Off") : QStringLiteral("%1×").arg(f));
        a->setCheckable(true);
        a->setChecked(f == 1.0);
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
}

void MainWindow::connectMounts()
{
    connect(m_mountBar, &MountBar::backendChosen, this, &MainWindow::setBackend);
    connect(m_mountBar, &MountBar::mountRequested, this, [this](bool on) { setMounted(on); });
    connect(m_mountBar, &MountBar::terminalRequested, this, [this] {
        if (!m_mounts->openTerminal())
            showError(tr("Cannot open a terminal"), m_mounts->errorString());
        else
            say(tr("Terminal started: what you do there appears here, labelled “outside the app”."));
    });
    connect(m_mounts, &MountController::message, this, &MainWindow::say);
    connect(m_mounts, &MountController::outsideEdit, this, [this](const QList<OverlayEvent> &events) {
        m_timeline->addEdit(tr("outside the app"), 0, QString(), events);
        playEvents(events);
        showPropagation(events);
        rescan(true);
    });
    connect(m_mounts, &MountController::lowerChanged, this, [this](const QString &path) {
        m_lowersDirty = true;
        if (m_mounts->isMounted())
            say(tr("⚠ A lower layer changed while the overlay is mounted (%1): the kernel does not support this; "
                   "what the merged view shows is undefined until it is remounted.")
                    .arg(path));
        else
            rescan(); // not mounted: a lower layer may change; the view just follows
        m_runner->reset(); // its picture of the lower layers is out of date
    });
}

void MainWindow::showError(const QString &title, const QString &message)
{
    say(message);
    if (QApplication::platformName() != QLatin1String("offscreen"))
        QMessageBox::warning(this, title, message);
}

void MainWindow::say(const QString &text)
{
    m_statusLabel->setText(text);
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
    if (refuseWhileBusy(tr("opening a workspace")))
        return false;
    auto ws = Workspace::load(path);
    if (!ws) {
        showError(tr("Cannot open workspace"), ws.error().message);
        return false;
    }
    m_workspace = std::move(ws.value());
    rememberRecent(m_workspace->filePath());
    setWindowTitle(tr("Stratascope — %1").arg(QDir::toNativeSeparators(m_workspace->filePath())));
    m_overlay = -1;
    m_sidebar->setWorkspace(*m_workspace);
    for (const QString &w : m_workspace->warnings())
        say(w);
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
    if (!refuseWhileBusy(tr("switching overlay")))
        showOverlay(index);
}

void MainWindow::showOverlay(int index)
{
    if (!m_workspace || index < 0 || index >= m_workspace->overlays().size())
        return;
    m_readOnlyLayers.clear();
    // First the old overlay's mount and watcher go (what the watcher still had is told about
    // the old overlay), then the new one is shown; old captions are not about it.
    if (!m_mounts->setOverlay(*m_workspace, index))
        say(m_mounts->errorString());
    m_overlay = index;
    m_runner->reset(); // another overlay, or the same one of another workspace
    m_pendingEvents.clear();
    m_captions->clearQueue();
    m_sidebar->setCurrentOverlay(index);
    m_mountBar->showOverlay(*m_workspace, index);
    if (auto layers = m_workspace->mergeLayers(index)) {
        m_sidebar->showLayers(*layers, [this](const MergeLayer &l) {
            QString where = l.name;
            if (!l.viaOverlay.isEmpty())
                where += tr("  (through %1)").arg(l.viaOverlay);
            if (!l.linkTarget.isEmpty())
                where += QStringLiteral("  → %1").arg(m_workspace->displayPath(l.linkTarget));
            return where;
        });
    }
    rescan();
}

void MainWindow::showLayers(const MergeLayers &layers, const QString &title)
{
    if (layers.isEmpty() || refuseWhileBusy(tr("opening read-only layers")))
        return;
    m_readOnlyLayers = layers;
    m_overlay = -1;
    m_mounts->clear(); // read-only: nothing to mount, nothing to watch
    m_sidebar->clearOverlays();
    setWindowTitle(tr("Stratascope — %1").arg(title));
    m_mountBar->showReadOnly(tr("Docker layers (read-only) — %1. Nothing is mounted or written.").arg(title));
    m_sidebar->showLayers(layers, [](const MergeLayer &l) { return l.name; });
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
    MergeLayers layers = m_readOnlyLayers;
    MergeOptions options = DockerHost::mountOptions();
    QList<LayerColumns::Column> columns;
    if (!layers.isEmpty()) {
        columns = ColumnPlan::forLayers(layers, options);
    } else if (m_workspace && m_overlay >= 0) {
        auto merged = m_workspace->mergeLayers(m_overlay);
        if (!merged) {
            showError(tr("Cannot compute the merged view"), merged.error().message);
            return;
        }
        layers = *merged;
        options = m_workspace->overlays().at(m_overlay).options.mergeOptions();
        columns = ColumnPlan::forOverlay(*m_workspace, m_overlay, layers);
    } else {
        return;
    }
    say(tr("Scanning layers…"));
    m_progress->show();
    m_cancel->show();
    m_loader->start(layers, options);
    m_columns->setColumns(columns, lowersUnchanged);
    // A rescan of the same stack keeps the figure (and its highlight) as it is.
    const QList<StackDiagram::Plane> planes = ColumnPlan::planes(columns);
    const QList<StackDiagram::Plane> &shown = m_sidebar->diagram()->planes();
    const bool same = std::equal(planes.cbegin(), planes.cend(), shown.cbegin(), shown.cend(), [](auto &a, auto &b) {
        return a.name == b.name && a.role == b.role;
    });
    if (!same)
        m_sidebar->diagram()->setPlanes(planes);
}

void MainWindow::showTree(std::shared_ptr<const MergedTree> tree)
{
    m_cancel->hide();
    m_progress->setVisible(m_busyLabel->isVisible()); // the scan is over, not the edit
    m_model->setTree(tree);
    m_columns->provideTree(m_columns->findColumn(LayerRole::Merged), tree); // the same merged view
    m_treeView->expandToDepth(tree->nodeCount() < 2000 ? 2 : 0);
    for (int c = 0; c < MergedTreeModel::NotesColumn; ++c)
        m_treeView->resizeColumnToContents(c);
    QString status = tr("%L1 entries in the merged view, %L2 deleted (whiteouts), from %3 layers")
                         .arg(tree->visibleCount())
                         .arg(tree->nodeCount() - tree->visibleCount())
                         .arg(tree->layers().size());
    for (const QString &w : tree->warnings())
        status += QStringLiteral(" — ") + w;
    say(status);
    if (!m_pendingSelection.isEmpty())
        selectPath(m_pendingSelection);
    m_lesson->viewReady();
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
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p>")
                       .arg(idx.data(MergedTreeModel::MergedPathRole).toString().toHtmlEscaped(),
                           m_model->explain(id).toHtmlEscaped());
    html += QStringLiteral("<p><b>%1</b><br><code>%2</code></p>")
                .arg(tr("On disk:"), QFile::decodeName(m_model->tree()->diskPath(id)).toHtmlEscaped());
    m_details->setHtml(html);
}

QString MainWindow::currentPath() const
{
    const QModelIndex idx = m_proxy->mapToSource(m_treeView->currentIndex());
    return idx.isValid() ? idx.data(MergedTreeModel::MergedPathRole).toString() : QString();
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

bool MainWindow::isScanning() const
{
    return m_loader->isRunning();
}

bool MainWindow::isBusy() const
{
    return m_runner->isBusy() || m_lessonBusy;
}

bool MainWindow::refuseWhileBusy(const QString &what)
{
    if (!isBusy())
        return false;
    say(tr("Busy with an edit: %1 waits until it is done.").arg(what));
    return true;
}

void MainWindow::updateBusy()
{
    // One state for the whole window: nothing that changes the stack starts meanwhile.
    const bool busy = isBusy();
    m_editActions->setEnabled(!busy && m_readOnlyLayers.isEmpty());
    if (m_lessonPanel)
        m_lessonPanel->setBusy(busy);
    if (busy) {
        m_busyDelay->start();
        return;
    }
    m_busyDelay->stop();
    m_busyLabel->hide();
    m_progress->setVisible(isScanning());
    m_sidebar->setChoosable(true);
    m_mountBar->setBusy(false);
    if (std::exchange(m_closeRequested, false))
        QTimer::singleShot(0, this, &QWidget::close);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (isBusy()) {
        // An edit cannot stop half-way: the window closes right after it.
        m_closeRequested = true;
        say(tr("Closing as soon as the edit is done…"));
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

int MainWindow::applyEdit(const QStringList &verbAndArgs)
{
    return refuseWhileBusy(tr("the next edit")) ? EBUSY : startEdit(verbAndArgs);
}

int MainWindow::startEdit(const QStringList &verbAndArgs)
{
    if (m_runner->isBusy())
        return EBUSY;
    if (!m_workspace || m_overlay < 0 || !m_readOnlyLayers.isEmpty()) {
        say(tr("This view is read-only."));
        return EROFS;
    }
    auto op = MergedOperation::parse(verbAndArgs);
    if (!op) {
        say(op.error().message);
        return EINVAL;
    }
    // Our own edit: the watcher must not report it again as one from outside.
    m_mounts->beginOwnEdit();
    const QString key = QStringLiteral("%1/%2").arg(m_overlay).arg(MountController::name(m_mounts->effectiveBackend()));
    const MountController *mounts = m_mounts;
    // The window is busy until the edit is done, so the controller's overlay stays as it is.
    (void)m_runner->start(*op, key, [mounts] { return mounts->openSession(); });
    say(tr("Editing: %1…").arg(verbAndArgs.join(QLatin1Char(' '))));
    return 0;
}

void MainWindow::editDone(const EditRunner::Done &done)
{
    const auto &outcome = done.outcome;
    if (outcome)
        m_mounts->endOwnEdit(outcome->events); // a terminal's writes meanwhile still count
    else
        m_mounts->endOwnEdit();
    m_lesson->editFinished();
    if (m_closeRequested) {
        Q_EMIT editFinished(outcome ? outcome->error : EIO);
        return;
    }
    int error = 0;
    if (!outcome) {
        showError(tr("Cannot edit"), outcome.error().message);
        error = done.opened ? EIO : EPERM;
    } else {
        error = outcome->error;
        m_timeline->addEdit(outcome->command, outcome->error, outcome->errorText, outcome->events);
        playEvents(outcome->events);
        say(outcome->error
                ? outcome->errorText
                : tr("%1 — %n event(s), %2", nullptr, int(outcome->events.size())).arg(outcome->command, done.how));
        showPropagation(outcome->events);
    }
    rescan(true);
    Q_EMIT editFinished(error);
}

void MainWindow::playEvents(const QList<OverlayEvent> &events)
{
    // Captions and animations start once the columns show the new state, so that every
    // movement ends on a row that exists.
    if (m_captions->speed() > 0)
        m_pendingEvents += events;
    if (m_animateInColumns && m_captions->speed() > 0 && !events.isEmpty())
        m_centerTabs->setCurrentWidget(m_columns);
    if (!events.isEmpty())
        m_pendingSelection = events.last().path;
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
    for (int j : m_workspace->dependents(m_overlay))
        m_sidebar->flagEditBelow(j, from, m_workspace->overlays().at(j).name, paths);
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

void MainWindow::setUseEngine(bool engine)
{
    setBackend(engine ? MountController::Backend::Engine : MountController::Backend::Auto);
}

bool MainWindow::usesEngine() const
{
    return m_mounts->effectiveBackend() == MountController::Backend::Engine;
}

void MainWindow::setBackend(MountController::Backend backend)
{
    if (refuseWhileBusy(tr("changing backend"))) {
        m_mountBar->refresh();
        return;
    }
    m_mounts->setBackend(backend);
    if (m_engineAction) {
        const QSignalBlocker block(m_engineAction);
        m_engineAction->setChecked(usesEngine());
    }
    say(usesEngine() ? tr("Edits go through the userspace engine: no mount, every step shown.")
                     : tr("Edits go through the kernel (%1): on the mount when mounted, else a private mount per edit.")
                           .arg(MountController::label(m_mounts->effectiveBackend())));
    m_mountBar->refresh();
}

MountController::Backend MainWindow::backend() const
{
    return m_mounts->backend();
}

bool MainWindow::setMounted(bool on)
{
    if (refuseWhileBusy(on ? tr("mounting") : tr("unmounting"))) {
        m_mountBar->refresh();
        return false;
    }
    const bool ok = on ? m_mounts->mount() : m_mounts->unmount();
    if (!ok)
        showError(on ? tr("Cannot mount") : tr("Cannot unmount"), m_mounts->errorString());
    m_mountBar->refresh();
    return ok;
}

int MainWindow::checkStaleMounts()
{
    const auto stale = MountController::staleMounts();
    if (!stale || stale->isEmpty())
        return 0;
    const int count = static_cast<int>(stale->size());
    const QString text
        = tr("Stratascope found overlay mounts left behind by a process that ended without unmounting them:\n\n%1\n\n"
             "Unmount them now?")
              .arg(stale->join(QLatin1Char('\n')));
    const bool interactive = QApplication::platformName() != QLatin1String("offscreen");
    if (interactive && QMessageBox::question(this, tr("Stale mounts"), text) != QMessageBox::Yes) {
        say(tr("%n stale mount(s) left in place; `strata umount --stale` removes them.", nullptr, count));
        return count;
    }
    const QStringList failed = MountController::removeStaleMounts();
    say(failed.isEmpty() ? tr("Removed %n stale mount(s).", nullptr, count)
                         : tr("Could not remove every stale mount: %1").arg(failed.join(QStringLiteral("; "))));
    return count;
}

QTreeWidget *MainWindow::timeline() const
{
    return m_timeline;
}

StackDiagram *MainWindow::stackDiagram() const
{
    return m_sidebar->diagram();
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

bool MainWindow::exportView(const QString &file)
{
    const Status s = ViewExporter::save(
        centralWidget(), file, windowTitle(), tr("Stratascope view: %1").arg(m_mountBar->commandText()));
    if (!s.ok()) {
        showError(tr("Cannot export"), s.error().message);
        return false;
    }
    say(tr("Exported %1").arg(file));
    return true;
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presentation->isActive())
        return;
    m_presentation->setActive(on);
    // For the back of the room: fewer, bigger things. The captions say what the details panel would.
    m_detailsPanel->setVisible(!on);
    m_splitter->setSizes(on ? QList<int> {width() * 3 / 10, width() * 7 / 10, 0} : QList<int> {260, 720, 300});
    if (m_lessonDock && !m_lessonDock->isFloating()) {
        resizeDocks(
            {m_lessonDock, m_timelineDock}, {width() * (on ? 3 : 2) / 5, width() * (on ? 2 : 3) / 5}, Qt::Horizontal);
        resizeDocks({m_lessonDock}, {height() * (on ? 2 : 1) / 5 + (on ? 0 : 60)}, Qt::Vertical);
    }
}

bool MainWindow::presentationMode() const
{
    return m_presentation->isActive();
}

void MainWindow::buildLessonDock()
{
    m_lessonPanel = new LessonPanel(m_lesson);
    m_lessonDock = new QDockWidget(tr("Lesson"), this);
    m_lessonDock->setObjectName(QStringLiteral("lessonDock"));
    m_lessonDock->setWidget(m_lessonPanel);
    // Below the views, beside the timeline: the columns keep the width they need.
    addDockWidget(Qt::BottomDockWidgetArea, m_lessonDock);
    splitDockWidget(m_lessonDock, m_timelineDock, Qt::Horizontal);
    const int share = presentationMode() ? 3 : 2; // fifths of the width for the narration
    resizeDocks({m_lessonDock, m_timelineDock}, {width() * share / 5, width() * (5 - share) / 5}, Qt::Horizontal);
    if (presentationMode())
        resizeDocks({m_lessonDock}, {height() * 2 / 5}, Qt::Vertical);
}

bool MainWindow::startLesson(const QString &nameOrFile)
{
    if (refuseWhileBusy(tr("a new lesson")))
        return false;
    if (!m_lessonDock)
        buildLessonDock();
    const Status started = m_lesson->start(nameOrFile);
    if (!started.ok()) {
        showError(tr("Cannot open the lesson"), started.error().message);
        return false;
    }
    m_lessonDock->show();
    return true;
}

bool MainWindow::lessonNext()
{
    return m_lesson->next();
}

bool MainWindow::lessonPrevious()
{
    return m_lesson->previous();
}

int MainWindow::lessonStep() const
{
    return m_lesson->step();
}

QString MainWindow::narration() const
{
    return m_lessonPanel ? m_lessonPanel->narration() : QString();
}

bool MainWindow::openLessonScenario(const QString &scenario)
{
    return openScenario(scenario);
}

const Workspace *MainWindow::lessonWorkspace() const
{
    return m_workspace ? &*m_workspace : nullptr;
}

void MainWindow::showLessonOverlay(int index, bool rescanView)
{
    // After a restore nothing is selected in the controller: select again to watch again.
    if (index != m_overlay || !m_mounts->hasOverlay())
        showOverlay(index);
    else if (rescanView)
        rescan();
}

bool MainWindow::startLessonEdit(const QStringList &edit)
{
    return startEdit(edit) == 0;
}

int MainWindow::timelineCount() const
{
    return m_timeline->topLevelItemCount();
}

void MainWindow::truncateTimeline(int count)
{
    m_timeline->truncate(count);
}

void MainWindow::prepareRestore()
{
    // The uppers are about to change under the overlay: nothing may be mounted, watched or kept.
    m_mounts->clear();
    m_runner->reset();
    m_pendingEvents.clear();
    m_captions->clearQueue();
}

void MainWindow::setLessonBusy(bool busy)
{
    m_lessonBusy = busy;
    updateBusy();
}

} // namespace strata
