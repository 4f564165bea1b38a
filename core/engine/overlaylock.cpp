// SPDX-License-Identifier: GPL-2.0-or-later
#include "overlaylock.h"

#include "core/util/filename.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

Result<OverlayLock> OverlayLock::acquire(const QString &workDir)
{
    const QByteArray path = encodeFileName(workDir);
    auto failed = [&workDir](const char *what) {
        const int err = errno;
        return Error {err,
            QStringLiteral("cannot lock the work directory %1 (%2): %3")
                .arg(workDir, QLatin1String(what), QString::fromLocal8Bit(std::strerror(err)))};
    };
    if (::mkdir(path.constData(), 0755) != 0 && errno != EEXIST)
        return failed("mkdir");
    const int fd = ::open(path.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return failed("open");
    int rc = 0;
    while ((rc = ::flock(fd, LOCK_EX)) != 0 && errno == EINTR) { }
    if (rc != 0) {
        const Error e = failed("flock");
        ::close(fd);
        return e;
    }
    return OverlayLock(fd);
}

OverlayLock::OverlayLock(OverlayLock &&other) noexcept : m_fd(other.m_fd)
{
    other.m_fd = -1;
}

OverlayLock &OverlayLock::operator=(OverlayLock &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

OverlayLock::~OverlayLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // closing the last descriptor releases the flock
}

} // namespace strata
