// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerdiff.h"
#include "core/merge/mergelayer.h"
#include "core/merge/mergeoptions.h"
#include "ui/common/backgroundjob.h"
#include "ui/images/changesmodel.h"
#include "ui/images/containersmodel.h"
#include "ui/images/historymodel.h"
#include "ui/images/imagesmodel.h"
#include "ui/images/layersmodel.h"
#include "ui/images/problemsmodel.h"
#include "ui/images/searchhitsmodel.h"
#include "ui/images/sourcesmodel.h"
#include "ui/images/stackmodel.h"
#include "ui/images/storesearch.h"
#include "ui/images/storesources.h"

#include <QString>
#include <QTimer>
#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTreeView;
class QVBoxLayout;

namespace strata
{

class AnalysisView;
class ArchiveStore;

/// Images & Containers: every image store of this host side by side, read-only — a main-window
/// mode. On the left the sources StoreSources finds by itself (Docker, containerd's namespaces,
/// Podman) and the archives opened; for the chosen one its images with every history entry,
/// the layers of an image as a stack, its containers with their upper / init / image layers
/// and what they changed, and find/grep over all its layer directories. Discovery, changes and
/// searches run off the GUI thread. Activating an image, a layer, a container or a search hit
/// asks (openLayers) for its merged view.
///
/// Everything shown comes through thin models over the ImageStore's records, the same for
/// every store: nothing here knows one store kind from another but by its name.
class ImagesPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit ImagesPanel(QWidget *parent = nullptr);
    ~ImagesPanel() override;

    /// Where discover() looks (StoreSources::defaultRoots() unless set).
    void setRoots(const StoreSources::Roots &roots) { m_roots = roots; }
    [[nodiscard]] const StoreSources::Roots &roots() const { return m_roots; }
    /// Looks for the host's stores again off the GUI thread; sourcesFound() tells the end.
    void discover();
    [[nodiscard]] bool isDiscovering() const { return m_discoverJob.isRunning(); }
    [[nodiscard]] bool hasDiscovered() const { return m_discovered; }
    /// An archive read by the window (File → Open Image…): listed, chosen, image `image` selected.
    void addArchive(const std::shared_ptr<const ArchiveStore> &store, qsizetype image);

    /// Shows the source in `row` of sourcesModel(); false when it cannot be read.
    bool selectSource(int row);
    /// The first source of this kind ("Docker", "containerd", "Archive"); false when none can be read.
    bool selectSourceKind(const QString &kind);
    /// The source shown (null before one is chosen).
    [[nodiscard]] const StoreSource *currentSource() const;
    [[nodiscard]] const std::shared_ptr<const ImageStore> &store() const { return m_images.store(); }
    /// The archive shown and its image selected (null and -1 when the source is no archive).
    [[nodiscard]] std::pair<std::shared_ptr<const ArchiveStore>, qsizetype> archiveImage() const;

    void selectImage(int row);
    /// Selects a row of the selected image's layers (top first): its instruction shows in full.
    void selectLayerRow(int row);
    void selectContainer(int row);
    /// Emits openLayers for an image (its layers, top first), a container (upper, init, image
    /// layers) or one layer alone. False when its layers are unknown (the reason is shown).
    bool openImage(int row);
    /// openImage() of the image selected.
    bool openMerged();
    bool openContainer(int row);
    bool openLayerRow(int row);
    /// One layer of the selected container (its upper, init or an image layer) alone, with
    /// its whiteouts as they are on disk.
    bool openChainRow(int row);
    /// An image reference or container name/ID of the source shown: selects and opens it.
    bool openRef(const QString &ref);
    /// Opens the merged view of the image or container whose layer holds the hit in `row` of
    /// resultsModel(), with the hit's path selected.
    bool openHit(int row);
    /// Opens the Analysis tab and analyses the image in `row` of imagesModel() off the GUI
    /// thread (AnalysisView); false when there is no such image.
    bool analyzeImage(int row);
    /// analyzeImage() of the image selected.
    bool analyzeSelected();
    [[nodiscard]] AnalysisView *analysisView() const { return m_analysis; }
    /// Shows `path` of the image analysed in its merged view (openLayers).
    bool openAnalysedPath(const QString &path);
    /// Shows what the selected container changed (computed off the GUI thread the first time);
    /// changesReady() tells when it is there.
    void showChanges();

    void startFind(const QString &glob);
    void startGrep(const QString &text);
    void cancelSearch();
    [[nodiscard]] bool isSearching() const { return m_search.isRunning(); }

    [[nodiscard]] SourcesModel *sourcesModel() { return &m_sources; }
    [[nodiscard]] ImagesModel *imagesModel() { return &m_images; }
    [[nodiscard]] LayersModel *layersModel() { return &m_layers; }
    [[nodiscard]] HistoryModel *historyModel() { return &m_history; }
    [[nodiscard]] ContainersModel *containersModel() { return &m_containers; }
    [[nodiscard]] StackModel *chainModel() { return &m_chain; }
    [[nodiscard]] ChangesModel *changesModel() { return &m_changes; }
    [[nodiscard]] SearchHitsModel *resultsModel() { return &m_results; }
    [[nodiscard]] ProblemsModel *problemsModel() { return &m_problems; }
    [[nodiscard]] QListView *sourcesView() const { return m_sourcesView; }
    [[nodiscard]] QTreeView *imagesView() const { return m_imagesView; }
    [[nodiscard]] QTreeView *layersView() const { return m_layersView; }
    [[nodiscard]] QTreeView *containersView() const { return m_containersView; }
    [[nodiscard]] QTreeView *changesView() const { return m_changesView; }
    [[nodiscard]] QPushButton *extractButton() const { return m_extract; }
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] QString searchStatusText() const;
    [[nodiscard]] QString changesStatusText() const;
    /// The danger notice shown for the selected container (empty when there is none: it is
    /// not running, or none is selected).
    [[nodiscard]] QString containerWarningText() const;
    /// The whole instruction of the selected layer, as the image's history stores it.
    [[nodiscard]] QString instructionText() const;
    [[nodiscard]] bool problemsVisible() const;

Q_SIGNALS:
    /// A merged view to show, read-only: `layers` top first; `select` a path to select in it.
    void openLayers(const strata::MergeLayers &layers,
        const QString &title,
        const strata::MergeOptions &options,
        const QString &select = {});
    void sourcesFound();
    /// A source is shown (`ok`), or could not be (its reason is in statusText()).
    void sourceShown(bool ok);
    /// `completed` is false when the search was cancelled or failed.
    void searchFinished(bool completed, int hits);
    void changesReady(bool ok);
    /// Extract as Stack… for image `image` of an archive.
    void extractRequested(const std::shared_ptr<const strata::ArchiveStore> &store, qsizetype image);
    /// Open Image… was pressed.
    void openArchiveRequested();
    /// Back to the stack view.
    void backRequested();

private:
    using Sources = std::shared_ptr<const QVector<StoreSource>>;
    using DiffResult = std::shared_ptr<const Result<ContainerDiff::Output>>;

    void buildUi();
    [[nodiscard]] QWidget *buildSourcesColumn();
    void buildHeader(QVBoxLayout *layout);
    [[nodiscard]] QWidget *buildImagesTab();
    [[nodiscard]] QWidget *buildImageButtons();
    [[nodiscard]] QWidget *buildContainersTab();
    [[nodiscard]] QWidget *buildChangesTab();
    [[nodiscard]] QWidget *buildSearchTab();
    void buildImageMenu();
    void connectViews();
    void showSources(const Sources &found);
    void showStore(const StoreSource &source);
    void clearStore();
    void showImageLayers(int row);
    void showInstruction(int row);
    void showContainerChain(int row);
    void computeChanges(int row);
    void showDiff(const std::shared_ptr<const ImageStore> &store, const DiffResult &result);
    bool openStack(const QString &what, const Result<MergeLayers> &layers, const QString &select = {});
    void startSearch(bool grep, const QString &what);
    void showSearchProgress();
    void finishSearch(const StoreSearch::Outcome &outcome);
    void setProblems(const StoreProblems &problems);
    void setStatus(const QString &text, bool error = false);

    StoreSources::Roots m_roots = StoreSources::defaultRoots();
    bool m_discovered = false;
    int m_sourceRow = -1;
    QString m_wantedKind; // chosen once discovery is over
    SourcesModel m_sources;
    ImagesModel m_images;
    LayersModel m_layers;
    HistoryModel m_history;
    ContainersModel m_containers;
    StackModel m_chain;
    ChangesModel m_changes;
    SearchHitsModel m_results;
    ProblemsModel m_problems;
    StoreSearch m_search;
    BackgroundJob<Sources> m_discoverJob;
    BackgroundJob<DiffResult> m_diffJob;
    QTimer m_diffPoll;
    int m_changesOf = -1; // container row whose changes are shown or being computed
    bool m_resultsFitted = false;

    QListView *m_sourcesView = nullptr;
    QPushButton *m_refresh = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_problemsLabel = nullptr;
    QListView *m_problemsView = nullptr;
    QTabWidget *m_tabs = nullptr;
    QCheckBox *m_buildSteps = nullptr;
    QTreeView *m_imagesView = nullptr;
    QLabel *m_layersTitle = nullptr;
    QTabWidget *m_imageTabs = nullptr;
    QTreeView *m_layersView = nullptr;
    QTreeView *m_historyView = nullptr;
    QLabel *m_instruction = nullptr;
    QPushButton *m_merged = nullptr;
    QPushButton *m_alone = nullptr;
    QPushButton *m_extract = nullptr;
    QPushButton *m_analyze = nullptr;
    AnalysisView *m_analysis = nullptr;
    QTreeView *m_containersView = nullptr;
    QLabel *m_chainTitle = nullptr;
    QTreeView *m_chainView = nullptr;
    QLabel *m_warning = nullptr;
    QTabWidget *m_containerTabs = nullptr;
    QLabel *m_changesStatus = nullptr;
    QTreeView *m_changesView = nullptr;
    QLineEdit *m_searchEdit = nullptr;
    QPushButton *m_findButton = nullptr;
    QPushButton *m_grepButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_searchBusy = nullptr;
    QLabel *m_searchStatus = nullptr;
    QTreeView *m_resultsView = nullptr;
};

} // namespace strata
