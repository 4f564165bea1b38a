// SPDX-License-Identifier: GPL-2.0-or-later
// dive's figures (core/analysis): dive's own test images against the numbers dive's test suite
// records, crafted layers for each quirk of docs/analysis.md, the opaque-aware correction,
// directory layers as the tars they would be, and the CI rules with .dive-ci files.

#include "core/analysis/cirules.h"
#include "core/analysis/efficiencyrun.h"
#include "core/analysis/imageanalyzer.h"
#include "core/analysis/layerstream.h"
#include "core/image/archive/archivestore.h"
#include "tests/support/datatable.h"
#include "tests/support/require.h"
#include "tests/support/sharedfixtures.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

using namespace strata;

namespace
{

// "d/" a directory, "d/f:10" a 10-byte file, anything else a 0-byte file (".wh.x" included).
TarEntry entryOf(const QString &spec)
{
    TarEntry e;
    QString path = spec;
    const qsizetype colon = spec.lastIndexOf(QLatin1Char(':'));
    if (colon > 0) {
        e.size = spec.mid(colon + 1).toLongLong();
        path = spec.left(colon);
    }
    if (path.endsWith(QLatin1Char('/'))) {
        e.type = EntryType::Directory;
        path.chop(1);
    }
    e.path = path.toUtf8();
    return e;
}

// Layers as "entry entry|entry ..." (layers separated by '|').
struct Ran {
    double efficiency;
    qint64 wasted;
    QStringList refs; // "path count size"
    QVector<LayerAnalysis> layers;
};

Ran run(const QString &layers, bool opaqueAware)
{
    EfficiencyRun r(opaqueAware);
    Ran out;
    for (const QString &layer : layers.split(QLatin1Char('|'))) {
        r.beginLayer();
        for (const QString &spec : layer.split(QLatin1Char(' '), Qt::SkipEmptyParts))
            r.add(entryOf(spec));
        LayerAnalysis l;
        r.endLayer(l);
        out.layers << l;
    }
    out.efficiency = r.efficiency();
    out.wasted = r.inefficientBytes();
    for (const FileReference &f : r.references())
        out.refs << QStringLiteral("%1 %2 %3").arg(QString::fromUtf8(f.path)).arg(f.count).arg(f.sizeBytes);
    return out;
}

QString copyFixture(
    const QTemporaryDir &tmp, const QString &name, const QString &folder = QStringLiteral("public/dive"))
{
    const QString from = test::sharedFixtures() + QLatin1Char('/') + folder + QLatin1Char('/') + name;
    const QString to = tmp.filePath(name);
    if (!QFile::copy(from, to))
        return {};
    QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner);
    return to;
}

Result<ImageAnalysis> analyzeArchive(const QString &path)
{
    auto store = ArchiveStore::open(path);
    if (!store)
        return store.error();
    auto image = (*store)->select({});
    if (!image)
        return image.error();
    return ImageAnalyzer::analyze(**store, *image);
}

} // namespace

class TestAnalysis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        STRATA_REQUIRE(QFileInfo::exists(test::sharedFixtures() + QStringLiteral("/public/dive/test-docker-image.tar")),
            "no fixtures: set STRATA_FIXTURES to ../shared/fixtures");
    }

    void diveQuirks_data();
    void diveQuirks();
    void layerChanges();
    void layerChangeLists_data();
    void layerChangeLists();
    void diveTestImages_data();
    void diveTestImages();
    void ociVariantsAgree();
    void opaqueDirectoryOfARealBuild_data();
    void opaqueDirectoryOfARealBuild();
    void directoryLayerIsItsTar();
    void parseBytes_data();
    void parseBytes();
    void ciRules_data();
    void ciRules();
};

void TestAnalysis::diveQuirks_data()
{
    test::addColumns<QString, bool, double, qint64, QStringList>("layers", "aware", "efficiency", "wasted", "refs");
    QTest::newRow("written then deleted") << QStringLiteral("d/|d/big:100|d/.wh.big") << false << 0.0 << qint64(100)
                                          << QStringList {QStringLiteral("/d/big 2 100")};
    QTest::newRow("modified in three layers") << QStringLiteral("f:10|f:20|f:30") << false << 10.0 / 60 << qint64(60)
                                              << QStringList {QStringLiteral("/f 3 60")};
    // A directory whiteout counts the subtree it deletes; the directory was no leaf below.
    QTest::newRow("directory whiteout") << QStringLiteral("d/ d/a:10 d/b:20|.wh.d") << false << 1.0 << qint64(0)
                                        << QStringList {};
    QTest::newRow("directory whiteout, directory a leaf") << QStringLiteral("d/|d/ d/a:10|.wh.d") << false << 10.0 / 20
                                                          << qint64(10) << QStringList {QStringLiteral("/d 2 10")};
    // A directory only implied by a deeper path is no directory: its whiteout counts 0.
    QTest::newRow("implied directory") << QStringLiteral("e/|d/a:10|.wh.d") << false << 1.0 << qint64(0)
                                       << QStringList {};
    // A whiteout of nothing ends the layer's scoring and leaves a minimum of -1.
    QTest::newRow("whiteout of nothing") << QStringLiteral("x:5|.wh.nothere y:7") << false << 4.0 / 5 << qint64(0)
                                         << QStringList {};
    QTest::newRow("only leaves count") << QStringLiteral("d/ d/f:4|d/ d/g:6") << false << 1.0 << qint64(0)
                                       << QStringList {};
    QTest::newRow("empty file twice") << QStringLiteral("f|f") << false << 1.0 << qint64(0)
                                      << QStringList {QStringLiteral("/f 2 0")};
    QTest::newRow("ties keep dive's order") << QStringLiteral("a:5 b:5|b:5 a:5") << false << 0.5 << qint64(20)
                                            << QStringList {QStringLiteral("/b 2 10"), QStringLiteral("/a 2 10")};
    // dive drops .wh..wh..opq: the directory's old contents never count.
    const QString opaque = QStringLiteral("d/ d/f:50|d/ d/.wh..wh..opq d/g:10");
    QTest::newRow("opaque, as dive") << opaque << false << 1.0 << qint64(0) << QStringList {};
    QTest::newRow("opaque, aware") << opaque << true << 10.0 / 60 << qint64(50)
                                   << QStringList {QStringLiteral("/d/f 2 50")};
    const QString nested = QStringLiteral("d/ d/s/ d/s/a:7 d/t:3|d/ d/.wh..wh..opq d/s/ d/s/b:1");
    QTest::newRow("opaque hides a re-created subdirectory's contents")
        << nested << true << 1.0 / 11 << qint64(10)
        << QStringList {QStringLiteral("/d/s/a 2 7"), QStringLiteral("/d/t 2 3")};
}

void TestAnalysis::diveQuirks()
{
    QFETCH(QString, layers);
    QFETCH(bool, aware);
    QFETCH(double, efficiency);
    QFETCH(qint64, wasted);
    QFETCH(QStringList, refs);
    const Ran r = run(layers, aware);
    QCOMPARE(r.refs, refs);
    QCOMPARE(r.wasted, wasted);
    QVERIFY2(qFuzzyCompare(1 + r.efficiency, 1 + efficiency), qPrintable(QString::number(r.efficiency, 'g', 17)));
}

void TestAnalysis::layerChanges()
{
    const Ran r = run(QStringLiteral("d/ d/a:10 d/b:20|d/ d/a:11 c:1 d/.wh.b|.wh.d"), false);
    QCOMPARE(r.layers.size(), 3);
    QCOMPARE(r.layers[0].added, 2); // leaves only: the two files
    QCOMPARE(r.layers[0].addedBytes, 30);
    QCOMPARE(r.layers[1].modified, 1);
    QCOMPARE(r.layers[1].modifiedBytes, 11);
    QCOMPARE(r.layers[1].added, 1);
    QCOMPARE(r.layers[1].removed, 1);
    QCOMPARE(r.layers[1].removedBytes, 0); // a file whiteout deletes 0 bytes, as dive sizes it
    QCOMPARE(r.layers[2].removed, 1);
    QCOMPARE(r.layers[2].removedBytes, 11); // the directory's header size 0 + d/a
    QCOMPARE(r.layers[1].sizeBytes, 12);
    QCOMPARE(r.layers[1].entries, 4);
}

// The changes themselves (`analyze --changes`), on whiteout-demo: what its Dockerfile's last RUNs
// do (../shared/fixtures/generated/README.md); the opaque /usr/local/lib hides marker.txt.
void TestAnalysis::layerChangeLists_data()
{
    test::addColumns<int, QStringList>("layer", "changes");
    QTest::newRow("COPY whoami.txt") << 4 << QStringList {QStringLiteral("A /kcnaiamh/whoami.txt 15")};
    QTest::newRow("rm + echo") << 5
                               << QStringList {QStringLiteral("D /kcnaiamh/whoami.txt 0"),
                                      QStringLiteral("A /kcnaiamh/second_instruction.txt 7")};
    QTest::newRow("rm -rf + mkdir: opaque") << 6
                                            << QStringList {QStringLiteral("A /usr/local/lib/fresh.txt 6"),
                                                   QStringLiteral("D /usr/local/lib/marker.txt 0")};
    QTest::newRow("ln -s, ln, chmod") << 7
                                      << QStringList {QStringLiteral("A /kcnaiamh/hard.txt 13"),
                                             QStringLiteral("A /kcnaiamh/link.txt 0"),
                                             QStringLiteral("M /kcnaiamh/takbir.txt 0")};
}

void TestAnalysis::layerChangeLists()
{
    QFETCH(int, layer);
    QFETCH(QStringList, changes);
    QTemporaryDir tmp;
    const QString archive = copyFixture(tmp, QStringLiteral("whiteout-demo.docker.tar"), QStringLiteral("generated"));
    QVERIFY(!archive.isEmpty());
    auto store = ArchiveStore::open(archive);
    QVERIFY(store.ok());
    auto a = ImageAnalyzer::analyze(**store, 0, nullptr, true);
    QVERIFY(a.ok());
    const LayerAnalysis &l = a->layers.at(layer);
    QStringList ours;
    for (const LayerChange &c : l.changes)
        ours << QStringLiteral("%1 %2 %3").arg(QLatin1Char(c.kind)).arg(QString::fromUtf8(c.path)).arg(c.sizeBytes);
    QCOMPARE(ours, changes);
    QCOMPARE(qint64(l.changes.size()), l.added + l.modified + l.removed);
    // Without asking, no lists are kept.
    auto plain = ImageAnalyzer::analyze(**store, 0);
    QVERIFY(plain.ok());
    QVERIFY(plain->layers.at(layer).changes.isEmpty());
}

void TestAnalysis::diveTestImages_data()
{
    test::addColumns<QString, double, qint64, qint64, qint64, double, QStringList>(
        "archive", "efficiency", "size", "userSize", "wasted", "userWasted", "refs");
    const QStringList refs {QStringLiteral("/root/saved.txt 2 12810"),
        QStringLiteral("/root/example/somefile1.txt 2 12810"),
        QStringLiteral("/root/example/somefile3.txt 2 6405")};
    // dive/image/docker/image_archive_analysis_test.go and its export snapshot.
    QTest::newRow("docker") << QStringLiteral("test-docker-image.tar") << 0.9844212134184309 << qint64(1220598)
                            << qint64(66237) << qint64(32025) << 0.4834911001404049 << refs;
    // The same Dockerfile built by kaniko, with a newer busybox and a longer README (9249
    // bytes): dive's suite records no figures for it. The same three files waste 5 copies.
    QTest::newRow("kaniko") << QStringLiteral("test-kaniko-image.tar") << 0.97936884902164312 << qint64(1326410)
                            << qint64(94677) << qint64(46245) << 0.48845020437909947
                            << QStringList {QStringLiteral("/root/saved.txt 2 18498"),
                                   QStringLiteral("/root/example/somefile1.txt 2 18498"),
                                   QStringLiteral("/root/example/somefile3.txt 2 9249")};
}

void TestAnalysis::diveTestImages()
{
    QFETCH(QString, archive);
    QFETCH(double, efficiency);
    QFETCH(qint64, size);
    QFETCH(qint64, userSize);
    QFETCH(qint64, wasted);
    QFETCH(double, userWasted);
    QFETCH(QStringList, refs);
    QTemporaryDir tmp;
    const QString path = copyFixture(tmp, archive);
    QVERIFY(!path.isEmpty());
    auto a = analyzeArchive(path);
    QVERIFY2(a, a ? "" : qPrintable(a.error().message));
    QVERIFY2(a->warnings.isEmpty(), qPrintable(a->warnings.join(QLatin1Char('\n'))));
    QStringList got;
    for (const FileReference &f : a->fileReferences)
        got << QStringLiteral("%1 %2 %3").arg(QString::fromUtf8(f.path)).arg(f.count).arg(f.sizeBytes);
    QCOMPARE(got, refs);
    QCOMPARE(a->sizeBytes, size);
    QCOMPARE(a->userSizeBytes, userSize);
    QCOMPARE(a->inefficientBytes, wasted);
    // Bit for bit: the same sums divided the same way as dive's float64.
    QVERIFY2(a->efficiency == efficiency, qPrintable(QString::number(a->efficiency, 'g', 17)));
    QVERIFY2(a->userWastedPercent == userWasted, qPrintable(QString::number(a->userWastedPercent, 'g', 17)));
    QCOMPARE(a->wastedBytesOpaqueAware, wasted); // no opaque directories in these images
}

void TestAnalysis::ociVariantsAgree()
{
    QTemporaryDir tmp;
    QVector<ImageAnalysis> all;
    for (const char *name : {"test-oci-uncompressed-image.tar", "test-oci-gzip-image.tar", "test-oci-zstd-image.tar"}) {
        const QString path = copyFixture(tmp, QLatin1String(name));
        QVERIFY(!path.isEmpty());
        auto a = analyzeArchive(path);
        QVERIFY2(a, a ? "" : qPrintable(a.error().message));
        QVERIFY2(a->warnings.isEmpty(), qPrintable(a->warnings.join(QLatin1Char('\n'))));
        all << *a;
    }
    for (const ImageAnalysis &a : all) {
        QCOMPARE(a.layers.size(), all[0].layers.size());
        QCOMPARE(a.sizeBytes, all[0].sizeBytes);
        QCOMPARE(a.userSizeBytes, 0); // one layer: user wasted is 0/0
        QVERIFY(std::isnan(a.userWastedPercent));
        QCOMPARE(a.inefficientBytes, all[0].inefficientBytes);
        QCOMPARE(a.efficiency, all[0].efficiency);
        QCOMPARE(a.layers[0].added, all[0].layers[0].added);
        QCOMPARE(a.layers[0].command, all[0].layers[0].command);
    }
    QVERIFY(all[0].sizeBytes > 0);
}

void TestAnalysis::opaqueDirectoryOfARealBuild_data()
{
    QTest::addColumn<QString>("archive");
    QTest::newRow("docker save") << QStringLiteral("whiteout-demo.docker.tar");
    QTest::newRow("oci gzip") << QStringLiteral("whiteout-demo.oci-gzip.tar");
    QTest::newRow("oci zstd") << QStringLiteral("whiteout-demo.oci-zstd.tar");
}

// `rm -rf /usr/local/lib && mkdir -p /usr/local/lib` (layer 6) makes the directory opaque: dive
// misses the 10 bytes of marker.txt it hides (docs/analysis.md).
void TestAnalysis::opaqueDirectoryOfARealBuild()
{
    QFETCH(QString, archive);
    QTemporaryDir tmp;
    const QString path = copyFixture(tmp, archive, QStringLiteral("generated"));
    QVERIFY(!path.isEmpty());
    auto a = analyzeArchive(path);
    QVERIFY2(a, a ? "" : qPrintable(a.error().message));
    QCOMPARE(a->inefficientBytes, 28);
    QCOMPARE(a->wastedBytesOpaqueAware, 38);
    QCOMPARE(a->fileReferencesOpaqueAware.size(), 3);
    QCOMPARE(a->fileReferencesOpaqueAware.last().path, QByteArrayLiteral("/usr/local/lib/marker.txt"));
    QCOMPARE(a->fileReferencesOpaqueAware.last().sizeBytes, 10);
    QCOMPARE(a->layers.size(), 8);
    QCOMPARE(a->layers[6].opaqueDirectories, 1);
    QCOMPARE(a->layers[6].removed, 1); // marker.txt, hidden
    QCOMPARE(a->layers[5].removed, 1); // .wh.whoami.txt
    QCOMPARE(a->userSizeBytes, 64);
    QCOMPARE(a->userWastedPercent, 0.4375);
}

// A layer directory as overlay2 holds it reads as the tar docker save would write for it.
void TestAnalysis::directoryLayerIsItsTar()
{
    QTemporaryDir tmp;
    const QString root = tmp.path();
    QVERIFY(QDir(root).mkpath(QStringLiteral("d/s")));
    QFile f(root + QStringLiteral("/d/s/a"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(7, 'x'));
    f.close();
    QVERIFY(::link(qPrintable(root + QStringLiteral("/d/s/a")), qPrintable(root + QStringLiteral("/d/z"))) == 0);
    const bool privileged = ::mknod(qPrintable(root + QStringLiteral("/gone")), S_IFCHR | 0600, makedev(0, 0)) == 0
        && ::setxattr(qPrintable(root + QStringLiteral("/d")), "trusted.overlay.opaque", "y", 1, 0) == 0;
    QStringList got;
    const Status s = LayerStream::readDir(
        root,
        [&got](const TarEntry &e) {
            got << QStringLiteral("%1%2:%3%4")
                       .arg(QString::fromUtf8(e.path), e.type == EntryType::Directory ? QStringLiteral("/") : QString())
                       .arg(e.size)
                       .arg(e.hardlink ? QStringLiteral(" link") : QString());
            return true;
        },
        nullptr);
    QVERIFY2(s, s ? "" : qPrintable(s.error().message));
    QStringList want {
        QStringLiteral("d/:0"), QStringLiteral("d/s/:0"), QStringLiteral("d/s/a:7"), QStringLiteral("d/z:0 link")};
    if (privileged)
        want = QStringList {QStringLiteral("d/:0"),
            QStringLiteral("d/.wh..wh..opq:0"),
            QStringLiteral("d/s/:0"),
            QStringLiteral("d/s/a:7"),
            QStringLiteral("d/z:0 link"),
            QStringLiteral(".wh.gone:0")};
    QCOMPARE(got, want);
}

void TestAnalysis::parseBytes_data()
{
    test::addColumns<QString, qint64>("text", "bytes");
    QTest::newRow("plain") << QStringLiteral("1234") << qint64(1234);
    QTest::newRow("19Mb, .dive-ci's example") << QStringLiteral("19Mb") << qint64(19000000);
    QTest::newRow("20MB") << QStringLiteral("20MB") << qint64(20000000);
    QTest::newRow("KiB") << QStringLiteral("2KiB") << qint64(2048);
    QTest::newRow("space and fraction") << QStringLiteral("1.5 GB") << qint64(1500000000);
    QTest::newRow("bytes") << QStringLiteral("10 B") << qint64(10);
    QTest::newRow("unknown unit") << QStringLiteral("10 parsecs") << qint64(-1);
    QTest::newRow("no number") << QStringLiteral("MB") << qint64(-1);
    QTest::newRow("negative") << QStringLiteral("-5") << qint64(-1);
}

void TestAnalysis::parseBytes()
{
    QFETCH(QString, text);
    QFETCH(qint64, bytes);
    auto r = CiRules::parseBytes(text);
    QCOMPARE(r ? qint64(*r) : qint64(-1), bytes);
}

void TestAnalysis::ciRules_data()
{
    test::addColumns<QByteArray, QString, QString>("diveCi", "statuses", "error");
    QTest::newRow("defaults") << QByteArray() << QStringLiteral("pass skip fail") << QString();
    QTest::newRow("dive's .dive-ci example")
        << QByteArray("rules:\n  # a comment\n  lowestEfficiency: 0.96\n\n  highestWastedBytes: 19Mb\n"
                      "  highestUserWastedPercent: 0.6\n")
        << QStringLiteral("pass pass pass") << QString();
    QTest::newRow("wasted bytes over 30KB")
        << QByteArray("highestWastedBytes: 30KB # top-level key\n") << QStringLiteral("pass fail fail") << QString();
    QTest::newRow("kebab keys, quoted, disabled")
        << QByteArray("rules:\n  lowest-efficiency: \"0.99\"\n  highest-wasted-bytes: '40000'\n"
                      "  highest-user-wasted-percent: disabled\n")
        << QStringLiteral("fail pass skip") << QString();
    QTest::newRow("off and false skip") << QByteArray(
        "rules:\n  lowestEfficiency: off\n  highestUserWastedPercent: false\n")
                                        << QStringLiteral("skip skip skip") << QString();
    QTest::newRow("out of range") << QByteArray("rules:\n  lowestEfficiency: 1.5\n") << QString()
                                  << QStringLiteral(
                                         "lowestEfficiency config value is outside allowed range (0-1), given '1.5'");
    QTest::newRow("not a size") << QByteArray("rules:\n  highestWastedBytes: lots\n") << QString()
                                << QStringLiteral("invalid highestWastedBytes config value, given \"lots\"");
    QTest::newRow("not yaml") << QByteArray("rules:\n  just words\n") << QString()
                              << QStringLiteral("line 2: not a \"key: value\" line");
}

void TestAnalysis::ciRules()
{
    QFETCH(QByteArray, diveCi);
    QFETCH(QString, statuses);
    QFETCH(QString, error);
    ImageAnalysis a; // test-docker-image.tar's figures
    a.efficiency = 0.9844212134184309;
    a.inefficientBytes = 32025;
    a.userWastedPercent = 0.4834911001404049;
    CiRules rules;
    const Status read = rules.readDiveCi(diveCi);
    auto evaluated = read ? rules.evaluate(a) : Result<QVector<CiRuleResult>>(read.error());
    QCOMPARE(evaluated ? QString() : evaluated.error().message, error);
    if (!evaluated)
        return;
    QStringList got;
    for (const CiRuleResult &r : *evaluated)
        got << CiRuleResult::statusName(r.status);
    QCOMPARE(got.join(QLatin1Char(' ')), statuses);
    QCOMPARE((*evaluated)[0].name, QStringLiteral("lowestEfficiency"));
    QCOMPARE((*evaluated)[2].name, QStringLiteral("highestUserWastedPercent"));
}

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
