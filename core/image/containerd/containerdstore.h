// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerd/boltbucket.h"
#include "core/image/containerd/containerdcontainer.h"
#include "core/image/containerd/containerdimage.h"
#include "core/image/containerd/containerdlayer.h"
#include "core/image/containerd/containerdnamespace.h"
#include "core/image/containerd/containerdsnapshot.h"
#include "core/image/imagestore.h"

#include <QHash>
#include <QString>
#include <QVector>

namespace strata
{

/// One namespace of a containerd root (/var/lib/containerd, Docker 29's
/// /var/lib/docker/containerd/daemon, any copy), read in place without the daemon: images from
/// meta.db and the content store, their layers as the overlayfs snapshotter's committed
/// snapshots (by chain ID), containers with their active snapshot as the upper directory over
/// its parents. Both bbolt databases are read without their lock and never written
/// (BoltFile); nothing under the root is created or mounted.
class ContainerdStore final : public ImageStore
{
public:
    [[nodiscard]] static QString defaultRoot(); ///< /var/lib/containerd
    [[nodiscard]] static QString defaultNamespace(); ///< "default", as ctr and nerdctl
    /// The snapshotter read: containerd's default.
    [[nodiscard]] static QString snapshotterName(); ///< "overlayfs"

    /// Reads namespace `nameSpace` of the root (defaultRoot() when empty). Fails when the root
    /// is no directory, has no meta.db, or meta.db cannot be read; a missing namespace, an
    /// unreadable snapshotter database or blob are problems().
    [[nodiscard]] static Result<ContainerdStore> open(const QString &root = {}, const QString &nameSpace = {});

    [[nodiscard]] const QString &nameSpace() const { return m_namespace; }
    /// Every namespace of the root, by name.
    [[nodiscard]] const QVector<ContainerdNamespace> &namespaces() const { return m_namespaces; }
    [[nodiscard]] QString metaDbPath() const; ///< <root>/io.containerd.metadata.v1.bolt/meta.db
    [[nodiscard]] QString snapshotterRoot() const; ///< <root>/io.containerd.snapshotter.v1.overlayfs
    [[nodiscard]] QString snapshotterDbPath() const; ///< <snapshotterRoot>/metadata.db
    [[nodiscard]] QString snapshotDir(const QString &id) const; ///< <snapshotterRoot>/snapshots/<id>
    /// The snapshotter's snapshots of every namespace, by name.
    [[nodiscard]] const QHash<QString, ContainerdSnapshot> &snapshots() const { return m_snapshots; }
    [[nodiscard]] const QVector<ContainerdImage> &images() const { return m_images; }
    [[nodiscard]] const QVector<ContainerdContainer> &containers() const { return m_containers; }
    [[nodiscard]] const QVector<ContainerdLayer> &imageLayers(qsizetype image) const { return m_imageLayers.at(image); }
    /// The snapshot a key of this namespace names (meta.db snapshots/overlayfs/<key>/name), or
    /// nullptr.
    [[nodiscard]] const ContainerdSnapshot *snapshotOfKey(const QString &key) const;
    /// Adds (or replaces, by ID) a container meta.db does not describe (Docker 29 keeps its
    /// own in config.v2.json): its read-write snapshot is `c.snapshotKey` of this namespace.
    void addContainer(ContainerdContainer c);
    /// Problems found beside the root (Docker 29's containers/).
    void addProblems(const StoreProblems &problems) { m_problems += problems; }

    // ImageStore
    [[nodiscard]] QString kindName() const override;
    [[nodiscard]] const QString &root() const override { return m_root; }
    [[nodiscard]] const StoreProblems &problems() const override { return m_problems; }
    [[nodiscard]] MergeOptions mergeOptions() const override;
    [[nodiscard]] qsizetype imageCount() const override { return m_images.size(); }
    [[nodiscard]] const ContainerdImage &imageAt(qsizetype i) const override { return m_images.at(i); }
    [[nodiscard]] const ContainerdImage *imageById(const QString &id) const override;
    [[nodiscard]] Result<qsizetype> imageIndex(const QString &ref) const override;
    [[nodiscard]] qsizetype imageLayerCount(qsizetype image) const override { return m_imageLayers.at(image).size(); }
    [[nodiscard]] const ContainerdLayer &imageLayerAt(qsizetype image, qsizetype layer) const override
    {
        return m_imageLayers.at(image).at(layer);
    }
    [[nodiscard]] qsizetype containerCount() const override { return m_containers.size(); }
    [[nodiscard]] const ContainerdContainer &containerAt(qsizetype i) const override { return m_containers.at(i); }
    [[nodiscard]] Result<qsizetype> containerIndex(const QString &ref) const override;
    [[nodiscard]] Result<Stack> imageStack(qsizetype image) const override;
    [[nodiscard]] Result<Stack> containerStack(qsizetype container, bool withUpper) const override;
    [[nodiscard]] qsizetype storedLayerCount() const override;
    [[nodiscard]] QStringList imageIdsUsing(const QString &cacheId) const override;
    [[nodiscard]] QVector<StoreDir> searchDirs() const override;

private:
    ContainerdStore() = default;

    void readNamespaces(const BoltBucket &v1);
    void readSnapshotKeys(const BoltBucket &ns);
    void readImages(const BoltBucket &ns);
    void resolveImage(ContainerdImage &image);
    [[nodiscard]] QVector<ContainerdLayer> joinLayers(ContainerdImage &image);
    void readContainers(const BoltBucket &ns);
    void resolveContainer(ContainerdContainer &c);
    [[nodiscard]] StackLayer stackLayer(StoreLayerKind kind, const QString &id, const QString &name) const;

    QString m_root;
    QString m_namespace;
    QVector<ContainerdNamespace> m_namespaces;
    QHash<QString, ContainerdSnapshot> m_snapshots; // by snapshotter name, every namespace
    QHash<QString, QString> m_snapshotNames; // this namespace's user key -> snapshotter name
    QVector<ContainerdImage> m_images;
    QVector<QVector<ContainerdLayer>> m_imageLayers; // per image, bottom first
    QVector<ContainerdContainer> m_containers;
    QHash<QString, QStringList> m_imagesBySnapshot; // snapshot directory number -> image IDs
    StoreProblems m_problems;
};

} // namespace strata
