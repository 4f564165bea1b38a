// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storelayer.h"
#include "core/layer/tarlayersource.h"

#include <QString>

namespace strata
{

/// One layer of an image in an archive: what StoreLayer says, and where its blob is.
struct ArchiveLayer : StoreLayer {
    QString member; ///< the blob inside the archive ("blobs/sha256/…", "<id>/layer.tar")
    QString digest; ///< the manifest's descriptor digest; empty in a legacy `docker save`
    QString mediaType; ///< the descriptor's media type; empty in a legacy `docker save`
    QString compression; ///< none, gzip, zstd… told from the blob's first bytes
    TarLayerSource::Expected expected;
};

} // namespace strata
