// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockerlayerdb.h"

#include "core/image/chainid.h"
#include "core/image/metadatafile.h"
#include "core/image/storefiles.h"

#include <cerrno>

namespace strata
{

QHash<QString, DockerLayer> DockerLayerDb::readLayers(const QString &imageRoot, StoreProblems &problems)
{
    QHash<QString, DockerLayer> layers;
    const QString base = imageRoot + QStringLiteral("/layerdb/sha256");
    for (const QString &name : StoreFiles::list(base, problems)) {
        // "<chain>-removing" is a deletion in progress; tmp/ is the transaction area.
        if (!StoreFiles::isHex64(name))
            continue;
        DockerLayer l = readLayer(base + QLatin1Char('/') + name, name, problems);
        layers.insert(l.chainId, l);
    }
    return layers;
}

DockerLayer DockerLayerDb::readLayer(const QString &dir, const QString &name, StoreProblems &problems)
{
    DockerLayer l;
    l.chainId = QStringLiteral("sha256:") + name;
    auto note = [&](const Error &e) {
        l.problems << e.message;
        StoreFiles::report(problems, e);
    };
    if (auto diff = MetadataFile::readLine(dir + QStringLiteral("/diff"))) {
        l.diffId = *diff;
        if (!ChainId::isDigest(l.diffId))
            note(Error {EINVAL, QStringLiteral("%1/diff: not a sha256 digest: \"%2\"").arg(dir, l.diffId.left(80))});
    } else {
        note(diff.error());
    }
    if (auto cache = MetadataFile::readLine(dir + QStringLiteral("/cache-id"))) {
        if (StoreFiles::isSafeName(*cache))
            l.cacheId = *cache;
        else
            note(Error {EINVAL, QStringLiteral("%1/cache-id: not a directory name: \"%2\"").arg(dir, cache->left(80))});
    } else {
        note(cache.error());
    }
    if (auto parent = MetadataFile::readLine(dir + QStringLiteral("/parent"))) {
        l.parent = *parent;
    } else if (parent.error().code != ENOENT) {
        note(parent.error()); // absent for a base layer
    }
    if (auto size = MetadataFile::readLine(dir + QStringLiteral("/size"))) {
        bool ok = false;
        l.size = size->toLongLong(&ok);
        if (!ok) {
            l.size = -1;
            note(Error {EINVAL, QStringLiteral("%1/size: not a number: \"%2\"").arg(dir, size->left(40))});
        }
    } else {
        note(size.error());
    }
    return l;
}

void DockerLayerDb::readMount(const QString &imageRoot, DockerContainer &c, StoreProblems &problems)
{
    auto note = [&](const Error &e) {
        c.problems << e.message;
        StoreFiles::report(problems, e);
    };
    // A directory name that would leave overlay2/ is refused.
    auto dirName = [&](const QString &path, QString &into, bool required) {
        auto value = MetadataFile::readLine(path);
        if (!value) {
            if (required || value.error().code != ENOENT)
                note(value.error());
        } else if (StoreFiles::isSafeName(*value)) {
            into = *value;
        } else {
            note(Error {EINVAL, QStringLiteral("%1: not a directory name").arg(path)});
        }
    };
    const QString m = imageRoot + QStringLiteral("/layerdb/mounts/") + c.id;
    dirName(m + QStringLiteral("/mount-id"), c.mountId, true);
    dirName(m + QStringLiteral("/init-id"), c.initId, false);
    if (auto parent = MetadataFile::readLine(m + QStringLiteral("/parent"))) {
        c.parentChainId = *parent;
    } else if (parent.error().code != ENOENT) {
        note(parent.error());
    }
}

} // namespace strata
