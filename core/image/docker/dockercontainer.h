// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace strata
{

/// One container: `containers/<id>/config.v2.json` joined with `layerdb/mounts/<id>/` and
/// its overlay2 directories.
struct DockerContainer {
    QString id; ///< 64 hex digits
    QString name; ///< without the leading '/'
    QString imageId; ///< "sha256:<hex>"
    QString image; ///< the image as the user named it (Config.Image)
    QString user; ///< Config.User; "" means root
    bool running = false;
    QString status; ///< running, paused, restarting, exited, created, dead
    int exitCode = 0;
    QString created;
    QString mountId; ///< layerdb/mounts/<id>/mount-id: overlay2/<mount-id> is the read-write layer
    QString initId; ///< layerdb/mounts/<id>/init-id
    QString parentChainId; ///< layerdb/mounts/<id>/parent: the image's top layer
    QString upperDir; ///< <root>/overlay2/<mount-id>/diff (GraphDriver.Data.UpperDir)
    QString initDir; ///< <root>/overlay2/<init-id>/diff
    QString mergedDir; ///< <root>/overlay2/<mount-id>/merged (exists while mounted)
    QString workDir;
    QStringList lowerDirs; ///< absolute .../diff paths, uppermost first (GraphDriver.Data.LowerDir)
    QString error; ///< config.v2.json could not be read or parsed
    QStringList problems;

    [[nodiscard]] QString shortId() const { return id.left(12); }
    [[nodiscard]] QString displayName() const { return name.isEmpty() ? shortId() : name; }
};

} // namespace strata
