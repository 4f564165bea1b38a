// SPDX-License-Identifier: GPL-2.0-or-later
// `strata image extract` against the real kernel: every generated fixture extracted, mounted
// (in a private mount namespace) and its merged view equal to the one read in place from the
// archive, to the one our merge computes from the extracted layers, and to the facts Docker
// showed (docker run) in the fixtures' README; `strata mount` mounts the extracted stack.
#include "core/image/archive/archivestore.h"
#include "core/merge/mergedtree.h"
#include "core/mount/mountinfo.h"
#include "core/stack/workspace.h"
#include "tests/support/files.h"
#include "tests/support/kernelmount.h"
#include "tests/support/privatemountns.h"
#include "tests/support/treesnapshot.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace strata;
using namespace strata::test;

namespace
{

QString fixtures()
{
    return strata::test::fixturesDir();
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

// The unprivileged user the userxattr test runs as.
constexpr int Nobody = 65534;

Run runStrata(const QStringList &args, const QString &stateDir, int asUid = -1)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("STRATA_STATE_DIR"), stateDir);
    p.setProcessEnvironment(env);
    strata::test::startCli(p, args, asUid);
    p.waitForFinished(120000);
    return Run {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        p.readAllStandardOutput(),
        QString::fromUtf8(p.readAllStandardError())};
}

bool overlayMountedAt(const QString &path)
{
    auto m = MountInfo::read();
    return m && MountInfo::find(*m, path) && MountInfo::find(*m, path)->isOverlay();
}

QStringList names(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
}

} // namespace

class TestArchiveKernel final : public MountTest
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        STRATA_REQUIRE_MOUNT();
        if (!QFileInfo::exists(fixtures() + QStringLiteral("/README.md")))
            QSKIP("no fixtures: set STRATA_FIXTURES to ../shared/fixtures");
        QVERIFY(m_dir.isValid());
    }

    void extractAndMount_data() { strata::test::addGeneratedArchiveRows(); }

    void extractAndMount()
    {
        QFETCH(QString, archive);
        const QString dir = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()));
        const Run x
            = runStrata({QStringLiteral("image"), QStringLiteral("extract"), archive, dir, QStringLiteral("--json")},
                m_dir.filePath(QStringLiteral("state")));
        QVERIFY2(x.exitCode == 0, qPrintable(x.err));
        const QJsonObject out = QJsonDocument::fromJson(x.out).object();
        QCOMPARE(out.value(QStringLiteral("dir")).toString(), dir);
        QCOMPARE(out.value(QStringLiteral("xattrs")).toString(), QStringLiteral("trusted"));
        QVERIFY(out.value(QStringLiteral("refused")).toArray().isEmpty());
        for (const QJsonValue &l : out.value(QStringLiteral("layers")).toArray())
            QVERIFY(l.toObject().value(QStringLiteral("verified")).toBool());

        auto ws = Workspace::load(dir);
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        const OverlaySpec &spec = ws->overlays().first();
        KernelMount mount;
        QVERIFY2(mount.mount(spec), qPrintable(mount.errorString()));
        TreeSnapshot kernel = TreeSnapshot::fromDirectory(spec.mountpoint);
        QVERIFY2(kernel.errors().isEmpty(), qPrintable(kernel.errors().join(QLatin1Char('\n'))));

        auto layers = ws->mergeLayers(0);
        QVERIFY(layers.ok());
        auto ours = MergedTree::build(*layers, spec.options.mergeOptions());
        QVERIFY(ours.ok());
        const QString fromDisk = kernel.diff(TreeSnapshot::fromMergedTree(*ours));
        QVERIFY2(fromDisk.isEmpty(), qPrintable(fromDisk));

        auto store = ArchiveStore::open(archive);
        QVERIFY(store.ok());
        auto inPlace = MergedTree::build(*(*store)->imageMergeLayers(0));
        QVERIFY(inPlace.ok());
        TreeSnapshot fromArchive = TreeSnapshot::fromMergedTree(*inPlace);
        fromArchive.dropContent();
        kernel.dropContent();
        const QString fromTar = kernel.diff(fromArchive);
        QVERIFY2(fromTar.isEmpty(), qPrintable(fromTar));

        // What `docker run` showed of these images (fixtures/generated/README.md).
        const QString root = spec.mountpoint;
        if (QByteArray(QTest::currentDataTag()).startsWith("whiteout-demo")) {
            QCOMPARE(names(root + QStringLiteral("/kcnaiamh")),
                (QStringList {QStringLiteral("hard.txt"),
                    QStringLiteral("link.txt"),
                    QStringLiteral("second_instruction.txt"),
                    QStringLiteral("takbir.txt")}));
            QCOMPARE(names(root + QStringLiteral("/usr/local/lib")), QStringList {QStringLiteral("fresh.txt")});
            struct stat a {
            };
            struct stat b {
            };
            QCOMPARE(::stat(QString(root + QStringLiteral("/kcnaiamh/hard.txt")).toUtf8().constData(), &a), 0);
            QCOMPARE(::stat(QString(root + QStringLiteral("/kcnaiamh/takbir.txt")).toUtf8().constData(), &b), 0);
            QCOMPARE(a.st_ino, b.st_ino);
            QCOMPARE(a.st_nlink, nlink_t(2));
            QCOMPARE(a.st_mode & 07777, 0600u);
            char target[64] = {};
            QVERIFY(::readlink(QString(root + QStringLiteral("/kcnaiamh/link.txt")).toUtf8().constData(),
                        target,
                        sizeof target - 1)
                > 0);
            QCOMPARE(QByteArray(target), QByteArray("/kcnaiamh/takbir.txt"));
        } else {
            QCOMPARE(names(root + QStringLiteral("/kcnaiamh")),
                (QStringList {QStringLiteral("takbir.txt"), QStringLiteral("whoami.txt")}));
            QCOMPARE(names(root + QStringLiteral("/usr/local/lib")), QStringList {QStringLiteral("marker.txt")});
        }
        QVERIFY(mount.unmount());
    }

    void strataMountsIt()
    {
        // `strata mount DIR` mounts what extract made; `strata umount DIR` takes it away.
        const QString state = m_dir.filePath(QStringLiteral("state"));
        const QString dir = m_dir.filePath(QStringLiteral("mounted"));
        const QString archive = fixtures() + QStringLiteral("/generated/whiteout-demo.docker.tar");
        const Run x = runStrata({QStringLiteral("image"), QStringLiteral("extract"), archive, dir}, state);
        QVERIFY2(x.exitCode == 0, qPrintable(x.err));
        QVERIFY(x.out.contains(QByteArray("strata mount " + dir.toUtf8())));
        const Run m = runStrata({QStringLiteral("mount"), dir}, state);
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        QVERIFY(overlayMountedAt(dir + QStringLiteral("/merged")));
        QVERIFY(QFileInfo(dir + QStringLiteral("/merged/usr/local/lib/fresh.txt")).isFile());
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/merged/kcnaiamh/whoami.txt")));
        const Run u = runStrata({QStringLiteral("umount"), dir}, state);
        QVERIFY2(u.exitCode == 0, qPrintable(u.err));
        QVERIFY(!overlayMountedAt(dir + QStringLiteral("/merged")));
    }

    void asAUser()
    {
        // Extracted by a normal user: user.overlay.* xattrs and `userxattr`, files the user's;
        // an edit through a user namespace's mount of it works, and commit reads it back.
        const QString home = m_dir.filePath(QStringLiteral("nobody"));
        QVERIFY(QDir().mkpath(home));
        QCOMPARE(::chown(home.toUtf8().constData(), Nobody, Nobody), 0);
        QCOMPARE(::chmod(m_dir.path().toUtf8().constData(), 0755), 0);
        const QString state = home + QStringLiteral("/state");
        const QString dir = home + QStringLiteral("/stack");
        const QString archive = fixtures() + QStringLiteral("/generated/whiteout-demo.docker.tar");
        const Run x
            = runStrata({QStringLiteral("image"), QStringLiteral("extract"), archive, dir, QStringLiteral("--json")},
                state,
                Nobody);
        QVERIFY2(x.exitCode == 0, qPrintable(x.err));
        const QJsonObject out = QJsonDocument::fromJson(x.out).object();
        QCOMPARE(out.value(QStringLiteral("xattrs")).toString(), QStringLiteral("user"));
        auto ws = Workspace::load(dir);
        QVERIFY(ws.ok());
        QVERIFY(ws->overlays().first().options.userxattr);
        char value[4] = {};
        QCOMPARE(::lgetxattr(QString(dir + QStringLiteral("/layers/6/usr/local/lib")).toUtf8().constData(),
                     "user.overlay.opaque",
                     value,
                     sizeof value),
            1);
        QCOMPARE(value[0], 'y');
        const Run op = runStrata({QStringLiteral("op"),
                                     dir,
                                     QStringLiteral("--backend"),
                                     QStringLiteral("userns"),
                                     QStringLiteral("rm"),
                                     QStringLiteral("/kcnaiamh/takbir.txt")},
            state,
            Nobody);
        QVERIFY2(op.exitCode == 0, qPrintable(op.err));
        struct stat st {
        };
        QCOMPARE(::lstat(QString(dir + QStringLiteral("/upper/kcnaiamh/takbir.txt")).toUtf8().constData(), &st), 0);
        QVERIFY(S_ISCHR(st.st_mode) && st.st_rdev == 0);
        const Run c = runStrata({QStringLiteral("image"),
                                    QStringLiteral("commit"),
                                    dir,
                                    QStringLiteral("--out"),
                                    home + QStringLiteral("/out.tar"),
                                    QStringLiteral("--json")},
            state,
            Nobody);
        QVERIFY2(c.exitCode == 0, qPrintable(c.err));
        QCOMPARE(QJsonDocument::fromJson(c.out)
                     .object()
                     .value(QStringLiteral("layer"))
                     .toObject()
                     .value(QStringLiteral("whiteouts"))
                     .toInt(),
            1);
    }

    void commitResolvesRedirects_data()
    {
        QTest::addColumn<QStringList>("renames"); // "FROM TO", in the merged view, in order
        QTest::addColumn<QStringList>("gone");
        QTest::newRow("a merged directory")
            << QStringList {QStringLiteral("/kcnaiamh /renamed")} << QStringList {QStringLiteral("/kcnaiamh")};
        QTest::newRow("an opaque directory to another parent") << QStringList {
            QStringLiteral("/usr/local/lib /deep/lib")} << QStringList {QStringLiteral("/usr/local/lib")};
        QTest::newRow("a renamed directory into another")
            << QStringList {QStringLiteral("/kcnaiamh /renamed"),
                   QStringLiteral("/usr/local/lib /deep/lib"),
                   QStringLiteral("/deep/lib /renamed/lib")}
            << QStringList {QStringLiteral("/kcnaiamh"), QStringLiteral("/usr/local/lib"), QStringLiteral("/deep/lib")};
        QTest::newRow("one layer's directory")
            << QStringList {QStringLiteral("/bin /tools")} << QStringList {QStringLiteral("/bin")};
    }

    // Directories renamed in a kernel mount with redirect_dir=on (upper: a whiteout at the old
    // name, overlay.redirect at the new one), then edited: commit resolves the redirects into
    // a whiteout plus a full add, and the committed image, extracted and mounted again, shows
    // exactly what the mount showed (contents included), read in place too.
    void commitResolvesRedirects()
    {
        QFETCH(QStringList, renames);
        QFETCH(QStringList, gone);
        const QString state = m_dir.filePath(QStringLiteral("state"));
        const QString dir = m_dir.filePath(QStringLiteral("redirects-") + QString::fromLatin1(QTest::currentDataTag()));
        const QString archive = fixtures() + QStringLiteral("/generated/whiteout-demo.docker.tar");
        const Run x = runStrata({QStringLiteral("image"), QStringLiteral("extract"), archive, dir}, state);
        QVERIFY2(x.exitCode == 0, qPrintable(x.err));
        auto ws = Workspace::load(dir);
        QVERIFY(ws.ok());
        const OverlaySpec spec = ws->overlays().first();
        TreeSnapshot edited;
        {
            KernelMount mount;
            QVERIFY2(mount.mount(spec.lower, spec.upper, spec.work, spec.mountpoint, QStringLiteral("redirect_dir=on")),
                qPrintable(mount.errorString()));
            const QString m = spec.mountpoint;
            QVERIFY(QDir().mkpath(m + QStringLiteral("/deep")));
            for (const QString &r : renames) {
                const QString from = m + r.section(QLatin1Char(' '), 0, 0);
                const QString to = m + r.section(QLatin1Char(' '), 1, 1);
                QVERIFY2(::rename(from.toUtf8().constData(), to.toUtf8().constData()) == 0, qPrintable(r));
                // Edits after the rename: a new file, and a file of the lowers deleted.
                QVERIFY(writeFile(to + QStringLiteral("/added.txt"), "added after " + r.toUtf8()));
            }
            const QString lowerFile = m + QStringLiteral("/renamed/second_instruction.txt");
            if (QFileInfo::exists(lowerFile))
                QVERIFY(QFile::remove(lowerFile));
            edited = TreeSnapshot::fromDirectory(m);
            QVERIFY2(edited.errors().isEmpty(), qPrintable(edited.errors().join(QLatin1Char('\n'))));
            QVERIFY(mount.unmount());
        }
        const QString last = renames.last().section(QLatin1Char(' '), 1, 1);
        char value[256] = {};
        QVERIFY2(
            ::lgetxattr((spec.upper + last).toUtf8().constData(), "trusted.overlay.redirect", value, sizeof value) > 0,
            "the kernel wrote no redirect");
        const QString out = dir + QStringLiteral(".tar");
        const Run c = runStrata({QStringLiteral("image"),
                                    QStringLiteral("commit"),
                                    dir,
                                    QStringLiteral("--out"),
                                    out,
                                    QStringLiteral("--json")},
            state);
        QVERIFY2(c.exitCode == 0, qPrintable(c.err));
        const QJsonObject layer = QJsonDocument::fromJson(c.out).object().value(QStringLiteral("layer")).toObject();
        QVERIFY(layer.value(QStringLiteral("redirects")).toInt() >= 1);

        // The committed image, extracted and mounted as Docker would (no redirects).
        const QString again = dir + QStringLiteral("-again");
        const Run y = runStrata({QStringLiteral("image"), QStringLiteral("extract"), out, again}, state);
        QVERIFY2(y.exitCode == 0, qPrintable(y.err));
        auto ws2 = Workspace::load(again);
        QVERIFY(ws2.ok());
        KernelMount mount;
        QVERIFY2(mount.mount(ws2->overlays().first()), qPrintable(mount.errorString()));
        const TreeSnapshot committed = TreeSnapshot::fromDirectory(ws2->overlays().first().mountpoint);
        const QString diff = edited.diff(committed);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        for (const QString &g : gone)
            QVERIFY2(!QFileInfo::exists(ws2->overlays().first().mountpoint + g), qPrintable(g));
        QVERIFY(mount.unmount());
        // And read in place.
        auto store = ArchiveStore::open(out);
        QVERIFY(store.ok());
        auto inPlace = MergedTree::build(*(*store)->imageMergeLayers(0));
        QVERIFY(inPlace.ok());
        TreeSnapshot fromTar = TreeSnapshot::fromMergedTree(*inPlace);
        fromTar.dropContent();
        TreeSnapshot withoutContent = edited;
        withoutContent.dropContent();
        const QString tarDiff = withoutContent.diff(fromTar);
        QVERIFY2(tarDiff.isEmpty(), qPrintable(tarDiff));
    }
};

STRATA_MOUNT_TEST_MAIN(TestArchiveKernel)
#include "tst_archive_kernel.moc"
