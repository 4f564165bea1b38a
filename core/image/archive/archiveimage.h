// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/archive/archivelayer.h"
#include "core/image/storeimage.h"

#include <QString>
#include <QVector>

namespace strata
{

/// One image of an archive: its config (StoreImage), the manifest it came from, its layers.
struct ArchiveImage : StoreImage {
    QString ref; ///< the name it was saved as ("name:tag"), empty when untagged
    QString manifestDigest; ///< empty for a legacy `docker save` (no manifest blob)
    QString configDigest;
    QString configMember;
    QString platform; ///< "linux/amd64", "linux/arm64/v8"
    QVector<ArchiveLayer> layers; ///< bottom first
};

} // namespace strata
