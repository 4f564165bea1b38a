// SPDX-License-Identifier: GPL-2.0-or-later
#include "mountrefusal.h"

#include "core/engine/volatilemarker.h"

#include <QDir>
#include <QFileInfo>

#include <cerrno>

namespace strata
{

namespace
{
QString same(const QString &path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

// redirect_dir as the kernel names it in its messages: off is follow (redirect_always_follow=Y).
QString redirectMode(const QString &value)
{
    return value == QLatin1String("off") ? QStringLiteral("follow") : value;
}
} // namespace

QString MountRefusal::conflictingOptions(const OverlayOptions &o)
{
    const auto on = [](const QString &v) {
        return v == QLatin1String("on");
    };
    // ovl_fs_params_verify(), in its order; only options given explicitly conflict.
    if (on(o.metacopy) && !o.redirectDir.isEmpty() && !on(o.redirectDir))
        return QStringLiteral("metacopy=on,redirect_dir=") + redirectMode(o.redirectDir);
    if (on(o.nfsExport) && o.index == QLatin1String("off"))
        return QStringLiteral("nfs_export=on,index=off");
    if (on(o.nfsExport) && on(o.metacopy))
        return QStringLiteral("nfs_export=on,metacopy=on");
    if (o.userxattr && !o.redirectDir.isEmpty() && o.redirectDir != QLatin1String("nofollow"))
        return QStringLiteral("userxattr,redirect_dir=") + redirectMode(o.redirectDir);
    if (o.userxattr && on(o.metacopy))
        return QStringLiteral("userxattr,metacopy=on");
    return {};
}

QString MountRefusal::sharedDirectory(const Workspace &workspace, int index)
{
    const OverlaySpec &spec = workspace.overlays().at(index);
    if (!spec.hasUpper())
        return {};
    QStringList inUse; // what the mounts below hold locked: their upper and work directories
    for (const int i : workspace.mountedWith(index)) {
        if (i == index)
            continue;
        const OverlaySpec &other = workspace.overlays().at(i);
        if (other.hasUpper())
            inUse << same(other.upper) << same(other.work);
    }
    if (inUse.contains(same(spec.upper)))
        return QStringLiteral("upperdir");
    if (inUse.contains(same(spec.work)))
        return QStringLiteral("workdir");
    return {};
}

std::optional<Error> MountRefusal::of(const Workspace &workspace, int index)
{
    const OverlaySpec &spec = workspace.overlays().at(index);
    // The options are checked first, as they are given (fsconfig), then the layers.
    if (const QString conflict = conflictingOptions(spec.options); !conflict.isEmpty())
        return Error {EINVAL,
            QStringLiteral("overlay \"%1\" cannot be mounted: conflicting options: %2 (metacopy=on needs "
                           "redirect_dir=on, nfs_export=on needs index=on and no metacopy, userxattr allows "
                           "neither metacopy nor redirects)")
                .arg(spec.name, conflict)};
    if (const int depth = workspace.stackingDepth(index); depth > Workspace::MaxStackingDepth)
        return Error {EINVAL,
            QStringLiteral("overlay \"%1\" would be the overlay of level %2: maximum fs stacking depth exceeded "
                           "(the kernel mounts overlays at most %3 levels deep)")
                .arg(spec.name)
                .arg(depth)
                .arg(Workspace::MaxStackingDepth)};
    // ovl_report_in_use(): with index=off the kernel only warns, and mounts.
    const QString shared = sharedDirectory(workspace, index);
    if (!shared.isEmpty() && spec.options.index == QLatin1String("on"))
        return Error {EBUSY,
            QStringLiteral("overlay \"%1\" cannot be mounted: %2 is in-use as upperdir/workdir of another mount, "
                           "mount with '-o index=off' to override exclusive upperdir protection (the kernel's words: "
                           "with index=on every overlay needs an upper and a work directory of its own)")
                .arg(spec.name, shared)};
    // ovl_workdir_cleanup(): a work directory a volatile mount used, this one's or one below's.
    for (const int i : workspace.mountedWith(index)) {
        const OverlaySpec &s = workspace.overlays().at(i);
        if (s.hasUpper() && VolatileMarker::exists(s.work))
            return Error {EINVAL, VolatileMarker::refusal(s.name, workspace.displayPath(s.work))};
    }
    return std::nullopt;
}

} // namespace strata
