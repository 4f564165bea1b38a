// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/imagestore.h"
#include "core/image/podman/podmancontainer.h"
#include "core/image/podman/podmanimage.h"
#include "core/image/podman/podmanlayer.h"
#include "core/image/podman/podmanlayerrecord.h"

#include <QHash>
#include <QString>
#include <QVector>

namespace strata
{

/// A containers-storage store (Podman, Buildah, CRI-O) with the overlay driver, read in place:
/// layers from overlay-layers/layers.json (and volatile-layers.json), images from
/// overlay-images/images.json with their configs from the big-data files, containers from
/// overlay-containers/containers.json; a layer's files are overlay/<id>/diff, its parents the
/// layers below. The JSON files are read without their *.lock files; nothing is written or
/// mounted.
///
/// Whiteouts are read in both forms: 0/0 character devices with overlay.opaque xattrs (native
/// overlay), and `.wh.NAME` / `.wh..wh..opq` files (a store used through fuse-overlayfs), which
/// the stacks and searchDirs() read through WhiteoutFilesSource. The layers themselves
/// (imageLayerAt) are the plain directories, whose `.wh.` names are what a layer tar holds.
class PodmanStore final : public ImageStore
{
public:
    /// Root's store (/var/lib/containers/storage), or for another user the rootless one
    /// ($XDG_DATA_HOME or ~/.local/share, containers/storage); storage.conf's graphroot when
    /// it sets one.
    [[nodiscard]] static QString defaultRoot();

    /// Reads the store at `root` (defaultRoot() when empty). Fails when the root is no
    /// directory or has no overlay-layers/ nor overlay-images/ (not an overlay store); a
    /// missing or corrupt JSON file, an unreadable directory are problems().
    [[nodiscard]] static Result<PodmanStore> open(const QString &root = {});

    [[nodiscard]] QString layerDir(const QString &id) const; ///< <root>/overlay/<id>
    [[nodiscard]] const QVector<PodmanImage> &images() const { return m_images; }
    [[nodiscard]] const QVector<PodmanContainer> &containers() const { return m_containers; }
    [[nodiscard]] const QVector<PodmanLayer> &imageLayers(qsizetype image) const { return m_imageLayers.at(image); }
    /// Every layers.json record (volatile ones too), by ID.
    [[nodiscard]] const QHash<QString, PodmanLayerRecord> &layerRecords() const { return m_layers; }
    /// Whether the store is a rootless one (its overlays use user.overlay.* xattrs).
    [[nodiscard]] bool isRootless() const { return m_rootless; }

    // ImageStore
    [[nodiscard]] QString kindName() const override;
    [[nodiscard]] const QString &root() const override { return m_root; }
    [[nodiscard]] const StoreProblems &problems() const override { return m_problems; }
    [[nodiscard]] MergeOptions mergeOptions() const override;
    [[nodiscard]] qsizetype imageCount() const override { return m_images.size(); }
    [[nodiscard]] const PodmanImage &imageAt(qsizetype i) const override { return m_images.at(i); }
    [[nodiscard]] const PodmanImage *imageById(const QString &id) const override;
    [[nodiscard]] Result<qsizetype> imageIndex(const QString &ref) const override;
    [[nodiscard]] qsizetype imageLayerCount(qsizetype image) const override { return m_imageLayers.at(image).size(); }
    [[nodiscard]] const PodmanLayer &imageLayerAt(qsizetype image, qsizetype layer) const override
    {
        return m_imageLayers.at(image).at(layer);
    }
    [[nodiscard]] qsizetype containerCount() const override { return m_containers.size(); }
    [[nodiscard]] const PodmanContainer &containerAt(qsizetype i) const override { return m_containers.at(i); }
    [[nodiscard]] Result<qsizetype> containerIndex(const QString &ref) const override;
    [[nodiscard]] Result<Stack> imageStack(qsizetype image) const override;
    [[nodiscard]] Result<Stack> containerStack(qsizetype container, bool withUpper) const override;
    [[nodiscard]] qsizetype storedLayerCount() const override;
    [[nodiscard]] QStringList imageIdsUsing(const QString &cacheId) const override;
    [[nodiscard]] QVector<StoreDir> searchDirs() const override;

private:
    PodmanStore() = default;

    void readLayers();
    void readImages();
    void resolveImage(PodmanImage &image);
    [[nodiscard]] QVector<PodmanLayer> joinLayers(PodmanImage &image);
    void readContainers();
    void resolveContainer(PodmanContainer &c);
    /// The layer IDs from `top` down to the base, or an error naming what breaks the chain.
    [[nodiscard]] Result<QStringList> chain(const QString &top) const;
    [[nodiscard]] StackLayer stackLayer(StoreLayerKind kind, const QString &id, const QString &name) const;

    QString m_root;
    bool m_rootless = false;
    QHash<QString, PodmanLayerRecord> m_layers; // by layer ID
    QVector<QString> m_layerOrder; // layers.json's order, then volatile-layers.json's
    QVector<PodmanImage> m_images;
    QVector<QVector<PodmanLayer>> m_imageLayers; // per image, bottom first
    QVector<PodmanContainer> m_containers;
    QHash<QString, QStringList> m_imagesByLayer; // layer ID -> image IDs
    StoreProblems m_problems;
};

} // namespace strata
