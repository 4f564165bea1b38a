// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/historyentry.h"
#include "core/image/storeimage.h"

#include <QString>
#include <QStringList>

namespace strata
{

using DockerHistoryEntry = HistoryEntry;

/// One image of Docker's image store: `imagedb/content/sha256/<id>` (the config) with its tags
/// from `repositories.json` and its metadata (`parent`).
struct DockerImage : StoreImage {
    QString parentId; ///< `imagedb/metadata/sha256/<id>/parent` (locally built images)
    QStringList chainIds; ///< computed from diffIds: the layer store's keys
    bool hasChildren = false; ///< another image names this one as its parent
};

} // namespace strata
