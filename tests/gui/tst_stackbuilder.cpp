// SPDX-License-Identifier: GPL-2.0-or-later
// The stack builder (File → New Stack…): its model, every change undoable, the option
// dependencies and the options the kernel refuses (a fake probe, and the real one), the live
// mount command and diagram, save → the file reads back equal and `strata check` accepts it,
// and a plain folder opened offers the builder. STRATA_SHOTS_DIR=/dir saves builder-*.png.
#include "core/mount/optioncatalog.h"
#include "core/mount/optionprobe.h"
#include "core/stack/mountcommand.h"
#include "tests/support/datatable.h"
#include "tests/support/files.h"
#include "ui/builder/buildermodel.h"
#include "ui/builder/optionrules.h"
#include "ui/builder/optionseditor.h"
#include "ui/builder/stackbuilder.h"
#include "ui/mainwindow.h"
#include "ui/stage/stackdiagram.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeView>
#include <QUndoStack>
#include <QtTest>

using namespace strata;

namespace
{

QStringList strs(std::initializer_list<const char *> words)
{
    QStringList out;
    for (const char *w : words)
        out << QString::fromUtf8(w);
    return out;
}

// A support where the kernel took every option but `refused` ("KEY=VALUE" or "KEY"), and
// refused every pair of OptionProbe::pairs() but those `taken`.
OptionProbe::Support fakeSupport(const QStringList &refused = {}, const QStringList &taken = {})
{
    OptionProbe::Support s;
    s.kernelRelease = QStringLiteral("9.9-fake");
    auto answer = [&](const QString &option, bool ok) {
        s.answers << OptionProbe::Answer {
            option, ok, ok ? 0 : EINVAL, ok ? QString() : QStringLiteral("overlay: fake refusal of %1").arg(option)};
    };
    for (const OptionCatalog::Entry &e : OptionCatalog::entries()) {
        if (e.isFlag())
            answer(e.key, !refused.contains(e.key));
        for (const QString &v : e.values)
            answer(e.key + QLatin1Char('=') + v, !refused.contains(e.key + QLatin1Char('=') + v));
    }
    for (const QStringList &p : OptionProbe::pairs())
        answer(p.join(QLatin1Char(',')), taken.contains(p.join(QLatin1Char(','))));
    return s;
}

// Layer directories with a file each, under `root`.
QStringList makeLayers(const QString &root, const QStringList &names)
{
    QStringList dirs;
    for (const QString &n : names) {
        const QString d = root + QLatin1Char('/') + n;
        if (!test::writeFile(d + QStringLiteral("/from-") + n + QStringLiteral(".txt"), n.toUtf8()))
            return {};
        dirs << d;
    }
    return dirs;
}

QStringList names(const QStringList &paths)
{
    QStringList out;
    for (const QString &p : paths)
        out << QDir(p).dirName();
    return out;
}

} // namespace

class TestStackBuilder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The window remembers recent workspaces: never in the user's settings, nor in those
        // of the other window tests that may run meanwhile.
        QCoreApplication::setOrganizationName(QStringLiteral("StratascopeBuilderTest"));
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_tmp.isValid());
    }

    void modelOverDrafts_data();
    void modelOverDrafts();
    void addAndReorder_data();
    void addAndReorder();
    void dragAndDrop_data();
    void dragAndDrop();
    void stackOnTop();
    void undoRedo_data();
    void undoRedo();
    void optionDependencies_data();
    void optionDependencies();
    void unsupportedOptions_data();
    void unsupportedOptions();
    void dataOnlyLowers_data();
    void dataOnlyLowers();
    void dataOnlyRefused();
    void probeAsksTheKernel();
    void saveReadsBackAndChecks_data();
    void saveReadsBackAndChecks();
    void plainFolderOffersTheBuilder();
    void screenshots();

private:
    QString dir(const QString &name) const { return m_tmp.path() + QLatin1Char('/') + name; }
    QTemporaryDir m_tmp;
};

void TestStackBuilder::modelOverDrafts_data()
{
    test::addColumns<int, int, bool>("overlays", "lowers", "stacked");
    QTest::newRow("empty") << 0 << 0 << false;
    QTest::newRow("one overlay, three lowers") << 1 << 3 << false;
    QTest::newRow("two overlays, stacked") << 2 << 2 << true;
}

void TestStackBuilder::modelOverDrafts()
{
    QFETCH(int, overlays);
    QFETCH(int, lowers);
    QFETCH(bool, stacked);
    BuilderModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    StackDraft d;
    d.folder = dir(QStringLiteral("model"));
    for (int o = 0; o < overlays; ++o) {
        OverlayRequest r;
        r.name = d.freeName();
        if (stacked && o > 0)
            r.stackOn = d.overlays.first().name;
        else
            for (int l = 0; l < lowers; ++l)
                r.lowers << d.folder + QStringLiteral("/l%1").arg(l);
        d.overlays << r;
    }
    model.setDraft(d);
    QCOMPARE(model.rowCount(), overlays);
    for (int o = 0; o < overlays; ++o)
        QCOMPARE(model.rowCount(model.overlayIndex(o)), stacked && o > 0 ? 1 : lowers);
    if (stacked) {
        const QModelIndex via = model.lowerIndex(1, 0);
        QCOMPARE(via.data().toString(), QStringLiteral("merged view of overlay"));
        QCOMPARE(via.data(BuilderModel::PathRole).toString(), d.mountpointOf(0));
        QVERIFY(!(model.flags(via) & Qt::ItemIsDragEnabled));
    }
    model.setDraft({});
    QCOMPARE(model.rowCount(), 0);
}

void TestStackBuilder::addAndReorder_data()
{
    test::addColumns<QStringList, int, int, QStringList>("add", "from", "to", "expected");
    const QStringList abc {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
    // Added lowers go on top in the order given; a move takes one lower to another row.
    QTest::newRow("no move") << abc << 0 << 0 << abc;
    QTest::newRow("top to bottom") << abc << 0 << 2 << strs({"b", "c", "a"});
    QTest::newRow("bottom to top") << abc << 2 << 0 << strs({"c", "a", "b"});
    QTest::newRow("out of range") << abc << 1 << 3 << abc;
}

void TestStackBuilder::addAndReorder()
{
    QFETCH(QStringList, add);
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(QStringList, expected);
    const QStringList dirs = makeLayers(dir(QStringLiteral("reorder")), add);
    QVERIFY(!dirs.isEmpty());
    StackBuilder b({}, nullptr, fakeSupport());
    QAbstractItemModelTester tester(b.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    b.addOverlay();
    b.addLowers(0, dirs);
    QCOMPARE(names(b.draft().overlays.at(0).lowers), add);
    b.moveLower(0, from, to);
    QCOMPARE(names(b.draft().overlays.at(0).lowers), expected);
    // Move Up / Move Down from the keyboard do the same, one row at a time.
    b.layerView()->setCurrentIndex(b.model()->lowerIndex(0, 0));
    auto *down = b.findChild<QPushButton *>(QStringLiteral("moveDown"));
    auto *up = b.findChild<QPushButton *>(QStringLiteral("moveUp"));
    QVERIFY(down && up);
    QVERIFY(!up->isEnabled());
    down->click();
    QCOMPARE(names(b.draft().overlays.at(0).lowers).at(1), expected.at(0));
    QCOMPARE(b.layerView()->currentIndex(), b.model()->lowerIndex(0, 1));
    up->click();
    QCOMPARE(names(b.draft().overlays.at(0).lowers), expected);
    // The mount command follows: lowerdir in the new order, top first.
    QStringList escaped;
    for (const QString &l : b.draft().overlays.at(0).lowers)
        escaped << MountCommand::escapeLayerPath(l);
    QVERIFY2(b.mountCommandText().contains(QStringLiteral("lowerdir=") + escaped.join(QLatin1Char(':'))),
        qPrintable(b.mountCommandText()));
}

void TestStackBuilder::dragAndDrop_data()
{
    test::addColumns<int, int, QStringList>("from", "dropOn", "expected");
    // Dropped on a lower: the dragged one stands before it.
    QTest::newRow("c before a") << 2 << 0 << strs({"c", "a", "b"});
    QTest::newRow("a before c") << 0 << 2 << strs({"b", "a", "c"});
    QTest::newRow("onto itself") << 1 << 1 << strs({"a", "b", "c"});
}

void TestStackBuilder::dragAndDrop()
{
    QFETCH(int, from);
    QFETCH(int, dropOn);
    QFETCH(QStringList, expected);
    const QStringList dirs = makeLayers(dir(QStringLiteral("drag")), strs({"a", "b", "c"}));
    StackBuilder b({}, nullptr, fakeSupport());
    b.addOverlay();
    b.addLowers(0, dirs);
    BuilderModel *m = b.model();
    std::unique_ptr<QMimeData> data(m->mimeData({m->lowerIndex(0, from)}));
    QVERIFY(data);
    const bool moved = m->dropMimeData(data.get(), Qt::MoveAction, -1, 0, m->lowerIndex(0, dropOn));
    QCOMPARE(moved, from != dropOn);
    QCoreApplication::processEvents(); // the move is made once the drop is over
    QCOMPARE(names(b.draft().overlays.at(0).lowers), expected);
    QCOMPARE(b.undoStack()->count(), moved ? 3 : 2);
}

void TestStackBuilder::stackOnTop()
{
    const QStringList dirs = makeLayers(dir(QStringLiteral("stack")), strs({"base"}));
    StackDraft d;
    d.folder = dir(QStringLiteral("stack"));
    StackBuilder b(d, nullptr, fakeSupport());
    b.addOverlay();
    b.addLowers(0, dirs);
    b.stackOnTop(0);
    QCOMPARE(b.draft().overlays.size(), 2);
    const OverlayRequest &top = b.draft().overlays.at(1);
    QCOMPARE(top.stackOn, QStringLiteral("overlay"));
    QCOMPARE(b.draft().lowerDirs(1), QStringList {b.draft().mountpointOf(0)});
    QVERIFY(!top.upper.isEmpty());
    QCOMPARE(b.currentOverlay(), 1);
    // The diagram shows the selected overlay: through overlay's merged directory.
    bool via = false;
    for (const StackDiagram::Plane &p : b.diagram()->planes())
        via = via || p.via == QLatin1String("overlay");
    QVERIFY(via);
    QVERIFY(b.mountCommandText().contains(QStringLiteral("# overlay_2")));
    // Renaming the base keeps the stack; removing it leaves its merged directory as a lower.
    b.setName(0, QStringLiteral("base"));
    QCOMPARE(b.draft().overlays.at(1).stackOn, QStringLiteral("base"));
    b.removeOverlay(0);
    QCOMPARE(b.draft().overlays.size(), 1);
    QVERIFY(b.draft().overlays.at(0).stackOn.isEmpty());
    QCOMPARE(b.draft().overlays.at(0).lowers.size(), 1);
}

void TestStackBuilder::undoRedo_data()
{
    test::addColumns<int>("undos");
    for (int n : {1, 2, 4, 6})
        QTest::addRow("undo %d", n) << n;
}

void TestStackBuilder::undoRedo()
{
    QFETCH(int, undos);
    const QStringList dirs = makeLayers(dir(QStringLiteral("undo")), strs({"x", "y"}));
    StackDraft start;
    start.folder = dir(QStringLiteral("undo"));
    StackBuilder b(start, nullptr, fakeSupport());
    QList<StackDraft> seen {b.draft()};
    auto step = [&](const std::function<void()> &f) {
        f();
        seen << b.draft();
    };
    step([&] { b.addOverlay(); });
    step([&] { b.addLowers(0, dirs); });
    step([&] { b.moveLower(0, 0, 1); });
    step([&] { b.setWritable(0, true); });
    step([&] { b.setOption(0, QStringLiteral("metacopy"), QStringLiteral("on")); });
    step([&] { b.stackOnTop(0); });
    QCOMPARE(b.undoStack()->count(), 6);
    for (int i = 0; i < undos; ++i)
        b.undoStack()->undo();
    QCOMPARE(b.draft(), seen.at(seen.size() - 1 - undos));
    for (int i = 0; i < undos; ++i)
        b.undoStack()->redo();
    QCOMPARE(b.draft(), seen.last());
}

void TestStackBuilder::optionDependencies_data()
{
    // `taken`: the pairs the (fake) kernel took; it refused the others.
    test::addColumns<QStringList, QStringList, QString, QString, bool, QString, QStringList>(
        "taken", "before", "key", "value", "enabled", "reason", "after");
    const QStringList none;
    const QString any;
    QTest::newRow("metacopy=on turns redirect_dir=off on")
        << none << strs({"redirect_dir=off"}) << QStringLiteral("metacopy") << QStringLiteral("on") << true << any
        << strs({"redirect_dir=on", "metacopy=on"});
    QTest::newRow("metacopy=on turns redirect_dir=follow on")
        << none << strs({"redirect_dir=follow"}) << QStringLiteral("metacopy") << QStringLiteral("on") << true << any
        << strs({"redirect_dir=on", "metacopy=on"});
    QTest::newRow("redirect_dir=off refused with metacopy=on")
        << none << strs({"metacopy=on"}) << QStringLiteral("redirect_dir") << QStringLiteral("off") << false
        << QStringLiteral("metacopy=on needs redirect_dir=on: this kernel (9.9-fake) refuses "
                          "metacopy=on,redirect_dir=follow: overlay: fake refusal")
        << strs({"metacopy=on"});
    QTest::newRow("redirect_dir=on goes with metacopy=on")
        << none << strs({"metacopy=on"}) << QStringLiteral("redirect_dir") << QStringLiteral("on") << true << any
        << strs({"redirect_dir=on", "metacopy=on"});
    QTest::newRow("nfs_export=on turns index on")
        << none << strs({"index=off"}) << QStringLiteral("nfs_export") << QStringLiteral("on") << true << any
        << strs({"index=on", "nfs_export=on"});
    QTest::newRow("index=off refused with nfs_export=on")
        << none << strs({"nfs_export=on"}) << QStringLiteral("index") << QStringLiteral("off") << false
        << QStringLiteral("nfs_export=on needs index=on") << strs({"nfs_export=on"});
    QTest::newRow("userxattr with metacopy, the kernel refused the pair")
        << none << strs({"metacopy=on"}) << QStringLiteral("userxattr") << QStringLiteral("on") << false
        << QStringLiteral("this kernel (9.9-fake) refuses userxattr,metacopy=on: overlay: fake refusal")
        << strs({"metacopy=on"});
    QTest::newRow("userxattr with metacopy, the kernel took the pair")
        << strs({"userxattr,metacopy=on"}) << strs({"metacopy=on"}) << QStringLiteral("userxattr")
        << QStringLiteral("on") << true << any << strs({"metacopy=on", "userxattr"});
    QTest::newRow("userxattr with redirect_dir=on")
        << none << strs({"redirect_dir=on"}) << QStringLiteral("userxattr") << QStringLiteral("on") << false
        << QStringLiteral("userxattr allows neither metacopy nor redirects") << strs({"redirect_dir=on"});
    QTest::newRow("volatile on a read-only overlay")
        << none << QStringList {} << QStringLiteral("volatile") << QStringLiteral("on") << false
        << QStringLiteral("volatile concerns the upper layer") << QStringList {};
}

void TestStackBuilder::optionDependencies()
{
    QFETCH(QStringList, taken);
    QFETCH(QStringList, before);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(bool, enabled);
    QFETCH(QString, reason);
    QFETCH(QStringList, after);
    const bool writable = key != QLatin1String("volatile");
    OptionsEditor editor;
    editor.setSupport(fakeSupport({}, taken));
    editor.setOptions(before, writable);
    QCOMPARE(editor.isEnabled(key, value), enabled);
    QVERIFY2(editor.reason(key).contains(reason), qPrintable(editor.reason(key)));
    QVERIFY(editor.link(key).startsWith(QStringLiteral("https://docs.kernel.org/filesystems/overlayfs.html#")));
    // Through the builder: a disabled choice is not offered, an enabled one applies its rule.
    StackBuilder b({}, nullptr, fakeSupport({}, taken));
    b.addOverlay();
    b.setWritable(0, writable);
    for (const QString &o : before)
        b.setOption(0,
            o.section(QLatin1Char('='), 0, 0),
            o.contains(QLatin1Char('=')) ? o.section(QLatin1Char('='), 1) : QStringLiteral("on"));
    if (b.optionsEditor()->isEnabled(key, value))
        b.setOption(0, key, value);
    QCOMPARE(b.draft().overlays.at(0).options, after);
}

void TestStackBuilder::unsupportedOptions_data()
{
    test::addColumns<QStringList, QString, QString, bool, QString>("refused", "key", "value", "keyEnabled", "reason");
    QTest::newRow("a value the kernel lacks")
        << strs({"xino=auto"}) << QStringLiteral("xino") << QStringLiteral("auto") << true
        << QStringLiteral("the running kernel (9.9-fake) does not take xino=auto");
    QTest::newRow("a key the kernel lacks")
        << strs({"uuid=on", "uuid=off", "uuid=auto", "uuid=null"}) << QStringLiteral("uuid") << QStringLiteral("on")
        << false << QStringLiteral("does not take uuid=on: overlay: fake refusal");
    QTest::newRow("a flag the kernel lacks")
        << strs({"userxattr"}) << QStringLiteral("userxattr") << QStringLiteral("on") << false
        << QStringLiteral("does not take userxattr");
    QTest::newRow("verity: not in the workspace format")
        << QStringList {} << QStringLiteral("verity") << QStringLiteral("on") << false
        << QStringLiteral("a workspace file cannot hold verity yet");
    // Not an option of the overlay: a lower is marked data-only in the list (dataOnlyLowers).
    QTest::newRow("data-only lowers: chosen per lower")
        << QStringList {} << QStringLiteral("datadir+") << QStringLiteral("on") << false
        << QStringLiteral("tick \"data only\" on a lower in the list");
    QTest::newRow("data-only lowers: a kernel without them")
        << strs({"datadir+"}) << QStringLiteral("datadir+") << QStringLiteral("on") << false
        << QStringLiteral("does not take datadir+: overlay: fake refusal");
}

void TestStackBuilder::unsupportedOptions()
{
    QFETCH(QStringList, refused);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(bool, keyEnabled);
    QFETCH(QString, reason);
    OptionsEditor editor;
    editor.setSupport(fakeSupport(refused));
    editor.setOptions({}, true);
    QVERIFY(!editor.isEnabled(key, value));
    QCOMPARE(editor.isEnabled(key), keyEnabled);
    QVERIFY2(editor.reason(key).contains(reason), qPrintable(editor.reason(key)));
}

void TestStackBuilder::dataOnlyLowers_data()
{
    test::addColumns<int, bool, QStringList, QStringList, QString>("row", "dataOnly", "lowers", "data", "command");
    // Three lowers a, b, c; what one tick (or, after c was made data-only, one clear) makes.
    QTest::newRow("the bottom lower") << 2 << true << strs({"a", "b"}) << strs({"c"}) << QStringLiteral("/b::");
    QTest::newRow("the middle one: below the others")
        << 1 << true << strs({"a", "c"}) << strs({"b"}) << QStringLiteral("/c::");
    QTest::newRow("a data-only layer cleared: the bottom lower again")
        << -2 << false << strs({"a", "b", "c"}) << QStringList {} << QStringLiteral("/c,upperdir");
    QTest::newRow("not out of range") << 7 << true << strs({"a", "b", "c"}) << QStringList {} << QString();
}

// A lower ticked "data only": the draft, the list, the live mount command, the diagram, the
// saved file and undo all follow.
void TestStackBuilder::dataOnlyLowers()
{
    QFETCH(int, row);
    QFETCH(bool, dataOnly);
    QFETCH(QStringList, lowers);
    QFETCH(QStringList, data);
    QFETCH(QString, command);
    const QStringList dirs = makeLayers(dir(QStringLiteral("dataonly")), strs({"a", "b", "c"}));
    QVERIFY(!dirs.isEmpty());
    StackBuilder b({}, nullptr, fakeSupport());
    QAbstractItemModelTester tester(b.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    b.setFolder(dir(QStringLiteral("dataonly/ws-") + QString::fromLatin1(QTest::currentDataTag()).left(8)));
    b.addOverlay();
    b.addLowers(0, dirs);
    b.setWritable(0, true);
    if (row < 0) { // first the bottom one, through its check box
        QVERIFY(b.model()->setData(b.model()->lowerIndex(0, 2), Qt::Checked, Qt::CheckStateRole));
        QTRY_COMPARE(b.draft().overlays.at(0).dataLowers.size(), 1);
        row = 2;
    }
    const int steps = b.undoStack()->count();
    b.setDataOnly(0, row, dataOnly);
    const OverlayRequest &r = b.draft().overlays.at(0);
    QCOMPARE(names(r.lowers), lowers);
    QCOMPARE(names(r.dataLowers), data);
    QCOMPARE(b.undoStack()->count(), steps + (command.isEmpty() ? 0 : 1));
    if (command.isEmpty())
        return;
    QVERIFY2(b.mountCommandText().contains(command), qPrintable(b.mountCommandText()));
    const int rows = b.model()->rowCount(b.model()->overlayIndex(0));
    QCOMPARE(rows, 3);
    for (int i = 0; i < rows; ++i) {
        const QModelIndex index = b.model()->lowerIndex(0, i);
        const bool isData = i >= lowers.size();
        QCOMPARE(index.data(Qt::CheckStateRole).toInt(), int(isData ? Qt::Checked : Qt::Unchecked));
        QCOMPARE(index.data().toString().startsWith(QLatin1String("data only: ")), isData);
        QVERIFY(b.model()->flags(index) & Qt::ItemIsUserCheckable);
    }
    int marked = 0;
    for (const StackDiagram::Plane &p : b.diagram()->planes())
        marked += p.name.endsWith(QLatin1String(" (data only)")) ? 1 : 0;
    QCOMPARE(marked, int(data.size()));
    // Saved, the file holds them; read back, the builder lists them again.
    auto saved = b.draft().save();
    QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().message));
    QCOMPARE(names(saved->overlays().at(0).dataLower), data);
    QCOMPARE(names(StackDraft::fromWorkspace(*saved).overlays.at(0).dataLowers), data);
    b.undoStack()->undo();
    QCOMPARE(b.draft().overlays.at(0).lowers.size() + b.draft().overlays.at(0).dataLowers.size(), 3);
    QVERIFY(names(b.draft().overlays.at(0).lowers) != lowers);
}

// The last regular lower stays one, and a kernel without datadir+ offers no check box.
void TestStackBuilder::dataOnlyRefused()
{
    const QStringList dirs = makeLayers(dir(QStringLiteral("dataonly-refused")), strs({"a", "b"}));
    QVERIFY(!dirs.isEmpty());
    StackBuilder b({}, nullptr, fakeSupport());
    b.addOverlay();
    b.addLowers(0, dirs.mid(0, 1));
    const int steps = b.undoStack()->count();
    b.setDataOnly(0, 0, true);
    QCOMPARE(b.undoStack()->count(), steps);
    QVERIFY(b.draft().overlays.at(0).dataLowers.isEmpty());
    StackBuilder old({}, nullptr, fakeSupport(strs({"datadir+"})));
    old.addOverlay();
    old.addLowers(0, dirs);
    const QModelIndex bottom = old.model()->lowerIndex(0, 1);
    QVERIFY(!(old.model()->flags(bottom) & Qt::ItemIsUserCheckable));
    QVERIFY(!old.model()->setData(bottom, Qt::Checked, Qt::CheckStateRole));
    QVERIFY2(bottom.data(Qt::ToolTipRole).toString().contains(QLatin1String("does not take datadir+")),
        qPrintable(bottom.data(Qt::ToolTipRole).toString()));
}

void TestStackBuilder::probeAsksTheKernel()
{
    const OptionProbe::Support s = OptionProbe::probe();
    if (!s.problem.isEmpty())
        QSKIP(qPrintable(s.problem));
    QCOMPARE(s.kernelRelease, OptionProbe::kernelRelease());
    // Every option of the catalog, every value, every pair: one answer each.
    for (const OptionCatalog::Entry &e : OptionCatalog::entries()) {
        for (const QString &v : e.isFlag() ? QStringList {QString()} : e.values)
            QVERIFY2(
                s.find(v.isEmpty() ? e.key : e.key + QLatin1Char('=') + v), qPrintable(e.key + QLatin1Char('=') + v));
    }
    for (const QStringList &p : OptionProbe::pairs())
        QVERIFY(s.find(p.join(QLatin1Char(','))));
    // What every overlay kernel since 4.19 takes, and what none takes.
    QVERIFY(s.find(QStringLiteral("redirect_dir=on"))->accepted);
    QVERIFY(!s.find(QStringLiteral("metacopy=on,redirect_dir=off"))->accepted);
    QVERIFY(!s.refusal(QStringLiteral("metacopy=on,redirect_dir=off")).isEmpty());
    // Asked once per kernel release.
    QElapsedTimer t;
    t.start();
    (void)OptionProbe::probe();
    QVERIFY(t.elapsed() < 50);
}

void TestStackBuilder::saveReadsBackAndChecks_data()
{
    test::addColumns<bool, bool, QStringList>("writable", "stacked", "options");
    QTest::newRow("read-only") << false << false << QStringList {};
    QTest::newRow("writable") << true << false << strs({"redirect_dir=on", "index=off"});
    QTest::newRow("stacked, metacopy") << true << true << strs({"metacopy=on"});
}

void TestStackBuilder::saveReadsBackAndChecks()
{
    QFETCH(bool, writable);
    QFETCH(bool, stacked);
    QFETCH(QStringList, options);
    const QString root = dir(QStringLiteral("save-")
        + QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')));
    const QStringList dirs = makeLayers(root + QStringLiteral("/layers"), strs({"top", "middle", "bottom"}));
    StackDraft d;
    d.folder = root + QStringLiteral("/ws");
    StackBuilder b(d, nullptr, fakeSupport());
    b.addOverlay();
    b.addLowers(0, dirs);
    b.setWritable(0, writable);
    for (const QString &o : options)
        b.setOption(0, o.section(QLatin1Char('='), 0, 0), o.section(QLatin1Char('='), 1));
    if (stacked)
        b.stackOnTop(0);
    QSignalSpy saved(&b, &StackBuilder::saved);
    auto ws = b.save();
    QVERIFY2(ws, ws ? "" : qPrintable(ws.error().message));
    QCOMPARE(saved.count(), 1);
    QCOMPARE(b.savedFile(), d.folder + QStringLiteral("/stratascope.json"));
    // The file reads back as the draft: the same overlays, layers and options.
    auto loaded = Workspace::load(b.savedFile());
    QVERIFY(loaded);
    QCOMPARE(StackDraft::fromWorkspace(*loaded), b.draft());
    QCOMPARE(loaded->toJson(), b.draft().workspace()->toJson());
    // Never a lower written: each still holds its one file, nothing more.
    for (const QString &l : dirs)
        QCOMPARE(QDir(l).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).size(), 1);
    QProcess p;
    test::startCli(p, {QStringLiteral("check"), b.savedFile()});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, QByteArray(p.readAllStandardOutput() + p.readAllStandardError()).constData());
    // The Check button says the same, in the background.
    QSignalSpy checked(&b, &StackBuilder::checked);
    b.check();
    QVERIFY(checked.wait(60000));
    QVERIFY2(b.checkText().contains(QStringLiteral("accepted by the kernel")), qPrintable(b.checkText()));
    QVERIFY(!b.checkText().contains(QStringLiteral("refused")));
}

void TestStackBuilder::plainFolderOffersTheBuilder()
{
    const QString folder = dir(QStringLiteral("plain"));
    makeLayers(folder, strs({"zeta", "alpha", "mid"}));
    MainWindow w;
    QVERIFY(!w.openWorkspace(folder)); // nothing opened yet: the user confirms in the builder
    auto *b = w.findChild<StackBuilder *>();
    QVERIFY(b);
    QVERIFY(b->isVisible());
    QCOMPARE(names(b->draft().overlays.at(0).lowers), (strs({"alpha", "mid", "zeta"})));
    QCOMPARE(b->draft().folder, folder);
    QVERIFY(b->save());
    QTRY_VERIFY(w.workspace().has_value());
    QCOMPARE(w.workspace()->filePath(), folder + QStringLiteral("/stratascope.json"));
    // Edit Stack… opens the builder on the workspace shown; New Stack… on nothing.
    auto *edit = w.findChild<QAction *>(QStringLiteral("editStackAction"));
    auto *fresh = w.findChild<QAction *>(QStringLiteral("newStackAction"));
    QVERIFY(edit && fresh && edit->isEnabled());
    b->close();
    QTRY_VERIFY(!w.findChild<StackBuilder *>());
    edit->trigger();
    QVERIFY(w.findChild<StackBuilder *>());
    QCOMPARE(w.findChild<StackBuilder *>()->draft(), StackDraft::fromWorkspace(*w.workspace()));
    w.findChild<StackBuilder *>()->close();
    QTRY_VERIFY(!w.findChild<StackBuilder *>());
    fresh->trigger();
    QVERIFY(w.findChild<StackBuilder *>());
    QVERIFY(w.findChild<StackBuilder *>()->draft().overlays.isEmpty());
}

void TestStackBuilder::screenshots()
{
    const QString out = qEnvironmentVariable("STRATA_SHOTS_DIR");
    const QStringList dirs = makeLayers(dir(QStringLiteral("shots/layers")), strs({"app", "runtime", "distro"}));
    StackDraft d;
    d.folder = dir(QStringLiteral("shots/ws"));
    StackBuilder b(d, nullptr, OptionProbe::probe()); // what this kernel says
    b.addOverlay();
    b.addLowers(0, dirs);
    b.setWritable(0, true);
    b.setOption(0, QStringLiteral("metacopy"), QStringLiteral("on"));
    b.stackOnTop(0);
    b.selectOverlay(0);
    QVERIFY(b.save());
    QSignalSpy checked(&b, &StackBuilder::checked);
    b.check();
    QVERIFY(checked.wait(60000));
    for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
        b.resize(size);
        b.show();
        QVERIFY(QTest::qWaitForWindowExposed(&b));
        QTest::qWait(100);
        const QImage shot = b.grab().toImage();
        QVERIFY(!shot.isNull());
        if (!out.isEmpty())
            QVERIFY(shot.save(QStringLiteral("%1/builder-%2x%3.png").arg(out).arg(size.width()).arg(size.height())));
    }
}

QTEST_MAIN(TestStackBuilder)
#include "tst_stackbuilder.moc"
