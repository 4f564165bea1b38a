// SPDX-License-Identifier: GPL-2.0-or-later
// Image archives read in place (ArchiveStore, TarReader, TarLayer): every fixture of
// ../shared/fixtures against its ground truth, and crafted hostile archives built here.
#include "core/fs/beneathdir.h"
#include "core/image/archive/archiveextractor.h"
#include "core/image/archive/archivestore.h"
#include "core/layer/bytestream.h"
#include "core/layer/filestream.h"
#include "core/layer/layerextractor.h"
#include "core/layer/tarlayer.h"
#include "core/layer/tarlayersource.h"
#include "core/merge/mergedtree.h"
#include "core/stack/workspace.h"
#include "core/util/scancontrol.h"
#include "core/util/sha256.h"
#include "tests/support/files.h"
#include "tests/support/require.h"
#include "tests/support/tarbuilder.h"
#include "tests/support/treesnapshot.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace strata;
using strata::test::TarBuilder;
Q_DECLARE_METATYPE(strata::test::TarBuilder::Member)

namespace
{

QString fixtures()
{
    return strata::test::fixturesDir();
}

using Seen = strata::test::TreeSnapshot::Record;

struct View {
    QMap<QByteArray, Seen> visible; // "/" left out
    QSet<QByteArray> whiteouts;
    QSet<QByteArray> opaque;
    QStringList warnings;
    QString error;
};

View viewOf(const Result<MergeLayers> &layers)
{
    View v;
    if (!layers) {
        v.error = layers.error().message;
        return v;
    }
    auto tree = MergedTree::build(*layers);
    if (!tree) {
        v.error = tree.error().message;
        return v;
    }
    v.warnings = tree->warnings();
    strata::test::TreeSnapshot snapshot = strata::test::TreeSnapshot::fromMergedTree(*tree);
    snapshot.dropContent(); // layer tars have no files on disk to hash
    v.visible = snapshot.records();
    v.visible.remove("/");
    for (NodeId id = 1; id < tree->nodeCount(); ++id) {
        const MergedNode &n = tree->node(id);
        if (!n.isVisible())
            v.whiteouts.insert(tree->path(id));
        else if (n.has(MergedNode::Opaque))
            v.opaque.insert(tree->path(id));
    }
    return v;
}

std::shared_ptr<const ArchiveStore> openStore(const QString &path)
{
    auto store = ArchiveStore::open(path);
    if (!store) {
        qWarning() << store.error().message;
        return nullptr;
    }
    return *store;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out << s.toString();
    return out;
}

// An entry of the ground truth; a hard link's size is its target's, which it does not give (-1).
Seen seenOf(const QJsonObject &e)
{
    const QString type = e.value(QStringLiteral("type")).toString();
    Seen s;
    s.type = type == QLatin1String("hardlink") ? QStringLiteral("file") : type;
    s.mode = e.value(QStringLiteral("mode")).toString().toUInt(nullptr, 8);
    s.uid = static_cast<quint32>(e.value(QStringLiteral("uid")).toInt());
    s.gid = static_cast<quint32>(e.value(QStringLiteral("gid")).toInt());
    if (type == QLatin1String("symlink")) {
        s.target = e.value(QStringLiteral("linkname")).toString().toUtf8();
        s.size = s.target.size();
    } else if (type != QLatin1String("dir")) {
        s.size = e.value(QStringLiteral("size")).toInteger(-1);
    }
    return s;
}

// The ground truth's merged view: each layer bottom first, opaque directories and deletions
// of the layer applied before its own entries (image-spec layer.md).
QMap<QByteArray, Seen> expectedMerge(const QJsonArray &layers)
{
    QMap<QByteArray, Seen> view;
    auto dropBelow = [&view](const QByteArray &dir, bool self) {
        for (auto it = view.begin(); it != view.end();) {
            const bool below = it.key().startsWith(QByteArray(dir + '/')) || (self && it.key() == dir);
            it = below ? view.erase(it) : std::next(it);
        }
    };
    for (const QJsonValue &lv : layers) {
        const QJsonObject l = lv.toObject();
        for (const QString &d : strings(l.value(QStringLiteral("opaque_dirs"))))
            dropBelow(d.toUtf8(), false);
        for (const QString &d : strings(l.value(QStringLiteral("deleted_paths"))))
            dropBelow(d.toUtf8(), true);
        for (const QJsonValue &ev : l.value(QStringLiteral("entries")).toArray()) {
            const QJsonObject e = ev.toObject();
            const QByteArray path = e.value(QStringLiteral("path")).toString().toUtf8();
            if (view.value(path).type == QLatin1String("dir")
                && e.value(QStringLiteral("type")).toString() != QLatin1String("dir"))
                dropBelow(path, false);
            view.insert(path, seenOf(e));
        }
    }
    return view;
}

// Sizes of hard links are not in the ground truth: compare them only where it has one.
void compareViews(const QMap<QByteArray, Seen> &got, const QMap<QByteArray, Seen> &want)
{
    QCOMPARE(QSet<QByteArray>(got.keyBegin(), got.keyEnd()), QSet<QByteArray>(want.keyBegin(), want.keyEnd()));
    for (auto it = want.cbegin(); it != want.cend(); ++it) {
        Seen g = got.value(it.key());
        if (it->size < 0)
            g.size = -1;
        if (!(g == *it))
            QFAIL(qPrintable(QStringLiteral("%1: got %2 %3 %4 %5:%6 \"%7\", want %8 %9 %10 %11:%12 \"%13\"")
                                 .arg(QString::fromUtf8(it.key()), g.type)
                                 .arg(g.mode, 4, 8, QLatin1Char('0'))
                                 .arg(g.size)
                                 .arg(g.uid)
                                 .arg(g.gid)
                                 .arg(QString::fromUtf8(g.target), it->type)
                                 .arg(it->mode, 4, 8, QLatin1Char('0'))
                                 .arg(it->size)
                                 .arg(it->uid)
                                 .arg(it->gid)
                                 .arg(QString::fromUtf8(it->target))));
    }
}

bool anyContains(const QStringList &texts, const QString &what)
{
    return std::any_of(texts.cbegin(), texts.cend(), [&what](const QString &t) { return t.contains(what); });
}

QStringList problemTexts(const ArchiveStore &store)
{
    QStringList out;
    for (const StoreProblem &p : store.problems())
        out << p.text();
    return out;
}

} // namespace

class TestArchive final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        STRATA_REQUIRE(QFileInfo::exists(fixtures() + QStringLiteral("/README.md")),
            "no fixtures: set STRATA_FIXTURES to ../shared/fixtures");
    }

    void generated_data();
    void generated();
    void generatedLayers_data() { generated_data(); }
    void generatedLayers();
    void publicFixtures_data();
    void publicFixtures();
    void rawLayerWithOpaque();
    void emptyAndTruncatedLayers();
    void compressionFromBytes_data();
    void compressionFromBytes();
    void hostileLayers_data();
    void hostileLayers();
    void hostileArchives_data();
    void hostileArchives();
    void sharedLayerBySymlink();
    void layoutBlobLeavingIt();
    void multiImageByTag();
    void digestReferences_data();
    void digestReferences();
    void readerEntries();
    void hundredThousandEntries();
    void sha256_data();
    void sha256();
    void extractGenerated_data() { generated_data(); }
    void extractGenerated();
    void extractHostile_data() { hostileLayers_data(); }
    void extractHostile();
    void extractRefusals_data();
    void extractRefusals();
    void extractCancel();
};

void TestArchive::generated_data()
{
    strata::test::addGeneratedArchiveRows();
}

void TestArchive::generated()
{
    QFETCH(QString, archive);
    const QJsonObject want = readJson(archive + QStringLiteral(".expected.json"));
    QVERIFY(!want.isEmpty());
    auto store = openStore(archive);
    QVERIFY(store);
    QVERIFY2(store->problems().isEmpty(), qPrintable(problemTexts(*store).join(QLatin1Char('\n'))));
    const bool oci = want.contains(QStringLiteral("manifest_digest"));
    QCOMPARE(
        ArchiveStore::formatName(store->format()), oci ? QStringLiteral("oci-archive") : QStringLiteral("docker-save"));
    auto index = store->select(QString());
    QVERIFY(index.ok());
    const ArchiveImage &img = store->archiveImage(*index);
    QCOMPARE(img.id, want.value(QStringLiteral("image_id")).toString());
    QCOMPARE(img.platform, QStringLiteral("linux/amd64"));
    if (oci) {
        QCOMPARE(img.manifestDigest, want.value(QStringLiteral("manifest_digest")).toString());
        QCOMPARE(img.ref, want.value(QStringLiteral("ref_name")).toString());
    } else {
        QCOMPARE(img.tags, strings(want.value(QStringLiteral("repo_tags"))));
    }
    QCOMPARE(store->select(img.tags.value(0)).ok(), true);
    // History as `docker history` pairs it.
    const QJsonArray history = want.value(QStringLiteral("history")).toArray();
    QCOMPARE(img.history.size(), history.size());
    QVERIFY(img.historyMatches);
    for (qsizetype h = 0; h < history.size(); ++h) {
        const QJsonObject e = history.at(h).toObject();
        QCOMPARE(img.history.at(h).createdByRaw, e.value(QStringLiteral("created_by")).toString());
        QCOMPARE(img.history.at(h).emptyLayer, e.value(QStringLiteral("empty_layer")).toBool());
        QCOMPARE(img.history.at(h).layerIndex, e.value(QStringLiteral("layer_index")).toInt(-1));
    }
    // Layers, and the merged view against the one the ground truth implies.
    const QJsonArray layers = want.value(QStringLiteral("layers")).toArray();
    QCOMPARE(img.layers.size(), layers.size());
    const QVector<ArchiveStore::LayerCheck> checks = store->verify(*index);
    for (qsizetype k = 0; k < layers.size(); ++k) {
        const QJsonObject l = layers.at(k).toObject();
        const ArchiveLayer &got = img.layers.at(k);
        QCOMPARE(got.diffId, l.value(QStringLiteral("diff_id")).toString());
        QCOMPARE(got.compression, l.value(QStringLiteral("compression")).toString());
        QCOMPARE(got.historyIndex, l.value(QStringLiteral("history_index")).toInt());
        QCOMPARE(got.createdByRaw, l.value(QStringLiteral("created_by")).toString());
        QCOMPARE(got.size, l.value(QStringLiteral("blob_size")).toInteger());
        QCOMPARE(got.member, l.value(QStringLiteral("blob_path")).toString());
        if (oci) {
            QCOMPARE(got.digest, l.value(QStringLiteral("blob_digest")).toString());
            QCOMPARE(got.mediaType, l.value(QStringLiteral("media_type")).toString());
        }
        const ArchiveStore::LayerCheck &c = checks.at(k);
        QVERIFY2(c.problems.isEmpty(), qPrintable(c.problems.join(QLatin1Char('\n'))));
        QVERIFY(c.info.complete);
        QCOMPARE(c.info.diffId, got.diffId);
        QCOMPARE(c.info.uncompressedSize, l.value(QStringLiteral("uncompressed_size")).toInteger());
        QCOMPARE(c.info.entries, l.value(QStringLiteral("entry_count")).toInteger());
    }
    const View merged = viewOf(store->imageMergeLayers(*index));
    QVERIFY2(merged.error.isEmpty(), qPrintable(merged.error));
    QVERIFY2(merged.warnings.isEmpty(), qPrintable(merged.warnings.join(QLatin1Char('\n'))));
    compareViews(merged.visible, expectedMerge(layers));
}

void TestArchive::generatedLayers()
{
    QFETCH(QString, archive);
    const QJsonObject want = readJson(archive + QStringLiteral(".expected.json"));
    auto store = openStore(archive);
    QVERIFY(store);
    const QJsonArray layers = want.value(QStringLiteral("layers")).toArray();
    for (qsizetype k = 0; k < layers.size(); ++k) {
        // One layer alone: its entries, its whiteouts and its opaque directories as they are.
        const QJsonObject l = layers.at(k).toObject();
        const View v = viewOf(store->layerMergeLayers(0, k));
        QVERIFY2(v.error.isEmpty(), qPrintable(v.error));
        QMap<QByteArray, Seen> entries;
        for (const QJsonValue &e : l.value(QStringLiteral("entries")).toArray())
            entries.insert(e.toObject().value(QStringLiteral("path")).toString().toUtf8(), seenOf(e.toObject()));
        compareViews(v.visible, entries);
        QSet<QByteArray> deleted;
        for (const QString &d : strings(l.value(QStringLiteral("deleted_paths"))))
            deleted.insert(d.toUtf8());
        QCOMPARE(v.whiteouts, deleted);
        QSet<QByteArray> opaque;
        for (const QString &d : strings(l.value(QStringLiteral("opaque_dirs"))))
            opaque.insert(d.toUtf8());
        QCOMPARE(v.opaque, opaque);
    }
}

void TestArchive::publicFixtures_data()
{
    QTest::addColumn<QString>("archive");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("ref"); // what --image takes; empty: the default
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("history");
    QTest::addColumn<QString>("compression"); // of the top layer
    QTest::addColumn<QStringList>("present");
    QTest::addColumn<QStringList>("absent");
    QTest::addColumn<QString>("problem"); // a store problem that must be reported; empty: none at all
    const QString p = fixtures() + QStringLiteral("/public/");
    auto list = [](std::initializer_list<const char *> l) {
        QStringList out;
        for (const char *s : l)
            out << QLatin1String(s);
        return out;
    };
    QTest::newRow("dive docker")
        << p + QStringLiteral("dive/test-docker-image.tar") << QStringLiteral("docker-save")
        << QStringLiteral("dive-test:latest") << 14 << 15 << QStringLiteral("none")
        << list(
               {"/root/saved.txt", "/root/.saved.txt", "/root/.data/test.sh", "/somefile.txt", "/tmp/saved.again1.txt"})
        << list({"/root/example", "/root/example/somefile3.txt"}) << QString();
    QTest::newRow("dive kaniko") << p + QStringLiteral("dive/test-kaniko-image.tar") << QStringLiteral("docker-save")
                                 << QStringLiteral("dive-test:kaniko-latest") << 14 << 15 << QStringLiteral("gzip")
                                 << list({"/root/saved.txt", "/root/.data/tag.sh", "/somefile.txt"})
                                 << list({"/root/example"}) << QString();
    for (const char *c : {"uncompressed", "gzip", "zstd"})
        QTest::newRow(qPrintable(QStringLiteral("dive oci %1").arg(QLatin1String(c))))
            << p + QStringLiteral("dive/test-oci-%1-image.tar").arg(QLatin1String(c)) << QStringLiteral("oci-archive")
            << QStringLiteral("linux/arm64") << 1 << 1
            << QString::fromLatin1(qstrcmp(c, "uncompressed") == 0 ? "none" : c) << list({"/README.md"})
            << QStringList() << QString();
    QTest::newRow("hello-world v25") << p + QStringLiteral("go-containerregistry/hello-world-v25.tar")
                                     << QStringLiteral("docker-save-oci") << QString() << 1 << 2
                                     << QStringLiteral("none") << list({"/hello"}) << QStringList() << QString();
    QTest::newRow("bazel ./ names") << p + QStringLiteral("go-containerregistry/test_image_1.tar")
                                    << QStringLiteral("docker-save") << QStringLiteral("bazel/v1/tarball:test_image_1")
                                    << 1 << 1 << QStringLiteral("none") << list({"/foo", "/bar"}) << QStringList()
                                    << QString();
    QTest::newRow("./.wh. whiteout") << p + QStringLiteral("go-containerregistry/whiteout_image.tar")
                                     << QStringLiteral("docker-save") << QString() << 3 << 3 << QStringLiteral("none")
                                     << list({"/bar.txt"}) << list({"/foo.txt"}) << QString();
    QTest::newRow("directory whiteout, re-created")
        << p + QStringLiteral("go-containerregistry/whiteout_dir.tar") << QStringLiteral("docker-save")
        << QStringLiteral("localhost:5000/whiteout") << 4 << 4 << QStringLiteral("gzip") << list({"/a/baz", "/b/bar"})
        << list({"/a/foo"}) << QString();
    QTest::newRow("empty_layer first") << p
            + QStringLiteral("go-containerregistry/source_image_with_empty_layer_history.tar")
                                       << QStringLiteral("docker-save") << QString() << 1 << 2 << QStringLiteral("none")
                                       << list({"/foo", "/bar"}) << QStringList() << QStringLiteral("its name says");
    QTest::newRow("almost empty") << p + QStringLiteral("containers-image/almostempty.tar")
                                  << QStringLiteral("docker-save") << QStringLiteral("emptyimage") << 1 << 1
                                  << QStringLiteral("none") << list({"/emptyfile"}) << QStringList() << QString();
    QTest::newRow("OCI dir, nested index, media types")
        << p + QStringLiteral("go-containerregistry/test_index") << QStringLiteral("oci-layout") << QStringLiteral("2")
        << 1 << 1 << QStringLiteral("gzip") << list({"/bat", "/baz"}) << list({"/foo"})
        << QStringLiteral("the blob says application/vnd.docker.distribution.manifest.v2+json");
}

void TestArchive::publicFixtures()
{
    QFETCH(QString, archive);
    QFETCH(QString, format);
    QFETCH(QString, ref);
    QFETCH(int, layers);
    QFETCH(int, history);
    QFETCH(QString, compression);
    QFETCH(QStringList, present);
    QFETCH(QStringList, absent);
    QFETCH(QString, problem);
    auto store = openStore(archive);
    QVERIFY(store);
    const QStringList problems = problemTexts(*store);
    if (problem.isEmpty())
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    else
        QVERIFY2(anyContains(problems, problem), qPrintable(problems.join(QLatin1Char('\n'))));
    QCOMPARE(ArchiveStore::formatName(store->format()), format);
    auto index = store->select(ref);
    QVERIFY2(index.ok(), index.ok() ? "" : qPrintable(index.error().message));
    const ArchiveImage &img = store->archiveImage(*index);
    QCOMPARE(img.layers.size(), layers);
    QCOMPARE(img.history.size(), history);
    QCOMPARE(img.layers.last().compression, compression);
    for (const ArchiveStore::LayerCheck &c : store->verify(*index))
        QVERIFY2(c.problems.isEmpty() && c.info.complete, qPrintable(c.problems.join(QLatin1Char('\n'))));
    const View v = viewOf(store->imageMergeLayers(*index));
    QVERIFY2(v.error.isEmpty(), qPrintable(v.error));
    QVERIFY2(v.warnings.isEmpty(), qPrintable(v.warnings.join(QLatin1Char('\n'))));
    for (const QString &path : present)
        QVERIFY2(v.visible.contains(path.toUtf8()), qPrintable(path));
    for (const QString &path : absent)
        QVERIFY2(!v.visible.contains(path.toUtf8()), qPrintable(path));
}

namespace
{

// A layer tar alone as a merge layer, from a file.
View layerView(const QString &path)
{
    MergeLayer l;
    l.path = path;
    l.name = QStringLiteral("layer");
    const QByteArray file = QFile::encodeName(path);
    l.source = std::make_shared<TarLayerSource>(
        l.name, [file] { return FileStream::open(file); }, TarLayerSource::Expected {});
    return viewOf(MergeLayers {l});
}

// An image of `layers` (bottom first) saved in `dir`; returns the archive's path.
QString saveImage(const QTemporaryDir &dir,
    const QString &name,
    const QVector<QByteArray> &layers,
    const QStringList &manifestLayers = {},
    const QVector<TarBuilder::Member> &extra = {})
{
    const QString path = dir.filePath(name);
    return TarBuilder::write(path,
               TarBuilder::dockerSave(
                   layers, QStringLiteral("test/") + name + QStringLiteral(":1"), manifestLayers, extra))
        ? path
        : QString();
}

// The layer the hostile rows go on: /etc/passwd and /usr/lib/{a,b}.
QByteArray hostileBase()
{
    TarBuilder base;
    base.dir("etc/").file("etc/passwd", "root:x:0:0").dir("usr/").dir("usr/lib/").file("usr/lib/a").file("usr/lib/b");
    return base.bytes();
}

// An image of hostileBase() and `layer`, saved in `dir` and opened (null: it did not open).
std::shared_ptr<const ArchiveStore> hostileStore(const QTemporaryDir &dir, const QByteArray &layer)
{
    return openStore(saveImage(dir, QStringLiteral("hostile.tar"), {hostileBase(), layer}));
}

} // namespace

void TestArchive::rawLayerWithOpaque()
{
    // regclient's layer-wh.tar: a file whiteout and an opaque marker after its directory.
    const View v = layerView(fixtures() + QStringLiteral("/public/regclient/layer-wh.tar"));
    QVERIFY2(v.error.isEmpty(), qPrintable(v.error));
    QCOMPARE(QSet<QByteArray>(v.visible.keyBegin(), v.visible.keyEnd()),
        (QSet<QByteArray> {"/layer1.txt", "/layer3.txt", "/exdir"}));
    QCOMPARE(v.whiteouts, QSet<QByteArray> {"/layer2.txt"});
    QCOMPARE(v.opaque, QSet<QByteArray> {"/exdir"});
    // Not an image: read as an image of that one layer, and said so.
    const QString path = fixtures() + QStringLiteral("/public/regclient/layer-wh.tar");
    auto store = ArchiveStore::open(path);
    QVERIFY(store);
    QCOMPARE((*store)->format(), ArchiveStore::Format::LayerTar);
    QVERIFY(anyContains(problemTexts(**store), QStringLiteral("a single layer tar, not an image")));
    QCOMPARE((*store)->imageCount(), 1);
    const ArchiveImage &img = (*store)->archiveImage(0);
    QCOMPARE(img.layers.size(), 1);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString sha = QStringLiteral("sha256:")
        + QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
    QCOMPARE(img.layers.first().diffId, sha); // uncompressed: the blob is the diff
    QCOMPARE(img.id, sha);
    QVERIFY((*store)->verify(0).first().problems.isEmpty());
    const View merged = viewOf((*store)->imageMergeLayers(0));
    QVERIFY2(merged.error.isEmpty(), qPrintable(merged.error));
    QCOMPARE(QSet<QByteArray>(merged.visible.keyBegin(), merged.visible.keyEnd()),
        (QSet<QByteArray> {"/layer1.txt", "/layer3.txt", "/exdir"}));
}

void TestArchive::emptyAndTruncatedLayers()
{
    // moby's pre-1.10 save: refused by name; its 0-byte layer is empty, its 512-byte one damaged.
    const QString archive = fixtures() + QStringLiteral("/public/moby/emptyLayer.tar");
    auto store = ArchiveStore::open(archive);
    QVERIFY(!store);
    QVERIFY(store.error().message.contains(QLatin1String("before Docker 1.10")));
    auto files = ArchiveFiles::open(archive);
    QVERIFY(files.ok());
    int empty = 0;
    int damaged = 0;
    for (const QString &name : files->names()) {
        if (!name.endsWith(QLatin1String("/layer.tar")))
            continue;
        auto stream = files->stream(name);
        QVERIFY(stream.ok());
        TarReader::Info info;
        int entries = 0;
        const Status s = TarReader::read(
            **stream, [&entries](const TarEntry &) { return ++entries, true; }, info);
        if (files->size(name) == 0) {
            QVERIFY(s.ok());
            QCOMPARE(entries, 0);
            QVERIFY(info.complete);
            QCOMPARE(info.diffId, TarBuilder::sha256({}));
            ++empty;
        } else if (files->size(name) == 512) {
            QCOMPARE(entries, 1); // the one header before the damage is still read
            QVERIFY(!s.ok() || !info.complete);
            ++damaged;
        }
    }
    QCOMPARE(empty, 1);
    QCOMPARE(damaged, 1);
    for (const char *name : {"no_manifest.tar", "null_manifest.tar"}) {
        auto bad
            = ArchiveStore::open(fixtures() + QStringLiteral("/public/go-containerregistry/") + QLatin1String(name));
        if (!bad) {
            QVERIFY(bad.error().message.contains(QLatin1String("before Docker 1.10")));
            continue;
        }
        QCOMPARE((*bad)->imageCount(), 0);
        QVERIFY(anyContains(problemTexts(**bad), QStringLiteral("manifest.json: is null")));
        QVERIFY((*bad)->select(QString()).error().message.contains(QLatin1String("holds no image")));
    }
}

void TestArchive::compressionFromBytes_data()
{
    QTest::addColumn<QString>("compression");
    QTest::addColumn<QString>("mediaType"); // what an OCI manifest claims
    QTest::addColumn<bool>("mislabelled");
    QTest::newRow("plain") << "none"
                           << "application/vnd.oci.image.layer.v1.tar" << false;
    QTest::newRow("gzip") << "gzip"
                          << "application/vnd.oci.image.layer.v1.tar+gzip" << false;
    QTest::newRow("zstd") << "zstd"
                          << "application/vnd.oci.image.layer.v1.tar+zstd" << false;
    // skopeo 1.9 labels plain tars +gzip: the bytes are believed, the label is a problem.
    QTest::newRow("plain labelled gzip") << "none"
                                         << "application/vnd.oci.image.layer.v1.tar+gzip" << true;
}

void TestArchive::compressionFromBytes()
{
    QFETCH(QString, compression);
    QFETCH(QString, mediaType);
    QFETCH(bool, mislabelled);
    QTemporaryDir dir;
    TarBuilder layer;
    layer.dir("etc/").file("etc/hostname", "box\n").file("etc/.wh.motd");
    const QByteArray plain = layer.bytes();
    const QByteArray blob = layer.bytes(compression);
    const QByteArray config
        = QJsonDocument(QJsonObject {{QStringLiteral("os"), QStringLiteral("linux")},
                            {QStringLiteral("architecture"), QStringLiteral("amd64")},
                            {QStringLiteral("rootfs"),
                                QJsonObject {{QStringLiteral("type"), QStringLiteral("layers")},
                                    {QStringLiteral("diff_ids"), QJsonArray {TarBuilder::sha256(plain)}}}}})
              .toJson(QJsonDocument::Compact);
    auto desc = [](const QString &type, const QByteArray &data) {
        return QJsonObject {{QStringLiteral("mediaType"), type},
            {QStringLiteral("digest"), TarBuilder::sha256(data)},
            {QStringLiteral("size"), data.size()}};
    };
    const QByteArray manifest = QJsonDocument(
        QJsonObject {{QStringLiteral("schemaVersion"), 2},
            {QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.manifest.v1+json")},
            {QStringLiteral("config"), desc(QStringLiteral("application/vnd.oci.image.config.v1+json"), config)},
            {QStringLiteral("layers"), QJsonArray {desc(mediaType, blob)}}})
                                    .toJson(QJsonDocument::Compact);
    QJsonObject top = desc(QStringLiteral("application/vnd.oci.image.manifest.v1+json"), manifest);
    top.insert(QStringLiteral("annotations"),
        QJsonObject {{QStringLiteral("org.opencontainers.image.ref.name"), QStringLiteral("t:1")}});
    const QByteArray index = QJsonDocument(
        QJsonObject {{QStringLiteral("schemaVersion"), 2}, {QStringLiteral("manifests"), QJsonArray {top}}})
                                 .toJson(QJsonDocument::Compact);
    // As a layout directory (named like a tar, to show names are not believed) and as a tar.
    const QString layout = dir.filePath(QStringLiteral("layout.tar.gz"));
    QVERIFY(QDir().mkpath(layout + QStringLiteral("/blobs/sha256")));
    TarBuilder outer;
    for (const QByteArray &b : {config, manifest, blob}) {
        const QString name = QStringLiteral("blobs/sha256/") + TarBuilder::sha256(b).mid(7);
        QVERIFY(TarBuilder::write(layout + QLatin1Char('/') + name, b));
        outer.file(name.toLatin1(), b);
    }
    QVERIFY(TarBuilder::write(layout + QStringLiteral("/index.json"), index));
    QVERIFY(TarBuilder::write(layout + QStringLiteral("/oci-layout"), R"({"imageLayoutVersion":"1.0.0"})"));
    outer.file("index.json", index).file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    const QString tar = dir.filePath(QStringLiteral("image.json"));
    QVERIFY(TarBuilder::write(tar, outer.bytes()));
    for (const QString &path : {layout, tar}) {
        auto store = openStore(path);
        QVERIFY(store);
        QCOMPARE(ArchiveStore::formatName(store->format()),
            path == layout ? QStringLiteral("oci-layout") : QStringLiteral("oci-archive"));
        QCOMPARE(store->archiveImage(0).layers.at(0).compression, compression);
        QCOMPARE(anyContains(problemTexts(*store), QStringLiteral("the bytes are none")), mislabelled);
        const auto checks = store->verify(0);
        QVERIFY2(checks.at(0).problems.isEmpty(), qPrintable(checks.at(0).problems.join(QLatin1Char('\n'))));
        const View v = viewOf(store->imageMergeLayers(0));
        QCOMPARE(
            QSet<QByteArray>(v.visible.keyBegin(), v.visible.keyEnd()), (QSet<QByteArray> {"/etc", "/etc/hostname"}));
        QCOMPARE(v.whiteouts, QSet<QByteArray> {"/etc/motd"});
    }
}

void TestArchive::hostileLayers_data()
{
    QTest::addColumn<QByteArray>("layer"); // on top of a base with /etc/passwd and /usr/lib/{a,b}
    QTest::addColumn<QByteArrayList>("present");
    QTest::addColumn<QByteArrayList>("absent");
    QTest::addColumn<QString>("warning"); // must name the entry; empty: no warning at all
    auto row = [](const char *name, const TarBuilder &t, QByteArrayList present, QByteArrayList absent, const char *w) {
        QTest::newRow(name) << t.bytes() << present << absent << QString::fromUtf8(w);
    };
    row("dot-dot",
        TarBuilder().file("../evil").file("a/../../evil2").file("ok/../fine"),
        {"/fine", "/etc/passwd"},
        {"/evil", "/evil2", "/a"},
        "entry \"../evil\": refused");
    row("dot-dot deeper",
        TarBuilder().file("x/y/../../../evil"),
        {"/etc/passwd"},
        {"/evil", "/x"},
        "entry \"x/y/../../../evil\": refused");
    row("absolute path",
        TarBuilder().file("/abs.txt", "x").dir("/").file("//etc//group"),
        {"/abs.txt", "/etc/group"},
        {},
        "");
    row("file through a symlink",
        TarBuilder().symlink("link", "/etc").file("link/passwd", "root::0:0"),
        {"/link"},
        {"/link/passwd"},
        "entry \"link/passwd\": refused: it goes through \"link\", which is a symbolic link");
    row("file through a file", TarBuilder().file("f").file("f/x"), {"/f"}, {"/f/x"}, "entry \"f/x\": refused");
    row("symlink leaving the root", TarBuilder().symlink("up", "../../../../etc/shadow"), {"/up"}, {}, "");
    row("duplicate entries", TarBuilder().file("dup", "a").file("dup", "bbb"), {"/dup"}, {}, "entry \"dup\"");
    row("opaque marker last",
        TarBuilder().dir("usr/lib/").file("usr/lib/new").file("usr/lib/.wh..wh..opq"),
        {"/usr/lib/new", "/etc/passwd"},
        {"/usr/lib/a", "/usr/lib/b"},
        "");
    row("whiteout, then made again",
        TarBuilder().file(".wh.usr").dir("usr/").file("usr/fresh"),
        {"/usr/fresh"},
        {"/usr/lib"},
        "");
    row("made, then whiteout",
        TarBuilder().dir("usr/").file("usr/fresh").file(".wh.usr"),
        {"/usr/fresh"},
        {"/usr/lib"},
        "");
    row("hard links",
        TarBuilder().file("h1", "12345").hardlink("h2", "h1").hardlink("./h5", "./h2"),
        {"/h1", "/h2", "/h5"},
        {},
        "");
    row("hard link to nothing",
        TarBuilder().hardlink("h3", "missing"),
        {"/h3"},
        {},
        "entry \"h3\": a hard link to \"missing\"");
    row("hard link leaving", TarBuilder().hardlink("h4", "../../etc/passwd"), {}, {"/h4"}, "entry \"h4\": refused");
    row("hard link to a directory", TarBuilder().dir("e/").hardlink("h6", "e"), {}, {"/h6"}, "entry \"h6\": refused");
    row("not UTF-8", TarBuilder().file("caf\xe9").dir("d\xff/").file("d\xff/x"), {"/caf\xe9", "/d\xff/x"}, {}, "");
    row("name too long",
        TarBuilder().file(QByteArray(300, 'n')),
        {"/etc"},
        {"/" + QByteArray(300, 'n')},
        "longer than 255 bytes");
    row("whiteout of no name", TarBuilder().file(".wh."), {"/etc"}, {}, "a whiteout of no name");
    row("aufs metadata",
        TarBuilder().dir(".wh..wh.plnk/").file(".wh..wh.plnk/123.456"),
        {"/etc"},
        {"/.wh..wh.plnk"},
        "");
    row("directory replaced by a file",
        TarBuilder().dir("d/").file("d/x").file("d", "now"),
        {"/d"},
        {"/d/x"},
        "entry \"d\"");
    row("root as a link", TarBuilder().symlink(".", "/etc"), {"/etc"}, {}, "the layer's root can only be a directory");
}

void TestArchive::hostileLayers()
{
    QFETCH(QByteArray, layer);
    QFETCH(QByteArrayList, present);
    QFETCH(QByteArrayList, absent);
    QFETCH(QString, warning);
    QTemporaryDir dir;
    auto store = hostileStore(dir, layer);
    QVERIFY(store);
    QVERIFY(store->problems().isEmpty());
    const View v = viewOf(store->imageMergeLayers(0));
    QVERIFY2(v.error.isEmpty(), qPrintable(v.error));
    if (warning.isEmpty())
        QVERIFY2(v.warnings.isEmpty(), qPrintable(v.warnings.join(QLatin1Char('\n'))));
    else
        QVERIFY2(anyContains(v.warnings, warning), qPrintable(v.warnings.join(QLatin1Char('\n'))));
    for (const QByteArray &p : present)
        QVERIFY2(v.visible.contains(p), p.constData());
    for (const QByteArray &p : absent)
        QVERIFY2(!v.visible.contains(p), p.constData());
    if (v.visible.contains("/h2")) {
        QCOMPARE(v.visible.value("/h2").size, qint64(5));
        QCOMPARE(v.visible.value("/h5").size, qint64(5));
    }
    if (v.visible.contains("/dup"))
        QCOMPARE(v.visible.value("/dup").size, qint64(3));
}

void TestArchive::hostileArchives_data()
{
    QTest::addColumn<QByteArray>("archive");
    QTest::addColumn<QString>("openError"); // the archive is refused with this
    QTest::addColumn<QString>("problem"); // else a store problem with this (empty: none)
    QTest::addColumn<QString>("treeError"); // the merged view fails with this (empty: it works)
    QTest::addColumn<QString>("treeWarning");
    const QByteArray layer = TarBuilder().file("hello", "world").bytes();
    using M = TarBuilder::Member;
    QTest::newRow("layer outside the archive")
        << TarBuilder::dockerSave({layer}, QStringLiteral("t:1"), {QStringLiteral("../outside/layer.tar")}) << QString()
        << QStringLiteral("points outside the archive") << QStringLiteral("cannot be read") << QString();
    QTest::newRow("layer through a link leaving it")
        << TarBuilder::dockerSave({layer},
               QStringLiteral("t:1"),
               {QStringLiteral("evil/layer.tar")},
               {M {"evil/layer.tar", 'l', {}, "../../../etc/passwd"}})
        << QString() << QStringLiteral("outside the archive") << QStringLiteral("cannot be read") << QString();
    QTest::newRow("layer through an absolute link")
        << TarBuilder::dockerSave({layer},
               QStringLiteral("t:1"),
               {QStringLiteral("abs/layer.tar")},
               {M {"abs/layer.tar", 'l', {}, "/etc/passwd"}})
        << QString() << QStringLiteral("outside the archive") << QStringLiteral("cannot be read") << QString();
    QTest::newRow("link loop") << TarBuilder::dockerSave({layer},
        QStringLiteral("t:1"),
        {QStringLiteral("x/layer.tar")},
        {M {"x/layer.tar", 'l', {}, "../y/layer.tar"}, M {"y/layer.tar", 'l', {}, "../x/layer.tar"}})
                               << QString() << QStringLiteral("too many links") << QStringLiteral("cannot be read")
                               << QString();
    QTest::newRow("layer listed twice") << TarBuilder::dockerSave(
        {layer, layer}, QStringLiteral("t:1"), {QStringLiteral("0/layer.tar"), QStringLiteral("0/layer.tar")})
                                        << QString() << QString() << QString() << QString();
    QByteArray tampered = TarBuilder::dockerSave({layer}, QStringLiteral("t:1"));
    tampered.replace(TarBuilder::sha256(layer).toLatin1(), TarBuilder::sha256("other").toLatin1());
    QTest::newRow("diff ID mismatch") << tampered << QString() << QStringLiteral("its name says") << QString()
                                      << QStringLiteral("diff ID mismatch");
    const QByteArray big = TarBuilder().file("big", QByteArray(4000, 'b')).file("after").bytes();
    QTest::newRow("truncated layer") << TarBuilder::dockerSave({big.left(2048)}, QStringLiteral("t:1")) << QString()
                                     << QString() << QString() << QStringLiteral("damaged tar");
    QTest::newRow("config outside the archive")
        << TarBuilder()
               .file("manifest.json", R"([{"Config":"../../etc/passwd","RepoTags":["t:1"],"Layers":[]}])")
               .bytes()
        << QString() << QStringLiteral("points outside the archive") << QString() << QString();
    QTest::newRow("manifest is an object") << TarBuilder().file("manifest.json", R"({"Config":"x"})").bytes()
                                           << QString() << QStringLiteral("is not a list") << QString() << QString();
    QTest::newRow("manifest is not JSON") << TarBuilder().file("manifest.json", "[{").bytes() << QString()
                                          << QStringLiteral("not JSON") << QString() << QString();
    const QByteArray badIndex
        = R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../../../etc/passwd","size":1}]})";
    QTest::newRow("index digest as a path") << TarBuilder().file("index.json", badIndex).bytes() << QString()
                                            << QStringLiteral("is not a sha256 digest") << QString() << QString();
    // An index blob that lists itself: read once.
    const QByteArray loop
        = R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1}]})";
    QTest::newRow("missing blob") << TarBuilder().file("index.json", loop).bytes() << QString()
                                  << QStringLiteral("missing") << QString() << QString();
    QTest::newRow("not a tar") << QByteArray("just some text, not an archive at all")
                               << QStringLiteral("cannot be read") << QString() << QString() << QString();
    QTest::newRow("a single layer tar") << layer << QString() << QStringLiteral("a single layer tar, not an image")
                                        << QString() << QString();
    QTest::newRow("a single gzip layer") << TarBuilder().file("hello", "world").bytes(QStringLiteral("gzip"))
                                         << QString() << QStringLiteral("read as an image of one layer") << QString()
                                         << QString();
}

void TestArchive::hostileArchives()
{
    QFETCH(QByteArray, archive);
    QFETCH(QString, openError);
    QFETCH(QString, problem);
    QFETCH(QString, treeError);
    QFETCH(QString, treeWarning);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("image.tar"));
    QVERIFY(TarBuilder::write(path, archive));
    auto store = ArchiveStore::open(path);
    if (!openError.isEmpty()) {
        QVERIFY(!store);
        QVERIFY2(store.error().message.contains(openError), qPrintable(store.error().message));
        return;
    }
    QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
    const QStringList problems = problemTexts(**store);
    if (problem.isEmpty())
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    else
        QVERIFY2(anyContains(problems, problem), qPrintable(problems.join(QLatin1Char('\n'))));
    if ((*store)->imageCount() == 0)
        return;
    (void)(*store)->verify(0);
    const View v = viewOf((*store)->imageMergeLayers(0));
    if (!treeError.isEmpty()) {
        QVERIFY2(v.error.contains(treeError), qPrintable(v.error));
        return;
    }
    QVERIFY2(v.error.isEmpty(), qPrintable(v.error));
    QVERIFY(v.visible.contains("/hello") || v.visible.contains("/big"));
    if (!treeWarning.isEmpty())
        QVERIFY2(anyContains(v.warnings, treeWarning), qPrintable(v.warnings.join(QLatin1Char('\n'))));
}

void TestArchive::sharedLayerBySymlink()
{
    // Docker's multi-image save stores a shared layer once and links to it.
    QTemporaryDir dir;
    const QByteArray shared = TarBuilder().file("shared", "s").bytes();
    const QByteArray top = TarBuilder().file("top", "t").bytes();
    using M = TarBuilder::Member;
    const QString path = saveImage(dir,
        QStringLiteral("shared.tar"),
        {shared, top},
        {QStringLiteral("9/layer.tar"), QStringLiteral("1/layer.tar")},
        {M {"9/layer.tar", 'l', {}, "../0/layer.tar"}});
    auto store = openStore(path);
    QVERIFY(store);
    QVERIFY2(store->problems().isEmpty(), qPrintable(problemTexts(*store).join(QLatin1Char('\n'))));
    for (const auto &c : store->verify(0))
        QVERIFY2(c.problems.isEmpty(), qPrintable(c.problems.join(QLatin1Char('\n'))));
    const View v = viewOf(store->imageMergeLayers(0));
    QVERIFY(v.visible.contains("/shared"));
    QVERIFY(v.visible.contains("/top"));
}

void TestArchive::layoutBlobLeavingIt()
{
    // An OCI layout directory whose index blob is a symlink out of it: refused, named.
    QTemporaryDir dir;
    const QString layout = dir.filePath(QStringLiteral("layout"));
    QVERIFY(QDir().mkpath(layout + QStringLiteral("/blobs/sha256")));
    const QByteArray outside = R"({"schemaVersion":2,"manifests":[]})";
    QVERIFY(TarBuilder::write(dir.filePath(QStringLiteral("outside.json")), outside));
    const QString digest = TarBuilder::sha256(outside);
    QVERIFY(QFile::link(
        dir.filePath(QStringLiteral("outside.json")), layout + QStringLiteral("/blobs/sha256/") + digest.mid(7)));
    const QByteArray index = QStringLiteral(R"({"schemaVersion":2,"manifests":[{"mediaType":)"
                                            R"("application/vnd.oci.image.index.v1+json","digest":"%1","size":%2}]})")
                                 .arg(digest)
                                 .arg(outside.size())
                                 .toUtf8();
    QVERIFY(TarBuilder::write(layout + QStringLiteral("/index.json"), index));
    auto store = openStore(layout);
    QVERIFY(store);
    QCOMPARE(store->imageCount(), 0);
    QVERIFY2(anyContains(problemTexts(*store), QStringLiteral("leads outside the layout")),
        qPrintable(problemTexts(*store).join(QLatin1Char('\n'))));
}

void TestArchive::multiImageByTag()
{
    // Two images in one manifest.json, in any order: chosen by tag, never by position.
    QTemporaryDir dir;
    const QByteArray a = TarBuilder().file("a").bytes();
    const QByteArray b = TarBuilder().file("b").bytes();
    auto configOf = [](const QByteArray &layer) {
        return QJsonDocument(QJsonObject {{QStringLiteral("os"), QStringLiteral("linux")},
                                 {QStringLiteral("architecture"), QStringLiteral("amd64")},
                                 {QStringLiteral("rootfs"),
                                     QJsonObject {{QStringLiteral("type"), QStringLiteral("layers")},
                                         {QStringLiteral("diff_ids"), QJsonArray {TarBuilder::sha256(layer)}}}}})
            .toJson(QJsonDocument::Compact);
    };
    const QByteArray manifest
        = R"([{"Config":"b.json","RepoTags":["img:b"],"Layers":["b/layer.tar"]},)"
          R"({"Config":"a.json","RepoTags":["docker.io/library/img:a"],"Layers":["a/layer.tar"]}])";
    TarBuilder outer;
    outer.file("manifest.json", manifest).file("a.json", configOf(a)).file("b.json", configOf(b));
    outer.file("a/layer.tar", a).file("b/layer.tar", b);
    const QString path = dir.filePath(QStringLiteral("two.tar"));
    QVERIFY(TarBuilder::write(path, outer.bytes()));
    auto store = openStore(path);
    QVERIFY(store);
    QCOMPARE(store->imageCount(), 2);
    auto none = store->select(QString());
    QVERIFY(!none);
    QVERIFY(none.error().message.contains(QLatin1String("choose one with --image")));
    for (const char *tag : {"a", "b"}) {
        auto i = store->select(QStringLiteral("img:") + QLatin1String(tag));
        QVERIFY(i.ok());
        const View v = viewOf(store->imageMergeLayers(*i));
        QCOMPARE(QSet<QByteArray>(v.visible.keyBegin(), v.visible.keyEnd()), QSet<QByteArray> {QByteArray("/") + tag});
    }
    QVERIFY(!store->select(QStringLiteral("img:c")));
}

void TestArchive::digestReferences_data()
{
    QTest::addColumn<QString>("archive");
    QTest::addColumn<QString>("ref"); // DIGEST stands for the manifest's (the config's in a legacy save)
    QTest::addColumn<bool>("found");
    const QString oci = QStringLiteral("whiteout-demo.oci-gzip.tar");
    const QString legacy = QStringLiteral("whiteout-demo.docker.tar");
    QTest::newRow("name@digest") << oci << QStringLiteral("whiteout-demo@DIGEST") << true;
    QTest::newRow("name:tag@digest") << oci << QStringLiteral("whiteout-demo:1@DIGEST") << true;
    QTest::newRow("docker.io name") << oci << QStringLiteral("docker.io/library/whiteout-demo@DIGEST") << true;
    QTest::newRow("legacy: the config's") << legacy << QStringLiteral("whiteout-demo@DIGEST") << true;
    QTest::newRow("another name") << oci << QStringLiteral("other@DIGEST") << false;
    QTest::newRow("another digest") << oci
                                    << QStringLiteral(
                                           "whiteout-demo@sha256:"
                                           "0000000000000000000000000000000000000000000000000000000000000000")
                                    << false;
    QTest::newRow("a digest's prefix") << oci << QStringLiteral("whiteout-demo@sha256:0123") << false;
    QTest::newRow("not a digest") << oci << QStringLiteral("whiteout-demo@latest") << false;
}

// `--image name@sha256:…` as docker takes it.
void TestArchive::digestReferences()
{
    QFETCH(QString, archive);
    QFETCH(QString, ref);
    QFETCH(bool, found);
    auto store = openStore(fixtures() + QStringLiteral("/generated/") + archive);
    QVERIFY(store);
    const ArchiveImage &img = store->archiveImage(0);
    const QString digest = img.manifestDigest.isEmpty() ? img.configDigest : img.manifestDigest;
    QVERIFY(!digest.isEmpty());
    auto selected = store->select(QString(ref).replace(QStringLiteral("DIGEST"), digest));
    QCOMPARE(selected.ok(), found);
    if (found)
        QCOMPARE(*selected, 0);
    else
        QVERIFY(selected.error().message.contains(QLatin1String("no image")));
}

void TestArchive::readerEntries()
{
    // What the reader hands out: types, owners, modes, link targets, PAX xattrs, raw names.
    TarBuilder t;
    t.add(TarBuilder::Member {
        "./x", 'f', "data", {}, 04755, 1000, 100, {{"user.note", "v\0w"}, {"security.capability", "c"}}});
    t.symlink("s", "/abs/target").hardlink("./h", "./x").dir("d/", 0700).file("caf\xe9");
    t.add(TarBuilder::Member {"dev/null", 'c', {}, {}, 0666});
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("l.tar.zst"));
    QVERIFY(TarBuilder::write(path, t.bytes(QStringLiteral("zstd"))));
    auto stream = FileStream::open(QFile::encodeName(path));
    QVERIFY(stream.ok());
    QVector<TarEntry> entries;
    TarReader::Info info;
    QVERIFY(TarReader::read(
        **stream, [&entries](const TarEntry &e) { return entries.push_back(e), true; }, info)
                .ok());
    QCOMPARE(info.compression, QStringLiteral("zstd"));
    QVERIFY(info.complete);
    QCOMPARE(entries.size(), 6);
    QCOMPARE(entries[0].path, QByteArray("./x"));
    QCOMPARE(entries[0].mode, 04755u);
    QCOMPARE(entries[0].uid, 1000u);
    QCOMPARE(entries[0].gid, 100u);
    QCOMPARE(entries[0].size, 4);
    QCOMPARE(entries[0].xattrs.size(), 2);
    QCOMPARE(entries[0].xattrs[0].first, QByteArray("user.note"));
    QCOMPARE(entries[1].type, EntryType::Symlink);
    QCOMPARE(entries[1].linkTarget, QByteArray("/abs/target"));
    QVERIFY(entries[2].hardlink);
    QCOMPARE(entries[2].linkTarget, QByteArray("./x"));
    QCOMPARE(entries[3].type, EntryType::Directory);
    QCOMPARE(entries[4].path, QByteArray("caf\xe9"));
    QCOMPARE(entries[5].type, EntryType::CharDevice);
}

void TestArchive::hundredThousandEntries()
{
    // A big layer: read, merged and listed without a hang (seconds, not minutes).
    TarBuilder t;
    for (int d = 0; d < 100; ++d) {
        const QByteArray dirName = "d" + QByteArray::number(d) + '/';
        t.dir(dirName);
        for (int f = 0; f < 999; ++f)
            t.file(dirName + "f" + QByteArray::number(f));
    }
    QCOMPARE(t.size(), 100000);
    QTemporaryDir dir;
    QElapsedTimer timer;
    timer.start();
    const QString path = saveImage(dir, QStringLiteral("big.tar"), {t.bytes(QStringLiteral("gzip"))});
    auto store = openStore(path);
    QVERIFY(store);
    auto layers = store->imageMergeLayers(0);
    QVERIFY(layers.ok());
    auto tree = MergedTree::build(*layers);
    QVERIFY(tree.ok());
    QCOMPARE(tree->visibleCount(), std::size_t(100001));
    QVERIFY(tree->find("/d42/f998"));
    QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));
}

void TestArchive::sha256_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("piece"); // fed in pieces of this size
    for (const int length : {0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 100003})
        for (const int piece : {1, 7, 64, 4096})
            QTest::newRow(qPrintable(QStringLiteral("%1 by %2").arg(length).arg(piece))) << length << piece;
}

void TestArchive::sha256()
{
    // Both ways (the CPU's SHA instructions where there are, and the portable code) against Qt.
    QFETCH(int, length);
    QFETCH(int, piece);
    QByteArray data(length, '\0');
    for (int i = 0; i < length; ++i)
        data[i] = static_cast<char>((i * 2654435761u) >> 13);
    const QByteArray want = QCryptographicHash::hash(data, QCryptographicHash::Sha256);
    for (const bool accelerated : {true, false}) {
        Sha256 h(accelerated);
        for (int at = 0; at < length; at += piece)
            h.add(QByteArrayView(data.constData() + at, std::min(piece, length - at)));
        QCOMPARE(h.result().toHex(), want.toHex());
    }
    QCOMPARE(Sha256::digestOf(data), TarBuilder::sha256(data));
}

// ---- extraction (ArchiveExtractor, LayerExtractor) ----

namespace
{

// The merged view of an extracted image, read from disk as the workspace stacks it.
View extractedView(const QString &dir)
{
    auto ws = Workspace::load(dir);
    if (!ws) {
        View v;
        v.error = ws.error().message;
        return v;
    }
    return viewOf(ws->mergeLayers(0));
}

// The entry name a refusal or warning starts with: `entry "NAME"`.
QString entryNamed(const QString &text)
{
    const qsizetype from = text.indexOf(QStringLiteral("entry \""));
    if (from < 0)
        return {};
    const qsizetype to = text.indexOf(QStringLiteral("\":"), from + 7);
    return text.mid(from, to + 1 - from);
}

void compareRecords(const QMap<QByteArray, Seen> &disk, const QMap<QByteArray, Seen> &memory)
{
    QCOMPARE(QSet<QByteArray>(disk.keyBegin(), disk.keyEnd()), QSet<QByteArray>(memory.keyBegin(), memory.keyEnd()));
    for (auto it = memory.cbegin(); it != memory.cend(); ++it) {
        Seen d = disk.value(it.key());
        if (d.type == QLatin1String("dir"))
            d.size = it->size; // a directory's size is the file system's
        QVERIFY2(d == *it, it.key().constData());
    }
}

} // namespace

void TestArchive::extractGenerated()
{
    // Every generated fixture extracted: the view from disk is the one read in place, and the
    // ground truth's; whiteouts and opaque directories are overlay's on-disk form.
    if (::geteuid() != 0)
        QSKIP("extracting keeps owners and writes trusted.overlay.* as root only");
    QFETCH(QString, archive);
    const QJsonObject want = readJson(archive + QStringLiteral(".expected.json"));
    auto store = openStore(archive);
    QVERIFY(store);
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("stack"));
    auto x = ArchiveExtractor::extract(*store, 0, dir, ArchiveExtractor::defaultOptions());
    QVERIFY2(x.ok(), x.ok() ? "" : qPrintable(x.error().message));
    QVERIFY2(x->refused().isEmpty(), qPrintable(x->refused().join(QLatin1Char('\n'))));
    QVERIFY2(x->warnings().isEmpty(), qPrintable(x->warnings().join(QLatin1Char('\n'))));
    const QJsonArray layers = want.value(QStringLiteral("layers")).toArray();
    QCOMPARE(x->layers.size(), layers.size());
    for (qsizetype k = 0; k < layers.size(); ++k) {
        QCOMPARE(
            x->layers.at(k).summary.info.diffId, layers.at(k).toObject().value(QStringLiteral("diff_id")).toString());
        QCOMPARE(x->layers.at(k).summary.whiteouts,
            qint64(strings(layers.at(k).toObject().value(QStringLiteral("deleted_paths"))).size()));
        QCOMPARE(x->layers.at(k).summary.opaque,
            qint64(strings(layers.at(k).toObject().value(QStringLiteral("opaque_dirs"))).size()));
    }
    auto ws = Workspace::load(dir);
    QVERIFY(ws.ok());
    QCOMPARE(ws->overlays().size(), 1);
    const OverlaySpec &spec = ws->overlays().first();
    QCOMPARE(spec.lower.size(), layers.size());
    QCOMPARE(spec.lower.first(), dir + QStringLiteral("/layers/") + QString::number(layers.size() - 1));
    QVERIFY(QFileInfo(spec.upper).isDir() && QDir(spec.upper).isEmpty());
    QVERIFY(QFileInfo(spec.mountpoint).isDir());
    const View disk = extractedView(dir);
    QVERIFY2(disk.error.isEmpty(), qPrintable(disk.error));
    QVERIFY2(disk.warnings.isEmpty(), qPrintable(disk.warnings.join(QLatin1Char('\n'))));
    compareViews(disk.visible, expectedMerge(layers));
    compareRecords(disk.visible, viewOf(store->imageMergeLayers(0)).visible);
    // A second extract into the same place is refused: it only writes into a new directory.
    auto again = ArchiveExtractor::extract(*store, 0, dir, ArchiveExtractor::defaultOptions());
    QVERIFY(!again.ok());
    QCOMPARE(again.error().code, EEXIST);
}

void TestArchive::extractHostile()
{
    // The hostile layers of hostileLayers(), extracted (with openat2, and walking names one by
    // one as without it): what is on disk merges into the view read in place, and what that
    // view refuses, extraction refuses too, by name. Absolute names are refused on disk.
    if (::geteuid() != 0)
        QSKIP("extracting keeps owners and writes trusted.overlay.* as root only");
    QFETCH(QByteArray, layer);
    QFETCH(QString, warning);
    QTemporaryDir tmp;
    auto store = hostileStore(tmp, layer);
    QVERIFY(store);
    const View memory = viewOf(store->imageMergeLayers(0));
    const bool absolute = QLatin1String(QTest::currentDataTag()) == QLatin1String("absolute path");
    for (const bool walk : {false, true}) {
        ArchiveExtractor::Options options = ArchiveExtractor::defaultOptions();
        options.walkOnly = walk;
        const QString dir = tmp.filePath(walk ? QStringLiteral("walked") : QStringLiteral("beneath"));
        auto x = ArchiveExtractor::extract(*store, 0, dir, options);
        QVERIFY2(x.ok(), x.ok() ? "" : qPrintable(x.error().message));
        const QStringList said = x->refused() + x->warnings();
        if (absolute) {
            QVERIFY2(anyContains(x->refused(), QStringLiteral("entry \"/abs.txt\": refused: an absolute name")),
                qPrintable(said.join(QLatin1Char('\n'))));
            QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/layers/1/abs.txt")));
            continue;
        }
        if (warning.contains(QLatin1String("refused")))
            QVERIFY2(anyContains(x->refused(), entryNamed(warning) + QStringLiteral(": refused")),
                qPrintable(said.join(QLatin1Char('\n'))));
        else if (warning.isEmpty())
            QVERIFY2(said.isEmpty(), qPrintable(said.join(QLatin1Char('\n'))));
        else
            QVERIFY2(anyContains(said, entryNamed(warning)), qPrintable(said.join(QLatin1Char('\n'))));
        const View disk = extractedView(dir);
        QVERIFY2(disk.error.isEmpty(), qPrintable(disk.error));
        compareRecords(disk.visible, memory.visible);
        QCOMPARE(disk.whiteouts, memory.whiteouts);
        QCOMPARE(disk.opaque, memory.opaque);
        // Nothing written beside the stack.
        QCOMPARE(
            QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).size(), walk ? 3 : 2);
    }
    QCOMPARE(BeneathDir::removeAt(AT_FDCWD, tmp.path().toUtf8().constData()), 0); // QDir cannot remove non-UTF-8 names
}

void TestArchive::extractRefusals_data()
{
    // Members only extraction can be hurt by; @OUT@ is a directory beside the stack.
    QTest::addColumn<QVector<TarBuilder::Member>>("members");
    QTest::addColumn<bool>("privileged");
    QTest::addColumn<qint64>("budget"); // bytes the disk can take; -1: no limit
    QTest::addColumn<QString>("refused");
    using M = TarBuilder::Member;
    const QVector<M> outLink {M {"link", 'l', {}, "@OUT@"}};
    QTest::newRow("file through a symlink out")
        << (outLink + QVector<M> {M {"link/evil", 'f', "x"}}) << true << qint64(-1)
        << QStringLiteral("entry \"link/evil\": refused: it goes through");
    QTest::newRow("file through a symlink up") << QVector<M> {M {"up", 'l', {}, "../../.."}, M {"up/evil", 'f', "x"}}
                                               << true << qint64(-1) << QStringLiteral("entry \"up/evil\": refused");
    QTest::newRow("directory through a symlink out")
        << (outLink + QVector<M> {M {"link/d/", 'd'}, M {"link/d/evil", 'f'}}) << true << qint64(-1)
        << QStringLiteral("entry \"link/d/\": refused");
    QTest::newRow("hard link through a symlink out") << (outLink + QVector<M> {M {"h", 'h', {}, "link/secret"}}) << true
                                                     << qint64(-1) << QStringLiteral("entry \"h\": refused");
    QTest::newRow("hard link to an absolute name")
        << QVector<M> {M {"h", 'h', {}, "@OUT@/secret"}} << true << qint64(-1)
        << QStringLiteral("entry \"h\": refused: a hard link to");
    QTest::newRow("whiteout through a symlink out")
        << (outLink + QVector<M> {M {"link/.wh.secret", 'f'}, M {"link/.wh..wh..opq", 'f'}}) << true << qint64(-1)
        << QStringLiteral("entry \"link/.wh.secret\": refused");
    QTest::newRow("device node as a user") << QVector<M> {M {"dev", 'c'}} << false << qint64(-1)
                                           << QStringLiteral("entry \"dev\": refused: a device node");
    QTest::newRow("bigger than the disk")
        << QVector<M> {M {"big", 'f', QByteArray(4096, 'b')}, M {"small", 'f', "s"}} << true << qint64(1000)
        << QStringLiteral("entry \"big\": refused: 4096 bytes, more than the disk");
    QTest::newRow("overlay's own xattr")
        << QVector<M> {M {"d/", 'd', {}, {}, 0755, 0, 0, {{"trusted.overlay.opaque", "y"}}},
               M {"f", 'f', "x", {}, 0644, 0, 0, {{"user.overlay.redirect", "/etc"}}}}
        << true << qint64(-1) << QStringLiteral("refused: the xattr trusted.overlay.opaque");
}

void TestArchive::extractRefusals()
{
    QFETCH(QVector<TarBuilder::Member>, members);
    QFETCH(bool, privileged);
    QFETCH(qint64, budget);
    QFETCH(QString, refused);
    if (::geteuid() != 0)
        QSKIP("the rows set owners and xattrs as root");
    QTemporaryDir tmp;
    const QString out = tmp.filePath(QStringLiteral("outside"));
    QVERIFY(QDir().mkpath(out));
    QVERIFY(TarBuilder::write(out + QStringLiteral("/secret"), "keep"));
    TarBuilder t;
    for (TarBuilder::Member m : members) {
        m.link.replace("@OUT@", out.toUtf8());
        t.add(m);
    }
    const QString tarFile = tmp.filePath(QStringLiteral("layer.tar"));
    QVERIFY(TarBuilder::write(tarFile, t.bytes()));
    for (const bool walk : {false, true}) {
        const QString dir = tmp.filePath(walk ? QStringLiteral("walked") : QStringLiteral("beneath"));
        QVERIFY(QDir().mkpath(dir));
        std::atomic<std::int64_t> left {budget};
        LayerExtractor::Options options {XattrNamespace::Trusted, privileged, budget < 0 ? nullptr : &left, walk};
        LayerExtractor x(::open(dir.toUtf8().constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC), options);
        auto stream = FileStream::open(tarFile.toUtf8());
        QVERIFY(stream.ok());
        const Status st = x.extract(**stream);
        QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
        QVERIFY2(anyContains(x.summary().refused, refused), qPrintable(x.summary().refused.join(QLatin1Char('\n'))));
        QCOMPARE(QDir(out).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System),
            QStringList {QStringLiteral("secret")});
        QFile secret(out + QStringLiteral("/secret"));
        QVERIFY(secret.open(QIODevice::ReadOnly));
        QCOMPARE(secret.readAll(), QByteArray("keep"));
        if (budget >= 0)
            QVERIFY(QFileInfo::exists(dir + QStringLiteral("/small")));
    }
}

void TestArchive::extractCancel()
{
    // A cancelled extraction stops, says so, and leaves what it wrote.
    TarBuilder t;
    for (int i = 0; i < 5000; ++i)
        t.file("f" + QByteArray::number(i), "x");
    QTemporaryDir tmp;
    const QString tarFile = tmp.filePath(QStringLiteral("layer.tar"));
    QVERIFY(TarBuilder::write(tarFile, t.bytes()));
    ScanControl control;
    control.cancel();
    LayerExtractor x(::open(tmp.path().toUtf8().constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC), {});
    auto stream = FileStream::open(tarFile.toUtf8());
    QVERIFY(stream.ok());
    const Status st = x.extract(**stream, &control);
    QVERIFY(!st.ok());
    QCOMPARE(st.error().code, ECANCELED);
    QVERIFY(x.summary().files < 5000);
}

QTEST_GUILESS_MAIN(TestArchive)
#include "tst_archive.moc"
