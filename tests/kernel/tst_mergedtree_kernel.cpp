// SPDX-License-Identifier: GPL-2.0-or-later
// The merged view computed from directories must equal what the kernel shows when the same
// layers are mounted (reference/overlayfs.md §21-22): real mounts, in a private namespace.
#include "core/merge/mergedtree.h"
#include "core/stack/scenario.h"
#include "tests/support/datatable.h"
#include "tests/support/fingerprint.h"
#include "tests/support/kernelmount.h"
#include "tests/support/layerstack.h"
#include "tests/support/privatemountns.h"
#include "tests/support/randomstack.h"
#include "tests/support/treesnapshot.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
using namespace strata::test;

namespace
{
const QString DefaultOptions = QStringLiteral("redirect_dir=follow,index=off,metacopy=off,xino=off");
} // namespace

class TestMergedTreeKernel final : public MountTest
{
    Q_OBJECT

private:
    void compareWithKernel(LayerStack &stack, const QString &options, const MergeOptions &mergeOptions)
    {
        auto tree = MergedTree::build(stack.mergeLayers(), mergeOptions);
        QVERIFY2(tree.ok(), tree.ok() ? "" : qPrintable(tree.error().message));
        TreeSnapshot ours = TreeSnapshot::fromMergedTree(*tree);

        KernelMount mount;
        QVERIFY2(mount.mount(stack, options), qPrintable(mount.errorString()));
        TreeSnapshot kernel = TreeSnapshot::fromDirectory(stack.mountpoint());
        kernel.reconcileConflicts(ours);
        QVERIFY(mount.unmount());

        QVERIFY2(kernel.errors().isEmpty(), qPrintable(kernel.errors().join(QLatin1Char('\n'))));
        QVERIFY2(ours.errors().isEmpty(), qPrintable(ours.errors().join(QLatin1Char('\n'))));
        const QString diff = kernel.diff(ours);
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("merged view differs from the kernel's:\n") + diff));
        QVERIFY(kernel.records().size() > 0);
    }

private Q_SLOTS:
    void named_data()
    {
        strata::test::addColumns<int, bool, QString, QStringList>("lowers", "upper", "options", "spec");

        const QString o = DefaultOptions;
        QTest::newRow("single lower, upper")
            << 1 << true << o
            << QStringList {
                   QStringLiteral("L0 f a hello"), QStringLiteral("L0 d empty"), QStringLiteral("U f b upper")};
        QTest::newRow("upper file shadows lower file") << 1 << true << o
                                                       << QStringList {QStringLiteral("L0 f base/common.txt lower"),
                                                              QStringLiteral("U f base/common.txt upper-version")};
        QTest::newRow("top lower wins over lower below") << 3 << false << o
                                                         << QStringList {QStringLiteral("L0 f x top"),
                                                                QStringLiteral("L1 f x middle"),
                                                                QStringLiteral("L2 f x bottom"),
                                                                QStringLiteral("L2 f y only-bottom")};
        QTest::newRow("whiteout hides lower file")
            << 1 << true << o
            << QStringList {
                   QStringLiteral("L0 f gone data"), QStringLiteral("U w gone"), QStringLiteral("L0 f stays data")};
        QTest::newRow("whiteout hides a whole lower directory")
            << 2 << true << o
            << QStringList {QStringLiteral("L1 f dir/a 1"), QStringLiteral("L0 f dir/b 2"), QStringLiteral("U w dir")};
        QTest::newRow("whiteout in a middle lower")
            << 3 << false << o
            << QStringList {QStringLiteral("L2 f f bottom"), QStringLiteral("L1 w f"), QStringLiteral("L0 f g top")};
        QTest::newRow("whiteout that hides nothing")
            << 1 << true << o << QStringList {QStringLiteral("U w nothing"), QStringLiteral("L0 f a 1")};
        QTest::newRow("opaque dir hides lower content") << 2 << true << o
                                                        << QStringList {QStringLiteral("L1 f d/old1 1"),
                                                               QStringLiteral("L0 f d/old2 2"),
                                                               QStringLiteral("U o d"),
                                                               QStringLiteral("U f d/new 3")};
        QTest::newRow("opaque dir in a lower layer") << 3 << false << o
                                                     << QStringList {QStringLiteral("L2 f d/hidden 1"),
                                                            QStringLiteral("L1 o d"),
                                                            QStringLiteral("L1 f d/mid 2"),
                                                            QStringLiteral("L0 f d/top 3")};
        QTest::newRow("whiteout inside an opaque dir") << 1 << true << o
                                                       << QStringList {QStringLiteral("L0 f d/x 1"),
                                                              QStringLiteral("U o d"),
                                                              QStringLiteral("U w d/x"),
                                                              QStringLiteral("U f d/y 2")};
        QTest::newRow("file over directory")
            << 2 << false << o << QStringList {QStringLiteral("L1 f d/inner 1"), QStringLiteral("L0 f d i-am-a-file")};
        QTest::newRow("directory over file")
            << 2 << false << o << QStringList {QStringLiteral("L1 f d i-am-a-file"), QStringLiteral("L0 f d/inner 1")};
        QTest::newRow("dir, file below it, dir below that")
            << 3 << false << o
            << QStringList {
                   QStringLiteral("L2 f d/deep 1"), QStringLiteral("L1 f d stop"), QStringLiteral("L0 f d/top 2")};
        QTest::newRow("nested merged directories") << 3 << true << o
                                                   << QStringList {QStringLiteral("L2 f a/b/c/d/e 1"),
                                                          QStringLiteral("L1 f a/b/c/x 2"),
                                                          QStringLiteral("L0 f a/b/y 3"),
                                                          QStringLiteral("U f a/z 4"),
                                                          QStringLiteral("U w a/b/c/d")};
        QTest::newRow("symlinks") << 2 << true << o
                                  << QStringList {QStringLiteral("L1 l abs /etc/passwd"),
                                         QStringLiteral("L1 l rel ../x"),
                                         QStringLiteral("L0 l dangling nowhere"),
                                         QStringLiteral("U l abs /changed"),
                                         QStringLiteral("L0 l dirlink sub"),
                                         QStringLiteral("L0 d sub")};
        QTest::newRow("symlink over directory")
            << 2 << false << o << QStringList {QStringLiteral("L1 f d/x 1"), QStringLiteral("L0 l d /tmp")};
        QTest::newRow("hard links") << 1 << true << o
                                    << QStringList {QStringLiteral("L0 f one same"),
                                           QStringLiteral("L0 h two one"),
                                           QStringLiteral("U f three up"),
                                           QStringLiteral("U h four three")};
        QTest::newRow("empty directories") << 2 << true << o
                                           << QStringList {QStringLiteral("L1 d e1"),
                                                  QStringLiteral("L0 d e1"),
                                                  QStringLiteral("U d e2"),
                                                  QStringLiteral("L0 d e3/e4")};
        QTest::newRow("non-UTF-8 names") << 2 << true << o
                                         << QStringList {QStringLiteral("L1 f caf%e9 latin1"),
                                                QStringLiteral("L0 f %ff%fe/x 1"),
                                                QStringLiteral("U w caf%e9"),
                                                QStringLiteral("U f ok-%c3%a9 utf8")};
        QTest::newRow("fifo and modes") << 1 << true << o
                                        << QStringList {QStringLiteral("L0 p fifo"),
                                               QStringLiteral("L0 f secret s"),
                                               QStringLiteral("L0 m secret 600"),
                                               QStringLiteral("L0 d sticky"),
                                               QStringLiteral("L0 m sticky 1777"),
                                               QStringLiteral("U f exe x"),
                                               QStringLiteral("U m exe 4755")};
        QTest::newRow("relative redirect followed") << 1 << true << o
                                                    << QStringList {QStringLiteral("L0 f old/a 1"),
                                                           QStringLiteral("U w old"),
                                                           QStringLiteral("U r new old"),
                                                           QStringLiteral("U f new/b 2")};
        QTest::newRow("absolute redirect followed") << 2 << true << o
                                                    << QStringList {QStringLiteral("L1 f x/y/a 1"),
                                                           QStringLiteral("L0 f x/y/b 2"),
                                                           QStringLiteral("U w x"),
                                                           QStringLiteral("U r moved /x/y")};
        QTest::newRow("redirect in a lower layer")
            << 2 << false << o
            << QStringList {
                   QStringLiteral("L1 f orig/f 1"), QStringLiteral("L0 w orig"), QStringLiteral("L0 r renamed orig")};
        QTest::newRow("xattr whiteout in opaque=x lower dir") << 2 << false << o
                                                              << QStringList {QStringLiteral("L1 f d/hide 1"),
                                                                     QStringLiteral("L1 f d/keep 2"),
                                                                     QStringLiteral("L0 x d"),
                                                                     QStringLiteral("L0 xw d/hide")};
        QTest::newRow("xattr whiteouts outside opaque=x dirs") << 2 << true << o
                                                               << QStringList {QStringLiteral("L1 f a 1"),
                                                                      QStringLiteral("U xw a"),
                                                                      QStringLiteral("L1 f d/b 2"),
                                                                      QStringLiteral("L0 d d"),
                                                                      QStringLiteral("L0 xw d/b")};
        QTest::newRow("read-only overlay, four lowers") << 4 << false << o
                                                        << QStringList {QStringLiteral("L3 f etc/a 1"),
                                                               QStringLiteral("L2 f etc/b 2"),
                                                               QStringLiteral("L1 w etc/a"),
                                                               QStringLiteral("L0 o etc"),
                                                               QStringLiteral("L0 f etc/c 3"),
                                                               QStringLiteral("L2 f usr/bin/x 4"),
                                                               QStringLiteral("L1 f usr/lib/y 5")};
    }

    void named()
    {
        STRATA_REQUIRE_MOUNT();
        QFETCH(int, lowers);
        QFETCH(bool, upper);
        QFETCH(QString, options);
        QFETCH(QStringList, spec);
        LayerStack stack(lowers, upper);
        QVERIFY(stack.isValid());
        QVERIFY2(stack.apply(spec), qPrintable(stack.errorString()));
        compareWithKernel(stack, options, MergeOptions {XattrNamespace::Trusted, true, false});
    }

    void userxattr()
    {
        STRATA_REQUIRE_MOUNT();
        // user.overlay.* markers are honoured only with userxattr, and trusted ones then ignored.
        LayerStack stack(2, true, true);
        QVERIFY(stack.apply({QStringLiteral("L1 f d/old 1"),
            QStringLiteral("L0 f d/mid 2"),
            QStringLiteral("U o d"),
            QStringLiteral("U f d/new 3"),
            QStringLiteral("U w gone"),
            QStringLiteral("L0 f gone 4")}));
        compareWithKernel(stack,
            QStringLiteral("userxattr,index=off,metacopy=off,xino=off"),
            MergeOptions {XattrNamespace::User, false, false});
    }

    void random_data()
    {
        strata::test::addColumns<quint32, int, bool, bool>("seed", "lowers", "upper", "redirects");
        const int seeds = qEnvironmentVariableIntValue("STRATA_TREE_SEEDS") > 0
            ? qEnvironmentVariableIntValue("STRATA_TREE_SEEDS")
            : 80;
        for (int s = 1; s <= seeds; ++s) {
            const int lowers = 1 + (s % 4);
            const bool upper = lowers == 1 || (s % 5) != 0;
            const bool redirects = (s % 3) == 0;
            QTest::addRow("seed %d, %d lowers%s%s", s, lowers, upper ? ", upper" : "", redirects ? ", redirects" : "")
                << quint32(s) << lowers << upper << redirects;
        }
    }

    void random()
    {
        STRATA_REQUIRE_MOUNT();
        QFETCH(quint32, seed);
        QFETCH(int, lowers);
        QFETCH(bool, upper);
        QFETCH(bool, redirects);
        const QStringList spec = RandomStack::generate({seed, lowers, upper, redirects, true});
        LayerStack stack(lowers, upper);
        QVERIFY2(stack.apply(spec),
            qPrintable(stack.errorString() + QStringLiteral("\nspec:\n") + spec.join(QLatin1Char('\n'))));
        auto tree = MergedTree::build(stack.mergeLayers(), MergeOptions {XattrNamespace::Trusted, true, false});
        QVERIFY(tree.ok());
        TreeSnapshot ours = TreeSnapshot::fromMergedTree(*tree);
        KernelMount mount;
        QVERIFY2(mount.mount(stack, DefaultOptions), qPrintable(mount.errorString()));
        TreeSnapshot kernel = TreeSnapshot::fromDirectory(stack.mountpoint());
        kernel.reconcileConflicts(ours);
        QVERIFY(mount.unmount());
        const QString diff = kernel.diff(ours);
        QVERIFY2(diff.isEmpty(),
            qPrintable(QStringLiteral("seed %1 differs from the kernel:\n%2\nreproduce with this spec:\n%3")
                           .arg(seed)
                           .arg(diff, spec.join(QLatin1Char('\n')))));
    }

    void scenarios_data()
    {
        strata::test::addColumns<QString, QString>("scenario", "overlay");
        QTest::newRow("blog") << QStringLiteral("blog") << QStringLiteral("overlay_layer");
        QTest::newRow("docker-like") << QStringLiteral("docker-like") << QStringLiteral("container");
        QTest::newRow("stacked, second level") << QStringLiteral("stacked") << QStringLiteral("overlay_layer_2");
    }

    void scenarios()
    {
        STRATA_REQUIRE_MOUNT();
        QFETCH(QString, scenario);
        QFETCH(QString, overlay);
        QTemporaryDir dir;
        auto ws = Scenario::create(scenario, dir.filePath(QStringLiteral("ws")));
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        const int index = ws->indexOf(overlay);
        QVERIFY(index >= 0);
        // Lower layers are hashed before and after: computing a view never writes.
        QStringList lowerDirs;
        for (const QString &l : ws->overlays().first().lower)
            lowerDirs << l;
        QHash<QString, QByteArray> before;
        for (const QString &l : lowerDirs)
            before.insert(l, fingerprint(l));

        auto layers = ws->mergeLayers(index);
        QVERIFY(layers.ok());
        auto tree = MergedTree::build(*layers, ws->overlays().at(index).options.mergeOptions());
        QVERIFY(tree.ok());
        const TreeSnapshot ours = TreeSnapshot::fromMergedTree(*tree);

        // Mount every overlay up to this one, in order: a lower may be an earlier mountpoint.
        std::vector<std::unique_ptr<KernelMount>> mounts;
        for (int i = 0; i <= index; ++i) {
            const OverlaySpec &spec = ws->overlays().at(i);
            QStringList opts = spec.options.mountOptionList();
            mounts.push_back(std::make_unique<KernelMount>());
            QVERIFY2(
                mounts.back()->mount(spec.lower, spec.upper, spec.work, spec.mountpoint, opts.join(QLatin1Char(','))),
                qPrintable(mounts.back()->errorString()));
        }
        const TreeSnapshot kernel = TreeSnapshot::fromDirectory(ws->overlays().at(index).mountpoint);
        for (auto it = mounts.rbegin(); it != mounts.rend(); ++it)
            QVERIFY((*it)->unmount());
        const QString diff = kernel.diff(ours);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        for (const QString &l : lowerDirs)
            QCOMPARE(fingerprint(l), before.value(l));
    }
};

STRATA_MOUNT_TEST_MAIN(TestMergedTreeKernel)
#include "tst_mergedtree_kernel.moc"
