// SPDX-License-Identifier: GPL-2.0-or-later
#include "volatilemarker.h"

#include "core/util/filename.h"

#include <cerrno>
#include <fcntl.h>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

namespace
{
QByteArray incompat(const QString &work)
{
    return encodeFileName(work) + "/work/incompat";
}
Status fromErrno(const QByteArray &path)
{
    return Error::fromErrno(errno, QString::fromLocal8Bit(path));
}
} // namespace

QString VolatileMarker::path(const QString &work)
{
    return work + QStringLiteral("/work/incompat/volatile");
}

bool VolatileMarker::exists(const QString &work)
{
    struct stat st {
    };
    return ::lstat(encodeFileName(path(work)).constData(), &st) == 0;
}

Status VolatileMarker::create(const QString &work)
{
    // work/work is the engine's as it is (it makes its temporaries there); what is made below
    // it is closed to mode 0 afterwards, as the kernel's (it is root inside) are.
    const QByteArray w = encodeFileName(work) + "/work";
    if (::mkdir(w.constData(), 0700) != 0 && errno != EEXIST)
        return fromErrno(w);
    const QByteArray dirs[] = {incompat(work), incompat(work) + "/volatile"};
    for (const QByteArray &d : dirs) {
        if (::mkdir(d.constData(), 0700) != 0 && errno != EEXIST)
            return fromErrno(d);
    }
    const QByteArray dirty = dirs[1] + "/dirty";
    const int fd = ::open(dirty.constData(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0);
    if (fd < 0)
        return fromErrno(dirty);
    ::close(fd);
    for (auto it = std::rbegin(dirs); it != std::rend(dirs); ++it) {
        if (::chmod(it->constData(), 0) != 0)
            return fromErrno(*it);
    }
    return {};
}

Status VolatileMarker::remove(const QString &work)
{
    const QByteArray top = incompat(work);
    for (const QByteArray &d : {top, QByteArray(top + "/volatile")})
        (void)::chmod(d.constData(), 0700); // the owner may, even at mode 0
    const QByteArray dirty = top + "/volatile/dirty";
    if (::unlink(dirty.constData()) != 0 && errno != ENOENT)
        return fromErrno(dirty);
    for (const QByteArray &d : {QByteArray(top + "/volatile"), top}) {
        if (::rmdir(d.constData()) != 0 && errno != ENOENT)
            return fromErrno(d);
    }
    return {};
}

QString VolatileMarker::refusal(const QString &overlayName, const QString &shownWork)
{
    return QStringLiteral(
        "overlay \"%1\" cannot be mounted: overlay with incompat feature 'volatile' cannot be mounted (its last "
        "mount was volatile, which skips every sync, so the upper layer may be inconsistent: the kernel left "
        "%2/work/incompat/volatile and refuses every later mount until it is removed — keep the upper layer "
        "only if that mount ended cleanly)")
        .arg(overlayName, shownWork);
}

} // namespace strata
