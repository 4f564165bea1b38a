// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/docker/dockerhistoryentry.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace strata
{

/// One image of the image store: `imagedb/content/sha256/<id>` (the config) with its tags
/// from `repositories.json` and its metadata (`parent`).
struct DockerImage {
    QString id; ///< "sha256:<hex>": the sha256 of the config file
    QStringList tags; ///< "name:tag", sorted
    QStringList digests; ///< "name@sha256:...", sorted
    QString parentId; ///< `imagedb/metadata/sha256/<id>/parent` (locally built images)
    QString created;
    QString user; ///< config.User ("" means root)
    QString os;
    QString architecture;
    QStringList diffIds; ///< rootfs.diff_ids, bottom first
    QStringList chainIds; ///< computed from diffIds
    QVector<DockerHistoryEntry> history;
    /// The non-empty history entries pair one to one with the layers.
    bool historyMatches = false;
    /// Sum of the layer sizes (what `docker images` shows), -1 when a layer is unknown.
    qint64 size = -1;
    bool hasChildren = false; ///< another image names this one as its parent
    /// Set when the config could not be read or parsed: the image is listed, but only its ID
    /// and tags are known.
    QString error;
    QStringList problems; ///< checks that failed (digest, chain IDs, layers missing)

    [[nodiscard]] QString shortId() const { return id.mid(7, 12); }
    [[nodiscard]] bool isDangling() const { return tags.isEmpty() && digests.isEmpty(); }
    /// The name people know it by: the first tag, or the short ID.
    [[nodiscard]] QString displayName() const { return tags.isEmpty() ? shortId() : tags.first(); }
};

} // namespace strata
