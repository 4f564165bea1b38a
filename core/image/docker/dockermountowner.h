// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

namespace strata
{

/// Which Docker container an overlay mount belongs to. Docker mounts a container's overlay2
/// directory <root>/overlay2/<mount-id>/merged, and
/// <root>/image/overlay2/layerdb/mounts/<container>/mount-id names that directory.
class DockerMountOwner final
{
public:
    /// The ID of the container whose upper directory (<root>/overlay2/<mount-id>/diff) this is,
    /// or empty when it is not a Docker container's.
    [[nodiscard]] static QString containerOf(const QString &upperDir);
};

} // namespace strata
