// SPDX-License-Identifier: GPL-2.0-or-later
#include "filestream.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

Result<std::unique_ptr<ByteStream>> FileStream::open(const QByteArray &path)
{
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return Error::fromErrno(errno, QString::fromLocal8Bit(path));
    struct stat st {
    };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return Error {EINVAL, QString::fromLocal8Bit(path) + QStringLiteral(": not a regular file")};
    }
    return std::unique_ptr<ByteStream>(new FileStream(fd));
}

FileStream::~FileStream()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

qint64 FileStream::read(char *data, qint64 max)
{
    for (;;) {
        const ssize_t n = ::read(m_fd, data, static_cast<size_t>(max));
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        m_error = QString::fromLocal8Bit(std::strerror(errno));
        return -1;
    }
}

} // namespace strata
