// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace strata::test
{

/// A small Docker root built here, file by file, in the overlay2 layout DockerHost reads
/// (image/overlay2/{repositories.json, imagedb, layerdb}, overlay2/<cache-id>/{diff, link,
/// lower}, overlay2/l/, containers/<id>/config.v2.json): no daemon needed. Two images,
/// gui/base:v1 (2 layers) and gui/app:v1 (the same 2 and a third), and a stopped container
/// "web" of gui/app:v1 with an init layer and /app/new.txt in its read-write layer.
struct FakeDockerRoot {
    QString root;
    QStringList diffIds; ///< image layers, bottom first
    QStringList chainIds;
    QStringList cacheIds;
    QStringList links; ///< their short names in l/
    QString baseId, appId; ///< "sha256:..."
    QString containerId, mountId, initId;
    /// Set before build(): "web" is running (State.Running), so its merged directory is in use.
    bool running = false;

    /// `bigFileSize`: a file of that many bytes (no match for any grep) in the top layer.
    /// `extraBaseTag`: gui/base is also tagged gui/base:latest, so its names and its image
    /// count differ.
    [[nodiscard]] bool build(const QString &dir, qint64 bigFileSize = 0, bool extraBaseTag = false);
    /// <root>/overlay2/<cacheId>/diff
    [[nodiscard]] QString diff(const QString &cacheId) const;

    [[nodiscard]] static QString hex(const QByteArray &seed);
    [[nodiscard]] static bool writeFile(const QString &path, const QByteArray &data);

private:
    [[nodiscard]] bool buildLayers(qint64 bigFileSize);
    [[nodiscard]] QString writeConfig(int layers, const QByteArray &history, const char *created, const char *user);
    [[nodiscard]] bool buildImages(bool extraBaseTag);
    [[nodiscard]] bool buildContainer();
};

} // namespace strata::test
