// SPDX-License-Identifier: GPL-2.0-or-later
#include "overlayengine.h"

#include "core/fs/dirscanner.h"

#include <QFile>
#include <QSet>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace strata
{

namespace
{

QList<QByteArray> components(const QByteArray &path)
{
    QList<QByteArray> out;
    for (const QByteArray &c : path.split('/')) {
        if (!c.isEmpty() && c != ".")
            out << c;
    }
    return out;
}

QByteArray normal(const QByteArray &path)
{
    return '/' + components(path).join('/');
}

QByteArray parentOf(const QByteArray &path)
{
    const QByteArray n = normal(path);
    const qsizetype slash = n.lastIndexOf('/');
    return slash <= 0 ? QByteArrayLiteral("/") : n.left(slash);
}

QByteArray baseOf(const QByteArray &path)
{
    const QByteArray n = normal(path);
    return n.mid(n.lastIndexOf('/') + 1);
}

bool lstatPath(const QByteArray &p, struct stat *st)
{
    return ::lstat(p.constData(), st) == 0;
}

bool isWhiteout(const struct stat &st)
{
    return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

QString q(const QByteArray &b)
{
    return QFile::decodeName(b);
}

// Copies user-visible xattrs (not the overlay's own), as copy-up does.
void copyXattrs(const QByteArray &from, const QByteArray &to)
{
    char names[4096];
    const ssize_t len = ::llistxattr(from.constData(), names, sizeof names);
    for (ssize_t pos = 0; pos < len;) {
        const char *name = names + pos;
        pos += static_cast<ssize_t>(std::strlen(name)) + 1;
        if (std::strncmp(name, "trusted.overlay.", 16) == 0 || std::strncmp(name, "user.overlay.", 13) == 0
            || std::strncmp(name, "security.", 9) == 0)
            continue;
        char value[4096];
        const ssize_t vlen = ::lgetxattr(from.constData(), name, value, sizeof value);
        if (vlen >= 0)
            ::lsetxattr(to.constData(), name, value, static_cast<size_t>(vlen), 0);
    }
}

} // namespace

OverlayEngine::OverlayEngine(Config config) : m_config(std::move(config))
{
    m_upper = QFile::encodeName(m_config.upper);
    for (const QString &l : m_config.lowers)
        m_lowers << QFile::encodeName(l);
    m_workTmp = QFile::encodeName(m_config.work) + "/work";
}

QByteArray OverlayEngine::upperPath(const QByteArray &path) const
{
    const QByteArray n = normal(path);
    return n == "/" ? m_upper : m_upper + n;
}

QByteArray OverlayEngine::tempName()
{
    // Like the kernel's "#<hex>" temporaries in work/work.
    char buf[32];
    std::snprintf(
        buf, sizeof buf, "/#%llx", static_cast<unsigned long long>(++m_counter + (quint64(::getpid()) << 20)));
    ::mkdir(QFile::encodeName(m_config.work).constData(), 0755);
    ::mkdir(m_workTmp.constData(), 0700);
    return m_workTmp + buf;
}

void OverlayEngine::step(OverlayEvent::Kind kind,
    const QByteArray &path,
    const QString &from,
    const QString &explanation,
    const QByteArray &fromPath)
{
    if (!m_step)
        return;
    OverlayEvent e;
    e.kind = kind;
    e.path = q(path);
    if (!fromPath.isEmpty())
        e.fromPath = q(fromPath);
    e.fromLayer = from;
    e.toLayer = kind == OverlayEvent::Kind::WorkTemp ? (m_config.workName.isEmpty() ? m_config.work : m_config.workName)
                                                     : m_config.upperName;
    e.explanation = explanation;
    m_step(e);
}

OverlayEngine::Node OverlayEngine::resolve(const QByteArray &path) const
{
    Node cur;
    cur.exists = true;
    cur.type = EntryType::Directory;
    cur.upper = m_upper;
    cur.parentInUpper = true;
    for (int i = 0; i < m_lowers.size(); ++i)
        cur.lowers << LowerHit {i, m_lowers.at(i), EntryType::Directory};
    const int bottom = static_cast<int>(m_lowers.size()) - 1;
    const char *ns = m_config.xattrs == XattrNamespace::User ? "user.overlay." : "trusted.overlay.";
    auto getX = [ns](const QByteArray &p, const char *key) -> std::optional<QByteArray> {
        const QByteArray name = QByteArray(ns) + key;
        char buf[4096];
        const ssize_t n = ::lgetxattr(p.constData(), name.constData(), buf, sizeof buf);
        if (n < 0)
            return std::nullopt;
        return QByteArray(buf, n);
    };

    for (const QByteArray &name : components(path)) {
        if (!cur.exists) {
            Node n;
            n.error = ENOENT;
            return n;
        }
        if (cur.type != EntryType::Directory) {
            // Edits resolve paths without following symlinks (MergedOperation): ELOOP.
            Node n;
            n.error = cur.type == EntryType::Symlink ? ELOOP : ENOTDIR;
            return n;
        }
        Node next;
        next.parentInUpper = !cur.upper.isEmpty();
        bool stop = false;
        if (!cur.upper.isEmpty()) {
            const QByteArray up = cur.upper + '/' + name;
            struct stat st {
            };
            if (lstatPath(up, &st)) {
                if (isWhiteout(st)) {
                    next.upperWhiteout = true;
                    stop = true;
                } else {
                    next.exists = true;
                    next.type = entryTypeFromMode(st.st_mode);
                    next.upper = up;
                    if (next.type != EntryType::Directory) {
                        stop = true;
                    } else {
                        if (getX(up, "opaque").value_or(QByteArray()) == "y") {
                            next.opaque = true;
                            stop = true;
                        }
                        next.redirect = getX(up, "redirect").value_or(QByteArray());
                    }
                }
            }
        }
        if (!stop) {
            QByteArray look = name;
            bool absolute = false;
            if (!next.redirect.isEmpty()) {
                if (!m_config.followRedirects) {
                    next.error = EPERM; // the kernel refuses to follow it
                } else {
                    absolute = next.redirect.startsWith('/');
                    look = next.redirect;
                }
            }
            int lastLayer = -1;
            bool stopped = next.error != 0;
            auto consider = [&](int layer, const QByteArray &real) -> bool {
                struct stat st {
                };
                if (!lstatPath(real, &st))
                    return true; // not here: go on
                if (isWhiteout(st))
                    return false;
                const EntryType t = entryTypeFromMode(st.st_mode);
                if (t != EntryType::Directory) {
                    if (!next.exists) {
                        next.exists = true;
                        next.type = t;
                        next.lowers << LowerHit {layer, real, t};
                    }
                    return false;
                }
                if (next.exists && next.type != EntryType::Directory)
                    return false;
                next.exists = true;
                next.type = EntryType::Directory;
                next.lowers << LowerHit {layer, real, t};
                lastLayer = layer;
                if (layer == bottom)
                    return false;
                if (getX(real, "opaque").value_or(QByteArray()) == "y")
                    return false;
                if (const auto r = getX(real, "redirect"); r && m_config.followRedirects) {
                    absolute = r->startsWith('/');
                    look = *r;
                }
                return true;
            };
            if (!absolute) {
                for (const LowerHit &parent : cur.lowers) {
                    if (stopped)
                        break;
                    if (absolute) {
                        lastLayer = parent.layer - 1;
                        break;
                    }
                    if (!consider(parent.layer, parent.path + '/' + look))
                        stopped = true;
                }
            }
            if (absolute && !stopped) {
                for (int layer = lastLayer + 1; layer < m_lowers.size() && !stopped; ++layer) {
                    if (!consider(layer, m_lowers.at(layer) + look))
                        stopped = true;
                }
            }
        }
        cur = next;
    }
    return cur;
}

bool OverlayEngine::lowerPositive(const QByteArray &path) const
{
    // ovl_lower_positive(): is there something below upper at this name, in the parent's layers?
    const Node n = resolve(path);
    if (!n.exists)
        return n.upperWhiteout;
    if (n.upper.isEmpty())
        return true;
    const Node parent = resolve(parentOf(path));
    const QByteArray name = baseOf(path);
    for (const LowerHit &l : parent.lowers) {
        struct stat st {
        };
        if (lstatPath(l.path + '/' + name, &st))
            return !isWhiteout(st);
    }
    return false;
}

Result<QList<QByteArray>> OverlayEngine::list(const QByteArray &path) const
{
    const Node n = resolve(path);
    if (n.error)
        return Error {n.error, QString()};
    if (!n.exists)
        return Error {ENOENT, QString()};
    if (n.type != EntryType::Directory)
        return Error {ENOTDIR, QString()};
    QSet<QByteArray> names;
    QList<QByteArray> dirs;
    if (!n.upper.isEmpty())
        dirs << n.upper;
    for (const LowerHit &l : n.lowers)
        dirs << l.path;
    for (const QByteArray &d : dirs) {
        auto scanner = DirScanner::openRoot(d);
        if (!scanner || !scanner->readAll())
            continue;
        for (const DirScanner::Entry &e : scanner->entries())
            names.insert(QByteArray(e.name.data(), static_cast<qsizetype>(e.name.size())));
    }
    QList<QByteArray> out;
    const QByteArray base = normal(path) == "/" ? QByteArray() : normal(path);
    for (const QByteArray &name : names) {
        if (resolve(base + '/' + name).exists)
            out << name;
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool OverlayEngine::mergedEmpty(const QByteArray &path) const
{
    const auto l = list(path);
    return l.ok() && l->isEmpty();
}

Result<QByteArray> OverlayEngine::read(const QByteArray &path) const
{
    const Node n = resolve(path);
    if (n.error || !n.exists)
        return Error {n.error ? n.error : ENOENT, QString()};
    QFile f(QFile::decodeName(n.upper.isEmpty() ? n.lowers.first().path : n.upper));
    if (!f.open(QIODevice::ReadOnly))
        return Error {EACCES, f.errorString()};
    return f.readAll();
}

Result<OverlayEngine::Stat> OverlayEngine::stat(const QByteArray &path) const
{
    const Node n = resolve(path);
    if (n.error || !n.exists)
        return Error {n.error ? n.error : ENOENT, QString()};
    struct stat st {
    };
    if (!lstatPath(n.upper.isEmpty() ? n.lowers.first().path : n.upper, &st))
        return Error {errno, QString()};
    return Stat {entryTypeFromMode(st.st_mode), static_cast<std::uint32_t>(st.st_mode), st.st_size};
}

int OverlayEngine::setOpaque(const QByteArray &realPath)
{
    const QByteArray name = OverlayXattrs::prefix(m_config.xattrs) + "opaque";
    return ::lsetxattr(realPath.constData(), name.constData(), "y", 1, 0) == 0 ? 0 : EIO;
}

int OverlayEngine::setRedirect(const QByteArray &realPath, const QByteArray &value)
{
    const QByteArray name = OverlayXattrs::prefix(m_config.xattrs) + "redirect";
    return ::lsetxattr(realPath.constData(), name.constData(), value.constData(), static_cast<size_t>(value.size()), 0)
            == 0
        ? 0
        : EXDEV;
}

int OverlayEngine::copyUp(const QByteArray &path)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (!n.exists)
        return ENOENT;
    if (!n.upper.isEmpty())
        return 0;
    // Parents first, from the top down.
    if (normal(path) != "/") {
        if (const int err = copyUp(parentOf(path)))
            return err;
    }
    return copyUpOne(path, n);
}

int OverlayEngine::copyUpOne(const QByteArray &path, const Node &n)
{
    const LowerHit &src = n.lowers.first();
    struct stat st {
    };
    if (!lstatPath(src.path, &st))
        return errno;
    const QByteArray tmp = tempName();
    const QByteArray dest = upperPath(path);
    step(OverlayEvent::Kind::WorkTemp,
        path,
        m_config.lowerNames.value(src.layer),
        QStringLiteral("The copy of %1 is prepared in the work directory as %2, so that it appears in the upper layer "
                       "in one step.")
            .arg(q(path), q(tmp.mid(tmp.lastIndexOf('/') + 1))));
    int err = 0;
    if (S_ISDIR(st.st_mode)) {
        err = ::mkdir(tmp.constData(), st.st_mode & 07777) == 0 ? 0 : errno;
    } else if (S_ISREG(st.st_mode)) {
        const int in = ::open(src.path.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        const int out = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (in < 0 || out < 0) {
            err = errno;
        } else {
            // In-kernel copy, as the kernel's own copy-up does (and reflinks where the
            // filesystem can); read/write where copy_file_range is not supported.
            off_t remaining = st.st_size;
            while (remaining > 0) {
                const ssize_t n = ::copy_file_range(in, nullptr, out, nullptr, static_cast<size_t>(remaining), 0);
                if (n <= 0)
                    break;
                remaining -= n;
            }
            if (remaining > 0) {
                ::lseek(in, st.st_size - remaining, SEEK_SET);
                ::lseek(out, st.st_size - remaining, SEEK_SET);
                char buf[1 << 16];
                ssize_t r = 0;
                while ((r = ::read(in, buf, sizeof buf)) > 0) {
                    if (::write(out, buf, static_cast<size_t>(r)) != r) {
                        err = errno;
                        break;
                    }
                }
                if (r < 0)
                    err = errno;
            }
        }
        if (in >= 0)
            ::close(in);
        if (out >= 0) {
            if (!err)
                err = ::fchmod(out, st.st_mode & 07777) == 0 ? 0 : errno;
            ::close(out);
        }
    } else if (S_ISLNK(st.st_mode)) {
        char target[4096];
        const ssize_t len = ::readlink(src.path.constData(), target, sizeof target - 1);
        if (len < 0) {
            err = errno;
        } else {
            target[len] = '\0';
            err = ::symlink(target, tmp.constData()) == 0 ? 0 : errno;
        }
    } else {
        err = ::mknod(tmp.constData(), st.st_mode, st.st_rdev) == 0 ? 0 : errno;
    }
    if (err) {
        ::unlink(tmp.constData());
        ::rmdir(tmp.constData());
        return err;
    }
    (void)::lchown(tmp.constData(), st.st_uid, st.st_gid);
    if (!S_ISLNK(st.st_mode))
        (void)::chmod(tmp.constData(), st.st_mode & 07777); // chown may have cleared set-id bits
    copyXattrs(src.path, tmp);
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    (void)::utimensat(AT_FDCWD, tmp.constData(), times, AT_SYMLINK_NOFOLLOW);
    if (::rename(tmp.constData(), dest.constData()) != 0) {
        err = errno;
        ::unlink(tmp.constData());
        ::rmdir(tmp.constData());
        return err;
    }
    const QString from = m_config.lowerNames.value(src.layer);
    step(OverlayEvent::Kind::CopyUp,
        path,
        from,
        S_ISDIR(st.st_mode)
            ? QStringLiteral("The directory %1 of %2 was copied up into %3 (without its contents).")
                  .arg(q(path), from, m_config.upperName)
            : QStringLiteral("%1 came from %2: it was copied (data and metadata) into %3 before the change; "
                             "%2 is unchanged.")
                  .arg(q(path), from, m_config.upperName));
    return 0;
}

int OverlayEngine::makeWhiteout(const QByteArray &path)
{
    // Which lower copy the whiteout hides, for the event.
    QString hidden;
    {
        const Node parent = resolve(parentOf(path));
        for (const LowerHit &l : parent.lowers) {
            struct stat st {
            };
            if (lstatPath(l.path + '/' + baseOf(path), &st)) {
                if (!isWhiteout(st))
                    hidden = m_config.lowerNames.value(l.layer);
                break;
            }
        }
    }
    // Built in work, then moved into place (exchanged with the upper entry if there is one).
    const QByteArray tmp = tempName();
    if (::mknod(tmp.constData(), S_IFCHR | 0000, makedev(0, 0)) != 0)
        return errno;
    const QByteArray dest = upperPath(path);
    struct stat st {
    };
    if (lstatPath(dest, &st)) {
        if (::renameat2(AT_FDCWD, tmp.constData(), AT_FDCWD, dest.constData(), RENAME_EXCHANGE) != 0) {
            const int err = errno;
            ::unlink(tmp.constData());
            return err;
        }
        // tmp now holds what was in upper (an empty directory, or a file).
        if (S_ISDIR(st.st_mode)) {
            clearUpperDir(tmp);
            ::rmdir(tmp.constData());
        } else {
            ::unlink(tmp.constData());
        }
    } else if (::rename(tmp.constData(), dest.constData()) != 0) {
        const int err = errno;
        ::unlink(tmp.constData());
        return err;
    }
    step(OverlayEvent::Kind::Whiteout,
        path,
        hidden,
        QStringLiteral("%1 is hidden by a whiteout (a character device 0/0) in %2: %3 cannot change.")
            .arg(q(path), m_config.upperName, hidden.isEmpty() ? QStringLiteral("the lower layer") : hidden));
    return 0;
}

int OverlayEngine::clearUpperDir(const QByteArray &dir)
{
    // What may be left in the upper copy of an empty merged directory: whiteouts.
    DIR *d = ::opendir(dir.constData());
    if (!d)
        return errno;
    QList<QByteArray> names;
    while (dirent *e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
            names << QByteArray(e->d_name);
    }
    ::closedir(d);
    for (const QByteArray &n : names) {
        const QByteArray p = dir + '/' + n;
        struct stat st {
        };
        if (lstatPath(p, &st) && S_ISDIR(st.st_mode)) {
            clearUpperDir(p);
            ::rmdir(p.constData());
        } else {
            ::unlink(p.constData());
        }
    }
    return 0;
}

int OverlayEngine::placeNew(const QByteArray &path, const std::function<int(const QByteArray &)> &create, bool isDir)
{
    const QByteArray parent = parentOf(path);
    if (const int err = copyUp(parent))
        return err;
    const Node where = resolve(path);
    const Node parentNode = resolve(parent);
    const QByteArray dest = upperPath(path);
    if (where.upperWhiteout) {
        // Re-creating a deleted name: build it in work, then swap it with the whiteout.
        const QByteArray tmp = tempName();
        if (const int err = create(tmp))
            return err;
        // Built in work, it must still get what the real parent passes on: a set-group-ID
        // directory gives its group, and its set-group-ID bit to new directories.
        struct stat pst {
        };
        if (lstatPath(upperPath(parent), &pst) && (pst.st_mode & S_ISGID)) {
            (void)::lchown(tmp.constData(), static_cast<uid_t>(-1), pst.st_gid);
            struct stat tst {
            };
            if (isDir && lstatPath(tmp, &tst))
                (void)::chmod(tmp.constData(), (tst.st_mode & 07777) | S_ISGID);
        }
        if (isDir) {
            if (const int err = setOpaque(tmp)) {
                ::rmdir(tmp.constData());
                return err;
            }
            if (::renameat2(AT_FDCWD, tmp.constData(), AT_FDCWD, dest.constData(), RENAME_EXCHANGE) != 0)
                return errno;
            ::unlink(tmp.constData()); // the whiteout, now in work
            step(OverlayEvent::Kind::Opaque,
                path,
                QString(),
                QStringLiteral(
                    "%1 replaces a deleted directory: it is created opaque (overlay.opaque=y) so that nothing "
                    "from below shows through.")
                    .arg(q(path)));
            return 0;
        }
        if (::rename(tmp.constData(), dest.constData()) != 0)
            return errno;
        step(OverlayEvent::Kind::Created,
            path,
            QString(),
            QStringLiteral("%1 was created over a whiteout: %2 now holds it.").arg(q(path), m_config.upperName));
        return 0;
    }
    if (const int err = create(dest))
        return err;
    if (isDir && isMergeDir(parentNode) && !m_config.allowOfflineChanges) {
        if (const int err = setOpaque(dest))
            return err;
    }
    step(OverlayEvent::Kind::Created,
        path,
        QString(),
        QStringLiteral("%1 is new: it exists only in %2.").arg(q(path), m_config.upperName));
    return 0;
}

int OverlayEngine::write(const QByteArray &path, const QByteArray &data, bool append)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    auto writeTo = [&data, append](const QByteArray &real, bool create) {
        const int fd = ::open(real.constData(),
            O_WRONLY | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT | O_EXCL : 0) | (append ? O_APPEND : O_TRUNC),
            0644);
        if (fd < 0)
            return errno;
        int err = 0;
        if (!data.isEmpty() && ::write(fd, data.constData(), static_cast<size_t>(data.size())) != data.size())
            err = errno;
        ::close(fd);
        return err;
    };
    if (!n.exists) {
        const Node parent = resolve(parentOf(path));
        if (parent.error)
            return parent.error;
        if (!parent.exists)
            return ENOENT;
        if (parent.type != EntryType::Directory)
            return ENOTDIR;
        return placeNew(
            path, [&](const QByteArray &real) { return writeTo(real, true); }, false);
    }
    if (n.type == EntryType::Directory)
        return EISDIR;
    if (n.type == EntryType::Symlink)
        return ELOOP;
    if (n.type != EntryType::File)
        return ENXIO; // a FIFO or socket opened for writing without blocking, and no reader
    if (const int err = copyUp(path))
        return err;
    const int err = writeTo(upperPath(path), false);
    if (!err)
        step(OverlayEvent::Kind::Modified,
            path,
            QString(),
            QStringLiteral("The copy of %1 in %2 was changed.").arg(q(path), m_config.upperName));
    return err;
}

int OverlayEngine::truncate(const QByteArray &path, qint64 size)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (!n.exists)
        return ENOENT;
    if (n.type == EntryType::Directory)
        return EISDIR;
    if (n.type == EntryType::Symlink)
        return ELOOP;
    if (n.type != EntryType::File)
        return ENXIO;
    if (const int err = copyUp(path))
        return err;
    return ::truncate(upperPath(path).constData(), size) == 0 ? 0 : errno;
}

int OverlayEngine::touch(const QByteArray &path)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (!n.exists)
        return write(path, QByteArray(), false);
    if (n.type == EntryType::Symlink)
        return ELOOP;
    if (n.type == EntryType::Directory)
        return EISDIR;
    if (n.type != EntryType::File)
        return ENXIO;
    if (const int err = copyUp(path))
        return err;
    return ::utimensat(AT_FDCWD, upperPath(path).constData(), nullptr, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;
}

int OverlayEngine::mkdir(const QByteArray &path, mode_t mode)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (n.exists)
        return EEXIST;
    const Node parent = resolve(parentOf(path));
    if (parent.error)
        return parent.error;
    if (!parent.exists)
        return ENOENT;
    if (parent.type != EntryType::Directory)
        return ENOTDIR;
    return placeNew(
        path, [mode](const QByteArray &real) { return ::mkdir(real.constData(), mode) == 0 ? 0 : errno; }, true);
}

int OverlayEngine::symlink(const QByteArray &target, const QByteArray &path)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (n.exists)
        return EEXIST;
    const Node parent = resolve(parentOf(path));
    if (parent.error)
        return parent.error;
    if (!parent.exists)
        return ENOENT;
    if (parent.type != EntryType::Directory)
        return ENOTDIR;
    return placeNew(
        path,
        [&target](const QByteArray &real) { return ::symlink(target.constData(), real.constData()) == 0 ? 0 : errno; },
        false);
}

int OverlayEngine::link(const QByteArray &from, const QByteArray &to)
{
    if (const int err = checkParent(from))
        return err;
    if (const int err = checkParent(to))
        return err;
    const Node src = resolve(from);
    if (src.error)
        return src.error;
    if (!src.exists)
        return ENOENT;
    const Node dst = resolve(to);
    if (dst.error)
        return dst.error;
    if (dst.exists)
        return EEXIST;
    if (src.type == EntryType::Directory)
        return EPERM;
    if (const int err = copyUp(from))
        return err;
    const QByteArray srcReal = upperPath(from);
    return placeNew(
        to,
        [&srcReal](const QByteArray &real) { return ::link(srcReal.constData(), real.constData()) == 0 ? 0 : errno; },
        false);
}

int OverlayEngine::unlink(const QByteArray &path)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (!n.exists)
        return ENOENT;
    if (n.type == EntryType::Directory)
        return EISDIR;
    if (const int err = copyUp(parentOf(path)))
        return err;
    if (lowerPositive(path))
        return makeWhiteout(path);
    if (::unlink(n.upper.constData()) != 0)
        return errno;
    step(OverlayEvent::Kind::Removed,
        path,
        QString(),
        QStringLiteral("%1 existed only in %2, so it was simply removed.").arg(q(path), m_config.upperName));
    return 0;
}

int OverlayEngine::rmdir(const QByteArray &path)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (!n.exists)
        return ENOENT;
    if (n.type != EntryType::Directory)
        return ENOTDIR;
    if (normal(path) == "/")
        return EBUSY;
    if (!mergedEmpty(path))
        return ENOTEMPTY;
    if (const int err = copyUp(parentOf(path)))
        return err;
    if (lowerPositive(path))
        return makeWhiteout(path);
    // A merged directory (here: one reached through a redirect) has its upper whiteouts
    // cleared first; one of the upper layer alone is removed with a plain rmdir, so whiteouts
    // left inside it make the kernel answer ENOTEMPTY (as observed on Linux 6.18).
    if (!n.lowers.isEmpty())
        clearUpperDir(n.upper);
    if (::rmdir(n.upper.constData()) != 0)
        return errno;
    step(OverlayEvent::Kind::Removed,
        path,
        QString(),
        QStringLiteral("%1 existed only in %2, so it was simply removed.").arg(q(path), m_config.upperName));
    return 0;
}

int OverlayEngine::removeTree(const QByteArray &path)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (!n.exists)
        return ENOENT;
    if (n.type != EntryType::Directory)
        return unlink(path);
    const auto children = list(path);
    if (!children)
        return children.error().code;
    const QByteArray base = normal(path);
    int first = 0;
    for (const QByteArray &c : *children) {
        const int err = removeTree(base + '/' + c);
        if (err && !first)
            first = err;
    }
    return first ? first : rmdir(path);
}

int OverlayEngine::chmod(const QByteArray &path, mode_t mode)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (!n.exists)
        return ENOENT;
    if (n.type == EntryType::Symlink)
        return EOPNOTSUPP; // fchmodat(AT_SYMLINK_NOFOLLOW) on a link
    if (const int err = copyUp(path))
        return err;
    if (::chmod(upperPath(path).constData(), mode) != 0)
        return errno;
    step(OverlayEvent::Kind::Modified,
        path,
        QString(),
        QStringLiteral("The mode of %1 was changed in %2.").arg(q(path), m_config.upperName));
    return 0;
}

int OverlayEngine::checkParent(const QByteArray &path) const
{
    const Node parent = resolve(parentOf(path));
    if (parent.error)
        return parent.error;
    if (!parent.exists)
        return ENOENT;
    if (parent.type == EntryType::Symlink)
        return ELOOP;
    if (parent.type != EntryType::Directory)
        return ENOTDIR;
    return 0;
}

QByteArray OverlayEngine::absoluteRedirect(const QByteArray &path) const
{
    // ovl_get_redirect(): from the directory up, each ancestor contributes its own redirect
    // (or its name), until an absolute redirect or the root.
    QByteArray result;
    for (QByteArray p = normal(path); p != "/"; p = parentOf(p)) {
        const QByteArray r = resolve(p).redirect;
        const QByteArray part = r.isEmpty() ? baseOf(p) : r;
        result = result.isEmpty() ? part : part + '/' + result;
        if (part.startsWith('/'))
            return result;
    }
    return '/' + result;
}

int OverlayEngine::rename(const QByteArray &fromIn, const QByteArray &toIn)
{
    const QByteArray from = normal(fromIn);
    const QByteArray to = normal(toIn);
    // The order of the checks is the VFS's (do_renameat2, vfs_rename), then overlayfs's.
    if (const int err = checkParent(from))
        return err;
    if (const int err = checkParent(to))
        return err;
    const Node src = resolve(from);
    if (src.error)
        return src.error;
    if (!src.exists)
        return ENOENT;
    if (from == "/" || to == "/")
        return EBUSY;
    const Node dst = resolve(to);
    if (dst.error)
        return dst.error;
    const bool srcDir = src.type == EntryType::Directory;
    if (to.startsWith(QByteArray(from + '/')))
        return EINVAL; // the source would contain its own target
    if (from.startsWith(QByteArray(to + '/')))
        return ENOTEMPTY; // the target is an ancestor of the source
    if (from == to)
        return 0;
    if (dst.exists && dst.type != EntryType::Directory) {
        // Two names of one inode (hard links): rename(2) does nothing.
        auto real = [](const Node &n) {
            return n.upper.isEmpty() ? n.lowers.first().path : n.upper;
        };
        struct stat a {
        };
        struct stat b {
        };
        if (lstatPath(real(src), &a) && lstatPath(real(dst), &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
            return 0;
    }
    if (dst.exists) {
        if (srcDir && dst.type != EntryType::Directory)
            return ENOTDIR;
        if (!srcDir && dst.type == EntryType::Directory)
            return EISDIR;
    }
    // Directories that come (partly) from below cannot move without a redirect.
    if (srcDir && !src.lowers.isEmpty() && !m_config.redirectDir)
        return EXDEV;
    // ovl_check_empty_dir() runs first only when the target is not upper-only; an upper-only
    // target is left to the real rename, after the copy-ups and redirect (as in the kernel).
    if (dst.exists && dst.type == EntryType::Directory && !dst.lowers.isEmpty() && !mergedEmpty(to))
        return ENOTEMPTY;

    if (const int err = copyUp(from))
        return err;
    if (const int err = copyUp(parentOf(to)))
        return err;
    const bool srcNeedsWhiteout = lowerPositive(from);
    const Node srcUp = resolve(from);
    const QByteArray srcReal = srcUp.upper;
    const QByteArray dstReal = upperPath(to);
    if (srcDir && !srcUp.lowers.isEmpty()) {
        // redirect_dir=on: the directory keeps finding its lower content under the old name.
        const bool samedir = parentOf(from) == parentOf(to);
        const QByteArray &existing = srcUp.redirect;
        // ovl_set_redirect(): keep a redirect that still holds, else compute a new one.
        if (existing.isEmpty() || !(samedir || existing.startsWith('/'))) {
            if (const int err = setRedirect(srcReal, samedir ? baseOf(from) : absoluteRedirect(from)))
                return err;
        }
    } else if (srcDir && !srcUp.opaque && isMergeDir(resolve(parentOf(to)))) {
        if (const int err = setOpaque(srcReal))
            return EXDEV;
    }
    struct stat st {
    };
    const bool dstInUpper = lstatPath(dstReal, &st);
    if (dstInUpper && S_ISDIR(st.st_mode)) {
        // Whiteouts in a merged target are cleared first; in an upper-only one they stay,
        // and the real rename answers ENOTEMPTY, as in the kernel.
        if (!dst.lowers.isEmpty())
            clearUpperDir(dstReal);
    }
    if (dstInUpper && isWhiteout(st) && srcNeedsWhiteout) {
        // Swap with the whiteout: it lands at the old name, as needed.
        if (::renameat2(AT_FDCWD, srcReal.constData(), AT_FDCWD, dstReal.constData(), RENAME_EXCHANGE) != 0)
            return errno;
    } else if (dstInUpper && isWhiteout(st) && srcDir) {
        if (::renameat2(AT_FDCWD, srcReal.constData(), AT_FDCWD, dstReal.constData(), RENAME_EXCHANGE) != 0)
            return errno;
        ::unlink(srcReal.constData());
    } else {
        if (::rename(srcReal.constData(), dstReal.constData()) != 0)
            return errno;
        if (srcNeedsWhiteout) {
            if (const int err = makeWhiteout(from))
                return err;
        }
    }
    OverlayEvent::Kind kind
        = srcDir && !srcUp.lowers.isEmpty() ? OverlayEvent::Kind::Redirect : OverlayEvent::Kind::Renamed;
    step(kind,
        to,
        QString(),
        QStringLiteral("%1 was renamed to %2 in %3.").arg(q(from), q(to), m_config.upperName),
        from);
    return 0;
}

namespace
{
// Is `id` mapped in this process's user namespace? (chown(2) answers EINVAL before the file
// system is asked — so before any copy-up — for an id that is not.)
bool idMapped(unsigned id, const char *mapFile)
{
    QFile f(QString::fromLatin1(mapFile));
    if (!f.open(QIODevice::ReadOnly))
        return true;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QList<QByteArray> parts = line.simplified().split(' ');
        if (parts.size() != 3)
            continue;
        const qulonglong first = parts.at(0).toULongLong();
        const qulonglong count = parts.at(2).toULongLong();
        if (id >= first && id - first < count)
            return true;
    }
    return false;
}
} // namespace

int OverlayEngine::chown(const QByteArray &path, uid_t uid, gid_t gid)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (!n.exists)
        return ENOENT;
    if (!idMapped(uid, "/proc/self/uid_map") || !idMapped(gid, "/proc/self/gid_map"))
        return EINVAL;
    if (const int err = copyUp(path))
        return err;
    if (::lchown(upperPath(path).constData(), uid, gid) != 0)
        return errno;
    step(OverlayEvent::Kind::Modified,
        path,
        QString(),
        QStringLiteral("The owner of %1 was changed in %2.").arg(q(path), m_config.upperName));
    return 0;
}

int OverlayEngine::utimes(const QByteArray &path, qint64 seconds)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (!n.exists)
        return ENOENT;
    if (const int err = copyUp(path))
        return err;
    const struct timespec t {
        static_cast<time_t>(seconds), 0
    };
    const struct timespec times[2] = {t, t};
    return ::utimensat(AT_FDCWD, upperPath(path).constData(), times, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;
}

int OverlayEngine::setXattr(const QByteArray &path, const QByteArray &name, const QByteArray &value)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (!n.exists)
        return ENOENT;
    // user.* xattrs exist only on regular files and directories (xattr(7)).
    if (name.startsWith("user.") && n.type != EntryType::File && n.type != EntryType::Directory)
        return EPERM;
    if (const int err = copyUp(path))
        return err;
    if (::lsetxattr(
            upperPath(path).constData(), name.constData(), value.constData(), static_cast<size_t>(value.size()), 0)
        != 0)
        return errno;
    step(OverlayEvent::Kind::Modified,
        path,
        QString(),
        QStringLiteral("An extended attribute of %1 was set in %2.").arg(q(path), m_config.upperName));
    return 0;
}

int OverlayEngine::removeXattr(const QByteArray &path, const QByteArray &name)
{
    const Node n = resolve(path);
    if (n.error)
        return n.error;
    if (!n.exists)
        return ENOENT;
    if (name.startsWith("user.") && n.type != EntryType::File && n.type != EntryType::Directory)
        return EPERM;
    if (n.upper.isEmpty()) {
        // ovl_xattr_set(): removing what the lower copy does not have fails without a copy-up.
        char probe[1];
        if (::lgetxattr(n.lowers.first().path.constData(), name.constData(), probe, 0) < 0 && errno == ENODATA)
            return ENODATA;
    }
    if (const int err = copyUp(path))
        return err;
    return ::lremovexattr(upperPath(path).constData(), name.constData()) == 0 ? 0 : errno;
}

int OverlayEngine::apply(const MergedOperation &op)
{
    const QStringList &a = op.args();
    const QString &v = op.verb();
    auto b = [](const QString &s) {
        return QFile::encodeName(s);
    };
    if (v == QLatin1String("write"))
        return write(b(a.at(0)), a.at(1).toUtf8() + '\n', false);
    if (v == QLatin1String("append"))
        return write(b(a.at(0)), a.at(1).toUtf8() + '\n', true);
    if (v == QLatin1String("touch"))
        return touch(b(a.at(0)));
    if (v == QLatin1String("truncate"))
        return truncate(b(a.at(0)), a.at(1).toLongLong());
    if (v == QLatin1String("mkdir"))
        return mkdir(b(a.at(0)));
    if (v == QLatin1String("rm"))
        return unlink(b(a.at(0)));
    if (v == QLatin1String("rmdir"))
        return rmdir(b(a.at(0)));
    if (v == QLatin1String("rm-r"))
        return removeTree(b(a.at(0)));
    if (v == QLatin1String("mv"))
        return rename(b(a.at(0)), b(a.at(1)));
    if (v == QLatin1String("chmod"))
        return chmod(b(a.at(1)), static_cast<mode_t>(a.at(0).toUInt(nullptr, 8)));
    if (v == QLatin1String("ln-s"))
        return symlink(b(a.at(0)), b(a.at(1)));
    if (v == QLatin1String("ln"))
        return link(b(a.at(0)), b(a.at(1)));
    if (v == QLatin1String("chown")) {
        const QStringList ids = a.at(0).split(QLatin1Char(':'));
        return chown(b(a.at(1)), ids.at(0).toUInt(), ids.at(1).toUInt());
    }
    if (v == QLatin1String("utimes"))
        return utimes(b(a.at(1)), a.at(0).toLongLong());
    if (v == QLatin1String("setxattr"))
        return setXattr(b(a.at(2)), a.at(0).toUtf8(), a.at(1).toUtf8());
    if (v == QLatin1String("rmxattr"))
        return removeXattr(b(a.at(1)), a.at(0).toUtf8());
    return EINVAL;
}

} // namespace strata
