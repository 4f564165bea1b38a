// SPDX-License-Identifier: GPL-2.0-or-later
#include "storesources.h"

#include "core/image/archive/archivestore.h"
#include "core/image/containerd/containerdstore.h"
#include "core/image/docker/dockercontainerdroot.h"
#include "core/image/docker/dockerhost.h"
#include "core/image/podman/podmanstore.h"
#include "core/image/storefiles.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <cerrno>
#include <cstring>

namespace strata
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("StoreSources", text);
}

// Why a store's root cannot be read, in words; empty when it can be.
QString rootProblem(const QString &path)
{
    const int error = StoreFiles::lstatError(path);
    if (error == ENOENT)
        return tr("not on this host (%1 does not exist)").arg(path);
    if (error != 0)
        return QStringLiteral("%1: %2").arg(path, QString::fromLocal8Bit(std::strerror(error)));
    if (!QFileInfo(path).isReadable())
        return tr("%1 is not readable by this user (try as root)").arg(path);
    return {};
}

StoreSource unavailable(const QString &kind, const QString &name, const QString &root, const QString &why)
{
    StoreSource s;
    s.kind = kind;
    s.name = name;
    s.root = root;
    s.unavailable = why;
    return s;
}

StoreSource available(const QString &kind,
    const QString &name,
    const QString &root,
    const QString &detail,
    std::shared_ptr<const ImageStore> store)
{
    StoreSource s;
    s.kind = kind;
    s.name = name;
    s.root = root;
    s.detail = detail;
    s.store = std::move(store);
    return s;
}

// A store as opened: a source that can be shown, or one that says why not.
template<typename Store>
StoreSource opened(
    const QString &kind, const QString &name, const QString &root, const QString &detail, Result<Store> store)
{
    if (!store)
        return unavailable(kind, name, root, store.error().message);
    return available(kind, name, root, detail, std::make_shared<const Store>(std::move(*store)));
}

} // namespace

QString StoreSource::summary() const
{
    if (!store)
        return unavailable;
    qsizetype images = 0;
    for (qsizetype i = 0; i < store->imageCount(); ++i)
        images += store->imageAt(i).intermediate ? 0 : 1;
    QString text = QCoreApplication::translate("StoreSource", "%n image(s)", nullptr, int(images));
    if (kind != QLatin1String("Archive"))
        text += QCoreApplication::translate("StoreSource", ", %n container(s)", nullptr, int(store->containerCount()));
    if (!store->problems().isEmpty())
        text += QCoreApplication::translate("StoreSource", ", %n problem(s)", nullptr, int(store->problems().size()));
    return text;
}

StoreSources::Roots StoreSources::defaultRoots()
{
    QStringList podman {QStringLiteral("/var/lib/containers/storage")};
    // Not root: this user's rootless store as well (what `podman` itself uses).
    if (const QString own = PodmanStore::defaultRoot(); !podman.contains(own))
        podman << own;
    return {DockerHost::defaultRoot(), ContainerdStore::defaultRoot(), podman};
}

QVector<StoreSource> StoreSources::discover(const Roots &roots, ScanControl *control)
{
    QVector<StoreSource> sources {docker(roots.docker, control)};
    sources += containerd(roots.containerd);
    for (const QString &root : roots.podman)
        sources << podman(root);
    return sources;
}

StoreSource StoreSources::docker(const QString &root, ScanControl *control)
{
    const QString name = QStringLiteral("Docker");
    if (const QString why = rootProblem(root); !why.isEmpty())
        return unavailable(name, name, root, why);
    if (DockerContainerdRoot::detect(root))
        return opened(name,
            name,
            root,
            tr("containerd image store (Docker 29), namespace moby"),
            DockerContainerdRoot::open(root));
    return opened(name, name, root, tr("overlay2"), DockerHost::open(root, control));
}

QVector<StoreSource> StoreSources::containerd(const QString &root)
{
    const QString kind = QStringLiteral("containerd");
    if (const QString why = rootProblem(root); !why.isEmpty())
        return {unavailable(kind, kind, root, why)};
    auto first = ContainerdStore::open(root);
    if (!first)
        return {unavailable(kind, kind, root, first.error().message)};
    const QVector<ContainerdNamespace> namespaces = first->namespaces();
    const QString metaDb = first->metaDbPath();
    const QString openedNs = first->nameSpace();
    QVector<StoreSource> sources;
    for (const ContainerdNamespace &ns : namespaces) {
        sources << opened(kind,
            QStringLiteral("containerd: %1").arg(ns.name),
            root,
            tr("namespace %1, %2 snapshotter").arg(ns.name, ContainerdStore::snapshotterName()),
            ns.name == openedNs ? std::move(first) : ContainerdStore::open(root, ns.name));
    }
    if (sources.isEmpty())
        sources << unavailable(kind, kind, root, tr("no namespace in %1").arg(metaDb));
    return sources;
}

StoreSource StoreSources::archive(const std::shared_ptr<const ArchiveStore> &store)
{
    return available(QStringLiteral("Archive"),
        QFileInfo(store->root()).fileName(),
        store->root(),
        ArchiveStore::formatName(store->format()),
        store);
}

StoreSource StoreSources::podman(const QString &root)
{
    const QString kind = QStringLiteral("Podman");
    if (const QString why = rootProblem(root); !why.isEmpty())
        return unavailable(kind, tr("Podman"), root, why);
    auto store = PodmanStore::open(root);
    const bool rootless = store && store->isRootless();
    return opened(kind,
        rootless ? tr("Podman (rootless)") : tr("Podman (rootful)"),
        root,
        rootless ? tr("containers-storage, user.overlay.* xattrs") : tr("containers-storage, overlay"),
        std::move(store));
}

} // namespace strata
