// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerdiff.h"
#include "core/util/result.h"

#include <QStringList>

namespace strata
{

class ContainerdStore;
class ScanControl;

/// `diff` of a containerd container: ContainerDiff's A/C/D set, with the runtime's mount
/// points left out. When runc starts a task it makes the directories its mounts need (/dev,
/// /proc, /sys, and /run for ctr's default spec) in the container's upper directory, where
/// Docker keeps them in its init layer, so `docker diff` never shows them. An added one is left
/// out while it is still empty in the upper (the container wrote only into the mount on top
/// of it); one that holds files, or that the image had, is kept. The warnings say what was
/// left out.
class ContainerdDiff final
{
public:
    [[nodiscard]] static Result<ContainerDiff::Output> compute(
        const ContainerdStore &store, qsizetype container, ScanControl *control = nullptr);
    /// "/dev", "/proc", "/run", "/sys"
    [[nodiscard]] static QStringList runtimeMountPoints();
};

} // namespace strata
