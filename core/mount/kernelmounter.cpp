// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernelmounter.h"

#include "core/mount/kernellog.h"
#include "core/stack/mountcommand.h"
#include "core/util/filename.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

namespace strata
{

namespace
{

// lowerdir=a:b::d1::d2 as one string: paths escaped, data-only layers after "::".
QString lowerdirString(const QStringList &lowers, const QStringList &dataLowers)
{
    QStringList escaped;
    for (const QString &l : lowers)
        escaped << MountCommand::escapeLayerPath(l);
    QString s = escaped.join(QLatin1Char(':'));
    for (const QString &d : dataLowers)
        s += QStringLiteral("::") + MountCommand::escapeLayerPath(d);
    return s;
}

} // namespace

QStringList KernelMounter::Request::layerOptions() const
{
    QStringList opts {QStringLiteral("lowerdir=") + lowerdirString(lowers, dataLowers)};
    if (!upper.isEmpty())
        opts << QStringLiteral("upperdir=") + MountCommand::escapeLayerPath(upper)
             << QStringLiteral("workdir=") + MountCommand::escapeLayerPath(work);
    return opts;
}

namespace
{

// Reads every queued fs-context message ("e overlay: ...", "w ...", "i ..."): one per read().
QStringList drainContext(int fsfd, QStringList *warnings)
{
    QStringList errors;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fsfd, buf, sizeof buf - 1);
        if (n <= 0)
            break; // ENODATA: the queue is empty
        QString msg = QString::fromUtf8(buf, n).trimmed();
        const QChar level = msg.isEmpty() ? QLatin1Char('e') : msg.at(0);
        if (msg.size() > 2 && msg.at(1) == QLatin1Char(' '))
            msg = msg.mid(2);
        if (msg.startsWith(QLatin1String("overlay: ")))
            msg = msg.mid(9);
        if (level == QLatin1Char('w') && warnings)
            *warnings << msg;
        else if (level == QLatin1Char('e'))
            errors << msg;
    }
    return errors;
}

bool isFlagOption(const QString &opt)
{
    return !opt.contains(QLatin1Char('='));
}

} // namespace

namespace
{
// What the kernel's log lines mean, most specific first: a row applies when its text is in
// the log (and, with `onlyFor`, the errno is that one), or when the errno is `orError`.
struct LogRule {
    const char *logText;
    int onlyFor;
    int orError;
    const char *explanation;
};
const char NeedsTrustedXattrs[]
    = "These options need trusted.overlay.* xattrs, which only root may use: mount as root, or in a user namespace "
      "with the userxattr option.";
const char SeparateUpperWork[] = "The upper and work directories must be separate: neither may be inside the other.";
const LogRule logRules[] = {
    {"must reside under the same mount",
        0,
        0,
        "The work directory must be on the same mount as the upper directory (the same filesystem is not enough): "
        "put the work directory next to the upper one."},
    {"stacking depth",
        0,
        0,
        "Overlays nest only so deep: an overlay's merged directory may be a lower layer of one more overlay, but not "
        "of a third level (the kernel's FILESYSTEM_MAX_STACK_DEPTH is 2)."},
    {"too many lower", 0, 0, "An overlay may have at most 500 lower layers."},
    {"at least 2 lowerdir",
        0,
        0,
        "Without an upper directory the overlay is read-only and needs at least two lower layers."},
    {"in-use as upperdir/workdir",
        EBUSY,
        0,
        "Another overlay already uses this upper or work directory. With index=on the kernel refuses a second user "
        "(EBUSY); give every overlay its own upper and work directory."},
    {"in-use as upperdir/workdir",
        0,
        0,
        "Another overlay already uses this upper or work directory. The kernel mounted it anyway (index=off) but "
        "warns: changing files through both overlays is undefined behaviour. Give every overlay its own upper and "
        "work directory."},
    {"in-use as", 0, 0, "A layer of this overlay is in use as the upper or work directory of another overlay."},
    {"overlapping",
        0,
        0,
        "Two layers of this overlay contain each other (for example the upper directory inside a lower one); the "
        "kernel refuses layers that overlap."},
    {"separate subtrees", 0, 0, SeparateUpperWork},
    {"workdir and upperdir", 0, 0, SeparateUpperWork},
    {"failed to resolve", 0, ENOENT, "A layer directory or the mountpoint does not exist."},
    {"not a directory", 0, ENOTDIR, "A layer path is not a directory."},
    {"conflicting lowerdir path",
        0,
        0,
        "One directory is used twice in this overlay: as two of its lower layers, or as a lower layer and the upper "
        "or work directory. Every layer must be a directory of its own."},
    {"conflicting",
        0,
        0,
        "These options cannot be combined: with userxattr only redirect_dir=nofollow and metacopy=off are accepted; "
        "metacopy=on needs redirect_dir=on; nfs_export conflicts with metacopy."},
    {"trusted xattrs", 0, 0, NeedsTrustedXattrs},
    {"permission", EPERM, 0, NeedsTrustedXattrs},
    {"incompat feature 'volatile'",
        0,
        0,
        "The work directory was last used by a volatile mount, which skips every sync: the kernel left "
        "work/incompat/volatile in it and refuses every later mount, volatile or not, until it is removed (keep the "
        "upper layer only if that mount ended cleanly)."},
    {"try mounting with 'userxattr'",
        0,
        0,
        "The kernel could not write overlay xattrs on the upper layer, so it mounted without them: removing a merged "
        "directory will fail with EIO. Mount with the userxattr option."},
    {"unknown parameter", 0, 0, "The kernel does not know this option (it may be too old for it)."},
    {"upper fs does not support",
        0,
        0,
        "The upper layer's filesystem lacks a feature overlayfs relies on; some operations will fail."},
};
} // namespace

QString KernelMounter::explain(int error, const QStringList &messages)
{
    const QString all = messages.join(QLatin1Char('\n'));
    for (const LogRule &r : logRules) {
        const bool logged
            = all.contains(QLatin1String(r.logText), Qt::CaseInsensitive) && (r.onlyFor == 0 || r.onlyFor == error);
        if (logged || (r.orError != 0 && r.orError == error))
            return QString::fromUtf8(r.explanation);
    }
    switch (error) {
    case EPERM:
        return QStringLiteral(
            "Mounting needs CAP_SYS_ADMIN: run as root, or as a normal user in a user namespace (the userns "
            "backend, with the userxattr option).");
    case EBUSY:
        return QStringLiteral("Something is already mounted there, or a layer is in use by another overlay.");
    case ENODEV:
        return QStringLiteral("This kernel has no overlay filesystem (modprobe overlay).");
    case ELOOP:
        return QStringLiteral("The layers overlap or loop.");
    case EINVAL:
        return QStringLiteral("The kernel rejected the configuration; its log may say more (dmesg).");
    default:
        return {};
    }
}

QString KernelMounter::Outcome::describe(const QString &target) const
{
    QString s;
    if (ok) {
        s = QStringLiteral("mounted %1").arg(target);
        for (const QString &w : warnings)
            s += QStringLiteral("\n%1 warning: %2").arg(source, w);
    } else {
        s = QStringLiteral("mounting %1 failed at %2: %3")
                .arg(target, step, QString::fromLocal8Bit(std::strerror(error)));
        for (const QString &m : messages)
            s += QStringLiteral("\n%1: %2").arg(source, m);
    }
    if (!explanation.isEmpty())
        s += QStringLiteral("\nwhy: %1").arg(explanation);
    return s;
}

KernelMounter::Outcome KernelMounter::mount(const Request &r)
{
    Outcome out;
    KernelLog log;
    const int fsfd = ::fsopen("overlay", FSOPEN_CLOEXEC);
    auto fail = [&](const QString &step, int err, int fd) {
        out.ok = false;
        out.error = err;
        out.step = step;
        if (fd >= 0)
            out.messages = drainContext(fd, &out.warnings);
        // Give the kernel log a moment: printk is asynchronous.
        ::usleep(2000);
        out.messages += log.readOverlayMessages();
        out.explanation = explain(err, out.messages);
        if (fd >= 0)
            ::close(fd);
        return out;
    };
    if (fsfd < 0)
        return fail(QStringLiteral("fsopen"), errno, -1);

    auto setString = [fsfd](const char *key, const QString &value) {
        return ::fsconfig(fsfd, FSCONFIG_SET_STRING, key, encodeFileName(value).constData(), 0) == 0;
    };
    // upperdir and workdir go through the kernel's ovl_unescape() (lowerdir+ does not): a
    // backslash in their name is written twice.
    auto setEscaped = [&setString](const char *key, QString value) {
        return setString(key, value.replace(QLatin1Char('\\'), QStringLiteral("\\\\")));
    };
    bool plusWorks = true;
    for (const QString &lower : r.lowers) {
        if (setString("lowerdir+", lower))
            continue;
        const int err = errno;
        const QStringList msgs = drainContext(fsfd, nullptr);
        if (err == EINVAL && msgs.join(QLatin1Char(' ')).contains(QLatin1String("Unknown parameter"))) {
            plusWorks = false; // kernel < 6.8: one lowerdir= string
            break;
        }
        out.messages = msgs;
        return fail(QStringLiteral("fsconfig lowerdir+ %1").arg(lower), err, fsfd);
    }
    for (const QString &data : r.dataLowers) {
        if (plusWorks && !setString("datadir+", data))
            return fail(QStringLiteral("fsconfig datadir+ %1").arg(data), errno, fsfd);
    }
    if (!plusWorks && !setString("lowerdir", lowerdirString(r.lowers, r.dataLowers)))
        return fail(QStringLiteral("fsconfig lowerdir"), errno, fsfd);
    if (!r.upper.isEmpty()) {
        if (!setEscaped("upperdir", r.upper))
            return fail(QStringLiteral("fsconfig upperdir %1").arg(r.upper), errno, fsfd);
        if (!setEscaped("workdir", r.work))
            return fail(QStringLiteral("fsconfig workdir %1").arg(r.work), errno, fsfd);
    }
    for (const QString &opt : r.options) {
        const QByteArray key = opt.section(QLatin1Char('='), 0, 0).toUtf8();
        const bool ok = isFlagOption(opt) ? ::fsconfig(fsfd, FSCONFIG_SET_FLAG, key.constData(), nullptr, 0) == 0
                                          : setString(key.constData(), opt.section(QLatin1Char('='), 1));
        if (!ok)
            return fail(QStringLiteral("fsconfig %1").arg(opt), errno, fsfd);
    }
    if (::fsconfig(fsfd, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0)
        return fail(QStringLiteral("create"), errno, fsfd);
    const int mfd = ::fsmount(fsfd, FSMOUNT_CLOEXEC, 0);
    if (mfd < 0)
        return fail(QStringLiteral("fsmount"), errno, fsfd);
    if (::move_mount(mfd, "", AT_FDCWD, encodeFileName(r.target).constData(), MOVE_MOUNT_F_EMPTY_PATH) != 0) {
        const int err = errno;
        ::close(mfd);
        return fail(QStringLiteral("move_mount"), err, fsfd);
    }
    ::close(mfd);
    (void)drainContext(fsfd, &out.warnings);
    ::close(fsfd);
    ::usleep(1000);
    out.warnings += log.readOverlayMessages();
    out.ok = true;
    // Informational lines (e.g. "workdir is ignored") are not warnings worth showing.
    out.explanation = out.warnings.isEmpty() ? QString() : explain(0, out.warnings);
    return out;
}

Status KernelMounter::unmount(const QString &target)
{
    if (::umount2(encodeFileName(target).constData(), UMOUNT_NOFOLLOW) != 0) {
        const int err = errno;
        return Error::fromErrno(err, QStringLiteral("umount %1").arg(target));
    }
    return {};
}

} // namespace strata
