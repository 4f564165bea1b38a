// SPDX-License-Identifier: GPL-2.0-or-later
// The Docker host explorer against a real Docker Engine: every answer of `strata docker ...`
// is compared with what the same daemon says (docker images / image inspect / history
// --no-trunc / inspect GraphDriver / diff / exec), with find(1) and grep(1) on the same
// directories, and the Docker root is proved unchanged by the explorer.
//
// tests/docker/dockerd.sh prepares the daemon (no network) and the images and containers used
// here. Tests that need root and dockerd skip without them, except under CI=true, where they fail.
#include "core/analysis/imageanalyzer.h"
#include "core/analysis/imagecomparer.h"
#include "core/image/archive/archivestore.h"
#include "core/image/chainid.h"
#include "core/image/createdby.h"
#include "core/image/docker/dockerhost.h"
#include "core/image/docker/dockersearch.h"
#include "core/merge/mergedtree.h"
#include "core/stack/workspace.h"
#include "core/util/scancontrol.h"
#include "tests/support/datatable.h"
#include "tests/support/files.h"
#include "tests/support/jsonat.h"
#include "tests/support/run.h"
#include "tests/support/treesnapshot.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <ftw.h>
#include <optional>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

using strata::test::jsonAt;
using strata::test::readFile;
using strata::test::writeFile;

namespace
{

const QString V = QStringLiteral("v1"); // the version tag dockerd.sh builds
const QString DockerRoot = QStringLiteral("/var/lib/docker");
const QString Docker = QStringLiteral("/usr/bin/docker");

QString tag(const char *name)
{
    return QStringLiteral("strata-test/%1:%2").arg(QLatin1String(name), V);
}

QString ctr(const char *name)
{
    return QStringLiteral("%1-%2").arg(QLatin1String(name), V);
}

// What corruptCopy breaks in its copy of the Docker root.
enum class Corruption { ImageConfig, Repositories, ContainerConfig, LayerdbDiff, Link };

using strata::test::Run;
using strata::test::run;

Run cli(const QStringList &args, const QString &asUser = {})
{
    const QString cli = qEnvironmentVariable("STRATA_CLI");
    if (asUser.isEmpty())
        return run(cli, QStringList {QStringLiteral("docker")} + args);
    return run(QStringLiteral("setpriv"),
        QStringList {QStringLiteral("--reuid=") + asUser,
            QStringLiteral("--regid=") + asUser,
            QStringLiteral("--clear-groups"),
            cli,
            QStringLiteral("docker")}
            + args);
}

Run docker(const QStringList &args)
{
    return run(Docker, args);
}

QJsonObject parseObject(const QByteArray &data)
{
    QJsonParseError perr {};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &perr);
    if (perr.error != QJsonParseError::NoError) {
        qWarning("not JSON (%s): %s", qPrintable(perr.errorString()), data.left(400).constData());
        return {};
    }
    return doc.object();
}

QJsonValue inspect(const QString &what, const QString &format)
{
    const Run r = docker(
        {QStringLiteral("inspect"), QStringLiteral("--format"), QStringLiteral("{{json %1}}").arg(format), what});
    if (r.exitCode != 0)
        return QJsonValue::Undefined;
    // Wrapped so scalars parse too.
    return QJsonDocument::fromJson("[" + r.out.trimmed() + "]").array().at(0);
}

QSet<QString> lines(const QByteArray &out)
{
    QSet<QString> s;
    for (const QByteArray &l : out.split('\n')) {
        if (!l.isEmpty())
            s.insert(QString::fromUtf8(l));
    }
    return s;
}

QString sha256(const QByteArray &b)
{
    return QStringLiteral("sha256:")
        + QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex());
}

// The names, types, sizes, mtimes and ctimes of everything under a directory, on its own
// filesystem (a running container's merged/ mount is not entered). ctime catches xattr and
// permission writes that leave mtime alone.
QMap<QByteArray, QByteArray> *g_listing = nullptr;

int record(const char *path, const struct stat *st, int, struct FTW *)
{
    g_listing->insert(QByteArray(path),
        QByteArray::number(st->st_mode, 8) + ' ' + QByteArray::number(static_cast<qlonglong>(st->st_size)) + ' '
            + QByteArray::number(static_cast<qlonglong>(st->st_mtim.tv_sec)) + '.'
            + QByteArray::number(static_cast<qlonglong>(st->st_mtim.tv_nsec)) + ' '
            + QByteArray::number(static_cast<qlonglong>(st->st_ctim.tv_sec)) + '.'
            + QByteArray::number(static_cast<qlonglong>(st->st_ctim.tv_nsec)));
    return 0;
}

QMap<QByteArray, QByteArray> listing(const QString &root)
{
    QMap<QByteArray, QByteArray> out;
    g_listing = &out;
    ::nftw(QFile::encodeName(root).constData(), record, 64, FTW_PHYS | FTW_MOUNT);
    g_listing = nullptr;
    return out;
}

// Every overlay2 layer directory's diff/, as `ls /var/lib/docker/overlay2/*/diff` lists them.
QStringList diffDirs(const QString &root)
{
    QStringList out;
    const QDir d(root + QStringLiteral("/overlay2"));
    for (const QString &name : d.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (name != QLatin1String("l") && QFileInfo(d.filePath(name) + QStringLiteral("/diff")).isDir())
            out << d.filePath(name) + QStringLiteral("/diff");
    }
    return out;
}

// "<cache-id> <path>" of a match, from the explorer's JSON or from a path under overlay2.
QString hitKey(const QString &cacheId, const QString &path)
{
    return cacheId + QLatin1Char(' ') + path;
}

QString hitKeyFromDisk(const QString &root, const QString &file)
{
    const QString rel = file.mid(root.size() + QStringLiteral("/overlay2/").size());
    const qsizetype slash = rel.indexOf(QLatin1Char('/'));
    return hitKey(rel.left(slash), rel.mid(slash + QStringLiteral("/diff").size()));
}

QJsonArray jsonArray(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toArray();
}

QStringList toStrings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue x : v.toArray())
        out << x.toString();
    return out;
}

// The legacy builder's wrapping, removed the way docs/docker.md says.
QString expectedClean(const QString &raw)
{
    const QString nop = QStringLiteral("/bin/sh -c #(nop) ");
    const QString sh = QStringLiteral("/bin/sh -c ");
    if (raw.startsWith(nop))
        return raw.mid(nop.size()).trimmed();
    if (raw.startsWith(sh))
        return QStringLiteral("RUN ") + raw.mid(sh.size()).trimmed();
    return raw.trimmed();
}

// `stat -c %F` words for our entry types.
QString statWord(const QString &type, qint64 size)
{
    if (type == QLatin1String("file"))
        return size == 0 ? QStringLiteral("regular empty file") : QStringLiteral("regular file");
    if (type == QLatin1String("dir"))
        return QStringLiteral("directory");
    if (type == QLatin1String("symlink"))
        return QStringLiteral("symbolic link");
    return type;
}

// `strata image commit STACK --out OUT --tag TAG --json`.
Run commitStack(const QString &stack, const QString &out, const QString &tag)
{
    return run(qEnvironmentVariable("STRATA_CLI"),
        {QStringLiteral("image"),
            QStringLiteral("commit"),
            stack,
            QStringLiteral("--out"),
            out,
            QStringLiteral("--tag"),
            tag,
            QStringLiteral("--json")});
}

// `docker save` of `ref` as dir/docker.tar; empty when it failed.
QString dockerSave(const QTemporaryDir &dir, const QString &ref)
{
    const QString saved = dir.filePath(QStringLiteral("docker.tar"));
    return docker({QStringLiteral("save"), QStringLiteral("-o"), saved, ref}).exitCode == 0 ? saved : QString();
}

// Each edit through `strata op STACK --backend kernel`; what failed first, or empty.
QString kernelEdits(const QString &stack, const QList<QStringList> &edits)
{
    for (const QStringList &edit : edits) {
        const Run r = run(qEnvironmentVariable("STRATA_CLI"),
            QStringList {QStringLiteral("op"), stack, QStringLiteral("--backend"), QStringLiteral("kernel")} + edit);
        if (r.exitCode != 0)
            return edit.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromUtf8(r.err);
    }
    return {};
}

// `docker run --rm --network none IMAGE sh -c SCRIPT`.
Run runShell(const QString &image, const QString &script)
{
    return docker({QStringLiteral("run"),
        QStringLiteral("--rm"),
        QStringLiteral("--network"),
        QStringLiteral("none"),
        image,
        QStringLiteral("sh"),
        QStringLiteral("-c"),
        script});
}

// `docker save` of `ref`, then `strata image extract` of it as dir/stack; empty when it failed.
QString extractedStack(const QTemporaryDir &dir, const QString &ref)
{
    const QString saved = dockerSave(dir, ref);
    const QString stack = dir.filePath(QStringLiteral("stack"));
    if (saved.isEmpty())
        return {};
    const Run x
        = run(qEnvironmentVariable("STRATA_CLI"), {QStringLiteral("image"), QStringLiteral("extract"), saved, stack});
    if (x.exitCode != 0)
        qWarning("strata image extract: %s", x.err.constData());
    return x.exitCode == 0 ? stack : QString();
}

// The merged view of image `ref`'s overlay2 layers in Docker's root, contents included.
std::optional<strata::test::TreeSnapshot> dockerImageView(const QString &ref)
{
    auto host = strata::DockerHost::open(DockerRoot);
    auto image = host ? host->imageIndex(ref) : strata::Result<qsizetype>(strata::Error {ENOENT, ref});
    auto layers = image ? host->imageMergeLayers(*image) : strata::Result<strata::MergeLayers>(image.error());
    auto tree = layers ? strata::MergedTree::build(*layers, host->mergeOptions())
                       : strata::Result<strata::MergedTree>(layers.error());
    if (!tree) {
        qWarning("%s: %s", qPrintable(ref), qPrintable(tree.error().message));
        return std::nullopt;
    }
    return strata::test::TreeSnapshot::fromMergedTree(*tree);
}

} // namespace

Q_DECLARE_METATYPE(Corruption)

#define REQUIRE_DOCKER()                                                                                               \
    do {                                                                                                               \
        if (!m_ready) {                                                                                                \
            if (qEnvironmentVariable("CI") == QLatin1String("true"))                                                   \
                QFAIL(qPrintable(m_whyNot + QStringLiteral(" (CI=true: this must not be skipped)")));                  \
            QSKIP(qPrintable(m_whyNot));                                                                               \
        }                                                                                                              \
    } while (0)

class TestDocker final : public QObject
{
    Q_OBJECT

private:
    bool m_ready = false;
    QString m_whyNot;
    QString m_execContainer;

    QJsonObject strataJson(const QStringList &args)
    {
        const Run r = cli(args + QStringList {QStringLiteral("--json")});
        if (r.exitCode != 0)
            qWarning("strata docker %s: exit %d: %s",
                qPrintable(args.join(QLatin1Char(' '))),
                r.exitCode,
                r.err.constData());
        return parseObject(r.out);
    }

    static QStringList testImages()
    {
        return {tag("base"),
            tag("walkthrough"),
            tag("walkthrough-whoami"),
            tag("walkthrough-root"),
            QStringLiteral("strata-test/walkthrough-root:second"),
            tag("deletions")};
    }

    // The set of "K /path" lines of the explorer's diff.
    QSet<QString> ourDiff(const QString &container, const QString &root = {})
    {
        QStringList args {QStringLiteral("diff"), container};
        if (!root.isEmpty())
            args << QStringLiteral("--root") << root;
        const QJsonObject o = strataJson(args);
        QSet<QString> s;
        for (const QJsonValue v : jsonArray(o, "changes"))
            s.insert(v.toObject().value(QStringLiteral("kind")).toString() + QLatin1Char(' ')
                + v.toObject().value(QStringLiteral("path")).toString());
        return s;
    }

    // A copy of the Docker root's image store, layers and containers (no daemon state).
    bool copyRoot(const QString &to)
    {
        QDir().mkpath(to);
        const Run r = run(QStringLiteral("cp"),
            {QStringLiteral("-ax"),
                DockerRoot + QStringLiteral("/image"),
                DockerRoot + QStringLiteral("/overlay2"),
                DockerRoot + QStringLiteral("/containers"),
                to});
        if (r.exitCode != 0)
            qWarning("cp: %s", r.err.constData());
        return r.exitCode == 0;
    }

    QString imageId(const QString &ref) { return inspect(ref, QStringLiteral(".Id")).toString(); }

    QString containerId(const QString &ref) { return inspect(ref, QStringLiteral(".Id")).toString(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(qEnvironmentVariable("STRATA_CLI")).isExecutable(), "set STRATA_CLI to the strata binary");
        if (::geteuid() != 0) {
            m_whyNot = QStringLiteral("needs root: starts dockerd and reads /var/lib/docker");
            return;
        }
        QString script = qEnvironmentVariable("STRATA_SOURCE_DIR") + QStringLiteral("/tests/docker/dockerd.sh");
        if (!QFileInfo::exists(script))
            script = QFINDTESTDATA("dockerd.sh");
        const Run r = run(QStringLiteral("bash"), {script}, 900000);
        if (r.exitCode != 0) {
            m_whyNot = QStringLiteral("tests/docker/dockerd.sh failed (exit %1): %2")
                           .arg(r.exitCode)
                           .arg(QString::fromUtf8(r.err.right(2000)));
            return;
        }
        const Run info = docker(
            {QStringLiteral("info"), QStringLiteral("--format"), QStringLiteral("{{.Driver}} {{.DockerRootDir}}")});
        if (info.exitCode != 0 || info.out.trimmed() != "overlay2 " + DockerRoot.toUtf8()) {
            m_whyNot = QStringLiteral("dockerd is not using overlay2 in %1: %2")
                           .arg(DockerRoot, QString::fromUtf8(info.out + info.err));
            return;
        }
        m_ready = true;
    }

    // --- usage and errors (no daemon needed) ------------------------------------------------
    void usage_data()
    {
        strata::test::addColumns<QStringList, int, QString>("args", "exitCode", "stderrHas");
        QTest::newRow("no command") << QStringList {} << 2 << QStringLiteral("missing command");
        QTest::newRow("unknown command") << QStringList {QStringLiteral("frob")} << 2
                                         << QStringLiteral("unknown command \"frob\"");
        QTest::newRow("layers without REF")
            << QStringList {QStringLiteral("layers")} << 2 << QStringLiteral("usage: strata docker layers REF");
        QTest::newRow("explain with one arg") << QStringList {QStringLiteral("explain"), QStringLiteral("/etc")} << 2
                                              << QStringLiteral("usage: strata docker explain REF PATH");
        QTest::newRow("unknown option") << QStringList {QStringLiteral("images"), QStringLiteral("--bogus")} << 2
                                        << QStringLiteral("unknown option --bogus");
        QTest::newRow("--root without value") << QStringList {QStringLiteral("images"), QStringLiteral("--root")} << 2
                                              << QStringLiteral("--root needs a value");
        QTest::newRow("missing root") << QStringList {QStringLiteral("images"),
            QStringLiteral("--root"),
            QStringLiteral("/nonexistent/docker")}
                                      << 1 << QStringLiteral("strata: /nonexistent/docker: No such file or directory");
        QTest::newRow("not a docker root")
            << QStringList {QStringLiteral("images"), QStringLiteral("--root"), QStringLiteral("/usr/share/doc")} << 1
            << QStringLiteral("not a Docker root");
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

    // docker-storage.md §4.2: the first four layers of wagoodman/dive's test image.
    void chainIdWorkedExample()
    {
        const QStringList diffIds {
            QStringLiteral("sha256:23bc2b70b2014dec0ac22f27bb93e9babd08cdd6f1115d0c955b9ff22b382f5a"),
            QStringLiteral("sha256:a65b7d7ac139a0e4337bc3c73ce511f937d6140ef61a0108f7d4b8aab8d67274"),
            QStringLiteral("sha256:93e208d471756ffbac88cf9c25feb442007f221d3bd73231e27b747a0a68927c"),
            QStringLiteral("sha256:4abad3abe3cb99ad7a492a9d9f6b3d66287c1646843c74128bbbec4f7be5aa9e")};
        const QStringList expected {diffIds.at(0),
            QStringLiteral("sha256:feff741eb35964a11ee9328c739beb64f43d0fd1590f0c7e44f69283bd1888ce"),
            QStringLiteral("sha256:8bbb2ee30155dbf5985e176553f4edc04c52c3c6f109635395614848d864ab25"),
            QStringLiteral("sha256:1f5007f616424603ef21dfe3fafec08c2c0a9d43c17e0f6286bd2de0e978f7db")};
        QCOMPARE(strata::ChainId::chain(diffIds), expected);
        QVERIFY(strata::ChainId::isDigest(expected.at(1)));
        QVERIFY(!strata::ChainId::isDigest(QStringLiteral("sha256:FEFF")));
    }

    void createdBy_data()
    {
        strata::test::addColumns<QString, QString>("raw", "clean");
        QTest::newRow("legacy nop") << QStringLiteral("/bin/sh -c #(nop)  CMD [\"sh\"]")
                                    << QStringLiteral("CMD [\"sh\"]");
        QTest::newRow("legacy copy") << QStringLiteral("/bin/sh -c #(nop) COPY file:8209b1 in . ")
                                     << QStringLiteral("COPY file:8209b1 in .");
        QTest::newRow("legacy run") << QStringLiteral("/bin/sh -c cat takbir.txt")
                                    << QStringLiteral("RUN cat takbir.txt");
        QTest::newRow("buildkit copy") << QStringLiteral("COPY takbir.txt . # buildkit")
                                       << QStringLiteral("COPY takbir.txt .");
        QTest::newRow("buildkit run") << QStringLiteral("RUN /bin/sh -c cat takbir.txt # buildkit")
                                      << QStringLiteral("RUN cat takbir.txt");
        QTest::newRow("buildkit plain") << QStringLiteral("USER nobody") << QStringLiteral("USER nobody");
        QTest::newRow("kaniko") << QStringLiteral("ADD README.md /somefile.txt")
                                << QStringLiteral("ADD README.md /somefile.txt");
        QTest::newRow("empty") << QString() << QString();
    }

    void createdBy()
    {
        QFETCH(QString, raw);
        QFETCH(QString, clean);
        QCOMPARE(strata::CreatedBy::clean(raw), clean);
    }

    // Content search on a synthetic root: a match that straddles two read chunks, line
    // numbers counted across chunks, progress counters, and cancellation.
    void grepStreamsAndCancels()
    {
        QTemporaryDir dir;
        const QString layer
            = dir.filePath(QStringLiteral("overlay2/") + QString(64, QLatin1Char('a')) + QStringLiteral("/diff"));
        QVERIFY(QDir().mkpath(layer + QStringLiteral("/sub")));
        QByteArray big(1024 * 1024, 'x');
        for (qsizetype i = 999; i < big.size(); i += 1000)
            big[i] = '\n';
        const qsizetype at = 256 * 1024 - 3; // across the first chunk boundary
        big.replace(at, 6, "NEEDLE");
        QFile f(layer + QStringLiteral("/sub/big.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(big);
        f.close();
        QFile g(layer + QStringLiteral("/other.txt"));
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write("no match\n");
        g.close();

        auto host = strata::DockerHost::open(dir.path());
        QVERIFY2(host.ok(), host.ok() ? "" : qPrintable(host.error().message));
        strata::DockerSearch search(*host);
        QCOMPARE(search.layers().size(), 1);
        QVector<strata::SearchHit> hits;
        strata::ScanControl control;
        const strata::Status st = search.grep(
            "NEEDLE",
            [&](const strata::SearchHit &h) {
                hits << h;
                return true;
            },
            &control);
        QVERIFY(st.ok());
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits.first().path, QByteArray("/sub/big.txt"));
        QCOMPARE(hits.first().offset, at);
        QCOMPARE(hits.first().line, static_cast<qint64>(big.left(at).count('\n') + 1));
        QVERIFY(hits.first().text.contains("NEEDLE"));
        QCOMPARE(control.entries(), 2u);
        QCOMPARE(control.directories(), 2u);

        // A cancelled search stops and says so.
        strata::ScanControl cancelled;
        const strata::Status c = search.find(
            QStringLiteral("*"),
            [&](const strata::SearchHit &) {
                cancelled.cancel();
                return true;
            },
            &cancelled);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().code, ECANCELED);
    }

    // --- against the daemon --------------------------------------------------------------------
    void imagesMatchDocker()
    {
        REQUIRE_DOCKER();
        const QJsonObject ours = strataJson({QStringLiteral("images")});
        QMap<QString, QSet<QString>> ourTags;
        QHash<QString, QJsonObject> byId;
        for (const QJsonValue v : jsonArray(ours, "images")) {
            const QJsonObject o = v.toObject();
            const QStringList tags = toStrings(o.value(QStringLiteral("tags")));
            ourTags[o.value(QStringLiteral("id")).toString()] = QSet<QString>(tags.begin(), tags.end());
            byId.insert(o.value(QStringLiteral("id")).toString(), o);
        }
        const Run r = docker({QStringLiteral("images"),
            QStringLiteral("--no-trunc"),
            QStringLiteral("--format"),
            QStringLiteral("{{.ID}} {{.Repository}}:{{.Tag}}")});
        QCOMPARE(r.exitCode, 0);
        QMap<QString, QSet<QString>> theirTags;
        for (const QString &l : lines(r.out)) {
            const QString id = l.section(QLatin1Char(' '), 0, 0);
            const QString t = l.section(QLatin1Char(' '), 1);
            theirTags[id]; // dangling images have no tag
            if (t != QLatin1String("<none>:<none>"))
                theirTags[id].insert(t);
        }
        QCOMPARE(ourTags, theirTags);
        for (const QString &t : testImages())
            QVERIFY2(theirTags.value(imageId(t)).contains(t), qPrintable(t));

        for (auto it = byId.cbegin(); it != byId.cend(); ++it) {
            const QJsonObject &o = it.value();
            QCOMPARE(
                o.value(QStringLiteral("size")).toInteger(), inspect(it.key(), QStringLiteral(".Size")).toInteger());
            QCOMPARE(o.value(QStringLiteral("layers")).toInt(),
                inspect(it.key(), QStringLiteral(".RootFS.Layers")).toArray().size());
            QCOMPARE(o.value(QStringLiteral("user")).toString(),
                inspect(it.key(), QStringLiteral(".Config.User")).toString());
            QCOMPARE(
                o.value(QStringLiteral("parent")).toString(), inspect(it.key(), QStringLiteral(".Parent")).toString());
            const QDateTime ourCreated
                = QDateTime::fromString(o.value(QStringLiteral("created")).toString().left(23), Qt::ISODateWithMs);
            const QDateTime theirCreated = QDateTime::fromString(
                inspect(it.key(), QStringLiteral(".Created")).toString().left(23), Qt::ISODateWithMs);
            QVERIFY(ourCreated.isValid());
            QCOMPARE(ourCreated, theirCreated);
        }
        // --all also lists the build steps, as `docker images -a` does.
        const Run all = docker(
            {QStringLiteral("images"), QStringLiteral("-a"), QStringLiteral("-q"), QStringLiteral("--no-trunc")});
        QSet<QString> ourAll;
        for (const QJsonValue v : jsonArray(strataJson({QStringLiteral("images"), QStringLiteral("--all")}), "images"))
            ourAll.insert(v.toObject().value(QStringLiteral("id")).toString());
        QCOMPARE(ourAll, lines(all.out));
    }

    void layers_data()
    {
        QTest::addColumn<QString>("ref");
        for (const QString &t : testImages())
            QTest::newRow(qPrintable(t)) << t;
    }

    void layers()
    {
        REQUIRE_DOCKER();
        QFETCH(QString, ref);
        const QJsonObject ours = strataJson({QStringLiteral("layers"), ref});
        const QJsonArray layers = jsonArray(ours, "layers");
        QVERIFY(!layers.isEmpty());
        QCOMPARE(ours.value(QStringLiteral("id")).toString(), imageId(ref));
        QVERIFY(ours.value(QStringLiteral("history_matches")).toBool());

        // diff IDs and the chain IDs computed independently; each names a layerdb record
        // whose cache-id is our directory.
        const QJsonArray rootfs = inspect(ref, QStringLiteral(".RootFS.Layers")).toArray();
        QCOMPARE(layers.size(), rootfs.size());
        QString chain;
        for (qsizetype k = 0; k < layers.size(); ++k) {
            const QJsonObject l = layers.at(k).toObject();
            QCOMPARE(l.value(QStringLiteral("index")).toInt(), k);
            QCOMPARE(l.value(QStringLiteral("diff_id")).toString(), rootfs.at(k).toString());
            chain = k == 0 ? rootfs.at(k).toString()
                           : sha256(chain.toLatin1() + ' ' + rootfs.at(k).toString().toLatin1());
            QCOMPARE(l.value(QStringLiteral("chain_id")).toString(), chain);
            const QString layerdb = DockerRoot + QStringLiteral("/image/overlay2/layerdb/sha256/") + chain.mid(7);
            QCOMPARE(QString::fromUtf8(readFile(layerdb + QStringLiteral("/cache-id")).trimmed()),
                l.value(QStringLiteral("cache_id")).toString());
            QCOMPARE(l.value(QStringLiteral("dir")).toString(),
                DockerRoot + QStringLiteral("/overlay2/") + l.value(QStringLiteral("cache_id")).toString());
            // l/<link> is a symbolic link to ../<cache-id>/diff
            const QString link
                = DockerRoot + QStringLiteral("/overlay2/l/") + l.value(QStringLiteral("link")).toString();
            QCOMPARE(QFileInfo(link).symLinkTarget(), l.value(QStringLiteral("diff_dir")).toString());
            QCOMPARE(l.value(QStringLiteral("problems")).toArray().size(), 0);
            // The driver's own record: `lower` names the layers below, uppermost first;
            // `committed` marks a layer with a layer on top.
            QStringList below;
            for (qsizetype j = k - 1; j >= 0; --j)
                below << layers.at(j).toObject().value(QStringLiteral("cache_id")).toString();
            QCOMPARE(toStrings(l.value(QStringLiteral("lower"))), below);
            if (k + 1 < layers.size())
                QVERIFY(l.value(QStringLiteral("committed")).toBool());
        }

        // docker inspect GraphDriver: the top layer is UpperDir, the others are LowerDir.
        const QJsonObject gd = inspect(ref, QStringLiteral(".GraphDriver.Data")).toObject();
        const QJsonObject top = layers.last().toObject();
        QCOMPARE(gd.value(QStringLiteral("UpperDir")).toString(), top.value(QStringLiteral("diff_dir")).toString());
        QCOMPARE(gd.value(QStringLiteral("MergedDir")).toString(),
            top.value(QStringLiteral("dir")).toString() + QStringLiteral("/merged"));
        QCOMPARE(gd.value(QStringLiteral("WorkDir")).toString(),
            top.value(QStringLiteral("dir")).toString() + QStringLiteral("/work"));
        QStringList lower;
        for (qsizetype k = layers.size() - 2; k >= 0; --k)
            lower << layers.at(k).toObject().value(QStringLiteral("diff_dir")).toString();
        QCOMPARE(gd.value(QStringLiteral("LowerDir")).toString(), lower.join(QLatin1Char(':')));

        // docker history --no-trunc, top first: the same entries, image IDs and sizes.
        const Run h = docker({QStringLiteral("history"),
            QStringLiteral("--no-trunc"),
            QStringLiteral("--human=false"),
            QStringLiteral("--format"),
            QStringLiteral("{\"id\":{{json .ID}},\"size\":{{json .Size}},\"created_by\":{{json .CreatedBy}}}"),
            ref});
        QCOMPARE(h.exitCode, 0);
        const QList<QByteArray> theirs = h.out.trimmed().split('\n');
        const QJsonArray history = jsonArray(ours, "history");
        QCOMPARE(history.size(), theirs.size());
        for (qsizetype i = 0; i < history.size(); ++i) {
            const QJsonObject our = history.at(history.size() - 1 - i).toObject();
            const QJsonObject their = parseObject(theirs.at(i));
            const QString raw = our.value(QStringLiteral("created_by_raw")).toString();
            QCOMPARE(raw, their.value(QStringLiteral("created_by")).toString());
            QCOMPARE(our.value(QStringLiteral("created_by")).toString(), expectedClean(raw));
            const QString id = their.value(QStringLiteral("id")).toString();
            QCOMPARE(
                our.value(QStringLiteral("image_id")).toString(), id == QLatin1String("<missing>") ? QString() : id);
            const QJsonValue li = our.value(QStringLiteral("layer_index"));
            QCOMPARE(li.isNull(), our.value(QStringLiteral("empty_layer")).toBool());
            const qint64 size
                = li.isNull() ? 0 : layers.at(li.toInt()).toObject().value(QStringLiteral("size")).toInteger();
            QCOMPARE(QString::number(size), their.value(QStringLiteral("size")).toString());
            if (!li.isNull())
                QCOMPARE(layers.at(li.toInt()).toObject().value(QStringLiteral("created_by_raw")).toString(), raw);
        }
    }

    // The walkthrough: COPY takbir.txt made the layer that holds it, RUN cat made none; the
    // variants share their first layers and directories.
    void walkthroughLayers()
    {
        REQUIRE_DOCKER();
        const QJsonArray walk = jsonArray(strataJson({QStringLiteral("layers"), tag("walkthrough")}), "layers");
        const QJsonArray whoami
            = jsonArray(strataJson({QStringLiteral("layers"), tag("walkthrough-whoami")}), "layers");
        const QJsonArray root = jsonArray(strataJson({QStringLiteral("layers"), tag("walkthrough-root")}), "layers");
        QCOMPARE(walk.size(), 3);
        QCOMPARE(whoami.size(), 4);
        QCOMPARE(root.size(), 3);
        for (qsizetype k = 0; k < walk.size(); ++k) {
            QCOMPARE(whoami.at(k).toObject().value(QStringLiteral("cache_id")),
                walk.at(k).toObject().value(QStringLiteral("cache_id")));
            QCOMPARE(root.at(k).toObject().value(QStringLiteral("cache_id")),
                walk.at(k).toObject().value(QStringLiteral("cache_id")));
        }
        const QJsonObject copy = walk.at(2).toObject();
        QVERIFY2(copy.value(QStringLiteral("created_by")).toString().startsWith(QLatin1String("COPY file:")),
            qPrintable(copy.value(QStringLiteral("created_by")).toString()));
        QCOMPARE(readFile(copy.value(QStringLiteral("diff_dir")).toString() + QStringLiteral("/app/takbir.txt")),
            QByteArray("Allahu Akbar\n"));
        QCOMPARE(walk.at(1).toObject().value(QStringLiteral("created_by")).toString(), QStringLiteral("WORKDIR /app"));
        QCOMPARE(readFile(whoami.at(3).toObject().value(QStringLiteral("diff_dir")).toString()
                     + QStringLiteral("/app/whoami.txt")),
            QByteArray("nobody\n"));
        QStringList made;
        for (const QJsonValue v : jsonArray(strataJson({QStringLiteral("layers"), tag("walkthrough")}), "history"))
            made << v.toObject().value(QStringLiteral("created_by")).toString();
        QVERIFY2(made.contains(QStringLiteral("RUN cat takbir.txt")), qPrintable(made.join(QLatin1Char('|'))));
        QVERIFY(made.contains(QStringLiteral("USER nobody")));
    }

    void containersMatchInspect()
    {
        REQUIRE_DOCKER();
        const QJsonObject ours = strataJson({QStringLiteral("containers")});
        QSet<QString> ids;
        for (const QJsonValue v : jsonArray(ours, "containers")) {
            const QJsonObject c = v.toObject();
            const QString id = c.value(QStringLiteral("id")).toString();
            ids.insert(id);
            QCOMPARE(QLatin1Char('/') + c.value(QStringLiteral("name")).toString(),
                inspect(id, QStringLiteral(".Name")).toString());
            QCOMPARE(c.value(QStringLiteral("image_id")).toString(), inspect(id, QStringLiteral(".Image")).toString());
            QCOMPARE(
                c.value(QStringLiteral("image")).toString(), inspect(id, QStringLiteral(".Config.Image")).toString());
            QCOMPARE(
                c.value(QStringLiteral("user")).toString(), inspect(id, QStringLiteral(".Config.User")).toString());
            QCOMPARE(
                c.value(QStringLiteral("running")).toBool(), inspect(id, QStringLiteral(".State.Running")).toBool());
            const QJsonObject gd = inspect(id, QStringLiteral(".GraphDriver.Data")).toObject();
            QCOMPARE(c.value(QStringLiteral("upper_dir")).toString(), gd.value(QStringLiteral("UpperDir")).toString());
            QCOMPARE(
                c.value(QStringLiteral("merged_dir")).toString(), gd.value(QStringLiteral("MergedDir")).toString());
            QCOMPARE(c.value(QStringLiteral("work_dir")).toString(), gd.value(QStringLiteral("WorkDir")).toString());
            const QStringList lower = toStrings(c.value(QStringLiteral("lower_dirs")));
            QCOMPARE(lower.join(QLatin1Char(':')), gd.value(QStringLiteral("LowerDir")).toString());
            QCOMPARE(lower.first(), c.value(QStringLiteral("init_dir")).toString());
            QVERIFY(lower.first().endsWith(QLatin1String("-init/diff")));
            QCOMPARE(c.value(QStringLiteral("problems")).toArray().size(), 0);
        }
        const Run ps
            = docker({QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("-q"), QStringLiteral("--no-trunc")});
        QCOMPARE(ids, lines(ps.out));
        QVERIFY(ids.contains(containerId(ctr("strata-walk"))));
    }

    void diff_data()
    {
        strata::test::addColumns<QString, QStringList>("container", "mustHave");
        QTest::newRow("running, changed by exec") << ctr("strata-walk")
                                                  << QStringList {QStringLiteral("D /bin/wget"),
                                                         QStringLiteral("A /etc/secret"),
                                                         QStringLiteral("C /app/takbir.txt"),
                                                         QStringLiteral("D /home/nobody")};
        QTest::newRow("stopped, opaque dir") << ctr("strata-del")
                                             << QStringList {QStringLiteral("D /data/redo/new.txt"),
                                                    QStringLiteral("A /data/redo/again.txt"),
                                                    QStringLiteral("D /data/with space.txt")};
        QTest::newRow("never started") << ctr("strata-created") << QStringList {};
    }

    void diff()
    {
        REQUIRE_DOCKER();
        QFETCH(QString, container);
        QFETCH(QStringList, mustHave);
        const Run r = docker({QStringLiteral("diff"), container});
        QCOMPARE(r.exitCode, 0);
        const QSet<QString> theirs = lines(r.out);
        const QSet<QString> ours = ourDiff(container);
        QCOMPARE(ours, theirs);
        for (const QString &m : mustHave)
            QVERIFY2(ours.contains(m), qPrintable(m));
        if (mustHave.isEmpty())
            QVERIFY(ours.isEmpty());
        // The text form prints the same lines.
        QCOMPARE(lines(cli({QStringLiteral("diff"), container}).out), theirs);
    }

    // Fresh changes of every kind made with docker exec, compared while the container runs
    // and again once it is stopped.
    void diffAfterExec()
    {
        REQUIRE_DOCKER();
        m_execContainer = QStringLiteral("strata-test-exec-%1").arg(QCoreApplication::applicationPid());
        Run r = docker({QStringLiteral("run"),
            QStringLiteral("-d"),
            QStringLiteral("--network"),
            QStringLiteral("none"),
            QStringLiteral("--name"),
            m_execContainer,
            tag("deletions"),
            QStringLiteral("sleep"),
            QStringLiteral("1000000")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString script = QStringLiteral(
            "set -e; chmod 700 /data/keep; touch /data/needle.txt; rm -rf /data/file2dir; echo x > /data/file2dir;"
            "rm /bin/ls; rm -rf /home; mkdir -p /a/b/c; rm -rf /a/b; ln -s /etc/passwd /data/link;"
            "chown 65534 /etc/group; mv /data/redo /data/redo2; mkdir /data/keep/new; echo same > /tmp/s;"
            "cat /etc/passwd > /tmp/p; cat /tmp/p > /etc/passwd; mknod /data/fifo p; rm "
            "/data/keep/new/../../needle.txt;"
            "mkdir /data/needle.txt");
        r = docker({QStringLiteral("exec"), m_execContainer, QStringLiteral("sh"), QStringLiteral("-c"), script});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QSet<QString> running = lines(docker({QStringLiteral("diff"), m_execContainer}).out);
        QVERIFY(running.contains(QStringLiteral("D /bin/ls")));
        QCOMPARE(ourDiff(m_execContainer), running);
        r = docker({QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("1"), m_execContainer});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(ourDiff(m_execContainer), lines(docker({QStringLiteral("diff"), m_execContainer}).out));
        docker({QStringLiteral("rm"), QStringLiteral("-f"), m_execContainer});
        m_execContainer.clear();
    }

    void find()
    {
        REQUIRE_DOCKER();
        for (const QString &pattern : {QStringLiteral("*.txt"), QStringLiteral("wget"), QStringLiteral("takbir*")}) {
            QSet<QString> ours;
            QSet<QString> whiteouts;
            for (const QJsonValue v : jsonArray(strataJson({QStringLiteral("find"), pattern}), "matches")) {
                const QJsonObject o = v.toObject();
                const QString key = hitKey(
                    o.value(QStringLiteral("cache_id")).toString(), o.value(QStringLiteral("path")).toString());
                ours.insert(key);
                if (o.value(QStringLiteral("kind")).toString() == QLatin1String("whiteout"))
                    whiteouts.insert(key);
            }
            const QStringList dirs = diffDirs(DockerRoot);
            const Run r = run(QStringLiteral("find"), dirs + QStringList {QStringLiteral("-name"), pattern});
            QCOMPARE(r.exitCode, 0);
            QSet<QString> theirs;
            for (const QString &l : lines(r.out))
                theirs.insert(hitKeyFromDisk(DockerRoot, l));
            QCOMPARE(ours, theirs);
            const Run c = run(QStringLiteral("find"),
                dirs + QStringList {QStringLiteral("-name"), pattern, QStringLiteral("-type"), QStringLiteral("c")});
            QSet<QString> devices;
            for (const QString &l : lines(c.out))
                devices.insert(hitKeyFromDisk(DockerRoot, l));
            QCOMPARE(whiteouts, devices);
        }
        // --in: only the layers of one container; its deletion shows as a whiteout in its upper.
        const QJsonObject in
            = strataJson({QStringLiteral("find"), QStringLiteral("wget"), QStringLiteral("--in"), ctr("strata-walk")});
        QStringList kinds;
        for (const QJsonValue v : jsonArray(in, "matches"))
            kinds << v.toObject().value(QStringLiteral("role")).toString() + QLatin1Char('/')
                    + v.toObject().value(QStringLiteral("kind")).toString();
        kinds.sort();
        QCOMPARE(kinds, (QStringList {QStringLiteral("container/whiteout"), QStringLiteral("layer/symlink")}));
    }

    void grep()
    {
        REQUIRE_DOCKER();
        for (const QString &text :
            {QStringLiteral("needle in a layer"), QStringLiteral("Allahu"), QStringLiteral("BusyBox is copyrighted")}) {
            QSet<QString> ours;
            for (const QJsonValue v : jsonArray(strataJson({QStringLiteral("grep"), text}), "matches")) {
                const QJsonObject o = v.toObject();
                ours.insert(
                    hitKey(o.value(QStringLiteral("cache_id")).toString(), o.value(QStringLiteral("path")).toString()));
                QVERIFY(o.value(QStringLiteral("line")).toInt() >= 1);
            }
            const Run r = run(QStringLiteral("grep"),
                QStringList {
                    QStringLiteral("-rlF"), QStringLiteral("-D"), QStringLiteral("skip"), QStringLiteral("--"), text}
                    + diffDirs(DockerRoot));
            QSet<QString> theirs;
            for (const QString &l : lines(r.out))
                theirs.insert(hitKeyFromDisk(DockerRoot, l));
            QVERIFY2(!theirs.isEmpty(), qPrintable(text));
            QCOMPARE(ours, theirs);
        }
    }

    void explain_data()
    {
        strata::test::addColumns<QString, QString, bool, QString>("ref", "path", "container", "winnerRole");
        QTest::newRow("changed in the container")
            << ctr("strata-walk") << QStringLiteral("/app/takbir.txt") << true << QStringLiteral("upper");
        QTest::newRow("deleted in the container")
            << ctr("strata-walk") << QStringLiteral("/bin/wget") << true << QStringLiteral("upper");
        QTest::newRow("added in the container")
            << ctr("strata-walk") << QStringLiteral("/etc/secret") << true << QStringLiteral("upper");
        QTest::newRow("from the init layer")
            << ctr("strata-walk") << QStringLiteral("/.dockerenv") << true << QStringLiteral("init");
        QTest::newRow("from the image") << ctr("strata-walk") << QStringLiteral("/bin/busybox") << true
                                        << QStringLiteral("layer");
        QTest::newRow("symlink in the image")
            << ctr("strata-walk") << QStringLiteral("/bin/sh") << true << QStringLiteral("layer");
        QTest::newRow("file replaced by a dir")
            << tag("deletions") << QStringLiteral("/data/file2dir") << false << QStringLiteral("layer");
        QTest::newRow("deleted dir") << tag("deletions") << QStringLiteral("/data/gone") << false
                                     << QStringLiteral("layer");
        QTest::newRow("under a deleted dir")
            << tag("deletions") << QStringLiteral("/data/gone/b.txt") << false << QString();
        QTest::newRow("re-created dir, old file")
            << tag("deletions") << QStringLiteral("/data/redo/old.txt") << false << QString();
        QTest::newRow("re-created dir, new file")
            << tag("deletions") << QStringLiteral("/data/redo/new.txt") << false << QStringLiteral("layer");
        QTest::newRow("deleted by the image")
            << tag("deletions") << QStringLiteral("/bin/vi") << false << QStringLiteral("layer");
        QTest::newRow("never anywhere") << tag("deletions") << QStringLiteral("/no/such/file") << false << QString();
    }

    void tree_data()
    {
        strata::test::addColumns<QString, QString, QString>("ref", "path", "layer");
        QTest::newRow("added in the container")
            << ctr("strata-walk") << QStringLiteral("/etc/secret") << QStringLiteral("upper");
        QTest::newRow("from the init layer")
            << ctr("strata-walk") << QStringLiteral("/.dockerenv") << QStringLiteral("init");
        QTest::newRow("from the image") << tag("deletions") << QStringLiteral("/data/redo/new.txt")
                                        << QStringLiteral("layer");
    }

    // `tree REF` on an overlay2 root: the merged view, each name with the layer it comes from.
    void tree()
    {
        REQUIRE_DOCKER();
        QFETCH(QString, ref);
        QFETCH(QString, path);
        QFETCH(QString, layer);
        const Run r = cli({QStringLiteral("tree"), ref, QStringLiteral("--visible")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QRegularExpression line(
            QStringLiteral("^\\S+ +\\d+  %1[^(]*\\([^)]*\\) +%2$").arg(layer, QRegularExpression::escape(path)),
            QRegularExpression::MultilineOption);
        QVERIFY2(QString::fromUtf8(r.out).contains(line), qPrintable(path));
    }

    // The path as the container (docker exec) or the image (docker run) really sees it.
    void explain()
    {
        REQUIRE_DOCKER();
        QFETCH(QString, ref);
        QFETCH(QString, path);
        QFETCH(bool, container);
        QFETCH(QString, winnerRole);
        const QJsonObject x = strataJson({QStringLiteral("explain"), ref, path});
        QVERIFY(!x.isEmpty());
        const QStringList prefix = container
            ? QStringList {QStringLiteral("exec"), QStringLiteral("-u"), QStringLiteral("0"), ref}
            : QStringList {QStringLiteral("run"),
                QStringLiteral("--rm"),
                QStringLiteral("--network"),
                QStringLiteral("none"),
                ref};
        const Run st
            = docker(prefix + QStringList {QStringLiteral("stat"), QStringLiteral("-c"), QStringLiteral("%F"), path});
        const bool visible = x.value(QStringLiteral("visible")).toBool();
        QCOMPARE(visible, st.exitCode == 0);
        const QJsonArray layers = jsonArray(x, "layers");
        const QJsonValue winner = x.value(QStringLiteral("winner"));
        QCOMPARE(winner.isNull(), winnerRole.isEmpty());
        if (winner.isNull())
            return;
        const QJsonObject w = layers.at(winner.toInt()).toObject();
        QCOMPARE(w.value(QStringLiteral("role")).toString(), winnerRole);
        if (!visible) {
            QCOMPARE(w.value(QStringLiteral("status")).toString(), QStringLiteral("deletes"));
            QCOMPARE(w.value(QStringLiteral("type")).toString(), QStringLiteral("whiteout"));
            return;
        }
        QCOMPARE(w.value(QStringLiteral("status")).toString(), QStringLiteral("provides"));
        QCOMPARE(statWord(x.value(QStringLiteral("type")).toString(), w.value(QStringLiteral("size")).toInteger()),
            QString::fromUtf8(st.out.trimmed()));
        if (x.value(QStringLiteral("type")).toString() == QLatin1String("file")) {
            const Run cat = docker(prefix + QStringList {QStringLiteral("cat"), path});
            QCOMPARE(readFile(w.value(QStringLiteral("dir")).toString() + path), cat.out);
        }
        // Every other layer that has the path is accounted for.
        for (const QJsonValue v : layers) {
            const QJsonObject l = v.toObject();
            if (l.value(QStringLiteral("present")).toBool())
                QVERIFY(l.value(QStringLiteral("status")).toString() != QLatin1String("absent"));
            else
                QVERIFY(QStringList({QStringLiteral("absent"), QStringLiteral("merged")})
                            .contains(l.value(QStringLiteral("status")).toString()));
        }
    }

    void explainHidden()
    {
        REQUIRE_DOCKER();
        // /data/redo/old.txt is still in layer 1, but the layer above deleted /data/redo and made it again.
        const QJsonObject x
            = strataJson({QStringLiteral("explain"), tag("deletions"), QStringLiteral("/data/redo/old.txt")});
        bool found = false;
        for (const QJsonValue v : jsonArray(x, "layers")) {
            const QJsonObject l = v.toObject();
            if (l.value(QStringLiteral("present")).toBool()) {
                QCOMPARE(l.value(QStringLiteral("image_layer")).toInt(), 1);
                QCOMPARE(l.value(QStringLiteral("status")).toString(), QStringLiteral("not_reached"));
                QVERIFY2(l.value(QStringLiteral("note")).toString().contains(QLatin1String("/data/redo is")),
                    qPrintable(l.value(QStringLiteral("note")).toString()));
                found = true;
            }
        }
        QVERIFY(found);
        // The danger of merged/ is said for containers.
        const QJsonObject c = strataJson({QStringLiteral("explain"), ctr("strata-walk"), QStringLiteral("/app")});
        QVERIFY(toStrings(c.value(QStringLiteral("summary")))
                    .join(QLatin1Char(' '))
                    .contains(QLatin1String("whatever USER")));
    }

    // Bad metadata in a copy of the root: a clear error naming the file, and the rest shown.
    void corruptCopy_data()
    {
        QTest::addColumn<Corruption>("what");
        QTest::newRow("truncated image config") << Corruption::ImageConfig;
        QTest::newRow("corrupt repositories.json") << Corruption::Repositories;
        QTest::newRow("truncated container config") << Corruption::ContainerConfig;
        QTest::newRow("garbage in layerdb diff") << Corruption::LayerdbDiff;
        QTest::newRow("l/ link replaced by a file") << Corruption::Link;
    }

    void corruptCopy()
    {
        REQUIRE_DOCKER();
        QFETCH(Corruption, what);
        QTemporaryDir tmp;
        const QString root = tmp.filePath(QStringLiteral("docker"));
        QVERIFY(copyRoot(root));
        const QString walkId = imageId(tag("walkthrough")).mid(7);
        const QString ctrId = containerId(ctr("strata-walk"));
        QString bad;
        auto truncate = [](const QString &file, const QByteArray &with = {}) {
            QFile f(file);
            const QByteArray data = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
            f.close();
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(with.isNull() ? data.left(data.size() / 2) : with);
        };
        switch (what) {
        case Corruption::ImageConfig:
            bad = root + QStringLiteral("/image/overlay2/imagedb/content/sha256/") + walkId;
            truncate(bad);
            break;
        case Corruption::Repositories:
            bad = root + QStringLiteral("/image/overlay2/repositories.json");
            truncate(bad, "{\"Repositories\": {\"x\": ");
            break;
        case Corruption::ContainerConfig:
            bad = root + QStringLiteral("/containers/") + ctrId + QStringLiteral("/config.v2.json");
            truncate(bad);
            break;
        case Corruption::LayerdbDiff: {
            const QString chain
                = jsonAt(strataJson({QStringLiteral("layers"), tag("walkthrough")}), "layers", 2, "chain_id")
                      .toString();
            bad = root + QStringLiteral("/image/overlay2/layerdb/sha256/") + chain.mid(7) + QStringLiteral("/diff");
            truncate(bad, "not a digest\n");
            break;
        }
        case Corruption::Link: {
            const QString link
                = jsonAt(strataJson({QStringLiteral("layers"), tag("base")}), "layers", 0, "link").toString();
            bad = root + QStringLiteral("/overlay2/l/") + link;
            QVERIFY(QFile::remove(bad));
            truncate(bad, "not a link");
            break;
        }
        }

        // --all: without tags, parent images count as build steps and `images` leaves them out.
        const Run images = cli({QStringLiteral("images"),
            QStringLiteral("--all"),
            QStringLiteral("--root"),
            root,
            QStringLiteral("--json")});
        QCOMPARE(images.exitCode, 0);
        QVERIFY2(
            QString::fromUtf8(images.err).contains(QStringLiteral("strata: warning: ") + bad), images.err.constData());
        const QJsonObject o = parseObject(images.out);
        QVERIFY(!o.isEmpty());
        bool problemNamesFile = false;
        for (const QJsonValue v : jsonArray(o, "problems"))
            problemNamesFile = problemNamesFile
                || QString(v.toObject().value(QStringLiteral("path")).toString()
                    + v.toObject().value(QStringLiteral("message")).toString())
                       .contains(bad);
        QVERIFY(problemNamesFile);
        // Every image is still listed, with its tags unless the tags themselves were lost.
        QSet<QString> ids;
        QSet<QString> tags;
        for (const QJsonValue v : jsonArray(o, "images")) {
            ids.insert(v.toObject().value(QStringLiteral("id")).toString());
            for (const QString &t : toStrings(v.toObject().value(QStringLiteral("tags"))))
                tags.insert(t);
        }
        for (const QString &t : testImages()) {
            QVERIFY2(ids.contains(imageId(t)), qPrintable(t));
            if (what != Corruption::Repositories)
                QVERIFY2(tags.contains(t), qPrintable(t));
        }
        // And the containers, and the diff of the container whose config is broken.
        const QJsonObject cs = parseObject(
            cli({QStringLiteral("containers"), QStringLiteral("--root"), root, QStringLiteral("--json")}).out);
        QCOMPARE(jsonArray(cs, "containers").size(),
            lines(docker({QStringLiteral("ps"), QStringLiteral("-aq")}).out).size());
        QCOMPARE(ourDiff(ctrId, root), lines(docker({QStringLiteral("diff"), ctrId}).out));

        if (what == Corruption::ImageConfig) {
            const Run l
                = cli({QStringLiteral("layers"), QStringLiteral("sha256:") + walkId, QStringLiteral("--root"), root});
            QCOMPARE(l.exitCode, 1);
            QVERIFY2(
                l.err.contains(QFile::encodeName(bad)) && l.err.contains("not valid JSON at line"), l.err.constData());
        }
        if (what == Corruption::LayerdbDiff) {
            const QJsonObject l = parseObject(cli({QStringLiteral("layers"),
                                                      tag("walkthrough"),
                                                      QStringLiteral("--root"),
                                                      root,
                                                      QStringLiteral("--json")})
                                                  .out);
            QVERIFY(!jsonAt(l, "layers", 2, "problems").toArray().isEmpty());
            QVERIFY(jsonAt(l, "layers", 1, "problems").toArray().isEmpty());
        }
    }

    // Without root: says what it cannot read, fails nothing, shows what it can.
    void nonRoot()
    {
        REQUIRE_DOCKER();
        Run r = cli({QStringLiteral("images")}, QStringLiteral("65534"));
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("cannot look inside") && r.err.contains("Permission denied"), r.err.constData());

        QTemporaryDir tmp;
        QVERIFY(QFile::setPermissions(
            tmp.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther));
        const QString root = tmp.filePath(QStringLiteral("docker"));
        QVERIFY(copyRoot(root));
        QCOMPARE(run(QStringLiteral("chmod"), {QStringLiteral("-R"), QStringLiteral("a+rX"), root}).exitCode, 0);
        const QString hidden
            = root + QStringLiteral("/image/overlay2/imagedb/content/sha256/") + imageId(tag("deletions")).mid(7);
        QVERIFY(QFile::setPermissions(hidden, QFile::ReadOwner));
        r = cli({QStringLiteral("images"), QStringLiteral("--root"), root, QStringLiteral("--json")},
            QStringLiteral("65534"));
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(QByteArray(QFile::encodeName(hidden) + ": Permission denied")), r.err.constData());
        QSet<QString> tags;
        for (const QJsonValue v : jsonArray(parseObject(r.out), "images")) {
            for (const QString &t : toStrings(v.toObject().value(QStringLiteral("tags"))))
                tags.insert(t);
        }
        QVERIFY(tags.contains(tag("walkthrough")));
        QVERIFY(tags.contains(tag("deletions"))); // listed from repositories.json, unreadable config
    }

    // Last: a listing of the Docker root before and after the explorer ran every command.
    void readOnly()
    {
        REQUIRE_DOCKER();
        const auto before = listing(DockerRoot);
        QVERIFY(before.size() > 100);
        QStringList refs = testImages();
        QList<QStringList> runs {{QStringLiteral("images")},
            {QStringLiteral("images"), QStringLiteral("--all")},
            {QStringLiteral("containers")},
            {QStringLiteral("find"), QStringLiteral("*")},
            {QStringLiteral("grep"), QStringLiteral("Akbar")}};
        for (const QString &t : refs)
            runs << QStringList {QStringLiteral("layers"), t}
                 << QStringList {QStringLiteral("explain"), t, QStringLiteral("/bin/sh")};
        for (const QString &c : lines(docker({QStringLiteral("ps"), QStringLiteral("-aq")}).out))
            runs << QStringList {QStringLiteral("diff"), c}
                 << QStringList {QStringLiteral("explain"), c, QStringLiteral("/etc/hosts")};
        for (const QStringList &args : std::as_const(runs)) {
            QCOMPARE(cli(args).exitCode, 0);
            QCOMPARE(cli(args + QStringList {QStringLiteral("--json")}).exitCode, 0);
        }
        const auto after = listing(DockerRoot);
        for (auto it = before.cbegin(); it != before.cend(); ++it)
            QVERIFY2(after.value(it.key()) == it.value(),
                qPrintable(QStringLiteral("changed: %1").arg(QString::fromUtf8(it.key()))));
        QCOMPARE(after.size(), before.size());
    }

    // `docker save` of an image with deletions and a re-created directory, and skopeo's OCI
    // copies of it (oci-archive, gzip and zstd layouts): each archive's merged view, read in
    // place, equals the one of the image's overlay2 layers (read-only) in Docker's root.
    void archivesMatchOverlay2()
    {
        REQUIRE_DOCKER();
        const QString skopeo = QStandardPaths::findExecutable(QStringLiteral("skopeo"));
        if (skopeo.isEmpty()) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL("needs skopeo (apt-get install skopeo)");
            QSKIP("needs skopeo (apt-get install skopeo)");
        }
        QTemporaryDir dir;
        const QString ref = tag("deletions");
        const QString saved = dir.filePath(QStringLiteral("docker.tar"));
        QCOMPARE(docker({QStringLiteral("save"), QStringLiteral("-o"), saved, ref}).exitCode, 0);
        const QString source = QStringLiteral("docker-archive:") + saved;
        const QStringList archives {saved,
            dir.filePath(QStringLiteral("oci.tar")),
            dir.filePath(QStringLiteral("oci-gzip")),
            dir.filePath(QStringLiteral("oci-zstd"))};
        const QList<QStringList> copies {{QStringLiteral("oci-archive:") + archives[1] + QStringLiteral(":deletions")},
            {QStringLiteral("--dest-compress-format"),
                QStringLiteral("gzip"),
                QStringLiteral("oci:") + archives[2] + QStringLiteral(":deletions")},
            {QStringLiteral("--dest-compress-format"),
                QStringLiteral("zstd"),
                QStringLiteral("oci:") + archives[3] + QStringLiteral(":deletions")}};
        for (const QStringList &to : copies) {
            QStringList args {QStringLiteral("--insecure-policy"), QStringLiteral("copy")};
            args << to.mid(0, to.size() - 1) << source << to.last();
            const Run r = run(skopeo, args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }

        auto host = strata::DockerHost::open(DockerRoot);
        QVERIFY(host.ok());
        auto image = host->imageIndex(ref);
        QVERIFY(image.ok());
        auto view = dockerImageView(ref);
        QVERIFY(view);
        strata::test::TreeSnapshot want = *view;
        want.dropContent();
        QVERIFY(want.records().contains("/data/redo/new.txt"));
        QVERIFY(!want.records().contains("/data/redo/old.txt"));
        for (const QString &path : archives) {
            auto store = strata::ArchiveStore::open(path);
            QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
            auto index = (*store)->select(path == saved ? ref : QStringLiteral("deletions"));
            QVERIFY(index.ok());
            QCOMPARE((*store)->imageAt(*index).diffIds, host->imageAt(*image).diffIds);
            for (const auto &check : (*store)->verify(*index))
                QVERIFY2(check.problems.isEmpty(), qPrintable(check.problems.join(QLatin1Char('\n'))));
            auto layers = (*store)->imageMergeLayers(*index);
            QVERIFY(layers.ok());
            auto tree = strata::MergedTree::build(*layers);
            QVERIFY(tree.ok());
            QVERIFY2(tree->warnings().isEmpty(), qPrintable(tree->warnings().join(QLatin1Char('\n'))));
            strata::test::TreeSnapshot got = strata::test::TreeSnapshot::fromMergedTree(*tree);
            got.dropContent();
            const QString diff = want.diff(got);
            QVERIFY2(diff.isEmpty(), qPrintable(path + QStringLiteral(":\n") + diff));
        }
    }

    // `strata image extract` of a `docker save` (deletions, a re-created directory): the
    // extracted stack's merged view, contents included, equals the image's overlay2 layers in
    // Docker's root, and `docker export` of a container of it shows the same names (what
    // Docker's init layer adds aside). tst_archive_kernel proves a kernel mount of an
    // extracted stack equal to this view.
    void extractMatchesDocker()
    {
        REQUIRE_DOCKER();
        QTemporaryDir dir;
        const QString ref = tag("deletions");
        const QString saved = dockerSave(dir, ref);
        QVERIFY(!saved.isEmpty());
        const QString stack = dir.filePath(QStringLiteral("stack"));
        const Run x = run(qEnvironmentVariable("STRATA_CLI"),
            {QStringLiteral("image"), QStringLiteral("extract"), saved, stack, QStringLiteral("--json")});
        QVERIFY2(x.exitCode == 0, x.err.constData());
        QVERIFY(parseObject(x.out).value(QStringLiteral("refused")).toArray().isEmpty());

        const auto want = dockerImageView(ref);
        QVERIFY(want);
        auto ws = strata::Workspace::load(stack);
        QVERIFY(ws.ok());
        auto layers = ws->mergeLayers(0);
        QVERIFY(layers.ok());
        auto tree = strata::MergedTree::build(*layers, ws->overlays().first().options.mergeOptions());
        QVERIFY(tree.ok());
        const strata::test::TreeSnapshot got = strata::test::TreeSnapshot::fromMergedTree(*tree);
        const QString diff = want->diff(got);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QVERIFY(got.records().contains("/data/redo/new.txt"));
        QVERIFY(!got.records().contains("/data/redo/old.txt"));

        const QString name = QStringLiteral("strata-extract-") + V;
        docker({QStringLiteral("rm"), QStringLiteral("-f"), name});
        QCOMPARE(docker({QStringLiteral("create"),
                            QStringLiteral("--network"),
                            QStringLiteral("none"),
                            QStringLiteral("--name"),
                            name,
                            ref,
                            QStringLiteral("true")})
                     .exitCode,
            0);
        const QString exported = dir.filePath(QStringLiteral("export.tar"));
        const Run e = docker({QStringLiteral("export"), QStringLiteral("-o"), exported, name});
        docker({QStringLiteral("rm"), QStringLiteral("-f"), name});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        const Run listed = run(QStringLiteral("tar"), {QStringLiteral("-tf"), exported});
        QCOMPARE(listed.exitCode, 0);
        QSet<QByteArray> fromExport;
        for (QByteArray l : listed.out.split('\n')) {
            while (l.endsWith('/'))
                l.chop(1);
            if (!l.isEmpty())
                fromExport.insert('/' + l);
        }
        // What Docker's init layer adds to every container (daemon/initlayer).
        const QSet<QByteArray> init {"/.dockerenv",
            "/dev",
            "/dev/console",
            "/dev/pts",
            "/dev/shm",
            "/etc",
            "/etc/hostname",
            "/etc/hosts",
            "/etc/mtab",
            "/etc/resolv.conf",
            "/proc",
            "/sys"};
        QSet<QByteArray> ours;
        for (auto it = got.records().cbegin(); it != got.records().cend(); ++it) {
            if (it.key() != "/")
                ours.insert(it.key());
        }
        QCOMPARE(fromExport - init, ours - init);
    }

    // extract → edits through the kernel (`strata op --backend kernel`: a mount of its own in
    // a private namespace) → `strata image commit` → `docker load` → `docker run` shows the
    // new file, not the deleted one, and only the new content of a directory made again.
    void commitLoadsAndRuns()
    {
        REQUIRE_DOCKER();
        QTemporaryDir dir;
        const QString stack = extractedStack(dir, tag("deletions"));
        QVERIFY(!stack.isEmpty());
        const QList<QStringList> edits {
            {QStringLiteral("write"), QStringLiteral("/data/committed.txt"), QStringLiteral("from strata")},
            {QStringLiteral("rm"), QStringLiteral("/data/needle.txt")},
            {QStringLiteral("rm-r"), QStringLiteral("/data/redo")},
            {QStringLiteral("mkdir"), QStringLiteral("/data/redo")},
            {QStringLiteral("write"), QStringLiteral("/data/redo/fresh.txt"), QStringLiteral("fresh")}};
        const QString failed = kernelEdits(stack, edits);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QVERIFY(QFileInfo(stack + QStringLiteral("/upper/data/committed.txt")).isFile());

        const QString committed = QStringLiteral("strata-test/committed:") + V;
        const QString out = dir.filePath(QStringLiteral("committed.tar"));
        const Run c = commitStack(stack, out, committed);
        QVERIFY2(c.exitCode == 0, c.err.constData());
        const QJsonObject made = parseObject(c.out);
        QCOMPARE(made.value(QStringLiteral("layer")).toObject().value(QStringLiteral("whiteouts")).toInt(), 1);
        QCOMPARE(made.value(QStringLiteral("layer")).toObject().value(QStringLiteral("opaque")).toInt(), 1);
        // What we wrote reads back as an image archive, with a history entry for the commit.
        auto store = strata::ArchiveStore::open(out);
        QVERIFY(store.ok());
        QCOMPARE((*store)->imageAt(0).history.last().createdByRaw, QStringLiteral("strata commit"));
        for (const auto &check : (*store)->verify(0))
            QVERIFY2(check.problems.isEmpty(), qPrintable(check.problems.join(QLatin1Char('\n'))));

        docker({QStringLiteral("rmi"), QStringLiteral("-f"), committed});
        const Run load = docker({QStringLiteral("load"), QStringLiteral("-i"), out});
        QVERIFY2(load.exitCode == 0, load.err.constData());
        QCOMPARE(inspect(committed, QStringLiteral(".Id")).toString(), made.value(QStringLiteral("id")).toString());
        const Run shown = runShell(committed,
            QStringLiteral("cat /data/committed.txt; ls /data/redo; test -e /data/needle.txt && echo needle; "
                           "cat /data/keep/../with\\ space.txt"));
        docker({QStringLiteral("rmi"), QStringLiteral("-f"), committed});
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        QCOMPARE(shown.out, QByteArray("from strata\nfresh.txt\nfive\n"));
    }

    // dive's figures of an image built here, computed by hand.
    void analysisByHand()
    {
        REQUIRE_DOCKER();
        const QString ref = tag("waste");
        auto host = strata::DockerHost::open(DockerRoot);
        QVERIFY(host.ok());
        auto image = host->imageIndex(ref);
        QVERIFY(image.ok());
        auto a = strata::ImageAnalyzer::analyze(*host, *image);
        QVERIFY2(a.ok(), a.ok() ? "" : qPrintable(a.error().message));
        QVERIFY2(a->warnings.isEmpty(), qPrintable(a->warnings.join(QLatin1Char('\n'))));
        // Layer 0 is dockerd.sh's rootfs: busybox, its links (0 bytes), passwd and group.
        const qint64 base = QFileInfo(QStringLiteral("/bin/busybox")).size()
            + qint64(std::strlen("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home/nobody:/bin/sh\n"))
            + qint64(std::strlen("root:x:0:\nnogroup:x:65534:\n"));
        QCOMPARE(a->layers.size(), 6);
        const QVector<qint64> sizes {base, 1000, 0, 4, 8, 12};
        for (int k = 0; k < 6; ++k)
            QCOMPARE(qint64(a->layers[k].sizeBytes), sizes[k]);
        QCOMPARE(a->layers[1].command, QStringLiteral("head -c 1000 /dev/zero > /big.bin"));
        QCOMPARE(a->layers[2].removed, 1);
        QCOMPARE(a->layers[3].added, 1);
        QCOMPARE(a->layers[4].modified, 1);
        QCOMPARE(a->layers[5].modified, 1);
        QCOMPARE(qint64(a->sizeBytes), base + 1024);
        QCOMPARE(a->userSizeBytes, 1024);
        // /big.bin: 1000 + its whiteout (0); /m.txt: 4 + 8 + 12. Both inefficient, copies included.
        QCOMPARE(a->inefficientBytes, 1000 + 24);
        QCOMPARE(a->userWastedPercent, 1.0);
        QVERIFY(a->efficiency == double(base + 0 + 4) / double(base + 1000 + 24));
        QCOMPARE(a->fileReferences.size(), 2);
        QCOMPARE(a->fileReferences[0].path, QByteArrayLiteral("/big.bin"));
        QCOMPARE(a->fileReferences[0].count, 2u);
        QCOMPARE(a->fileReferences[1].path, QByteArrayLiteral("/m.txt"));
        QCOMPARE(a->fileReferences[1].count, 3u);
        QCOMPARE(a->fileReferences[1].sizeBytes, 24);
    }

    // The same figures from the Docker store (overlay2 directories) and from `docker save`:
    // whiteouts and opaque directories read as the tar would hold them.
    void analysisSameFromArchive_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("waste") << QStringLiteral("waste");
        QTest::newRow("deletions, opaque directories") << QStringLiteral("deletions");
        QTest::newRow("walkthrough") << QStringLiteral("walkthrough");
    }

    void analysisSameFromArchive()
    {
        REQUIRE_DOCKER();
        QFETCH(QString, name);
        const QString ref = tag(qPrintable(name));
        auto host = strata::DockerHost::open(DockerRoot);
        QVERIFY(host.ok());
        auto image = host->imageIndex(ref);
        QVERIFY(image.ok());
        auto a = strata::ImageAnalyzer::analyze(*host, *image);
        QVERIFY(a.ok());
        QTemporaryDir dir;
        const QString saved = dir.filePath(QStringLiteral("saved.tar"));
        QCOMPARE(docker({QStringLiteral("save"), QStringLiteral("-o"), saved, ref}).exitCode, 0);
        auto store = strata::ArchiveStore::open(saved);
        QVERIFY(store.ok());
        auto index = (*store)->select(ref);
        QVERIFY(index.ok());
        auto b = strata::ImageAnalyzer::analyze(**store, *index);
        QVERIFY(b.ok());
        QCOMPARE(b->sizeBytes, a->sizeBytes);
        QCOMPARE(b->inefficientBytes, a->inefficientBytes);
        QCOMPARE(b->wastedBytesOpaqueAware, a->wastedBytesOpaqueAware);
        QVERIFY(b->efficiency == a->efficiency);
        QVERIFY(b->efficiencyOpaqueAware == a->efficiencyOpaqueAware);
        QCOMPARE(b->layers.size(), a->layers.size());
        for (qsizetype k = 0; k < a->layers.size(); ++k) {
            QCOMPARE(b->layers[k].sizeBytes, a->layers[k].sizeBytes);
            QCOMPARE(b->layers[k].command, a->layers[k].command);
            QCOMPARE(b->layers[k].added, a->layers[k].added);
            QCOMPARE(b->layers[k].modified, a->layers[k].modified);
            QCOMPARE(b->layers[k].removed, a->layers[k].removed);
            QCOMPARE(b->layers[k].opaqueDirectories, a->layers[k].opaqueDirectories);
        }
        QCOMPARE(b->fileReferences.size(), a->fileReferences.size());
        for (qsizetype i = 0; i < a->fileReferences.size(); ++i) {
            QCOMPARE(b->fileReferences[i].path, a->fileReferences[i].path);
            QCOMPARE(b->fileReferences[i].sizeBytes, a->fileReferences[i].sizeBytes);
        }
        if (name == QLatin1String("deletions"))
            QVERIFY(a->wastedBytesOpaqueAware > a->inefficientBytes); // dive misses what they hide
    }

    // `strata compare` (docs/analysis.md), Docker as the oracle for what two images share: the
    // walkthrough built with and without `COPY whoami.txt .` differs by that file alone, and
    // shares the layers `docker inspect` lists for both.
    void compareWalkthroughBuilds()
    {
        REQUIRE_DOCKER();
        const QString a = tag("walkthrough");
        const QString b = tag("walkthrough-whoami");
        const Run r = run(qEnvironmentVariable("STRATA_CLI"),
            {QStringLiteral("compare"),
                QStringLiteral("docker:") + a,
                QStringLiteral("docker:") + b,
                QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = parseObject(r.out);
        const QJsonArray changes = jsonArray(o, "changes");
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.at(0).toObject().value(QStringLiteral("path")).toString(), QStringLiteral("/app/whoami.txt"));
        QCOMPARE(changes.at(0).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("A"));
        QCOMPARE(changes.at(0).toObject().value(QStringLiteral("size_b")).toInt(), 7); // "nobody\n"
        QStringList shared;
        const QJsonArray layersB = inspect(b, QStringLiteral(".RootFS.Layers")).toArray();
        for (const QJsonValue v : inspect(a, QStringLiteral(".RootFS.Layers")).toArray())
            if (layersB.contains(v))
                shared << v.toString();
        QVERIFY(!shared.isEmpty());
        QStringList ours;
        for (const QJsonValue v : jsonArray(o, "shared_layers"))
            ours << v.toString();
        QCOMPARE(ours, shared);
    }

    // The same image from the store and from its `docker save` is the same image; images that
    // differ in bytes alone (same size, mode and owner) differ in content.
    void compareStoreWithArchive_data()
    {
        strata::test::addColumns<QString, QString, QStringList>("a", "b", "changes");
        QTest::newRow("deletions, store vs its save") << tag("deletions") << QStringLiteral("SAVED") << QStringList();
        QTest::newRow("walkthrough, store vs its save")
            << tag("walkthrough") << QStringLiteral("SAVED") << QStringList();
        QTest::newRow("same size, other bytes")
            << tag("bytes-aaaa") << tag("bytes-bbbb") << QStringList {QStringLiteral("C /same-size.txt (content)")};
        QTest::newRow("deletions to waste")
            << tag("deletions") << tag("waste")
            << QStringList {QStringLiteral("A /bin/vi"), QStringLiteral("D /data"), QStringLiteral("A /m.txt")};
    }

    void compareStoreWithArchive()
    {
        REQUIRE_DOCKER();
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(QStringList, changes);
        auto host = strata::DockerHost::open(DockerRoot);
        QVERIFY(host.ok());
        auto ia = host->imageIndex(a);
        QVERIFY(ia.ok());
        QTemporaryDir dir;
        std::shared_ptr<const strata::ImageStore> other;
        qsizetype ib = -1;
        if (b == QLatin1String("SAVED")) {
            const QString saved = dir.filePath(QStringLiteral("saved.tar"));
            QCOMPARE(docker({QStringLiteral("save"), QStringLiteral("-o"), saved, a}).exitCode, 0);
            auto store = strata::ArchiveStore::open(saved);
            QVERIFY(store.ok());
            auto index = (*store)->select(a);
            QVERIFY(index.ok());
            other = *store;
            ib = *index;
        } else {
            auto index = host->imageIndex(b);
            QVERIFY(index.ok());
            ib = *index;
        }
        auto c = strata::ImageComparer::compare(*host, *ia, other ? *other : *host, ib);
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        QStringList ours;
        for (const strata::ImageChange &ch : c->changes)
            ours << QStringLiteral("%1 %2").arg(QLatin1Char(ch.kind)).arg(QString::fromUtf8(ch.path))
                    + (ch.what.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(ch.what.join(QStringLiteral(", "))));
        QCOMPARE(ours, changes);
        if (b == QLatin1String("SAVED"))
            QCOMPARE(c->commonBase, int(host->imageLayerCount(*ia)));
    }

    void imageSearchMatchesDocker_data()
    {
        strata::test::addColumns<QString, QString, QString>("ref", "verb", "what");
        const QString del = tag("deletions");
        for (const char *glob : {"*", "*.txt", "/data/*", "file2dir", "vi"})
            QTest::addRow("find %s", glob) << del << QStringLiteral("find") << QString::fromLatin1(glob);
        for (const char *text : {"needle in a layer", "BusyBox is copyrighted", "new", "three"})
            QTest::addRow("grep %s", text) << del << QStringLiteral("grep") << QString::fromLatin1(text);
        for (const char *path : {"/data/redo/old.txt",
                 "/data/redo/new.txt",
                 "/data/gone",
                 "/data/gone/b.txt",
                 "/data/file2dir",
                 "/data/file2dir/inside.txt",
                 "/data/keep/a.txt",
                 "/bin/vi",
                 "/bin/sh",
                 "/data",
                 "/no/such/file"})
            QTest::addRow("explain %s", path) << del << QStringLiteral("explain") << QString::fromLatin1(path);
        QTest::newRow("find in another image")
            << tag("walkthrough-root") << QStringLiteral("find") << QStringLiteral("*.txt");
        QTest::newRow("explain in another image")
            << tag("walkthrough-root") << QStringLiteral("explain") << QStringLiteral("/app/takbir.txt");
    }

    // `strata image find|grep|explain` of a `docker save`, read in place, gives what `strata
    // docker find|grep|explain` gives for the image in the live store: the same paths, kinds,
    // sizes and matches in the same layers (by position and diff ID), and the same verdict per
    // layer (whiteouts and opaque directories counted alike).
    void imageSearchMatchesDocker()
    {
        REQUIRE_DOCKER();
        QFETCH(QString, ref);
        QFETCH(QString, verb);
        QFETCH(QString, what);
        static QTemporaryDir saves;
        static QHash<QString, QString> saved;
        if (!saved.contains(ref)) {
            const QString to = saves.filePath(QString::number(saved.size()) + QStringLiteral(".tar"));
            QCOMPARE(docker({QStringLiteral("save"), QStringLiteral("-o"), to, ref}).exitCode, 0);
            saved.insert(ref, to);
        }
        const QString archive = saved.value(ref);
        const auto image = [&archive](const QStringList &args) {
            const Run r = run(qEnvironmentVariable("STRATA_CLI"),
                QStringList {QStringLiteral("image")} + args + QStringList {archive, QStringLiteral("--json")});
            if (r.exitCode != 0)
                qWarning("strata image: exit %d: %s", r.exitCode, r.err.constData());
            return parseObject(r.out);
        };
        // Layers by position and diff ID: overlay2's cache IDs on one side, members on the other.
        QHash<QString, QString> dockerLayer;
        for (const QJsonValue v : jsonArray(strataJson({QStringLiteral("layers"), ref}), "layers"))
            dockerLayer.insert(v[QStringLiteral("cache_id")].toString(),
                QString::number(v[QStringLiteral("index")].toInt()) + QLatin1Char(' ')
                    + v[QStringLiteral("diff_id")].toString());
        QHash<QString, QString> archiveLayer;
        for (const QJsonValue v : jsonArray(image({QStringLiteral("layers")}), "layers"))
            archiveLayer.insert(v[QStringLiteral("member")].toString(),
                QString::number(v[QStringLiteral("index")].toInt()) + QLatin1Char(' ')
                    + v[QStringLiteral("diff_id")].toString());
        QCOMPARE(QSet<QString>(archiveLayer.cbegin(), archiveLayer.cend()),
            QSet<QString>(dockerLayer.cbegin(), dockerLayer.cend()));
        // Two explanations of one path in one image: the same verdict, layer by layer (names
        // and directories aside: each store names its layers its own way).
        const auto compareExplanations = [](const QJsonObject &docker, const QJsonObject &archive) {
            QVERIFY(!docker.isEmpty() && !archive.isEmpty());
            for (const char *key : {"kind", "path", "visible", "type", "winner"})
                QCOMPARE(archive.value(QLatin1String(key)), docker.value(QLatin1String(key)));
            const QJsonArray a = jsonArray(archive, "layers");
            const QJsonArray d = jsonArray(docker, "layers");
            QCOMPARE(a.size(), d.size());
            for (qsizetype i = 0; i < a.size(); ++i) {
                for (const char *key : {"index",
                         "role",
                         "image_layer",
                         "created_by",
                         "present",
                         "type",
                         "mode",
                         "target",
                         "opaque",
                         "status"})
                    QCOMPARE(a.at(i)[QLatin1String(key)], d.at(i)[QLatin1String(key)]);
                // A directory's size is the file system's (4096 on disk, 0 in a tar).
                if (d.at(i)[QLatin1String("type")] != QLatin1String("dir"))
                    QCOMPARE(a.at(i)[QLatin1String("size")], d.at(i)[QLatin1String("size")]);
            }
        };
        if (verb == QLatin1String("explain")) {
            compareExplanations(strataJson({verb, ref, what}), image({verb, what}));
            return;
        }
        const auto hits = [](const QJsonObject &o, const QHash<QString, QString> &layers) {
            QStringList out;
            for (const QJsonValue v : jsonArray(o, "matches")) {
                QJsonObject h = v.toObject();
                const QString id = h.take(QStringLiteral("cache_id")).toString();
                h.remove(QStringLiteral("images")); // the archive holds this image alone
                out << layers.value(id, QStringLiteral("not a layer of the image: ") + id) + QLatin1Char(' ')
                        + QString::fromUtf8(QJsonDocument(h).toJson(QJsonDocument::Compact));
            }
            return out;
        };
        QStringList ours = hits(image({verb, what}), archiveLayer);
        QStringList theirs = hits(strataJson({verb, what, QStringLiteral("--in"), ref}), dockerLayer);
        // "dir" names where each store keeps the layer; the rest is the same, in the same order.
        static const QRegularExpression dirField(QStringLiteral(",\"dir\":\"[^\"]*\""));
        ours.replaceInStrings(dirField, QString());
        theirs.replaceInStrings(dirField, QString());
        QVERIFY(!theirs.isEmpty() || what == QLatin1String("vi"));
        QCOMPARE(ours, theirs);
    }

    // Directories renamed in the stack's kernel mount with redirect_dir=on: commit resolves the
    // redirects (a whiteout of the old name, the new one added in full), so `docker load` and
    // `docker run` show each new directory with its files and no old one.
    void commitRenamedLoadsAndRuns()
    {
        REQUIRE_DOCKER();
        QTemporaryDir dir;
        const QString stack = extractedStack(dir, tag("deletions"));
        QVERIFY(!stack.isEmpty());
        const QString wsFile = stack + QStringLiteral("/stratascope.json");
        QJsonObject ws = parseObject(readFile(wsFile));
        QJsonArray overlays = ws.value(QStringLiteral("overlays")).toArray();
        QJsonObject overlay = overlays.at(0).toObject();
        QJsonObject options = overlay.value(QStringLiteral("options")).toObject();
        options.insert(QStringLiteral("redirect_dir"), QStringLiteral("on"));
        overlay.insert(QStringLiteral("options"), options);
        overlays.replace(0, overlay);
        ws.insert(QStringLiteral("overlays"), overlays);
        QVERIFY(writeFile(wsFile, QJsonDocument(ws).toJson()));
        const QList<QStringList> edits {
            {QStringLiteral("mv"), QStringLiteral("/data/file2dir"), QStringLiteral("/data/newdir")},
            {QStringLiteral("mv"), QStringLiteral("/data/redo"), QStringLiteral("/moved")},
            {QStringLiteral("write"), QStringLiteral("/moved/later.txt"), QStringLiteral("later")}};
        const QString failed = kernelEdits(stack, edits);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        char value[64] = {};
        QVERIFY2(::lgetxattr(QString(stack + QStringLiteral("/upper/data/newdir")).toUtf8().constData(),
                     "trusted.overlay.redirect",
                     value,
                     sizeof value)
                > 0,
            "the kernel wrote no redirect");

        const QString committed = QStringLiteral("strata-test/renamed:") + V;
        const QString out = dir.filePath(QStringLiteral("renamed.tar"));
        const Run c = commitStack(stack, out, committed);
        QVERIFY2(c.exitCode == 0, c.err.constData());
        QCOMPARE(
            parseObject(c.out).value(QStringLiteral("layer")).toObject().value(QStringLiteral("redirects")).toInt(), 2);
        docker({QStringLiteral("rmi"), QStringLiteral("-f"), committed});
        const Run load = docker({QStringLiteral("load"), QStringLiteral("-i"), out});
        QVERIFY2(load.exitCode == 0, load.err.constData());
        const Run shown = runShell(committed,
            QStringLiteral(
                "ls /data/newdir; cat /data/newdir/inside.txt; ls /moved; cat /moved/new.txt; "
                "test -e /data/file2dir && echo old file2dir; test -e /data/redo && echo old redo; ls /data"));
        docker({QStringLiteral("rmi"), QStringLiteral("-f"), committed});
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        QCOMPARE(shown.out,
            QByteArray("inside.txt\nin\nlater.txt\nnew.txt\nnew\nkeep\nneedle.txt\nnewdir\nwith space.txt\n"));
    }

    // A single layer tar opens as an image of one layer: extracted, edited, committed (with a
    // config made for it), it loads into Docker with the layer's files and the edit.
    void bareLayerCommitLoads()
    {
        REQUIRE_DOCKER();
        const QString layer = strata::test::fixturesDir() + QStringLiteral("/public/regclient/layer-wh.tar");
        if (!QFileInfo::exists(layer))
            QSKIP("no fixtures: set STRATA_FIXTURES to ../shared/fixtures");
        QTemporaryDir dir;
        const QString cli = qEnvironmentVariable("STRATA_CLI");
        const QString stack = dir.filePath(QStringLiteral("stack"));
        const Run x = run(cli, {QStringLiteral("image"), QStringLiteral("extract"), layer, stack});
        QVERIFY2(x.exitCode == 0, x.err.constData());
        QVERIFY(x.err.contains("a single layer tar, not an image"));
        const Run w = run(cli,
            {QStringLiteral("op"),
                stack,
                QStringLiteral("--backend"),
                QStringLiteral("kernel"),
                QStringLiteral("write"),
                QStringLiteral("/new.txt"),
                QStringLiteral("new")});
        QVERIFY2(w.exitCode == 0, w.err.constData());
        const QString committed = QStringLiteral("strata-test/bare:") + V;
        const QString out = dir.filePath(QStringLiteral("bare.tar"));
        const Run c = commitStack(stack, out, committed);
        QVERIFY2(c.exitCode == 0, c.err.constData());
        docker({QStringLiteral("rmi"), QStringLiteral("-f"), committed});
        const Run load = docker({QStringLiteral("load"), QStringLiteral("-i"), out});
        QVERIFY2(load.exitCode == 0, load.err.constData());
        const QString name = QStringLiteral("strata-bare-") + V;
        docker({QStringLiteral("rm"), QStringLiteral("-f"), name});
        QCOMPARE(docker({QStringLiteral("create"), QStringLiteral("--name"), name, committed, QStringLiteral("/none")})
                     .exitCode,
            0);
        const Run exported = run(
            QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("%1 export %2 | tar -t").arg(Docker, name)});
        docker({QStringLiteral("rm"), QStringLiteral("-f"), name});
        docker({QStringLiteral("rmi"), QStringLiteral("-f"), committed});
        QCOMPARE(exported.exitCode, 0);
        const QSet<QString> names = lines(exported.out);
        for (const char *want : {"layer1.txt", "layer3.txt", "exdir/", "new.txt"})
            QVERIFY2(names.contains(QLatin1String(want)),
                qPrintable(QStringList(names.cbegin(), names.cend()).join(QLatin1Char(' '))));
        QVERIFY(!names.contains(QLatin1String("layer2.txt")));
    }

    void cleanupTestCase()
    {
        if (!m_execContainer.isEmpty())
            docker({QStringLiteral("rm"), QStringLiteral("-f"), m_execContainer});
    }
};

QTEST_GUILESS_MAIN(TestDocker)
#include "tst_docker.moc"
