// SPDX-License-Identifier: GPL-2.0-or-later
// find, grep and explain over image archives read in place (LayerSearch and PathExplainer on
// an ArchiveStore, through the LayerDir seam): every generated fixture of ../shared/fixtures
// (copied) against its *.expected.json, and crafted layers for what the fixtures lack (hard
// links, matches across blocks, compressed layers, directories and tars giving the same hits).

#include "core/image/archive/archivestore.h"
#include "core/image/layersearch.h"
#include "core/image/pathexplainer.h"
#include "core/util/scancontrol.h"
#include "tests/support/datatable.h"
#include "tests/support/files.h"
#include "tests/support/require.h"
#include "tests/support/tarbuilder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using strata::ArchiveStore;
using strata::EntryType;
using strata::LayerSearch;
using strata::PathExplainer;
using strata::PathExplanation;
using strata::SearchHit;
using strata::test::TarBuilder;

namespace
{

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
    for (const QJsonValue e : v.toArray())
        out << e.toString();
    return out;
}

// One hit as the tests compare them: "<layer index> <kind>[ opaque] <path> <size>".
using Hits = QSet<QString>;

QString hitKey(int layer, const QString &kind, bool opaque, const QString &path, qint64 size)
{
    return QStringLiteral("%1 %2%3 %4 %5")
        .arg(layer)
        .arg(kind, opaque ? QStringLiteral(" opaque") : QString(), path)
        .arg(size);
}

struct Searched {
    Hits hits;
    QVector<SearchHit> raw;
    QStringList problems;
    bool ok = false;
};

// Everything `find GLOB` or `grep TEXT` finds in the selected image of the store.
Searched search(const ArchiveStore &store, const QString &what, bool grep)
{
    Searched out;
    const qsizetype image = store.select(QString()).value();
    QMap<QString, int> index;
    QStringList only;
    for (const strata::ArchiveLayer &l : store.archiveImage(image).layers) {
        index.insert(l.cacheId, l.index);
        only << l.cacheId;
    }
    LayerSearch s(store);
    s.setOnly(only);
    const LayerSearch::Sink sink = [&](const SearchHit &h) {
        out.raw << h;
        out.hits.insert(hitKey(index.value(h.cacheId, -1),
            strata::entryTypeName(h.type),
            h.opaque,
            QString::fromUtf8(h.path),
            h.type == EntryType::Directory ? 0 : h.size));
        return true;
    };
    const strata::Status st = grep ? s.grep(what.toUtf8(), sink) : s.find(what, sink);
    out.ok = st.ok();
    for (const strata::StoreProblem &p : s.problems())
        out.problems << p.text();
    return out;
}

// What `find *` must find in a layer by the ground truth: its entries (hard links as the
// files they are), its whiteouts, and its opaque directories flagged.
Hits expectedHits(const QJsonArray &layers)
{
    Hits want;
    for (const QJsonValue lv : layers) {
        const QJsonObject l = lv.toObject();
        const int k = l.value(QStringLiteral("index")).toInt();
        const QStringList opaqueDirs = strings(l.value(QStringLiteral("opaque_dirs")));
        const QSet<QString> opaque(opaqueDirs.cbegin(), opaqueDirs.cend());
        QMap<QString, qint64> sizes; // hard links take their target's size
        for (const QJsonValue ev : l.value(QStringLiteral("entries")).toArray())
            sizes.insert(ev.toObject().value(QStringLiteral("tar_name")).toString(),
                ev.toObject().value(QStringLiteral("size")).toInteger());
        for (const QJsonValue ev : l.value(QStringLiteral("entries")).toArray()) {
            const QJsonObject e = ev.toObject();
            QString type = e.value(QStringLiteral("type")).toString();
            qint64 size = e.value(QStringLiteral("size")).toInteger();
            if (type == QLatin1String("hardlink")) {
                type = QStringLiteral("file");
                size = sizes.value(e.value(QStringLiteral("linkname")).toString());
            } else if (type == QLatin1String("symlink")) {
                size = e.value(QStringLiteral("linkname")).toString().toUtf8().size();
            }
            const QString path = e.value(QStringLiteral("path")).toString();
            want.insert(hitKey(k, type, opaque.contains(path), path, type == QLatin1String("dir") ? 0 : size));
        }
        for (const QString &d : strings(l.value(QStringLiteral("deleted_paths"))))
            want.insert(hitKey(k, QStringLiteral("whiteout"), false, d, 0));
    }
    return want;
}

// The layer (bottom first) that decides `path` in the image by the ground truth, and whether
// it is seen: the top layer that has it or deletes it, unless an opaque directory above it
// hides it first. -1 when no layer has it.
QPair<int, bool> expectedWinner(const QJsonArray &layers, const QString &path)
{
    for (qsizetype k = layers.size() - 1; k >= 0; --k) {
        const QJsonObject l = layers.at(k).toObject();
        if (strings(l.value(QStringLiteral("deleted_paths"))).contains(path))
            return {static_cast<int>(k), false};
        if (strings(l.value(QStringLiteral("paths"))).contains(path))
            return {static_cast<int>(k), true};
        for (const QString &o : strings(l.value(QStringLiteral("opaque_dirs")))) {
            if (path.startsWith(o + QLatin1Char('/')))
                return {-1, false};
        }
    }
    return {-1, false};
}

} // namespace

class TestArchiveSearch final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    // A copy of the fixture (../shared is read-only and stays untouched).
    QString copied(const QString &archive)
    {
        const QString to = m_tmp.filePath(QFileInfo(archive).fileName());
        if (!QFileInfo::exists(to))
            QFile::copy(archive, to);
        return to;
    }

    std::shared_ptr<const ArchiveStore> open(const QString &path)
    {
        auto store = ArchiveStore::open(path);
        if (!store) {
            qWarning("%s: %s", qPrintable(path), qPrintable(store.error().message));
            return {};
        }
        return *store;
    }

    // A one-image archive of crafted layers, as a file.
    QString crafted(const QString &name, const QVector<QByteArray> &layers)
    {
        const QString path = m_tmp.filePath(name);
        return TarBuilder::write(path, TarBuilder::dockerSave(layers, QStringLiteral("crafted:1"))) ? path : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        STRATA_REQUIRE(QFileInfo::exists(strata::test::fixturesDir() + QStringLiteral("/README.md")),
            "no fixtures: set STRATA_FIXTURES to ../shared/fixtures");
    }

    void findAll_data();
    void findAll();
    void findGlob_data();
    void findGlob();
    void grepGenerated_data();
    void grepGenerated();
    void explainGenerated_data();
    void explainGenerated();
    void grepCrafted_data();
    void grepCrafted();
    void walkOrder();
    void cancelAndStop();
};

void TestArchiveSearch::findAll_data()
{
    strata::test::addGeneratedArchiveRows();
}

// `find *`: every entry of every layer, whiteouts and opaque directories as the ground truth
// has them, and nothing else.
void TestArchiveSearch::findAll()
{
    QFETCH(QString, archive);
    const QJsonObject want = readJson(archive + QStringLiteral(".expected.json"));
    QVERIFY(!want.isEmpty());
    const auto store = open(copied(archive));
    QVERIFY(store);
    const Searched got = search(*store, QStringLiteral("*"), false);
    QVERIFY(got.ok);
    QVERIFY2(got.problems.isEmpty(), qPrintable(got.problems.join(QLatin1Char('\n'))));
    const Hits expected = expectedHits(want.value(QStringLiteral("layers")).toArray());
    QCOMPARE(got.hits - expected, Hits());
    QCOMPARE(expected - got.hits, Hits());
    QCOMPARE(got.raw.size(), expected.size()); // each once
    for (const SearchHit &h : got.raw) {
        QCOMPARE(h.dir, store->root());
        QCOMPARE(h.role, QStringLiteral("layer"));
        QVERIFY(h.layer.startsWith(QLatin1String("layer ")));
        QCOMPARE(h.images, QStringList {store->archiveImage(0).displayName()});
    }
}

void TestArchiveSearch::findGlob_data()
{
    strata::test::addColumns<QString, QString, QStringList>("fixture", "glob", "hits");
    const QString wd = QStringLiteral("whiteout-demo.docker.tar");
    const QString zstd = QStringLiteral("whiteout-demo.oci-zstd.tar");
    QTest::newRow("deleted file by its name") << wd << QStringLiteral("whoami.txt")
                                              << QStringList {QStringLiteral("4 file /kcnaiamh/whoami.txt 15"),
                                                     QStringLiteral("5 whiteout /kcnaiamh/whoami.txt 0")};
    QTest::newRow("opaque dir, zstd") << zstd << QStringLiteral("/usr/local/lib")
                                      << QStringList {QStringLiteral("1 dir /usr/local/lib 0"),
                                             QStringLiteral("6 dir opaque /usr/local/lib 0")};
    QTest::newRow("whole path") << zstd << QStringLiteral("/usr/local/lib/*")
                                << QStringList {QStringLiteral("1 file /usr/local/lib/marker.txt 10"),
                                       QStringLiteral("6 file /usr/local/lib/fresh.txt 6")};
    QTest::newRow("hard link and symlink") << wd << QStringLiteral("[hl]*.txt")
                                           << QStringList {QStringLiteral("7 file /kcnaiamh/hard.txt 13"),
                                                  QStringLiteral("7 symlink /kcnaiamh/link.txt 20")};
    QTest::newRow("nothing") << wd << QStringLiteral("no-such-name") << QStringList {};
}

void TestArchiveSearch::findGlob()
{
    QFETCH(QString, fixture);
    QFETCH(QString, glob);
    QFETCH(QStringList, hits);
    const auto store = open(copied(strata::test::fixturesDir() + QStringLiteral("/generated/") + fixture));
    QVERIFY(store);
    const Searched got = search(*store, glob, false);
    QVERIFY(got.ok);
    QCOMPARE(got.hits, Hits(hits.cbegin(), hits.cend()));
}

void TestArchiveSearch::grepGenerated_data()
{
    strata::test::addColumns<QString, QString, QStringList>("archive", "text", "hits");
    const QString busybox = QStringLiteral("0 file /bin/busybox 1982256");
    for (const QString &archive : strata::test::generatedArchives()) {
        const QString name = QFileInfo(archive).fileName();
        const bool demo = name.startsWith(QLatin1String("whiteout-demo"));
        // marker.txt is hidden by an opaque directory in whiteout-demo, but grep reads layers.
        QTest::newRow(qPrintable(name + QStringLiteral(": layer two")))
            << archive << QStringLiteral("layer two")
            << QStringList {QStringLiteral("1 file /usr/local/lib/marker.txt 10")};
        QTest::newRow(qPrintable(name + QStringLiteral(": deleted file's text")))
            << archive << QStringLiteral("whoami content")
            << QStringList {QStringLiteral("4 file /kcnaiamh/whoami.txt 15")};
        if (demo) {
            // BusyBox has both words too: a binary file that matches.
            QTest::newRow(qPrintable(name + QStringLiteral(": second")))
                << archive << QStringLiteral("second")
                << QStringList {QStringLiteral("5 file /kcnaiamh/second_instruction.txt 7"), busybox};
            QTest::newRow(qPrintable(name + QStringLiteral(": fresh")))
                << archive << QStringLiteral("fresh")
                << QStringList {QStringLiteral("6 file /usr/local/lib/fresh.txt 6"), busybox};
        }
    }
}

// Regular files whose contents hold the text; their sizes as the ground truth says.
void TestArchiveSearch::grepGenerated()
{
    QFETCH(QString, archive);
    QFETCH(QString, text);
    QFETCH(QStringList, hits);
    const auto store = open(copied(archive));
    QVERIFY(store);
    const Searched got = search(*store, text, true);
    QVERIFY(got.ok);
    QCOMPARE(got.hits, Hits(hits.cbegin(), hits.cend()));
    for (const SearchHit &h : got.raw) {
        QCOMPARE(h.binary, h.path == "/bin/busybox");
        if (h.binary)
            continue;
        QCOMPARE(h.line, 1);
        QVERIFY(h.text.contains(text.toUtf8()));
    }
}

void TestArchiveSearch::explainGenerated_data()
{
    strata::test::addColumns<QString, QString>("archive", "path");
    for (const QString &archive : strata::test::generatedArchives()) {
        const QString name = QFileInfo(archive).fileName();
        for (const char *path : {"/kcnaiamh/whoami.txt",
                 "/usr/local/lib/marker.txt",
                 "/usr/local/lib/fresh.txt",
                 "/kcnaiamh/takbir.txt",
                 "/kcnaiamh",
                 "/bin/sh",
                 "/no/such/file"})
            QTest::newRow(qPrintable(name + QLatin1Char(' ') + QLatin1String(path)))
                << archive << QString::fromLatin1(path);
    }
}

// Which layer decides a path, whether it is seen, and what hides the other copies, by the
// ground truth's layers, whiteouts and opaque directories.
void TestArchiveSearch::explainGenerated()
{
    QFETCH(QString, archive);
    QFETCH(QString, path);
    const QJsonArray layers
        = readJson(archive + QStringLiteral(".expected.json")).value(QStringLiteral("layers")).toArray();
    const auto store = open(copied(archive));
    QVERIFY(store);
    auto x = PathExplainer::explainImage(*store, 0, path);
    QVERIFY2(x, x ? "" : qPrintable(x.error().message));
    QCOMPARE(x->kind, QStringLiteral("image"));
    QCOMPARE(x->layers.size(), layers.size());
    QVERIFY2(x->warnings.isEmpty(), qPrintable(x->warnings.join(QLatin1Char('\n'))));
    const auto [winner, visible] = expectedWinner(layers, path);
    QCOMPARE(x->visible, visible);
    if (winner < 0) {
        QVERIFY(x->winner < 0 || !x->visible);
    } else {
        QVERIFY(x->winner >= 0);
        const PathExplanation::Finding &w = x->layers.at(x->winner);
        QCOMPARE(w.imageLayer, winner);
        QCOMPARE(w.status, visible ? QStringLiteral("provides") : QStringLiteral("deletes"));
        if (!visible)
            QCOMPARE(w.type, EntryType::Whiteout);
    }
    for (const PathExplanation::Finding &f : std::as_const(x->layers)) {
        const QJsonObject l = layers.at(f.imageLayer).toObject();
        const bool has = strings(l.value(QStringLiteral("paths"))).contains(path)
            || strings(l.value(QStringLiteral("deleted_paths"))).contains(path);
        QCOMPARE(f.present, has);
        if (!has)
            continue;
        QVERIFY2(f.status != QLatin1String("absent"), qPrintable(f.status));
        // A copy below an opaque directory: the note names the layer that hides it.
        if (f.status == QLatin1String("not_reached"))
            QVERIFY2(f.note.contains(QLatin1String("opaque in layer 6")), qPrintable(f.note));
    }
}

void TestArchiveSearch::grepCrafted_data()
{
    strata::test::addColumns<QString, QByteArray, QByteArray, QStringList>("compression", "data", "text", "hits");
    QByteArray big(300 * 1024, 'a');
    big[1000] = '\n';
    big.replace(256 * 1024 - 3, 6, "NEEDLE");
    QByteArray nul("one\ntwo");
    nul.append('\0');
    nul.append("\nthe needle\n");
    for (const QString &c : {QStringLiteral("none"), QStringLiteral("gzip"), QStringLiteral("zstd")}) {
        QTest::newRow(qPrintable(c + QStringLiteral(": across two blocks")))
            << c << big << QByteArray("NEEDLE")
            << QStringList {QStringLiteral("0 file /a/big %1 2 262141").arg(big.size()),
                   QStringLiteral("1 file /a/link %1 2 262141").arg(big.size()),
                   QStringLiteral("1 file /b/big %1 2 262141").arg(big.size())};
        QTest::newRow(qPrintable(c + QStringLiteral(": binary")))
            << c << nul << QByteArray("needle")
            << QStringList {QStringLiteral("0 file /a/big %1 3 binary").arg(nul.size()),
                   QStringLiteral("1 file /a/link %1 3 binary").arg(nul.size()),
                   QStringLiteral("1 file /b/big %1 3 binary").arg(nul.size())};
    }
}

// Crafted layers: a match across libarchive's blocks and our chunks, NUL bytes before it, a
// hard link (grep sees its target's data), a whiteout marker whose data holds the text (no
// file), and compressed layers.
void TestArchiveSearch::grepCrafted()
{
    QFETCH(QString, compression);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, text);
    QFETCH(QStringList, hits);
    const QByteArray bottom = TarBuilder().dir("a").file("a/big", data).file("a/other", "nothing").bytes(compression);
    const QByteArray top = TarBuilder()
                               .dir("b")
                               .file("b/big", data)
                               .dir("a")
                               .hardlink("a/link", "b/big")
                               .file("a/.wh.other", text)
                               .bytes(compression);
    const QString path = crafted(QStringLiteral("grep-%1-%2.tar").arg(compression).arg(data.size()), {bottom, top});
    QVERIFY(!path.isEmpty());
    const auto store = open(path);
    QVERIFY(store);
    const Searched got = search(*store, QString::fromUtf8(text), true);
    QVERIFY(got.ok);
    // TarBuilder::dockerSave names the compressed bytes as diff IDs: the search says so, and
    // reads the layers all the same.
    for (const QString &p : got.problems)
        QVERIFY2(compression != QLatin1String("none") && p.contains(QLatin1String("diff ID mismatch")), qPrintable(p));
    QStringList seen;
    for (const SearchHit &h : got.raw) {
        const int layer = h.layer.section(QLatin1Char(' '), 1, 1).toInt();
        seen << QStringLiteral("%1 file %2 %3 %4 %5")
                    .arg(layer)
                    .arg(QString::fromUtf8(h.path))
                    .arg(h.size)
                    .arg(h.line)
                    .arg(h.binary ? QStringLiteral("binary") : QString::number(h.offset));
    }
    QCOMPARE(seen, hits); // in the order of a walk: layers bottom first, names sorted
}

// A layer's hits in the order of a walk of overlay2's directory (names sorted, each directory
// before what is in it), whatever the order of the tar; markers as overlay2 has them.
void TestArchiveSearch::walkOrder()
{
    const QByteArray layer = TarBuilder()
                                 .dir("d")
                                 .file("d/x.txt", "x\n")
                                 .symlink("d/l.txt", "x.txt")
                                 .dir("d/sub")
                                 .file("d/sub/.wh..wh..opq")
                                 .file("d/sub/y.txt", "y\n")
                                 .file("d/.wh.gone.txt")
                                 .bytes();
    const QString path = crafted(QStringLiteral("walk.tar"), {layer});
    const auto store = open(path);
    QVERIFY(store);
    const Searched got = search(*store, QStringLiteral("*"), false);
    QStringList order;
    for (const SearchHit &h : got.raw)
        order << QString::fromUtf8(h.path) + QLatin1Char(' ') + strata::entryTypeName(h.type)
                + (h.opaque ? QStringLiteral(" opaque") : QString());
    QCOMPARE(order,
        (QStringList {QStringLiteral("/d dir"),
            QStringLiteral("/d/gone.txt whiteout"),
            QStringLiteral("/d/l.txt symlink"),
            QStringLiteral("/d/sub dir opaque"),
            QStringLiteral("/d/sub/y.txt file"),
            QStringLiteral("/d/x.txt file")}));
}

// The sink stops a search (success), a cancelled control cancels it.
void TestArchiveSearch::cancelAndStop()
{
    const auto store
        = open(copied(strata::test::fixturesDir() + QStringLiteral("/generated/whiteout-demo.docker.tar")));
    QVERIFY(store);
    LayerSearch s(*store);
    int seen = 0;
    QVERIFY(s.find(QStringLiteral("*"), [&seen](const SearchHit &) { return ++seen < 3; }).ok());
    QCOMPARE(seen, 3);
    strata::ScanControl control;
    control.cancel();
    const strata::Status st = s.grep(
        "busybox", [](const SearchHit &) { return true; }, &control);
    QVERIFY(!st.ok());
    QCOMPARE(st.error().code, ECANCELED);
}

QTEST_GUILESS_MAIN(TestArchiveSearch)
#include "tst_archivesearch.moc"
