// SPDX-License-Identifier: GPL-2.0-or-later
// The Analysis view of Images & Containers (ui/images/analysisview): the figures it shows are
// ImageAnalyzer's, its models hold up under QAbstractItemModelTester, the layer tree's toggles
// and filter show the rows dive would, the treemap hatches exactly the inefficient paths, its
// exports are the CLI's JSON and real images, and Cancel stops the job.
#include "core/analysis/analysisjson.h"
#include "core/analysis/imageanalyzer.h"
#include "core/image/archive/archivestore.h"
#include "tests/support/datatable.h"
#include "tests/support/fakedockerroot.h"
#include "tests/support/fakeimagearchive.h"
#include "tests/support/require.h"
#include "tests/support/run.h"
#include "tests/support/sharedfixtures.h"
#include "ui/images/analysistreemap.h"
#include "ui/images/analysisview.h"
#include "ui/images/imagespanel.h"
#include "ui/images/layerbarchart.h"
#include "ui/images/storeformat.h"
#include "ui/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace strata;

namespace
{

const QString DiveImage = QStringLiteral("test-docker-image.tar");

// The archive of a row: "fake" (written here) or one of dive's test images (copied first).
QString archiveOf(const QTemporaryDir &tmp, const QString &name)
{
    if (name == QLatin1String("fake")) {
        test::FakeImageArchive fake;
        return fake.write(tmp.path()) ? fake.path : QString();
    }
    const QString from = test::sharedFixtures() + QStringLiteral("/public/dive/") + name;
    const QString to = tmp.filePath(name);
    return QFile::copy(from, to) ? to : QString();
}

bool haveDive()
{
    return QFileInfo::exists(test::sharedFixtures() + QStringLiteral("/public/dive/") + DiveImage);
}

// One row for the fake archive, one for dive's test image where it is (CI: it must be).
void archiveRows()
{
    QTest::addColumn<QString>("archive");
    QTest::newRow("fake archive") << QStringLiteral("fake");
    if (haveDive())
        QTest::newRow("dive's test image") << DiveImage;
    else if (test::inCi())
        QFAIL("CI=true: dive's test images in ../shared/fixtures/public/dive");
    else
        qInfo("no dive's test images in ../shared/fixtures/public/dive: their rows are left out");
}

// The leaves (rows without children) under `parent` of a tree model.
int leaves(const QAbstractItemModel *m, const QModelIndex &parent = {})
{
    int n = 0;
    for (int r = 0; r < m->rowCount(parent); ++r) {
        const QModelIndex i = m->index(r, 0, parent);
        n += m->rowCount(i) == 0 ? 1 : leaves(m, i);
    }
    return n;
}

struct Opened {
    std::shared_ptr<const ArchiveStore> store;
    ImageAnalysis expected;
};

Opened open(const QString &path)
{
    auto store = ArchiveStore::open(path);
    if (!store)
        return {};
    auto a = ImageAnalyzer::analyze(**store, 0, nullptr, true);
    return a ? Opened {*store, *a} : Opened {};
}

bool analyse(AnalysisView &view, const Opened &o)
{
    QSignalSpy done(&view, &AnalysisView::finished);
    view.analyze(o.store, 0);
    return done.wait(60000) && done.first().first().toBool();
}

} // namespace

class TestAnalysisView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaryIsTheAnalyzers_data() { archiveRows(); }

    void summaryIsTheAnalyzers()
    {
        QFETCH(QString, archive);
        QTemporaryDir tmp;
        const Opened o = open(archiveOf(tmp, archive));
        QVERIFY(o.store);
        AnalysisView view;
        QVERIFY(analyse(view, o));
        const ImageAnalysis &a = *view.analysis();
        QCOMPARE(a.sizeBytes, o.expected.sizeBytes);
        QCOMPARE(a.userSizeBytes, o.expected.userSizeBytes);
        QCOMPARE(a.inefficientBytes, o.expected.inefficientBytes);
        QCOMPARE(a.efficiency, o.expected.efficiency);
        QCOMPARE(a.wastedBytesOpaqueAware, o.expected.wastedBytesOpaqueAware);
        QCOMPARE(a.fileReferences.size(), o.expected.fileReferences.size());
        const QString summary = view.summaryText();
        for (const QString &part : {StoreFormat::size(a.sizeBytes),
                 StoreFormat::size(a.userSizeBytes),
                 StoreFormat::size(a.inefficientBytes),
                 QStringLiteral("%1 %").arg(a.efficiency * 100, 0, 'f', 2)})
            QVERIFY2(summary.contains(part), qPrintable(summary + QStringLiteral(" lacks ") + part));
        QVERIFY(!view.summaryToolTip().isEmpty());
        QCOMPARE(view.chart()->bars().size(), a.layers.size());
        for (const LayerBarChart::Bar &b : view.chart()->bars())
            QVERIFY(!b.label.isEmpty());
        QCOMPARE(view.filesModel()->rowCount(), int(a.fileReferences.size()));
        QVERIFY(view.stateText().startsWith(QStringLiteral("✔")));
    }

    // Every model, through every toggle.
    void modelsPassTheTester()
    {
        QTemporaryDir tmp;
        const Opened o = open(archiveOf(tmp, QStringLiteral("fake")));
        AnalysisView view;
        QAbstractItemModelTester t1(view.treeModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(view.treeProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(view.filesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(view.filesProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(analyse(view, o));
        for (int layer = 0; layer < 3; ++layer) {
            view.selectLayer(layer);
            view.setChangesOnly(false);
            view.setAggregate(true);
            view.setFilter(QStringLiteral("app"));
            view.setSortBySize(false);
            view.setFilter({});
            view.setAggregate(false);
            view.setChangesOnly(true);
            view.setSortBySize(true);
        }
        view.filesProxy()->sort(InefficientFilesModel::CountColumn);
    }

    // The fake archive: layer 0 adds /bin/sh and /etc/hostname, layer 1 /app/takbir.txt,
    // layer 2 removes it and adds /app/out.txt.
    void togglesAndFilter_data()
    {
        test::addColumns<int, bool, bool, QString, int>("layer", "aggregate", "changesOnly", "filter", "rows");
        QTest::newRow("layer 0 alone") << 0 << false << true << QString() << 2;
        QTest::newRow("layer 1 alone") << 1 << false << true << QString() << 1;
        QTest::newRow("layer 1 with the unchanged") << 1 << false << false << QString() << 3;
        QTest::newRow("layer 2 alone: D and A") << 2 << false << true << QString() << 2;
        QTest::newRow("layer 2 with the unchanged") << 2 << false << false << QString() << 4;
        QTest::newRow("layers 1-2 against 0: added then removed is neither") << 2 << true << true << QString() << 1;
        QTest::newRow("layers 1-2 with the base's files") << 2 << true << false << QString() << 3;
        QTest::newRow("filter out.txt") << 2 << false << false << QStringLiteral("out.txt") << 1;
        QTest::newRow("filter /app, any case") << 2 << false << true << QStringLiteral("/APP") << 2;
        QTest::newRow("filter nothing matches") << 2 << false << false << QStringLiteral("nope") << 0;
    }

    void togglesAndFilter()
    {
        QFETCH(int, layer);
        QFETCH(bool, aggregate);
        QFETCH(bool, changesOnly);
        QFETCH(QString, filter);
        QFETCH(int, rows);
        QTemporaryDir tmp;
        const Opened o = open(archiveOf(tmp, QStringLiteral("fake")));
        AnalysisView view;
        QAbstractItemModelTester tester(view.treeProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(analyse(view, o));
        view.selectLayer(layer);
        view.setAggregate(aggregate);
        view.setChangesOnly(changesOnly);
        view.setFilter(filter);
        QCOMPARE(leaves(view.treeProxy()), rows);
        // Marks are words, never a colour alone.
        for (const QModelIndex &i : view.treeModel()->match(view.treeModel()->index(0, 0),
                 AnalysisTreeModel::PathRole,
                 QStringLiteral("/app/takbir.txt"),
                 1,
                 Qt::MatchExactly | Qt::MatchRecursive)) {
            const QString mark = i.siblingAtColumn(AnalysisTreeModel::ChangeColumn).data().toString();
            QCOMPARE(mark, layer == 1 ? QStringLiteral("A added") : QStringLiteral("D removed"));
        }
    }

    // Sorted by size the largest comes first; by name, the alphabet.
    void sorting()
    {
        QTemporaryDir tmp;
        const Opened o = open(archiveOf(tmp, QStringLiteral("fake")));
        AnalysisView view;
        QVERIFY(analyse(view, o));
        view.selectLayer(2);
        view.setChangesOnly(false);
        const QAbstractItemModel *m = view.treeProxy();
        view.setSortBySize(false);
        QStringList names;
        for (int r = 0; r < m->rowCount(); ++r)
            names << m->index(r, 0).data().toString();
        QCOMPARE(names, (QStringList {QStringLiteral("app/"), QStringLiteral("bin/"), QStringLiteral("etc/")}));
        view.setSortBySize(true);
        for (int r = 1; r < m->rowCount(); ++r)
            QVERIFY(m->index(r - 1, 0).data(AnalysisTreeModel::SortRole).toLongLong()
                >= m->index(r, 0).data(AnalysisTreeModel::SortRole).toLongLong());
    }

    // Hatched: every inefficient path still in the image, and nothing else.
    void treemapHatchesTheInefficient_data() { archiveRows(); }

    void treemapHatchesTheInefficient()
    {
        QFETCH(QString, archive);
        QTemporaryDir tmp;
        const Opened o = open(archiveOf(tmp, archive));
        AnalysisView view;
        view.resize(1600, 1000);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(analyse(view, o));
        for (const bool userOnly : {false, true}) {
            view.setUserLayersOnly(userOnly);
            const auto merged = AnalysisTree::merged(o.expected, userOnly);
            QSet<QByteArray> expected;
            for (const FileReference &r : o.expected.fileReferences) {
                for (const AnalysisTree::Node &n : merged->nodes()) {
                    if (n.leaf && n.path == r.path && n.size > 0)
                        expected.insert(r.path);
                }
            }
            if (archive != QLatin1String("fake"))
                QVERIFY(!expected.isEmpty());
            QCOMPARE(view.treemap()->hatchedPaths(), expected);
        }
        for (const AnalysisTreemap::Cell &c : view.treemap()->cells()) {
            if (c.hatched)
                QVERIFY(
                    view.treemap()->toolTipOf(int(&c - view.treemap()->cells().data())).contains(QStringLiteral("⚠")));
        }
    }

    void squarify()
    {
        const QRectF area(0, 0, 600, 400);
        const QVector<QRectF> r = AnalysisTreemap::squarify({6, 6, 4, 3, 2, 2, 1}, area);
        QCOMPARE(r.size(), 7);
        double total = 0;
        for (const QRectF &c : r) {
            QVERIFY(area.adjusted(-0.01, -0.01, 0.01, 0.01).contains(c));
            total += c.width() * c.height();
            QVERIFY(std::max(c.width() / c.height(), c.height() / c.width()) < 3.5);
        }
        QVERIFY(std::abs(total - area.width() * area.height()) < 1);
    }

    // The JSON is the CLI's, byte for byte; the pictures are real files.
    void exports_data() { archiveRows(); }

    void exports()
    {
        QFETCH(QString, archive);
        QTemporaryDir tmp;
        const QString path = archiveOf(tmp, archive);
        const Opened o = open(path);
        AnalysisView view;
        view.resize(1280, 720);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(analyse(view, o));
        const QString json = tmp.filePath(QStringLiteral("report.json"));
        QVERIFY(view.exportJson(json));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray written = f.readAll();
        QJsonParseError error;
        QVERIFY(!QJsonDocument::fromJson(written, &error).isNull());
        const test::Run cli = test::run(qEnvironmentVariable("STRATA_CLI"),
            {QStringLiteral("image"), QStringLiteral("analyze"), path, QStringLiteral("--json")});
        QCOMPARE(cli.exitCode, 0);
        QCOMPARE(written, cli.out);
        for (const QString &suffix : {QStringLiteral("png"), QStringLiteral("svg")}) {
            const QString chart = tmp.filePath(QStringLiteral("chart.") + suffix);
            const QString map = tmp.filePath(QStringLiteral("treemap.") + suffix);
            QVERIFY(view.exportChart(chart));
            QVERIFY(view.exportTreemap(map));
            QVERIFY(QFileInfo(chart).size() > 100);
            QVERIFY(QFileInfo(map).size() > 100);
        }
        QFile svg(tmp.filePath(QStringLiteral("chart.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
    }

    // Cancel: the view says so, keeps the analysis it showed, and the job is over.
    void cancelStopsTheJob()
    {
        QTemporaryDir tmp;
        const Opened o = open(archiveOf(tmp, QStringLiteral("fake")));
        AnalysisView view;
        QVERIFY(analyse(view, o));
        const QString summary = view.summaryText();
        QSignalSpy done(&view, &AnalysisView::finished);
        view.analyze(o.store, 0);
        QVERIFY(view.isRunning());
        view.cancel();
        QVERIFY(done.wait(20000));
        QCOMPARE(done.first().first().toBool(), false);
        QVERIFY(!view.isRunning());
        QVERIFY2(view.stateText().contains(QStringLiteral("Cancelled")), qPrintable(view.stateText()));
        QCOMPARE(view.summaryText(), summary);
    }

    // An archive cut short after it was opened: the view says what could not be read.
    void unreadableLayersAreSaid()
    {
        QTemporaryDir tmp;
        const QString path = archiveOf(tmp, QStringLiteral("fake"));
        const Opened o = open(path);
        QVERIFY(QFile::resize(path, 1024));
        AnalysisView view;
        QSignalSpy done(&view, &AnalysisView::finished);
        view.analyze(o.store, 0);
        QVERIFY(done.wait(20000));
        QVERIFY2(view.stateText().startsWith(QStringLiteral("⚠")), qPrintable(view.stateText()));
        QVERIFY(!view.isRunning());
    }

    // Analyze in the panel, for an archive and a Docker root (directory layers): the view's
    // figures are ImageAnalyzer's over the panel's store; a path chosen there opens the
    // image's merged view at that path.
    void panelAnalyzesAndChoosesPaths_data()
    {
        test::addColumns<QString, QString>("source", "path");
        QTest::newRow("archive") << QStringLiteral("archive") << QStringLiteral("/app/out.txt");
        QTest::newRow("docker root") << QStringLiteral("Docker") << QStringLiteral("/etc/hostname");
    }

    void panelAnalyzesAndChoosesPaths()
    {
        QFETCH(QString, source);
        QFETCH(QString, path);
        QTemporaryDir tmp;
        const QString none = tmp.filePath(QStringLiteral("none"));
        ImagesPanel panel;
        test::FakeDockerRoot docker;
        if (source == QLatin1String("archive")) {
            const Opened o = open(archiveOf(tmp, QStringLiteral("fake")));
            panel.setRoots({none, none, {}});
            panel.addArchive(o.store, 0);
        } else {
            QVERIFY(docker.build(tmp.filePath(QStringLiteral("docker"))));
            panel.setRoots({docker.root, none, {}});
            QSignalSpy found(&panel, &ImagesPanel::sourcesFound);
            panel.discover();
            QVERIFY(found.wait(30000));
            QVERIFY(panel.selectSourceKind(source));
        }
        QSignalSpy done(panel.analysisView(), &AnalysisView::finished);
        QVERIFY(panel.analyzeSelected());
        QVERIFY(done.wait(20000));
        QVERIFY(done.first().first().toBool());
        const qsizetype image = panel.analysisView()->image();
        const auto expected = ImageAnalyzer::analyze(*panel.store(), image);
        QVERIFY(expected);
        QCOMPARE(panel.analysisView()->analysis()->sizeBytes, expected->sizeBytes);
        QCOMPARE(panel.analysisView()->analysis()->inefficientBytes, expected->inefficientBytes);
        QCOMPARE(panel.analysisView()->analysis()->efficiency, expected->efficiency);
        QSignalSpy opened(&panel, &ImagesPanel::openLayers);
        Q_EMIT panel.analysisView()->pathChosen(path);
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first().at(3).toString(), path);
        QCOMPARE(opened.first().at(0).value<MergeLayers>().size(), panel.store()->imageLayerCount(image));
        // Another source shown: the analysis' path is not looked for in it.
        QTemporaryDir other;
        panel.addArchive(open(archiveOf(other, QStringLiteral("fake"))).store, 0);
        Q_EMIT panel.analysisView()->pathChosen(path);
        QCOMPARE(opened.size(), 1);
        QVERIFY2(panel.statusText().contains(QStringLiteral("another source")), qPrintable(panel.statusText()));
    }

    // With STRATA_SHOTS_DIR (under xvfb): the view at both sizes, on dive's test image.
    void screenshots_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1280x720") << QSize(1280, 720);
        QTest::newRow("1920x1080") << QSize(1920, 1080);
    }

    void screenshots()
    {
        QFETCH(QSize, size);
        const QString shots = qEnvironmentVariable("STRATA_SHOTS_DIR");
        if (shots.isEmpty())
            QSKIP("STRATA_SHOTS_DIR not set");
        STRATA_REQUIRE(haveDive(), "dive's test images in ../shared/fixtures/public/dive");
        QTemporaryDir tmp;
        MainWindow w;
        w.resize(size);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        ImagesPanel *panel = w.imagesPanel();
        panel->setRoots({tmp.filePath(QStringLiteral("none")), tmp.filePath(QStringLiteral("none")), {}});
        QSignalSpy shown(&w, &MainWindow::imageShown);
        QVERIFY(w.openImage(archiveOf(tmp, DiveImage)));
        QVERIFY(shown.wait(20000));
        QSignalSpy found(panel, &ImagesPanel::sourcesFound);
        w.showImagesPanel();
        QVERIFY(found.wait(30000));
        QSignalSpy done(panel->analysisView(), &AnalysisView::finished);
        QVERIFY(panel->analyzeSelected());
        QVERIFY(done.wait(20000));
        panel->analysisView()->selectLayer(7);
        panel->analysisView()->setUserLayersOnly(true);
        QTest::qWait(300);
        const QString name = QStringLiteral("%1/analysis-%2x%3").arg(shots).arg(size.width()).arg(size.height());
        QVERIFY(w.grab().save(name + QStringLiteral(".png")));
        // dive's aggregated tree, and the inefficient files.
        AnalysisView *view = panel->analysisView();
        view->selectLayer(13);
        view->setAggregate(true);
        auto *tabs = view->findChild<QTabWidget *>(QStringLiteral("analysisTabs"));
        QVERIFY(tabs);
        tabs->setCurrentIndex(1);
        QTest::qWait(300);
        QVERIFY(w.grab().save(name + QStringLiteral("-files.png")));
    }
};

QTEST_MAIN(TestAnalysisView)
#include "tst_analysisview.moc"
