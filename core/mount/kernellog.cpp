// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernellog.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace strata
{

KernelLog::KernelLog()
{
    m_fd = ::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_fd >= 0)
        ::lseek(m_fd, 0, SEEK_END); // only what comes after this point
}

KernelLog::~KernelLog()
{
    if (m_fd >= 0)
        ::close(m_fd);
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
