// SPDX-License-Identifier: GPL-2.0-or-later
// The strata command line as users and scripts see it: a real process, exit codes, stderr,
// and JSON parsed back.
#include "tests/support/datatable.h"
#include "tests/support/jsonat.h"
#include "tests/support/podmanfixture.h"
#include "tests/support/require.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

using strata::test::jsonAt;

namespace
{
struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runStrata(const QStringList &args, const QString &asUser = {}, int timeoutMs = 60000)
{
    QProcess p;
    const QString cli = qEnvironmentVariable("STRATA_CLI");
    if (asUser.isEmpty()) {
        p.start(cli, args);
    } else {
        // Drop to an unprivileged user (root only): setpriv from util-linux.
        p.start(QStringLiteral("setpriv"),
            QStringList {QStringLiteral("--reuid=") + asUser,
                QStringLiteral("--regid=") + asUser,
                QStringLiteral("--clear-groups"),
                cli}
                + args);
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill(); // hung: that is the failure
        p.waitForFinished();
        return Run {-1, p.readAllStandardOutput(), p.readAllStandardError()};
    }
    return Run {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        p.readAllStandardOutput(),
        p.readAllStandardError()};
}

// strata with arguments that are bytes (QProcess only passes UTF-8): through sh and printf.
Run strataBytes(const QList<QByteArray> &args)
{
    QString script = QStringLiteral("exec \"$STRATA_CLI\"");
    for (const QByteArray &a : args) {
        QString octal;
        for (const char c : a)
            octal += QStringLiteral("\\%1").arg(static_cast<unsigned char>(c), 3, 8, QLatin1Char('0'));
        script += QStringLiteral(" \"$(printf '%1')\"").arg(octal);
    }
    QProcess p;
    p.start(QStringLiteral("sh"), {QStringLiteral("-c"), script});
    p.waitForFinished(60000);
    return Run {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        p.readAllStandardOutput(),
        p.readAllStandardError()};
}

bool existsBytes(const QByteArray &path)
{
    struct stat st {
    };
    return ::lstat(path.constData(), &st) == 0;
}

bool isWhiteout(const QByteArray &path)
{
    struct stat st {
    };
    return ::lstat(path.constData(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == 0;
}

// QTemporaryDir cannot remove names that are not UTF-8.
void removeAll(const QString &dir)
{
    QProcess::execute(QStringLiteral("rm"), {QStringLiteral("-rf"), dir});
}

// As the unprivileged user 65534 on a machine where nothing can mount: user namespaces look
// disabled (a file with "0" over /proc/sys/user/max_user_namespaces, in a mount namespace of
// the child's own) and fuse-overlayfs is not on PATH.
Run strataWhereNothingMounts(const QStringList &args, const QString &zeroFile)
{
    QProcess p;
    const QString script
        = QStringLiteral("mount --bind \"$1\" /proc/sys/user/max_user_namespaces && shift && "
                         "exec setpriv --reuid=65534 --regid=65534 --clear-groups env PATH=/nonexistent \"$@\"");
    p.start(QStringLiteral("unshare"),
        QStringList {QStringLiteral("--mount"),
            QStringLiteral("--propagation"),
            QStringLiteral("private"),
            QStringLiteral("sh"),
            QStringLiteral("-c"),
            script,
            QStringLiteral("sh"),
            zeroFile,
            qEnvironmentVariable("STRATA_CLI")}
            + args);
    p.waitForFinished(60000);
    return Run {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        p.readAllStandardOutput(),
        p.readAllStandardError()};
}

QString fixtures()
{
    const QString env = qEnvironmentVariable("STRATA_FIXTURES");
    return !env.isEmpty()
        ? env
        : QDir::cleanPath(qEnvironmentVariable("STRATA_SOURCE_DIR") + QStringLiteral("/../shared/fixtures"));
}

// The shared fixtures are there, or the test skips (fails under CI=true, where they must be).
#define requireFixtures()                                                                                              \
    STRATA_REQUIRE(QFileInfo::exists(fixtures()), "no fixtures: set STRATA_FIXTURES to ../shared/fixtures")

QJsonObject entry(const QJsonDocument &doc, const QString &path)
{
    for (const QJsonValue v : doc.object().value(QStringLiteral("entries")).toArray()) {
        if (v.toObject().value(QStringLiteral("path")).toString() == path)
            return v.toObject();
    }
    return {};
}
} // namespace

class TestCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(qEnvironmentVariable("STRATA_CLI")).isExecutable(), "set STRATA_CLI to the strata binary");
    }

    void usage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stdoutHas");
        QTest::addColumn<QString>("stderrHas");
        QTest::newRow("--version") << QStringList {QStringLiteral("--version")} << 0 << QStringLiteral("strata 0.1.0")
                                   << QString();
        QTest::newRow("--help") << QStringList {QStringLiteral("--help")} << 0 << QStringLiteral("scenario NAME DIR")
                                << QString();
        QTest::newRow("help lists scenarios")
            << QStringList {QStringLiteral("--help")} << 0 << QStringLiteral("docker-like") << QString();
        QTest::newRow("no command") << QStringList {} << 2 << QString() << QStringLiteral("missing command");
        QTest::newRow("unknown command") << QStringList {QStringLiteral("frobnicate")} << 2 << QString()
                                         << QStringLiteral("unknown command \"frobnicate\"");
        QTest::newRow("scenario without args") << QStringList {QStringLiteral("scenario")} << 2 << QString()
                                               << QStringLiteral("usage: strata scenario NAME DIR");
        QTest::newRow("unknown scenario")
            << QStringList {QStringLiteral("scenario"), QStringLiteral("nope"), QStringLiteral("/tmp/x")} << 2
            << QString() << QStringLiteral("choose one of blog, stacked, docker-like");
        QTest::newRow("tree unknown option")
            << QStringList {QStringLiteral("tree"), QStringLiteral("ws"), QStringLiteral("--bogus")} << 2 << QString()
            << QStringLiteral("unknown option --bogus");
        QTest::newRow("tree option without value")
            << QStringList {QStringLiteral("tree"), QStringLiteral("ws"), QStringLiteral("--overlay")} << 2 << QString()
            << QStringLiteral("--overlay needs a value");
        QTest::newRow("tree missing workspace")
            << QStringList {QStringLiteral("tree"), QStringLiteral("/nonexistent/ws.json")} << 1 << QString()
            << QStringLiteral("no such workspace file");
        QTest::newRow("--help names events --timeout")
            << QStringList {QStringLiteral("--help")} << 0
            << QStringLiteral("events WS --follow [--overlay NAME] [--timeout SECONDS]") << QString();

        // Every number is checked: bad usage, with the usage line (never read as 0, never a hang).
        const QString ws = QStringLiteral("/nonexistent/ws");
        const QString eventsUsage = QStringLiteral("usage: strata events WS --follow");
        for (const char *t : {"-1", "2147484", "abc", "1.5", "99999999999999999999", "", "+5"}) {
            QTest::addRow("events --timeout '%s'", t) << QStringList {QStringLiteral("events"),
                ws,
                QStringLiteral("--follow"),
                QStringLiteral("--timeout"),
                QString::fromLatin1(t)} << 2 << QString()
                                                      << eventsUsage;
        }
        for (const char *t : {"0", "2147483"}) { // in range: on to the workspace, which is missing
            QTest::addRow("events --timeout %s", t) << QStringList {QStringLiteral("events"),
                ws,
                QStringLiteral("--follow"),
                QStringLiteral("--timeout"),
                QString::fromLatin1(t)} << 1 << QString()
                                                    << QStringLiteral("no such workspace file");
        }
        const auto op = [&ws](const QString &edit) {
            return QStringList {QStringLiteral("op"), ws} + edit.split(QLatin1Char(' '));
        };
        for (const char *edit : {"truncate /f -1",
                 "truncate /f 1.5",
                 "truncate /f abc",
                 "truncate /f 99999999999999999999",
                 "truncate /f +5",
                 "chmod +644 /f",
                 "chmod 8 /f",
                 "chmod 77777 /f",
                 "utimes 1.5 /f",
                 "utimes 99999999999999999999 /f",
                 "chown +1:0 /f",
                 "chown 4294967296:0 /f",
                 "chown a:b /f",
                 "chown 1:2:3 /f"}) {
            QTest::addRow("op %s", edit) << op(QString::fromLatin1(edit)) << 2 << QString()
                                         << QString::fromLatin1(edit).split(QLatin1Char(' ')).first() + u':';
        }

        // strata image, on the shared fixtures (rows skip without them).
        const QString gen = fixtures() + QStringLiteral("/generated/");
        const QString image = QStringLiteral("image");
        QTest::newRow("no command") << QStringList {image} << 2 << QString() << QStringLiteral("missing command");
        QTest::newRow("unknown command") << QStringList {image, QStringLiteral("frob")} << 2 << QString()
                                         << QStringLiteral("unknown command \"frob\"");
        QTest::newRow("no archive") << QStringList {image, QStringLiteral("tree")} << 2 << QString()
                                    << QStringLiteral("usage: strata image tree ARCHIVE");
        QTest::newRow("extract without a directory")
            << QStringList {image, QStringLiteral("extract"), gen + QStringLiteral("whiteout-demo.docker.tar")} << 2
            << QString() << QStringLiteral("usage: strata image extract ARCHIVE DIR");
        QTest::newRow("extract into a full directory")
            << QStringList {image, QStringLiteral("extract"), gen + QStringLiteral("whiteout-demo.docker.tar"), gen}
            << 1 << QString() << QStringLiteral("not empty");
        QTest::newRow("commit without --out") << QStringList {image, QStringLiteral("commit"), gen} << 2 << QString()
                                              << QStringLiteral("usage: strata image commit WS --out FILE");
        QTest::newRow("commit with a bad tag") << QStringList {image,
            QStringLiteral("commit"),
            gen,
            QStringLiteral("--out"),
            QStringLiteral("/nonexistent/x.tar"),
            QStringLiteral("--tag"),
            QStringLiteral("notag")} << 2 << QString()
                                               << QStringLiteral("--tag must be NAME:TAG");
        QTest::newRow("commit of no extracted stack") << QStringList {image,
            QStringLiteral("commit"),
            gen,
            QStringLiteral("--out"),
            QStringLiteral("/nonexistent/x.tar")} << 1 << QString()
                                                      << QStringLiteral("image commit:");
        QTest::newRow("missing archive") << QStringList {image,
            QStringLiteral("images"),
            QStringLiteral("/nonexistent.tar")}
                                         << 1 << QString() << QStringLiteral("no such file");
        QTest::newRow("a layer tar") << QStringList {image,
            QStringLiteral("layers"),
            fixtures() + QStringLiteral("/public/regclient/layer-wh.tar")}
                                     << 0 << QStringLiteral("1 layers")
                                     << QStringLiteral("a single layer tar, not an image");
        QTest::newRow("a layer tar's tree")
            << QStringList {image,
                   QStringLiteral("tree"),
                   fixtures() + QStringLiteral("/public/regclient/layer-wh.tar")}
            << 0 << QStringLiteral("/exdir") << QStringLiteral("read as an image of one layer");
        QTest::newRow("no such image") << QStringList {image,
            QStringLiteral("tree"),
            gen + QStringLiteral("whiteout-demo.docker.tar"),
            QStringLiteral("--image"),
            QStringLiteral("nope:1")} << 1
                                       << QString() << QStringLiteral("no image \"nope:1\"");
        QTest::newRow("layer out of range") << QStringList {image,
            QStringLiteral("tree"),
            gen + QStringLiteral("whiteout-demo.docker.tar"),
            QStringLiteral("--layer"),
            QStringLiteral("8")} << 2 << QString()
                                            << QStringLiteral("--layer must be 0 to 7");
        QTest::newRow("images") << QStringList {image,
            QStringLiteral("images"),
            gen + QStringLiteral("whiteout-demo.oci-zstd.tar")}
                                << 0 << QStringLiteral("whiteout-demo:1") << QString();
        QTest::newRow("layers") << QStringList {image,
            QStringLiteral("layers"),
            gen + QStringLiteral("whiteout-demo.oci-zstd.tar")}
                                << 0 << QStringLiteral("zstd") << QString();
        QTest::newRow("tree") << QStringList {image,
            QStringLiteral("tree"),
            gen + QStringLiteral("whiteout-demo.docker.tar")}
                              << 0 << QStringLiteral("/usr/local/lib  [opaque") << QString();
        QTest::newRow("help") << QStringList {image, QStringLiteral("--help")} << 0 << QStringLiteral("oci-archive")
                              << QString();
        const QString demo = gen + QStringLiteral("whiteout-demo.docker.tar");
        QTest::newRow("find without archive")
            << QStringList {image, QStringLiteral("find"), QStringLiteral("*.txt")} << 2 << QString()
            << QStringLiteral("usage: strata image find GLOB ARCHIVE");
        QTest::newRow("grep of nothing") << QStringList {image, QStringLiteral("grep"), QString(), demo} << 1
                                         << QString() << QStringLiteral("empty search text");
        QTest::newRow("find a whiteout") << QStringList {image,
            QStringLiteral("find"),
            QStringLiteral("whoami.txt"),
            demo} << 0 << QStringLiteral("layer 5 (ab1cabb02b9a)  whiteout      /kcnaiamh/whoami.txt")
                                         << QString();
        QTest::newRow("find an opaque dir")
            << QStringList {image, QStringLiteral("find"), QStringLiteral("/usr/local/lib"), demo} << 0
            << QStringLiteral("dir (opaque)  /usr/local/lib  [layer: whiteout-demo:1]") << QString();
        QTest::newRow("grep") << QStringList {image, QStringLiteral("grep"), QStringLiteral("layer two"), demo} << 0
                              << QStringLiteral("layer 1 (92ca3d26cbec)  /usr/local/lib/marker.txt:1: layer two")
                              << QString();
        QTest::newRow("grep after --")
            << QStringList {image, QStringLiteral("grep"), QStringLiteral("--"), QStringLiteral("-x"), demo} << 0
            << QStringLiteral("/bin/busybox: binary file matches") << QString();
        QTest::newRow("explain under an opaque dir")
            << QStringList {image, QStringLiteral("explain"), QStringLiteral("/usr/local/lib/marker.txt"), demo} << 0
            << QStringLiteral("/usr/local/lib is opaque in layer 6 (4f446f80a78d)") << QString();
        QTest::newRow("explain a deletion")
            << QStringList {image, QStringLiteral("explain"), QStringLiteral("/kcnaiamh/whoami.txt"), demo} << 0
            << QStringLiteral("/kcnaiamh/whoami.txt was deleted by layer 5 (ab1cabb02b9a)") << QString();
        QTest::newRow("explain in no such image") << QStringList {image,
            QStringLiteral("explain"),
            QStringLiteral("/"),
            demo,
            QStringLiteral("--image"),
            QStringLiteral("nope:1")} << 1 << QString()
                                                  << QStringLiteral("no image \"nope:1\"");
        // strata new / check (docs/cli.md)
        QTest::newRow("new: no workspace")
            << QStringList {QStringLiteral("new")} << 2 << QString() << QStringLiteral("usage: strata new WS");
        QTest::newRow("new: no lowers") << QStringList {QStringLiteral("new"), QStringLiteral("/nonexistent/ws")} << 2
                                        << QString() << QStringLiteral("--lower DIR (repeated, top first)");
        QTest::newRow("new: upper without work") << QStringList {QStringLiteral("new"),
            QStringLiteral("/nonexistent/ws"),
            QStringLiteral("--lower"),
            QStringLiteral("/"),
            QStringLiteral("--upper"),
            QStringLiteral("/nonexistent/u")} << 2
                                                 << QString() << QStringLiteral("--upper with --work");
        QTest::newRow("new: a missing lower") << QStringList {QStringLiteral("new"),
            QStringLiteral("/nonexistent/ws"),
            QStringLiteral("--lower"),
            QStringLiteral("/nonexistent/lower")}
                                              << 1 << QString() << QStringLiteral("no such directory");
        QTest::newRow("check: no workspace")
            << QStringList {QStringLiteral("check")} << 2 << QString() << QStringLiteral("usage: strata check WS");
        QTest::newRow("check: a bad backend") << QStringList {QStringLiteral("check"),
            QStringLiteral("/nonexistent"),
            QStringLiteral("--backend"),
            QStringLiteral("fuse")} << 2 << QString()
                                              << QStringLiteral("--backend must be kernel or userns");
        QTest::newRow("check: a missing workspace")
            << QStringList {QStringLiteral("check"), QStringLiteral("/nonexistent")} << 1 << QString()
            << QStringLiteral("no such workspace file");
        // strata compare (docs/analysis.md)
        const QString compare = QStringLiteral("compare");
        QTest::newRow("compare: one image")
            << QStringList {compare, gen + QStringLiteral("whiteout-demo.docker.tar")} << 2 << QString()
            << QStringLiteral("usage: strata compare IMAGE_A IMAGE_B");
        QTest::newRow("compare: nothing after docker:")
            << QStringList {compare, QStringLiteral("docker:"), gen + QStringLiteral("whiteout-demo.docker.tar")} << 2
            << QString() << QStringLiteral("no image after \"docker:\"");
        QTest::newRow("compare: a Podman store that is not there") << QStringList {compare,
            QStringLiteral("podman:x:1"),
            gen + QStringLiteral("whiteout-demo.docker.tar"),
            QStringLiteral("--root-a"),
            QStringLiteral("/nonexistent/storage")} << 1 << QString()
                                                                   << QStringLiteral("/nonexistent/storage");
        QTest::newRow("compare: a missing archive") << QStringList {compare,
            QStringLiteral("/nonexistent.tar"),
            gen + QStringLiteral("whiteout-demo.docker.tar")}
                                                    << 1 << QString() << QStringLiteral("no such file");
        QTest::newRow("compare: two builds") << QStringList {compare,
            gen + QStringLiteral("blog-new-build.docker.tar"),
            gen + QStringLiteral("whiteout-demo.docker.tar")}
                                             << 0 << QStringLiteral("4 added, 1 changed, 2 removed") << QString();
        QTest::newRow("compare: help") << QStringList {compare, QStringLiteral("--help")} << 0
                                       << QStringLiteral("docker:REF") << QString();
        // strata podman (docs/cli.md)
        const QString podman = QStringLiteral("podman");
        QTest::newRow("podman: no command")
            << QStringList {podman} << 2 << QString() << QStringLiteral("podman: missing command");
        QTest::newRow("podman: unknown command")
            << QStringList {podman, QStringLiteral("frob")} << 2 << QString() << QStringLiteral("unknown command");
        QTest::newRow("podman: layers without REF") << QStringList {podman, QStringLiteral("layers")} << 2 << QString()
                                                    << QStringLiteral("usage: strata podman layers REF [--root DIR]");
        QTest::newRow("podman: --root without a value")
            << QStringList {podman, QStringLiteral("images"), QStringLiteral("--root"), QString()} << 2 << QString()
            << QStringLiteral("--root needs a value");
        QTest::newRow("podman: not a store")
            << QStringList {podman, QStringLiteral("images"), QStringLiteral("--root"), QStringLiteral("/proc/self")}
            << 1 << QString() << QStringLiteral("not a containers-storage store");
        QTest::newRow("podman: help") << QStringList {podman, QStringLiteral("--help")} << 0
                                      << QStringLiteral("fuse-overlayfs") << QString();
    }

    void usage()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, stdoutHas);
        QFETCH(QString, stderrHas);
        if (args.join(QLatin1Char(' ')).contains(fixtures()))
            requireFixtures();
        const Run r = runStrata(args, {}, 10000);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.out).contains(stdoutHas), r.out.constData());
        QVERIFY2(QString::fromUtf8(r.err).contains(stderrHas), r.err.constData());
    }

    // A failing --json command says why on stdout, in JSON, whatever the command.
    void jsonErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("error"); // a part of "error"
        const QString json = QStringLiteral("--json");
        const QString missing = QStringLiteral("/nonexistent/ws");
        QTest::newRow("tree: no workspace")
            << QStringList {QStringLiteral("tree"), missing, json} << 1 << QStringLiteral("no such workspace file");
        QTest::newRow("status: no workspace")
            << QStringList {QStringLiteral("status"), missing, json} << 1 << QStringLiteral("no such workspace file");
        QTest::newRow("op: no workspace")
            << QStringList {QStringLiteral("op"), missing, QStringLiteral("rm"), QStringLiteral("/x"), json} << 1
            << QStringLiteral("no such workspace file");
        QTest::newRow("op: bad verb") << QStringList {QStringLiteral("op"), missing, QStringLiteral("fly"), json} << 2
                                      << QStringLiteral("unknown verb");
        QTest::newRow("mounts: unknown option")
            << QStringList {QStringLiteral("mounts"), json, QStringLiteral("--bogus")} << 2
            << QStringLiteral("unknown option --bogus");
        QTest::newRow("docker: no root") << QStringList {QStringLiteral("docker"),
            QStringLiteral("images"),
            QStringLiteral("--root"),
            QStringLiteral("/nonexistent/docker"),
            json} << 1 << QStringLiteral("/nonexistent/docker");
        QTest::newRow("unknown command") << QStringList {QStringLiteral("frobnicate"), json} << 2
                                         << QStringLiteral("unknown command");
    }

    void jsonErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, error);
        const Run r = runStrata(args);
        QCOMPARE(r.exitCode, exitCode);
        QJsonParseError perr {};
        const QJsonObject o = QJsonDocument::fromJson(r.out, &perr).object();
        QVERIFY2(perr.error == QJsonParseError::NoError, r.out.constData());
        QVERIFY2(o.value(QStringLiteral("error")).toString().contains(error), r.out.constData());
        QCOMPARE(o.value(QStringLiteral("exit_code")).toInt(), exitCode);
        QVERIFY(!r.err.isEmpty()); // and on stderr for people, as always
    }

    // Names and messages reach the terminal escaped: no control character gets through raw.
    void controlCharactersEscaped_data()
    {
        QTest::addColumn<QList<QByteArray>>("args"); // WS: the workspace
        QTest::addColumn<QByteArray>("shown");
        QTest::newRow("op text output")
            << QList<QByteArray> {"op", "WS", "--engine", "write", "/a\x1b]0;pwned\x07", "x"}
            << QByteArray("/a\\x1b]0;pwned\\x07");
        QTest::newRow("a line break in a name")
            << QList<QByteArray> {"op", "WS", "--engine", "touch", "/b\nfake"} << QByteArray("/b\\x0afake");
        QTest::newRow("an error message")
            << QList<QByteArray> {"tree", "/nonexistent/\x1b[2J"} << QByteArray("/nonexistent/\\x1b[2J");
        QTest::newRow("--overlay") << QList<QByteArray> {"tree", "WS", "--overlay", "\x1b[31mred"}
                                   << QByteArray("\\x1b[31mred");
    }

    void controlCharactersEscaped()
    {
        QFETCH(QList<QByteArray>, args);
        QFETCH(QByteArray, shown);
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("b"));
        QCOMPARE(runStrata({QStringLiteral("scenario"), QStringLiteral("blog"), ws}).exitCode, 0);
        for (QByteArray &a : args) {
            if (a == "WS")
                a = QFile::encodeName(ws);
        }
        const Run r = strataBytes(args);
        const QByteArray all = r.out + r.err;
        QVERIFY2(all.contains(shown), all.constData());
        for (const char c : all)
            QVERIFY2(c == '\n' || static_cast<unsigned char>(c) >= 0x20, all.toHex().constData());
    }

    // Path arguments are bytes: a name that is not UTF-8 is the file edited, never its U+FFFD twin.
    void bytesInArguments_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QList<QByteArray>>("edit");
        QTest::addColumn<QByteArray>("inUpper"); // what the edit leaves in upper_layer
        QTest::addColumn<QByteArray>("eventPath"); // the JSON event's exact path (path_base64)
        for (const char *backend : {"engine", "kernel"}) {
            const QString b = QString::fromLatin1(backend);
            QTest::addRow("%s: rm", backend)
                << b << QList<QByteArray> {"rm", "/bad\xff"} << QByteArray("bad\xff") << QByteArray("/bad\xff");
            QTest::addRow("%s: write", backend)
                << b << QList<QByteArray> {"write", "/new\xfe", "x"} << QByteArray("new\xfe") << QByteArray("/new\xfe");
            QTest::addRow("%s: mv", backend) << b << QList<QByteArray> {"mv", "/bad\xff", "/moved\x80"}
                                             << QByteArray("moved\x80") << QByteArray("/moved\x80");
            QTest::addRow("%s: ln-s target", backend)
                << b << QList<QByteArray> {"ln-s", "t\xfe", "/link"} << QByteArray("link") << QByteArray("/link");
            QTest::addRow("%s: mkdir", backend)
                << b << QList<QByteArray> {"mkdir", "/d\xe9"} << QByteArray("d\xe9") << QByteArray("/d\xe9");
        }
    }

    void bytesInArguments()
    {
        QFETCH(QString, backend);
        QFETCH(QList<QByteArray>, edit);
        QFETCH(QByteArray, inUpper);
        QFETCH(QByteArray, eventPath);
        STRATA_REQUIRE(backend != QLatin1String("kernel") || ::geteuid() == 0, "the kernel backend needs root");
        QTemporaryDir dir;
        const auto cleanup = qScopeGuard([&dir] { removeAll(dir.path()); }); // names that are not UTF-8
        const QString ws = dir.filePath(QStringLiteral("nu"));
        QCOMPARE(runStrata({QStringLiteral("scenario"), QStringLiteral("blog"), ws}).exitCode, 0);
        const QByteArray lower = QFile::encodeName(ws) + "/lower_layer/";
        const QByteArray upper = QFile::encodeName(ws) + "/upper_layer/";
        // The name, and the name its U+FFFD spelling would hit.
        for (const QByteArray &name : {QByteArray("bad\xff"), QByteArray("bad\xef\xbf\xbd")}) {
            const int fd = ::open(QByteArray(lower + name).constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            QVERIFY(fd >= 0);
            ::close(fd);
        }
        const Run r = strataBytes(QList<QByteArray> {"op", QFile::encodeName(ws), "--backend", backend.toUtf8()} + edit
            + QList<QByteArray> {"--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(existsBytes(upper + inUpper), r.out.constData());
        QVERIFY(!existsBytes(upper + "bad\xef\xbf\xbd")); // the twin is untouched
        if (edit.first() == "rm")
            QVERIFY(isWhiteout(upper + inUpper));
        if (edit.first() == "mv")
            QVERIFY(isWhiteout(upper + "bad\xff"));
        if (edit.first() == "ln-s") {
            char target[64] = {};
            QCOMPARE(::readlink(QByteArray(upper + inUpper).constData(), target, sizeof target), ssize_t(2));
            QCOMPARE(QByteArray(target), QByteArray("t\xfe"));
        }
        // Both sessions report the exact path; JSON carries it in path_base64.
        bool found = false;
        const QJsonArray events = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("events")).toArray();
        for (const QJsonValue e : events) {
            const QJsonObject o = e.toObject();
            const QByteArray exact = o.contains(QStringLiteral("path_base64"))
                ? QByteArray::fromBase64(o.value(QStringLiteral("path_base64")).toString().toLatin1())
                : o.value(QStringLiteral("path")).toString().toUtf8();
            found = found || exact == eventPath;
        }
        QVERIFY2(found, r.out.constData());
    }

    // tree --path, the layers of a workspace whose directories are not UTF-8, and its status.
    void bytesInTreeAndWorkspace()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("nu"));
        const auto cleanup = qScopeGuard([&dir] { removeAll(dir.path()); }); // names that are not UTF-8
        QCOMPARE(runStrata({QStringLiteral("scenario"), QStringLiteral("blog"), ws}).exitCode, 0);
        const QByteArray base = QFile::encodeName(ws);
        for (const QByteArray &name : {QByteArray("bad\xff"), QByteArray("bad\xef\xbf\xbd")}) {
            const int fd
                = ::open(QByteArray(base + "/lower_layer/" + name).constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            QVERIFY(fd >= 0);
            ::close(fd);
        }
        Run r = strataBytes({"tree", base, "--path", "/bad\xff", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonArray entries = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().toObject().value(QStringLiteral("path_base64")).toString(),
            QString::fromLatin1(QByteArray("/bad\xff").toBase64()));

        // A second workspace whose layers and mountpoint are named in bytes (lower_base64...).
        QVERIFY(::mkdir(QByteArray(base + "/u\xfc").constData(), 0755) == 0);
        QVERIFY(::mkdir(QByteArray(base + "/k\xfb").constData(), 0755) == 0);
        QVERIFY(::mkdir(QByteArray(base + "/l\xff").constData(), 0755) == 0);
        QVERIFY(::mkdir(QByteArray(base + "/m\xfe").constData(), 0755) == 0);
        QVERIFY(::mkdir(QByteArray(base + "/l\xff/inside").constData(), 0755) == 0);
        const QByteArray wsDir = base + "/w\xfd";
        QVERIFY(::mkdir(wsDir.constData(), 0755) == 0);
        // Plain literals: moc cannot read a raw string that begins with a quote.
        const QByteArray json = "{\"version\":1,\"overlays\":[{\"name\":\"o\",\"lower\":[\"l?\",\"lower_layer\"],"
                                "\"lower_base64\":[\""
            + QByteArray("../l\xff").toBase64() + "\",\"" + QByteArray("../lower_layer").toBase64()
            + "\"],\"upper_base64\":\"" + QByteArray("../u\xfc").toBase64() + "\",\"work_base64\":\""
            + QByteArray("../k\xfb").toBase64() + "\",\"mountpoint_base64\":\"" + QByteArray("../m\xfe").toBase64()
            + "\"}]}";
        const int fd
            = ::open(QByteArray(wsDir + "/stratascope.json").constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        QVERIFY(fd >= 0);
        QVERIFY(::write(fd, json.constData(), static_cast<size_t>(json.size())) == json.size());
        ::close(fd);
        r = strataBytes({"tree", wsDir, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject tree = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(jsonAt(tree, "layers", 1, "path_base64"),
            QJsonValue(QString::fromLatin1(QByteArray(base + "/l\xff").toBase64())));
        bool inside = false;
        for (const QJsonValue e : tree.value(QStringLiteral("entries")).toArray())
            inside = inside || e.toObject().value(QStringLiteral("path")).toString() == QLatin1String("/inside");
        QVERIFY2(inside, r.out.constData());
        r = strataBytes({"status", wsDir, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject status = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(status.value(QStringLiteral("workspace_base64")).toString(),
            QString::fromLatin1(QByteArray(wsDir + "/stratascope.json").toBase64()));
        QCOMPARE(jsonAt(status, "overlays", 0, "mountpoint_base64").toString(),
            QString::fromLatin1(QByteArray(base + "/m\xfe").toBase64()));
        // The engine edits those layers, by their bytes.
        r = strataBytes({"op", wsDir, "--engine", "write", "/inside/x", "hi"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(existsBytes(base + "/u\xfc/inside/x"));
    }

    // Two overlays on one mountpoint, or a directory used twice: refused before any mount.
    void conflictingLayersRefused_data()
    {
        QTest::addColumn<QByteArray>("overlays");
        QTest::addColumn<QString>("key");
        QTest::newRow("one mountpoint") << QByteArray(
            R"([{"name":"a","lower":["lower_layer"],"upper":"upper_layer","work":"temp_layer","mountpoint":"m"},)"
            R"({"name":"b","lower":["lower_layer"],"upper":"u2","work":"w2","mountpoint":"m"}])")
                                        << QStringLiteral("overlays[1].mountpoint");
        QTest::newRow("lower == upper") << QByteArray(
            R"([{"name":"a","lower":["upper_layer"],"upper":"upper_layer","work":"temp_layer","mountpoint":"m"}])")
                                        << QStringLiteral("overlays[0].upper");
        QTest::newRow("[M, M]") << QByteArray(
            R"([{"name":"a","lower":["lower_layer"],"upper":"upper_layer","work":"temp_layer","mountpoint":"m"},)"
            R"({"name":"b","lower":["m","m"],"upper":"u2","work":"w2","mountpoint":"m2"}])")
                                << QStringLiteral("overlays[1].lower[1]");
    }

    void conflictingLayersRefused()
    {
        QFETCH(QByteArray, overlays);
        QFETCH(QString, key);
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("c"));
        QCOMPARE(runStrata({QStringLiteral("scenario"), QStringLiteral("blog"), ws}).exitCode, 0);
        QFile f(ws + QStringLiteral("/stratascope.json"));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(R"({"version":1,"overlays":)" + overlays + "}");
        f.close();
        for (const char *command : {"tree", "mount", "status"}) {
            const Run r = runStrata({QString::fromLatin1(command), ws});
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(QString::fromUtf8(r.err).contains(key), r.err.constData());
        }
    }

    // `strata new --data-lower` (docs/cli.md), then `strata check` and `strata tree` of what it
    // wrote: "@x" is the directory x of the test (a: a lower whose f leads to /blob in d; d, e:
    // data-only layers).
    void newWithDataLowers_data()
    {
        strata::test::addColumns<QStringList, int, QString, bool, int, QString>(
            "args", "exitCode", "said", "removeData", "checkCode", "checked");
        const QString lower = QStringLiteral("--lower");
        const QString data = QStringLiteral("--data-lower");
        QTest::newRow("one lower, one data-only layer")
            << QStringList {lower, QStringLiteral("@a"), data, QStringLiteral("@d")} << 0 << QStringLiteral("/a::@d ")
            << false << 0 << QStringLiteral("accepted by the kernel");
        QTest::newRow("two data-only layers and an upper") << QStringList {lower,
            QStringLiteral("@a"),
            data,
            QStringLiteral("@d"),
            data,
            QStringLiteral("@e"),
            QStringLiteral("--upper"),
            QStringLiteral("@u"),
            QStringLiteral("--work"),
            QStringLiteral("@w")} << 0 << QStringLiteral("/a::@d::@e,upperdir=")
                                                           << false << 0 << QStringLiteral("accepted by the kernel");
        QTest::newRow("a data-only layer the kernel cannot find")
            << QStringList {lower, QStringLiteral("@a"), data, QStringLiteral("@d")} << 0 << QStringLiteral("::@d")
            << true << 1 << QStringLiteral("refused by the kernel at fsconfig datadir+");
        QTest::newRow("a missing data-only layer")
            << QStringList {lower, QStringLiteral("@a"), data, QStringLiteral("@nope")} << 1
            << QStringLiteral("data-only lower @nope: no such directory") << false << -1 << QString();
        QTest::newRow("the lower as a data-only layer too")
            << QStringList {lower, QStringLiteral("@a"), data, QStringLiteral("@a")} << 1
            << QStringLiteral("data_lowers[0]: is the same directory as overlays[0].lower[0]") << false << -1
            << QString();
    }

    void newWithDataLowers()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, said);
        QFETCH(bool, removeData);
        QFETCH(int, checkCode);
        QFETCH(QString, checked);
        QTemporaryDir dir;
        for (const char *d : {"a", "d", "e"})
            QVERIFY(QDir(dir.path()).mkpath(QString::fromLatin1(d)));
        QFile blob(dir.filePath(QStringLiteral("d/blob")));
        QVERIFY(blob.open(QIODevice::WriteOnly));
        blob.write("the data\n");
        blob.close();
        const QString ws = dir.filePath(QStringLiteral("ws"));
        for (QString &a : args)
            a.replace(QLatin1Char('@'), dir.path() + QLatin1Char('/'));
        said.replace(QLatin1Char('@'), dir.path() + QLatin1Char('/'));
        const Run r = runStrata(QStringList {QStringLiteral("new"), ws} + args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(exitCode ? r.err : r.out).contains(said), QByteArray(r.out + r.err).constData());
        if (checkCode < 0)
            return;
        STRATA_REQUIRE(::geteuid() == 0, "needs root: trusted.overlay xattrs, and mounts in a namespace");
        // As mkcomposefs makes them: a hole of the data's size, marked, redirected into d.
        const QByteArray f = QFile::encodeName(dir.filePath(QStringLiteral("a/f")));
        QVERIFY(QFile(dir.filePath(QStringLiteral("a/f"))).open(QIODevice::WriteOnly));
        QCOMPARE(::truncate(f.constData(), 9), 0);
        QCOMPARE(::setxattr(f.constData(), "trusted.overlay.metacopy", "", 0, 0), 0);
        QCOMPARE(::setxattr(f.constData(), "trusted.overlay.redirect", "/blob", 5, 0), 0);
        if (removeData)
            QVERIFY(QDir(dir.filePath(QStringLiteral("d"))).removeRecursively());
        const Run c = runStrata({QStringLiteral("check"), ws});
        QCOMPARE(c.exitCode, checkCode);
        QVERIFY2(QString::fromUtf8(c.out).contains(checked), QByteArray(c.out + c.err).constData());
        if (checkCode != 0)
            return;
        // The merged view shows f, not blob, and says where its data is.
        const Run t = runStrata({QStringLiteral("tree"), ws, QStringLiteral("--json")});
        QCOMPARE(t.exitCode, 0);
        QVERIFY2(t.out.contains("\"/f\"") && !t.out.contains("\"/blob\""), t.out.constData());
        QVERIFY2(t.out.contains("\"data_source\""), t.out.constData());
    }

    // The JSON fields of docs/cli.md for `strata image images|layers|tree`.
    // The JSON fields of docs/cli.md for `strata podman`, over a synthetic store.
    void podmanJson()
    {
        QTemporaryDir dir;
        strata::test::PodmanFixture fx;
        QVERIFY(fx.build(dir.path()));
        const QStringList root {QStringLiteral("--root"), fx.root, QStringLiteral("--json")};
        const QString podman = QStringLiteral("podman");
        Run r = runStrata(QStringList {podman, QStringLiteral("images")} + root);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject img
            = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("images")).toArray().at(0).toObject();
        for (const char *key : {"id",
                 "tags",
                 "digests",
                 "names",
                 "created",
                 "layers",
                 "size",
                 "parent",
                 "user",
                 "dangling",
                 "top_layer",
                 "manifest_digest",
                 "config_file",
                 "error",
                 "problems"})
            QVERIFY2(img.contains(QLatin1String(key)), key);
        QCOMPARE(img.value(QStringLiteral("id")).toString(), fx.appId);
        r = runStrata(QStringList {podman, QStringLiteral("layers"), QStringLiteral("fx/app:v1")} + root);
        QCOMPARE(r.exitCode, 0);
        const QJsonArray layers = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("layers")).toArray();
        QCOMPARE(layers.size(), 3);
        QCOMPARE(layers.at(2).toObject().value(QStringLiteral("cache_id")).toString(), fx.layerIds.at(2));
        QCOMPARE(layers.at(2).toObject().value(QStringLiteral("lower")).toArray().at(0).toString(),
            QStringLiteral("l/") + fx.links.at(1));
        r = runStrata(QStringList {podman, QStringLiteral("containers")} + root);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject web
            = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("containers")).toArray().at(1).toObject();
        QCOMPARE(web.value(QStringLiteral("name")).toString(), QStringLiteral("web"));
        QCOMPARE(web.value(QStringLiteral("upper_dir")).toString(), fx.diff(fx.webLayer));
        QCOMPARE(web.value(QStringLiteral("lower_dirs")).toArray().size(), 3);
        QVERIFY(web.value(QStringLiteral("init_dir")).isNull());
        r = runStrata({podman, QStringLiteral("diff"), QStringLiteral("web"), QStringLiteral("--root"), fx.root});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("C /app\nA /app/new.txt\nC /app/readme.txt\nC /etc\nD /etc/motd\n"));
        r = runStrata({podman, QStringLiteral("find"), QStringLiteral("motd"), QStringLiteral("--root"), fx.root});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("whiteout") && !r.out.contains(".wh."), r.out.constData());
    }

    void imageJson()
    {
        requireFixtures();
        const QString archive = fixtures() + QStringLiteral("/generated/whiteout-demo.oci-gzip.tar");
        const QString image = QStringLiteral("image");
        const QString json = QStringLiteral("--json");
        Run r = runStrata({image, QStringLiteral("images"), archive, json});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject images = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(images.value(QStringLiteral("format")).toString(), QStringLiteral("oci-archive"));
        const QJsonObject img = images.value(QStringLiteral("images")).toArray().at(0).toObject();
        QCOMPARE(img.value(QStringLiteral("ref")).toString(), QStringLiteral("whiteout-demo:1"));
        QVERIFY(img.value(QStringLiteral("manifest_digest")).toString().startsWith(QLatin1String("sha256:")));
        QVERIFY(img.value(QStringLiteral("config_digest")).toString().startsWith(QLatin1String("sha256:f52fa60eab96")));
        QCOMPARE(img.value(QStringLiteral("layers")).toInt(), 8);
        QVERIFY(img.value(QStringLiteral("size")).toInteger() > 1000000);

        r = runStrata({image, QStringLiteral("layers"), archive, json});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject layers = QJsonDocument::fromJson(r.out).object();
        const QJsonArray ls = layers.value(QStringLiteral("layers")).toArray();
        QCOMPARE(ls.size(), 8);
        const QJsonObject l5 = ls.at(5).toObject();
        QCOMPARE(l5.value(QStringLiteral("index")).toInt(), 5);
        QVERIFY(l5.value(QStringLiteral("diff_id")).toString().startsWith(QLatin1String("sha256:ab1cabb02b9a")));
        QCOMPARE(l5.value(QStringLiteral("media_type")).toString(),
            QStringLiteral("application/vnd.oci.image.layer.v1.tar+gzip"));
        QCOMPARE(l5.value(QStringLiteral("compression")).toString(), QStringLiteral("gzip"));
        QVERIFY(l5.value(QStringLiteral("digest")).toString().startsWith(QLatin1String("sha256:")));
        QVERIFY(l5.value(QStringLiteral("size")).toInteger() > 0);
        QVERIFY(
            l5.value(QStringLiteral("created_by")).toString().startsWith(QLatin1String("RUN rm /kcnaiamh/whoami.txt")));
        QCOMPARE(l5.value(QStringLiteral("verified")).toBool(), true);
        const QJsonArray history = layers.value(QStringLiteral("history")).toArray();
        QCOMPARE(history.size(), 11);
        QCOMPARE(history.at(2).toObject().value(QStringLiteral("empty_layer")).toBool(), true);
        QVERIFY(history.at(2).toObject().value(QStringLiteral("layer_index")).isNull());
        QCOMPARE(history.at(7).toObject().value(QStringLiteral("layer_index")).toInt(), 5);

        r = runStrata({image, QStringLiteral("tree"), archive, QStringLiteral("--visible"), json});
        QCOMPARE(r.exitCode, 0);
        const QJsonDocument tree = QJsonDocument::fromJson(r.out);
        const QJsonObject takbir = entry(tree, QStringLiteral("/kcnaiamh/takbir.txt"));
        QCOMPARE(takbir.value(QStringLiteral("type")).toString(), QStringLiteral("file"));
        QCOMPARE(takbir.value(QStringLiteral("mode")).toString(), QStringLiteral("0600"));
        QCOMPARE(takbir.value(QStringLiteral("size")).toInt(), 13);
        QCOMPARE(takbir.value(QStringLiteral("layer_index")).toInt(), 7);
        QVERIFY(takbir.value(QStringLiteral("diff_id")).toString().startsWith(QLatin1String("sha256:e54ded0008ce")));
        QCOMPARE(entry(tree, QStringLiteral("/kcnaiamh/link.txt")).value(QStringLiteral("target")).toString(),
            QStringLiteral("/kcnaiamh/takbir.txt"));
        QVERIFY(entry(tree, QStringLiteral("/kcnaiamh/whoami.txt")).isEmpty());
        QCOMPARE(entry(tree, QStringLiteral("/usr/local/lib")).value(QStringLiteral("opaque")).toBool(), true);

        r = runStrata({image, QStringLiteral("tree"), archive, QStringLiteral("--layer"), QStringLiteral("5"), json});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject gone = entry(QJsonDocument::fromJson(r.out), QStringLiteral("/kcnaiamh/whoami.txt"));
        QCOMPARE(gone.value(QStringLiteral("type")).toString(), QStringLiteral("whiteout"));
        QCOMPARE(gone.value(QStringLiteral("whiteout")).toBool(), true);
        QCOMPARE(gone.value(QStringLiteral("layer_index")).toInt(), 5);
    }

    // The JSON fields of `strata docker find|grep|explain` (docs/cli.md) from an archive.
    void imageSearchJson()
    {
        requireFixtures();
        const QString archive = fixtures() + QStringLiteral("/generated/whiteout-demo.oci-zstd.tar");
        const QString image = QStringLiteral("image");
        const QString json = QStringLiteral("--json");
        Run r = runStrata({image, QStringLiteral("find"), QStringLiteral("lib"), archive, json});
        QCOMPARE(r.exitCode, 0);
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("root")).toString(), archive);
        QCOMPARE(o.value(QStringLiteral("pattern")).toString(), QStringLiteral("lib"));
        QJsonArray matches = o.value(QStringLiteral("matches")).toArray();
        QCOMPARE(matches.size(), 2);
        const QJsonObject opaque = matches.at(1).toObject();
        QCOMPARE(opaque.value(QStringLiteral("path")).toString(), QStringLiteral("/usr/local/lib"));
        QCOMPARE(opaque.value(QStringLiteral("kind")).toString(), QStringLiteral("dir"));
        QCOMPARE(opaque.value(QStringLiteral("opaque")).toBool(), true);
        QVERIFY(opaque.value(QStringLiteral("cache_id")).toString().startsWith(QLatin1String("blobs/sha256/")));
        QCOMPARE(opaque.value(QStringLiteral("dir")).toString(), archive);
        QCOMPARE(opaque.value(QStringLiteral("role")).toString(), QStringLiteral("layer"));
        QCOMPARE(opaque.value(QStringLiteral("images")).toArray().at(0).toString(), QStringLiteral("whiteout-demo:1"));
        QVERIFY(opaque.value(QStringLiteral("container")).isNull());
        QVERIFY(o.value(QStringLiteral("searched")).toObject().value(QStringLiteral("files")).toInt() > 250);
        QCOMPARE(o.value(QStringLiteral("problems")).toArray().size(), 0);

        r = runStrata({image, QStringLiteral("grep"), QStringLiteral("second"), archive, json});
        QCOMPARE(r.exitCode, 0);
        o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("text")).toString(), QStringLiteral("second"));
        matches = o.value(QStringLiteral("matches")).toArray();
        QCOMPARE(matches.size(), 2);
        const QJsonObject second = matches.at(1).toObject();
        QCOMPARE(second.value(QStringLiteral("path")).toString(), QStringLiteral("/kcnaiamh/second_instruction.txt"));
        QCOMPARE(second.value(QStringLiteral("line")).toInt(), 1);
        QCOMPARE(second.value(QStringLiteral("offset")).toInt(), 0);
        QCOMPARE(second.value(QStringLiteral("binary")).toBool(), false);
        QCOMPARE(second.value(QStringLiteral("text")).toString(), QStringLiteral("second"));
        QCOMPARE(matches.at(0).toObject().value(QStringLiteral("binary")).toBool(), true);

        r = runStrata({image, QStringLiteral("explain"), QStringLiteral("/kcnaiamh/whoami.txt"), archive, json});
        QCOMPARE(r.exitCode, 0);
        o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("image"));
        QCOMPARE(o.value(QStringLiteral("name")).toString(), QStringLiteral("whiteout-demo:1"));
        QCOMPARE(o.value(QStringLiteral("visible")).toBool(), false);
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("whiteout"));
        QCOMPARE(o.value(QStringLiteral("winner")).toInt(), 2);
        QVERIFY(o.value(QStringLiteral("merged_dir")).isNull());
        const QJsonArray layers = o.value(QStringLiteral("layers")).toArray();
        QCOMPARE(layers.size(), 8);
        const QJsonObject deletes = layers.at(2).toObject();
        QCOMPARE(deletes.value(QStringLiteral("image_layer")).toInt(), 5);
        QCOMPARE(deletes.value(QStringLiteral("status")).toString(), QStringLiteral("deletes"));
        QCOMPARE(deletes.value(QStringLiteral("type")).toString(), QStringLiteral("whiteout"));
        QVERIFY(deletes.value(QStringLiteral("created_by")).toString().startsWith(QLatin1String("RUN rm")));
        const QJsonObject hidden = layers.at(3).toObject();
        QCOMPARE(hidden.value(QStringLiteral("status")).toString(), QStringLiteral("hidden_by_whiteout"));
        QCOMPARE(hidden.value(QStringLiteral("size")).toInt(), 15);
        QCOMPARE(hidden.value(QStringLiteral("mode")).toString(), QStringLiteral("-rw-r--r--"));
    }

    // The issue's acceptance check.
    void blogTreeJson()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("x"));
        Run r = runStrata({QStringLiteral("scenario"), QStringLiteral("blog"), ws});
        QCOMPARE(r.exitCode, 0);
        r = runStrata({QStringLiteral("tree"), ws + QStringLiteral("/stratascope.json"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError perr {};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &perr);
        QVERIFY2(perr.error == QJsonParseError::NoError, qPrintable(perr.errorString()));
        const QJsonObject common = entry(doc, QStringLiteral("/base_image/common.txt"));
        QVERIFY(!common.isEmpty());
        QCOMPARE(common.value(QStringLiteral("layer")).toString(), ws + QStringLiteral("/upper_layer"));
        QCOMPARE(common.value(QStringLiteral("layer_name")).toString(), QStringLiteral("upper_layer"));
        QCOMPARE(common.value(QStringLiteral("layer_index")).toInt(), 0);
        QCOMPARE(common.value(QStringLiteral("type")).toString(), QStringLiteral("file"));
        QCOMPARE(common.value(QStringLiteral("mode")).toString(), QStringLiteral("0644"));
        QCOMPARE(common.value(QStringLiteral("whiteout")).toBool(), false);
        const QJsonArray shadows = common.value(QStringLiteral("shadows")).toArray();
        QCOMPARE(shadows.size(), 1);
        QCOMPARE(
            shadows.first().toObject().value(QStringLiteral("layer")).toString(), ws + QStringLiteral("/lower_layer"));
        QCOMPARE(shadows.first().toObject().value(QStringLiteral("as")).toString(), QStringLiteral("file"));
        QFile upper(ws + QStringLiteral("/upper_layer/base_image/common.txt"));
        QVERIFY(upper.open(QIODevice::ReadOnly));
        QCOMPARE(common.value(QStringLiteral("size")).toInteger(), upper.size());

        const QJsonObject part1 = entry(doc, QStringLiteral("/base_image/PART1.txt"));
        QCOMPARE(part1.value(QStringLiteral("layer_name")).toString(), QStringLiteral("lower_layer"));
        QCOMPARE(part1.value(QStringLiteral("shadows")).toArray().size(), 0);
        const QJsonArray layers = doc.object().value(QStringLiteral("layers")).toArray();
        QCOMPARE(layers.size(), 2);
        QCOMPARE(layers.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("upper"));
        QCOMPARE(doc.object().value(QStringLiteral("entries")).toArray().size(), 9);

        // The text form says the same in one line.
        r = runStrata({QStringLiteral("tree"), ws});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("upper_layer  /base_image/common.txt  [shadows lower_layer]"));
    }

    void stackedTree()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("s"));
        QCOMPARE(runStrata({QStringLiteral("scenario"), QStringLiteral("stacked"), ws}).exitCode, 0);
        Run r = runStrata({QStringLiteral("tree"),
            ws,
            QStringLiteral("--overlay"),
            QStringLiteral("overlay_layer_2"),
            QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        const QJsonObject common = entry(doc, QStringLiteral("/base_image/common.txt"));
        QCOMPARE(common.value(QStringLiteral("layer_name")).toString(), QStringLiteral("upper_layer"));
        QCOMPARE(jsonAt(doc.object(), "layers", 1, "via").toString(), QStringLiteral("overlay_layer"));
        r = runStrata({QStringLiteral("tree"), ws, QStringLiteral("--overlay"), QStringLiteral("nope")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("it has: overlay_layer, overlay_layer_2"));
        r = runStrata({QStringLiteral("tree"),
            ws,
            QStringLiteral("--path"),
            QStringLiteral("/base_image/PART2.txt"),
            QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("entries")).toArray().size(), 1);
        r = runStrata({QStringLiteral("tree"), ws, QStringLiteral("--path"), QStringLiteral("/nope")});
        QCOMPARE(r.exitCode, 1);
    }

    void whiteoutsAndVisible()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("d"));
        QCOMPARE(runStrata({QStringLiteral("scenario"), QStringLiteral("docker-like"), ws}).exitCode, 0);
        Run r = runStrata({QStringLiteral("tree"), ws, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QJsonDocument doc = QJsonDocument::fromJson(r.out);
        const QJsonObject ls = entry(doc, QStringLiteral("/bin/ls"));
        QCOMPARE(ls.value(QStringLiteral("whiteout")).toBool(), true);
        QCOMPARE(ls.value(QStringLiteral("type")).toString(), QStringLiteral("whiteout"));
        QCOMPARE(jsonAt(ls, "shadows", 0, "as").toString(), QStringLiteral("symlink"));
        const QJsonObject doc1 = entry(doc, QStringLiteral("/usr/share/doc/demo"));
        QCOMPARE(doc1.value(QStringLiteral("opaque")).toBool(), true);
        QVERIFY(entry(doc, QStringLiteral("/usr/share/doc/demo/README")).isEmpty());
        QVERIFY(!jsonAt(doc.object(), "layers", 1, "link_target").toString().isEmpty());
        r = runStrata({QStringLiteral("tree"), ws, QStringLiteral("--json"), QStringLiteral("--visible")});
        doc = QJsonDocument::fromJson(r.out);
        QVERIFY(entry(doc, QStringLiteral("/bin/ls")).isEmpty());
        QVERIFY(!entry(doc, QStringLiteral("/bin/sh")).isEmpty());
    }

    void badWorkspaceLosesNothing()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("stratascope.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"version\": 1, \"overlays\": [ {\"name\": \"o\", \"lower\": \"oops\"");
        f.close();
        const QByteArray before = [&] {
            QFile g(f.fileName());
            g.open(QIODevice::ReadOnly);
            return g.readAll();
        }();
        const Run r = runStrata({QStringLiteral("tree"), dir.path()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not valid JSON at line 1"), r.err.constData());
        QVERIFY(!r.err.contains("Segmentation"));
        QFile g(f.fileName());
        QVERIFY(g.open(QIODevice::ReadOnly));
        QCOMPARE(g.readAll(), before);

        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(
            R"({"version":1,"overlays":[{"name":"o","lower":["missing_layer"],"upper":"u","work":"w","mountpoint":"m"}]})");
        f.close();
        const Run r2 = runStrata({QStringLiteral("tree"), dir.path()});
        QCOMPARE(r2.exitCode, 1);
        QVERIFY2(r2.err.contains("missing_layer") && r2.err.contains("No such file or directory"), r2.err.constData());
    }

    void scenarioIntoNonEmptyDirFails()
    {
        QTemporaryDir dir;
        QFile keep(dir.filePath(QStringLiteral("keep")));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.close();
        const Run r = runStrata({QStringLiteral("scenario"), QStringLiteral("blog"), dir.path()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("not empty"));
    }

    // `strata op --backend auto` where nothing can mount: the engine, with the window's sentence.
    void opWhereNothingMounts_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrHas"); // empty: nothing on stderr
        QTest::addColumn<bool>("edited");
        const QString fallback = QStringLiteral(
            "strata: cannot mount as a normal user here: user namespaces are disabled (sysctl "
            "user.max_user_namespaces=0), and fuse-overlayfs is not installed; edits go through the userspace "
            "engine instead, which needs no mount\n");
        QTest::newRow("no backend: auto falls back") << QStringList {} << 0 << fallback << true;
        QTest::newRow("--backend auto falls back")
            << QStringList {QStringLiteral("--backend"), QStringLiteral("auto")} << 0 << fallback << true;
        QTest::newRow("--backend auto --json falls back")
            << QStringList {QStringLiteral("--backend=auto"), QStringLiteral("--json")} << 0 << fallback << true;
        QTest::newRow("--backend engine: no word")
            << QStringList {QStringLiteral("--backend"), QStringLiteral("engine")} << 0 << QString() << true;
        QTest::newRow("--engine: no word") << QStringList {QStringLiteral("--engine")} << 0 << QString() << true;
        QTest::newRow("--engine --backend engine")
            << QStringList {QStringLiteral("--engine"), QStringLiteral("--backend"), QStringLiteral("engine")} << 0
            << QString() << true;
        QTest::newRow("--backend kernel: refused")
            << QStringList {QStringLiteral("--backend"), QStringLiteral("kernel")} << 1
            << QStringLiteral("the kernel backend needs root") << false;
        QTest::newRow("--backend userns: refused")
            << QStringList {QStringLiteral("--backend"), QStringLiteral("userns")} << 1
            << QStringLiteral("user namespaces are disabled (sysctl user.max_user_namespaces=0)") << false;
        QTest::newRow("--backend fuse: refused") << QStringList {QStringLiteral("--backend"), QStringLiteral("fuse")}
                                                 << 1 << QStringLiteral("fuse-overlayfs is not installed") << false;
        QTest::newRow("--engine with another --backend: usage")
            << QStringList {QStringLiteral("--engine"), QStringLiteral("--backend"), QStringLiteral("kernel")} << 2
            << QStringLiteral("--engine means --backend engine; it cannot go with --backend kernel") << false;
        QTest::newRow("--engine with --backend auto: usage")
            << QStringList {QStringLiteral("--backend"), QStringLiteral("auto"), QStringLiteral("--engine")} << 2
            << QStringLiteral("it cannot go with --backend auto") << false;
        QTest::newRow("unknown backend: usage")
            << QStringList {QStringLiteral("--backend"), QStringLiteral("bogus")} << 2
            << QStringLiteral("--backend must be auto, engine, kernel, userns or fuse") << false;
    }

    void opWhereNothingMounts()
    {
        QFETCH(QStringList, options);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrHas);
        QFETCH(bool, edited);
        STRATA_REQUIRE(::geteuid() == 0, "needs root to make a machine where nothing mounts");
        QTemporaryDir dir;
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
        const QString zero = dir.filePath(QStringLiteral("zero"));
        QFile z(zero);
        QVERIFY(z.open(QIODevice::WriteOnly));
        z.write("0\n");
        z.close();
        const QString ws = dir.filePath(QStringLiteral("ws"));
        QVERIFY(QDir().mkpath(ws));
        QVERIFY(::chown(QFile::encodeName(ws).constData(), 65534, 65534) == 0);
        QCOMPARE(
            runStrata({QStringLiteral("scenario"), QStringLiteral("blog"), ws}, QStringLiteral("65534")).exitCode, 0);

        const QString file = QStringLiteral("/base_image/new.txt");
        const Run r = strataWhereNothingMounts(QStringList {QStringLiteral("op"), ws} + options
                + QStringList {QStringLiteral("write"), file, QStringLiteral("hi")},
            zero);
        QVERIFY2(r.exitCode == exitCode, r.err.constData());
        if (stderrHas.isEmpty())
            QVERIFY2(r.err.isEmpty(), r.err.constData());
        else
            QVERIFY2(QString::fromUtf8(r.err).contains(stderrHas), r.err.constData());
        struct stat st {
        };
        const QByteArray upper = QFile::encodeName(ws + QStringLiteral("/upper_layer") + file);
        QCOMPARE(::lstat(upper.constData(), &st) == 0, edited);
        if (!edited)
            return;
        QCOMPARE(int(st.st_uid), 65534);
        if (options.contains(QStringLiteral("--json"))) {
            const QJsonObject o = QJsonDocument::fromJson(r.out).object();
            QCOMPARE(
                o.value(QStringLiteral("events")).toArray().last().toObject().value(QStringLiteral("kind")).toString(),
                QStringLiteral("created"));
        } else {
            QVERIFY2(r.out.contains("by the userspace engine, no mount"), r.out.constData());
        }
    }

    void unreadableDirectoryAsUnprivilegedUser()
    {
        STRATA_REQUIRE(::geteuid() == 0, "needs root to run strata as another user");
        QTemporaryDir dir;
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
        const QString ws = dir.filePath(QStringLiteral("b"));
        QCOMPARE(runStrata({QStringLiteral("scenario"), QStringLiteral("blog"), ws}).exitCode, 0);
        QVERIFY(QDir().mkpath(ws + QStringLiteral("/lower_layer/locked/inside")));
        QVERIFY(::chmod(QFile::encodeName(ws + QStringLiteral("/lower_layer/locked")).constData(), 0700) == 0);
        const Run r = runStrata({QStringLiteral("tree"), ws, QStringLiteral("--json")}, QStringLiteral("65534"));
        QCOMPARE(r.exitCode, 0);
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        const QJsonObject locked = entry(doc, QStringLiteral("/locked"));
        QVERIFY2(locked.value(QStringLiteral("error")).toString().contains(QStringLiteral("Permission denied")),
            r.out.constData());
        QVERIFY(!entry(doc, QStringLiteral("/base_image/PART1.txt")).isEmpty());
        // Not root: the tree says it cannot read trusted.* xattrs.
        QVERIFY(jsonAt(doc.object(), "warnings", 0).toString().contains(QStringLiteral("trusted.overlay")));
    }

    // `strata image analyze` (docs/analysis.md) on a copy of dive's test image: ARCHIVE and
    // DIVECI in the arguments are the copy and a .dive-ci file beside it.
    void analyze_data()
    {
        strata::test::addColumns<QStringList, int, QString, QString>("args", "exitCode", "stdoutHas", "stderrHas");
        const QString analyze = QStringLiteral("analyze");
        const QString archive = QStringLiteral("ARCHIVE");
        const QString image = QStringLiteral("image");
        QTest::newRow("figures") << QStringList {image, analyze, archive} << 0
                                 << QStringLiteral("efficiency:        98.44 %") << QString();
        QTest::newRow("inefficient files")
            << QStringList {image, analyze, archive} << 0 << QStringLiteral("/root/example/somefile3.txt") << QString();
        QTest::newRow("ci: dive's defaults fail") << QStringList {image, analyze, archive, QStringLiteral("--ci")} << 1
                                                  << QStringLiteral("FAIL  highestUserWastedPercent") << QString();
        QTest::newRow("ci: skipped rule") << QStringList {image, analyze, archive, QStringLiteral("--ci")} << 1
                                          << QStringLiteral("SKIP  highestWastedBytes") << QString();
        QTest::newRow("ci: a .dive-ci that passes")
            << QStringList {image, analyze, archive, QStringLiteral("--ci-config"), QStringLiteral("DIVECI")} << 0
            << QStringLiteral("Result:PASS [Total:3] [Passed:3]") << QString();
        QTest::newRow("ci: an option over the file") << QStringList {image,
            analyze,
            archive,
            QStringLiteral("--ci-config"),
            QStringLiteral("DIVECI"),
            QStringLiteral("--highest-wasted-bytes"),
            QStringLiteral("30KB")} << 1 << QStringLiteral("FAIL  highestWastedBytes")
                                                     << QString();
        QTest::newRow("ci: a threshold dive refuses") << QStringList {image,
            analyze,
            archive,
            QStringLiteral("--ci"),
            QStringLiteral("--lowest-efficiency"),
            QStringLiteral("2")} << 2 << QString() << QStringLiteral("outside allowed range (0-1)");
        QTest::newRow("no archive") << QStringList {image, analyze} << 2 << QString()
                                    << QStringLiteral("usage: strata image analyze ARCHIVE");
        QTest::newRow("docker: no ref") << QStringList {QStringLiteral("docker"), analyze} << 2 << QString()
                                        << QStringLiteral("usage: strata docker analyze REF");
        QTest::newRow("help") << QStringList {image, QStringLiteral("--help")} << 0
                              << QStringLiteral("analyze ARCHIVE [--json] [--ci]") << QString();
    }

    void analyze()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, stdoutHas);
        QFETCH(QString, stderrHas);
        requireFixtures();
        QTemporaryDir tmp;
        const QString archive = tmp.filePath(QStringLiteral("dive.tar"));
        QVERIFY(QFile::copy(fixtures() + QStringLiteral("/public/dive/test-docker-image.tar"), archive));
        const QString diveCi = tmp.filePath(QStringLiteral(".dive-ci"));
        QFile f(diveCi);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.6\n");
        f.close();
        args.replaceInStrings(QStringLiteral("ARCHIVE"), archive).replaceInStrings(QStringLiteral("DIVECI"), diveCi);
        const Run r = runStrata(args, {}, 30000);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.out).contains(stdoutHas), r.out.constData());
        QVERIFY2(QString::fromUtf8(r.err).contains(stderrHas), r.err.constData());
    }

    // The JSON of `strata image analyze --json --ci` (docs/analysis.md).
    void analyzeJson()
    {
        requireFixtures();
        QTemporaryDir tmp;
        const QString archive = tmp.filePath(QStringLiteral("demo.tar"));
        QVERIFY(QFile::copy(fixtures() + QStringLiteral("/generated/whiteout-demo.docker.tar"), archive));
        const Run r = runStrata({QStringLiteral("image"),
            QStringLiteral("analyze"),
            archive,
            QStringLiteral("--json"),
            QStringLiteral("--ci")});
        QCOMPARE(r.exitCode, 1); // 43.75 % of the user bytes wasted
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("inefficient_bytes")).toInt(), 28);
        QCOMPARE(o.value(QStringLiteral("wasted_bytes_opaque_aware")).toInt(), 38);
        QCOMPARE(o.value(QStringLiteral("user_size_bytes")).toInt(), 64);
        QCOMPARE(o.value(QStringLiteral("user_wasted_percent")).toDouble(), 0.4375);
        QCOMPARE(jsonAt(o, "file_references", 0, "path").toString(), QStringLiteral("/kcnaiamh/whoami.txt"));
        QCOMPARE(jsonAt(o, "file_references", 0, "count").toInt(), 2);
        QCOMPARE(jsonAt(o, "layers", 6, "opaque_directories").toInt(), 1);
        QCOMPARE(jsonAt(o, "ci", "pass").toBool(), false);
        QCOMPARE(jsonAt(o, "ci", "rules", 2, "name").toString(), QStringLiteral("highestUserWastedPercent"));
        QCOMPARE(jsonAt(o, "ci", "rules", 2, "status").toString(), QStringLiteral("fail"));
        QVERIFY(jsonAt(o, "ci", "rules", 1, "threshold").isNull());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
