// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernellog.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

namespace
{
// One file for the whole host (not the state directory, which differs between users and
// tests); flock only, so a file someone else made there does no harm.
constexpr const char *LockPath = "/tmp/.stratascope-kernel-log.lock";
constexpr int LockWaitMs = 3000;
int g_kept = -1; // openForLater()

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
// The log names threads by their id in the first PID namespace; in another one (a container)
// ours is not known there: -1, and no line is dropped for its thread.
long globalThreadId()
{
    constexpr ino_t InitPidNamespace = 0xEFFFFFFC; // PROC_PID_INIT_INO
    struct stat st {
    };
    if (::stat("/proc/self/ns/pid", &st) != 0 || st.st_ino != InitPidNamespace)
        return -1;
    return static_cast<long>(::gettid());
}
} // namespace

void KernelLog::openForLater()
{
    if (g_kept < 0)
        g_kept = ::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

KernelLog::KernelLog()
{
    // A duplicate shares the kept one's position: fine, the end is sought below.
    m_fd = g_kept >= 0 ? ::fcntl(g_kept, F_DUPFD_CLOEXEC, 0) : ::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
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
        if (n == 0)
            break; // not the kernel's log (a container's /dev/kmsg can be /dev/null)
        if (n < 0) {
            if (errno == EPIPE)
                continue; // records were overwritten; keep reading the rest
            break; // EAGAIN: nothing more
        }
        if (auto message = overlayMessage(QByteArray(buf, n), globalThreadId()))
            out << *message;
    }
    return out;
}

std::optional<QString> KernelLog::overlayMessage(const QByteArray &record, long threadId)
{
    const qsizetype semi = record.indexOf(';');
    if (semi < 0)
        return std::nullopt;
    // The header's fields after the fourth; "caller=T<tid>" (or C<cpu> in an interrupt).
    const QList<QByteArray> header = record.left(semi).split(',');
    for (const QByteArray &field : header.mid(4)) {
        if (threadId >= 0 && field.startsWith("caller=") && field != "caller=T" + QByteArray::number(threadId))
            return std::nullopt;
    }
    QByteArray msg = record.mid(semi + 1);
    if (const qsizetype nl = msg.indexOf('\n'); nl >= 0)
        msg.truncate(nl); // continuation lines (" KEY=value") follow
    const QString text = QString::fromUtf8(msg);
    for (const QLatin1String prefix : {QLatin1String("overlayfs: "), QLatin1String("overlay: ")}) {
        if (text.startsWith(prefix))
            return text.mid(prefix.size());
    }
    return std::nullopt;
}

} // namespace strata
