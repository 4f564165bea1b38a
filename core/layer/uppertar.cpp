// SPDX-License-Identifier: GPL-2.0-or-later
#include "uppertar.h"

#include "core/layer/tarwriter.h"
#include "core/merge/mergedtree.h"
#include "core/util/filename.h"

#include <QHash>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <optional>
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
    Walker(const QString &upper, const QStringList &lowers, XattrNamespace ns, TarWriter &out)
        : m_upper(upper), m_lowers(lowers), m_ns(ns), m_out(out)
    {
    }

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
    static TarWriter::Header headerOf(const QByteArray &name, const struct stat &st)
    {
        TarWriter::Header h;
        h.name = name;
        h.mode = st.st_mode;
        h.uid = st.st_uid;
        h.gid = st.st_gid;
        h.mtime = st.st_mtim.tv_sec;
        return h;
    }

    // `.wh..wh..opq` after an opaque directory's own entry.
    Status opaqueMarker(const TarWriter::Header &dir)
    {
        TarWriter::Header marker = dir;
        marker.name += ".wh..wh..opq";
        marker.mode = S_IFREG | (dir.mode & 0777);
        marker.xattrs.clear();
        ++m_summary.opaque;
        return m_out.add(marker);
    }

    Status entry(int parent, const QByteArray &prefix, const std::string &name)
    {
        const QByteArray path = prefix + QByteArray::fromStdString(name);
        struct stat st {
        };
        if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            return Error::fromErrno(errno, QString::fromUtf8(path));
        TarWriter::Header h = headerOf(path, st);
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
            return redirected(h.name);
        }
        const std::optional<QByteArray> opaque = xattr(fd, own + "opaque");
        h.xattrs = xattrs(fd);
        h.name += '/';
        ++m_summary.entries;
        Status st = m_out.add(h);
        if (st && opaque && *opaque == "y")
            st = opaqueMarker(h);
        if (st)
            st = dir(fd, h.name);
        ::close(fd);
        return st;
    }

    // The merged view of the upper and the lowers, redirects followed: built the first time a
    // redirected directory needs it.
    Status mergedView()
    {
        if (m_merged)
            return {};
        MergeLayers layers;
        MergeLayer top;
        top.path = m_upper;
        top.name = QStringLiteral("upper");
        top.role = LayerRole::Upper;
        layers << top;
        for (const QString &l : m_lowers) {
            MergeLayer lower;
            lower.path = l;
            lower.name = l;
            layers << lower;
        }
        MergeOptions options;
        options.xattrs = m_ns;
        options.followRedirects = true;
        auto tree = MergedTree::build(layers, options);
        if (!tree)
            return tree.error();
        m_summary.warnings << tree->warnings();
        m_merged.emplace(std::move(tree.value()));
        return {};
    }

    // A renamed directory: its whiteout at the old name is in the upper already; here the
    // new name, in full and opaque, from the merged view.
    Status redirected(const QByteArray &name)
    {
        if (Status st = mergedView(); !st)
            return st;
        const QByteArray path = '/' + name;
        const auto id = m_merged->find(std::string_view(path.constData(), static_cast<std::size_t>(path.size())));
        if (!id || !m_merged->node(*id).isDir())
            return Error {
                ENOENT, QStringLiteral("%1: a renamed directory not in the merged view").arg(QString::fromUtf8(name))};
        ++m_summary.redirects;
        return mergedDir(*id, name, true);
    }

    // One directory of the merged view and everything in it, each entry read where the merged
    // view finds it (the upper or a lower).
    Status mergedDir(NodeId id, const QByteArray &name, bool opaque)
    {
        const QByteArray disk = m_merged->diskPath(id);
        const int fd = ::open(disk.constData(), DirFlags);
        if (fd < 0)
            return Error::fromErrno(errno, QString::fromUtf8(name));
        struct stat st {
        };
        if (::fstat(fd, &st) != 0) {
            ::close(fd);
            return Error::fromErrno(errno, QString::fromUtf8(name));
        }
        TarWriter::Header h = headerOf(name + '/', st);
        h.xattrs = xattrs(fd);
        ::close(fd);
        ++m_summary.entries;
        Status result = m_out.add(h);
        if (result && opaque)
            result = opaqueMarker(h);
        const MergedNode &n = m_merged->node(id);
        for (std::uint32_t i = 0; result && i < n.childCount; ++i) {
            const NodeId c = n.firstChild + i;
            if (!m_merged->node(c).isVisible())
                continue;
            const std::string_view childName = m_merged->name(c);
            const QByteArray child = h.name + QByteArray(childName.data(), static_cast<qsizetype>(childName.size()));
            if (m_merged->node(c).isDir()) {
                result = mergedDir(c, child, false);
                continue;
            }
            // Only directories are redirected: the entry has its merged name in its layer.
            const QByteArray entryDisk = m_merged->diskPath(c);
            const int parent = ::open(entryDisk.left(entryDisk.lastIndexOf('/')).constData(), DirFlags);
            if (parent < 0)
                return Error::fromErrno(errno, QString::fromUtf8(child));
            result = entry(parent, h.name, std::string(childName));
            ::close(parent);
        }
        return result;
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
            const QPair<quint64, quint64> inode {st.st_dev, st.st_ino};
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

    QString m_upper;
    QStringList m_lowers;
    XattrNamespace m_ns;
    TarWriter &m_out;
    std::optional<MergedTree> m_merged;
    QHash<QPair<quint64, quint64>, QByteArray> m_inodes; // files with several links: the first name written
};

} // namespace

Result<UpperTar::Summary> UpperTar::write(
    const QString &upper, const QStringList &lowers, XattrNamespace ns, TarWriter &out)
{
    const int fd = ::open(encodeFileName(upper).constData(), DirFlags);
    if (fd < 0)
        return Error::fromErrno(errno, upper);
    Walker walker(upper, lowers, ns, out);
    const Status st = walker.dir(fd, {});
    ::close(fd);
    if (!st)
        return st.error();
    return walker.m_summary;
}

} // namespace strata
