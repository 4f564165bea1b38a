// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/images/storesource.h"

#include <QString>
#include <QVector>

namespace strata
{

class ArchiveStore;
class ScanControl;

/// Finds every image store of this host by itself, reading each (never writing) so the panel
/// can list it with what it holds: the Docker root (overlay2, or Docker 29's containerd image
/// store), each namespace of containerd's root, and Podman's stores. Slow (it reads metadata):
/// run it off the GUI thread. Every store kind is one function here; a new kind is one more.
class StoreSources final
{
public:
    /// Where to look; the defaults are the daemons' own roots. Tests point them at fixtures.
    struct Roots {
        QString docker; ///< DockerHost::defaultRoot()
        QString containerd; ///< ContainerdStore::defaultRoot()
        QStringList podman; ///< rootful /var/lib/containers/storage, and a user's own store
    };
    [[nodiscard]] static Roots defaultRoots();

    /// Every source under `roots`, in the order listed: Docker, containerd's namespaces,
    /// Podman's stores. A root that is missing or unreadable is one unavailable source.
    [[nodiscard]] static QVector<StoreSource> discover(const Roots &roots, ScanControl *control = nullptr);
    /// An image archive read (docker save, OCI archive or layout, a layer tar) as a source.
    [[nodiscard]] static StoreSource archive(const std::shared_ptr<const ArchiveStore> &store);

    [[nodiscard]] static StoreSource docker(const QString &root, ScanControl *control = nullptr);
    [[nodiscard]] static QVector<StoreSource> containerd(const QString &root);
    /// A Podman (containers-storage) store: rootful, or a user's rootless one.
    [[nodiscard]] static StoreSource podman(const QString &root);
};

} // namespace strata
