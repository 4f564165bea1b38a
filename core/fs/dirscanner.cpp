// SPDX-License-Identifier: GPL-2.0-or-later
#include "dirscanner.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace strata
{

namespace
{
// Names are at most NAME_MAX bytes: copy into a NUL-terminated stack buffer for *at() calls.
struct CName {
    explicit CName(std::string_view n)
    {
        const size_t len = n.size() < sizeof buf - 1 ? n.size() : sizeof buf - 1;
        std::memcpy(buf, n.data(), len);
        buf[len] = '\0';
    }
    char buf[NAME_MAX + 2];
};
} // namespace

DirScanner::DirScanner(int fd) : m_fd(fd)
{
}

DirScanner::~DirScanner()
{
    close();
}

DirScanner::DirScanner(DirScanner &&other) noexcept
    : m_fd(other.m_fd)
    , m_readError(other.m_readError)
    , m_buffer(std::move(other.m_buffer))
    , m_entries(std::move(other.m_entries))
{
    other.m_fd = -1;
}

DirScanner &DirScanner::operator=(DirScanner &&other) noexcept
{
    if (this != &other) {
        close();
        m_fd = other.m_fd;
        m_readError = other.m_readError;
        m_buffer = std::move(other.m_buffer);
        m_entries = std::move(other.m_entries);
        other.m_fd = -1;
    }
    return *this;
}

void DirScanner::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

Result<DirScanner> DirScanner::openRoot(const QByteArray &path)
{
    const int fd = ::open(path.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(errno, QString::fromLocal8Bit(path));
    return DirScanner(fd);
}

Result<DirScanner> DirScanner::openChild(int parentFd, std::string_view name)
{
    const CName c(name);
    const int fd = ::openat(parentFd, c.buf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(errno, QString::fromLocal8Bit(name.data(), static_cast<qsizetype>(name.size())));
    return DirScanner(fd);
}

bool DirScanner::readAll()
{
    m_entries.clear();
    m_readError = 0;
    if (m_fd < 0) {
        m_readError = EBADF;
        return false;
    }
    // Read the whole directory into one growing buffer, then index it: the string_views
    // stay valid because the buffer is not touched after the loop.
    size_t used = 0;
    if (m_buffer.size() < 16384)
        m_buffer.resize(16384);
    for (;;) {
        if (m_buffer.size() - used < 8192)
            m_buffer.resize(m_buffer.size() * 2);
        const ssize_t n = ::getdents64(m_fd, m_buffer.data() + used, m_buffer.size() - used);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            m_readError = errno;
            return false;
        }
        if (n == 0)
            break;
        used += static_cast<size_t>(n);
    }
    for (size_t pos = 0; pos < used;) {
        const auto *d = reinterpret_cast<const struct dirent64 *>(m_buffer.data() + pos);
        pos += d->d_reclen;
        const char *name = d->d_name;
        if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
            continue;
        m_entries.push_back(Entry {std::string_view(name), d->d_type});
    }
    return true;
}

void DirScanner::releaseEntries()
{
    m_entries = {};
    m_buffer = {};
}

bool DirScanner::statSelf(struct stat *st) const
{
    return ::fstat(m_fd, st) == 0;
}

Result<std::shared_ptr<LayerDir>> DirScanner::openDir(std::string_view name) const
{
    auto opened = openChild(m_fd, name);
    if (!opened)
        return opened.error();
    return std::shared_ptr<LayerDir>(std::make_shared<DirScanner>(std::move(opened.value())));
}

bool DirScanner::statEntry(std::string_view name, struct stat *st) const
{
    const CName c(name);
    return ::fstatat(m_fd, c.buf, st, AT_SYMLINK_NOFOLLOW) == 0;
}

QByteArray DirScanner::readLink(std::string_view name) const
{
    const CName c(name);
    QByteArray target(256, '\0');
    for (;;) {
        const ssize_t n = ::readlinkat(m_fd, c.buf, target.data(), static_cast<size_t>(target.size()));
        if (n < 0)
            return {};
        if (n < target.size()) {
            target.truncate(n);
            return target;
        }
        target.resize(target.size() * 2);
    }
}

OverlayXattrs DirScanner::entryXattrs(std::string_view name, XattrNamespace ns) const
{
    const CName c(name);
    return OverlayXattrs::readAt(m_fd, c.buf, ns);
}

OverlayXattrs DirScanner::dirXattrs(XattrNamespace ns) const
{
    return OverlayXattrs::readFd(m_fd, ns);
}

bool DirScanner::isWhiteout(const struct stat &st)
{
    return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

} // namespace strata
