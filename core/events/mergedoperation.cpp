// SPDX-License-Identifier: GPL-2.0-or-later
#include "mergedoperation.h"

#include "core/stack/mountcommand.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

namespace
{
struct VerbSpec {
    const char *name;
    int argc;
    const char *usage;
};
const VerbSpec specs[] = {
    {"write", 2, "write PATH TEXT"},
    {"append", 2, "append PATH TEXT"},
    {"touch", 1, "touch PATH"},
    {"truncate", 2, "truncate PATH N"},
    {"mkdir", 1, "mkdir PATH"},
    {"rm", 1, "rm PATH"},
    {"rmdir", 1, "rmdir PATH"},
    {"rm-r", 1, "rm-r PATH"},
    {"mv", 2, "mv SRC DST"},
    {"chmod", 2, "chmod MODE PATH"},
    {"ln-s", 2, "ln-s TARGET PATH"},
    {"ln", 2, "ln SRC DST"},
};

int removeTree(const char *path, const struct stat *, int type, struct FTW *)
{
    const int rc = type == FTW_DP ? ::rmdir(path) : ::unlink(path);
    return rc == 0 ? 0 : errno;
}

QByteArray under(const QString &root, const QString &path)
{
    return QFile::encodeName(root + (path.startsWith(QLatin1Char('/')) ? path : QLatin1Char('/') + path));
}
} // namespace

QStringList MergedOperation::verbs()
{
    QStringList out;
    for (const VerbSpec &s : specs)
        out << QLatin1String(s.usage);
    return out;
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
        if (op.m_verb == QLatin1String("truncate")) {
            bool ok = false;
            op.m_args.at(1).toLongLong(&ok);
            if (!ok)
                return Error {EINVAL, QStringLiteral("truncate: \"%1\" is not a size in bytes").arg(op.m_args.at(1))};
        }
        if (op.m_verb == QLatin1String("chmod")) {
            bool ok = false;
            const uint mode = op.m_args.at(0).toUInt(&ok, 8);
            if (!ok || mode > 07777)
                return Error {EINVAL, QStringLiteral("chmod: \"%1\" is not an octal mode").arg(op.m_args.at(0))};
        }
        return op;
    }
    return Error {EINVAL,
        QStringLiteral("unknown verb \"%1\"; one of: %2").arg(args.first(), verbs().join(QStringLiteral(", ")))};
}

int MergedOperation::apply(const QString &root) const
{
    auto ok = [](int rc) {
        return rc == 0 ? 0 : errno;
    };
    const QString &v = m_verb;
    if (v == QLatin1String("write") || v == QLatin1String("append")) {
        const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (v == QLatin1String("write") ? O_TRUNC : O_APPEND);
        const int fd = ::open(under(root, m_args.at(0)).constData(), flags, 0644);
        if (fd < 0)
            return errno;
        const QByteArray text = m_args.at(1).toUtf8() + '\n';
        const bool written = ::write(fd, text.constData(), static_cast<size_t>(text.size())) == text.size();
        const int err = written ? 0 : errno;
        ::close(fd);
        return err;
    }
    if (v == QLatin1String("touch")) {
        const int fd = ::open(under(root, m_args.at(0)).constData(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0)
            return errno;
        const int err = ok(::futimens(fd, nullptr));
        ::close(fd);
        return err;
    }
    if (v == QLatin1String("truncate"))
        return ok(::truncate(under(root, m_args.at(0)).constData(), m_args.at(1).toLongLong()));
    if (v == QLatin1String("mkdir"))
        return ok(::mkdir(under(root, m_args.at(0)).constData(), 0755));
    if (v == QLatin1String("rm"))
        return ok(::unlink(under(root, m_args.at(0)).constData()));
    if (v == QLatin1String("rmdir"))
        return ok(::rmdir(under(root, m_args.at(0)).constData()));
    if (v == QLatin1String("rm-r")) {
        struct stat st {
        };
        if (::lstat(under(root, m_args.at(0)).constData(), &st) != 0)
            return errno;
        return ::nftw(under(root, m_args.at(0)).constData(), removeTree, 64, FTW_DEPTH | FTW_PHYS);
    }
    if (v == QLatin1String("mv"))
        return ok(::rename(under(root, m_args.at(0)).constData(), under(root, m_args.at(1)).constData()));
    if (v == QLatin1String("chmod"))
        return ok(::chmod(under(root, m_args.at(1)).constData(), static_cast<mode_t>(m_args.at(0).toUInt(nullptr, 8))));
    if (v == QLatin1String("ln-s"))
        return ok(::symlink(QFile::encodeName(m_args.at(0)).constData(), under(root, m_args.at(1)).constData()));
    if (v == QLatin1String("ln"))
        return ok(::link(under(root, m_args.at(0)).constData(), under(root, m_args.at(1)).constData()));
    return EINVAL;
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
    return QStringLiteral("%1 %2").arg(v, p(m_args.at(0)));
}

QString MergedOperation::explainError(const QString &verb, int error)
{
    QString s = QStringLiteral("%1: %2").arg(verb, QString::fromLocal8Bit(std::strerror(error)));
    if (error == EXDEV && verb == QLatin1String("mv"))
        s += QStringLiteral(" — renaming a directory that comes (partly) from a lower layer needs redirect_dir=on; "
                            "without it the kernel answers EXDEV and tools like mv(1) fall back to copying");
    else if (error == EIO && (verb == QLatin1String("rmdir") || verb == QLatin1String("rm-r")))
        s += QStringLiteral(
            " — the kernel could not write the opaque xattr (in a user namespace, mount with userxattr)");
    else if (error == EROFS)
        s += QStringLiteral(" — the overlay has no upper layer: it is read-only");
    else if (error == EPERM && verb == QLatin1String("ln"))
        s += QStringLiteral(" — hard links to directories are not allowed");
    return s;
}

} // namespace strata
