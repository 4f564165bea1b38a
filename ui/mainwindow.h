// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"
#include "core/merge/mergelayer.h"
#include "core/session/mountcontroller.h"
#include "core/stack/workspace.h"
#include "ui/common/editrunner.h"
#include "ui/common/treeloader.h"
#include "ui/images/imagesmode.h"
#include "ui/lesson/windowlessonhost.h"
#include "ui/stage/detailspanel.h"
#include "ui/stage/editoutcome.h"
#include "ui/stage/presentationmode.h"
#include "ui/stage/stacksidebar.h"
#include "ui/stage/stage.h"
#include "ui/stage/timeline.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTimer;
class QToolButton;
class QTreeView;
class QTreeWidget;

namespace strata
{

class CaptionBanner;
class ArchiveStore;
class DetailsPanel;
class FileViewer;
class ImagesPanel;
class EditActions;
class LayerColumns;
class LessonPanel;
class LessonPlayer;
class MainMenus;
class MergedTree;
class MergedTreeModel;
class MountBar;
class PresentationMode;
class StackBuilder;
class StackDiagram;
struct StackDraft;
class Stage;
class StackSidebar;
class StatusLine;
class Timeline;
class TreeLoader;
class WhiteoutFilter;

/// The Stratascope window. It wires its parts and owns no logic of its own: the sidebar (the
/// overlays and the stack), the mount bar, the merged view and the layer columns (the stage),
/// captions, the timeline, the lesson player; and its other mode, Images & Containers. Scans and edits run in the
/// background; while an edit runs the window is busy: edit actions are disabled, a
/// "working…" indicator shows, and what would change the stack under the edit is refused.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a workspace file (or a directory holding stratascope.json). Errors are shown,
    /// never fatal; returns false on error. A folder without one offers the stack builder,
    /// its subdirectories the lowers, and returns false: the user confirms there.
    bool openWorkspace(const QString &path);
    /// Reads an image archive in place (off the GUI thread) and shows it read-only: a source
    /// of the Images & Containers panel, its merged view on the stage; imageShown() or a
    /// message tells the end. `ref` picks one of several.
    bool openImage(const QString &archive, const QString &ref = {}) { return m_imagesMode->openImage(archive, ref); }
    /// Extract as Stack…: unpacks the image shown into a new stack in ImageOpener::folder()
    /// and opens it, editable; imageOpened() or a message tells the end.
    bool extractImage() { return m_imagesMode->extractImage(); }
    /// Writes the stack (it came from an image) back as an image archive; imageSaved() tells.
    bool saveAsImage(const QString &out, const QString &tag = {}) { return m_imagesMode->saveAsImage(out, tag); }
    /// The stack builder (File → New Stack…), on `draft`; saving it opens the stack it wrote.
    StackBuilder *showStackBuilder(const StackDraft &draft);
    /// Creates a built-in scenario in `dir` (a fresh temporary directory when empty) and opens it.
    bool openScenario(const QString &name, const QString &dir = {});
    void selectOverlay(int index);
    /// Selects a merged path (e.g. "/base_image/common.txt") in the tree; false if not there.
    bool selectPath(const QString &mergedPath) { return m_stage->selectPath(mergedPath); }

    /// Shows a merged view of these layers (top first), read-only and without a mount
    /// command, looked up with the store's options, in the stack view, `select` selected
    /// once it is there: what the Images & Containers panel opens.
    void showLayers(
        const MergeLayers &layers, const QString &title, const MergeOptions &options, const QString &select = {});
    /// The Images & Containers mode: the panel fills the window (the timeline goes); it looks
    /// for the host's stores the first time.
    ImagesPanel *showImagesPanel() { return m_imagesMode->show(); }
    /// Back to the stack view (the layers side by side, the merged view).
    void showStackView() { m_imagesMode->showStackView(); }
    [[nodiscard]] bool imagesShown() const { return m_imagesMode->isShown(); }
    /// The selected file of the merged view, read-only, as text and hex (View File…, F3):
    /// null when no file is selected.
    FileViewer *viewFile() { return m_imagesMode->viewFile(); }
    [[nodiscard]] ImagesPanel *imagesPanel() const { return m_imagesMode->panel(); }
    /// The archive Extract as Stack… unpacks: the last opened or chosen (null before one).
    [[nodiscard]] const std::shared_ptr<const ArchiveStore> &shownArchive() const
    {
        return m_imagesMode->shownArchive();
    }

    [[nodiscard]] MergedTreeModel *model() const { return m_stage->model(); }
    [[nodiscard]] QTreeView *treeView() const { return m_stage->treeView(); }
    [[nodiscard]] const std::optional<Workspace> &workspace() const { return m_workspace; }
    [[nodiscard]] QString detailsText() const { return m_details->text(); }
    [[nodiscard]] bool isScanning() const { return m_loader.isRunning(); }
    /// An edit or a lesson step is running.
    [[nodiscard]] bool isBusy() const { return m_runner.isBusy() || m_lessons->isBusy(); }
    /// Starts one edit in the merged view of the selected overlay (a `strata op` verb and its
    /// arguments), through the chosen backend. Returns 0 when it started — editFinished() says
    /// how it ended, then the view is rescanned — or the errno of a refusal: EBUSY (an edit
    /// runs), EROFS (a read-only view), EINVAL (bad arguments).
    int applyEdit(const QStringList &verbAndArgs);
    /// Edits go through the userspace engine (true) or the kernel, automatically chosen (false).
    void setUseEngine(bool engine);
    [[nodiscard]] bool usesEngine() const { return m_mounts->effectiveBackend() == Backend::Engine; }
    /// How edits reach the overlay: engine, kernel, user namespace, fuse, or automatic.
    void setBackend(Backend backend);
    [[nodiscard]] Backend backend() const { return m_mounts->backend(); }
    [[nodiscard]] MountController *mounts() const { return m_mounts; }
    /// Mounts (or unmounts) the selected overlay here; false with a message on failure.
    bool setMounted(bool on);
    [[nodiscard]] QTreeWidget *timeline() const { return m_timeline; }
    [[nodiscard]] LayerColumns *layerColumns() const { return m_stage->columns(); }
    [[nodiscard]] StackDiagram *stackDiagram() const { return m_sidebar->diagram(); }
    [[nodiscard]] CaptionBanner *captions() const { return m_stage->captions(); }
    /// Captions and animations of edits: 1 normal, 0.25 slow, 4 fast, 0 off.
    void setAnimationSpeed(double factor) { m_stage->setAnimationSpeed(factor); }
    /// Shows the layers side by side (the default) or the merged view only.
    void showStageTab(Stage::Tab tab) { m_stage->showTab(tab); }
    /// Starts a lesson (built-in name or .lesson file) on a fresh copy of its scenario.
    bool startLesson(const QString &nameOrFile);
    /// The next step: its narration, and its edit. False when the lesson is over; true but
    /// nothing done while a step still runs.
    bool lessonNext() { return m_lessons->player().next(); }
    /// Back one step: the state before the current step is put back from its snapshot.
    bool lessonPrevious() { return m_lessons->player().previous(); }
    [[nodiscard]] int lessonStep() const { return m_lessons->player().step(); }
    [[nodiscard]] QString narration() const { return m_lessons->narration(); }
    /// Saves the current view (layer stack, merged view or columns, details) as PNG or SVG,
    /// chosen by the file's suffix, for slides. Returns false with a message on failure.
    bool exportView(const QString &file);
    /// Large fonts and icons, high contrast: readable from the back of a classroom.
    void setPresentationMode(bool on);
    [[nodiscard]] bool presentationMode() const { return m_presentation.isActive(); }
    /// The text size of this screen and mode (Ctrl+= / Ctrl+- / Ctrl+0).
    [[nodiscard]] TextSize &textSize() { return m_presentation.textSize(); }
    [[nodiscard]] Stage *stage() const { return m_stage; }
    /// Mounts left behind by a process that died (a crash, SIGKILL): offers to remove them.
    /// Returns how many were found.
    int checkStaleMounts();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void showEvent(QShowEvent *event) override;

Q_SIGNALS:
    void treeReady();
    void scanFailed(const QString &message);
    /// An edit started by applyEdit() is over: 0 done, else the errno of the refusal.
    void editFinished(int error);
    /// A lesson step is over: its edit made and the view showing it.
    void lessonStepDone();
    /// An image archive is open as a stack (the workspace file), or saved (the archive).
    void imageOpened(const QString &workspaceFile);
    /// An image archive is read and shown read-only (its merged view follows: treeReady()).
    void imageShown(const QString &archive);
    void imageSaved(const QString &out);
    void imageFailed(const QString &message);

private:
    /// selectOverlay() and applyEdit() without the refusal while a lesson step runs: what the
    /// lesson player itself asks for.
    void showOverlay(int index);
    int startEdit(const QStringList &verbAndArgs);

    void buildUi();
    QWidget *buildCenter();
    void buildMenus();
    void buildParts();
    void connectMounts();
    /// Scans the view again; after an edit, `lowersUnchanged` spares the lower layer columns.
    void rescan(bool lowersUnchanged = false);
    void showTree(std::shared_ptr<const MergedTree> tree);
    void showError(const QString &title, const QString &message);
    void say(const QString &text);
    void updateDetails();
    void editDone(const EditRunner::Done &done);
    /// Shows these layers read-only (ImagesMode::showLayers()).
    void showReadOnly(const MergeLayers &layers, const QString &title, const MergeOptions &options);
    [[nodiscard]] EditOutcome::Stack editedStack() const;
    /// The overlay shown remounted with `remedy`'s option (the workspace file changes, the
    /// upper keeps its content), then `edit` made again.
    void retryWith(const RefusalText::Remedy &remedy, const QStringList &edit);
    /// The same stack with other overlays or options (its file written): shown afresh, no
    /// overlay selected yet, never remembered as recent.
    void showChangedWorkspace(const Workspace &workspace);
    void updateBusy();
    /// True, with a word in the status bar, when an edit or a lesson step runs.
    [[nodiscard]] bool refuseWhileBusy(const QString &what);

    std::optional<Workspace> m_workspace;
    int m_overlay = -1;
    MergeLayers m_readOnlyLayers; // shown instead of a workspace overlay when not empty
    MergeOptions m_readOnlyOptions;
    // The parts that work behind the window.
    TreeLoader m_loader;
    MountController *m_mounts = nullptr; // shared with the mount bar
    EditRunner m_runner;
    PresentationMode m_presentation;
    EditActions *m_editActions = nullptr;
    MainMenus *m_menus = nullptr;

    StackSidebar *m_sidebar = nullptr;
    MountBar *m_mountBar = nullptr;
    Stage *m_stage = nullptr;
    DetailsPanel *m_details = nullptr;
    QSplitter *m_splitter = nullptr;
    Timeline *m_timeline = nullptr;
    QDockWidget *m_timelineDock = nullptr;
    StatusLine *m_status = nullptr;
    QStackedWidget *m_pages = nullptr; // the stack view, the Images & Containers panel

    QStringList m_edit; // the last edit started, for "Try again with…"
    bool m_closeRequested = false;
    bool m_lowersDirty = false; // a lower layer changed: the next rescan must read the lower columns

    // The window's parts with a job of their own, made once the widgets are; members, so
    // that they go (and their work with them) before the widgets they show on.
    std::unique_ptr<ImagesMode> m_imagesMode;
    std::unique_ptr<WindowLessonHost> m_lessons;
    std::unique_ptr<EditOutcome> m_outcome;
};

} // namespace strata
