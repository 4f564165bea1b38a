// SPDX-License-Identifier: GPL-2.0-or-later
#include "overlayengine.h"

#include "core/engine/overlaylock.h"
#include "core/fs/dirscanner.h"
#include "core/fs/filedata.h"
#include "core/util/filename.h"

#include <QFile>
#include <QSet>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace strata
{

namespace
{

// The names of a merged path, ".." taken lexically and never above the root: what the
// edits walk once dotsError() has checked the dots the way the kernel walks them.
QList<QByteArray> components(const QByteArray &path)
{
    QList<QByteArray> out;
    for (const QByteArray &c : path.split('/')) {
        if (c == "..") {
            if (!out.isEmpty())
                out.removeLast();
        } else if (!c.isEmpty() && c != ".") {
            out << c;
        }
    }
    return out;
}

// The last name of a path as it was written, when it is "." or "..".
enum class Dot : unsigned char { None, One, Two };
Dot finalDot(const QByteArray &path)
{
    QByteArray p = path;
    while (p.endsWith('/'))
        p.chop(1);
    const QByteArray last = p.mid(p.lastIndexOf('/') + 1);
    return last == "." ? Dot::One : last == ".." ? Dot::Two : Dot::None;
}

// "/a/b/": the kernel then wants a directory at b (ENOTDIR, EISDIR, ENOENT by the call).
bool trailingSlash(const QByteArray &path)
{
    return path.endsWith('/') && !components(path).isEmpty();
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

// Copies every xattr but the overlay's own (escaped ones are copied: they belong to the
// user, or to a nested overlay) and the security.* ones, as copy-up does (ovl_copy_xattr()).
void copyXattrs(const QByteArray &from, const QByteArray &to, XattrNamespace ns)
{
    const ssize_t size = ::llistxattr(from.constData(), nullptr, 0);
    if (size <= 0)
        return;
    QByteArray names(size, '\0');
    const ssize_t len = ::llistxattr(from.constData(), names.data(), static_cast<size_t>(size));
    for (const QByteArray &name : names.left(std::max<ssize_t>(len, 0)).split('\0')) {
        const std::string_view view(name.constData(), static_cast<size_t>(name.size()));
        if (name.isEmpty() || OverlayXattrs::isPrivateName(view, ns) || name.startsWith("security."))
            continue;
        const ssize_t vsize = ::lgetxattr(from.constData(), name.constData(), nullptr, 0);
        QByteArray value(std::max<ssize_t>(vsize, 0), '\0');
        const ssize_t vlen
            = vsize < 0 ? -1 : ::lgetxattr(from.constData(), name.constData(), value.data(), value.size());
        if (vlen >= 0)
            ::lsetxattr(to.constData(), name.constData(), value.constData(), static_cast<size_t>(vlen), 0);
    }
}

// A copy of the regular file `src` at `tmp`, with its mode: its data (holes kept), none (an
// edit that truncates it anyway) or a hole of its size (metadata only, as the kernel's
// metacopy files are: their size is the data's, which stays below).
enum class FileCopy : unsigned char { Data, None, Hole };
int copyFile(const QByteArray &src, const struct stat &st, const QByteArray &tmp, FileCopy copy)
{
    // `src` is where the data is; `st` the file's own (a metacopy file's size and mode).
    const int in = ::open(src.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    const int out = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int err = in < 0 || out < 0 ? errno : 0;
    if (!err && copy == FileCopy::Data)
        err = FileData::copy(in, out, st.st_size);
    else if (!err && copy == FileCopy::Hole)
        err = ok(::ftruncate(out, st.st_size));
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
    for (const QString &d : m_config.dataLowers)
        m_dataLowers << encodeFileName(d);
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
    if (code == EXDEV)
        return failure(code, action, QStringLiteral("\"..\" leads above %1, out of the merged view").arg(w));
    if (code == EIO)
        return failure(code, action, QStringLiteral("%1 is a metacopy file without data below it").arg(w));
    return failure(code, action, QStringLiteral("looking up %1 failed").arg(w));
}

QByteArray OverlayEngine::upperPath(const QByteArray &path) const
{
    const QByteArray n = normal(path);
    return n == "/" ? m_upper : m_upper + n;
}

QByteArray OverlayEngine::tempName()
{
    // Like the kernel's "#<hex>" temporaries in work/work, but named as the engine's own, so
    // that the next edit can tell a stale one (left by a process that was killed) and remove it.
    char buf[64];
    std::snprintf(buf,
        sizeof buf,
        "/%s%x-%llx",
        TempPrefix,
        static_cast<unsigned>(::getpid()),
        static_cast<unsigned long long>(++m_counter));
    ::mkdir(encodeFileName(m_config.work).constData(), 0755);
    ::mkdir(m_workTmp.constData(), 0700);
    return m_workTmp + buf;
}

Status OverlayEngine::perform(const MergedOperation &op)
{
    // One edit at a time on these layers, whoever makes it (OverlayLock); what a killed edit
    // left in work/work goes first.
    auto lock = OverlayLock::acquire(m_config.work);
    if (!lock)
        return lock.error();
    removeStaleTemps();
    return dispatch(op);
}

void OverlayEngine::removeStaleTemps() const
{
    // Under the lock no other edit is under way: every temporary of ours is stale.
    auto scanner = DirScanner::openRoot(m_workTmp);
    if (!scanner || !scanner->readAll())
        return;
    for (const DirScanner::Entry &e : scanner->entries()) {
        if (e.name.substr(0, std::strlen(TempPrefix)) == TempPrefix)
            removeAll(m_workTmp + '/' + QByteArray(e.name.data(), static_cast<qsizetype>(e.name.size())));
    }
}

void OverlayEngine::removeAll(const QByteArray &path)
{
    struct stat st {
    };
    if (!lstatPath(path, &st))
        return;
    if (!S_ISDIR(st.st_mode)) {
        ::unlink(path.constData());
        return;
    }
    if ((st.st_mode & 0700) != 0700) // a copy of a read-only directory: open it to empty it
        (void)::chmod(path.constData(), (st.st_mode & 07777) | 0700);
    clearUpperDir(path);
    ::rmdir(path.constData());
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
    e.path = q(normal(path));
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
        if (cur.error && cur.type != EntryType::Directory)
            return cur; // a file lookup refused (a metacopy file): so is anything below it
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
    const bool file = next.type == EntryType::File;
    if (next.type != EntryType::Directory && !(file && m_config.metacopy))
        return true;
    const OverlayXattrs x = OverlayXattrs::readPath(up.constData(), m_config.xattrs);
    next.redirect = x.redirect();
    if (file) {
        // A metacopy file has its data below: lookup goes on for it (under its redirect).
        next.metacopy = x.has(OverlayXattrs::Metacopy);
        if (!next.metacopy)
            next.redirect.clear();
        return !next.metacopy;
    }
    next.opaque = x.has(OverlayXattrs::OpaqueY);
    return next.opaque;
}

QString OverlayEngine::layerName(int layer) const
{
    const int regular = static_cast<int>(m_lowers.size());
    return layer < regular ? m_config.lowerNames.value(layer) : m_config.dataLowerNames.value(layer - regular);
}

bool OverlayEngine::lowerMetacopy(const QByteArray &real, QByteArray *redirect) const
{
    if (!m_config.metacopy && m_dataLowers.isEmpty())
        return false; // the mark is not read (nor refused) without either
    const OverlayXattrs x = OverlayXattrs::readPath(real.constData(), m_config.xattrs);
    *redirect = x.redirect();
    return x.has(OverlayXattrs::Metacopy);
}

void OverlayEngine::findData(const QByteArray &redirect, Node &next) const
{
    for (int d = 0; d < m_dataLowers.size(); ++d) {
        const QByteArray real = m_dataLowers.at(d) + normal(redirect);
        struct stat st {
        };
        // The first regular file at the path; a directory or nothing there: the next layer.
        if (lstatPath(real, &st) && S_ISREG(st.st_mode) && normal(redirect) == redirect) {
            const LowerHit hit {static_cast<int>(m_lowers.size()) + d, real, EntryType::File};
            if (next.metacopy)
                next.lowers << hit;
            else
                next.data = hit;
            return;
        }
    }
    next.dataError = ENOENT;
}

void OverlayEngine::resolveLower(const Node &parent, const QByteArray &name, Node &next) const
{
    const int bottom = static_cast<int>(m_lowers.size()) - 1;
    QByteArray look = name;
    bool absolute = false;
    bool wantData = false; // below a lower metacopy file (metacopy=on): its data
    QByteArray dataRedirect; // the last absolute redirect of a metacopy file on the way
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
        QByteArray r;
        if (next.metacopy || wantData) { // the data of a metacopy file: the first file below, or none (EIO)
            if (t == EntryType::File && lowerMetacopy(real, &r)) {
                if (r.startsWith('/'))
                    dataRedirect = r;
                return true; // a metacopy file below holds no data either
            }
            if (t == EntryType::File) {
                (next.metacopy ? next.lowers.emplaceBack() : next.data) = LowerHit {layer, real, t};
                wantData = false;
            }
            return false;
        }
        if (t != EntryType::Directory) {
            if (next.exists)
                return false;
            next.exists = true;
            next.type = t;
            next.lowers << LowerHit {layer, real, t};
            if (t != EntryType::File || !lowerMetacopy(real, &r))
                return false;
            if (r.startsWith('/'))
                dataRedirect = r;
            if (!m_config.metacopy) {
                // Only the last regular layer's files may lead into the data-only layers.
                if (layer != bottom || dataRedirect.isEmpty()) {
                    next.error = EPERM;
                    next.metacopyRefused = true;
                }
                return false;
            }
            wantData = true;
            if (!r.isEmpty()) {
                absolute = r.startsWith('/');
                look = r;
            }
            lastLayer = layer;
            return layer != bottom;
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
    const bool lowerWithout = next.exists && next.upper.isEmpty() && next.type == EntryType::File && !next.error
        && next.data.layer < 0 && (wantData || !dataRedirect.isEmpty());
    const bool upperWithout = next.metacopy && next.lowers.isEmpty();
    if ((lowerWithout || upperWithout) && !dataRedirect.isEmpty() && !m_dataLowers.isEmpty())
        findData(dataRedirect, next);
    else if (lowerWithout && wantData)
        next.error = EIO; // a metacopy file without data: the kernel's lookup fails
}

int OverlayEngine::dotsError(const QByteArray &path, bool resolveLast, QByteArray *where) const
{
    if (!path.contains('.'))
        return 0;
    // As the kernel walks them below the merged root (RESOLVE_BENEATH): a "." or ".." needs a
    // directory before it, and ".." cannot leave the root (EXDEV).
    const QList<QByteArray> names = path.split('/');
    QList<QByteArray> stack;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const QByteArray &c = names.at(i);
        if (c != "." && c != "..") {
            if (!c.isEmpty())
                stack << c;
            continue;
        }
        *where = '/' + stack.join('/');
        const Node n = resolve(*where);
        if (n.error) {
            *where = n.where;
            return n.error;
        }
        if (!n.exists || n.type != EntryType::Directory)
            return !n.exists ? ENOENT : n.type == EntryType::Symlink ? ELOOP : ENOTDIR;
        const bool last = names.mid(i + 1).join("").isEmpty();
        if (c == "." || (last && !resolveLast))
            continue;
        if (stack.isEmpty())
            return EXDEV;
        stack.removeLast();
    }
    return 0;
}

Result<OverlayEngine::Node> OverlayEngine::lookup(const QByteArray &path, Presence presence, const Action &action) const
{
    QByteArray where;
    if (const int err = dotsError(path, true, &where))
        return lookupFailure(err, where, action);
    Node n = resolve(path);
    if (n.metacopyRefused)
        return failure(EPERM,
            action,
            QStringLiteral("refusing to follow metacopy origin for %1: without metacopy=on only a metacopy file of "
                           "the last regular lower layer, with an absolute redirect into a data-only layer, is taken")
                .arg(q(n.where)));
    if (n.error)
        return lookupFailure(n.error, n.where, action);
    if (n.exists && presence == Presence::New)
        return failure(EEXIST, action, QStringLiteral("%1 already exists").arg(q(normal(path))));
    // "file/": only a directory can be looked up with a slash after it.
    if (n.exists && presence == Presence::Existing && trailingSlash(path) && n.type != EntryType::Directory)
        return lookupFailure(ENOTDIR, normal(path), action);
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

Status OverlayEngine::newName(const QByteArray &path, const Action &action) const
{
    if (const auto dot = finalDotFailure(path, EEXIST, EEXIST, action))
        return *dot;
    if (const auto n = lookup(path, Presence::New, action); !n)
        return n.error();
    return {};
}

std::optional<Error> OverlayEngine::finalDotFailure(
    const QByteArray &path, int dotCode, int dotDotCode, const Action &action) const
{
    const bool root = path.count('/') == path.size(); // "", "/", "//"
    const Dot dot = root ? Dot::One : finalDot(path);
    if (dot == Dot::None)
        return std::nullopt;
    // Edits that do not look their last name up (rm, rmdir, mkdir, mv ...) answer by the dot
    // itself, once the directories before it resolve.
    QByteArray where;
    if (const int err = dotsError(path, false, &where))
        return lookupFailure(err, where, action);
    const int code = dot == Dot::One ? dotCode : dotDotCode;
    if (root)
        return failure(code, action, QStringLiteral("it is the root of the merged view"));
    return failure(code,
        action,
        QStringLiteral("%1 ends in \"%2\", which names no entry of its own")
            .arg(q(path), dot == Dot::One ? QStringLiteral(".") : QStringLiteral("..")));
}

Status OverlayEngine::parentDirectory(const QByteArray &path, const Action &action) const
{
    QByteArray where;
    if (const int err = dotsError(path, false, &where))
        return lookupFailure(err, where, action);
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
    return {};
}

Status OverlayEngine::throughNode(
    const Node &n, const QByteArray &path, const Action &action, const std::function<int(int fd)> &use)
{
    // A device, FIFO or socket is opened as the kernel opens it through the overlay: the node
    // itself, never copied up for that (a FIFO without a reader, or a socket, says ENXIO).
    const QByteArray real = realPath(n);
    const int fd = ::open(real.constData(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        const int err = errno;
        return failure(err,
            action,
            err == ENXIO ? QStringLiteral("%1 is a FIFO or socket that nobody reads").arg(q(normal(path)))
                         : QStringLiteral("opening %1 failed").arg(q(real)));
    }
    const int err = use ? use(fd) : 0;
    ::close(fd);
    if (err)
        return failure(err, action, QStringLiteral("%1 refused it").arg(q(normal(path))));
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

QByteArray OverlayEngine::dataPath(const Node &n)
{
    if (n.data.layer >= 0)
        return n.data.path;
    return n.metacopy && !n.lowers.isEmpty() ? n.lowers.first().path : realPath(n);
}

Result<QByteArray> OverlayEngine::read(const QByteArray &path) const
{
    const Action action = QStringLiteral("read %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    if (n->dataError)
        return failure(
            n->dataError, action, QStringLiteral("the data of %1 is in no data-only layer").arg(q(normal(path))));
    if (n->metacopy && n->lowers.isEmpty()) // as the kernel answers an open of it
        return failure(EIO, action, QStringLiteral("%1 is a metacopy file without data below it").arg(q(normal(path))));
    QFile f(q(dataPath(*n)));
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

Status OverlayEngine::copyUp(const QByteArray &pathIn, Copy copy)
{
    const QByteArray path = normal(pathIn);
    const auto n = lookup(path, Presence::Existing, QStringLiteral("copy %1 up").arg(q(path)));
    if (!n)
        return n.error();
    if (!n->upper.isEmpty())
        return {};
    // Its data is looked up before anything is copied up, its parents included.
    if (n->dataError)
        return failure(n->dataError,
            QStringLiteral("copy %1 up").arg(q(path)),
            QStringLiteral("its data is in no data-only layer"));
    // Parents first, from the top down.
    if (path != "/") {
        if (Status parent = copyUp(parentOf(path)); !parent)
            return parent;
    }
    if (auto up = copyUpOne(path, *n, {}, copy); !up)
        return up.error();
    return {};
}

bool OverlayEngine::metadataOnly(Copy copy, const struct stat &st) const
{
    // ovl_need_meta_copy_up(): regular files only, for edits that neither write nor truncate.
    return copy == Copy::Metadata && m_config.metacopy && S_ISREG(st.st_mode);
}

int OverlayEngine::copyEntry(
    const QByteArray &src, const QByteArray &data, const struct stat &st, const QByteArray &tmp, Copy copy)
{
    if (S_ISDIR(st.st_mode))
        return ok(::mkdir(tmp.constData(), st.st_mode & 07777));
    if (S_ISREG(st.st_mode))
        return copyFile(data,
            st,
            tmp,
            copy == Copy::Data         ? FileCopy::Data
                : copy == Copy::NoData ? FileCopy::None
                                       : FileCopy::Hole);
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

Result<bool> OverlayEngine::copyUpOne(const QByteArray &path, const Node &n, const CreateFn &change, Copy copy)
{
    const LowerHit &src = n.lowers.first();
    const QString from = m_config.lowerNames.value(src.layer);
    const Action action = QStringLiteral("copy %1 up from %2 into %3").arg(q(path), from, m_config.upperName);
    // Its data is looked up before any copy-up, even one without data (ovl_verify_lowerdata()).
    if (n.dataError)
        return failure(n.dataError, action, QStringLiteral("its data is in no data-only layer"));
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
    const bool metaOnly = metadataOnly(copy, st);
    // Without data only when the change replaces it, or when it stays below (metacopy).
    const Copy how = metaOnly ? Copy::Metadata : copy == Copy::NoData && change ? Copy::NoData : Copy::Data;
    if (const int err = copyEntry(src.path, n.data.layer >= 0 ? n.data.path : src.path, st, tmp, how)) {
        removeAll(tmp);
        return failure(err, action, QStringLiteral("making the copy %1 failed").arg(q(tmp)));
    }
    (void)::lchown(tmp.constData(), st.st_uid, st.st_gid);
    if (!S_ISLNK(st.st_mode))
        (void)::chmod(tmp.constData(), st.st_mode & 07777); // chown may have cleared set-id bits
    copyXattrs(src.path, tmp, m_config.xattrs);
    if (metaOnly) {
        const QByteArray key = OverlayXattrs::prefix(m_config.xattrs) + "metacopy";
        if (::lsetxattr(tmp.constData(), key.constData(), "", 0, 0) != 0) {
            const int err = errno;
            removeAll(tmp);
            return failure(err, action, QStringLiteral("marking the copy %1 %2 failed").arg(q(tmp), q(key)));
        }
    }
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    (void)::utimensat(AT_FDCWD, tmp.constData(), times, AT_SYMLINK_NOFOLLOW);
    // The edit that needed the copy is made on it here, so that the copy and the change
    // reach upper in one rename: a crash leaves the old state or the new one. Where it fails
    // on the copy, the copy-up goes on without it and the caller makes it in upper, and
    // fails there, as in the kernel.
    if (change && change(tmp) != 0) {
        removeAll(tmp);
        auto plain = copyUpOne(path, n, {}, copy);
        return plain ? Result<bool>(false) : plain;
    }
    const QByteArray dest = upperPath(path);
    if (::renameat2(AT_FDCWD, tmp.constData(), AT_FDCWD, dest.constData(), RENAME_NOREPLACE) != 0) {
        const int err = errno;
        removeAll(tmp);
        // Copied up meanwhile by someone else: whoever loses the race uses the winner's copy.
        if (err == EEXIST)
            return false;
        return failure(err, action, QStringLiteral("moving the copy to %1 failed").arg(q(dest)));
    }
    if (metaOnly) {
        step(OverlayEvent::Kind::Metacopy,
            path,
            from,
            QStringLiteral("Only the metadata of %1 was copied up into %2 (metacopy=on); the data stays in %3 until "
                           "the file is written.")
                .arg(q(path), m_config.upperName, from));
        return static_cast<bool>(change);
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
    return static_cast<bool>(change);
}

void OverlayEngine::whiteoutStep(const QByteArray &path)
{
    // Which lower copy the whiteout hides, for the event.
    const auto below = firstLowerAt(path);
    const QString hidden = below && !below->whiteout ? m_config.lowerNames.value(below->layer) : QString();
    step(OverlayEvent::Kind::Whiteout,
        path,
        hidden,
        QStringLiteral("%1 is hidden by a whiteout (a character device 0/0) in %2: %3 cannot change.")
            .arg(q(path), m_config.upperName, hidden.isEmpty() ? QStringLiteral("the lower layer") : hidden));
}

Status OverlayEngine::makeWhiteout(const QByteArray &path)
{
    const Action action = QStringLiteral("hide %1 with a whiteout").arg(q(path));
    // Built in work, then moved into place (exchanged with the upper entry if there is one).
    const QByteArray tmp = tempName();
    if (::mknod(tmp.constData(), S_IFCHR | 0000, makedev(0, 0)) != 0)
        return failure(errno, action, QStringLiteral("creating the whiteout %1 failed").arg(q(tmp)));
    const QByteArray dest = upperPath(path);
    struct stat st {
    };
    const bool inUpper = lstatPath(dest, &st);
    if (inUpper ? ::renameat2(AT_FDCWD, tmp.constData(), AT_FDCWD, dest.constData(), RENAME_EXCHANGE) != 0
                : ::renameat2(AT_FDCWD, tmp.constData(), AT_FDCWD, dest.constData(), RENAME_NOREPLACE) != 0) {
        const int err = errno;
        ::unlink(tmp.constData());
        return failure(err, action, QStringLiteral("moving the whiteout to %1 failed").arg(q(dest)));
    }
    // tmp now holds what was in upper (a tree, or a file), out of the view: removed there.
    if (inUpper)
        removeAll(tmp);
    whiteoutStep(path);
    return {};
}

void OverlayEngine::clearUpperDir(const QByteArray &dir)
{
    // What may be left in the upper copy of an empty merged directory: whiteouts.
    auto scanner = DirScanner::openRoot(dir);
    if (!scanner || !scanner->readAll())
        return;
    for (const DirScanner::Entry &e : scanner->entries())
        removeAll(dir + '/' + QByteArray(e.name.data(), static_cast<qsizetype>(e.name.size())));
}

Status OverlayEngine::placeNew(const QByteArray &path, const CreateFn &create, bool isDir, bool atomic)
{
    const Action action = QStringLiteral("create %1").arg(q(normal(path)));
    const QByteArray parent = parentOf(path);
    if (Status up = copyUp(parent); !up)
        return up;
    if (resolve(path).upperWhiteout)
        return placeOverWhiteout(path, create, isDir, action);
    const bool opaque = isDir && isMergeDir(resolve(parent)) && !m_config.allowOfflineChanges;
    const QByteArray dest = upperPath(path);
    if (atomic || opaque) {
        // Not one system call (a file and its data, a directory and its mark): made in work
        // and moved in, so that it appears whole or not at all.
        const auto tmp = prepareNew(path, create, isDir, opaque, action);
        if (!tmp)
            return tmp.error();
        if (::renameat2(AT_FDCWD, tmp->constData(), AT_FDCWD, dest.constData(), RENAME_NOREPLACE) != 0) {
            const int err = errno;
            removeAll(*tmp);
            return failure(err, action, QStringLiteral("moving %1 into place failed").arg(q(*tmp)));
        }
    } else if (const int err = create(dest)) {
        return failure(err, action, QStringLiteral("creating %1 failed").arg(q(dest)));
    }
    step(OverlayEvent::Kind::Created,
        path,
        QString(),
        QStringLiteral("%1 is new: it exists only in %2.").arg(q(path), m_config.upperName));
    return {};
}

Result<QByteArray> OverlayEngine::prepareNew(
    const QByteArray &path, const CreateFn &create, bool isDir, bool opaque, const Action &action)
{
    const QByteArray tmp = tempName();
    if (const int err = create(tmp)) {
        removeAll(tmp);
        return failure(err, action, QStringLiteral("creating %1 failed").arg(q(tmp)));
    }
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
    if (opaque) {
        if (Status marked = setOpaque(tmp, path); !marked) {
            removeAll(tmp);
            return marked.error();
        }
    }
    return tmp;
}

Status OverlayEngine::placeOverWhiteout(
    const QByteArray &path, const CreateFn &create, bool isDir, const Action &action)
{
    // Re-creating a deleted name: build it in work, then swap it with the whiteout.
    const QByteArray dest = upperPath(path);
    const auto tmp = prepareNew(path, create, isDir, isDir, action);
    if (!tmp)
        return tmp.error();
    if (!isDir) {
        if (::rename(tmp->constData(), dest.constData()) != 0) {
            const int err = errno;
            removeAll(*tmp);
            return failure(err, action, QStringLiteral("moving %1 over the whiteout failed").arg(q(*tmp)));
        }
        step(OverlayEvent::Kind::Created,
            path,
            QString(),
            QStringLiteral("%1 was created over a whiteout: %2 now holds it.").arg(q(path), m_config.upperName));
        return {};
    }
    if (::renameat2(AT_FDCWD, tmp->constData(), AT_FDCWD, dest.constData(), RENAME_EXCHANGE) != 0) {
        const int err = errno;
        removeAll(*tmp);
        return failure(err, action, QStringLiteral("exchanging %1 with the whiteout failed").arg(q(*tmp)));
    }
    ::unlink(tmp->constData()); // the whiteout, now in work
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
    if (trailingSlash(path)) // open(O_CREAT) of "name/"
        return failure(EISDIR, action, QStringLiteral("%1 ends in a slash, so it names a directory").arg(q(path)));
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
            path, [&](const QByteArray &real) { return writeTo(real, true); }, false, !data.isEmpty());
    if (Status file = writableFile(*n, path, action); !file)
        return file;
    if (n->dataError) // an open looks the data up first (ovl_maybe_lookup_lowerdata())
        return failure(n->dataError, action, QStringLiteral("the data of %1 is in no data-only layer").arg(q(path)));
    if (n->type != EntryType::File)
        return throughNode(*n, path, action, [&data](int fd) {
            return ::write(fd, data.constData(), static_cast<size_t>(data.size())) < 0 ? errno : 0;
        });
    // Overwriting needs no copy of the old data.
    return changeInUpper(
        path,
        action,
        QStringLiteral("The copy of %1 in %2 was changed."),
        [&writeTo](const QByteArray &real) { return writeTo(real, false); },
        append ? Copy::Data : Copy::NoData);
}

Status OverlayEngine::truncate(const QByteArray &path, qint64 size)
{
    const Action action = QStringLiteral("truncate %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    if (Status file = writableFile(*n, path, action); !file)
        return file;
    if (n->type != EntryType::File)
        return throughNode(*n, path, action, [size](int fd) { return ok(::ftruncate(fd, size)); });
    return changeInUpper(
        path, action, QString(), [size](const QByteArray &real) { return ok(::truncate(real.constData(), size)); });
}

Status OverlayEngine::touch(const QByteArray &path)
{
    const Action action = QStringLiteral("touch %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Either, action);
    if (!n)
        return n.error();
    if (!n->exists || trailingSlash(path))
        return write(path, QByteArray(), false);
    if (Status file = writableFile(*n, path, action); !file)
        return file;
    // A device opens as itself; setting its times then copies it up, as in the kernel.
    if (n->type != EntryType::File) {
        if (Status opened = throughNode(*n, path, action, {}); !opened)
            return opened;
    }
    return changeInUpper(path, action, QString(), [](const QByteArray &real) {
        return ok(::utimensat(AT_FDCWD, real.constData(), nullptr, AT_SYMLINK_NOFOLLOW));
    });
}

Status OverlayEngine::mkdir(const QByteArray &path, mode_t mode)
{
    const Action action = QStringLiteral("create the directory %1").arg(q(normal(path)));
    if (Status fresh = newName(path, action); !fresh)
        return fresh;
    return placeNew(
        path, [mode](const QByteArray &real) { return ok(::mkdir(real.constData(), mode)); }, true, false);
}

Status OverlayEngine::symlink(const QByteArray &target, const QByteArray &path)
{
    const Action action = QStringLiteral("create the symbolic link %1").arg(q(normal(path)));
    if (Status fresh = newName(path, action); !fresh)
        return fresh;
    if (trailingSlash(path)) // a new name with a slash asks for a directory
        return failure(
            ENOENT, action, QStringLiteral("%1 ends in a slash, and a link is not a directory").arg(q(path)));
    return placeNew(
        path,
        [&target](const QByteArray &real) { return ok(::symlink(target.constData(), real.constData())); },
        false,
        false);
}

Status OverlayEngine::link(const QByteArray &from, const QByteArray &to)
{
    const Action action = QStringLiteral("link %1 as %2").arg(q(normal(from)), q(normal(to)));
    const auto src = lookupSource(from, to, action);
    if (!src)
        return src.error();
    if (Status fresh = newName(to, action); !fresh)
        return fresh;
    if (trailingSlash(to))
        return failure(ENOENT, action, QStringLiteral("%1 ends in a slash, and a link is not a directory").arg(q(to)));
    if (src->type == EntryType::Directory)
        return failure(EPERM,
            action,
            QStringLiteral("%1 is a directory, and directories cannot have hard links").arg(q(normal(from))));
    if (Status up = copyUp(from, Copy::Metadata); !up)
        return up;
    // Two names, maybe in two directories, for data below: an absolute redirect (ovl_link()).
    if (Status r = redirectFile(from, resolve(from), false); !r)
        return r;
    const QByteArray srcReal = upperPath(from);
    return placeNew(
        to,
        [&srcReal](const QByteArray &real) { return ok(::link(srcReal.constData(), real.constData())); },
        false,
        false);
}

Status OverlayEngine::unlink(const QByteArray &path)
{
    const Action action = QStringLiteral("remove %1").arg(q(normal(path)));
    if (const auto dot = finalDotFailure(path, EISDIR, EISDIR, action))
        return *dot;
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
    // rmdir(2) of "." says EINVAL, of ".." ENOTEMPTY; the merged root is ".".
    if (const auto dot = finalDotFailure(path, EINVAL, ENOTEMPTY, action))
        return *dot;
    const auto n = lookupDirectory(path, action);
    if (!n)
        return n.error();
    if (!mergedEmpty(path))
        return failure(ENOTEMPTY, action, QStringLiteral("%1 is not empty in the merged view").arg(q(normal(path))));
    if (Status up = copyUp(parentOf(path)); !up)
        return up;
    if (lowerPositive(path))
        return makeWhiteout(path);
    // A merged directory (here: one reached through a redirect) is moved out of the view in
    // one step and emptied of its whiteouts in work; one of the upper layer alone is removed
    // with a plain rmdir, so whiteouts left inside it make the kernel answer ENOTEMPTY (as
    // observed on Linux 6.18).
    if (!n->lowers.isEmpty())
        return moveOutOfView(path, n->upper, action);
    if (::rmdir(n->upper.constData()) != 0)
        return failure(errno, action, QStringLiteral("removing %1 failed").arg(q(n->upper)));
    removed(path);
    return {};
}

Status OverlayEngine::moveOutOfView(const QByteArray &path, const QByteArray &real, const Action &action)
{
    const QByteArray tmp = tempName();
    if (::renameat2(AT_FDCWD, real.constData(), AT_FDCWD, tmp.constData(), RENAME_NOREPLACE) != 0)
        return failure(errno, action, QStringLiteral("moving %1 to the work directory failed").arg(q(real)));
    removeAll(tmp);
    removed(path);
    return {};
}

Status OverlayEngine::removeTree(const QByteArray &path)
{
    const Action action = QStringLiteral("remove %1 and all below it").arg(q(normal(path)));
    // As rm(1): never the root, ".", or ".." (once ".." is known not to leave the view).
    QByteArray where;
    if (const int err = dotsError(path, true, &where))
        return lookupFailure(err, where, action);
    if (const auto dot = finalDotFailure(path, EINVAL, EINVAL, action))
        return *dot;
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    if (n->type != EntryType::Directory)
        return unlink(path);
    const QByteArray base = normal(path);
    if (::geteuid() == 0 && removableAtOnce(base, *n)) {
        // All of it would go: the same end state in one step (a whiteout, or the upper tree
        // moved to work), so that a crash leaves the old tree or none.
        if (Status up = copyUp(parentOf(base)); !up)
            return up;
        return lowerPositive(base) ? makeWhiteout(base) : moveOutOfView(base, n->upper, action);
    }
    const auto children = list(path);
    if (!children)
        return children.error();
    Status first;
    for (const QByteArray &c : *children) {
        Status s = removeTree(base + '/' + c);
        if (!s && first)
            first = std::move(s);
    }
    return first ? rmdir(path) : first;
}

bool OverlayEngine::removableAtOnce(const QByteArray &path, const Node &n) const
{
    // Whether removeTree() entry by entry would succeed everywhere (permissions aside: root
    // only): every name below resolves, and an upper-only directory that rmdir removes for
    // real holds nothing but the names that go with the entries (no whiteouts left).
    const auto children = list(path);
    if (!children)
        return false;
    if (!n.upper.isEmpty() && n.lowers.isEmpty() && !lowerPositive(path)) {
        const QSet<QByteArray> listed(children->begin(), children->end());
        auto scanner = DirScanner::openRoot(n.upper);
        if (!scanner || !scanner->readAll())
            return false;
        for (const DirScanner::Entry &e : scanner->entries()) {
            if (!listed.contains(QByteArray(e.name.data(), static_cast<qsizetype>(e.name.size()))))
                return false;
        }
    }
    for (const QByteArray &c : *children) {
        const QByteArray child = (path == "/" ? QByteArray() : path) + '/' + c;
        const Node cn = resolve(child);
        if (cn.error || (cn.type == EntryType::Directory && !removableAtOnce(child, cn)))
            return false;
    }
    return true;
}

Status OverlayEngine::changeInUpper(
    const QByteArray &path, const Action &action, const QString &explanation, const CreateFn &change, Copy copy)
{
    const Node n = resolve(path);
    bool done = false;
    if (n.upper.isEmpty() && n.dataError) // looked up before the parents are copied up
        return failure(n.dataError, action, QStringLiteral("the data of %1 is in no data-only layer").arg(q(path)));
    if (n.upper.isEmpty()) {
        if (Status parent = copyUp(parentOf(path)); !parent)
            return parent;
        // Copied up with the change made on the copy: one step into upper.
        auto up = copyUpOne(normal(path), n, change, copy);
        if (!up)
            return up.error();
        done = *up;
    } else if (n.metacopy && copy != Copy::Metadata) {
        if (Status data = copyUpData(normal(path), n, copy, action); !data)
            return data;
    }
    const QByteArray real = upperPath(path);
    if (!done) {
        if (const int err = change(real))
            return failure(err, action, QStringLiteral("changing %1 failed").arg(q(real)));
    }
    if (!explanation.isEmpty())
        step(OverlayEvent::Kind::Modified, path, QString(), explanation.arg(q(normal(path)), m_config.upperName));
    return {};
}

Status OverlayEngine::copyUpData(const QByteArray &path, const Node &n, Copy copy, const Action &action)
{
    if (n.dataError)
        return failure(n.dataError,
            action,
            QStringLiteral("%1 has only its metadata in %2, and its data is in no data-only layer")
                .arg(q(path), m_config.upperName));
    if (n.lowers.isEmpty())
        return failure(EIO,
            action,
            QStringLiteral("%1 has only its metadata in %2, and no data below").arg(q(path), m_config.upperName));
    const LowerHit &src = n.lowers.first();
    const QString from = layerName(src.layer);
    // In place, as the kernel does: until the mark goes, lookup still reads the data below.
    if (copy == Copy::Data) {
        const int in = ::open(src.path.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        const int out = ::open(n.upper.constData(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        // As much as the file's own size (the metacopy's): its data may be longer or shorter.
        struct stat st {
        };
        int err = in < 0 || out < 0 || ::fstat(out, &st) != 0 ? errno : FileData::copy(in, out, st.st_size);
        for (const int fd : {in, out}) {
            if (fd >= 0)
                ::close(fd);
        }
        if (err)
            return failure(err, action, QStringLiteral("copying the data of %1 up from %2 failed").arg(q(path), from));
    }
    const QByteArray key = OverlayXattrs::prefix(m_config.xattrs) + "metacopy";
    if (::lremovexattr(n.upper.constData(), key.constData()) != 0)
        return failure(errno, action, QStringLiteral("removing %1 from %2 failed").arg(q(key), q(n.upper)));
    step(OverlayEvent::Kind::CopyUp,
        path,
        from,
        QStringLiteral("%1 had only its metadata in %2 (metacopy): before the change its data was copied up from %3 "
                       "too, and overlay.metacopy removed.")
            .arg(q(path), m_config.upperName, from));
    return {};
}

Status OverlayEngine::redirectFile(const QByteArray &from, const Node &n, bool samedir)
{
    // Only a file whose data is below needs to find it again (ovl_type_merge_or_lower()).
    if (!n.metacopy || n.lowers.isEmpty())
        return {};
    // ovl_set_redirect(): keep a redirect that still holds.
    if (!n.redirect.isEmpty() && (samedir || n.redirect.startsWith('/')))
        return {};
    // ovl_need_absolute_redirect(): the name alone only in the same directory, and not for a
    // lower hard link (its other names may be copied up into other directories).
    struct stat st {
    };
    const bool linked = lstatPath(n.lowers.first().path, &st) && st.st_nlink > 1;
    return setRedirect(n.upper, from, samedir && !linked ? baseOf(from) : absoluteRedirect(from));
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
    if (n->dataError && n->upper.isEmpty()) // what the kernel answers (observed on 6.18), not ENOENT
        return failure(EOPNOTSUPP,
            action,
            QStringLiteral("the data of %1 is in no data-only layer, so it cannot be copied up").arg(q(normal(path))));
    return changeInUpper(
        path,
        action,
        QStringLiteral("The mode of %1 was changed in %2."),
        [mode](const QByteArray &real) { return ok(::chmod(real.constData(), mode)); },
        Copy::Metadata);
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
    if (Status parent = parentDirectory(fromIn, action); !parent)
        return parent.error();
    if (Status parent = parentDirectory(toIn, action); !parent)
        return parent.error();
    for (const QByteArray *p : {&fromIn, &toIn}) { // the root, "." and ".." cannot move
        if (const auto dot = finalDotFailure(*p, EBUSY, EBUSY, action))
            return *dot;
    }
    const auto src = lookup(fromIn, Presence::Existing, action);
    if (!src)
        return src.error();
    const auto dst = lookup(toIn, Presence::Either, action);
    if (!dst)
        return dst.error();
    // A slash after either name asks for a directory (do_renameat2()).
    if (src->type != EntryType::Directory && (trailingSlash(fromIn) || trailingSlash(toIn)))
        return failure(
            ENOTDIR, action, QStringLiteral("%1 is not a directory, and a name ends in a slash").arg(q(from)));
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
    if (Status up = copyUp(from, Copy::Metadata); !up)
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
    } else if (Status r = redirectFile(from, srcUp, parentOf(from) == parentOf(to)); !r) {
        return r;
    }
    struct stat st {
    };
    const bool dstInUpper = lstatPath(dstReal, &st);
    // Whiteouts in a merged target are cleared first; in an upper-only one they stay, and the
    // real rename answers ENOTEMPTY, as in the kernel.
    if (dstInUpper && S_ISDIR(st.st_mode) && !dst.lowers.isEmpty()) {
        if (Status emptied = replaceWithEmpty(dstReal, to, st, action); !emptied)
            return emptied;
    }
    const bool overWhiteout = dstInUpper && DirScanner::isWhiteout(st);
    if (overWhiteout && (srcNeedsWhiteout || srcDir)) {
        // Swap with the whiteout: it lands at the old name, as needed (or goes, for a directory).
        if (::renameat2(AT_FDCWD, srcReal.constData(), AT_FDCWD, dstReal.constData(), RENAME_EXCHANGE) != 0)
            return failure(errno, action, QStringLiteral("exchanging %1 with a whiteout failed").arg(q(srcReal)));
        if (!srcNeedsWhiteout)
            ::unlink(srcReal.constData());
    } else if (srcNeedsWhiteout
        && ::renameat2(AT_FDCWD, srcReal.constData(), AT_FDCWD, dstReal.constData(), RENAME_WHITEOUT) == 0) {
        // The move and the whiteout at the old name in one step, as the kernel makes them.
        whiteoutStep(from);
    } else {
        if (srcNeedsWhiteout && errno != EINVAL && errno != EPERM) // not a filesystem without RENAME_WHITEOUT
            return failure(errno, action, QStringLiteral("renaming %1 in the upper layer failed").arg(q(srcReal)));
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

Status OverlayEngine::replaceWithEmpty(
    const QByteArray &real, const QByteArray &path, const struct stat &st, const Action &action)
{
    // ovl_clear_empty(): an empty opaque directory with the same attributes takes the place of
    // the upper copy in one exchange — the view does not change, the directory was empty in
    // it — and the old copy, whiteouts and all, is removed in work.
    const QByteArray tmp = tempName();
    if (::mkdir(tmp.constData(), st.st_mode & 07777) != 0)
        return failure(errno, action, QStringLiteral("creating %1 failed").arg(q(tmp)));
    (void)::lchown(tmp.constData(), st.st_uid, st.st_gid);
    (void)::chmod(tmp.constData(), st.st_mode & 07777);
    if (Status opaque = setOpaque(tmp, path); !opaque) {
        removeAll(tmp);
        return opaque;
    }
    if (::renameat2(AT_FDCWD, tmp.constData(), AT_FDCWD, real.constData(), RENAME_EXCHANGE) != 0) {
        const int err = errno;
        removeAll(tmp);
        return failure(err, action, QStringLiteral("emptying %1 failed").arg(q(real)));
    }
    removeAll(tmp);
    return {};
}

namespace
{
// CAP_SYS_ADMIN in the initial user namespace: the capability, and the identity mapping of
// every uid that only the initial namespace has.
bool machineAdmin()
{
    QFile status(QStringLiteral("/proc/self/status"));
    QFile uidMap(QStringLiteral("/proc/self/uid_map"));
    if (!status.open(QIODevice::ReadOnly) || !uidMap.open(QIODevice::ReadOnly))
        return ::geteuid() == 0;
    if (uidMap.readAll().simplified() != "0 0 4294967295")
        return false;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("CapEff:"))
            return (line.mid(7).trimmed().toULongLong(nullptr, 16) >> 21) & 1; // CAP_SYS_ADMIN
    }
    return false;
}

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
    // (uid_t)-1 leaves the owner as it is: chown(2) does not ask the namespace about it.
    const auto unmapped = [](unsigned id, const char *map) {
        return id != static_cast<unsigned>(-1) && !idMapped(id, map);
    };
    if (unmapped(uid, "/proc/self/uid_map") || unmapped(gid, "/proc/self/gid_map"))
        return failure(EINVAL, action, QStringLiteral("the id is not mapped in this user namespace"));
    return changeInUpper(
        path,
        action,
        QStringLiteral("The owner of %1 was changed in %2."),
        [uid, gid](const QByteArray &real) { return ok(::lchown(real.constData(), uid, gid)); },
        Copy::Metadata);
}

Status OverlayEngine::utimes(const QByteArray &path, qint64 seconds)
{
    const Action action = QStringLiteral("set the times of %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    return changeInUpper(
        path,
        action,
        QString(),
        [seconds](const QByteArray &real) {
            const struct timespec t {
                static_cast<time_t>(seconds), 0
            };
            const struct timespec times[2] = {t, t};
            return ok(::utimensat(AT_FDCWD, real.constData(), times, AT_SYMLINK_NOFOLLOW));
        },
        Copy::Metadata);
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
    // trusted.* needs CAP_SYS_ADMIN in the initial user namespace, checked before the overlay
    // is asked (xattr_permission()), so before any copy-up.
    if (n && name.startsWith("trusted.") && !machineAdmin())
        return failure(EPERM,
            action,
            QStringLiteral("only an administrator of the whole machine may change trusted.* attributes"));
    return n;
}

Result<QByteArray> OverlayEngine::storedXattrName(const QByteArray &name, const Action &action) const
{
    // The overlay's own prefix is escaped on the layer (a nested overlay's markers), as the
    // kernel does; a name that escaping makes too long is EOPNOTSUPP (ovl_xattr_escape_name()).
    const QByteArray stored = OverlayXattrs::escapedName(name, m_config.xattrs);
    if (stored.size() > XATTR_NAME_MAX)
        return failure(EOPNOTSUPP, action, QStringLiteral("%1, escaped as %2, is too long").arg(q(name), q(stored)));
    return stored;
}

Status OverlayEngine::setXattr(const QByteArray &path, const QByteArray &name, const QByteArray &value)
{
    const Action action = QStringLiteral("set the attribute %1 of %2").arg(q(name), q(normal(path)));
    if (const auto n = lookupForXattr(path, name, action); !n)
        return n.error();
    const auto stored = storedXattrName(name, action);
    if (!stored)
        return stored.error();
    return changeInUpper(
        path,
        action,
        QStringLiteral("An extended attribute of %1 was set in %2."),
        [key = *stored, &value](const QByteArray &real) {
            return ok(::lsetxattr(
                real.constData(), key.constData(), value.constData(), static_cast<size_t>(value.size()), 0));
        },
        Copy::Metadata);
}

Status OverlayEngine::removeXattr(const QByteArray &path, const QByteArray &name)
{
    const Action action = QStringLiteral("remove the attribute %1 of %2").arg(q(name), q(normal(path)));
    const auto n = lookupForXattr(path, name, action);
    if (!n)
        return n.error();
    const auto stored = storedXattrName(name, action);
    if (!stored)
        return stored.error();
    if (n->upper.isEmpty()) {
        // ovl_xattr_set(): removing what the lower copy does not have fails without a copy-up.
        char probe[1];
        if (::lgetxattr(n->lowers.first().path.constData(), stored->constData(), probe, 0) < 0 && errno == ENODATA)
            return failure(ENODATA, action, QStringLiteral("%1 has no such attribute").arg(q(normal(path))));
    }
    return changeInUpper(
        path,
        action,
        QString(),
        [key = *stored](const QByteArray &real) { return ok(::lremovexattr(real.constData(), key.constData())); },
        Copy::Metadata);
}

Result<QByteArray> OverlayEngine::xattr(const QByteArray &path, const QByteArray &name) const
{
    const Action action = QStringLiteral("read the attribute %1 of %2").arg(q(name), q(normal(path)));
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    const auto stored = storedXattrName(name, action);
    if (!stored)
        return stored.error();
    const QByteArray real = realPath(*n);
    for (;;) {
        const ssize_t size = ::lgetxattr(real.constData(), stored->constData(), nullptr, 0);
        QByteArray value(std::max<ssize_t>(size, 0), '\0');
        const ssize_t got
            = size < 0 ? -1 : ::lgetxattr(real.constData(), stored->constData(), value.data(), value.size());
        if (got >= 0)
            return value.left(got);
        if (errno != ERANGE) // ERANGE: it grew in between
            return failure(errno, action, QStringLiteral("reading it from %1 failed").arg(q(real)));
    }
}

Result<QList<QByteArray>> OverlayEngine::xattrNames(const QByteArray &path) const
{
    const Action action = QStringLiteral("list the attributes of %1").arg(q(normal(path)));
    const auto n = lookup(path, Presence::Existing, action);
    if (!n)
        return n.error();
    const QByteArray real = realPath(*n);
    const ssize_t size = ::llistxattr(real.constData(), nullptr, 0);
    QByteArray names(std::max<ssize_t>(size, 0), '\0');
    const ssize_t got = size <= 0 ? size : ::llistxattr(real.constData(), names.data(), names.size());
    if (got < 0)
        return failure(errno, action, QStringLiteral("listing %1 failed").arg(q(real)));
    // The overlay's own are hidden, escaped ones shown as they were set (ovl_listxattr()).
    QList<QByteArray> out;
    for (const QByteArray &stored : names.left(got).split('\0')) {
        if (stored.isEmpty())
            continue;
        if (auto shown = OverlayXattrs::listedName(stored, m_config.xattrs))
            out << *shown;
    }
    return out;
}

int OverlayEngine::apply(const MergedOperation &op)
{
    const Status s = perform(op);
    return s ? 0 : s.error().code;
}

Status OverlayEngine::dispatch(const MergedOperation &op)
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
