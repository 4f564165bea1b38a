// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace strata::test
{

/// A small containers-storage store built here, file by file, as Podman's overlay driver
/// writes it (overlay-layers/layers.json, overlay-images/images.json with each image's config
/// and manifest as big-data files, overlay-containers/containers.json, overlay/<id>/{diff,
/// link, lower or empty, work, merged}, overlay/l/): no Podman needed. Layer IDs follow
/// containers/image (the base's diff ID, then sha256(parent + "+" + diff ID)).
///
/// Two images: localhost/fx/base:v1 (layers 0-1) and localhost/fx/app:v1 (the same two and a
/// third; its history has an ENV entry, "no layer"). Layer 0 has /etc/motd, /etc/os-release,
/// /bin/sh, /data/old/a.txt and /data/keep.txt; layer 1 adds /app/readme.txt and deletes
/// /data/old; layer 2 makes /data/old again, opaque, with b.txt, and adds /app/run.sh. The
/// container "web" (of app) adds /app/new.txt, changes /app/readme.txt and deletes
/// /etc/motd; "idle" (of base) was created and never started.
///
/// Whiteouts in either form: `Files` writes `.wh.NAME` and `.wh..wh..opq` with fuse-overlayfs's
/// `.wh..opq` beside it (a store used through fuse-overlayfs), `Devices` 0/0 character devices and
/// trusted.overlay.opaque (native overlay; needs root).
struct PodmanFixture {
    enum class Whiteouts { Files, Devices };

    QString root;
    QStringList diffIds; ///< the app image's layers, bottom first
    QStringList layerIds;
    QStringList links; ///< their short names in overlay/l/
    QString baseId, appId; ///< "sha256:…"
    QString webId, webLayer, idleId, idleLayer;

    [[nodiscard]] bool build(const QString &dir, Whiteouts form = Whiteouts::Files);
    /// <root>/overlay/<id>/diff
    [[nodiscard]] QString diff(const QString &layerId) const;
    /// The paths under <root> and a digest of each file's bytes and each entry's metadata: what
    /// must not change while the store is read.
    [[nodiscard]] QStringList fingerprint() const { return fingerprint(root); }
    /// The same of any directory (a real store's), paths relative to it.
    [[nodiscard]] static QStringList fingerprint(const QString &dir);

    [[nodiscard]] static bool writeFile(const QString &path, const QByteArray &data);
    /// containers/image's layer ID of `diffId` over the layer `parent` (empty: a base layer).
    [[nodiscard]] static QString layerId(const QString &parent, const QString &diffId);

private:
    [[nodiscard]] bool buildLayers(Whiteouts form);
    [[nodiscard]] bool whiteout(const QString &layer, const QString &path, Whiteouts form) const;
    [[nodiscard]] bool opaque(const QString &layer, const QString &dir, Whiteouts form) const;
    [[nodiscard]] bool layerDir(int index, const QString &id, const QString &parentId) const;
    [[nodiscard]] QString image(const QString &name, int layers, const QByteArray &history, const char *created);
    [[nodiscard]] bool buildContainers(Whiteouts form);
    QByteArray m_layersJson, m_imagesJson;
};

} // namespace strata::test
