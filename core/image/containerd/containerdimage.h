// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storeimage.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// An image of a containerd namespace: every name (meta.db images/<name>) whose target is the
/// same descriptor, with what the content store says of it. Its ID is the target's digest
/// (an index or a manifest), as `ctr images ls`, nerdctl and Docker 29 show it.
struct ContainerdImage : StoreImage {
    QString mediaType; ///< of the target
    QString manifestDigest; ///< this machine's manifest (the target itself when no index)
    QString configDigest;
    QString platform;
    QStringList chainIds; ///< bottom first
    qint64 contentSize = -1; ///< the blobs' sizes (compressed), what `ctr images ls` shows
};

} // namespace strata
