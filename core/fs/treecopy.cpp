// SPDX-License-Identifier: GPL-2.0-or-later
#include "treecopy.h"

#include "core/fs/filedata.h"
#include "core/util/filename.h"

#include <QFile>
#include <QHash>
#include <QString>

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <utility>
#include <vector>

namespace strata
{

namespace
{

// Closes a descriptor when it goes out of scope.
class Fd final
{
public:
    explicit Fd(int fd = -1) : m_fd(fd) { }
    Fd(Fd &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) { }
    Fd &operator=(Fd &&other) noexcept
    {
        std::swap(m_fd, other.m_fd);
        return *this;
    }
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    [[nodiscard]] int get() const { return m_fd; }
    [[nodiscard]] bool ok() const { return m_fd >= 0; }

private:
    int m_fd;
};

Error failure(int err, const QByteArray &path, const char *what)
{
    return Error::fromErrno(err, QStringLiteral("%1 %2").arg(QLatin1String(what), decodeFileName(path)));
}

QList<QByteArray> names(int dirFd)
{
    QList<QByteArray> out;
    const int dup = ::dup(dirFd);
    DIR *d = dup >= 0 ? ::fdopendir(dup) : nullptr;
    if (!d) {
        if (dup >= 0)
            ::close(dup);
        return out;
    }
    ::rewinddir(d);
    while (dirent *e = ::readdir(d)) {
        const QByteArray n(e->d_name);
        if (n != "." && n != "..")
            out << n;
    }
    ::closedir(d);
    return out;
}

// Every extended attribute of `src` onto `dst`, through /proc/self/fd so symbolic links and
// devices need no open of their own.
Status copyXattrs(const QByteArray &src, const QByteArray &dst, const QByteArray &shown)
{
    const ssize_t size = ::llistxattr(src.constData(), nullptr, 0);
    if (size <= 0)
        return {};
    QByteArray list(size, '\0');
    const ssize_t got = ::llistxattr(src.constData(), list.data(), static_cast<size_t>(list.size()));
    if (got < 0)
        return {};
    for (const QByteArray &name : list.left(got).split('\0')) {
        if (name.isEmpty())
            continue;
        const ssize_t vs = ::lgetxattr(src.constData(), name.constData(), nullptr, 0);
        if (vs < 0)
            continue;
        QByteArray value(vs, '\0');
        const ssize_t vg = ::lgetxattr(src.constData(), name.constData(), value.data(), static_cast<size_t>(vs));
        if (vg < 0)
            continue;
        if (::lsetxattr(dst.constData(), name.constData(), value.constData(), static_cast<size_t>(vg), 0) != 0
            && errno != ENOTSUP && !(errno == EPERM && name.startsWith("security.")))
            return failure(errno, shown, "setxattr");
    }
    return {};
}

class Copier final
{
public:
    explicit Copier(ScanControl *control) : m_control(control) { }
    Status copyDir(int fromFd, int toFd, const QByteArray &fromPath, const QByteArray &toPath);

private:
    Status copyEntry(
        int fromFd, int toFd, const QByteArray &name, const QByteArray &fromPath, const QByteArray &toPath);
    Status finish(const struct stat &st, const QByteArray &dst, const QByteArray &shown, bool isLink);

    ScanControl *m_control;
    QHash<QPair<dev_t, ino_t>, QByteArray> m_links; // first copy of each multiply-linked inode
};

Status Copier::finish(const struct stat &st, const QByteArray &dst, const QByteArray &shown, bool isLink)
{
    // Owners only stick for root (or in a user namespace that maps them); the rest stays.
    (void)::lchown(dst.constData(), st.st_uid, st.st_gid);
    if (Status s = copyXattrs(shown, dst, shown); !s.ok())
        return s;
    if (!isLink && ::chmod(dst.constData(), st.st_mode & 07777) != 0)
        return failure(errno, dst, "chmod");
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    (void)::utimensat(AT_FDCWD, dst.constData(), times, AT_SYMLINK_NOFOLLOW);
    return {};
}

Status Copier::copyEntry(
    int fromFd, int toFd, const QByteArray &name, const QByteArray &fromPath, const QByteArray &toPath)
{
    const QByteArray src = fromPath + '/' + name;
    const QByteArray dst = toPath + '/' + name;
    struct stat st {
    };
    if (::fstatat(fromFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return failure(errno, src, "stat");
    if (m_control) {
        m_control->addEntries(1);
        if (m_control->isCancelled())
            return Error {ECANCELED, QStringLiteral("cancelled")};
    }
    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
        const auto key = qMakePair(st.st_dev, st.st_ino);
        if (const auto it = m_links.constFind(key); it != m_links.cend()) {
            if (::link(it->constData(), dst.constData()) != 0)
                return failure(errno, dst, "link");
            return {};
        }
        m_links.insert(key, dst);
    }
    if (S_ISDIR(st.st_mode)) {
        if (::mkdirat(toFd, name.constData(), 0700) != 0)
            return failure(errno, dst, "mkdir");
        constexpr int DirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        Fd sub(::openat(fromFd, name.constData(), DirFlags));
        // A directory its owner closed (mode 000) is opened for the copy, and closed again after.
        const bool closed = !sub.ok() && errno == EACCES && ::fchmodat(fromFd, name.constData(), 0700, 0) == 0;
        if (closed)
            sub = Fd(::openat(fromFd, name.constData(), DirFlags));
        Fd subTo(::openat(toFd, name.constData(), DirFlags));
        Status s = !sub.ok() ? Status(failure(errno, src, "open"))
            : !subTo.ok()    ? Status(failure(errno, dst, "open"))
                             : copyDir(sub.get(), subTo.get(), src, dst);
        if (closed)
            (void)::fchmodat(fromFd, name.constData(), st.st_mode & 07777, 0);
        if (!s.ok())
            return s;
    } else if (S_ISREG(st.st_mode)) {
        Fd in(::openat(fromFd, name.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!in.ok())
            return failure(errno, src, "open");
        Fd out(::openat(toFd, name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!out.ok())
            return failure(errno, dst, "create");
        // Holes stay holes: a snapshot of a sparse layer file costs what the file holds.
        if (const int err = FileData::copy(in.get(), out.get(), st.st_size))
            return failure(err, src, "copy");
    } else if (S_ISLNK(st.st_mode)) {
        QByteArray target(st.st_size + 1, '\0');
        const ssize_t n = ::readlinkat(fromFd, name.constData(), target.data(), static_cast<size_t>(target.size()));
        if (n < 0)
            return failure(errno, src, "readlink");
        target.truncate(n);
        if (::symlinkat(target.constData(), toFd, name.constData()) != 0)
            return failure(errno, dst, "symlink");
        return finish(st, dst, src, true);
    } else if (::mknodat(toFd, name.constData(), st.st_mode & S_IFMT, st.st_rdev) != 0) {
        return failure(errno, dst, "mknod");
    }
    return finish(st, dst, src, false);
}

Status Copier::copyDir(int fromFd, int toFd, const QByteArray &fromPath, const QByteArray &toPath)
{
    if (m_control)
        m_control->addDirectories(1);
    for (const QByteArray &name : names(fromFd)) {
        if (Status s = copyEntry(fromFd, toFd, name, fromPath, toPath); !s.ok())
            return s;
    }
    return {};
}

Status clearAt(int dirFd, const QByteArray &path)
{
    for (const QByteArray &name : names(dirFd)) {
        struct stat st {
        };
        if (::fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if ((st.st_mode & 0700) != 0700)
                (void)::fchmodat(dirFd, name.constData(), 0700, 0);
            Fd sub(::openat(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!sub.ok())
                return failure(errno, path + '/' + name, "open");
            if (Status s = clearAt(sub.get(), path + '/' + name); !s.ok())
                return s;
        }
        if (::unlinkat(dirFd, name.constData(), S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) != 0)
            return failure(errno, path + '/' + name, "remove");
    }
    return {};
}

} // namespace

Status TreeCopy::copyContents(const QByteArray &from, const QByteArray &to, ScanControl *control)
{
    Fd in(::open(from.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!in.ok())
        return failure(errno, from, "open");
    Fd out(::open(to.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!out.ok())
        return failure(errno, to, "open");
    Copier copier(control);
    return copier.copyDir(in.get(), out.get(), from, to);
}

Status TreeCopy::clearContents(const QByteArray &dir)
{
    Fd fd(::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.ok())
        return failure(errno, dir, "open");
    return clearAt(fd.get(), dir);
}

} // namespace strata
