// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/analysis/imageanalysis.h"
#include "core/util/result.h"
#include "core/util/status.h"
#include "ui/common/backgroundjob.h"
#include "ui/images/analysistree.h"
#include "ui/images/analysistreemodel.h"
#include "ui/images/inefficientfilesmodel.h"

#include <QSortFilterProxyModel>
#include <QTimer>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QSplitter;
class QTreeView;

namespace strata
{

class AnalysisTreemap;
class ImageStore;
class LayerBarChart;

/// Analysis of one image of any ImageStore (docs/analysis.md, "In the window"): dive's
/// figures in one line, the layer sizes as bars, dive's layer tree for the layer chosen there
/// (A/M/D marks, changes only or not, this layer alone or aggregated, sorted, filtered), the
/// merged image as a treemap with the inefficient paths hatched, and dive's inefficient-file
/// table. The analysis runs off the GUI thread (ImageAnalyzer with its changes), with progress
/// and Cancel; a cancel or an error says so and keeps what was shown.
class AnalysisView final : public QWidget
{
    Q_OBJECT
public:
    explicit AnalysisView(QWidget *parent = nullptr);
    ~AnalysisView() override;

    /// Analyses image `image` of `store` (the last analysis stays shown until it is done).
    void analyze(std::shared_ptr<const ImageStore> store, qsizetype image);
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_job.isRunning(); }
    /// The analysis shown (null before the first one is done).
    [[nodiscard]] const ImageAnalysis *analysis() const { return m_analysis.get(); }
    [[nodiscard]] const std::shared_ptr<const ImageStore> &store() const { return m_store; }
    [[nodiscard]] qsizetype image() const { return m_image; }

    [[nodiscard]] QString stateText() const;
    [[nodiscard]] QString summaryText() const;
    [[nodiscard]] QString summaryToolTip() const;

    /// The layer dive's tree shows (0 is the bottom).
    void selectLayer(int layer);
    [[nodiscard]] int selectedLayer() const { return m_view.layer; }
    void setAggregate(bool on);
    void setChangesOnly(bool on);
    void setFilter(const QString &text);
    void setSortBySize(bool bySize);
    /// Selects `path` in the layer tree and the inefficient files where they list it; false
    /// when neither does.
    bool selectPath(const QString &path);
    /// The treemap of what layers above layer 0 hold, or of the whole image.
    void setUserLayersOnly(bool on);

    [[nodiscard]] AnalysisTreeModel *treeModel() { return &m_tree; }
    [[nodiscard]] QSortFilterProxyModel *treeProxy() { return &m_treeProxy; }
    [[nodiscard]] InefficientFilesModel *filesModel() { return &m_files; }
    [[nodiscard]] QSortFilterProxyModel *filesProxy() { return &m_filesProxy; }
    [[nodiscard]] LayerBarChart *chart() const { return m_chart; }
    [[nodiscard]] AnalysisTreemap *treemap() const { return m_treemap; }
    [[nodiscard]] QTreeView *treeView() const { return m_treeView; }
    [[nodiscard]] QTreeView *filesView() const { return m_filesView; }

    /// The report as `strata … analyze --json` writes it.
    [[nodiscard]] Status exportJson(const QString &file) const;
    /// The bar chart or the treemap, PNG or SVG by the file's suffix.
    [[nodiscard]] Status exportChart(const QString &file) const;
    [[nodiscard]] Status exportTreemap(const QString &file) const;

Q_SIGNALS:
    /// An analysis is over: shown (`ok`), or failed or cancelled (stateText() says which).
    void finished(bool ok);
    /// A path double-clicked in the tree, the table or the treemap: to show in the layer columns.
    void pathChosen(const QString &path);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Outcome {
        Result<ImageAnalysis> analysis;
        std::shared_ptr<const AnalysisTree> merged;
        std::shared_ptr<const AnalysisTree> layerTree;
    };
    using OutcomePtr = std::shared_ptr<const Outcome>;

    void buildUi();
    [[nodiscard]] QWidget *buildHeader();
    [[nodiscard]] QWidget *buildTreePage();
    [[nodiscard]] QWidget *buildFilesPage();
    void connectPaths();
    void showOutcome(const OutcomePtr &outcome);
    void fitChart();
    void showSummary();
    void showLayerTree(std::shared_ptr<const AnalysisTree> tree = nullptr);
    void showProgress();
    void setState(const QString &text, bool running);
    void askExport(int what);
    void showTreemap();
    [[nodiscard]] QWidget *buildTreemapPage();

    std::shared_ptr<const ImageStore> m_store;
    qsizetype m_image = -1;
    std::shared_ptr<const ImageStore> m_shownStore; // the store of the analysis shown
    std::shared_ptr<const ImageAnalysis> m_analysis;
    std::shared_ptr<const AnalysisTree> m_merged; // the whole image's, made with the analysis
    AnalysisTree::View m_view;
    AnalysisTreeModel m_tree;
    QSortFilterProxyModel m_treeProxy;
    InefficientFilesModel m_files;
    QSortFilterProxyModel m_filesProxy;
    BackgroundJob<OutcomePtr> m_job;
    QTimer m_poll;
    bool m_fitPending = false;

    QLabel *m_title = nullptr;
    QLabel *m_state = nullptr;
    QProgressBar *m_busy = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_summary = nullptr;
    QSplitter *m_left = nullptr;
    LayerBarChart *m_chart = nullptr;
    QScrollArea *m_chartScroll = nullptr;
    AnalysisTreemap *m_treemap = nullptr;
    QLabel *m_treeTitle = nullptr;
    QCheckBox *m_changesOnly = nullptr;
    QCheckBox *m_aggregate = nullptr;
    QComboBox *m_sort = nullptr;
    QLineEdit *m_filter = nullptr;
    QTreeView *m_treeView = nullptr;
    QTreeView *m_filesView = nullptr;
    QLabel *m_treemapNote = nullptr;
    QCheckBox *m_userOnly = nullptr;
};

} // namespace strata
