// SPDX-License-Identifier: GPL-2.0-or-later
#include "uppertar.h"

#include "core/layer/tarwriter.h"
#include "core/util/filename.h"

#include <QHash>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <vector>

namespace strata
{

namespace
{

constexpr int DirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

class Walker final
{
public:
    Walker(XattrNamespace ns, TarWriter &out) : m_ns(ns), m_out(out) { }

    Status dir(int fd, const QByteArray &prefix)
    {
        std::vector<std::string> names;
        const int listFd = ::dup(fd);
        DIR *d = ::fdopendir(listFd);
        if (!d)
            return Error::fromErrno(errno, QString::fromUtf8(prefix));
        while (struct dirent *e = ::readdir(d)) {
            const std::string n(e->d_name);
            if (n != "." && n != "..")
                names.push_back(n);
        }
        ::closedir(d);
        std::sort(names.begin(), names.end());
        for (const std::string &n : names) {
            if (Status st = entry(fd, prefix, n); !st)
                return st;
        }
        return {};
    }

    UpperTar::Summary m_summary;

private:
    Status entry(int parent, const QByteArray &prefix, const std::string &name)
    {
        const QByteArray path = prefix + QByteArray::fromStdString(name);
        struct stat st {
        };
        if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            return Error::fromErrno(errno, QString::fromUtf8(path));
        TarWriter::Header h;
        h.name = path;
        h.mode = st.st_mode;
        h.uid = st.st_uid;
        h.gid = st.st_gid;
        h.mtime = st.st_mtim.tv_sec;
        if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0))
            return whiteout(prefix, name, st);
        if (S_ISDIR(st.st_mode))
            return directory(parent, name, h);
        if (S_ISLNK(st.st_mode)) {
            char target[4097];
            const ssize_t n = ::readlinkat(parent, name.c_str(), target, sizeof target - 1);
            if (n < 0)
                return Error::fromErrno(errno, QString::fromUtf8(path));
            h.link = QByteArray(target, n);
            ++m_summary.entries;
            return m_out.add(h);
        }
        if (S_ISREG(st.st_mode))
            return file(parent, name, h, st);
        if (S_ISSOCK(st.st_mode)) {
            m_summary.warnings << QStringLiteral("%1: a socket, left out").arg(QString::fromUtf8(path));
            return {};
        }
        h.rdev = st.st_rdev;
        ++m_summary.entries;
        return m_out.add(h);
    }

    Status whiteout(const QByteArray &prefix, const std::string &name, const struct stat &st)
    {
        TarWriter::Header h;
        h.name = prefix + ".wh." + QByteArray::fromStdString(name);
        h.mode = S_IFREG | 0600;
        h.uid = st.st_uid;
        h.gid = st.st_gid;
        h.mtime = st.st_mtim.tv_sec;
        ++m_summary.whiteouts;
        ++m_summary.entries;
        return m_out.add(h);
    }

    Status directory(int parent, const std::string &name, TarWriter::Header &h)
    {
        const int fd = ::openat(parent, name.c_str(), DirFlags);
        if (fd < 0)
            return Error::fromErrno(errno, QString::fromUtf8(h.name));
        const QByteArray own = OverlayXattrs::prefix(m_ns);
        if (xattr(fd, own + "redirect").has_value()) {
            ::close(fd);
            return Error {ENOTSUP,
                QStringLiteral("%1: a renamed directory (overlay.redirect): mount with redirect_dir=off to commit")
                    .arg(QString::fromUtf8(h.name))};
        }
        const std::optional<QByteArray> opaque = xattr(fd, own + "opaque");
        h.xattrs = xattrs(fd);
        h.name += '/';
        ++m_summary.entries;
        Status st = m_out.add(h);
        if (st && opaque && *opaque == "y") {
            TarWriter::Header marker = h;
            marker.name += ".wh..wh..opq";
            marker.mode = S_IFREG | (h.mode & 0777);
            marker.xattrs.clear();
            ++m_summary.opaque;
            st = m_out.add(marker);
        }
        if (st)
            st = dir(fd, h.name);
        ::close(fd);
        return st;
    }

    Status file(int parent, const std::string &name, TarWriter::Header &h, const struct stat &st)
    {
        const int fd = ::openat(parent, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            return Error::fromErrno(errno, QString::fromUtf8(h.name));
        const QByteArray own = OverlayXattrs::prefix(m_ns);
        Status result;
        if (xattr(fd, own + "metacopy").has_value()) {
            result = Error {ENOTSUP,
                QStringLiteral("%1: a metadata-only copy (overlay.metacopy): mount with metacopy=off to commit")
                    .arg(QString::fromUtf8(h.name))};
        } else if (st.st_size == 0 && xattr(fd, own + "whiteout").has_value()) {
            result = whiteout(h.name.left(h.name.lastIndexOf('/') + 1), name, st);
        } else {
            h.xattrs = xattrs(fd);
            h.size = st.st_size;
            const quint64 inode = st.st_ino;
            const auto first = m_inodes.constFind(inode);
            ++m_summary.entries;
            if (st.st_nlink > 1 && first != m_inodes.cend()) {
                h.hardlink = true;
                h.link = *first;
                result = m_out.add(h);
            } else {
                if (st.st_nlink > 1)
                    m_inodes.insert(inode, h.name);
                result = m_out.addFile(h, fd);
            }
        }
        ::close(fd);
        return result;
    }

    static std::optional<QByteArray> xattr(int fd, const QByteArray &name)
    {
        char value[4096];
        const ssize_t n = ::fgetxattr(fd, name.constData(), value, sizeof value);
        if (n < 0)
            return std::nullopt;
        return QByteArray(value, n);
    }

    // What the file carries of its own: overlay's private xattrs left out.
    QVector<QPair<QByteArray, QByteArray>> xattrs(int fd) const
    {
        QVector<QPair<QByteArray, QByteArray>> out;
        char names[8192];
        const ssize_t n = ::flistxattr(fd, names, sizeof names);
        for (ssize_t at = 0; at < n;) {
            const std::string_view name(names + at);
            at += static_cast<ssize_t>(name.size()) + 1;
            if (OverlayXattrs::isPrivateName(name, m_ns))
                continue;
            const QByteArray key(name.data(), static_cast<qsizetype>(name.size()));
            if (auto v = xattr(fd, key))
                out.push_back({key, *v});
        }
        return out;
    }

    XattrNamespace m_ns;
    TarWriter &m_out;
    QHash<quint64, QByteArray> m_inodes; // of files with several links: the first name written
};

} // namespace

Result<UpperTar::Summary> UpperTar::write(const QString &upper, XattrNamespace ns, TarWriter &out)
{
    const int fd = ::open(encodeFileName(upper).constData(), DirFlags);
    if (fd < 0)
        return Error::fromErrno(errno, upper);
    Walker walker(ns, out);
    const Status st = walker.dir(fd, {});
    ::close(fd);
    if (!st)
        return st.error();
    return walker.m_summary;
}

} // namespace strata
