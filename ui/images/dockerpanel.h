// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerdiff.h"
#include "core/image/docker/dockerhost.h"
#include "core/merge/mergelayer.h"
#include "ui/common/backgroundjob.h"
#include "ui/images/storesearch.h"

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

class ChangesModel;
class ContainersModel;
class ImagesModel;
class LayersModel;
class ProblemsModel;
class SearchHitsModel;
class StackModel;

/// A Docker root (/var/lib/docker or a copy) explored read-only: images with their layer
/// stacks, containers with their upper/init/lower chain, the problems met while reading, and
/// find/grep across every overlay2 directory. Reading and searching run off the GUI thread.
/// Activating an image, a layer or a container asks (openLayers) for its merged view.
///
/// Everything shown comes from the store through thin models (ImagesModel, LayersModel,
/// ContainersModel, StackModel, SearchHitsModel, ProblemsModel) that read the ImageStore's
/// records: only opening the root is Docker's.
class DockerPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit DockerPanel(QWidget *parent = nullptr);
    ~DockerPanel() override;

    /// Reads the Docker root at `root` (DockerHost::defaultRoot() when empty) on a worker
    /// thread; loaded() tells when it is there.
    void openRoot(const QString &root = {});
    [[nodiscard]] bool isLoading() const { return m_loadJob.isRunning(); }
    [[nodiscard]] QString root() const;
    /// The host last loaded (null before the first load or when it failed).
    [[nodiscard]] std::shared_ptr<const DockerHost> host() const { return m_host; }

    /// Selects a row of the images (newest first) or containers table.
    void selectImage(int row);
    void selectContainer(int row);
    /// Emits openLayers for an image (its layers, top first) or a container (upper, init,
    /// image layers). False when its layers are unknown (the reason is shown).
    bool openImage(int row);
    bool openContainer(int row);
    /// An image reference or container name/ID, as the CLI takes them: selects and opens it.
    bool openRef(const QString &ref);
    /// Shows what the selected container changed (the set `docker diff` prints), computed off
    /// the GUI thread the first time; changesReady() tells when it is there.
    void showChanges();

    /// find (shell glob over paths) and grep (bytes in file contents) over every overlay2
    /// directory, on a worker thread; searchFinished() tells when done.
    void startFind(const QString &glob);
    void startGrep(const QString &text);
    void cancelSearch();
    [[nodiscard]] bool isSearching() const { return m_search.isRunning(); }

    [[nodiscard]] ImagesModel *imagesModel() const { return m_images; }
    [[nodiscard]] LayersModel *layersModel() const { return m_layers; }
    [[nodiscard]] ContainersModel *containersModel() const { return m_containers; }
    [[nodiscard]] StackModel *chainModel() const { return m_chain; }
    [[nodiscard]] ChangesModel *changesModel() const { return m_changes; }
    [[nodiscard]] SearchHitsModel *resultsModel() const { return m_results; }
    [[nodiscard]] ProblemsModel *problemsModel() const { return m_problems; }
    [[nodiscard]] QTreeView *imagesView() const { return m_imagesView; }
    [[nodiscard]] QTreeView *layersView() const { return m_layersView; }
    [[nodiscard]] QTreeView *containersView() const { return m_containersView; }
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] QString searchStatusText() const;
    [[nodiscard]] QString changesStatusText() const;
    /// The danger notice shown for the selected container (empty when none is selected).
    [[nodiscard]] QString containerWarningText() const;
    [[nodiscard]] bool problemsVisible() const;

Q_SIGNALS:
    /// A merged view to show, read-only: `layers` top first.
    void openLayers(const strata::MergeLayers &layers, const QString &title, const strata::MergeOptions &options);
    void loaded(bool ok);
    /// `completed` is false when the search was cancelled or failed.
    void searchFinished(bool completed, int hits);
    /// The changes of a container are in changesModel() (`ok` is false when they could not be
    /// computed; changesStatusText() says why).
    void changesReady(bool ok);

private:
    /// Asks for a merged view of a stack of the store (an image's, a container's), or says why not.
    bool openStack(const ImageStore &store, const QString &what, const Result<MergeLayers> &layers);
    struct Loaded;
    using DiffResult = std::shared_ptr<const Result<ContainerDiff::Output>>;

    void buildUi();
    void buildRootRow(QVBoxLayout *layout);
    [[nodiscard]] QWidget *buildImagesTab();
    [[nodiscard]] QWidget *buildContainersTab();
    [[nodiscard]] QWidget *buildChangesTab();
    [[nodiscard]] QWidget *buildSearchTab();
    void connectViews();
    void chooseRoot();
    void showLoaded(const std::shared_ptr<const Loaded> &result);
    void showStore(const std::shared_ptr<const DockerHost> &host, qint64 elapsedMs);
    void showLoadError(const QString &message);
    void showImageLayers(int row);
    void showContainerChain(int row);
    bool openLayerRow(int row);
    void computeChanges(int row);
    void showDiff(const std::shared_ptr<const ImageStore> &store, const DiffResult &result);
    void startSearch(bool grep, const QString &what);
    void showSearchProgress();
    void finishSearch(const StoreSearch::Outcome &outcome);
    void setProblems(const StoreProblems &problems);
    void setStatus(const QString &text, bool error = false);

    std::shared_ptr<const DockerHost> m_host;
    QTimer m_loadPoll;
    QString m_loadingRoot;

    ImagesModel *m_images = nullptr;
    LayersModel *m_layers = nullptr;
    ContainersModel *m_containers = nullptr;
    StackModel *m_chain = nullptr;
    ChangesModel *m_changes = nullptr;
    SearchHitsModel *m_results = nullptr;
    ProblemsModel *m_problems = nullptr;
    StoreSearch m_search;
    BackgroundJob<std::shared_ptr<const Loaded>> m_loadJob;
    BackgroundJob<DiffResult> m_diffJob;
    QTimer m_diffPoll;
    int m_changesOf = -1; // container row whose changes are shown or being computed
    bool m_resultsFitted = false;

    QLineEdit *m_rootEdit = nullptr;
    QPushButton *m_openButton = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_problemsLabel = nullptr;
    QListView *m_problemsView = nullptr;
    QTabWidget *m_tabs = nullptr;
    QCheckBox *m_buildSteps = nullptr;
    QTreeView *m_imagesView = nullptr;
    QLabel *m_layersTitle = nullptr;
    QTreeView *m_layersView = nullptr;
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
