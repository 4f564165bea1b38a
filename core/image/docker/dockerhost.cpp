// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockerhost.h"

#include "core/image/chainid.h"
#include "core/image/docker/dockercontainerconfig.h"
#include "core/image/docker/dockerimageconfig.h"
#include "core/image/docker/dockerlayerdb.h"
#include "core/image/docker/dockerrepositories.h"
#include "core/image/docker/overlay2dirs.h"
#include "core/image/imageconfig.h"
#include "core/image/metadatafile.h"
#include "core/image/storefiles.h"
#include "core/image/storerecords.h"
#include "core/util/filename.h"
#include "core/util/scancontrol.h"

#include <QDir>
#include <QFile>
#include <QSet>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace strata
{

namespace
{

// "docker.io/library/alpine:3" -> "alpine:3", the familiar form repositories.json keeps.
QString familiar(QString name)
{
    if (name.startsWith(QLatin1String("docker.io/library/")))
        name = name.mid(18);
    else if (name.startsWith(QLatin1String("index.docker.io/library/")))
        name = name.mid(24);
    else if (name.startsWith(QLatin1String("docker.io/")))
        name = name.mid(10);
    return name;
}

} // namespace

QString DockerHost::defaultRoot()
{
    return QStringLiteral("/var/lib/docker");
}

QString DockerHost::kindName() const
{
    return QStringLiteral("Docker");
}

MergeOptions DockerHost::mountOptions()
{
    // The module's parameters, when the module is loaded; else the kernel's defaults.
    auto param = [](const char *name, bool fallback) {
        auto v = MetadataFile::readLine(QStringLiteral("/sys/module/overlay/parameters/") + QLatin1String(name));
        return v ? v->startsWith(QLatin1Char('Y')) : fallback;
    };
    MergeOptions o;
    o.xattrs = XattrNamespace::Trusted;
    // Lookup follows redirects when redirect_dir is on, or with redirect_always_follow.
    o.followRedirects = param("redirect_dir", false) || param("redirect_always_follow", true);
    o.metacopy = param("metacopy", false);
    return o;
}

QString DockerHost::overlayRoot() const
{
    return m_root + QStringLiteral("/overlay2");
}

QString DockerHost::imageRoot() const
{
    return m_root + QStringLiteral("/image/overlay2");
}

QString DockerHost::layerDir(const QString &cacheId) const
{
    return overlayRoot() + QLatin1Char('/') + cacheId;
}

QString DockerHost::diffDir(const QString &cacheId) const
{
    return layerDir(cacheId) + QStringLiteral("/diff");
}

Result<DockerHost> DockerHost::open(const QString &rootArg, ScanControl *control)
{
    const QString root = QDir::cleanPath(QDir(rootArg.isEmpty() ? defaultRoot() : rootArg).absolutePath());
    struct stat st {
    };
    if (::stat(encodeFileName(root).constData(), &st) != 0)
        return Error::fromErrno(errno, root);
    if (!S_ISDIR(st.st_mode))
        return Error {ENOTDIR, QStringLiteral("%1: not a directory").arg(root)};

    DockerHost h;
    h.m_root = root;
    const int image = StoreFiles::lstatError(root + QStringLiteral("/image"));
    const int overlay = StoreFiles::lstatError(root + QStringLiteral("/overlay2"));
    const int containers = StoreFiles::lstatError(root + QStringLiteral("/containers"));
    if (image == EACCES || overlay == EACCES || containers == EACCES) {
        h.m_problems.push_back({root,
            QStringLiteral("cannot look inside: %1 (a Docker root is readable by root only; run as root, or "
                           "use --root on a readable copy)")
                .arg(QString::fromLocal8Bit(std::strerror(EACCES)))});
        return h;
    }
    if (image == ENOENT && overlay == ENOENT && containers == ENOENT)
        return Error {
            ENOENT, QStringLiteral("%1: not a Docker root (it has no image/, overlay2/ or containers/)").arg(root)};
    if (StoreFiles::lstatError(h.imageRoot()) == ENOENT) {
        const bool containerd = StoreFiles::lstatError(root + QStringLiteral("/containerd")) == 0
            || StoreFiles::lstatError(root + QStringLiteral("/rootfs")) == 0;
        h.m_problems.push_back({h.imageRoot(),
            containerd ? QStringLiteral("missing: this Docker root seems to use the containerd image store (the "
                                        "default of Docker 29), but containerd/daemon has no metadata database to "
                                        "read it from; only containers are shown")
                       : QStringLiteral("missing: no overlay2 image store here")});
    }
    if (const Status loaded = h.load(control); !loaded.ok())
        return loaded.error();
    return h;
}

Status DockerHost::load(ScanControl *control)
{
    // The metadata files are small: cancelling between the parts is soon enough.
    auto cancelled = [control](qsizetype entries) {
        if (control)
            control->addEntries(static_cast<std::uint64_t>(entries));
        return control && control->isCancelled();
    };
    const bool hasImageStore = StoreFiles::lstatError(imageRoot()) != ENOENT;
    const DockerRepositories repositories = DockerRepositories::read(imageRoot(), m_problems);
    if (hasImageStore)
        m_layers = DockerLayerDb::readLayers(imageRoot(), m_problems);
    if (cancelled(m_layers.size()))
        return Error {ECANCELED, QStringLiteral("cancelled")};
    loadImages();
    if (cancelled(m_images.size()))
        return Error {ECANCELED, QStringLiteral("cancelled")};
    Overlay2Dirs dirs = Overlay2Dirs::read(overlayRoot(), m_problems);
    m_dirs = std::move(dirs.dirs);
    m_links = std::move(dirs.links);
    if (cancelled(m_dirs.size()))
        return Error {ECANCELED, QStringLiteral("cancelled")};
    loadContainers();
    finishImages(repositories);
    finishContainers();
    joinImageLayers();
    if (cancelled(m_containers.size()))
        return Error {ECANCELED, QStringLiteral("cancelled")};
    return {};
}

void DockerHost::loadImages()
{
    if (StoreFiles::lstatError(imageRoot()) == ENOENT)
        return;
    for (const QString &name : StoreFiles::list(imageRoot() + QStringLiteral("/imagedb/content/sha256"), m_problems)) {
        if (StoreFiles::isHex64(name))
            m_images.push_back(DockerImageConfig::read(imageRoot(), name, m_problems));
    }
}

void DockerHost::loadContainers()
{
    QStringList ids;
    if (StoreFiles::lstatError(imageRoot()) != ENOENT)
        ids += StoreFiles::list(imageRoot() + QStringLiteral("/layerdb/mounts"), m_problems, false);
    ids += StoreFiles::list(m_root + QStringLiteral("/containers"), m_problems, false);
    ids.removeDuplicates();
    for (const QString &id : std::as_const(ids)) {
        if (!StoreFiles::isHex64(id))
            continue;
        DockerContainer c;
        c.id = id;
        DockerContainerConfig::read(m_root, c, m_problems);
        DockerLayerDb::readMount(imageRoot(), c, m_problems);
        m_containers.push_back(c);
    }
}

void DockerHost::finishImages(const DockerRepositories &repositories)
{
    QSet<QString> known;
    for (const DockerImage &img : std::as_const(m_images))
        known.insert(img.id);
    for (auto it = repositories.tags.cbegin(); it != repositories.tags.cend(); ++it) {
        if (!known.contains(it.key()) && StoreFiles::lstatError(imageRoot()) == 0) {
            m_problems.push_back({imageRoot() + QStringLiteral("/repositories.json"),
                QStringLiteral("%1 names image %2, which is not in imagedb")
                    .arg(it.value().join(QStringLiteral(", ")), it.key())});
        }
    }
    for (qsizetype i = 0; i < m_images.size(); ++i)
        m_imageIndex.insert(m_images[i].id, i);
    for (DockerImage &img : m_images) {
        img.tags = repositories.tags.value(img.id);
        img.tags.sort();
        img.digests = repositories.digests.value(img.id);
        img.digests.sort();
        if (m_imageIndex.contains(img.parentId))
            m_images[m_imageIndex.value(img.parentId)].hasChildren = true;
    }
    for (DockerImage &img : m_images) {
        // Build steps (untagged parents) would only add noise to "who uses this layer".
        img.intermediate = img.isDangling() && img.hasChildren;
        if (!img.error.isEmpty() && img.diffIds.isEmpty())
            continue;
        img.chainIds = ChainId::chain(img.diffIds);
        checkImageLayers(img);
        ImageConfig::pairHistory(img);
    }
    fillHistoryImageIds();
    for (const DockerImage &img : std::as_const(m_images)) {
        for (const QString &p : img.problems)
            m_problems.push_back({QStringLiteral("image %1").arg(img.displayName()), p});
    }
    StoreRecords::sortNewestFirst(m_images);
    m_imageIndex.clear();
    for (qsizetype i = 0; i < m_images.size(); ++i)
        m_imageIndex.insert(m_images[i].id, i);
}

// `docker images` SIZE (the layers' sizes summed), the layer store's records checked against
// the config, and the users of each directory.
void DockerHost::checkImageLayers(DockerImage &img)
{
    img.size = 0;
    for (qsizetype k = 0; k < img.chainIds.size(); ++k) {
        const QString &chain = img.chainIds.at(k);
        const auto l = m_layers.constFind(chain);
        if (l == m_layers.cend()) {
            img.size = -1;
            img.problems << QStringLiteral("layer %1 (chain ID %2) is not in the layer store").arg(k).arg(chain);
            continue;
        }
        if (img.size >= 0 && l->size >= 0)
            img.size += l->size;
        else
            img.size = -1;
        if (!l->diffId.isEmpty() && l->diffId != img.diffIds.at(k))
            img.problems << QStringLiteral("layer %1: layerdb diff is %2, the config says %3")
                                .arg(k)
                                .arg(l->diffId, img.diffIds.at(k));
        const QString expectedParent = k > 0 ? img.chainIds.at(k - 1) : QString();
        if (l->parent != expectedParent)
            img.problems << QStringLiteral("layer %1: layerdb parent is \"%2\", the chain says \"%3\"")
                                .arg(k)
                                .arg(l->parent, expectedParent);
        if (!l->cacheId.isEmpty() && !img.intermediate) {
            QStringList &users = m_imagesByDir[l->cacheId];
            if (!users.contains(img.id))
                users << img.id;
        }
    }
}

// History image IDs, top first, along the parent chain (as `docker history` fills them in).
void DockerHost::fillHistoryImageIds()
{
    for (DockerImage &img : m_images) {
        QString id = img.id;
        QSet<QString> seen;
        for (qsizetype i = img.history.size() - 1; i >= 0 && !id.isEmpty() && !seen.contains(id); --i) {
            seen.insert(id);
            img.history[i].imageId = id;
            const auto p = m_imageIndex.constFind(id);
            id = p == m_imageIndex.cend() ? QString() : m_images[*p].parentId;
        }
    }
}

void DockerHost::finishContainers()
{
    for (DockerContainer &c : m_containers) {
        if (c.mountId.isEmpty())
            continue;
        c.upperDir = diffDir(c.mountId);
        c.mergedDir = layerDir(c.mountId) + QStringLiteral("/merged");
        c.workDir = layerDir(c.mountId) + QStringLiteral("/work");
        if (!c.initId.isEmpty())
            c.initDir = diffDir(c.initId);
        resolveLowers(c);
    }
    StoreRecords::sortNewestFirst(m_containers);
}

void DockerHost::resolveLowers(DockerContainer &c)
{
    // What the layer store says: the init layer, then the image's layers from the top.
    QStringList expected;
    if (!c.initId.isEmpty())
        expected << c.initId;
    QString chain = c.parentChainId;
    QSet<QString> seen;
    while (!chain.isEmpty() && !seen.contains(chain)) {
        seen.insert(chain);
        const auto l = m_layers.constFind(chain);
        if (l == m_layers.cend() || l->cacheId.isEmpty()) {
            expected.clear();
            break;
        }
        expected << l->cacheId;
        chain = l->parent;
    }

    // What overlay2/<mount-id>/lower says (what Docker mounts and docker inspect reports).
    const auto dir = m_dirs.constFind(c.mountId);
    QStringList actual;
    if (dir != m_dirs.cend() && dir->hasLowerFile && !dir->lowerCacheIds.contains(QString()))
        actual = dir->lowerCacheIds;
    if (!actual.isEmpty() && !expected.isEmpty() && actual != expected) {
        const QString msg = QStringLiteral("%1/lower does not match the layer store (init layer + image layers)")
                                .arg(layerDir(c.mountId));
        c.problems << msg;
        StoreFiles::report(m_problems, Error {EINVAL, msg});
    }
    c.lowerIds = actual.isEmpty() ? expected : actual;
    for (const QString &id : std::as_const(c.lowerIds))
        c.lowerDirs << diffDir(id);
    if (dir == m_dirs.cend() && StoreFiles::lstatError(overlayRoot()) == 0) {
        const QString msg = QStringLiteral("%1: missing (the container's read-write layer)").arg(layerDir(c.mountId));
        c.problems << msg;
        StoreFiles::report(m_problems, Error {ENOENT, msg});
    }
}

void DockerHost::joinImageLayers()
{
    m_imageLayers.clear();
    m_imageLayers.reserve(m_images.size());
    for (const DockerImage &img : std::as_const(m_images))
        m_imageLayers.push_back(computeImageLayers(img));
}

QVector<DockerImageLayer> DockerHost::computeImageLayers(const DockerImage &image) const
{
    QHash<int, int> historyOf;
    for (qsizetype i = 0; i < image.history.size(); ++i) {
        if (image.history.at(i).layerIndex >= 0)
            historyOf.insert(image.history.at(i).layerIndex, static_cast<int>(i));
    }
    QVector<DockerImageLayer> out;
    for (qsizetype k = 0; k < image.diffIds.size(); ++k) {
        DockerImageLayer l = joinLayer(image, static_cast<int>(k));
        const int h = historyOf.value(l.index, -1);
        if (h >= 0) {
            l.historyIndex = h;
            l.createdBy = image.history.at(h).createdBy;
            l.createdByRaw = image.history.at(h).createdByRaw;
        }
        out.push_back(l);
    }
    return out;
}

// Layer k of an image: the config's diff ID joined with the layer store and overlay2.
DockerImageLayer DockerHost::joinLayer(const DockerImage &image, int k) const
{
    DockerImageLayer l;
    l.index = k;
    l.diffId = image.diffIds.at(k);
    l.chainId = k < image.chainIds.size() ? image.chainIds.at(k) : QString();
    l.name = QStringLiteral("layer %1").arg(k);
    const auto rec = m_layers.constFind(l.chainId);
    if (rec == m_layers.cend()) {
        l.problems << QStringLiteral("chain ID %1 is not in the layer store").arg(l.chainId);
        return l;
    }
    l.cacheId = rec->cacheId;
    l.size = rec->size;
    l.problems = rec->problems;
    if (!rec->diffId.isEmpty() && rec->diffId != l.diffId)
        l.problems << QStringLiteral("layerdb diff %1 differs from the config's diff ID").arg(rec->diffId);
    const QString expectedParent = k > 0 ? image.chainIds.at(k - 1) : QString();
    if (rec->parent != expectedParent)
        l.problems
            << QStringLiteral("layerdb parent \"%1\" differs from the chain (\"%2\")").arg(rec->parent, expectedParent);
    if (l.cacheId.isEmpty())
        return l;
    l.name = QStringLiteral("layer %1 (%2)").arg(k).arg(l.cacheId.left(12));
    l.dir = layerDir(l.cacheId);
    l.diffDir = diffDir(l.cacheId);
    const auto d = m_dirs.constFind(l.cacheId);
    if (d == m_dirs.cend()) {
        if (StoreFiles::lstatError(overlayRoot()) == 0)
            l.problems << QStringLiteral("%1: missing").arg(l.dir);
        return l;
    }
    l.link = d->link;
    l.alias = l.link.isEmpty() ? QString() : QStringLiteral("l/") + l.link;
    l.lowerLinks = d->lowerLinks;
    l.lower = d->lowerCacheIds;
    l.committed = d->committed;
    // The driver's own record of the layers below must name the same directories.
    QStringList below;
    for (int j = k - 1; j >= 0; --j) {
        const auto r = m_layers.constFind(image.chainIds.value(j));
        below << (r == m_layers.cend() ? QString() : r->cacheId);
    }
    if (d->hasLowerFile && !d->lowerCacheIds.contains(QString()) && d->lowerCacheIds != below)
        l.problems << QStringLiteral("%1/lower does not list the layers below it").arg(l.dir);
    if (!d->hasLowerFile && k > 0 && !d->problems.isEmpty())
        l.problems << d->problems;
    return l;
}

QVector<DockerImageLayer> DockerHost::imageLayers(const DockerImage &image) const
{
    const qsizetype i = m_imageIndex.value(image.id, -1);
    return i >= 0 ? m_imageLayers.at(i) : computeImageLayers(image);
}

qsizetype DockerHost::imageLayerCount(qsizetype image) const
{
    return m_imageLayers.at(image).size();
}

const DockerImageLayer &DockerHost::imageLayerAt(qsizetype image, qsizetype layer) const
{
    return m_imageLayers.at(image).at(layer);
}

const DockerImage *DockerHost::imageById(const QString &id) const
{
    const qsizetype i = m_imageIndex.value(id, -1);
    return i >= 0 ? &m_images.at(i) : nullptr;
}

QString DockerHost::notFoundHint() const
{
    if (m_problems.isEmpty())
        return {};
    return QStringLiteral(" (%1 problem(s) while reading %2; see the warnings)").arg(m_problems.size()).arg(m_root);
}

Result<qsizetype> DockerHost::imageIndex(const QString &refArg) const
{
    const QString ref = refArg.trimmed();
    if (ref.isEmpty())
        return Error {EINVAL, QStringLiteral("empty image reference")};
    // A name: "name:tag", "name" (= name:latest), or "name@sha256:...".
    QString name = familiar(ref);
    const bool byDigest = name.contains(QLatin1Char('@'));
    if (!byDigest) {
        const qsizetype colon = name.lastIndexOf(QLatin1Char(':'));
        if (colon < 0 || colon < name.lastIndexOf(QLatin1Char('/')))
            name += QStringLiteral(":latest");
    }
    for (qsizetype i = 0; i < m_images.size(); ++i) {
        if ((byDigest ? m_images[i].digests : m_images[i].tags).contains(name))
            return i;
    }
    // An ID or a unique prefix of one.
    if (auto found = StoreRecords::byIdPrefix(m_images, ref, "image"); !found || *found >= 0)
        return found;
    return Error {ENOENT, QStringLiteral("no such image: %1%2").arg(ref, notFoundHint())};
}

namespace
{
// The record an index lookup found, or its error.
template<typename T>
Result<const T *> recordAt(const Result<qsizetype> &index, const QVector<T> &records)
{
    if (!index)
        return index.error();
    return &records.at(*index);
}
} // namespace

Result<const DockerImage *> DockerHost::findImage(const QString &ref) const
{
    return recordAt(imageIndex(ref), m_images);
}

Result<qsizetype> DockerHost::containerIndex(const QString &refArg) const
{
    QString ref = refArg.trimmed();
    if (ref.startsWith(QLatin1Char('/')))
        ref = ref.mid(1);
    if (ref.isEmpty())
        return Error {EINVAL, QStringLiteral("empty container reference")};
    for (qsizetype i = 0; i < m_containers.size(); ++i) {
        if (m_containers[i].id == ref || m_containers[i].name == ref)
            return i;
    }
    if (auto found = StoreRecords::byIdPrefix(m_containers, ref, "container"); !found || *found >= 0)
        return found;
    return Error {ENOENT, QStringLiteral("no such container: %1%2").arg(refArg, notFoundHint())};
}

Result<const DockerContainer *> DockerHost::findContainer(const QString &ref) const
{
    return recordAt(containerIndex(ref), m_containers);
}

Result<Stack> DockerHost::imageStack(qsizetype i) const
{
    const DockerImage &image = m_images.at(i);
    if (!image.error.isEmpty() && image.diffIds.isEmpty())
        return Error {EINVAL, image.error};
    return layerStack(m_imageLayers.at(i), image, QStringLiteral("directory"), [this](const StoreLayer &l) {
        return stackLayer(StoreLayerKind::Image, l.cacheId, l.name);
    });
}

Result<Stack> DockerHost::containerStack(qsizetype i, bool withUpper) const
{
    const DockerContainer &c = m_containers.at(i);
    if (c.mountId.isEmpty())
        return Error {ENOENT,
            QStringLiteral("container %1: its read-write layer is unknown (%2)")
                .arg(c.displayName(), c.problems.join(QStringLiteral("; ")))};
    if (c.lowerDirs.isEmpty())
        return Error {ENOENT,
            QStringLiteral("container %1: its lower layers are unknown (%2)")
                .arg(c.displayName(), c.problems.join(QStringLiteral("; ")))};
    // Image layers are named by their index in the image, as `layers` prints them.
    QHash<QString, const DockerImageLayer *> imageLayer;
    const qsizetype image = m_imageIndex.value(c.imageId, -1);
    for (const DockerImageLayer &l : image >= 0 ? m_imageLayers.at(image) : QVector<DockerImageLayer>())
        imageLayer.insert(l.cacheId, &l);
    Stack stack;
    if (withUpper)
        stack.push_back(
            stackLayer(StoreLayerKind::ReadWrite, c.mountId, QStringLiteral("upper (%1)").arg(c.mountId.left(12))));
    for (qsizetype k = 0; k < c.lowerIds.size(); ++k) {
        const QString &id = c.lowerIds.at(k);
        if (c.lowerDirs.at(k) == c.initDir) {
            stack.push_back(
                stackLayer(StoreLayerKind::Init, id, QStringLiteral("init (%1-init)").arg(c.mountId.left(12))));
        } else if (const DockerImageLayer *l = imageLayer.value(id)) {
            StackLayer s = stackLayer(StoreLayerKind::Image, id, l->name);
            s.imageLayer = l->index;
            s.createdBy = l->createdBy;
            stack.push_back(s);
        } else {
            stack.push_back(stackLayer(StoreLayerKind::Image, id, id.left(12)));
        }
    }
    return stack;
}

StackLayer DockerHost::stackLayer(StoreLayerKind kind, const QString &cacheId, const QString &name) const
{
    StackLayer s;
    s.kind = kind;
    s.name = name;
    s.cacheId = cacheId;
    s.diffDir = diffDir(cacheId);
    const QString link = m_dirs.value(cacheId).link;
    s.alias = link.isEmpty() ? QString() : QStringLiteral("l/") + link;
    return s;
}

Result<MergeLayers> DockerHost::mergeLayers(const DockerImage &image) const
{
    const qsizetype i = m_imageIndex.value(image.id, -1);
    if (i < 0)
        return Error {ENOENT, QStringLiteral("no such image: %1").arg(image.id)};
    return imageMergeLayers(i);
}

Result<MergeLayers> DockerHost::mergeLayers(const DockerContainer &container, bool withUpper) const
{
    auto i = containerIndex(container.id);
    if (!i)
        return i.error();
    return containerMergeLayers(*i, withUpper);
}

QStringList DockerHost::imageIdsUsing(const QString &cacheId) const
{
    return m_imagesByDir.value(cacheId);
}

const DockerContainer *DockerHost::containerOwning(const QString &dirName) const
{
    for (const DockerContainer &c : m_containers) {
        if (!c.mountId.isEmpty() && (c.mountId == dirName || c.initId == dirName))
            return &c;
    }
    return nullptr;
}

QVector<StoreDir> DockerHost::searchDirs() const
{
    QVector<StoreDir> dirs;
    QSet<QString> seen;
    auto add = [&](StoreLayerKind kind, const QString &cacheId, const QString &name, const QString &container) {
        if (cacheId.isEmpty() || seen.contains(cacheId))
            return static_cast<StoreDir *>(nullptr);
        seen.insert(cacheId);
        dirs.push_back(
            StoreDir {kind, cacheId, layerDir(cacheId), diffDir(cacheId), name, {}, imagesUsing(cacheId), container});
        return &dirs.last();
    };
    // Image layers (images newest first, each bottom first), then containers' init and
    // read-write layers, then what nobody uses.
    for (const QVector<DockerImageLayer> &layers : m_imageLayers) {
        for (const DockerImageLayer &l : layers) {
            if (StoreDir *d = add(StoreLayerKind::Image, l.cacheId, l.name, QString()))
                d->createdBy = l.createdBy;
        }
    }
    for (const DockerContainer &c : m_containers) {
        const QString shortMount = c.mountId.left(12);
        add(StoreLayerKind::Init, c.initId, QStringLiteral("init (%1-init)").arg(shortMount), c.displayName());
        add(StoreLayerKind::ReadWrite, c.mountId, QStringLiteral("upper (%1)").arg(shortMount), c.displayName());
    }
    QSet<QString> inStore;
    for (const DockerLayer &l : m_layers)
        inStore.insert(l.cacheId);
    QStringList rest = m_dirs.keys();
    rest.sort();
    // Layers of untagged build steps are in the layer store but belong to no listed image.
    for (const QString &name : std::as_const(rest))
        add(inStore.contains(name) ? StoreLayerKind::Image : StoreLayerKind::Unused, name, name.left(12), QString());
    return dirs;
}

} // namespace strata
