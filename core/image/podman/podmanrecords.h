// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/podman/podmancontainer.h"
#include "core/image/podman/podmanimage.h"
#include "core/image/podman/podmanlayerrecord.h"
#include "core/image/storeproblem.h"

#include <QJsonArray>
#include <QString>
#include <QVector>

#include <optional>

namespace strata
{

/// containers-storage's three record files, read as they are (plain reads: its *.lock files
/// are never taken, nothing is written). Each record without a usable ID (not 64 hex digits:
/// it names a directory) is a problem and left out; a field of the wrong type is read as
/// missing.
class PodmanRecords final
{
public:
    /// The JSON array in `path`. A missing file is an empty array when `optional` (a store
    /// never used for containers has no containers.json), else a problem, as is anything
    /// unreadable or not an array.
    [[nodiscard]] static std::optional<QJsonArray> readArray(
        const QString &path, StoreProblems &problems, bool optional = false);
    /// overlay-layers/layers.json, or volatile-layers.json (`isVolatile`).
    [[nodiscard]] static QVector<PodmanLayerRecord> layers(
        const QJsonArray &records, const QString &path, bool isVolatile, StoreProblems &problems);
    /// overlay-images/images.json: ID, names, top layer, manifest digest, created.
    [[nodiscard]] static QVector<PodmanImage> images(
        const QJsonArray &records, const QString &path, StoreProblems &problems);
    /// overlay-containers/containers.json: ID, names, image, layer, created, the image's name.
    [[nodiscard]] static QVector<PodmanContainer> containers(
        const QJsonArray &records, const QString &path, StoreProblems &problems);
    /// The file name of an image's big-data item `key`: the key itself when it is made of
    /// [0-9a-z.] only, else "=" and its base64 (containers-storage makeBigDataBaseName).
    [[nodiscard]] static QString bigDataFileName(const QString &key);
};

} // namespace strata
