// SPDX-License-Identifier: GPL-2.0-or-later
#include "mainwindow.h"

#include "core/engine/refusaltext.h"
#include "core/image/archive/archivestore.h"
#include "core/lesson/lessonfolder.h"
#include "core/session/backendpolicy.h"
#include "core/stack/scenario.h"
#include "ui/builder/stackbuilder.h"
#include "ui/common/editrunner.h"
#include "ui/common/mountbar.h"
#include "ui/common/statusline.h"
#include "ui/common/treeloader.h"
#include "ui/common/viewexporter.h"
#include "ui/common/whiteoutfilter.h"
#include "ui/help/problemdialog.h"
#include "ui/images/fileviewer.h"
#include "ui/images/imagespanel.h"
#include "ui/lesson/lessonpanel.h"
#include "ui/lesson/lessonplayer.h"
#include "ui/mainmenus.h"
#include "ui/stage/columnplan.h"
#include "ui/stage/detailspanel.h"
#include "ui/stage/editactions.h"
#include "ui/stage/presentationmode.h"
#include "ui/stage/stackdiagram.h"
#include "ui/stage/stacksidebar.h"
#include "ui/stage/stage.h"
#include "ui/stage/timeline.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>
#include <QWindow>

namespace strata
{

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_mounts(new MountController(this)), m_lesson(this), m_presentation(this), m_images(this)
{
    setWindowTitle(tr("Stratascope"));
    buildUi();
    buildMenus();
    connectMounts();
    connectImages();
    setAcceptDrops(true); // an image archive or a workspace dropped on the window opens

    connect(&m_loader, &TreeLoader::progress, this, [this](quint64 entries, quint64 dirs) {
        say(tr("Scanning layers… %L1 entries in %L2 directories").arg(entries).arg(dirs));
    });
    connect(&m_loader, &TreeLoader::finished, this, &MainWindow::showTree);
    connect(&m_loader, &TreeLoader::failed, this, [this](const QString &message) {
        m_stage->showTree(nullptr, message);
        m_status->setScanning(false);
        say(tr("Scan stopped: %1").arg(message));
        Q_EMIT scanFailed(message);
    });
    connect(&m_runner, &EditRunner::finished, this, &MainWindow::editDone);
    // An edit patched into the views: as a rescan's end, without the rescan.
    connect(m_stage, &Stage::patched, this, [this] {
        m_lesson.viewReady();
        Q_EMIT treeReady();
    });
    connect(m_stage, &Stage::patchFailed, this, [this] { rescan(true); });
    connect(&m_runner, &EditRunner::busyChanged, this, &MainWindow::updateBusy);
    connect(&m_lesson, &LessonPlayer::stepDone, this, [this] {
        // The step speaks of a path: the class sees it selected in every column.
        if (const QString p = m_lesson.selection(); !p.isEmpty())
            selectPath(p);
        Q_EMIT lessonStepDone();
    });
    connect(&m_lesson, &LessonPlayer::problem, this, [this](const QString &message) { say(message); });
    m_presentation.fitWindow();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_sidebar = new StackSidebar;
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(buildCenter());

    m_details = new DetailsPanel;
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 6);
    m_splitter->setStretchFactor(2, 3);
    m_splitter->setSizes({240, 800, 240});
    // Two modes, one page each: the stack view, and Images & Containers filling the window.
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(m_splitter);
    m_imagesPanel = new ImagesPanel;
    m_imagesPanel->setObjectName(QStringLiteral("imagesPanel"));
    // The stack view decides how small the window may be (a stacked widget takes the largest
    // minimum of its pages): the panel's tables scroll.
    m_imagesPanel->setMinimumSize(320, 240);
    m_pages->addWidget(m_imagesPanel);
    setCentralWidget(m_pages);

    m_timeline = new Timeline;
    m_timelineDock = new QDockWidget(tr("Timeline"), this);
    m_timelineDock->setObjectName(QStringLiteral("timelineDock"));
    m_timelineDock->setWidget(m_timeline);
    addDockWidget(Qt::BottomDockWidgetArea, m_timelineDock);
    // A few lines of history under the stage: the stage's rows matter more.
    resizeDocks({m_timelineDock}, {m_timeline->fontMetrics().lineSpacing() * 6}, Qt::Vertical);
    m_presentation.hideWhilePresenting({m_sidebar, m_details, m_timelineDock});
    connect(m_timeline, &Timeline::replayRequested, m_stage, &Stage::replay);
    connect(m_timeline, &Timeline::pathChosen, this, [this](const QString &path) { selectPath(path); });

    m_status = new StatusLine;
    statusBar()->addWidget(m_status, 1);
    connect(m_status, &StatusLine::cancelRequested, &m_loader, &TreeLoader::cancel);
    connect(m_status, &StatusLine::busyShown, this, [this](bool shown) {
        m_sidebar->setChoosable(!shown);
        m_mountBar->setBusy(shown);
    });

    connect(m_sidebar, &StackSidebar::overlayChosen, this, [this](int row) {
        if (row != m_overlay)
            selectOverlay(row);
    });
    connect(m_sidebar->diagram(), &StackDiagram::planeClicked, this, [this](int index) {
        // A plane is a column: show it, with what it is.
        m_stage->showColumn(index);
        if (index >= 0 && index < m_stage->columns()->columnCount())
            say(m_sidebar->diagram()->label(index) + QStringLiteral(" — ") + m_stage->columns()->status(index));
    });
}

QWidget *MainWindow::buildCenter()
{
    auto *center = new QWidget;
    auto *layout = new QVBoxLayout(center);
    layout->setContentsMargins(6, 6, 6, 6);
    // No title above: the stage's tabs and column headings say what each part is, and each
    // line of a 720-line screen is a row of the trees.
    m_mountBar = new MountBar(m_mounts);
    layout->addWidget(m_mountBar);
    m_stage = new Stage;
    layout->addWidget(m_stage, 1);
    connect(m_stage, &Stage::currentChanged, this, &MainWindow::updateDetails);
    connect(m_stage->columns(),
        &LayerColumns::provenance,
        this,
        [this](const QString &path, int provider, const QList<int> &shadowed, int whiteoutIn) {
            if (path.isEmpty())
                m_sidebar->diagram()->clearHighlight();
            else
                m_sidebar->diagram()->setHighlight(path, provider, shadowed, whiteoutIn);
        });
    return center;
}

void MainWindow::buildMenus()
{
    // Edits in the merged view: the Edit menu, the tool bar, the context menus.
    m_editActions = new EditActions(this, [this] { return m_stage->selection(); });
    connect(m_editActions, &EditActions::editRequested, this, [this](const QStringList &edit) { applyEdit(edit); });
    // Reading needs no edit: the one way to look into a file of a read-only view.
    auto *view = new QAction(style()->standardIcon(QStyle::SP_FileDialogInfoView), tr("&View File…"), this);
    view->setObjectName(QStringLiteral("viewFileAction"));
    view->setShortcut(QKeySequence(Qt::Key_F3));
    view->setToolTip(tr("The selected file's contents, read-only, as text and as hex"));
    connect(view, &QAction::triggered, this, [this] { viewFile(); });
    m_stage->setEditActions(m_editActions->actions() + QList<QAction *> {view});

    m_menus = new MainMenus(this, m_editActions, m_mountBar);
    m_menus->addFileViewer(view);
    updateBusy(); // nothing to edit before a stack is open
    m_menus->setEngineChecked(usesEngine());
    connect(m_menus, &MainMenus::openWorkspace, this, &MainWindow::openWorkspace);
    connect(m_menus, &MainMenus::newStack, this, [this] { showStackBuilder({}); });
    connect(m_menus, &MainMenus::editStack, this, [this] {
        if (m_workspace)
            showStackBuilder(StackDraft::fromWorkspace(*m_workspace));
    });
    connect(m_menus, &MainMenus::newScenario, this, &MainWindow::openScenario);
    connect(m_menus, &MainMenus::startLesson, this, &MainWindow::startLesson);
    connect(m_menus, &MainMenus::showImages, this, [this](bool on) { on ? (void)showImagesPanel() : showStackView(); });
    connect(m_menus, &MainMenus::exportView, this, &MainWindow::exportView);
    connect(m_menus, &MainMenus::rescan, this, [this] { rescan(); });
    connect(m_menus, &MainMenus::useEngine, this, &MainWindow::setUseEngine);
    connect(m_menus, &MainMenus::showDeleted, m_stage->filter(), &WhiteoutFilter::setShowWhiteouts);
    connect(m_menus, &MainMenus::animationSpeed, this, &MainWindow::setAnimationSpeed);
    connect(m_menus, &MainMenus::animateInColumns, m_stage, &Stage::setAnimateInColumns);
    connect(m_menus, &MainMenus::presentation, this, &MainWindow::setPresentationMode);
    connect(m_menus, &MainMenus::reportProblem, this, [this] {
        ProblemReport::Context c;
        if (m_workspace) {
            c.workspace = m_workspace->filePath();
            if (m_overlay >= 0 && m_overlay < m_workspace->overlays().size())
                c.overlay = m_workspace->overlays().at(m_overlay).name;
        }
        const BackendPolicy policy; // probed once, for the label and the report
        c.backend = policy.label(backend());
        auto *dialog = new ProblemDialog(c, policy, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    connect(m_menus, &MainMenus::textSize, this, [this](int direction) {
        TextSize &t = m_presentation.textSize();
        direction > 0 ? t.zoomIn() : direction < 0 ? t.zoomOut() : t.reset();
        say(tr("Text size %1 px on this screen").arg(t.pixelSize()));
    });
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
        m_stage->play(events);
        showPropagation(events);
        if (m_lowersDirty || !m_stage->patchEdit(events))
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
        m_runner.reset(); // its picture of the lower layers is out of date
    });
}

void MainWindow::connectImages()
{
    connect(m_menus, &MainMenus::openImage, this, [this](const QString &f) { openImage(f); });
    connect(m_menus, &MainMenus::saveAsImage, this, [this](const QString &f) { saveAsImage(f); });
    connect(m_menus, &MainMenus::extractImage, this, &MainWindow::extractImage);
    connect(m_imagesPanel, &ImagesPanel::openLayers, this, &MainWindow::showLayers);
    connect(m_imagesPanel, &ImagesPanel::backRequested, this, &MainWindow::showStackView);
    connect(m_imagesPanel, &ImagesPanel::openArchiveRequested, m_menus, &MainMenus::askForImage);
    connect(m_imagesPanel,
        &ImagesPanel::extractRequested,
        this,
        [this](const std::shared_ptr<const ArchiveStore> &, qsizetype) { extractImage(); });
    connect(&m_images, &ImageOpener::opened, this, [this](const std::shared_ptr<const ArchiveStore> &s, qsizetype i) {
        m_status->setScanning(false);
        m_archive = s;
        m_archiveImage = i;
        m_imagesPanel->addArchive(s, i);
        m_menus->setImageExtractEnabled(true);
        m_imagesPanel->openImage(m_imagesPanel->imagesModel()->rowOf(i)); // its merged view, on the stage
        Q_EMIT imageShown(s->root());
    });
    connect(&m_images, &ImageOpener::progress, this, [this](quint64 entries) {
        say(tr("Working on the image… %L1 entries").arg(entries));
    });
    connect(m_status, &StatusLine::cancelRequested, &m_images, &ImageOpener::cancel);
    connect(&m_images, &ImageOpener::failed, this, [this](const QString &message) {
        m_status->setScanning(false);
        showError(tr("Image"), message);
        Q_EMIT imageFailed(message);
    });
    connect(&m_images, &ImageOpener::extracted, this, [this](const QString &workspace, const QString &summary) {
        m_status->setScanning(false);
        if (openWorkspace(workspace)) {
            m_menus->setImageExtractEnabled(false); // the stack is on the stage now, editable
            say(summary);
            Q_EMIT imageOpened(workspace);
        }
    });
    connect(&m_images, &ImageOpener::committed, this, [this](const QString &out, const QString &summary) {
        m_status->setScanning(false);
        say(summary);
        Q_EMIT imageSaved(out);
    });
}

bool MainWindow::openImage(const QString &archive, const QString &ref)
{
    if (m_images.isRunning() || refuseWhileBusy(tr("opening an image")))
        return false;
    m_status->setScanning(true);
    say(tr("Reading %1…").arg(QDir::toNativeSeparators(archive)));
    m_images.read(archive, ref);
    return true;
}

bool MainWindow::extractImage()
{
    // The image chosen in the panel, else the archive opened last.
    if (const auto [archive, image] = m_imagesPanel->archiveImage(); archive) {
        m_archive = archive;
        m_archiveImage = image;
    }
    if (!m_archive || m_images.isRunning() || refuseWhileBusy(tr("extracting an image")))
        return false;
    m_status->setScanning(true);
    say(tr("Unpacking %1 into a new stack…").arg(QDir::toNativeSeparators(m_archive->root())));
    m_images.extract(m_archive, m_archiveImage);
    return true;
}

bool MainWindow::saveAsImage(const QString &out, const QString &tag)
{
    if (!m_workspace || !ImageOpener::cameFromImage(QFileInfo(m_workspace->filePath()).path())) {
        showError(tr("Save as Image"), tr("Only a stack made from an image (File → Open Image…) can be saved as one."));
        return false;
    }
    if (m_images.isRunning() || refuseWhileBusy(tr("saving an image")))
        return false;
    const int overlay = std::max(0, m_overlay);
    m_status->setScanning(true);
    say(tr("Writing %1…").arg(QDir::toNativeSeparators(out)));
    m_images.commit(QFileInfo(m_workspace->filePath()).path(), m_workspace->overlays().at(overlay).name, out, tag);
    return true;
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = event->mimeData()->urls().value(0).toLocalFile();
    if (ImageOpener::isWorkspace(path))
        openWorkspace(path);
    else if (ImageOpener::looksLikeImage(path))
        openImage(path);
    else
        return;
    event->acceptProposedAction();
}

void MainWindow::showError(const QString &title, const QString &message)
{
    say(message);
    if (QApplication::platformName() != QLatin1String("offscreen"))
        QMessageBox::warning(this, title, message);
}

void MainWindow::say(const QString &text)
{
    m_status->say(text);
}

bool MainWindow::openWorkspace(const QString &path)
{
    if (refuseWhileBusy(tr("opening a workspace")))
        return false;
    if (QFileInfo(path).isDir() && !QFileInfo::exists(QDir(path).filePath(Workspace::DefaultFileName))) {
        showStackBuilder(StackDraft::fromFolder(path));
        return false;
    }
    auto ws = Workspace::load(path);
    if (!ws) {
        showError(tr("Cannot open workspace"), ws.error().message);
        return false;
    }
    m_workspace = std::move(ws.value());
    if (!LessonFolder::contains(m_workspace->filePath())) // copies of lessons come and go
        m_menus->rememberRecent(m_workspace->filePath());
    setWindowTitle(tr("Stratascope — %1").arg(QDir::toNativeSeparators(m_workspace->filePath())));
    m_overlay = -1;
    m_sidebar->setWorkspace(*m_workspace);
    m_menus->setEditStackEnabled(true);
    m_menus->setImageSaveEnabled(ImageOpener::cameFromImage(QFileInfo(m_workspace->filePath()).path()));
    for (const QString &w : m_workspace->warnings())
        say(w);
    selectOverlay(0);
    return true;
}

StackBuilder *MainWindow::showStackBuilder(const StackDraft &draft)
{
    auto *builder = new StackBuilder(draft, this);
    builder->setAttribute(Qt::WA_DeleteOnClose);
    connect(builder, &StackBuilder::saved, this, [this](const QString &file) { openWorkspace(file); });
    builder->open();
    return builder;
}

bool MainWindow::openScenario(const QString &name, const QString &dir)
{
    QString target = dir;
    if (target.isEmpty()) {
        auto copy = LessonFolder::newCopy(name);
        if (!copy) {
            showError(tr("Cannot create lesson"), copy.error().message);
            return false;
        }
        target = *copy;
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
    m_stage->setReadOnly(false);
    updateBusy(); // the edit actions apply again
    // First the old overlay's mount and watcher go (what the watcher still had is told about
    // the old overlay), then the new one is shown; old captions are not about it.
    if (!m_mounts->setOverlay(*m_workspace, index))
        say(m_mounts->errorString());
    m_overlay = index;
    m_runner.reset(); // another overlay, or the same one of another workspace
    m_stage->clearEvents();
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

void MainWindow::showLayers(
    const MergeLayers &layers, const QString &title, const MergeOptions &options, const QString &select)
{
    if (layers.isEmpty() || refuseWhileBusy(tr("opening read-only layers")))
        return;
    showStackView();
    m_readOnlyLayers = layers;
    m_readOnlyOptions = options;
    m_stage->setReadOnly(true);
    updateBusy(); // nothing to edit in a read-only view
    m_overlay = -1;
    m_mounts->clear(); // read-only: nothing to mount, nothing to watch
    m_sidebar->clearOverlays();
    setWindowTitle(tr("Stratascope — %1").arg(title));
    m_mountBar->showReadOnly(tr("%1 (read-only): nothing is mounted or written.").arg(title));
    m_sidebar->showLayers(layers, [](const MergeLayer &l) { return l.name; });
    if (!select.isEmpty())
        connect(
            this, &MainWindow::treeReady, this, [this, select] { selectPath(select); }, Qt::SingleShotConnection);
    // Many layers scroll sideways: the merged column, what they make, in sight once laid out.
    connect(
        m_stage->columns(),
        &LayerColumns::ready,
        this,
        [this] {
            QTimer::singleShot(0, this, [this] {
                if (m_stage->columns()->scrollsSideways())
                    m_stage->showColumn(m_stage->columns()->columnCount() - 1);
            });
        },
        Qt::SingleShotConnection);
    rescan();
}

FileViewer *MainWindow::viewFile()
{
    const EditActions::Selection s = m_stage->selection();
    if (s.path.isEmpty() || s.isDir) {
        say(tr("Select a file to view."));
        return nullptr;
    }
    auto *viewer = new FileViewer(this);
    viewer->showFile(s.path, s.diskPath);
    viewer->show();
    return viewer;
}

ImagesPanel *MainWindow::showImagesPanel()
{
    if (!imagesShown()) {
        m_timelineWasShown = m_timelineDock->isVisible() || !isVisible();
        m_timelineDock->hide();
        m_pages->setCurrentWidget(m_imagesPanel);
        m_menus->setImagesChecked(true);
        updateBusy();
    }
    if (!m_imagesPanel->hasDiscovered() && !m_imagesPanel->isDiscovering())
        m_imagesPanel->discover();
    m_imagesPanel->setFocus();
    return m_imagesPanel;
}

void MainWindow::showStackView()
{
    if (!imagesShown())
        return;
    m_pages->setCurrentWidget(m_splitter);
    if (m_timelineWasShown && !m_presentation.isActive())
        m_timelineDock->show();
    m_menus->setImagesChecked(false);
    updateBusy();
}

bool MainWindow::imagesShown() const
{
    return m_pages->currentWidget() == m_imagesPanel;
}

void MainWindow::rescan(bool lowersUnchanged)
{
    // A lower layer changed while mounted: the next rescan reads the lower columns too.
    lowersUnchanged = lowersUnchanged && !m_lowersDirty;
    m_lowersDirty = false;
    MergeLayers layers = m_readOnlyLayers;
    MergeOptions options = m_readOnlyOptions;
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
    m_status->setScanning(true);
    m_loader.start(layers, options);
    m_stage->setColumns(columns, lowersUnchanged);
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
    m_status->setScanning(false);
    m_stage->showTree(tree);
    const auto count = [](qsizetype n, const char *one, const char *many) {
        return (n == 1 ? tr(one) : tr(many)).arg(n);
    };
    QString status = tr("%1 in the merged view, %2 deleted (whiteouts), from %3")
                         .arg(count(tree->visibleCount(), "%L1 entry", "%L1 entries"),
                             QString::number(tree->nodeCount() - tree->visibleCount()),
                             count(tree->layers().size(), "%L1 layer", "%L1 layers"));
    for (const QString &w : tree->warnings())
        status += QStringLiteral(" — ") + w;
    say(status);
    m_lesson.viewReady();
    Q_EMIT treeReady();
}

void MainWindow::updateDetails()
{
    const NodeId id = m_stage->currentNode();
    if (id == InvalidNode)
        m_details->showGone();
    else
        m_details->showEntry(*m_stage->model(), id, m_stage->currentPath());
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
    // Edits need a stack of one's own on the stage: not a read-only view, not the images mode.
    m_editActions->setEnabled(!busy && m_readOnlyLayers.isEmpty() && m_workspace.has_value() && !imagesShown());
    if (m_lessonPanel)
        m_lessonPanel->setBusy(busy);
    m_status->setBusy(busy);
    if (busy)
        return;
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
    if (m_runner.isBusy())
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
    const QString key = QStringLiteral("%1/%2").arg(m_overlay).arg(backendName(m_mounts->backend()));
    // Opened in the background, from copies: the window may change meanwhile, the session not.
    auto open = [policy = m_mounts->policy(),
                    ws = *m_workspace,
                    index = m_overlay,
                    b = m_mounts->backend()]() -> Result<std::unique_ptr<StackSession>> {
        auto opened = policy.openSession(ws, index, b);
        if (!opened)
            return opened.error();
        return std::move(opened.value().session);
    };
    (void)m_runner.start(*op, key, std::move(open));
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
    m_lesson.editFinished();
    if (m_closeRequested) {
        Q_EMIT editFinished(outcome ? outcome->error : EIO);
        return;
    }
    int error = 0;
    if (!outcome) {
        // The overlay could not be mounted or opened for the edit (a third stacking level...).
        const Error &e = outcome.error();
        showError(tr("Cannot edit"), e.code ? refusalText(e.code, QStringLiteral("mount"), e.message) : e.message);
        error = done.opened ? EIO : EPERM;
    } else {
        error = outcome->error;
        const QString refusal = error ? refusalText(error, done.verb, outcome->errorText) : QString();
        m_timeline->addEdit(outcome->command, outcome->error, refusal, outcome->events);
        m_stage->play(outcome->events);
        if (error) // the stage shows the explanation; the detail stays in the timeline
            m_stage->showRefusal(outcome->command, refusalText(error, done.verb, QString()));
        say(outcome->error
                ? refusal
                : tr("%1 — %n event(s), %2", nullptr, int(outcome->events.size())).arg(outcome->command, done.how));
        showPropagation(outcome->events);
    }
    if (!outcome || m_lowersDirty || !m_stage->patchEdit(outcome->events))
        rescan(true);
    Q_EMIT editFinished(error);
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

void MainWindow::setUseEngine(bool engine)
{
    setBackend(engine ? Backend::Engine : Backend::Auto);
}

void MainWindow::setBackend(Backend backend)
{
    if (refuseWhileBusy(tr("changing backend"))) {
        m_mountBar->refresh();
        return;
    }
    m_mounts->setBackend(backend);
    m_menus->setEngineChecked(usesEngine());
    say(m_mounts->backendStatus());
    m_mountBar->refresh();
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
    QString status;
    const int found = m_mountBar->offerStaleCleanup(&status);
    if (found)
        say(status);
    return found;
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
    if (on == m_presentation.isActive())
        return;
    m_presentation.setActive(on); // hides the sidebar, details and timeline (buildUi)
    m_mountBar->setCompact(on);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    m_presentation.windowShown();
}

void MainWindow::buildLessonPanel()
{
    m_lessonPanel = new LessonPanel(&m_lesson);
    m_lessonPanel->setObjectName(QStringLiteral("lessonPanel"));
    m_stage->setNarration(m_lessonPanel); // on the stage, beside the captions
}

bool MainWindow::startLesson(const QString &nameOrFile)
{
    if (refuseWhileBusy(tr("a new lesson")))
        return false;
    if (!m_lessonPanel)
        buildLessonPanel();
    const Status started = m_lesson.start(nameOrFile);
    if (!started.ok()) {
        showError(tr("Cannot open the lesson"), started.error().message);
        return false;
    }
    return true;
}

QString MainWindow::narration() const
{
    return m_lessonPanel ? m_lessonPanel->narration() : QString();
}

void MainWindow::showLessonOverlay(int index, bool rescanView)
{
    // After a restore nothing is selected in the controller: select again to watch again.
    if (index != m_overlay || !m_mounts->hasOverlay())
        showOverlay(index);
    else if (rescanView)
        rescan();
}

void MainWindow::prepareRestore()
{
    // The uppers are about to change under the overlay: nothing may be mounted, watched or kept.
    m_mounts->clear();
    m_runner.reset();
    m_stage->clearEvents();
}

void MainWindow::setLessonWorkspace(const Workspace &workspace)
{
    // Another set of overlays (or options): shown afresh, never remembered as recent.
    m_mounts->clear();
    m_runner.reset();
    m_workspace = workspace;
    m_overlay = -1;
    m_sidebar->setWorkspace(*m_workspace);
}

QString MainWindow::refusalText(int error, const QString &verb, const QString &detail) const
{
    OverlayOptions options;
    if (m_workspace && m_overlay >= 0 && m_overlay < m_workspace->overlays().size())
        options = m_workspace->overlays().at(m_overlay).options;
    // The kernel's errno explained first, then what exactly was refused (the path, the layer).
    const QString text = RefusalText::explain(error, verb, options).text(verb);
    return detail.isEmpty() ? text : text + QStringLiteral(" — ") + detail;
}

void MainWindow::setLessonBusy(bool busy)
{
    m_lessonBusy = busy;
    updateBusy();
}

} // namespace strata
