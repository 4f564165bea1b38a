// SPDX-License-Identifier: GPL-2.0-or-later
#include "layerextractor.h"

#include "core/fs/pathparts.h"
#include "core/layer/bytestream.h"
#include "core/util/scancontrol.h"

#include <QString>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace strata
{

namespace
{

constexpr std::size_t NameMax = 255;
constexpr qsizetype ListMax = 200; // refusals and warnings kept; the rest are counted

// The parts of a member's name (PathParts::split), or why it is refused: an empty string when
// the name is acceptable.
QString split(const QByteArray &path, std::vector<std::string_view> &parts)
{
    const bool onlySlashes = std::all_of(path.cbegin(), path.cend(), [](char c) { return c == '/'; });
    if (path.startsWith('/') && !onlySlashes) { // "/" alone is the root, as "./" is
        parts.clear();
        return QStringLiteral("an absolute name");
    }
    if (!PathParts::split(path, parts))
        return QStringLiteral("\"..\" leads out of the layer");
    for (const std::string_view p : parts) {
        if (p.size() > NameMax)
            return QStringLiteral("a name longer than %1 bytes").arg(NameMax);
    }
    return {};
}

bool isWhiteoutDevice(const struct stat &st)
{
    return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

} // namespace

LayerExtractor::LayerExtractor(int dirFd, Options options) : m_root(dirFd), m_options(options)
{
    m_root.setWalkOnly(options.walkOnly);
}

void LayerExtractor::refuse(const QByteArray &path, const QString &why)
{
    if (m_summary.refused.size() < ListMax)
        m_summary.refused << QStringLiteral("entry \"%1\": refused: %2").arg(PathParts::shown(path), why);
    else if (m_summary.refused.size() == ListMax)
        m_summary.refused << QStringLiteral("… and more refused members");
}

void LayerExtractor::warn(const QByteArray &path, const QString &what)
{
    if (m_summary.warnings.size() < ListMax)
        m_summary.warnings << QStringLiteral("entry \"%1\": %2").arg(PathParts::shown(path), what);
}

void LayerExtractor::fail(const QString &why)
{
    if (m_failure.isEmpty())
        m_failure = why;
}

Status LayerExtractor::extract(ByteStream &in, ScanControl *control)
{
    const TarReader::DataVisitor visit = [this, control](const TarEntry &e, TarReader::Data &data) {
        if (control) {
            control->addEntries(1);
            if (control->isCancelled())
                return false;
        }
        return member(e, data);
    };
    Status st = TarReader::readWithData(in, visit, m_summary.info, control);
    if (m_duplicates > 0)
        m_summary.warnings << QStringLiteral(
            "entry \"%1\": %2 member(s) name a path an earlier member has; the last one wins")
                                  .arg(PathParts::shown(m_firstDuplicate))
                                  .arg(m_duplicates);
    finishDirs();
    if (!m_failure.isEmpty())
        return Error {EIO, m_failure};
    if (control && control->isCancelled())
        return Error {ECANCELED, QStringLiteral("cancelled")};
    return st;
}

bool LayerExtractor::member(const TarEntry &e, TarReader::Data &data)
{
    const QString bad = split(e.path, m_parts);
    if (!bad.isEmpty()) {
        refuse(e.path, bad);
        return true;
    }
    if (m_parts.empty()) {
        if (e.type == EntryType::Directory && !e.hardlink)
            pendDir(PendingDir {{}, e.mode, e.uid, e.gid, e.mtime, e.xattrs});
        else
            refuse(e.path, QStringLiteral("the layer's root can only be a directory"));
        return true;
    }
    const std::string_view base = m_parts.back();
    const std::size_t depth = m_parts.size() - 1;
    // Inside AUFS metadata (.wh..wh.plnk/…): nothing of the image.
    if (std::any_of(m_parts.cbegin(), m_parts.cbegin() + static_cast<std::ptrdiff_t>(depth), [](std::string_view p) {
            return p.starts_with(".wh..wh.");
        }))
        return true;
    auto parent = m_root.dir(m_parts, depth, true);
    if (!parent && parent.error().code == ENOTDIR && reviveWhiteouts(depth))
        parent = m_root.dir(m_parts, depth, true);
    if (!parent) {
        refuse(e.path, QStringLiteral("it goes through %1").arg(parent.error().message));
        return true;
    }
    if (base.starts_with(".wh.")) {
        marker(e, *parent, base);
        return true;
    }
    const std::string name(base);
    // Regular files, most members, are created first and replace what is there only when
    // something is (EEXIST): one lookup less per file.
    if (!e.hardlink && (e.type == EntryType::File || e.type == EntryType::Unknown))
        return writeFile(e, *parent, name, data);
    if (!replace(e, *parent, name))
        return m_failure.isEmpty();
    if (e.hardlink || e.type == EntryType::Symlink) {
        makeLink(e, *parent, name);
    } else if (e.type == EntryType::Directory) {
        if (::mkdirat(*parent, name.c_str(), 0700) != 0) {
            fail(QStringLiteral("%1: cannot make the directory: %2")
                     .arg(PathParts::shown(e.path), QString::fromLocal8Bit(std::strerror(errno))));
            return false;
        }
        ++m_summary.directories;
        pendDir(PendingDir {PathParts::joined(m_parts, m_parts.size()), e.mode, e.uid, e.gid, e.mtime, e.xattrs});
    } else {
        makeOther(e, *parent, name);
    }
    return m_failure.isEmpty();
}

bool LayerExtractor::reviveWhiteouts(std::size_t depth)
{
    bool revived = false;
    for (std::size_t i = 0; i < depth; ++i) {
        auto at = m_root.openDir(m_parts, i);
        if (!at)
            return revived;
        const std::string name(m_parts[i]);
        struct stat st {
        };
        // Deleted below and made again in this layer, as a parent: an opaque directory (TarLayer).
        if (::fstatat(*at, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && isWhiteoutDevice(st)
            && ::unlinkat(*at, name.c_str(), 0) == 0 && ::mkdirat(*at, name.c_str(), 0755) == 0) {
            const int fd = ::openat(*at, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd >= 0) {
                TarEntry e;
                e.path = QByteArray::fromStdString(PathParts::joined(m_parts, i + 1));
                setOpaque(fd, e);
                ::close(fd);
            }
            --m_summary.whiteouts;
            revived = true;
        }
        ::close(*at);
    }
    return revived;
}

void LayerExtractor::marker(const TarEntry &e, int parent, std::string_view base)
{
    if (base == ".wh..wh..opq") {
        setOpaque(parent, e);
        return;
    }
    if (base.starts_with(".wh..wh."))
        return; // AUFS metadata (.wh..wh.plnk): no file of the image
    const std::string name(base.substr(4));
    if (name.empty() || name == "." || name == "..") {
        refuse(e.path, QStringLiteral("a whiteout of no name"));
        return;
    }
    whiteout(e, parent, name);
}

void LayerExtractor::whiteout(const TarEntry &e, int parent, const std::string &name)
{
    struct stat st {
    };
    if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
        // A whiteout only hides lower layers: what this layer has under the name stays.
        if (S_ISDIR(st.st_mode)) {
            const int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd >= 0) {
                setOpaque(fd, e);
                ::close(fd);
            }
        }
        return;
    }
    if (::mknodat(parent, name.c_str(), S_IFCHR, makedev(0, 0)) == 0) {
        if (m_options.privileged && ::fchownat(parent, name.c_str(), e.uid, e.gid, AT_SYMLINK_NOFOLLOW) != 0)
            warn(e.path, QStringLiteral("owner not set: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        ++m_summary.whiteouts;
        return;
    }
    if (errno != EPERM) {
        fail(QStringLiteral("%1: cannot make the whiteout: %2")
                 .arg(PathParts::shown(e.path), QString::fromLocal8Bit(std::strerror(errno))));
        return;
    }
    // No mknod here: overlay's xattr whiteout, in a directory marked as holding them.
    const QByteArray prefix = OverlayXattrs::prefix(m_options.xattrs);
    const QByteArray whiteoutName = prefix + "whiteout";
    const QByteArray opaqueName = prefix + "opaque";
    const int fd = ::openat(parent, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 || ::fsetxattr(fd, whiteoutName.constData(), "", 0, 0) != 0
        || (::fsetxattr(parent, opaqueName.constData(), "x", 1, XATTR_CREATE) != 0 && errno != EEXIST))
        warn(e.path,
            QStringLiteral("the whiteout could not be made: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    else
        ++m_summary.whiteouts;
    if (fd >= 0)
        ::close(fd);
}

bool LayerExtractor::replace(const TarEntry &e, int parent, const std::string &name)
{
    struct stat st {
    };
    if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return true;
    const bool dir = e.type == EntryType::Directory && !e.hardlink;
    if (S_ISDIR(st.st_mode) && dir) {
        // The same directory again: its newest header wins.
        pendDir(PendingDir {PathParts::joined(m_parts, m_parts.size()), e.mode, e.uid, e.gid, e.mtime, e.xattrs});
        return false;
    }
    const bool wasWhiteout = isWhiteoutDevice(st);
    if (!wasWhiteout && m_duplicates++ == 0)
        m_firstDuplicate = e.path;
    // `parent` is the directory BeneathDir keeps open: what goes is inside it, never it.
    const int err = BeneathDir::removeAt(parent, name.c_str());
    if (err != 0) {
        fail(QStringLiteral("%1: cannot replace the earlier member: %2")
                 .arg(PathParts::shown(e.path), QString::fromLocal8Bit(std::strerror(err))));
        return false;
    }
    if (wasWhiteout)
        --m_summary.whiteouts;
    if (wasWhiteout && dir) {
        // Deleted below and made again in this layer: a new, opaque directory (as TarLayer).
        if (::mkdirat(parent, name.c_str(), 0700) != 0) {
            fail(QStringLiteral("%1: cannot make the directory").arg(PathParts::shown(e.path)));
            return false;
        }
        const int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            setOpaque(fd, e);
            ::close(fd);
        }
        ++m_summary.directories;
        pendDir(PendingDir {PathParts::joined(m_parts, m_parts.size()), e.mode, e.uid, e.gid, e.mtime, e.xattrs});
        return false;
    }
    return true;
}

bool LayerExtractor::writeFile(const TarEntry &e, int parent, const std::string &name, TarReader::Data &data)
{
    if (m_options.budget && m_options.budget->fetch_sub(e.size) < e.size) {
        m_options.budget->fetch_add(e.size);
        refuse(e.path, QStringLiteral("%1 bytes, more than the disk can still take").arg(e.size));
        return true;
    }
    constexpr int Create = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    int fd = ::openat(parent, name.c_str(), Create, 0600);
    if (fd < 0 && errno == EEXIST) {
        if (!replace(e, parent, name))
            return m_failure.isEmpty();
        fd = ::openat(parent, name.c_str(), Create, 0600);
    }
    if (fd < 0) {
        fail(QStringLiteral("%1: cannot create: %2")
                 .arg(PathParts::shown(e.path), QString::fromLocal8Bit(std::strerror(errno))));
        return false;
    }
    TarReader::Data::Block block;
    std::int64_t end = 0;
    while (data.next(block)) {
        for (std::size_t done = 0; done < block.size;) {
            const ssize_t n = ::pwrite(fd,
                block.bytes + done,
                block.size - done,
                static_cast<off_t>(block.offset + static_cast<std::int64_t>(done)));
            if (n <= 0) {
                fail(QStringLiteral("%1: cannot write: %2")
                         .arg(PathParts::shown(e.path), QString::fromLocal8Bit(std::strerror(n < 0 ? errno : ENOSPC))));
                ::close(fd);
                return false;
            }
            done += static_cast<std::size_t>(n);
        }
        end = std::max(end, block.offset + static_cast<std::int64_t>(block.size));
        m_summary.bytes += static_cast<qint64>(block.size);
    }
    if (!data.error().isEmpty()) {
        fail(QStringLiteral("%1: %2").arg(PathParts::shown(e.path), data.error()));
        ::close(fd);
        return false;
    }
    if (end < e.size && ::ftruncate(fd, e.size) != 0) // a sparse file's hole at its end
        warn(e.path, QStringLiteral("its size could not be set"));
    setXattrs(fd, e.xattrs, e.path);
    setMetadata(fd, e);
    ::close(fd);
    ++m_summary.files;
    return m_failure.isEmpty();
}

void LayerExtractor::makeLink(const TarEntry &e, int parent, const std::string &name)
{
    if (!e.hardlink) {
        if (::symlinkat(e.linkTarget.constData(), parent, name.c_str()) != 0) {
            fail(QStringLiteral("%1: cannot make the symbolic link: %2")
                     .arg(PathParts::shown(e.path), QString::fromLocal8Bit(std::strerror(errno))));
            return;
        }
        if (m_options.privileged && ::fchownat(parent, name.c_str(), e.uid, e.gid, AT_SYMLINK_NOFOLLOW) != 0)
            warn(e.path, QStringLiteral("owner not set"));
        const struct timespec times[2] = {{e.mtime, 0}, {e.mtime, 0}};
        ::utimensat(parent, name.c_str(), times, AT_SYMLINK_NOFOLLOW);
        ++m_summary.symlinks;
        return;
    }
    // A hard link: to a member this layer already holds, found below the layer as any name.
    std::vector<std::string_view> target;
    const QString bad = split(e.linkTarget, target);
    if (!bad.isEmpty() || target.empty()) {
        refuse(e.path, QStringLiteral("a hard link to \"%1\", outside the layer").arg(PathParts::shown(e.linkTarget)));
        return;
    }
    auto dir = m_root.openDir(target, target.size() - 1);
    if (!dir) {
        refuse(e.path, QStringLiteral("a hard link through %1").arg(dir.error().message));
        return;
    }
    const std::string targetName(target.back());
    struct stat st {
    };
    const bool held = ::fstatat(*dir, targetName.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !isWhiteoutDevice(st);
    if (!held) {
        // As TarLayer shows it: an empty file under the link's header.
        warn(e.path,
            QStringLiteral("a hard link to \"%1\", which this layer does not hold: written as an empty file")
                .arg(PathParts::shown(e.linkTarget)));
        TarEntry empty = e;
        empty.hardlink = false;
        empty.size = 0;
        ::close(*dir);
        TarReader::Data none = TarReader::Data::empty();
        writeFile(empty, parent, name, none);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        refuse(e.path, QStringLiteral("a hard link to the directory \"%1\"").arg(PathParts::shown(e.linkTarget)));
    } else if (::linkat(*dir, targetName.c_str(), parent, name.c_str(), 0) != 0) {
        fail(QStringLiteral("%1: cannot make the hard link: %2")
                 .arg(PathParts::shown(e.path), QString::fromLocal8Bit(std::strerror(errno))));
    } else {
        ++m_summary.hardlinks;
    }
    ::close(*dir);
}

void LayerExtractor::makeOther(const TarEntry &e, int parent, const std::string &name)
{
    mode_t kind = 0;
    switch (e.type) {
    case EntryType::Fifo:
        kind = S_IFIFO;
        break;
    case EntryType::CharDevice:
        kind = S_IFCHR;
        break;
    case EntryType::BlockDevice:
        kind = S_IFBLK;
        break;
    case EntryType::Socket:
    case EntryType::Whiteout:
    case EntryType::File:
    case EntryType::Directory:
    case EntryType::Symlink:
    case EntryType::Unknown:
        refuse(e.path, QStringLiteral("a %1 cannot be unpacked").arg(entryTypeName(e.type)));
        return;
    }
    if (kind != S_IFIFO && !m_options.privileged) {
        refuse(e.path, QStringLiteral("a device node, which only root may make"));
        return;
    }
    if (::mknodat(parent, name.c_str(), kind | 0600, kind == S_IFIFO ? 0 : e.rdev) != 0) {
        refuse(e.path, QStringLiteral("mknod: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        return;
    }
    // A fifo would block an open for writing, a device node must not be opened: by name.
    if (m_options.privileged && ::fchownat(parent, name.c_str(), e.uid, e.gid, AT_SYMLINK_NOFOLLOW) != 0)
        warn(e.path, QStringLiteral("owner not set"));
    ::fchmodat(parent, name.c_str(), e.mode & 07777, 0);
    const struct timespec times[2] = {{e.mtime, 0}, {e.mtime, 0}};
    ::utimensat(parent, name.c_str(), times, AT_SYMLINK_NOFOLLOW);
    ++m_summary.others;
}

void LayerExtractor::setOpaque(int dirFd, const TarEntry &e)
{
    const QByteArray name = OverlayXattrs::prefix(m_options.xattrs) + "opaque";
    if (::fsetxattr(dirFd, name.constData(), "y", 1, 0) != 0) {
        fail(
            QStringLiteral("%1: cannot mark the directory opaque (%2): %3")
                .arg(
                    PathParts::shown(e.path), QString::fromLatin1(name), QString::fromLocal8Bit(std::strerror(errno))));
        return;
    }
    ++m_summary.opaque;
}

void LayerExtractor::setMetadata(int fd, const TarEntry &e)
{
    if (m_options.privileged && ::fchown(fd, e.uid, e.gid) != 0)
        warn(e.path, QStringLiteral("owner not set: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    // After the owner: chown drops set-user-ID bits.
    if (::fchmod(fd, e.mode & 07777) != 0)
        warn(e.path, QStringLiteral("mode not set: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    const struct timespec times[2] = {{e.mtime, 0}, {e.mtime, 0}};
    ::futimens(fd, times);
}

void LayerExtractor::setXattrs(int fd, const QVector<QPair<QByteArray, QByteArray>> &xattrs, const QByteArray &path)
{
    for (const auto &[name, value] : xattrs) {
        const std::string_view n(name.constData(), static_cast<std::size_t>(name.size()));
        // Overlay's own xattrs would change what the merge shows: only whiteouts say that.
        if (OverlayXattrs::isPrivateName(n, XattrNamespace::Trusted)
            || OverlayXattrs::isPrivateName(n, XattrNamespace::User)) {
            refuse(path, QStringLiteral("the xattr %1 (overlay's own) is not written").arg(QString::fromUtf8(name)));
            continue;
        }
        if (::fsetxattr(fd, name.constData(), value.constData(), static_cast<std::size_t>(value.size()), 0) != 0)
            warn(path,
                QStringLiteral("xattr %1 not set: %2")
                    .arg(QString::fromUtf8(name), QString::fromLocal8Bit(std::strerror(errno))));
    }
}

void LayerExtractor::pendDir(PendingDir dir)
{
    const auto [it, added] = m_dirIndex.try_emplace(dir.path, m_dirs.size());
    if (added)
        m_dirs.push_back(std::move(dir));
    else
        m_dirs[it->second] = std::move(dir);
}

void LayerExtractor::finishDirs()
{
    // Deepest last made first: a read-only mode never stops what is below it.
    std::vector<std::string_view> parts;
    for (auto it = m_dirs.rbegin(); it != m_dirs.rend(); ++it) {
        const QByteArray path = QByteArray::fromStdString(it->path);
        if (!split(path, parts).isEmpty())
            continue;
        const auto opened = m_root.openDir(parts, parts.size());
        if (!opened)
            continue; // replaced by a later member
        const int fd = *opened;
        TarEntry e;
        e.path = path.isEmpty() ? QByteArrayLiteral(".") : path;
        e.mode = it->mode;
        e.uid = it->uid;
        e.gid = it->gid;
        e.mtime = it->mtime;
        setXattrs(fd, it->xattrs, e.path);
        setMetadata(fd, e);
        ::close(fd);
    }
    m_dirs.clear();
    m_dirIndex.clear();
}

} // namespace strata
