// SPDX-License-Identifier: GPL-2.0-or-later
#include "podmandiff.h"

#include "core/image/podman/podmanstore.h"
#include "core/image/podman/whiteoutfilesdir.h"
#include "core/util/filename.h"
#include "core/util/scancontrol.h"
#include "core/util/status.h"

#include <QSet>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

namespace strata
{

namespace
{

bool isWhiteout(const struct stat &st)
{
    return S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0;
}

// Go's sameFsTime: equal, or the same second with either side's nanoseconds zero (tar).
bool sameTime(const struct timespec &a, const struct timespec &b)
{
    return a.tv_sec == b.tv_sec && (a.tv_nsec == b.tv_nsec || a.tv_nsec == 0 || b.tv_nsec == 0);
}

QByteArray parentOf(const QByteArray &path)
{
    const qsizetype slash = path.lastIndexOf('/');
    return slash <= 0 ? QByteArrayLiteral("/") : path.left(slash);
}

QByteArray baseOf(const QByteArray &path)
{
    return path.mid(path.lastIndexOf('/') + 1);
}

// os.Stat of a lower's path (links followed, as Go does): 0, or the errno that is no
// "not there" (ENOENT, ENOTDIR).
int statLower(const QByteArray &path, struct stat &st, bool &exists)
{
    exists = ::stat(path.constData(), &st) == 0;
    if (exists || errno == ENOENT || errno == ENOTDIR)
        return 0;
    return errno;
}

class Walk final
{
public:
    Walk(QByteArray upper, const QVector<QByteArray> &lowers, XattrNamespace ns, ScanControl *control)
        : m_upper(std::move(upper))
        , m_lowers(lowers)
        , m_opaque(OverlayXattrs::prefix(ns) + "opaque")
        , m_control(control)
    {
    }

    Status run() { return dir(QByteArray()); }
    QVector<ContainerChange> changes;

private:
    static Error fail(int err, const QByteArray &path) { return Error::fromErrno(err, decodeFileName(path)); }

    Status dir(const QByteArray &rel)
    {
        const QByteArray full = QByteArray(m_upper + rel);
        DIR *d = ::opendir(full.constData());
        if (!d)
            return fail(errno, full);
        QVector<QByteArray> names;
        while (const dirent *e = ::readdir(d)) {
            const QByteArray n(e->d_name);
            if (n != "." && n != "..")
                names << n;
        }
        ::closedir(d);
        std::sort(names.begin(), names.end());
        for (const QByteArray &n : std::as_const(names)) {
            if (m_control && m_control->isCancelled())
                return Error {ECANCELED, QStringLiteral("cancelled")};
            const QByteArray path = rel + '/' + n;
            struct stat st {
            };
            const QByteArray onDisk = m_upper + path;
            if (::lstat(onDisk.constData(), &st) != 0)
                return fail(errno, onDisk);
            if (const Status s = entry(path, st); !s)
                return s;
            if (S_ISDIR(st.st_mode)) {
                if (const Status s = dir(path); !s)
                    return s;
            }
        }
        return {};
    }

    // overlayDeletedFile, with the AUFS form's `.wh.NAME` besides.
    Result<QByteArray> deleted(const QByteArray &path, const struct stat &st) const
    {
        const QByteArray base = baseOf(path);
        if (isWhiteout(st))
            return path;
        if (base.startsWith(WhiteoutFilesDir::WhiteoutPrefix.data()))
            return QByteArray(QByteArray(parentOf(path) == "/" ? QByteArray() : parentOf(path)) + '/'
                + base.mid(qsizetype(WhiteoutFilesDir::WhiteoutPrefix.size())));
        if (!S_ISDIR(st.st_mode) || !opaque(path) || m_lowers.isEmpty())
            return QByteArray();
        for (const QByteArray &lower : m_lowers) {
            struct stat l {
            };
            bool exists = false;
            if (const int err = statLower(lower + path, l, exists))
                return fail(err, lower + path);
            if (exists)
                return isWhiteout(l) ? QByteArray() : path;
        }
        return QByteArray();
    }

    bool opaque(const QByteArray &path) const
    {
        char v[2] = {};
        const QByteArray full = m_upper + path;
        const ssize_t n = ::lgetxattr(full.constData(), m_opaque.constData(), v, sizeof v);
        if (n == 1 && v[0] == 'y')
            return true;
        struct stat st {
        };
        const QByteArray marker = full + '/' + WhiteoutFilesDir::OpaqueMarker.data();
        const QByteArray fuseMarker = full + '/' + WhiteoutFilesDir::FuseOpaqueMarker.data();
        return ::lstat(marker.constData(), &st) == 0 || ::lstat(fuseMarker.constData(), &st) == 0;
    }

    // overlayLowerContainsWhiteout
    Result<bool> whiteoutIn(const QByteArray &lower, const QByteArray &path) const
    {
        struct stat st {
        };
        bool exists = false;
        if (const int err = statLower(lower + path, st, exists))
            return fail(err, lower + path);
        return exists && isWhiteout(st);
    }

    // What a lower says of an entry that is not deleted: A, C, or nothing (a directory as it was).
    Result<std::optional<ContainerChange::Kind>> kindOf(const QByteArray &path, const struct stat &st) const
    {
        for (const QByteArray &lower : m_lowers) {
            for (QByteArray p = path; p != "/"; p = parentOf(p)) {
                auto w = whiteoutIn(lower, p);
                if (!w)
                    return w.error();
                if (*w)
                    return std::optional(ContainerChange::Kind::Added);
            }
            struct stat l {
            };
            bool exists = false;
            if (const int err = statLower(lower + path, l, exists))
                return fail(err, lower + path);
            if (!exists)
                continue;
            if (S_ISDIR(l.st_mode) && S_ISDIR(st.st_mode) && l.st_size == st.st_size && l.st_mode == st.st_mode
                && sameTime(l.st_mtim, st.st_mtim))
                return std::optional<ContainerChange::Kind>();
            return std::optional(ContainerChange::Kind::Changed);
        }
        return std::optional(ContainerChange::Kind::Added);
    }

    Status entry(const QByteArray &path, const struct stat &st)
    {
        const QByteArray base = baseOf(path);
        if (base.startsWith(WhiteoutFilesDir::MetaPrefix.data())
            || WhiteoutFilesDir::isOpaqueMarker(std::string_view(base.constData(), std::size_t(base.size()))))
            return {};
        auto gone = deleted(path, st);
        if (!gone)
            return gone.error();
        ContainerChange change {path, ContainerChange::Kind::Deleted};
        if (gone->isEmpty()) {
            auto kind = kindOf(path, st);
            if (!kind)
                return kind.error();
            if (!*kind)
                return {};
            change.kind = **kind;
        } else {
            change.path = *gone;
        }
        if (S_ISDIR(st.st_mode))
            m_changedDirs.insert(path);
        if (change.kind != ContainerChange::Kind::Changed) {
            QVector<ContainerChange> above;
            for (QByteArray p = parentOf(change.path); p != "/"; p = parentOf(p)) {
                if (!m_changedDirs.contains(p)) {
                    above.prepend({p, ContainerChange::Kind::Changed});
                    m_changedDirs.insert(p);
                }
            }
            changes += above;
        }
        changes.push_back(change);
        return {};
    }

    QByteArray m_upper;
    const QVector<QByteArray> &m_lowers;
    QByteArray m_opaque;
    ScanControl *m_control;
    QSet<QByteArray> m_changedDirs;
};

} // namespace

QStringList PodmanDiff::ignoredPaths()
{
    return {QStringLiteral("/dev"),
        QStringLiteral("/etc/hostname"),
        QStringLiteral("/etc/hosts"),
        QStringLiteral("/etc/resolv.conf"),
        QStringLiteral("/proc"),
        QStringLiteral("/run"),
        QStringLiteral("/run/.containerenv"),
        QStringLiteral("/run/secrets"),
        QStringLiteral("/sys"),
        QStringLiteral("/etc/mtab")};
}

Result<QVector<ContainerChange>> PodmanDiff::overlayChanges(
    const QByteArray &upper, const QVector<QByteArray> &lowers, XattrNamespace ns, ScanControl *control)
{
    Walk walk(upper, lowers, ns, control);
    if (const Status s = walk.run(); !s)
        return s.error();
    return walk.changes;
}

Result<ContainerDiff::Output> PodmanDiff::compute(const PodmanStore &store, qsizetype container, ScanControl *control)
{
    const PodmanContainer &c = store.containerAt(container);
    if (c.upperDir.isEmpty())
        return Error {ENOENT, QStringLiteral("container %1: %2").arg(c.displayName(), c.error)};
    QVector<QByteArray> lowers;
    for (const QString &l : c.lowerDirs)
        lowers << encodeFileName(l);
    auto changes = overlayChanges(encodeFileName(c.upperDir), lowers, store.mergeOptions().xattrs, control);
    if (!changes)
        return changes.error();
    QSet<QByteArray> ignored;
    for (const QString &p : ignoredPaths())
        ignored.insert(p.toUtf8());
    ContainerDiff::Output out;
    for (const ContainerChange &ch : std::as_const(*changes)) {
        if (!ignored.contains(ch.path))
            out.changes.push_back(ch);
    }
    return out;
}

} // namespace strata
