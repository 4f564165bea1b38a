// SPDX-License-Identifier: GPL-2.0-or-later
// Every built-in lesson, step by step, played once by the engine and once on real kernel
// mounts: each step must be refused alike (the same errno) or leave the same upper layers and
// merged views, and what the narration claims must be on disk.
#include "core/engine/mountrefusal.h"
#include "core/events/mergedoperation.h"
#include "core/lesson/lesson.h"
#include "core/lesson/lessonchange.h"
#include "core/merge/mergedtree.h"
#include "core/session/enginesession.h"
#include "core/session/kernelsession.h"
#include "core/stack/scenario.h"
#include "tests/support/datatable.h"
#include "tests/support/fingerprint.h"
#include "tests/support/kernelmount.h"
#include "tests/support/privatemountns.h"
#include "tests/support/treesnapshot.h"
#include "tests/support/upperview.h"

#include <QtTest>

#include <functional>
#include <list>
#include <optional>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

using namespace strata;
using namespace strata::test;

namespace
{

// One edit through a session, as `strata op` does it; a session that cannot be opened or
// an edit that cannot start is a refusal with its errno too. Code 0: it worked. `events`:
// what the session reported, as "kind /path" (the engine's staging in work left out).
Error edit(const Workspace &ws, int index, const QStringList &args, bool engine, QStringList *events)
{
    auto op = MergedOperation::parse(args);
    if (!op)
        qFatal("%s", qPrintable(op.error().message));
    std::unique_ptr<StackSession> session;
    if (engine) {
        auto s = EngineSession::open(ws, index);
        if (!s)
            return s.error();
        session = std::make_unique<EngineSession>(std::move(s.value()));
    } else {
        auto s = KernelSession::open(ws, index, Backend::Kernel);
        if (!s)
            return s.error();
        session = std::make_unique<KernelSession>(std::move(s.value()));
    }
    auto outcome = session->apply(*op);
    if (!outcome)
        return outcome.error();
    for (const OverlayEvent &e : outcome->events) {
        if (e.kind != OverlayEvent::Kind::WorkTemp)
            *events << OverlayEvent::kindName(e.kind) + QLatin1Char(' ') + e.path;
    }
    return Error {outcome->error, outcome->errorText};
}

XattrNamespace xattrsOf(const OverlaySpec &spec)
{
    return spec.options.mergeOptions().xattrs;
}

// What differs between the kernel's side and the engine's: uppers, then merged views (the
// kernel's mounted, in stack order, against the engine's computed from its layers).
QString compareSides(const Workspace &kernel, const Workspace &engine)
{
    if (kernel.overlays().size() != engine.overlays().size())
        return QStringLiteral("the two sides have different overlays");
    QString out;
    for (int i = 0; i < kernel.overlays().size(); ++i) {
        const OverlaySpec &k = kernel.overlays().at(i);
        const QString d = UpperView::take(k.upper, xattrsOf(k))
                              .diff(UpperView::take(engine.overlays().at(i).upper, xattrsOf(k)),
                                  QStringLiteral("kernel"),
                                  QStringLiteral("engine"));
        if (!d.isEmpty())
            out += QStringLiteral("%1: upper layers differ:\n%2\n").arg(k.name, d);
    }
    std::list<KernelMount> mounts;
    for (int i = 0; i < kernel.overlays().size(); ++i) {
        if (MountRefusal::of(kernel, i))
            continue; // the kernel refuses to mount it: its upper is all there is to compare
        if (!mounts.emplace_back().mount(kernel.overlays().at(i)))
            return out + mounts.back().errorString();
        TreeSnapshot kernelView = TreeSnapshot::fromDirectory(kernel.overlays().at(i).mountpoint);
        auto layers = engine.mergeLayers(i);
        if (!layers)
            return out + layers.error().message;
        auto tree = MergedTree::build(*layers, engine.overlays().at(i).options.mergeOptions());
        if (!tree)
            return out + tree.error().message;
        TreeSnapshot engineView = TreeSnapshot::fromMergedTree(*tree);
        kernelView.reconcileConflicts(engineView);
        if (const QString d = kernelView.diff(engineView); !d.isEmpty())
            out += QStringLiteral("%1: merged views differ:\n%2\n").arg(kernel.overlays().at(i).name, d);
    }
    while (!mounts.empty()) {
        if (!mounts.back().unmount())
            out += mounts.back().errorString();
        mounts.pop_back();
    }
    return out;
}

QByteArray xattr(const QString &path, const char *name)
{
    char buf[256];
    const ssize_t n = ::lgetxattr(QFile::encodeName(path).constData(), name, buf, sizeof buf);
    return n < 0 ? QByteArray("(none)") : QByteArray(buf, n);
}

bool isWhiteout(const QString &path)
{
    struct stat st {
    };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

struct stat statOf(const QString &path)
{
    struct stat st {
    };
    (void)::lstat(QFile::encodeName(path).constData(), &st);
    return st;
}

// A metadata-only copy as the kernel makes it: marked, with the size of the data and none of it.
bool metadataOnly(const QString &path, qint64 size)
{
    QFile f(path);
    return xattr(path, "trusted.overlay.metacopy") == "" && f.size() == size && f.open(QIODevice::ReadOnly)
        && ::lseek(f.handle(), 0, SEEK_DATA) < 0 && errno == ENXIO;
}

QByteArray contents(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(unreadable)");
}

// What a narration says happened, checked on the kernel's side after that step: its refusal
// (errno and the kernel's words; code 0 when it worked) and the layers.
using Claim = std::function<QString(const Error &refusal, const Workspace &ws)>;

QString expect(bool ok, const QString &what)
{
    return ok ? QString() : what;
}

QString upperOf(const Workspace &ws, const QString &overlay, const QString &path)
{
    return ws.overlays().at(std::max(0, ws.indexOf(overlay))).upper + path;
}

// The claims of the metacopy and shared-workdir lessons.
QHash<QString, Claim> metacopyAndSharingClaims()
{
    const QString o = QStringLiteral("overlay_layer");
    return {
        {QStringLiteral("metacopy 2"),
            [o](const Error &, const Workspace &ws) {
                const QString up = upperOf(ws, o, QStringLiteral("/base_image/PART1.txt"));
                const QString low = ws.overlays().first().lower.first() + QStringLiteral("/base_image/PART1.txt");
                return expect(metadataOnly(up, QFileInfo(low).size()) && (statOf(up).st_mode & 07777) == 0600,
                    QStringLiteral("PART1.txt in upper: mode 600, overlay.metacopy, a hole of the data's size"));
            }},
        {QStringLiteral("metacopy 3"),
            [o](const Error &, const Workspace &ws) {
                const QString up = upperOf(ws, o, QStringLiteral("/base_image/PART2.txt"));
                const QString low = ws.overlays().first().lower.first() + QStringLiteral("/base_image/PART2.txt");
                return expect(metadataOnly(up, QFileInfo(low).size()) && statOf(up).st_uid == 1000,
                    QStringLiteral("PART2.txt in upper: owner 1000, metadata only"));
            }},
        {QStringLiteral("metacopy 4"),
            [o](const Error &, const Workspace &ws) {
                const QString up = upperOf(ws, o, QStringLiteral("/base_image/PART3.txt"));
                const QString low = ws.overlays().first().lower.first() + QStringLiteral("/base_image/PART3.txt");
                return expect(xattr(up, "trusted.overlay.metacopy") == "(none)" && contents(up) == contents(low),
                    QStringLiteral("touch copied PART3.txt up with its data"));
            }},
        {QStringLiteral("metacopy 5"),
            [o](const Error &, const Workspace &ws) {
                const QString up = upperOf(ws, o, QStringLiteral("/base_image/PART1.txt"));
                const QString low = ws.overlays().first().lower.first() + QStringLiteral("/base_image/PART1.txt");
                return expect(xattr(up, "trusted.overlay.metacopy") == "(none)"
                        && contents(up) == contents(low) + "a line of my own\n",
                    QStringLiteral("the data of PART1.txt in upper, the line appended, no metacopy mark"));
            }},
        {QStringLiteral("metacopy 6"),
            [o](const Error &, const Workspace &ws) {
                return expect(isWhiteout(upperOf(ws, o, QStringLiteral("/base_image/PART2.txt"))),
                    QStringLiteral("a whiteout for PART2.txt"));
            }},
        {QStringLiteral("shared-workdir 2"),
            [](const Error &refusal, const Workspace &ws) {
                return expect(refusal.code == 0 && ws.overlays().at(1).work == ws.overlays().at(0).work
                        && QFile::exists(upperOf(ws, QStringLiteral("overlay_layer_2"), QStringLiteral("/second.txt"))),
                    QStringLiteral("mounted on a shared work directory, second.txt in upper_layer_2"));
            }},
        {QStringLiteral("shared-workdir 3"),
            [](const Error &refusal, const Workspace &ws) {
                return expect(refusal.code == EBUSY
                        && !QFile::exists(upperOf(ws, QStringLiteral("overlay_layer_2"), QStringLiteral("/again.txt"))),
                    QStringLiteral("EBUSY, nothing written: ") + refusal.message);
            }},
    };
}

const QHash<QString, Claim> &claims()
{
    const QString o = QStringLiteral("overlay_layer");
    static const QHash<QString, Claim> table = [&o] {
        QHash<QString, Claim> t = {
            {QStringLiteral("blog 1"),
                [](const Error &, const Workspace &ws) {
                    return expect(ws.overlays().size() == 1, QStringLiteral("one overlay"));
                }},
            {QStringLiteral("blog 9"),
                [](const Error &, const Workspace &ws) {
                    return expect(ws.overlays().size() == 2
                            && ws.overlays().at(1).lower == QStringList {ws.overlays().at(0).mountpoint},
                        QStringLiteral("overlay_layer_2 on overlay_layer"));
                }},
            {QStringLiteral("blog 11"),
                [o](const Error &, const Workspace &ws) {
                    return expect(QFile::exists(upperOf(
                                      ws, QStringLiteral("overlay_layer_2"), QStringLiteral("/from_second.txt")))
                            && !QFile::exists(upperOf(ws, o, QStringLiteral("/from_second.txt"))),
                        QStringLiteral("from_second.txt in upper_layer_2 only"));
                }},
            {QStringLiteral("opaque 2"),
                [o](const Error &, const Workspace &ws) {
                    return expect(
                        isWhiteout(upperOf(ws, o, QStringLiteral("/base_image"))), QStringLiteral("a whiteout"));
                }},
            {QStringLiteral("opaque 3"),
                [o](const Error &, const Workspace &ws) {
                    return expect(xattr(upperOf(ws, o, QStringLiteral("/base_image")), "trusted.overlay.opaque") == "y",
                        QStringLiteral("base_image opaque"));
                }},
            {QStringLiteral("opaque 5"),
                [o](const Error &, const Workspace &ws) {
                    return expect(xattr(upperOf(ws, o, QStringLiteral("/notes")), "trusted.overlay.opaque") == "(none)",
                        QStringLiteral("notes not opaque"));
                }},
            {QStringLiteral("rename 2"),
                [o](const Error &, const Workspace &ws) {
                    return expect(isWhiteout(upperOf(ws, o, QStringLiteral("/base_image/PART1.txt")))
                            && QFileInfo(upperOf(ws, o, QStringLiteral("/base_image/part-one.txt"))).isFile(),
                        QStringLiteral("copied up under the new name, a whiteout at the old"));
                }},
            {QStringLiteral("rename 3"),
                [](const Error &refusal, const Workspace &) {
                    return expect(refusal.code == EXDEV, QStringLiteral("EXDEV"));
                }},
            {QStringLiteral("rename 4"),
                [o](const Error &refusal, const Workspace &ws) {
                    return expect(refusal.code == 0
                            && xattr(upperOf(ws, o, QStringLiteral("/renamed")), "trusted.overlay.redirect")
                                == "base_image"
                            && isWhiteout(upperOf(ws, o, QStringLiteral("/base_image"))),
                        QStringLiteral("a redirect to base_image and a whiteout"));
                }},
            {QStringLiteral("hardlinks 2"),
                [o](const Error &, const Workspace &ws) {
                    const struct stat a = statOf(upperOf(ws, o, QStringLiteral("/base_image/PART2.txt")));
                    const struct stat b = statOf(upperOf(ws, o, QStringLiteral("/base_image/PART2-link.txt")));
                    return expect(a.st_ino != 0 && a.st_ino == b.st_ino && a.st_nlink == 2,
                        QStringLiteral("one inode with two names in upper"));
                }},
            {QStringLiteral("stacking 2"),
                [](const Error &refusal, const Workspace &ws) {
                    return expect(refusal.code == 0 && ws.stackingDepth(1) == 2, QStringLiteral("level 2 works"));
                }},
            {QStringLiteral("stacking 3"),
                [](const Error &refusal, const Workspace &ws) {
                    return expect(refusal.code == EINVAL && refusal.message.contains(QStringLiteral("stacking depth"))
                            && ws.stackingDepth(2) == 3,
                        QStringLiteral("EINVAL, the kernel saying \"maximum fs stacking depth exceeded\": ")
                            + refusal.message);
                }},
            {QStringLiteral("docker-image 4"),
                [](const Error &, const Workspace &ws) {
                    return expect(QFileInfo(ws.overlays().first().upper + QStringLiteral("/etc/passwd")).isFile(),
                        QStringLiteral("passwd copied up into the container layer"));
                }},
            {QStringLiteral("docker-image 5"),
                [](const Error &, const Workspace &ws) {
                    return expect(isWhiteout(ws.overlays().first().upper + QStringLiteral("/etc/group")),
                        QStringLiteral("a whiteout for group"));
                }},
        };
        t.insert(metacopyAndSharingClaims());
        return t;
    }();
    return table;
}

// What both sides must say of a step in the same words: the kernel's sentence of a refusal
// (the engine says it too), or an event both report.
struct Alike {
    QString refusal;
    QStringList events;
};
const QHash<QString, Alike> &alike()
{
    static const QHash<QString, Alike> table = {
        {QStringLiteral("stacking 3"), {QStringLiteral("maximum fs stacking depth exceeded"), {}}},
        {QStringLiteral("metacopy 2"),
            {{}, {QStringLiteral("metacopy /base_image/PART1.txt"), QStringLiteral("modified /base_image/PART1.txt")}}},
        {QStringLiteral("metacopy 3"),
            {{}, {QStringLiteral("metacopy /base_image/PART2.txt"), QStringLiteral("modified /base_image/PART2.txt")}}},
        {QStringLiteral("metacopy 4"), {{}, {QStringLiteral("copy_up /base_image/PART3.txt")}}},
        {QStringLiteral("metacopy 5"), {{}, {QStringLiteral("copy_up /base_image/PART1.txt")}}},
        {QStringLiteral("metacopy 6"), {{}, {QStringLiteral("whiteout /base_image/PART2.txt")}}},
        {QStringLiteral("shared-workdir 3"),
            {QStringLiteral("workdir is in-use as upperdir/workdir of another mount, mount with '-o index=off' to "
                            "override exclusive upperdir protection"),
                {}}},
    };
    return table;
}

} // namespace

class TestLessonsKernel final : public MountTest
{
    Q_OBJECT

    QTemporaryDir m_dir;
    // The lesson played so far: rows run in order, each goes on from the one before.
    struct Progress {
        QString lesson;
        int step = 0;
        Workspace kernel;
        Workspace engine;
        QHash<QString, QByteArray> lowers; ///< fingerprints of the kernel side's lowers at the start
        Error engineRefusal; ///< the engine's refusal of the last step
        QStringList kernelEvents; ///< what each side reported of the last step's edit
        QStringList engineEvents;
    };
    std::optional<Progress> m_progress;
    int m_copies = 0;

    Workspace copy(const Lesson &lesson, const QString &side)
    {
        auto ws
            = Scenario::create(lesson.scenario(), m_dir.filePath(QStringLiteral("%1-%2").arg(++m_copies).arg(side)));
        if (!ws)
            qFatal("%s", qPrintable(ws.error().message));
        if (lesson.options().isEmpty())
            return *ws;
        auto set = LessonChange::withOptions(*ws, -1, lesson.options());
        if (!set)
            qFatal("%s", qPrintable(set.error().message));
        return *set;
    }

    // Step `index` on both sides: the workspace change, then the edit. Returns the kernel's
    // refusal (code 0: none); code -1 when the engine's errno differs.
    Error play(Progress &p, const Lesson &lesson, int index, int *shown)
    {
        const Lesson::Step &step = lesson.steps().at(index);
        if (step.changesWorkspace()) {
            auto k = LessonChange::apply(p.kernel, step, *shown);
            auto e = LessonChange::apply(p.engine, step, *shown);
            if (!k || !e)
                qFatal("%s", qPrintable(k ? e.error().message : k.error().message));
            p.kernel = *k;
            p.engine = *e;
        }
        if (!step.overlay.isEmpty())
            *shown = std::max(0, p.kernel.indexOf(step.overlay));
        p.kernelEvents.clear();
        p.engineEvents.clear();
        p.engineRefusal = Error {0, {}};
        if (step.edit.isEmpty())
            return Error {0, {}};
        const Error kernel = edit(p.kernel, *shown, step.edit, false, &p.kernelEvents);
        const Error engine = edit(p.engine, *shown, step.edit, true, &p.engineEvents);
        p.engineRefusal = engine;
        if (kernel.code == engine.code)
            return kernel;
        return Error {-1,
            QStringLiteral("step %1: the kernel says %2 (%3), the engine %4 (%5)")
                .arg(index + 1)
                .arg(kernel.code)
                .arg(kernel.message)
                .arg(engine.code)
                .arg(engine.message)};
    }

private Q_SLOTS:
    void init() { STRATA_REQUIRE_MOUNT(); }

    // Options a lesson (or a workspace) may ask for that the kernel refuses to mount: the
    // engine refuses the same edit with the same errno, in the kernel's words.
    void optionsRefusedAlike_data()
    {
        strata::test::addColumns<QJsonObject, int, QString>("options", "error", "words");
        auto opts = [](std::initializer_list<std::pair<const char *, const char *>> pairs) {
            QJsonObject o;
            for (const auto &[k, v] : pairs)
                o.insert(QLatin1String(k), QLatin1String(v));
            return o;
        };
        QTest::newRow("metacopy=on, redirect_dir=on")
            << opts({{"metacopy", "on"}, {"redirect_dir", "on"}}) << 0 << QString();
        QTest::newRow("metacopy=on, redirect_dir=off")
            << opts({{"metacopy", "on"}, {"redirect_dir", "off"}}) << int(EINVAL)
            << QStringLiteral("conflicting options: metacopy=on,redirect_dir=follow");
        QTest::newRow("metacopy=on, redirect_dir=nofollow")
            << opts({{"metacopy", "on"}, {"redirect_dir", "nofollow"}}) << int(EINVAL)
            << QStringLiteral("conflicting options: metacopy=on,redirect_dir=nofollow");
        QTest::newRow("nfs_export=on, index=off") << opts({{"nfs_export", "on"}, {"index", "off"}}) << int(EINVAL)
                                                  << QStringLiteral("conflicting options: nfs_export=on,index=off");
    }

    void optionsRefusedAlike()
    {
        QFETCH(QJsonObject, options);
        QFETCH(int, error);
        QFETCH(QString, words);
        Error said[2] = {Error {0, {}}, Error {0, {}}};
        for (const bool engine : {false, true}) {
            auto ws = Scenario::create(
                QStringLiteral("blog"), m_dir.filePath(QStringLiteral("options-%1").arg(++m_copies)));
            QVERIFY(ws.ok());
            auto set = LessonChange::withOptions(*ws, -1, options);
            QVERIFY(set.ok());
            QStringList events;
            said[engine] = edit(
                *set, 0, {QStringLiteral("write"), QStringLiteral("/x.txt"), QStringLiteral("x")}, engine, &events);
        }
        QCOMPARE(said[0].code, error);
        QCOMPARE(said[1].code, error);
        for (const Error &e : said)
            QVERIFY2(e.message.contains(words), qPrintable(e.message));
    }

    void everyStep_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("step");
        for (const QString &name : Lesson::builtInNames()) {
            auto lesson = Lesson::load(name);
            QVERIFY2(lesson.ok(), qPrintable(lesson.ok() ? QString() : lesson.error().message));
            for (int i = 1; i <= lesson->steps().size(); ++i)
                QTest::addRow("%s %d", qPrintable(name), i) << name << i;
        }
    }

    void everyStep()
    {
        QFETCH(QString, name);
        QFETCH(int, step);
        auto lesson = Lesson::load(name);
        QVERIFY(lesson.ok());
        // A row run on its own plays the steps before it first.
        if (!m_progress || m_progress->lesson != name || m_progress->step >= step) {
            m_progress = Progress {name,
                0,
                copy(*lesson, QStringLiteral("kernel")),
                copy(*lesson, QStringLiteral("engine")),
                {},
                Error {0, {}},
                {},
                {}};
            for (const OverlaySpec &s : m_progress->kernel.overlays()) {
                for (const QString &l : s.lower)
                    m_progress->lowers.insert(
                        QFileInfo(l).canonicalFilePath(), fingerprint(QFileInfo(l).canonicalFilePath()));
            }
        }
        Progress &p = *m_progress;
        int shown = 0;
        for (int i = 0; i < p.step; ++i) {
            if (const QString &o = lesson->steps().at(i).overlay; !o.isEmpty())
                shown = std::max(0, p.kernel.indexOf(o));
        }
        Error refusal {0, {}};
        while (p.step < step) {
            refusal = play(p, *lesson, p.step++, &shown);
            QVERIFY2(refusal.code >= 0, qPrintable(refusal.message));
        }
        const QString differs = compareSides(p.kernel, p.engine);
        QVERIFY2(differs.isEmpty(), qPrintable(differs));
        for (auto it = p.lowers.cbegin(); it != p.lowers.cend(); ++it)
            QVERIFY2(fingerprint(it.key()) == it.value(), qPrintable(it.key() + QStringLiteral(" changed")));
        const QString key = QStringLiteral("%1 %2").arg(name).arg(step);
        if (const Claim claim = claims().value(key)) {
            const QString wrong = claim(refusal, p.kernel);
            QVERIFY2(wrong.isEmpty(), qPrintable(key + QStringLiteral(": expected ") + wrong));
        }
        if (const auto said = alike().constFind(key); said != alike().cend()) {
            for (const QString &message : {refusal.message, p.engineRefusal.message})
                QVERIFY2(message.contains(said->refusal), qPrintable(key + QStringLiteral(" said: ") + message));
            for (const QString &e : said->events) {
                QVERIFY2(p.kernelEvents.contains(e), qPrintable(p.kernelEvents.join(QStringLiteral(", "))));
                QVERIFY2(p.engineEvents.contains(e), qPrintable(p.engineEvents.join(QStringLiteral(", "))));
            }
        }
    }
};

STRATA_MOUNT_TEST_MAIN(TestLessonsKernel)
#include "tst_lessons_kernel.moc"
