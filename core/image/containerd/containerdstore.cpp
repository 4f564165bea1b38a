// SPDX-License-Identifier: GPL-2.0-or-later
#include "containerdstore.h"

#include "core/image/archive/archivestore.h"
#include "core/image/chainid.h"
#include "core/image/containerd/boltfile.h"
#include "core/image/containerd/containerdcontent.h"
#include "core/image/containerd/containerdsnapshotdb.h"
#include "core/image/containerd/goencoding.h"
#include "core/image/docker/dockerhost.h"
#include "core/image/imageconfig.h"
#include "core/image/storedirlist.h"
#include "core/image/storefiles.h"
#include "core/image/storerecords.h"
#include "core/mount/mountinfo.h"
#include "core/util/filename.h"

#include <QDir>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <cerrno>
#include <sys/stat.h>

namespace strata
{

namespace
{
QString text(const BoltBucket &b, QByteArrayView key)
{
    return QString::fromUtf8(b.value(key));
}

// "alpine" -> "docker.io/library/alpine:latest", "x/y:1" -> "docker.io/x/y:1": the names
// containerd stores for what people type (as nerdctl and Docker normalise them).
QString normalized(const QString &ref)
{
    QString name = ref;
    const qsizetype slash = name.indexOf(QLatin1Char('/'));
    const QString first = slash < 0 ? QString() : name.left(slash);
    const bool hasDomain = slash >= 0
        && (first.contains(QLatin1Char('.')) || first.contains(QLatin1Char(':'))
            || first == QLatin1String("localhost"));
    if (!hasDomain)
        name = (slash < 0 ? QStringLiteral("docker.io/library/") : QStringLiteral("docker.io/")) + name;
    const qsizetype colon = name.lastIndexOf(QLatin1Char(':'));
    if (!name.contains(QLatin1Char('@')) && (colon < 0 || colon < name.lastIndexOf(QLatin1Char('/'))))
        name += QStringLiteral(":latest");
    return name;
}
} // namespace

QString ContainerdStore::defaultRoot()
{
    return QStringLiteral("/var/lib/containerd");
}

QString ContainerdStore::defaultNamespace()
{
    return QStringLiteral("default");
}

QString ContainerdStore::snapshotterName()
{
    return QStringLiteral("overlayfs");
}

QString ContainerdStore::kindName() const
{
    return QStringLiteral("containerd");
}

MergeOptions ContainerdStore::mergeOptions() const
{
    // The snapshotter passes neither redirect_dir nor metacopy (only index=off, userxattr when
    // rootless): the module's defaults apply, as with Docker's overlay2.
    return DockerHost::mountOptions();
}

QString ContainerdStore::metaDbPath() const
{
    return m_root + QStringLiteral("/io.containerd.metadata.v1.bolt/meta.db");
}

QString ContainerdStore::snapshotterRoot() const
{
    return m_root + QStringLiteral("/io.containerd.snapshotter.v1.overlayfs");
}

QString ContainerdStore::snapshotterDbPath() const
{
    return snapshotterRoot() + QStringLiteral("/metadata.db");
}

QString ContainerdStore::snapshotDir(const QString &id) const
{
    return snapshotterRoot() + QStringLiteral("/snapshots/") + id;
}

Result<ContainerdStore> ContainerdStore::open(const QString &rootArg, const QString &nameSpace)
{
    const QString root = QDir::cleanPath(QDir(rootArg.isEmpty() ? defaultRoot() : rootArg).absolutePath());
    struct stat st {
    };
    if (::stat(encodeFileName(root).constData(), &st) != 0)
        return Error::fromErrno(errno, root);
    if (!S_ISDIR(st.st_mode))
        return Error {ENOTDIR, QStringLiteral("%1: not a directory").arg(root)};
    ContainerdStore s;
    s.m_root = root;
    s.m_namespace = nameSpace.isEmpty() ? defaultNamespace() : nameSpace;
    if (StoreFiles::lstatError(s.metaDbPath()) == ENOENT)
        return Error {ENOENT,
            QStringLiteral("%1: not a containerd root (it has no io.containerd.metadata.v1.bolt/meta.db)").arg(root)};
    auto meta = BoltFile::read(s.metaDbPath());
    if (!meta)
        return meta.error();
    if (!meta->olderMeta.isEmpty())
        s.m_problems.push_back({s.metaDbPath(), meta->olderMeta});
    if (StoreFiles::lstatError(s.snapshotterDbPath()) != ENOENT) {
        auto snapshots = BoltFile::read(s.snapshotterDbPath());
        if (snapshots) {
            s.m_snapshots = ContainerdSnapshotDb::parse(snapshots->root, s.snapshotterDbPath(), s.m_problems);
            if (!snapshots->olderMeta.isEmpty())
                s.m_problems.push_back({s.snapshotterDbPath(), snapshots->olderMeta});
        } else {
            s.m_problems.push_back({s.snapshotterDbPath(), snapshots.error().message});
        }
    }
    const BoltBucket *v1 = meta->root.bucket("v1");
    if (!v1)
        return Error {EINVAL, QStringLiteral("%1: no v1 bucket (not containerd's metadata)").arg(s.metaDbPath())};
    s.readNamespaces(*v1);
    const BoltBucket *ns = v1->bucket(s.m_namespace.toUtf8());
    if (!ns) {
        QStringList names;
        for (const ContainerdNamespace &n : std::as_const(s.m_namespaces))
            names << n.name;
        s.m_problems.push_back({s.metaDbPath(),
            QStringLiteral("no namespace \"%1\" (namespaces: %2)")
                .arg(s.m_namespace, names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", ")))});
        return s;
    }
    s.readSnapshotKeys(*ns);
    s.readImages(*ns);
    s.readContainers(*ns);
    StoreRecords::markMounted(s.m_containers);
    return s;
}

void ContainerdStore::readNamespaces(const BoltBucket &v1)
{
    for (const BoltBucket &b : v1.buckets) {
        ContainerdNamespace n;
        n.name = QString::fromUtf8(b.name);
        if (const BoltBucket *images = b.bucket("images"))
            n.images = static_cast<int>(images->buckets.size());
        if (const BoltBucket *containers = b.bucket("containers"))
            n.containers = static_cast<int>(containers->buckets.size());
        if (const BoltBucket *snapshots = b.bucket("snapshots")) {
            for (const BoltBucket &snapshotter : snapshots->buckets)
                n.snapshots += static_cast<int>(snapshotter.buckets.size());
        }
        if (const BoltBucket *blobs = b.bucketAt({"content", "blob"}))
            n.blobs = static_cast<int>(blobs->buckets.size());
        m_namespaces.push_back(n);
    }
}

void ContainerdStore::readSnapshotKeys(const BoltBucket &ns)
{
    const BoltBucket *keys = ns.bucketAt({"snapshots", snapshotterName().toUtf8()});
    if (!keys)
        return;
    for (const BoltBucket &k : keys->buckets)
        m_snapshotNames.insert(QString::fromUtf8(k.name), text(k, "name"));
}

const ContainerdSnapshot *ContainerdStore::snapshotOfKey(const QString &key) const
{
    const auto name = m_snapshotNames.constFind(key);
    if (name == m_snapshotNames.cend())
        return nullptr;
    const auto s = m_snapshots.constFind(*name);
    return s == m_snapshots.cend() ? nullptr : &*s;
}

void ContainerdStore::readImages(const BoltBucket &ns)
{
    const BoltBucket *images = ns.bucket("images");
    if (!images)
        return;
    // One record per target: several names may point at the same index or manifest.
    QMap<QString, ContainerdImage> byTarget;
    for (const BoltBucket &b : images->buckets) {
        const QString name = QString::fromUtf8(b.name);
        const BoltBucket *target = b.bucket("target");
        const QString digest = target ? text(*target, "digest") : QString();
        if (!ChainId::isDigest(digest)) {
            m_problems.push_back({metaDbPath(), QStringLiteral("image %1: no target digest").arg(name)});
            continue;
        }
        ContainerdImage &img = byTarget[digest];
        img.id = digest;
        img.mediaType = text(*target, "mediatype");
        (name.contains(QLatin1Char('@')) ? img.digests : img.tags) << name;
    }
    for (ContainerdImage &img : byTarget) {
        img.tags.sort();
        img.digests.sort();
        resolveImage(img);
        m_images.push_back(img);
    }
    StoreRecords::sortNewestFirst(m_images);
    for (ContainerdImage &img : m_images) {
        m_imageLayers.push_back(joinLayers(img));
        for (const QString &p : std::as_const(img.problems))
            m_problems.push_back({QStringLiteral("image %1").arg(img.displayName()), p});
    }
}

void ContainerdStore::resolveImage(ContainerdImage &img)
{
    const ContainerdContent content(m_root);
    auto r = content.resolve(img.id, ArchiveStore::hostPlatform());
    if (!r) {
        img.error = r.error().message;
        img.problems << img.error;
        return;
    }
    img.manifestDigest = r->manifestDigest;
    img.configDigest = r->configDigest;
    img.platform = r->platform;
    img.contentSize = r->contentSize;
    StoreProblems problems;
    ImageConfig::parse(r->config, content.blobPath(r->configDigest), img, problems);
    for (const StoreProblem &p : std::as_const(problems))
        img.problems << p.text();
    if (!img.error.isEmpty() && img.diffIds.isEmpty())
        return;
    img.chainIds = ChainId::chain(img.diffIds);
    ImageConfig::pairHistory(img);
}

// Each layer is the committed snapshot whose key is its chain ID, its parent the one below.
QVector<ContainerdLayer> ContainerdStore::joinLayers(ContainerdImage &img)
{
    QVector<ContainerdLayer> layers;
    QHash<int, int> historyOf;
    for (qsizetype i = 0; i < img.history.size(); ++i) {
        if (img.history.at(i).layerIndex >= 0)
            historyOf.insert(img.history.at(i).layerIndex, static_cast<int>(i));
    }
    qint64 size = img.chainIds.isEmpty() ? -1 : 0;
    for (qsizetype k = 0; k < img.chainIds.size(); ++k) {
        ContainerdLayer l;
        l.index = static_cast<int>(k);
        l.diffId = img.diffIds.at(k);
        l.chainId = img.chainIds.at(k);
        l.name = QStringLiteral("layer %1").arg(k);
        if (const int h = historyOf.value(l.index, -1); h >= 0) {
            l.historyIndex = h;
            l.createdBy = img.history.at(h).createdBy;
            l.createdByRaw = img.history.at(h).createdByRaw;
        }
        const ContainerdSnapshot *s = snapshotOfKey(l.chainId);
        if (!s) {
            l.problems << QStringLiteral("no snapshot %1 (the image is not unpacked into %2)")
                              .arg(l.chainId, snapshotterName());
            size = -1;
            layers.push_back(l);
            continue;
        }
        l.snapshotName = s->name;
        l.kind = s->kindName();
        l.cacheId = QString::number(s->id);
        l.dir = snapshotDir(l.cacheId);
        l.diffDir = l.dir + QStringLiteral("/fs");
        l.name = QStringLiteral("layer %1 (%2)").arg(k).arg(l.cacheId);
        l.size = s->size;
        size = size >= 0 && s->size >= 0 ? size + s->size : -1;
        if (s->kind != ContainerdSnapshot::Kind::Committed)
            l.problems << QStringLiteral("snapshot %1 is %2, not committed").arg(s->name, l.kind);
        const QString below = k > 0 ? layers.at(k - 1).snapshotName : QString();
        if (s->parent != below)
            l.problems << QStringLiteral("snapshot %1 has the parent \"%2\", the chain says \"%3\"")
                              .arg(s->name, s->parent, below);
        if (StoreFiles::lstatError(l.diffDir) == ENOENT)
            l.problems << QStringLiteral("%1: missing").arg(l.diffDir);
        QStringList &users = m_imagesBySnapshot[l.cacheId];
        if (!users.contains(img.id))
            users << img.id;
        layers.push_back(l);
    }
    for (const ContainerdLayer &l : std::as_const(layers)) {
        for (const QString &p : l.problems)
            img.problems << QStringLiteral("layer %1: %2").arg(l.index).arg(p);
    }
    img.size = size;
    return layers;
}

void ContainerdStore::readContainers(const BoltBucket &ns)
{
    const BoltBucket *containers = ns.bucket("containers");
    if (!containers)
        return;
    for (const BoltBucket &b : containers->buckets) {
        ContainerdContainer c;
        c.id = QString::fromUtf8(b.name);
        c.name = c.id;
        c.image = text(b, "image");
        c.snapshotter = text(b, "snapshotter");
        c.snapshotKey = text(b, "snapshotKey");
        c.created = GoEncoding::time(b.value("createdat")).value_or(QString());
        if (const BoltBucket *runtime = b.bucket("runtime"))
            c.runtime = text(*runtime, "name");
        resolveContainer(c);
        for (const QString &p : std::as_const(c.problems))
            m_problems.push_back({QStringLiteral("container %1").arg(c.id), p});
        m_containers.push_back(c);
    }
    StoreRecords::sortNewestFirst(m_containers);
}

void ContainerdStore::addContainer(ContainerdContainer c)
{
    resolveContainer(c);
    for (const QString &p : std::as_const(c.problems))
        m_problems.push_back({QStringLiteral("container %1").arg(c.id), p});
    m_containers.removeIf([&c](const ContainerdContainer &old) { return old.id == c.id; });
    m_containers.push_back(c);
    StoreRecords::sortNewestFirst(m_containers);
    StoreRecords::markMounted(m_containers);
}

// The active snapshot is the upper; its parents, top first, are the lowers, as the
// snapshotter's mounts() builds lowerdir=.
void ContainerdStore::resolveContainer(ContainerdContainer &c)
{
    if (auto i = imageIndex(c.image)) {
        c.imageId = m_images.at(*i).id;
        c.user = m_images.at(*i).user;
    }
    if (c.status.isEmpty()) // Docker's containers bring theirs from config.v2.json
        c.status = QStringLiteral("stopped");
    if (c.snapshotter != snapshotterName()) {
        c.error = QStringLiteral("its snapshotter is \"%1\"; only %2 is read").arg(c.snapshotter, snapshotterName());
        c.problems << c.error;
        return;
    }
    const ContainerdSnapshot *s = snapshotOfKey(c.snapshotKey);
    if (!s) {
        c.problems << QStringLiteral("no snapshot %1 (its read-write layer)").arg(c.snapshotKey);
        return;
    }
    c.snapshotName = s->name;
    c.snapshotId = QString::number(s->id);
    c.upperDir = snapshotDir(c.snapshotId) + QStringLiteral("/fs");
    c.workDir = snapshotDir(c.snapshotId) + QStringLiteral("/work");
    if (s->kind != ContainerdSnapshot::Kind::Active)
        c.problems << QStringLiteral("snapshot %1 is %2, not active").arg(s->name, s->kindName());
    QSet<QString> seen;
    for (QString parent = s->parent; !parent.isEmpty(); parent = m_snapshots.value(parent).parent) {
        const auto p = m_snapshots.constFind(parent);
        if (p == m_snapshots.cend() || seen.contains(parent)) {
            c.problems << QStringLiteral("snapshot %1: its parent %2 is %3")
                              .arg(s->name,
                                  parent,
                                  seen.contains(parent) ? QStringLiteral("a cycle") : QStringLiteral("missing"));
            c.lowerIds.clear();
            c.lowerDirs.clear();
            return;
        }
        seen.insert(parent);
        c.lowerIds << QString::number(p->id);
        c.lowerDirs << snapshotDir(c.lowerIds.last()) + QStringLiteral("/fs");
        // Docker puts a container's snapshot on top of its own "<id>-init".
        if (c.lowerIds.size() == 1 && p->key() == c.id + QStringLiteral("-init"))
            c.initDir = c.lowerDirs.last();
    }
}

const ContainerdImage *ContainerdStore::imageById(const QString &id) const
{
    return StoreRecords::byId(m_images, id);
}

Result<qsizetype> ContainerdStore::imageIndex(const QString &refArg) const
{
    const QString ref = refArg.trimmed();
    if (ref.isEmpty())
        return Error {EINVAL, QStringLiteral("empty image reference")};
    // A name as stored, or as people type it (docker.io/library/ and :latest left out).
    for (const QString &name : {ref, normalized(ref)}) {
        for (qsizetype i = 0; i < m_images.size(); ++i) {
            if (m_images[i].tags.contains(name) || m_images[i].digests.contains(name))
                return i;
        }
    }
    if (auto found = StoreRecords::byIdPrefix(m_images, ref, "image"); !found || *found >= 0)
        return found;
    return Error {ENOENT, QStringLiteral("no such image in namespace %1: %2").arg(m_namespace, ref)};
}

Result<qsizetype> ContainerdStore::containerIndex(const QString &refArg) const
{
    const QString ref = refArg.trimmed();
    if (ref.isEmpty())
        return Error {EINVAL, QStringLiteral("empty container reference")};
    // Docker's containers have a name besides the ID (containerd's own are named by their ID).
    for (qsizetype i = 0; i < m_containers.size(); ++i) {
        if (m_containers[i].id == ref || m_containers[i].name == ref)
            return i;
    }
    // containerd's IDs are any names: a prefix of one need not be hex.
    const QVector<qsizetype> found = StoreRecords::withIdPrefix(m_containers, ref);
    if (found.size() == 1)
        return found.first();
    if (found.size() > 1)
        return Error {EINVAL, QStringLiteral("container ID prefix \"%1\" is ambiguous").arg(ref)};
    return Error {ENOENT, QStringLiteral("no such container in namespace %1: %2").arg(m_namespace, ref)};
}

StackLayer ContainerdStore::stackLayer(StoreLayerKind kind, const QString &id, const QString &name) const
{
    StackLayer s;
    s.kind = kind;
    s.name = name;
    s.cacheId = id;
    s.diffDir = snapshotDir(id) + QStringLiteral("/fs");
    return s;
}

Result<Stack> ContainerdStore::imageStack(qsizetype i) const
{
    const ContainerdImage &image = m_images.at(i);
    if (!image.error.isEmpty() && image.diffIds.isEmpty())
        return Error {EINVAL, QStringLiteral("image %1: %2").arg(image.displayName(), image.error)};
    return layerStack(m_imageLayers.at(i), image, QStringLiteral("snapshot"), [this](const StoreLayer &l) {
        return stackLayer(StoreLayerKind::Image, l.cacheId, l.name);
    });
}

Result<Stack> ContainerdStore::containerStack(qsizetype i, bool withUpper) const
{
    const ContainerdContainer &c = m_containers.at(i);
    if (c.snapshotId.isEmpty())
        return Error {ENOENT,
            QStringLiteral("container %1: its snapshot is unknown (%2)")
                .arg(c.id, c.problems.join(QStringLiteral("; ")))};
    QHash<QString, const ContainerdLayer *> imageLayer;
    if (const ContainerdImage *img = imageById(c.imageId)) {
        for (const ContainerdLayer &l : m_imageLayers.at(indexOf(*img)))
            imageLayer.insert(l.cacheId, &l);
    }
    Stack stack;
    if (withUpper)
        stack.push_back(
            stackLayer(StoreLayerKind::ReadWrite, c.snapshotId, QStringLiteral("upper (%1)").arg(c.snapshotId)));
    for (const QString &id : c.lowerIds) {
        const ContainerdLayer *l = imageLayer.value(id);
        if (!c.initDir.isEmpty() && c.initDir == snapshotDir(id) + QStringLiteral("/fs")) {
            stack.push_back(stackLayer(StoreLayerKind::Init, id, QStringLiteral("init (%1)").arg(id)));
            continue;
        }
        StackLayer s = stackLayer(StoreLayerKind::Image, id, l ? l->name : QStringLiteral("snapshot %1").arg(id));
        if (l) {
            s.imageLayer = l->index;
            s.createdBy = l->createdBy;
        }
        stack.push_back(s);
    }
    return stack;
}

qsizetype ContainerdStore::storedLayerCount() const
{
    qsizetype n = 0;
    for (const ContainerdSnapshot &s : m_snapshots)
        n += s.nameSpace() == m_namespace && s.kind == ContainerdSnapshot::Kind::Committed ? 1 : 0;
    return n;
}

QStringList ContainerdStore::imageIdsUsing(const QString &cacheId) const
{
    return m_imagesBySnapshot.value(cacheId);
}

QVector<StoreDir> ContainerdStore::searchDirs() const
{
    StoreDirList dirs(*this, [this](StoreDir &d) {
        d.dir = snapshotDir(d.cacheId);
        d.diffDir = d.dir + QStringLiteral("/fs");
    });
    // Image layers, containers' upper layers, then this namespace's snapshots nobody uses (not
    // the temporary extract-… ones).
    dirs.addImageLayers(m_imageLayers);
    for (const ContainerdContainer &c : m_containers)
        dirs.add(StoreLayerKind::ReadWrite, c.snapshotId, QStringLiteral("upper (%1)").arg(c.snapshotId), c.id);
    QStringList rest;
    for (const ContainerdSnapshot &s : m_snapshots) {
        if (s.nameSpace() == m_namespace && !s.key().startsWith(QLatin1String("extract-")))
            rest << QString::number(s.id);
    }
    std::sort(
        rest.begin(), rest.end(), [](const QString &a, const QString &b) { return a.toULongLong() < b.toULongLong(); });
    for (const QString &id : std::as_const(rest))
        dirs.add(StoreLayerKind::Unused, id, QStringLiteral("snapshot %1").arg(id));
    return dirs.take();
}

} // namespace strata
