// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/docker/pathexplanation.h"
#include "core/util/result.h"

#include <QString>

namespace strata
{

class DockerHost;
class ScanControl;

/// `strata docker explain REF PATH`: the path in a container's (or an image's) merged view,
/// layer by layer, from the layer directories and the kernel's lookup rules (MergedTree).
class DockerExplain final
{
public:
    /// `ref` names a container (ID, name, prefix) or, failing that, an image.
    [[nodiscard]] static Result<PathExplanation> explain(
        const DockerHost &host, const QString &ref, const QString &path, ScanControl *control = nullptr);
};

} // namespace strata
