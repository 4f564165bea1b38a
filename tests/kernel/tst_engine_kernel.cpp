// SPDX-License-Identifier: GPL-2.0-or-later
// The userspace engine against the kernel: the same seeded random edits, applied through the
// engine on one copy of a stack and through a real mount on another, must give the same
// errno for every edit, the same merged view, and the same upper directory.
#include "core/engine/overlayengine.h"
#include "core/merge/mergedtree.h"
#include "core/stack/workspace.h"
#include "core/util/fork.h"
#include "tests/support/datatable.h"
#include "tests/support/dirnames.h"
#include "tests/support/fingerprint.h"
#include "tests/support/kernelmount.h"
#include "tests/support/layerstack.h"
#include "tests/support/privatemountns.h"
#include "tests/support/randomstack.h"
#include "tests/support/treesnapshot.h"
#include "tests/support/upperview.h"

#include <QCryptographicHash>
#include <QProcess>
#include <QtTest>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <random>

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>

using namespace strata;
using namespace strata::test;

namespace
{
struct Profile {
    const char *name;
    const char *options;
    bool userxattr;
    bool redirectDir;
    bool unprivileged = false; ///< both sides run as uid 65534, the kernel side in a user namespace
    bool metacopy = false; ///< metacopy=on: merged views read metacopy files' data from below
    /// Two data-only layers (lowerdir=...::D0::D1), the bottom lower's metacopy files leading
    /// into them, as mkcomposefs makes them.
    bool dataOnly = false;
};

const Profile profiles[] = {
    {"redirect_dir=off", "redirect_dir=follow,index=off,metacopy=off,xino=off", false, false},
    {"redirect_dir=on", "redirect_dir=on,index=off,metacopy=off,xino=off", false, true},
    {"userxattr", "userxattr,redirect_dir=nofollow,index=off,metacopy=off,xino=off", true, false},
    {"userxattr as a normal user",
        "userxattr,redirect_dir=nofollow,index=off,metacopy=off,xino=off",
        true,
        false,
        true},
    // metacopy=on needs redirect_dir=on (the kernel refuses both explicitly otherwise).
    {"metacopy=on", "metacopy=on,redirect_dir=on,index=off,xino=off", false, true, false, true},
    // Without metacopy=on the kernel still follows the bottom lower's metacopy files into them.
    {"data-only lowers", "redirect_dir=on,index=off,metacopy=off,xino=off", false, true, false, false, true},
    {"data-only lowers, metacopy=on", "metacopy=on,redirect_dir=on,index=off,xino=off", false, true, false, true, true},
};

constexpr int DataLayers = 2;

// The data-only part of a stack: blobs in D0 and D1 (one path a directory in D0 and a file in
// D1, one nowhere) and, in the bottom lower, metacopy files named m, n and k/m, k/n that lead
// into them, mostly of the blob's size; randomOps(..., true) edits these names too.
QStringList dataOnlySpec(quint32 seed, int lowers)
{
    std::mt19937 rng(seed * 104729u + 3u);
    auto pick = [&rng](int n) {
        return std::uniform_int_distribution<int>(0, n - 1)(rng);
    };
    QStringList spec;
    QHash<QString, int> sizes;
    for (int b = 1; b <= 3; ++b) {
        const QString text = QStringLiteral("blob%1-%2").arg(b).arg(pick(100000));
        spec << QStringLiteral("D%1 f o/%2 %3").arg(pick(DataLayers)).arg(b).arg(text);
        sizes.insert(QStringLiteral("/o/%1").arg(b), int(text.size()));
    }
    spec << QStringLiteral("D0 d o/4") << QStringLiteral("D1 f o/4 deeper");
    sizes.insert(QStringLiteral("/o/4"), 6);
    const QStringList targets = {QStringLiteral("/o/1"),
        QStringLiteral("/o/2"),
        QStringLiteral("/o/3"),
        QStringLiteral("/o/4"),
        QStringLiteral("/o/5"),
        QStringLiteral("/o")};
    const QString bottom = QStringLiteral("L%1").arg(lowers - 1);
    for (const QString &name :
        {QStringLiteral("m"), QStringLiteral("n"), QStringLiteral("k/m"), QStringLiteral("k/n")}) {
        if (pick(5) == 0)
            continue;
        const QString target = targets.at(pick(int(targets.size())));
        const int size = pick(5) == 0 ? pick(20) : sizes.value(target, 7);
        spec << QStringLiteral("%1 mr %2 %3 %4").arg(bottom, name).arg(size).arg(target);
    }
    return spec;
}

constexpr uid_t Nobody = 65534;

void chownTree(const QByteArray &path)
{
    struct stat st {
    };
    if (::lstat(path.constData(), &st) != 0)
        return;
    (void)::lchown(path.constData(), Nobody, Nobody);
    if (!S_ISDIR(st.st_mode))
        return;
    for (const QByteArray &n : dirNames(path).value_or(QList<QByteArray>()))
        chownTree(path + '/' + n);
}

QStringList randomOps(quint32 seed, int count, bool dataNames = false)
{
    std::mt19937 rng(seed * 7919u + 17u);
    auto pick = [&rng](int n) {
        return std::uniform_int_distribution<int>(0, n - 1)(rng);
    };
    QStringList pool = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")};
    if (dataNames) // the names of dataOnlySpec()'s metacopy files
        pool << QStringLiteral("m") << QStringLiteral("n") << QStringLiteral("k");
    auto path = [&] {
        QString p;
        const int depth = 1 + pick(3);
        for (int i = 0; i < depth; ++i)
            p += QLatin1Char('/') + pool.at(pick(pool.size()));
        // Now and then the way the kernel walks a path matters: a trailing slash, dots, or
        // ".." that would leave the merged view.
        const int odd = pick(100);
        if (odd < 5)
            p += QLatin1Char('/');
        else if (odd < 8)
            p = QLatin1Char('/') + pool.at(pick(pool.size())) + QStringLiteral("/..") + p;
        else if (odd < 9)
            p = QStringLiteral("/..") + p;
        else if (odd < 10)
            p += pick(2) ? QStringLiteral("/.") : QStringLiteral("/..");
        return p;
    };
    // Names the overlay itself uses, which the kernel escapes, among the user's own.
    const QStringList xattrs = {QStringLiteral("user.t"),
        QStringLiteral("user.t"),
        QStringLiteral("trusted.overlay.opaque"),
        QStringLiteral("user.overlay.opaque"),
        QStringLiteral("trusted.overlay.redirect")};
    QStringList ops;
    for (int i = 0; i < count; ++i) {
        const int r = pick(100);
        if (r < 14)
            ops << QStringLiteral("write %1 w%2").arg(path()).arg(pick(100));
        else if (r < 22)
            ops << QStringLiteral("append %1 x%2").arg(path()).arg(pick(100));
        else if (r < 26)
            ops << QStringLiteral("truncate %1 %2").arg(path()).arg(pick(5));
        else if (r < 38)
            ops << QStringLiteral("mkdir %1").arg(path());
        else if (r < 50)
            ops << QStringLiteral("rm %1").arg(path());
        else if (r < 58)
            ops << QStringLiteral("rmdir %1").arg(path());
        else if (r < 64)
            ops << QStringLiteral("rm-r %1").arg(path());
        else if (r < 80)
            ops << QStringLiteral("mv %1 %2").arg(path(), path());
        else if (r < 86 || (dataNames && r < 92))
            ops << QStringLiteral("chmod %1 %2").arg(pick(2) ? QStringLiteral("700") : QStringLiteral("644"), path());
        else if (r < 90)
            ops << QStringLiteral("ln-s t%1 %2").arg(pick(10)).arg(path());
        else if (r < 94)
            ops << QStringLiteral("ln %1 %2").arg(path(), path());
        else if (r < 95)
            ops << QStringLiteral("touch %1").arg(path());
        else if (r < 96)
            ops << QStringLiteral("chown %1 %2")
                       .arg(QStringList {QStringLiteral("1000:1000"),
                           QStringLiteral("0:100"),
                           QStringLiteral("4294967295:4294967295")}
                                .at(pick(3)))
                       .arg(path());
        else if (r < 97)
            ops << QStringLiteral("utimes %1 %2").arg(1000000 + pick(1000)).arg(path());
        else if (r < 99)
            ops << QStringLiteral("setxattr %1 y%2 %3").arg(xattrs.at(pick(xattrs.size()))).arg(pick(2)).arg(path());
        else
            ops << QStringLiteral("rmxattr %1 %2").arg(xattrs.at(pick(xattrs.size())), path());
    }
    return ops;
}
} // namespace

class TestEngineKernel final : public MountTest
{
    Q_OBJECT

    // One case: the edits through the engine on one copy of the stack and through a kernel
    // mount on another. Returns what differs, or an empty string.
    static QString check(const Profile &prof, int lowers, const QStringList &spec, const QStringList &ops)
    {
        const int data = prof.dataOnly ? DataLayers : 0;
        LayerStack engineSide(lowers, true, prof.userxattr, data);
        LayerStack kernelSide(lowers, true, prof.userxattr, data);
        if (!engineSide.apply(spec) || !kernelSide.apply(spec))
            return QStringLiteral("bad spec: ") + engineSide.errorString() + kernelSide.errorString();
        if (!prof.unprivileged)
            return compare(prof, lowers, ops, engineSide, kernelSide);
        // A normal user: the layers become theirs, and both sides run as uid 65534 in a child,
        // the kernel side mounted in a user namespace (userxattr).
        for (LayerStack *side : {&engineSide, &kernelSide}) {
            ::chmod(QFile::encodeName(side->root()).constData(), 0755);
            chownTree(QFile::encodeName(side->root()));
        }
        int fds[2];
        if (::pipe(fds) != 0)
            return QStringLiteral("pipe failed");
        const pid_t pid = forkProcess();
        if (pid == 0) {
            ::close(fds[0]);
            QString result;
            if (::setgroups(0, nullptr) != 0 || ::setresgid(Nobody, Nobody, Nobody) != 0
                || ::setresuid(Nobody, Nobody, Nobody) != 0)
                result = QStringLiteral("cannot become uid 65534");
            else if (::prctl(PR_SET_DUMPABLE, 1) != 0) // setuid made /proc/self root's; take it back
                result = QStringLiteral("cannot become dumpable");
            else if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
                result = QStringLiteral("cannot create a user namespace");
            else {
                auto put = [](const char *file, const QByteArray &text) {
                    const int fd = ::open(file, O_WRONLY | O_CLOEXEC);
                    const bool ok
                        = fd >= 0 && ::write(fd, text.constData(), static_cast<size_t>(text.size())) == text.size();
                    if (fd >= 0)
                        ::close(fd);
                    return ok;
                };
                put("/proc/self/setgroups", "deny");
                if (!put("/proc/self/uid_map", "0 65534 1") || !put("/proc/self/gid_map", "0 65534 1"))
                    result = QStringLiteral("cannot map the user");
                else
                    result = compare(prof, lowers, ops, engineSide, kernelSide);
            }
            const QByteArray out = result.toUtf8();
            (void)!::write(fds[1], out.constData(), static_cast<size_t>(out.size()));
            ::_exit(0);
        }
        ::close(fds[1]);
        QByteArray out;
        char buf[4096];
        ssize_t n = 0;
        while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
            out.append(buf, n);
        ::close(fds[0]);
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (!WIFEXITED(status))
            return QStringLiteral("the unprivileged side crashed");
        return QString::fromUtf8(out);
    }

    static QString compare(
        const Profile &prof, int lowers, const QStringList &ops, LayerStack &engineSide, LayerStack &kernelSide)
    {
        QHash<QString, QByteArray> lowerBefore;
        const QStringList readOnly = engineSide.lowers() + engineSide.dataLowers();
        for (const QString &l : readOnly)
            lowerBefore.insert(l, fingerprint(l));

        OverlayEngine::Config config;
        config.lowers = engineSide.lowers();
        for (int i = 0; i < lowers; ++i)
            config.lowerNames << QStringLiteral("L%1").arg(i);
        config.dataLowers = engineSide.dataLowers();
        for (int i = 0; i < config.dataLowers.size(); ++i)
            config.dataLowerNames << QStringLiteral("D%1").arg(i);
        config.upper = engineSide.upper();
        config.work = engineSide.work();
        config.upperName = QStringLiteral("U");
        config.xattrs = prof.userxattr ? XattrNamespace::User : XattrNamespace::Trusted;
        config.redirectDir = prof.redirectDir;
        config.followRedirects = !prof.userxattr;
        config.metacopy = prof.metacopy;
        config.allowOfflineChanges = !prof.redirectDir && !prof.metacopy;
        OverlayEngine engine(config);

        KernelMount mount;
        if (!mount.mount(kernelSide, QString::fromLatin1(prof.options)))
            return mount.errorString();
        for (int i = 0; i < ops.size(); ++i) {
            auto op = MergedOperation::parse(ops.at(i).split(QLatin1Char(' ')));
            if (!op)
                return op.error().message;
            const int kernelErr = op->apply(kernelSide.mountpoint());
            const int engineErr = engine.apply(*op);
            if (kernelErr != engineErr) {
                return QStringLiteral("edit \"%1\": the kernel says %2 (%3), the engine %4 (%5)")
                    .arg(ops.at(i))
                    .arg(kernelErr)
                    .arg(QString::fromLocal8Bit(std::strerror(kernelErr)))
                    .arg(engineErr)
                    .arg(QString::fromLocal8Bit(std::strerror(engineErr)));
            }
        }
        TreeSnapshot kernelView = TreeSnapshot::fromDirectory(kernelSide.mountpoint());
        if (!mount.unmount())
            return mount.errorString();
        const QString upperDiff = UpperView::take(kernelSide.upper(), config.xattrs)
                                      .diff(UpperView::take(engineSide.upper(), config.xattrs),
                                          QStringLiteral("kernel"),
                                          QStringLiteral("engine"));
        if (!upperDiff.isEmpty())
            return QStringLiteral("upper layers differ:\n") + upperDiff;
        auto tree = MergedTree::build(
            engineSide.mergeLayers(), MergeOptions {config.xattrs, config.followRedirects, prof.metacopy});
        if (!tree)
            return tree.error().message;
        // The engine writes real overlayfs format: the kernel, mounting what it wrote, shows
        // the view the engine computed.
        KernelMount engineMount;
        if (!engineMount.mount(engineSide, QString::fromLatin1(prof.options)))
            return engineMount.errorString();
        TreeSnapshot remounted = TreeSnapshot::fromDirectory(engineSide.mountpoint());
        engineMount.unmount();
        // MergedTree follows no redirect of a file (a renamed metacopy file): with metacopy
        // the kernel's view of the engine's layers stands for the engine's view.
        TreeSnapshot engineView = prof.metacopy ? remounted : TreeSnapshot::fromMergedTree(*tree);
        kernelView.reconcileConflicts(engineView);
        if (const QString d = kernelView.diff(engineView); !d.isEmpty())
            return QStringLiteral("merged views differ:\n") + d;
        if (!prof.metacopy) {
            TreeSnapshot engineView2 = TreeSnapshot::fromMergedTree(*tree);
            remounted.reconcileConflicts(engineView2);
            if (const QString d = remounted.diff(engineView2); !d.isEmpty())
                return QStringLiteral("the kernel mounting the engine's layers shows another view:\n") + d;
        }
        // What the engine reads is what the kernel reads (below a metacopy file: the lower data).
        const bool below = prof.metacopy || prof.dataOnly;
        for (auto it = kernelView.records().cbegin(); it != kernelView.records().cend() && below; ++it) {
            if (it->type != QLatin1String("file"))
                continue;
            const auto data = engine.read(it.key());
            const QByteArray hash
                = data ? QCryptographicHash::hash(*data, QCryptographicHash::Sha1).toHex() : QByteArray("<unreadable>");
            if (hash != it->contentHash)
                return QStringLiteral("the engine reads another %1 than the kernel").arg(QString::fromUtf8(it.key()));
        }
        for (const QString &l : readOnly) {
            if (fingerprint(l) != lowerBefore.value(l))
                return QStringLiteral("a lower layer changed: ") + l;
        }
        return {};
    }

private Q_SLOTS:
    void differential_data()
    {
        strata::test::addColumns<int, quint32>("profile", "seed");
        const int seeds = qEnvironmentVariableIntValue("STRATA_DIFF_SEEDS") > 0
            ? qEnvironmentVariableIntValue("STRATA_DIFF_SEEDS")
            : 60;
        for (int p = 0; p < int(std::size(profiles)); ++p) {
            for (int s = 1; s <= seeds; ++s)
                QTest::addRow("%s, seed %d", profiles[p].name, s) << p << quint32(s);
        }
    }

    void differential()
    {
        STRATA_REQUIRE_MOUNT();
        QFETCH(int, profile);
        QFETCH(quint32, seed);
        const int lowers = 1 + int(seed % 4);
        const bool dataOnly = profiles[profile].dataOnly;
        QStringList spec = RandomStack::generate({seed, lowers, true, false, false});
        if (dataOnly)
            spec += dataOnlySpec(seed, lowers);
        QStringList ops = randomOps(seed, 25, dataOnly);
        QString failure = check(profiles[profile], lowers, spec, ops);
        if (failure.isEmpty())
            return;
        // Shrink the case while it still fails: fewer edits, then fewer layer entries.
        for (qsizetype i = ops.size() - 1; i >= 0; --i) {
            QStringList fewer = ops;
            fewer.removeAt(i);
            if (const QString f = check(profiles[profile], lowers, spec, fewer); !f.isEmpty()) {
                ops = fewer;
                failure = f;
            }
        }
        for (qsizetype i = spec.size() - 1; i >= 0; --i) {
            QStringList fewer = spec;
            fewer.removeAt(i);
            if (const QString f = check(profiles[profile], lowers, fewer, ops);
                !f.isEmpty() && !f.startsWith(QLatin1String("bad spec"))) {
                spec = fewer;
                failure = f;
            }
        }
        QFAIL(
            qPrintable(QStringLiteral("%1, seed %2 (%3 lowers): %4\nminimal reproduction — layers:\n  %5\nedits:\n  %6")
                           .arg(QLatin1String(profiles[profile].name))
                           .arg(seed)
                           .arg(lowers)
                           .arg(failure, spec.join(QStringLiteral("\n  ")), ops.join(QStringLiteral("\n  ")))));
    }

    // Edits the kernel does (or refuses) in a way the engine once did not: the errno, the upper
    // layer (every xattr included) and the merged view must be the kernel's.
    void fixedEdits_data()
    {
        strata::test::addColumns<int, QStringList, QStringList>("profile", "spec", "ops");
        const QStringList stack = {QStringLiteral("L0 f dir/a 1"),
            QStringLiteral("L0 f dir/b 2"),
            QStringLiteral("L0 f file 3"),
            QStringLiteral("L0 c null 1:3"),
            QStringLiteral("U f dir/up 4"),
            QStringLiteral("U d updir")};
        auto row = [&stack](const char *name, int profile, const QStringList &ops) {
            QTest::newRow(name) << profile << stack << ops;
        };
        const int trusted = 0;
        const int redirects = 1;
        const int userxattr = 2;
        // The overlay's own xattr names are escaped: the view does not change.
        row("setxattr trusted.overlay.opaque", trusted, {QStringLiteral("setxattr trusted.overlay.opaque y /dir")});
        row("setxattr trusted.overlay.redirect",
            redirects,
            {QStringLiteral("setxattr trusted.overlay.redirect /updir /dir")});
        row("setxattr user.overlay.opaque with userxattr",
            userxattr,
            {QStringLiteral("setxattr user.overlay.opaque y /dir")});
        row("setxattr user.overlay.opaque without userxattr",
            trusted,
            {QStringLiteral("setxattr user.overlay.opaque y /dir")});
        row("escaped, copied up, then removed",
            trusted,
            {QStringLiteral("setxattr trusted.overlay.opaque y /dir/a"),
                QStringLiteral("rmxattr trusted.overlay.opaque /dir/a"),
                QStringLiteral("rmxattr trusted.overlay.opaque /dir/a")});
        // chown(2) leaves an id of -1 as it is, and still copies up.
        row("chown -1:-1", trusted, {QStringLiteral("chown 4294967295:4294967295 /file")});
        row("chown -1:0", trusted, {QStringLiteral("chown 4294967295:0 /dir/a")});
        // A device opens as itself: written without a copy-up; its times copy it up.
        row("write to a device", trusted, {QStringLiteral("write /null t"), QStringLiteral("append /null t")});
        row("touch of a device", trusted, {QStringLiteral("touch /null")});
        // Dots and slashes that stay inside.
        row("chmod through ..", trusted, {QStringLiteral("chmod 700 /dir/..")});
        row("mkdir with a slash", trusted, {QStringLiteral("mkdir /new/"), QStringLiteral("write /new/x/../y t")});
        row("mv of a directory with slashes", trusted, {QStringLiteral("mv /updir/ /renamed/")});
        row("rm-r with a slash", trusted, {QStringLiteral("rm-r /dir/")});
        row("write over a file with a slash first", trusted, {QStringLiteral("write /file/ t")});
        // metacopy=on: metadata-only edits copy no data; the first write or truncate brings it.
        const int metacopy = 4;
        auto ops = [](std::initializer_list<const char *> lines) {
            QStringList out;
            for (const char *l : lines)
                out << QString::fromLatin1(l);
            return out;
        };
        row("metacopy: chmod", metacopy, ops({"chmod 600 /file"}));
        row("metacopy: chown", metacopy, ops({"chown 1000:1000 /dir/a"}));
        row("metacopy: touch copies the data", metacopy, ops({"touch /dir/b"}));
        row("metacopy: chmod, then append", metacopy, ops({"chmod 600 /file", "append /file t"}));
        row("metacopy: chown, touch, rm", metacopy, ops({"chown 1000:1000 /dir/a", "touch /dir/b", "rm /dir/a"}));
        row("metacopy: utimes, setxattr, then truncate",
            metacopy,
            ops({"utimes 1000000 /file", "setxattr user.t y /dir/b", "truncate /dir/b 1"}));
        row("metacopy: write over a metadata copy", metacopy, ops({"chmod 600 /file", "write /file new"}));
        row("metacopy: a directory is copied as always", metacopy, ops({"chmod 700 /dir", "mkdir /dir/new"}));
        row("metacopy: a device is copied whole", metacopy, ops({"chown 1000:1000 /null"}));
        const QStringList linked = stack + QStringList {QStringLiteral("L0 h dir/c file")};
        QTest::newRow("metacopy: both names of a hard-linked lower file")
            << metacopy << linked << ops({"chmod 600 /dir/c", "chown 1000:1000 /file"});
        QTest::newRow("metacopy: a hard-linked lower file, written, removed")
            << metacopy << linked << ops({"chmod 600 /dir/c", "chown 1000:1000 /file", "append /dir/c t", "rm /file"});
        // A file whose data is below keeps finding it after a rename or a link: a redirect.
        row("metacopy: mv in the same directory", metacopy, ops({"chmod 600 /dir/a", "mv /dir/a /dir/a2"}));
        row("metacopy: mv elsewhere, then append", metacopy, ops({"mv /file /dir/moved", "append /dir/moved t"}));
        row("metacopy: mv of a metadata copy, twice",
            metacopy,
            ops({"chmod 600 /dir/a", "mv /dir/a /dir/a2", "mv /dir/a2 /a3"}));
        row("metacopy: ln of a lower file", metacopy, ops({"ln /dir/b /b2", "append /b2 t"}));
        // Data-only layers: metacopy files of the lower lead into them, as composefs's do.
        const QStringList composefs = {QStringLiteral("D0 f o/1 blob-one"),
            QStringLiteral("D0 d o/2"),
            QStringLiteral("D1 f o/2 blob-two"),
            QStringLiteral("L0 mr f 8 /o/1"),
            QStringLiteral("L0 mr dir/g 8 /o/2"),
            QStringLiteral("L0 mr gone 4 /o/9"),
            QStringLiteral("L0 mr short 3 /o/1")};
        for (const int p : {5, 6}) {
            const QString set = QString::fromLatin1(profiles[p].name);
            auto dataRow = [&](const char *name, std::initializer_list<const char *> lines) {
                QTest::addRow("%s: %s", qPrintable(set), name) << p << composefs << ops(lines);
            };
            dataRow("chmod", {"chmod 600 /f"});
            dataRow("append", {"append /f t", "append /dir/g u"});
            dataRow("chmod, mv, append", {"chmod 600 /f", "mv /f /f2", "append /f2 t"});
            dataRow("truncate", {"truncate /f 2", "truncate /dir/g 0"});
            dataRow("rm, then write the name again", {"rm /f", "write /f new"});
            dataRow("data in no layer", {"chmod 600 /gone", "append /gone t", "rm /gone"});
            dataRow("shorter than its data", {"chmod 700 /short", "append /short t"});
            dataRow("data-only names stay hidden", {"write /o/1 x", "mkdir /o", "rm /o"});
        }
    }

    void fixedEdits()
    {
        STRATA_REQUIRE_MOUNT();
        QFETCH(int, profile);
        QFETCH(QStringList, spec);
        QFETCH(QStringList, ops);
        const QString failure = check(profiles[profile], 1, spec, ops);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    // What the merged view shows of escaped xattrs, through the engine and through a mount
    // of the engine's layers alike.
    void escapedXattrs_data()
    {
        strata::test::addColumns<int, QByteArray, QByteArray>("profile", "name", "stored");
        QTest::newRow("trusted") << 0 << QByteArray("trusted.overlay.opaque")
                                 << QByteArray("trusted.overlay.overlay.opaque");
        QTest::newRow("trusted, twice") << 0 << QByteArray("trusted.overlay.overlay.x")
                                        << QByteArray("trusted.overlay.overlay.overlay.x");
        QTest::newRow("user with userxattr")
            << 2 << QByteArray("user.overlay.redirect") << QByteArray("user.overlay.overlay.redirect");
        QTest::newRow("user without userxattr")
            << 0 << QByteArray("user.overlay.opaque") << QByteArray("user.overlay.opaque");
        QTest::newRow("trusted with userxattr")
            << 2 << QByteArray("trusted.overlay.opaque") << QByteArray("trusted.overlay.opaque");
    }

    void escapedXattrs()
    {
        STRATA_REQUIRE_MOUNT();
        QFETCH(int, profile);
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, stored);
        const Profile &prof = profiles[profile];
        LayerStack side(1, true, prof.userxattr);
        QVERIFY(side.apply({QStringLiteral("L0 f dir/a 1"), QStringLiteral("U d dir")}));
        OverlayEngine::Config config;
        config.lowers = side.lowers();
        config.lowerNames = {QStringLiteral("L0")};
        config.upper = side.upper();
        config.work = side.work();
        config.xattrs = prof.userxattr ? XattrNamespace::User : XattrNamespace::Trusted;
        OverlayEngine engine(config);
        auto op = MergedOperation::parse(
            {QStringLiteral("setxattr"), QString::fromLatin1(name), QStringLiteral("y"), QStringLiteral("/dir")});
        QVERIFY(op.ok());
        QCOMPARE(engine.apply(*op), 0);
        char value[8] = {};
        const QByteArray upperDir = QFile::encodeName(side.upper()) + "/dir";
        QCOMPARE(::lgetxattr(upperDir.constData(), stored.constData(), value, sizeof value), ssize_t(1));
        QCOMPARE(engine.xattr("/dir", name).value(), QByteArray("y"));
        QVERIFY(engine.xattrNames("/dir").value().contains(name));
        QCOMPARE(engine.list("/dir").value(), QList<QByteArray> {"a"}); // not made opaque
        KernelMount mount;
        QVERIFY2(mount.mount(side, QString::fromLatin1(prof.options)), qPrintable(mount.errorString()));
        const QByteArray merged = QFile::encodeName(side.mountpoint()) + "/dir";
        QCOMPARE(::lgetxattr(merged.constData(), name.constData(), value, sizeof value), ssize_t(1));
        char names[1024];
        const ssize_t len = ::llistxattr(merged.constData(), names, sizeof names);
        QVERIFY(len > 0);
        QVERIFY(QByteArray(names, len).split('\0').contains(name));
        QVERIFY(QFile::exists(side.mountpoint() + QStringLiteral("/dir/a")));
    }

    void unprivilegedUserEditsWithTheEngine()
    {
        STRATA_REQUIRE_MOUNT(); // root, to become nobody and to mount the result afterwards
        constexpr int Nobody = 65534;
        QTemporaryDir dir;
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
        const QString ws = dir.filePath(QStringLiteral("lesson"));
        QVERIFY(QDir().mkpath(ws));
        QVERIFY(::chown(QFile::encodeName(ws).constData(), Nobody, Nobody) == 0);
        auto asNobody = [](const QStringList &args) {
            QProcess p;
            p.start(QStringLiteral("setpriv"),
                QStringList {QStringLiteral("--reuid=65534"),
                    QStringLiteral("--regid=65534"),
                    QStringLiteral("--clear-groups"),
                    qEnvironmentVariable("STRATA_CLI")}
                    + args);
            p.waitForFinished(30000);
            return p.exitCode() == 0 ? QString()
                                     : QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput());
        };
        QCOMPARE(asNobody({QStringLiteral("scenario"), QStringLiteral("blog"), ws}), QString());
        const QByteArray lowerBefore = fingerprint(ws + QStringLiteral("/lower_layer"));
        const QList<QStringList> edits = {
            {QStringLiteral("rm"), QStringLiteral("/base_image/common.txt")},
            {QStringLiteral("append"), QStringLiteral("/base_image/second_instruction.txt"), QStringLiteral("edited")},
            {QStringLiteral("write"), QStringLiteral("/notes.txt"), QStringLiteral("mine")},
            {QStringLiteral("mkdir"), QStringLiteral("/base_image/sub")},
            {QStringLiteral("rm-r"), QStringLiteral("/base_image")},
            {QStringLiteral("mkdir"), QStringLiteral("/base_image")},
            {QStringLiteral("write"), QStringLiteral("/base_image/again.txt"), QStringLiteral("new")},
        };
        for (const QStringList &e : edits)
            QCOMPARE(asNobody(QStringList {QStringLiteral("op"), ws, QStringLiteral("--engine")} + e), QString());
        // Everything written belongs to the user, with user.overlay.* markers.
        struct stat st {
        };
        QVERIFY(::lstat(QFile::encodeName(ws + QStringLiteral("/upper_layer/base_image")).constData(), &st) == 0);
        QCOMPARE(int(st.st_uid), Nobody);
        char v[4] = {};
        QCOMPARE(::lgetxattr(QFile::encodeName(ws + QStringLiteral("/upper_layer/base_image")).constData(),
                     "user.overlay.opaque",
                     v,
                     sizeof v),
            ssize_t(1));
        QCOMPARE(fingerprint(ws + QStringLiteral("/lower_layer")), lowerBefore);

        // The kernel, mounting what the engine wrote with the workspace's options, agrees.
        auto workspace = Workspace::load(ws);
        QVERIFY(workspace.ok());
        const OverlaySpec &spec = workspace->overlays().first();
        auto layers = workspace->mergeLayers(0);
        auto tree = MergedTree::build(*layers, spec.options.mergeOptions());
        QVERIFY(tree.ok());
        TreeSnapshot ours = TreeSnapshot::fromMergedTree(*tree);
        KernelMount mount;
        QVERIFY2(mount.mount(spec), qPrintable(mount.errorString()));
        TreeSnapshot kernel = TreeSnapshot::fromDirectory(spec.mountpoint);
        QVERIFY(mount.unmount());
        const QString diff = kernel.diff(ours);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QVERIFY(kernel.records().contains("/base_image/again.txt"));
        QVERIFY(!kernel.records().contains("/base_image/PART1.txt"));
        QVERIFY(kernel.records().contains("/notes.txt"));
    }
};

STRATA_MOUNT_TEST_MAIN(TestEngineKernel)
#include "tst_engine_kernel.moc"
