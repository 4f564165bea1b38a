// SPDX-License-Identifier: GPL-2.0-or-later
// Lesson files, the workspace changes their steps make (stack, options) and how a refused
// edit is explained.
#include "core/engine/mountrefusal.h"
#include "core/engine/refusaltext.h"
#include "core/lesson/lesson.h"
#include "core/lesson/lessonchange.h"
#include "core/stack/scenario.h"
#include "tests/support/datatable.h"

#include <QtTest>

#include <cerrno>

using namespace strata;

class TestLesson final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_copies = 0;

    Workspace blog()
    {
        auto ws = Scenario::create(QStringLiteral("blog"), m_dir.filePath(QString::number(++m_copies)));
        if (!ws)
            qFatal("%s", qPrintable(ws.error().message));
        return *ws;
    }

    static Lesson::Stack second()
    {
        return {QStringLiteral("overlay_layer_2"),
            QStringLiteral("overlay_layer"),
            QStringLiteral("upper_layer_2"),
            QStringLiteral("temp_layer_2")};
    }

private Q_SLOTS:
    void builtInLessons_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : Lesson::builtInNames())
            QTest::newRow(qPrintable(name)) << name;
    }

    void builtInLessons()
    {
        QFETCH(QString, name);
        auto lesson = Lesson::load(name);
        QVERIFY2(lesson.ok(), qPrintable(lesson.ok() ? QString() : lesson.error().message));
        QVERIFY(!lesson->title().isEmpty());
        QVERIFY(!lesson->description().isEmpty());
        QVERIFY(lesson->steps().size() >= 3);
    }

    void blogBuildsTheSecondOverlay()
    {
        auto lesson = Lesson::load(QStringLiteral("blog"));
        QVERIFY(lesson.ok());
        QCOMPARE(lesson->scenario(), QStringLiteral("blog"));
        int stacked = -1;
        for (int i = 0; i < lesson->steps().size(); ++i) {
            if (!lesson->steps().at(i).stack.isEmpty())
                stacked = i;
        }
        QCOMPARE(stacked, 8); // step 9, where the seed's narration brings in overlay_layer_2
        QCOMPARE(lesson->steps().at(8).stack.name, QStringLiteral("overlay_layer_2"));
        QCOMPARE(lesson->steps().at(8).stack.lower, QStringLiteral("overlay_layer"));
    }

    void badSteps_data()
    {
        strata::test::addColumns<QByteArray, QString>("step", "error");
        QTest::newRow("stack without lower")
            << QByteArray(R"({"say": "x", "stack": {"name": "a", "upper": "u", "work": "w"}})")
            << QStringLiteral("steps[0].stack.lower: expected a name");
        QTest::newRow("stack not an object")
            << QByteArray(R"({"say": "x", "stack": "a"})") << QStringLiteral("steps[0].stack: expected an object");
        QTest::newRow("unknown option value") << QByteArray(R"({"say": "x", "options": {"redirect_dir": "maybe"}})")
                                              << QStringLiteral("steps[0].options.redirect_dir");
        QTest::newRow("select not a merged path") << QByteArray(R"({"say": "x", "select": "base_image/common.txt"})")
                                                  << QStringLiteral("steps[0].select: expected a path");
    }

    void badSteps()
    {
        QFETCH(QByteArray, step);
        QFETCH(QString, error);
        const QByteArray json = R"({"version": 1, "title": "t", "scenario": "blog", "steps": [)" + step + "]}";
        const auto l = Lesson::fromJson(json, QStringLiteral("x.lesson"));
        QVERIFY(!l.ok());
        QVERIFY2(l.error().message.contains(error), qPrintable(l.error().message));
    }

    void stackAndRestore()
    {
        const Workspace before = blog();
        auto stacked = LessonChange::withStack(before, second());
        QVERIFY2(stacked.ok(), qPrintable(stacked.ok() ? QString() : stacked.error().message));
        QCOMPARE(stacked->overlays().size(), 2);
        const OverlaySpec &top = stacked->overlays().at(1);
        QCOMPARE(top.lower, QStringList {before.overlays().first().mountpoint});
        QCOMPARE(top.options.toJson(), before.overlays().first().options.toJson());
        for (const QString &dir : {top.upper, top.work, top.mountpoint})
            QVERIFY2(QFileInfo(dir).isDir(), qPrintable(dir));
        QCOMPARE(stacked->dependents(0), QList<int> {1});
        // The file says so too: the CLI and a reopened window see the new overlay.
        auto reloaded = Workspace::load(before.filePath());
        QVERIFY(reloaded.ok());
        QCOMPARE(reloaded->overlays().size(), 2);
        // Twice is refused; so is a lower that is not there.
        QCOMPARE(LessonChange::withStack(*stacked, second()).error().code, EEXIST);
        Lesson::Stack nowhere = second();
        nowhere.lower = QStringLiteral("nope");
        QCOMPARE(LessonChange::withStack(before, nowhere).error().code, EINVAL);

        // A third level is more than the kernel mounts.
        QCOMPARE(stacked->stackingDepth(0), 1);
        QCOMPARE(stacked->stackingDepth(1), 2);
        auto third = LessonChange::withStack(*stacked,
            {QStringLiteral("overlay_layer_3"),
                QStringLiteral("overlay_layer_2"),
                QStringLiteral("upper_layer_3"),
                QStringLiteral("temp_layer_3")});
        QVERIFY(third.ok());
        QCOMPARE(third->stackingDepth(2), 3);
        QVERIFY(third->stackingDepth(2) > Workspace::MaxStackingDepth);
        QVERIFY(LessonChange::restore(*third, *stacked).ok());
        QVERIFY(!QFileInfo::exists(third->overlays().at(2).upper));
        QVERIFY(QFileInfo(top.upper).isDir());

        QVERIFY(LessonChange::restore(*stacked, before).ok());
        for (const QString &dir : {top.upper, top.work, top.mountpoint})
            QVERIFY2(!QFileInfo::exists(dir), qPrintable(dir));
        reloaded = Workspace::load(before.filePath());
        QVERIFY(reloaded.ok());
        QCOMPARE(reloaded->toJson(), before.toJson());
    }

    // Two overlays on one work (or upper) directory: the kernel's in-use lock refuses the
    // second with index=on, and only warns with index=off.
    void sharedDirectories_data()
    {
        strata::test::addColumns<QString, QString, QString, int>("upper", "work", "index", "error");
        QTest::newRow("own directories, index=on")
            << QStringLiteral("upper_layer_2") << QStringLiteral("temp_layer_2") << QStringLiteral("on") << 0;
        QTest::newRow("shared work, index=off")
            << QStringLiteral("upper_layer_2") << QStringLiteral("temp_layer") << QStringLiteral("off") << 0;
        QTest::newRow("shared work, index=on")
            << QStringLiteral("upper_layer_2") << QStringLiteral("temp_layer") << QStringLiteral("on") << int(EBUSY);
        QTest::newRow("work on the other's upper, index=on")
            << QStringLiteral("upper_layer_2") << QStringLiteral("upper_layer") << QStringLiteral("on") << int(EBUSY);
    }

    void sharedDirectories()
    {
        QFETCH(QString, upper);
        QFETCH(QString, work);
        QFETCH(QString, index);
        QFETCH(int, error);
        const Workspace before = blog();
        const OverlaySpec &first = before.overlays().first();
        // What the first overlay's directories hold stays: neither stacking nor Previous clears it.
        QVERIFY(QDir().mkpath(first.work + QStringLiteral("/work")));
        const QString kept = first.upper + QStringLiteral("/base_image/common.txt");
        auto stacked = LessonChange::withStack(before, {QStringLiteral("overlay_layer_2"), first.name, upper, work});
        QVERIFY2(stacked.ok(), qPrintable(stacked.ok() ? QString() : stacked.error().message));
        auto set = LessonChange::withOptions(*stacked, 1, {{QStringLiteral("index"), index}});
        QVERIFY(set.ok());
        const auto refused = MountRefusal::of(*set, 1);
        QCOMPARE(refused ? refused->code : 0, error);
        if (refused) {
            QCOMPARE(MountRefusal::sharedDirectory(*set, 1), QStringLiteral("workdir"));
            QVERIFY2(
                refused->message.contains(QStringLiteral("workdir is in-use as upperdir/workdir of another mount")),
                qPrintable(refused->message));
        }
        QVERIFY(!MountRefusal::of(*set, 0));
        QVERIFY(QFileInfo(first.work + QStringLiteral("/work")).isDir());
        QVERIFY(LessonChange::restore(*set, before).ok());
        QVERIFY(QFileInfo(first.work + QStringLiteral("/work")).isDir());
        QVERIFY(QFileInfo(kept).isFile());
        QVERIFY(!QFileInfo::exists(set->overlays().at(1).upper));
    }

    // The options the kernel refuses together, named as its log names them.
    void conflictingOptions_data()
    {
        strata::test::addColumns<QString, QString, QString, QString, bool, QString>(
            "metacopy", "redirectDir", "index", "nfsExport", "userxattr", "conflict");
        const QString on = QStringLiteral("on");
        const QString off = QStringLiteral("off");
        QTest::newRow("metacopy alone: redirect_dir=on follows")
            << on << QString() << off << QString() << false << QString();
        QTest::newRow("metacopy, redirect_dir=on") << on << on << off << QString() << false << QString();
        QTest::newRow("metacopy, redirect_dir=off")
            << on << off << off << QString() << false << QStringLiteral("metacopy=on,redirect_dir=follow");
        QTest::newRow("metacopy, redirect_dir=nofollow")
            << on << QStringLiteral("nofollow") << off << QString() << false
            << QStringLiteral("metacopy=on,redirect_dir=nofollow");
        QTest::newRow("nfs_export, index=off")
            << off << QString() << off << on << false << QStringLiteral("nfs_export=on,index=off");
        QTest::newRow("nfs_export, metacopy")
            << on << on << on << on << false << QStringLiteral("nfs_export=on,metacopy=on");
        QTest::newRow("userxattr, redirect_dir=on")
            << off << on << off << QString() << true << QStringLiteral("userxattr,redirect_dir=on");
        QTest::newRow("userxattr, metacopy")
            << on << QString() << off << QString() << true << QStringLiteral("userxattr,metacopy=on");
        QTest::newRow("userxattr, nofollow")
            << off << QStringLiteral("nofollow") << off << QString() << true << QString();
    }

    void conflictingOptions()
    {
        QFETCH(QString, metacopy);
        QFETCH(QString, redirectDir);
        QFETCH(QString, index);
        QFETCH(QString, nfsExport);
        QFETCH(bool, userxattr);
        QFETCH(QString, conflict);
        OverlayOptions o;
        o.metacopy = metacopy;
        o.redirectDir = redirectDir;
        o.index = index;
        o.nfsExport = nfsExport;
        o.userxattr = userxattr;
        QCOMPARE(MountRefusal::conflictingOptions(o), conflict);
    }

    void busyWithIndexOn()
    {
        OverlayOptions options;
        options.index = QStringLiteral("on");
        const RefusalText t = RefusalText::explain(EBUSY, QStringLiteral("write"), options);
        QVERIFY2(t.remedy.contains(QStringLiteral("of its own")) && t.remedy.contains(QStringLiteral("index=off")),
            qPrintable(t.remedy));
        options.index = QStringLiteral("off");
        QVERIFY(
            !RefusalText::explain(EBUSY, QStringLiteral("write"), options).remedy.contains(QStringLiteral("index")));
    }

    void options()
    {
        const Workspace ws = blog();
        Lesson::Step step;
        step.say = QStringLiteral("x");
        step.options.insert(QStringLiteral("redirect_dir"), QStringLiteral("on"));
        auto changed = LessonChange::apply(ws, step, 0);
        QVERIFY(changed.ok());
        QCOMPARE(changed->overlays().first().options.redirectDir, QStringLiteral("on"));
        QCOMPARE(changed->overlays().first().options.index, ws.overlays().first().options.index);
        auto all = LessonChange::withOptions(ws, -1, {{QStringLiteral("metacopy"), QStringLiteral("on")}});
        QVERIFY(all.ok());
        QCOMPARE(all->overlays().first().options.metacopy, QStringLiteral("on"));
        QCOMPARE(LessonChange::withOptions(ws, 3, {}).error().code, EINVAL);
    }

    // The option the window offers to try again with: only where it alone allows the edit.
    void structuredRemedy_data()
    {
        strata::test::addColumns<int, QString, QString, QString, bool, QString>(
            "error", "verb", "redirectDir", "metacopy", "userxattr", "retryWith");
        QTest::newRow("EXDEV mv, redirect_dir=off") << int(EXDEV) << QStringLiteral("mv") << QStringLiteral("off")
                                                    << QString() << false << QStringLiteral("redirect_dir=on");
        QTest::newRow("EXDEV mv, kernel default") << int(EXDEV) << QStringLiteral("mv") << QString() << QString()
                                                  << false << QStringLiteral("redirect_dir=on");
        QTest::newRow("EXDEV mv, redirect_dir=on: none")
            << int(EXDEV) << QStringLiteral("mv") << QStringLiteral("on") << QString() << false << QString();
        QTest::newRow("EXDEV mv, userxattr: none")
            << int(EXDEV) << QStringLiteral("mv") << QStringLiteral("off") << QString() << true << QString();
        QTest::newRow("EXDEV write: none")
            << int(EXDEV) << QStringLiteral("write") << QStringLiteral("off") << QString() << false << QString();
        QTest::newRow("EINVAL mount, metacopy without redirects")
            << int(EINVAL) << QStringLiteral("mount") << QStringLiteral("off") << QStringLiteral("on") << false
            << QStringLiteral("redirect_dir=on");
        QTest::newRow("EINVAL mount, metacopy with userxattr")
            << int(EINVAL) << QStringLiteral("mount") << QString() << QStringLiteral("on") << true
            << QStringLiteral("metacopy=off");
        QTest::newRow("EINVAL mount, depth: none")
            << int(EINVAL) << QStringLiteral("mount") << QString() << QString() << false << QString();
        QTest::newRow("ENOTEMPTY rmdir: none")
            << int(ENOTEMPTY) << QStringLiteral("rmdir") << QString() << QString() << false << QString();
        QTest::newRow("EBUSY index=on: none")
            << int(EBUSY) << QStringLiteral("mount") << QString() << QString() << false << QString();
    }

    void structuredRemedy()
    {
        QFETCH(int, error);
        QFETCH(QString, verb);
        QFETCH(QString, redirectDir);
        QFETCH(QString, metacopy);
        QFETCH(bool, userxattr);
        QFETCH(QString, retryWith);
        OverlayOptions options;
        options.redirectDir = redirectDir;
        options.metacopy = metacopy;
        options.userxattr = userxattr;
        const RefusalText t = RefusalText::explain(error, verb, options);
        QCOMPARE(t.retryWith ? t.retryWith->text() : QString(), retryWith);
        // The words name the option the button offers.
        if (t.retryWith)
            QVERIFY2(t.remedy.contains(retryWith), qPrintable(t.remedy));
    }

    void refusals_data()
    {
        strata::test::addColumns<int, QString, QString, QString, QString>(
            "error", "verb", "redirectDir", "name", "remedy");
        QTest::newRow("EXDEV mv, redirect_dir=off") << int(EXDEV) << QStringLiteral("mv") << QStringLiteral("off")
                                                    << QStringLiteral("EXDEV") << QStringLiteral("redirect_dir=on");
        QTest::newRow("EXDEV mv, redirect_dir=on: no remedy")
            << int(EXDEV) << QStringLiteral("mv") << QStringLiteral("on") << QStringLiteral("EXDEV") << QString();
        QTest::newRow("EINVAL mount: depth") << int(EINVAL) << QStringLiteral("mount") << QString()
                                             << QStringLiteral("EINVAL") << QStringLiteral("fewer levels");
        QTest::newRow("EBUSY shared workdir") << int(EBUSY) << QStringLiteral("mount") << QString()
                                              << QStringLiteral("EBUSY") << QStringLiteral("of its own");
        QTest::newRow("ENOTEMPTY rmdir") << int(ENOTEMPTY) << QStringLiteral("rmdir") << QString()
                                         << QStringLiteral("ENOTEMPTY") << QStringLiteral("rm -r");
        QTest::newRow("EROFS") << int(EROFS) << QStringLiteral("write") << QString() << QStringLiteral("EROFS")
                               << QStringLiteral("upper");
        QTest::newRow("ENOENT: the words say it")
            << int(ENOENT) << QStringLiteral("rm") << QString() << QStringLiteral("ENOENT") << QString();
    }

    void refusals()
    {
        QFETCH(int, error);
        QFETCH(QString, verb);
        QFETCH(QString, redirectDir);
        QFETCH(QString, name);
        QFETCH(QString, remedy);
        OverlayOptions options;
        options.redirectDir = redirectDir;
        const RefusalText t = RefusalText::explain(error, verb, options);
        QCOMPARE(t.errorName, name);
        QVERIFY(!t.words.isEmpty());
        if (remedy.isEmpty())
            QVERIFY2(t.remedy.isEmpty(), qPrintable(t.remedy));
        else
            QVERIFY2(t.remedy.contains(remedy), qPrintable(t.remedy));
        const QString text = t.text(verb);
        QVERIFY(text.startsWith(verb + QStringLiteral(" refused: ") + name));
        QCOMPARE(text.contains(QStringLiteral("Would work with")), !remedy.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestLesson)
#include "tst_lesson.moc"
