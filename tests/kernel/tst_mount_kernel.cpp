// SPDX-License-Identifier: GPL-2.0-or-later
// strata mount / umount / status / mounts / op / shell against the real kernel: refusals
// reach the user in the kernel's words, mounts never leak (even after SIGKILL), and the
// unprivileged path works for a normal user through a user namespace.
#include "core/mount/mountinfo.h"
#include "core/session/backendpolicy.h"
#include "core/stack/scenario.h"
#include "tests/support/datatable.h"
#include "tests/support/files.h"
#include "tests/support/jsonat.h"
#include "tests/support/kernelmount.h"
#include "tests/support/privatemountns.h"
#include "tests/support/require.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace strata;
using namespace strata::test;

namespace
{
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// The unprivileged user the userns tests run as.
constexpr int Nobody = 65534;

bool overlayMountedAt(const QString &path)
{
    auto m = MountInfo::read();
    return m && MountInfo::find(*m, path) && MountInfo::find(*m, path)->isOverlay();
}

// Starts `strata events WS --follow` and waits for its first line, the watch in place.
bool startFollowing(QProcess &follower, const QString &ws)
{
    follower.start(qEnvironmentVariable("STRATA_CLI"),
        {QStringLiteral("events"), ws, QStringLiteral("--follow"), QStringLiteral("--timeout"), QStringLiteral("20")});
    QElapsedTimer timer;
    timer.start();
    while (!follower.canReadLine() && timer.elapsed() < 10000)
        follower.waitForReadyRead(100);
    return follower.canReadLine() && follower.readLine().contains("\"kind\":\"watching\"");
}
} // namespace

class TestMountKernel final : public MountTest
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_state;

    // The CLI's environment: our own registry of mounts, not the machine's.
    [[nodiscard]] QProcessEnvironment cliEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("STRATA_STATE_DIR"), m_state);
        return env;
    }

    // A new blog workspace NAME mounted by `strata mount --hold` running in `holder`.
    [[nodiscard]] QString holdMounted(const QString &name, QProcess &holder) const
    {
        const QString ws = m_dir.filePath(name);
        if (!Scenario::create(QStringLiteral("blog"), ws).ok())
            return {};
        holder.setProcessEnvironment(cliEnvironment());
        holder.start(qEnvironmentVariable("STRATA_CLI"), {QStringLiteral("mount"), ws, QStringLiteral("--hold")});
        QElapsedTimer waited;
        waited.start();
        while (!overlayMountedAt(ws + QStringLiteral("/overlay_layer")) && waited.elapsed() < 10000)
            QTest::qWait(50);
        return overlayMountedAt(ws + QStringLiteral("/overlay_layer")) ? ws : QString();
    }

    // A workspace NAME whose `mount --hold` was SIGKILLed: its mount is left behind, stale.
    [[nodiscard]] QString staleMount(const QString &name) const
    {
        QProcess holder;
        const QString ws = holdMounted(name, holder);
        ::kill(static_cast<pid_t>(holder.processId()), SIGKILL);
        holder.waitForFinished(10000);
        return ws;
    }

    Run strata(const QStringList &args, int asUid = -1)
    {
        QProcess p;
        p.setProcessEnvironment(cliEnvironment());
        strata::test::startCli(p, args, asUid);
        p.waitForFinished(60000);
        return Run {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
    }

    QString writeWorkspace(const QString &name, const QByteArray &json, const QStringList &dirs)
    {
        const QString base = m_dir.filePath(name);
        for (const QString &d : dirs)
            QDir().mkpath(base + QLatin1Char('/') + d);
        QFile f(base + QStringLiteral("/stratascope.json"));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(json);
        return base;
    }

private Q_SLOTS:
    void initTestCase()
    {
        STRATA_REQUIRE_MOUNT();
        QVERIFY(QFileInfo(qEnvironmentVariable("STRATA_CLI")).isExecutable());
        m_state = m_dir.filePath(QStringLiteral("state"));
        QVERIFY(QDir().mkpath(m_state));
        QVERIFY(::chmod(QFile::encodeName(m_dir.path()).constData(), 0755) == 0);
        QVERIFY(::chmod(QFile::encodeName(m_state).constData(), 0777) == 0);
    }

    void cleanup() { QCOMPARE(strata::test::overlayMountsUnder(m_dir.path()), 0); }

    void mountStatusUmount()
    {
        const QString ws = m_dir.filePath(QStringLiteral("stacked"));
        QVERIFY(Scenario::create(QStringLiteral("stacked"), ws).ok());
        Run r = strata({QStringLiteral("mount"), ws});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY(r.out.contains(QStringLiteral("backend: kernel")));
        QVERIFY(overlayMountedAt(ws + QStringLiteral("/overlay_layer")));
        QVERIFY(overlayMountedAt(ws + QStringLiteral("/overlay_layer_2")));
        // The second level sees the first level's files.
        QVERIFY(QFile::exists(ws + QStringLiteral("/overlay_layer_2/base_image/common.txt")));

        r = strata({QStringLiteral("status"), ws, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray overlays
            = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("overlays")).toArray();
        QCOMPARE(overlays.size(), 2);
        for (const QJsonValue v : overlays) {
            QCOMPARE(v.toObject().value(QStringLiteral("mounted")).toBool(), true);
            QCOMPARE(v.toObject().value(QStringLiteral("backend")).toString(), QStringLiteral("kernel"));
            QVERIFY(
                v.toObject().value(QStringLiteral("kernel_options")).toString().contains(QStringLiteral("upperdir=")));
            QVERIFY(v.toObject()
                        .value(QStringLiteral("mount_command"))
                        .toString()
                        .startsWith(QStringLiteral("mount -t overlay")));
        }

        r = strata({QStringLiteral("mounts"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        bool found = false;
        for (const QJsonValue v : QJsonDocument::fromJson(r.out.toUtf8()).array()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("mountpoint")).toString() == ws + QStringLiteral("/overlay_layer_2")) {
                found = true;
                QCOMPARE(jsonAt(o, "lower", 0, "path").toString(), ws + QStringLiteral("/overlay_layer"));
                QCOMPARE(o.value(QStringLiteral("upper")).toString(), ws + QStringLiteral("/upper_layer_2"));
            }
        }
        QVERIFY(found);

        // An edit goes through the existing mount.
        r = strata({QStringLiteral("op"),
            ws,
            QStringLiteral("--overlay"),
            QStringLiteral("overlay_layer_2"),
            QStringLiteral("write"),
            QStringLiteral("/x.txt"),
            QStringLiteral("hi")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("on the mounted overlay")));
        QVERIFY(r.out.contains(QStringLiteral("created")));

        r = strata({QStringLiteral("umount"), ws});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY(!overlayMountedAt(ws + QStringLiteral("/overlay_layer")));
        QVERIFY(!overlayMountedAt(ws + QStringLiteral("/overlay_layer_2")));
        r = strata({QStringLiteral("status"), ws});
        QVERIFY(r.out.contains(QStringLiteral("not mounted")));
    }

    void kernelRefusals_data()
    {
        // expected: in stdout or stderr
        strata::test::addColumns<QByteArray, QStringList, bool, int, QStringList>(
            "json", "dirs", "tmpfsWork", "exitCode", "expected");

        const QStringList three {QStringLiteral("l"),
            QStringLiteral("u1"),
            QStringLiteral("u2"),
            QStringLiteral("u3"),
            QStringLiteral("w1"),
            QStringLiteral("w2"),
            QStringLiteral("w3"),
            QStringLiteral("m1"),
            QStringLiteral("m2"),
            QStringLiteral("m3")};
        QTest::newRow("third stacking level")
            << QByteArray(
                   R"({"version":1,"overlays":[{"name":"a","lower":["l"],"upper":"u1","work":"w1","mountpoint":"m1"},
                {"name":"b","lower":["m1"],"upper":"u2","work":"w2","mountpoint":"m2"},
                {"name":"c","lower":["m2"],"upper":"u3","work":"w3","mountpoint":"m3"}]})")
            << three << false << 1
            << QStringList {
                   QStringLiteral("kernel: maximum fs stacking depth exceeded"), QStringLiteral("third level")};
        QTest::newRow("workdir on another mount") << QByteArray(
            R"({"version":1,"overlays":[{"name":"a","lower":["l"],"upper":"u1","work":"t/w","mountpoint":"m1"}]})")
                                                  << three << true << 1
                                                  << QStringList {
                                                         QStringLiteral(
                                                             "workdir and upperdir must reside under the same mount"),
                                                         QStringLiteral("same mount as the upper")};
        QTest::newRow("missing lower layer") << QByteArray(
            R"({"version":1,"overlays":[{"name":"a","lower":["nope"],"upper":"u1","work":"w1","mountpoint":"m1"}]})")
                                             << three << false << 1
                                             << QStringList {QStringLiteral("failed at fsconfig lowerdir+"),
                                                    QStringLiteral("does not exist")};
        QTest::newRow("shared upper, index=off: a warning") << QByteArray(
            R"({"version":1,"overlays":[{"name":"a","lower":["l"],"upper":"u1","work":"w1","mountpoint":"m1","options":{"index":"off"}},
                {"name":"b","lower":["l"],"upper":"u1","work":"w2","mountpoint":"m2","options":{"index":"off"}}]})")
                                                            << three << false << 0
                                                            << QStringList {QStringLiteral(
                                                                                "kernel warning: upperdir is in-use as "
                                                                                "upperdir/workdir of another mount"),
                                                                   QStringLiteral("undefined behaviour")};
        QTest::newRow("shared upper, index=on: EBUSY") << QByteArray(
            R"({"version":1,"overlays":[{"name":"a","lower":["l"],"upper":"u1","work":"w1","mountpoint":"m1","options":{"index":"on"}},
                {"name":"b","lower":["l"],"upper":"u1","work":"w2","mountpoint":"m2","options":{"index":"on"}}]})")
                                                       << three << false << 1
                                                       << QStringList {QStringLiteral("Device or resource busy"),
                                                              QStringLiteral("refuses a second user (EBUSY)")};
        QTest::newRow("unknown option value") << QByteArray(
            R"({"version":1,"overlays":[{"name":"a","lower":["l","u2"],"mountpoint":"m1","options":{"userxattr":true,"redirect_dir":"on"}}]})")
                                              << three << false << 1
                                              << QStringList {QStringLiteral("failed at"), QStringLiteral("why:")};
    }

    void kernelRefusals()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, dirs);
        QFETCH(bool, tmpfsWork);
        QFETCH(int, exitCode);
        QFETCH(QStringList, expected);
        const QString base = writeWorkspace(
            QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')), json, dirs);
        if (tmpfsWork) {
            QVERIFY(QDir().mkpath(base + QStringLiteral("/t")));
            QVERIFY(
                ::mount("tmpfs", QFile::encodeName(base + QStringLiteral("/t")).constData(), "tmpfs", 0, nullptr) == 0);
            QVERIFY(QDir().mkpath(base + QStringLiteral("/t/w")));
        }
        const Run r = strata({QStringLiteral("mount"), base});
        const QString all = r.out + r.err;
        QCOMPARE(r.exitCode, exitCode);
        for (const QString &e : expected)
            QVERIFY2(all.contains(e), qPrintable(QStringLiteral("missing \"%1\" in:\n%2").arg(e, all)));
        (void)strata({QStringLiteral("umount"), base});
        if (tmpfsWork)
            ::umount2(QFile::encodeName(base + QStringLiteral("/t")).constData(), MNT_DETACH);
    }

    // Only a mount of the workspace's layers (or one our registry recorded) is ours: status does
    // not call anything else mounted, mount refuses to go over it, umount leaves it alone.
    void foreignMountLeftAlone_data()
    {
        // lower: in the workspace; a read-only overlay needs two
        // upper: empty: no upper layer
        strata::test::addColumns<QString, QString, QString, bool>("lower", "upper", "work", "ours");
        QTest::newRow("other lowers") << QStringLiteral("other:lower_layer") << QString() << QString() << false;
        QTest::newRow("the same lower, another upper")
            << QStringLiteral("lower_layer") << QStringLiteral("u2") << QStringLiteral("w2") << false;
        QTest::newRow("the workspace's layers, mounted by hand")
            << QStringLiteral("lower_layer") << QStringLiteral("upper_layer") << QStringLiteral("temp_layer") << true;
    }

    void foreignMountLeftAlone()
    {
        QFETCH(QString, lower);
        QFETCH(QString, upper);
        QFETCH(QString, work);
        QFETCH(bool, ours);
        const QString ws = m_dir.filePath(QStringLiteral("foreign_%1").arg(QTest::currentDataTag()[4]));
        QVERIFY(Scenario::create(QStringLiteral("blog"), ws).ok());
        for (const QString &d : {QStringLiteral("other"), QStringLiteral("u2"), QStringLiteral("w2")})
            QVERIFY(QDir().mkpath(ws + QLatin1Char('/') + d));
        QByteArray data = "lowerdir="
            + QFile::encodeName(ws + QLatin1Char('/') + lower)
                  .replace(":", QByteArray(":" + QFile::encodeName(ws) + "/"));
        if (!upper.isEmpty())
            data += ",upperdir=" + QFile::encodeName(ws + QLatin1Char('/') + upper)
                + ",workdir=" + QFile::encodeName(ws + QLatin1Char('/') + work);
        const QString mp = ws + QStringLiteral("/overlay_layer");
        QVERIFY2(::mount("overlay", QFile::encodeName(mp).constData(), "overlay", 0, data.constData()) == 0,
            std::strerror(errno));
        const auto unmountIt = qScopeGuard([&mp] { ::umount2(QFile::encodeName(mp).constData(), MNT_DETACH); });

        Run r = strata({QStringLiteral("status"), ws, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = jsonAt(QJsonDocument::fromJson(r.out.toUtf8()).object(), "overlays", 0).toObject();
        QCOMPARE(o.value(QStringLiteral("mounted")).toBool(), ours);
        QCOMPARE(o.value(QStringLiteral("other_mount")).isNull(), ours);

        r = strata({QStringLiteral("mount"), ws});
        QCOMPARE(r.exitCode, ours ? 0 : 1);
        QVERIFY2(r.out.contains(ours ? QStringLiteral("already mounted") : QStringLiteral("another overlay")),
            qPrintable(r.out + r.err));

        r = strata({QStringLiteral("umount"), ws});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QCOMPARE(overlayMountedAt(mp), !ours);
        if (!ours)
            QVERIFY2(QString(r.out + r.err).contains(QStringLiteral("left alone")), qPrintable(r.out + r.err));
    }

    // A busy overlay stays mounted, and so does everything it stands on: never half a stack.
    void busyOverlayKeepsWhatItStandsOn_data()
    {
        // busy: a directory kept open
        strata::test::addColumns<QString, bool>("busy", "topStays");
        QTest::newRow("the top is busy: both stay") << QStringLiteral("overlay_layer_2/base_image") << true;
        QTest::newRow("the bottom is busy: the top goes") << QStringLiteral("overlay_layer/base_image") << false;
    }

    void busyOverlayKeepsWhatItStandsOn()
    {
        QFETCH(QString, busy);
        QFETCH(bool, topStays);
        const QString ws = m_dir.filePath(QStringLiteral("busy_%1").arg(topStays));
        QVERIFY(Scenario::create(QStringLiteral("stacked"), ws).ok());
        Run r = strata({QStringLiteral("mount"), ws});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        int fd = ::open(QFile::encodeName(ws + QLatin1Char('/') + busy).constData(), O_RDONLY | O_DIRECTORY);
        QVERIFY(fd >= 0);
        r = strata({QStringLiteral("umount"), ws});
        ::close(fd);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("Device or resource busy")), qPrintable(r.out + r.err));
        QCOMPARE(overlayMountedAt(ws + QStringLiteral("/overlay_layer_2")), topStays);
        QVERIFY(overlayMountedAt(ws + QStringLiteral("/overlay_layer"))); // never the layer under a mount
        if (topStays)
            QVERIFY2(r.out.contains(QStringLiteral("left mounted")), qPrintable(r.out));
        QVERIFY(QFile::exists(ws + QStringLiteral("/overlay_layer/base_image/common.txt")));
        r = strata({QStringLiteral("umount"), ws});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY(!overlayMountedAt(ws + QStringLiteral("/overlay_layer")));
    }

    // Layer names with what mountinfo and overlay escape: `strata mounts` and status read them whole.
    void oddLayerNames_data()
    {
        QTest::addColumn<QString>("lower");
        QTest::newRow("a comma") << QStringLiteral("lo,wer");
        QTest::newRow("a backslash") << QStringLiteral("lo\\wer");
        QTest::newRow("a space and a tab") << QStringLiteral("lo w\ter");
        QTest::newRow("comma and backslash") << QStringLiteral("a\\,b,c");
        QTest::newRow("lowerdir= written out: a comma") << QStringLiteral("lowerdir=x,y");
    }

    void oddLayerNames()
    {
        QFETCH(QString, lower);
        const QString name = QStringLiteral("odd_%1").arg(QTest::currentDataTag()[2]);
        const QJsonObject overlay {{QStringLiteral("name"), QStringLiteral("o")},
            {QStringLiteral("lower"), QJsonArray {lower}},
            {QStringLiteral("upper"), QStringLiteral("u,1")},
            {QStringLiteral("work"), QStringLiteral("w,1")},
            {QStringLiteral("mountpoint"), QStringLiteral("m,1")}};
        const QJsonObject json {{QStringLiteral("version"), 1}, {QStringLiteral("overlays"), QJsonArray {overlay}}};
        const QString base = writeWorkspace(name,
            QJsonDocument(json).toJson(),
            {lower, QStringLiteral("u,1"), QStringLiteral("w,1"), QStringLiteral("m,1")});
        QFile f(base + QLatin1Char('/') + lower + QStringLiteral("/f"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        Run r = strata({QStringLiteral("mount"), base});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const auto unmountIt = qScopeGuard([this, &base] { (void)strata({QStringLiteral("umount"), base}); });
        QVERIFY(QFile::exists(base + QStringLiteral("/m,1/f")));
        r = strata({QStringLiteral("mounts"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        bool found = false;
        for (const QJsonValue v : QJsonDocument::fromJson(r.out.toUtf8()).array()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("mountpoint")).toString() != base + QStringLiteral("/m,1"))
                continue;
            found = true;
            const QJsonArray lowers = o.value(QStringLiteral("lower")).toArray();
            QCOMPARE(lowers.size(), 1);
            QCOMPARE(
                lowers.first().toObject().value(QStringLiteral("path")).toString(), base + QLatin1Char('/') + lower);
            QCOMPARE(o.value(QStringLiteral("upper")).toString(), base + QStringLiteral("/u,1"));
        }
        QVERIFY2(found, qPrintable(r.out));
        r = strata({QStringLiteral("status"), base});
        QVERIFY2(r.out.contains(QStringLiteral("o: mounted on")), qPrintable(r.out));
    }

    // Signals to `strata shell` reach its command; SIGKILL takes the command down with it.
    void shellSignalsReachTheCommand_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGHUP") << int(SIGHUP);
        QTest::newRow("SIGKILL") << int(SIGKILL);
    }

    void shellSignalsReachTheCommand()
    {
        QFETCH(int, signal);
        const QString ws = m_dir.filePath(QStringLiteral("shell_%1").arg(signal));
        QVERIFY(Scenario::create(QStringLiteral("blog"), ws).ok());
        const QString pidFile = ws + QStringLiteral("/command.pid");
        QProcess shell;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("STRATA_STATE_DIR"), m_state);
        shell.setProcessEnvironment(env);
        shell.start(qEnvironmentVariable("STRATA_CLI"),
            {QStringLiteral("shell"),
                ws,
                QStringLiteral("--"),
                QStringLiteral("sh"),
                QStringLiteral("-c"),
                QStringLiteral("echo $$ > %1.new && mv %1.new %1 && exec sleep 300").arg(pidFile)});
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(pidFile), 10000);
        QFile f(pidFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const pid_t command = f.readAll().trimmed().toInt();
        QVERIFY(command > 0);
        const auto reap = qScopeGuard([command] { ::kill(command, SIGKILL); }); // whatever the outcome
        QTest::qWait(100); // sh has become sleep
        ::kill(static_cast<pid_t>(shell.processId()), signal);
        QVERIFY(shell.waitForFinished(10000));
        // Gone (not a zombie either: strata reaped it, or init did).
        QTRY_VERIFY_WITH_TIMEOUT(::kill(command, 0) != 0 && errno == ESRCH, 5000);
    }

    void staleMountAfterSigkill()
    {
        const QString ws = staleMount(QStringLiteral("stale"));
        QVERIFY(!ws.isEmpty());
        // The crash left the mount behind; the next start finds it and cleans it.
        QVERIFY(overlayMountedAt(ws + QStringLiteral("/overlay_layer")));
        const Run r = strata({QStringLiteral("umount"), QStringLiteral("--stale")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("unmounted stale ") + ws + QStringLiteral("/overlay_layer")),
            qPrintable(r.out + r.err));
        QVERIFY(!overlayMountedAt(ws + QStringLiteral("/overlay_layer")));
        QVERIFY(strata({QStringLiteral("umount"), QStringLiteral("--stale")})
                    .out.contains(QStringLiteral("no stale mounts")));
    }

    void guiCleansStaleMountsAtStart()
    {
        const QString ws = staleMount(QStringLiteral("stale-gui"));
        QVERIFY(!ws.isEmpty());
        QVERIFY(overlayMountedAt(ws + QStringLiteral("/overlay_layer")));
        // The next start of the app finds the stale mount and (offscreen: without asking) removes it.
        QProcess gui;
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        gui.setProcessEnvironment(env);
        gui.start(qEnvironmentVariable("STRATA_GUI"), {ws, QStringLiteral("--quit")});
        QVERIFY(gui.waitForFinished(30000));
        QCOMPARE(gui.exitCode(), 0);
        QVERIFY(!overlayMountedAt(ws + QStringLiteral("/overlay_layer")));
    }

    void holdUnmountsOnTerm()
    {
        QProcess holder;
        const QString ws = holdMounted(QStringLiteral("hold"), holder);
        QVERIFY(!ws.isEmpty());
        QTest::qWait(200);
        holder.terminate();
        QVERIFY(holder.waitForFinished(10000));
        QCOMPARE(holder.exitCode(), 0);
        QVERIFY(!overlayMountedAt(ws + QStringLiteral("/overlay_layer")));
    }

    void fuseOverlayfsBackend()
    {
        STRATA_REQUIRE(!QStandardPaths::findExecutable(QStringLiteral("fuse-overlayfs")).isEmpty(),
            "fuse-overlayfs is not installed (scripts/setup.sh installs it)");
        const QString ws = m_dir.filePath(QStringLiteral("fuse"));
        QVERIFY(Scenario::create(QStringLiteral("blog"), ws).ok());
        Run r = strata({QStringLiteral("op"),
            ws,
            QStringLiteral("--backend"),
            QStringLiteral("fuse"),
            QStringLiteral("rm"),
            QStringLiteral("/base_image/common.txt"),
            QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QJsonArray events = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("whiteout"));
        QVERIFY(strata({QStringLiteral("op"),
                           ws,
                           QStringLiteral("--backend"),
                           QStringLiteral("fuse"),
                           QStringLiteral("rm-r"),
                           QStringLiteral("/base_image")})
                    .exitCode
            == 0);
        r = strata({QStringLiteral("op"),
            ws,
            QStringLiteral("--backend"),
            QStringLiteral("fuse"),
            QStringLiteral("mkdir"),
            QStringLiteral("/base_image"),
            QStringLiteral("--json")});
        events = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), 1); // fuse-overlayfs's own marker files are not events
        QCOMPARE(events.first().toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("opaque"));

        // A persistent fuse mount, its status, and its removal.
        r = strata({QStringLiteral("mount"), ws, QStringLiteral("--backend"), QStringLiteral("fuse")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        auto mounts = MountInfo::read();
        QVERIFY(mounts.ok());
        const auto m = MountInfo::find(*mounts, ws + QStringLiteral("/overlay_layer"));
        QVERIFY(m && m->isFuseOverlay());
        QVERIFY(strata({QStringLiteral("status"), ws}).out.contains(QStringLiteral("(fuse)")));
        QCOMPARE(strata({QStringLiteral("umount"), ws}).exitCode, 0);
        mounts = MountInfo::read();
        QVERIFY(!MountInfo::find(*mounts, ws + QStringLiteral("/overlay_layer")).has_value()
            || !MountInfo::find(*mounts, ws + QStringLiteral("/overlay_layer"))->isAnyOverlay());
    }

    void eventsFollowSeesOutsideEdits()
    {
        const QString ws = m_dir.filePath(QStringLiteral("follow"));
        QVERIFY(Scenario::create(QStringLiteral("blog"), ws).ok());
        QProcess follower;
        QVERIFY(startFollowing(follower, ws));
        // Edits made by another program, through a real mount.
        const Run r = strata({QStringLiteral("shell"),
            ws,
            QStringLiteral("--"),
            QStringLiteral("sh"),
            QStringLiteral("-c"),
            QStringLiteral("echo hi > overlay_layer/base_image/outside.txt && rm overlay_layer/base_image/PART4.txt")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QStringList kinds;
        bool allOutside = true;
        auto collect = [&]() -> bool {
            while (follower.canReadLine()) {
                const QJsonObject o = QJsonDocument::fromJson(follower.readLine()).object();
                allOutside = allOutside && o.value(QStringLiteral("outside")).toBool();
                kinds << o.value(QStringLiteral("kind")).toString() + QLatin1Char(' ')
                        + o.value(QStringLiteral("path")).toString();
            }
            return kinds.size() >= 2;
        };
        QTRY_VERIFY_WITH_TIMEOUT(collect(), 10000);
        QVERIFY(allOutside);
        QVERIFY2(kinds.contains(QStringLiteral("created /base_image/outside.txt")),
            qPrintable(kinds.join(QLatin1Char(','))));
        QVERIFY(kinds.contains(QStringLiteral("whiteout /base_image/PART4.txt")));
        follower.kill();
        follower.waitForFinished();
    }

    // Finding 12: the upper directory moved away or deleted by another program is told, not
    // followed by silence.
    void eventsFollowTellsUpperReplaced_data()
    {
        QTest::addColumn<bool>("remake"); // a new upper directory made in its place
        QTest::addColumn<QString>("last"); // what the last directory_replaced line says (a pattern)
        // The CLI may read the rename before the mkdir: "nothing is there", then "there again".
        QTest::newRow("renamed away and made again") << true << QStringLiteral("in its place|there again: watching it");
        QTest::newRow("deleted") << false << QStringLiteral("nothing is there now");
    }

    void eventsFollowTellsUpperReplaced()
    {
        QFETCH(bool, remake);
        QFETCH(QString, last);
        const QString ws = m_dir.filePath(QStringLiteral("replaced-") + QString::number(remake));
        auto created = Scenario::create(QStringLiteral("blog"), ws);
        QVERIFY(created.ok());
        const QString upper = created->overlays().first().upper;
        QProcess follower;
        QVERIFY(startFollowing(follower, ws));
        if (remake) {
            QVERIFY(QDir().rename(upper, upper + QStringLiteral(".old")));
            QVERIFY(QDir().mkdir(upper));
        } else {
            QVERIFY(QDir(upper).removeRecursively());
        }
        const QRegularExpression pattern(last);
        QString explanation;
        auto told = [&]() -> bool {
            while (follower.canReadLine()) {
                const QJsonObject o = QJsonDocument::fromJson(follower.readLine()).object();
                if (o.value(QStringLiteral("kind")).toString() == QLatin1String("directory_replaced"))
                    explanation = o.value(QStringLiteral("explanation")).toString();
            }
            return explanation.contains(pattern);
        };
        QTRY_VERIFY2_WITH_TIMEOUT(told(), qPrintable(explanation), 10000);
        QVERIFY2(explanation.contains(upper), qPrintable(explanation));
        follower.kill();
        follower.waitForFinished();
    }

    // The userns mount command the window shows mounts, for a normal user, what the app mounts.
    void usernsMountCommand()
    {
        const BackendPolicy policy;
        if (!policy.facts().usernsProblem.isEmpty()) {
            if (inCi())
                QFAIL(qPrintable(QStringLiteral("CI=true and no user namespaces: ") + policy.facts().usernsProblem));
            QSKIP(qPrintable(policy.facts().usernsProblem));
        }
        const QString ws = m_dir.filePath(QStringLiteral("usernscommand"));
        QVERIFY(QDir().mkpath(ws));
        QVERIFY(::chown(QFile::encodeName(ws).constData(), Nobody, Nobody) == 0);
        QCOMPARE(strata({QStringLiteral("scenario"), QStringLiteral("blog"), ws}, Nobody).exitCode, 0);
        auto workspace = Workspace::load(ws);
        QVERIFY(workspace.ok());
        const QString command = policy.mountCommand(*workspace, 0, Backend::Userns);
        QVERIFY2(command.startsWith(QStringLiteral("unshare -Urm sh -c ")), qPrintable(command));
        // Its shell is ls here: it lists the merged directory it starts in.
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SHELL"), QStringLiteral("/bin/ls"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("setpriv"),
            {QStringLiteral("--reuid=%1").arg(Nobody),
                QStringLiteral("--regid=%1").arg(Nobody),
                QStringLiteral("--clear-groups"),
                QStringLiteral("sh"),
                QStringLiteral("-c"),
                command});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QCOMPARE(QString::fromUtf8(p.readAllStandardOutput()).trimmed(), QStringLiteral("base_image"));
    }

    void unprivilegedUserNamespace()
    {
        // A normal user: no root, so the userns backend (user + mount namespace, userxattr).
        const QString ws = m_dir.filePath(QStringLiteral("userns"));
        QVERIFY(QDir().mkpath(ws));
        QVERIFY(::chown(QFile::encodeName(ws).constData(), Nobody, Nobody) == 0);
        Run r = strata({QStringLiteral("scenario"), QStringLiteral("blog"), ws}, Nobody);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = strata({QStringLiteral("op"),
                       ws,
                       QStringLiteral("write"),
                       QStringLiteral("/base_image/new.txt"),
                       QStringLiteral("hi"),
                       QStringLiteral("--json")},
            Nobody);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(jsonAt(o, "events", 0, "kind").toString(), QStringLiteral("created"));
        struct stat st {
        };
        QVERIFY(
            ::lstat(QFile::encodeName(ws + QStringLiteral("/upper_layer/base_image/new.txt")).constData(), &st) == 0);
        QCOMPARE(int(st.st_uid), Nobody);

        r = strata({QStringLiteral("op"),
                       ws,
                       QStringLiteral("rm"),
                       QStringLiteral("/base_image/third_instruction.txt"),
                       QStringLiteral("--json")},
            Nobody);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(jsonAt(o, "events", 0, "kind").toString(), QStringLiteral("whiteout"));
        QVERIFY(
            ::lstat(QFile::encodeName(ws + QStringLiteral("/upper_layer/base_image/third_instruction.txt")).constData(),
                &st)
            == 0);
        QVERIFY(S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0));

        // rm -r + mkdir: the opaque marker is a user.overlay.* xattr.
        QCOMPARE(
            strata({QStringLiteral("op"), ws, QStringLiteral("rm-r"), QStringLiteral("/base_image")}, Nobody).exitCode,
            0);
        r = strata({QStringLiteral("op"), ws, QStringLiteral("mkdir"), QStringLiteral("/base_image")}, Nobody);
        QVERIFY2(r.out.contains(QStringLiteral("opaque")), qPrintable(r.out + r.err));
        char v[4] = {};
        QCOMPARE(::lgetxattr(QFile::encodeName(ws + QStringLiteral("/upper_layer/base_image")).constData(),
                     "user.overlay.opaque",
                     v,
                     sizeof v),
            ssize_t(1));
        QCOMPARE(v[0], 'y');

        // A command in a shell with the stack mounted, inside the user namespace.
        r = strata({QStringLiteral("shell"),
                       ws,
                       QStringLiteral("--"),
                       QStringLiteral("sh"),
                       QStringLiteral("-c"),
                       QStringLiteral("ls overlay_layer/base_image | wc -l; id -u")},
            Nobody);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.split(QLatin1Char('\n')).first().trimmed(), QStringLiteral("0")); // the opaque dir is empty
        QCOMPARE(r.out.split(QLatin1Char('\n')).at(1).trimmed(), QStringLiteral("0")); // root inside the namespace
        // strata mount as a normal user says where such mounts live.
        r = strata({QStringLiteral("mount"), ws}, Nobody);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("backend: userns")));
        QVERIFY(r.out.contains(QStringLiteral("strata shell")));
        // The lesson a normal user creates says so: user.overlay.* xattrs, nofollow.
        QFile wsFile(ws + QStringLiteral("/stratascope.json"));
        QVERIFY(wsFile.open(QIODevice::ReadOnly));
        const QByteArray saved = wsFile.readAll();
        QVERIFY(saved.contains("\"userxattr\": true"));
        QVERIFY(saved.contains("\"redirect_dir\": \"nofollow\""));
        // And the kernel backend is refused with a reason, not a crash.
        r = strata({QStringLiteral("mount"), ws, QStringLiteral("--backend"), QStringLiteral("kernel")}, Nobody);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(QStringLiteral("needs root")));
    }
};

STRATA_MOUNT_TEST_MAIN(TestMountKernel)
#include "tst_mount_kernel.moc"
