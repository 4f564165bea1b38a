// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/entrytype.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace strata
{

/// One path found in one layer directory of a store by `find` or `grep`.
struct SearchHit {
    QByteArray path; ///< inside the layer, "/app/takbir.txt"
    EntryType type = EntryType::Unknown; ///< Whiteout for a deleted name
    bool opaque = false; ///< a directory with the overlay.opaque="y" xattr
    qint64 size = 0;
    QString cacheId; ///< the store's name for the directory (overlay2 cache-id)
    QString dir; ///< <root>/overlay2/<cache-id>
    QString diffDir; ///< the directory of files the path is in (<root>/overlay2/<cache-id>/diff)
    QString layer; ///< the store's name for the directory ("layer 2 (9c1d…)", StoreDir::name)
    QString role; ///< "layer", "container" (read-write layer), "init", or "unused"
    QStringList images; ///< images that have this layer
    QString container; ///< for a container's read-write or init layer: its name
    // grep only
    qint64 line = 0; ///< 1-based line of the first match
    qint64 offset = -1; ///< byte offset of the first match
    QByteArray text; ///< the first matching line (at most 200 bytes)
    bool binary = false; ///< the file has NUL bytes before the match
};

} // namespace strata
