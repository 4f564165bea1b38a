// SPDX-License-Identifier: GPL-2.0-or-later
// The strata command line as users and scripts see it: a real process, exit codes, stderr,
// and JSON parsed back.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

namespace
{
struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run strata(const QStringList &args, const QString &asUser = {})
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
    p.waitForFinished(60000);
    return Run {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        p.readAllStandardOutput(),
        p.readAllStandardError()};
}

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
    }

    void usage()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, stdoutHas);
        QFETCH(QString, stderrHas);
        const Run r = strata(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.out).contains(stdoutHas), r.out.constData());
        QVERIFY2(QString::fromUtf8(r.err).contains(stderrHas), r.err.constData());
    }

    // The issue's acceptance check.
    void blogTreeJson()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("x"));
        Run r = strata({QStringLiteral("scenario"), QStringLiteral("blog"), ws});
        QCOMPARE(r.exitCode, 0);
        r = strata({QStringLiteral("tree"), ws + QStringLiteral("/stratascope.json"), QStringLiteral("--json")});
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
        r = strata({QStringLiteral("tree"), ws});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("upper_layer  /base_image/common.txt  [shadows lower_layer]"));
    }

    void stackedTree()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("s"));
        QCOMPARE(strata({QStringLiteral("scenario"), QStringLiteral("stacked"), ws}).exitCode, 0);
        Run r = strata({QStringLiteral("tree"),
            ws,
            QStringLiteral("--overlay"),
            QStringLiteral("overlay_layer_2"),
            QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        const QJsonObject common = entry(doc, QStringLiteral("/base_image/common.txt"));
        QCOMPARE(common.value(QStringLiteral("layer_name")).toString(), QStringLiteral("upper_layer"));
        QCOMPARE(doc.object()
                     .value(QStringLiteral("layers"))
                     .toArray()
                     .at(1)
                     .toObject()
                     .value(QStringLiteral("via"))
                     .toString(),
            QStringLiteral("overlay_layer"));
        r = strata({QStringLiteral("tree"), ws, QStringLiteral("--overlay"), QStringLiteral("nope")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("it has: overlay_layer, overlay_layer_2"));
        r = strata({QStringLiteral("tree"),
            ws,
            QStringLiteral("--path"),
            QStringLiteral("/base_image/PART2.txt"),
            QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("entries")).toArray().size(), 1);
        r = strata({QStringLiteral("tree"), ws, QStringLiteral("--path"), QStringLiteral("/nope")});
        QCOMPARE(r.exitCode, 1);
    }

    void whiteoutsAndVisible()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("d"));
        QCOMPARE(strata({QStringLiteral("scenario"), QStringLiteral("docker-like"), ws}).exitCode, 0);
        Run r = strata({QStringLiteral("tree"), ws, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QJsonDocument doc = QJsonDocument::fromJson(r.out);
        const QJsonObject ls = entry(doc, QStringLiteral("/bin/ls"));
        QCOMPARE(ls.value(QStringLiteral("whiteout")).toBool(), true);
        QCOMPARE(ls.value(QStringLiteral("type")).toString(), QStringLiteral("whiteout"));
        QCOMPARE(
            ls.value(QStringLiteral("shadows")).toArray().first().toObject().value(QStringLiteral("as")).toString(),
            QStringLiteral("symlink"));
        const QJsonObject doc1 = entry(doc, QStringLiteral("/usr/share/doc/demo"));
        QCOMPARE(doc1.value(QStringLiteral("opaque")).toBool(), true);
        QVERIFY(entry(doc, QStringLiteral("/usr/share/doc/demo/README")).isEmpty());
        QVERIFY(!doc.object()
                     .value(QStringLiteral("layers"))
                     .toArray()
                     .at(1)
                     .toObject()
                     .value(QStringLiteral("link_target"))
                     .toString()
                     .isEmpty());
        r = strata({QStringLiteral("tree"), ws, QStringLiteral("--json"), QStringLiteral("--visible")});
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
        const Run r = strata({QStringLiteral("tree"), dir.path()});
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
        const Run r2 = strata({QStringLiteral("tree"), dir.path()});
        QCOMPARE(r2.exitCode, 1);
        QVERIFY2(r2.err.contains("missing_layer") && r2.err.contains("No such file or directory"), r2.err.constData());
    }

    void scenarioIntoNonEmptyDirFails()
    {
        QTemporaryDir dir;
        QFile keep(dir.filePath(QStringLiteral("keep")));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.close();
        const Run r = strata({QStringLiteral("scenario"), QStringLiteral("blog"), dir.path()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("not empty"));
    }

    void unreadableDirectoryAsUnprivilegedUser()
    {
        if (::geteuid() != 0) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL("CI=true: this test needs root to switch to an unprivileged user");
            QSKIP("needs root to run strata as another user");
        }
        QTemporaryDir dir;
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
        const QString ws = dir.filePath(QStringLiteral("b"));
        QCOMPARE(strata({QStringLiteral("scenario"), QStringLiteral("blog"), ws}).exitCode, 0);
        QVERIFY(QDir().mkpath(ws + QStringLiteral("/lower_layer/locked/inside")));
        QVERIFY(::chmod(QFile::encodeName(ws + QStringLiteral("/lower_layer/locked")).constData(), 0700) == 0);
        const Run r = strata({QStringLiteral("tree"), ws, QStringLiteral("--json")}, QStringLiteral("65534"));
        QCOMPARE(r.exitCode, 0);
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        const QJsonObject locked = entry(doc, QStringLiteral("/locked"));
        QVERIFY2(locked.value(QStringLiteral("error")).toString().contains(QStringLiteral("Permission denied")),
            r.out.constData());
        QVERIFY(!entry(doc, QStringLiteral("/base_image/PART1.txt")).isEmpty());
        // Not root: the tree says it cannot read trusted.* xattrs.
        QVERIFY(doc.object()
                    .value(QStringLiteral("warnings"))
                    .toArray()
                    .first()
                    .toString()
                    .contains(QStringLiteral("trusted.overlay")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
