// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/lesson/lesson.h"
#include "core/lesson/lessonfolder.h"
#include "core/merge/mergedtree.h"
#include "core/session/mountcontroller.h"
#include "core/stack/scenario.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/common/statusline.h"
#include "ui/lesson/lessonsdialog.h"
#include "ui/mainwindow.h"
#include "ui/stage/captionbanner.h"
#include "ui/stage/eventanimator.h"
#include "ui/stage/layercolumns.h"
#include "ui/stage/stackdiagram.h"

#include "tests/support/datatable.h"
#include "tests/support/fingerprint.h"
#include "tests/support/privatemountns.h"
#include "tests/support/scenariotree.h"
#include "tests/support/windowsteps.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

#include <cerrno>
#include <functional>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace strata;
using strata::test::editToEnd;
using strata::test::openAndShow;

namespace
{
bool mountedAt(const QString &dir)
{
    QFile f(QStringLiteral("/proc/self/mountinfo"));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray want = QFile::encodeName(QFileInfo(dir).canonicalFilePath());
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() > 4 && fields.at(4) == want)
            return true;
    }
    return false;
}

// The blog scenario in `root` with `option` (off there) set to `value` in its file.
bool blogWith(const QString &root, const char *option, const char *value)
{
    if (!Scenario::create(QStringLiteral("blog"), root).ok())
        return false;
    QFile json(root + QStringLiteral("/stratascope.json"));
    if (!json.open(QIODevice::ReadOnly))
        return false;
    QByteArray text = json.readAll();
    json.close();
    const QByteArray off = QByteArray("\"") + option + "\": \"off\"";
    if (!text.contains(off))
        return false;
    const QByteArray on = QByteArray("\"") + option + "\": \"" + value + "\"";
    text.replace(off, on);
    return json.open(QIODevice::WriteOnly | QIODevice::Truncate) && json.write(text) == text.size();
}

QByteArray xattr(const QString &path, const char *name)
{
    char buf[256];
    const ssize_t n = ::lgetxattr(QFile::encodeName(path).constData(), name, buf, sizeof buf);
    return n < 0 ? QByteArray() : QByteArray(buf, n);
}

// Starts `lesson` in `w` and plays it to the end of step `last` (`done` spies on lessonStepDone).
bool playLessonTo(MainWindow &w, QSignalSpy &done, const QString &lesson, int last)
{
    if (!w.startLesson(lesson) || !done.wait(10000))
        return false;
    for (int step = 2; step <= last; ++step) {
        if (!w.lessonNext() || !done.wait(10000))
            return false;
    }
    return w.lessonStep() == last;
}
} // namespace

class TestMainWindow final : public strata::test::MountTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("StratascopeTest"));
        QStandardPaths::setTestModeEnabled(true); // the lesson folder under ~/.qttest
    }

    void modelOverScenarios_data() { test::scenarioRows(); }

    void modelOverScenarios()
    {
        QFETCH(QString, scenario);
        QTemporaryDir dir;
        auto tree = test::scenarioTree(scenario, dir.filePath(QStringLiteral("ws")));
        QVERIFY(tree.ok());
        MergedTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTree(*tree);
        // Walk every row so the tester sees every index.
        int rows = 0;
        std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
            for (int r = 0; r < model.rowCount(parent); ++r) {
                ++rows;
                const QModelIndex idx = model.index(r, 0, parent);
                QCOMPARE(model.parent(idx), parent);
                QVERIFY(!model.data(idx, Qt::ToolTipRole).toString().isEmpty());
                walk(idx);
            }
        };
        walk({});
        QCOMPARE(std::size_t(rows), model.tree()->nodeCount() - 1);
    }

    void blogWindow()
    {
        MainWindow w;
        w.show();
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QAbstractItemModelTester tester(w.treeView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTemporaryDir dir;
        QVERIFY(openAndShow(w, ready, QStringLiteral("blog"), dir.filePath(QStringLiteral("blog"))));
        QVERIFY(!w.isScanning());
        QCOMPARE(w.model()->tree()->visibleCount(), std::size_t(9));

        // The layer stack and mount command are shown.
        auto *layers = w.findChild<QTreeWidget *>(QStringLiteral("layerList"));
        QVERIFY(layers);
        QCOMPARE(layers->topLevelItemCount(), 2);
        QCOMPARE(layers->topLevelItem(0)->text(1), QStringLiteral("upper"));
        auto *command = w.findChild<QLabel *>(QStringLiteral("mountCommand"));
        QVERIFY(command->text().startsWith(QStringLiteral("mount -t overlay overlay -o lowerdir=")));

        // Selecting an entry explains where it comes from.
        QVERIFY(w.selectPath(QStringLiteral("/base_image/common.txt")));
        QVERIFY2(w.detailsText().contains(QStringLiteral("comes from upper_layer")), qPrintable(w.detailsText()));
        QVERIFY(w.detailsText().contains(QStringLiteral("lower_layer (file)")));
        const QModelIndex cur = w.treeView()->currentIndex();
        QCOMPARE(cur.sibling(cur.row(), MergedTreeModel::LayerColumn).data().toString(), QStringLiteral("upper_layer"));
        QVERIFY(
            cur.sibling(cur.row(), MergedTreeModel::NotesColumn).data().toString().contains(QStringLiteral("shadows")));
    }

    void stackedAndWhiteouts()
    {
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QAbstractItemModelTester tester(w.treeView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTemporaryDir dir;
        QVERIFY(openAndShow(w, ready, QStringLiteral("stacked"), dir.filePath(QStringLiteral("s"))));
        auto *overlays = w.findChild<QListWidget *>(QStringLiteral("overlayList"));
        QCOMPARE(overlays->count(), 2);
        QVERIFY(overlays->item(1)->text().contains(QStringLiteral("stacked on overlay_layer")));
        w.selectOverlay(1);
        QVERIFY(ready.wait(10000));
        QCOMPARE(w.model()->tree()->layers().size(), 3);
        QVERIFY(w.selectPath(QStringLiteral("/base_image/common.txt")));
        QVERIFY(w.detailsText().contains(QStringLiteral("through overlay overlay_layer")));

        // A whiteout row is marked with text, not colour alone, and can be hidden.
        QVERIFY(openAndShow(w, ready, QStringLiteral("docker-like"), dir.filePath(QStringLiteral("d"))));
        QVERIFY(w.selectPath(QStringLiteral("/bin/ls")));
        const QModelIndex ls = w.treeView()->currentIndex();
        QVERIFY(ls.sibling(ls.row(), MergedTreeModel::NotesColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("deleted (whiteout)")));
        QVERIFY(ls.data(Qt::FontRole).value<QFont>().strikeOut());
        auto *toggle = w.findChild<QAction *>(QStringLiteral("showDeleted"));
        QVERIFY(toggle);
        toggle->setChecked(false);
        QVERIFY(!w.selectPath(QStringLiteral("/bin/ls")));
        QVERIFY(w.selectPath(QStringLiteral("/bin/sh")));
    }

    void editsShowInTheTimeline_data()
    {
        QTest::addColumn<bool>("engine");
        QTest::newRow("engine") << true;
        // A kernel mount: as root in a private mount namespace, else in a user namespace.
        QTest::newRow("kernel") << false;
    }

    void editsShowInTheTimeline()
    {
        QFETCH(bool, engine);
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QAbstractItemModelTester tester(w.treeView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTemporaryDir dir;
        QVERIFY(openAndShow(w, ready, QStringLiteral("blog"), dir.filePath(QStringLiteral("blog"))));
        w.setUseEngine(engine);

        // Delete common.txt: a whiteout, shown in the timeline and in the merged view.
        QCOMPARE(editToEnd(w, {QStringLiteral("rm"), QStringLiteral("/base_image/common.txt")}), 0);
        QVERIFY(ready.wait(10000));
        QTreeWidget *timeline = w.timeline();
        QCOMPARE(timeline->topLevelItemCount(), 1);
        QTreeWidgetItem *op = timeline->topLevelItem(0);
        QCOMPARE(op->text(0), QStringLiteral("$ rm overlay_layer/base_image/common.txt"));
        QStringList kinds;
        for (int i = 0; i < op->childCount(); ++i)
            kinds << op->child(i)->text(0) + QLatin1Char(' ') + op->child(i)->text(1);
        QVERIFY2(kinds.contains(QStringLiteral("whiteout /base_image/common.txt")),
            qPrintable(kinds.join(QLatin1Char(','))));
        QVERIFY(w.selectPath(QStringLiteral("/base_image/common.txt")));
        QVERIFY(w.treeView()->currentIndex().data(MergedTreeModel::IsWhiteoutRole).toBool());

        // Edit second_instruction.txt: a copy-up.
        QCOMPARE(editToEnd(w,
                     {QStringLiteral("append"),
                         QStringLiteral("/base_image/second_instruction.txt"),
                         QStringLiteral("edited")}),
            0);
        QVERIFY(ready.wait(10000));
        op = timeline->topLevelItem(1);
        kinds.clear();
        for (int i = 0; i < op->childCount(); ++i)
            kinds << op->child(i)->text(0);
        QVERIFY2(kinds.contains(QStringLiteral("copy_up")), qPrintable(kinds.join(QLatin1Char(','))));
        QVERIFY(w.selectPath(QStringLiteral("/base_image/second_instruction.txt")));
        const QModelIndex cur = w.treeView()->currentIndex();
        QCOMPARE(cur.sibling(cur.row(), MergedTreeModel::LayerColumn).data().toString(), QStringLiteral("upper_layer"));

        // A refused edit is shown, not hidden: renaming a merged directory without redirect_dir.
        QCOMPARE(editToEnd(w, {QStringLiteral("mv"), QStringLiteral("/base_image"), QStringLiteral("/renamed")}),
            int(EXDEV));
        QVERIFY(timeline->topLevelItem(2)->text(3).contains(QStringLiteral("redirect_dir=on")));
    }

    void layersSideBySide()
    {
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QTemporaryDir dir;
        QVERIFY(w.openScenario(QStringLiteral("blog"), dir.filePath(QStringLiteral("blog"))));
        LayerColumns *columns = w.layerColumns();
        QSignalSpy columnsReady(columns, &LayerColumns::ready);
        QVERIFY(ready.wait(10000));
        QVERIFY(columnsReady.count() > 0 || columnsReady.wait(10000));
        // lower, upper, work, merged — left to right.
        QCOMPARE(columns->columnCount(), 4);
        for (int c = 0; c < columns->columnCount(); ++c)
            QAbstractItemModelTester tester(columns->model(c), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(columns->model(0)->tree()->layers().first().name, QStringLiteral("lower_layer"));
        QCOMPARE(columns->model(1)->tree()->layers().first().name, QStringLiteral("upper_layer"));
        QCOMPARE(columns->model(3)->tree()->layers().size(), 2);

        // A right click in the merged column selects the path and asks for the edit menu.
        QSignalSpy menu(columns, &LayerColumns::editMenuRequested);
        QTreeView *mergedView = columns->view(3);
        QCOMPARE(mergedView->contextMenuPolicy(), Qt::CustomContextMenu);
        QCOMPARE(columns->view(0)->contextMenuPolicy(), Qt::DefaultContextMenu); // lower layers are not edited
        w.show();
        mergedView->expandAll();
        const QModelIndex part2
            = columns->model(3)->indexForNode(*columns->model(3)->tree()->find("/base_image/PART2.txt"));
        QStringList shown; // the menu's actions, read while it is open, then it is closed
        QTimer::singleShot(0, &w, [&shown] {
            if (auto *popup = qobject_cast<QMenu *>(QApplication::activePopupWidget())) {
                for (QAction *a : popup->actions())
                    shown << a->text();
                popup->close();
            }
        });
        Q_EMIT mergedView->customContextMenuRequested(mergedView->visualRect(part2).center());
        QVERIFY2(shown.contains(QStringLiteral("&Delete")), qPrintable(shown.join(QLatin1Char(','))));
        QCOMPARE(menu.count(), 1);
        QCOMPARE(menu.at(0).at(0).toString(), QStringLiteral("/base_image/PART2.txt"));
        QCOMPARE(w.treeView()->currentIndex().data(MergedTreeModel::MergedPathRole).toString(),
            QStringLiteral("/base_image/PART2.txt"));

        // Each column says what the selected path is in its layer: provenance, shadows.
        QVERIFY(w.selectPath(QStringLiteral("/base_image/common.txt")));
        QCOMPARE(columns->status(1), QStringLiteral("✔ provides it"));
        QCOMPARE(columns->status(0), QStringLiteral("▽ shadowed by upper_layer"));
        QVERIFY(columns->status(3).contains(QStringLiteral("from upper_layer")));
        // The stack diagram has a plane per column and says the same with tags.
        StackDiagram *diagram = w.stackDiagram();
        QCOMPARE(diagram->planes().size(), columns->columnCount());
        QCOMPARE(diagram->highlightedPath(), QStringLiteral("/base_image/common.txt"));
        QVERIFY2(diagram->tagText(1).contains(QStringLiteral("provides")), qPrintable(diagram->tagText(1)));
        QVERIFY2(diagram->tagText(0).contains(QStringLiteral("shadowed")), qPrintable(diagram->tagText(0)));
        QVERIFY(w.selectPath(QStringLiteral("/base_image/PART1.txt")));
        QCOMPARE(columns->status(0), QStringLiteral("✔ provides it"));
        QCOMPARE(columns->status(1), QStringLiteral("— not in this layer"));

        // After a delete, the upper column holds the whiteout; the lower one is unchanged.
        // The columns are rescanned in place, not rebuilt: what the user opened stays open.
        QTreeView *lowerView = columns->view(0);
        columnsReady.clear();
        QCOMPARE(editToEnd(w, {QStringLiteral("rm"), QStringLiteral("/base_image/common.txt")}), 0);
        QVERIFY(columnsReady.wait(10000));
        const auto upperId = columns->model(1)->tree()->find("/base_image/common.txt");
        QVERIFY(upperId && !columns->model(1)->tree()->node(*upperId).isVisible());
        const auto lowerId = columns->model(0)->tree()->find("/base_image/common.txt");
        QVERIFY(lowerId && columns->model(0)->tree()->node(*lowerId).isVisible());
        QVERIFY(columns->wasRefresh());
        QCOMPARE(columns->view(0), lowerView);
        // The status lines tell the result once the animation of the edit has reached it.
        QTRY_VERIFY_WITH_TIMEOUT(w.captions()->pending() == 0 && !columns->animator()->isRunning(), 30000);
        QVERIFY(w.selectPath(QStringLiteral("/base_image/common.txt")));
        QCOMPARE(columns->status(0), QStringLiteral("✖ hidden by the whiteout in upper_layer"));
        QCOMPARE(columns->status(1), QStringLiteral("† its whiteout hides the lower copies"));
        QCOMPARE(columns->status(3), QStringLiteral("✖ deleted: a whiteout in upper_layer"));
        QVERIFY2(diagram->tagText(1).contains(QStringLiteral("hides")), qPrintable(diagram->tagText(1)));

        // Selecting a path selects it in every column that has it.
        QVERIFY(w.selectPath(QStringLiteral("/base_image/PART1.txt")));
        QCOMPARE(columns->view(0)->currentIndex().data(MergedTreeModel::MergedPathRole).toString(),
            QStringLiteral("/base_image/PART1.txt"));
        QCOMPARE(columns->view(3)->currentIndex().data(MergedTreeModel::MergedPathRole).toString(),
            QStringLiteral("/base_image/PART1.txt"));
        QVERIFY(!columns->view(1)->currentIndex().isValid()
            || columns->view(1)->currentIndex().data(MergedTreeModel::MergedPathRole).toString()
                != QStringLiteral("/base_image/PART1.txt"));
    }

    void namesAreWhole_data()
    {
        strata::test::addColumns<QSize, QString>("size", "scenario");
        QTest::newRow("blog at 1280x720") << QSize(1280, 720) << QStringLiteral("blog");
        QTest::newRow("blog at 1920x1080") << QSize(1920, 1080) << QStringLiteral("blog");
        QTest::newRow("stacked at 1280x720") << QSize(1280, 720) << QStringLiteral("stacked");
    }

    // Side by side, every shown name fits its column: the Name section is as wide as the
    // delegate wants for each name, so none is elided ("comm…", "secon…").
    void namesAreWhole()
    {
        QFETCH(QSize, size);
        QFETCH(QString, scenario);
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QTemporaryDir dir;
        LayerColumns *columns = w.layerColumns();
        QSignalSpy columnsReady(columns, &LayerColumns::ready);
        QVERIFY(openAndShow(w, ready, scenario, dir.filePath(QStringLiteral("ws"))));
        QVERIFY(columnsReady.count() > 0 || columnsReady.wait(10000));
        w.resize(size);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.showStageTab(strata::Stage::ColumnsTab);
        const int merged = columns->findColumn(LayerRole::Merged);
        QTreeView *mergedView = columns->view(merged);
        const auto base = columns->model(merged)->tree()->find("/base_image");
        QVERIFY(base);
        mergedView->setExpanded(columns->model(merged)->indexForNode(*base), true); // every column follows
        QTest::qWait(50); // the columns are fitted from the event loop
        int checked = 0;
        for (int c = 0; c < columns->columnCount(); ++c) {
            QTreeView *v = columns->view(c);
            QAbstractItemModel *m = v->model();
            QVERIFY2(v->width() > 0, qPrintable(QString::number(c)));
            std::function<void(const QModelIndex &)> visit = [&](const QModelIndex &parent) {
                for (int r = 0; r < m->rowCount(parent); ++r) {
                    const QModelIndex idx = m->index(r, MergedTreeModel::NameColumn, parent);
                    const int wanted = v->sizeHintForIndex(idx).width();
                    const int has = v->visualRect(idx).width();
                    QVERIFY2(wanted <= has,
                        qPrintable(QStringLiteral("column %1: \"%2\" needs %3 px, has %4 (column %5 px wide)")
                                       .arg(c)
                                       .arg(idx.data().toString())
                                       .arg(wanted)
                                       .arg(has)
                                       .arg(v->width())));
                    ++checked;
                    if (v->isExpanded(idx))
                        visit(idx);
                }
            };
            visit({});
        }
        QVERIFY(checked >= 10); // the blog files were there to be measured
    }

    // File → New from Lesson plays the lesson with its panel; its copy lives in the lesson
    // folder, which keeps a few copies, and no copy (nor an old /tmp one) is ever "recent".
    void lessonsFromTheMenu()
    {
        QVERIFY(QDir(LessonFolder::root()).removeRecursively());
        QSettings().setValue(QStringLiteral("recentWorkspaces"),
            QStringList {QDir::tempPath() + QStringLiteral("/stratascope-blog-AbC123/stratascope.json")});
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        auto *menuEntry = w.findChild<QAction *>(QStringLiteral("lesson:blog"));
        QVERIFY(menuEntry);
        QVERIFY2(menuEntry->text().contains(QStringLiteral("steps")), qPrintable(menuEntry->text()));
        menuEntry->trigger();
        QVERIFY(ready.wait(10000));
        QVERIFY(!w.narration().isEmpty()); // the lesson panel is up, on step 1
        QTRY_VERIFY_WITH_TIMEOUT(!w.isBusy(), 10000); // step 1 keeps its state, then is done
        QVERIFY(w.workspace());
        const QString first = w.workspace()->filePath();
        QVERIFY2(first.startsWith(LessonFolder::root() + QLatin1Char('/')), qPrintable(first));
        const QStringList recent = QSettings().value(QStringLiteral("recentWorkspaces")).toStringList();
        QVERIFY2(!recent.contains(first), qPrintable(recent.join(QLatin1Char(','))));
        auto *recentMenu = w.findChild<QMenu *>(QStringLiteral("recentMenu"));
        QVERIFY(recentMenu);
        QCOMPARE(recentMenu->actions().size(), 0); // the old /tmp copy is not offered either
        QVERIFY(!recentMenu->isEnabled());

        // More copies: the oldest go, the folder keeps a handful.
        for (int i = 0; i < LessonFolder::kept + 3; ++i) {
            QTest::qWait(5); // distinct modification times
            QVERIFY(w.openScenario(QStringLiteral("stacked"), {}));
        }
        const QStringList copies = QDir(LessonFolder::root()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY2(copies.size() <= LessonFolder::kept + 1, qPrintable(copies.join(QLatin1Char(','))));
        QVERIFY(QFileInfo::exists(w.workspace()->filePath())); // never the one in use
    }

    void blogLessonStepByStep()
    {
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QVERIFY(w.startLesson(QStringLiteral("blog")));
        QCOMPARE(w.lessonStep(), 1);
        QVERIFY(w.narration().contains(QStringLiteral("common.txt comes from upper_layer")));
        while (w.lessonNext())
            QVERIFY(ready.wait(10000));
        auto lesson = Lesson::load(QStringLiteral("blog"));
        QVERIFY(lesson.ok());
        int edits = 0;
        for (const Lesson::Step &s : lesson->steps())
            edits += s.edit.isEmpty() ? 0 : 1;
        QCOMPARE(w.lessonStep(), int(lesson->steps().size()));
        QCOMPARE(w.timeline()->topLevelItemCount(), edits);
        // The end is in the second overlay: it sees the first one's file and its own.
        const OverlaySpec &second = w.workspace()->overlays().at(1);
        QCOMPARE(w.model()->tree()->layers().first().path, second.upper);
        QVERIFY(w.selectPath(QStringLiteral("/from_first.txt")));
        QVERIFY(w.selectPath(QStringLiteral("/from_second.txt")));
        QVERIFY(QFile::exists(second.upper + QStringLiteral("/from_second.txt")));
        QVERIFY(!QFile::exists(w.workspace()->overlays().at(0).upper + QStringLiteral("/from_second.txt")));
        // base_image was re-created opaque in the first overlay, and is empty seen from both.
        const auto tree = w.model()->tree();
        const auto id = tree->find("/base_image");
        QVERIFY(id && tree->node(*id).has(MergedNode::Opaque));
        QCOMPARE(tree->node(*id).childCount, 0u);

        // Back one step: the uppers as they were before the last step, from its snapshot (no
        // replay: the earlier edits stay in the timeline); from_second.txt is gone, on disk too.
        const bool lastEdits = !lesson->steps().last().edit.isEmpty();
        QSignalSpy done(&w, &MainWindow::lessonStepDone);
        QVERIFY(w.lessonPrevious());
        QCOMPARE(w.lessonStep(), int(lesson->steps().size()) - 1);
        QVERIFY(done.wait(10000));
        QVERIFY(!QFile::exists(second.upper + QStringLiteral("/from_second.txt")));
        QTRY_VERIFY_WITH_TIMEOUT(!w.isScanning() && w.model()->tree() && w.model()->tree()->find("/from_first.txt")
                && !w.model()->tree()->find("/from_second.txt"),
            10000);
        QCOMPARE(w.timeline()->topLevelItemCount(), edits - (lastEdits ? 1 : 0));
        // Back once more and forward twice: the same end as before.
        QVERIFY(w.lessonPrevious());
        QVERIFY(done.wait(10000));
        QCOMPARE(w.lessonStep(), int(lesson->steps().size()) - 2);
        for (int i = 0; i < 2; ++i) {
            QVERIFY(w.lessonNext());
            QVERIFY(done.wait(10000));
        }
        QVERIFY(!w.lessonNext());
        QVERIFY(QFile::exists(second.upper + QStringLiteral("/from_second.txt")));
        QCOMPARE(w.timeline()->topLevelItemCount(), edits);
    }

    // Previous puts back at once the state kept after the step before: the layer directories
    // as they were then, that step's narration, and no lesson copy among the recent ones.
    void previousRestoresTheSavedStep()
    {
        QSettings().remove(QStringLiteral("recentWorkspaces"));
        auto lesson = Lesson::load(QStringLiteral("blog"));
        QVERIFY(lesson.ok());
        MainWindow w;
        QSignalSpy done(&w, &MainWindow::lessonStepDone);
        QVERIFY(w.startLesson(QStringLiteral("blog"))); // the first Next: step 1
        QVERIFY(done.wait(10000));
        const QString base = w.workspace()->baseDir();
        auto layers = [&base] {
            QList<QByteArray> prints;
            for (const char *dir : {"lower_layer", "upper_layer", "overlay_layer"})
                prints << strata::test::fingerprint(base + QLatin1Char('/') + QLatin1String(dir));
            return prints;
        };
        QList<QByteArray> afterThree;
        for (int step = 2; step <= 4; ++step) {
            QVERIFY(w.lessonNext());
            QVERIFY(done.wait(10000));
            QCOMPARE(w.lessonStep(), step);
            if (step == 3)
                afterThree = layers();
        }
        QVERIFY(layers() != afterThree); // step 4 left a whiteout
        QVERIFY(w.lessonPrevious());
        QCOMPARE(w.narration(), lesson->steps().at(2).say); // at once, before the uppers are back
        QVERIFY(done.wait(10000));
        QCOMPARE(w.lessonStep(), 3);
        QCOMPARE(layers(), afterThree);
        QCOMPARE(w.narration(), lesson->steps().at(2).say);
        auto *recentMenu = w.findChild<QMenu *>(QStringLiteral("recentMenu"));
        QVERIFY(recentMenu);
        QCOMPARE(recentMenu->actions().size(), 0);
        QVERIFY(QSettings().value(QStringLiteral("recentWorkspaces")).toStringList().isEmpty());
    }

    // The blog lesson starts on the two-layer stack and builds overlay_layer_2 where the
    // narration brings it in; Previous takes it away again.
    void blogLessonBuildsTheSecondOverlay()
    {
        auto lesson = Lesson::load(QStringLiteral("blog"));
        QVERIFY(lesson.ok());
        MainWindow w;
        QSignalSpy done(&w, &MainWindow::lessonStepDone);
        QVERIFY(w.startLesson(QStringLiteral("blog")));
        QVERIFY(done.wait(10000));
        QCOMPARE(w.workspace()->overlays().size(), 1);
        const QString upper2 = w.workspace()->baseDir() + QStringLiteral("/upper_layer_2");
        QVERIFY(!QFileInfo::exists(upper2));
        for (int step = 2; step <= 9; ++step) {
            QVERIFY(w.lessonNext());
            QVERIFY(done.wait(10000));
            QCOMPARE(w.workspace()->overlays().size(), step < 9 ? 1 : 2);
        }
        QVERIFY(QFileInfo(upper2).isDir());
        QCOMPARE(w.workspace()->dependents(0), QList<int> {1});
        auto *overlays = w.findChild<QListWidget *>(QStringLiteral("overlayList"));
        QVERIFY(overlays);
        QCOMPARE(overlays->count(), 2);
        auto reloaded = Workspace::load(w.workspace()->filePath());
        QVERIFY(reloaded.ok());
        QCOMPARE(reloaded->overlays().size(), 2);
        QVERIFY(w.lessonPrevious());
        QVERIFY(done.wait(10000));
        QCOMPARE(w.lessonStep(), 8);
        QCOMPARE(w.workspace()->overlays().size(), 1);
        QVERIFY(!QFileInfo::exists(upper2));
        QCOMPARE(overlays->count(), 1);
        QVERIFY(w.lessonNext());
        QVERIFY(done.wait(10000));
        QCOMPARE(w.workspace()->overlays().size(), 2);
    }

    // File → Lessons… lists every built-in lesson with its description and opens the one
    // chosen with its panel.
    void lessonsDialog()
    {
        MainWindow w;
        auto *entry = w.findChild<QAction *>(QStringLiteral("lessonsAction"));
        QVERIFY(entry);
        entry->trigger();
        LessonsDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = w.findChild<LessonsDialog *>()) != nullptr);
        QCOMPARE(dialog->list()->count(), int(Lesson::builtInNames().size()));
        int opaque = -1;
        for (int i = 0; i < dialog->list()->count(); ++i) {
            const QString name = dialog->list()->item(i)->data(Qt::UserRole).toString();
            auto lesson = Lesson::load(name);
            QVERIFY(lesson.ok());
            QVERIFY(dialog->list()->item(i)->text().contains(lesson->title()));
            QVERIFY(dialog->list()->item(i)->text().contains(lesson->description()));
            if (name == QLatin1String("opaque"))
                opaque = i;
        }
        QVERIFY(opaque >= 0);
        dialog->list()->setCurrentRow(opaque);
        QSignalSpy done(&w, &MainWindow::lessonStepDone);
        dialog->accept();
        QVERIFY(done.wait(10000));
        QCOMPARE(w.narration(), Lesson::load(QStringLiteral("opaque"))->steps().first().say);
        auto *panel = w.findChild<QWidget *>(QStringLiteral("lessonPanel")); // on the stage
        QVERIFY(panel && !panel->isHidden());
    }

    // A refused edit is explained: the errno by name, and the option that would allow it.
    void refusedEditIsExplained()
    {
        MainWindow w;
        QSignalSpy done(&w, &MainWindow::lessonStepDone);
        QVERIFY(playLessonTo(w, done, QStringLiteral("rename"), 3));
        QTreeWidgetItem *last = w.timeline()->topLevelItem(w.timeline()->topLevelItemCount() - 1);
        QVERIFY(last);
        QString all;
        for (int c = 0; c < w.timeline()->columnCount(); ++c)
            all += last->text(c) + last->toolTip(c);
        QVERIFY2(
            all.contains(QStringLiteral("EXDEV")) && all.contains(QStringLiteral("redirect_dir=on")), qPrintable(all));
        // ...and on the stage, where the class looks: the banner says so until the next edit.
        auto *banner = w.findChild<CaptionBanner *>(QStringLiteral("captionBanner"));
        QVERIFY(banner);
        QVERIFY(banner->showsRefusal());
        QVERIFY2(banner->text().contains(QStringLiteral("EXDEV"))
                && banner->text().contains(QStringLiteral("redirect_dir=on"))
                && banner->text().contains(QStringLiteral("refused")),
            qPrintable(banner->text()));
        // A lesson keeps its options: no "Try again", and the banner says why.
        QVERIFY(banner->retryButton()->isHidden());
        QVERIFY2(banner->text().contains(QStringLiteral("lesson keeps")), qPrintable(banner->text()));
    }

    void refusedEditTriesAgainWithTheOption_data() { editsShowInTheTimeline_data(); }

    // "Try again with redirect_dir=on": one click remounts the stack with it and renames the
    // lower directory; the kernel and the engine both leave the redirect in the upper.
    void refusedEditTriesAgainWithTheOption()
    {
        QFETCH(bool, engine);
        if (!engine)
            STRATA_REQUIRE_MOUNT();
        QTemporaryDir dir;
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QVERIFY(openAndShow(w, ready, QStringLiteral("blog"), dir.filePath(QStringLiteral("blog"))));
        w.setUseEngine(engine);
        QCOMPARE(w.usesEngine(), engine);
        const QString upper = w.workspace()->overlays().first().upper;
        const QStringList mv {QStringLiteral("mv"), QStringLiteral("/base_image"), QStringLiteral("/renamed")};
        QCOMPARE(editToEnd(w, mv), int(EXDEV));
        CaptionBanner *banner = w.captions();
        QVERIFY(banner->showsRefusal());
        QPushButton *retry = banner->retryButton();
        QTRY_VERIFY(retry->isVisible());
        QCOMPARE(retry->text(), QStringLiteral("Try again with redirect_dir=on"));
        QVERIFY(banner->geometry().contains(retry->geometry().translated(banner->pos()))); // inside it
        if (const QString shots = qEnvironmentVariable("STRATA_SHOTS_DIR"); !shots.isEmpty() && engine) {
            QTest::qWait(300);
            QVERIFY(w.grab().save(shots + QStringLiteral("/refusal-retry.png")));
        }

        QSignalSpy finished(&w, &MainWindow::editFinished);
        QTest::mouseClick(retry, Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toInt(), 0);
        QVERIFY(retry->isHidden());
        auto *status = w.findChild<StatusLine *>();
        QVERIFY(status);
        QVERIFY2(status->text().startsWith(QStringLiteral("Remounted with redirect_dir=on: mv ")),
            qPrintable(status->text()));
        QCOMPARE(w.workspace()->overlays().first().options.redirectDir, QStringLiteral("on"));
        // The file too: `strata` and the next start see the option.
        QCOMPARE(
            Workspace::load(w.workspace()->filePath())->overlays().first().options.redirectDir, QStringLiteral("on"));
        QTRY_VERIFY(!w.isScanning());
        QTRY_VERIFY(w.selectPath(QStringLiteral("/renamed/common.txt")));
        // The old name is gone from the merged view: at most a deleted row (a whiteout) is shown.
        QVERIFY(!w.selectPath(QStringLiteral("/base_image"))
            || w.treeView()->currentIndex().data(MergedTreeModel::IsWhiteoutRole).toBool());
        QCOMPARE(xattr(upper + QStringLiteral("/renamed"), "trusted.overlay.redirect"), QByteArray("base_image"));
        QVERIFY(!mountedAt(w.workspace()->overlays().first().mountpoint) || w.mounts()->isMounted());
    }

    // Options the kernel refuses together (metacopy=on without redirects): the edit cannot even
    // mount; the banner offers the option that makes them agree.
    void refusedMountTriesAgainWithTheOption()
    {
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("blog"));
        QVERIFY(blogWith(root, "metacopy", "on"));
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QVERIFY(w.openWorkspace(root));
        QVERIFY(ready.wait(10000));
        w.setUseEngine(true);
        const QStringList rm {QStringLiteral("rm"), QStringLiteral("/base_image/PART1.txt")};
        QVERIFY(editToEnd(w, rm) != 0);
        QPushButton *retry = w.captions()->retryButton();
        QVERIFY(w.captions()->showsRefusal());
        QCOMPARE(retry->text(), QStringLiteral("Try again with redirect_dir=on"));
        QSignalSpy finished(&w, &MainWindow::editFinished);
        QTest::mouseClick(retry, Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toInt(), 0);
        QCOMPARE(w.workspace()->overlays().first().options.redirectDir, QStringLiteral("on"));
        QTRY_VERIFY(!w.isScanning());
        // Deleted: a whiteout in the upper, shown as a deleted row.
        QTRY_VERIFY(w.selectPath(QStringLiteral("/base_image/PART1.txt"))
            && w.treeView()->currentIndex().data(MergedTreeModel::IsWhiteoutRole).toBool());
    }

    // A refusal no option would allow offers no button.
    void refusalWithoutRemedyHasNoButton()
    {
        QTemporaryDir dir;
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QVERIFY(openAndShow(w, ready, QStringLiteral("blog"), dir.filePath(QStringLiteral("blog"))));
        w.setUseEngine(true);
        QCOMPARE(editToEnd(w, {QStringLiteral("rmdir"), QStringLiteral("/base_image")}), int(ENOTEMPTY));
        QVERIFY(w.captions()->showsRefusal());
        QVERIFY(w.captions()->retryButton()->isHidden());
    }

    // A third stacking level is refused (the kernel's EINVAL); the lesson goes on, and
    // Previous takes the refused overlay away again.
    void stackingLessonRefusesTheThirdLevel()
    {
        MainWindow w;
        QSignalSpy done(&w, &MainWindow::lessonStepDone);
        QVERIFY(playLessonTo(w, done, QStringLiteral("stacking"), 3));
        QCOMPARE(w.lessonStep(), 3);
        QCOMPARE(w.workspace()->overlays().size(), 3);
        const QString upper3 = w.workspace()->overlays().at(2).upper;
        QVERIFY(QDir(upper3).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System));
        // Shown where the class looks, as a refused edit is (it was a dialog that stopped the
        // lesson, and a scripted --to-step 3 that waited for it forever).
        auto *banner = w.findChild<CaptionBanner *>(QStringLiteral("captionBanner"));
        QVERIFY(banner && banner->showsRefusal());
        QVERIFY2(
            banner->text().contains(QStringLiteral("EINVAL")) && banner->text().contains(QStringLiteral("level3.txt")),
            qPrintable(banner->text()));
        QTreeWidgetItem *last = w.timeline()->topLevelItem(w.timeline()->topLevelItemCount() - 1);
        QVERIFY(last);
        QString row;
        for (int c = 0; c < w.timeline()->columnCount(); ++c)
            row += last->text(c) + last->toolTip(c);
        QVERIFY2(row.contains(QStringLiteral("overlay_layer_3/level3.txt"))
                && row.contains(QStringLiteral("stacking depth")),
            qPrintable(row));
        QVERIFY(w.lessonPrevious());
        QVERIFY(done.wait(10000));
        QCOMPARE(w.workspace()->overlays().size(), 2);
        QVERIFY(!QFileInfo::exists(upper3));
        QVERIFY(QFile::exists(w.workspace()->overlays().at(1).upper + QStringLiteral("/level2.txt")));
    }

    void badLessonFiles_data()
    {
        strata::test::addColumns<QByteArray, QString>("json", "expected");
        QTest::newRow("not JSON") << QByteArray("{") << QStringLiteral("not valid JSON");
        QTest::newRow("unknown scenario")
            << QByteArray(R"({"version":1,"scenario":"nope","steps":[{"say":"x"}]})") << QStringLiteral("scenario");
        QTest::newRow("no steps") << QByteArray(R"({"version":1,"scenario":"blog","steps":[]})")
                                  << QStringLiteral("steps");
        QTest::newRow("bad edit") << QByteArray(
            R"({"version":1,"scenario":"blog","steps":[{"say":"x","edit":["fly","/a"]}]})")
                                  << QStringLiteral("steps[0].edit: unknown verb");
        QTest::newRow("no narration") << QByteArray(R"({"version":1,"scenario":"blog","steps":[{"edit":["rm","/a"]}]})")
                                      << QStringLiteral("steps[0].say");
    }

    void badLessonFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const auto l = Lesson::fromJson(json, QStringLiteral("x.lesson"));
        QVERIFY(!l.ok());
        QVERIFY2(l.error().message.contains(expected), qPrintable(l.error().message));
    }

    void exportPngAndSvg()
    {
        MainWindow w;
        w.resize(1200, 800);
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QSignalSpy columnsReady(w.layerColumns(), &LayerColumns::ready);
        QTemporaryDir dir;
        QVERIFY(openAndShow(w, ready, QStringLiteral("blog"), dir.filePath(QStringLiteral("blog"))));
        QVERIFY(columnsReady.count() > 0 || columnsReady.wait(10000)); // the stage shows the columns
        w.show(); // laid out as the user sees it
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTest::qWait(50);
        QVERIFY(w.exportView(dir.filePath(QStringLiteral("view.png"))));
        QImage png(dir.filePath(QStringLiteral("view.png")));
        QVERIFY(!png.isNull());
        QVERIFY(png.width() > 200 && png.height() > 200);
        QVERIFY(w.exportView(dir.filePath(QStringLiteral("view.svg"))));
        QFile svg(dir.filePath(QStringLiteral("view.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("common.txt")); // the tree's text is in the drawing
        QVERIFY(!w.exportView(dir.filePath(QStringLiteral("missing/dir/view.png"))));
    }

    void captionsPlayEachEvent()
    {
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QTemporaryDir dir;
        QVERIFY(openAndShow(w, ready, QStringLiteral("blog"), dir.filePath(QStringLiteral("blog"))));
        w.setUseEngine(true); // the engine reports the staging in work too
        CaptionBanner *captions = w.captions();
        captions->setSpeed(4.0);
        QSignalSpy showing(captions, &CaptionBanner::showing);
        QCOMPARE(
            editToEnd(w,
                {QStringLiteral("append"), QStringLiteral("/base_image/second_instruction.txt"), QStringLiteral("x")}),
            0);
        // Played once the columns show the result of the edit.
        QTRY_COMPARE(captions->pending(), 3); // work_temp, copy_up, modified
        QVERIFY(captions->text().contains(QStringLiteral("work_temp")));
        QVERIFY(captions->text().contains(
            QStringLiteral("$ echo x &gt;&gt; overlay_layer/base_image/second_instruction.txt")));
        QTRY_COMPARE_WITH_TIMEOUT(captions->pending(), 0, 15000);
        QCOMPARE(showing.count(), 3);
        QCOMPARE(showing.at(1).at(0).value<OverlayEvent>().kind, OverlayEvent::Kind::CopyUp);
        // Off: nothing is queued.
        captions->setSpeed(0);
        QCOMPARE(editToEnd(w, {QStringLiteral("rm"), QStringLiteral("/base_image/PART1.txt")}), 0);
        QCOMPARE(captions->pending(), 0);
        QVERIFY(captions->isHidden());
    }

    void editsAnimateOnTheColumns_data()
    {
        strata::test::addColumns<bool, QList<QStringList>, QStringList>("engine", "setup", "edit");
        // Per event: kind:shape@role of each column it moves through, in order.
        QTest::addColumn<QStringList>("expected");
        const auto s = [](const char *text) {
            return QString::fromUtf8(text).split(QLatin1Char(' '));
        };
        const QStringList whiteout {QStringLiteral("whiteout:Tombstone@upper"),
            QStringLiteral("whiteout:GreyOut@lower"),
            QStringLiteral("whiteout:GreyOut@merged")};
        // The lower row lights up, the copy travels to work and its row appears there, then on to upper.
        const QStringList copyUp {QStringLiteral("work_temp:Appear@lower"),
            QStringLiteral("work_temp:Travel@lower>work"),
            QStringLiteral("work_temp:Staged@work"),
            QStringLiteral("copy_up:Travel@work>upper"),
            QStringLiteral("copy_up:Pulse@merged"),
            QStringLiteral("modified:Pulse@upper")};
        QTest::newRow("whiteout") << true << QList<QStringList>() << s("rm /base_image/common.txt") << whiteout;
        QTest::newRow("whiteout, kernel")
            << false << QList<QStringList>() << s("rm /base_image/common.txt") << whiteout;
        QTest::newRow("copy-up") << true << QList<QStringList>() << s("append /base_image/second_instruction.txt x")
                                 << copyUp;
        // The kernel's staging in work is over before the upper layer is read: the same story,
        // reconstructed from its copy_up.
        QTest::newRow("copy-up, kernel") << false << QList<QStringList>()
                                         << s("append /base_image/second_instruction.txt x")
                                         << QStringList {QStringLiteral("copy_up:Appear@lower"),
                                                QStringLiteral("copy_up:Travel@lower>work"),
                                                QStringLiteral("copy_up:Staged@work"),
                                                QStringLiteral("copy_up:Travel@work>upper"),
                                                QStringLiteral("copy_up:Pulse@merged"),
                                                QStringLiteral("modified:Pulse@upper")};
        QTest::newRow("created") << true << QList<QStringList>() << s("mkdir /base_image/new")
                                 << QStringList {QStringLiteral("created:Appear@upper"),
                                        QStringLiteral("created:Appear@merged")};
        QTest::newRow("removed") << true << QList<QStringList> {s("touch /base_image/new.txt")}
                                 << s("rm /base_image/new.txt")
                                 << QStringList {QStringLiteral("removed:Vanish@upper"),
                                        QStringLiteral("removed:Vanish@merged")};
        QTest::newRow("opaque") << true << QList<QStringList> {s("rm-r /base_image")} << s("mkdir /base_image")
                                << QStringList {
                                       QStringLiteral("opaque:Pulse@upper"), QStringLiteral("opaque:Curtain@lower")};
        QTest::newRow("redirect") << true << QList<QStringList>() << s("mv /base_image /renamed")
                                  << QStringList {QStringLiteral("whiteout:Tombstone@upper"),
                                         QStringLiteral("whiteout:GreyOut@lower"),
                                         QStringLiteral("whiteout:GreyOut@merged"),
                                         QStringLiteral("redirect:Arrow@upper>lower")};
    }

    void editsAnimateOnTheColumns()
    {
        QFETCH(bool, engine);
        QFETCH(QList<QStringList>, setup);
        QFETCH(QStringList, edit);
        QFETCH(QStringList, expected);
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("blog"));
        // redirect_dir=on, so that renaming a lower directory works (and shows its redirect).
        QVERIFY(blogWith(root, "redirect_dir", "on"));

        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QVERIFY(w.openWorkspace(root));
        QVERIFY(ready.wait(10000));
        w.setUseEngine(engine);
        EventAnimator *animator = w.layerColumns()->animator();
        w.setAnimationSpeed(0);
        for (const QStringList &op : setup)
            QCOMPARE(editToEnd(w, op), 0);
        QTRY_VERIFY(!w.isScanning());
        QVERIFY(animator->history().isEmpty()); // off: nothing played

        w.setAnimationSpeed(4.0);
        QCOMPARE(editToEnd(w, edit), 0);
        QTRY_VERIFY_WITH_TIMEOUT(animator->isRunning(), 10000);
        // Drawn over the columns while it runs: the same moment without the animation differs.
        QTRY_VERIFY_WITH_TIMEOUT(animator->progress() > 0.3, 10000);
        QVERIFY(animator->isRunning());
        {
            // No event is processed between the two pictures: the same frame, with and without.
            const QImage with = w.layerColumns()->grab().toImage();
            animator->hide();
            const QImage without = w.layerColumns()->grab().toImage();
            animator->show();
            QVERIFY(with != without);
        }
        QTRY_VERIFY_WITH_TIMEOUT(w.captions()->pending() == 0 && !animator->isRunning(), 30000);

        // Double-clicking the edit in the timeline plays its events again.
        const qsizetype played = animator->history().size();
        QTreeWidgetItem *op = w.timeline()->topLevelItem(w.timeline()->topLevelItemCount() - 1);
        Q_EMIT w.timeline()->itemDoubleClicked(op, 0);
        QTRY_VERIFY_WITH_TIMEOUT(w.captions()->pending() == 0 && !animator->isRunning(), 30000);
        QCOMPARE(animator->history().size(), 2 * played);
        for (qsizetype i = 0; i < played; ++i)
            QCOMPARE(animator->history().at(played + i).event.path, animator->history().at(i).event.path);
        const QList<EventAnimator::Animation> once = animator->history().mid(0, played);

        QStringList got;
        LayerColumns *columns = w.layerColumns();
        for (const EventAnimator::Animation &a : once) {
            for (const EventAnimator::Part &part : a.parts) {
                QStringList roles;
                for (int c : part.columns)
                    roles << roleName(columns->role(c));
                got << QStringLiteral("%1:%2@%3")
                           .arg(OverlayEvent::kindName(a.event.kind),
                               EventAnimator::shapeName(part.shape),
                               roles.join(QLatin1Char('>')));
            }
        }
        QCOMPARE(got.join(QLatin1Char(',')), expected.join(QLatin1Char(',')));
        // The view moved to the columns, where the movement is.
        QCOMPARE(w.findChild<QTabWidget *>(QStringLiteral("centerTabs"))->currentWidget(), columns);
    }

    void mountUnmountAndOutsideEdits()
    {
        STRATA_REQUIRE_MOUNT();
        if (!BackendPolicy().info(Backend::Kernel).mountable) {
            if (strata::test::inCi())
                QFAIL("CI=true and the kernel backend cannot mount here");
            QSKIP("the kernel backend cannot mount here (not root)");
        }
        QTemporaryDir dir;
        QString merged;
        {
            MainWindow w;
            QSignalSpy ready(&w, &MainWindow::treeReady);
            QVERIFY(w.openScenario(QStringLiteral("blog"), dir.filePath(QStringLiteral("blog"))));
            QVERIFY(ready.wait(10000));
            w.setBackend(Backend::Kernel);
            w.setAnimationSpeed(4.0);
            w.mounts()->setWatchSettleTime(100);
            auto *mountAction = w.findChild<QAction *>(QStringLiteral("mountAction"));
            auto *state = w.findChild<QLabel *>(QStringLiteral("mountState"));
            QVERIFY(mountAction && state && mountAction->isEnabled() && !mountAction->isChecked());

            QTRY_VERIFY_WITH_TIMEOUT(w.mounts()->isWatching(), 10000);
            mountAction->trigger();
            merged = w.mounts()->mergedDirectory();
            QVERIFY(mountedAt(merged));
            QVERIFY(mountAction->isChecked());
            QCOMPARE(state->text(), QStringLiteral("● Mounted"));
            QVERIFY2(state->toolTip().contains(merged), qPrintable(state->toolTip()));

            // Another program writes in the merged directory: the timeline says so, and it animates.
            QTreeWidget *timeline = w.timeline();
            QFile f(merged + QStringLiteral("/base_image/from_terminal.txt"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("hello\n");
            f.close();
            QTRY_COMPARE_WITH_TIMEOUT(timeline->topLevelItemCount(), 1, 10000);
            QVERIFY(timeline->topLevelItem(0)->text(0).contains(QStringLiteral("outside")));
            QCOMPARE(timeline->topLevelItem(0)->child(0)->text(1), QStringLiteral("/base_image/from_terminal.txt"));
            QTRY_VERIFY_WITH_TIMEOUT(!w.layerColumns()->animator()->history().isEmpty(), 10000);
            QVERIFY(w.layerColumns()->animator()->history().last().event.outside);
            QVERIFY2(
                w.captions()->text().contains(QStringLiteral("outside the app")), qPrintable(w.captions()->text()));

            // The app's own edit, on the mount, is not reported a second time as an outside one.
            QCOMPARE(editToEnd(w, {QStringLiteral("rm"), QStringLiteral("/base_image/common.txt")}), 0);
            QCOMPARE(timeline->topLevelItemCount(), 2);
            QTest::qWait(600);
            QCOMPARE(timeline->topLevelItemCount(), 2);
            QVERIFY(timeline->topLevelItem(1)->text(0).startsWith(QStringLiteral("$ rm")));
            QVERIFY(!QFileInfo::exists(merged + QStringLiteral("/base_image/common.txt")));

            // Unmount, mount again, then close the window mounted: nothing stays behind.
            mountAction->trigger();
            QVERIFY(!mountedAt(merged));
            QVERIFY(!mountAction->isChecked());
            QCOMPARE(state->text(), QStringLiteral("○ Not mounted"));
            QVERIFY(w.setMounted(true));
            QVERIFY(mountedAt(merged));
        }
        QVERIFY(!mountedAt(merged));
    }

    void editPropagatesUpTheStack()
    {
        strata::test::EngineWindow f;
        QVERIFY(f.open(QStringLiteral("stacked")));
        MainWindow &w = f.w;
        QSignalSpy &ready = f.ready;
        auto *list = w.findChild<QListWidget *>(QStringLiteral("overlayList"));
        QCOMPARE(list->count(), 2);
        const QString before = list->item(1)->text();
        QCOMPARE(
            editToEnd(w, {QStringLiteral("write"), QStringLiteral("/base_image/new.txt"), QStringLiteral("x")}), 0);
        QVERIFY(ready.wait(10000));
        // overlay_layer_2 stands on overlay_layer: it is told, with a word and an icon.
        QVERIFY2(list->item(1)->text().contains(QStringLiteral("sees the edit in overlay_layer: /base_image/new.txt")),
            qPrintable(list->item(1)->text()));
        QVERIFY(!list->item(1)->icon().isNull());
        QCOMPARE(list->item(0)->text(), list->item(0)->data(Qt::UserRole).toString());

        w.selectOverlay(1);
        QVERIFY(ready.wait(10000));
        QCOMPARE(list->item(1)->text(), before);
        QVERIFY(w.selectPath(QStringLiteral("/base_image/new.txt")));
        const QModelIndex cur = w.treeView()->currentIndex();
        QCOMPARE(cur.sibling(cur.row(), MergedTreeModel::LayerColumn).data().toString(),
            QStringLiteral("upper_layer (via overlay_layer)"));
    }

    void editsRunOffTheGuiThread()
    {
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("blog"));
        QVERIFY(Scenario::create(QStringLiteral("blog"), root));
        // Enough entries that removing them all takes a while: each becomes a whiteout.
        const QString many = root + QStringLiteral("/lower_layer/base_image/many");
        QVERIFY(QDir().mkpath(many));
        for (int i = 0; i < 20000; ++i) {
            QFile f(many + QStringLiteral("/f%1").arg(i));
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QVERIFY(w.openWorkspace(root));
        QVERIFY(ready.wait(20000));
        w.setUseEngine(true);
        w.setAnimationSpeed(0);
        QVERIFY(w.selectPath(QStringLiteral("/base_image/PART1.txt")));
        int ticks = 0;
        int busy = -1;
        bool busyState = false;
        bool deleteEnabled = true;
        QTimer timer;
        timer.setInterval(1);
        connect(&timer, &QTimer::timeout, &w, [&] {
            if (++ticks != 1)
                return;
            // A second edit meanwhile is refused, not interleaved; the Delete key pressed
            // meanwhile is dropped, not run on PART1.txt afterwards; the overlay stays put.
            busy = w.applyEdit({QStringLiteral("touch"), QStringLiteral("/base_image/PART1.txt")});
            busyState = w.isBusy();
            for (QAction *a : w.treeView()->actions()) {
                if (a->shortcut() == QKeySequence(QKeySequence::Delete))
                    deleteEnabled = a->isEnabled();
            }
            QTest::keyClick(w.treeView(), Qt::Key_Delete);
            w.selectOverlay(0);
        });
        timer.start();
        QCOMPARE(editToEnd(w, {QStringLiteral("rm-r"), QStringLiteral("/base_image/many")}), 0);
        timer.stop();
        QVERIFY2(ticks > 0, "the event loop ran while the edit was being made");
        QCOMPARE(busy, int(EBUSY));
        QVERIFY(busyState); // one explicit state: busy, its edit actions disabled
        QVERIFY(!deleteEnabled);
        QVERIFY(!w.isBusy());
        QVERIFY(ready.wait(20000));
        // The end state on disk: the directory is a whiteout in upper, the lower one untouched.
        struct stat st {
        };
        QCOMPARE(::lstat(QFile::encodeName(root + QStringLiteral("/upper_layer/base_image/many")).constData(), &st), 0);
        QVERIFY(S_ISCHR(st.st_mode));
        QVERIFY(QFileInfo::exists(many + QStringLiteral("/f19999")));
        QVERIFY(!w.model()->tree()->find("/base_image/many/f1"));
        QCOMPARE(w.timeline()->topLevelItemCount(), 1);
        QVERIFY(!QFileInfo::exists(root + QStringLiteral("/upper_layer/base_image/PART1.txt")));
    }

    void backendChoice()
    {
        MainWindow w;
        auto *combo = w.findChild<QComboBox *>(QStringLiteral("backendCombo"));
        QVERIFY(combo);
        QCOMPARE(combo->count(), w.mounts()->policy().backends().size());
        w.setBackend(Backend::Engine);
        QVERIFY(w.usesEngine());
        QCOMPARE(combo->currentData().toInt(), int(Backend::Engine));
        QVERIFY(w.findChild<QAction *>(QStringLiteral("useEngine"))->isChecked());
        w.setUseEngine(false);
        QCOMPARE(w.backend(), Backend::Auto);
        QCOMPARE(w.usesEngine(), w.mounts()->policy().choose(Backend::Auto).backend == Backend::Engine);
        // A backend that cannot work here is listed, but cannot be chosen.
        for (int i = 0; i < combo->count(); ++i) {
            const auto b = static_cast<Backend>(combo->itemData(i).toInt());
            const auto *item = static_cast<QStandardItemModel *>(combo->model())->item(i);
            QCOMPARE(item->isEnabled(), w.mounts()->policy().info(b).usable);
        }
    }

    void presentationMode()
    {
        MainWindow w;
        const QFont normal = QApplication::font();
        const int normalPixels = QFontInfo(normal).pixelSize();
        w.setPresentationMode(true);
        QVERIFY(w.presentationMode());
        QVERIFY2(QFontInfo(QApplication::font()).pixelSize() >= normalPixels * 5 / 4,
            qPrintable(QStringLiteral("%1 px, normally %2")
                           .arg(QFontInfo(QApplication::font()).pixelSize())
                           .arg(normalPixels)));
        QCOMPARE(QApplication::palette().color(QPalette::Text), QColor(Qt::black));
        w.setPresentationMode(false);
        QCOMPARE(QApplication::font(), normal);
    }

    void badWorkspaceIsReported()
    {
        MainWindow w;
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("stratascope.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ not json");
        f.close();
        QVERIFY(!w.openWorkspace(dir.path()));
        QVERIFY(!w.workspace().has_value());
    }
};

STRATA_MOUNT_GUI_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
