// SPDX-License-Identifier: GPL-2.0-or-later
// `strata new` and `strata check` (core/stack/OverlayRequest, core/mount/StackChecker): stacks
// built from plain directories, then the kernel's own verdict on each overlay, in a namespace
// that is thrown away: nothing stays mounted on the host.

#include "core/engine/volatilemarker.h"
#include "core/events/mergedoperation.h"
#include "core/mount/stackchecker.h"
#include "core/session/enginesession.h"
#include "core/session/kernelsession.h"
#include "core/stack/overlayrequest.h"
#include "tests/support/datatable.h"
#include "tests/support/require.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace strata;

namespace
{

// A work directory as names, types and modes (the kernel's marker directories are mode 0).
QString listing(const QString &dir)
{
    QProcess find;
    find.start(QStringLiteral("find"),
        {dir,
            QStringLiteral("-mindepth"),
            QStringLiteral("1"),
            QStringLiteral("-printf"),
            QStringLiteral("%P %y %m\n")});
    find.waitForFinished();
    QStringList lines = QString::fromUtf8(find.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    lines.sort();
    return lines.join(QLatin1Char('\n'));
}

QByteArray mountTable()
{
    QFile f(QStringLiteral("/proc/self/mountinfo"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// One overlay as "lowers|upper|work|stack-on|options" (lowers and options comma-separated).
OverlayRequest requestOf(const QString &dir, const QString &name, const QString &spec)
{
    const QStringList f = spec.split(QLatin1Char('|'));
    OverlayRequest r;
    r.name = name;
    for (const QString &l : f.at(0).split(QLatin1Char(','), Qt::SkipEmptyParts))
        r.lowers << dir + QLatin1Char('/') + l;
    if (!f.at(1).isEmpty()) {
        r.upper = dir + QLatin1Char('/') + f.at(1);
        r.work = dir + QLatin1Char('/') + f.at(2);
    }
    r.stackOn = f.at(3);
    r.options = f.at(4).split(QLatin1Char(','), Qt::SkipEmptyParts);
    return r;
}

} // namespace

class TestCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Overlays added in order; per overlay "accepted", "refused:ERRNO:kernel words" or "not tried".
    void check_data()
    {
        test::addColumns<QStringList, QStringList, int>("overlays", "verdicts", "backend");
        const int kernel = int(Backend::Kernel);
        const int userns = int(Backend::Userns);
        QTest::newRow("two lowers, an upper")
            << QStringList {QStringLiteral("a,b|u1|w1||")} << QStringList {QStringLiteral("accepted")} << kernel;
        QTest::newRow("read-only, two lowers")
            << QStringList {QStringLiteral("a,b||||")} << QStringList {QStringLiteral("accepted")} << kernel;
        QTest::newRow("read-only, one lower")
            << QStringList {QStringLiteral("a||||")} << QStringList {QStringLiteral("refused:22:at least 2 lowerdir")}
            << kernel;
        QTest::newRow("stacked twice: accepted")
            << QStringList {QStringLiteral("a,b|u1|w1||"), QStringLiteral("|u2|w2|o1|")}
            << QStringList {QStringLiteral("accepted"), QStringLiteral("accepted")} << kernel;
        QTest::newRow("a third level: the stacking depth")
            << QStringList {QStringLiteral("a,b|u1|w1||"), QStringLiteral("|u2|w2|o1|"), QStringLiteral("|u3|w3|o2|")}
            << QStringList {QStringLiteral("accepted"),
                   QStringLiteral("accepted"),
                   QStringLiteral("refused:22:maximum fs stacking depth exceeded")}
            << kernel;
        QTest::newRow("shared workdir with index=on")
            << QStringList {QStringLiteral("a|u1|w1||"), QStringLiteral("b|u2|w1||index=on")}
            << QStringList {QStringLiteral("accepted"), QStringLiteral("refused:16:in-use")} << kernel;
        QTest::newRow("shared workdir with index=off: a warning")
            << QStringList {QStringLiteral("a|u1|w1||index=off"), QStringLiteral("b|u2|w1||index=off")}
            << QStringList {QStringLiteral("accepted"), QStringLiteral("accepted")} << kernel;
        QTest::newRow("on a refused overlay: not tried")
            << QStringList {QStringLiteral("a||||"), QStringLiteral("|u2|w2|o1|")}
            << QStringList {QStringLiteral("refused:22:at least 2 lowerdir"), QStringLiteral("not tried")} << kernel;
        QTest::newRow("metacopy needs redirect_dir")
            << QStringList {QStringLiteral("a,b|u1|w1||metacopy=on,redirect_dir=off")}
            << QStringList {QStringLiteral("refused:22:metacopy")} << kernel;
        QTest::newRow("user namespace: userxattr added")
            << QStringList {QStringLiteral("a,b|u1|w1||")} << QStringList {QStringLiteral("accepted")} << userns;
    }

    void check()
    {
        QFETCH(QStringList, overlays);
        QFETCH(QStringList, verdicts);
        QFETCH(int, backend);
        STRATA_REQUIRE(::geteuid() == 0, "needs root: mounts overlays in a private namespace");
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        for (const char *l : {"a", "b"}) {
            QVERIFY(QDir(dir).mkpath(QString::fromLatin1(l)));
            QFile f(dir + QLatin1Char('/') + QString::fromLatin1(l) + QStringLiteral("/file"));
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        const QString ws = dir + QStringLiteral("/ws");
        for (int i = 0; i < overlays.size(); ++i) {
            auto added = requestOf(dir, QStringLiteral("o%1").arg(i + 1), overlays.at(i)).addTo(ws);
            QVERIFY2(added.ok(), added.ok() ? "" : qPrintable(added.error().message));
        }
        auto loaded = Workspace::load(ws);
        QVERIFY(loaded.ok());
        const QByteArray before = mountTable();
        auto checked = StackChecker::check(*loaded, Backend(backend));
        QVERIFY2(checked.ok(), checked.ok() ? "" : qPrintable(checked.error().message));
        QCOMPARE(mountTable(), before); // nothing stays mounted
        QCOMPARE(checked->size(), verdicts.size());
        for (int i = 0; i < verdicts.size(); ++i) {
            const StackChecker::Overlay &o = checked->at(i);
            const QString v = verdicts.at(i);
            const QString said = o.kernelMessages.join(QLatin1Char('\n'));
            if (v == QLatin1String("accepted")) {
                QVERIFY2(o.accepted, qPrintable(o.name + QStringLiteral(": ") + said));
            } else if (v == QLatin1String("not tried")) {
                QVERIFY(!o.tried);
                QVERIFY(!o.accepted);
            } else {
                const QStringList parts = v.split(QLatin1Char(':'));
                QVERIFY(!o.accepted);
                QCOMPARE(o.error, parts.at(1).toInt());
                QVERIFY2(said.contains(parts.at(2)), qPrintable(said));
                QVERIFY(!o.explanation.isEmpty());
            }
            QVERIFY(o.mountCommand.startsWith(QLatin1String("mount -t overlay")));
        }
        if (QTest::currentDataTag() == QByteArrayLiteral("shared workdir with index=off: a warning"))
            QVERIFY2(checked->at(1).kernelMessages.join(u' ').contains(QLatin1String("in-use")),
                qPrintable(checked->at(1).kernelMessages.join(u' ')));
    }

    // `volatile`: the mount leaves work/incompat/volatile, and every later mount of that work
    // directory is refused in the kernel's words until it is removed. The engine follows the
    // kernel: the same marker, the same refusal; edits within one session all work.
    void volatileMarker_data()
    {
        test::addColumns<int>("backend");
        QTest::newRow("kernel") << int(Backend::Kernel);
        QTest::newRow("userns") << int(Backend::Userns);
    }

    void volatileMarker()
    {
        QFETCH(int, backend);
        STRATA_REQUIRE(::geteuid() == 0, "needs root: mounts overlays in a private namespace");
        QTemporaryDir tmp;
        QStringList trees;
        QStringList refusals;
        for (const QString &side : {QStringLiteral("engine"), QStringLiteral("kernel")}) {
            const QString dir = tmp.filePath(side);
            QVERIFY(QDir(dir).mkpath(QStringLiteral("a")) && QDir(dir).mkpath(QStringLiteral("b")));
            const QString ws = dir + QStringLiteral("/ws");
            const QString options = Backend(backend) == Backend::Userns ? QStringLiteral("volatile,userxattr")
                                                                        : QStringLiteral("volatile");
            auto added = requestOf(dir, QStringLiteral("o1"), QStringLiteral("a,b|u1|w1||") + options).addTo(ws);
            QVERIFY2(added.ok(), added.ok() ? "" : qPrintable(added.error().message));
            auto loaded = Workspace::load(ws);
            QVERIFY(loaded.ok());
            const bool engine = side == QLatin1String("engine");
            auto open = [&]() -> Result<std::shared_ptr<StackSession>> {
                if (engine) {
                    auto s = EngineSession::open(*loaded, 0);
                    if (!s)
                        return s.error();
                    return std::shared_ptr<StackSession>(std::make_shared<EngineSession>(std::move(s.value())));
                }
                auto s = KernelSession::open(*loaded, 0, Backend(backend));
                if (!s)
                    return s.error();
                return std::shared_ptr<StackSession>(std::make_shared<KernelSession>(std::move(s.value())));
            };
            {
                auto session = open();
                QVERIFY2(session.ok(), session.ok() ? "" : qPrintable(session.error().message));
                for (const QString &name : {QStringLiteral("/one"), QStringLiteral("/two")}) {
                    auto out = (*session)->apply(*MergedOperation::parse({QStringLiteral("write"), name, side}));
                    QVERIFY2(out.ok() && out->error == 0, qPrintable(out.ok() ? out->errorText : out.error().message));
                }
            }
            const QString work = dir + QStringLiteral("/w1");
            QVERIFY(VolatileMarker::exists(work));
            trees << listing(work + QStringLiteral("/work/incompat"));
            // A new session is a new mount: refused, the engine by itself, the kernel's mount.
            auto again = open();
            Error refused;
            if (!again.ok()) {
                refused = again.error();
            } else {
                auto out
                    = (*again)->apply(*MergedOperation::parse({QStringLiteral("write"), QStringLiteral("/3"), side}));
                QVERIFY(!out.ok() || out->error != 0);
                refused = out.ok() ? Error {out->error, out->errorText} : out.error();
            }
            QCOMPARE(refused.code, EINVAL);
            QVERIFY2(
                refused.message.contains(QLatin1String("incompat feature 'volatile'")), qPrintable(refused.message));
            refusals << refused.message;
            auto checked = StackChecker::check(*loaded, Backend(backend));
            QVERIFY(checked.ok());
            QVERIFY(!checked->first().accepted);
            QVERIFY(!checked->first().explanation.isEmpty());
            // Removed, it mounts again.
            QVERIFY(VolatileMarker::remove(work).ok());
            QVERIFY(!VolatileMarker::exists(work));
            auto fresh = open();
            QVERIFY(fresh.ok());
            auto out = (*fresh)->apply(*MergedOperation::parse({QStringLiteral("write"), QStringLiteral("/4"), side}));
            QVERIFY2(out.ok() && out->error == 0, qPrintable(out.ok() ? out->errorText : out.error().message));
        }
        QCOMPARE(trees.at(0), trees.at(1)); // the engine's marker is the kernel's
    }

    // What `new` refuses, before anything is written.
    void refused_data()
    {
        test::addColumns<QString, QString>("spec", "message");
        QTest::newRow("a missing lower") << QStringLiteral("a,nope|u|w||") << QStringLiteral("no such directory");
        QTest::newRow("lower twice") << QStringLiteral("a,a|u|w||") << QStringLiteral("is the same directory");
        QTest::newRow("upper is a lower") << QStringLiteral("a,b|a|w||") << QStringLiteral("is also a lower layer");
        QTest::newRow("an unknown option")
            << QStringLiteral("a,b|u|w||bogus=1") << QStringLiteral("unknown overlay option");
        QTest::newRow("a bad value") << QStringLiteral("a,b|u|w||index=maybe") << QStringLiteral("not a valid value");
        QTest::newRow("stack on nothing") << QStringLiteral("|u|w|nope|") << QStringLiteral("no such overlay");
        QTest::newRow("neither lowers nor stack-on") << QStringLiteral("|u|w||") << QStringLiteral("--lower");
    }

    void refused()
    {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        QTemporaryDir tmp;
        QVERIFY(QDir(tmp.path()).mkpath(QStringLiteral("a")));
        QVERIFY(QDir(tmp.path()).mkpath(QStringLiteral("b")));
        const QString ws = tmp.filePath(QStringLiteral("ws"));
        auto added = requestOf(tmp.path(), QStringLiteral("o1"), spec).addTo(ws);
        QVERIFY(!added.ok());
        QVERIFY2(added.error().message.contains(message), qPrintable(added.error().message));
        QVERIFY(!QFileInfo::exists(ws + QStringLiteral("/stratascope.json")));
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("u"))));
    }

    // A second call extends the file; names and paths survive the round trip.
    void extends()
    {
        QTemporaryDir tmp;
        QVERIFY(QDir(tmp.path()).mkpath(QStringLiteral("a")));
        QVERIFY(QDir(tmp.path()).mkpath(QStringLiteral("b")));
        const QString ws = tmp.filePath(QStringLiteral("ws"));
        QStringList created;
        QVERIFY(requestOf(tmp.path(), QString(), QStringLiteral("a,b|u|w||")).addTo(ws, &created).ok());
        QCOMPARE(created.size(), 4); // ws, its mountpoint, u, w
        auto second = requestOf(tmp.path(), QString(), QStringLiteral("|u2|w2|overlay|redirect_dir=on")).addTo(ws);
        QVERIFY2(second.ok(), second.ok() ? "" : qPrintable(second.error().message));
        auto loaded = Workspace::load(ws);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->overlays().size(), 2);
        QCOMPARE(loaded->overlays().at(1).name, QStringLiteral("overlay_2"));
        QCOMPARE(loaded->overlays().at(1).lower, QStringList {loaded->overlays().at(0).mountpoint});
        QCOMPARE(loaded->overlays().at(1).options.redirectDir, QStringLiteral("on"));
        QCOMPARE(loaded->stackingDepth(1), 2);
        QVERIFY(QDir(tmp.filePath(QStringLiteral("a"))).isEmpty()); // lowers untouched
    }
};

QTEST_GUILESS_MAIN(TestCheck)
#include "tst_check.moc"
