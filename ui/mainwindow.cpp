// SPDX-License-Identifier: GPL-2.0-or-later
#include "mainwindow.h"

#include "core/lesson/lessonchange.h"
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
#include "ui/images/imagespanel.h"
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
#include <QMessageBox>
#include <QMimeData>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

namespace strata
{

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent), m_mounts(new MountController(this)), m_presentation(this)
{
    setWindowTitle(tr("Stratascope"));
    buildUi();
    buildMenus();
    buildParts();
    connectMounts();
    updateBusy(); // nothing to edit before a stack is open
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
        m_lessons->player().viewReady();
        Q_EMIT treeReady();
    });
    connect(m_stage, &Stage::patchFailed, this, [this] { rescan(true); });
    connect(&m_runner, &EditRunner::busyChanged, this, &MainWindow::updateBusy);
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
    m_pages->addWidget(m_splitter); // the Images & Containers page follows (ImagesMode)
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
    m_menus->setEngineChecked(usesEngine());
    connect(m_menus, &MainMenus::openWorkspace, this, &MainWindow::openWorkspace);
    connect(m_menus, &MainMenus::newStack, this, [this] { showStackBuilder({}); });
    connect(m_menus, &MainMenus::editStack, this, [this] {
        if (m_workspace)
            showStackBuilder(StackDraft::fromWorkspace(*m_workspace));
    });
    connect(m_menus, &MainMenus::newScenario, this, &MainWindow::openScenario);
    connect(m_menus, &MainMenus::startLesson, this, &MainWindow::startLesson);
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

void MainWindow::buildParts()
{
    ImagesMode::Parts images {m_pages, m_splitter, m_timelineDock, m_menus, m_status, m_stage, &m_presentation};
    m_imagesMode = std::make_unique<ImagesMode>(images,
        ImagesMode::Window {[this](const QString &what) { return refuseWhileBusy(what); },
            [this](const QString &text) { say(text); },
            [this](const QString &title, const QString &message) { showError(title, message); },
            [this](const QString &path) { return openWorkspace(path); },
            [this] {
                return std::pair {m_workspace ? &*m_workspace : nullptr, m_overlay};
            },
            [this](const MergeLayers &l, const QString &title, const MergeOptions &o) { showReadOnly(l, title, o); },
            [this] {
                updateBusy();
            }},
        this);
    connect(m_imagesMode->panel(), &ImagesPanel::openLayers, this, &MainWindow::showLayers);
    connect(m_imagesMode.get(), &ImagesMode::imageOpened, this, &MainWindow::imageOpened);
    connect(m_imagesMode.get(), &ImagesMode::imageShown, this, &MainWindow::imageShown);
    connect(m_imagesMode.get(), &ImagesMode::imageSaved, this, &MainWindow::imageSaved);
    connect(m_imagesMode.get(), &ImagesMode::imageFailed, this, &MainWindow::imageFailed);

    m_lessons = std::make_unique<WindowLessonHost>(WindowLessonHost::Parts {m_stage, m_timeline, m_mounts, &m_runner},
        WindowLessonHost::Window {[this](const QString &scenario) { return openScenario(scenario); },
            [this] { return m_workspace ? &*m_workspace : nullptr; },
            [this](const Workspace &workspace) { showChangedWorkspace(workspace); },
            [this] { return m_overlay; },
            [this](int index) { showOverlay(index); },
            [this] { rescan(); },
            [this](const QStringList &edit) { return startEdit(edit); },
            [this] {
                updateBusy();
            }});
    LessonPlayer *lesson = &m_lessons->player();
    connect(lesson, &LessonPlayer::stepDone, this, [this, lesson] {
        // The step speaks of a path: the class sees it selected in every column.
        if (const QString p = lesson->selection(); !p.isEmpty())
            selectPath(p);
        Q_EMIT lessonStepDone();
    });
    connect(lesson, &LessonPlayer::problem, this, [this](const QString &message) { say(message); });

    m_outcome = std::make_unique<EditOutcome>(EditOutcome::Parts {m_stage, m_timeline, m_sidebar});
    connect(m_outcome.get(), &EditOutcome::retryRequested, this, &MainWindow::retryWith);
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
        m_outcome->showOutside(events, editedStack());
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
    if (m_imagesMode->showLayers(layers, title, options) && !select.isEmpty())
        connect(
            this, &MainWindow::treeReady, this, [this, select] { selectPath(select); }, Qt::SingleShotConnection);
}

void MainWindow::showReadOnly(const MergeLayers &layers, const QString &title, const MergeOptions &options)
{
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
    rescan();
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
    m_lessons->player().viewReady();
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
    m_editActions->setEnabled(
        !busy && m_readOnlyLayers.isEmpty() && m_workspace.has_value() && m_imagesMode && !imagesShown());
    if (m_lessons)
        m_lessons->setWindowBusy(busy);
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
    m_edit = verbAndArgs;
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
    m_lessons->player().editFinished();
    if (m_closeRequested) {
        Q_EMIT editFinished(outcome ? outcome->error : EIO);
        return;
    }
    const EditOutcome::Shown shown = m_outcome->show(done, m_edit, editedStack());
    if (!shown.failure.isEmpty())
        showError(tr("Cannot edit"), shown.failure);
    else
        say(shown.status);
    if (!outcome || m_lowersDirty || !m_stage->patchEdit(outcome->events))
        rescan(true);
    Q_EMIT editFinished(shown.error);
}

EditOutcome::Stack MainWindow::editedStack() const
{
    EditOutcome::Stack stack {m_workspace ? &*m_workspace : nullptr, m_overlay, {}};
    if (m_lessons->player().isActive())
        stack.keepOptions = tr("(A lesson keeps the options its steps set: try it in a stack of your own, File → New "
                               "Stack….)");
    return stack;
}

void MainWindow::showChangedWorkspace(const Workspace &workspace)
{
    m_workspace = workspace;
    m_overlay = -1;
    m_sidebar->setWorkspace(*m_workspace);
}

void MainWindow::retryWith(const RefusalText::Remedy &remedy, const QStringList &edit)
{
    if (refuseWhileBusy(tr("trying again")) || !m_workspace || m_overlay < 0)
        return;
    auto changed = LessonChange::withOptions(*m_workspace, m_overlay, {{remedy.option, remedy.value}});
    if (!changed) {
        showError(tr("Cannot change the options"), changed.error().message);
        return;
    }
    // Shown afresh with the option, as a lesson's other options are; mounted again if it was.
    const int index = m_overlay;
    const bool mounted = m_mounts->isMounted();
    m_mounts->clear();
    m_runner.reset();
    showChangedWorkspace(*changed);
    showOverlay(index);
    if (mounted && !m_mounts->mount())
        say(m_mounts->errorString());
    // Once the view shows the remounted stack: an edit patched into an old tree would be lost.
    connect(
        this,
        &MainWindow::treeReady,
        this,
        [this, edit, with = remedy.text()] {
            if (startEdit(edit) == 0)
                say(tr("Remounted with %1: %2 again…").arg(with, edit.join(QLatin1Char(' '))));
        },
        Qt::SingleShotConnection);
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

bool MainWindow::startLesson(const QString &nameOrFile)
{
    if (refuseWhileBusy(tr("a new lesson")))
        return false;
    const Status started = m_lessons->start(nameOrFile);
    if (!started.ok()) {
        showError(tr("Cannot open the lesson"), started.error().message);
        return false;
    }
    return true;
}

} // namespace strata
