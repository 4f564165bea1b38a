// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"
#include "core/lesson/lesson.h"
#include "core/merge/mergelayer.h"
#include "core/session/mountcontroller.h"
#include "core/session/stacksession.h"
#include "core/stack/workspace.h"
#include "ui/stage/layercolumns.h"

#include <QFont>
#include <QMainWindow>
#include <QPalette>

#include <functional>
#include <memory>
#include <optional>

class QLabel;
class QListWidget;
class QTreeView;
class QTreeWidget;
class QTextBrowser;
class QProgressBar;
class QToolButton;
class QSortFilterProxyModel;
class QMenu;
class QDockWidget;
class QToolBar;
class QTabWidget;
class QTimer;
class QComboBox;
class QSplitter;
class QLayout;
class QAction;

namespace strata
{

class DockerPanel;
class StackDiagram;
class CaptionBanner;
class MergedTree;
class MergedTreeModel;
class TreeLoader;

/// The first Stratascope window: the overlays of a workspace, the layer stack of the selected
/// one with its mount command, and its merged view with provenance. Scans run off the GUI
/// thread, with progress and cancel.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a workspace file (or a directory holding stratascope.json). Errors are shown,
    /// never fatal; returns false on error.
    bool openWorkspace(const QString &path);
    /// Creates a built-in scenario in `dir` (a fresh temporary directory when empty) and opens it.
    bool openScenario(const QString &name, const QString &dir = {});
    void selectOverlay(int index);
    /// Selects a merged path (e.g. "/base_image/common.txt") in the tree; false if not there.
    bool selectPath(const QString &mergedPath);

    /// Shows a merged view of these layers (top first), read-only and without a mount
    /// command: what the Docker panel opens.
    void showLayers(const MergeLayers &layers, const QString &title);
    /// Shows the Docker panel (created on first use) and reads `root` when given, or the
    /// default root when the panel has read nothing yet.
    DockerPanel *showDockerPanel(const QString &root = {});
    [[nodiscard]] DockerPanel *dockerPanel() const { return m_dockerPanel; }

    [[nodiscard]] MergedTreeModel *model() const { return m_model; }
    [[nodiscard]] QTreeView *treeView() const { return m_treeView; }
    [[nodiscard]] const std::optional<Workspace> &workspace() const { return m_workspace; }
    [[nodiscard]] QString detailsText() const;
    [[nodiscard]] bool isScanning() const;
    /// One edit in the merged view of the selected overlay (a `strata op` verb and its
    /// arguments), through the engine or the kernel; its events go to the timeline and the
    /// view is rescanned. Returns the errno (0: done). Dialogs of the edit actions end here.
    int applyEdit(const QStringList &verbAndArgs);
    /// Edits go through the userspace engine (true) or the kernel, automatically chosen (false).
    void setUseEngine(bool engine);
    [[nodiscard]] bool usesEngine() const;
    /// How edits reach the overlay: engine, kernel, user namespace, fuse, or automatic.
    void setBackend(Backend backend);
    [[nodiscard]] Backend backend() const;
    [[nodiscard]] MountController *mounts() const { return m_mounts; }
    /// Mounts (or unmounts) the selected overlay here; false with a message on failure.
    bool setMounted(bool on);
    [[nodiscard]] QTreeWidget *timeline() const { return m_timeline; }
    [[nodiscard]] LayerColumns *layerColumns() const { return m_columns; }
    [[nodiscard]] StackDiagram *stackDiagram() const { return m_diagram; }
    [[nodiscard]] CaptionBanner *captions() const { return m_captions; }
    /// Captions and animations of edits: 1 normal, 0.25 slow, 4 fast, 0 off.
    void setAnimationSpeed(double factor);
    /// Shows the merged view (0) or the layers side by side (1).
    void showCenterTab(int index);
    /// Starts a lesson (built-in name or .lesson file) on a fresh copy of its scenario.
    bool startLesson(const QString &nameOrFile);
    /// The next step: its narration, and its edit. False when the lesson is over.
    bool lessonNext();
    /// Back one step: the scenario is made afresh and the earlier steps replayed.
    bool lessonPrevious();
    [[nodiscard]] int lessonStep() const { return m_lessonStep; }
    [[nodiscard]] QString narration() const;
    /// Saves the current view (layer stack, merged view or columns, details) as PNG or SVG,
    /// chosen by the file's suffix, for slides. Returns false with a message on failure.
    bool exportView(const QString &file);
    /// Large fonts and icons, high contrast: readable from the back of a classroom.
    void setPresentationMode(bool on);
    [[nodiscard]] bool presentationMode() const { return m_presentation; }
    /// Mounts left behind by a process that died (a crash, SIGKILL): offers to remove them.
    /// Returns how many were found.
    int checkStaleMounts();

protected:
    void closeEvent(QCloseEvent *event) override;

Q_SIGNALS:
    void treeReady();
    void scanFailed(const QString &message);

private:
    void buildUi();
    void buildActions();
    /// Scans the view again; after an edit, `lowersUnchanged` spares the lower layer columns.
    void rescan(bool lowersUnchanged = false);
    void showTree(std::shared_ptr<const MergedTree> tree);
    void showError(const QString &title, const QString &message);
    void updateDetails();
    void updateRecentMenu();
    void rememberRecent(const QString &file);
    void chooseWorkspace();
    void buildEditActions(QToolBar *toolbar);
    void columnsReady();
    void addLayerRow(int index, int count, const MergeLayer &layer, const QString &label);
    void buildLessonDock();
    void showLessonStep();
    [[nodiscard]] QString currentPath() const;
    void addToTimeline(const QString &command, int error, const QString &errorText, const QList<OverlayEvent> &events);

    std::optional<Workspace> m_workspace;
    int m_overlay = -1;
    MergedTreeModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    TreeLoader *m_loader = nullptr;

    QListWidget *m_overlayList = nullptr;
    QTreeWidget *m_layerList = nullptr;
    QLabel *m_mountCommand = nullptr;
    QTreeView *m_treeView = nullptr;
    QTextBrowser *m_details = nullptr;
    QLabel *m_statusLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    QToolButton *m_cancel = nullptr;
    QMenu *m_recentMenu = nullptr;
    QString m_pendingSelection;
    MergeLayers m_dockerLayers; // shown instead of a workspace overlay when not empty
    QDockWidget *m_dockerDock = nullptr;
    DockerPanel *m_dockerPanel = nullptr;
    QTreeWidget *m_timeline = nullptr;
    std::optional<Lesson> m_lesson;
    int m_lessonStep = 0;
    QDockWidget *m_lessonDock = nullptr;
    QDockWidget *m_timelineDock = nullptr;
    QWidget *m_detailsPanel = nullptr;
    QSplitter *m_splitter = nullptr;
    QLabel *m_lessonText = nullptr;
    QLabel *m_lessonCounter = nullptr;
    QTimer *m_autoPlay = nullptr;
    bool m_presentation = false;
    QFont m_normalFont;
    QPalette m_normalPalette;
    QTabWidget *m_centerTabs = nullptr;
    LayerColumns *m_columns = nullptr;
    CaptionBanner *m_captions = nullptr;
    QList<QAction *> m_editActions;
    QLayout *buildMountRow();
    void showDiagram(const QList<LayerColumns::Column> &columns);
    [[nodiscard]] Result<StackSession::Outcome> runOffGuiThread(
        const std::function<Result<StackSession::Outcome>()> &work);
    std::unique_ptr<StackSession> m_session; // kept between edits of the same overlay and backend
    int m_sessionOverlay = -1;
    Backend m_sessionBackend = Backend::Auto;
    [[nodiscard]] QList<int> dependents(int overlay) const;
    void showPropagation(const QList<OverlayEvent> &events);
    void updateMountState();
    MountController *m_mounts = nullptr;
    StackDiagram *m_diagram = nullptr;
    QComboBox *m_backendCombo = nullptr;
    QAction *m_mountAction = nullptr;
    QAction *m_terminalAction = nullptr;
    QAction *m_engineAction = nullptr;
    QLabel *m_mountState = nullptr;
    bool m_editing = false; // an edit runs on a worker thread
    bool m_closeRequested = false;
    bool m_lowersDirty = false; // a lower layer changed: the next rescan must read the lower columns
    bool m_animateInColumns = true;
    QList<OverlayEvent> m_pendingEvents; // played once the columns show the edit's result
};

} // namespace strata
