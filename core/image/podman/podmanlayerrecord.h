// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace strata
{

/// One record of containers-storage's overlay-layers/layers.json (or volatile-layers.json):
/// a layer directory overlay/<id>, image layer or container layer alike, and its parent.
struct PodmanLayerRecord {
    QString id; ///< 64 hex digits: the directory overlay/<id>
    QString parent; ///< the layer below, empty for a base layer
    QStringList names;
    QString created;
    QString diffDigest; ///< "sha256:…" of the uncompressed tar: the image's diff ID
    QString compressedDigest;
    qint64 diffSize = -1;
    qint64 compressedSize = -1;
    bool isVolatile = false; ///< from volatile-layers.json
    bool incomplete = false; ///< flags.incomplete: a layer being written or left half done
};

} // namespace strata
