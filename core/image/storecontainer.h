// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storeimage.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// One container of a store, whatever the store: what it runs and the directories of its
/// overlay (GraphDriver.Data in `docker inspect`).
struct StoreContainer {
    QString id; ///< 64 hex digits
    QString name; ///< without the leading '/'
    QString imageId; ///< "sha256:<hex>"
    QString image; ///< the image as the user named it (Config.Image)
    QString user; ///< Config.User; "" means root
    bool running = false;
    QString status; ///< running, paused, restarting, exited, created, dead
    int exitCode = 0;
    QString created;
    QString upperDir; ///< the read-write layer's files (GraphDriver.Data.UpperDir)
    QString initDir; ///< the init layer's files, for stores that have one
    QString mergedDir; ///< where the overlay is mounted (exists while it runs)
    QString workDir;
    QStringList lowerDirs; ///< absolute paths, uppermost first (GraphDriver.Data.LowerDir)
    QString error; ///< the container's config could not be read or parsed
    QStringList problems;

    [[nodiscard]] QString shortId() const { return id.left(12); }
    [[nodiscard]] QString displayName() const { return name.isEmpty() ? shortId() : name; }
    /// The image as the user named it, else its short ID.
    [[nodiscard]] QString imageName() const { return image.isEmpty() ? StoreImage::shortenId(imageId) : image; }
};

} // namespace strata
