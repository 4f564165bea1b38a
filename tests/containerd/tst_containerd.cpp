// SPDX-License-Identifier: GPL-2.0-or-later
// The containerd store against a real containerd 1.6 (tests/containerd/containerd.sh starts
// it, without network, and fills the namespace strata-test): images, snapshots and mounts as
// ctr reports them, a running container's tree as its task's rootfs shows it, diff as Docker
// prints it for the same edits, and both databases and every snapshot directory byte for byte
// unchanged by all of it while the daemon runs. Needs root; fails under CI=true without it.
#include "core/image/containerd/containerddiff.h"
#include "core/image/containerd/containerdstore.h"
#include "core/merge/mergedtree.h"
#include "tests/support/require.h"
#include "tests/support/run.h"
#include "tests/support/treesnapshot.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace strata;

namespace
{
const QString Address = QStringLiteral("/run/strata-containerd/containerd.sock");
const QString Ns = QStringLiteral("strata-test");

using strata::test::Run;
using strata::test::run;

Run cli(const QStringList &args)
{
    return run(qEnvironmentVariable("STRATA_CLI"), QStringList {QStringLiteral("containerd")} + args);
}

QJsonObject cliJson(const QStringList &args)
{
    const Run r = cli(
        args + QStringList {QStringLiteral("--namespace"), QStringLiteral("strata-test"), QStringLiteral("--json")});
    if (r.exitCode != 0)
        qWarning("strata containerd %s: exit %d: %s",
            qPrintable(args.join(QLatin1Char(' '))),
            r.exitCode,
            r.err.constData());
    return QJsonDocument::fromJson(r.out).object();
}

Run ctr(const QStringList &args, const QString &ns = Ns)
{
    return run(
        QStringLiteral("ctr"), QStringList {QStringLiteral("--address"), Address, QStringLiteral("-n"), ns} + args);
}

// The Docker-shaped container containerd.sh makes in namespace moby.
const QString D29Id = QStringLiteral("d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d29d");
const QString D29Image = QStringLiteral("docker.io/strata-test/walkthrough:v1");

// The rows of a ctr table, header left out, split on runs of spaces.
QVector<QStringList> rows(const QByteArray &out)
{
    QVector<QStringList> r;
    const QList<QByteArray> lines = out.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList cells = QString::fromUtf8(lines.at(i)).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (!cells.isEmpty())
            r << cells;
    }
    return r;
}

QStringList strings(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *s : list)
        out << QString::fromUtf8(s);
    return out;
}

QSet<QString> changeLines(const QVector<ContainerChange> &changes)
{
    QSet<QString> s;
    for (const ContainerChange &c : changes)
        s.insert(QString(QLatin1Char(c.letter())) + QLatin1Char(' ') + QString::fromUtf8(c.path));
    return s;
}

// Everything of a file tree that a write would change: names, types, modes, owners, sizes,
// times and contents.
QByteArray fingerprint(const QString &root)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    QDirIterator it(
        root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    QStringList paths {root};
    while (it.hasNext())
        paths << it.next();
    paths.sort();
    for (const QString &p : std::as_const(paths)) {
        struct stat st {
        };
        if (::lstat(QFile::encodeName(p).constData(), &st) != 0)
            continue;
        h.addData(QFile::encodeName(p));
        const qint64 fields[] = {st.st_mode,
            st.st_uid,
            st.st_gid,
            st.st_size,
            st.st_mtim.tv_sec,
            st.st_mtim.tv_nsec,
            st.st_ctim.tv_sec,
            st.st_ctim.tv_nsec,
            static_cast<qint64>(st.st_rdev)};
        h.addData(QByteArrayView(reinterpret_cast<const char *>(fields), sizeof fields));
        if (S_ISREG(st.st_mode)) {
            QFile f(p);
            if (f.open(QIODevice::ReadOnly))
                h.addData(&f);
        }
    }
    return h.result().toHex();
}
} // namespace

class TestContainerd final : public QObject
{
    Q_OBJECT

private:
    bool m_ready = false;
    std::optional<ContainerdStore> m_store;
    QTemporaryDir m_d29; // a Docker 29 root: a copy of the daemon's root, and containers/
    QByteArray m_d29Source; // the fingerprint of the snapshots it was copied from

    Run docker29(const QStringList &args)
    {
        return run(qEnvironmentVariable("STRATA_CLI"),
            QStringList {QStringLiteral("docker")} + args + QStringList {QStringLiteral("--root"), m_d29.path()});
    }

    // The root dockerd 29 would have: its containerd's root under containerd/daemon (copied,
    // read only), config.v2.json of its container, and that container's edits made in the copy.
    bool makeDocker29Root()
    {
        const QString daemon = m_d29.path() + QStringLiteral("/containerd/daemon");
        const QString snapshots = m_store->snapshotterRoot() + QStringLiteral("/snapshots");
        m_d29Source = fingerprint(snapshots);
        if (!QDir().mkpath(daemon) || !QDir().mkpath(m_d29.path() + QStringLiteral("/containers/") + D29Id))
            return false;
        for (const char *dir : {"io.containerd.metadata.v1.bolt",
                 "io.containerd.snapshotter.v1.overlayfs",
                 "io.containerd.content.v1.content"}) {
            if (run(QStringLiteral("cp"),
                    {QStringLiteral("-a"),
                        ContainerdStore::defaultRoot() + QLatin1Char('/') + QLatin1String(dir),
                        daemon})
                    .exitCode
                != 0)
                return false;
        }
        auto copy = ContainerdStore::open(daemon, QStringLiteral("moby"));
        const ContainerdSnapshot *upper = copy ? copy->snapshotOfKey(D29Id) : nullptr;
        if (!upper || copy->imageCount() != 1)
            return false;
        QFile config(m_d29.path() + QStringLiteral("/containers/") + D29Id + QStringLiteral("/config.v2.json"));
        const QJsonObject o {{QStringLiteral("ID"), D29Id},
            {QStringLiteral("Name"), QStringLiteral("/strata-d29")},
            {QStringLiteral("Image"), copy->imageAt(0).id},
            {QStringLiteral("Driver"), QStringLiteral("overlayfs")},
            {QStringLiteral("Created"), QStringLiteral("2026-01-01T00:00:00Z")},
            {QStringLiteral("Config"),
                QJsonObject {{QStringLiteral("Image"), QStringLiteral("strata-test/walkthrough:v1")}}},
            {QStringLiteral("State"),
                QJsonObject {{QStringLiteral("Running"), false},
                    {QStringLiteral("StartedAt"), QStringLiteral("0001-01-01T00:00:00Z")}}}};
        if (!config.open(QIODevice::WriteOnly) || config.write(QJsonDocument(o).toJson()) < 0)
            return false;
        config.close();
        // What the container would have done, as overlay leaves it in the upper (and the
        // init layer's /etc/hosts, which diff leaves out as Docker does).
        const QString fs = copy->snapshotDir(QString::number(upper->id)) + QStringLiteral("/fs");
        const QString init
            = copy->snapshotDir(QString::number(copy->snapshotOfKey(D29Id + QStringLiteral("-init"))->id))
            + QStringLiteral("/fs");
        const QString script
            = QStringLiteral("set -e; mkdir -p \"$1/app\" \"$1/bin\" \"$2/etc\"; echo added > \"$1/app/added.txt\"; "
                             "echo hosts > \"$2/etc/hosts\"; mknod \"$1/bin/wget\" c 0 0");
        return run(QStringLiteral("sh"), {QStringLiteral("-c"), script, QStringLiteral("sh"), fs, init}).exitCode == 0;
    }

    const ContainerdContainer &container(const QString &id)
    {
        static const ContainerdContainer none;
        auto i = m_store->containerIndex(id);
        return i ? m_store->containerAt(*i) : none;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0) {
            qWarning("needs root: starts containerd and reads /var/lib/containerd");
            return;
        }
        QString script = qEnvironmentVariable("STRATA_SOURCE_DIR") + QStringLiteral("/tests/containerd/containerd.sh");
        const Run r = run(QStringLiteral("bash"), {script}, 900000);
        if (r.exitCode != 0) {
            qWarning("tests/containerd/containerd.sh failed (exit %d): %s", r.exitCode, r.err.right(2000).constData());
            return;
        }
        auto store = ContainerdStore::open(QString(), Ns);
        if (!store) {
            qWarning("%s", qPrintable(store.error().message));
            return;
        }
        m_store = std::move(*store);
        m_ready = m_d29.isValid() && makeDocker29Root();
    }

    void noProblems()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        for (const StoreProblem &p : m_store->problems())
            qWarning("%s", qPrintable(p.text()));
        QVERIFY(m_store->problems().isEmpty());
        QCOMPARE(m_store->kindName(), QStringLiteral("containerd"));
        QCOMPARE(m_store->nameSpace(), Ns);
        bool found = false;
        for (const ContainerdNamespace &n : m_store->namespaces()) {
            if (n.name == Ns) {
                found = true;
                QCOMPARE(n.containers, 3);
                QVERIFY(n.images >= 5);
            }
        }
        QVERIFY(found);
    }

    // Every name `ctr images ls` lists, with the same digest (the image ID here).
    void imagesAsCtr()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        const Run r = ctr({QStringLiteral("images"), QStringLiteral("ls")});
        QCOMPARE(r.exitCode, 0);
        QMap<QString, QString> theirs;
        for (const QStringList &row : rows(r.out))
            theirs.insert(row.at(0), row.at(2));
        QMap<QString, QString> ours;
        for (qsizetype i = 0; i < m_store->imageCount(); ++i) {
            const ContainerdImage &img = m_store->imageAt(i);
            QVERIFY2(img.error.isEmpty(), qPrintable(img.error));
            QVERIFY(img.historyMatches);
            for (const QString &name : img.tags + img.digests)
                ours.insert(name, img.id);
            QCOMPARE(m_store->imageLayerCount(i), img.diffIds.size());
            for (qsizetype k = 0; k < m_store->imageLayerCount(i); ++k) {
                const ContainerdLayer &l = m_store->imageLayerAt(i, k);
                QVERIFY2(l.problems.isEmpty(), qPrintable(l.problems.join(QStringLiteral("; "))));
                QCOMPARE(l.kind, QStringLiteral("committed"));
                QVERIFY(QFileInfo(l.diffDir).isDir());
            }
        }
        QCOMPARE(ours, theirs);
        auto base = m_store->imageIndex(QStringLiteral("strata-test/base:v1"));
        QVERIFY(base.ok());
        QCOMPARE(m_store->imageAt(*base).tags, QStringList {QStringLiteral("docker.io/strata-test/base:v1")});
    }

    // `ctr snapshots ls`: key, parent and kind of every snapshot of the namespace.
    void snapshotsAsCtr()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        const Run r = ctr({QStringLiteral("snapshots"), QStringLiteral("ls")});
        QCOMPARE(r.exitCode, 0);
        const QVector<QStringList> list = rows(r.out);
        int ours = 0;
        for (const ContainerdSnapshot &s : m_store->snapshots())
            ours += s.nameSpace() == Ns ? 1 : 0;
        QCOMPARE(ours, list.size());
        for (const QStringList &row : list) {
            const ContainerdSnapshot *s = m_store->snapshotOfKey(row.first());
            QVERIFY2(s, qPrintable(row.first()));
            const QString kind = row.last().toLower();
            const QString parent = row.size() == 3 ? row.at(1) : QString();
            QCOMPARE(s->kindName(), kind);
            QCOMPARE(s->parent.isEmpty() ? QString() : m_store->snapshots().value(s->parent).key(), parent);
            // ctr snapshots info: the same, as JSON.
            const Run info = ctr({QStringLiteral("snapshots"), QStringLiteral("info"), row.first()});
            const QJsonObject o = QJsonDocument::fromJson(info.out).object();
            QCOMPARE(o.value(QStringLiteral("Name")).toString(), row.first());
            QCOMPARE(o.value(QStringLiteral("Kind")).toString().toLower(), kind);
            QCOMPARE(o.value(QStringLiteral("Parent")).toString(), parent);
        }
    }

    // `ctr snapshots mounts`: upperdir, workdir and lowerdir= of every container, top first.
    void mountsAsCtr_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("running");
        QTest::newRow("running") << "strata-walk-v1" << true;
        QTest::newRow("killed, task deleted") << "strata-del-v1" << false;
        QTest::newRow("never started") << "strata-created-v1" << false;
    }

    void mountsAsCtr()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        QFETCH(QString, id);
        QFETCH(bool, running);
        const ContainerdContainer &c = container(id);
        QCOMPARE(c.id, id);
        QVERIFY2(c.problems.isEmpty(), qPrintable(c.problems.join(QStringLiteral("; "))));
        QCOMPARE(c.running, running);
        QCOMPARE(c.snapshotKey, id);
        QVERIFY(!c.imageId.isEmpty());
        const Run r
            = ctr({QStringLiteral("snapshots"), QStringLiteral("mounts"), QStringLiteral("/strata-nowhere"), id});
        QCOMPARE(r.exitCode, 0);
        QString options = QString::fromUtf8(r.out.trimmed()).section(QStringLiteral(" -o "), 1);
        QMap<QString, QString> o;
        for (const QString &kv : options.split(QLatin1Char(',')))
            o.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        QCOMPARE(c.upperDir, o.value(QStringLiteral("upperdir")));
        QCOMPARE(c.workDir, o.value(QStringLiteral("workdir")));
        QCOMPARE(c.lowerDirs, o.value(QStringLiteral("lowerdir")).split(QLatin1Char(':')));
        auto stack = m_store->containerStack(m_store->indexOf(c), true);
        QVERIFY(stack.ok());
        QCOMPARE(stack->size(), c.lowerDirs.size() + 1);
        QCOMPARE(stack->first().diffDir, c.upperDir);
    }

    // The running container's merged view equals its task's rootfs, walked.
    void treeAsRootfs()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        const ContainerdContainer &c = container(QStringLiteral("strata-walk-v1"));
        QVERIFY(c.running);
        QVERIFY(QFileInfo(c.mergedDir).isDir());
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

    // diff gives the A/C/D set `docker diff` prints for the same edits of a Docker container
    // from the same image (tests/docker/dockerd.sh made them), runc's mount points left out.
    void diffAsDocker_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<QStringList>("mountPoints"); // in the upper, left out
        const QStringList all = ContainerdDiff::runtimeMountPoints();
        QTest::newRow("strata-walk") << "strata-walk-v1"
                                     << strings({"C /app",
                                            "C /app/takbir.txt",
                                            "A /app/added.txt",
                                            "A /app/newdir",
                                            "A /app/newdir/sub",
                                            "A /app/newdir/sub/x.txt",
                                            "C /bin",
                                            "D /bin/wget",
                                            "C /etc",
                                            "A /etc/secret",
                                            "C /home",
                                            "D /home/nobody"})
                                     << all;
        QTest::newRow("strata-del") << "strata-del-v1"
                                    << strings({"C /data",
                                           "C /data/redo",
                                           "D /data/redo/new.txt",
                                           "A /data/redo/again.txt",
                                           "D /data/with space.txt",
                                           "C /data/needle.txt",
                                           "C /tmp",
                                           "A /tmp/t",
                                           "A /tmp/t/empty"})
                                    << all;
        QTest::newRow("never started") << "strata-created-v1" << QStringList {} << QStringList {};
    }

    void diffAsDocker()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        QFETCH(QString, id);
        QFETCH(QStringList, expected);
        QFETCH(QStringList, mountPoints);
        const qsizetype i = m_store->indexOf(container(id));
        auto raw = ContainerDiff::compute(*m_store, i);
        QVERIFY(raw.ok());
        auto diff = ContainerdDiff::compute(*m_store, i);
        QVERIFY(diff.ok());
        const QSet<QString> want(expected.begin(), expected.end());
        QCOMPARE(changeLines(diff->changes), want);
        QSet<QString> rawWant = want;
        for (const QString &m : mountPoints)
            rawWant.insert(QStringLiteral("A ") + m);
        QCOMPARE(changeLines(raw->changes), rawWant);
        QCOMPARE(diff->warnings.join(QString()).contains(QStringLiteral("left out")), !mountPoints.isEmpty());
        // The same set as Docker's own diff of its container, when a dockerd runs.
        const QString docker = QStringLiteral("/usr/bin/docker");
        const QString twin = id.section(QLatin1Char('-'), 0, 1) + QStringLiteral("-v1");
        const Run d = run(docker, {QStringLiteral("diff"), twin});
        if (d.exitCode == 0 && !mountPoints.isEmpty()) {
            QSet<QString> theirs;
            for (const QByteArray &l : d.out.split('\n'))
                if (!l.isEmpty())
                    theirs.insert(QString::fromUtf8(l));
            QCOMPARE(changeLines(diff->changes), theirs);
        }
    }

    void usage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrHas");
        QTest::newRow("no command") << QStringList {} << 2 << QStringLiteral("missing command");
        QTest::newRow("unknown command") << QStringList {QStringLiteral("frob")} << 2
                                         << QStringLiteral("unknown command \"frob\"");
        QTest::newRow("layers without REF")
            << QStringList {QStringLiteral("layers")} << 2 << QStringLiteral("usage: strata containerd layers REF");
        QTest::newRow("--namespace without value") << QStringList {QStringLiteral("images"),
            QStringLiteral("--namespace")} << 2 << QStringLiteral("--namespace");
        QTest::newRow("not a root") << QStringList {QStringLiteral("images"),
            QStringLiteral("--root"),
            QStringLiteral("/")} << 1
                                    << QStringLiteral("not a containerd root");
        QTest::newRow("no such root") << QStringList {QStringLiteral("images"),
            QStringLiteral("--root"),
            QStringLiteral("/nonexistent-strata")}
                                      << 1 << QStringLiteral("/nonexistent-strata");
    }

    void usage()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrHas);
        const Run r = cli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(stderrHas), r.err.constData());
    }

    // The CLI answers from the same store: the names ctr lists, the containers' directories
    // as `ctr snapshots mounts` gives them, Docker's diff, the tree, find and explain.
    void commandLine()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        QStringList names;
        for (const QJsonValue &v : cliJson({QStringLiteral("images")}).value(QStringLiteral("images")).toArray()) {
            for (const QJsonValue &t : v.toObject().value(QStringLiteral("tags")).toArray())
                names << t.toString();
        }
        QStringList theirs;
        for (const QStringList &row : rows(ctr({QStringLiteral("images"), QStringLiteral("ls")}).out))
            theirs << row.first();
        names.sort();
        theirs.sort();
        QCOMPARE(names, theirs);

        const ContainerdContainer &walk = container(QStringLiteral("strata-walk-v1"));
        bool found = false;
        for (const QJsonValue &v :
            cliJson({QStringLiteral("containers")}).value(QStringLiteral("containers")).toArray()) {
            const QJsonObject c = v.toObject();
            if (c.value(QStringLiteral("id")).toString() != walk.id)
                continue;
            found = true;
            QCOMPARE(c.value(QStringLiteral("running")).toBool(), true);
            QCOMPARE(c.value(QStringLiteral("snapshot_key")).toString(), walk.id);
            QCOMPARE(c.value(QStringLiteral("upper_dir")).toString(), walk.upperDir);
            QCOMPARE(c.value(QStringLiteral("lower_dirs")).toVariant().toStringList(), walk.lowerDirs);
            QCOMPARE(c.value(QStringLiteral("merged_dir")).toString(), walk.mergedDir);
        }
        QVERIFY(found);

        const Run diff = cli({QStringLiteral("diff"), walk.id, QStringLiteral("--namespace"), Ns});
        QCOMPARE(diff.exitCode, 0);
        QVERIFY(diff.out.contains("A /app/added.txt\n") && diff.out.contains("D /bin/wget\n"));
        QVERIFY(!diff.out.contains(" /proc\n"));
        QVERIFY(diff.err.contains("left out /dev, /proc, /run, /sys"));

        const QJsonArray entries
            = cliJson({QStringLiteral("tree"), walk.id}).value(QStringLiteral("entries")).toArray();
        QVERIFY(std::any_of(entries.begin(), entries.end(), [](const QJsonValue &e) {
            return e.toObject().value(QStringLiteral("path")).toString() == QLatin1String("/app/added.txt");
        }));

        const QJsonArray hits = cliJson({QStringLiteral("find"), QStringLiteral("takbir.txt")})
                                    .value(QStringLiteral("matches"))
                                    .toArray();
        QStringList roles;
        for (const QJsonValue &h : hits)
            roles << h.toObject().value(QStringLiteral("role")).toString();
        QVERIFY2(roles.contains(QStringLiteral("layer")) && roles.contains(QStringLiteral("container")),
            qPrintable(roles.join(QLatin1Char(','))));

        const QJsonObject x = cliJson({QStringLiteral("explain"), walk.id, QStringLiteral("/app/takbir.txt")});
        QCOMPARE(x.value(QStringLiteral("winner")).toInt(-1), 0);
        QCOMPARE(x.value(QStringLiteral("visible")).toBool(), true);

        bool listed = false;
        for (const QJsonValue &n :
            cliJson({QStringLiteral("namespaces")}).value(QStringLiteral("namespaces")).toArray())
            listed = listed || n.toObject().value(QStringLiteral("name")).toString() == Ns;
        QVERIFY(listed);
    }

    // `strata compare` across stores: Docker's image and the same image imported into
    // containerd share every layer and differ in nothing.
    void compareWithDocker()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        const QString docker = QStringLiteral("docker:strata-test/walkthrough:v1");
        const QString ours = QStringLiteral("containerd:strata-test/docker.io/strata-test/walkthrough:v1");
        const Run r = run(
            qEnvironmentVariable("STRATA_CLI"), {QStringLiteral("compare"), docker, ours, QStringLiteral("--json")});
        const bool dockerImage
            = run(QStringLiteral("/usr/bin/docker"),
                  {QStringLiteral("image"), QStringLiteral("inspect"), QStringLiteral("strata-test/walkthrough:v1")})
                  .exitCode
            == 0;
        STRATA_REQUIRE(dockerImage, "a dockerd with the test images (tests/docker/dockerd.sh)");
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("shared_layers")).toArray().size(), 3);
        QCOMPARE(o.value(QStringLiteral("changes")).toArray().size(), 0);
    }

    // dive's figures are the same whichever store holds the image (issue 16): `strata containerd
    // analyze` of each imported image equals `strata docker analyze` of its Docker original.
    void analyzeAsDocker_data()
    {
        QTest::addColumn<QString>("image");
        for (const char *name : {"deletions", "walkthrough", "walkthrough-whoami"})
            QTest::newRow(name) << QStringLiteral("strata-test/%1:v1").arg(QLatin1String(name));
    }

    void analyzeAsDocker()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        QFETCH(QString, image);
        const QString cli = qEnvironmentVariable("STRATA_CLI");
        const Run d = run(cli, {QStringLiteral("docker"), QStringLiteral("analyze"), image, QStringLiteral("--json")});
        STRATA_REQUIRE(d.exitCode == 0, "a dockerd with the test images (tests/docker/dockerd.sh)");
        const Run c = run(cli,
            {QStringLiteral("containerd"),
                QStringLiteral("analyze"),
                QStringLiteral("docker.io/") + image,
                QStringLiteral("--namespace"),
                Ns,
                QStringLiteral("--json")});
        QCOMPARE(c.exitCode, 0);
        QJsonObject a = QJsonDocument::fromJson(d.out).object();
        QJsonObject b = QJsonDocument::fromJson(c.out).object();
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        for (const char *key : {"size_bytes",
                 "user_size_bytes",
                 "inefficient_bytes",
                 "efficiency",
                 "user_wasted_percent",
                 "wasted_bytes_opaque_aware",
                 "file_references",
                 "layers"})
            QCOMPARE(b.value(QLatin1String(key)), a.value(QLatin1String(key)));
    }

    // `strata docker` on a Docker 29 root (no image/overlay2; containerd/daemon with namespace
    // moby, containers/*/config.v2.json) reads the containerd store and says so on stderr.
    void docker29_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("lines"); // each a line of the output
        QTest::newRow("images") << strings({"images"}) << QStringList {};
        QTest::newRow("diff by name") << strings({"diff", "strata-d29"})
                                      << strings({"C /app", "A /app/added.txt", "C /bin", "D /bin/wget"});
        QTest::newRow("diff by ID prefix")
            << strings({"diff", "d29d29d29d29"}) << strings({"C /app", "A /app/added.txt", "C /bin", "D /bin/wget"});
        QTest::newRow("containers") << strings({"containers"}) << QStringList {};
        QTest::newRow("layers") << strings({"layers", "strata-test/walkthrough:v1"}) << QStringList {};
        QTest::newRow("tree") << strings({"tree", "strata-d29", "--visible"}) << QStringList {};
    }

    void docker29()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        QFETCH(QStringList, args);
        QFETCH(QStringList, lines);
        const Run text = docker29(args);
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.err.contains("uses the containerd image store (Docker 29): read namespace moby"),
            text.err.constData());
        const QStringList out = QString::fromUtf8(text.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        if (!lines.isEmpty())
            QCOMPARE(out, lines);
        const Run json = docker29(args + QStringList {QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        QVERIFY2(!json.err.contains("containerd image store"), json.err.constData());
    }

    // Against ctr: the images of namespace moby, and the container's mounts as
    // `ctr snapshots mounts` gives them (the copy's directories in place of the daemon's).
    void docker29AsCtr()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        const QJsonObject images
            = QJsonDocument::fromJson(docker29({QStringLiteral("images"), QStringLiteral("--json")}).out).object();
        QStringList ours;
        for (const QJsonValue &i : images.value(QStringLiteral("images")).toArray())
            ours << i.toObject().value(QStringLiteral("tags")).toVariant().toStringList();
        QStringList theirs;
        for (const QStringList &row :
            rows(ctr({QStringLiteral("images"), QStringLiteral("ls")}, QStringLiteral("moby")).out))
            theirs << row.first();
        QCOMPARE(ours, theirs);
        QCOMPARE(theirs, QStringList {D29Image});

        const QJsonArray cs
            = QJsonDocument::fromJson(docker29({QStringLiteral("containers"), QStringLiteral("--json")}).out)
                  .object()
                  .value(QStringLiteral("containers"))
                  .toArray();
        QCOMPARE(cs.size(), 1);
        const QJsonObject c = cs.first().toObject();
        QCOMPARE(c.value(QStringLiteral("id")).toString(), D29Id);
        QCOMPARE(c.value(QStringLiteral("name")).toString(), QStringLiteral("strata-d29"));
        QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("created"));
        const QString copy = m_d29.path() + QStringLiteral("/containerd/daemon");
        auto inDaemon = [&](QString dir) {
            return dir.replace(copy, ContainerdStore::defaultRoot());
        };
        const QString mounts = QString::fromUtf8(
            ctr({QStringLiteral("snapshots"), QStringLiteral("mounts"), QStringLiteral("/strata-nowhere"), D29Id},
                QStringLiteral("moby"))
                .out);
        QStringList lowers;
        for (const QJsonValue &l : c.value(QStringLiteral("lower_dirs")).toArray())
            lowers << inDaemon(l.toString());
        QVERIFY2(mounts.contains(QStringLiteral("lowerdir=") + lowers.join(QLatin1Char(':'))), qPrintable(mounts));
        QVERIFY2(
            mounts.contains(QStringLiteral("upperdir=") + inDaemon(c.value(QStringLiteral("upper_dir")).toString())),
            qPrintable(mounts));
        QCOMPARE(inDaemon(c.value(QStringLiteral("init_dir")).toString()), lowers.first());

        // The tree: the container's file from its upper, /etc/hosts from its init layer.
        const QString tree = QString::fromUtf8(docker29({QStringLiteral("tree"), D29Id}).out);
        QVERIFY(tree.contains(QRegularExpression(QStringLiteral("upper \\(\\d+\\) +/app/added.txt"))));
        QVERIFY(tree.contains(QRegularExpression(QStringLiteral("init \\(\\d+\\) +/etc/hosts"))));
        // The daemon's snapshots are untouched by the copy and everything read from it.
        QCOMPARE(fingerprint(m_store->snapshotterRoot() + QStringLiteral("/snapshots")), m_d29Source);
    }

    // Reading everything changes nothing: the databases and the snapshot directories are the
    // same bytes (and times) afterwards, and containerd ran the whole time.
    void readOnly()
    {
        STRATA_REQUIRE(m_ready, "root and the containerd of tests/containerd/containerd.sh");
        const QString meta = m_store->metaDbPath();
        const QString snap = m_store->snapshotterDbPath();
        const QByteArray before = fingerprint(meta) + fingerprint(snap)
            + fingerprint(m_store->snapshotterRoot() + QStringLiteral("/snapshots"));
        for (int round = 0; round < 3; ++round) {
            auto store = ContainerdStore::open(QString(), Ns);
            QVERIFY(store.ok());
            for (qsizetype i = 0; i < store->containerCount(); ++i)
                QVERIFY(ContainerdDiff::compute(*store, i).ok());
            for (qsizetype i = 0; i < store->imageCount(); ++i) {
                auto layers = store->imageMergeLayers(i);
                QVERIFY(layers.ok());
                QVERIFY(MergedTree::build(*layers, store->mergeOptions()).ok());
            }
        }
        for (const QString &verb :
            {QStringLiteral("images"), QStringLiteral("containers"), QStringLiteral("namespaces")})
            QCOMPARE(cli({verb, QStringLiteral("--namespace"), Ns}).exitCode, 0);
        QCOMPARE(cli({QStringLiteral("grep"), QStringLiteral("Akbar"), QStringLiteral("--namespace"), Ns}).exitCode, 0);
        const QByteArray after = fingerprint(meta) + fingerprint(snap)
            + fingerprint(m_store->snapshotterRoot() + QStringLiteral("/snapshots"));
        QCOMPARE(after, before);
        QCOMPARE(ctr({QStringLiteral("version")}).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestContainerd)
#include "tst_containerd.moc"
