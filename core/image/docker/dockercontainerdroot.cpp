// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockercontainerdroot.h"

#include "core/image/docker/dockercontainer.h"
#include "core/image/docker/dockercontainerconfig.h"
#include "core/image/docker/dockerhost.h"
#include "core/image/storefiles.h"

#include <QDir>

#include <cerrno>

namespace strata
{

QString DockerContainerdRoot::containerdRoot(const QString &dockerRoot)
{
    return dockerRoot + QStringLiteral("/containerd/daemon");
}

bool DockerContainerdRoot::detect(const QString &dockerRootArg)
{
    const QString root = dockerRootArg.isEmpty() ? DockerHost::defaultRoot() : dockerRootArg;
    return StoreFiles::lstatError(root + QStringLiteral("/image/overlay2")) == ENOENT
        && StoreFiles::lstatError(containerdRoot(root) + QStringLiteral("/io.containerd.metadata.v1.bolt/meta.db"))
        == 0;
}

Result<ContainerdStore> DockerContainerdRoot::open(const QString &dockerRootArg)
{
    const QString root
        = QDir::cleanPath(QDir(dockerRootArg.isEmpty() ? DockerHost::defaultRoot() : dockerRootArg).absolutePath());
    auto store = ContainerdStore::open(containerdRoot(root), QStringLiteral("moby"));
    if (!store)
        return store.error();
    StoreProblems problems;
    for (const QString &id : StoreFiles::list(root + QStringLiteral("/containers"), problems, false)) {
        if (!StoreFiles::isHex64(id))
            continue;
        DockerContainer d;
        d.id = id;
        DockerContainerConfig::read(root, d, problems, ContainerdStore::snapshotterName());
        ContainerdContainer c;
        static_cast<StoreContainer &>(c) = d;
        c.snapshotter = ContainerdStore::snapshotterName(); // Driver, when it is another, is a problem above
        c.snapshotKey = id;
        store->addContainer(c);
    }
    store->addProblems(problems);
    return store;
}

QString DockerContainerdRoot::layoutNote(const ContainerdStore &store)
{
    return QStringLiteral("%1 uses the containerd image store (Docker 29): read namespace %2 of %3")
        .arg(QDir::cleanPath(store.root() + QStringLiteral("/../..")), store.nameSpace(), store.root());
}

} // namespace strata
