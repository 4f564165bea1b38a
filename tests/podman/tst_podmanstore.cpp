// SPDX-License-Identifier: GPL-2.0-or-later
// The Podman store over synthetic containers-storage stores (tests/support/podmanfixture):
// whiteouts in both forms (0/0 devices with overlay xattrs, and the `.wh.` files of a store
// used through fuse-overlayfs) give the same images, views, searches and diffs; damaged
// record files are problems, not failures; nothing read is changed.
#include "core/image/layersearch.h"
#include "core/image/podman/podmandiff.h"
#include "core/image/podman/podmanrecords.h"
#include "core/image/podman/podmanstorageconf.h"
#include "core/image/podman/podmanstore.h"
#include "core/merge/mergedtree.h"
#include "tests/support/podmanfixture.h"
#include "tests/support/require.h"
#include "tests/support/treesnapshot.h"

#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace strata;
using Fixture = strata::test::PodmanFixture;

Q_DECLARE_METATYPE(Fixture::Whiteouts)

namespace
{

QStringList visible(const MergeLayers &layers, const MergeOptions &options)
{
    auto tree = MergedTree::build(layers, options);
    if (!tree)
        return {QStringLiteral("error: ") + tree.error().message};
    QStringList paths;
    for (const QByteArray &p : test::TreeSnapshot::fromMergedTree(*tree).records().keys()) {
        if (p != "/")
            paths << QString::fromUtf8(p);
    }
    return paths;
}

QStringList list(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *i : items)
        out << QString::fromUtf8(i);
    return out;
}

QStringList lines(const QVector<ContainerChange> &changes)
{
    QStringList out;
    for (const ContainerChange &c : changes)
        out << QLatin1Char(c.letter()) + QLatin1Char(' ') + QString::fromUtf8(c.path);
    return out;
}

void addForms()
{
    QTest::addColumn<Fixture::Whiteouts>("form");
    QTest::newRow(".wh. files") << Fixture::Whiteouts::Files;
    QTest::newRow("0/0 devices") << Fixture::Whiteouts::Devices;
}

} // namespace

class TestPodmanStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Fixture m_fx;
    std::optional<PodmanStore> m_store;

    // Builds a fresh fixture in `form` and opens it.
    bool open(Fixture::Whiteouts form)
    {
        m_store.reset();
        m_fx = Fixture();
        if (!m_fx.build(m_dir.path() + QStringLiteral("/store%1").arg(++m_built), form))
            return false;
        auto s = PodmanStore::open(m_fx.root);
        if (!s) {
            qWarning("%s", qPrintable(s.error().message));
            return false;
        }
        m_store = std::move(*s);
        return true;
    }
    int m_built = 0;

private Q_SLOTS:
    void records_data() { addForms(); }
    void records()
    {
        QFETCH(Fixture::Whiteouts, form);
        STRATA_REQUIRE(form == Fixture::Whiteouts::Files || ::geteuid() == 0, "root (mknod 0/0, trusted.* xattrs)");
        QVERIFY(open(form));
        const PodmanStore &s = *m_store;
        for (const StoreProblem &p : s.problems())
            qWarning("%s", qPrintable(p.text()));
        QVERIFY(s.problems().isEmpty());
        QCOMPARE(s.kindName(), QStringLiteral("Podman"));
        QCOMPARE(s.imageCount(), 2);
        const PodmanImage &app = s.imageAt(0); // newest first
        QCOMPARE(app.id, m_fx.appId);
        QCOMPARE(app.tags, QStringList {QStringLiteral("localhost/fx/app:v1")});
        QVERIFY(app.digests.value(0).startsWith(QStringLiteral("localhost/fx/app@sha256:")));
        QCOMPARE(s.imageLayerCount(0), 3);
        QCOMPARE(s.imageLayerCount(1), 2);
        QCOMPARE(app.history.size(), 4);
        QVERIFY(app.history.at(2).emptyLayer);
        QCOMPARE(app.history.at(2).layerIndex, -1);
        QCOMPARE(app.history.at(3).layerIndex, 2);
        QVERIFY(app.historyMatches);
        QCOMPARE(app.size, qint64(2048 + 4096 + 6144));
        for (int k = 0; k < 3; ++k) {
            const StoreLayer &l = s.imageLayerAt(0, k);
            QCOMPARE(l.cacheId, m_fx.layerIds.at(k));
            QCOMPARE(l.diffId, m_fx.diffIds.at(k));
            QCOMPARE(l.alias, QStringLiteral("l/") + m_fx.links.at(k));
            QCOMPARE(l.diffDir, m_fx.diff(m_fx.layerIds.at(k)));
        }
        QCOMPARE(s.imageAt(0).history.at(3).createdBy.contains(QStringLiteral("b.txt")), true);
        QCOMPARE(s.imageIdsUsing(m_fx.layerIds.at(0)).size(), 2);
        QCOMPARE(s.imageIdsUsing(m_fx.layerIds.at(2)), QStringList {m_fx.appId});
        QCOMPARE(s.imageIndex(QStringLiteral("fx/app:v1")).value(), 0);
        QCOMPARE(s.imageIndex(m_fx.baseId.mid(7, 8)).value(), 1);
        QCOMPARE(s.storedLayerCount(), 3);
        QCOMPARE(s.containerCount(), 2);
        const PodmanContainer &web = s.containerAt(*s.containerIndex(QStringLiteral("web")));
        QCOMPARE(web.imageId, m_fx.appId);
        QCOMPARE(web.image, QStringLiteral("localhost/fx/app:v1"));
        QCOMPARE(web.upperDir, m_fx.diff(m_fx.webLayer));
        QCOMPARE(web.lowerDirs,
            QStringList(
                {m_fx.diff(m_fx.layerIds.at(2)), m_fx.diff(m_fx.layerIds.at(1)), m_fx.diff(m_fx.layerIds.at(0))}));
        QVERIFY(web.initDir.isEmpty());
        QCOMPARE(s.containerAt(0).name, QStringLiteral("idle")); // newest first
    }

    // Both forms give the same merged views: a deleted directory is gone, the opaque one holds
    // only its own file, the container's deletion hides /etc/motd.
    void views_data() { addForms(); }
    void views()
    {
        QFETCH(Fixture::Whiteouts, form);
        STRATA_REQUIRE(form == Fixture::Whiteouts::Files || ::geteuid() == 0, "root (mknod 0/0, trusted.* xattrs)");
        QVERIFY(open(form));
        const PodmanStore &s = *m_store;
        const QStringList image = list({"/app",
            "/app/readme.txt",
            "/app/run.sh",
            "/bin",
            "/bin/sh",
            "/data",
            "/data/keep.txt",
            "/data/old",
            "/data/old/b.txt",
            "/etc",
            "/etc/motd",
            "/etc/os-release"});
        QCOMPARE(visible(*s.imageMergeLayers(0), s.mergeOptions()), image);
        QStringList container = image;
        container.removeAll(QStringLiteral("/etc/motd"));
        container.insert(1, QStringLiteral("/app/new.txt"));
        QCOMPARE(
            visible(*s.containerMergeLayers(*s.containerIndex(QStringLiteral("web"))), s.mergeOptions()), container);
        const QStringList base = list({"/app",
            "/app/readme.txt",
            "/bin",
            "/bin/sh",
            "/data",
            "/data/keep.txt",
            "/etc",
            "/etc/motd",
            "/etc/os-release"});
        QCOMPARE(visible(*s.imageMergeLayers(1), s.mergeOptions()), base);
    }

    // `podman diff`'s walk of the upper gives the same lines for both forms.
    void diff_data() { addForms(); }
    void diff()
    {
        QFETCH(Fixture::Whiteouts, form);
        STRATA_REQUIRE(form == Fixture::Whiteouts::Files || ::geteuid() == 0, "root (mknod 0/0, trusted.* xattrs)");
        QVERIFY(open(form));
        auto web = PodmanDiff::compute(*m_store, *m_store->containerIndex(QStringLiteral("web")));
        QVERIFY(web.ok());
        QCOMPARE(lines(web->changes), list({"C /app", "A /app/new.txt", "C /app/readme.txt", "C /etc", "D /etc/motd"}));
        auto idle = PodmanDiff::compute(*m_store, *m_store->containerIndex(QStringLiteral("idle")));
        QVERIFY(idle.ok());
        QVERIFY(idle->changes.isEmpty());
    }

    // find sees a deletion as a whiteout in either form, and never a `.wh.` name.
    void find_data() { addForms(); }
    void find()
    {
        QFETCH(Fixture::Whiteouts, form);
        STRATA_REQUIRE(form == Fixture::Whiteouts::Files || ::geteuid() == 0, "root (mknod 0/0, trusted.* xattrs)");
        QVERIFY(open(form));
        LayerSearch search(*m_store);
        QStringList hits;
        QVERIFY(search
                    .find(QStringLiteral("*"),
                        [&hits](const SearchHit &h) {
                            hits << QStringLiteral("%1 %2 %3")
                                        .arg(h.layer.left(7), QString::fromUtf8(h.path))
                                        .arg(h.type == EntryType::Whiteout ? QStringLiteral("whiteout") : QString());
                            return true;
                        })
                    .ok());
        QVERIFY2(hits.filter(QStringLiteral(".wh.")).isEmpty(), qPrintable(hits.join(QLatin1Char('\n'))));
        QVERIFY2(hits.contains(QStringLiteral("layer 1 /data/old whiteout")), qPrintable(hits.join(QLatin1Char('\n'))));
        QVERIFY2(hits.contains(QStringLiteral("upper ( /etc/motd whiteout")), qPrintable(hits.join(QLatin1Char('\n'))));
        QStringList found;
        QVERIFY(search
                    .grep("run",
                        [&found](const SearchHit &h) {
                            found << QString::fromUtf8(h.path);
                            return true;
                        })
                    .ok());
        QCOMPARE(found, QStringList {QStringLiteral("/app/run.sh")});
    }

    // Reading everything changes nothing in the store.
    void readOnly()
    {
        QVERIFY(open(Fixture::Whiteouts::Files));
        const QStringList before = m_fx.fingerprint();
        for (qsizetype i = 0; i < m_store->imageCount(); ++i)
            QVERIFY(MergedTree::build(*m_store->imageMergeLayers(i), m_store->mergeOptions()).ok());
        for (qsizetype i = 0; i < m_store->containerCount(); ++i)
            QVERIFY(PodmanDiff::compute(*m_store, i).ok());
        QVERIFY(PodmanStore::open(m_fx.root).ok());
        QCOMPARE(m_fx.fingerprint(), before);
    }

    // A damaged file is a problem naming it; the rest of the store is still read.
    void damaged_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content"); // null: the file is removed
        QTest::addColumn<QString>("problem"); // empty: none
        QTest::addColumn<int>("images");
        QTest::addColumn<int>("containers");
        QTest::newRow("layers.json not JSON") << QStringLiteral("overlay-layers/layers.json") << QByteArray("[{\"id\":")
                                              << QStringLiteral("not valid JSON") << 2 << 2;
        QTest::newRow("images.json an object") << QStringLiteral("overlay-images/images.json") << QByteArray("{}")
                                               << QStringLiteral("not a JSON array") << 0 << 2;
        QTest::newRow("images.json missing")
            << QStringLiteral("overlay-images/images.json") << QByteArray() << QStringLiteral("No such file") << 0 << 2;
        QTest::newRow("containers.json missing")
            << QStringLiteral("overlay-containers/containers.json") << QByteArray() << QString() << 2 << 0;
        QTest::newRow("a record without an ID")
            << QStringLiteral("overlay-containers/containers.json") << QByteArray("[{\"names\":[\"x\"]}, 7]")
            << QStringLiteral("has no usable ID") << 2 << 0;
        QTest::newRow("a hostile ID") << QStringLiteral("overlay-containers/containers.json")
                                      << QByteArray("[{\"id\":\"../../etc\"}]") << QStringLiteral("has no usable ID")
                                      << 2 << 0;
    }
    void damaged()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, problem);
        QFETCH(int, images);
        QFETCH(int, containers);
        QTemporaryDir dir;
        Fixture fx;
        QVERIFY(fx.build(dir.path(), Fixture::Whiteouts::Files));
        const QString path = fx.root + QLatin1Char('/') + file;
        QVERIFY(content.isNull() ? QFile::remove(path) : Fixture::writeFile(path, content));
        auto s = PodmanStore::open(fx.root);
        QVERIFY(s.ok());
        QStringList problems;
        for (const StoreProblem &p : s->problems())
            problems << p.text();
        if (problem.isEmpty())
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        else
            QVERIFY2(!problems.filter(problem).isEmpty() && !problems.filter(path).isEmpty(),
                qPrintable(problems.join(QLatin1Char('\n'))));
        QCOMPARE(s->imageCount(), images);
        QCOMPARE(s->containerCount(), containers);
    }

    void notAStore()
    {
        QTemporaryDir dir;
        auto s = PodmanStore::open(dir.path());
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.contains(QStringLiteral("not a containers-storage store")));
        QVERIFY(!PodmanStore::open(dir.path() + QStringLiteral("/missing")).ok());
    }

    void bigDataFileName_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("file");
        QTest::newRow("plain") << QStringLiteral("manifest") << QStringLiteral("manifest");
        QTest::newRow("digits and dots") << QStringLiteral("v1.2") << QStringLiteral("v1.2");
        QTest::newRow("a digest") << QStringLiteral("sha256:abc") << QStringLiteral("=c2hhMjU2OmFiYw==");
        QTest::newRow("upper case") << QStringLiteral("Manifest") << QStringLiteral("=TWFuaWZlc3Q=");
        QTest::newRow("a dash") << QStringLiteral("manifest-sha256") << QStringLiteral("=bWFuaWZlc3Qtc2hhMjU2");
    }
    void bigDataFileName()
    {
        QFETCH(QString, key);
        QFETCH(QString, file);
        QCOMPARE(PodmanRecords::bigDataFileName(key), file);
    }

    void storageConf_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("graphRoot");
        QTest::addColumn<QString>("driver");
        QTest::newRow("Debian's") << QByteArray(
            "[storage]\ndriver = \"overlay\"\nrunroot = \"/run/containers/storage\"\n"
            "graphroot = \"/var/lib/containers/storage\"\n[storage.options]\n")
                                  << QStringLiteral("/var/lib/containers/storage") << QStringLiteral("overlay");
        QTest::newRow("comments, other tables")
            << QByteArray("# graphroot = \"/no\"\n[storage.options.overlay]\n"
                          "graphroot = \"/no\"\n[storage]\n  graphroot='/x' # here\n")
            << QStringLiteral("/x") << QStringLiteral("");
        QTest::newRow("nothing") << QByteArray() << QStringLiteral("") << QStringLiteral("");
    }
    void storageConf()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, graphRoot);
        QFETCH(QString, driver);
        const PodmanStorageConf c = PodmanStorageConf::parse(text);
        QCOMPARE(c.graphRoot, graphRoot);
        QCOMPARE(c.driver, driver);
    }
};

QTEST_GUILESS_MAIN(TestPodmanStore)
#include "tst_podmanstore.moc"
