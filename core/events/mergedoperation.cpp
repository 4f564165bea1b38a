// SPDX-License-Identifier: GPL-2.0-or-later
#include "mergedoperation.h"

#include "core/stack/mountcommand.h"
#include "core/util/filename.h"
#include "core/util/number.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <limits>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace strata
{

namespace
{
struct VerbSpec {
    const char *name;
    int argc;
    const char *usage;
    unsigned paths; ///< bit i: argument i is a path (bytes)
};
const VerbSpec specs[] = {
    {"write", 2, "write PATH TEXT", 0b1},
    {"append", 2, "append PATH TEXT", 0b1},
    {"touch", 1, "touch PATH", 0b1},
    {"truncate", 2, "truncate PATH N", 0b1},
    {"mkdir", 1, "mkdir PATH", 0b1},
    {"rm", 1, "rm PATH", 0b1},
    {"rmdir", 1, "rmdir PATH", 0b1},
    {"rm-r", 1, "rm-r PATH", 0b1},
    {"mv", 2, "mv SRC DST", 0b11},
    {"chmod", 2, "chmod MODE PATH", 0b10},
    {"ln-s", 2, "ln-s TARGET PATH", 0b11},
    {"ln", 2, "ln SRC DST", 0b11},
    {"chown", 2, "chown UID:GID PATH", 0b10},
    {"utimes", 2, "utimes SECONDS PATH", 0b10},
    {"setxattr", 3, "setxattr NAME VALUE PATH", 0b100},
    {"rmxattr", 2, "rmxattr NAME PATH", 0b10},
};

// Words as sh splits them: blanks separate, '...' is literal, "..." keeps \" and \\, a
// backslash outside quotes takes the next character as it is; "" is an empty word.
QStringList shellWords(const QString &line)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quote.isNull() && c.isSpace()) {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
            continue;
        }
        inWord = true;
        if (c == quote) {
            quote = QChar();
        } else if (quote.isNull() && (c == QLatin1Char('\'') || c == QLatin1Char('"'))) {
            quote = c;
        } else if (c == QLatin1Char('\\') && quote != QLatin1Char('\'') && i + 1 < line.size()
            && (quote.isNull() || line.at(i + 1) == QLatin1Char('"') || line.at(i + 1) == QLatin1Char('\\'))) {
            word += line.at(++i);
        } else {
            word += c;
        }
    }
    if (inWord)
        words << word;
    return words;
}

} // namespace

QStringList MergedOperation::verbs()
{
    QStringList out;
    for (const VerbSpec &s : specs)
        out << QLatin1String(s.usage);
    return out;
}

Result<MergedOperation> MergedOperation::parseLine(const QString &line)
{
    QStringList words = shellWords(line);
    if (words.size() > 3 && (words.first() == QLatin1String("write") || words.first() == QLatin1String("append")))
        words = QStringList {words.at(0), words.at(1), words.mid(2).join(QLatin1Char(' '))};
    return parse(words);
}

Result<MergedOperation> MergedOperation::parse(const QStringList &args)
{
    if (args.isEmpty())
        return Error {EINVAL, QStringLiteral("missing verb; one of: %1").arg(verbs().join(QStringLiteral(", ")))};
    for (const VerbSpec &s : specs) {
        if (args.first() != QLatin1String(s.name))
            continue;
        if (args.size() - 1 != s.argc)
            return Error {EINVAL, QStringLiteral("usage: %1").arg(QLatin1String(s.usage))};
        MergedOperation op;
        op.m_verb = args.first();
        op.m_args = args.mid(1);
        for (int i = 0; i < s.argc; ++i) {
            if (s.paths & (1U << i))
                op.m_paths << encodeFileName(op.m_args.at(i));
        }
        if (Status numbers = op.parseNumbers(); !numbers)
            return numbers.error();
        return op;
    }
    return Error {EINVAL,
        QStringLiteral("unknown verb \"%1\"; one of: %2").arg(args.first(), verbs().join(QStringLiteral(", ")))};
}

Status MergedOperation::parseNumbers()
{
    constexpr qint64 int64Max = std::numeric_limits<qint64>::max();
    constexpr qint64 idMax = std::numeric_limits<uint>::max();
    const QString &v = m_verb;
    if (v == QLatin1String("truncate")) {
        const auto n = parseInteger(m_args.at(1), 0, int64Max);
        if (!n)
            return Error {EINVAL, QStringLiteral("truncate: \"%1\" is not a size in bytes").arg(m_args.at(1))};
        m_number = *n;
    } else if (v == QLatin1String("utimes")) {
        const auto n = parseInteger(m_args.at(0), std::numeric_limits<qint64>::min(), int64Max);
        if (!n)
            return Error {EINVAL, QStringLiteral("utimes: \"%1\" is not a time in seconds").arg(m_args.at(0))};
        m_number = *n;
    } else if (v == QLatin1String("chmod")) {
        const auto mode = parseInteger(m_args.at(0), 0, 07777, 8);
        if (!mode)
            return Error {EINVAL, QStringLiteral("chmod: \"%1\" is not an octal mode").arg(m_args.at(0))};
        m_number = *mode;
    } else if (v == QLatin1String("chown")) {
        const QStringList ids = m_args.at(0).split(QLatin1Char(':'));
        const auto uid = ids.size() == 2 ? parseInteger(ids.at(0), 0, idMax) : std::nullopt;
        const auto gid = ids.size() == 2 ? parseInteger(ids.at(1), 0, idMax) : std::nullopt;
        if (!uid || !gid)
            return Error {EINVAL, QStringLiteral("chown: \"%1\" is not UID:GID").arg(m_args.at(0))};
        m_uid = static_cast<uint>(*uid);
        m_gid = static_cast<uint>(*gid);
    }
    return {};
}

namespace
{
// Opens the parent directory of `path` below `rootFd` without following any symlink on the
// way (RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH): an edit never leaves the merged view, whatever
// links a layer holds. A trailing slash stays on the name, for the kernel to ask for a
// directory there. Where the edit looks its last name up (open, chmod, ...), the two ways
// that name could still lead out are refused as RESOLVE_* would: a final ".." above the root
// (EXDEV), and a slash after a symlink, which the kernel would follow (ENOTDIR; open(O_CREAT)
// does not follow, it says EISDIR). Returns the fd, or -errno.
enum class LastName : unsigned char { NotLookedUp, LookedUp, Created };
int openParent(int rootFd, const QByteArray &path, QByteArray *name, LastName last)
{
    QByteArray p = path;
    while (p.startsWith('/'))
        p.remove(0, 1);
    const bool slash = p.endsWith('/');
    while (p.endsWith('/'))
        p.chop(1);
    const qsizetype cut = p.lastIndexOf('/');
    *name = cut < 0 ? p : p.mid(cut + 1);
    const QByteArray dir = cut < 0 ? QByteArrayLiteral(".") : p.left(cut);
    struct open_how how {
    };
    how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH;
    const long fd = ::syscall(SYS_openat2, rootFd, dir.constData(), &how, sizeof how);
    if (fd < 0)
        return -errno;
    int depth = 0; // of `dir` below the root: openat2 has checked that it stays there
    for (const QByteArray &c : dir.split('/'))
        depth += c == ".." ? -1 : (c.isEmpty() || c == ".") ? 0 : 1;
    int refused = 0;
    struct stat st {
    };
    if (last != LastName::NotLookedUp && *name == ".." && depth <= 0)
        refused = EXDEV;
    else if (slash && last == LastName::LookedUp && !name->isEmpty()
        && ::fstatat(static_cast<int>(fd), name->constData(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
        refused = ENOTDIR;
    if (refused) {
        ::close(static_cast<int>(fd));
        return -refused;
    }
    if (slash && !name->isEmpty() && *name != "." && *name != "..")
        name->append('/');
    return static_cast<int>(fd);
}

int removeBelow(int dirFd, const char *name)
{
    struct stat st {
    };
    if (::fstatat(dirFd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno;
    if (!S_ISDIR(st.st_mode))
        return ::unlinkat(dirFd, name, 0) == 0 ? 0 : errno;
    const int fd = ::openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno;
    DIR *d = ::fdopendir(fd);
    if (!d) {
        ::close(fd);
        return errno;
    }
    QList<QByteArray> names;
    while (dirent *e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
            names << QByteArray(e->d_name);
    }
    // Like rm -r: go on after a failure (so the result does not depend on listing order) and
    // report the first one.
    int err = 0;
    for (const QByteArray &n : names) {
        const int e = removeBelow(fd, n.constData());
        if (e != 0 && e != ENOENT && err == 0) // ENOENT: a whiteout readdir lists but lookup hides
            err = e;
    }
    ::closedir(d);
    if (err)
        return err;
    return ::unlinkat(dirFd, name, AT_REMOVEDIR) == 0 ? 0 : errno;
}
} // namespace

int MergedOperation::apply(const QString &mergedRoot) const
{
    const int root = ::open(encodeFileName(mergedRoot).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return errno;
    const int err = applyAt(root);
    ::close(root);
    return err;
}

int MergedOperation::applyAt(int root) const
{
    auto ok = [](int rc) {
        return rc == 0 ? 0 : errno;
    };
    const QString &v = m_verb;
    QByteArray name;
    // Which edits look their last name up (the new names of mkdir, ln-s, mv and ln are not).
    const LastName last = v == QLatin1String("mkdir") || v == QLatin1String("rm") || v == QLatin1String("rmdir")
            || v == QLatin1String("ln-s") || v == QLatin1String("mv")
        ? LastName::NotLookedUp
        : v == QLatin1String("write") || v == QLatin1String("append") || v == QLatin1String("touch")
        ? LastName::Created
        : LastName::LookedUp;
    const int dir = openParent(root, path(), &name, last);
    if (dir < 0)
        return -dir;
    const char *n = name.isEmpty() ? "." : name.constData();
    int err = 0;
    // rm -r refuses the root, "." and "..", as rm(1) does.
    if (v == QLatin1String("rm-r") && (name.isEmpty() || name == "." || name == "..")) {
        ::close(dir);
        return EINVAL;
    }
    if (v == QLatin1String("write") || v == QLatin1String("append") || v == QLatin1String("touch")
        || v == QLatin1String("truncate")) {
        // O_NOFOLLOW: a symlink in the merged view is never written through (ELOOP).
        // O_NONBLOCK: a FIFO without a reader answers ENXIO instead of blocking forever.
        int flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;
        if (v == QLatin1String("write"))
            flags |= O_CREAT | O_TRUNC;
        else if (v == QLatin1String("append"))
            flags |= O_CREAT | O_APPEND;
        else if (v == QLatin1String("touch"))
            flags |= O_CREAT;
        const int fd = ::openat(dir, n, flags, 0644);
        if (fd < 0) {
            err = errno;
        } else {
            if (v == QLatin1String("write") || v == QLatin1String("append")) {
                const QByteArray text = encodeFileName(m_args.at(1)) + '\n'; // argv's bytes as they came
                if (::write(fd, text.constData(), static_cast<size_t>(text.size())) != text.size())
                    err = errno;
            } else if (v == QLatin1String("touch")) {
                err = ok(::futimens(fd, nullptr));
            } else {
                err = ok(::ftruncate(fd, m_number));
            }
            ::close(fd);
        }
    } else if (v == QLatin1String("mkdir")) {
        err = ok(::mkdirat(dir, n, 0755));
    } else if (v == QLatin1String("rm")) {
        err = ok(::unlinkat(dir, n, 0));
    } else if (v == QLatin1String("rmdir")) {
        err = ok(::unlinkat(dir, n, AT_REMOVEDIR));
    } else if (v == QLatin1String("rm-r")) {
        err = removeBelow(dir, n);
    } else if (v == QLatin1String("chmod")) {
        // Never through a symlink: fchmodat refuses links with AT_SYMLINK_NOFOLLOW.
        err = ok(::fchmodat(dir, n, static_cast<mode_t>(m_number), AT_SYMLINK_NOFOLLOW));
    } else if (v == QLatin1String("chown")) {
        err = ok(::fchownat(dir, n, m_uid, m_gid, AT_SYMLINK_NOFOLLOW));
    } else if (v == QLatin1String("utimes")) {
        const struct timespec t {
            static_cast<time_t>(m_number), 0
        };
        const struct timespec times[2] = {t, t};
        err = ok(::utimensat(dir, n, times, AT_SYMLINK_NOFOLLOW));
    } else if (v == QLatin1String("setxattr") || v == QLatin1String("rmxattr")) {
        // No *xattrat() before Linux 6.13: through the directory's /proc link, not following
        // a final symlink.
        const QByteArray p = "/proc/self/fd/" + QByteArray::number(dir) + '/' + name;
        const QByteArray key = encodeFileName(m_args.at(0));
        if (v == QLatin1String("setxattr")) {
            const QByteArray value = encodeFileName(m_args.at(1));
            err = ok(
                ::lsetxattr(p.constData(), key.constData(), value.constData(), static_cast<size_t>(value.size()), 0));
        } else {
            err = ok(::lremovexattr(p.constData(), key.constData()));
        }
    } else if (v == QLatin1String("ln-s")) {
        err = ok(::symlinkat(m_paths.at(0).constData(), dir, n));
    } else if (v == QLatin1String("mv") || v == QLatin1String("ln")) {
        QByteArray name2;
        const int dir2 = openParent(root, m_paths.at(1), &name2, LastName::NotLookedUp);
        if (dir2 < 0) {
            err = -dir2;
        } else {
            const char *n2 = name2.isEmpty() ? "." : name2.constData();
            err = v == QLatin1String("mv") ? ok(::renameat(dir, n, dir2, n2)) : ok(::linkat(dir, n, dir2, n2, 0));
            ::close(dir2);
        }
    } else {
        err = EINVAL;
    }
    ::close(dir);
    return err;
}

const QByteArray &MergedOperation::path() const
{
    return m_verb == QLatin1String("ln-s") ? m_paths.at(1) : m_paths.at(0);
}

QString MergedOperation::shellCommand(const QString &mountName) const
{
    auto p = [&mountName](const QString &path) {
        return MountCommand::shellQuote(
            mountName + (path.startsWith(QLatin1Char('/')) ? path : QLatin1Char('/') + path));
    };
    const QString &v = m_verb;
    if (v == QLatin1String("write"))
        return QStringLiteral("echo %1 > %2").arg(MountCommand::shellQuote(m_args.at(1)), p(m_args.at(0)));
    if (v == QLatin1String("append"))
        return QStringLiteral("echo %1 >> %2").arg(MountCommand::shellQuote(m_args.at(1)), p(m_args.at(0)));
    if (v == QLatin1String("truncate"))
        return QStringLiteral("truncate -s %1 %2").arg(m_args.at(1), p(m_args.at(0)));
    if (v == QLatin1String("rm-r"))
        return QStringLiteral("rm -r %1").arg(p(m_args.at(0)));
    if (v == QLatin1String("mv") || v == QLatin1String("ln"))
        return QStringLiteral("%1 %2 %3").arg(v, p(m_args.at(0)), p(m_args.at(1)));
    if (v == QLatin1String("chmod"))
        return QStringLiteral("chmod %1 %2").arg(m_args.at(0), p(m_args.at(1)));
    if (v == QLatin1String("ln-s"))
        return QStringLiteral("ln -s %1 %2").arg(MountCommand::shellQuote(m_args.at(0)), p(m_args.at(1)));
    if (v == QLatin1String("chown"))
        return QStringLiteral("chown -h %1 %2").arg(m_args.at(0), p(m_args.at(1)));
    if (v == QLatin1String("utimes"))
        return QStringLiteral("touch -h -d @%1 %2").arg(m_args.at(0), p(m_args.at(1)));
    if (v == QLatin1String("setxattr"))
        return QStringLiteral("setfattr -h -n %1 -v %2 %3")
            .arg(MountCommand::shellQuote(m_args.at(0)), MountCommand::shellQuote(m_args.at(1)), p(m_args.at(2)));
    if (v == QLatin1String("rmxattr"))
        return QStringLiteral("setfattr -h -x %1 %2").arg(MountCommand::shellQuote(m_args.at(0)), p(m_args.at(1)));
    return QStringLiteral("%1 %2").arg(v, p(m_args.at(0)));
}

QString MergedOperation::explainError(const QString &verb, int error, bool hasUpper)
{
    QString s = QStringLiteral("%1: %2").arg(verb, QString::fromLocal8Bit(std::strerror(error)));
    if (error == EXDEV && verb == QLatin1String("mv"))
        s += QStringLiteral(" — renaming a directory that comes (partly) from a lower layer needs redirect_dir=on; "
                            "without it the kernel answers EXDEV and tools like mv(1) fall back to copying");
    else if (error == EIO && (verb == QLatin1String("rmdir") || verb == QLatin1String("rm-r")))
        s += QStringLiteral(
            " — the kernel could not write the opaque xattr (in a user namespace, mount with userxattr)");
    else if (error == EROFS && !hasUpper)
        s += QStringLiteral(" — the overlay has no upper layer: it is read-only");
    else if (error == EROFS)
        s += QStringLiteral(" — the kernel mounted the overlay read-only although it has an upper layer: another "
                            "mount was using the same upper or work directory at that moment (a concurrent edit?), "
                            "or the upper file system is read-only; try again when it is done");
    else if (error == EPERM && verb == QLatin1String("ln"))
        s += QStringLiteral(" — hard links to directories are not allowed");
    return s;
}

} // namespace strata
