// SPDX-License-Identifier: GPL-2.0-or-later
#include "podmanstore.h"

#include "core/image/chainid.h"
#include "core/image/docker/dockerhost.h"
#include "core/image/imageconfig.h"
#include "core/image/metadatafile.h"
#include "core/image/podman/podmanrecords.h"
#include "core/image/podman/podmanstatedb.h"
#include "core/image/podman/podmanstorageconf.h"
#include "core/image/podman/whiteoutfilessource.h"
#include "core/image/storedirlist.h"
#include "core/image/storefiles.h"
#include "core/image/storerecords.h"
#include "core/mount/mountinfo.h"
#include "core/util/filename.h"

#include <QDir>
#include <QSet>

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

namespace
{

// "localhost/x:1" -> "x:1", "docker.io/library/alpine:latest" -> "library/alpine:latest": the
// name without its registry, how people type a name Podman stored in full.
QString withoutDomain(const QString &name)
{
    const qsizetype slash = name.indexOf(QLatin1Char('/'));
    if (slash < 0)
        return name;
    const QString first = name.left(slash);
    const bool domain
        = first.contains(QLatin1Char('.')) || first.contains(QLatin1Char(':')) || first == QLatin1String("localhost");
    return domain ? name.mid(slash + 1) : name;
}

// The names a stored name answers to: itself, without its registry, and docker.io's
// "library/" left out.
QStringList shortForms(const QString &name)
{
    QStringList forms {name};
    const QString bare = withoutDomain(name);
    forms << bare;
    if (bare.startsWith(QLatin1String("library/")))
        forms << bare.mid(8);
    return forms;
}

// "x" -> "x:latest" unless it has a tag or a digest.
QString withTag(const QString &ref)
{
    const qsizetype colon = ref.lastIndexOf(QLatin1Char(':'));
    if (ref.contains(QLatin1Char('@')) || (colon >= 0 && colon > ref.lastIndexOf(QLatin1Char('/'))))
        return ref;
    return ref + QStringLiteral(":latest");
}

// Names with a digest are digests; every other name is a tag, and with the manifest's digest
// a digest too (what `podman images` shows as RepoDigests).
void sortNames(PodmanImage &img)
{
    for (const QString &n : std::as_const(img.names)) {
        if (n.contains(QLatin1Char('@'))) {
            img.digests << n;
            continue;
        }
        img.tags << n;
        const qsizetype colon = n.lastIndexOf(QLatin1Char(':'));
        const QString repo = colon > n.lastIndexOf(QLatin1Char('/')) ? n.left(colon) : n;
        if (ChainId::isDigest(img.manifestDigest)
            && !img.digests.contains(repo + QLatin1Char('@') + img.manifestDigest))
            img.digests << repo + QLatin1Char('@') + img.manifestDigest;
    }
    img.tags.sort();
    img.digests.sort();
}

} // namespace

QString PodmanStore::defaultRoot()
{
    return PodmanStorageConf::forUser(::geteuid()).graphRoot;
}

QString PodmanStore::kindName() const
{
    return QStringLiteral("Podman");
}

MergeOptions PodmanStore::mergeOptions() const
{
    // containers-storage mounts with the module's defaults for redirects and metacopy (it adds
    // metacopy=on only where the kernel has it on already); rootless overlays use userxattr.
    MergeOptions o = DockerHost::mountOptions();
    o.xattrs = m_rootless ? XattrNamespace::User : XattrNamespace::Trusted;
    return o;
}

QString PodmanStore::layerDir(const QString &id) const
{
    return m_root + QStringLiteral("/overlay/") + id;
}

Result<PodmanStore> PodmanStore::open(const QString &rootArg)
{
    const QString root = QDir::cleanPath(QDir(rootArg.isEmpty() ? defaultRoot() : rootArg).absolutePath());
    struct stat st {
    };
    if (::stat(encodeFileName(root).constData(), &st) != 0)
        return Error::fromErrno(errno, root);
    if (!S_ISDIR(st.st_mode))
        return Error {ENOTDIR, QStringLiteral("%1: not a directory").arg(root)};
    PodmanStore s;
    s.m_root = root;
    s.m_rootless = st.st_uid != 0;
    if (StoreFiles::lstatError(root + QStringLiteral("/overlay-layers")) == ENOENT
        && StoreFiles::lstatError(root + QStringLiteral("/overlay-images")) == ENOENT)
        return Error {ENOENT,
            QStringLiteral("%1: not a containers-storage store with the overlay driver "
                           "(it has no overlay-layers/ and no overlay-images/)")
                .arg(root)};
    s.readLayers();
    s.readImages();
    s.readContainers();
    StoreRecords::markMounted(s.m_containers);
    // libpod's state says so where its mount is out of sight (a rootless one, in Podman's own
    // mount namespace).
    for (PodmanContainer &c : s.m_containers) {
        if (!c.running && c.status == QLatin1String("running") && !c.upperDir.isEmpty()) {
            c.running = true;
            c.mergedDir = s.layerDir(c.layerId) + QStringLiteral("/merged");
        }
    }
    return s;
}

void PodmanStore::readLayers()
{
    for (const bool isVolatile : {false, true}) {
        const QString path = m_root
            + (isVolatile ? QStringLiteral("/overlay-layers/volatile-layers.json")
                          : QStringLiteral("/overlay-layers/layers.json"));
        const auto array = PodmanRecords::readArray(path, m_problems, isVolatile);
        if (!array)
            continue;
        for (const PodmanLayerRecord &l : PodmanRecords::layers(*array, path, isVolatile, m_problems)) {
            if (!m_layers.contains(l.id))
                m_layerOrder.push_back(l.id);
            m_layers.insert(l.id, l);
        }
    }
}

Result<QStringList> PodmanStore::chain(const QString &top) const
{
    QStringList ids;
    QSet<QString> seen;
    for (QString id = top; !id.isEmpty();) {
        const auto l = m_layers.constFind(id);
        if (l == m_layers.cend())
            return Error {ENOENT,
                ids.isEmpty() ? QStringLiteral("no layer %1 in layers.json").arg(id)
                              : QStringLiteral("layer %1: its parent %2 is not in layers.json").arg(ids.last(), id)};
        if (seen.contains(id))
            return Error {ELOOP, QStringLiteral("layer %1: its parents make a cycle").arg(id)};
        seen.insert(id);
        ids << id;
        id = l->parent;
    }
    return ids;
}

void PodmanStore::readImages()
{
    const QString path = m_root + QStringLiteral("/overlay-images/images.json");
    const auto array = PodmanRecords::readArray(path, m_problems, false);
    if (!array)
        return;
    m_images = PodmanRecords::images(*array, path, m_problems);
    for (PodmanImage &img : m_images)
        resolveImage(img);
    StoreRecords::sortNewestFirst(m_images);
    for (PodmanImage &img : m_images) {
        m_imageLayers.push_back(joinLayers(img));
        for (const QString &p : std::as_const(img.problems))
            m_problems.push_back({QStringLiteral("image %1").arg(img.displayName()), p});
    }
}

void PodmanStore::resolveImage(PodmanImage &img)
{
    sortNames(img);
    const QString hex = ChainId::hex(img.id);
    img.configFile
        = m_root + QStringLiteral("/overlay-images/") + hex + QLatin1Char('/') + PodmanRecords::bigDataFileName(img.id);
    auto config = MetadataFile::readObject(img.configFile);
    if (!config) {
        img.error = config.error().message;
        img.problems << img.error;
        return;
    }
    StoreProblems problems;
    const QString stored = img.created;
    ImageConfig::parse(*config, img.configFile, img, problems);
    if (img.created.isEmpty())
        img.created = stored;
    for (const StoreProblem &p : std::as_const(problems))
        img.problems << p.text();
    ImageConfig::pairHistory(img);
}

// The image's layers are its top layer and that layer's parents; each should be the next
// diff ID of the config.
QVector<PodmanLayer> PodmanStore::joinLayers(PodmanImage &img)
{
    QVector<PodmanLayer> layers;
    auto ids = chain(img.topLayer);
    if (!ids) {
        img.problems << ids.error().message;
        img.size = -1;
        return layers;
    }
    std::reverse(ids->begin(), ids->end());
    const QStringList chainIds = ChainId::chain(img.diffIds);
    QHash<int, int> historyOf;
    for (qsizetype i = 0; i < img.history.size(); ++i) {
        if (img.history.at(i).layerIndex >= 0)
            historyOf.insert(img.history.at(i).layerIndex, static_cast<int>(i));
    }
    qint64 size = img.bigDataSize;
    for (qsizetype k = 0; k < ids->size(); ++k) {
        const PodmanLayerRecord &r = m_layers[ids->at(k)];
        PodmanLayer l;
        l.index = static_cast<int>(k);
        l.cacheId = r.id;
        l.parent = r.parent;
        l.diffId = r.diffDigest;
        l.chainId = k < chainIds.size() ? chainIds.at(k) : QString();
        l.dir = layerDir(r.id);
        l.diffDir = l.dir + QStringLiteral("/diff");
        l.source = std::make_shared<WhiteoutFilesSource>(l.diffDir);
        if (auto link = MetadataFile::readLine(l.dir + QStringLiteral("/link")))
            l.alias = QStringLiteral("l/") + *link;
        l.name = QStringLiteral("layer %1 (%2)").arg(k).arg(r.id.left(12));
        l.size = r.diffSize;
        l.compressedSize = r.compressedSize;
        size = size >= 0 && r.diffSize >= 0 ? size + r.diffSize : -1;
        if (const int h = historyOf.value(l.index, -1); h >= 0) {
            l.historyIndex = h;
            l.createdBy = img.history.at(h).createdBy;
            l.createdByRaw = img.history.at(h).createdByRaw;
        }
        if (k < img.diffIds.size() && img.diffIds.at(k) != r.diffDigest)
            l.problems << QStringLiteral("its diff digest %1 is not the config's diff ID %2")
                              .arg(r.diffDigest, img.diffIds.at(k));
        if (r.incomplete)
            l.problems << QStringLiteral("layers.json marks it incomplete");
        if (StoreFiles::lstatError(l.diffDir) == ENOENT)
            l.problems << QStringLiteral("%1: missing").arg(l.diffDir);
        QStringList &users = m_imagesByLayer[l.cacheId];
        if (!users.contains(img.id))
            users << img.id;
        for (const QString &p : std::as_const(l.problems))
            img.problems << QStringLiteral("layer %1: %2").arg(l.index).arg(p);
        layers.push_back(l);
    }
    if (img.error.isEmpty() && layers.size() != img.diffIds.size())
        img.problems
            << QStringLiteral("%1 layers, but the config names %2 diff IDs").arg(layers.size()).arg(img.diffIds.size());
    img.size = size;
    return layers;
}

void PodmanStore::readContainers()
{
    const QString path = m_root + QStringLiteral("/overlay-containers/containers.json");
    const auto array = PodmanRecords::readArray(path, m_problems, true);
    if (!array)
        return;
    m_containers = PodmanRecords::containers(*array, path, m_problems);
    const QHash<QString, PodmanStateDb::State> states = PodmanStateDb::read(m_root, m_problems);
    for (PodmanContainer &c : m_containers) {
        resolveContainer(c);
        if (const auto s = states.constFind(c.id); s != states.cend()) {
            c.status = s->status;
            c.exitCode = s->exitCode;
        }
        for (const QString &p : std::as_const(c.problems))
            m_problems.push_back({QStringLiteral("container %1").arg(c.displayName()), p});
    }
    StoreRecords::sortNewestFirst(m_containers);
}

// Its layer is the upper; the layer's parents, top first, the lowers (what the driver's
// lowerdir= names through l/ links, and `podman inspect` as GraphDriver.Data.LowerDir).
void PodmanStore::resolveContainer(PodmanContainer &c)
{
    if (const PodmanImage *img = imageById(c.imageId)) {
        c.user = img->user;
        if (c.image.isEmpty())
            c.image = img->displayName();
    }
    c.status = QStringLiteral("stopped");
    const auto layer = m_layers.constFind(c.layerId);
    if (layer == m_layers.cend()) {
        c.error = QStringLiteral("its layer %1 is not in layers.json").arg(c.layerId);
        c.problems << c.error;
        return;
    }
    c.upperDir = layerDir(c.layerId) + QStringLiteral("/diff");
    c.workDir = layerDir(c.layerId) + QStringLiteral("/work");
    auto below = chain(layer->parent);
    if (!below) {
        c.problems << below.error().message;
        return;
    }
    c.lowerIds = *below;
    for (const QString &id : std::as_const(c.lowerIds))
        c.lowerDirs << layerDir(id) + QStringLiteral("/diff");
}

const PodmanImage *PodmanStore::imageById(const QString &id) const
{
    return StoreRecords::byId(m_images, id);
}

Result<qsizetype> PodmanStore::imageIndex(const QString &refArg) const
{
    const QString ref = refArg.trimmed();
    if (ref.isEmpty())
        return Error {EINVAL, QStringLiteral("empty image reference")};
    // A name as stored, or as people type it (registry, docker.io's library/ and :latest left out).
    for (const QString &want : {ref, withTag(ref)}) {
        for (qsizetype i = 0; i < m_images.size(); ++i) {
            for (const QString &n : m_images[i].names + m_images[i].digests) {
                if (shortForms(n).contains(want))
                    return i;
            }
        }
    }
    if (auto found = StoreRecords::byIdPrefix(m_images, ref, "image"); !found || *found >= 0)
        return found;
    return Error {ENOENT, QStringLiteral("no such image in %1: %2").arg(m_root, ref)};
}

Result<qsizetype> PodmanStore::containerIndex(const QString &refArg) const
{
    const QString ref = refArg.trimmed();
    if (ref.isEmpty())
        return Error {EINVAL, QStringLiteral("empty container reference")};
    for (qsizetype i = 0; i < m_containers.size(); ++i) {
        if (m_containers[i].id == ref || m_containers[i].names.contains(ref))
            return i;
    }
    if (auto found = StoreRecords::byIdPrefix(m_containers, ref, "container"); !found || *found >= 0)
        return found;
    return Error {ENOENT, QStringLiteral("no such container in %1: %2").arg(m_root, ref)};
}

StackLayer PodmanStore::stackLayer(StoreLayerKind kind, const QString &id, const QString &name) const
{
    StackLayer s;
    s.kind = kind;
    s.name = name;
    s.cacheId = id;
    s.diffDir = layerDir(id) + QStringLiteral("/diff");
    s.source = std::make_shared<WhiteoutFilesSource>(s.diffDir);
    if (auto link = MetadataFile::readLine(layerDir(id) + QStringLiteral("/link")))
        s.alias = QStringLiteral("l/") + *link;
    return s;
}

Result<Stack> PodmanStore::imageStack(qsizetype i) const
{
    const PodmanImage &image = m_images.at(i);
    return layerStack(m_imageLayers.at(i), image, QStringLiteral("directory"), [this](const StoreLayer &l) {
        return stackLayer(StoreLayerKind::Image, l.cacheId, l.name);
    });
}

Result<Stack> PodmanStore::containerStack(qsizetype i, bool withUpper) const
{
    const PodmanContainer &c = m_containers.at(i);
    if (c.upperDir.isEmpty())
        return Error {ENOENT, QStringLiteral("container %1: %2").arg(c.displayName(), c.error)};
    if (c.lowerIds.isEmpty() && !c.problems.isEmpty())
        return Error {
            ENOENT, QStringLiteral("container %1: %2").arg(c.displayName(), c.problems.join(QStringLiteral("; ")))};
    QHash<QString, const PodmanLayer *> imageLayer;
    if (const PodmanImage *img = imageById(c.imageId)) {
        for (const PodmanLayer &l : m_imageLayers.at(indexOf(*img)))
            imageLayer.insert(l.cacheId, &l);
    }
    Stack stack;
    if (withUpper)
        stack.push_back(
            stackLayer(StoreLayerKind::ReadWrite, c.layerId, QStringLiteral("upper (%1)").arg(c.layerId.left(12))));
    for (const QString &id : c.lowerIds) {
        const PodmanLayer *l = imageLayer.value(id);
        StackLayer s = stackLayer(StoreLayerKind::Image, id, l ? l->name : QStringLiteral("layer %1").arg(id.left(12)));
        if (l) {
            s.imageLayer = l->index;
            s.createdBy = l->createdBy;
        }
        stack.push_back(s);
    }
    return stack;
}

qsizetype PodmanStore::storedLayerCount() const
{
    QSet<QString> containerLayers;
    for (const PodmanContainer &c : m_containers)
        containerLayers.insert(c.layerId);
    qsizetype n = 0;
    for (const QString &id : m_layerOrder)
        n += containerLayers.contains(id) ? 0 : 1;
    return n;
}

QStringList PodmanStore::imageIdsUsing(const QString &cacheId) const
{
    return m_imagesByLayer.value(cacheId);
}

QVector<StoreDir> PodmanStore::searchDirs() const
{
    StoreDirList dirs(*this, [this](StoreDir &d) {
        const StackLayer s = stackLayer(d.kind, d.cacheId, d.name);
        d.dir = layerDir(d.cacheId);
        d.diffDir = s.diffDir;
        d.source = s.source;
    });
    // Image layers, containers' layers, then the layers nobody uses, in layers.json's order.
    dirs.addImageLayers(m_imageLayers);
    for (const PodmanContainer &c : m_containers)
        dirs.add(StoreLayerKind::ReadWrite,
            c.layerId,
            QStringLiteral("upper (%1)").arg(c.layerId.left(12)),
            c.displayName());
    for (const QString &id : m_layerOrder)
        dirs.add(StoreLayerKind::Unused, id, QStringLiteral("layer %1").arg(id.left(12)));
    return dirs.take();
}

} // namespace strata
