// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"
#include "core/util/status.h"

#include <QList>
#include <QString>

namespace strata
{

/// Mounts left behind by a Stratascope process that ended without taking them down (a
/// crash, SIGKILL): found in the mount records, removed by `strata umount --stale` and by the
/// window when it starts.
class StaleMounts final
{
public:
    struct Mount {
        QString mountPoint;
        QString workspace; ///< the workspace file
        QString overlay;
        QString backend; ///< backendName() of what mounted it
        qint64 pid = 0; ///< the process that should have unmounted it
    };

    /// The stale mounts of this mount namespace (records whose mount is gone are forgotten).
    [[nodiscard]] static Result<QList<Mount>> list();
    /// Unmounts one and forgets its record.
    [[nodiscard]] static Status remove(const Mount &mount);
};

} // namespace strata
