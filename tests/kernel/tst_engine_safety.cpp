// SPDX-License-Identifier: GPL-2.0-or-later
// What the engine guarantees beyond being equal to the kernel (issue 11): no edit is lost when
// processes edit one overlay at once, a process killed at any point leaves the old state or
// the new one (and nothing astray), copy-up keeps holes, and a mounted overlay is left to the
// kernel. The kernel, mounting the layers afterwards, is the judge.
//
// CI runs few trials; more by hand: STRATA_CRASH_TRIALS (kills per case, 3),
// STRATA_CONCURRENT_PROCS / STRATA_CONCURRENT_EDITS (4 x 20), STRATA_COPYUP_ROUNDS (times the
// rows' trials, 1), STRATA_SPARSE_GIB (1). Run by hand on Linux 6.18, 2026-12-01:
// STRATA_CRASH_TRIALS=72: 504 kills over the 7 cases, 178 before the process ended, 154 left
// the old state and 350 the new, 71 stale temporaries removed by the next edit, none astray;
// 4 x 100 and 8 x 50 concurrent edits (with the in-process session): 500 and 450 edits, 452
// and 416 effects checked, none lost, the kernel agreeing; STRATA_COPYUP_ROUNDS=25: 500
// races of 2 or 4 processes copying up (1200 appends), none lost.
#include "core/engine/overlaylock.h"
#include "core/fs/treecopy.h"
#include "core/merge/mergedtree.h"
#include "core/session/backendpolicy.h"
#include "core/session/enginesession.h"
#include "core/stack/scenario.h"
#include "tests/support/datatable.h"
#include "tests/support/dirnames.h"
#include "tests/support/files.h"
#include "tests/support/kernelmount.h"
#include "tests/support/privatemountns.h"
#include "tests/support/treesnapshot.h"
#include "tests/support/upperview.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstring>
#include <random>

using namespace strata;
using namespace strata::test;

namespace
{
int fromEnv(const char *name, int fallback)
{
    const int v = qEnvironmentVariableIntValue(name);
    return v > 0 ? v : fallback;
}

QProcess *startOp(const Workspace &ws, const QStringList &edit, QObject *parent)
{
    auto *p = new QProcess(parent);
    p->setProgram(qEnvironmentVariable("STRATA_CLI"));
    p->setArguments(QStringList {QStringLiteral("op"), ws.baseDir(), QStringLiteral("--engine")} + edit);
    p->start();
    return p;
}

// The engine's temporaries in work/work.
int engineTemps(const Workspace &ws)
{
    int n = 0;
    const QByteArray dir = QFile::encodeName(ws.overlays().first().work) + "/work";
    for (const QByteArray &name : dirNames(dir).value_or(QList<QByteArray>()))
        n += name.startsWith(OverlayEngine::TempPrefix);
    return n;
}

// The merged view as the kernel shows it, mounted with the workspace's own options.
std::optional<TreeSnapshot> kernelView(const Workspace &ws, QString *error)
{
    const OverlaySpec &spec = ws.overlays().first();
    KernelMount mount;
    if (!mount.mount(spec)) {
        *error = mount.errorString();
        return std::nullopt;
    }
    TreeSnapshot view = TreeSnapshot::fromDirectory(spec.mountpoint);
    if (!mount.unmount()) {
        *error = mount.errorString();
        return std::nullopt;
    }
    return view;
}

// Differences between the kernel's view of the layers and the engine's, empty when none.
QString kernelDisagrees(const Workspace &ws)
{
    QString error;
    auto kernel = kernelView(ws, &error);
    if (!kernel)
        return error;
    auto tree = MergedTree::build(*ws.mergeLayers(0), ws.overlays().first().options.mergeOptions());
    if (!tree)
        return tree.error().message;
    TreeSnapshot ours = TreeSnapshot::fromMergedTree(*tree);
    return kernel->diff(ours);
}

// The records of a view at and below `paths`.
QMap<QByteArray, TreeSnapshot::Record> at(const TreeSnapshot &view, const QStringList &paths)
{
    QMap<QByteArray, TreeSnapshot::Record> out;
    for (auto it = view.records().begin(); it != view.records().end(); ++it) {
        for (const QString &p : paths) {
            const QByteArray b = QFile::encodeName(p);
            if (it.key() == b || it.key().startsWith(QByteArray(b + '/')))
                out.insert(it.key(), *it);
        }
    }
    return out;
}

// A tmpfs mounted for one test function (in the test's private mount namespace).
struct Tmpfs {
    QString path;
    QString error;
    explicit Tmpfs(const QString &at) : path(at)
    {
        if (!QDir().mkpath(at) || ::mount("tmpfs", QFile::encodeName(at).constData(), "tmpfs", 0, "mode=0755") != 0)
            error = QStringLiteral("cannot mount a tmpfs on %1: %2")
                        .arg(at, QString::fromLocal8Bit(std::strerror(errno)));
    }
    ~Tmpfs()
    {
        if (error.isEmpty())
            ::umount2(QFile::encodeName(path).constData(), MNT_DETACH);
    }
    Tmpfs(const Tmpfs &) = delete;
    Tmpfs &operator=(const Tmpfs &) = delete;
};

// What one process does in concurrentEdits(): its edits, and what they must leave.
struct Actor {
    QList<QStringList> edits;
    QMap<QString, QByteArray> files; ///< its own files and their content
    QMap<QString, QByteArray> appended; ///< shared file -> its tokens, in its order
    QStringList dirs;
    QStringList gone; ///< its files removed or moved away
};

Actor plan(int id, int count, const QStringList &shared, std::mt19937 &rng)
{
    Actor a;
    QStringList own;
    auto pick = [&rng](int n) {
        return std::uniform_int_distribution<int>(0, n - 1)(rng);
    };
    for (int i = 0; i < count; ++i) {
        const QString token = QStringLiteral("a%1e%2").arg(id).arg(i);
        const QString name = QStringLiteral("/base_image/%1_%2").arg(id).arg(i);
        const int r = pick(10);
        if (r >= 7 && !own.isEmpty()) {
            const QString victim = own.takeAt(pick(int(own.size())));
            a.gone << victim;
            if (r == 9) {
                a.edits << QStringList {QStringLiteral("rm"), victim};
                a.files.remove(victim);
                continue;
            }
            const QString moved = name + QStringLiteral(".moved");
            a.edits << QStringList {QStringLiteral("mv"), victim, moved};
            a.files.insert(moved, a.files.take(victim));
            own << moved;
        } else if (r >= 4 && r < 6) {
            a.edits << QStringList {QStringLiteral("write"), name, token};
            a.files.insert(name, token.toUtf8() + '\n');
            own << name;
        } else if (r == 6) {
            a.edits << QStringList {QStringLiteral("mkdir"), name + QStringLiteral(".d")};
            a.dirs << name + QStringLiteral(".d");
        } else {
            const QString target = shared.at(pick(int(shared.size())));
            a.edits << QStringList {QStringLiteral("append"), target, token};
            a.appended[target] += token.toUtf8() + '\n';
        }
    }
    return a;
}
} // namespace

class TestEngineSafety final : public MountTest
{
    Q_OBJECT

    QTemporaryDir m_dir;
    // The workspaces, on a tmpfs: resetting upper for each crash trial and removing thousands
    // of entries at the end take minutes on a busy disk, milliseconds there.
    std::optional<Tmpfs> m_fast;
    int m_serial = 0;

    Workspace blog(const QString &in = {})
    {
        const QString base = !in.isEmpty() ? in : m_fast && m_fast->error.isEmpty() ? m_fast->path : m_dir.path();
        const QString dir = QStringLiteral("%1/ws%2").arg(base).arg(++m_serial);
        auto ws = Scenario::create(QStringLiteral("blog"), dir);
        if (!ws)
            qFatal("%s", qPrintable(ws.error().message));
        return *ws;
    }
    static QString lower(const Workspace &ws) { return ws.overlays().first().lower.first(); }
    static QString upper(const Workspace &ws) { return ws.overlays().first().upper; }

private Q_SLOTS:
    void initTestCase()
    {
        if (m_mountUnavailable.isEmpty())
            m_fast.emplace(m_dir.filePath(QStringLiteral("tmpfs")));
    }
    void init()
    {
        STRATA_REQUIRE_MOUNT();
        QVERIFY2(m_fast && m_fast->error.isEmpty(), m_fast ? qPrintable(m_fast->error) : "no tmpfs");
    }

    // Finding 1: two `strata op --engine` copying up one lower file at once lost an edit.
    void concurrentCopyUp_data()
    {
        // targets: process k appends to targets[k % size]
        strata::test::addColumns<int, QStringList, int>("processes", "targets", "trials");
        QTest::newRow("two appends to one lower file")
            << 2 << QStringList {QStringLiteral("/base_image/PART1.txt")} << 8;
        QTest::newRow("four appends to one lower file")
            << 4 << QStringList {QStringLiteral("/base_image/PART2.txt")} << 4;
        QTest::newRow("two files of one lower directory")
            << 2 << QStringList {QStringLiteral("/deep/a"), QStringLiteral("/deep/b")} << 8;
    }

    void concurrentCopyUp()
    {
        QFETCH(int, processes);
        QFETCH(QStringList, targets);
        QFETCH(int, trials);
        trials *= fromEnv("STRATA_COPYUP_ROUNDS", 1);
        for (int t = 0; t < trials; ++t) {
            const Workspace ws = blog();
            QVERIFY(writeFile(lower(ws) + QStringLiteral("/deep/a"), "a\n"));
            QVERIFY(writeFile(lower(ws) + QStringLiteral("/deep/b"), "b\n"));
            QMap<QString, QByteArray> before;
            for (const QString &target : targets)
                before.insert(target, readFile(lower(ws) + target));
            QList<QProcess *> running;
            for (int k = 0; k < processes; ++k)
                running << startOp(ws,
                    {QStringLiteral("append"), targets.at(k % targets.size()), QStringLiteral("token%1").arg(k)},
                    this);
            QMap<QString, QList<QByteArray>> expected;
            for (int k = 0; k < processes; ++k) {
                QProcess *p = running.at(k);
                QVERIFY(p->waitForFinished(30000));
                const QByteArray err = p->readAllStandardError();
                QVERIFY2(p->exitCode() == 0, err.constData());
                QVERIFY2(!err.contains("not empty"), err.constData());
                expected[targets.at(k % targets.size())] << QStringLiteral("token%1").arg(k).toUtf8();
                delete p;
            }
            for (auto it = expected.begin(); it != expected.end(); ++it) {
                const QByteArray now = readFile(upper(ws) + it.key());
                QVERIFY2(now.startsWith(before.value(it.key())), now.constData());
                for (const QByteArray &token : *it)
                    QVERIFY2(now.count(QByteArray(token + '\n')) == 1,
                        qPrintable(QStringLiteral("trial %1: %2 lost from %3:\n%4")
                                       .arg(t)
                                       .arg(QString::fromUtf8(token), it.key(), QString::fromUtf8(now))));
            }
            QCOMPARE(engineTemps(ws), 0);
        }
    }

    // N processes × M random edits, and an in-process EngineSession (the window) meanwhile.
    void concurrentEdits()
    {
        const int processes = fromEnv("STRATA_CONCURRENT_PROCS", 4);
        const int edits = fromEnv("STRATA_CONCURRENT_EDITS", 20);
        const Workspace ws = blog();
        QVERIFY(writeFile(lower(ws) + QStringLiteral("/deep/a"), "a\n"));
        const QStringList shared = {QStringLiteral("/base_image/PART1.txt"),
            QStringLiteral("/base_image/PART3.txt"),
            QStringLiteral("/base_image/common.txt"),
            QStringLiteral("/deep/a")};
        QMap<QString, QByteArray> before;
        for (const QString &f : shared)
            before.insert(f, readFile(QFileInfo::exists(upper(ws) + f) ? upper(ws) + f : lower(ws) + f));
        std::mt19937 rng(20240611u);
        QList<Actor> actors;
        for (int a = 0; a <= processes; ++a) // the last one is the window
            actors << plan(a, edits, shared, rng);
        // Each process runs its edits one after the other, as a shell would.
        QList<QProcess *> running;
        for (int a = 0; a < processes; ++a) {
            QString script = QStringLiteral("set -u\n");
            for (const QStringList &e : std::as_const(actors.at(a).edits)) {
                QStringList quoted;
                for (const QString &w : e)
                    quoted << QLatin1Char('\'') + w + QLatin1Char('\'');
                script += QStringLiteral("\"$STRATA_CLI\" op '%1' --engine %2 >/dev/null || echo \"failed: %2\"\n")
                              .arg(ws.baseDir(), quoted.join(QLatin1Char(' ')));
            }
            auto *p = new QProcess(this);
            p->start(QStringLiteral("sh"), {QStringLiteral("-c"), script});
            running << p;
        }
        auto session = EngineSession::open(ws, 0);
        QVERIFY(session.ok());
        for (const QStringList &e : std::as_const(actors.last().edits)) {
            auto op = MergedOperation::parse(e);
            QVERIFY(op.ok());
            auto outcome = session->apply(*op);
            QVERIFY(outcome.ok());
            QVERIFY2(outcome->status.ok(), qPrintable(outcome->errorText));
        }
        for (QProcess *p : std::as_const(running)) {
            QVERIFY(p->waitForFinished(120000));
            const QByteArray out = p->readAllStandardOutput() + p->readAllStandardError();
            QVERIFY2(p->exitCode() == 0 && out.isEmpty(), out.constData());
            delete p;
        }
        // Every edit is there: each token once in its file, in its process's order; every
        // file, moved file and directory where its process left it.
        int checked = 0;
        for (const QString &f : shared) {
            const QByteArray now = readFile(upper(ws) + f);
            QVERIFY2(now.startsWith(before.value(f)), qPrintable(f));
            for (const Actor &a : std::as_const(actors)) {
                qsizetype from = 0;
                for (const QByteArray &token : a.appended.value(f).split('\n')) {
                    if (token.isEmpty())
                        continue;
                    const qsizetype found = now.indexOf(QByteArray(token + '\n'), from);
                    QVERIFY2(found >= 0 && now.count(QByteArray(token + '\n')) == 1,
                        qPrintable(f + QStringLiteral(" lost ") + QString::fromUtf8(token)));
                    from = found;
                    ++checked;
                }
            }
        }
        for (const Actor &a : std::as_const(actors)) {
            for (auto it = a.files.begin(); it != a.files.end(); ++it, ++checked)
                QCOMPARE(readFile(upper(ws) + it.key()), *it);
            for (const QString &d : a.dirs) {
                QVERIFY(QFileInfo(upper(ws) + d).isDir());
                ++checked;
            }
            for (const QString &g : a.gone) {
                QVERIFY2(!QFileInfo::exists(upper(ws) + g), qPrintable(g));
                ++checked;
            }
        }
        const QString disagreement = kernelDisagrees(ws);
        QVERIFY2(disagreement.isEmpty(), qPrintable(disagreement));
        QCOMPARE(engineTemps(ws), 0);
        qInfo("%d processes and the window made %d edits at once; %d of their effects checked, none lost; the "
              "kernel shows the engine's view",
            processes,
            (processes + 1) * edits,
            checked);
    }

    // SIGKILL at a random moment of an edit: the old state or the new one, nothing astray.
    void crashConsistency_data()
    {
        // paths: what the edit is about
        strata::test::addColumns<QStringList, QStringList>("edit", "paths");
        auto row = [](const char *name, const QStringList &edit, const QStringList &paths) {
            QTest::newRow(name) << edit << paths;
        };
        row("copy-up of a big file",
            {QStringLiteral("append"), QStringLiteral("/big"), QStringLiteral("x")},
            {QStringLiteral("/big")});
        row("overwrite of a big lower file",
            {QStringLiteral("write"), QStringLiteral("/big"), QStringLiteral("y")},
            {QStringLiteral("/big")});
        row("rename of a big lower file",
            {QStringLiteral("mv"), QStringLiteral("/big"), QStringLiteral("/base_image/moved")},
            {QStringLiteral("/big"), QStringLiteral("/base_image/moved")});
        row("whiteout of a lower directory",
            {QStringLiteral("rmdir"), QStringLiteral("/empty")},
            {QStringLiteral("/empty")});
        row("rm -r of a big merged tree", {QStringLiteral("rm-r"), QStringLiteral("/tree")}, {QStringLiteral("/tree")});
        row("rm -r of a big upper tree",
            {QStringLiteral("rm-r"), QStringLiteral("/uptree")},
            {QStringLiteral("/uptree")});
        row("rename over a merged directory",
            {QStringLiteral("mv"), QStringLiteral("/updir"), QStringLiteral("/cleared")},
            {QStringLiteral("/updir"), QStringLiteral("/cleared")});
    }

    void crashConsistency()
    {
        QFETCH(QStringList, edit);
        QFETCH(QStringList, paths);
        const int trials = fromEnv("STRATA_CRASH_TRIALS", 3);
        const Workspace ws = blog();
        const QString up = upper(ws);
        const QString work = ws.overlays().first().work;
        // Big enough that a kill lands inside the edit (8 MiB to copy, hundreds of entries),
        // small enough for many trials.
        {
            QByteArray big(8 << 20, '\0');
            std::mt19937 rng(7u);
            for (qsizetype i = 0; i < big.size(); i += 4096)
                big[i] = char(rng());
            QVERIFY(writeFile(lower(ws) + QStringLiteral("/big"), big));
        }
        QVERIFY(QDir().mkpath(lower(ws) + QStringLiteral("/empty")));
        // A merged directory that is empty in the view: its one lower entry is whited out.
        QVERIFY(writeFile(lower(ws) + QStringLiteral("/cleared/gone"), "g"));
        QVERIFY(QDir().mkpath(up + QStringLiteral("/cleared")));
        QVERIFY(::mknod(QFile::encodeName(up + QStringLiteral("/cleared/gone")).constData(), S_IFCHR, 0) == 0);
        QVERIFY(writeFile(up + QStringLiteral("/updir/kept"), "k"));
        // Opaque already, as the kernel would leave it moved into a merged parent, so that the
        // rename over /cleared has no mark to set on the way.
        QVERIFY(::setxattr(
                    QFile::encodeName(up + QStringLiteral("/updir")).constData(), "trusted.overlay.opaque", "y", 1, 0)
            == 0);
        for (int i = 0; i < 300; ++i)
            QVERIFY(writeFile(lower(ws) + QStringLiteral("/tree/d%1/f%2").arg(i % 30).arg(i), "lower"));
        for (int i = 0; i < 100; ++i)
            QVERIFY(writeFile(up + QStringLiteral("/tree/d%1/u%2").arg(i % 30).arg(i), "upper"));
        for (int i = 0; i < 300; ++i)
            QVERIFY(writeFile(up + QStringLiteral("/uptree/d%1/f%2").arg(i % 30).arg(i), "upper"));
        const QString pristine = m_fast->path + QStringLiteral("/pristine%1").arg(m_serial);
        QVERIFY(QDir().mkpath(pristine));
        QVERIFY(TreeCopy::copyContents(QFile::encodeName(up), QFile::encodeName(pristine)).ok());
        auto reset = [&] {
            return TreeCopy::clearContents(QFile::encodeName(up)).ok()
                && TreeCopy::copyContents(QFile::encodeName(pristine), QFile::encodeName(up)).ok()
                && TreeCopy::clearContents(QFile::encodeName(work)).ok();
        };
        auto runToEnd = [&](const QStringList &e) {
            QElapsedTimer timer;
            timer.start();
            QProcess *p = startOp(ws, e, this);
            p->waitForFinished(60000);
            delete p;
            return timer.nsecsElapsed() / 1000;
        };
        // The two states an edit may leave, as the kernel shows them, and their uppers.
        QString error;
        QVERIFY(reset());
        const auto oldView = kernelView(ws, &error);
        QVERIFY2(oldView, qPrintable(error));
        QVERIFY(reset());
        const UpperView before = UpperView::take(up, XattrNamespace::Trusted);
        const qint64 startup = runToEnd({QStringLiteral("rm"), QStringLiteral("/nothing-here")});
        const qint64 whole = runToEnd(edit);
        const UpperView after = UpperView::take(up, XattrNamespace::Trusted);
        QVERIFY2(!after.diff(before, {}, {}).isEmpty(), "no change");
        // A copy-up of a lower entry, unchanged, is no state of its own (the kernel, too, copies
        // up first and then renames): the lower's entries are allowed in upper as they are.
        const UpperView copies = UpperView::take(lower(ws), XattrNamespace::Trusted);
        const auto newView = kernelView(ws, &error);
        QVERIFY2(newView, qPrintable(error));
        QVERIFY(at(*oldView, paths) != at(*newView, paths));

        std::mt19937 rng {quint32(qHash(QByteArray(QTest::currentDataTag())))};
        int unfinished = 0;
        int leftOld = 0;
        int stale = 0;
        for (int t = 0; t < trials; ++t) {
            QVERIFY(reset());
            QProcess *p = startOp(ws, edit, this);
            // Uniform over the edit itself, from when the process is ready to after its end.
            const qint64 delay = startup / 2 + std::uniform_int_distribution<qint64>(0, whole)(rng);
            ::usleep(static_cast<useconds_t>(delay));
            p->kill();
            p->waitForFinished(30000);
            unfinished += p->exitStatus() == QProcess::CrashExit;
            delete p;
            const QStringList astray
                = UpperView::take(up, XattrNamespace::Trusted).strayEntries({before, after, copies});
            QVERIFY2(astray.isEmpty(),
                qPrintable(QStringLiteral("killed after %1 µs: astray in upper:\n").arg(delay)
                    + astray.join(QLatin1Char('\n'))));
            // The next edit (one that changes nothing) removes what the killed one left in work.
            stale += engineTemps(ws);
            auto session = EngineSession::open(ws, 0);
            QVERIFY(session.ok());
            QVERIFY(
                session->apply(*MergedOperation::parse({QStringLiteral("rm"), QStringLiteral("/nothing-here")})).ok());
            QCOMPARE(engineTemps(ws), 0);
            const auto view = kernelView(ws, &error);
            QVERIFY2(view, qPrintable(error));
            const auto seen = at(*view, paths);
            QVERIFY2(seen == at(*oldView, paths) || seen == at(*newView, paths),
                qPrintable(QStringLiteral("killed after %1 µs: a third state of %2")
                               .arg(delay)
                               .arg(paths.join(QStringLiteral(", ")))));
            leftOld += seen == at(*oldView, paths);
        }
        qInfo("%s: %d kills (%d before it ended), %d left the old state, %d the new, %d stale temporaries "
              "removed by the next edit; the process takes %lld µs",
            QTest::currentDataTag(),
            trials,
            unfinished,
            leftOld,
            trials - leftOld,
            stale,
            whole);
    }

    // Finding 4: copy-up keeps holes.
    void sparseCopyUp()
    {
        const qint64 gib = fromEnv("STRATA_SPARSE_GIB", 1);
        const qint64 size = gib << 30;
        const Workspace ws = blog(m_dir.path()); // on disk, where holes matter
        const QByteArray sparse = QFile::encodeName(lower(ws) + QStringLiteral("/sparse"));
        const int fd = ::open(sparse.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        QVERIFY(fd >= 0);
        QVERIFY(::ftruncate(fd, size) == 0);
        QCOMPARE(::pwrite(fd, "head", 4, 0), ssize_t(4));
        QCOMPARE(::pwrite(fd, "middle", 6, size / 2), ssize_t(6));
        ::close(fd);
        auto session = EngineSession::open(ws, 0);
        QVERIFY(session.ok());
        QElapsedTimer timer;
        timer.start();
        auto out = session->apply(
            *MergedOperation::parse({QStringLiteral("append"), QStringLiteral("/sparse"), QStringLiteral("tail")}));
        const qint64 engineMs = timer.elapsed();
        QVERIFY(out.ok() && out->status.ok());
        const QByteArray copy = QFile::encodeName(upper(ws) + QStringLiteral("/sparse"));
        struct stat st {
        };
        QVERIFY(::stat(copy.constData(), &st) == 0);
        QCOMPARE(st.st_size, size + 5);
        QVERIFY2(st.st_blocks * 512 < (1 << 20), qPrintable(QString::number(st.st_blocks * 512)));
        const int in = ::open(copy.constData(), O_RDONLY);
        char buf[8] = {};
        QCOMPARE(::pread(in, buf, 6, size / 2), ssize_t(6));
        QCOMPARE(QByteArray(buf, 6), QByteArray("middle"));
        QCOMPARE(::pread(in, buf, 5, size), ssize_t(5));
        QCOMPARE(QByteArray(buf, 5), QByteArray("tail\n"));
        ::close(in);

        // The kernel's copy-up of the same file, for the record.
        const Workspace kws = blog(m_dir.path());
        QVERIFY(::link(sparse.constData(), QFile::encodeName(lower(kws) + QStringLiteral("/sparse")).constData()) == 0);
        const OverlaySpec &spec = kws.overlays().first();
        KernelMount mount;
        QVERIFY2(mount.mount(spec), qPrintable(mount.errorString()));
        timer.restart();
        QCOMPARE(MergedOperation::parse({QStringLiteral("append"), QStringLiteral("/sparse"), QStringLiteral("tail")})
                     ->apply(spec.mountpoint),
            0);
        const qint64 kernelMs = timer.elapsed();
        QVERIFY(mount.unmount());
        struct stat kst {
        };
        QVERIFY(::stat(QFile::encodeName(upper(kws) + QStringLiteral("/sparse")).constData(), &kst) == 0);
        qInfo("copy-up of a %lld GiB sparse file: the engine %lld ms and %lld KiB on disk, the kernel %lld ms and "
              "%lld KiB",
            gib,
            engineMs,
            qint64(st.st_blocks) / 2,
            kernelMs,
            qint64(kst.st_blocks) / 2);
    }

    // Finding 4: a killed copy-up's temporary goes at the next edit; the kernel's are not ours.
    void staleTempsRemoved()
    {
        const Workspace ws = blog();
        const QString workwork = ws.overlays().first().work + QStringLiteral("/work");
        const QString ours
            = workwork + QLatin1Char('/') + QLatin1String(OverlayEngine::TempPrefix) + QStringLiteral("1234-7");
        QVERIFY(writeFile(ours + QStringLiteral("/deep/file"), "half a copy"));
        QVERIFY(::chmod(QFile::encodeName(ours).constData(), 0500) == 0);
        QVERIFY(writeFile(workwork + QStringLiteral("/#1f"), "the kernel's"));
        auto session = EngineSession::open(ws, 0);
        QVERIFY(session.ok());
        QVERIFY(session->apply(*MergedOperation::parse({QStringLiteral("touch"), QStringLiteral("/new")})).ok());
        QVERIFY(!QFileInfo::exists(ours));
        QVERIFY(QFileInfo::exists(workwork + QStringLiteral("/#1f")));
    }

    // Finding 10: the engine leaves a mounted overlay to the kernel, in the CLI and the window.
    void refusedWhileMounted()
    {
        const Workspace ws = blog();
        const OverlaySpec &spec = ws.overlays().first();
        KernelMount mount;
        QVERIFY2(mount.mount(spec), qPrintable(mount.errorString()));
        const QStringList edit = {QStringLiteral("write"), QStringLiteral("/base_image/x"), QStringLiteral("t")};
        QProcess *p = startOp(ws, edit, this);
        QVERIFY(p->waitForFinished(30000));
        QVERIFY(p->exitCode() != 0);
        const QString err = QString::fromUtf8(p->readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("is mounted at")) && err.contains(spec.mountpoint), qPrintable(err));
        delete p;
        BackendPolicy policy;
        auto opened = policy.openSession(ws, 0, Backend::Engine);
        QVERIFY(opened.ok());
        auto outcome = opened->session->apply(*MergedOperation::parse(edit));
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().code, int(EBUSY));
        QVERIFY(!QFileInfo::exists(spec.upper + QStringLiteral("/base_image/x")));
        QVERIFY(mount.unmount());
        outcome = opened->session->apply(*MergedOperation::parse(edit));
        QVERIFY(outcome.ok() && outcome->status.ok());
    }

    // One lock for the window and the CLI: an edit waits while another holds it.
    void oneLockForAll()
    {
        const Workspace ws = blog();
        auto locked = OverlayLock::acquire(ws.overlays().first().work);
        QVERIFY(locked.ok());
        std::optional<OverlayLock> lock(std::move(locked).value());
        QProcess *p = startOp(
            ws, {QStringLiteral("append"), QStringLiteral("/base_image/PART4.txt"), QStringLiteral("w")}, this);
        QVERIFY(!p->waitForFinished(400));
        QVERIFY(!QFileInfo::exists(upper(ws) + QStringLiteral("/base_image/PART4.txt")));
        lock.reset();
        QVERIFY(p->waitForFinished(30000));
        QCOMPARE(p->exitCode(), 0);
        QVERIFY(readFile(upper(ws) + QStringLiteral("/base_image/PART4.txt")).endsWith("w\n"));
        delete p;
    }
};

STRATA_MOUNT_TEST_MAIN(TestEngineSafety)
#include "tst_engine_safety.moc"
