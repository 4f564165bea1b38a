// SPDX-License-Identifier: GPL-2.0-or-later
#include "stalemounts.h"

#include "core/mount/fusemounter.h"
#include "core/mount/kernelmounter.h"
#include "core/mount/mountregistry.h"
#include "core/session/backend.h"

namespace strata
{

Result<QList<StaleMounts::Mount>> StaleMounts::list()
{
    MountRegistry registry;
    auto stale = registry.stale();
    if (!stale)
        return stale.error();
    QList<Mount> mounts;
    for (const MountRegistry::Record &r : *stale)
        mounts << Mount {r.mountPoint, r.workspace, r.overlay, r.backend, r.pid};
    return mounts;
}

Status StaleMounts::remove(const Mount &mount)
{
    const Status s = mount.backend == backendName(Backend::Fuse) ? FuseMounter::unmount(mount.mountPoint)
                                                                 : KernelMounter::unmount(mount.mountPoint);
    if (!s.ok())
        return s;
    // A record left over is forgotten the next time: its mount is gone.
    MountRegistry registry;
    (void)registry.remove(mount.mountPoint);
    return {};
}

} // namespace strata
