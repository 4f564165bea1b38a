// SPDX-License-Identifier: GPL-2.0-or-later
#include "beneathdir.h"

#include "core/fs/pathparts.h"

#include <QString>

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace strata
{

namespace
{

constexpr int DirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

long openBeneath(int root, const char *path)
{
    struct open_how how {
    };
    how.flags = DirFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    return ::syscall(SYS_openat2, root, path, &how, sizeof how);
}

// One component below `at`: made when missing and `create`; never a symlink (O_NOFOLLOW).
int openComponent(int at, const std::string &name, bool create)
{
    int fd = ::openat(at, name.c_str(), DirFlags);
    if (fd < 0 && errno == ENOENT && create) {
        const bool made = ::mkdirat(at, name.c_str(), 0755) == 0;
        if (!made && errno != EEXIST)
            return -1;
        fd = ::openat(at, name.c_str(), DirFlags);
        if (fd >= 0 && made)
            ::fchmod(fd, 0755); // whatever the umask: as a layer tar's implied directories
    }
    return fd;
}

Error refusal(int err, const std::string &path)
{
    const QString shown = QString::fromUtf8(path.data(), static_cast<qsizetype>(path.size()));
    if (err == ELOOP || err == ENOTDIR)
        return Error {err, QStringLiteral("\"%1\", which is not a directory (a file or a symbolic link)").arg(shown)};
    return Error::fromErrno(err, shown);
}

} // namespace

BeneathDir::~BeneathDir()
{
    forget();
    if (m_fd >= 0)
        ::close(m_fd);
}

void BeneathDir::forget()
{
    if (m_cachedFd >= 0)
        ::close(m_cachedFd);
    m_cachedFd = -1;
    m_cachedPath.clear();
}

bool BeneathDir::hasOpenat2()
{
    static const bool has = [] {
        const long fd = openBeneath(AT_FDCWD, "/");
        if (fd >= 0)
            ::close(static_cast<int>(fd));
        return !(fd < 0 && errno == ENOSYS);
    }();
    return has;
}

Result<int> BeneathDir::dir(const std::vector<std::string_view> &parts, std::size_t count, bool create)
{
    if (count == 0)
        return m_fd;
    std::string path = PathParts::joined(parts, count);
    if (m_cachedFd >= 0 && path == m_cachedPath)
        return m_cachedFd;
    forget();
    auto fd = open(parts, count, create);
    if (!fd)
        return fd.error();
    m_cachedFd = *fd;
    m_cachedPath = std::move(path);
    return m_cachedFd;
}

Result<int> BeneathDir::openDir(const std::vector<std::string_view> &parts, std::size_t count) const
{
    if (count == 0) {
        const int fd = ::fcntl(m_fd, F_DUPFD_CLOEXEC, 0);
        if (fd < 0)
            return Error::fromErrno(errno, QStringLiteral("dup"));
        return fd;
    }
    return open(parts, count, false);
}

Result<int> BeneathDir::open(const std::vector<std::string_view> &parts, std::size_t count, bool create) const
{
    if (!m_walkOnly && hasOpenat2()) {
        const long fd = openBeneath(m_fd, PathParts::joined(parts, count).c_str());
        if (fd >= 0)
            return static_cast<int>(fd);
        if (!(errno == ENOENT && create))
            return refusal(errno, PathParts::joined(parts, count));
    }
    return walk(parts, count, create);
}

Result<int> BeneathDir::walk(const std::vector<std::string_view> &parts, std::size_t count, bool create) const
{
    int at = m_fd;
    std::string path;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string name(parts[i]);
        path += (i > 0 ? "/" : "") + name;
        const int fd = openComponent(at, name, create);
        const int err = errno;
        if (at != m_fd)
            ::close(at);
        if (fd < 0)
            return refusal(err, path);
        at = fd;
    }
    return at;
}

int BeneathDir::removeAt(int dirFd, const char *name)
{
    if (::unlinkat(dirFd, name, 0) == 0)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return errno;
    const int fd = ::openat(dirFd, name, DirFlags);
    if (fd < 0)
        return errno;
    DIR *d = ::fdopendir(fd);
    if (!d) {
        const int err = errno;
        ::close(fd);
        return err;
    }
    int err = 0;
    while (struct dirent *e = ::readdir(d)) {
        const std::string_view n(e->d_name);
        if (n == "." || n == "..")
            continue;
        err = removeAt(::dirfd(d), e->d_name);
        if (err != 0)
            break;
    }
    ::closedir(d);
    if (err == 0 && ::unlinkat(dirFd, name, AT_REMOVEDIR) != 0)
        err = errno;
    return err;
}

} // namespace strata
