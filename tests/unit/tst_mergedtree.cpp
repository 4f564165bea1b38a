// SPDX-License-Identifier: GPL-2.0-or-later
// Provenance: what the kernel cannot tell us (which layer provides an entry, what it hides).
// Visibility itself is checked against real mounts in tests/kernel.
#include "core/merge/mergedtree.h"
#include "core/util/fork.h"
#include "core/util/scancontrol.h"
#include "tests/support/datatable.h"
#include "tests/support/filelimit.h"
#include "tests/support/layerstack.h"

#include <QtTest>

#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace strata;
using namespace strata::test;

namespace
{

// One line per node: "PATH LAYER [W] [O] [R=target] [MC] [E] [M:a,b] [S:layer(type,reason)]..."
QStringList describe(const MergedTree &tree)
{
    QStringList out;
    for (NodeId id = 0; id < tree.nodeCount(); ++id) {
        const MergedNode &n = tree.node(id);
        QString line = QString::fromUtf8(tree.path(id)) + QLatin1Char(' ') + tree.layers().at(n.layer).name;
        if (n.has(MergedNode::Whiteout))
            line += QStringLiteral(" W");
        if (n.has(MergedNode::Opaque))
            line += QStringLiteral(" O");
        if (n.has(MergedNode::Redirect))
            line += QStringLiteral(" R=") + QString::fromUtf8(tree.redirect(id));
        if (n.has(MergedNode::Metacopy))
            line += QStringLiteral(" MC");
        if (n.has(MergedNode::HasError))
            line += QStringLiteral(" E");
        if (tree.realPath(id) != tree.path(id))
            line += QStringLiteral(" real=") + QString::fromUtf8(tree.realPath(id));
        QStringList merged;
        for (const auto &s : tree.shadows(id)) {
            if (s.reason == MergedTree::ShadowReason::Merged)
                merged << tree.layers().at(s.layer).name;
        }
        if (!merged.isEmpty())
            line += QStringLiteral(" M:") + merged.join(QLatin1Char(','));
        for (const auto &s : tree.shadows(id)) {
            if (s.reason != MergedTree::ShadowReason::Merged)
                line += QStringLiteral(" S:%1(%2,%3)")
                            .arg(tree.layers().at(s.layer).name,
                                entryTypeName(s.type),
                                QLatin1String(MergedTree::reasonName(s.reason)));
        }
        out << line;
    }
    out.sort();
    return out;
}

bool unprivileged()
{
    return ::geteuid() != 0;
}
} // namespace

class TestMergedTree final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void provenance_data()
    {
        strata::test::addColumns<int, bool, bool, bool, QStringList, QStringList>(
            "lowers", "upper", "follow", "metacopy", "spec", "expected");

        QTest::newRow("upper copy shadows lower copy") << 1 << true << true << false
                                                       << QStringList {QStringLiteral("L0 f base/common.txt a"),
                                                              QStringLiteral("L0 f base/p1 b"),
                                                              QStringLiteral("U f base/common.txt c")}
                                                       << QStringList {QStringLiteral("/ U M:L0"),
                                                              QStringLiteral("/base U M:L0"),
                                                              QStringLiteral("/base/common.txt U S:L0(file,shadowed)"),
                                                              QStringLiteral("/base/p1 L0")};
        QTest::newRow("whiteout hides every lower copy")
            << 2 << true << true << false
            << QStringList {QStringLiteral("L1 f x 1"), QStringLiteral("L0 f x 2"), QStringLiteral("U w x")}
            << QStringList {QStringLiteral("/ U M:L0,L1"),
                   QStringLiteral("/x U W S:L0(file,hidden_by_whiteout) S:L1(file,hidden_by_whiteout)")};
        QTest::newRow("whiteout hides a directory, its content is not listed")
            << 1 << true << true << false << QStringList {QStringLiteral("L0 f d/a 1"), QStringLiteral("U w d")}
            << QStringList {QStringLiteral("/ U M:L0"), QStringLiteral("/d U W S:L0(dir,hidden_by_whiteout)")};
        QTest::newRow("opaque directory")
            << 1 << true << true << false
            << QStringList {QStringLiteral("L0 f d/a 1"), QStringLiteral("U o d"), QStringLiteral("U f d/b 2")}
            << QStringList {QStringLiteral("/ U M:L0"),
                   QStringLiteral("/d U O S:L0(dir,hidden_by_opaque)"),
                   QStringLiteral("/d/b U")};
        QTest::newRow("file over directory")
            << 2 << false << true << false << QStringList {QStringLiteral("L1 f d/in 1"), QStringLiteral("L0 f d x")}
            << QStringList {QStringLiteral("/ L0 M:L1"), QStringLiteral("/d L0 S:L1(dir,shadowed)")};
        QTest::newRow("directory over file stops the merge")
            << 3 << false << true << false
            << QStringList {QStringLiteral("L2 f d/deep 1"), QStringLiteral("L1 f d 1"), QStringLiteral("L0 f d/in x")}
            << QStringList {QStringLiteral("/ L0 M:L1,L2"),
                   QStringLiteral("/d L0 S:L1(file,shadowed) S:L2(dir,shadowed)"),
                   QStringLiteral("/d/in L0")};
        QTest::newRow("merged directory over three layers") << 2 << true << true << false
                                                            << QStringList {QStringLiteral("L1 f etc/a 1"),
                                                                   QStringLiteral("L0 f etc/b 1"),
                                                                   QStringLiteral("U f etc/c 1")}
                                                            << QStringList {QStringLiteral("/ U M:L0,L1"),
                                                                   QStringLiteral("/etc U M:L0,L1"),
                                                                   QStringLiteral("/etc/a L1"),
                                                                   QStringLiteral("/etc/b L0"),
                                                                   QStringLiteral("/etc/c U")};
        QTest::newRow("renamed directory: redirect followed")
            << 1 << true << true << false
            << QStringList {QStringLiteral("L0 f old/a 1"), QStringLiteral("U w old"), QStringLiteral("U r new old")}
            << QStringList {QStringLiteral("/ U M:L0"),
                   QStringLiteral("/new U R=old M:L0"),
                   QStringLiteral("/new/a L0 real=/old/a"),
                   QStringLiteral("/old U W S:L0(dir,hidden_by_whiteout)")};
        QTest::newRow("redirect not followed (nofollow)")
            << 1 << true << false << false
            << QStringList {QStringLiteral("L0 f old/a 1"), QStringLiteral("U w old"), QStringLiteral("U r new old")}
            << QStringList {QStringLiteral("/ U M:L0"),
                   QStringLiteral("/new U R=old E"),
                   QStringLiteral("/old U W S:L0(dir,hidden_by_whiteout)")};
        QTest::newRow("redirect target still visible: ESTALE conflict")
            << 1 << true << true << false << QStringList {QStringLiteral("L0 f old/a 1"), QStringLiteral("U r new old")}
            << QStringList {QStringLiteral("/ U M:L0"),
                   QStringLiteral("/new U R=old E M:L0"),
                   QStringLiteral("/new/a L0 real=/old/a"),
                   QStringLiteral("/old L0 E"),
                   QStringLiteral("/old/a L0")};
        QTest::newRow("metacopy file takes data from below")
            << 1 << true << true << true << QStringList {QStringLiteral("L0 f f data"), QStringLiteral("U mc f")}
            << QStringList {QStringLiteral("/ U M:L0"), QStringLiteral("/f U MC S:L0(file,data_source)")};
        QTest::newRow("metacopy ignored when the option is off")
            << 1 << true << true << false << QStringList {QStringLiteral("L0 f f data"), QStringLiteral("U mc f")}
            << QStringList {QStringLiteral("/ U M:L0"), QStringLiteral("/f U S:L0(file,shadowed)")};
        QTest::newRow("metacopy chain: data from the first non-metacopy file")
            << 2 << true << true << true
            << QStringList {QStringLiteral("L1 f f data"), QStringLiteral("L0 mc f"), QStringLiteral("U mc f")}
            << QStringList {
                   QStringLiteral("/ U M:L0,L1"), QStringLiteral("/f U MC S:L0(file,shadowed) S:L1(file,data_source)")};
        QTest::newRow("metacopy without data below: EIO")
            << 1 << true << true << true << QStringList {QStringLiteral("L0 d f"), QStringLiteral("U mc f")}
            << QStringList {QStringLiteral("/ U M:L0"), QStringLiteral("/f U MC E S:L0(dir,shadowed)")};
        QTest::newRow("invalid relative redirect with a slash: EINVAL")
            << 1 << true << true << false << QStringList {QStringLiteral("L0 f a/b/x 1"), QStringLiteral("U r d a/b")}
            << QStringList {QStringLiteral("/ U M:L0"),
                   QStringLiteral("/a L0"),
                   QStringLiteral("/a/b L0"),
                   QStringLiteral("/a/b/x L0"),
                   QStringLiteral("/d U R=a/b E")};
        QTest::newRow("xattr whiteout in upper hides at lookup")
            << 1 << true << true << false << QStringList {QStringLiteral("L0 f a 1"), QStringLiteral("U xw a")}
            << QStringList {QStringLiteral("/ U M:L0"), QStringLiteral("/a U W S:L0(file,shadowed)")};
        QTest::newRow("xattr whiteout in opaque=x dir")
            << 2 << false << true << false
            << QStringList {QStringLiteral("L1 f d/h 1"), QStringLiteral("L0 x d"), QStringLiteral("L0 xw d/h")}
            << QStringList {QStringLiteral("/ L0 M:L1"),
                   QStringLiteral("/d L0 M:L1"),
                   QStringLiteral("/d/h L0 W S:L1(file,hidden_by_whiteout)")};
        QTest::newRow("xattr whiteout without opaque=x: hidden at lookup")
            << 2 << false << true << false
            << QStringList {QStringLiteral("L1 f d/h 1"), QStringLiteral("L0 d d"), QStringLiteral("L0 xw d/h")}
            << QStringList {QStringLiteral("/ L0 M:L1"),
                   QStringLiteral("/d L0 M:L1"),
                   QStringLiteral("/d/h L0 W S:L1(file,shadowed)")};
    }

    void provenance()
    {
        QFETCH(int, lowers);
        QFETCH(bool, upper);
        QFETCH(bool, follow);
        QFETCH(bool, metacopy);
        QFETCH(QStringList, spec);
        QFETCH(QStringList, expected);
        // Unprivileged runs use user.overlay.* (trusted.* needs CAP_SYS_ADMIN).
        LayerStack stack(lowers, upper, unprivileged());
        QVERIFY2(stack.apply(spec), qPrintable(stack.errorString()));
        const MergeOptions options {unprivileged() ? XattrNamespace::User : XattrNamespace::Trusted, follow, metacopy};
        auto tree = MergedTree::build(stack.mergeLayers(), options);
        QVERIFY(tree.ok());
        expected.sort();
        QCOMPARE(describe(*tree), expected);
    }

    void lookupAndPaths()
    {
        LayerStack stack(1, true);
        QVERIFY(stack.apply(
            {QStringLiteral("L0 f a/b/c 1"), QStringLiteral("U f a/z 2"), QStringLiteral("L0 l a/link target")}));
        auto tree = MergedTree::build(stack.mergeLayers());
        QVERIFY(tree.ok());
        const auto c = tree->find("/a/b/c");
        QVERIFY(c.has_value());
        QCOMPARE(tree->path(*c), QByteArray("/a/b/c"));
        QCOMPARE(tree->diskPath(*c), QFile::encodeName(stack.lowers().first()) + "/a/b/c");
        QVERIFY(!tree->find("/a/nope").has_value());
        QCOMPARE(tree->find("/").value(), MergedTree::root());
        QCOMPARE(tree->find("a//b/").value(), tree->find("/a/b").value());
        QCOMPARE(tree->symlinkTarget(*tree->find("/a/link")), QByteArray("target"));
        QCOMPARE(tree->visibleCount(), std::size_t(6));
        QVERIFY(sizeof(MergedNode) <= 56);
    }

    void missingLayerIsAClearError()
    {
        LayerStack stack(1, true);
        MergeLayers layers = stack.mergeLayers();
        layers[1].path = stack.root() + QStringLiteral("/no-such-layer");
        auto tree = MergedTree::build(layers);
        QVERIFY(!tree.ok());
        QVERIFY2(tree.error().message.contains(QStringLiteral("no-such-layer")), qPrintable(tree.error().message));
        QVERIFY(tree.error().message.contains(QStringLiteral("lower layer")));
    }

    void cancel()
    {
        LayerStack stack(1, true);
        QVERIFY(stack.apply({QStringLiteral("L0 f a/b 1")}));
        ScanControl control;
        control.cancel();
        auto tree = MergedTree::build(stack.mergeLayers(), {}, &control);
        QVERIFY(!tree.ok());
        QCOMPARE(tree.error().code, ECANCELED);
    }

    void progressCounts()
    {
        LayerStack stack(1, false);
        QStringList spec;
        for (int i = 0; i < 50; ++i)
            spec << QStringLiteral("L0 f d%1/f 1").arg(i % 5);
        spec.removeDuplicates();
        QVERIFY(stack.apply(spec));
        ScanControl control;
        auto tree = MergedTree::build(stack.mergeLayers(), {}, &control);
        QVERIFY(tree.ok());
        QCOMPARE(control.entries(), quint64(tree->nodeCount() - 1));
        QCOMPARE(control.directories(), quint64(6));
    }

    void buildLeavesTheFileLimitAlone()
    {
        // The mains raise the limit (STRATA_TEST_MAIN here); a library never changes it.
        LayerStack stack(2, true);
        QString deep;
        for (int i = 0; i < 300; ++i)
            deep += QStringLiteral("d/");
        QVERIFY(stack.apply({QStringLiteral("L1 f %1f 1").arg(deep), QStringLiteral("L0 f %1g 2").arg(deep)}));
        rlimit raised {};
        QVERIFY(::getrlimit(RLIMIT_NOFILE, &raised) == 0);
        rlimit lowered = raised;
        lowered.rlim_cur = std::min<rlim_t>(raised.rlim_max, 4096);
        QVERIFY(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);
        auto tree = MergedTree::build(stack.mergeLayers());
        rlimit after {};
        QVERIFY(::getrlimit(RLIMIT_NOFILE, &after) == 0);
        QVERIFY(::setrlimit(RLIMIT_NOFILE, &raised) == 0);
        QCOMPARE(after.rlim_cur, lowered.rlim_cur);
        QVERIFY(tree.ok());
        QVERIFY(tree->find(QString(QLatin1Char('/') + deep + QLatin1Char('f')).toStdString()).has_value());
        QVERIFY(tree->find(QString(QLatin1Char('/') + deep + QLatin1Char('g')).toStdString()).has_value());
    }

    void unreadableDirectoryIsAnEntryError()
    {
        LayerStack stack(1, false);
        QVERIFY(stack.apply({QStringLiteral("L0 f locked/secret 1"),
            QStringLiteral("L0 m locked 000"),
            QStringLiteral("L0 f open 2")}));
        // Root reads every directory: check as an unprivileged user, in a child process.
        auto check = [&stack]() -> int {
            auto tree = MergedTree::build(stack.mergeLayers(), MergeOptions {XattrNamespace::User, false, false});
            if (!tree.ok())
                return 10;
            const auto locked = tree->find("/locked");
            if (!locked || !tree->node(*locked).has(MergedNode::HasError)
                || !tree->node(*locked).has(MergedNode::Unreadable))
                return 11;
            if (!tree->error(*locked).contains(QStringLiteral("Permission denied")))
                return 12;
            return tree->find("/open").has_value() ? 0 : 13;
        };
        int rc = 0;
        if (unprivileged()) {
            rc = check();
        } else {
            QVERIFY(::chmod(QFile::encodeName(stack.root()).constData(), 0755) == 0);
            const pid_t pid = forkProcess();
            QVERIFY(pid >= 0);
            if (pid == 0) {
                if (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0
                    || ::setresuid(65534, 65534, 65534) != 0)
                    ::_exit(20);
                ::_exit(check());
            }
            int status = 0;
            QCOMPARE(::waitpid(pid, &status, 0), pid);
            QVERIFY(WIFEXITED(status));
            rc = WEXITSTATUS(status);
        }
        QCOMPARE(rc, 0);
        ::chmod(QFile::encodeName(stack.lowers().first() + QStringLiteral("/locked")).constData(), 0755);
    }
};

STRATA_TEST_MAIN(TestMergedTree)
#include "tst_mergedtree.moc"
