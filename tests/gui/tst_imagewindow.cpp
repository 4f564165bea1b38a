// SPDX-License-Identifier: GPL-2.0-or-later
// Image archives in the window: File → Open Image… (and a drop) shows one read-only, its layers
// read in place; Extract as Stack… unpacks it into an editable stack whose merged view is the
// image's; File → Save as Image… writes it back with the edits as a new top layer, which opens
// again with them. Cancelling a read or an extraction leaves nothing behind.
#include "core/events/patchedtree.h"
#include "core/fs/treecopy.h"
#include "core/image/archive/archivestore.h"
#include "core/image/createdby.h"
#include "core/merge/mergedtree.h"
#include "core/util/filename.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/common/statusline.h"
#include "ui/images/imageopener.h"
#include "ui/images/imagespanel.h"
#include "ui/images/storeformat.h"
#include "ui/mainwindow.h"

#include "tests/support/datatable.h"
#include "tests/support/files.h"
#include "tests/support/privatemountns.h"
#include "tests/support/require.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSet>
#include <QToolButton>
#include <QtTest>

using namespace strata;

namespace
{
// Every path the tree shows (whiteouts left out), "/" excepted.
QSet<QString> visiblePaths(const MergedTree &tree)
{
    QSet<QString> paths;
    for (NodeId id = 1; id < tree.nodeCount(); ++id) {
        if (tree.node(id).isVisible())
            paths.insert(QString::fromUtf8(tree.path(id)));
    }
    return paths;
}

// The merged view of the archive's image `ref`, read from its layer tars (no extraction).
QSet<QString> archiveView(const QString &archive, const QString &ref = {})
{
    const auto store = ArchiveStore::open(archive);
    if (!store.ok())
        return {};
    const auto image = (*store)->select(ref);
    if (!image.ok())
        return {};
    const auto layers = (*store)->imageMergeLayers(*image);
    if (!layers)
        return {};
    const auto tree = MergedTree::build(*layers);
    return tree ? visiblePaths(*tree) : QSet<QString> {};
}

// The window's merged view (edits patched in).
QSet<QString> visiblePaths(const PatchedTree &tree)
{
    QSet<QString> paths;
    tree.forEach([&](NodeId id) {
        if (tree.node(id).isVisible())
            paths.insert(QString::fromUtf8(tree.path(id)));
    });
    return paths;
}

// A regular file of the image, the deepest one: deleting it makes a whiteout in the upper.
QString someFile(const PatchedTree &tree)
{
    QString best;
    tree.forEach([&](NodeId id) {
        const MergedNode &n = tree.node(id);
        const QString p = QString::fromUtf8(tree.path(id));
        if (n.isVisible() && n.type == EntryType::File && p.count(QLatin1Char('/')) > best.count(QLatin1Char('/')))
            best = p;
    });
    return best;
}

QSet<QString> windowView(MainWindow &w)
{
    const auto &tree = w.model()->tree();
    return tree ? visiblePaths(*tree) : QSet<QString> {};
}

QStringList extractedFolders()
{
    return QDir(ImageOpener::folder()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
}

QJsonObject readJson(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

// What the ground truth's layers make of the image: each visible path with the layer that
// provides it (0 is the bottom), and the deleted paths nothing re-created.
struct Expected {
    QMap<QString, int> provider;
    QSet<QString> deleted;
};

Expected expectedView(const QJsonArray &layers)
{
    Expected e;
    auto dropBelow = [&e](const QString &dir, bool self) {
        for (auto it = e.provider.begin(); it != e.provider.end();) {
            const bool below = it.key().startsWith(dir + QLatin1Char('/')) || (self && it.key() == dir);
            it = below ? e.provider.erase(it) : std::next(it);
        }
    };
    QMap<QString, QString> types;
    for (int k = 0; k < layers.size(); ++k) {
        const QJsonObject l = layers.at(k).toObject();
        for (const QJsonValue &d : l.value(QStringLiteral("opaque_dirs")).toArray())
            dropBelow(d.toString(), false);
        for (const QJsonValue &d : l.value(QStringLiteral("deleted_paths")).toArray()) {
            dropBelow(d.toString(), true);
            e.deleted.insert(d.toString());
        }
        for (const QJsonValue &v : l.value(QStringLiteral("entries")).toArray()) {
            const QString path = v.toObject().value(QStringLiteral("path")).toString();
            const QString type = v.toObject().value(QStringLiteral("type")).toString();
            if (types.value(path) == QLatin1String("dir") && type != QLatin1String("dir"))
                dropBelow(path, false);
            types.insert(path, type);
            e.provider.insert(path, k);
            e.deleted.remove(path);
        }
    }
    return e;
}

// Waits for what a step of the window tells at its end, then for the merged view it shows.
bool waitForView(QSignalSpy &done, QSignalSpy &ready)
{
    if (done.count() == 0 && !done.wait(60000))
        return false;
    return ready.count() > 0 || ready.wait(20000);
}

// File → Open Image… of `archive`, read-only, until its merged view is shown.
bool openReadOnly(MainWindow &w, const QString &archive)
{
    QSignalSpy shown(&w, &MainWindow::imageShown);
    QSignalSpy ready(&w, &MainWindow::treeReady);
    return w.openImage(archive) && waitForView(shown, ready);
}

// Extract as Stack… of the image shown, until the stack's merged view is shown.
bool extractShown(MainWindow &w)
{
    QSignalSpy opened(&w, &MainWindow::imageOpened);
    QSignalSpy ready(&w, &MainWindow::treeReady);
    return w.extractImage() && waitForView(opened, ready)
        && opened.first().first().toString().startsWith(ImageOpener::folder());
}

// The archive is the source the Images & Containers panel shows.
bool archiveShown(const MainWindow &w)
{
    const StoreSource *s = w.imagesPanel()->currentSource();
    return s && s->kind == QLatin1String("Archive");
}
} // namespace

class TestImageWindow final : public strata::test::MountTest
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // An images folder of its own: other checkouts run this test on the same machine.
        QVERIFY(m_home.isValid());
        qputenv("HOME", encodeFileName(m_home.path()));
        QStandardPaths::setTestModeEnabled(true); // the images folder under ~/.qttest
        QDir(ImageOpener::folder()).removeRecursively();
        STRATA_REQUIRE(QFileInfo::exists(strata::test::fixturesDir() + QStringLiteral("/README.md")),
            "no fixtures: set STRATA_FIXTURES to ../shared/fixtures");
    }

    void cleanupTestCase() { QDir(ImageOpener::folder()).removeRecursively(); }

    void openAndSave_data()
    {
        strata::test::addColumns<QString>("archive");
        QTest::newRow("docker save (legacy)") << QStringLiteral("generated/whiteout-demo.docker.tar");
        QTest::newRow("oci-archive, gzip") << QStringLiteral("generated/whiteout-demo.oci-gzip.tar");
        QTest::newRow("oci-archive, zstd") << QStringLiteral("generated/whiteout-demo.oci-zstd.tar");
    }

    // Open → the image's merged view on the stage, read-only; Extract → the same view,
    // editable; edit; Save as Image → an archive whose view is the edited one; opened again
    // (and extracted again), it shows the edits.
    void openAndSave()
    {
        QFETCH(QString, archive);
        QTemporaryDir tmp;
        // A copy: the fixtures are read-only, and nothing may write beside them.
        const QString copy = tmp.filePath(QFileInfo(archive).fileName());
        QVERIFY(QFile::copy(strata::test::fixturesDir() + QLatin1Char('/') + archive, copy));
        const QSet<QString> image = archiveView(copy);
        QVERIFY(!image.isEmpty());

        MainWindow w;
        w.setBackend(Backend::Engine); // the edits need no mount: the test is about the archive
        auto *save = w.findChild<QAction *>(QStringLiteral("saveImageAction"));
        auto *extract = w.findChild<QAction *>(QStringLiteral("extractImageAction"));
        QVERIFY(save && !save->isEnabled());
        QVERIFY(extract && !extract->isEnabled());
        const QStringList before = extractedFolders();
        QVERIFY(openReadOnly(w, copy));
        QCOMPARE(windowView(w), image);
        QCOMPARE(extractedFolders(), before); // read in place: nothing unpacked
        QVERIFY(!save->isEnabled());
        QVERIFY(extract->isEnabled());
        QCOMPARE(w.applyEdit({QStringLiteral("write"), QStringLiteral("/nope.txt"), QStringLiteral("x")}), EROFS);

        QVERIFY(extractShown(w));
        QCOMPARE(windowView(w), image);
        QVERIFY(save->isEnabled());
        QVERIFY(!extract->isEnabled());
        QVERIFY(!w.imagesShown()); // the stack is on the stage, editable

        // An edit and a deletion, through the overlay's rules.
        const QString gone = someFile(*w.model()->tree());
        QVERIFY(!gone.isEmpty());
        QSignalSpy finished(&w, &MainWindow::editFinished);
        QCOMPARE(w.applyEdit({QStringLiteral("write"), QStringLiteral("/made-in-class.txt"), QStringLiteral("hi")}), 0);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.takeFirst().first().toInt(), 0);
        QCOMPARE(w.applyEdit({QStringLiteral("rm"), gone}), 0);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.takeFirst().first().toInt(), 0);

        QSignalSpy saved(&w, &MainWindow::imageSaved);
        const QString out = tmp.filePath(QStringLiteral("edited.tar"));
        QVERIFY(w.saveAsImage(out, QStringLiteral("edited:1")));
        QVERIFY(saved.wait(60000));
        QSet<QString> edited = image;
        edited.insert(QStringLiteral("/made-in-class.txt"));
        edited.remove(gone);
        QCOMPARE(archiveView(out), edited);

        // The saved image, opened again: the edits are part of it, read-only and extracted.
        QVERIFY(openReadOnly(w, out));
        QCOMPARE(windowView(w), edited);
        QCOMPARE(qsizetype(w.imagesPanel()->layersModel()->rowCount()), w.imagesPanel()->store()->imageLayerCount(0));
        QVERIFY(extractShown(w));
        QCOMPARE(windowView(w), edited);
    }

    void readOnlyLayers_data()
    {
        strata::test::addColumns<QString>("archive");
        for (const QString &archive : strata::test::generatedArchives())
            QTest::newRow(qPrintable(QFileInfo(archive).fileName())) << archive;
    }

    // The read-only view: the layers top first with their instructions and sizes, the merged
    // view as the ground truth has it, with the layer that provides each path and the
    // whiteouts; nothing to edit, and a sentence that says why and where to go.
    void readOnlyLayers()
    {
        QFETCH(QString, archive);
        const QJsonObject want = readJson(archive + QStringLiteral(".expected.json"));
        const QJsonArray layers = want.value(QStringLiteral("layers")).toArray();
        QVERIFY(!layers.isEmpty());
        QTemporaryDir tmp;
        const QString copy = tmp.filePath(QFileInfo(archive).fileName());
        QVERIFY(QFile::copy(archive, copy));

        MainWindow w;
        ImagesPanel *panel = w.imagesPanel();
        QAbstractItemModelTester tester(panel->layersModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(openReadOnly(w, copy));
        QVERIFY(archiveShown(w));
        QVERIFY(panel->statusText().contains(QStringLiteral("Read-only")));
        QVERIFY(panel->extractButton()->isVisibleTo(panel));
        QCOMPARE(w.applyEdit({QStringLiteral("mkdir"), QStringLiteral("/nope")}), EROFS);

        const LayersModel *model = panel->layersModel();
        const int n = int(layers.size());
        QCOMPARE(model->rowCount(), n);
        QCOMPARE(want.value(QStringLiteral("layer_count")).toInt(), n);
        for (int row = 0; row < n; ++row) {
            const QJsonObject l = layers.at(n - 1 - row).toObject(); // top first
            const QString raw = l.value(QStringLiteral("created_by")).toString();
            const QModelIndex instruction = model->index(row, LayersModel::InstructionColumn);
            QCOMPARE(instruction.data().toString(), CreatedBy::clean(raw));
            QVERIFY(instruction.data(Qt::ToolTipRole).toString().contains(raw));
            QCOMPARE(model->index(row, LayersModel::SizeColumn).data().toString(),
                StoreFormat::size(l.value(QStringLiteral("blob_size")).toInteger()));
            panel->selectLayerRow(row);
            QVERIFY2(panel->instructionText().contains(raw), qPrintable(panel->instructionText()));
        }

        // The merged view and its provenance, as the ground truth says.
        const Expected e = expectedView(layers);
        const auto &tree = w.model()->tree();
        QVERIFY(tree);
        QMap<QString, NodeId> ids;
        for (NodeId id = 1; id < tree->nodeCount(); ++id)
            ids.insert(QString::fromUtf8(tree->path(id)), id);
        const QStringList paths = e.provider.keys();
        QCOMPARE(windowView(w), QSet<QString>(paths.cbegin(), paths.cend()));
        for (auto it = e.provider.cbegin(); it != e.provider.cend(); ++it) {
            const MergedNode &node = tree->node(ids.value(it.key()));
            QVERIFY2(node.layer == n - 1 - it.value(), qPrintable(it.key())); // the tree's layers are top first
        }
        for (const QString &d : e.deleted)
            QVERIFY2(ids.contains(d) && !tree->node(ids.value(d)).isVisible(), qPrintable(d));

        // A layer alone (a double-click): its entries as the tar has them, then the whole image again.
        QSignalSpy ready(&w, &MainWindow::treeReady);
        for (int row = 0; row < n; ++row) {
            QSet<QString> entries;
            for (const QJsonValue &v : layers.at(n - 1 - row).toObject().value(QStringLiteral("entries")).toArray())
                entries.insert(v.toObject().value(QStringLiteral("path")).toString());
            ready.clear();
            QVERIFY(panel->openLayerRow(row));
            QVERIFY(ready.wait(20000));
            QCOMPARE(windowView(w), entries);
        }
        ready.clear();
        QVERIFY(panel->openMerged());
        QVERIFY(ready.wait(20000));
        QCOMPARE(windowView(w), QSet<QString>(paths.cbegin(), paths.cend()));
    }

    // An archive of several images (an OCI index): the first is shown, the others can be
    // chosen, and Extract unpacks the one shown. Its odd media types are shown as problems.
    void severalImages()
    {
        QTemporaryDir tmp;
        const QString layout = tmp.filePath(QStringLiteral("test_index"));
        QVERIFY(QDir().mkpath(layout));
        const QString fixture = strata::test::fixturesDir() + QStringLiteral("/public/go-containerregistry/test_index");
        QVERIFY(TreeCopy::copyContents(encodeFileName(fixture), encodeFileName(layout)).ok());
        MainWindow w;
        ImagesPanel *panel = w.imagesPanel();
        QVERIFY(openReadOnly(w, layout));
        const auto store = std::dynamic_pointer_cast<const ArchiveStore>(panel->store());
        QVERIFY(store && store->imageCount() > 1);
        QCOMPARE(panel->imagesModel()->rowCount(), int(store->imageCount())); // every image is listed
        const auto image = [panel] {
            return panel->layersModel()->image();
        };
        QCOMPARE(image(), *store->select(store->archiveImage(0).ref)); // offscreen: the first is taken
        QCOMPARE(windowView(w), archiveView(layout, store->archiveImage(image()).ref));
        QVERIFY(!store->problems().isEmpty());
        QVERIFY(panel->problemsVisible());

        const int other = image() == 1 ? 0 : 1;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        panel->selectImage(panel->imagesModel()->rowOf(other));
        QVERIFY(panel->openMerged());
        QVERIFY(ready.wait(20000));
        QCOMPARE(image(), other);
        QCOMPARE(panel->layersModel()->rowCount(), int(store->imageLayerCount(other)));
        const QSet<QString> view = archiveView(layout, store->archiveImage(other).id);
        QVERIFY(!view.isEmpty());
        QCOMPARE(windowView(w), view);
        QVERIFY(extractShown(w));
        QCOMPARE(windowView(w), view);
    }

    // An archive dropped on the window opens like File → Open Image… (read-only, nothing
    // unpacked until Extract); a workspace opens as one.
    void dropAnArchive()
    {
        QTemporaryDir tmp;
        const QString copy = tmp.filePath(QStringLiteral("dropped.tar"));
        QVERIFY(QFile::copy(strata::test::fixturesDir() + QStringLiteral("/generated/whiteout-demo.docker.tar"), copy));
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const auto *timeline = w.findChild<QDockWidget *>(QStringLiteral("timelineDock"));
        const int timelineHeight = timeline->height();
        QSignalSpy shown(&w, &MainWindow::imageShown);
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(copy)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        QVERIFY(waitForView(shown, ready));
        QCOMPARE(windowView(w), archiveView(copy));
        QCOMPARE(extractedFolders().filter(QStringLiteral("dropped")).size(), 0);
        // The panel's button extracts it.
        QSignalSpy opened(&w, &MainWindow::imageOpened);
        ready.clear();
        w.imagesPanel()->extractButton()->click();
        QVERIFY(waitForView(opened, ready));
        QCOMPARE(windowView(w), archiveView(copy));
        QCOMPARE(extractedFolders().filter(QStringLiteral("dropped")).size(), 1);
        QVERIFY(w.workspace().has_value());
        // The stack view, its timeline as high as before.
        QVERIFY(!w.imagesShown());
        QTRY_COMPARE(timeline->height(), timelineHeight);
    }

    // What is not an image says so, and the window keeps what it showed.
    void notAnImage()
    {
        QTemporaryDir tmp;
        const QString junk = tmp.filePath(QStringLiteral("junk.tar"));
        QVERIFY(strata::test::writeFile(junk, "this is not a tar archive at all"));
        MainWindow w;
        QSignalSpy failed(&w, &MainWindow::imageFailed);
        QVERIFY(w.openImage(junk));
        QVERIFY(failed.wait(20000));
        QVERIFY2(!failed.first().first().toString().isEmpty(), "a message");
        QVERIFY(!w.workspace().has_value());
        QVERIFY(!w.saveAsImage(tmp.filePath(QStringLiteral("out.tar")))); // nothing came from an image
    }

    void cancelLeavesNothing_data()
    {
        strata::test::addColumns<bool>("extracting");
        QTest::newRow("reading") << false;
        QTest::newRow("extracting") << true;
    }

    // Cancel (the status line's) while an archive is read or extracted: a message, no folder
    // left in the images folder, and the window keeps what it showed.
    void cancelLeavesNothing()
    {
        QFETCH(bool, extracting);
        QTemporaryDir tmp;
        const QString copy = tmp.filePath(QStringLiteral("cancelled.tar"));
        QVERIFY(QFile::copy(strata::test::fixturesDir() + QStringLiteral("/generated/whiteout-demo.docker.tar"), copy));
        MainWindow w;
        const QStringList before = extractedFolders();
        if (extracting) {
            QVERIFY(openReadOnly(w, copy));
            QVERIFY(w.extractImage());
        } else {
            QVERIFY(w.openImage(copy));
        }
        QSignalSpy failed(&w, &MainWindow::imageFailed);
        QSignalSpy shown(&w, &MainWindow::imageShown);
        QSignalSpy opened(&w, &MainWindow::imageOpened);
        Q_EMIT w.findChild<StatusLine *>()->cancelRequested();
        QVERIFY(failed.wait(60000));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("cancelled"), Qt::CaseInsensitive),
            qPrintable(failed.first().first().toString()));
        QTest::qWait(100);
        QCOMPARE(shown.count(), 0);
        QCOMPARE(opened.count(), 0);
        QCOMPARE(extractedFolders(), before);
        QVERIFY(!w.workspace().has_value());
        QCOMPARE(archiveShown(w), extracting); // still the read-only view
    }

private:
    QTemporaryDir m_home;
};

STRATA_MOUNT_GUI_TEST_MAIN(TestImageWindow)
#include "tst_imagewindow.moc"
