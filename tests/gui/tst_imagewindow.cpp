// SPDX-License-Identifier: GPL-2.0-or-later
// Image archives in the window: File → Open Image… (and a drop) unpacks one into an editable
// stack whose merged view is the image's; File → Save as Image… writes it back with the
// edits as a new top layer, which opens again with them.
#include "core/image/archive/archivestore.h"
#include "core/merge/mergedtree.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/images/imageopener.h"
#include "ui/mainwindow.h"

#include "tests/support/datatable.h"
#include "tests/support/files.h"
#include "tests/support/privatemountns.h"
#include "tests/support/require.h"

#include <QAction>
#include <QMimeData>
#include <QSet>
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

// A regular file of the image, the deepest one: deleting it makes a whiteout in the upper.
QString someFile(const MergedTree &tree)
{
    QString best;
    for (NodeId id = 1; id < tree.nodeCount(); ++id) {
        const MergedNode &n = tree.node(id);
        const QString p = QString::fromUtf8(tree.path(id));
        if (n.isVisible() && n.type == EntryType::File && p.count(QLatin1Char('/')) > best.count(QLatin1Char('/')))
            best = p;
    }
    return best;
}

QSet<QString> windowView(MainWindow &w)
{
    const auto &tree = w.model()->tree();
    return tree ? visiblePaths(*tree) : QSet<QString> {};
}
} // namespace

class TestImageWindow final : public strata::test::MountTest
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
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

    // Open → the image's merged view on the stage; edit; Save as Image → an archive whose
    // view is the edited one; opened again, it shows the edits.
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
        QSignalSpy opened(&w, &MainWindow::imageOpened);
        QSignalSpy ready(&w, &MainWindow::treeReady);
        auto *save = w.findChild<QAction *>(QStringLiteral("saveImageAction"));
        QVERIFY(save && !save->isEnabled());
        QVERIFY(w.openImage(copy));
        QVERIFY(opened.wait(60000));
        QVERIFY(ready.count() > 0 || ready.wait(20000));
        QVERIFY(opened.first().first().toString().startsWith(ImageOpener::folder()));
        QCOMPARE(windowView(w), image);
        QVERIFY(save->isEnabled());

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

        // The saved image, opened again: the edits are part of it.
        opened.clear();
        ready.clear();
        QVERIFY(w.openImage(out));
        QVERIFY(opened.wait(60000));
        QVERIFY(ready.count() > 0 || ready.wait(20000));
        QCOMPARE(windowView(w), edited);
    }

    // An archive dropped on the window opens like File → Open Image…; a workspace opens as one.
    void dropAnArchive()
    {
        QTemporaryDir tmp;
        const QString copy = tmp.filePath(QStringLiteral("dropped.tar"));
        QVERIFY(QFile::copy(strata::test::fixturesDir() + QStringLiteral("/generated/whiteout-demo.docker.tar"), copy));
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy opened(&w, &MainWindow::imageOpened);
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(copy)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        QVERIFY(opened.wait(60000));
        QVERIFY(ready.count() > 0 || ready.wait(20000));
        QCOMPARE(windowView(w), archiveView(copy));
        QCOMPARE(QDir(ImageOpener::folder())
                     .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                     .filter(QStringLiteral("dropped"))
                     .size(),
            1);
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
};

STRATA_MOUNT_GUI_TEST_MAIN(TestImageWindow)
#include "tst_imagewindow.moc"
