// SPDX-License-Identifier: GPL-2.0-or-later
// The Podman store against a real Podman 4.3 (tests/podman/podman.sh fills a store of its own,
// /var/lib/strata-podman/storage, without network): images, history and containers as
// `podman images/history/inspect` report them, diff exactly as `podman diff` prints it, a
// running container's tree as its mounted rootfs shows it, and the store's files byte for byte
// unchanged by all of it; then, as the user strata-rootless, that user's rootless store (the
// default root there) against that user's podman. Needs root; fails under CI=true without it.
#include "core/image/layersearch.h"
#include "core/image/podman/podmandiff.h"
#include "core/image/podman/podmanstore.h"
#include "core/merge/mergedtree.h"
#include "tests/support/podmanfixture.h"
#include "tests/support/require.h"
#include "tests/support/run.h"
#include "tests/support/treesnapshot.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace strata;

namespace
{
const QString Root = QStringLiteral("/var/lib/strata-podman/storage");
// The store podman.sh uses through fuse-overlayfs: its layers hold .wh. files.
const QString FuseRoot = QStringLiteral("/var/lib/strata-podman/fuse");

using strata::test::Run;
using strata::test::run;

QString script()
{
    return qEnvironmentVariable("STRATA_SOURCE_DIR") + QStringLiteral("/tests/podman/podman.sh");
}

// podman with the store's options (podman.sh --command).
Run podman(const QStringList &args)
{
    static const QStringList command
        = QString::fromUtf8(run(QStringLiteral("bash"), {script(), QStringLiteral("--command")}).out.trimmed())
              .split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return run(command.value(0), command.mid(1) + args);
}

QJsonDocument podmanJson(const QStringList &args)
{
    const Run r = podman(args);
    if (r.exitCode != 0)
        qWarning("podman %s: exit %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode, r.err.constData());
    return QJsonDocument::fromJson(r.out);
}

// podman as strata-rootless, on that user's store (podman.sh --rootless-command).
Run asRootless(const QStringList &args)
{
    static const QStringList command
        = QString::fromUtf8(run(QStringLiteral("bash"), {script(), QStringLiteral("--rootless-command")}).out.trimmed())
              .split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return run(command.value(0), command.mid(1) + args);
}

// strata as strata-rootless, with its default root: that user's store.
Run rootlessCli(const QStringList &args)
{
    return run(QStringLiteral("runuser"),
        QStringList {QStringLiteral("-u"),
            QStringLiteral("strata-rootless"),
            QStringLiteral("--"),
            QStringLiteral("env"),
            QStringLiteral("HOME=/home/strata-rootless"),
            qEnvironmentVariable("STRATA_CLI"),
            QStringLiteral("podman")}
            + args);
}

Run cli(const QStringList &args)
{
    return run(qEnvironmentVariable("STRATA_CLI"),
        QStringList {QStringLiteral("podman")} + args + QStringList {QStringLiteral("--root"), Root});
}

// The store's own files: the records and the image and layer directories (libpod's state
// and the mount counts under the runroot are Podman's, not read here).
QStringList storeFingerprint()
{
    QStringList out;
    for (const char *sub : {"overlay-layers", "overlay-images", "overlay-containers", "overlay"})
        out += test::PodmanFixture::fingerprint(Root + QLatin1Char('/') + QLatin1String(sub));
    return out;
}

} // namespace

class TestPodman : public QObject
{
    Q_OBJECT

    std::optional<PodmanStore> m_store;

    const PodmanContainer &container(const QString &name) const
    {
        static const PodmanContainer none;
        auto i = m_store->containerIndex(name);
        return i ? m_store->containerAt(*i) : none;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0) {
            qWarning("needs root: runs podman with a rootful store");
            return;
        }
        const Run r = run(QStringLiteral("bash"), {script()}, 900000);
        if (r.exitCode != 0) {
            qWarning("tests/podman/podman.sh failed (exit %d): %s", r.exitCode, r.err.right(2000).constData());
            return;
        }
        auto store = PodmanStore::open(Root);
        if (!store) {
            qWarning("%s", qPrintable(store.error().message));
            return;
        }
        m_store = std::move(*store);
    }

    void noProblems()
    {
        STRATA_REQUIRE(m_store, "root and the store of tests/podman/podman.sh");
        for (const StoreProblem &p : m_store->problems())
            qWarning("%s", qPrintable(p.text()));
        QVERIFY(m_store->problems().isEmpty());
        QCOMPARE(m_store->kindName(), QStringLiteral("Podman"));
        QVERIFY(!m_store->isRootless());
        QCOMPARE(m_store->containerCount(), 3);
        QVERIFY(m_store->imageCount() >= 3);
    }

    // Every image `podman images` lists: ID, names, digests, size, created.
    void imagesAsPodman()
    {
        STRATA_REQUIRE(m_store, "root and the store of tests/podman/podman.sh");
        const QJsonArray images
            = podmanJson({QStringLiteral("images"), QStringLiteral("--format"), QStringLiteral("json")}).array();
        QCOMPARE(images.size(), m_store->imageCount());
        for (const QJsonValue &v : images) {
            const QJsonObject o = v.toObject();
            const PodmanImage *img
                = m_store->imageById(QStringLiteral("sha256:") + o.value(QLatin1String("Id")).toString());
            QVERIFY(img);
            QStringList names;
            for (const QJsonValue &n : o.value(QLatin1String("Names")).toArray())
                names << n.toString();
            names.sort();
            QCOMPARE(img->tags, names);
            QStringList digests;
            for (const QJsonValue &n : o.value(QLatin1String("RepoDigests")).toArray())
                digests << n.toString();
            digests.sort();
            QCOMPARE(img->digests, digests);
            QCOMPARE(img->manifestDigest, o.value(QLatin1String("Digest")).toString());
            QCOMPARE(img->size, qint64(o.value(QLatin1String("Size")).toDouble()));
            QCOMPARE(QDateTime::fromString(img->created, Qt::ISODateWithMs).toSecsSinceEpoch(),
                qint64(o.value(QLatin1String("Created")).toDouble()));
        }
    }

    // `podman history`: every entry, newest first, with the size of the layer it made.
    void historyAsPodman()
    {
        STRATA_REQUIRE(m_store, "root and the store of tests/podman/podman.sh");
        for (qsizetype i = 0; i < m_store->imageCount(); ++i) {
            const PodmanImage &img = m_store->imageAt(i);
            const QJsonArray h = podmanJson(
                {QStringLiteral("history"), QStringLiteral("--format"), QStringLiteral("json"), img.id.mid(7)})
                                     .array();
            QCOMPARE(h.size(), img.history.size());
            QVERIFY(img.historyMatches);
            for (qsizetype k = 0; k < h.size(); ++k) {
                const QJsonObject o = h.at(k).toObject();
                const HistoryEntry &e = img.history.at(img.history.size() - 1 - k);
                QCOMPARE(e.createdByRaw, o.value(QLatin1String("CreatedBy")).toString());
                const qint64 size = e.layerIndex < 0 ? 0 : m_store->imageLayerAt(i, e.layerIndex).size;
                QCOMPARE(size, qint64(o.value(QLatin1String("size")).toDouble()));
            }
        }
    }

    // `podman inspect`: the image, and GraphDriver.Data's directories.
    void containersAsPodman_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("running");
        QTest::newRow("running") << "strata-walk-v1" << true;
        QTest::newRow("stopped") << "strata-del-v1" << false;
        QTest::newRow("never started") << "strata-created-v1" << false;
    }
    void containersAsPodman()
    {
        STRATA_REQUIRE(m_store, "root and the store of tests/podman/podman.sh");
        QFETCH(QString, name);
        QFETCH(bool, running);
        const QJsonObject o = podmanJson({QStringLiteral("inspect"), name}).array().at(0).toObject();
        const PodmanContainer &c = container(name);
        QCOMPARE(c.id, o.value(QLatin1String("Id")).toString());
        QCOMPARE(c.imageId, QStringLiteral("sha256:") + o.value(QLatin1String("Image")).toString());
        QCOMPARE(c.image, o.value(QLatin1String("ImageName")).toString());
        const QJsonObject data
            = o.value(QLatin1String("GraphDriver")).toObject().value(QLatin1String("Data")).toObject();
        QCOMPARE(c.upperDir, data.value(QLatin1String("UpperDir")).toString());
        QCOMPARE(c.workDir, data.value(QLatin1String("WorkDir")).toString());
        QCOMPARE(c.mergedDir, data.value(QLatin1String("MergedDir")).toString());
        QCOMPARE(c.lowerDirs.join(QLatin1Char(':')), data.value(QLatin1String("LowerDir")).toString());
        QCOMPARE(c.running, running);
        const QJsonObject state = o.value(QLatin1String("State")).toObject();
        QCOMPARE(c.status, state.value(QLatin1String("Status")).toString());
        QCOMPARE(c.exitCode, state.value(QLatin1String("ExitCode")).toInt());
        QCOMPARE(o.value(QLatin1String("State")).toObject().value(QLatin1String("Running")).toBool(), running);
    }

    // diff prints exactly what `podman diff` prints, line for line.
    void diffAsPodman_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("running") << "strata-walk-v1";
        QTest::newRow("stopped") << "strata-del-v1";
        QTest::newRow("never started") << "strata-created-v1";
    }
    void diffAsPodman()
    {
        STRATA_REQUIRE(m_store, "root and the store of tests/podman/podman.sh");
        QFETCH(QString, name);
        const Run theirs = podman({QStringLiteral("diff"), name});
        QCOMPARE(theirs.exitCode, 0);
        const Run ours = cli({QStringLiteral("diff"), name});
        QCOMPARE(ours.exitCode, 0);
        QCOMPARE(QString::fromUtf8(ours.out), QString::fromUtf8(theirs.out));
    }

    // The running container's tree is what its mounted rootfs shows.
    void treeAsRootfs()
    {
        STRATA_REQUIRE(m_store, "root and the store of tests/podman/podman.sh");
        const PodmanContainer &c = container(QStringLiteral("strata-walk-v1"));
        QVERIFY(c.running);
        auto layers = m_store->containerMergeLayers(m_store->indexOf(c));
        QVERIFY(layers.ok());
        auto tree = MergedTree::build(*layers, m_store->mergeOptions());
        QVERIFY(tree.ok());
        const auto kernel = test::TreeSnapshot::fromDirectory(c.mergedDir);
        const auto ours = test::TreeSnapshot::fromMergedTree(*tree);
        QVERIFY(kernel.records().size() > 250); // busybox and its applets
        const QString d = kernel.diff(ours);
        QVERIFY2(d.isEmpty(), qPrintable(d));
    }

    void commandLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expect");
        QTest::newRow("images") << QStringList {QStringLiteral("images")} << "localhost/strata-test/deletions:v1";
        QTest::newRow("layers, a short name")
            << QStringList {QStringLiteral("layers"), QStringLiteral("strata-test/deletions:v1")}
            << "ENV STRATA=deletions";
        QTest::newRow("containers") << QStringList {QStringLiteral("containers")} << "strata-walk-v1";
        QTest::newRow("tree") << QStringList {QStringLiteral("tree"),
            QStringLiteral("strata-walk-v1"),
            QStringLiteral("--visible")}
                              << "added.txt";
        QTest::newRow("find") << QStringList {QStringLiteral("find"), QStringLiteral("wget")} << "/bin/wget";
        QTest::newRow("grep") << QStringList {QStringLiteral("grep"), QStringLiteral("needle in")}
                              << "/data/needle.txt";
        QTest::newRow("explain") << QStringList {QStringLiteral("explain"),
            QStringLiteral("strata-walk-v1"),
            QStringLiteral("/app/takbir.txt")}
                                 << "upper";
        QTest::newRow("analyze") << QStringList {QStringLiteral("analyze"), QStringLiteral("strata-test/deletions:v1")}
                                 << "efficiency";
    }
    void commandLine()
    {
        STRATA_REQUIRE(m_store, "root and the store of tests/podman/podman.sh");
        QFETCH(QStringList, args);
        QFETCH(QString, expect);
        const Run r = cli(args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(QString::fromUtf8(r.out).contains(expect, Qt::CaseInsensitive), r.out.left(3000).constData());
        const Run j = cli(args + QStringList {QStringLiteral("--json")});
        QCOMPARE(j.exitCode, 0);
        if (args.first() != QLatin1String("find") && args.first() != QLatin1String("grep"))
            QVERIFY2(!QJsonDocument::fromJson(j.out).isNull(), j.out.left(2000).constData());
    }

    // The same image read from Docker and from Podman: compare finds nothing between them.
    void compareWithDocker()
    {
        STRATA_REQUIRE(m_store, "root and the store of tests/podman/podman.sh");
        const Run r = run(qEnvironmentVariable("STRATA_CLI"),
            {QStringLiteral("compare"),
                QStringLiteral("docker:strata-test/deletions:v1"),
                QStringLiteral("podman:strata-test/deletions:v1"),
                QStringLiteral("--root-b"),
                Root,
                QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY(o.value(QLatin1String("changes")).toArray().isEmpty());
        QCOMPARE(o.value(QLatin1String("shared_layers")).toArray().size(), 4);
    }

    // A store used through fuse-overlayfs keeps whiteouts as .wh. files (and fuse-overlayfs
    // its own .wh..opq markers): read through them, the running container's tree is what its
    // fuse-overlayfs mount shows, and no search shows a marker.
    void fuseStore()
    {
        STRATA_REQUIRE(
            m_store && QFileInfo::exists(FuseRoot), "root, /dev/fuse and the stores of tests/podman/podman.sh");
        auto store = PodmanStore::open(FuseRoot);
        QVERIFY(store.ok());
        QVERIFY(store->problems().isEmpty());
        auto i = store->containerIndex(QStringLiteral("strata-del-v1"));
        QVERIFY(i.ok());
        const PodmanContainer &c = store->containerAt(*i);
        QVERIFY(c.running);
        QCOMPARE(c.status, QStringLiteral("running"));
        auto tree = MergedTree::build(*store->containerMergeLayers(*i), store->mergeOptions());
        QVERIFY(tree.ok());
        const auto mounted = test::TreeSnapshot::fromDirectory(c.mergedDir);
        QVERIFY(mounted.records().size() > 250);
        const QString d = mounted.diff(test::TreeSnapshot::fromMergedTree(*tree));
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QStringList whiteouts;
        QVERIFY(LayerSearch(*store)
                    .find(QStringLiteral("*"),
                        [&whiteouts](const SearchHit &h) {
                            if (h.path.contains("/.wh."))
                                whiteouts << QStringLiteral("marker: ") + QString::fromUtf8(h.path);
                            if (h.type == EntryType::Whiteout)
                                whiteouts << QString::fromUtf8(h.path);
                            return true;
                        })
                    .ok());
        QVERIFY2(whiteouts.filter(QStringLiteral("marker")).isEmpty(), qPrintable(whiteouts.join(QLatin1Char(' '))));
        QVERIFY2(whiteouts.contains(QStringLiteral("/data/gone"))
                && whiteouts.contains(QStringLiteral("/data/with space.txt")),
            qPrintable(whiteouts.join(QLatin1Char(' '))));
    }

    // As a normal user, strata reads that user's rootless store by default, and answers as
    // Podman does there: the same containers and directories, the same diff.
    void rootless_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("running");
        QTest::newRow("running") << "strata-walk-v1" << true;
        QTest::newRow("never started") << "strata-created-v1" << false;
    }
    void rootless()
    {
        STRATA_REQUIRE(m_store, "root and the stores of tests/podman/podman.sh");
        QFETCH(QString, name);
        QFETCH(bool, running);
        const Run listed = rootlessCli({QStringLiteral("containers"), QStringLiteral("--json")});
        QVERIFY2(listed.exitCode == 0, listed.err.constData());
        const QJsonObject store = QJsonDocument::fromJson(listed.out).object();
        QCOMPARE(store.value(QLatin1String("root")).toString(),
            QStringLiteral("/home/strata-rootless/.local/share/containers/storage"));
        QVERIFY(store.value(QLatin1String("problems")).toArray().isEmpty());
        QJsonObject ours;
        for (const QJsonValue &c : store.value(QLatin1String("containers")).toArray()) {
            if (c.toObject().value(QLatin1String("name")).toString() == name)
                ours = c.toObject();
        }
        const Run inspected = asRootless({QStringLiteral("inspect"), name});
        QVERIFY2(inspected.exitCode == 0, inspected.err.constData());
        const QJsonObject theirs = QJsonDocument::fromJson(inspected.out).array().at(0).toObject();
        const QJsonObject data
            = theirs.value(QLatin1String("GraphDriver")).toObject().value(QLatin1String("Data")).toObject();
        QCOMPARE(ours.value(QLatin1String("id")).toString(), theirs.value(QLatin1String("Id")).toString());
        QCOMPARE(ours.value(QLatin1String("upper_dir")).toString(), data.value(QLatin1String("UpperDir")).toString());
        QStringList lowers;
        for (const QJsonValue &l : ours.value(QLatin1String("lower_dirs")).toArray())
            lowers << l.toString();
        QCOMPARE(lowers.join(QLatin1Char(':')), data.value(QLatin1String("LowerDir")).toString());
        QCOMPARE(ours.value(QLatin1String("running")).toBool(), running);
        QCOMPARE(ours.value(QLatin1String("status")).toString(),
            theirs.value(QLatin1String("State")).toObject().value(QLatin1String("Status")).toString());
        const Run podmanDiff = asRootless({QStringLiteral("diff"), name});
        QCOMPARE(podmanDiff.exitCode, 0);
        const Run ourDiff = rootlessCli({QStringLiteral("diff"), name});
        QVERIFY2(ourDiff.exitCode == 0, ourDiff.err.constData());
        QCOMPARE(QString::fromUtf8(ourDiff.out), QString::fromUtf8(podmanDiff.out));
    }

    // Reading everything changes nothing: the store's files are the same bytes (and times).
    void readOnly()
    {
        STRATA_REQUIRE(m_store, "root and the store of tests/podman/podman.sh");
        const QStringList before = storeFingerprint();
        for (int round = 0; round < 2; ++round) {
            auto store = PodmanStore::open(Root);
            QVERIFY(store.ok());
            for (qsizetype i = 0; i < store->containerCount(); ++i)
                QVERIFY(PodmanDiff::compute(*store, i).ok());
            for (qsizetype i = 0; i < store->imageCount(); ++i)
                QVERIFY(MergedTree::build(*store->imageMergeLayers(i), store->mergeOptions()).ok());
        }
        for (const QString &verb : {QStringLiteral("images"), QStringLiteral("containers")})
            QCOMPARE(cli({verb}).exitCode, 0);
        QCOMPARE(cli({QStringLiteral("grep"), QStringLiteral("Akbar")}).exitCode, 0);
        QCOMPARE(storeFingerprint(), before);
    }
};

QTEST_GUILESS_MAIN(TestPodman)
#include "tst_podman.moc"
