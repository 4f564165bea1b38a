// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

namespace strata
{

/// One entry of an image config's `history` (OCI image-spec config.md), as `docker history`
/// shows it, with the layer it made (if any).
struct HistoryEntry {
    QString created;
    QString createdBy; ///< cleaned up for reading (see CreatedBy::clean)
    QString createdByRaw; ///< exactly as stored; what `docker history --no-trunc` prints
    QString comment;
    bool emptyLayer = false;
    /// Index into the image's layers (bottom first); -1 for an empty layer, or when the
    /// history and the layers do not pair up (then nobody can tell which made which).
    int layerIndex = -1;
    /// The image ID `docker history` shows for this entry (locally built images only: the
    /// chain of parent images), empty where Docker shows "<missing>".
    QString imageId;
};

} // namespace strata
