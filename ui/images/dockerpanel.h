// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/docker/dockerhost.h"
#include "core/merge/mergelayer.h"

#include <QString>
#include <QTimer>
#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTabWidget;
class QThread;
class QTreeView;
class QListView;

namespace strata
{

/// A Docker root (/var/lib/docker or a copy) explored read-only: images with their layer
/// stacks, containers with their upper/init/lower chain, the problems met while reading, and
/// find/grep across every overlay2 directory. Reading and searching run off the GUI thread.
/// Activating an image, a layer or a container asks (openLayers) for its merged view.
class DockerPanel final : public QWidget
{
    Q_OBJECT
public:
    enum ImageColumn { ImageTagsColumn, ImageIdColumn, ImageCreatedColumn, ImageSizeColumn, ImageLayersColumn };
    enum LayerColumn {
        LayerIndexColumn,
        LayerInstructionColumn,
        LayerSizeColumn,
        LayerUsedByColumn,
        LayerLinkColumn,
        LayerDirColumn
    };
    enum ContainerColumn {
        ContainerNameColumn,
        ContainerImageColumn,
        ContainerStateColumn,
        ContainerUserColumn,
        ContainerIdColumn
    };
    enum ChainColumn { ChainRoleColumn, ChainDirColumn, ChainLinkColumn, ChainInstructionColumn };
    enum SearchColumn { HitPathColumn, HitKindColumn, HitLayerColumn, HitOwnerColumn, HitMatchColumn };

    explicit DockerPanel(QWidget *parent = nullptr);
    ~DockerPanel() override;

    /// Reads the Docker root at `root` (DockerHost::defaultRoot() when empty) on a worker
    /// thread; loaded() tells when it is there.
    void openRoot(const QString &root = {});
    [[nodiscard]] bool isLoading() const;
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

    /// find (shell glob over paths) and grep (bytes in file contents) over every overlay2
    /// directory, on a worker thread; searchFinished() tells when done.
    void startFind(const QString &glob);
    void startGrep(const QString &text);
    void cancelSearch();
    [[nodiscard]] bool isSearching() const;

    [[nodiscard]] QStandardItemModel *imagesModel() const { return m_images; }
    [[nodiscard]] QStandardItemModel *layersModel() const { return m_layers; }
    [[nodiscard]] QStandardItemModel *containersModel() const { return m_containers; }
    [[nodiscard]] QStandardItemModel *chainModel() const { return m_chain; }
    [[nodiscard]] QStandardItemModel *resultsModel() const { return m_results; }
    [[nodiscard]] QStandardItemModel *problemsModel() const { return m_problems; }
    [[nodiscard]] QTreeView *imagesView() const { return m_imagesView; }
    [[nodiscard]] QTreeView *layersView() const { return m_layersView; }
    [[nodiscard]] QTreeView *containersView() const { return m_containersView; }
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] QString searchStatusText() const;
    /// The danger notice shown for the selected container (empty when none is selected).
    [[nodiscard]] QString containerWarningText() const;
    [[nodiscard]] bool problemsVisible() const;

Q_SIGNALS:
    /// A merged view to show, read-only: `layers` top first.
    void openLayers(const strata::MergeLayers &layers, const QString &title);
    void loaded(bool ok);
    /// `completed` is false when the search was cancelled or failed.
    void searchFinished(bool completed, int hits);

private:
    struct Snapshot;
    struct SearchRun;

    void buildUi();
    void chooseRoot();
    void showSnapshot(const std::shared_ptr<const Snapshot> &snapshot);
    void fillImages();
    void showLoadError(const QString &message);
    void showImageLayers(int row);
    void showContainerChain(int row);
    bool openLayerRow(int row);
    void startSearch(bool grep, const QString &what);
    void drainSearch();
    void finishSearch();
    void stopLoader();
    void stopSearch();
    void setProblems(const DockerProblems &problems);
    void setStatus(const QString &text, bool error = false);
    [[nodiscard]] const DockerImage *imageAt(int row) const;
    [[nodiscard]] const DockerContainer *containerAt(int row) const;

    std::shared_ptr<const DockerHost> m_host;
    std::shared_ptr<const Snapshot> m_snapshot;
    QThread *m_loadThread = nullptr;
    quint64 m_loadGeneration = 0;
    QThread *m_searchThread = nullptr;
    std::shared_ptr<SearchRun> m_search;
    QTimer m_searchPoll;
    int m_shownLayersOf = -1; // row in m_images whose layers are shown

    QStandardItemModel *m_images = nullptr;
    QStandardItemModel *m_layers = nullptr;
    QStandardItemModel *m_containers = nullptr;
    QStandardItemModel *m_chain = nullptr;
    QStandardItemModel *m_results = nullptr;
    QStandardItemModel *m_problems = nullptr;

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
    QLineEdit *m_searchEdit = nullptr;
    QPushButton *m_findButton = nullptr;
    QPushButton *m_grepButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_searchBusy = nullptr;
    QLabel *m_searchStatus = nullptr;
    QTreeView *m_resultsView = nullptr;
};

} // namespace strata
