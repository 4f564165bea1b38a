// SPDX-License-Identifier: GPL-2.0-or-later
// The Docker panel on a small Docker root built here (FakeDockerRoot): no daemon needed.
#include "core/image/containerdiff.h"
#include "tests/support/datatable.h"
#include "tests/support/fakedockerroot.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/images/changesmodel.h"
#include "ui/images/containersmodel.h"
#include "ui/images/dockerpanel.h"
#include "ui/images/imagesmodel.h"
#include "ui/images/layersmodel.h"
#include "ui/images/problemsmodel.h"
#include "ui/images/searchhitsmodel.h"
#include "ui/images/stackmodel.h"
#include "ui/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

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
std::vector<std::unique_ptr<QAbstractItemModelTester>> watch(DockerPanel &panel)
{
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (QAbstractItemModel *m : {static_cast<QAbstractItemModel *>(panel.imagesModel()),
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

bool load(DockerPanel &panel, const QString &root, bool expectOk = true)
{
    QSignalSpy spy(&panel, &DockerPanel::loaded);
    panel.openRoot(root);
    if (spy.isEmpty() && !spy.wait(10000))
        return false;
    return spy.first().first().toBool() == expectOk;
}

// A shown panel whose models are all watched from the start.
struct WatchedPanel {
    DockerPanel panel;
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

class TestDockerPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QCoreApplication::setOrganizationName(QStringLiteral("StratascopeTest")); }

    void imagesLayersContainers()
    {
        PanelOnFakeRoot t;
        FakeDockerRoot &fake = t.fake;
        DockerPanel &panel = t.watched.panel;
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

        // The danger is spelled out for the selected container.
        const QString warning = panel.containerWarningText();
        QVERIFY2(
            warning.contains(t.dir.path() + QStringLiteral("/overlay2/") + fake.mountId + QStringLiteral("/merged")),
            qPrintable(warning));
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
        DockerPanel &panel = t.watched.panel;
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
        QCOMPARE(shown, panel.host()->imagesUsing(cacheId));
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
        QSignalSpy done(&panel, &DockerPanel::searchFinished);
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
        DockerPanel &panel = t.watched.panel;
        QVERIFY(t.build());
        const QString upper = fake.diff(fake.mountId);
        if (edit == QLatin1String("change"))
            QVERIFY(FakeDockerRoot::writeFile(upper + QStringLiteral("/etc/hostname"), "web\n"));
        if (edit == QLatin1String("delete")
            && ::mknod(QFile::encodeName(upper + QStringLiteral("/app/out.txt")).constData(), S_IFCHR | 0000, 0) != 0)
            QSKIP("a whiteout (character device 0/0) needs CAP_MKNOD");
        QVERIFY(t.load());
        QSignalSpy ready(&panel, &DockerPanel::changesReady);
        panel.selectContainer(0);
        panel.showChanges();
        QVERIFY(ready.wait(10000));
        QCOMPARE(ready.first().first().toBool(), true);

        auto diff = ContainerDiff::compute(*panel.host(), 0);
        QVERIFY(diff.ok());
        ChangesModel *model = panel.changesModel();
        QStringList shown;
        for (int r = 0; r < model->rowCount(); ++r)
            shown << cell(model, r, ChangesModel::KindColumn).left(1) + QLatin1Char(' ')
                    + cell(model, r, ChangesModel::PathColumn);
        QStringList fromStore;
        for (const ContainerChange &c : std::as_const(diff->changes))
            fromStore << QString(QLatin1Char(c.letter())) + QLatin1Char(' ') + QString::fromUtf8(c.path);
        QCOMPARE(shown, fromStore);
        QStringList sorted = shown;
        sorted.sort();
        changes.sort();
        QCOMPARE(sorted, changes);
        QVERIFY2(panel.changesStatusText().contains(
                     QStringLiteral("%1 added").arg(model->count(ContainerChange::Kind::Added))),
            qPrintable(panel.changesStatusText()));
    }

    void activationOpensLayers()
    {
        PanelOnFakeRoot t;
        FakeDockerRoot &fake = t.fake;
        DockerPanel &panel = t.watched.panel;
        QVERIFY(t.buildAndLoad());
        Opened opened;
        connect(&panel, &DockerPanel::openLayers, this, [&](const MergeLayers &layers, const QString &title) {
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

    void mainWindowShowsDockerLayers()
    {
        QTemporaryDir dir;
        FakeDockerRoot fake;
        QVERIFY(fake.build(dir.path()));
        MainWindow w;
        w.show();
        QAction *action = w.findChild<QAction *>(QStringLiteral("dockerAction"));
        QVERIFY(action);
        QVERIFY(!w.dockerPanel());
        DockerPanel *panel = w.showDockerPanel(dir.path());
        QVERIFY(panel);
        QVERIFY(panel->isVisible());
        QSignalSpy loaded(panel, &DockerPanel::loaded);
        QVERIFY(loaded.wait(10000));
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QVERIFY(panel->openRef(QStringLiteral("web")));
        QVERIFY(ready.wait(10000));

        auto *layerList = w.findChild<QTreeWidget *>(QStringLiteral("layerList"));
        QVERIFY(layerList);
        QCOMPARE(layerList->topLevelItemCount(), 5);
        QCOMPARE(layerList->topLevelItem(0)->toolTip(2), fake.diff(fake.mountId));
        QCOMPARE(layerList->topLevelItem(4)->toolTip(2), fake.diff(fake.cacheIds[0]));
        auto *command = w.findChild<QLabel *>(QStringLiteral("mountCommand"));
        QVERIFY2(command->text().contains(QStringLiteral("container web (read-only)")), qPrintable(command->text()));
        QVERIFY(!command->text().contains(QStringLiteral("mount -t")));
        // The merged view: the container's file, the init layer's, and the image's.
        QVERIFY(w.selectPath(QStringLiteral("/app/new.txt")));
        QVERIFY(w.selectPath(QStringLiteral("/etc/hosts")));
        QVERIFY(w.selectPath(QStringLiteral("/app/out.txt")));
        QVERIFY(w.selectPath(QStringLiteral("/bin/sh")));

        // The action shows the same panel again, without reading the root again.
        action->trigger();
        QCOMPARE(w.dockerPanel(), panel);
        QVERIFY(!panel->isLoading());
    }

    void problemsAreShown()
    {
        PanelOnFakeRoot t;
        FakeDockerRoot &fake = t.fake;
        DockerPanel &panel = t.watched.panel;
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

        // Not a Docker root at all: said, not hidden.
        QTemporaryDir empty;
        QVERIFY(load(panel, empty.path(), false));
        QVERIFY(panel.problemsVisible());
        QVERIFY(panel.statusText().contains(QStringLiteral("not a Docker root")));
        QCOMPARE(panel.imagesModel()->rowCount(), 0);
    }

    void findAndGrep()
    {
        PanelOnFakeRoot t;
        DockerPanel &panel = t.watched.panel;
        QVERIFY(t.buildAndLoad());
        QSignalSpy done(&panel, &DockerPanel::searchFinished);

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
    }

    void grepCancels()
    {
        PanelOnFakeRoot t;
        DockerPanel &panel = t.watched.panel;
        // 64 MiB without a match, read in chunks: far longer than the click below takes.
        QVERIFY(t.build(64 * 1024 * 1024));
        QVERIFY(t.load());
        QSignalSpy done(&panel, &DockerPanel::searchFinished);
        auto *cancel = panel.findChild<QPushButton *>(QStringLiteral("dockerSearchCancel"));
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
};

QTEST_MAIN(TestDockerPanel)
#include "tst_dockerpanel.moc"
