// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace strata
{

/// containerd's content store (io.containerd.content.v1.content/blobs/<alg>/<hex>), read for
/// what an image's target leads to: an index picks this machine's manifest, the manifest names
/// the config and the layers. Blobs are read by digest and checked against it.
class ContainerdContent final
{
public:
    struct Resolved {
        QString manifestDigest;
        QString configDigest;
        QJsonObject config;
        QStringList layerDigests; ///< the manifest's layers, bottom first (compressed blobs)
        qint64 contentSize = 0; ///< manifest(s), config and layers: what `ctr images ls` sums
        QString platform; ///< the index entry's "os/architecture[/variant]", when there was an index
    };

    /// Manifests and configs are small; a bigger blob is refused.
    static constexpr qint64 MaxBlob = 16 * 1024 * 1024;

    explicit ContainerdContent(QString root) : m_root(std::move(root)) { }

    /// <root>/io.containerd.content.v1.content/blobs/sha256/<hex>
    [[nodiscard]] QString blobPath(const QString &digest) const;
    /// A JSON blob, its sha256 checked.
    [[nodiscard]] Result<QJsonObject> object(const QString &digest) const;
    /// From an image's target (an index or a manifest) to its config, for `platform`
    /// ("linux/amd64"; an index without it is an error naming what it has).
    [[nodiscard]] Result<Resolved> resolve(const QString &target, const QString &platform) const;

private:
    [[nodiscard]] Result<QString> pickManifest(const QJsonObject &index, const QString &platform, Resolved &r) const;

    QString m_root;
};

} // namespace strata
