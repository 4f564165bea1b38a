// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/docker/dockerimage.h"
#include "core/image/storeproblem.h"

#include <QString>

namespace strata
{

/// One image of Docker's image database: `imagedb/content/sha256/<hex>` (the config, checked
/// against its name) and `imagedb/metadata/sha256/<hex>/parent`.
class DockerImageConfig final
{
public:
    /// The image `hex` under `<imageRoot>/imagedb`. An unreadable or corrupt config still
    /// gives an image (with its error set).
    [[nodiscard]] static DockerImage read(const QString &imageRoot, const QString &hex, StoreProblems &problems);
};

} // namespace strata
