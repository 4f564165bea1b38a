// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerd/containerdstore.h"
#include "core/util/result.h"

#include <QString>

namespace strata
{

/// A Docker root that keeps its images in containerd's image store (the default of Docker 29):
/// no image/overlay2, a dockerd-managed containerd under <root>/containerd/daemon whose
/// namespace "moby" holds images and snapshots, and containers/<id>/config.v2.json whose
/// read-write snapshot has key <id> on top of <id>-init. Read in place, never written.
class DockerContainerdRoot final
{
public:
    /// <root>/containerd/daemon
    [[nodiscard]] static QString containerdRoot(const QString &dockerRoot);
    /// True when `dockerRoot` has containerd/daemon's meta.db and no overlay2 image store.
    [[nodiscard]] static bool detect(const QString &dockerRoot);
    /// Namespace moby of containerdRoot(), with the containers of <root>/containers.
    [[nodiscard]] static Result<ContainerdStore> open(const QString &dockerRoot);
    /// The one sentence that says which layout was read.
    [[nodiscard]] static QString layoutNote(const ContainerdStore &store);
};

} // namespace strata
