// SPDX-License-Identifier: GPL-2.0-or-later
#include "fusemounter.h"

#include "core/stack/mountcommand.h"
#include "core/util/filename.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace strata
{

namespace
{

// fork + exec + wait, stderr captured: no Qt event loop, so it also works in a forked child.
int run(const std::vector<QByteArray> &args, QByteArray *stderrText)
{
    int pipefd[2];
    if (::pipe2(pipefd, O_CLOEXEC) != 0)
        return -1;
    const pid_t pid = ::fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        ::dup2(pipefd[1], STDERR_FILENO);
        std::vector<char *> argv;
        for (const QByteArray &a : args)
            argv.push_back(const_cast<char *>(a.constData()));
        argv.push_back(nullptr);
        ::execvp(argv[0], argv.data());
        const char msg[] = "cannot run fuse-overlayfs (is the Debian package fuse-overlayfs installed?)\n";
        (void)!::write(STDERR_FILENO, msg, sizeof msg - 1);
        ::_exit(127);
    }
    ::close(pipefd[1]);
    // The daemon keeps a copy of stderr open: stop reading once the parent process is done.
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        char buf[4096];
        ::fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
        ssize_t n = 0;
        while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0)
            stderrText->append(buf, n);
        if (done == pid)
            break;
        ::usleep(5000);
    }
    ::close(pipefd[0]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
} // namespace

KernelMounter::Outcome FuseMounter::mount(const KernelMounter::Request &r)
{
    KernelMounter::Outcome out;
    out.source = QStringLiteral("fuse-overlayfs");
    if (!r.dataLowers.isEmpty()) {
        out.error = EINVAL;
        out.step = QStringLiteral("fuse-overlayfs");
        out.explanation = QStringLiteral(
            "fuse-overlayfs has no data-only lower layers (lowerdir=a::b): mount this overlay with the kernel");
        return out;
    }
    QStringList opts = r.layerOptions();
    for (const QString &o : r.options) {
        if (o != QLatin1String("userxattr"))
            out.warnings << QStringLiteral("%1 is a kernel option, not passed on").arg(o);
    }
    QByteArray err;
    const int rc = run({QByteArrayLiteral("fuse-overlayfs"),
                           QByteArrayLiteral("-o"),
                           encodeFileName(opts.join(QLatin1Char(','))),
                           encodeFileName(r.target)},
        &err);
    if (rc == 0) {
        out.ok = true;
        return out;
    }
    out.error = rc == 127 ? ENOENT : EIO;
    out.step = QStringLiteral("fuse-overlayfs");
    for (const QByteArray &line : err.split('\n')) {
        if (!line.trimmed().isEmpty())
            out.messages << QString::fromUtf8(line.trimmed());
    }
    const QString all = out.messages.join(QLatin1Char(' '));
    if (all.contains(QLatin1String("/dev/fuse")) || all.contains(QLatin1String("fusermount")))
        out.explanation
            = QStringLiteral("FUSE is not usable here: /dev/fuse must be accessible (and fusermount3 installed) "
                             "for a normal user to mount FUSE filesystems.");
    else
        out.explanation = KernelMounter::explain(out.error, out.messages);
    return out;
}

Status FuseMounter::unmount(const QString &target)
{
    if (::umount2(encodeFileName(target).constData(), 0) == 0)
        return {};
    QByteArray err;
    if (run({QByteArrayLiteral("fusermount3"), QByteArrayLiteral("-u"), encodeFileName(target)}, &err) == 0)
        return {};
    return Error {EIO, QStringLiteral("cannot unmount %1: %2").arg(target, QString::fromUtf8(err.trimmed()))};
}

} // namespace strata
