// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/docker/dockerchange.h"
#include "core/image/docker/dockercontainer.h"
#include "core/util/result.h"

#include <QStringList>
#include <QVector>

namespace strata
{

class DockerHost;
class ScanControl;

/// What `docker diff CTR` prints, computed from the layer directories without mounting.
///
/// Docker's overlay2 driver answers `docker diff` with its "naive" diff (graphdriver
/// NaiveDiffDriver.Changes, pkg/archive ChangesDirs): it mounts the container's layer and its
/// parent, the init layer (init + image layers), and compares the two trees entry by entry.
/// So the init layer's files (/etc/hosts, /.dockerenv, ...) are never reported unless the
/// container changed them. Here the two trees are the merged views computed by MergedTree,
/// and entries are compared by the same rules (see DockerDiff::compute).
class DockerDiff final
{
public:
    struct Output {
        QVector<DockerChange> changes; ///< sorted by path
        QStringList warnings; ///< e.g. "trusted.* xattrs not readable" (not root)
    };

    [[nodiscard]] static Result<Output> compute(
        const DockerHost &host, const DockerContainer &container, ScanControl *control = nullptr);
};

} // namespace strata
