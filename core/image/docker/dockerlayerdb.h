// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/docker/dockercontainer.h"
#include "core/image/docker/dockerlayer.h"
#include "core/image/storeproblem.h"

#include <QHash>
#include <QString>

namespace strata
{

/// Docker's layer store, `image/overlay2/layerdb/`: the read-only layers by chain ID
/// (`sha256/<chain>/{diff,cache-id,parent,size}`) and each container's layers
/// (`mounts/<id>/{mount-id,init-id,parent}`).
class DockerLayerDb final
{
public:
    /// Every layer under `<imageRoot>/layerdb/sha256`, by chain ID.
    [[nodiscard]] static QHash<QString, DockerLayer> readLayers(const QString &imageRoot, StoreProblems &problems);
    /// Fills the container's mountId, initId and parentChainId from `<imageRoot>/layerdb/mounts/<id>`.
    static void readMount(const QString &imageRoot, DockerContainer &container, StoreProblems &problems);

private:
    [[nodiscard]] static DockerLayer readLayer(const QString &dir, const QString &name, StoreProblems &problems);
};

} // namespace strata
