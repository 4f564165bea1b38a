// SPDX-License-Identifier: GPL-2.0-or-later
// The Images & Containers panel on small stores built here (FakeDockerRoot, FakeImageArchive):
// no daemon needed. Sources found by themselves, images with every history entry, layers,
// containers with their upper / init / image layers and changes, find and grep, the window's mode.
#include "core/image/archive/archivestore.h"
#include "core/image/containerdiff.h"
#include "core/merge/mergedtree.h"
#include "tests/support/datatable.h"
#include "tests/support/fakedockerroot.h"
#include "tests/support/fakeimagearchive.h"
#include "tests/support/podmanfixture.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/images/changesmodel.h"
#include "ui/images/containersmodel.h"
#include "ui/images/fileviewer.h"
#include "ui/images/historymodel.h"
#include "ui/images/imagesmodel.h"
#include "ui/images/imagespanel.h"
#include "ui/images/layersmodel.h"
#include "ui/images/problemsmodel.h"
#include "ui/images/searchhitsmodel.h"
#include "ui/images/sourcesmodel.h"
#include "ui/images/stackmodel.h"
#include "ui/mainwindow.h"
#include "ui/stage/layercolumns.h"
#include "ui/stage/stackdiagram.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QStackedWidget>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

#include <functional>
#include <memory>
#include <sys/stat.h>
#include <vector>

using namespace strata;

namespace
{

using strata::test::FakeDockerRoot;

QString cell(const QAbstractItemModel *m, int row, int column)
{
    return m->index(row, column).data().toString();
}

struct Opened {
    MergeLayers layers;
    QString title;
    int count = 0;
};

// Testers on every model of the panel, created before anything is loaded so they see
// every insertion and removal.
std::vector<std::unique_ptr<QAbstractItemModelTester>> watch(ImagesPanel &panel)
{
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (QAbstractItemModel *m : {static_cast<QAbstractItemModel *>(panel.sourcesModel()),
             static_cast<QAbstractItemModel *>(panel.imagesModel()),
             static_cast<QAbstractItemModel *>(panel.historyModel()),
             static_cast<QAbstractItemModel *>(panel.layersModel()),
             static_cast<QAbstractItemModel *>(panel.containersModel()),
             static_cast<QAbstractItemModel *>(panel.chainModel()),
             static_cast<QAbstractItemModel *>(panel.changesModel()),
             static_cast<QAbstractItemModel *>(panel.resultsModel()),
             static_cast<QAbstractItemModel *>(panel.problemsModel())})
        testers.push_back(
            std::make_unique<QAbstractItemModelTester>(m, QAbstractItemModelTester::FailureReportingMode::QtTest));
    return testers;
}

// Where nothing is: the host's own stores stay out of the tests.
QString nowhere()
{
    return QStringLiteral("/nonexistent/strata-test");
}

// The panel looks for stores with `docker` as the Docker root, and shows the Docker source.
bool load(ImagesPanel &panel, const QString &docker, bool expectOk = true)
{
    QSignalSpy found(&panel, &ImagesPanel::sourcesFound);
    panel.setRoots({docker, nowhere(), {}});
    panel.discover();
    if (found.isEmpty() && !found.wait(10000))
        return false;
    return panel.selectSourceKind(QStringLiteral("Docker")) == expectOk;
}

// A shown panel whose models are all watched from the start.
struct WatchedPanel {
    ImagesPanel panel;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers = watch(panel);
    WatchedPanel() { panel.show(); }
};

// A watched panel and a fake Docker root for it in a temporary directory.
struct PanelOnFakeRoot {
    QTemporaryDir dir;
    FakeDockerRoot fake;
    WatchedPanel watched;

    // The root built (with `extraTag` on gui/base), not yet loaded.
    bool build(qint64 filler = 0, bool extraTag = false) { return fake.build(dir.path(), filler, extraTag); }
    bool load() { return ::load(watched.panel, dir.path()); }
    bool buildAndLoad(bool extraTag = false) { return build(0, extraTag) && load(); }
};

} // namespace

class TestImagesPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QCoreApplication::setOrganizationName(QStringLiteral("StratascopeTest")); }

    void imagesLayersContainers()
    {
        PanelOnFakeRoot t;
        FakeDockerRoot &fake = t.fake;
        ImagesPanel &panel = t.watched.panel;
        QVERIFY(t.buildAndLoad());
        QVERIFY(!panel.problemsVisible());
        QCOMPARE(panel.problemsModel()->rowCount(), 0);

        // Images, newest first, with the layer count and how many layers are shared.
        ImagesModel *images = panel.imagesModel();
        QCOMPARE(images->rowCount(), 2);
        QCOMPARE(cell(images, 0, ImagesModel::TagsColumn), QStringLiteral("gui/app:v1"));
        QCOMPARE(cell(images, 0, ImagesModel::IdColumn), fake.appId.mid(7, 12));
        QCOMPARE(cell(images, 0, ImagesModel::CreatedColumn), QStringLiteral("2024-01-02 10:00 UTC"));
        QCOMPARE(cell(images, 0, ImagesModel::LayersColumn), QStringLiteral("3 (2 shared)"));
        QCOMPARE(cell(images, 1, ImagesModel::TagsColumn), QStringLiteral("gui/base:v1"));
        QCOMPARE(cell(images, 1, ImagesModel::LayersColumn), QStringLiteral("2 (2 shared)"));
        QCOMPARE(images->index(0, ImagesModel::SizeColumn).data(Qt::ToolTipRole).toString(),
            QLocale().toString(6000) + QStringLiteral(" bytes"));

        // The first image's stack, top first, with the cleaned-up instructions.
        panel.selectImage(0);
        LayersModel *layers = panel.layersModel();
        QCOMPARE(layers->rowCount(), 3);
        const QStringList instructions {QStringLiteral("RUN cat takbir.txt > out.txt"),
            QStringLiteral("COPY file:def456 in ."),
            QStringLiteral("ADD file:abc123 in /")};
        for (int r = 0; r < 3; ++r) {
            const int k = 2 - r;
            QCOMPARE(cell(layers, r, LayersModel::IndexColumn), QString::number(k));
            QCOMPARE(cell(layers, r, LayersModel::InstructionColumn), instructions.at(r));
            QCOMPARE(cell(layers, r, LayersModel::LinkColumn), QStringLiteral("l/") + fake.links.at(k));
            QCOMPARE(cell(layers, r, LayersModel::DirColumn), fake.cacheIds.at(k));
            QCOMPARE(cell(layers, r, LayersModel::SharedColumn),
                k == 2 ? QStringLiteral("this image only") : QStringLiteral("2 images"));
        }
        // The raw text stays reachable.
        QVERIFY(layers->index(0, LayersModel::InstructionColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("/bin/sh -c cat takbir.txt > out.txt")));
        QVERIFY(layers->index(1, LayersModel::SharedColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("gui/base:v1")));
        QVERIFY(!layers->index(1, LayersModel::SharedColumn).data(Qt::DecorationRole).isNull());
        panel.selectImage(1);
        QCOMPARE(layers->rowCount(), 2);
        QCOMPARE(cell(layers, 0, LayersModel::InstructionColumn), instructions.at(1));

        // The container and its chain: upper, init, then the image's layers.
        ContainersModel *containers = panel.containersModel();
        QCOMPARE(containers->rowCount(), 1);
        QCOMPARE(cell(containers, 0, ContainersModel::NameColumn), QStringLiteral("web"));
        QCOMPARE(cell(containers, 0, ContainersModel::ImageColumn), QStringLiteral("gui/app:v1"));
        QCOMPARE(cell(containers, 0, ContainersModel::StateColumn), QStringLiteral("exited (0)"));
        QCOMPARE(cell(containers, 0, ContainersModel::UserColumn), QStringLiteral("nobody"));
        panel.selectContainer(0);
        StackModel *chain = panel.chainModel();
        QCOMPARE(chain->rowCount(), 5);
        QCOMPARE(cell(chain, 0, StackModel::DirColumn), fake.mountId);
        QVERIFY(cell(chain, 0, StackModel::RoleColumn).startsWith(QLatin1String("upper")));
        QCOMPARE(cell(chain, 1, StackModel::DirColumn), fake.initId);
        QVERIFY(cell(chain, 1, StackModel::RoleColumn).startsWith(QLatin1String("init")));
        QCOMPARE(cell(chain, 1, StackModel::LinkColumn), QStringLiteral("l/INITLINKABCDEFGHIJKLMNOPQR"));
        for (int k = 2; k >= 0; --k) {
            QCOMPARE(cell(chain, 4 - k, StackModel::DirColumn), fake.cacheIds.at(k));
            QCOMPARE(cell(chain, 4 - k, StackModel::RoleColumn), QStringLiteral("layer %1 (lower)").arg(k));
            QCOMPARE(cell(chain, 4 - k, StackModel::InstructionColumn), instructions.at(2 - k));
        }

        // A stopped container has no merged mount: no danger to spell out.
        QCOMPARE(panel.containerWarningText(), QString());

        // Every history entry, the config-only ones as "no layer", top first.
        panel.selectImage(0);
        HistoryModel *history = panel.historyModel();
        QCOMPARE(history->rowCount(), 5);
        const QStringList layerWords {QStringLiteral("no layer"),
            QStringLiteral("layer 2"),
            QStringLiteral("layer 1"),
            QStringLiteral("no layer"),
            QStringLiteral("layer 0")};
        for (int r = 0; r < 5; ++r)
            QCOMPARE(cell(history, r, HistoryModel::LayerColumn), layerWords.at(r));
        QCOMPARE(cell(history, 0, HistoryModel::InstructionColumn), QStringLiteral("USER nobody"));
        QCOMPARE(cell(history, 3, HistoryModel::InstructionColumn), QStringLiteral("WORKDIR /app"));
    }

    // The danger of a container's merged directory is the running container's, and says so.
    void runningDanger_data()
    {
        strata::test::addColumns<bool>("running");
        QTest::newRow("running") << true;
        QTest::newRow("stopped") << false;
    }

    void runningDanger()
    {
        QFETCH(bool, running);
        PanelOnFakeRoot t;
        t.fake.running = running;
        ImagesPanel &panel = t.watched.panel;
        QVERIFY(t.buildAndLoad());
        panel.selectContainer(0);
        const QString warning = panel.containerWarningText();
        if (!running) {
            QCOMPARE(warning, QString());
            QVERIFY(!panel.findChild<QLabel *>(QStringLiteral("containerWarning"))->isVisibleTo(&panel));
            return;
        }
        QVERIFY2(
            warning.contains(t.dir.path() + QStringLiteral("/overlay2/") + t.fake.mountId + QStringLiteral("/merged")),
            qPrintable(warning));
        QVERIFY(warning.contains(QStringLiteral("while it runs")));
        QVERIFY(warning.contains(QStringLiteral("running container")));
        QVERIFY(warning.contains(QStringLiteral("whatever its USER (nobody)")));
        QVERIFY(warning.contains(QStringLiteral("never writes there")));
    }

    // The panel's "shared by" is the store's answer (ImageStore::imagesUsing), which is also what
    // find and grep give for the layer's directory: for every layer of the test root, with one
    // tag per image and with a second tag on gui/base (names and image counts then differ).
    void sharedByIsTheStores_data()
    {
        // imageRow: newest first: gui/app, gui/base
        // layer: 0 is the bottom
        // file: a file only that layer has
        // users: sorted
        strata::test::addColumns<bool, int, int, QString, QStringList, QString>(
            "extraTag", "imageRow", "layer", "file", "users", "shared");
        const QStringList both {QStringLiteral("gui/app:v1"), QStringLiteral("gui/base:v1")};
        const QStringList bothTags {
            QStringLiteral("gui/app:v1"), QStringLiteral("gui/base:latest"), QStringLiteral("gui/base:v1")};
        const QStringList app {QStringLiteral("gui/app:v1")};
        for (const bool extra : {false, true}) {
            const QString tag = extra ? QStringLiteral(", two tags") : QString();
            const QStringList shared = extra ? bothTags : both;
            QTest::addRow("app layer 2%s", qPrintable(tag))
                << extra << 0 << 2 << QStringLiteral("out.txt") << app << QStringLiteral("this image only");
            QTest::addRow("app layer 1%s", qPrintable(tag))
                << extra << 0 << 1 << QStringLiteral("takbir.txt") << shared << QStringLiteral("2 images");
            QTest::addRow("app layer 0%s", qPrintable(tag))
                << extra << 0 << 0 << QStringLiteral("sh") << shared << QStringLiteral("2 images");
            QTest::addRow("base layer 1%s", qPrintable(tag))
                << extra << 1 << 1 << QStringLiteral("takbir.txt") << shared << QStringLiteral("2 images");
            QTest::addRow("base layer 0%s", qPrintable(tag))
                << extra << 1 << 0 << QStringLiteral("sh") << shared << QStringLiteral("2 images");
        }
    }

    void sharedByIsTheStores()
    {
        QFETCH(bool, extraTag);
        QFETCH(int, imageRow);
        QFETCH(int, layer);
        QFETCH(QString, file);
        QFETCH(QStringList, users);
        QFETCH(QString, shared);
        PanelOnFakeRoot t;
        FakeDockerRoot &fake = t.fake;
        ImagesPanel &panel = t.watched.panel;
        QVERIFY(t.buildAndLoad(extraTag));
        panel.selectImage(imageRow);
        LayersModel *layers = panel.layersModel();
        int row = -1;
        for (int r = 0; r < layers->rowCount(); ++r) {
            if (layers->index(r, 0).data(LayersModel::LayerIndexRole).toInt() == layer)
                row = r;
        }
        QVERIFY(row >= 0);
        const QString cacheId = cell(layers, row, LayersModel::DirColumn);
        QCOMPARE(cacheId, fake.cacheIds.at(layer));
        const QStringList shown = layers->index(row, 0).data(LayersModel::SharedByRole).toStringList();
        QCOMPARE(shown, panel.store()->imagesUsing(cacheId));
        QStringList sorted = shown;
        sorted.sort();
        QCOMPARE(sorted, users);
        QCOMPARE(cell(layers, row, LayersModel::SharedColumn), shared);
        if (users.size() > 1) {
            const QString tip = layers->index(row, LayersModel::SharedColumn).data(Qt::ToolTipRole).toString();
            for (const QString &u : std::as_const(users))
                QVERIFY2(tip.contains(u), qPrintable(tip));
        }

        // find names the same images for a file of that layer.
        QSignalSpy done(&panel, &ImagesPanel::searchFinished);
        panel.startFind(file);
        QVERIFY(done.wait(10000));
        int hits = 0;
        for (int r = 0; r < panel.resultsModel()->rowCount(); ++r) {
            const SearchHit &h = panel.resultsModel()->hit(r);
            if (h.cacheId != cacheId)
                continue;
            ++hits;
            QCOMPARE(h.images, shown);
        }
        QCOMPARE(hits, 1);
    }

    // The Changes view of a container is ContainerDiff's answer (what `docker diff` prints).
    void containerChanges_data()
    {
        // edit: what the container did besides adding /app/new.txt
        strata::test::addColumns<QString, QStringList>("edit", "changes");
        QTest::newRow("added a file") << QString()
                                      << QStringList {QStringLiteral("C /app"), QStringLiteral("A /app/new.txt")};
        QTest::newRow("changed a file") << QStringLiteral("change")
                                        << QStringList {QStringLiteral("C /app"),
                                               QStringLiteral("A /app/new.txt"),
                                               QStringLiteral("C /etc"),
                                               QStringLiteral("C /etc/hostname")};
        QTest::newRow("deleted a file") << QStringLiteral("delete")
                                        << QStringList {QStringLiteral("C /app"),
                                               QStringLiteral("A /app/new.txt"),
                                               QStringLiteral("D /app/out.txt")};
    }

    void containerChanges()
    {
        QFETCH(QString, edit);
        QFETCH(QStringList, changes);
        PanelOnFakeRoot t;
        FakeDockerRoot &fake = t.fake;
        ImagesPanel &panel = t.watched.panel;
        QVERIFY(t.build());
        const QString upper = fake.diff(fake.mountId);
        if (edit == QLatin1String("change"))
            QVERIFY(FakeDockerRoot::writeFile(upper + QStringLiteral("/etc/hostname"), "web\n"));
        if (edit == QLatin1String("delete")
            && ::mknod(QFile::encodeName(upper + QStringLiteral("/app/out.txt")).constData(), S_IFCHR | 0000, 0) != 0)
            QSKIP("a whiteout (character device 0/0) needs CAP_MKNOD");
        QVERIFY(t.load());
        QSignalSpy ready(&panel, &ImagesPanel::changesReady);
        panel.selectContainer(0);
        panel.showChanges();
        QVERIFY(ready.wait(10000));
        QCOMPARE(ready.first().first().toBool(), true);

        auto diff = ContainerDiff::compute(*panel.store(), 0);
        QVERIFY(diff.ok());
        ChangesModel *model = panel.changesModel();
        // Every change is a row of the tree, under its directories.
        QStringList shown;
        std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
            for (int r = 0; r < model->rowCount(parent); ++r) {
                const QModelIndex i = model->index(r, 0, parent);
                if (const ContainerChange *c = model->change(i))
                    shown << QString(QLatin1Char(c->letter())) + QLatin1Char(' ') + model->path(i);
                walk(i);
            }
        };
        walk({});
        QStringList fromStore;
        for (const ContainerChange &c : std::as_const(diff->changes))
            fromStore << QString(QLatin1Char(c.letter())) + QLatin1Char(' ') + QString::fromUtf8(c.path);
        shown.sort();
        fromStore.sort();
        QCOMPARE(shown, fromStore);
        changes.sort();
        QCOMPARE(shown, changes);
        // /app counts what changed below it.
        QModelIndex app;
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->path(model->index(r, 0)) == QLatin1String("/app"))
                app = model->index(r, 0);
        }
        QVERIFY(app.isValid());
        const int below = edit == QLatin1String("delete") ? 2 : 1;
        const QString counts = model->index(app.row(), ChangesModel::BelowColumn).data().toString();
        QVERIFY2(counts.startsWith(QStringLiteral("1 added")), qPrintable(counts));
        QCOMPARE(model->rowCount(app), below);
        QVERIFY2(panel.changesStatusText().contains(
                     QStringLiteral("%1 added").arg(model->count(ContainerChange::Kind::Added))),
            qPrintable(panel.changesStatusText()));

        // Double-click: the path in the container's merged view.
        Opened opened;
        QString selected;
        connect(&panel,
            &ImagesPanel::openLayers,
            this,
            [&](const MergeLayers &layers, const QString &, const MergeOptions &, const QString &select) {
                opened.layers = layers;
                selected = select;
            });
        Q_EMIT panel.changesView()->activated(model->index(0, 0, app));
        QCOMPARE(opened.layers.size(), 5);
        QCOMPARE(selected, model->path(model->index(0, 0, app)));
    }

    void activationOpensLayers()
    {
        PanelOnFakeRoot t;
        FakeDockerRoot &fake = t.fake;
        ImagesPanel &panel = t.watched.panel;
        QVERIFY(t.buildAndLoad());
        Opened opened;
        connect(&panel, &ImagesPanel::openLayers, this, [&](const MergeLayers &layers, const QString &title) {
            opened.layers = layers;
            opened.title = title;
            ++opened.count;
        });

        // Return on an image row, as a user activates it.
        panel.selectImage(0);
        panel.imagesView()->setFocus();
        QTest::keyClick(panel.imagesView(), Qt::Key_Return);
        QCOMPARE(opened.count, 1);
        QVERIFY(opened.title.contains(QStringLiteral("gui/app:v1")));
        QCOMPARE(opened.layers.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(opened.layers.at(i).path, fake.diff(fake.cacheIds.at(2 - i)));
            QCOMPARE(opened.layers.at(i).role, LayerRole::Lower);
        }

        // A container: its read-write layer, its init layer, then the image's layers.
        panel.selectContainer(0);
        QVERIFY(panel.openContainer(0));
        QCOMPARE(opened.count, 2);
        QVERIFY(opened.title.contains(QStringLiteral("web")));
        const QStringList expected {fake.diff(fake.mountId),
            fake.diff(fake.initId),
            fake.diff(fake.cacheIds[2]),
            fake.diff(fake.cacheIds[1]),
            fake.diff(fake.cacheIds[0])};
        QStringList paths;
        for (const MergeLayer &l : std::as_const(opened.layers))
            paths << l.path;
        QCOMPARE(paths, expected);
        QCOMPARE(opened.layers.first().role, LayerRole::Upper);

        // One layer alone, from the stack.
        panel.selectImage(1);
        panel.layersView()->setCurrentIndex(panel.layersModel()->index(0, 0));
        panel.layersView()->setFocus();
        QTest::keyClick(panel.layersView(), Qt::Key_Return);
        QCOMPARE(opened.count, 3);
        QCOMPARE(opened.layers.size(), 1);
        QCOMPARE(opened.layers.first().path, fake.diff(fake.cacheIds[1]));
    }

    // Images & Containers is a mode of the window: its action shows the panel over the whole
    // central area (no timeline below), opening a container goes back to the stack view.
    void mainWindowShowsDockerLayers()
    {
        QTemporaryDir dir;
        FakeDockerRoot fake;
        QVERIFY(fake.build(dir.path()));
        MainWindow w;
        w.show();
        QAction *action = w.findChild<QAction *>(QStringLiteral("imagesAction"));
        QVERIFY(action);
        QVERIFY(!w.imagesShown());
        ImagesPanel *panel = w.imagesPanel();
        panel->setRoots({dir.path(), nowhere(), {}});
        QSignalSpy found(panel, &ImagesPanel::sourcesFound);
        action->trigger();
        QVERIFY(w.imagesShown());
        QVERIFY(action->isChecked());
        QVERIFY(panel->isVisible());
        QVERIFY(!w.findChild<QDockWidget *>(QStringLiteral("timelineDock"))->isVisible());
        QVERIFY(found.wait(10000));
        QVERIFY(panel->selectSourceKind(QStringLiteral("Docker")));
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QVERIFY(panel->openRef(QStringLiteral("web")));
        QVERIFY(!w.imagesShown());
        QVERIFY(!action->isChecked());
        QVERIFY(ready.wait(10000));

        auto *layerList = w.findChild<QTreeWidget *>(QStringLiteral("layerList"));
        QVERIFY(layerList);
        QCOMPARE(layerList->topLevelItemCount(), 5);
        QCOMPARE(layerList->topLevelItem(0)->toolTip(2), fake.diff(fake.mountId));
        QCOMPARE(layerList->topLevelItem(4)->toolTip(2), fake.diff(fake.cacheIds[0]));
        auto *command = w.findChild<QLabel *>(QStringLiteral("mountCommand"));
        QVERIFY2(command->text().contains(QStringLiteral("container web (read-only)")), qPrintable(command->text()));
        QVERIFY(!command->text().contains(QStringLiteral("mount -t")));
        // The container's read-write layer is its upper, in the figure too.
        bool upper = false;
        for (const StackDiagram::Plane &p : w.stackDiagram()->planes())
            upper |= p.role == LayerRole::Upper && p.name.startsWith(QLatin1String("upper"));
        QVERIFY(upper);
        for (int i = 0; i < w.stackDiagram()->planes().size(); ++i)
            QVERIFY2(!w.stackDiagram()->label(i).contains(QStringLiteral("lower 5")),
                qPrintable(w.stackDiagram()->label(i)));
        // Nothing to edit in a read-only view.
        for (QAction *a : w.findChildren<QAction *>()) {
            if (a->text() == QLatin1String("&Delete") || a->text().startsWith(QLatin1String("New &File"))
                || a->text().startsWith(QLatin1String("&Edit Text")))
                QVERIFY2(!a->isEnabled(), qPrintable(a->text()));
        }
        // The merged view: the container's file, the init layer's, and the image's.
        QVERIFY(w.selectPath(QStringLiteral("/app/new.txt")));
        QVERIFY(w.selectPath(QStringLiteral("/etc/hosts")));
        QVERIFY(w.selectPath(QStringLiteral("/app/out.txt")));
        QVERIFY(w.selectPath(QStringLiteral("/bin/sh")));

        // A file of the read-only view opens read-only, as text and hex.
        QVERIFY(w.selectPath(QStringLiteral("/app/new.txt")));
        auto *view = w.findChild<QAction *>(QStringLiteral("viewFileAction"));
        QVERIFY(view && view->isEnabled());
        view->trigger();
        auto *viewer = w.findChild<FileViewer *>(QStringLiteral("fileViewer"));
        QVERIFY(viewer);
        QCOMPARE(viewer->text(), QStringLiteral("added\n"));
        QVERIFY2(viewer->hex().startsWith(QStringLiteral("00000000  61 64 64 65 64 0a")), qPrintable(viewer->hex()));
        QVERIFY(viewer->hex().contains(QStringLiteral("|added.|")));
        viewer->close();

        // The action shows the same panel again, without looking again; again: back.
        action->trigger();
        QVERIFY(w.imagesShown());
        QVERIFY(!panel->isDiscovering());
        QCOMPARE(panel->currentSource()->kind, QStringLiteral("Docker"));
        action->trigger();
        QVERIFY(!w.imagesShown());
        QVERIFY(w.findChild<QDockWidget *>(QStringLiteral("timelineDock"))->isVisible());
    }

    void problemsAreShown()
    {
        PanelOnFakeRoot t;
        FakeDockerRoot &fake = t.fake;
        ImagesPanel &panel = t.watched.panel;
        QVERIFY(t.build());
        // A truncated config.v2.json, as a disk copy interrupted half-way leaves it.
        const QString config
            = t.dir.path() + QStringLiteral("/containers/") + fake.containerId + QStringLiteral("/config.v2.json");
        QFile f(config);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() / 2));
        f.close();

        QVERIFY(t.load());
        QVERIFY(panel.problemsVisible());
        QVERIFY(panel.problemsModel()->rowCount() >= 1);
        QVERIFY2(cell(panel.problemsModel(), 0, 0).contains(config), qPrintable(cell(panel.problemsModel(), 0, 0)));
        // Everything else is still there.
        QCOMPARE(panel.imagesModel()->rowCount(), 2);
        QCOMPARE(panel.containersModel()->rowCount(), 1);
        QCOMPARE(cell(panel.containersModel(), 0, 0), fake.containerId.left(12));

        // Not a Docker root at all: listed, disabled, with the reason.
        QTemporaryDir empty;
        QVERIFY(load(panel, empty.path(), false));
        const StoreSource *docker = panel.sourcesModel()->source(0);
        QVERIFY(docker && !docker->isAvailable());
        QVERIFY2(docker->unavailable.contains(QStringLiteral("not a Docker root")), qPrintable(docker->unavailable));
        QVERIFY(!(panel.sourcesModel()->flags(panel.sourcesModel()->index(0)) & Qt::ItemIsEnabled));
        QVERIFY(panel.statusText().contains(QStringLiteral("No image store could be read")));
        QCOMPARE(panel.imagesModel()->rowCount(), 0);
    }

    void findAndGrep()
    {
        PanelOnFakeRoot t;
        ImagesPanel &panel = t.watched.panel;
        QVERIFY(t.buildAndLoad());
        QSignalSpy done(&panel, &ImagesPanel::searchFinished);

        panel.startFind(QStringLiteral("*.txt"));
        QVERIFY(panel.isSearching() || !done.isEmpty());
        QVERIFY(done.wait(10000));
        QCOMPARE(done.last().at(0).toBool(), true);
        QCOMPARE(done.last().at(1).toInt(), 3); // takbir.txt, out.txt, new.txt
        QCOMPARE(panel.resultsModel()->rowCount(), 3);
        QStringList paths;
        for (int r = 0; r < 3; ++r)
            paths << cell(panel.resultsModel(), r, SearchHitsModel::PathColumn);
        paths.sort();
        QCOMPARE(paths,
            QStringList(
                {QStringLiteral("/app/new.txt"), QStringLiteral("/app/out.txt"), QStringLiteral("/app/takbir.txt")}));

        panel.startGrep(QStringLiteral("Akbar"));
        QVERIFY(done.wait(10000));
        QCOMPARE(done.last().at(0).toBool(), true);
        QCOMPARE(done.last().at(1).toInt(), 2);
        QCOMPARE(panel.resultsModel()->rowCount(), 2);
        QCOMPARE(cell(panel.resultsModel(), 0, SearchHitsModel::MatchColumn), QStringLiteral("1: Allahu Akbar"));
        QVERIFY(panel.searchStatusText().contains(QStringLiteral("Done")));
        // Each hit names its layer by the instruction that made it; a double-click opens the
        // path in the merged view of an image that has it.
        QStringList layers;
        for (int r = 0; r < 2; ++r)
            layers << cell(panel.resultsModel(), r, SearchHitsModel::LayerColumn);
        layers.sort();
        QCOMPARE(layers,
            QStringList({QStringLiteral("layer 1: COPY file:def456 in ."),
                QStringLiteral("layer 2: RUN cat takbir.txt > out.txt")}));
        QString selected;
        QString title;
        connect(&panel,
            &ImagesPanel::openLayers,
            this,
            [&](const MergeLayers &, const QString &t, const MergeOptions &, const QString &select) {
                title = t;
                selected = select;
            });
        QVERIFY(panel.openHit(0));
        QCOMPARE(selected, cell(panel.resultsModel(), 0, SearchHitsModel::PathColumn));
        QVERIFY2(title.contains(QStringLiteral("image gui/")), qPrintable(title));
    }

    void grepCancels()
    {
        PanelOnFakeRoot t;
        ImagesPanel &panel = t.watched.panel;
        // 64 MiB without a match, read in chunks: far longer than the click below takes.
        QVERIFY(t.build(64 * 1024 * 1024));
        QVERIFY(t.load());
        QSignalSpy done(&panel, &ImagesPanel::searchFinished);
        auto *cancel = panel.findChild<QPushButton *>(QStringLiteral("imagesSearchCancel"));
        QVERIFY(cancel);
        QVERIFY(!cancel->isEnabled());

        panel.startGrep(QStringLiteral("NEEDLE"));
        QVERIFY(panel.isSearching());
        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(done.wait(10000));
        QCOMPARE(done.size(), 1);
        QCOMPARE(done.first().at(0).toBool(), false);
        QVERIFY(!panel.isSearching());
        QVERIFY(!cancel->isEnabled());
        QVERIFY2(panel.searchStatusText().contains(QStringLiteral("Cancelled")), qPrintable(panel.searchStatusText()));
    }

    void hexDump_data()
    {
        strata::test::addColumns<QByteArray, QString>("bytes", "dump");
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("short") << QByteArray("hi\0", 3)
                               << QStringLiteral("00000000  68 69 00                                          |hi.|\n");
        QTest::newRow("two lines")
            << QByteArray("0123456789abcdefXY")
            << QStringLiteral("00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n"
                              "00000010  58 59                                             |XY|\n");
    }

    void hexDump()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, dump);
        QCOMPARE(FileViewer::hexDump(bytes), dump);
    }

    // Every store kind is a source of its own, found by itself; a missing one is listed,
    // disabled, with the reason.
    void sources_data()
    {
        // docker: "fake", "missing"; archive: one is opened
        strata::test::addColumns<QString, bool, QStringList, QList<bool>, QString, bool>(
            "docker", "archive", "kinds", "available", "reason", "podman");
        QTest::newRow("docker overlay2") << QStringLiteral("fake") << false
                                         << QStringList {QStringLiteral("Docker"), QStringLiteral("containerd")}
                                         << QList<bool> {true, false} << QStringLiteral("does not exist") << false;
        QTest::newRow("nothing on the host") << QStringLiteral("missing") << false
                                             << QStringList {QStringLiteral("Docker"), QStringLiteral("containerd")}
                                             << QList<bool> {false, false} << QStringLiteral("does not exist") << false;
        QTest::newRow("an archive opened")
            << QStringLiteral("missing") << true
            << QStringList {QStringLiteral("Docker"), QStringLiteral("containerd"), QStringLiteral("Archive")}
            << QList<bool> {false, false, true} << QStringLiteral("does not exist") << false;
        QTest::newRow("a Podman store") << QStringLiteral("missing") << false
                                        << QStringList {QStringLiteral("Docker"),
                                               QStringLiteral("containerd"),
                                               QStringLiteral("Podman")}
                                        << QList<bool> {false, false, true} << QStringLiteral("does not exist") << true;
    }

    void sources()
    {
        QFETCH(QString, docker);
        QFETCH(bool, archive);
        QFETCH(QStringList, kinds);
        QFETCH(QList<bool>, available);
        QFETCH(QString, reason);
        QFETCH(bool, podman);
        PanelOnFakeRoot t;
        ImagesPanel &panel = t.watched.panel;
        QVERIFY(t.build());
        QSignalSpy found(&panel, &ImagesPanel::sourcesFound);
        QTemporaryDir podmanDir;
        strata::test::PodmanFixture fixture;
        if (podman)
            QVERIFY(fixture.build(podmanDir.path()));
        panel.setRoots({docker == QLatin1String("fake") ? t.dir.path() : nowhere(),
            nowhere(),
            podman ? QStringList {fixture.root} : QStringList {}});
        panel.discover();
        QVERIFY(panel.isDiscovering()); // off the GUI thread
        QVERIFY(found.wait(10000));
        strata::test::FakeImageArchive fakeArchive;
        if (archive) {
            QVERIFY(fakeArchive.write(t.dir.path()));
            auto store = ArchiveStore::open(fakeArchive.path);
            QVERIFY(store.ok());
            panel.addArchive(*store, 0);
        }
        SourcesModel *sources = panel.sourcesModel();
        QCOMPARE(sources->rowCount(), kinds.size());
        for (int r = 0; r < sources->rowCount(); ++r) {
            const StoreSource *s = sources->source(r);
            QCOMPARE(s->kind, kinds.at(r));
            QCOMPARE(s->isAvailable(), available.at(r));
            QCOMPARE(bool(sources->flags(sources->index(r)) & Qt::ItemIsEnabled), available.at(r));
            if (!s->isAvailable()) {
                QVERIFY2(s->unavailable.contains(reason), qPrintable(s->unavailable));
                QVERIFY(sources->index(r).data(Qt::ToolTipRole).toString().contains(s->unavailable));
            }
        }
        // The first source that can be read is shown (the archive, once opened).
        const int shown = archive ? 2 : static_cast<int>(available.indexOf(true));
        if (podman)
            QCOMPARE(sources->source(2)->name, QStringLiteral("Podman (rootful)"));
        QCOMPARE(panel.currentSource() ? sources->rowOf(panel.currentSource()->kind, panel.currentSource()->root) : -1,
            shown);
        if (shown >= 0)
            QVERIFY(panel.imagesModel()->rowCount() > 0);
    }

    // An archive: every history entry (ENV, LABEL, CMD as "no layer"), the layers with their
    // whole instructions, a layer alone with its whiteout, Extract as Stack… offered.
    void archiveSource()
    {
        QTemporaryDir dir;
        strata::test::FakeImageArchive fake;
        QVERIFY(fake.write(dir.path()));
        auto store = ArchiveStore::open(fake.path);
        QVERIFY(store.ok());
        WatchedPanel watched;
        ImagesPanel &panel = watched.panel;
        panel.addArchive(*store, 0);
        QCOMPARE(panel.currentSource()->kind, QStringLiteral("Archive"));
        QVERIFY(panel.extractButton()->isVisibleTo(&panel));
        HistoryModel *history = panel.historyModel();
        QCOMPARE(history->rowCount(), 6);
        const QStringList words {QStringLiteral("no layer"),
            QStringLiteral("layer 2"),
            QStringLiteral("no layer"),
            QStringLiteral("layer 1"),
            QStringLiteral("no layer"),
            QStringLiteral("layer 0")};
        for (int r = 0; r < 6; ++r) {
            QCOMPARE(cell(history, r, HistoryModel::LayerColumn), words.at(r));
            QCOMPARE(history->index(r, HistoryModel::InstructionColumn).data(Qt::ToolTipRole).toString(),
                fake.instructions.at(5 - r));
        }
        QCOMPARE(cell(history, 5 - 1, HistoryModel::InstructionColumn),
            QStringLiteral("ENV PATH=/usr/local/bin:/usr/bin:/bin"));
        panel.selectLayerRow(0);
        QVERIFY2(panel.instructionText().contains(fake.instructions.at(4)), qPrintable(panel.instructionText()));

        // The top layer alone: its whiteout is there, as what it is.
        MergeLayers opened;
        connect(&panel, &ImagesPanel::openLayers, this, [&](const MergeLayers &layers) { opened = layers; });
        QVERIFY(panel.openLayerRow(0));
        QCOMPARE(opened.size(), 1);
        auto tree = MergedTree::build(opened);
        QVERIFY(tree.ok());
        bool whiteout = false;
        for (NodeId id = 1; id < tree->nodeCount(); ++id)
            whiteout |= tree->path(id) == "/app/takbir.txt" && !tree->node(id).isVisible();
        QVERIFY(whiteout);
    }

    // The mode fills the window at both sizes, and the layers' instructions are whole where
    // there is room. With STRATA_SHOTS_DIR set (under xvfb), a screenshot of each source kind.
    void fillsTheWindow_data()
    {
        strata::test::addColumns<QSize, QString>("size", "kind");
        for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
            for (const char *kind : {"docker", "archive"})
                QTest::addRow("%dx%d %s", size.width(), size.height(), kind) << size << QString::fromLatin1(kind);
            // The host's own stores, for the screenshots only: what a user of this host sees.
            if (qEnvironmentVariableIsSet("STRATA_SHOTS_DIR")) {
                for (const char *kind : {"Docker", "containerd", "Podman"})
                    QTest::addRow("%dx%d host %s", size.width(), size.height(), kind)
                        << size << QStringLiteral("host-") + QString::fromLatin1(kind);
            }
        }
    }

    void fillsTheWindow()
    {
        QFETCH(QSize, size);
        QFETCH(QString, kind);
        QTemporaryDir dir;
        FakeDockerRoot fake;
        fake.running = true;
        QVERIFY(fake.build(dir.path()));
        MainWindow w;
        w.resize(size);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        ImagesPanel *panel = w.imagesPanel();
        const bool host = kind.startsWith(QLatin1String("host-"));
        if (!host)
            panel->setRoots({dir.path(), nowhere(), {}});
        else if (kind == QLatin1String("host-Podman")) // the store tests/podman/podman.sh fills
            panel->setRoots({nowhere(), nowhere(), {QStringLiteral("/var/lib/strata-podman/storage")}});
        QSignalSpy found(panel, &ImagesPanel::sourcesFound);
        w.showImagesPanel();
        QVERIFY(found.wait(30000));
        if (host && !panel->selectSourceKind(kind.mid(5)))
            QSKIP("no such store on this host");
        strata::test::FakeImageArchive archive;
        if (kind == QLatin1String("archive")) {
            QVERIFY(archive.write(dir.path()));
            QSignalSpy shown(&w, &MainWindow::imageShown);
            QVERIFY(w.openImage(archive.path));
            QVERIFY(shown.wait(20000));
            w.showImagesPanel();
        }
        QTRY_VERIFY(w.imagesShown());
        auto *pages = w.findChild<QStackedWidget *>();
        QCOMPARE(panel->size(), pages->size());
        QVERIFY(pages->width() >= size.width() - 20);
        QVERIFY(pages->height() >= size.height() * 3 / 4);
        QTreeView *layers = panel->layersView();
        const int instruction = LayersModel::InstructionColumn;
        for (int r = 0; !host && r < panel->layersModel()->rowCount(); ++r) {
            const QString text = cell(panel->layersModel(), r, instruction);
            // Room for the whole text and the cell's margins.
            QTRY_VERIFY2(layers->columnWidth(instruction) >= layers->fontMetrics().horizontalAdvance(text) + 8,
                qPrintable(text));
        }
        if (const QString shots = qEnvironmentVariable("STRATA_SHOTS_DIR"); !shots.isEmpty()) {
            const QString name
                = QStringLiteral("%1/images-%2-%3x%4").arg(shots, kind).arg(size.width()).arg(size.height());
            QTest::qWait(200);
            QVERIFY(w.grab().save(name + QStringLiteral(".png")));
            if (kind != QLatin1String("archive") && panel->containersModel()->rowCount() > 0) {
                int running = 0; // a running one, with its danger
                for (int r = 0; r < panel->containersModel()->rowCount(); ++r) {
                    if (panel->store()->containerAt(r).running)
                        running = r;
                }
                panel->selectContainer(running);
                panel->showChanges();
                QSignalSpy ready(panel, &ImagesPanel::changesReady);
                QVERIFY(ready.wait(10000));
                QTest::qWait(200);
                QVERIFY(w.grab().save(name + QStringLiteral("-container.png")));
            }
        }
    }

    // A container of nine layers side by side scrolls sideways, and the merged column, what
    // they make, is in sight.
    void nineLayersShowTheMergedColumn()
    {
        QTemporaryDir dir;
        MergeLayers layers;
        for (int k = 8; k >= 0; --k) {
            const QString d = dir.filePath(QStringLiteral("layer-with-a-long-name-%1").arg(k));
            QVERIFY(
                FakeDockerRoot::writeFile(d + QStringLiteral("/app/some-rather-long-file-name-%1.txt").arg(k), "x"));
            MergeLayer l;
            l.path = d;
            l.name = k == 8 ? QStringLiteral("upper (rw)") : QStringLiteral("layer %1 (c0ffee%1)").arg(k);
            l.role = k == 8 ? LayerRole::Upper : LayerRole::Lower;
            layers << l;
        }
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy ready(&w, &MainWindow::treeReady);
        w.showLayers(layers, QStringLiteral("container nine"), MergeOptions {});
        QVERIFY(ready.wait(10000));
        LayerColumns *columns = w.layerColumns();
        QCOMPARE(columns->columnCount(), 10);
        QTRY_VERIFY(columns->scrollsSideways());
        QTreeView *merged = columns->view(9);
        QTRY_VERIFY(!merged->visibleRegion().isEmpty());
        if (const QString shots = qEnvironmentVariable("STRATA_SHOTS_DIR"); !shots.isEmpty()) {
            QTest::qWait(200);
            QVERIFY(w.grab().save(shots + QStringLiteral("/images-nine-layers-1280x720.png")));
        }
    }
};

QTEST_MAIN(TestImagesPanel)
#include "tst_imagespanel.moc"
