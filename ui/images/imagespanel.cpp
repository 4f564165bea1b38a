// SPDX-License-Identifier: GPL-2.0-or-later
#include "imagespanel.h"

#include "core/image/archive/archivestore.h"
#include "core/util/scancontrol.h"
#include "ui/common/sectiontitle.h"
#include "ui/images/analysisview.h"
#include "ui/images/storeformat.h"
#include "ui/images/storeviews.h"

#include <QCheckBox>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTextDocument>
#include <QTreeView>
#include <QVBoxLayout>

namespace strata
{

namespace
{

QProgressBar *busyBar()
{
    auto *bar = new QProgressBar;
    bar->setRange(0, 0);
    bar->setMaximumWidth(120);
    bar->hide();
    return bar;
}

// Every column as wide as its contents but `stretch`, which takes the room left: long
// instructions are cut only where there is no room.
void stretchColumn(QTreeView *view, int stretch)
{
    QHeaderView *header = view->header();
    header->setStretchLastSection(false);
    for (int c = 0; c < view->model()->columnCount(); ++c)
        header->setSectionResizeMode(c, c == stretch ? QHeaderView::Stretch : QHeaderView::ResizeToContents);
    view->setTextElideMode(Qt::ElideRight);
}

// A column of long IDs (cache IDs, short links) as wide as 16 characters: the rest is in its
// tooltip, the room goes to the instructions.
void narrowColumn(QTreeView *view, int column)
{
    view->header()->setSectionResizeMode(column, QHeaderView::Interactive);
    view->setColumnWidth(column, view->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 18);
}

} // namespace

ImagesPanel::ImagesPanel(QWidget *parent) : QWidget(parent), m_search(&m_results)
{
    buildUi();
    m_diffPoll.setInterval(100);
    connect(&m_diffPoll, &QTimer::timeout, this, [this] {
        if (m_diffJob.control())
            m_changesStatus->setText(
                tr("Comparing the container's view with its image's… %L1 entries").arg(m_diffJob.control()->entries()));
    });
    connect(&m_search, &StoreSearch::progress, this, &ImagesPanel::showSearchProgress);
    connect(&m_search, &StoreSearch::finished, this, &ImagesPanel::finishSearch);
}

ImagesPanel::~ImagesPanel()
{
    m_search.stop();
    m_diffJob.stop();
    m_discoverJob.stop();
    m_analysis->cancel();
}

void ImagesPanel::buildUi()
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("imagesSplit"));
    split->addWidget(buildSourcesColumn());
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    buildHeader(rightLayout);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("imagesTabs"));
    rightLayout->addWidget(m_tabs, 1);
    m_tabs->addTab(buildImagesTab(), style()->standardIcon(QStyle::SP_DriveHDIcon), tr("Images"));
    m_tabs->addTab(buildContainersTab(), style()->standardIcon(QStyle::SP_ComputerIcon), tr("Containers"));
    m_tabs->addTab(buildSearchTab(), style()->standardIcon(QStyle::SP_FileDialogContentsView), tr("Find && Grep"));
    m_analysis = new AnalysisView;
    m_analysis->setObjectName(QStringLiteral("imagesAnalysis"));
    connect(m_analysis, &AnalysisView::pathChosen, this, &ImagesPanel::openAnalysedPath);
    m_tabs->addTab(m_analysis, style()->standardIcon(QStyle::SP_FileDialogInfoView), tr("Analysis"));
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 5);
    split->setSizes({260, 1000});
    layout->addWidget(split);
    connectViews();
    setProblems({});
}

// The sources found on this host and the archives opened, and the ways to more.
QWidget *ImagesPanel::buildSourcesColumn()
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *back = StoreViews::iconButton(this,
        QStyle::SP_ArrowBack,
        tr("Back to the Stack"),
        tr("The stack view: layers side by side and the merged view"),
        QStringLiteral("imagesBack"));
    connect(back, &QPushButton::clicked, this, &ImagesPanel::backRequested);
    layout->addWidget(back);
    layout->addWidget(new SectionTitle(tr("Sources on this host")));
    m_sourcesView = new QListView;
    m_sourcesView->setObjectName(QStringLiteral("imageSources"));
    m_sourcesView->setModel(&m_sources);
    m_sourcesView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sourcesView->setWordWrap(true);
    m_sourcesView->setSpacing(2);
    m_sourcesView->setTextElideMode(Qt::ElideMiddle);
    layout->addWidget(m_sourcesView, 1);
    auto *row = new QHBoxLayout;
    m_refresh = StoreViews::iconButton(this,
        QStyle::SP_BrowserReload,
        tr("Look Again"),
        tr("Look for Docker, containerd and Podman stores on this host again"),
        QStringLiteral("imagesRefresh"));
    connect(m_refresh, &QPushButton::clicked, this, &ImagesPanel::discover);
    row->addWidget(m_refresh);
    auto *open = StoreViews::iconButton(this,
        QStyle::SP_DirOpenIcon,
        tr("Open Image…"),
        tr("A docker save or OCI archive, or an OCI layout, read in place"),
        QStringLiteral("imagesOpenArchive"));
    connect(open, &QPushButton::clicked, this, &ImagesPanel::openArchiveRequested);
    row->addWidget(open);
    m_busy = busyBar();
    row->addWidget(m_busy);
    layout->addLayout(row);
    return box;
}

// The source shown, how reading it went, and the problems met.
void ImagesPanel::buildHeader(QVBoxLayout *layout)
{
    m_title = new SectionTitle(tr("No source chosen"));
    m_title->setObjectName(QStringLiteral("imagesTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    m_status = StoreViews::statusLabel(tr("Looking for image stores…"), QStringLiteral("imagesStatus"));
    layout->addWidget(m_status);
    // Problems are never hidden: a label always says how many, the list shows them.
    m_problemsLabel = new QLabel;
    m_problemsLabel->setObjectName(QStringLiteral("imagesProblemsLabel"));
    m_problemsLabel->setWordWrap(true);
    layout->addWidget(m_problemsLabel);
    m_problemsView = new QListView;
    m_problemsView->setObjectName(QStringLiteral("imagesProblems"));
    m_problemsView->setModel(&m_problems);
    m_problemsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problemsView->setTextElideMode(Qt::ElideMiddle);
    m_problemsView->setMaximumHeight(fontMetrics().height() * 5);
    m_problemsView->hide();
    layout->addWidget(m_problemsView);
}

// Images | the selected image's layers (a stack) and history (every entry).
QWidget *ImagesPanel::buildImagesTab()
{
    auto *split = new QSplitter(Qt::Vertical);
    auto *head = new QWidget;
    auto *headLayout = new QHBoxLayout(head);
    headLayout->setContentsMargins(0, 0, 0, 0);
    headLayout->addWidget(new SectionTitle(tr("Images (newest first; double-click: merged view)")), 1);
    m_buildSteps = new QCheckBox(tr("Show build steps (untagged parents)"));
    m_buildSteps->setObjectName(QStringLiteral("imagesBuildSteps"));
    m_buildSteps->setToolTip(tr("Like docker images -a: the intermediate images of local builds"));
    connect(m_buildSteps, &QCheckBox::toggled, this, [this](bool on) {
        m_images.setShowIntermediate(on);
        StoreViews::fitColumns(m_imagesView, 560);
        selectImage(0);
    });
    headLayout->addWidget(m_buildSteps);
    m_imagesView = StoreViews::table(&m_images, QStringLiteral("imagesImages"));
    split->addWidget(StoreViews::titledBox(head, m_imagesView, 1));

    auto *lower = new QWidget;
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 4, 0, 0);
    m_layersTitle = new SectionTitle(tr("Layers (top first)"));
    lowerLayout->addWidget(m_layersTitle);
    lowerLayout->addWidget(buildImageButtons());
    m_imageTabs = new QTabWidget;
    m_imageTabs->setObjectName(QStringLiteral("imageTabs"));
    m_layersView = StoreViews::table(&m_layers, QStringLiteral("imagesLayers"));
    stretchColumn(m_layersView, LayersModel::InstructionColumn);
    narrowColumn(m_layersView, LayersModel::LinkColumn);
    narrowColumn(m_layersView, LayersModel::DirColumn);
    m_imageTabs->addTab(m_layersView, tr("Layers (a stack, top first)"));
    m_historyView = StoreViews::table(&m_history, QStringLiteral("imagesHistory"));
    stretchColumn(m_historyView, HistoryModel::InstructionColumn);
    m_imageTabs->addTab(m_historyView, tr("History (every entry)"));
    lowerLayout->addWidget(m_imageTabs, 1);
    m_instruction = StoreViews::statusLabel(QString(), QStringLiteral("imagesInstruction"));
    m_instruction->setFont(StoreFormat::fixedFont());
    lowerLayout->addWidget(m_instruction);
    split->addWidget(lower);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    return split;
}

QWidget *ImagesPanel::buildImageButtons()
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_merged = StoreViews::iconButton(this,
        QStyle::SP_FileDialogListView,
        tr("Merged View"),
        tr("The image's merged view, read-only, with the layer each path comes from"),
        QStringLiteral("imagesMerged"));
    connect(m_merged, &QPushButton::clicked, this, &ImagesPanel::openMerged);
    m_alone = StoreViews::iconButton(this,
        QStyle::SP_DirClosedIcon,
        tr("Layer Alone"),
        tr("The selected layer by itself, its whiteouts and opaque directories as they are (double-click a layer)"),
        QStringLiteral("imagesLayerAlone"));
    connect(m_alone, &QPushButton::clicked, this, [this] { openLayerRow(m_layersView->currentIndex().row()); });
    m_extract = StoreViews::iconButton(this,
        QStyle::SP_DialogSaveButton,
        tr("Extract as Stack…"),
        tr("Unpack this image into a new folder as an editable stack (the archive is not changed)"),
        QStringLiteral("extractImageButton"));
    connect(m_extract, &QPushButton::clicked, this, [this] {
        if (const auto [archive, image] = archiveImage(); archive)
            Q_EMIT extractRequested(archive, image);
    });
    m_extract->hide();
    m_analyze = StoreViews::iconButton(this,
        QStyle::SP_FileDialogInfoView,
        tr("Analyze"),
        tr("dive's figures for this image: layer sizes, wasted bytes, the layer tree, a treemap"),
        QStringLiteral("imagesAnalyze"));
    connect(m_analyze, &QPushButton::clicked, this, &ImagesPanel::analyzeSelected);
    layout->addWidget(m_merged);
    layout->addWidget(m_alone);
    layout->addWidget(m_analyze);
    layout->addStretch(1);
    layout->addWidget(m_extract);
    return row;
}

// Containers | the selected container's layers, its changes, and what to beware of.
QWidget *ImagesPanel::buildContainersTab()
{
    auto *split = new QSplitter(Qt::Vertical);
    m_containersView = StoreViews::table(&m_containers, QStringLiteral("imagesContainers"));
    split->addWidget(StoreViews::titledBox(
        new SectionTitle(tr("Containers (newest first; double-click: merged view)")), m_containersView, 1));
    m_chainTitle = new SectionTitle(tr("Layers (top first)"));
    m_chainView = StoreViews::table(&m_chain, QStringLiteral("imagesChain"));
    stretchColumn(m_chainView, StackModel::InstructionColumn);
    narrowColumn(m_chainView, StackModel::DirColumn);
    narrowColumn(m_chainView, StackModel::LinkColumn);
    m_containerTabs = new QTabWidget;
    m_containerTabs->setObjectName(QStringLiteral("containerTabs"));
    m_containerTabs->addTab(StoreViews::titledBox(m_chainTitle, m_chainView, 1), tr("Layers: upper, init, image"));
    m_containerTabs->addTab(buildChangesTab(), tr("Changes (what diff prints)"));
    connect(m_containerTabs, &QTabWidget::currentChanged, this, [this](int tab) {
        if (tab == 1)
            computeChanges(m_containersView->currentIndex().row());
    });
    auto *chainBox = new QWidget;
    auto *chainLayout = new QVBoxLayout(chainBox);
    chainLayout->setContentsMargins(0, 0, 0, 0);
    chainLayout->addWidget(m_containerTabs, 1);
    m_warning = new QLabel;
    m_warning->setObjectName(QStringLiteral("containerWarning"));
    m_warning->setWordWrap(true);
    m_warning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->setStyleSheet(QStringLiteral("QLabel { border: 2px solid #c0392b; padding: 4px; }"));
    m_warning->hide();
    chainLayout->addWidget(m_warning);
    split->addWidget(chainBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    return split;
}

// What the selected container changed, as `docker diff` says it.
QWidget *ImagesPanel::buildChangesTab()
{
    m_changesStatus = new QLabel(tr("Select a container."));
    m_changesStatus->setObjectName(QStringLiteral("imagesChangesStatus"));
    m_changesStatus->setWordWrap(true);
    m_changesView = StoreViews::table(&m_changes, QStringLiteral("imagesChanges"));
    m_changesView->setRootIsDecorated(true);
    m_changesView->setUniformRowHeights(true);
    connect(m_changesView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) {
        const int row = m_containersView->currentIndex().row();
        if (const QString path = m_changes.path(i); !path.isEmpty() && store() && row >= 0)
            openStack(tr("container %1").arg(store()->containerAt(row).displayName()),
                store()->containerMergeLayers(row),
                path);
    });
    return StoreViews::titledBox(m_changesStatus, m_changesView, 1);
}

// find / grep across every layer directory.
QWidget *ImagesPanel::buildSearchTab()
{
    auto *search = new QWidget;
    auto *layout = new QVBoxLayout(search);
    layout->setContentsMargins(0, 4, 0, 0);
    auto *row = new QHBoxLayout;
    m_searchEdit = new QLineEdit;
    m_searchEdit->setObjectName(QStringLiteral("imagesSearch"));
    m_searchEdit->setPlaceholderText(tr("Find: a glob such as takbir.txt, *.conf or /app/*  —  Grep: text in files"));
    row->addWidget(m_searchEdit, 1);
    m_findButton = StoreViews::iconButton(this,
        QStyle::SP_FileDialogContentsView,
        tr("Find Paths"),
        tr("Which layers contain a path matching this glob (whiteouts included)"));
    m_grepButton = StoreViews::iconButton(this,
        QStyle::SP_FileDialogDetailedView,
        tr("Grep Contents"),
        tr("Which files, in which layers, contain this text"));
    m_cancelButton = StoreViews::iconButton(
        this, QStyle::SP_DialogCancelButton, tr("Cancel"), {}, QStringLiteral("imagesSearchCancel"));
    m_cancelButton->setEnabled(false);
    row->addWidget(m_findButton);
    row->addWidget(m_grepButton);
    row->addWidget(m_cancelButton);
    m_searchBusy = busyBar();
    row->addWidget(m_searchBusy);
    layout->addLayout(row);
    m_searchStatus = StoreViews::statusLabel(
        tr("Searches read every layer directory; nothing is written. Double-click a result: its merged view."),
        QStringLiteral("imagesSearchStatus"));
    layout->addWidget(m_searchStatus);
    m_resultsView = StoreViews::table(&m_results, QStringLiteral("imagesResults"));
    layout->addWidget(m_resultsView, 1);

    connect(m_findButton, &QPushButton::clicked, this, [this] { startFind(m_searchEdit->text()); });
    connect(m_grepButton, &QPushButton::clicked, this, [this] { startGrep(m_searchEdit->text()); });
    connect(m_searchEdit, &QLineEdit::returnPressed, m_findButton, &QPushButton::click);
    connect(m_cancelButton, &QPushButton::clicked, this, &ImagesPanel::cancelSearch);
    connect(m_resultsView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) { openHit(i.row()); });
    return search;
}

void ImagesPanel::connectViews()
{
    connect(
        m_sourcesView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &i) {
            if (i.isValid() && i.row() != m_sourceRow)
                selectSource(i.row());
        });
    connect(
        m_imagesView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &i) {
            showImageLayers(i.isValid() ? i.row() : -1);
        });
    connect(
        m_layersView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &i) {
            showInstruction(i.isValid() ? i.row() : -1);
        });
    connect(m_containersView->selectionModel(),
        &QItemSelectionModel::currentRowChanged,
        this,
        [this](const QModelIndex &i) { showContainerChain(i.isValid() ? i.row() : -1); });
    connect(m_imagesView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) { openImage(i.row()); });
    buildImageMenu();
    connect(m_layersView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) { openLayerRow(i.row()); });
    connect(m_historyView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) {
        if (const int k = m_history.layerIndex(i.row()); k >= 0)
            openLayerRow(m_layers.rowCount() - 1 - k);
    });
    connect(m_containersView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) {
        openContainer(i.row());
    });
    connect(m_chainView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) { openChainRow(i.row()); });
}

// An image's context menu: what the buttons under the images do.
void ImagesPanel::buildImageMenu()
{
    m_imagesView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_imagesView, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const int row = m_imagesView->indexAt(pos).row();
        if (row < 0)
            return;
        QMenu menu;
        menu.addAction(m_merged->icon(), m_merged->text(), this, [this, row] { openImage(row); });
        menu.addAction(m_analyze->icon(), m_analyze->text(), this, [this, row] { analyzeImage(row); });
        menu.exec(m_imagesView->viewport()->mapToGlobal(pos));
    });
}

void ImagesPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(error ? QStringLiteral("⚠ ") + text : text);
    m_status->setStyleSheet(error ? QStringLiteral("QLabel { font-weight: bold; }") : QString());
}

QString ImagesPanel::statusText() const
{
    return m_status->text();
}

// --- the sources -----------------------------------------------------------------------------

void ImagesPanel::discover()
{
    m_busy->show();
    m_refresh->setEnabled(false);
    if (m_sourceRow < 0)
        setStatus(tr("Looking for image stores on this host…"));
    m_discoverJob.start(
        this,
        [roots = m_roots](ScanControl &control) {
            return std::make_shared<const QVector<StoreSource>>(StoreSources::discover(roots, &control));
        },
        [this](const Sources &found) { showSources(found); });
}

void ImagesPanel::showSources(const Sources &found)
{
    m_busy->hide();
    m_refresh->setEnabled(true);
    // The source shown stays shown when it is found again.
    const StoreSource *shown = currentSource();
    const QString kind = shown ? shown->kind : m_wantedKind;
    const QString root = shown ? shown->root : QString();
    m_search.stop();
    m_sourceRow = -1;
    m_sources.setDiscovered(*found);
    m_discovered = true;
    int row = m_sources.rowOf(kind, root);
    for (int r = 0; row < 0 && r < m_sources.rowCount(); ++r) {
        const StoreSource *s = m_sources.source(r);
        if (s->isAvailable() && (kind.isEmpty() || s->kind == kind))
            row = r;
    }
    m_wantedKind.clear();
    if (row < 0 || !selectSource(row)) {
        clearStore();
        setStatus(tr("No image store could be read on this host: each source says why. Open Image… reads an "
                     "archive."),
            true);
        Q_EMIT sourceShown(false);
    }
    Q_EMIT sourcesFound();
}

void ImagesPanel::addArchive(const std::shared_ptr<const ArchiveStore> &archive, qsizetype image)
{
    const int row = m_sources.addArchive(StoreSources::archive(archive));
    m_sourceRow = -1; // shown again, whatever was shown
    selectSource(row);
    selectImage(m_images.rowOf(image));
}

bool ImagesPanel::selectSourceKind(const QString &kind)
{
    if (!m_discovered) {
        m_wantedKind = kind;
        return false;
    }
    for (int r = 0; r < m_sources.rowCount(); ++r) {
        if (m_sources.source(r)->kind == kind && m_sources.source(r)->isAvailable())
            return selectSource(r);
    }
    return false;
}

const StoreSource *ImagesPanel::currentSource() const
{
    return m_sources.source(m_sourceRow);
}

bool ImagesPanel::selectSource(int row)
{
    const StoreSource *s = m_sources.source(row);
    if (!s)
        return false;
    if (!s->isAvailable()) {
        setStatus(tr("%1 cannot be read: %2").arg(s->name, s->unavailable), true);
        return false;
    }
    if (row == m_sourceRow)
        return true;
    m_sourceRow = row;
    m_sourcesView->setCurrentIndex(m_sources.index(row));
    showStore(*s);
    Q_EMIT sourceShown(true);
    return true;
}

void ImagesPanel::clearStore()
{
    m_search.stop();
    m_changesOf = -1;
    m_changes.setChanges(nullptr, {});
    m_images.setStore(nullptr);
    m_layers.setImage(nullptr, -1);
    m_history.setImage(nullptr, -1);
    m_containers.setStore(nullptr);
    m_chain.setContainer(nullptr, -1);
    m_results.clear(false);
    m_warning->hide();
    m_extract->hide();
    m_title->setText(tr("No source chosen"));
    setProblems({});
}

void ImagesPanel::showStore(const StoreSource &source)
{
    clearStore();
    const std::shared_ptr<const ImageStore> &s = source.store;
    m_title->setText(source.detail.isEmpty() ? source.name : tr("%1 — %2").arg(source.name, source.detail));
    m_title->setToolTip(QDir::toNativeSeparators(source.root));
    m_images.setStore(s);
    m_containers.setStore(s);
    m_extract->setVisible(source.kind == QLatin1String("Archive"));
    // Short links and directories are a driver's: an archive's layers are blobs in the file.
    const bool dirs = !std::dynamic_pointer_cast<const ArchiveStore>(s);
    m_layersView->setColumnHidden(LayersModel::LinkColumn, !dirs);
    m_tabs->setTabEnabled(1, dirs);
    setProblems(s->problems());
    const int steps = s->intermediateCount();
    const int images = static_cast<int>(s->imageCount()) - steps;
    const QString counts = steps > 0 ? tr("%n image(s) (+%1 build steps)", nullptr, images).arg(steps)
                                     : tr("%n image(s)", nullptr, images);
    setStatus(tr("%1: %2, %3 layer(s), %4 container(s). Read-only: nothing here is ever written.")
                  .arg(QDir::toNativeSeparators(source.root), counts)
                  .arg(s->storedLayerCount())
                  .arg(s->containerCount()));
    StoreViews::fitColumns(m_imagesView, 560);
    StoreViews::fitColumns(m_containersView);
    selectImage(0);
    selectContainer(0);
}

void ImagesPanel::setProblems(const StoreProblems &problems)
{
    m_problems.setProblems(problems);
    const int n = m_problems.rowCount();
    m_problemsView->setVisible(n > 0);
    if (n == 0) {
        m_problemsLabel->setText(
            store() ? tr("✔ No problems: every metadata file could be read and checked.") : QString());
        m_problemsLabel->setStyleSheet(QString());
        return;
    }
    m_problemsLabel->setText(
        tr("⚠ %n problem(s) while reading (unreadable or corrupt files, failed checks); everything else is shown:",
            nullptr,
            n));
    m_problemsLabel->setStyleSheet(QStringLiteral("QLabel { font-weight: bold; }"));
}

bool ImagesPanel::problemsVisible() const
{
    return m_problemsView->isVisibleTo(this) && m_problems.rowCount() > 0;
}

// --- images, layers, containers ------------------------------------------------------------

void ImagesPanel::selectImage(int row)
{
    const QModelIndex idx = m_images.index(row, 0);
    if (!idx.isValid()) {
        showImageLayers(-1);
        return;
    }
    m_tabs->setCurrentIndex(0);
    m_imagesView->setCurrentIndex(idx);
    showImageLayers(row);
}

void ImagesPanel::selectLayerRow(int row)
{
    const QModelIndex idx = m_layers.index(row, 0);
    if (idx.isValid())
        m_layersView->setCurrentIndex(idx);
    showInstruction(idx.isValid() ? row : -1);
}

std::pair<std::shared_ptr<const ArchiveStore>, qsizetype> ImagesPanel::archiveImage() const
{
    auto archive = std::dynamic_pointer_cast<const ArchiveStore>(store());
    const qsizetype image = archive ? m_layers.image() : -1;
    return {image >= 0 ? archive : nullptr, image};
}

void ImagesPanel::selectContainer(int row)
{
    const QModelIndex idx = m_containers.index(row, 0);
    if (!idx.isValid()) {
        showContainerChain(-1);
        return;
    }
    m_containersView->setCurrentIndex(idx);
    showContainerChain(row);
}

void ImagesPanel::showImageLayers(int row)
{
    const qsizetype image = m_images.imageIndex(row);
    if (image >= 0 && image == m_layers.image() && m_layers.store() == m_images.store())
        return;
    m_layers.setImage(m_images.store(), image);
    m_history.setImage(m_images.store(), image);
    m_merged->setEnabled(image >= 0);
    m_alone->setEnabled(image >= 0);
    m_analyze->setEnabled(image >= 0);
    m_extract->setEnabled(image >= 0);
    if (image < 0) {
        m_layersTitle->setText(tr("Layers (top first)"));
        showInstruction(-1);
        return;
    }
    const StoreImage &img = store()->imageAt(image);
    const qsizetype entries = img.history.size();
    m_layersTitle->setText(tr("%1: %n layer(s), %2 history entries (double-click a layer: that layer alone)",
        nullptr,
        static_cast<int>(store()->imageLayerCount(image)))
                               .arg(img.displayName())
                               .arg(entries));
    // Sharing is a question only among several images.
    m_layersView->setColumnHidden(LayersModel::SharedColumn, store()->imageCount() < 2);
    selectLayerRow(0);
}

void ImagesPanel::showInstruction(int row)
{
    const int k = m_layers.layerIndex(row);
    if (k < 0) {
        m_instruction->clear();
        return;
    }
    const StoreLayer &l = store()->imageLayerAt(m_layers.image(), k);
    const QString raw = l.createdByRaw.isEmpty() ? m_layers.index(row, LayersModel::InstructionColumn).data().toString()
                                                 : l.createdByRaw;
    m_instruction->setText(tr("Layer %1: %2").arg(l.index).arg(raw));
}

QString ImagesPanel::instructionText() const
{
    return m_instruction->text();
}

void ImagesPanel::showContainerChain(int row)
{
    const std::shared_ptr<const ImageStore> &s = m_containers.store();
    const bool valid = s && row >= 0 && row < s->containerCount();
    m_chain.setContainer(valid ? s : nullptr, valid ? row : -1);
    if (!valid) {
        m_chainTitle->setText(tr("Layers (top first)"));
        m_warning->hide();
        return;
    }
    const StoreContainer &c = s->containerAt(row);
    m_chainTitle->setText(m_chain.error().isEmpty()
            ? tr("Layers of %1, top first: its upper (read-write) layer, then the lower ones (double-click: that "
                 "layer alone)")
                  .arg(c.displayName())
            : tr("Layers of %1: %2").arg(c.displayName(), m_chain.error()));
    // The danger is the running container's: its merged directory is only there while it runs.
    m_warning->setVisible(c.running);
    if (c.running) {
        const QString user = c.user.isEmpty() ? tr("root (no USER)") : c.user;
        m_warning->setText(
            tr("<b>⚠ Danger while it runs: writable from outside.</b> %1 is this running container's filesystem as "
               "the host sees it. Root on the host can change files there from outside the container, whatever its "
               "USER (<i>%2</i>) says, and the container sees the change at once; writing to its upper directory "
               "directly is worse. A stopped container has no such mount. Stratascope only reads these directories "
               "and never writes there.")
                .arg(QStringLiteral("<code>%1</code>").arg(c.mergedDir.toHtmlEscaped()), user.toHtmlEscaped()));
    }
    if (m_containerTabs->currentIndex() == 1)
        computeChanges(row);
}

QString ImagesPanel::containerWarningText() const
{
    if (m_warning->isHidden())
        return {};
    QTextDocument doc;
    doc.setHtml(m_warning->text());
    return doc.toPlainText();
}

void ImagesPanel::showChanges()
{
    m_tabs->setCurrentIndex(1);
    if (m_containerTabs->currentIndex() == 1)
        computeChanges(m_containersView->currentIndex().row());
    else
        m_containerTabs->setCurrentIndex(1);
}

void ImagesPanel::computeChanges(int row)
{
    const std::shared_ptr<const ImageStore> s = m_containers.store();
    if (!s || row < 0 || row >= s->containerCount()) {
        m_changesOf = -1;
        m_changes.setChanges(nullptr, {});
        m_changesStatus->setText(tr("Select a container."));
        return;
    }
    if (row == m_changesOf)
        return;
    m_changesOf = row;
    m_changes.setChanges(s, {});
    m_changesStatus->setText(tr("Comparing the container's view with its image's…"));
    m_diffPoll.start();
    m_diffJob.start(
        this,
        [s, row](ScanControl &control) {
            return std::make_shared<const Result<ContainerDiff::Output>>(ContainerDiff::compute(*s, row, &control));
        },
        [this, s](const DiffResult &result) { showDiff(s, result); });
}

void ImagesPanel::showDiff(const std::shared_ptr<const ImageStore> &s, const DiffResult &result)
{
    m_diffPoll.stop();
    // Changes of a store no longer shown are of no use.
    if (s != m_containers.store())
        return;
    if (!*result) {
        m_changesStatus->setText(tr("⚠ Cannot compute the changes: %1").arg(result->error().message));
        Q_EMIT changesReady(false);
        return;
    }
    m_changes.setChanges(s, (*result)->changes);
    // What each tool leaves out of its diff, as it does.
    const bool init
        = m_changesOf >= 0 && m_changesOf < s->containerCount() && !s->containerAt(m_changesOf).initDir.isEmpty();
    const QString kind = s->kindName().toLower();
    const QString left = kind == QLatin1String("podman")
        ? tr(" (its fixed list is left out: /dev, /proc, /sys, /run, /etc/hosts, /etc/hostname, /etc/resolv.conf…)")
        : init ? tr(" (the init layer's files are left out)")
               : QString();
    QString text = tr("%1 added, %2 changed, %3 deleted: what %4 diff prints%5. "
                      "Double-click: the path in the container's merged view.")
                       .arg(m_changes.count(ContainerChange::Kind::Added))
                       .arg(m_changes.count(ContainerChange::Kind::Changed))
                       .arg(m_changes.count(ContainerChange::Kind::Deleted))
                       .arg(kind, left);
    if (!(*result)->warnings.isEmpty())
        text += QLatin1Char(' ') + tr("Warnings: %1").arg((*result)->warnings.join(QStringLiteral("; ")));
    m_changesStatus->setText(text);
    m_changesView->expandAll();
    StoreViews::fitColumns(m_changesView, 420);
    Q_EMIT changesReady(true);
}

QString ImagesPanel::changesStatusText() const
{
    return m_changesStatus->text();
}

bool ImagesPanel::openImage(int row)
{
    const qsizetype image = m_images.imageIndex(row);
    if (image < 0)
        return false;
    return openStack(tr("image %1").arg(store()->imageAt(image).displayName()), store()->imageMergeLayers(image));
}

bool ImagesPanel::openMerged()
{
    return openImage(m_images.rowOf(m_layers.image()));
}

bool ImagesPanel::analyzeImage(int row)
{
    const qsizetype image = m_images.imageIndex(row);
    if (image < 0)
        return false;
    m_tabs->setCurrentWidget(m_analysis);
    m_analysis->analyze(store(), image);
    return true;
}

bool ImagesPanel::analyzeSelected()
{
    return analyzeImage(m_images.rowOf(m_layers.image()));
}

bool ImagesPanel::openAnalysedPath(const QString &path)
{
    const std::shared_ptr<const ImageStore> &s = m_analysis->store();
    const qsizetype image = m_analysis->image();
    if (!s || image < 0)
        return false;
    // The merged view goes through the source shown: an analysis of another one says so.
    if (s != store()) {
        setStatus(tr("%1 is in an image of another source: choose that source and analyse again").arg(path), true);
        return false;
    }
    return openStack(tr("image %1").arg(s->imageAt(image).displayName()), s->imageMergeLayers(image), path);
}

bool ImagesPanel::openLayerRow(int row)
{
    const int k = m_layers.layerIndex(row);
    if (k < 0)
        return false;
    return openStack(tr("layer %1 of %2 alone").arg(k).arg(store()->imageAt(m_layers.image()).displayName()),
        store()->layerMergeLayers(m_layers.image(), k));
}

bool ImagesPanel::openChainRow(int row)
{
    const int container = m_containersView->currentIndex().row();
    if (row < 0 || row >= m_chain.rowCount() || !store() || container < 0)
        return false;
    const StackLayer &l = m_chain.records().at(row);
    return openStack(tr("%1 of container %2 alone").arg(l.name, store()->containerAt(container).displayName()),
        ImageStore::toMergeLayers({l}));
}

bool ImagesPanel::openContainer(int row)
{
    const std::shared_ptr<const ImageStore> &s = m_containers.store();
    if (!s || row < 0 || row >= s->containerCount())
        return false;
    return openStack(tr("container %1").arg(s->containerAt(row).displayName()), s->containerMergeLayers(row));
}

bool ImagesPanel::openStack(const QString &what, const Result<MergeLayers> &layers, const QString &select)
{
    if (!layers) {
        setStatus(tr("Cannot show %1: %2").arg(what, layers.error().message), true);
        return false;
    }
    Q_EMIT openLayers(*layers, store()->kindName() + QLatin1Char(' ') + what, store()->mergeOptions(), select);
    return true;
}

bool ImagesPanel::openRef(const QString &ref)
{
    if (!store())
        return false;
    if (auto c = store()->containerIndex(ref)) {
        m_tabs->setCurrentIndex(1);
        selectContainer(static_cast<int>(*c));
        return openContainer(static_cast<int>(*c));
    }
    if (auto i = store()->imageIndex(ref); i && m_images.rowOf(*i) >= 0) {
        selectImage(m_images.rowOf(*i));
        return openImage(m_images.rowOf(*i));
    }
    setStatus(tr("No container or image named \"%1\"").arg(ref), true);
    return false;
}

bool ImagesPanel::openHit(int row)
{
    if (row < 0 || row >= m_results.rowCount() || !store())
        return false;
    const SearchHit &h = m_results.hit(row);
    const QString path = QString::fromUtf8(h.path);
    if (!h.container.isEmpty()) {
        if (auto c = store()->containerIndex(h.container))
            return openStack(tr("container %1").arg(h.container), store()->containerMergeLayers(*c), path);
    }
    // A layer's path, in the first image that has it (a whiteout shows there as what it hides).
    for (const QString &name : h.images) {
        if (auto i = store()->imageIndex(name))
            return openStack(tr("image %1").arg(name), store()->imageMergeLayers(*i), path);
    }
    setStatus(tr("%1 is in a layer no image or container uses: nothing to merge it with").arg(path), true);
    return false;
}

// --- find / grep ---------------------------------------------------------------------------

void ImagesPanel::startFind(const QString &glob)
{
    startSearch(false, glob);
}

void ImagesPanel::startGrep(const QString &text)
{
    startSearch(true, text);
}

void ImagesPanel::cancelSearch()
{
    m_search.cancel();
}

void ImagesPanel::startSearch(bool grep, const QString &what)
{
    if (what.isEmpty()) {
        m_searchStatus->setText(tr("Type a glob (Find) or a text (Grep) first."));
        return;
    }
    if (!store()) {
        m_searchStatus->setText(tr("Choose a source first."));
        return;
    }
    m_tabs->setCurrentIndex(2);
    m_searchEdit->setText(what);
    m_findButton->setEnabled(false);
    m_grepButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_searchBusy->show();
    m_searchStatus->setText(grep ? tr("Grep for \"%1\"…").arg(what) : tr("Finding %1…").arg(what));
    m_resultsFitted = false;
    m_results.setStore(store());
    m_search.start(store(), grep, what);
}

void ImagesPanel::showSearchProgress()
{
    // The columns fit the first hits; later ones do not make them jump.
    if (!m_resultsFitted && m_results.rowCount() > 0) {
        StoreViews::fitColumns(m_resultsView, 460);
        m_resultsFitted = true;
    }
    if (m_search.isRunning())
        m_searchStatus->setText(
            tr("Searching… %L1 files in %L2 directories, %n match(es)", nullptr, m_search.hitCount())
                .arg(m_search.files())
                .arg(m_search.directories()));
}

void ImagesPanel::finishSearch(const StoreSearch::Outcome &o)
{
    m_findButton->setEnabled(true);
    m_grepButton->setEnabled(true);
    m_cancelButton->setEnabled(false);
    m_searchBusy->hide();
    if (!m_resultsFitted)
        StoreViews::fitColumns(m_resultsView, 460);
    const QString counts = tr("%L1 files in %L2 directories searched").arg(o.files).arg(o.directories);
    QString text;
    if (o.completed)
        text = tr("✔ Done: %n match(es); %1. Double-click one: its merged view.", nullptr, o.hits).arg(counts);
    else if (o.cancelled)
        text = tr("✖ Cancelled: %n match(es) so far; %1.", nullptr, o.hits).arg(counts);
    else
        text = tr("⚠ Stopped: %1 (%2).").arg(o.error, counts);
    if (o.hits > m_results.rowCount())
        text += tr(" The first %L1 are listed.").arg(m_results.rowCount());
    m_searchStatus->setText(text);
    if (!o.problems.isEmpty())
        setProblems((store() ? store()->problems() : StoreProblems()) + o.problems);
    Q_EMIT searchFinished(o.completed, o.hits);
}

QString ImagesPanel::searchStatusText() const
{
    return m_searchStatus->text();
}

} // namespace strata
