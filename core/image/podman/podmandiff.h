// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/overlayxattrs.h"
#include "core/image/containerdiff.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QStringList>
#include <QVector>

namespace strata
{

class PodmanStore;
class ScanControl;

/// What `podman diff CTR` prints, from the layer directories. Podman asks containers-storage,
/// whose overlay driver answers from the container's upper directory alone (its native diff,
/// pkg/archive OverlayChanges), not by comparing two merged trees as Docker does: the upper is
/// walked in name order; a 0/0 device is D; an opaque directory that the layers below have is
/// D, and its entries A; anything else is C when a layer below has it (directories only when
/// their size, mode or mtime differ), else A; an A or D makes every directory above it C.
/// Then libpod leaves out the paths it mounts over (ignoredPaths()), so `C /etc` stays when
/// only /etc/hosts was written. `.wh.NAME` files (a store used through fuse-overlayfs) are
/// read as deletions of NAME and `.wh..wh.` names skipped; there Podman compares trees instead
/// (its naive diff), which can differ for directories deleted and made again.
class PodmanDiff final
{
public:
    [[nodiscard]] static Result<ContainerDiff::Output> compute(
        const PodmanStore &store, qsizetype container, ScanControl *control = nullptr);
    /// The changes of `upper` over `lowers` (top first), in the walk's order.
    [[nodiscard]] static Result<QVector<ContainerChange>> overlayChanges(
        const QByteArray &upper, const QVector<QByteArray> &lowers, XattrNamespace ns, ScanControl *control = nullptr);
    /// libpod's initInodes: "/dev", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf",
    /// "/proc", "/run", "/run/.containerenv", "/run/secrets", "/sys", "/etc/mtab".
    [[nodiscard]] static QStringList ignoredPaths();
};

} // namespace strata
