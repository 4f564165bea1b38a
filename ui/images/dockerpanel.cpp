// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockerpanel.h"

#include "core/util/scancontrol.h"
#include "ui/common/sectiontitle.h"
#include "ui/images/storeviews.h"

#include <QCheckBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
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

} // namespace

/// What the loader hands to the GUI thread in one piece.
struct DockerPanel::Loaded {
    std::shared_ptr<const DockerHost> host;
    QString error;
    qint64 elapsedMs = 0;
};

DockerPanel::DockerPanel(QWidget *parent) : QWidget(parent), m_search(&m_results)
{
    buildUi();
    m_loadPoll.setInterval(100);
    connect(&m_loadPoll, &QTimer::timeout, this, [this] {
        if (m_loadJob.control())
            setStatus(tr("Reading %1… %L2 entries").arg(m_loadingRoot).arg(m_loadJob.control()->entries()));
    });
    m_diffPoll.setInterval(100);
    connect(&m_diffPoll, &QTimer::timeout, this, [this] {
        if (m_diffJob.control())
            m_changesStatus->setText(
                tr("Comparing the container's view with its image's… %L1 entries").arg(m_diffJob.control()->entries()));
    });
    connect(&m_search, &StoreSearch::progress, this, &DockerPanel::showSearchProgress);
    connect(&m_search, &StoreSearch::finished, this, &DockerPanel::finishSearch);
}

DockerPanel::~DockerPanel()
{
    m_search.stop();
    m_diffJob.stop();
    m_loadJob.stop();
}

void DockerPanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    buildRootRow(layout);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("dockerTabs"));
    layout->addWidget(m_tabs, 1);
    m_tabs->addTab(buildImagesTab(), style()->standardIcon(QStyle::SP_DriveHDIcon), tr("Images"));
    m_tabs->addTab(buildContainersTab(), style()->standardIcon(QStyle::SP_ComputerIcon), tr("Containers"));
    m_tabs->addTab(buildSearchTab(), style()->standardIcon(QStyle::SP_FileDialogContentsView), tr("Find && Grep"));
    connectViews();
    setProblems({});
}

// The root, how reading it goes, and the problems met.
void DockerPanel::buildRootRow(QVBoxLayout *layout)
{
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Docker root:")));
    m_rootEdit = new QLineEdit(DockerHost::defaultRoot());
    m_rootEdit->setObjectName(QStringLiteral("dockerRoot"));
    m_rootEdit->setToolTip(tr("A Docker data root (/var/lib/docker) or any copy of one. It is only read."));
    top->addWidget(m_rootEdit, 1);
    auto *browse = StoreViews::iconButton(this, QStyle::SP_DirOpenIcon, tr("Choose…"));
    connect(browse, &QPushButton::clicked, this, &DockerPanel::chooseRoot);
    top->addWidget(browse);
    m_openButton = StoreViews::iconButton(this,
        QStyle::SP_BrowserReload,
        tr("Read"),
        tr("Read (or read again) the images, layers and containers of this root"),
        QStringLiteral("dockerRead"));
    connect(m_openButton, &QPushButton::clicked, this, [this] { openRoot(m_rootEdit->text()); });
    connect(m_rootEdit, &QLineEdit::returnPressed, m_openButton, &QPushButton::click);
    top->addWidget(m_openButton);
    m_busy = busyBar();
    top->addWidget(m_busy);
    layout->addLayout(top);

    m_status = StoreViews::statusLabel(tr("Not read yet."), QStringLiteral("dockerStatus"));
    layout->addWidget(m_status);

    // Problems are never hidden: a label always says how many, the list shows them.
    m_problemsLabel = new QLabel;
    m_problemsLabel->setObjectName(QStringLiteral("dockerProblemsLabel"));
    m_problemsLabel->setWordWrap(true);
    layout->addWidget(m_problemsLabel);
    m_problemsView = new QListView;
    m_problemsView->setObjectName(QStringLiteral("dockerProblems"));
    m_problemsView->setModel(&m_problems);
    m_problemsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problemsView->setTextElideMode(Qt::ElideMiddle);
    m_problemsView->setMaximumHeight(fontMetrics().height() * 5);
    m_problemsView->hide();
    layout->addWidget(m_problemsView);
}

// Images | the selected image's layer stack.
QWidget *DockerPanel::buildImagesTab()
{
    auto *split = new QSplitter(Qt::Vertical);
    auto *head = new QWidget;
    auto *headLayout = new QHBoxLayout(head);
    headLayout->setContentsMargins(0, 0, 0, 0);
    headLayout->addWidget(new SectionTitle(tr("Images (newest first; double-click: merged view)")), 1);
    m_buildSteps = new QCheckBox(tr("Show build steps (untagged parents)"));
    m_buildSteps->setObjectName(QStringLiteral("dockerBuildSteps"));
    m_buildSteps->setToolTip(tr("Like docker images -a: the intermediate images of local builds"));
    connect(m_buildSteps, &QCheckBox::toggled, this, [this](bool on) {
        m_images.setShowIntermediate(on);
        StoreViews::fitColumns(m_imagesView, 560);
        selectImage(0);
    });
    headLayout->addWidget(m_buildSteps);
    m_imagesView = StoreViews::table(&m_images, QStringLiteral("dockerImages"));
    split->addWidget(StoreViews::titledBox(head, m_imagesView));
    m_layersTitle = new SectionTitle(tr("Layers (top first)"));
    m_layersView = StoreViews::table(&m_layers, QStringLiteral("dockerLayers"));
    split->addWidget(StoreViews::titledBox(m_layersTitle, m_layersView));
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({150, 150});
    return split;
}

// Containers | the selected container's chain and what to beware of.
QWidget *DockerPanel::buildContainersTab()
{
    auto *split = new QSplitter(Qt::Vertical);
    m_containersView = StoreViews::table(&m_containers, QStringLiteral("dockerContainers"));
    split->addWidget(StoreViews::titledBox(
        new SectionTitle(tr("Containers (newest first; double-click: merged view)")), m_containersView));
    m_chainTitle = new SectionTitle(tr("Layer chain (top first)"));
    m_chainView = StoreViews::table(&m_chain, QStringLiteral("dockerChain"));
    m_containerTabs = new QTabWidget;
    m_containerTabs->setObjectName(QStringLiteral("containerTabs"));
    m_containerTabs->addTab(StoreViews::titledBox(m_chainTitle, m_chainView, 1), tr("Layer chain"));
    m_containerTabs->addTab(buildChangesTab(), tr("Changes (docker diff)"));
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
    chainBox->layout()->addWidget(m_warning);
    split->addWidget(chainBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    split->setSizes({110, 220});
    return split;
}

// What the selected container changed, as `docker diff` says it.
QWidget *DockerPanel::buildChangesTab()
{
    m_changesStatus = new QLabel(tr("Select a container."));
    m_changesStatus->setObjectName(QStringLiteral("dockerChangesStatus"));
    m_changesStatus->setWordWrap(true);
    m_changesView = StoreViews::table(&m_changes, QStringLiteral("dockerChanges"));
    return StoreViews::titledBox(m_changesStatus, m_changesView, 1);
}

// find / grep across every layer directory.
QWidget *DockerPanel::buildSearchTab()
{
    auto *search = new QWidget;
    auto *layout = new QVBoxLayout(search);
    layout->setContentsMargins(0, 4, 0, 0);
    auto *row = new QHBoxLayout;
    m_searchEdit = new QLineEdit;
    m_searchEdit->setObjectName(QStringLiteral("dockerSearch"));
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
        this, QStyle::SP_DialogCancelButton, tr("Cancel"), {}, QStringLiteral("dockerSearchCancel"));
    m_cancelButton->setEnabled(false);
    row->addWidget(m_findButton);
    row->addWidget(m_grepButton);
    row->addWidget(m_cancelButton);
    m_searchBusy = busyBar();
    row->addWidget(m_searchBusy);
    layout->addLayout(row);
    m_searchStatus = StoreViews::statusLabel(
        tr("Searches read every layer directory; nothing is written."), QStringLiteral("dockerSearchStatus"));
    layout->addWidget(m_searchStatus);
    m_resultsView = StoreViews::table(&m_results, QStringLiteral("dockerResults"));
    layout->addWidget(m_resultsView, 1);

    connect(m_findButton, &QPushButton::clicked, this, [this] { startFind(m_searchEdit->text()); });
    connect(m_grepButton, &QPushButton::clicked, this, [this] { startGrep(m_searchEdit->text()); });
    connect(m_searchEdit, &QLineEdit::returnPressed, m_findButton, &QPushButton::click);
    connect(m_cancelButton, &QPushButton::clicked, this, &DockerPanel::cancelSearch);
    return search;
}

void DockerPanel::connectViews()
{
    connect(
        m_imagesView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &i) {
            showImageLayers(i.isValid() ? i.row() : -1);
        });
    connect(m_containersView->selectionModel(),
        &QItemSelectionModel::currentRowChanged,
        this,
        [this](const QModelIndex &i) { showContainerChain(i.isValid() ? i.row() : -1); });
    connect(m_imagesView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) { openImage(i.row()); });
    connect(m_layersView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) { openLayerRow(i.row()); });
    connect(m_containersView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) {
        openContainer(i.row());
    });
}

void DockerPanel::chooseRoot()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Docker root (or a copy of one)"), root());
    if (!dir.isEmpty()) {
        m_rootEdit->setText(dir);
        openRoot(dir);
    }
}

QString DockerPanel::root() const
{
    return m_rootEdit->text();
}

void DockerPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(error ? QStringLiteral("⚠ ") + text : text);
    m_status->setStyleSheet(error ? QStringLiteral("QLabel { font-weight: bold; }") : QString());
}

// --- reading the root ----------------------------------------------------------------------

void DockerPanel::openRoot(const QString &rootArg)
{
    const QString root = rootArg.isEmpty() ? DockerHost::defaultRoot() : rootArg;
    m_rootEdit->setText(root);
    m_search.stop();
    m_loadingRoot = root;
    m_busy->show();
    m_openButton->setEnabled(false);
    setStatus(tr("Reading %1…").arg(root));
    m_loadPoll.start();
    auto work = [root](ScanControl &control) {
        QElapsedTimer timer;
        timer.start();
        auto loaded = std::make_shared<Loaded>();
        auto host = DockerHost::open(root, &control);
        if (host)
            loaded->host = std::make_shared<const DockerHost>(std::move(host.value()));
        else
            loaded->error = host.error().message;
        loaded->elapsedMs = timer.elapsed();
        return std::shared_ptr<const Loaded>(std::move(loaded));
    };
    m_loadJob.start(this, std::move(work), [this](const std::shared_ptr<const Loaded> &result) { showLoaded(result); });
}

void DockerPanel::showLoaded(const std::shared_ptr<const Loaded> &result)
{
    m_loadPoll.stop();
    m_busy->hide();
    m_openButton->setEnabled(true);
    if (!result->host) {
        showLoadError(result->error);
        Q_EMIT loaded(false);
        return;
    }
    showStore(result->host, result->elapsedMs);
    Q_EMIT loaded(true);
}

void DockerPanel::showLoadError(const QString &message)
{
    m_host.reset();
    m_changesOf = -1;
    m_changes.setChanges(nullptr, {});
    m_images.setStore(nullptr);
    m_layers.setImage(nullptr, -1);
    m_containers.setStore(nullptr);
    m_chain.setContainer(nullptr, -1);
    m_warning->hide();
    setProblems({StoreProblem {QString(), message}});
    setStatus(tr("Cannot read this Docker root: %1").arg(message), true);
}

void DockerPanel::showStore(const std::shared_ptr<const DockerHost> &host, qint64 elapsedMs)
{
    m_host = host;
    m_changesOf = -1;
    m_layers.setImage(nullptr, -1);
    m_chain.setContainer(nullptr, -1);
    m_warning->hide();
    m_images.setStore(host);
    m_containers.setStore(host);
    setProblems(host->problems());
    const int steps = host->intermediateCount();
    setStatus(tr("%1: %n image(s) (+%2 build steps), %3 layer(s), %4 container(s), read in %5 ms. Read-only: "
                 "nothing here is ever written.",
        nullptr,
        static_cast<int>(host->imageCount()) - steps)
                  .arg(host->root())
                  .arg(steps)
                  .arg(host->storedLayerCount())
                  .arg(host->containerCount())
                  .arg(elapsedMs));
    StoreViews::fitColumns(m_imagesView, 560);
    StoreViews::fitColumns(m_containersView);
    selectImage(0);
    selectContainer(0);
}

void DockerPanel::setProblems(const StoreProblems &problems)
{
    m_problems.setProblems(problems);
    const int n = m_problems.rowCount();
    m_problemsView->setVisible(n > 0);
    if (n == 0) {
        m_problemsLabel->setText(
            m_host ? tr("✔ No problems: every metadata file could be read and checked.") : QString());
        m_problemsLabel->setStyleSheet(QString());
        return;
    }
    m_problemsLabel->setText(
        tr("⚠ %n problem(s) while reading (unreadable or corrupt files, failed checks); everything else is shown:",
            nullptr,
            n));
    m_problemsLabel->setStyleSheet(QStringLiteral("QLabel { font-weight: bold; }"));
}

bool DockerPanel::problemsVisible() const
{
    return m_problemsView->isVisibleTo(this) && m_problems.rowCount() > 0;
}

QString DockerPanel::statusText() const
{
    return m_status->text();
}

// --- images, layers, containers ------------------------------------------------------------

void DockerPanel::selectImage(int row)
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

void DockerPanel::selectContainer(int row)
{
    const QModelIndex idx = m_containers.index(row, 0);
    if (!idx.isValid()) {
        showContainerChain(-1);
        return;
    }
    m_containersView->setCurrentIndex(idx);
    showContainerChain(row);
}

void DockerPanel::showImageLayers(int row)
{
    const qsizetype image = m_images.imageIndex(row);
    if (image >= 0 && image == m_layers.image() && m_layers.store() == m_images.store())
        return;
    m_layers.setImage(m_images.store(), image);
    if (image < 0) {
        m_layersTitle->setText(tr("Layers (top first)"));
        return;
    }
    m_layersTitle->setText(tr("Layers of %1, top first (double-click: that layer alone)")
                               .arg(m_images.store()->imageAt(image).displayName()));
    StoreViews::fitColumns(m_layersView, 460);
}

void DockerPanel::showContainerChain(int row)
{
    const std::shared_ptr<const ImageStore> &store = m_containers.store();
    const bool valid = store && row >= 0 && row < store->containerCount();
    m_chain.setContainer(valid ? store : nullptr, valid ? row : -1);
    if (!valid) {
        m_chainTitle->setText(tr("Layer chain (top first)"));
        m_warning->hide();
        return;
    }
    const StoreContainer &c = store->containerAt(row);
    m_chainTitle->setText(m_chain.error().isEmpty()
            ? tr("Layer chain of %1, top first").arg(c.displayName())
            : tr("Layer chain of %1: %2").arg(c.displayName(), m_chain.error()));
    StoreViews::fitColumns(m_chainView, 540);

    const QString user = c.user.isEmpty() ? tr("root (no USER)") : c.user;
    m_warning->setText(
        tr("<b>⚠ Danger: writable from outside.</b> %1 is this container's filesystem as the host sees it "
           "(while it runs). Root on the host can change files there from outside the container, whatever its "
           "USER (<i>%2</i>) says, and the container sees the change at once; writing to diff/ directly is worse. "
           "Stratascope only reads these directories and never writes there.")
            .arg(QStringLiteral("<code>%1</code>").arg(c.mergedDir.toHtmlEscaped()), user.toHtmlEscaped()));
    m_warning->show();
    if (m_containerTabs->currentIndex() == 1)
        computeChanges(row);
}

void DockerPanel::showChanges()
{
    m_tabs->setCurrentIndex(1);
    if (m_containerTabs->currentIndex() == 1)
        computeChanges(m_containersView->currentIndex().row());
    else
        m_containerTabs->setCurrentIndex(1);
}

void DockerPanel::computeChanges(int row)
{
    const std::shared_ptr<const ImageStore> store = m_containers.store();
    if (!store || row < 0 || row >= store->containerCount()) {
        m_changesOf = -1;
        m_changes.setChanges(nullptr, {});
        m_changesStatus->setText(tr("Select a container."));
        return;
    }
    if (row == m_changesOf)
        return;
    m_changesOf = row;
    m_changes.setChanges(store, {});
    m_changesStatus->setText(tr("Comparing the container's view with its image's…"));
    m_diffPoll.start();
    m_diffJob.start(
        this,
        [store, row](ScanControl &control) {
            return std::make_shared<const Result<ContainerDiff::Output>>(ContainerDiff::compute(*store, row, &control));
        },
        [this, store](const DiffResult &result) { showDiff(store, result); });
}

void DockerPanel::showDiff(const std::shared_ptr<const ImageStore> &store, const DiffResult &result)
{
    m_diffPoll.stop();
    // Changes of a store read again since are of no use.
    if (store != m_containers.store())
        return;
    if (!*result) {
        m_changesStatus->setText(tr("⚠ Cannot compute the changes: %1").arg(result->error().message));
        Q_EMIT changesReady(false);
        return;
    }
    m_changes.setChanges(store, (*result)->changes);
    QString text = tr("%1 added, %2 changed, %3 deleted: what docker diff prints (the init layer's files are left "
                      "out).")
                       .arg(m_changes.count(ContainerChange::Kind::Added))
                       .arg(m_changes.count(ContainerChange::Kind::Changed))
                       .arg(m_changes.count(ContainerChange::Kind::Deleted));
    if (!(*result)->warnings.isEmpty())
        text += QLatin1Char(' ') + tr("Warnings: %1").arg((*result)->warnings.join(QStringLiteral("; ")));
    m_changesStatus->setText(text);
    StoreViews::fitColumns(m_changesView, 200);
    Q_EMIT changesReady(true);
}

QString DockerPanel::changesStatusText() const
{
    return m_changesStatus->text();
}

QString DockerPanel::containerWarningText() const
{
    if (m_warning->isHidden())
        return {};
    QTextDocument doc;
    doc.setHtml(m_warning->text());
    return doc.toPlainText();
}

bool DockerPanel::openImage(int row)
{
    const std::shared_ptr<const ImageStore> &store = m_images.store();
    const qsizetype image = m_images.imageIndex(row);
    if (image < 0)
        return false;
    return openStack(*store, tr("image %1").arg(store->imageAt(image).displayName()), store->imageMergeLayers(image));
}

bool DockerPanel::openLayerRow(int row)
{
    const std::shared_ptr<const ImageStore> &store = m_layers.store();
    const int k = m_layers.layerIndex(row);
    if (k < 0)
        return false;
    auto layers = store->layerMergeLayers(m_layers.image(), k);
    if (!layers)
        return false;
    Q_EMIT openLayers(*layers,
        tr("Layer %1 of %2 alone").arg(k).arg(store->imageAt(m_layers.image()).displayName()),
        store->mergeOptions());
    return true;
}

bool DockerPanel::openContainer(int row)
{
    const std::shared_ptr<const ImageStore> &store = m_containers.store();
    if (!store || row < 0 || row >= store->containerCount())
        return false;
    return openStack(
        *store, tr("container %1").arg(store->containerAt(row).displayName()), store->containerMergeLayers(row));
}

bool DockerPanel::openStack(const ImageStore &store, const QString &what, const Result<MergeLayers> &layers)
{
    if (!layers) {
        setStatus(tr("Cannot show %1: %2").arg(what, layers.error().message), true);
        return false;
    }
    Q_EMIT openLayers(*layers, store.kindName() + QLatin1Char(' ') + what, store.mergeOptions());
    return true;
}

bool DockerPanel::openRef(const QString &ref)
{
    if (!m_host)
        return false;
    if (auto c = m_host->containerIndex(ref)) {
        m_tabs->setCurrentIndex(1);
        selectContainer(static_cast<int>(*c));
        return openContainer(static_cast<int>(*c));
    }
    if (auto i = m_host->imageIndex(ref); i && m_images.rowOf(*i) >= 0) {
        selectImage(m_images.rowOf(*i));
        return openImage(m_images.rowOf(*i));
    }
    setStatus(tr("No container or image named \"%1\"").arg(ref), true);
    return false;
}

// --- find / grep ---------------------------------------------------------------------------

void DockerPanel::startFind(const QString &glob)
{
    startSearch(false, glob);
}

void DockerPanel::startGrep(const QString &text)
{
    startSearch(true, text);
}

void DockerPanel::cancelSearch()
{
    m_search.cancel();
}

void DockerPanel::startSearch(bool grep, const QString &what)
{
    if (what.isEmpty()) {
        m_searchStatus->setText(tr("Type a glob (Find) or a text (Grep) first."));
        return;
    }
    if (!m_host) {
        m_searchStatus->setText(tr("Read a Docker root first."));
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
    m_search.start(m_host, grep, what);
}

void DockerPanel::showSearchProgress()
{
    // The columns fit the first hits; later ones do not make them jump.
    if (!m_resultsFitted && m_results.rowCount() > 0) {
        StoreViews::fitColumns(m_resultsView, 360);
        m_resultsFitted = true;
    }
    if (m_search.isRunning())
        m_searchStatus->setText(
            tr("Searching… %L1 files in %L2 directories, %n match(es)", nullptr, m_search.hitCount())
                .arg(m_search.files())
                .arg(m_search.directories()));
}

void DockerPanel::finishSearch(const StoreSearch::Outcome &o)
{
    m_findButton->setEnabled(true);
    m_grepButton->setEnabled(true);
    m_cancelButton->setEnabled(false);
    m_searchBusy->hide();
    if (!m_resultsFitted)
        StoreViews::fitColumns(m_resultsView, 360);
    const QString counts = tr("%L1 files in %L2 directories searched").arg(o.files).arg(o.directories);
    QString text;
    if (o.completed)
        text = tr("✔ Done: %n match(es); %1.", nullptr, o.hits).arg(counts);
    else if (o.cancelled)
        text = tr("✖ Cancelled: %n match(es) so far; %1.", nullptr, o.hits).arg(counts);
    else
        text = tr("⚠ Stopped: %1 (%2).").arg(o.error, counts);
    if (o.hits > m_results.rowCount())
        text += tr(" The first %L1 are listed.").arg(m_results.rowCount());
    m_searchStatus->setText(text);
    if (!o.problems.isEmpty())
        setProblems((m_host ? m_host->problems() : StoreProblems()) + o.problems);
    Q_EMIT searchFinished(o.completed, o.hits);
}

QString DockerPanel::searchStatusText() const
{
    return m_searchStatus->text();
}

} // namespace strata
