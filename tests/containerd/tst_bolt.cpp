// SPDX-License-Identifier: GPL-2.0-or-later
// The read-only bbolt reader (core/image/containerd): the two databases a real containerd
// 1.6 wrote (tests/containerd/data, copied from the daemon tests/containerd/containerd.sh
// starts), hand-made files broken in one place each, and truncated, bit-flipped and torn
// copies of the real ones: a clear Error, never a crash or a hang.
#include "core/image/containerd/boltfile.h"
#include "core/image/containerd/containerdsnapshotdb.h"
#include "core/image/containerd/goencoding.h"
#include "tests/containerd/boltbuilder.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
using strata::test::BoltBuilder;
using Element = BoltBuilder::Element;

namespace
{
QByteArray dataFile(const QString &name)
{
    QFile f(QFile::decodeName(qgetenv("STRATA_SOURCE_DIR")) + QStringLiteral("/tests/containerd/data/") + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A database whose root bucket is the leaf on page 3.
QByteArray simple(const QVector<Element> &root, std::uint64_t txid = 2)
{
    BoltBuilder b;
    b.setPage(3, BoltBuilder::leaf(3, root));
    return b.file(3, txid);
}

// `depth` inline buckets, each inside the one before.
QByteArray nestedInline(int depth)
{
    QByteArray inner = BoltBuilder::leaf(0, {{"k", "v"}});
    for (int i = 0; i < depth; ++i)
        inner = BoltBuilder::leaf(0, {{"b", BoltBuilder::bucketValue(0, inner), true}});
    const QVector<Element> top {{"top", BoltBuilder::bucketValue(0, inner), true}};
    const auto overflow = static_cast<std::uint32_t>(BoltBuilder::leaf(3, top).size() / BoltBuilder::PageSize);
    BoltBuilder b;
    b.setPage(3, BoltBuilder::leaf(3, top, overflow));
    return b.file(3);
}

// The newer meta of `file` (the one with the higher txid) pointed at `root`, checksum fixed.
QByteArray withNewestRoot(QByteArray file, std::uint64_t root)
{
    auto metas = BoltFile::metas(file);
    if (!metas)
        return file;
    const BoltMeta &m = metas->first();
    const qsizetype offset = (m.txid % 2) * m.pageSize;
    const QByteArray page = BoltBuilder::meta(m.txid % 2, root, m.pageCount, m.txid);
    return file.replace(offset, page.size(), page);
}
} // namespace

class TestBolt final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void realFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArrayList>("path");
        QTest::addColumn<int>("atLeast"); // buckets below that path
        QTest::newRow("meta.db images") << "meta.db" << QByteArrayList {"v1", "strata-test", "images"} << 5;
        QTest::newRow("meta.db containers") << "meta.db" << QByteArrayList {"v1", "strata-test", "containers"} << 3;
        QTest::newRow("meta.db blobs") << "meta.db" << QByteArrayList {"v1", "strata-test", "content", "blob"} << 10;
        QTest::newRow("metadata.db snapshots") << "metadata.db" << QByteArrayList {"v1", "snapshots"} << 10;
    }

    void realFiles()
    {
        QFETCH(QString, file);
        QFETCH(QByteArrayList, path);
        QFETCH(int, atLeast);
        const QByteArray bytes = dataFile(file);
        QVERIFY2(!bytes.isEmpty(), "tests/containerd/data holds the daemon's files (run through ctest)");
        auto db = BoltFile::parse(bytes);
        QVERIFY2(db.ok(), qPrintable(db.ok() ? QString() : db.error().message));
        QCOMPARE(db->meta.pageSize, 4096u);
        QVERIFY(db->meta.txid > 0);
        QVERIFY(db->olderMeta.isEmpty());
        const BoltBucket *b = &db->root;
        for (const QByteArray &key : path) {
            b = b->bucket(key);
            QVERIFY2(b, key.constData());
        }
        QVERIFY(static_cast<int>(b->buckets.size()) >= atLeast);
    }

    void snapshotDb()
    {
        auto db = BoltFile::parse(dataFile(QStringLiteral("metadata.db")));
        QVERIFY(db.ok());
        StoreProblems problems;
        const auto snapshots = ContainerdSnapshotDb::parse(db->root, QStringLiteral("metadata.db"), problems);
        QVERIFY(problems.isEmpty());
        QVERIFY(snapshots.size() >= 10);
        int committed = 0;
        for (const ContainerdSnapshot &s : snapshots) {
            QVERIFY(s.id > 0);
            QCOMPARE(s.nameSpace(), QStringLiteral("strata-test"));
            QVERIFY(s.parent.isEmpty() || snapshots.contains(s.parent));
            committed += s.kind == ContainerdSnapshot::Kind::Committed ? 1 : 0;
        }
        QVERIFY(committed >= 7);
    }

    void goEncoding_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qint64>("uvarint"); // -1: none
        QTest::addColumn<qint64>("varint");
        QTest::newRow("0") << QByteArray(1, '\0') << qint64(0) << qint64(0);
        QTest::newRow("1") << QByteArray("\x01") << qint64(1) << qint64(-1);
        QTest::newRow("300") << QByteArray("\xac\x02") << qint64(300) << qint64(150);
        QTest::newRow("snapshot size") << QByteArray("\x80\x80\x06") << qint64(98304) << qint64(49152);
        QTest::newRow("empty") << QByteArray() << qint64(-1) << qint64(-1);
        QTest::newRow("unfinished") << QByteArray("\x80") << qint64(-1) << qint64(-1);
        QTest::newRow("trailing byte") << QByteArray("\x01\x01") << qint64(-1) << qint64(-1);
        QTest::newRow("65 bits") << QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02") << qint64(-1) << qint64(-1);
    }

    void goEncoding()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(qint64, uvarint);
        QFETCH(qint64, varint);
        const auto u = GoEncoding::uvarint(bytes);
        QCOMPARE(u ? static_cast<qint64>(*u) : -1, uvarint);
        const auto v = GoEncoding::varint(bytes);
        QCOMPARE(v ? *v : qint64(-1), varint);
    }

    void goTime_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("time"); // empty: not a time
        QTest::newRow("v1 UTC") << QByteArray::fromHex("010000000ee2a1028e1e40e029ffff")
                                << QStringLiteral("2026-12-01T18:01:50.507568169Z");
        QTest::newRow("v2") << QByteArray::fromHex("020000000ee2a1028e1e40e029ffff00")
                            << QStringLiteral("2026-12-01T18:01:50.507568169Z");
        QTest::newRow("short") << QByteArray::fromHex("010000000ee2a1028e") << QString();
        QTest::newRow("version 3") << QByteArray::fromHex("030000000ee2a1028e1e40e029ffff") << QString();
        QTest::newRow("nanoseconds too big") << QByteArray::fromHex("010000000ee2a1028effffffffffff") << QString();
    }

    void goTime()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, time);
        QCOMPARE(GoEncoding::time(bytes).value_or(QString()), time);
    }

    void crafted_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("error"); // empty: reads
        QTest::addColumn<int>("entries");
        const QByteArray inlineLeaf = BoltBuilder::leaf(0, {{"x", "1"}, {"y", ""}});
        QTest::newRow("values") << simple({{"a", "1"}, {"b", "2"}}) << QString() << 2;
        QTest::newRow("inline bucket") << simple({{"in", BoltBuilder::bucketValue(0, inlineLeaf), true}}) << QString()
                                       << 3;
        {
            BoltBuilder b;
            b.setPage(3, BoltBuilder::branch(3, {{"a", 4}, {"m", 5}}));
            b.setPage(4, BoltBuilder::leaf(4, {{"a", "1"}}));
            b.setPage(5, BoltBuilder::leaf(5, {{"m", "2"}, {"sub", BoltBuilder::bucketValue(6), true}}));
            b.setPage(6, BoltBuilder::leaf(6, {{"deep", "3"}}));
            QTest::newRow("branch, page bucket") << b.file(3) << QString() << 4;
        }
        {
            BoltBuilder b;
            b.setPage(3, BoltBuilder::leaf(3, {{"big", QByteArray(9000, 'z')}}, 2));
            QTest::newRow("overflow pages") << b.file(3) << QString() << 1;
        }
        {
            BoltBuilder b;
            b.setPage(3, BoltBuilder::branch(3, {{"a", 3}}));
            QTest::newRow("branch cycle") << b.file(3) << QStringLiteral("reached twice") << 0;
        }
        QTest::newRow("bucket cycle") << simple({{"self", BoltBuilder::bucketValue(3), true}})
                                      << QStringLiteral("reached twice") << 0;
        {
            BoltBuilder b;
            b.setPage(3, BoltBuilder::branch(3, {{"a", 4}, {"b", 4}}));
            b.setPage(4, BoltBuilder::leaf(4, {{"a", "1"}}));
            QTest::newRow("two parents") << b.file(3) << QStringLiteral("reached twice") << 0;
        }
        {
            BoltBuilder b;
            b.setPage(3, BoltBuilder::branch(3, {{"a", 99}}));
            QTest::newRow("child past the end") << b.file(3) << QStringLiteral("outside the file") << 0;
        }
        {
            BoltBuilder b;
            b.setPage(3, BoltBuilder::branch(3, {{"a", 4}}));
            b.setPage(4, BoltBuilder::leaf(7, {{"a", "1"}}));
            QTest::newRow("page id mismatch") << b.file(3) << QStringLiteral("its header says page 7") << 0;
        }
        {
            BoltBuilder b;
            b.setPage(3, BoltBuilder::leaf(3, {{"a", "1"}}, 50));
            QTest::newRow("overflow past the end") << b.file(3) << QStringLiteral("overflow pages run past") << 0;
        }
        {
            QByteArray page = BoltBuilder::leaf(3, {{"a", "1"}});
            page[16 + 4] = '\xff'; // pos
            page[16 + 5] = '\x7f';
            BoltBuilder b;
            b.setPage(3, page);
            QTest::newRow("element past the page") << b.file(3) << QStringLiteral("runs past the page") << 0;
        }
        {
            QByteArray page = BoltBuilder::leaf(3, {{"a", "1"}});
            page[10] = '\xff';
            page[11] = '\xff';
            BoltBuilder b;
            b.setPage(3, page);
            QTest::newRow("count past the page") << b.file(3) << QStringLiteral("do not fit the page") << 0;
        }
        {
            QByteArray page = BoltBuilder::leaf(3, {{"a", "1"}});
            page[8] = '\x10';
            BoltBuilder b;
            b.setPage(3, page);
            QTest::newRow("freelist as the root") << b.file(3) << QStringLiteral("neither a branch nor a leaf") << 0;
        }
        QTest::newRow("short bucket value") << simple({{"b", "12345", true}}) << QStringLiteral("not a bucket") << 0;
        QTest::newRow("inline without a page")
            << simple({{"b", BoltBuilder::bucketValue(0, "xy"), true}}) << QStringLiteral("without its page") << 0;
        QTest::newRow("60 nested inline buckets") << nestedInline(60) << QString() << 62;
        QTest::newRow("100 nested inline buckets") << nestedInline(100) << QStringLiteral("buckets nested") << 0;
        QTest::newRow("empty file") << QByteArray() << QStringLiteral("not a bbolt database") << 0;
        QTest::newRow("zeros") << QByteArray(16384, '\0') << QStringLiteral("not a bbolt database") << 0;
        {
            QByteArray f = simple({{"a", "1"}});
            f[16 + 60] = '\x55'; // meta 0's checksum
            f[4096 + 16 + 60] = '\x55'; // meta 1's
            QTest::newRow("both checksums wrong") << f << QStringLiteral("checksum mismatch") << 0;
        }
        {
            QByteArray f = simple({{"a", "1"}});
            f[16] = '\0'; // meta 0's magic: meta 1 is found at 4096, as bbolt finds it
            QTest::newRow("meta 0 damaged") << f << QString() << 1;
        }
        {
            BoltBuilder b;
            b.setPage(3, BoltBuilder::leaf(3, {{"a", "1"}}));
            QTest::newRow("root past the pages in use")
                << b.file(3, 2, 3) << QStringLiteral("outside the 3 pages") << 0;
        }
    }

    void crafted()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, error);
        QFETCH(int, entries);
        auto db = BoltFile::parse(file);
        if (!error.isEmpty()) {
            QVERIFY(!db.ok());
            QVERIFY2(db.error().message.contains(error), qPrintable(db.error().message));
            return;
        }
        QVERIFY2(db.ok(), qPrintable(db.ok() ? QString() : db.error().message));
        QCOMPARE(db->root.totalEntries(), qsizetype(entries));
    }

    void craftedLookups()
    {
        BoltBuilder b;
        b.setPage(3, BoltBuilder::branch(3, {{"a", 4}, {"m", 5}}));
        b.setPage(4, BoltBuilder::leaf(4, {{"a", "1"}, {"empty", ""}}));
        b.setPage(5, BoltBuilder::leaf(5, {{"m", "2"}, {"sub", BoltBuilder::bucketValue(6), true}}));
        b.setPage(
            6, BoltBuilder::leaf(6, {{"in", BoltBuilder::bucketValue(0, BoltBuilder::leaf(0, {{"k", "v"}})), true}}));
        auto db = BoltFile::parse(b.file(3));
        QVERIFY(db.ok());
        QCOMPARE(db->root.value("m"), QByteArray("2"));
        QVERIFY(db->root.hasValue("empty"));
        QVERIFY(!db->root.hasValue("zz"));
        QVERIFY(db->root.value("zz").isNull());
        const BoltBucket *in = db->root.bucketAt({"sub", "in"});
        QVERIFY(in);
        QCOMPARE(in->value("k"), QByteArray("v"));
        QVERIFY(!db->root.bucketAt({"sub", "nope"}));
    }

    // A copy taken while a transaction was half written: its meta page points at pages that
    // were not written yet. The other meta page's transaction is read, and that is said.
    void torn_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("meta.db") << "meta.db";
        QTest::newRow("metadata.db") << "metadata.db";
    }

    void torn()
    {
        QFETCH(QString, file);
        const QByteArray real = dataFile(file);
        auto good = BoltFile::parse(real);
        QVERIFY(good.ok());
        // The newest meta page written, its tree not: here it points at the freelist page.
        QVERIFY(good->meta.freelist < good->meta.pageCount);
        const QByteArray torn = withNewestRoot(real, good->meta.freelist);
        auto db = BoltFile::parse(torn);
        if (!db.ok()) {
            // The older transaction may have been overwritten already (bbolt reuses its pages).
            QVERIFY2(db.error().message.contains(QStringLiteral("transaction")), qPrintable(db.error().message));
            return;
        }
        QVERIFY(!db->olderMeta.isEmpty());
        QCOMPARE(db->meta.txid, good->meta.txid - 1);
    }

    void truncated_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("keep"); // bytes; -N: all but N pages
        for (const char *f : {"meta.db", "metadata.db"}) {
            for (int keep : {0, 15, 80, 4096, 4200, 8192, 12288, 20000, -1, -4}) {
                QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(QLatin1String(f)).arg(keep)))
                    << QString::fromLatin1(f) << keep;
            }
        }
    }

    void truncated()
    {
        QFETCH(QString, file);
        QFETCH(int, keep);
        const QByteArray real = dataFile(file);
        const qsizetype n = keep >= 0 ? keep : real.size() + keep * 4096;
        auto db = BoltFile::parse(real.left(n));
        // The tail of a bbolt file is often unused; where it was in use, the error says so.
        if (!db.ok())
            QVERIFY2(!db.error().message.isEmpty(), "a refusal says why");
        else
            QVERIFY(db->root.totalEntries() > 0);
        if (n < 3 * 4096) // two metas, and the root on page 2 or later
            QVERIFY(!db.ok());
    }

    // Single bit flips all over the real files: whatever they break, the reader says so or
    // reads on; the deadline catches a loop.
    void bitFlips_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("seed");
        for (const char *f : {"meta.db", "metadata.db"}) {
            for (int seed = 1; seed <= 8; ++seed)
                QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(QLatin1String(f)).arg(seed)))
                    << QString::fromLatin1(f) << seed;
        }
    }

    void bitFlips()
    {
        QFETCH(QString, file);
        QFETCH(int, seed);
        const QByteArray real = dataFile(file);
        auto good = BoltFile::parse(real);
        QVERIFY(good.ok());
        // Flips where the data is: the pages in use.
        const qsizetype used = qsizetype(good->meta.pageCount) * good->meta.pageSize;
        QRandomGenerator rng(static_cast<quint32>(seed));
        QElapsedTimer timer;
        timer.start();
        int refused = 0;
        for (int i = 0; i < 200; ++i) {
            QByteArray copy = real;
            for (int k = 0; k < 1 + i % 4; ++k) {
                const auto at = static_cast<qsizetype>(rng.bounded(static_cast<quint64>(std::min(used, real.size()))));
                copy[at] = static_cast<char>(copy[at] ^ (1 << rng.bounded(8)));
            }
            auto db = BoltFile::parse(copy);
            if (!db.ok()) {
                QVERIFY(!db.error().message.isEmpty());
                ++refused;
            }
        }
        QVERIFY2(timer.elapsed() < 20000, "200 damaged copies read in under 20 s");
        qInfo("%d of 200 damaged copies refused", refused);
    }

    void fromDisk()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("meta.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(dataFile(QStringLiteral("meta.db")));
        f.close();
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner));
        auto db = BoltFile::read(path);
        QVERIFY2(db.ok(), qPrintable(db.ok() ? QString() : db.error().message));
        QCOMPARE(db->attempts, 1);
        auto missing = BoltFile::read(dir.filePath(QStringLiteral("nothing.db")));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, ENOENT);
        auto notBolt = BoltFile::read(dir.path());
        QVERIFY(!notBolt.ok());
        QVERIFY(!notBolt.error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBolt)
#include "tst_bolt.moc"
