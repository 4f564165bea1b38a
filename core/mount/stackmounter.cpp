// SPDX-License-Identifier: GPL-2.0-or-later
#include "stackmounter.h"

#include "core/mount/fusemounter.h"
#include "core/mount/kernellog.h"
#include "core/mount/mountinfo.h"

#include "core/util/filename.h"
#include "core/util/fork.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QStandardPaths>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace strata
{

namespace
{

QByteArray readSmall(const char *path)
{
    QFile f(QString::fromLatin1(path));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().trimmed();
}

bool writeFile(const char *path, const QByteArray &data)
{
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, data.constData(), static_cast<size_t>(data.size())) == data.size();
    ::close(fd);
    return ok;
}

constexpr int MountFailedExit = 200;

// The same directory: the same path, or (both there) the same inode under another name.
// Reads the child's message until it exits. Not until end of file alone: a child forked at the
// same moment by another thread holds our pipe's write end until it exits too.
// STRATA_CHILD_WATCH=SECONDS (the test suite sets it): a child still running after that long
// has its kernel state printed once, so that a hang in CI names where it waits.
int awaitChild(pid_t pid, int fd, QByteArray *message)
{
    const int watch = qEnvironmentVariableIntValue("STRATA_CHILD_WATCH");
    int waited = 0;
    int status = 0;
    bool exited = false;
    char buf[4096];
    for (;;) {
        struct pollfd p {
            fd, POLLIN, 0
        };
        const int ready = ::poll(&p, 1, exited ? 0 : 1000);
        if (ready < 0 && errno == EINTR)
            continue; // a signal the caller passes on
        if (ready > 0) {
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n > 0) {
                message->append(buf, n);
                continue;
            }
            break; // end of file
        }
        if (exited)
            break; // gone, and nothing more to read
        const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
        exited = reaped == pid || (reaped < 0 && errno == ECHILD);
        if (!exited && watch > 0 && ++waited == watch) {
            const QByteArray dir = "/proc/" + QByteArray::number(pid) + '/';
            auto proc = [&dir](const char *name) {
                return readSmall(QByteArray(dir + name).constData());
            };
            std::fprintf(stderr,
                "strata: namespace helper %d still running after %d s: wchan %s\n%s\n%s\n",
                int(pid),
                watch,
                proc("wchan").constData(),
                proc("status").left(600).constData(),
                proc("stack").constData());
        }
    }
    if (!exited) {
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    }
    return status;
}

bool sameDirectory(const QString &a, const QString &b)
{
    if (QDir::cleanPath(a) == QDir::cleanPath(b))
        return true;
    struct stat sa {
    };
    struct stat sb {
    };
    return QDir::isAbsolutePath(a) && QDir::isAbsolutePath(b) && ::stat(encodeFileName(a).constData(), &sa) == 0
        && ::stat(encodeFileName(b).constData(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

} // namespace

QString StackMounter::Occupant::foreignText() const
{
    if (kind != Kind::Foreign || !entry)
        return {};
    const QString layers = entry->lowerDirs.isEmpty()
        ? entry->fsType
        : QStringLiteral("lowerdir=%1").arg(entry->lowerDirs.join(QLatin1Char(':')));
    return QStringLiteral("another overlay (%1) is mounted on %2, not this workspace's layers")
        .arg(layers, entry->mountPoint);
}

bool StackMounter::layersMatch(int index, const MountInfo::Entry &m) const
{
    const OverlaySpec &spec = m_workspace.overlays().at(index);
    if (!m.isOverlay() || m.lowerDirs.size() != spec.lower.size() || m.dataDirs.size() != spec.dataLower.size())
        return false;
    for (qsizetype i = 0; i < spec.lower.size(); ++i) {
        if (!sameDirectory(m.lowerDirs.at(i), spec.lower.at(i)))
            return false;
    }
    for (qsizetype i = 0; i < spec.dataLower.size(); ++i) {
        if (!sameDirectory(m.dataDirs.at(i), spec.dataLower.at(i)))
            return false;
    }
    if (m.upperDir.isEmpty() || !spec.hasUpper())
        return m.upperDir.isEmpty() == !spec.hasUpper();
    return sameDirectory(m.upperDir, spec.upper) && sameDirectory(m.workDir, spec.work);
}

StackMounter::Occupant StackMounter::occupant(int index) const
{
    auto mounts = MountInfo::read();
    const auto records = MountRegistry().records();
    return occupant(index,
        mounts ? *mounts : QList<MountInfo::Entry>(),
        records ? *records : QList<MountRegistry::Record>(),
        MountRegistry::currentMountNamespace());
}

StackMounter::Occupant StackMounter::occupant(int index,
    const QList<MountInfo::Entry> &mounts,
    const QList<MountRegistry::Record> &records,
    const QString &ns) const
{
    const OverlaySpec &spec = m_workspace.overlays().at(index);
    Occupant o;
    o.entry = MountInfo::find(mounts, spec.mountpoint);
    if (!o.entry || !o.entry->isAnyOverlay()) {
        o.entry.reset();
        return o;
    }
    o.kind = Occupant::Kind::Foreign;
    for (const MountRegistry::Record &r : records) {
        if (r.mountPoint == spec.mountpoint && r.mountNamespace == ns && r.workspace == m_workspace.filePath()
            && r.overlay == spec.name) {
            o.kind = Occupant::Kind::Ours;
            o.backend = r.backend;
        }
    }
    if (o.kind == Occupant::Kind::Foreign && layersMatch(index, *o.entry)) {
        o.kind = Occupant::Kind::Ours;
        o.backend = QStringLiteral("kernel (mounted outside Stratascope)");
    }
    return o;
}

StackMounter::StackMounter(const Workspace &workspace) : m_workspace(workspace)
{
}

QString StackMounter::usernsProblem()
{
    if (readSmall("/proc/sys/user/max_user_namespaces") == "0")
        return QStringLiteral("user namespaces are disabled (sysctl user.max_user_namespaces=0)");
    if (readSmall("/proc/sys/kernel/unprivileged_userns_clone") == "0")
        return QStringLiteral("unprivileged user namespaces are disabled (sysctl kernel.unprivileged_userns_clone=0)");
    if (readSmall("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1")
        return QStringLiteral("AppArmor restricts unprivileged user namespaces "
                              "(sysctl kernel.apparmor_restrict_unprivileged_userns=1)");
    return {};
}

bool StackMounter::fuseOverlayfsAvailable()
{
    return !QStandardPaths::findExecutable(QStringLiteral("fuse-overlayfs")).isEmpty();
}

KernelMounter::Request StackMounter::request(int index, Backend backend, QStringList *notes) const
{
    const OverlaySpec &spec = m_workspace.overlays().at(index);
    KernelMounter::Request r;
    r.lowers = spec.lower;
    r.dataLowers = spec.dataLower;
    r.upper = spec.upper;
    r.work = spec.work;
    r.target = spec.mountpoint;
    r.options = spec.options.mountOptionList();
    if (backend == Backend::Userns) {
        if (!r.options.contains(QStringLiteral("userxattr")))
            r.options << QStringLiteral("userxattr");
        for (QString &o : r.options) {
            if (o.startsWith(QLatin1String("redirect_dir=")) && o != QLatin1String("redirect_dir=nofollow")) {
                if (notes)
                    *notes << QStringLiteral(
                        "%1: %2 replaced by redirect_dir=nofollow, the only value the kernel accepts "
                        "with userxattr")
                                  .arg(spec.name, o);
                o = QStringLiteral("redirect_dir=nofollow");
            }
        }
    }
    return r;
}

StackMounter::Report StackMounter::mountAll(MountRegistry &registry, qint64 ownerPid, int upTo, Backend backend)
{
    Report report;
    const int last = upTo < 0 ? static_cast<int>(m_workspace.overlays().size()) - 1 : upTo;
    QStringList mounted;
    const QString ns = MountRegistry::currentMountNamespace();
    for (int i = 0; i <= last; ++i) {
        const OverlaySpec &spec = m_workspace.overlays().at(i);
        const Occupant there = occupant(i);
        if (there.ours()) {
            report.lines << QStringLiteral("%1: already mounted on %2").arg(spec.name, spec.mountpoint);
            continue;
        }
        if (there.kind == Occupant::Kind::Foreign) {
            report.ok = false;
            report.lines
                << QStringLiteral("%1: cannot mount: %2; unmount it first").arg(spec.name, there.foreignText());
            takeDown(registry, backend, mounted);
            return report;
        }
        // Written down before mounting: a crash right after the mount still leaves a record
        // (a record whose mount never happened is simply forgotten later).
        const Status recorded = registry.add(MountRegistry::Record {
            spec.mountpoint, m_workspace.filePath(), spec.name, backendName(backend), ownerPid, ns});
        if (!recorded.ok())
            report.warnings << QStringLiteral("could not record the mount: %1").arg(recorded.error().message);
        const KernelMounter::Outcome o = backend == Backend::Fuse ? FuseMounter::mount(request(i, Backend::Fuse))
                                                                  : KernelMounter::mount(request(i, Backend::Kernel));
        report.lines << QStringLiteral("%1: %2").arg(spec.name, o.describe(spec.mountpoint));
        if (!o.ok) {
            report.ok = false;
            (void)registry.remove(spec.mountpoint);
            takeDown(registry, backend, mounted);
            return report;
        }
        for (const QString &w : o.warnings)
            report.warnings << QStringLiteral("%1: %2").arg(spec.name, w);
        mounted << spec.mountpoint;
    }
    return report;
}

void StackMounter::takeDown(MountRegistry &registry, Backend backend, const QStringList &mounted)
{
    for (auto it = mounted.rbegin(); it != mounted.rend(); ++it) {
        (void)(backend == Backend::Fuse ? FuseMounter::unmount(*it) : KernelMounter::unmount(*it));
        (void)registry.remove(*it);
    }
}

StackMounter::Report StackMounter::unmountAll(MountRegistry &registry)
{
    Report report;
    // Mountpoints an overlay left mounted stands on, with its name: they stay mounted too.
    QHash<QString, QString> held;
    auto hold = [&held](const QStringList &lowers, const QString &by) {
        for (const QString &l : lowers)
            held.insert(l, by);
    };
    for (int i = static_cast<int>(m_workspace.overlays().size()) - 1; i >= 0; --i) {
        const OverlaySpec &spec = m_workspace.overlays().at(i);
        const Occupant there = occupant(i);
        if (there.kind == Occupant::Kind::Nothing) {
            (void)registry.remove(spec.mountpoint);
            continue;
        }
        if (there.kind == Occupant::Kind::Foreign) {
            report.warnings << QStringLiteral("%1: left alone: %2").arg(spec.name, there.foreignText());
            hold(there.entry->lowerDirs, there.entry->mountPoint);
            continue;
        }
        if (held.contains(spec.mountpoint)) {
            report.ok = false;
            report.lines << QStringLiteral("%1: left mounted on %2: %3 above it is still mounted")
                                .arg(spec.name, spec.mountpoint, held.value(spec.mountpoint));
            hold(spec.lower, spec.name);
            continue;
        }
        const Status s = there.entry->isFuseOverlay() ? FuseMounter::unmount(spec.mountpoint)
                                                      : KernelMounter::unmount(spec.mountpoint);
        if (!s.ok()) {
            report.ok = false;
            QString line = QStringLiteral("%1: %2").arg(spec.name, s.error().message);
            if (s.error().code == EBUSY)
                line += QStringLiteral(" (a process still uses it: see `fuser -vm %1`)").arg(spec.mountpoint);
            report.lines << line;
            hold(spec.lower, spec.name);
            continue;
        }
        (void)registry.remove(spec.mountpoint);
        report.lines << QStringLiteral("%1: unmounted %2").arg(spec.name, spec.mountpoint);
    }
    return report;
}

Result<int> StackMounter::runInNamespace(
    Backend backend, int upTo, const std::function<int()> &fn, const std::function<void(pid_t)> &started)
{
    int pipefd[2];
    if (::pipe2(pipefd, O_CLOEXEC) != 0)
        return Error::fromErrno(errno, QStringLiteral("pipe"));
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    // Build the requests before forking: the child only makes system calls.
    QList<KernelMounter::Request> requests;
    QStringList notes;
    for (int i = 0; i <= upTo; ++i) {
        // A mount of ours inherited from this namespace is used as it is; over anything else
        // (another overlay someone mounted there) the child mounts its own.
        if (!occupant(i).ours())
            requests << request(i, backend, &notes);
    }

    const pid_t parent = ::getpid();
    const pid_t pid = forkProcess();
    if (pid < 0)
        return Error::fromErrno(errno, QStringLiteral("fork"));
    if (pid == 0) {
        // Nothing outlives us: killed with the parent, even by SIGKILL (checked once more in
        // case the parent died before the call).
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(MountFailedExit);
        // The caller's signal handlers are not the command's: what exec would leave (ignored
        // stays ignored, handled becomes the default), and nothing blocked.
        for (const int sig : {SIGTERM, SIGINT, SIGHUP}) {
            struct sigaction old {
            };
            if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler != SIG_IGN)
                std::signal(sig, SIG_DFL);
        }
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::close(pipefd[0]);
        // The errno first, on a line of its own: a refused mount is refused with the kernel's.
        auto die = [&](const QString &message, int error = EIO) {
            const QByteArray m = QByteArray::number(error) + '\n' + message.toUtf8();
            (void)!::write(pipefd[1], m.constData(), static_cast<size_t>(m.size()));
            ::_exit(MountFailedExit);
        };
        const bool userns = backend == Backend::Userns || (backend == Backend::Fuse && uid != 0);
        if (userns) {
            KernelLog::openForLater(); // root's log stays readable inside
            if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
                die(QStringLiteral("cannot create a user namespace: %1 (%2)")
                        .arg(QString::fromLocal8Bit(std::strerror(errno)), usernsProblem()));
            // Map ourselves to root inside: enough for mounting, and files keep our uid.
            writeFile("/proc/self/setgroups", "deny");
            if (!writeFile("/proc/self/uid_map", QByteArray("0 ") + QByteArray::number(uid) + " 1")
                || !writeFile("/proc/self/gid_map", QByteArray("0 ") + QByteArray::number(gid) + " 1"))
                die(QStringLiteral("cannot map the user into the new namespace: %1")
                        .arg(QString::fromLocal8Bit(std::strerror(errno))));
        } else if (::unshare(CLONE_NEWNS) != 0) {
            die(QStringLiteral("cannot create a mount namespace: %1")
                    .arg(QString::fromLocal8Bit(std::strerror(errno))));
        }
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            die(QStringLiteral("cannot make mounts private: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        QStringList fuseTargets;
        // fuse-overlayfs daemonises: adopt its daemons so they can be reaped here.
        if (backend == Backend::Fuse)
            ::prctl(PR_SET_CHILD_SUBREAPER, 1);
        for (const KernelMounter::Request &r : requests) {
            const KernelMounter::Outcome o = backend == Backend::Fuse ? FuseMounter::mount(r) : KernelMounter::mount(r);
            if (!o.ok) {
                for (auto it = fuseTargets.rbegin(); it != fuseTargets.rend(); ++it)
                    (void)FuseMounter::unmount(*it);
                die(o.describe(r.target), o.error ? o.error : EIO);
            }
            if (backend == Backend::Fuse)
                fuseTargets << r.target;
        }
        const int rc = std::clamp(fn(), 0, MountFailedExit - 1);
        // FUSE daemons live in this namespace: unmount so they exit with it.
        for (auto it = fuseTargets.rbegin(); it != fuseTargets.rend(); ++it)
            (void)FuseMounter::unmount(*it);
        for (int i = 0; i < 200 && !fuseTargets.isEmpty(); ++i) {
            const pid_t reaped = ::waitpid(-1, nullptr, WNOHANG);
            if (reaped < 0)
                break; // no children left
            if (reaped == 0)
                ::usleep(5000);
        }
        ::_exit(rc);
    }
    if (started)
        started(pid);
    ::close(pipefd[1]);
    QByteArray message;
    const int status = awaitChild(pid, pipefd[0], &message);
    ::close(pipefd[0]);
    if (!WIFEXITED(status))
        return Error {EIO, QStringLiteral("the namespace helper died (signal %1)").arg(WTERMSIG(status))};
    if (WEXITSTATUS(status) == MountFailedExit) {
        const qsizetype line = message.indexOf('\n');
        bool numeric = false;
        const int error = line > 0 ? message.left(line).toInt(&numeric) : 0;
        if (!numeric || error <= 0)
            return Error {EIO, QString::fromUtf8(message)};
        return Error {error, QString::fromUtf8(message.mid(line + 1))};
    }
    return WEXITSTATUS(status);
}

} // namespace strata
