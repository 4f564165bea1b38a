// SPDX-License-Identifier: GPL-2.0-or-later
// `strata compare` (core/analysis/ImageComparer): the generated fixtures, whose Dockerfiles
// (../shared/fixtures/generated/README.md) say what each image changes, in every direction and
// across formats; crafted archives for what only the bytes tell (same size, other content; the
// same bytes from another layer; a removed directory listed once; a hard link's size).

#include "core/analysis/finaltree.h"
#include "core/analysis/imagecomparer.h"
#include "core/image/archive/archivestore.h"
#include "core/image/imagereference.h"
#include "tests/support/datatable.h"
#include "tests/support/require.h"
#include "tests/support/sharedfixtures.h"
#include "tests/support/tarbuilder.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
using test::TarBuilder;

namespace
{

QString generated(const QString &name)
{
    return test::sharedFixtures() + QStringLiteral("/generated/") + name;
}

Result<ImageComparison> compareArchives(const QString &a, const QString &b)
{
    auto sa = ArchiveStore::open(a);
    if (!sa)
        return sa.error();
    auto sb = ArchiveStore::open(b);
    if (!sb)
        return sb.error();
    auto ia = (*sa)->select({});
    auto ib = (*sb)->select({});
    if (!ia || !ib)
        return Error {EINVAL, QStringLiteral("no image")};
    return ImageComparer::compare(**sa, *ia, **sb, *ib);
}

// "K /path (what, ...)" per change.
QStringList lines(const ImageComparison &c)
{
    QStringList out;
    for (const ImageChange &ch : c.changes) {
        QString line = QStringLiteral("%1 %2").arg(QLatin1Char(ch.kind)).arg(QString::fromUtf8(ch.path));
        if (!ch.what.isEmpty())
            line += QStringLiteral(" (%1)").arg(ch.what.join(QStringLiteral(", ")));
        out << line;
    }
    return out;
}

QStringList diffIds(const QString &archive)
{
    auto store = ArchiveStore::open(archive);
    if (!store)
        return {};
    return (*store)->imageAt(0).diffIds;
}

} // namespace

class TestCompare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixtures_data()
    {
        test::addColumns<QString, QString, QStringList, int>("a", "b", "changes", "shared");
        const QString blog = QStringLiteral("blog-new-build.docker.tar");
        const QString demo = QStringLiteral("whiteout-demo.docker.tar");
        // whiteout-demo's last three RUNs on top of new-build's layers: a file removed and one
        // written, /usr/local/lib re-created (opaque: marker.txt gone, fresh.txt new), a symlink
        // and a hard link added, chmod 600 of takbir.txt (its hard link shares the mode).
        const QStringList forward {QStringLiteral("A /kcnaiamh/hard.txt"),
            QStringLiteral("A /kcnaiamh/link.txt"),
            QStringLiteral("A /kcnaiamh/second_instruction.txt"),
            QStringLiteral("C /kcnaiamh/takbir.txt (mode)"),
            QStringLiteral("D /kcnaiamh/whoami.txt"),
            QStringLiteral("A /usr/local/lib/fresh.txt"),
            QStringLiteral("D /usr/local/lib/marker.txt")};
        QStringList backward;
        for (QString l : forward)
            backward << (l.startsWith(u'A') ? l.replace(0, 1, u'D') : l.startsWith(u'D') ? l.replace(0, 1, u'A') : l);
        QTest::newRow("new-build to whiteout-demo") << blog << demo << forward << 5;
        QTest::newRow("whiteout-demo to new-build") << demo << blog << backward << 5;
        QTest::newRow("itself") << demo << demo << QStringList() << 8;
        QTest::newRow("docker save vs OCI gzip")
            << demo << QStringLiteral("whiteout-demo.oci-gzip.tar") << QStringList() << 8;
        QTest::newRow("OCI gzip vs OCI zstd") << QStringLiteral("whiteout-demo.oci-gzip.tar")
                                              << QStringLiteral("whiteout-demo.oci-zstd.tar") << QStringList() << 8;
    }

    void fixtures()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(QStringList, changes);
        QFETCH(int, shared);
        STRATA_REQUIRE(QFileInfo::exists(generated(a)), "no fixtures: set STRATA_FIXTURES to ../shared/fixtures");
        auto c = compareArchives(generated(a), generated(b));
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        QCOMPARE(lines(*c), changes);
        QVERIFY2(c->warnings.isEmpty(), qPrintable(c->warnings.join(u'\n')));
        // The shared layers are the diff IDs both configs list (the archives' own record).
        const QStringList idsA = diffIds(generated(a));
        const QStringList idsB = diffIds(generated(b));
        QStringList both;
        for (const QString &d : idsA)
            if (idsB.contains(d))
                both << d;
        QCOMPARE(c->sharedLayers, both);
        QCOMPARE(c->sharedLayers.size(), shared);
        QCOMPARE(c->commonBase, shared);
    }

    // What only the bytes tell, on crafted archives: layer tars bottom first.
    void crafted_data()
    {
        test::addColumns<QVector<QByteArray>, QVector<QByteArray>, QStringList, qint64>("a", "b", "changes", "hashed");
        const QByteArray base = TarBuilder().dir("d").file("d/same", "12345").file("d/x", "xx").bytes();
        QTest::newRow("same size, other bytes")
            << QVector<QByteArray> {base} << QVector<QByteArray> {base, TarBuilder().file("d/same", "54321").bytes()}
            << QStringList {QStringLiteral("C /d/same (content)")} << qint64(1);
        QTest::newRow("same bytes from another layer")
            << QVector<QByteArray> {base} << QVector<QByteArray> {base, TarBuilder().file("d/same", "12345").bytes()}
            << QStringList() << qint64(1);
        QTest::newRow("a shared layer is not read")
            << QVector<QByteArray> {base} << QVector<QByteArray> {base} << QStringList() << qint64(0);
        QTest::newRow("mode and bytes") << QVector<QByteArray> {base}
                                        << QVector<QByteArray> {base,
                                               TarBuilder().file("d/same", "abcde", 0600).bytes()}
                                        << QStringList {QStringLiteral("C /d/same (mode, content)")} << qint64(1);
        QTest::newRow("a removed directory once")
            << QVector<QByteArray> {base} << QVector<QByteArray> {base, TarBuilder().file(".wh.d").bytes()}
            << QStringList {QStringLiteral("D /d")} << qint64(0);
        QTest::newRow("an opaque directory")
            << QVector<QByteArray> {base}
            << QVector<QByteArray> {base, TarBuilder().dir("d").file("d/.wh..wh..opq").file("d/x", "xx").bytes()}
            << QStringList {QStringLiteral("D /d/same")} << qint64(1);
        QTest::newRow("the whiteout after the file it hides, in one layer")
            << QVector<QByteArray> {base}
            << QVector<QByteArray> {base, TarBuilder().file("d/new", "n").file("d/.wh.same").bytes()}
            << QStringList {QStringLiteral("A /d/new"), QStringLiteral("D /d/same")} << qint64(0);
        QTest::newRow("a file becomes a directory")
            << QVector<QByteArray> {base}
            << QVector<QByteArray> {base, TarBuilder().file("d/.wh.x").dir("d/x").file("d/x/in", "i").bytes()}
            << QStringList {QStringLiteral("C /d/x (type)"), QStringLiteral("A /d/x/in")} << qint64(0);
        QTest::newRow("a hard link has its target's size")
            << QVector<QByteArray> {base} << QVector<QByteArray> {base, TarBuilder().hardlink("d/link", "d/x").bytes()}
            << QStringList {QStringLiteral("A /d/link")} << qint64(0);
        QTest::newRow("a symlink's target") << QVector<QByteArray> {TarBuilder().symlink("l", "a").bytes()}
                                            << QVector<QByteArray> {TarBuilder().symlink("l", "b").bytes()}
                                            << QStringList {QStringLiteral("C /l (target)")} << qint64(0);
    }

    void crafted()
    {
        QFETCH(QVector<QByteArray>, a);
        QFETCH(QVector<QByteArray>, b);
        QFETCH(QStringList, changes);
        QFETCH(qint64, hashed);
        QTemporaryDir tmp;
        const QString pa = tmp.filePath(QStringLiteral("a.tar"));
        const QString pb = tmp.filePath(QStringLiteral("b.tar"));
        QVERIFY(TarBuilder::write(pa, TarBuilder::dockerSave(a, QStringLiteral("a:1"))));
        QVERIFY(TarBuilder::write(pb, TarBuilder::dockerSave(b, QStringLiteral("b:1"))));
        auto c = compareArchives(pa, pb);
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        QCOMPARE(lines(*c), changes);
        QCOMPARE(c->hashedFiles, hashed);
        QVERIFY2(c->warnings.isEmpty(), qPrintable(c->warnings.join(u'\n')));
        if (QTest::currentDataTag() == QByteArrayLiteral("a hard link has its target's size"))
            QCOMPARE(c->changes.first().sizeB, 2);
    }

    void references_data()
    {
        test::addColumns<QString, bool, int, QString, QString>("spec", "ok", "kind", "ref", "space");
        using K = ImageReference::Kind;
        QTest::newRow("docker") << QStringLiteral("docker:busybox:1") << true << int(K::Docker)
                                << QStringLiteral("busybox:1") << QString();
        QTest::newRow("archive path") << QStringLiteral("/tmp/a.tar") << true << int(K::Archive)
                                      << QStringLiteral("/tmp/a.tar") << QString();
        QTest::newRow("archive with a colon") << QStringLiteral("archive:/tmp/a:b.tar") << true << int(K::Archive)
                                              << QStringLiteral("/tmp/a:b.tar") << QString();
        QTest::newRow("containerd k8s.io namespace")
            << QStringLiteral("containerd:k8s.io/docker.io/library/x:1") << true << int(K::Containerd)
            << QStringLiteral("docker.io/library/x:1") << QStringLiteral("k8s.io");
        QTest::newRow("containerd NS/REF")
            << QStringLiteral("containerd:moby/docker.io/library/x:1") << true << int(K::Containerd)
            << QStringLiteral("docker.io/library/x:1") << QStringLiteral("moby");
        QTest::newRow("containerd without NS")
            << QStringLiteral("containerd:docker.io/library/x:1") << true << int(K::Containerd)
            << QStringLiteral("docker.io/library/x:1") << QString();
        QTest::newRow("podman") << QStringLiteral("podman:localhost/x:1") << true << int(K::Podman)
                                << QStringLiteral("localhost/x:1") << QString();
        QTest::newRow("nothing after docker:") << QStringLiteral("docker:") << false << 0 << QString() << QString();
    }

    void references()
    {
        QFETCH(QString, spec);
        QFETCH(bool, ok);
        QFETCH(int, kind);
        QFETCH(QString, ref);
        QFETCH(QString, space);
        auto r = ImageReference::parse(spec);
        QCOMPARE(r.ok(), ok);
        if (!ok)
            return;
        QCOMPARE(int(r->kind()), kind);
        QCOMPARE(r->ref(), ref);
        QCOMPARE(r->space(), space);
    }

    void normalise_data()
    {
        test::addColumns<QByteArray, QByteArray>("name", "path");
        QTest::newRow("plain") << QByteArrayLiteral("a/b") << QByteArrayLiteral("a/b");
        QTest::newRow("dot slash") << QByteArrayLiteral("./a/b/") << QByteArrayLiteral("a/b");
        QTest::newRow("absolute") << QByteArrayLiteral("/a") << QByteArrayLiteral("a");
        QTest::newRow("root") << QByteArrayLiteral("./") << QByteArray();
    }

    void normalise()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, path);
        QCOMPARE(FinalTree::normalise(name), path);
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_compare.moc"
