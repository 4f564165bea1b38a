// SPDX-License-Identifier: GPL-2.0-or-later
#include "storesources.h"

#include "core/image/archive/archivestore.h"
#include "core/image/containerd/containerdstore.h"
#include "core/image/docker/dockercontainerdroot.h"
#include "core/image/docker/dockerhost.h"
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
    return {DockerHost::defaultRoot(), ContainerdStore::defaultRoot()};
}

QVector<StoreSource> StoreSources::discover(const Roots &roots, ScanControl *control)
{
    QVector<StoreSource> sources {docker(roots.docker, control)};
    sources += containerd(roots.containerd);
    appendPodman(sources);
    return sources;
}

StoreSource StoreSources::docker(const QString &root, ScanControl *control)
{
    const QString name = QStringLiteral("Docker");
    if (const QString why = rootProblem(root); !why.isEmpty())
        return unavailable(name, name, root, why);
    StoreSource s;
    s.kind = name;
    s.name = name;
    s.root = root;
    if (DockerContainerdRoot::detect(root)) {
        auto store = DockerContainerdRoot::open(root);
        if (!store)
            return unavailable(name, name, root, store.error().message);
        s.detail = tr("containerd image store (Docker 29), namespace moby");
        s.store = std::make_shared<const ContainerdStore>(std::move(*store));
        return s;
    }
    auto host = DockerHost::open(root, control);
    if (!host)
        return unavailable(name, name, root, host.error().message);
    s.detail = tr("overlay2");
    s.store = std::make_shared<const DockerHost>(std::move(*host));
    return s;
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
    const QString opened = first->nameSpace();
    QVector<StoreSource> sources;
    for (const ContainerdNamespace &ns : namespaces) {
        const QString name = QStringLiteral("containerd: %1").arg(ns.name);
        auto store = ns.name == opened ? std::move(first) : ContainerdStore::open(root, ns.name);
        if (!store) {
            sources << unavailable(kind, name, root, store.error().message);
            continue;
        }
        StoreSource s;
        s.kind = kind;
        s.name = name;
        s.root = root;
        s.detail = tr("namespace %1, %2 snapshotter").arg(ns.name, ContainerdStore::snapshotterName());
        s.store = std::make_shared<const ContainerdStore>(std::move(*store));
        sources << s;
    }
    if (sources.isEmpty())
        sources << unavailable(kind, kind, root, tr("no namespace in %1").arg(metaDb));
    return sources;
}

StoreSource StoreSources::archive(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    auto store = ArchiveStore::open(path);
    if (!store)
        return unavailable(QStringLiteral("Archive"), name, path, store.error().message);
    StoreSource s;
    s.kind = QStringLiteral("Archive");
    s.name = name;
    s.root = path;
    s.detail = ArchiveStore::formatName((*store)->format());
    s.store = *store;
    return s;
}

void StoreSources::appendPodman(QVector<StoreSource> &sources)
{
    // PodmanStore (core/image/podman) is not in this build yet: when it is, append
    // StoreSources::podman(rootfulRoot) and podman(rootlessRoot of this user) here.
    Q_UNUSED(sources);
}

} // namespace strata
