// SPDX-License-Identifier: GPL-2.0-or-later
// The classic blog walkthrough, observation by observation, on real kernel mounts of the
// blog and stacked scenarios (issue: mounting overlay stacks and seeing what the kernel did).
#include "core/events/mergedoperation.h"
#include "core/mount/stackmounter.h"
#include "core/session/enginesession.h"
#include "core/session/kernelsession.h"
#include "core/stack/scenario.h"
#include "tests/support/datatable.h"
#include "tests/support/files.h"
#include "tests/support/fingerprint.h"
#include "tests/support/privatemountns.h"

#include <QtTest>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace strata;
using namespace strata::test;

namespace
{
QStringList kinds(const QList<OverlayEvent> &events)
{
    QStringList out;
    for (const OverlayEvent &e : events)
        out << OverlayEvent::kindName(e.kind) + QLatin1Char(' ') + e.path;
    return out;
}

bool isWhiteout(const QString &path)
{
    struct stat st {
    };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

QByteArray xattr(const QString &path, const char *name)
{
    char buf[256];
    const ssize_t n = ::lgetxattr(QFile::encodeName(path).constData(), name, buf, sizeof buf);
    return n < 0 ? QByteArray() : QByteArray(buf, n);
}

} // namespace

class TestBlogKernel final : public MountTest
{
    Q_OBJECT

    QTemporaryDir m_dir;

    Workspace scenario(const QString &name, const QString &sub)
    {
        auto ws = Scenario::create(name, m_dir.filePath(sub));
        if (!ws)
            qFatal("%s", qPrintable(ws.error().message));
        return *ws;
    }

    static QString sideTag()
    {
        QFETCH_GLOBAL(bool, engine);
        return engine ? QStringLiteral("engine-") : QStringLiteral("kernel-");
    }

    // One edit through a session, as `strata op` does it: a kernel mount, or the engine.
    // The engine's own staging step (work_temp) is left out, so both give comparable lists.
    StackSession::Outcome edit(const Workspace &ws, int index, const QStringList &op)
    {
        QFETCH_GLOBAL(bool, engine);
        std::unique_ptr<StackSession> session;
        if (engine) {
            auto s = EngineSession::open(ws, index);
            if (!s)
                qFatal("%s", qPrintable(s.error().message));
            session = std::make_unique<EngineSession>(std::move(s.value()));
        } else {
            auto s = KernelSession::open(ws, index, Backend::Kernel);
            if (!s)
                qFatal("%s", qPrintable(s.error().message));
            session = std::make_unique<KernelSession>(std::move(s.value()));
        }
        auto operation = MergedOperation::parse(op);
        if (!operation)
            qFatal("%s", qPrintable(operation.error().message));
        auto outcome = session->apply(*operation);
        if (!outcome)
            qFatal("%s", qPrintable(outcome.error().message));
        outcome->events.removeIf([](const OverlayEvent &e) { return e.kind == OverlayEvent::Kind::WorkTemp; });
        return *outcome;
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<bool>("engine");
        QTest::newRow("kernel") << false;
        QTest::newRow("engine") << true;
    }

    void init() { STRATA_REQUIRE_MOUNT(); }

    void blogWalkthrough()
    {
        const Workspace ws = scenario(QStringLiteral("blog"), sideTag() + QStringLiteral("blog"));
        const QString lower = ws.overlays().first().lower.first();
        const QString upper = ws.overlays().first().upper;
        const QByteArray lowerBefore = fingerprint(lower);

        // 1. A new file lands in upper only.
        auto out
            = edit(ws, 0, {QStringLiteral("write"), QStringLiteral("/base_image/new.txt"), QStringLiteral("hello")});
        QCOMPARE(out.error, 0);
        QCOMPARE(kinds(out.events), QStringList {QStringLiteral("created /base_image/new.txt")});
        QCOMPARE(readFile(upper + QStringLiteral("/base_image/new.txt")), QByteArray("hello\n"));
        QVERIFY(!QFile::exists(lower + QStringLiteral("/base_image/new.txt")));
        QCOMPARE(out.events.first().toLayer, QStringLiteral("upper_layer"));
        QCOMPARE(out.command, QStringLiteral("echo hello > overlay_layer/base_image/new.txt"));

        // 2. Deleting it removes it for real: no whiteout.
        out = edit(ws, 0, {QStringLiteral("rm"), QStringLiteral("/base_image/new.txt")});
        QCOMPARE(out.error, 0);
        QCOMPARE(kinds(out.events), QStringList {QStringLiteral("removed /base_image/new.txt")});
        QVERIFY(!QFileInfo::exists(upper + QStringLiteral("/base_image/new.txt")));

        // 3. common.txt is in lower and upper: deleting it leaves a 0/0 whiteout in upper.
        out = edit(ws, 0, {QStringLiteral("rm"), QStringLiteral("/base_image/common.txt")});
        QCOMPARE(out.error, 0);
        QCOMPARE(kinds(out.events), QStringList {QStringLiteral("whiteout /base_image/common.txt")});
        QCOMPARE(out.events.first().fromLayer, QStringLiteral("lower_layer"));
        QVERIFY(isWhiteout(upper + QStringLiteral("/base_image/common.txt")));
        QVERIFY(QFileInfo(lower + QStringLiteral("/base_image/common.txt")).isFile());

        // 4. Editing second_instruction.txt copies it up first.
        const QByteArray original = readFile(lower + QStringLiteral("/base_image/second_instruction.txt"));
        out = edit(ws,
            0,
            {QStringLiteral("append"), QStringLiteral("/base_image/second_instruction.txt"), QStringLiteral("edited")});
        QCOMPARE(out.error, 0);
        QCOMPARE(kinds(out.events),
            (QStringList {QStringLiteral("copy_up /base_image/second_instruction.txt"),
                QStringLiteral("modified /base_image/second_instruction.txt")}));
        QCOMPARE(out.events.first().fromLayer, QStringLiteral("lower_layer"));
        QCOMPARE(readFile(upper + QStringLiteral("/base_image/second_instruction.txt")), original + "edited\n");
        QCOMPARE(readFile(lower + QStringLiteral("/base_image/second_instruction.txt")), original);

        // Deleting a lower-only file: a new whiteout.
        out = edit(ws, 0, {QStringLiteral("rm"), QStringLiteral("/base_image/third_instruction.txt")});
        QCOMPARE(kinds(out.events), QStringList {QStringLiteral("whiteout /base_image/third_instruction.txt")});

        QCOMPARE(fingerprint(lower), lowerBefore);
    }

    void stackedPropagates()
    {
        const Workspace ws = scenario(QStringLiteral("stacked"), sideTag() + QStringLiteral("stacked"));
        const QByteArray lowerBefore = fingerprint(ws.overlays().first().lower.first());

        // 5a. Created in overlay_layer: seen through overlay_layer_2.
        auto out = edit(ws, 0, {QStringLiteral("write"), QStringLiteral("/from1.txt"), QStringLiteral("one")});
        QCOMPARE(kinds(out.events), QStringList {QStringLiteral("created /from1.txt")});
        StackMounter mounter(ws);
        const QString seen = ws.overlays().at(1).mountpoint + QStringLiteral("/from1.txt");
        auto rc = mounter.runInNamespace(
            Backend::Kernel, 1, [seen] { return ::access(QFile::encodeName(seen).constData(), R_OK) == 0 ? 0 : 1; });
        QVERIFY2(rc.ok(), rc.ok() ? "" : qPrintable(rc.error().message));
        QCOMPARE(*rc, 0);

        // 5b. Created in overlay_layer_2: only in upper_layer_2.
        out = edit(ws, 1, {QStringLiteral("write"), QStringLiteral("/from2.txt"), QStringLiteral("two")});
        QCOMPARE(kinds(out.events), QStringList {QStringLiteral("created /from2.txt")});
        QCOMPARE(out.events.first().toLayer, QStringLiteral("upper_layer_2"));
        QVERIFY(QFile::exists(ws.overlays().at(1).upper + QStringLiteral("/from2.txt")));
        QVERIFY(!QFile::exists(ws.overlays().at(0).upper + QStringLiteral("/from2.txt")));
        QVERIFY(!QFile::exists(ws.overlays().at(0).lower.first() + QStringLiteral("/from2.txt")));

        // Editing a file of the first overlay through the second copies it up into upper_layer_2.
        out = edit(ws, 1, {QStringLiteral("append"), QStringLiteral("/base_image/PART1.txt"), QStringLiteral("x")});
        QVERIFY(kinds(out.events).contains(QStringLiteral("copy_up /base_image/PART1.txt")));
        QCOMPARE(out.events.at(kinds(out.events).indexOf(QStringLiteral("copy_up /base_image/PART1.txt"))).fromLayer,
            QStringLiteral("lower_layer"));
        QCOMPARE(fingerprint(ws.overlays().first().lower.first()), lowerBefore);
    }

    void opaqueAfterRemoveAndMkdir()
    {
        const Workspace ws = scenario(QStringLiteral("blog"), sideTag() + QStringLiteral("opaque"));
        // 6. rm -r of a merged directory, then mkdir: an opaque directory.
        auto out = edit(ws, 0, {QStringLiteral("rm-r"), QStringLiteral("/base_image")});
        QCOMPARE(out.error, 0);
        QVERIFY(kinds(out.events).contains(QStringLiteral("whiteout /base_image")));
        QVERIFY(isWhiteout(ws.overlays().first().upper + QStringLiteral("/base_image")));
        out = edit(ws, 0, {QStringLiteral("mkdir"), QStringLiteral("/base_image")});
        QCOMPARE(kinds(out.events), QStringList {QStringLiteral("opaque /base_image")});
        QCOMPARE(xattr(ws.overlays().first().upper + QStringLiteral("/base_image"), "trusted.overlay.opaque"),
            QByteArray("y"));
    }

    void xattrOnAnUpperEntry_data()
    {
        QTest::addColumn<QStringList>("op");
        QTest::newRow("user.*") << QStringList {QStringLiteral("setxattr"),
            QStringLiteral("user.note"),
            QStringLiteral("y"),
            QStringLiteral("/base_image/common.txt")};
        // The kernel stores it as trusted.overlay.overlay.opaque: the view stays as it was.
        QTest::newRow("the overlay's own name") << QStringList {QStringLiteral("setxattr"),
            QStringLiteral("trusted.overlay.opaque"),
            QStringLiteral("y"),
            QStringLiteral("/base_image")};
    }

    void xattrOnAnUpperEntry()
    {
        // An xattr set where the entry already is in upper: no copy-up, but a change to report.
        QFETCH(QStringList, op);
        if (::geteuid() != 0)
            QSKIP("trusted.* and the blog's options need root");
        const Workspace ws = scenario(QStringLiteral("blog"),
            sideTag() + QStringLiteral("xattr-") + QString::fromLatin1(QTest::currentDataTag()));
        auto out = edit(ws, 0, op);
        QCOMPARE(out.error, 0);
        QCOMPARE(kinds(out.events), QStringList {QStringLiteral("modified ") + op.last()});
        QVERIFY(QFileInfo::exists(ws.overlays().first().upper + QStringLiteral("/base_image/common.txt")));
        QVERIFY(!isWhiteout(ws.overlays().first().upper + QStringLiteral("/base_image/PART1.txt")));
        QVERIFY(xattr(ws.overlays().first().upper + QStringLiteral("/base_image"), "trusted.overlay.opaque").isEmpty());
    }

    void renameMergedDirectory_data()
    {
        strata::test::addColumns<QString, int>("redirectDir", "error");
        QTest::newRow("redirect_dir=off: EXDEV") << QStringLiteral("off") << int(EXDEV);
        QTest::newRow("redirect_dir=nofollow: EXDEV") << QStringLiteral("nofollow") << int(EXDEV);
        QTest::newRow("redirect_dir=on: redirect") << QStringLiteral("on") << 0;
    }

    void renameMergedDirectory()
    {
        QFETCH(QString, redirectDir);
        QFETCH(int, error);
        Workspace ws = scenario(QStringLiteral("blog"), sideTag() + QStringLiteral("rename-") + redirectDir);
        // 7. The options are explicit, as the kernel's defaults differ between distributions.
        QJsonDocument doc = QJsonDocument::fromJson(ws.toJson());
        QJsonObject top = doc.object();
        QJsonArray overlays = top.value(QStringLiteral("overlays")).toArray();
        QJsonObject o = overlays.first().toObject();
        QJsonObject opts = o.value(QStringLiteral("options")).toObject();
        opts.insert(QStringLiteral("redirect_dir"), redirectDir);
        o.insert(QStringLiteral("options"), opts);
        overlays.replace(0, o);
        top.insert(QStringLiteral("overlays"), overlays);
        auto edited = Workspace::fromJson(QJsonDocument(top).toJson(), ws.baseDir(), ws.filePath());
        QVERIFY(edited.ok());
        QVERIFY(edited->save(ws.filePath()).ok());

        auto out = edit(*edited, 0, {QStringLiteral("mv"), QStringLiteral("/base_image"), QStringLiteral("/renamed")});
        QCOMPARE(out.error, error);
        const QString upper = ws.overlays().first().upper;
        if (error) {
            QVERIFY(out.events.isEmpty());
            QVERIFY(out.errorText.contains(QStringLiteral("redirect_dir=on")));
            return;
        }
        QVERIFY2(kinds(out.events).contains(QStringLiteral("redirect /renamed")),
            qPrintable(kinds(out.events).join(QLatin1Char(','))));
        QVERIFY(kinds(out.events).contains(QStringLiteral("whiteout /base_image")));
        QCOMPARE(xattr(upper + QStringLiteral("/renamed"), "trusted.overlay.redirect"), QByteArray("base_image"));
        QVERIFY(isWhiteout(upper + QStringLiteral("/base_image")));
    }
};

STRATA_MOUNT_TEST_MAIN(TestBlogKernel)
#include "tst_blog_kernel.moc"
