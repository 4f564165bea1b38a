// SPDX-License-Identifier: GPL-2.0-or-later
// A Docker root built from the bytes (InputTree: repositories.json, imagedb, layerdb,
// overlay2's link/lower files and l/, containers/*/config.v2.json, diff directories) and read
// the way `strata docker` reads one: whatever is there, no crash, and what is listed is found.
#include "tests/fuzz/fuzztargets.h"
#include "tests/fuzz/inputtree.h"

#include "core/image/containerdiff.h"
#include "core/image/docker/dockerhost.h"
#include "core/image/pathexplainer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <memory>

namespace strata::fuzz
{

namespace
{
// One directory for the whole run, in memory when there is /dev/shm; each input gets a fresh
// tree inside it.
const QByteArray &scratch()
{
    static const std::unique_ptr<QTemporaryDir> dir = [] {
        const QString base = QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm") : QDir::tempPath();
        return std::make_unique<QTemporaryDir>(base + QStringLiteral("/strata-fuzz-XXXXXX"));
    }();
    static const QByteArray path = QFile::encodeName(dir->path());
    return path;
}

void readImages(const DockerHost &host)
{
    for (qsizetype i = 0; i < host.imageCount(); ++i) {
        const DockerImage &image = host.images().at(i);
        (void)host.imageLayers(image);
        (void)host.mergeLayers(image);
        (void)host.imageStack(i);
        (void)host.sharedLayerCount(i);
        for (qsizetype k = 0; k < host.imageLayerCount(i); ++k) {
            (void)host.layerMergeLayers(i, k);
            (void)host.imagesUsing(host.imageLayerAt(i, k).cacheId);
        }
        auto found = host.findImage(image.id);
        require(found.ok() && (*found)->id == image.id, "an image is found by its ID");
        for (const QString &tag : image.tags)
            (void)host.findImage(tag);
    }
    (void)host.intermediateCount();
}

void readContainers(const DockerHost &host)
{
    for (qsizetype i = 0; i < host.containerCount(); ++i) {
        const DockerContainer &c = host.containers().at(i);
        (void)host.mergeLayers(c, true);
        (void)host.mergeLayers(c, false);
        (void)host.containerStack(i, true);
        (void)ContainerDiff::compute(host, i);
        (void)PathExplainer::explain(host, c.id, QStringLiteral("/"));
        if (!c.mountId.isEmpty())
            (void)host.containerOwning(c.mountId);
        if (!c.id.isEmpty()) {
            auto found = host.findContainer(c.id);
            require(found.ok() && (*found)->id == c.id, "a container is found by its ID");
        }
    }
}
} // namespace

void dockerRoot(const std::uint8_t *data, std::size_t size)
{
    const QByteArray root = scratch() + "/root";
    if (!InputTree::build(bytes(data, size), root)) {
        InputTree::remove(root); // a tree a crashed input left behind
        require(InputTree::build(bytes(data, size), root), "the scratch tree can be made");
    }
    auto host = DockerHost::open(QFile::decodeName(root));
    if (host) {
        readImages(*host);
        readContainers(*host);
        (void)host->searchDirs();
        for (const StoreProblem &p : host->problems())
            (void)p.text();
    }
    InputTree::remove(root);
}

} // namespace strata::fuzz
