// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/docker/dockercontainer.h"
#include "core/image/docker/dockerimage.h"
#include "core/image/docker/dockerimagelayer.h"
#include "core/image/docker/dockerlayer.h"
#include "core/image/docker/overlaydir.h"
#include "core/image/imagestore.h"
#include "core/image/storeproblem.h"
#include "core/merge/mergelayer.h"
#include "core/merge/mergeoptions.h"
#include "core/util/result.h"
#include "core/util/status.h"

#include <QHash>
#include <QString>
#include <QVector>

namespace strata
{

class ScanControl;
struct DockerRepositories;

using DockerProblem = StoreProblem;
using DockerProblems = StoreProblems;

/// A Docker root (/var/lib/docker or any copy of one) with the overlay2 graph driver and its
/// image store, read from disk without the daemon: images, layers, containers and the
/// overlay2 directories. Everything is opened read-only; nothing is ever written, created or
/// mounted under the root. The first ImageStore: everything it answers is also there through
/// the store-neutral interface.
///
/// Files that cannot be read (most of /var/lib/docker is root-only) or that are corrupt
/// become problems(); everything else is still loaded.
class DockerHost final : public ImageStore
{
public:
    /// /var/lib/docker
    [[nodiscard]] static QString defaultRoot();

    /// Reads the metadata of the Docker root at `root` (defaultRoot() when empty). Fails only
    /// when `root` is not a directory or does not look like a Docker root at all, or when
    /// `control` is cancelled (ECANCELED); its entries() count the metadata entries read.
    [[nodiscard]] static Result<DockerHost> open(const QString &root = {}, ScanControl *control = nullptr);

    [[nodiscard]] const QString &root() const override { return m_root; }
    [[nodiscard]] QString overlayRoot() const; ///< <root>/overlay2
    [[nodiscard]] QString imageRoot() const; ///< <root>/image/overlay2
    /// <root>/overlay2/<cacheId>
    [[nodiscard]] QString layerDir(const QString &cacheId) const;
    /// <root>/overlay2/<cacheId>/diff
    [[nodiscard]] QString diffDir(const QString &cacheId) const;

    /// Images sorted by newest first, like `docker images`.
    [[nodiscard]] const QVector<DockerImage> &images() const { return m_images; }
    /// Containers sorted by newest first, like `docker ps -a`.
    [[nodiscard]] const QVector<DockerContainer> &containers() const { return m_containers; }
    /// The layer store, by chain ID.
    [[nodiscard]] const QHash<QString, DockerLayer> &layers() const { return m_layers; }
    /// The directories under overlay2/, by name, and l/ (short name -> directory name).
    [[nodiscard]] const QHash<QString, OverlayDir> &overlayDirs() const { return m_dirs; }
    [[nodiscard]] const QHash<QString, QString> &shortLinks() const { return m_links; }
    [[nodiscard]] const DockerProblems &problems() const override { return m_problems; }

    /// An image by "name:tag", "name" (":latest"), "name@sha256:...", full ID or a unique
    /// ID prefix ("sha256:" optional), as `docker image inspect` accepts them.
    [[nodiscard]] Result<const DockerImage *> findImage(const QString &ref) const;
    /// A container by full ID, name, or a unique ID prefix.
    [[nodiscard]] Result<const DockerContainer *> findContainer(const QString &ref) const;
    [[nodiscard]] const DockerImage *imageById(const QString &id) const override;

    /// The layers of an image, bottom first, joined with the layer store, overlay2 and history.
    [[nodiscard]] QVector<DockerImageLayer> imageLayers(const DockerImage &image) const;

    /// The directories of an image (top layer first) as a merged view would stack them.
    [[nodiscard]] Result<MergeLayers> mergeLayers(const DockerImage &image) const;
    /// A container's stack, top first: its read-write layer (unless `withUpper` is false),
    /// its init layer, then the image layers, as Docker mounts them.
    [[nodiscard]] Result<MergeLayers> mergeLayers(const DockerContainer &container, bool withUpper = true) const;

    /// How Docker's overlay mounts look things up: it passes no redirect_dir or metacopy
    /// option, so the overlay module's defaults (/sys/module/overlay/parameters) apply.
    [[nodiscard]] static MergeOptions mountOptions();

    /// For a container's read-write or init directory: that container.
    [[nodiscard]] const DockerContainer *containerOwning(const QString &dirName) const;

    // ImageStore
    [[nodiscard]] QString kindName() const override;
    [[nodiscard]] MergeOptions mergeOptions() const override { return mountOptions(); }
    [[nodiscard]] qsizetype imageCount() const override { return m_images.size(); }
    [[nodiscard]] const DockerImage &imageAt(qsizetype i) const override { return m_images.at(i); }
    [[nodiscard]] Result<qsizetype> imageIndex(const QString &ref) const override;
    [[nodiscard]] qsizetype imageLayerCount(qsizetype image) const override;
    [[nodiscard]] const DockerImageLayer &imageLayerAt(qsizetype image, qsizetype layer) const override;
    [[nodiscard]] qsizetype containerCount() const override { return m_containers.size(); }
    [[nodiscard]] const DockerContainer &containerAt(qsizetype i) const override { return m_containers.at(i); }
    [[nodiscard]] Result<qsizetype> containerIndex(const QString &ref) const override;
    [[nodiscard]] Result<Stack> imageStack(qsizetype image) const override;
    [[nodiscard]] Result<Stack> containerStack(qsizetype container, bool withUpper) const override;
    [[nodiscard]] qsizetype storedLayerCount() const override { return m_layers.size(); }
    [[nodiscard]] QStringList imageIdsUsing(const QString &cacheId) const override;
    [[nodiscard]] QVector<StoreDir> searchDirs() const override;

private:
    DockerHost() = default;

    [[nodiscard]] Status load(ScanControl *control);
    void loadImages();
    void loadContainers();
    void finishImages(const DockerRepositories &repositories);
    void checkImageLayers(DockerImage &image);
    void fillHistoryImageIds();
    void finishContainers();
    void resolveLowers(DockerContainer &container);
    void joinImageLayers();
    [[nodiscard]] DockerImageLayer joinLayer(const DockerImage &image, int k) const;
    [[nodiscard]] QVector<DockerImageLayer> computeImageLayers(const DockerImage &image) const;
    [[nodiscard]] StackLayer stackLayer(StoreLayerKind kind, const QString &cacheId, const QString &name) const;
    [[nodiscard]] QString notFoundHint() const;

    QString m_root;
    QVector<DockerImage> m_images;
    QVector<QVector<DockerImageLayer>> m_imageLayers; // per image (same order), bottom first
    QHash<QString, qsizetype> m_imageIndex; // image ID -> index in m_images
    QVector<DockerContainer> m_containers;
    QHash<QString, DockerLayer> m_layers;
    QHash<QString, OverlayDir> m_dirs;
    QHash<QString, QString> m_links; // l/ short name -> directory name
    QHash<QString, QStringList> m_imagesByDir; // cache-id -> IDs of the images using it
    DockerProblems m_problems;
};

} // namespace strata
