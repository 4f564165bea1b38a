// SPDX-License-Identifier: GPL-2.0-or-later
// Watcher without a mount: its setup (a watch per directory, the picture of the lower layers)
// runs in the background and stop() cancels it instead of waiting for it, and the inotify fd
// is closed on every path — installed and stopped, failed, cancelled, replaced, destroyed.
#include "core/events/changetracker.h"
#include "core/events/watcher.h"
#include "core/stack/scenario.h"
#include "tests/support/datatable.h"
#include "tests/support/eventspy.h"
#include "tests/support/filelimit.h"
#include "tests/support/files.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <cstring>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace strata;
using strata::test::eventsOf;
using strata::test::writeFile;

namespace
{

// inotify instances this process holds (the pool's threads have fds of their own).
int inotifyFds()
{
    int n = 0;
    const QByteArray dir = "/proc/self/fd/";
    for (const QString &fd : QDir(QFile::decodeName(dir)).entryList(QDir::NoDotAndDotDot | QDir::System)) {
        char target[64] = {};
        const QByteArray link = dir + QFile::encodeName(fd);
        if (::readlink(link.constData(), target, sizeof target - 1) > 0
            && std::strcmp(target, "anon_inode:inotify") == 0)
            ++n;
    }
    return n;
}

// `dirs` more directories in a lower layer, so that watching it takes a while.
bool makeBigLower(const QString &lower, int round, int dirs)
{
    const QByteArray root = QFile::encodeName(lower) + "/big" + QByteArray::number(round);
    if (::mkdir(root.constData(), 0755) != 0)
        return false;
    constexpr int PerLevel = 100;
    for (int i = 0; i < dirs / PerLevel; ++i) {
        const QByteArray top = root + "/d" + QByteArray::number(i);
        if (::mkdir(top.constData(), 0755) != 0)
            return false;
        for (int j = 0; j < PerLevel; ++j) {
            if (::mkdir(QByteArray(top + "/e" + QByteArray::number(j)).constData(), 0755) != 0)
                return false;
        }
    }
    return true;
}

const OverlayEvent *findEvent(const QList<OverlayEvent> &events, OverlayEvent::Kind kind, const QString &path)
{
    for (const OverlayEvent &e : events) {
        if (e.kind == kind && e.path == path)
            return &e;
    }
    return nullptr;
}

// How inotifyFdIsClosedOnEveryPath starts a watcher and leaves it: start() and stop(),
// startInBackground() and stop(), a second start while the first sets up, or destroyed
// while it sets up.
enum class StartPath { Foreground, Background, Restart, Destroy };

// Waits for the watcher's ready() or failed(), whichever comes first.
bool settled(Watcher &w, int ms)
{
    QSignalSpy ready(&w, &Watcher::ready);
    QSignalSpy failed(&w, &Watcher::failed);
    QElapsedTimer t;
    t.start();
    while (ready.isEmpty() && failed.isEmpty() && t.elapsed() < ms)
        QTest::qWait(5);
    return !ready.isEmpty() || !failed.isEmpty();
}

} // namespace

Q_DECLARE_METATYPE(StartPath)

class TestWatcher final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::optional<Workspace> m_big;
    qint64 m_fullSetupMs = 0;

private Q_SLOTS:
    void initTestCase()
    {
        auto ws = Scenario::create(QStringLiteral("blog"), m_dir.filePath(QStringLiteral("big")));
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        m_big = *ws;
        // A tree whose whole setup takes a while here, to tell a cancelled one from a finished one.
        for (int round = 0; round < 4 && m_fullSetupMs < 300; ++round) {
            QVERIFY(makeBigLower(ws->overlays().first().lower.first(), round, 30000));
            m_fullSetupMs = timeSetup();
        }
        qInfo("a whole setup takes %lld ms here", m_fullSetupMs);
        QVERIFY(m_fullSetupMs > 0);
    }

    qint64 timeSetup()
    {
        Watcher w;
        QElapsedTimer t;
        t.start();
        QSignalSpy ready(&w, &Watcher::ready);
        w.startInBackground(*m_big, 0);
        if (!w.isStarting() || !ready.wait(60000) || !w.isWatching())
            return -1;
        return t.elapsed();
    }

    void stopDuringSetupReturnsQuickly_data()
    {
        QTest::addColumn<int>("delayPercent"); // when stop() comes, in percent of a whole setup
        QTest::newRow("at once") << 0;
        QTest::newRow("early") << 10;
        QTest::newRow("half way") << 50;
    }

    void stopDuringSetupReturnsQuickly()
    {
        QFETCH(int, delayPercent);
        const int before = inotifyFds();
        Watcher w;
        QSignalSpy ready(&w, &Watcher::ready);
        QSignalSpy failed(&w, &Watcher::failed);
        w.startInBackground(*m_big, 0);
        QTest::qWait(int(m_fullSetupMs * delayPercent / 100));
        QVERIFY(w.isStarting());
        QElapsedTimer t;
        t.start();
        w.stop();
        QVERIFY2(t.elapsed() < 50, qPrintable(QStringLiteral("stop() took %1 ms").arg(t.elapsed())));
        QVERIFY(!w.isStarting());
        QVERIFY(!w.isWatching());
        // Cancelled, not left to finish: its inotify fd is gone well before a setup's time.
        QTRY_COMPARE_WITH_TIMEOUT(inotifyFds(), before, int(std::max<qint64>(100, m_fullSetupMs / 2)));
        QTest::qWait(int(m_fullSetupMs));
        QCOMPARE(ready.size(), 0); // a stopped start says nothing
        QCOMPARE(failed.size(), 0);
    }

    void inotifyFdIsClosedOnEveryPath_data()
    {
        // upper: the overlay has an upper layer (without one, watching fails)
        strata::test::addColumns<StartPath, bool>("how", "upper");
        QTest::newRow("started, then stopped") << StartPath::Foreground << true;
        QTest::newRow("started in the background, then stopped") << StartPath::Background << true;
        QTest::newRow("started again while starting") << StartPath::Restart << true;
        QTest::newRow("destroyed while starting") << StartPath::Destroy << true;
        QTest::newRow("failed: no upper layer") << StartPath::Foreground << false;
        QTest::newRow("failed in the background: no upper layer") << StartPath::Background << false;
    }

    void inotifyFdIsClosedOnEveryPath()
    {
        QFETCH(StartPath, how);
        QFETCH(bool, upper);
        auto ws
            = Scenario::create(QStringLiteral("blog"), m_dir.filePath(QString::fromLatin1(QTest::currentDataTag())));
        QVERIFY(ws.ok());
        Workspace workspace = *ws;
        if (!upper) {
            QJsonObject top = QJsonDocument::fromJson(workspace.toJson()).object();
            QJsonArray overlays = top.value(QStringLiteral("overlays")).toArray();
            QJsonObject o = overlays.first().toObject();
            o.remove(QStringLiteral("upper"));
            o.remove(QStringLiteral("work"));
            overlays.replace(0, o);
            top.insert(QStringLiteral("overlays"), overlays);
            auto readOnly = Workspace::fromJson(QJsonDocument(top).toJson(), workspace.baseDir(), workspace.filePath());
            QVERIFY2(readOnly.ok(), readOnly.ok() ? "" : qPrintable(readOnly.error().message));
            workspace = *readOnly;
        }
        const int before = inotifyFds();
        {
            Watcher w;
            switch (how) {
            case StartPath::Foreground: {
                const bool started = w.start(workspace, 0).ok();
                QCOMPARE(started, upper);
                if (started) {
                    QVERIFY(w.isWatching());
                    QCOMPARE(inotifyFds(), before + 1);
                    w.stop();
                }
                break;
            }
            case StartPath::Background: {
                QSignalSpy failed(&w, &Watcher::failed);
                w.startInBackground(workspace, 0);
                QVERIFY(settled(w, 60000));
                QCOMPARE(failed.size(), upper ? 0 : 1);
                w.stop();
                break;
            }
            case StartPath::Restart:
                w.startInBackground(*m_big, 0);
                w.startInBackground(workspace, 0);
                QVERIFY(settled(w, 60000));
                QVERIFY(w.isWatching());
                w.stop();
                break;
            case StartPath::Destroy:
                w.startInBackground(*m_big, 0);
                break;
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(inotifyFds(), before, int(std::max<qint64>(100, m_fullSetupMs / 2)));
    }

    // Deleting in upper itself (not through the merged view, where the kernel would leave a
    // whiteout) is told for what it is: what a lower layer has there shows again, unless an
    // opaque directory above still hides it.
    void removedFromUpperItself_data()
    {
        QTest::addColumn<QString>("prepare"); // made in upper first: a file, or "opaque"
        QTest::addColumn<QString>("remove"); // then deleted from upper, with everything below it
        QTest::addColumn<QString>("from"); // the layer the path shows from again; empty: none
        QTest::addColumn<QString>("words");
        QTest::newRow("rm -rf of a merged directory's upper copy")
            << QString() << QStringLiteral("/base_image") << QStringLiteral("lower_layer")
            << QStringLiteral("so the merged view shows it again as the lower layers have it");
        QTest::newRow("rm of a copied-up file")
            << QString() << QStringLiteral("/base_image/common.txt") << QStringLiteral("lower_layer")
            << QStringLiteral("so the merged view shows that version again");
        QTest::newRow("rm of an upper-only file")
            << QStringLiteral("/base_image/new.txt") << QStringLiteral("/base_image/new.txt") << QString()
            << QStringLiteral("existed only in");
        QTest::newRow("rm under an opaque directory")
            << QStringLiteral("opaque") << QStringLiteral("/base_image/common.txt") << QString()
            << QStringLiteral("existed only in");
    }

    void removedFromUpperItself()
    {
        QFETCH(QString, prepare);
        QFETCH(QString, remove);
        QFETCH(QString, from);
        QFETCH(QString, words);
        auto ws
            = Scenario::create(QStringLiteral("blog"), m_dir.filePath(QString::fromLatin1(QTest::currentDataTag())));
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        const QString upper = ws->overlays().first().upper;
        if (prepare == QLatin1String("opaque")) {
            const QByteArray dir = QFile::encodeName(upper + QStringLiteral("/base_image"));
            if (::setxattr(dir.constData(), "user.overlay.opaque", "y", 1, 0) != 0)
                QSKIP("no user xattrs here");
        } else if (!prepare.isEmpty()) {
            QVERIFY(writeFile(upper + prepare, "new\n"));
        }
        auto tracker = ChangeTracker::create(*ws, 0, true); // user.overlay.* marks
        QVERIFY2(tracker.ok(), tracker.ok() ? "" : qPrintable(tracker.error().message));
        const QString target = upper + remove;
        QVERIFY(QFileInfo(target).isDir() ? QDir(target).removeRecursively() : QFile::remove(target));
        const QList<OverlayEvent> events = tracker->changes(QStringLiteral("rm -rf"));
        QCOMPARE(events.size(), 1); // the directory only, not what was inside it
        const OverlayEvent &e = events.first();
        QCOMPARE(e.kind, OverlayEvent::Kind::Removed);
        QCOMPARE(e.path, remove);
        QCOMPARE(e.fromLayer, from);
        QVERIFY2(e.explanation.contains(words), qPrintable(e.explanation));
    }

    // The upper directory itself moved away or deleted, and perhaps made again: the watcher
    // says so and goes on watching whatever is at the workspace's path.
    void upperDirectoryReplaced_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QStringList>("messages"); // words of each directoryReplaced(), in order
        QTest::newRow("renamed away and made again")
            << QStringLiteral("rename-mkdir") << QStringList {QStringLiteral("a new directory is in its place")};
        QTest::newRow("deleted, then made again")
            << QStringLiteral("delete-wait-mkdir")
            << QStringList {QStringLiteral("nothing is there now"), QStringLiteral("again: watching it")};
        QTest::newRow("renamed away and back") << QStringLiteral("rename-back") << QStringList {};
    }

    void upperDirectoryReplaced()
    {
        QFETCH(QString, how);
        QFETCH(QStringList, messages);
        qRegisterMetaType<QList<OverlayEvent>>();
        auto ws
            = Scenario::create(QStringLiteral("blog"), m_dir.filePath(QString::fromLatin1(QTest::currentDataTag())));
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        const QString upper = ws->overlays().first().upper;
        const QString moved = upper + QStringLiteral(".old");
        Watcher w;
        w.setSettleTime(20);
        QSignalSpy replaced(&w, &Watcher::directoryReplaced);
        QSignalSpy changed(&w, &Watcher::changed);
        QVERIFY(w.start(*ws, 0).ok());
        if (how == QLatin1String("rename-mkdir") || how == QLatin1String("rename-back")) {
            QVERIFY(QDir().rename(upper, moved));
            QVERIFY(how == QLatin1String("rename-back") ? QDir().rename(moved, upper) : QDir().mkdir(upper));
        } else {
            QVERIFY(QDir(upper).removeRecursively());
            QTRY_COMPARE_WITH_TIMEOUT(replaced.size(), 1, 5000);
            QVERIFY(QDir().mkdir(upper));
        }
        QTRY_COMPARE_WITH_TIMEOUT(replaced.size(), messages.size(), 5000);
        QTest::qWait(100);
        QCOMPARE(replaced.size(), messages.size());
        for (qsizetype i = 0; i < messages.size(); ++i) {
            const QString text = replaced.at(i).at(0).toString();
            QVERIFY2(text.contains(messages.at(i)) && text.contains(upper), qPrintable(text));
        }
        // Edits in the directory at the workspace's path are told again; the old one is not watched.
        QTest::qWait(100); // the replacement's own report (the old content gone) comes first
        changed.clear();
        if (QDir(moved).exists())
            QVERIFY(writeFile(moved + QStringLiteral("/base_image/common.txt"), "old dir\n"));
        QVERIFY(QDir().mkpath(upper + QStringLiteral("/base_image")));
        QVERIFY(writeFile(upper + QStringLiteral("/base_image/after.txt"), "new dir\n"));
        QTRY_VERIFY_WITH_TIMEOUT(
            findEvent(eventsOf(changed), OverlayEvent::Kind::Created, QStringLiteral("/base_image/after.txt")), 5000);
        QTest::qWait(100);
        for (const OverlayEvent &e : eventsOf(changed))
            QVERIFY2(e.path != QLatin1String("/base_image/common.txt"), qPrintable(e.explanation));
    }
};

STRATA_TEST_MAIN(TestWatcher)
#include "tst_watcher.moc"
