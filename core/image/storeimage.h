// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/historyentry.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace strata
{

/// One image of a store, whatever the store: its config (OCI image-spec: created, user,
/// rootfs.diff_ids, history) and the names it is known by. Stores derive their own records
/// from it (DockerImage) and hand it out through ImageStore.
struct StoreImage {
    QString id; ///< "sha256:<hex>": the sha256 of the config file
    QStringList tags; ///< "name:tag", sorted
    QStringList digests; ///< "name@sha256:...", sorted
    QString created;
    QString user; ///< config.User ("" means root)
    QString os;
    QString architecture;
    QStringList diffIds; ///< rootfs.diff_ids, bottom first
    QVector<HistoryEntry> history;
    /// The non-empty history entries pair one to one with the layers.
    bool historyMatches = false;
    /// Sum of the layer sizes (what `docker images` shows), -1 when a layer is unknown.
    qint64 size = -1;
    /// An untagged step of a local build (Docker: an untagged parent of another image): listed
    /// only when asked for (`docker images -a`), and not counted as a user of its layers.
    bool intermediate = false;
    /// Set when the config could not be read or parsed: the image is listed, but only its ID
    /// and tags are known.
    QString error;
    QStringList problems; ///< checks that failed (digest, chain IDs, layers missing)

    /// "3f2a…" (12 hex digits), without the algorithm, as `docker images` shows IDs.
    [[nodiscard]] static QString shortenId(const QString &id)
    {
        return (id.startsWith(QLatin1String("sha256:")) ? id.mid(7) : id).left(12);
    }
    [[nodiscard]] QString shortId() const { return shortenId(id); }
    [[nodiscard]] bool isDangling() const { return tags.isEmpty() && digests.isEmpty(); }
    /// The name people know it by: the first tag, or the short ID.
    [[nodiscard]] QString displayName() const { return tags.isEmpty() ? shortId() : tags.first(); }
    /// The names "shared by" lists: every tag, or the short ID of an untagged image.
    [[nodiscard]] QStringList names() const { return tags.isEmpty() ? QStringList {shortId()} : tags; }
};

} // namespace strata
