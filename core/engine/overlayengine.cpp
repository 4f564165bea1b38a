// SPDX-License-Identifier: GPL-2.0-or-later
#include "overlayengine.h"

#include "core/fs/dirscanner.h"
#include "core/util/filename.h"

#include <QFile>
#include <QSet>

#include <cerrno>
#include <cstdio>
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

QString q(const QByteArray &b)
{
    return decodeFileName(b);
}

int ok(int rc)
{
    return rc == 0 ? 0 : errno;
}

// Copies user-visible xattrs (not the overlay's own), as copy-up does.
void copyXattrs(const QByteArray &from, const QByteArray &to)
{
    char names[4096];
    const ssize_t len = ::llistxattr(from.constData(), names, sizeof names);
    for (ssize_t pos = 0; pos < len;) {
        const char *name = names + pos;
        pos += static_cast<ssize_t>(std::strlen(name)) + 1;
        if (OverlayXattrs::isPrivateName(name) || std::strncmp(name, "security.", 9) == 0)
            continue;
        char value[4096];
        const ssize_t vlen = ::lgetxattr(from.constData(), name, value, sizeof value);
        if (vlen >= 0)
            ::lsetxattr(to.constData(), name, value, static_cast<size_t>(vlen), 0);
    }
}

// Copies the data of the regular file `in` (of `size` bytes) to `out`: in the kernel, as the
// kernel's own copy-up does (and with reflinks where the filesystem can), else read/write.
int copyData(int in, int out, off_t size)
{
    off_t remaining = size;
    while (remaining > 0) {
        const ssize_t n = ::copy_file_range(in, nullptr, out, nullptr, static_cast<size_t>(remaining), 0);
        if (n <= 0)
            break;
        remaining -= n;
    }
    if (remaining == 0)
        return 0;
    ::lseek(in, size - remaining, SEEK_SET);
    ::lseek(out, size - remaining, SEEK_SET);
    char buf[1 << 16];
    ssize_t r = 0;
    while ((r = ::read(in, buf, sizeof buf)) > 0) {
        if (::write(out, buf, static_cast<size_t>(r)) != r)
            return errno;
    }
    return r < 0 ? errno : 0;
}

int copyFile(const QByteArray &src, const struct stat &st, const QByteArray &tmp)
{
    const int in = ::open(src.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    const int out = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int err = in < 0 || out < 0 ? errno : copyData(in, out, st.st_size);
    if (in >= 0)
        ::close(in);
    if (out >= 0) {
        if (!err)
            err = ok(::fchmod(out, st.st_mode & 07777));
        ::close(out);
    }
    return err;
}

} // namespace

OverlayEngine::OverlayEngine(Config config) : m_config(std::move(config))
{
    m_upper = encodeFileName(m_config.upper);
    for (const QString &l : m_config.lowers)
        m_lowers << encodeFileName(l);
    m_workTmp = encodeFileName(m_config.work) + "/work";
}

Error OverlayEngine::failure(int code, const Action &action, const QString &why)
{
    return Error {
        code, QStringLiteral("cannot %1: %2 (%3)").arg(action, why, QString::fromLocal8Bit(std::strerror(code)))};
}

Error OverlayEngine::lookupFailure(int code, const QByteArray &where, const Action &action)
{
    const QString w = q(where.isEmpty() ? QByteArrayLiteral("/") : where);
    if (code == ENOENT)
        return failure(code, action, QStringLiteral("%1 does not exist in the merged view").arg(w));
    if (code == ENOTDIR)
        return failure(code, action, QStringLiteral("%1 is not a directory").arg(w));
    if (code == ELOOP)
        return failure(code, action, QStringLiteral("%1 is a symbolic link, and edits do not follow links").arg(w));
    if (code == EPERM)
        return failure(code,
            action,
            QStringLiteral("%1 has a redirect that this overlay does not follow (redirect_dir=nofollow)").arg(w));
    return failure(code, action, QStringLiteral("looking up %1 failed").arg(w));
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
    ::mkdir(encodeFileName(m_config.work).constData(), 0755);
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

void OverlayEngine::removed(const QByteArray &path)
{
    step(OverlayEvent::Kind::Removed,
        path,
        QString(),
        QStringLiteral("%1 existed only in %2, so it was simply removed.").arg(q(path), m_config.upperName));
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
    QByteArray at; // the merged path of `cur`
    auto failed = [&at](int error) {
        Node n;
        n.error = error;
        n.where = at;
        return n;
    };
    for (const QByteArray &name : components(path)) {
        if (!cur.exists)
            return failed(ENOENT);
        if (cur.type != EntryType::Directory) // edits resolve paths without following symlinks (MergedOperation)
            return failed(cur.type == EntryType::Symlink ? ELOOP : ENOTDIR);
        at += '/' + name;
        Node next;
        next.parentInUpper = !cur.upper.isEmpty();
        if (!resolveUpper(cur, name, next))
            resolveLower(cur, name, next);
        if (next.error)
            next.where = at;
        cur = next;
    }
    return cur;
}

bool OverlayEngine::resolveUpper(const Node &parent, const QByteArray &name, Node &next) const
{
    if (parent.upper.isEmpty())
        return false;
    const QByteArray up = parent.upper + '/' + name;
    struct stat st {
    };
    if (!lstatPath(up, &st))
        return false;
    if (DirScanner::isWhiteout(st)) {
        next.upperWhiteout = true;
        return true;
    }
    next.exists = true;
    next.type = entryTypeFromMode(st.st_mode);
    next.upper = up;
    if (next.type != EntryType::Directory)
        return true;
    const OverlayXattrs x = OverlayXattrs::readPath(up.constData(), m_config.xattrs);
    next.redirect = x.redirect();
    next.opaque = x.has(OverlayXattrs::OpaqueY);
    return next.opaque;
}

void OverlayEngine::resolveLower(const Node &parent, const QByteArray &name, Node &next) const
{
    const int bottom = static_cast<int>(m_lowers.size()) - 1;
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
    // One layer's entry at the name looked up: false when lookup stops there.
    auto consider = [&](int layer, const QByteArray &real) -> bool {
        struct stat st {
        };
        if (!lstatPath(real, &st))
            return true; // not here: go on
        if (DirScanner::isWhiteout(st))
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
        const OverlayXattrs x = OverlayXattrs::readPath(real.constData(), m_config.xattrs);
        if (x.has(OverlayXattrs::OpaqueY))
            return false;
        if (x.has(OverlayXattrs::Redirect) && m_config.followRedirects) {
            absolute = x.redirect().startsWith('/');
            look = x.redirect();
        }
        return true;
    };
    if (!absolute) {
        for (const LowerHit &p : parent.lowers) {
            if (stopped)
                break;
            if (absolute) {
                lastLayer = p.layer - 1;
                break;
            }
            if (!consider(p.layer, p.path + '/' + look))
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

Result<OverlayEngine::Node> OverlayEngine::lookup(const QByteArray &path, Presence presence, const Action &action) const
{
    Node n = resolve(path);
    if (n.error)
        return lookupFailure(n.error, n.where, action);
    if (n.exists && presence == Presence::New)
        return failure(EEXIST, action, QStringLiteral("%1 already exists").arg(q(normal(path))));
    if (n.exists)
        return n;
    if (presence == Presence::Existing)
        return lookupFailure(ENOENT, normal(path), action);
    // A new name: the parent's own lookup can fail where the walk through it did not (a
    // redirect that is not followed).
    if (const Status parent = parentDirectory(path, action); !parent)
        return parent.error();
    return n;
}

Status OverlayEngine::parentDirectory(const QByteArray &path, const Action &action) const
{
    const QByteArray parentPath = parentOf(path);
    const Node parent = resolve(parentPath);
    if (parent.error)
        return lookupFailure(parent.error, parent.where, action);
    if (!parent.exists)
        return lookupFailure(ENOENT, parentPath, action);
    if (parent.type == EntryType::Symlink)
        return lookupFailure(ELOOP, parentPath, action);
    if (parent.type != EntryType::Directory)
        return lookupFailure(ENOTDIR, parentPath, action);
    return {};
}

Result<OverlayEngine::Node> OverlayEngine::lookupDirectory(const QByteArray &path, const Action &action) const
{
    auto n = lookup(path, Presence::Existing, action);
    if (n && n->type != EntryType::Directory)
        return lookupFailure(ENOTDIR, normal(path), action);
    return n;
}

Result<OverlayEngine::Node> OverlayEngine::lookupSource(
    const QByteArray &from, const QByteArray &to, const Action &action) const
{
    if (Status parent = parentDirectory(from, action); !parent)
        return parent.error();
    if (Status parent = parentDirectory(to, action); !parent)
        return parent.error();
    return lookup(from, Presence::Existing, action);
}

Status OverlayEngine::writableFile(const Node &n, const QByteArray &path, const Action &action)
{
    if (n.type == EntryType::Directory)
        return failure(EISDIR, action, QStringLiteral("%1 is a directory").arg(q(normal(path))));
    if (n.type == EntryType::Symlink)
        return failure(
            ELOOP, action, QStringLiteral("%1 is a symbolic link, which is not written through").arg(q(normal(path))));
    if (n.type != EntryType::File) // a FIFO or socket opened for writing without blocking, and no reader
        return failure(ENXIO, action, QStringLiteral("%1 is a FIFO or socket that nobody reads").arg(q(normal(path))));
    return {};
}

std::optional<OverlayEngine::LowerName> OverlayEngine::firstLowerAt(const QByteArray &path) const
{
    const Node parent = resolve(parentOf(path));
    const QByteArray name = baseOf(path);
    for (const LowerHit &l : parent.lowers) {
        struct stat st {
        };
        if (lstatPath(l.path + '/' + name, &st))
            return LowerName {l.layer, DirScanner::isWhiteout(st)};
    }
    return std::nullopt;
}

bool OverlayEngine::lowerPositive(const QByteArray &path) const
{
    // ovl_lower_positive(): is there something below upper at this name, in the parent's layers?
    const Node n = resolve(path);
    if (!n.exists)
        return n.upperWhiteout;
    if (n.upper.isEmpty())
        return true;
    const auto below = firstLowerAt(path);
    return below && !below->whiteout;
}

Result<QList<QByteArray>> OverlayEngine::list(const QByteArray &path) const
{
    const Action action = QStringLiteral("list %1").arg(q(normal(path)));
    const auto n = lookupDirectory(path, action);
    if (!n)
        return n.error();
    QSet<QByteArray> names;
    QList<QByteArray> dirs;
    if (!n->upper.isEmpty())
        dirs << n->upper;
    for (const LowerHit &l : n->lowers)
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

QByteArray OverlayEngine::realPath(const Node &n)
{
    return n.upper.isEmpty() ? n.lowers.first().path : n.upper;
}

Result<QByteArray> OverlayEngine::read(const QByteArray &path) const
{
    const Action action = QStringLiteral("read %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    QFile f(q(realPath(*n)));
    if (!f.open(QIODevice::ReadOnly))
        return failure(EACCES, action, f.errorString());
    return f.readAll();
}

Result<OverlayEngine::Stat> OverlayEngine::stat(const QByteArray &path) const
{
    const Action action = QStringLiteral("stat %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    struct stat st {
    };
    if (!lstatPath(realPath(*n), &st))
        return failure(errno, action, QStringLiteral("lstat of %1 failed").arg(q(realPath(*n))));
    return Stat {entryTypeFromMode(st.st_mode), static_cast<std::uint32_t>(st.st_mode), st.st_size};
}

Status OverlayEngine::setOpaque(const QByteArray &realPath, const QByteArray &path)
{
    // The kernel answers EIO when it cannot write the mark.
    return marked(OverlayXattrs::writeOpaque(realPath.constData(), m_config.xattrs),
        EIO,
        QStringLiteral("make %1 opaque").arg(q(path)),
        "opaque",
        realPath);
}

Status OverlayEngine::setRedirect(const QByteArray &realPath, const QByteArray &path, const QByteArray &value)
{
    // Where the redirect cannot be set, the kernel falls back to EXDEV.
    return marked(OverlayXattrs::writeRedirect(realPath.constData(), m_config.xattrs, value),
        EXDEV,
        QStringLiteral("rename %1").arg(q(path)),
        "redirect",
        realPath);
}

Status OverlayEngine::marked(int err, int code, const Action &action, const char *key, const QByteArray &realPath) const
{
    if (!err)
        return {};
    return failure(code,
        action,
        QStringLiteral("setting %1%2 on %3 failed: %4")
            .arg(QString::fromLatin1(OverlayXattrs::prefix(m_config.xattrs)),
                QLatin1String(key),
                q(realPath),
                QString::fromLocal8Bit(std::strerror(err))));
}

Status OverlayEngine::copyUp(const QByteArray &path)
{
    const auto n = lookup(path, Presence::Existing, QStringLiteral("copy %1 up").arg(q(normal(path))));
    if (!n)
        return n.error();
    if (!n->upper.isEmpty())
        return {};
    // Parents first, from the top down.
    if (normal(path) != "/") {
        if (Status parent = copyUp(parentOf(path)); !parent)
            return parent;
    }
    return copyUpOne(path, *n);
}

int OverlayEngine::copyEntry(const QByteArray &src, const struct stat &st, const QByteArray &tmp)
{
    if (S_ISDIR(st.st_mode))
        return ok(::mkdir(tmp.constData(), st.st_mode & 07777));
    if (S_ISREG(st.st_mode))
        return copyFile(src, st, tmp);
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        const ssize_t len = ::readlink(src.constData(), target, sizeof target - 1);
        if (len < 0)
            return errno;
        target[len] = '\0';
        return ok(::symlink(target, tmp.constData()));
    }
    return ok(::mknod(tmp.constData(), st.st_mode, st.st_rdev));
}

Status OverlayEngine::copyUpOne(const QByteArray &path, const Node &n)
{
    const LowerHit &src = n.lowers.first();
    const QString from = m_config.lowerNames.value(src.layer);
    const Action action = QStringLiteral("copy %1 up from %2 into %3").arg(q(path), from, m_config.upperName);
    struct stat st {
    };
    if (!lstatPath(src.path, &st))
        return failure(errno, action, QStringLiteral("lstat of %1 failed").arg(q(src.path)));
    const QByteArray tmp = tempName();
    step(OverlayEvent::Kind::WorkTemp,
        path,
        from,
        QStringLiteral("The copy of %1 is prepared in the work directory as %2, so that it appears in the upper layer "
                       "in one step.")
            .arg(q(path), q(tmp.mid(tmp.lastIndexOf('/') + 1))));
    auto discard = [&tmp] {
        ::unlink(tmp.constData());
        ::rmdir(tmp.constData());
    };
    if (const int err = copyEntry(src.path, st, tmp)) {
        discard();
        return failure(err, action, QStringLiteral("making the copy %1 failed").arg(q(tmp)));
    }
    (void)::lchown(tmp.constData(), st.st_uid, st.st_gid);
    if (!S_ISLNK(st.st_mode))
        (void)::chmod(tmp.constData(), st.st_mode & 07777); // chown may have cleared set-id bits
    copyXattrs(src.path, tmp);
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    (void)::utimensat(AT_FDCWD, tmp.constData(), times, AT_SYMLINK_NOFOLLOW);
    const QByteArray dest = upperPath(path);
    if (::rename(tmp.constData(), dest.constData()) != 0) {
        const int err = errno;
        discard();
        return failure(err, action, QStringLiteral("moving the copy to %1 failed").arg(q(dest)));
    }
    step(OverlayEvent::Kind::CopyUp,
        path,
        from,
        S_ISDIR(st.st_mode)
            ? QStringLiteral("The directory %1 of %2 was copied up into %3 (without its contents).")
                  .arg(q(path), from, m_config.upperName)
            : QStringLiteral("%1 came from %2: it was copied (data and metadata) into %3 before the change; "
                             "%2 is unchanged.")
                  .arg(q(path), from, m_config.upperName));
    return {};
}

Status OverlayEngine::makeWhiteout(const QByteArray &path)
{
    const Action action = QStringLiteral("hide %1 with a whiteout").arg(q(path));
    // Which lower copy the whiteout hides, for the event.
    const auto below = firstLowerAt(path);
    const QString hidden = below && !below->whiteout ? m_config.lowerNames.value(below->layer) : QString();
    // Built in work, then moved into place (exchanged with the upper entry if there is one).
    const QByteArray tmp = tempName();
    if (::mknod(tmp.constData(), S_IFCHR | 0000, makedev(0, 0)) != 0)
        return failure(errno, action, QStringLiteral("creating the whiteout %1 failed").arg(q(tmp)));
    const QByteArray dest = upperPath(path);
    struct stat st {
    };
    const bool inUpper = lstatPath(dest, &st);
    if (inUpper ? ::renameat2(AT_FDCWD, tmp.constData(), AT_FDCWD, dest.constData(), RENAME_EXCHANGE) != 0
                : ::rename(tmp.constData(), dest.constData()) != 0) {
        const int err = errno;
        ::unlink(tmp.constData());
        return failure(err, action, QStringLiteral("moving the whiteout to %1 failed").arg(q(dest)));
    }
    if (inUpper) {
        // tmp now holds what was in upper (an empty directory, or a file).
        if (S_ISDIR(st.st_mode)) {
            clearUpperDir(tmp);
            ::rmdir(tmp.constData());
        } else {
            ::unlink(tmp.constData());
        }
    }
    step(OverlayEvent::Kind::Whiteout,
        path,
        hidden,
        QStringLiteral("%1 is hidden by a whiteout (a character device 0/0) in %2: %3 cannot change.")
            .arg(q(path), m_config.upperName, hidden.isEmpty() ? QStringLiteral("the lower layer") : hidden));
    return {};
}

void OverlayEngine::clearUpperDir(const QByteArray &dir)
{
    // What may be left in the upper copy of an empty merged directory: whiteouts.
    auto scanner = DirScanner::openRoot(dir);
    if (!scanner || !scanner->readAll())
        return;
    for (const DirScanner::Entry &e : scanner->entries()) {
        const QByteArray p = dir + '/' + QByteArray(e.name.data(), static_cast<qsizetype>(e.name.size()));
        struct stat st {
        };
        if (lstatPath(p, &st) && S_ISDIR(st.st_mode)) {
            clearUpperDir(p);
            ::rmdir(p.constData());
        } else {
            ::unlink(p.constData());
        }
    }
}

Status OverlayEngine::placeNew(const QByteArray &path, const CreateFn &create, bool isDir)
{
    const Action action = QStringLiteral("create %1").arg(q(normal(path)));
    const QByteArray parent = parentOf(path);
    if (Status up = copyUp(parent); !up)
        return up;
    if (resolve(path).upperWhiteout)
        return placeOverWhiteout(path, create, isDir, action);
    const bool inMergeDir = isMergeDir(resolve(parent));
    const QByteArray dest = upperPath(path);
    if (const int err = create(dest))
        return failure(err, action, QStringLiteral("creating %1 failed").arg(q(dest)));
    if (isDir && inMergeDir && !m_config.allowOfflineChanges) {
        if (Status opaque = setOpaque(dest, path); !opaque)
            return opaque;
    }
    step(OverlayEvent::Kind::Created,
        path,
        QString(),
        QStringLiteral("%1 is new: it exists only in %2.").arg(q(path), m_config.upperName));
    return {};
}

Status OverlayEngine::placeOverWhiteout(
    const QByteArray &path, const CreateFn &create, bool isDir, const Action &action)
{
    // Re-creating a deleted name: build it in work, then swap it with the whiteout.
    const QByteArray dest = upperPath(path);
    const QByteArray tmp = tempName();
    if (const int err = create(tmp))
        return failure(err, action, QStringLiteral("creating %1 failed").arg(q(tmp)));
    // Built in work, it must still get what the real parent passes on: a set-group-ID
    // directory gives its group, and its set-group-ID bit to new directories.
    struct stat pst {
    };
    if (lstatPath(upperPath(parentOf(path)), &pst) && (pst.st_mode & S_ISGID)) {
        (void)::lchown(tmp.constData(), static_cast<uid_t>(-1), pst.st_gid);
        struct stat tst {
        };
        if (isDir && lstatPath(tmp, &tst))
            (void)::chmod(tmp.constData(), (tst.st_mode & 07777) | S_ISGID);
    }
    if (!isDir) {
        if (::rename(tmp.constData(), dest.constData()) != 0)
            return failure(errno, action, QStringLiteral("moving %1 over the whiteout failed").arg(q(tmp)));
        step(OverlayEvent::Kind::Created,
            path,
            QString(),
            QStringLiteral("%1 was created over a whiteout: %2 now holds it.").arg(q(path), m_config.upperName));
        return {};
    }
    if (Status opaque = setOpaque(tmp, path); !opaque) {
        ::rmdir(tmp.constData());
        return opaque;
    }
    if (::renameat2(AT_FDCWD, tmp.constData(), AT_FDCWD, dest.constData(), RENAME_EXCHANGE) != 0)
        return failure(errno, action, QStringLiteral("exchanging %1 with the whiteout failed").arg(q(tmp)));
    ::unlink(tmp.constData()); // the whiteout, now in work
    step(OverlayEvent::Kind::Opaque,
        path,
        QString(),
        QStringLiteral("%1 replaces a deleted directory: it is created opaque (overlay.opaque=y) so that nothing "
                       "from below shows through.")
            .arg(q(path)));
    return {};
}

Status OverlayEngine::write(const QByteArray &path, const QByteArray &data, bool append)
{
    const Action action = QStringLiteral("write %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Either, action);
    if (!n)
        return n.error();
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
    if (!n->exists)
        return placeNew(
            path, [&](const QByteArray &real) { return writeTo(real, true); }, false);
    if (Status file = writableFile(*n, path, action); !file)
        return file;
    return changeInUpper(
        path, action, QStringLiteral("The copy of %1 in %2 was changed."), [&writeTo](const QByteArray &real) {
            return writeTo(real, false);
        });
}

Status OverlayEngine::truncate(const QByteArray &path, qint64 size)
{
    const Action action = QStringLiteral("truncate %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    if (Status file = writableFile(*n, path, action); !file)
        return file;
    return changeInUpper(
        path, action, QString(), [size](const QByteArray &real) { return ok(::truncate(real.constData(), size)); });
}

Status OverlayEngine::touch(const QByteArray &path)
{
    const Action action = QStringLiteral("touch %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Either, action);
    if (!n)
        return n.error();
    if (!n->exists)
        return write(path, QByteArray(), false);
    if (Status file = writableFile(*n, path, action); !file)
        return file;
    return changeInUpper(path, action, QString(), [](const QByteArray &real) {
        return ok(::utimensat(AT_FDCWD, real.constData(), nullptr, AT_SYMLINK_NOFOLLOW));
    });
}

Status OverlayEngine::mkdir(const QByteArray &path, mode_t mode)
{
    const auto n = lookup(path, Presence::New, QStringLiteral("create the directory %1").arg(q(normal(path))));
    if (!n)
        return n.error();
    return placeNew(
        path, [mode](const QByteArray &real) { return ok(::mkdir(real.constData(), mode)); }, true);
}

Status OverlayEngine::symlink(const QByteArray &target, const QByteArray &path)
{
    const auto n = lookup(path, Presence::New, QStringLiteral("create the symbolic link %1").arg(q(normal(path))));
    if (!n)
        return n.error();
    return placeNew(
        path, [&target](const QByteArray &real) { return ok(::symlink(target.constData(), real.constData())); }, false);
}

Status OverlayEngine::link(const QByteArray &from, const QByteArray &to)
{
    const Action action = QStringLiteral("link %1 as %2").arg(q(normal(from)), q(normal(to)));
    const auto src = lookupSource(from, to, action);
    if (!src)
        return src.error();
    if (const auto dst = lookup(to, Presence::New, action); !dst)
        return dst.error();
    if (src->type == EntryType::Directory)
        return failure(EPERM,
            action,
            QStringLiteral("%1 is a directory, and directories cannot have hard links").arg(q(normal(from))));
    if (Status up = copyUp(from); !up)
        return up;
    const QByteArray srcReal = upperPath(from);
    return placeNew(
        to, [&srcReal](const QByteArray &real) { return ok(::link(srcReal.constData(), real.constData())); }, false);
}

Status OverlayEngine::unlink(const QByteArray &path)
{
    const Action action = QStringLiteral("remove %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    if (n->type == EntryType::Directory)
        return failure(EISDIR, action, QStringLiteral("%1 is a directory (rmdir removes it)").arg(q(normal(path))));
    if (Status up = copyUp(parentOf(path)); !up)
        return up;
    if (lowerPositive(path))
        return makeWhiteout(path);
    if (::unlink(n->upper.constData()) != 0)
        return failure(errno, action, QStringLiteral("unlinking %1 failed").arg(q(n->upper)));
    removed(path);
    return {};
}

Status OverlayEngine::rmdir(const QByteArray &path)
{
    const Action action = QStringLiteral("remove the directory %1").arg(q(normal(path)));
    const auto n = lookupDirectory(path, action);
    if (!n)
        return n.error();
    if (normal(path) == "/")
        return failure(EBUSY, action, QStringLiteral("it is the root of the merged view"));
    if (!mergedEmpty(path))
        return failure(ENOTEMPTY, action, QStringLiteral("%1 is not empty in the merged view").arg(q(normal(path))));
    if (Status up = copyUp(parentOf(path)); !up)
        return up;
    if (lowerPositive(path))
        return makeWhiteout(path);
    // A merged directory (here: one reached through a redirect) has its upper whiteouts
    // cleared first; one of the upper layer alone is removed with a plain rmdir, so whiteouts
    // left inside it make the kernel answer ENOTEMPTY (as observed on Linux 6.18).
    if (!n->lowers.isEmpty())
        clearUpperDir(n->upper);
    if (::rmdir(n->upper.constData()) != 0)
        return failure(errno, action, QStringLiteral("removing %1 failed").arg(q(n->upper)));
    removed(path);
    return {};
}

Status OverlayEngine::removeTree(const QByteArray &path)
{
    const auto n = lookup(path, Presence::Existing, QStringLiteral("remove %1 and all below it").arg(q(normal(path))));
    if (!n)
        return n.error();
    if (n->type != EntryType::Directory)
        return unlink(path);
    const auto children = list(path);
    if (!children)
        return children.error();
    const QByteArray base = normal(path);
    Status first;
    for (const QByteArray &c : *children) {
        Status s = removeTree(base + '/' + c);
        if (!s && first)
            first = std::move(s);
    }
    return first ? rmdir(path) : first;
}

Status OverlayEngine::changeInUpper(
    const QByteArray &path, const Action &action, const QString &explanation, const CreateFn &change)
{
    if (Status up = copyUp(path); !up)
        return up;
    const QByteArray real = upperPath(path);
    if (const int err = change(real))
        return failure(err, action, QStringLiteral("changing %1 failed").arg(q(real)));
    if (!explanation.isEmpty())
        step(OverlayEvent::Kind::Modified, path, QString(), explanation.arg(q(path), m_config.upperName));
    return {};
}

Status OverlayEngine::chmod(const QByteArray &path, mode_t mode)
{
    const Action action = QStringLiteral("change the mode of %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    if (n->type == EntryType::Symlink) // fchmodat(AT_SYMLINK_NOFOLLOW) on a link
        return failure(EOPNOTSUPP,
            action,
            QStringLiteral("%1 is a symbolic link, which has no mode of its own").arg(q(normal(path))));
    return changeInUpper(
        path, action, QStringLiteral("The mode of %1 was changed in %2."), [mode](const QByteArray &real) {
            return ok(::chmod(real.constData(), mode));
        });
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

Status OverlayEngine::rename(const QByteArray &fromIn, const QByteArray &toIn)
{
    const QByteArray from = normal(fromIn);
    const QByteArray to = normal(toIn);
    const Action action = QStringLiteral("rename %1 to %2").arg(q(from), q(to));
    // The order of the checks is the VFS's (do_renameat2, vfs_rename), then overlayfs's.
    const auto src = lookupSource(from, to, action);
    if (!src)
        return src.error();
    if (from == "/" || to == "/")
        return failure(EBUSY, action, QStringLiteral("the root of the merged view cannot move"));
    const auto dst = lookup(to, Presence::Either, action);
    if (!dst)
        return dst.error();
    const auto needed = checkRename(from, to, *src, *dst, action);
    if (!needed)
        return needed.error();
    return *needed ? moveInUpper(from, to, *dst, action) : Status();
}

Result<bool> OverlayEngine::checkRename(
    const QByteArray &from, const QByteArray &to, const Node &src, const Node &dst, const Action &action) const
{
    const bool srcDir = src.type == EntryType::Directory;
    if (to.startsWith(QByteArray(from + '/')))
        return failure(EINVAL, action, QStringLiteral("a directory cannot move into itself"));
    if (from.startsWith(QByteArray(to + '/')))
        return failure(ENOTEMPTY, action, QStringLiteral("%1 is an ancestor of %2").arg(q(to), q(from)));
    if (from == to)
        return false;
    if (dst.exists && dst.type != EntryType::Directory) {
        // Two names of one inode (hard links): rename(2) does nothing.
        struct stat a {
        };
        struct stat b {
        };
        if (lstatPath(realPath(src), &a) && lstatPath(realPath(dst), &b) && a.st_dev == b.st_dev
            && a.st_ino == b.st_ino)
            return false;
    }
    if (dst.exists && srcDir && dst.type != EntryType::Directory)
        return failure(ENOTDIR, action, QStringLiteral("%1 is a directory and %2 is not").arg(q(from), q(to)));
    if (dst.exists && !srcDir && dst.type == EntryType::Directory)
        return failure(EISDIR, action, QStringLiteral("%1 is a directory and %2 is not").arg(q(to), q(from)));
    // Directories that come (partly) from below cannot move without a redirect.
    if (srcDir && !src.lowers.isEmpty() && !m_config.redirectDir)
        return failure(EXDEV,
            action,
            QStringLiteral("%1 is a directory that comes (partly) from a lower layer, and moving it needs "
                           "redirect_dir=on; tools like mv(1) fall back to copying")
                .arg(q(from)));
    // ovl_check_empty_dir() runs first only when the target is not upper-only; an upper-only
    // target is left to the real rename, after the copy-ups and redirect (as in the kernel).
    if (dst.exists && dst.type == EntryType::Directory && !dst.lowers.isEmpty() && !mergedEmpty(to))
        return failure(ENOTEMPTY, action, QStringLiteral("%1 is not empty in the merged view").arg(q(to)));
    return true;
}

Status OverlayEngine::moveInUpper(const QByteArray &from, const QByteArray &to, const Node &dst, const Action &action)
{
    if (Status up = copyUp(from); !up)
        return up;
    if (Status up = copyUp(parentOf(to)); !up)
        return up;
    const bool srcNeedsWhiteout = lowerPositive(from);
    const Node srcUp = resolve(from);
    const bool srcDir = srcUp.type == EntryType::Directory;
    const QByteArray srcReal = srcUp.upper;
    const QByteArray dstReal = upperPath(to);
    if (srcDir && !srcUp.lowers.isEmpty()) {
        // redirect_dir=on: the directory keeps finding its lower content under the old name.
        const bool samedir = parentOf(from) == parentOf(to);
        const QByteArray &existing = srcUp.redirect;
        // ovl_set_redirect(): keep a redirect that still holds, else compute a new one.
        if (existing.isEmpty() || !(samedir || existing.startsWith('/'))) {
            if (Status r = setRedirect(srcReal, from, samedir ? baseOf(from) : absoluteRedirect(from)); !r)
                return r;
        }
    } else if (srcDir && !srcUp.opaque && isMergeDir(resolve(parentOf(to)))) {
        if (Status opaque = setOpaque(srcReal, from); !opaque)
            return Error {EXDEV, opaque.error().message};
    }
    struct stat st {
    };
    const bool dstInUpper = lstatPath(dstReal, &st);
    // Whiteouts in a merged target are cleared first; in an upper-only one they stay, and the
    // real rename answers ENOTEMPTY, as in the kernel.
    if (dstInUpper && S_ISDIR(st.st_mode) && !dst.lowers.isEmpty())
        clearUpperDir(dstReal);
    const bool overWhiteout = dstInUpper && DirScanner::isWhiteout(st);
    if (overWhiteout && (srcNeedsWhiteout || srcDir)) {
        // Swap with the whiteout: it lands at the old name, as needed (or goes, for a directory).
        if (::renameat2(AT_FDCWD, srcReal.constData(), AT_FDCWD, dstReal.constData(), RENAME_EXCHANGE) != 0)
            return failure(errno, action, QStringLiteral("exchanging %1 with a whiteout failed").arg(q(srcReal)));
        if (!srcNeedsWhiteout)
            ::unlink(srcReal.constData());
    } else {
        if (::rename(srcReal.constData(), dstReal.constData()) != 0)
            return failure(errno, action, QStringLiteral("renaming %1 in the upper layer failed").arg(q(srcReal)));
        if (srcNeedsWhiteout) {
            if (Status w = makeWhiteout(from); !w)
                return w;
        }
    }
    step(srcDir && !srcUp.lowers.isEmpty() ? OverlayEvent::Kind::Redirect : OverlayEvent::Kind::Renamed,
        to,
        QString(),
        QStringLiteral("%1 was renamed to %2 in %3.").arg(q(from), q(to), m_config.upperName),
        from);
    return {};
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

Status OverlayEngine::chown(const QByteArray &path, uid_t uid, gid_t gid)
{
    const Action action = QStringLiteral("change the owner of %1 to %2:%3").arg(q(normal(path))).arg(uid).arg(gid);
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    if (!idMapped(uid, "/proc/self/uid_map") || !idMapped(gid, "/proc/self/gid_map"))
        return failure(EINVAL, action, QStringLiteral("the id is not mapped in this user namespace"));
    return changeInUpper(
        path, action, QStringLiteral("The owner of %1 was changed in %2."), [uid, gid](const QByteArray &real) {
            return ok(::lchown(real.constData(), uid, gid));
        });
}

Status OverlayEngine::utimes(const QByteArray &path, qint64 seconds)
{
    const Action action = QStringLiteral("set the times of %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    return changeInUpper(path, action, QString(), [seconds](const QByteArray &real) {
        const struct timespec t {
            static_cast<time_t>(seconds), 0
        };
        const struct timespec times[2] = {t, t};
        return ok(::utimensat(AT_FDCWD, real.constData(), times, AT_SYMLINK_NOFOLLOW));
    });
}

Result<OverlayEngine::Node> OverlayEngine::lookupForXattr(
    const QByteArray &path, const QByteArray &name, const Action &action) const
{
    auto n = lookup(path, Presence::Existing, action);
    // user.* xattrs exist only on regular files and directories (xattr(7)).
    if (n && name.startsWith("user.") && n->type != EntryType::File && n->type != EntryType::Directory)
        return failure(EPERM,
            action,
            QStringLiteral("%1 is neither a regular file nor a directory, so it has no user.* attributes")
                .arg(q(normal(path))));
    return n;
}

Status OverlayEngine::setXattr(const QByteArray &path, const QByteArray &name, const QByteArray &value)
{
    const Action action = QStringLiteral("set the attribute %1 of %2").arg(q(name), q(normal(path)));
    if (const auto n = lookupForXattr(path, name, action); !n)
        return n.error();
    return changeInUpper(path,
        action,
        QStringLiteral("An extended attribute of %1 was set in %2."),
        [&name, &value](const QByteArray &real) {
            return ok(::lsetxattr(
                real.constData(), name.constData(), value.constData(), static_cast<size_t>(value.size()), 0));
        });
}

Status OverlayEngine::removeXattr(const QByteArray &path, const QByteArray &name)
{
    const Action action = QStringLiteral("remove the attribute %1 of %2").arg(q(name), q(normal(path)));
    const auto n = lookupForXattr(path, name, action);
    if (!n)
        return n.error();
    if (n->upper.isEmpty()) {
        // ovl_xattr_set(): removing what the lower copy does not have fails without a copy-up.
        char probe[1];
        if (::lgetxattr(n->lowers.first().path.constData(), name.constData(), probe, 0) < 0 && errno == ENODATA)
            return failure(ENODATA, action, QStringLiteral("%1 has no such attribute").arg(q(normal(path))));
    }
    return changeInUpper(path, action, QString(), [&name](const QByteArray &real) {
        return ok(::lremovexattr(real.constData(), name.constData()));
    });
}

int OverlayEngine::apply(const MergedOperation &op)
{
    const Status s = perform(op);
    return s ? 0 : s.error().code;
}

Status OverlayEngine::perform(const MergedOperation &op)
{
    // Paths and numbers as MergedOperation parsed them: the exact bytes, checked numbers.
    const QStringList &a = op.args();
    const QList<QByteArray> &p = op.paths();
    const QString &v = op.verb();
    auto text = [](const QString &s) {
        return encodeFileName(s);
    };
    if (v == QLatin1String("write"))
        return write(p.at(0), text(a.at(1)) + '\n', false);
    if (v == QLatin1String("append"))
        return write(p.at(0), text(a.at(1)) + '\n', true);
    if (v == QLatin1String("touch"))
        return touch(p.at(0));
    if (v == QLatin1String("truncate"))
        return truncate(p.at(0), op.number());
    if (v == QLatin1String("mkdir"))
        return mkdir(p.at(0));
    if (v == QLatin1String("rm"))
        return unlink(p.at(0));
    if (v == QLatin1String("rmdir"))
        return rmdir(p.at(0));
    if (v == QLatin1String("rm-r"))
        return removeTree(p.at(0));
    if (v == QLatin1String("mv"))
        return rename(p.at(0), p.at(1));
    if (v == QLatin1String("chmod"))
        return chmod(p.at(0), static_cast<mode_t>(op.number()));
    if (v == QLatin1String("ln-s"))
        return symlink(p.at(0), p.at(1));
    if (v == QLatin1String("ln"))
        return link(p.at(0), p.at(1));
    if (v == QLatin1String("chown"))
        return chown(p.at(0), op.uid(), op.gid());
    if (v == QLatin1String("utimes"))
        return utimes(p.at(0), op.number());
    if (v == QLatin1String("setxattr"))
        return setXattr(p.at(0), text(a.at(0)), text(a.at(1)));
    if (v == QLatin1String("rmxattr"))
        return removeXattr(p.at(0), text(a.at(0)));
    return failure(EINVAL, v, QStringLiteral("the engine knows no such edit"));
}

} // namespace strata
