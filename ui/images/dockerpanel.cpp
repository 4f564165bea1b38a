// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockerpanel.h"

#include "core/fs/entrytype.h"
#include "core/image/docker/dockersearch.h"
#include "core/image/searchhit.h"
#include "core/util/scancontrol.h"

#include <QApplication>
#include <QCheckBox>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStyle>
#include <QTabWidget>
#include <QTextDocument>
#include <QThread>
#include <QTreeView>
#include <QVBoxLayout>

#include <mutex>

namespace strata
{

namespace
{

// Rows shown of one search; the rest are counted, not listed.
constexpr int MaxShownHits = 5000;

constexpr int RowRole = Qt::UserRole + 1;

QString sizeText(qint64 size)
{
    if (size < 0)
        return QObject::tr("unknown");
    // Docker prints sizes in SI units (kB, MB), like `docker images`.
    return QLocale().formattedDataSize(size, 1, QLocale::DataSizeSIFormat);
}

QString createdText(const QString &created)
{
    const QDateTime t = QDateTime::fromString(created.left(19), QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    if (!t.isValid())
        return created.isEmpty() ? QObject::tr("unknown") : created;
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QStringLiteral(" UTC");
}

QStandardItem *item(const QString &text, const QString &toolTip = {})
{
    auto *i = new QStandardItem(text);
    i->setEditable(false);
    i->setToolTip(toolTip.isEmpty() ? text : toolTip);
    return i;
}

QStandardItem *monoItem(const QString &text, const QString &toolTip = {})
{
    QStandardItem *i = item(text, toolTip);
    i->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return i;
}

QLabel *boldLabel(const QString &text)
{
    auto *l = new QLabel(text);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    return l;
}

QTreeView *tableView(QStandardItemModel *model, const QString &name)
{
    auto *v = new QTreeView;
    v->setObjectName(name);
    v->setModel(model);
    v->setRootIsDecorated(false);
    v->setUniformRowHeights(true);
    v->setAlternatingRowColors(true);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setSelectionMode(QAbstractItemView::SingleSelection);
    v->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->setTextElideMode(Qt::ElideMiddle);
    v->header()->setStretchLastSection(true);
    return v;
}

void fitColumns(QTreeView *view, int maxWidth = 420)
{
    const int n = view->model()->columnCount();
    for (int c = 0; c + 1 < n; ++c) {
        view->resizeColumnToContents(c);
        if (view->columnWidth(c) > maxWidth)
            view->setColumnWidth(c, maxWidth);
    }
}

} // namespace

/// Everything read on the loader thread, handed to the GUI thread in one piece.
struct DockerPanel::Snapshot {
    std::shared_ptr<const DockerHost> host;
    QString error;
    QString root;
    qint64 elapsedMs = 0;
    QHash<QString, QVector<DockerImageLayer>> layers; // image ID -> layers, bottom first
    QHash<QString, QStringList> users; // cache-id -> images (display names) whose layers include it
};

/// One find or grep: the worker fills `pending`, the GUI thread drains it.
struct DockerPanel::SearchRun {
    bool grep = false;
    QString what;
    ScanControl control;
    std::mutex mutex;
    QVector<SearchHit> pending;
    int hits = 0;
    bool done = false;
    bool completed = false;
    QString error;
    DockerProblems problems;
};

DockerPanel::DockerPanel(QWidget *parent)
    : QWidget(parent)
    , m_images(new QStandardItemModel(this))
    , m_layers(new QStandardItemModel(this))
    , m_containers(new QStandardItemModel(this))
    , m_chain(new QStandardItemModel(this))
    , m_results(new QStandardItemModel(this))
    , m_problems(new QStandardItemModel(this))
{
    m_images->setHorizontalHeaderLabels({tr("Image (tags)"), tr("ID"), tr("Created"), tr("Size"), tr("Layers")});
    m_layers->setHorizontalHeaderLabels(
        {tr("#"), tr("Instruction"), tr("Size"), tr("Shared"), tr("Short link"), tr("Directory (cache-id)")});
    m_containers->setHorizontalHeaderLabels({tr("Container"), tr("Image"), tr("State"), tr("User"), tr("ID")});
    m_chain->setHorizontalHeaderLabels({tr("Role"), tr("Directory"), tr("Short link"), tr("Instruction")});
    m_results->setHorizontalHeaderLabels({tr("Path"), tr("Kind"), tr("Layer"), tr("Used by"), tr("Match")});
    m_problems->setHorizontalHeaderLabels({tr("Problem")});
    buildUi();

    m_searchPoll.setInterval(100);
    connect(&m_searchPoll, &QTimer::timeout, this, &DockerPanel::drainSearch);
}

DockerPanel::~DockerPanel()
{
    stopSearch();
    stopLoader();
}

void DockerPanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    // The root, and how reading it goes.
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Docker root:")));
    m_rootEdit = new QLineEdit(DockerHost::defaultRoot());
    m_rootEdit->setObjectName(QStringLiteral("dockerRoot"));
    m_rootEdit->setToolTip(tr("A Docker data root (/var/lib/docker) or any copy of one. It is only read."));
    top->addWidget(m_rootEdit, 1);
    auto *browse = new QPushButton(style()->standardIcon(QStyle::SP_DirOpenIcon), tr("Choose…"));
    connect(browse, &QPushButton::clicked, this, &DockerPanel::chooseRoot);
    top->addWidget(browse);
    m_openButton = new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), tr("Read"));
    m_openButton->setObjectName(QStringLiteral("dockerRead"));
    m_openButton->setToolTip(tr("Read (or read again) the images, layers and containers of this root"));
    connect(m_openButton, &QPushButton::clicked, this, [this] { openRoot(m_rootEdit->text()); });
    connect(m_rootEdit, &QLineEdit::returnPressed, m_openButton, &QPushButton::click);
    top->addWidget(m_openButton);
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->hide();
    top->addWidget(m_busy);
    layout->addLayout(top);

    m_status = new QLabel(tr("Not read yet."));
    m_status->setObjectName(QStringLiteral("dockerStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    // Problems are never hidden: a label always says how many, the list shows them.
    m_problemsLabel = new QLabel;
    m_problemsLabel->setObjectName(QStringLiteral("dockerProblemsLabel"));
    m_problemsLabel->setWordWrap(true);
    layout->addWidget(m_problemsLabel);
    m_problemsView = new QListView;
    m_problemsView->setObjectName(QStringLiteral("dockerProblems"));
    m_problemsView->setModel(m_problems);
    m_problemsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problemsView->setTextElideMode(Qt::ElideMiddle);
    m_problemsView->setMaximumHeight(fontMetrics().height() * 5);
    m_problemsView->hide();
    layout->addWidget(m_problemsView);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("dockerTabs"));
    layout->addWidget(m_tabs, 1);

    // Images | the selected image's layer stack.
    auto *imagesSplit = new QSplitter(Qt::Vertical);
    auto *imagesBox = new QWidget;
    auto *imagesLayout = new QVBoxLayout(imagesBox);
    imagesLayout->setContentsMargins(0, 4, 0, 0);
    auto *imagesHead = new QHBoxLayout;
    imagesHead->addWidget(boldLabel(tr("Images (newest first; double-click: merged view)")), 1);
    m_buildSteps = new QCheckBox(tr("Show build steps (untagged parents)"));
    m_buildSteps->setObjectName(QStringLiteral("dockerBuildSteps"));
    m_buildSteps->setToolTip(tr("Like docker images -a: the intermediate images of local builds"));
    connect(m_buildSteps, &QCheckBox::toggled, this, [this] {
        fillImages();
        if (m_images->rowCount() > 0)
            selectImage(0);
    });
    imagesHead->addWidget(m_buildSteps);
    imagesLayout->addLayout(imagesHead);
    m_imagesView = tableView(m_images, QStringLiteral("dockerImages"));
    imagesLayout->addWidget(m_imagesView);
    imagesSplit->addWidget(imagesBox);
    auto *layersBox = new QWidget;
    auto *layersLayout = new QVBoxLayout(layersBox);
    layersLayout->setContentsMargins(0, 4, 0, 0);
    m_layersTitle = boldLabel(tr("Layers (top first)"));
    layersLayout->addWidget(m_layersTitle);
    m_layersView = tableView(m_layers, QStringLiteral("dockerLayers"));
    layersLayout->addWidget(m_layersView);
    imagesSplit->addWidget(layersBox);
    imagesSplit->setStretchFactor(0, 1);
    imagesSplit->setStretchFactor(1, 1);
    imagesSplit->setSizes({150, 150});
    m_tabs->addTab(imagesSplit, style()->standardIcon(QStyle::SP_DriveHDIcon), tr("Images"));

    // Containers | the selected container's chain and what to beware of.
    auto *containersSplit = new QSplitter(Qt::Vertical);
    auto *containersBox = new QWidget;
    auto *containersLayout = new QVBoxLayout(containersBox);
    containersLayout->setContentsMargins(0, 4, 0, 0);
    containersLayout->addWidget(boldLabel(tr("Containers (newest first; double-click: merged view)")));
    m_containersView = tableView(m_containers, QStringLiteral("dockerContainers"));
    containersLayout->addWidget(m_containersView);
    containersSplit->addWidget(containersBox);
    auto *chainBox = new QWidget;
    auto *chainLayout = new QVBoxLayout(chainBox);
    chainLayout->setContentsMargins(0, 4, 0, 0);
    m_chainTitle = boldLabel(tr("Layer chain (top first)"));
    chainLayout->addWidget(m_chainTitle);
    m_chainView = tableView(m_chain, QStringLiteral("dockerChain"));
    chainLayout->addWidget(m_chainView, 1);
    m_warning = new QLabel;
    m_warning->setObjectName(QStringLiteral("containerWarning"));
    m_warning->setWordWrap(true);
    m_warning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->setStyleSheet(QStringLiteral("QLabel { border: 2px solid #c0392b; padding: 4px; }"));
    m_warning->hide();
    chainLayout->addWidget(m_warning);
    containersSplit->addWidget(chainBox);
    containersSplit->setStretchFactor(0, 1);
    containersSplit->setStretchFactor(1, 2);
    containersSplit->setSizes({110, 220});
    m_tabs->addTab(containersSplit, style()->standardIcon(QStyle::SP_ComputerIcon), tr("Containers"));

    // find / grep across every overlay2 directory.
    auto *search = new QWidget;
    auto *searchLayout = new QVBoxLayout(search);
    searchLayout->setContentsMargins(0, 4, 0, 0);
    auto *searchRow = new QHBoxLayout;
    m_searchEdit = new QLineEdit;
    m_searchEdit->setObjectName(QStringLiteral("dockerSearch"));
    m_searchEdit->setPlaceholderText(tr("Find: a glob such as takbir.txt, *.conf or /app/*  —  Grep: text in files"));
    searchRow->addWidget(m_searchEdit, 1);
    m_findButton = new QPushButton(style()->standardIcon(QStyle::SP_FileDialogContentsView), tr("Find Paths"));
    m_findButton->setToolTip(tr("Which layers contain a path matching this glob (whiteouts included)"));
    m_grepButton = new QPushButton(style()->standardIcon(QStyle::SP_FileDialogDetailedView), tr("Grep Contents"));
    m_grepButton->setToolTip(tr("Which files, in which layers, contain this text"));
    m_cancelButton = new QPushButton(style()->standardIcon(QStyle::SP_DialogCancelButton), tr("Cancel"));
    m_cancelButton->setObjectName(QStringLiteral("dockerSearchCancel"));
    m_cancelButton->setEnabled(false);
    searchRow->addWidget(m_findButton);
    searchRow->addWidget(m_grepButton);
    searchRow->addWidget(m_cancelButton);
    m_searchBusy = new QProgressBar;
    m_searchBusy->setRange(0, 0);
    m_searchBusy->setMaximumWidth(120);
    m_searchBusy->hide();
    searchRow->addWidget(m_searchBusy);
    searchLayout->addLayout(searchRow);
    m_searchStatus = new QLabel(tr("Searches read every layer directory; nothing is written."));
    m_searchStatus->setObjectName(QStringLiteral("dockerSearchStatus"));
    searchLayout->addWidget(m_searchStatus);
    m_resultsView = tableView(m_results, QStringLiteral("dockerResults"));
    searchLayout->addWidget(m_resultsView, 1);
    m_tabs->addTab(search, style()->standardIcon(QStyle::SP_FileDialogContentsView), tr("Find && Grep"));

    connect(m_findButton, &QPushButton::clicked, this, [this] { startFind(m_searchEdit->text()); });
    connect(m_grepButton, &QPushButton::clicked, this, [this] { startGrep(m_searchEdit->text()); });
    connect(m_searchEdit, &QLineEdit::returnPressed, m_findButton, &QPushButton::click);
    connect(m_cancelButton, &QPushButton::clicked, this, &DockerPanel::cancelSearch);

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
    setProblems({});
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

bool DockerPanel::isLoading() const
{
    return m_loadThread && m_loadThread->isRunning();
}

void DockerPanel::stopLoader()
{
    if (m_loadThread) {
        // DockerHost::open reads small metadata files only; it is not interruptible.
        m_loadThread->wait();
        delete m_loadThread;
        m_loadThread = nullptr;
    }
}

void DockerPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(error ? QStringLiteral("⚠ ") + text : text);
    m_status->setStyleSheet(error ? QStringLiteral("QLabel { font-weight: bold; }") : QString());
}

void DockerPanel::openRoot(const QString &rootArg)
{
    const QString root = rootArg.isEmpty() ? DockerHost::defaultRoot() : rootArg;
    m_rootEdit->setText(root);
    stopSearch();
    stopLoader();
    const quint64 generation = ++m_loadGeneration;
    m_busy->show();
    m_openButton->setEnabled(false);
    setStatus(tr("Reading %1…").arg(root));
    m_loadThread = QThread::create([this, root, generation] {
        QElapsedTimer timer;
        timer.start();
        auto snapshot = std::make_shared<Snapshot>();
        snapshot->root = root;
        auto host = DockerHost::open(root);
        if (host) {
            auto h = std::make_shared<const DockerHost>(std::move(host.value()));
            for (const DockerImage &img : h->images()) {
                const QVector<DockerImageLayer> layers = h->imageLayers(img);
                snapshot->layers.insert(img.id, layers);
                // Build steps (untagged parents of other images) are not "users", as in DockerHost.
                if (img.isDangling() && img.hasChildren)
                    continue;
                for (const DockerImageLayer &l : layers) {
                    QStringList &users = snapshot->users[l.cacheId];
                    if (!l.cacheId.isEmpty() && !users.contains(img.displayName()))
                        users << img.displayName();
                }
            }
            snapshot->host = std::move(h);
        } else {
            snapshot->error = host.error().message;
        }
        snapshot->elapsedMs = timer.elapsed();
        std::shared_ptr<const Snapshot> done = std::move(snapshot);
        QMetaObject::invokeMethod(
            this,
            [this, done, generation] {
                if (generation == m_loadGeneration)
                    showSnapshot(done);
            },
            Qt::QueuedConnection);
    });
    m_loadThread->start();
}

void DockerPanel::showLoadError(const QString &message)
{
    m_host.reset();
    m_snapshot.reset();
    m_images->removeRows(0, m_images->rowCount());
    m_layers->removeRows(0, m_layers->rowCount());
    m_containers->removeRows(0, m_containers->rowCount());
    m_chain->removeRows(0, m_chain->rowCount());
    m_warning->hide();
    setProblems({DockerProblem {QString(), message}});
    setStatus(tr("Cannot read this Docker root: %1").arg(message), true);
}

void DockerPanel::showSnapshot(const std::shared_ptr<const Snapshot> &snapshot)
{
    m_busy->hide();
    m_openButton->setEnabled(true);
    if (!snapshot->host) {
        showLoadError(snapshot->error);
        Q_EMIT loaded(false);
        return;
    }
    m_snapshot = snapshot;
    m_host = snapshot->host;
    const DockerHost &host = *m_host;

    fillImages();

    m_containers->removeRows(0, m_containers->rowCount());
    for (int r = 0; r < host.containers().size(); ++r) {
        const DockerContainer &c = host.containers().at(r);
        QStandardItem *name = item(c.displayName(), c.id);
        name->setData(r, RowRole);
        const bool bad = !c.error.isEmpty() || !c.problems.isEmpty();
        name->setIcon(style()->standardIcon(bad ? QStyle::SP_MessageBoxWarning
                : c.running                     ? QStyle::SP_MediaPlay
                                                : QStyle::SP_MediaStop));
        if (bad)
            name->setToolTip(
                tr("Problems:\n%1").arg((QStringList {c.error} + c.problems).join(QLatin1Char('\n')).trimmed()));
        QString state = c.status.isEmpty() ? tr("unknown") : c.status;
        if (c.status == QLatin1String("exited"))
            state += QStringLiteral(" (%1)").arg(c.exitCode);
        m_containers->appendRow({name,
            item(c.image.isEmpty() ? c.imageId.mid(7, 12) : c.image, c.imageId),
            item(state),
            item(c.user.isEmpty() ? tr("root (no USER)") : c.user),
            monoItem(c.shortId(), c.id)});
    }
    setProblems(host.problems());

    int steps = 0;
    for (const DockerImage &img : host.images())
        steps += img.isDangling() && img.hasChildren ? 1 : 0;
    const int imageCount = static_cast<int>(host.images().size()) - steps;
    setStatus(tr("%1: %n image(s) (+%2 build steps), %3 layer(s), %4 container(s), read in %5 ms. Read-only: "
                 "nothing here is ever written.",
        nullptr,
        imageCount)
                  .arg(host.root())
                  .arg(steps)
                  .arg(host.layers().size())
                  .arg(host.containers().size())
                  .arg(snapshot->elapsedMs));
    fitColumns(m_containersView);
    m_shownLayersOf = -1;
    m_layers->removeRows(0, m_layers->rowCount());
    m_chain->removeRows(0, m_chain->rowCount());
    m_warning->hide();
    if (m_images->rowCount() > 0)
        selectImage(0);
    if (m_containers->rowCount() > 0)
        selectContainer(0);
    Q_EMIT loaded(true);
}

void DockerPanel::fillImages()
{
    m_shownLayersOf = -1;
    m_layers->removeRows(0, m_layers->rowCount());
    m_images->removeRows(0, m_images->rowCount());
    if (!m_host || !m_snapshot)
        return;
    const QIcon imageIcon = style()->standardIcon(QStyle::SP_DriveHDIcon);
    const QIcon warnIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (int r = 0; r < m_host->images().size(); ++r) {
        const DockerImage &img = m_host->images().at(r);
        if (img.isDangling() && img.hasChildren && !m_buildSteps->isChecked())
            continue;
        const QVector<DockerImageLayer> layers = m_snapshot->layers.value(img.id);
        int shared = 0;
        for (const DockerImageLayer &l : layers)
            shared += m_snapshot->users.value(l.cacheId).size() > 1 ? 1 : 0;
        QString tags = img.tags.join(QStringLiteral(", "));
        if (tags.isEmpty())
            tags = img.hasChildren ? tr("<none> (build step)") : tr("<none>");
        QStandardItem *name = item(tags, img.tags.join(QLatin1Char('\n')));
        name->setData(r, RowRole);
        const bool bad = !img.error.isEmpty() || !img.problems.isEmpty();
        name->setIcon(bad ? warnIcon : imageIcon);
        if (bad)
            name->setToolTip(
                tr("Problems:\n%1").arg((QStringList {img.error} + img.problems).join(QLatin1Char('\n')).trimmed()));
        QString layerText = QString::number(layers.size());
        if (shared > 0)
            layerText += tr(" (%n shared)", nullptr, shared);
        m_images->appendRow({name,
            monoItem(img.shortId(), img.id),
            item(createdText(img.created), img.created),
            item(sizeText(img.size), img.size >= 0 ? tr("%L1 bytes").arg(img.size) : QString()),
            item(layerText)});
    }

    fitColumns(m_imagesView, 560);
}

void DockerPanel::setProblems(const DockerProblems &problems)
{
    m_problems->removeRows(0, m_problems->rowCount());
    const QIcon warn = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const DockerProblem &p : problems) {
        QStandardItem *i = item(p.text());
        i->setIcon(warn);
        m_problems->appendRow(i);
    }
    const int n = m_problems->rowCount();
    m_problemsView->setVisible(n > 0);
    if (n == 0) {
        m_problemsLabel->setText(
            m_host ? tr("✔ No problems: every metadata file could be read and checked.") : QString());
        m_problemsLabel->setStyleSheet(QString());
    } else {
        m_problemsLabel->setText(
            tr("⚠ %n problem(s) while reading (unreadable or corrupt files, failed checks); everything else is "
               "shown:",
                nullptr,
                n));
        m_problemsLabel->setStyleSheet(QStringLiteral("QLabel { font-weight: bold; }"));
    }
}

bool DockerPanel::problemsVisible() const
{
    return m_problemsView->isVisibleTo(this) && m_problems->rowCount() > 0;
}

QString DockerPanel::statusText() const
{
    return m_status->text();
}

const DockerImage *DockerPanel::imageAt(int row) const
{
    if (!m_host || row < 0 || row >= m_images->rowCount())
        return nullptr;
    const int i = m_images->item(row, 0)->data(RowRole).toInt();
    return i >= 0 && i < m_host->images().size() ? &m_host->images().at(i) : nullptr;
}

const DockerContainer *DockerPanel::containerAt(int row) const
{
    if (!m_host || row < 0 || row >= m_containers->rowCount())
        return nullptr;
    const int i = m_containers->item(row, 0)->data(RowRole).toInt();
    return i >= 0 && i < m_host->containers().size() ? &m_host->containers().at(i) : nullptr;
}

void DockerPanel::selectImage(int row)
{
    const QModelIndex idx = m_images->index(row, 0);
    if (!idx.isValid())
        return;
    m_tabs->setCurrentIndex(0);
    m_imagesView->setCurrentIndex(idx);
    showImageLayers(row);
}

void DockerPanel::selectContainer(int row)
{
    const QModelIndex idx = m_containers->index(row, 0);
    if (!idx.isValid())
        return;
    m_containersView->setCurrentIndex(idx);
    showContainerChain(row);
}

void DockerPanel::showImageLayers(int row)
{
    if (row == m_shownLayersOf && m_layers->rowCount() > 0)
        return;
    m_layers->removeRows(0, m_layers->rowCount());
    m_shownLayersOf = row;
    const DockerImage *img = imageAt(row);
    if (!img) {
        m_layersTitle->setText(tr("Layers (top first)"));
        return;
    }
    m_layersTitle->setText(tr("Layers of %1, top first (double-click: that layer alone)").arg(img->displayName()));
    const QVector<DockerImageLayer> layers = m_snapshot->layers.value(img->id);
    const QIcon layerIcon = style()->standardIcon(QStyle::SP_DirClosedIcon);
    const QIcon sharedIcon = style()->standardIcon(QStyle::SP_FileLinkIcon);
    const QIcon warnIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (auto it = layers.crbegin(); it != layers.crend(); ++it) {
        const DockerImageLayer &l = *it;
        QStandardItem *index = item(QString::number(l.index),
            tr("Layer %1 (0 is the bottom)\ndiff ID %2\nchain ID %3").arg(l.index).arg(l.diffId, l.chainId));
        index->setData(l.index, RowRole);
        index->setIcon(l.problems.isEmpty() ? layerIcon : warnIcon);
        if (!l.problems.isEmpty())
            index->setToolTip(index->toolTip() + QStringLiteral("\n\n") + l.problems.join(QLatin1Char('\n')));
        QString instruction = l.createdBy;
        if (instruction.isEmpty())
            instruction = l.historyIndex < 0 ? tr("(unknown: history does not pair with layers)") : tr("(none)");
        QStandardItem *instr = monoItem(instruction,
            l.createdByRaw.isEmpty() ? instruction
                                     : tr("As stored (docker history --no-trunc):\n%1").arg(l.createdByRaw));
        const QStringList users = m_snapshot->users.value(l.cacheId);
        QStandardItem *shared = nullptr;
        if (users.size() > 1) {
            shared = item(tr("%n images", nullptr, static_cast<int>(users.size())),
                tr("Shared: the same directory is a layer of\n%1").arg(users.join(QLatin1Char('\n'))));
            shared->setIcon(sharedIcon);
        } else {
            shared = item(tr("this image only"));
        }
        m_layers->appendRow({index,
            instr,
            item(sizeText(l.size), l.size >= 0 ? tr("%L1 bytes").arg(l.size) : QString()),
            shared,
            monoItem(l.link.isEmpty() ? tr("(none)") : QStringLiteral("l/") + l.link,
                l.link.isEmpty() ? QString() : m_host->overlayRoot() + QStringLiteral("/l/") + l.link),
            monoItem(l.cacheId.isEmpty() ? tr("(not in the layer store)") : l.cacheId, l.diffDir)});
    }
    fitColumns(m_layersView, 460);
}

void DockerPanel::showContainerChain(int row)
{
    m_chain->removeRows(0, m_chain->rowCount());
    const DockerContainer *c = containerAt(row);
    if (!c) {
        m_chainTitle->setText(tr("Layer chain (top first)"));
        m_warning->hide();
        return;
    }
    m_chainTitle->setText(tr("Layer chain of %1, top first").arg(c->displayName()));

    // Instructions of the image's layers, by directory.
    QHash<QString, QPair<int, QString>> byDir;
    if (const DockerImage *img = m_host->imageById(c->imageId)) {
        for (const DockerImageLayer &l : m_snapshot->layers.value(img->id))
            byDir.insert(l.diffDir, {l.index, l.createdBy});
    }
    auto linkOf = [this](const QString &diffDir) {
        const QString name = diffDir.section(QLatin1Char('/'), -2, -2);
        const QString link = m_host->overlayDirs().value(name).link;
        return link.isEmpty() ? QString() : QStringLiteral("l/") + link;
    };
    auto addRow = [&](const QIcon &icon, const QString &role, const QString &diffDir, const QString &instruction) {
        QStandardItem *r = item(role);
        r->setIcon(icon);
        const QString name = diffDir.section(QLatin1Char('/'), -2, -2);
        m_chain->appendRow({r, monoItem(name, diffDir), monoItem(linkOf(diffDir)), monoItem(instruction)});
    };
    if (!c->upperDir.isEmpty())
        addRow(style()->standardIcon(QStyle::SP_DialogSaveButton),
            tr("upper (read-write)"),
            c->upperDir,
            tr("the container's changes"));
    for (const QString &d : c->lowerDirs) {
        if (d == c->initDir) {
            addRow(style()->standardIcon(QStyle::SP_FileIcon),
                tr("init (lower)"),
                d,
                tr("/etc/hosts, /etc/resolv.conf… set up by Docker"));
        } else {
            const auto l = byDir.value(d, {-1, QString()});
            addRow(style()->standardIcon(QStyle::SP_DirClosedIcon),
                l.first >= 0 ? tr("layer %1 (lower)").arg(l.first) : tr("lower"),
                d,
                l.second);
        }
    }
    fitColumns(m_chainView, 540);

    const QString user = c->user.isEmpty() ? tr("root (no USER)") : c->user;
    m_warning->setText(
        tr("<b>⚠ Danger: writable from outside.</b> %1 is this container's filesystem as the host sees it "
           "(while it runs). Root on the host can change files there from outside the container, whatever its "
           "USER (<i>%2</i>) says, and the container sees the change at once; writing to diff/ directly is worse. "
           "Stratascope only reads these directories and never writes there.")
            .arg(QStringLiteral("<code>%1</code>").arg(c->mergedDir.toHtmlEscaped()), user.toHtmlEscaped()));
    m_warning->show();
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
    const DockerImage *img = imageAt(row);
    if (!img)
        return false;
    auto layers = m_host->mergeLayers(*img);
    if (!layers) {
        setStatus(tr("Cannot show image %1: %2").arg(img->displayName(), layers.error().message), true);
        return false;
    }
    Q_EMIT openLayers(*layers, tr("Docker image %1").arg(img->displayName()));
    return true;
}

bool DockerPanel::openLayerRow(int row)
{
    const DockerImage *img = imageAt(m_shownLayersOf);
    if (!img || row < 0 || row >= m_layers->rowCount())
        return false;
    const int index = m_layers->item(row, 0)->data(RowRole).toInt();
    const QVector<DockerImageLayer> layers = m_snapshot->layers.value(img->id);
    if (index < 0 || index >= layers.size() || layers.at(index).cacheId.isEmpty())
        return false;
    const DockerImageLayer &l = layers.at(index);
    MergeLayer m;
    m.path = l.diffDir;
    m.name = QStringLiteral("layer %1 (%2)").arg(l.index).arg(l.cacheId.left(12));
    m.role = LayerRole::Lower;
    Q_EMIT openLayers({m}, tr("Layer %1 of %2 alone").arg(l.index).arg(img->displayName()));
    return true;
}

bool DockerPanel::openContainer(int row)
{
    const DockerContainer *c = containerAt(row);
    if (!c)
        return false;
    auto layers = m_host->mergeLayers(*c);
    if (!layers) {
        setStatus(tr("Cannot show container %1: %2").arg(c->displayName(), layers.error().message), true);
        return false;
    }
    Q_EMIT openLayers(*layers, tr("Docker container %1").arg(c->displayName()));
    return true;
}

bool DockerPanel::openRef(const QString &ref)
{
    if (!m_host)
        return false;
    if (auto c = m_host->findContainer(ref)) {
        for (int r = 0; r < m_containers->rowCount(); ++r) {
            if (containerAt(r) == *c) {
                m_tabs->setCurrentIndex(1);
                selectContainer(r);
                return openContainer(r);
            }
        }
    }
    if (auto i = m_host->findImage(ref)) {
        for (int r = 0; r < m_images->rowCount(); ++r) {
            if (imageAt(r) == *i) {
                selectImage(r);
                return openImage(r);
            }
        }
    }
    setStatus(tr("No container or image named \"%1\"").arg(ref), true);
    return false;
}

// --- find / grep ---------------------------------------------------------------------------

bool DockerPanel::isSearching() const
{
    return m_searchThread && m_searchThread->isRunning();
}

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
    if (m_search)
        m_search->control.cancel();
}

void DockerPanel::stopSearch()
{
    if (m_search)
        m_search->control.cancel();
    if (m_searchThread) {
        m_searchThread->wait();
        delete m_searchThread;
        m_searchThread = nullptr;
    }
    m_searchPoll.stop();
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
    stopSearch();
    m_tabs->setCurrentIndex(2);
    m_searchEdit->setText(what);
    m_results->removeRows(0, m_results->rowCount());
    m_results->setHeaderData(HitMatchColumn, Qt::Horizontal, grep ? tr("Line: match") : tr("Notes"));
    auto run = std::make_shared<SearchRun>();
    run->grep = grep;
    run->what = what;
    m_search = run;
    m_findButton->setEnabled(false);
    m_grepButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_searchBusy->show();
    m_searchStatus->setText(grep ? tr("Grep for \"%1\"…").arg(what) : tr("Finding %1…").arg(what));
    const std::shared_ptr<const DockerHost> host = m_host;
    m_searchThread = QThread::create([this, run, host] {
        DockerSearch search(*host);
        const DockerSearch::Sink sink = [&run](const SearchHit &h) {
            std::lock_guard lock(run->mutex);
            run->pending.push_back(h);
            ++run->hits;
            return true;
        };
        const Status st = run->grep ? search.grep(run->what.toUtf8(), sink, &run->control)
                                    : search.find(run->what, sink, &run->control);
        {
            std::lock_guard lock(run->mutex);
            run->done = true;
            run->completed = st.ok();
            if (!st.ok())
                run->error = st.error().message;
            run->problems = search.problems();
        }
        QMetaObject::invokeMethod(
            this,
            [this, run] {
                if (run == m_search)
                    finishSearch();
            },
            Qt::QueuedConnection);
    });
    m_searchPoll.start();
    m_searchThread->start();
}

void DockerPanel::drainSearch()
{
    if (!m_search)
        return;
    QVector<SearchHit> hits;
    int total = 0;
    {
        std::lock_guard lock(m_search->mutex);
        hits.swap(m_search->pending);
        total = m_search->hits;
    }
    const QIcon warnIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    const QIcon fileIcon = style()->standardIcon(QStyle::SP_FileIcon);
    const QIcon dirIcon = style()->standardIcon(QStyle::SP_DirIcon);
    for (const SearchHit &h : std::as_const(hits)) {
        if (m_results->rowCount() >= MaxShownHits)
            break;
        const QString path = QString::fromUtf8(h.path);
        QStandardItem *p = monoItem(path, h.dir + QStringLiteral("/diff") + path);
        p->setIcon(h.type == EntryType::Whiteout ? warnIcon : h.type == EntryType::Directory ? dirIcon : fileIcon);
        QString kind = entryTypeName(h.type);
        if (h.type == EntryType::Whiteout)
            kind = tr("whiteout (deleted)");
        if (h.opaque)
            kind += tr(" (opaque)");
        QString owner = h.container.isEmpty() ? h.images.join(QStringLiteral(", ")) : h.container;
        if (owner.isEmpty())
            owner = tr("no image");
        owner = QStringLiteral("%1: %2").arg(h.role, owner);
        QString match;
        if (m_search->grep)
            match = h.binary ? tr("binary file matches")
                             : QStringLiteral("%1: %2").arg(h.line).arg(QString::fromUtf8(h.text).trimmed());
        else if (h.type == EntryType::File)
            match = sizeText(h.size);
        m_results->appendRow({p, item(kind), monoItem(h.cacheId.left(12), h.dir), item(owner), monoItem(match)});
    }
    if (!hits.isEmpty() && m_results->rowCount() == static_cast<int>(hits.size()))
        fitColumns(m_resultsView, 360);
    if (!m_search->done || isSearching())
        m_searchStatus->setText(tr("Searching… %L1 files in %L2 directories, %n match(es)", nullptr, total)
                                    .arg(m_search->control.entries())
                                    .arg(m_search->control.directories()));
}

void DockerPanel::finishSearch()
{
    if (m_searchThread) {
        m_searchThread->wait();
        delete m_searchThread;
        m_searchThread = nullptr;
    }
    m_searchPoll.stop();
    drainSearch();
    const std::shared_ptr<SearchRun> run = m_search;
    m_findButton->setEnabled(true);
    m_grepButton->setEnabled(true);
    m_cancelButton->setEnabled(false);
    m_searchBusy->hide();
    const QString counts = tr("%L1 files in %L2 directories searched", nullptr)
                               .arg(run->control.entries())
                               .arg(run->control.directories());
    QString text;
    if (run->completed)
        text = tr("✔ Done: %n match(es); %1.", nullptr, run->hits).arg(counts);
    else if (run->control.isCancelled())
        text = tr("✖ Cancelled: %n match(es) so far; %1.", nullptr, run->hits).arg(counts);
    else
        text = tr("⚠ Stopped: %1 (%2).").arg(run->error, counts);
    if (run->hits > m_results->rowCount())
        text += tr(" The first %L1 are listed.").arg(m_results->rowCount());
    m_searchStatus->setText(text);
    if (!run->problems.isEmpty()) {
        DockerProblems all = m_host ? m_host->problems() : DockerProblems();
        all += run->problems;
        setProblems(all);
    }
    Q_EMIT searchFinished(run->completed, run->hits);
}

QString DockerPanel::searchStatusText() const
{
    return m_searchStatus->text();
}

} // namespace strata
