// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storeproblem.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace strata
{

/// `image/overlay2/repositories.json`: the names of Docker's images.
struct DockerRepositories {
    QHash<QString, QStringList> tags; ///< image ID -> "name:tag"
    QHash<QString, QStringList> digests; ///< image ID -> "name@sha256:..."

    /// Reads `<imageRoot>/repositories.json`; a missing file means no image was ever tagged.
    [[nodiscard]] static DockerRepositories read(const QString &imageRoot, StoreProblems &problems);
};

} // namespace strata
