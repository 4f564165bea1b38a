// SPDX-License-Identifier: GPL-2.0-or-later
// The store abstraction (ImageStore) as DockerHost answers it, on a small Docker root built
// here (FakeDockerRoot): the records, the stacks, who shares a layer, what find walks.
#include "core/image/docker/dockerhost.h"
#include "core/image/imagestore.h"
#include "core/util/scancontrol.h"
#include "tests/support/datatable.h"
#include "tests/support/fakedockerroot.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <memory>
#include <optional>

using namespace strata;
using strata::test::FakeDockerRoot;

namespace
{

struct Opened {
    QTemporaryDir dir;
    FakeDockerRoot fake;
    std::optional<DockerHost> host;
};

std::unique_ptr<Opened> open(bool extraBaseTag = false)
{
    auto o = std::make_unique<Opened>();
    if (!o->fake.build(o->dir.path(), 0, extraBaseTag))
        return nullptr;
    auto host = DockerHost::open(o->dir.path());
    if (!host)
        return nullptr;
    o->host.emplace(std::move(host.value()));
    return o;
}

} // namespace

class TestImageStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void records()
    {
        auto o = open();
        QVERIFY(o);
        const ImageStore &store = *o->host;
        QCOMPARE(store.kindName(), QStringLiteral("Docker"));
        QCOMPARE(store.imageCount(), 2);
        QCOMPARE(store.imageAt(0).displayName(), QStringLiteral("gui/app:v1"));
        QCOMPARE(store.imageAt(0).shortId(), o->fake.appId.mid(7, 12));
        QCOMPARE(store.imageLayerCount(0), 3);
        QCOMPARE(store.storedLayerCount(), 3);
        QCOMPARE(store.intermediateCount(), 0);
        for (int k = 0; k < 3; ++k) {
            const StoreLayer &l = store.imageLayerAt(0, k);
            QCOMPARE(l.index, k);
            QCOMPARE(l.diffId, o->fake.diffIds.at(k));
            QCOMPARE(l.chainId, o->fake.chainIds.at(k));
            QCOMPARE(l.cacheId, o->fake.cacheIds.at(k));
            QCOMPARE(l.diffDir, o->fake.diff(o->fake.cacheIds.at(k)));
            QCOMPARE(l.alias, QStringLiteral("l/") + o->fake.links.at(k));
            QCOMPARE(l.name, QStringLiteral("layer %1 (%2)").arg(k).arg(o->fake.cacheIds.at(k).left(12)));
        }
        QCOMPARE(store.imageLayerAt(0, 2).createdBy, QStringLiteral("RUN cat takbir.txt > out.txt"));
        QCOMPARE(store.containerCount(), 1);
        QCOMPARE(store.containerAt(0).displayName(), QStringLiteral("web"));
        QCOMPARE(store.containerAt(0).imageName(), QStringLiteral("gui/app:v1"));
        QCOMPARE(store.indexOf(store.containerAt(0)), 0);
        QCOMPARE(store.indexOf(store.imageAt(1)), 1);
        QCOMPARE(store.imageById(o->fake.baseId), &store.imageAt(1));
    }

    void stacks_data()
    {
        // kinds: StoreLayerKind as its stack role name
        // layers: image layer index, "-" for none
        strata::test::addColumns<QString, bool, QStringList, QStringList>("ref", "withUpper", "kinds", "layers");
        QTest::newRow("image gui/app:v1")
            << QStringLiteral("gui/app:v1") << true
            << QStringList {QStringLiteral("layer"), QStringLiteral("layer"), QStringLiteral("layer")}
            << QStringList {QStringLiteral("2"), QStringLiteral("1"), QStringLiteral("0")};
        QTest::newRow("image gui/base:v1")
            << QStringLiteral("gui/base:v1") << true << QStringList {QStringLiteral("layer"), QStringLiteral("layer")}
            << QStringList {QStringLiteral("1"), QStringLiteral("0")};
        const QStringList imageLayers {QStringLiteral("2"), QStringLiteral("1"), QStringLiteral("0")};
        QTest::newRow("container web") << QStringLiteral("web") << true
                                       << QStringList {QStringLiteral("upper"),
                                              QStringLiteral("init"),
                                              QStringLiteral("layer"),
                                              QStringLiteral("layer"),
                                              QStringLiteral("layer")}
                                       << QStringList {QStringLiteral("-"), QStringLiteral("-")} + imageLayers;
        QTest::newRow("container web without upper") << QStringLiteral("web") << false
                                                     << QStringList {QStringLiteral("init"),
                                                            QStringLiteral("layer"),
                                                            QStringLiteral("layer"),
                                                            QStringLiteral("layer")}
                                                     << QStringList {QStringLiteral("-")} + imageLayers;
    }

    void stacks()
    {
        QFETCH(QString, ref);
        QFETCH(bool, withUpper);
        QFETCH(QStringList, kinds);
        QFETCH(QStringList, layers);
        auto o = open();
        QVERIFY(o);
        const ImageStore &store = *o->host;
        std::optional<Result<Stack>> stack;
        if (auto c = store.containerIndex(ref))
            stack.emplace(store.containerStack(*c, withUpper));
        else if (auto i = store.imageIndex(ref))
            stack.emplace(store.imageStack(*i));
        QVERIFY(stack && stack->ok());
        QStringList gotKinds, gotLayers;
        for (const StackLayer &l : stack->value()) {
            gotKinds << stackRoleName(l.kind);
            gotLayers << (l.imageLayer >= 0 ? QString::number(l.imageLayer) : QStringLiteral("-"));
            if (l.imageLayer >= 0) {
                QCOMPARE(l.cacheId, o->fake.cacheIds.at(l.imageLayer));
                QCOMPARE(l.name, store.imageLayerAt(0, l.imageLayer).name);
                QCOMPARE(l.alias, QStringLiteral("l/") + o->fake.links.at(l.imageLayer));
            }
        }
        QCOMPARE(gotKinds, kinds);
        QCOMPARE(gotLayers, layers);
        const Stack &s = stack->value();
        if (s.first().kind == StoreLayerKind::ReadWrite) {
            QCOMPARE(s.first().name, QStringLiteral("upper (%1)").arg(o->fake.mountId.left(12)));
            QCOMPARE(s.first().diffDir, o->fake.diff(o->fake.mountId));
            QCOMPARE(s.first().alias, QStringLiteral("l/RWLINKABCDEFGHIJKLMNOPQRST"));
            QCOMPARE(s.first().mergeLayer().role, LayerRole::Upper);
        }
        // The merged view stacks exactly these directories, named the same.
        const MergeLayers merge = ImageStore::toMergeLayers(s);
        QCOMPARE(merge.size(), s.size());
        for (qsizetype i = 0; i < s.size(); ++i) {
            QCOMPARE(merge.at(i).path, s.at(i).diffDir);
            QCOMPARE(merge.at(i).name, s.at(i).name);
        }
    }

    void sharedBy_data()
    {
        // names: sorted
        strata::test::addColumns<bool, int, int, QStringList>("extraTag", "layer", "images", "names");
        const QStringList app {QStringLiteral("gui/app:v1")};
        for (const bool extra : {false, true}) {
            QStringList both {QStringLiteral("gui/app:v1"), QStringLiteral("gui/base:v1")};
            if (extra)
                both.insert(1, QStringLiteral("gui/base:latest"));
            const char *suffix = extra ? ", two tags" : "";
            QTest::addRow("layer 0%s", suffix) << extra << 0 << 2 << both;
            QTest::addRow("layer 1%s", suffix) << extra << 1 << 2 << both;
            QTest::addRow("layer 2%s", suffix) << extra << 2 << 1 << app;
        }
    }

    void sharedBy()
    {
        QFETCH(bool, extraTag);
        QFETCH(int, layer);
        QFETCH(int, images);
        QFETCH(QStringList, names);
        auto o = open(extraTag);
        QVERIFY(o);
        const ImageStore &store = *o->host;
        const QString &cacheId = o->fake.cacheIds.at(layer);
        QCOMPARE(store.imageIdsUsing(cacheId).size(), images);
        QStringList got = store.imagesUsing(cacheId);
        got.sort();
        QCOMPARE(got, names);
        // What find and grep say for the directory.
        for (const StoreDir &d : store.searchDirs()) {
            if (d.cacheId == cacheId)
                QCOMPARE(d.images, store.imagesUsing(cacheId));
        }
        QCOMPARE(store.sharedLayerCount(0), 2);
    }

    void intermediateImages()
    {
        // gui/base untagged and named as gui/app's parent: a build step.
        auto o = open();
        QVERIFY(o);
        const QString img = o->dir.path() + QStringLiteral("/image/overlay2");
        const QJsonObject repos {{QStringLiteral("Repositories"),
            QJsonObject {{QStringLiteral("gui/app"), QJsonObject {{QStringLiteral("gui/app:v1"), o->fake.appId}}}}}};
        QVERIFY(FakeDockerRoot::writeFile(img + QStringLiteral("/repositories.json"), QJsonDocument(repos).toJson()));
        QVERIFY(FakeDockerRoot::writeFile(
            img + QStringLiteral("/imagedb/metadata/sha256/") + o->fake.appId.mid(7) + QStringLiteral("/parent"),
            o->fake.baseId.toLatin1()));
        auto host = DockerHost::open(o->dir.path());
        QVERIFY(host.ok());
        const ImageStore &store = *host;
        QCOMPARE(store.intermediateCount(), 1);
        QVERIFY(store.imageAt(1).intermediate);
        QCOMPARE(store.imagesUsing(o->fake.cacheIds.at(0)), QStringList {QStringLiteral("gui/app:v1")});
        QCOMPARE(store.sharedLayerCount(0), 0);
    }

    void searchDirs()
    {
        auto o = open();
        QVERIFY(o);
        const QVector<StoreDir> dirs = o->host->searchDirs();
        QStringList got;
        for (const StoreDir &d : dirs) {
            got << searchRoleName(d.kind) + QLatin1Char(' ') + d.name;
            QCOMPARE(d.diffDir, o->fake.diff(d.cacheId));
            QCOMPARE(d.dir + QStringLiteral("/diff"), d.diffDir);
        }
        const QString m = o->fake.mountId.left(12);
        QStringList expected;
        for (int k = 0; k < 3; ++k)
            expected << QStringLiteral("layer layer %1 (%2)").arg(k).arg(o->fake.cacheIds.at(k).left(12));
        expected << QStringLiteral("init init (%1-init)").arg(m) << QStringLiteral("container upper (%1)").arg(m);
        QCOMPARE(got, expected);
        QCOMPARE(dirs.at(3).container, QStringLiteral("web"));
    }

    void refs_data()
    {
        // found: image display name, "container NAME" or "" for an error
        strata::test::addColumns<QString, QString>("ref", "found");
        QTest::newRow("tag") << QStringLiteral("gui/app:v1") << QStringLiteral("gui/app:v1");
        QTest::newRow("no :latest") << QStringLiteral("gui/app") << QString();
        QTest::newRow("name") << QStringLiteral("web") << QStringLiteral("container web");
        QTest::newRow("/name") << QStringLiteral("/web") << QStringLiteral("container web");
        QTest::newRow("empty") << QStringLiteral(" ") << QString();
        QTest::newRow("unknown") << QStringLiteral("nosuch") << QString();
    }

    void refs()
    {
        QFETCH(QString, ref);
        QFETCH(QString, found);
        auto o = open();
        QVERIFY(o);
        const ImageStore &store = *o->host;
        QString got;
        if (auto c = store.containerIndex(ref))
            got = QStringLiteral("container ") + store.containerAt(*c).displayName();
        else if (auto i = store.imageIndex(ref))
            got = store.imageAt(*i).displayName();
        QCOMPARE(got, found);
        // IDs and unique prefixes, with or without the algorithm.
        QCOMPARE(store.imageIndex(o->fake.baseId).value(), 1);
        QCOMPARE(store.imageIndex(o->fake.baseId.mid(7, 8)).value(), 1);
        QCOMPARE(store.containerIndex(o->fake.containerId.left(6)).value(), 0);
    }

    void oneLayerAlone()
    {
        auto o = open();
        QVERIFY(o);
        auto layers = o->host->layerMergeLayers(1, 0);
        QVERIFY(layers.ok());
        QCOMPARE(layers->size(), 1);
        QCOMPARE(layers->first().path, o->fake.diff(o->fake.cacheIds.at(0)));
        QCOMPARE(layers->first().name, o->host->imageLayerAt(1, 0).name);
        QVERIFY(!o->host->layerMergeLayers(1, 2).ok());
    }

    void openCountsAndCancels()
    {
        QTemporaryDir dir;
        FakeDockerRoot fake;
        QVERIFY(fake.build(dir.path()));
        ScanControl counted;
        QVERIFY(DockerHost::open(dir.path(), &counted).ok());
        QVERIFY(counted.entries() > 0);
        ScanControl cancelled;
        cancelled.cancel();
        auto host = DockerHost::open(dir.path(), &cancelled);
        QVERIFY(!host.ok());
        QCOMPARE(host.error().code, ECANCELED);
    }
};

QTEST_GUILESS_MAIN(TestImageStore)
#include "tst_imagestore.moc"
