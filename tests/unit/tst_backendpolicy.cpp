// SPDX-License-Identifier: GPL-2.0-or-later
// BackendPolicy on made-up machines: what `auto` becomes and the one sentence that says why,
// which backends work and why not, the mount command of each backend, and the session it opens.
#include "core/session/backendpolicy.h"
#include "core/stack/scenario.h"
#include "tests/support/datatable.h"

#include <QtTest>

using namespace strata;

Q_DECLARE_METATYPE(strata::Backend)
Q_DECLARE_METATYPE(strata::BackendPolicy::Facts)

namespace
{
const QString NoUserns = QStringLiteral("user namespaces are disabled (sysctl user.max_user_namespaces=0)");

BackendPolicy::Facts facts(bool root, bool userns, bool fuse, bool devFuse = true)
{
    return BackendPolicy::Facts {root, userns ? QString() : NoUserns, fuse, devFuse};
}

// A row of autoResolves: on this machine, `auto` edits with `edits` and mounts with `mounts`
// (Auto: no mount is possible), for a reason that contains `reason`.
struct AutoCase {
    BackendPolicy::Facts facts;
    Backend edits;
    Backend mounts;
    QString reason;
};

// A row of explicitBackends: on this machine, `backend` has a problem that contains `problem`
// (empty: it works) and can or cannot give a shared mount.
struct ExplicitCase {
    BackendPolicy::Facts facts;
    Backend backend;
    QString problem;
    bool mountable;
};
} // namespace

Q_DECLARE_METATYPE(AutoCase)
Q_DECLARE_METATYPE(ExplicitCase)

class TestBackendPolicy final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void names()
    {
        for (Backend b : AllBackends)
            QCOMPARE(parseBackend(backendName(b)), std::optional<Backend>(b));
        QCOMPARE(parseBackend(QStringLiteral("nope")), std::nullopt);
        QVERIFY(isMountBackend(Backend::Fuse) && !isMountBackend(Backend::Engine) && !isMountBackend(Backend::Auto));
    }

    void autoResolves_data()
    {
        QTest::addColumn<AutoCase>("row");
        QTest::newRow("root") << AutoCase {facts(true, false, false),
            Backend::Kernel,
            Backend::Kernel,
            QStringLiteral("running as root: the kernel's overlayfs")};
        QTest::newRow("user namespaces") << AutoCase {facts(false, true, true),
            Backend::Userns,
            Backend::Userns,
            QStringLiteral("not root: the kernel's overlayfs inside a user namespace")};
        QTest::newRow("fuse-overlayfs") << AutoCase {facts(false, false, true),
            Backend::Fuse,
            Backend::Fuse,
            QStringLiteral("not root and %1: fuse-overlayfs").arg(NoUserns)};
        QTest::newRow("nothing mounts: the engine") << AutoCase {facts(false, false, false),
            Backend::Engine,
            Backend::Auto,
            QStringLiteral("cannot mount as a normal user here: %1, and fuse-overlayfs is not installed; edits go "
                           "through the userspace engine instead, which needs no mount")
                .arg(NoUserns)};
        QTest::newRow("no /dev/fuse: the engine") << AutoCase {
            facts(false, false, true, false), Backend::Engine, Backend::Auto, QStringLiteral("there is no /dev/fuse")};
    }

    void autoResolves()
    {
        QFETCH(AutoCase, row);
        const BackendPolicy policy(row.facts);
        const BackendPolicy::Choice c = policy.choose(Backend::Auto);
        QCOMPARE(c.backend, row.edits);
        QVERIFY2(c.reason.contains(row.reason), qPrintable(c.reason));
        QVERIFY(c.problem.isEmpty()); // auto always finds a way to edit
        const BackendPolicy::Choice m = policy.chooseMount(Backend::Auto);
        if (row.mounts == Backend::Auto) {
            QVERIFY(!m.problem.isEmpty());
            QVERIFY(c.reason.startsWith(m.problem)); // the fallback says why nothing mounts
        } else {
            QCOMPARE(m.backend, row.mounts);
            QCOMPARE(m.reason, c.reason);
        }
        QCOMPARE(policy.label(Backend::Auto), QStringLiteral("automatic: ") + policy.label(row.edits));
    }

    void explicitBackends_data()
    {
        QTest::addColumn<ExplicitCase>("row");
        QTest::newRow("engine anywhere") << ExplicitCase {facts(false, false, false), Backend::Engine, {}, false};
        QTest::newRow("kernel as root") << ExplicitCase {facts(true, false, false), Backend::Kernel, {}, true};
        QTest::newRow("kernel, not root")
            << ExplicitCase {facts(false, true, true), Backend::Kernel, QStringLiteral("needs root"), false};
        QTest::newRow("userns allowed: edits, no shared mount")
            << ExplicitCase {facts(false, true, false), Backend::Userns, {}, false};
        QTest::newRow("userns disabled") << ExplicitCase {facts(true, false, true), Backend::Userns, NoUserns, false};
        QTest::newRow("fuse") << ExplicitCase {facts(false, false, true), Backend::Fuse, {}, true};
        QTest::newRow("fuse not installed") << ExplicitCase {
            facts(true, true, false), Backend::Fuse, QStringLiteral("Debian package fuse-overlayfs"), false};
        QTest::newRow("no /dev/fuse") << ExplicitCase {
            facts(true, true, true, false), Backend::Fuse, QStringLiteral("no /dev/fuse"), false};
    }

    void explicitBackends()
    {
        QFETCH(ExplicitCase, row);
        const BackendPolicy policy(row.facts);
        const BackendPolicy::Choice c = policy.choose(row.backend);
        QCOMPARE(c.backend, row.backend);
        QCOMPARE(c.problem.isEmpty(), row.problem.isEmpty());
        QVERIFY2(c.problem.contains(row.problem), qPrintable(c.problem));
        const BackendPolicy::Info info = policy.info(row.backend);
        QCOMPARE(info.name, backendName(row.backend));
        QCOMPARE(info.usable, row.problem.isEmpty());
        QCOMPARE(info.problem, c.problem);
        QCOMPARE(info.mountable, row.mountable);
        QVERIFY(info.mountable || !info.mountProblem.isEmpty());
        QCOMPARE(policy.backends().size(), qsizetype(AllBackends.size()));
        QCOMPARE(policy.backends().first().backend, Backend::Auto);
    }

    void mountCommand_data()
    {
        strata::test::addColumns<Backend, QString, QString>("backend", "start", "contains");
        QTest::newRow("kernel") << Backend::Kernel << QStringLiteral("mount -t overlay overlay -o ")
                                << QStringLiteral("lowerdir=");
        // The options the app itself mounts with in a user namespace, in a shell that keeps it.
        QTest::newRow("userns") << Backend::Userns << QStringLiteral("unshare -Urm sh -c 'mount -t overlay overlay -o ")
                                << QStringLiteral("userxattr");
        QTest::newRow("fuse") << Backend::Fuse << QStringLiteral("fuse-overlayfs -o ") << QStringLiteral("workdir=");
        QTest::newRow("engine") << Backend::Engine << QStringLiteral("# No mount: ")
                                << QStringLiteral("\nmount -t overlay overlay -o ");
        QTest::newRow("auto as root: the kernel's")
            << Backend::Auto << QStringLiteral("mount -t overlay overlay -o ") << QStringLiteral("upperdir=");
    }

    void mountCommand()
    {
        QFETCH(Backend, backend);
        QFETCH(QString, start);
        QFETCH(QString, contains);
        auto ws = Scenario::create(QStringLiteral("blog"), m_dir.filePath(QStringLiteral("cmd-%1").arg(int(backend))));
        QVERIFY(ws.ok());
        const QString command = BackendPolicy(facts(true, true, true)).mountCommand(*ws, 0, backend);
        QVERIFY2(command.startsWith(start), qPrintable(command));
        QVERIFY2(command.contains(contains), qPrintable(command));
        QVERIFY(command.contains(ws->overlays().first().mountpoint));
    }

    void openSession_data()
    {
        // edits: Auto: refused
        strata::test::addColumns<BackendPolicy::Facts, Backend, Backend>("facts", "requested", "edits");
        QTest::newRow("auto, nothing mounts: the engine")
            << facts(false, false, false) << Backend::Auto << Backend::Engine;
        QTest::newRow("engine") << facts(true, true, true) << Backend::Engine << Backend::Engine;
        QTest::newRow("kernel, not root: refused") << facts(false, true, true) << Backend::Kernel << Backend::Auto;
    }

    void openSession()
    {
        QFETCH(BackendPolicy::Facts, facts);
        QFETCH(Backend, requested);
        QFETCH(Backend, edits);
        auto ws = Scenario::create(
            QStringLiteral("blog"), m_dir.filePath(QStringLiteral("s-%1").arg(QLatin1String(QTest::currentDataTag()))));
        QVERIFY(ws.ok());
        auto opened = BackendPolicy(facts).openSession(*ws, 0, requested);
        if (edits == Backend::Auto) {
            QVERIFY(!opened.ok());
            QCOMPARE(opened.error().code, EPERM);
            QVERIFY(opened.error().message.contains(QStringLiteral("needs root")));
            return;
        }
        QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
        QCOMPARE(opened->choice.backend, edits);
        QVERIFY(opened->session->describe().contains(QStringLiteral("userspace engine")));
        QVERIFY(!BackendPolicy(facts).openSession(*ws, 7, requested).ok());
    }
};

QTEST_GUILESS_MAIN(TestBackendPolicy)
#include "tst_backendpolicy.moc"
