// SPDX-License-Identifier: GPL-2.0-or-later
// MountController against the real kernel: mounts it makes are recorded and always taken down
// (unmount, destructor, another selection) while mounts it did not make are left alone;
// refusals come back in words; edits made through the mount by another program are reported,
// the app's own are not; "Open terminal here" starts the right command, which really edits
// the upper layer. Runs in a private mount namespace, so nothing leaks even on a crash.
#include "core/events/overlayevent.h"
#include "core/mount/kernelmounter.h"
#include "core/mount/mountinfo.h"
#include "core/mount/mountregistry.h"
#include "core/mount/stackmounter.h"
#include "core/session/mountcontroller.h"
#include "core/stack/scenario.h"
#include "core/util/fork.h"
#include "tests/support/datatable.h"
#include "tests/support/eventspy.h"
#include "tests/support/kernelmount.h"
#include "tests/support/privatemountns.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <unistd.h>

using namespace strata;
using namespace strata::test;

Q_DECLARE_METATYPE(strata::OverlayEvent::Kind)
Q_DECLARE_METATYPE(strata::Backend)

namespace
{

std::optional<MountInfo::Entry> overlayAt(const QString &path)
{
    auto m = MountInfo::read();
    if (!m)
        return std::nullopt;
    auto e = MountInfo::find(*m, path);
    return e && e->isAnyOverlay() ? e : std::nullopt;
}

QList<MountRegistry::Record> records()
{
    auto r = MountRegistry().records();
    return r ? *r : QList<MountRegistry::Record>();
}

bool writeExecutable(const QString &path, const QByteArray &text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(text);
    f.close();
    return f.setPermissions(f.permissions() | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther);
}

// Sets (or with a null value unsets) an environment variable for the scope of a test.
class EnvGuard final
{
public:
    EnvGuard(const char *name, const QByteArray &value) : m_name(name), m_had(qEnvironmentVariableIsSet(name))
    {
        m_old = qgetenv(name);
        if (value.isNull())
            qunsetenv(name);
        else
            qputenv(name, value);
    }
    ~EnvGuard()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    EnvGuard(const EnvGuard &) = delete;
    EnvGuard &operator=(const EnvGuard &) = delete;

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

bool hasEvent(const QSignalSpy &spy, OverlayEvent::Kind kind, const QString &path)
{
    const QList<OverlayEvent> events = eventsOf(spy);
    return std::any_of(events.cbegin(), events.cend(), [&](const OverlayEvent &e) {
        return e.kind == kind && e.path == path && e.outside;
    });
}

} // namespace

class TestMountController final : public MountTest
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QTemporaryDir m_state;
    int m_count = 0;

    // A fresh copy of a built-in scenario for each test.
    Workspace scenario(const QString &name)
    {
        const QString dir = m_dir.filePath(QStringLiteral("%1-%2").arg(name).arg(++m_count));
        auto ws = Scenario::create(name, dir);
        if (!ws)
            qFatal("cannot create scenario %s: %s", qPrintable(name), qPrintable(ws.error().message));
        return *ws;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<QList<OverlayEvent>>();
        QVERIFY(m_dir.isValid());
        QVERIFY(m_state.isValid());
        // Records go to a registry of our own; the terminal's shell reads commands from stdin.
        qputenv("STRATA_STATE_DIR", QFile::encodeName(m_state.path()));
        qputenv("SHELL", "/bin/sh");
    }

    void cleanup()
    {
        // Whatever a failed test left: the private namespace would drop it, but the next
        // test should start clean.
        QCOMPARE(strata::test::overlayMountsUnder(m_dir.path()), 0);
    }

    void backendList_data()
    {
        strata::test::addColumns<Backend, QString, QString>("backend", "name", "label");
        QTest::newRow("engine") << Backend::Engine << QStringLiteral("engine")
                                << QStringLiteral("userspace engine (no mount)");
        QTest::newRow("kernel") << Backend::Kernel << QStringLiteral("kernel")
                                << QStringLiteral("kernel overlayfs (root)");
        QTest::newRow("userns") << Backend::Userns << QStringLiteral("userns")
                                << QStringLiteral("user namespace (userxattr)");
        QTest::newRow("fuse") << Backend::Fuse << QStringLiteral("fuse") << QStringLiteral("fuse-overlayfs");
    }

    void backendList()
    {
        QFETCH(Backend, backend);
        QFETCH(QString, name);
        QFETCH(QString, label);
        const QList<BackendPolicy::Info> all = BackendPolicy().backends();
        QCOMPARE(all.size(), 5);
        QCOMPARE(all.first().backend, Backend::Auto);
        const auto it = std::find_if(all.cbegin(), all.cend(), [&](const auto &i) { return i.backend == backend; });
        QVERIFY(it != all.cend());
        QCOMPARE(it->name, name);
        QCOMPARE(it->label, label);
        QCOMPARE(parseBackend(name), std::optional<Backend>(backend));
        // Each one either works here or says why not.
        QVERIFY(it->usable || !it->problem.isEmpty());
        QVERIFY(it->mountable || !it->mountProblem.isEmpty());
        const bool root = ::geteuid() == 0;
        if (backend == Backend::Engine)
            QVERIFY(it->usable && !it->mountable);
        if (backend == Backend::Kernel)
            QCOMPARE(it->usable, root);
        if (backend == Backend::Userns) {
            QVERIFY(!it->mountable);
            QVERIFY(it->mountProblem.contains(QStringLiteral("private mount")));
        }
    }

    void autoResolves()
    {
        const BackendPolicy policy;
        const Backend resolved = policy.choose(Backend::Auto).backend;
        QVERIFY(resolved != Backend::Auto);
        if (::geteuid() == 0)
            QCOMPARE(resolved, Backend::Kernel);
        else if (StackMounter::usernsProblem().isEmpty())
            QCOMPARE(resolved, Backend::Userns);
        QVERIFY(policy.label(Backend::Auto).contains(policy.label(resolved)));
        MountController ctl;
        QCOMPARE(ctl.backend(), Backend::Auto);
        QCOMPARE(ctl.effectiveBackend(), resolved);
        QSignalSpy changed(&ctl, &MountController::backendChanged);
        ctl.setBackend(Backend::Engine);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(ctl.effectiveBackend(), Backend::Engine);
        QVERIFY(ctl.setOverlay(scenario(QStringLiteral("blog")), 0));
        auto session = ctl.openSession();
        QVERIFY2(session.ok(), session.ok() ? "" : qPrintable(session.error().message));
    }

    // Where nothing mounts, auto is the engine, and the status says why in the words of
    // `strata op --backend auto`.
    void autoFallsBackToEngine()
    {
        const BackendPolicy policy(BackendPolicy::Facts {
            false, QStringLiteral("user namespaces are disabled (sysctl user.max_user_namespaces=0)"), false, true});
        MountController ctl;
        ctl.setPolicy(policy);
        QCOMPARE(ctl.backend(), Backend::Auto);
        QCOMPARE(ctl.effectiveBackend(), Backend::Engine);
        QCOMPARE(
            ctl.backendStatus(), QStringLiteral("Automatic backend: %1.").arg(policy.choose(Backend::Auto).reason));
        QVERIFY(ctl.backendStatus().contains(QStringLiteral("edits go through the userspace engine instead")));
        QVERIFY(!ctl.policy().info(Backend::Auto).mountable);
        QVERIFY(ctl.setOverlay(scenario(QStringLiteral("blog")), 0));
        auto session = ctl.openSession();
        QVERIFY2(session.ok(), session.ok() ? "" : qPrintable(session.error().message));
        QVERIFY((*session)->describe().contains(QStringLiteral("userspace engine")));
        QVERIFY(!ctl.mount());
        QVERIFY(ctl.errorString().contains(QStringLiteral("mounts nothing")));
        ctl.setBackend(Backend::Engine);
        QCOMPARE(
            ctl.backendStatus(), QStringLiteral("Edits go through the userspace engine: no mount, every step shown."));
        ctl.setBackend(Backend::Kernel);
        QVERIFY(ctl.backendStatus().contains(QStringLiteral("kernel overlayfs (root)")));
    }

    void mountAndUnmount_data()
    {
        strata::test::addColumns<QString, int, Backend>("scenario", "overlay", "backend");
        QTest::newRow("blog kernel") << QStringLiteral("blog") << 0 << Backend::Kernel;
        QTest::newRow("stacked top kernel") << QStringLiteral("stacked") << 1 << Backend::Kernel;
        QTest::newRow("blog auto") << QStringLiteral("blog") << 0 << Backend::Auto;
        QTest::newRow("blog fuse") << QStringLiteral("blog") << 0 << Backend::Fuse;
        QTest::newRow("stacked top fuse") << QStringLiteral("stacked") << 1 << Backend::Fuse;
    }

    void mountAndUnmount()
    {
        QFETCH(QString, scenario);
        QFETCH(int, overlay);
        QFETCH(Backend, backend);
        STRATA_REQUIRE_MOUNT();
        const BackendPolicy::Info info = BackendPolicy().info(BackendPolicy().choose(backend).backend);
        if (!info.mountable) {
            // Root is what CI promises; fuse-overlayfs is optional.
            if (inCi() && info.backend == Backend::Kernel)
                QFAIL(qPrintable(QStringLiteral("CI=true and the kernel cannot mount: ") + info.mountProblem));
            QSKIP(qPrintable(info.mountProblem));
        }
        const Workspace ws = this->scenario(scenario);
        MountController ctl;
        ctl.setBackend(backend);
        QVERIFY2(ctl.setOverlay(ws, overlay), qPrintable(ctl.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(!ctl.isWatchStarting(), 10000); // its word, if any, comes first
        QVERIFY(!ctl.isMounted());
        QSignalSpy mounted(&ctl, &MountController::mountedChanged);
        QSignalSpy messages(&ctl, &MountController::message);

        QVERIFY2(ctl.mount(), qPrintable(ctl.errorString()));
        QVERIFY(ctl.isMounted());
        QVERIFY(ctl.ownsMount());
        QCOMPARE(mounted.size(), 1);
        QCOMPARE(mounted.at(0).at(0).toBool(), true);
        QVERIFY(!messages.isEmpty());
        // The kernel's own list of mounts shows every overlay up to the selected one, with
        // its layers, and each is recorded for the stale-mount check.
        const QList<MountRegistry::Record> recs = records();
        for (int i = 0; i <= overlay; ++i) {
            const OverlaySpec &spec = ws.overlays().at(i);
            const auto e = overlayAt(spec.mountpoint);
            QVERIFY2(e, qPrintable(spec.mountpoint));
            if (BackendPolicy().choose(backend).backend == Backend::Fuse) {
                QVERIFY(e->isFuseOverlay());
            } else {
                QVERIFY(e->isOverlay());
                QCOMPARE(e->upperDir, spec.upper);
                QCOMPARE(e->lowerDirs, spec.lower);
            }
            const bool recorded = std::any_of(recs.cbegin(), recs.cend(), [&](const MountRegistry::Record &r) {
                return r.mountPoint == spec.mountpoint && r.pid == ::getpid() && r.overlay == spec.name;
            });
            QVERIFY2(recorded, qPrintable(spec.mountpoint));
        }
        // The merged view really is the overlay's.
        QVERIFY(QFile::exists(ctl.mergedDirectory() + QStringLiteral("/base_image/PART1.txt")));

        QVERIFY2(ctl.unmount(), qPrintable(ctl.errorString()));
        QVERIFY(!ctl.isMounted());
        QVERIFY(!ctl.ownsMount());
        QCOMPARE(mounted.size(), 2);
        QCOMPARE(mounted.at(1).at(0).toBool(), false);
        QCOMPARE(strata::test::overlayMountsUnder(m_dir.path()), 0);
        QVERIFY(records().isEmpty());
    }

    void destructorAndReselectionUnmount()
    {
        STRATA_REQUIRE_MOUNT();
        const Workspace ws = scenario(QStringLiteral("stacked"));
        {
            auto ctl = std::make_unique<MountController>();
            ctl->setBackend(Backend::Kernel);
            QVERIFY(ctl->setOverlay(ws, 1));
            QVERIFY2(ctl->mount(), qPrintable(ctl->errorString()));
            QCOMPARE(strata::test::overlayMountsUnder(m_dir.path()), 2);
            ctl.reset();
            QCOMPARE(strata::test::overlayMountsUnder(m_dir.path()), 0);
            QVERIFY(records().isEmpty());
        }
        // Selecting another overlay takes the old selection's mounts down.
        MountController ctl;
        ctl.setBackend(Backend::Kernel);
        QVERIFY(ctl.setOverlay(ws, 1));
        QVERIFY2(ctl.mount(), qPrintable(ctl.errorString()));
        QSignalSpy mounted(&ctl, &MountController::mountedChanged);
        QVERIFY(ctl.setOverlay(ws, 0));
        QCOMPARE(strata::test::overlayMountsUnder(m_dir.path()), 0);
        QCOMPARE(mounted.size(), 1);
        QCOMPARE(mounted.at(0).at(0).toBool(), false);
        // The same selection again (a rescan) keeps the mount.
        QVERIFY2(ctl.mount(), qPrintable(ctl.errorString()));
        QVERIFY(ctl.setOverlay(ws, 0));
        QVERIFY(ctl.isMounted());
        ctl.clear();
        QCOMPARE(strata::test::overlayMountsUnder(m_dir.path()), 0);
        // A mount held by a process in the merged directory (a terminal) still goes: detached.
        QVERIFY(ctl.setOverlay(ws, 0));
        QVERIFY2(ctl.mount(), qPrintable(ctl.errorString()));
        QFile busy(ctl.mergedDirectory() + QStringLiteral("/base_image/PART1.txt"));
        QVERIFY(busy.open(QIODevice::ReadOnly));
        QVERIFY(!ctl.unmount()); // not forced: the user is told why
        QVERIFY(ctl.errorString().contains(QStringLiteral("busy"), Qt::CaseInsensitive));
        QVERIFY(ctl.isMounted());
        QVERIFY(ctl.setOverlay(ws, 1));
        QCOMPARE(strata::test::overlayMountsUnder(m_dir.path()), 0);
        busy.close();
    }

    void foreignMountsAreLeftAlone()
    {
        STRATA_REQUIRE_MOUNT();
        const Workspace ws = scenario(QStringLiteral("stacked"));
        const QString lowerMount = ws.overlays().at(0).mountpoint;
        // Mounted by someone else (like `strata mount`), before the controller.
        MountRegistry registry;
        StackMounter mounter(ws);
        const StackMounter::Report r = mounter.mountAll(registry, 0, 0, Backend::Kernel);
        QVERIFY2(r.ok, qPrintable(r.lines.join(QLatin1Char('\n'))));
        {
            MountController ctl;
            ctl.setBackend(Backend::Kernel);
            QVERIFY(ctl.setOverlay(ws, 1));
            QVERIFY2(ctl.mount(), qPrintable(ctl.errorString()));
            QVERIFY(overlayAt(ws.overlays().at(1).mountpoint));
            QVERIFY(ctl.unmount());
            QVERIFY(!overlayAt(ws.overlays().at(1).mountpoint));
            QVERIFY(overlayAt(lowerMount)); // not ours

            // The selected overlay itself mounted by someone else: used, never unmounted.
            QVERIFY(ctl.setOverlay(ws, 0));
            QVERIFY(ctl.isMounted());
            QVERIFY(!ctl.ownsMount());
            QVERIFY(ctl.mount());
            QVERIFY(!ctl.ownsMount());
            QVERIFY(!ctl.unmount());
            QVERIFY(ctl.errorString().contains(QStringLiteral("not mounted by this window")));
            QVERIFY(overlayAt(lowerMount));
        }
        QVERIFY(overlayAt(lowerMount)); // the destructor left it too
        QVERIFY(KernelMounter::unmount(lowerMount).ok());
        (void)registry.remove(lowerMount);
    }

    // The namespace helper's answer is in when the helper exits, even if something it started
    // still holds the pipe (a grandchild forked without exec: the same as a child that another
    // thread forked at the same moment).
    void namespaceHelperEndsWithItsChild_data()
    {
        strata::test::addColumns<int>("backend");
        QTest::newRow("kernel") << int(Backend::Kernel);
        QTest::newRow("userns") << int(Backend::Userns);
    }

    void namespaceHelperEndsWithItsChild()
    {
        STRATA_REQUIRE_MOUNT();
        QFETCH(int, backend);
        const Workspace ws = scenario(QStringLiteral("blog"));
        StackMounter mounter(ws);
        QElapsedTimer clock;
        clock.start();
        auto rc = mounter.runInNamespace(static_cast<Backend>(backend), 0, [] {
            if (forkProcess() == 0) {
                ::sleep(8);
                ::_exit(0);
            }
            return 7;
        });
        QVERIFY2(rc.ok(), rc.ok() ? "" : qPrintable(rc.error().message));
        QCOMPARE(*rc, 7);
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    }

    void mountRefused_data()
    {
        // expected: each in the message
        strata::test::addColumns<Backend, QString, bool, QStringList>("backend", "breakage", "needsRoot", "expected");
        QTest::newRow("missing lower") << Backend::Kernel << QStringLiteral("lower_layer") << true
                                       << QStringList {QStringLiteral("Mounting overlay_layer failed"),
                                              QStringLiteral("lower_layer"),
                                              QStringLiteral("No such file or directory"),
                                              QStringLiteral("kernel: failed to resolve")};
        QTest::newRow("missing upper") << Backend::Kernel << QStringLiteral("upper_layer") << true
                                       << QStringList {QStringLiteral("Mounting overlay_layer failed"),
                                              QStringLiteral("upper_layer")};
        QTest::newRow("engine mounts nothing")
            << Backend::Engine << QString() << false
            << QStringList {QStringLiteral("userspace engine"), QStringLiteral("mounts nothing")};
        QTest::newRow("userns is private") << Backend::Userns << QString() << false
                                           << QStringList {QStringLiteral("user namespace"),
                                                  QStringLiteral("each edit, and each terminal"),
                                                  QStringLiteral("private mount")};
    }

    void mountRefused()
    {
        QFETCH(Backend, backend);
        QFETCH(QString, breakage);
        QFETCH(bool, needsRoot);
        QFETCH(QStringList, expected);
        if (needsRoot)
            STRATA_REQUIRE_MOUNT();
        const Workspace ws = scenario(QStringLiteral("blog"));
        if (!breakage.isEmpty())
            QVERIFY(QDir(ws.baseDir() + QLatin1Char('/') + breakage).removeRecursively());
        MountController ctl;
        ctl.setBackend(backend);
        (void)ctl.setOverlay(ws, 0); // the watcher may not start on a broken stack: not the point
        QSignalSpy messages(&ctl, &MountController::message);
        QSignalSpy mounted(&ctl, &MountController::mountedChanged);
        QVERIFY(!ctl.mount());
        for (const QString &e : expected)
            QVERIFY2(ctl.errorString().contains(e), qPrintable(ctl.errorString()));
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.at(0).at(0).toString(), ctl.errorString());
        QCOMPARE(mounted.size(), 0);
        QVERIFY(!ctl.isMounted());
        QVERIFY(!ctl.ownsMount());
        QCOMPARE(strata::test::overlayMountsUnder(m_dir.path()), 0);
        QVERIFY(records().isEmpty());
    }

    void outsideEdits_data()
    {
        strata::test::addColumns<QString, QString, OverlayEvent::Kind>("verb", "path", "kind");
        QTest::newRow("append to a lower file: copy_up")
            << QStringLiteral("append") << QStringLiteral("/base_image/second_instruction.txt")
            << OverlayEvent::Kind::CopyUp;
        QTest::newRow("delete a lower file: whiteout")
            << QStringLiteral("rm") << QStringLiteral("/base_image/PART4.txt") << OverlayEvent::Kind::Whiteout;
        QTest::newRow("new file: created")
            << QStringLiteral("write") << QStringLiteral("/base_image/new.txt") << OverlayEvent::Kind::Created;
    }

    void outsideEdits()
    {
        QFETCH(QString, verb);
        QFETCH(QString, path);
        QFETCH(OverlayEvent::Kind, kind);
        STRATA_REQUIRE_MOUNT();
        const Workspace ws = scenario(QStringLiteral("blog"));
        MountController ctl;
        ctl.setBackend(Backend::Kernel);
        QVERIFY2(ctl.setOverlay(ws, 0), qPrintable(ctl.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(ctl.isWatching(), 10000); // it starts in the background
        ctl.setWatchSettleTime(50);
        QSignalSpy outside(&ctl, &MountController::outsideEdit);
        QVERIFY2(ctl.mount(), qPrintable(ctl.errorString()));
        QVERIFY2(!outside.wait(300), "mounting is not an outside edit");

        auto edit = [&](const QString &p) {
            const QString file = ctl.mergedDirectory() + p;
            if (verb == QLatin1String("rm"))
                return QFile::remove(file);
            QFile f(file);
            if (!f.open(verb == QLatin1String("append") ? QIODevice::Append : QIODevice::WriteOnly))
                return false;
            return f.write("edited\n") == 7;
        };
        // The app's own edit, bracketed: the watcher keeps quiet about it, now and later.
        ctl.beginOwnEdit();
        QVERIFY(edit(path));
        ctl.endOwnEdit();
        QVERIFY2(!outside.wait(400), "the app's own edit was reported as an outside edit");
        QVERIFY(outside.isEmpty());

        // The same kind of edit by "another program" on another file.
        const QString other = verb == QLatin1String("rm") ? QStringLiteral("/base_image/PART3.txt")
            : verb == QLatin1String("append")             ? QStringLiteral("/base_image/third_instruction.txt")
                                                          : QStringLiteral("/base_image/other.txt");
        QVERIFY(edit(other));
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(outside, kind, other), 5000);
        // Nothing about the app's own edit came with it.
        for (const OverlayEvent &e : eventsOf(outside))
            QVERIFY2(e.path != path, qPrintable(e.toText()));

        // Another program writes while the app edits: told once the app's edit is known.
        outside.clear();
        const QString mine = QStringLiteral("/base_image/mine.txt");
        const QString theirs = QStringLiteral("/base_image/theirs.txt");
        ctl.beginOwnEdit();
        QFile m(ctl.mergedDirectory() + mine);
        QVERIFY(m.open(QIODevice::WriteOnly));
        m.close();
        QFile t(ctl.mergedDirectory() + theirs);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.close();
        OverlayEvent own;
        own.kind = OverlayEvent::Kind::Created;
        own.path = mine;
        ctl.endOwnEdit({own});
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(outside, OverlayEvent::Kind::Created, theirs), 5000);
        for (const OverlayEvent &e : eventsOf(outside))
            QVERIFY2(e.path != mine, qPrintable(e.toText()));
        QVERIFY(ctl.unmount());
    }

    // Finding 12 through a real mount: rm -rf in the merged view of a directory that also
    // exists below is a whiteout (not "existed only in upper"); the upper directory replaced
    // under the mount is told, and the view (which still uses the old one) does not change.
    void outsideRemovals_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("rm -rf of a merged directory through the mount") << QStringLiteral("merged-rm-rf");
        QTest::newRow("upper renamed away and made again while mounted") << QStringLiteral("upper-replaced");
    }

    void outsideRemovals()
    {
        QFETCH(QString, how);
        STRATA_REQUIRE_MOUNT();
        const Workspace ws = scenario(QStringLiteral("blog"));
        MountController ctl;
        ctl.setBackend(Backend::Kernel);
        QVERIFY2(ctl.setOverlay(ws, 0), qPrintable(ctl.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(ctl.isWatching(), 10000);
        ctl.setWatchSettleTime(50);
        QSignalSpy outside(&ctl, &MountController::outsideEdit);
        QSignalSpy messages(&ctl, &MountController::message);
        QVERIFY2(ctl.mount(), qPrintable(ctl.errorString()));
        QVERIFY(!outside.wait(300));
        const QString upper = ws.overlays().first().upper;
        if (how == QLatin1String("merged-rm-rf")) {
            QVERIFY(QDir(ctl.mergedDirectory() + QStringLiteral("/base_image")).removeRecursively());
            QTRY_VERIFY_WITH_TIMEOUT(
                hasEvent(outside, OverlayEvent::Kind::Whiteout, QStringLiteral("/base_image")), 5000);
            for (const OverlayEvent &e : eventsOf(outside)) {
                QVERIFY2(!e.explanation.contains(QLatin1String("existed only in")), qPrintable(e.toText()));
                if (e.path == QLatin1String("/base_image"))
                    QVERIFY2(e.explanation.contains(QLatin1String("lower_layer")), qPrintable(e.toText()));
            }
        } else {
            QVERIFY(QDir().rename(upper, upper + QStringLiteral(".old")));
            QVERIFY(QDir().mkdir(upper));
            const auto told = [&messages] {
                for (const QList<QVariant> &m : std::as_const(messages)) {
                    if (m.at(0).toString().contains(QLatin1String("keeps using the old directory")))
                        return true;
                }
                return false;
            };
            QTRY_VERIFY_WITH_TIMEOUT(told(), 5000);
            // The mount still shows the old upper: no edit to report.
            QVERIFY(!outside.wait(300));
            QVERIFY(QFile::exists(ctl.mergedDirectory() + QStringLiteral("/base_image/common.txt")));
        }
        QVERIFY(ctl.unmount());
    }

    void terminalLauncher_data()
    {
        // onPath: fake programs in an otherwise empty PATH
        // expected: program base name, then its arguments
        strata::test::addColumns<QString, QString, QStringList, QStringList>(
            "strataTerminal", "terminal", "onPath", "expected");
        QTest::newRow("STRATA_TERMINAL") << QStringLiteral("myterm") << QStringLiteral("other")
                                         << QStringList {QStringLiteral("myterm"), QStringLiteral("other")}
                                         << QStringList {QStringLiteral("myterm"), QStringLiteral("-e")};
        QTest::newRow("STRATA_TERMINAL with arguments")
            << QStringLiteral("myterm --hold") << QString() << QStringList {QStringLiteral("myterm")}
            << QStringList {QStringLiteral("myterm"), QStringLiteral("--hold"), QStringLiteral("-e")};
        QTest::newRow("TERMINAL") << QString() << QStringLiteral("other")
                                  << QStringList {QStringLiteral("other"), QStringLiteral("xterm")}
                                  << QStringList {QStringLiteral("other"), QStringLiteral("-e")};
        QTest::newRow("x-terminal-emulator first")
            << QString() << QString() << QStringList {QStringLiteral("xterm"), QStringLiteral("x-terminal-emulator")}
            << QStringList {QStringLiteral("x-terminal-emulator"), QStringLiteral("-e")};
        QTest::newRow("xterm") << QString() << QString()
                               << QStringList {QStringLiteral("xterm"), QStringLiteral("konsole")}
                               << QStringList {QStringLiteral("xterm"), QStringLiteral("-e")};
        QTest::newRow("gnome-terminal") << QString() << QString() << QStringList {QStringLiteral("gnome-terminal")}
                                        << QStringList {QStringLiteral("gnome-terminal"), QStringLiteral("--")};
        QTest::newRow("konsole") << QString() << QString() << QStringList {QStringLiteral("konsole")}
                                 << QStringList {QStringLiteral("konsole"), QStringLiteral("-e")};
        QTest::newRow("none") << QString() << QString() << QStringList() << QStringList();
        QTest::newRow("STRATA_TERMINAL missing")
            << QStringLiteral("nosuchterm") << QString() << QStringList {QStringLiteral("xterm")} << QStringList();
    }

    void terminalLauncher()
    {
        QFETCH(QString, strataTerminal);
        QFETCH(QString, terminal);
        QFETCH(QStringList, onPath);
        QFETCH(QStringList, expected);
        QTemporaryDir bin;
        for (const QString &p : onPath)
            QVERIFY(writeExecutable(bin.filePath(p), "#!/bin/sh\nexit 0\n"));
        const EnvGuard path("PATH", QFile::encodeName(bin.path()));
        const EnvGuard st("STRATA_TERMINAL", strataTerminal.isEmpty() ? QByteArray() : strataTerminal.toUtf8());
        const EnvGuard t("TERMINAL", terminal.isEmpty() ? QByteArray() : terminal.toUtf8());
        const auto launcher = MountController::terminalLauncher();
        if (expected.isEmpty()) {
            QVERIFY(!launcher.ok());
            const QString why = launcher.error().message;
            QVERIFY2(why.contains(strataTerminal.isEmpty() ? QStringLiteral("No terminal program found")
                                                           : QStringLiteral("not a program")),
                qPrintable(why));
            QVERIFY(why.contains(QStringLiteral("STRATA_TERMINAL")));
            return;
        }
        QVERIFY2(launcher.ok(), launcher.ok() ? "" : qPrintable(launcher.error().message));
        QCOMPARE(launcher->first(), bin.filePath(expected.first()));
        QCOMPARE(launcher->mid(1), expected.mid(1));
    }

    void openTerminal_data()
    {
        strata::test::addColumns<QString, int, bool, Backend>("scenario", "overlay", "mountFirst", "backend");
        QTest::newRow("mounted here: a shell in the mountpoint")
            << QStringLiteral("blog") << 0 << true << Backend::Kernel;
        QTest::newRow("not mounted: strata shell") << QStringLiteral("blog") << 0 << false << Backend::Kernel;
        QTest::newRow("not mounted, second level: strata shell")
            << QStringLiteral("stacked") << 1 << false << Backend::Kernel;
        QTest::newRow("not mounted, user namespace: strata shell")
            << QStringLiteral("blog") << 0 << false << Backend::Userns;
        QTest::newRow("engine: strata shell with a mount that works")
            << QStringLiteral("blog") << 0 << false << Backend::Engine;
        QTest::newRow("mounted here, second level") << QStringLiteral("stacked") << 1 << true << Backend::Kernel;
    }

    void openTerminal()
    {
        QFETCH(QString, scenario);
        QFETCH(int, overlay);
        QFETCH(bool, mountFirst);
        QFETCH(Backend, backend);
        STRATA_REQUIRE_MOUNT();
        // The shell's backend: the engine mounts nothing, so the terminal takes what works.
        const Backend shellBackend
            = backend == Backend::Engine ? BackendPolicy().chooseMount(Backend::Auto).backend : backend;
        if (!BackendPolicy().info(shellBackend).usable)
            QSKIP(qPrintable(BackendPolicy().info(shellBackend).problem));
        const QString strata = MountController::strataExecutable();
        QVERIFY2(!strata.isEmpty(), "set STRATA_CLI to the strata binary");
        const Workspace ws = this->scenario(scenario);
        const OverlaySpec &spec = ws.overlays().at(overlay);

        // A stand-in terminal: records its arguments, then runs the command after -e with
        // "touch newfile" as the only line typed into the shell.
        QTemporaryDir term;
        const QString script = term.filePath(QStringLiteral("term"));
        QVERIFY(writeExecutable(script,
            "#!/bin/sh\n"
            "dir=$(dirname \"$0\")\n"
            "printf '%s\\n' \"$@\" > \"$dir/args\"\n"
            "[ \"$1\" = \"-e\" ] && shift\n"
            "printf 'touch newfile\\n' | \"$@\" > \"$dir/log\" 2>&1\n"
            "echo $? > \"$dir/done.tmp\" && mv \"$dir/done.tmp\" \"$dir/done\"\n"));
        const EnvGuard st("STRATA_TERMINAL", QFile::encodeName(script));

        MountController ctl;
        ctl.setBackend(backend);
        QVERIFY2(ctl.setOverlay(ws, overlay), qPrintable(ctl.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(ctl.isWatching(), 10000);
        ctl.setWatchSettleTime(50);
        if (mountFirst)
            QVERIFY2(ctl.mount(), qPrintable(ctl.errorString()));
        QSignalSpy outside(&ctl, &MountController::outsideEdit);

        const auto cmd = ctl.terminalCommand();
        QVERIFY2(cmd.ok(), cmd.ok() ? "" : qPrintable(cmd.error().message));
        QVERIFY2(ctl.openTerminal(), qPrintable(ctl.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(term.filePath(QStringLiteral("done"))), 20000);

        QFile argsFile(term.filePath(QStringLiteral("args")));
        QVERIFY(argsFile.open(QIODevice::ReadOnly));
        QStringList args = QString::fromUtf8(argsFile.readAll()).split(QLatin1Char('\n'));
        args.removeLast(); // after the last newline
        QCOMPARE(QStringList {script} + args, *cmd);
        const QStringList expected = mountFirst ? QStringList {QStringLiteral("-e"),
                                         QStringLiteral("sh"),
                                         QStringLiteral("-c"),
                                         QStringLiteral("cd \"$1\" && exec \"${SHELL:-sh}\""),
                                         QStringLiteral("sh"),
                                         spec.mountpoint}
                                                : QStringList {QStringLiteral("-e"),
                                                    strata,
                                                    QStringLiteral("shell"),
                                                    ws.filePath(),
                                                    QStringLiteral("--overlay"),
                                                    spec.name,
                                                    QStringLiteral("--backend"),
                                                    backendName(shellBackend)};
        QCOMPARE(args, expected);

        QFile log(term.filePath(QStringLiteral("log")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray logText = log.readAll();
        QFile done(term.filePath(QStringLiteral("done")));
        QVERIFY(done.open(QIODevice::ReadOnly));
        QVERIFY2(done.readAll().trimmed() == "0", logText.constData());
        // The shell started in the merged directory, and its edit landed in the real upper
        // layer, where the watcher saw it as an edit made outside the app.
        QVERIFY2(QFileInfo::exists(spec.upper + QStringLiteral("/newfile")), logText.constData());
        QTRY_VERIFY_WITH_TIMEOUT(hasEvent(outside, OverlayEvent::Kind::Created, QStringLiteral("/newfile")), 5000);
        if (mountFirst) {
            QVERIFY(ctl.isMounted());
            QVERIFY(ctl.unmount());
        } else {
            QVERIFY(!ctl.isMounted()); // the shell's mount was private and is gone
        }
        QCOMPARE(strata::test::overlayMountsUnder(m_dir.path()), 0);
    }

    void openTerminalWithoutOne()
    {
        const Workspace ws = scenario(QStringLiteral("blog"));
        QTemporaryDir empty;
        const EnvGuard path("PATH", QFile::encodeName(empty.path()));
        const EnvGuard st("STRATA_TERMINAL", QByteArray());
        const EnvGuard t("TERMINAL", QByteArray());
        MountController ctl;
        QVERIFY(ctl.setOverlay(ws, 0));
        QSignalSpy messages(&ctl, &MountController::message);
        QVERIFY(!ctl.openTerminal());
        QVERIFY(ctl.errorString().contains(QStringLiteral("No terminal program found")));
        QCOMPARE(messages.size(), 1);
    }
};

STRATA_MOUNT_TEST_MAIN(TestMountController)

#include "tst_mountcontroller.moc"
