// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/image/imagereference.h"

#include "core/image/archive/archivestore.h"
#include "core/image/containerd/containerdstore.h"
#include "core/image/docker/dockerhost.h"
#include "core/image/podman/podmanstore.h"

#include <cerrno>

namespace strata
{

namespace
{

Result<ImageReference::Opened> openDocker(const QString &ref, const QString &root)
{
    auto host = DockerHost::open(root);
    if (!host)
        return host.error();
    auto image = host->imageIndex(ref);
    if (!image)
        return image.error();
    return ImageReference::Opened {std::make_shared<const DockerHost>(std::move(*host)), *image};
}

Result<ImageReference::Opened> openArchive(const QString &path, const QString &select)
{
    auto store = ArchiveStore::open(path);
    if (!store)
        return store.error();
    auto image = (*store)->select(select);
    if (!image)
        return image.error();
    return ImageReference::Opened {*store, *image};
}

// The image `ref` of an opened store.
template<typename Store>
Result<ImageReference::Opened> imageIn(Result<Store> store, const QString &ref)
{
    if (!store)
        return store.error();
    auto image = store->imageIndex(ref);
    if (!image)
        return image.error();
    return ImageReference::Opened {std::make_shared<const Store>(std::move(*store)), *image};
}

Result<ImageReference::Opened> openContainerd(const QString &ref, const QString &nameSpace, const QString &root)
{
    return imageIn(ContainerdStore::open(root, nameSpace), ref);
}

bool looksLikeHost(const QString &part)
{
    return part.contains(QLatin1Char('.')) || part.contains(QLatin1Char(':')) || part == QLatin1String("localhost");
}

} // namespace

Result<ImageReference> ImageReference::parse(const QString &spec)
{
    ImageReference r;
    r.m_spec = spec;
    const qsizetype colon = spec.indexOf(QLatin1Char(':'));
    const QString scheme = colon > 0 ? spec.left(colon) : QString();
    const QString rest = spec.mid(colon + 1);
    if (scheme == QLatin1String("docker"))
        r.m_kind = Kind::Docker;
    else if (scheme == QLatin1String("podman"))
        r.m_kind = Kind::Podman;
    else if (scheme == QLatin1String("containerd"))
        r.m_kind = Kind::Containerd;
    else if (scheme == QLatin1String("archive"))
        r.m_kind = Kind::Archive;
    else {
        // Not one of ours: the whole spec is an archive's path ("./a:b.tar" too).
        r.m_kind = Kind::Archive;
        r.m_ref = spec;
        return r;
    }
    r.m_ref = rest;
    if (r.m_kind == Kind::Containerd) {
        // containerd names images in full ("docker.io/library/x:1"): NS/REF when what follows
        // the first slash starts with a registry host.
        const qsizetype slash = rest.indexOf(QLatin1Char('/'));
        if (slash > 0 && looksLikeHost(rest.mid(slash + 1).section(QLatin1Char('/'), 0, 0))
            && rest.mid(slash + 1).contains(QLatin1Char('/'))) {
            r.m_namespace = rest.left(slash);
            r.m_ref = rest.mid(slash + 1);
        }
    }
    if (r.m_ref.isEmpty())
        return Error {EINVAL, QStringLiteral("%1: no image after \"%2:\"").arg(spec, scheme)};
    return r;
}

Result<ImageReference::Opened> ImageReference::open(const QString &root, const QString &select) const
{
    switch (m_kind) {
    case Kind::Docker:
        return openDocker(m_ref, root);
    case Kind::Archive:
        return openArchive(m_ref, select);
    case Kind::Containerd:
        return openContainerd(m_ref, m_namespace, root);
    case Kind::Podman:
        return imageIn(PodmanStore::open(root), m_ref);
    }
    return Error {EINVAL, m_spec};
}

} // namespace strata
