// SPDX-License-Identifier: GPL-2.0-or-later
// Patched == rescanned: after every edit of a random edit sequence, made through the engine
// session and through a kernel session, the merged view patched from the edit's events (and
// the upper column's) equals a fresh scan of the same stack — names, kinds, the providing
// layer, the whiteout, opaque, redirect, metacopy and merge marks. The merged view is a
// MergedTreeModel under QAbstractItemModelTester, so every patch is also a correct model change.
#include "core/events/treepatcher.h"
#include "core/session/enginesession.h"
#include "core/session/kernelsession.h"
#include "core/util/filename.h"
#include "tests/support/datatable.h"
#include "tests/support/layerstack.h"
#include "tests/support/privatemountns.h"
#include "tests/support/randomstack.h"
#include "ui/common/mergedtreemodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QtTest>

#include <random>

using namespace strata;
using namespace strata::test;

namespace
{
// One line per entry, in tree order: what a patch must get right.
void describe(const PatchedTree &t, NodeId id, QStringList &out)
{
    const MergedNode &n = t.node(id);
    static constexpr std::pair<MergedNode::Flag, char> marks[] = {{MergedNode::Whiteout, 'w'},
        {MergedNode::Opaque, 'o'},
        {MergedNode::Redirect, 'r'},
        {MergedNode::Metacopy, 'm'},
        {MergedNode::Merged, '+'},
        {MergedNode::XWhiteout, 'x'}};
    QString flags;
    for (const auto &[flag, c] : marks)
        flags += n.has(flag) ? QLatin1Char(c) : QLatin1Char('-');
    out << QStringLiteral("%1 %2 %3 %4 %5 %6")
               .arg(QString::fromUtf8(t.path(id).toPercentEncoding("/")), entryTypeName(n.type))
               .arg(n.layer)
               .arg(flags, QString::fromUtf8(t.redirect(id)))
               .arg(n.mode & 07777, 0, 8);
    const std::uint32_t count = t.childCount(id);
    for (std::uint32_t i = 0; i < count; ++i)
        describe(t, t.childAt(id, i), out);
}

QStringList describe(const PatchedTree &t)
{
    QStringList out;
    describe(t, PatchedTree::root(), out);
    out << QStringLiteral("%1 entries, %2 visible").arg(t.nodeCount()).arg(t.visibleCount());
    return out;
}

// What the model shows, walked through its own API: rows, parents and the node behind each.
void walkModel(const MergedTreeModel &m, const QModelIndex &parent, QStringList &out)
{
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex idx = m.index(r, 0, parent);
        if (m.parent(idx) != parent)
            out << QStringLiteral("wrong parent at row %1").arg(r);
        out << idx.data(MergedTreeModel::MergedPathRole).toString();
        walkModel(m, idx, out);
    }
}

QStringList modelPaths(const PatchedTree &t)
{
    QStringList out;
    std::function<void(NodeId)> walk = [&](NodeId id) {
        for (std::uint32_t i = 0; i < t.childCount(id); ++i) {
            const NodeId c = t.childAt(id, i);
            out << decodeFileName(t.path(c));
            walk(c);
        }
    };
    walk(PatchedTree::root());
    return out;
}

QStringList editSequence(quint32 seed, int count)
{
    std::mt19937 rng(seed * 104729u + 7u);
    const auto pick = [&rng](int n) {
        return std::uniform_int_distribution<int>(0, n - 1)(rng);
    };
    const QStringList names = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")};
    const auto path = [&] {
        QString p;
        for (int i = 1 + pick(3); i > 0; --i)
            p += QLatin1Char('/') + names.at(pick(names.size()));
        return p;
    };
    // A verb and how many paths it takes, weighted by repetition.
    const QStringList verbs = {QStringLiteral("write %1 w"),
        QStringLiteral("write %1 w"),
        QStringLiteral("append %1 x"),
        QStringLiteral("mkdir %1"),
        QStringLiteral("mkdir %1"),
        QStringLiteral("rm %1"),
        QStringLiteral("rm %1"),
        QStringLiteral("rmdir %1"),
        QStringLiteral("rm-r %1"),
        QStringLiteral("mv %1 %2"),
        QStringLiteral("mv %1 %2"),
        QStringLiteral("chmod 700 %1"),
        QStringLiteral("ln-s t %1"),
        QStringLiteral("ln %1 %2"),
        QStringLiteral("touch %1")};
    QStringList ops;
    for (int i = 0; i < count; ++i) {
        QString op = verbs.at(pick(verbs.size())).arg(path());
        if (op.contains(QLatin1String("%2")))
            op = op.arg(path());
        ops << op;
    }
    return ops;
}
} // namespace

class TestTreePatchKernel final : public MountTest
{
    Q_OBJECT

    struct Run {
        int patched = 0;
        int rescanned = 0;
    };

    // The edits through one session on a fresh copy of `spec`; fails the test at the first
    // edit whose patched views differ from a fresh scan.
    void run(bool kernel, bool redirectDir, int lowers, const QStringList &spec, const QStringList &ops, Run &out)
    {
        LayerStack stack(lowers, true);
        QVERIFY2(stack.apply(spec), qPrintable(stack.errorString()));
        OverlaySpec o;
        o.name = QStringLiteral("o");
        o.lower = stack.lowers();
        o.upper = stack.upper();
        o.work = stack.work();
        o.mountpoint = stack.mountpoint();
        o.options.redirectDir = redirectDir ? QStringLiteral("on") : QStringLiteral("off");
        o.options.index = QStringLiteral("off");
        o.options.metacopy = QStringLiteral("off");
        o.options.xino = QStringLiteral("off");
        Workspace ws;
        ws.setBaseDir(stack.root());
        ws.addOverlay(o);
        std::unique_ptr<StackSession> session;
        if (kernel) {
            auto s = KernelSession::open(ws, 0, Backend::Kernel);
            QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
            session = std::make_unique<KernelSession>(std::move(s.value()));
        } else {
            auto s = EngineSession::open(ws, 0);
            QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
            session = std::make_unique<EngineSession>(std::move(s.value()));
        }
        const auto layers = ws.mergeLayers(0);
        QVERIFY(layers.ok());
        const MergeOptions options = o.options.mergeOptions();
        const auto scan = [&](const MergeLayers &l) {
            auto t = MergedTree::build(l, options);
            if (!t)
                qFatal("%s", qPrintable(t.error().message));
            return std::make_shared<const PatchedTree>(std::make_shared<const MergedTree>(std::move(t.value())));
        };
        const MergeLayers upperOnly {layers->first()};
        MergedTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTree(scan(*layers));
        std::shared_ptr<const PatchedTree> upper = scan(upperOnly);
        for (const QString &line : ops) {
            auto op = MergedOperation::parseLine(line);
            QVERIFY2(op.ok(), qPrintable(line));
            auto outcome = session->apply(*op);
            QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
            const auto patch = TreePatcher::patch(model.tree(), outcome->events);
            const auto upperPatch = TreePatcher::patch(upper, outcome->events);
            if (patch.ok() && upperPatch.ok()) {
                QVERIFY(model.applyPatch(*patch));
                upper = upperPatch->tree;
                ++out.patched;
            } else {
                QCOMPARE((patch.ok() ? upperPatch.error() : patch.error()).code, EAGAIN); // gave up: a rescan
                qDebug(
                    "%s: %s", qPrintable(line), qPrintable((patch.ok() ? upperPatch.error() : patch.error()).message));
                model.setTree(scan(*layers));
                upper = scan(upperOnly);
                ++out.rescanned;
            }
            const auto fresh = scan(*layers);
            QCOMPARE(describe(*model.tree()), describe(*fresh));
            QStringList shown;
            walkModel(model, {}, shown);
            QCOMPARE(shown, modelPaths(*fresh));
            QCOMPARE(describe(*upper), describe(*scan(upperOnly)));
        }
    }

private Q_SLOTS:
    void fixedEdits_data()
    {
        addColumns<bool, bool, QStringList>("kernel", "redirectDir", "ops");
        const QList<std::pair<const char *, QStringList>> cases = {
            {"a new file in a lower directory", {QStringLiteral("write /d/new x")}},
            {"a copy-up", {QStringLiteral("append /d/f more")}},
            {"a chmod (copy-up, no data)", {QStringLiteral("chmod 700 /d/f")}},
            {"a lower file removed (whiteout)", {QStringLiteral("rm /d/f")}},
            {"a lower directory removed", {QStringLiteral("rm-r /d")}},
            {"removed, then made again (opaque)", {QStringLiteral("rm-r /d"), QStringLiteral("mkdir /d")}},
            {"a new directory, then a file in it", {QStringLiteral("mkdir /n"), QStringLiteral("write /n/g y")}},
            {"a file renamed", {QStringLiteral("mv /d/f /d/g")}},
            {"a lower directory renamed", {QStringLiteral("mv /d /e")}},
            {"an upper file removed", {QStringLiteral("write /u x"), QStringLiteral("rm /u")}},
            {"a symlink and a hard link", {QStringLiteral("ln-s t /d/l"), QStringLiteral("ln /d/f /d/h")}},
        };
        for (const bool kernel : {false, true}) {
            for (const bool redirect : {false, true}) {
                for (const auto &[name, ops] : cases) {
                    QTest::addRow("%s, %s, %s",
                        kernel ? "kernel" : "engine",
                        redirect ? "redirect_dir=on" : "redirect_dir=off",
                        name)
                        << kernel << redirect << ops;
                }
            }
        }
    }

    void fixedEdits()
    {
        QFETCH(bool, kernel);
        QFETCH(bool, redirectDir);
        QFETCH(QStringList, ops);
        if (kernel)
            STRATA_REQUIRE_MOUNT();
        const QStringList spec = {QStringLiteral("L0 d /d"),
            QStringLiteral("L0 f /d/f text"),
            QStringLiteral("L0 f /d/k keep"),
            QStringLiteral("L1 d /d/sub"),
            QStringLiteral("L1 f /d/sub/s deep"),
            QStringLiteral("L1 f /top t")};
        Run r;
        run(kernel, redirectDir, 2, spec, ops, r);
        if (QTest::currentTestFailed())
            return;
        // Renaming a lower directory with redirect_dir=on leaves a redirect: that one rescans.
        QVERIFY2(r.patched > 0 || redirectDir, "every edit fell back to a rescan");
    }

    void randomEdits_data()
    {
        addColumns<bool, bool, quint32>("kernel", "redirectDir", "seed");
        const int seeds = qEnvironmentVariableIntValue("STRATA_PATCH_SEEDS") > 0
            ? qEnvironmentVariableIntValue("STRATA_PATCH_SEEDS")
            : 6;
        for (const bool kernel : {false, true}) {
            for (const bool redirect : {false, true}) {
                for (int s = 1; s <= seeds; ++s) {
                    QTest::addRow("%s, %s, seed %d",
                        kernel ? "kernel" : "engine",
                        redirect ? "redirect_dir=on" : "redirect_dir=off",
                        s)
                        << kernel << redirect << quint32(s);
                }
            }
        }
    }

    void randomEdits()
    {
        QFETCH(bool, kernel);
        QFETCH(bool, redirectDir);
        QFETCH(quint32, seed);
        if (kernel)
            STRATA_REQUIRE_MOUNT();
        const int lowers = 1 + int(seed % 3);
        const QStringList spec = RandomStack::generate({seed, lowers, true, false, false});
        Run r;
        run(kernel, redirectDir, lowers, spec, editSequence(seed, 20), r);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(r.patched > r.rescanned,
            qPrintable(QStringLiteral("%1 patched, %2 rescanned").arg(r.patched).arg(r.rescanned)));
    }
};

STRATA_MOUNT_GUI_TEST_MAIN(TestTreePatchKernel)
#include "tst_treepatch_kernel.moc"
