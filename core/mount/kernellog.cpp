// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernellog.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace strata
{

namespace
{
// One file for the whole host (not the state directory, which differs between users and
// tests); flock only, so a file someone else made there does no harm.
constexpr const char *LockPath = "/tmp/.stratascope-kernel-log.lock";
constexpr int LockWaitMs = 3000;

int takeLock()
{
    int fd = ::open(LockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        fd = ::open(LockPath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    for (int waited = 0; waited < LockWaitMs; waited += 5) {
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
            return fd;
        ::usleep(5000);
    }
    ::close(fd); // a stuck holder: read without the lock rather than not mount
    return -1;
}
} // namespace

KernelLog::KernelLog()
{
    m_fd = ::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_fd < 0)
        return;
    m_lockFd = takeLock();
    ::lseek(m_fd, 0, SEEK_END); // only what comes after this point
}

KernelLog::~KernelLog()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (m_lockFd >= 0)
        ::close(m_lockFd); // releases the lock
}

QStringList KernelLog::readOverlayMessages()
{
    QStringList out;
    if (m_fd < 0)
        return out;
    char buf[8192];
    for (;;) {
        const ssize_t n = ::read(m_fd, buf, sizeof buf - 1);
        if (n < 0) {
            if (errno == EPIPE)
                continue; // records were overwritten; keep reading the rest
            break; // EAGAIN: nothing more
        }
        // "prio,seq,time,flags;message\n" followed by optional continuation lines.
        const QByteArray record(buf, n);
        const qsizetype semi = record.indexOf(';');
        if (semi < 0)
            continue;
        QByteArray msg = record.mid(semi + 1);
        const qsizetype nl = msg.indexOf('\n');
        if (nl >= 0)
            msg.truncate(nl);
        QString text = QString::fromUtf8(msg);
        for (const QLatin1String prefix : {QLatin1String("overlayfs: "), QLatin1String("overlay: ")}) {
            if (text.startsWith(prefix)) {
                out << text.mid(prefix.size());
                break;
            }
        }
    }
    return out;
}

} // namespace strata
