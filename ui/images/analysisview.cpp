// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/images/analysisview.h"

#include "core/analysis/analysisjson.h"
#include "core/analysis/imageanalyzer.h"
#include "core/image/imagestore.h"
#include "ui/common/sectiontitle.h"
#include "ui/common/viewexporter.h"
#include "ui/images/analysistreemap.h"
#include "ui/images/layerbarchart.h"
#include "ui/images/storeformat.h"
#include "ui/images/storeviews.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include <cerrno>
#include <cmath>

namespace strata
{

namespace
{

enum Export { ReportJson, ChartImage, TreemapImage };

QString percentText(double ratio)
{
    return std::isfinite(ratio) ? QStringLiteral("%1 %").arg(ratio * 100, 0, 'f', 2) : QString::number(ratio);
}

QSet<QByteArray> pathsOf(const QVector<FileReference> &refs)
{
    QSet<QByteArray> out;
    for (const FileReference &r : refs)
        out.insert(r.path);
    return out;
}

} // namespace

AnalysisView::AnalysisView(QWidget *parent) : QWidget(parent)
{
    m_treeProxy.setSourceModel(&m_tree);
    m_treeProxy.setRecursiveFilteringEnabled(true);
    m_treeProxy.setFilterRole(AnalysisTreeModel::PathRole);
    m_treeProxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_treeProxy.setSortRole(AnalysisTreeModel::SortRole);
    m_filesProxy.setSourceModel(&m_files);
    m_filesProxy.setSortRole(InefficientFilesModel::SortRole);
    buildUi();
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &AnalysisView::showProgress);
}

AnalysisView::~AnalysisView()
{
    m_job.stop();
}

void AnalysisView::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(buildHeader());
    m_summary = StoreViews::statusLabel(tr("Select an image and press Analyze."), QStringLiteral("analysisSummary"));
    layout->addWidget(m_summary);

    auto *split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("analysisSplit"));
    auto *left = new QSplitter(Qt::Vertical);
    m_left = left;
    m_chart = new LayerBarChart;
    m_chart->setObjectName(QStringLiteral("analysisChart"));
    auto *scroll = new QScrollArea;
    m_chartScroll = scroll;
    scroll->setWidget(m_chart);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    left->addWidget(StoreViews::titledBox(
        new SectionTitle(tr("Layer sizes, bottom first (click a layer: its tree below)")), scroll, 1));
    left->addWidget(buildTreePage());
    left->setStretchFactor(0, 2);
    left->setStretchFactor(1, 3);
    split->addWidget(left);

    auto *tabs = new QTabWidget;
    tabs->setObjectName(QStringLiteral("analysisTabs"));
    tabs->addTab(buildTreemapPage(), tr("Treemap of the image"));
    tabs->addTab(buildFilesPage(), tr("Inefficient files"));
    split->addWidget(tabs);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);
    connectPaths();
}

// What is analysed, how it goes, and what to do with it.
QWidget *AnalysisView::buildHeader()
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new SectionTitle(tr("Analysis"));
    layout->addWidget(m_title);
    m_state = StoreViews::statusLabel(QString(), QStringLiteral("analysisState"));
    layout->addWidget(m_state, 1);
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->hide();
    layout->addWidget(m_busy);
    m_cancel = StoreViews::iconButton(
        this, QStyle::SP_DialogCancelButton, tr("Cancel"), tr("Stop the analysis"), QStringLiteral("analysisCancel"));
    m_cancel->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, &AnalysisView::cancel);
    layout->addWidget(m_cancel);
    m_export = StoreViews::iconButton(this,
        QStyle::SP_DialogSaveButton,
        tr("Export"),
        tr("The report as JSON (what strata … analyze --json writes), the chart or the treemap as PNG or SVG"),
        QStringLiteral("analysisExport"));
    auto *menu = new QMenu(m_export);
    menu->addAction(tr("Report as JSON…"), this, [this] { askExport(ReportJson); });
    menu->addAction(tr("Layer chart as PNG or SVG…"), this, [this] { askExport(ChartImage); });
    menu->addAction(tr("Treemap as PNG or SVG…"), this, [this] { askExport(TreemapImage); });
    m_export->setMenu(menu);
    m_export->setEnabled(false);
    layout->addWidget(m_export);
    return row;
}

// dive's layer tree of the layer chosen in the chart.
QWidget *AnalysisView::buildTreePage()
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 4, 0, 0);
    m_treeTitle = new SectionTitle(tr("Layer tree"));
    layout->addWidget(m_treeTitle);
    auto *row = new QHBoxLayout;
    m_changesOnly = new QCheckBox(tr("Changes only"));
    m_changesOnly->setObjectName(QStringLiteral("analysisChangesOnly"));
    m_changesOnly->setToolTip(tr("Only what was added (A), modified (M) or removed (D); off: the unchanged files too"));
    m_changesOnly->setChecked(m_view.changesOnly);
    connect(m_changesOnly, &QCheckBox::toggled, this, &AnalysisView::setChangesOnly);
    m_aggregate = new QCheckBox(tr("Aggregate"));
    m_aggregate->setObjectName(QStringLiteral("analysisAggregate"));
    m_aggregate->setToolTip(tr("What layers 1 up to this one changed against layer 0 (dive's aggregated view); "
                               "off: this layer alone against the layers below"));
    connect(m_aggregate, &QCheckBox::toggled, this, &AnalysisView::setAggregate);
    m_sort = new QComboBox;
    m_sort->setObjectName(QStringLiteral("analysisSort"));
    m_sort->addItems({tr("Largest first"), tr("By name")});
    connect(m_sort, &QComboBox::currentIndexChanged, this, [this](int i) { setSortBySize(i == 0); });
    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("analysisFilter"));
    m_filter->setPlaceholderText(tr("Filter paths"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, &AnalysisView::setFilter);
    row->addWidget(m_changesOnly);
    row->addWidget(m_aggregate);
    row->addWidget(m_sort);
    row->addWidget(m_filter, 1);
    layout->addLayout(row);
    m_treeView = StoreViews::table(&m_treeProxy, QStringLiteral("analysisTree"));
    m_treeView->setRootIsDecorated(true);
    m_treeView->setUniformRowHeights(true);
    m_treeView->setSortingEnabled(true);
    m_treeView->header()->setStretchLastSection(false);
    m_treeView->header()->setSectionResizeMode(AnalysisTreeModel::NameColumn, QHeaderView::Stretch);
    for (int c = AnalysisTreeModel::ChangeColumn; c < AnalysisTreeModel::ColumnCount; ++c)
        m_treeView->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    layout->addWidget(m_treeView, 1);
    setSortBySize(true);
    return box;
}

QWidget *AnalysisView::buildTreemapPage()
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 4, 0, 0);
    m_userOnly = new QCheckBox(tr("Only what layers above layer 0 hold (the user size)"));
    m_userOnly->setObjectName(QStringLiteral("analysisUserOnly"));
    m_userOnly->setToolTip(tr("Leave out the base image's files, which often hide the waste by their size"));
    connect(m_userOnly, &QCheckBox::toggled, this, &AnalysisView::setUserLayersOnly);
    layout->addWidget(m_userOnly);
    m_treemapNote = StoreViews::statusLabel(QString(), QStringLiteral("analysisTreemapNote"));
    layout->addWidget(m_treemapNote);
    m_treemap = new AnalysisTreemap;
    m_treemap->setObjectName(QStringLiteral("analysisTreemap"));
    layout->addWidget(m_treemap, 1);
    return box;
}

QWidget *AnalysisView::buildFilesPage()
{
    m_filesView = StoreViews::table(&m_filesProxy, QStringLiteral("analysisFiles"));
    m_filesView->setSortingEnabled(true);
    m_filesView->sortByColumn(InefficientFilesModel::WastedColumn, Qt::DescendingOrder);
    m_filesView->header()->setStretchLastSection(false);
    m_filesView->header()->setSectionResizeMode(InefficientFilesModel::PathColumn, QHeaderView::Stretch);
    m_filesView->header()->setSectionResizeMode(InefficientFilesModel::CountColumn, QHeaderView::ResizeToContents);
    m_filesView->header()->setSectionResizeMode(InefficientFilesModel::WastedColumn, QHeaderView::ResizeToContents);
    auto *note = StoreViews::statusLabel(tr("dive's inefficient files: paths in two or more layers, with the bytes "
                                            "of all their copies. Double-click: the path in the layer columns."),
        QStringLiteral("analysisFilesNote"));
    return StoreViews::titledBox(note, m_filesView, 1);
}

// A double-click anywhere shows the path in the layer columns.
void AnalysisView::connectPaths()
{
    connect(m_chart, &LayerBarChart::barClicked, this, &AnalysisView::selectLayer);
    connect(m_treemap, &AnalysisTreemap::pathActivated, this, &AnalysisView::pathChosen);
    connect(m_treemap, &AnalysisTreemap::pathClicked, this, &AnalysisView::selectPath);
    connect(m_treeView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) {
        Q_EMIT pathChosen(i.data(AnalysisTreeModel::PathRole).toString());
    });
    connect(m_filesView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) {
        Q_EMIT pathChosen(i.data(InefficientFilesModel::PathRole).toString());
    });
}

void AnalysisView::setState(const QString &text, bool running)
{
    m_state->setText(text);
    m_busy->setVisible(running);
    m_cancel->setEnabled(running);
}

QString AnalysisView::stateText() const
{
    return m_state->text();
}

void AnalysisView::analyze(std::shared_ptr<const ImageStore> store, qsizetype image)
{
    if (!store || image < 0 || image >= store->imageCount())
        return;
    if (store != m_store || image != m_image)
        m_view.layer = 0;
    m_store = std::move(store);
    m_image = image;
    const QString name = m_store->imageAt(image).displayName();
    m_title->setText(tr("Analysis of %1").arg(name));
    setState(tr("Analysing %1…").arg(name), true);
    m_poll.start();
    m_job.start(
        this,
        [s = m_store, image, view = m_view](ScanControl &control) {
            auto outcome = std::make_shared<Outcome>(
                Outcome {ImageAnalyzer::analyze(*s, image, &control, true), nullptr, nullptr});
            if (outcome->analysis && !control.isCancelled()) {
                outcome->merged = AnalysisTree::merged(*outcome->analysis);
                outcome->layerTree = AnalysisTree::build(*outcome->analysis, view);
            }
            return OutcomePtr(outcome);
        },
        [this](const OutcomePtr &outcome) { showOutcome(outcome); });
}

void AnalysisView::cancel()
{
    m_job.cancel();
}

void AnalysisView::showProgress()
{
    if (const ScanControl *c = m_job.control(); c && m_job.isRunning() && m_store)
        setState(tr("Analysing… %L1 entries read in %n layer(s)", nullptr, int(m_store->imageLayerCount(m_image)))
                     .arg(c->entries()),
            true);
}

void AnalysisView::showOutcome(const OutcomePtr &outcome)
{
    m_poll.stop();
    // A cancel asked for after the work was over still counts: the user said stop.
    const bool cancelled = m_job.control() && m_job.control()->isCancelled();
    const QString kept = m_analysis ? tr(" The analysis shown is the last one completed.") : QString();
    if (cancelled || !outcome->analysis) {
        setState(cancelled ? tr("✖ Cancelled.") + kept
                           : tr("⚠ Cannot analyse: %1.").arg(outcome->analysis.error().message) + kept,
            false);
        Q_EMIT finished(false);
        return;
    }
    m_analysis = std::make_shared<const ImageAnalysis>(*outcome->analysis);
    m_shownStore = m_store;
    const ImageAnalysis &a = *m_analysis;
    QVector<LayerBarChart::Bar> bars;
    for (const LayerAnalysis &l : a.layers)
        bars.push_back({QStringLiteral("%1  %2").arg(l.index).arg(l.command.simplified()), l.sizeBytes});
    m_chart->setBars(bars);
    fitChart();
    m_files.setReferences(a.fileReferences);
    m_merged = outcome->merged;
    showTreemap();
    m_chart->setSelected(m_view.layer < a.layers.size() ? m_view.layer : -1);
    showLayerTree(outcome->layerTree);
    showSummary();
    m_export->setEnabled(true);
    setState(a.warnings.isEmpty() ? tr("✔ Done: %n layer(s).", nullptr, int(a.layers.size()))
                                  : tr("⚠ Done, but: %1").arg(a.warnings.join(QStringLiteral("; "))),
        false);
    Q_EMIT finished(true);
}

// The chart as tall as its bars, up to half the column: the tree takes the rest.
void AnalysisView::fitChart()
{
    const int total = m_left->height();
    // Not laid out yet: when it is.
    m_fitPending = total <= 0;
    if (m_fitPending)
        return;
    const int chart = std::min(m_chart->sizeHint().height() + fontMetrics().height() + 12, total / 2);
    m_left->setSizes({chart, total - chart});
}

void AnalysisView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (m_fitPending)
        QTimer::singleShot(0, this, &AnalysisView::fitChart);
}

void AnalysisView::showTreemap()
{
    if (!m_analysis)
        return;
    const QSet<QByteArray> wasted = pathsOf(m_analysis->fileReferences);
    const auto tree = m_userOnly->isChecked() ? AnalysisTree::merged(*m_analysis, true) : m_merged;
    m_treemap->setTree(tree, wasted);
    const QVector<QByteArray> leaves = m_merged->leafPaths();
    const QSet<QByteArray> present(leaves.begin(), leaves.end());
    const int gone = int((wasted - present).size());
    m_treemapNote->setText(
        tr("Hatched, ⚠: in two or more layers (dive's inefficient files; %n more removed later). Double-click: in "
           "the layer columns.",
            nullptr,
            gone));
}

bool AnalysisView::selectPath(const QString &path)
{
    bool found = false;
    const auto select = [&path, &found](QTreeView *view, int role) {
        QAbstractItemModel *m = view->model();
        const QModelIndexList hit
            = m->match(m->index(0, 0), role, path, 1, Qt::MatchExactly | Qt::MatchRecursive | Qt::MatchCaseSensitive);
        if (hit.isEmpty())
            return;
        view->setCurrentIndex(hit.first());
        view->scrollTo(hit.first());
        found = true;
    };
    select(m_treeView, AnalysisTreeModel::PathRole);
    select(m_filesView, InefficientFilesModel::PathRole);
    return found;
}

void AnalysisView::setUserLayersOnly(bool on)
{
    const QSignalBlocker block(m_userOnly);
    m_userOnly->setChecked(on);
    showTreemap();
}

void AnalysisView::showSummary()
{
    m_summary->setText(summaryText());
    m_summary->setToolTip(summaryToolTip());
}

QString AnalysisView::summaryText() const
{
    if (!m_analysis)
        return {};
    const ImageAnalysis &a = *m_analysis;
    QString wasted = tr("wasted %1").arg(StoreFormat::size(a.inefficientBytes));
    if (a.wastedBytesOpaqueAware != a.inefficientBytes)
        wasted += tr(" (%1 counting opaque directories)").arg(StoreFormat::size(a.wastedBytesOpaqueAware));
    return tr("Size %1 · user size %2 · efficiency %3 · %4 · user wasted %5")
        .arg(StoreFormat::size(a.sizeBytes),
            StoreFormat::size(a.userSizeBytes),
            percentText(a.efficiency),
            wasted,
            percentText(a.userWastedPercent));
}

QString AnalysisView::summaryToolTip() const
{
    return tr("<b>Size</b>: the sum of every layer's tar header sizes (dive's image size).<br>"
              "<b>User size</b>: the same without layer 0, the base image.<br>"
              "<b>Efficiency</b>: Σ smallest copy per path ÷ Σ all copies per path; 100 % when no path is in "
              "two layers.<br>"
              "<b>Wasted</b>: dive's wasted bytes, every copy of each path in two or more layers, the surviving "
              "one included. In brackets, when it differs: the same with opaque directories "
              "(<code>.wh..wh..opq</code>) counted as deleting what they hide, which dive ignores.<br>"
              "<b>User wasted</b>: wasted ÷ user size, as dive's CI rule highestUserWastedPercent reads it.<br>"
              "See docs/analysis.md.");
}

void AnalysisView::showLayerTree(std::shared_ptr<const AnalysisTree> tree)
{
    if (!m_analysis || m_analysis->layers.isEmpty()) {
        m_tree.setTree(nullptr);
        return;
    }
    m_view.layer = std::clamp(m_view.layer, 0, int(m_analysis->layers.size()) - 1);
    m_tree.setTree(tree ? std::move(tree) : AnalysisTree::build(*m_analysis, m_view));
    const LayerAnalysis &l = m_analysis->layers[m_view.layer];
    const QString range = m_view.aggregate && m_view.layer > 0 ? tr("layers 1–%1 against layer 0").arg(m_view.layer)
                                                               : tr("layer %1 alone").arg(m_view.layer);
    m_treeTitle->setText(tr("Layer tree: %1 (%2 added, %3 modified, %4 removed in layer %5)")
                             .arg(range)
                             .arg(l.added)
                             .arg(l.modified)
                             .arg(l.removed)
                             .arg(l.index));
    m_treeTitle->setToolTip(l.command);
    // Small trees open whole; a big one would take long to lay out.
    if (m_tree.tree()->nodes().size() < 2000)
        m_treeView->expandAll();
    else
        m_treeView->expandToDepth(0);
}

void AnalysisView::selectLayer(int layer)
{
    m_view.layer = layer;
    m_chart->setSelected(layer);
    const int h = m_chart->sizeHint().height() / std::max<int>(1, int(m_chart->bars().size()));
    m_chartScroll->ensureVisible(0, layer * h + h / 2, 0, h);
    showLayerTree();
}

void AnalysisView::setAggregate(bool on)
{
    m_view.aggregate = on;
    const QSignalBlocker block(m_aggregate);
    m_aggregate->setChecked(on);
    showLayerTree();
}

void AnalysisView::setChangesOnly(bool on)
{
    m_view.changesOnly = on;
    const QSignalBlocker block(m_changesOnly);
    m_changesOnly->setChecked(on);
    showLayerTree();
}

void AnalysisView::setFilter(const QString &text)
{
    if (m_filter->text() != text)
        m_filter->setText(text);
    m_treeProxy.setFilterFixedString(text);
    if (!text.isEmpty())
        m_treeView->expandAll();
}

void AnalysisView::setSortBySize(bool bySize)
{
    const QSignalBlocker block(m_sort);
    m_sort->setCurrentIndex(bySize ? 0 : 1);
    m_treeView->sortByColumn(bySize ? AnalysisTreeModel::SizeColumn : AnalysisTreeModel::NameColumn,
        bySize ? Qt::DescendingOrder : Qt::AscendingOrder);
}

Status AnalysisView::exportJson(const QString &file) const
{
    if (!m_analysis || !m_shownStore)
        return Error {EINVAL, tr("Nothing analysed yet")};
    const std::string json = AnalysisJson::document(*m_shownStore, *m_analysis, false);
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(json.data(), qint64(json.size())) != qint64(json.size())
        || !out.commit())
        return Error {EIO, QStringLiteral("%1: %2").arg(file, out.errorString())};
    return {};
}

Status AnalysisView::exportChart(const QString &file) const
{
    return ViewExporter::save(m_chart, file, m_title->text(), tr("Layer sizes, bottom first"));
}

Status AnalysisView::exportTreemap(const QString &file) const
{
    return ViewExporter::save(
        m_treemap, file, m_title->text(), tr("The image by size; hatched and ⚠: inefficient paths"));
}

void AnalysisView::askExport(int what)
{
    const bool json = what == ReportJson;
    const QString file = QFileDialog::getSaveFileName(this,
        json ? tr("Export the Report") : tr("Export as PNG or SVG"),
        {},
        json ? tr("JSON (*.json)") : tr("PNG image (*.png);;SVG image (*.svg)"));
    if (file.isEmpty())
        return;
    const Status s = json ? exportJson(file) : what == ChartImage ? exportChart(file) : exportTreemap(file);
    setState(s ? tr("✔ Saved %1").arg(file) : tr("⚠ %1").arg(s.error().message), false);
}

} // namespace strata
