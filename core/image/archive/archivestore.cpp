// SPDX-License-Identifier: GPL-2.0-or-later
#include "archivestore.h"

#include "core/image/chainid.h"
#include "core/image/imageconfig.h"
#include "core/image/metadatafile.h"
#include "core/layer/bytestream.h"
#include "core/layer/filestream.h"
#include "core/util/enumwords.h"
#include "core/util/filename.h"
#include "core/util/parallel.h"
#include "core/util/sha256.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSysInfo>

#include <algorithm>
#include <cerrno>

namespace strata
{

namespace
{

constexpr int MaxIndexDepth = 8;

const QString IndexJson = QStringLiteral("index.json");
const QString ManifestJson = QStringLiteral("manifest.json");

bool isIndexType(const QString &t)
{
    return t == QLatin1String("application/vnd.oci.image.index.v1+json")
        || t == QLatin1String("application/vnd.docker.distribution.manifest.list.v2+json");
}

bool isManifestType(const QString &t)
{
    return t == QLatin1String("application/vnd.oci.image.manifest.v1+json")
        || t == QLatin1String("application/vnd.docker.distribution.manifest.v2+json");
}

bool isConfigType(const QString &t)
{
    return t.isEmpty() || t == QLatin1String("application/vnd.oci.image.config.v1+json")
        || t == QLatin1String("application/vnd.docker.container.image.v1+json");
}

bool isLayerType(const QString &t)
{
    return t.isEmpty() || t.startsWith(QLatin1String("application/vnd.oci.image.layer."))
        || t.startsWith(QLatin1String("application/vnd.docker.image.rootfs."));
}

// What a layer media type says of the compression.
QString declaredCompression(const QString &t)
{
    if (t.isEmpty())
        return {};
    if (t.endsWith(QLatin1String("gzip")))
        return QStringLiteral("gzip");
    if (t.endsWith(QLatin1String("zstd")))
        return QStringLiteral("zstd");
    return QStringLiteral("none");
}

QString platformOf(const QJsonObject &p)
{
    QString s = p.value(QStringLiteral("os")).toString() + QLatin1Char('/')
        + p.value(QStringLiteral("architecture")).toString();
    const QString variant = p.value(QStringLiteral("variant")).toString();
    if (!variant.isEmpty())
        s += QLatin1Char('/') + variant;
    return s == QLatin1String("/") ? QString() : s;
}

QString sha256Of(const QByteArray &data)
{
    return Sha256::digestOf(data);
}

// "docker.io/library/busybox:1" and "busybox:1" are one name.
QString shortRef(QString ref)
{
    for (const char *prefix : {"docker.io/library/", "docker.io/", "index.docker.io/library/"}) {
        if (ref.startsWith(QLatin1String(prefix)))
            return ref.mid(static_cast<qsizetype>(qstrlen(prefix)));
    }
    return ref;
}

// "busybox:1" -> "busybox", "localhost:5000/app" -> itself: the name without its tag.
QString repository(const QString &ref)
{
    const qsizetype colon = ref.lastIndexOf(QLatin1Char(':'));
    return colon > ref.lastIndexOf(QLatin1Char('/')) ? ref.left(colon) : ref;
}

} // namespace

QString ArchiveStore::formatName(Format format)
{
    // In Format's order (tst_enumwords).
    static constexpr std::array<const char *, 5> Names {
        "docker-save", "docker-save-oci", "oci-archive", "oci-layout", "layer-tar"};
    return wordOf(Names, format, "docker-save");
}

QString ArchiveStore::hostPlatform()
{
    QString arch = QSysInfo::currentCpuArchitecture();
    if (arch == QLatin1String("x86_64"))
        arch = QStringLiteral("amd64");
    else if (arch == QLatin1String("i386"))
        arch = QStringLiteral("386");
    return QStringLiteral("linux/") + arch;
}

Result<std::shared_ptr<const ArchiveStore>> ArchiveStore::open(const QString &path)
{
    auto files = ArchiveFiles::open(path);
    if (!files)
        return files.error();
    std::shared_ptr<ArchiveStore> store(new ArchiveStore(std::move(files.value())));
    const ArchiveFiles &f = store->m_files;
    const bool hasIndex = f.contains(IndexJson);
    const bool hasManifest = f.contains(ManifestJson) || (!f.isDirectory() && f.names().contains(ManifestJson));
    if (!hasIndex && !hasManifest) {
        if (f.contains(QStringLiteral("repositories")))
            return Error {EINVAL,
                path
                    + QStringLiteral(": a `docker save` from before Docker 1.10 (repositories, no manifest.json), "
                                     "which is not read")};
        if (f.isDirectory())
            return Error {EINVAL, path + QStringLiteral(": not an image layout (no index.json or manifest.json)")};
        store->m_format = Format::LayerTar;
        store->readBareLayer();
        return std::shared_ptr<const ArchiveStore>(std::move(store));
    }
    store->m_format = f.isDirectory() ? Format::OciLayout
        : hasManifest                 ? (hasIndex ? Format::DockerSaveOci : Format::DockerSave)
                                      : Format::OciArchive;
    if (hasIndex)
        store->readIndex();
    if (store->m_images.isEmpty() && hasManifest)
        store->readManifestJson();
    for (ArchiveImage &image : store->m_images)
        store->finishLayers(image, image.ref.isEmpty() ? image.configMember : image.ref);
    return std::shared_ptr<const ArchiveStore>(std::move(store));
}

std::optional<ArchiveStore::Descriptor> ArchiveStore::descriptor(const QJsonValue &v, const QString &where)
{
    const QJsonObject o = v.toObject();
    Descriptor d;
    d.mediaType = o.value(QStringLiteral("mediaType")).toString();
    d.digest = o.value(QStringLiteral("digest")).toString();
    d.size = o.value(QStringLiteral("size")).toInteger(-1);
    if (!ChainId::isDigest(d.digest)) {
        // Only sha256 blobs under blobs/sha256/: a digest is never a path.
        problem(where, QStringLiteral("a descriptor with digest \"%1\" is not a sha256 digest: skipped").arg(d.digest));
        return std::nullopt;
    }
    const QJsonObject annotations = o.value(QStringLiteral("annotations")).toObject();
    d.ref = annotations.value(QStringLiteral("io.containerd.image.name")).toString();
    if (d.ref.isEmpty())
        d.ref = annotations.value(QStringLiteral("org.opencontainers.image.ref.name")).toString();
    d.platform = platformOf(o.value(QStringLiteral("platform")).toObject());
    return d;
}

QString ArchiveStore::blobPath(const QString &digest)
{
    return QStringLiteral("blobs/sha256/") + ChainId::hex(digest);
}

void ArchiveStore::readIndex()
{
    auto data = m_files.read(IndexJson);
    if (!data) {
        problem(IndexJson, data.error().message);
        return;
    }
    auto index = MetadataFile::parseObject(*data, IndexJson);
    if (!index) {
        problem(IndexJson, index.error().message);
        return;
    }
    walkIndex(*index, IndexJson, {}, 0);
}

void ArchiveStore::walkIndex(const QJsonObject &index, const QString &where, const QString &ref, int depth)
{
    const QJsonValue manifests = index.value(QStringLiteral("manifests"));
    if (manifests.isNull() || manifests.isUndefined())
        return; // Docker 25 wrote null for untagged saves: manifest.json says the rest
    if (!manifests.isArray()) {
        problem(where, QStringLiteral("\"manifests\" is not an array"));
        return;
    }
    for (const QJsonValue &v : manifests.toArray()) {
        auto d = descriptor(v, where);
        if (!d)
            continue;
        if (d->ref.isEmpty())
            d->ref = ref;
        readManifestBlob(*d, where, depth);
    }
}

void ArchiveStore::readManifestBlob(const Descriptor &d, const QString &where, int depth)
{
    if (m_visited.contains(d.digest + d.ref))
        return; // a loop, or a manifest two indexes share
    m_visited.insert(d.digest + d.ref);
    const QString path = blobPath(d.digest);
    auto data = m_files.read(path);
    if (!data) {
        problem(path, data.error().message + QStringLiteral(" (named by %1)").arg(where));
        return;
    }
    if (sha256Of(*data) != d.digest)
        problem(path, QStringLiteral("its content does not match its digest"));
    auto object = MetadataFile::parseObject(*data, path);
    if (!object) {
        problem(path, object.error().message);
        return;
    }
    // The blob says what it is; a descriptor that says otherwise is noted, not believed.
    const QString own = object->value(QStringLiteral("mediaType")).toString();
    const bool isIndex = object->contains(QStringLiteral("manifests"));
    const bool isManifest = object->contains(QStringLiteral("layers")) || object->contains(QStringLiteral("config"));
    if (!own.isEmpty() && !d.mediaType.isEmpty() && own != d.mediaType)
        problem(path, QStringLiteral("the descriptor in %1 says %2, the blob says %3").arg(where, d.mediaType, own));
    else if (!isIndexType(d.mediaType) && !isManifestType(d.mediaType))
        problem(path, QStringLiteral("the descriptor in %1 has media type \"%2\"").arg(where, d.mediaType));
    if (isIndex) {
        if (depth >= MaxIndexDepth) {
            problem(path, QStringLiteral("indexes nested deeper than %1: not followed").arg(MaxIndexDepth));
            return;
        }
        walkIndex(*object, path, d.ref, depth + 1);
    } else if (isManifest) {
        addOciImage(*object, d, path);
    } else {
        problem(path, QStringLiteral("neither an image index nor a manifest"));
    }
}

void ArchiveStore::addOciImage(const QJsonObject &manifest, const Descriptor &d, const QString &where)
{
    auto config = descriptor(manifest.value(QStringLiteral("config")), where);
    if (!config)
        return;
    if (!isConfigType(config->mediaType)) {
        problem(
            where, QStringLiteral("an artifact, not an image (config media type %1): left out").arg(config->mediaType));
        return;
    }
    ArchiveImage image;
    image.ref = d.ref;
    image.manifestDigest = d.digest;
    image.platform = d.platform;
    if (!readConfig(image, blobPath(config->digest), where))
        return;
    const QJsonValue layers = manifest.value(QStringLiteral("layers"));
    int k = 0;
    for (const QJsonValue &v : layers.toArray()) {
        auto ld = descriptor(v, where);
        ArchiveLayer l;
        l.index = k++;
        if (ld) {
            l.member = blobPath(ld->digest);
            l.digest = ld->digest;
            l.mediaType = ld->mediaType;
            l.expected.digest = ld->digest;
            l.expected.size = ld->size;
            if (!isLayerType(ld->mediaType))
                l.problems << QStringLiteral("media type %1 is not a filesystem layer").arg(ld->mediaType);
        }
        image.layers.push_back(l);
    }
    m_images.push_back(image);
}

bool ArchiveStore::readConfig(ArchiveImage &image, const QString &member, const QString &where)
{
    image.configMember = member;
    auto data = m_files.read(member);
    if (!data) {
        problem(member, data.error().message + QStringLiteral(" (the config named by %1)").arg(where));
        return false;
    }
    image.configDigest = sha256Of(*data);
    image.id = image.configDigest;
    // Configs are named by their digest (<hex>.json, sha256:<hex>, blobs/sha256/<hex>).
    QString named = member.section(QLatin1Char('/'), -1);
    named = named.startsWith(QLatin1String("sha256:")) ? named.mid(7) : named.section(QLatin1Char('.'), 0, 0);
    if (ChainId::isDigest(QStringLiteral("sha256:") + named) && named != ChainId::hex(image.configDigest))
        problem(member,
            QStringLiteral("its name says sha256:%1, its content is %2 (edited after it was named)")
                .arg(named, image.configDigest));
    auto config = MetadataFile::parseObject(*data, member);
    if (!config) {
        problem(member, config.error().message);
        return false;
    }
    ImageConfig::parse(*config, member, image, m_problems);
    if (image.platform.isEmpty())
        image.platform = platformOf(*config);
    return true;
}

void ArchiveStore::readManifestJson()
{
    auto data = m_files.read(ManifestJson);
    if (!data) {
        problem(ManifestJson, data.error().message);
        return;
    }
    if (data->trimmed() == "null") {
        problem(ManifestJson, QStringLiteral("is null: it lists no image"));
        return;
    }
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(*data, &err);
    if (err.error != QJsonParseError::NoError) {
        problem(ManifestJson, QStringLiteral("not JSON: %1").arg(err.errorString()));
        return;
    }
    if (!doc.isArray()) {
        problem(ManifestJson, QStringLiteral("is not a list"));
        return;
    }
    for (const QJsonValue &v : doc.array())
        addDockerImage(v.toObject(), ManifestJson);
}

void ArchiveStore::addDockerImage(const QJsonObject &entry, const QString &where)
{
    ArchiveImage image;
    QStringList tags;
    for (const QJsonValue &t : entry.value(QStringLiteral("RepoTags")).toArray())
        tags << t.toString();
    tags.sort();
    image.ref = tags.value(0);
    const QString config = entry.value(QStringLiteral("Config")).toString();
    if (!readConfig(image, config, where))
        return;
    const QJsonObject sources = entry.value(QStringLiteral("LayerSources")).toObject();
    int k = 0;
    for (const QJsonValue &v : entry.value(QStringLiteral("Layers")).toArray()) {
        ArchiveLayer l;
        l.index = k;
        l.member = v.toString();
        const QString diffId = image.diffIds.value(k);
        const QJsonObject source = sources.value(diffId).toObject();
        if (!source.isEmpty()) {
            l.mediaType = source.value(QStringLiteral("mediaType")).toString();
            l.digest = source.value(QStringLiteral("digest")).toString();
            l.expected.digest = l.digest;
            l.expected.size = source.value(QStringLiteral("size")).toInteger(-1);
        }
        image.layers.push_back(l);
        ++k;
    }
    image.tags = tags;
    m_images.push_back(image);
}

void ArchiveStore::finishLayers(ArchiveImage &image, const QString &where)
{
    if (!image.ref.isEmpty() && image.tags.isEmpty())
        image.tags << image.ref;
    if (image.layers.size() != image.diffIds.size())
        problem(where,
            QStringLiteral("the manifest lists %1 layers, the config %2 diff IDs")
                .arg(image.layers.size())
                .arg(image.diffIds.size()));
    ImageConfig::pairHistory(image);
    QHash<int, int> historyOf;
    for (qsizetype i = 0; i < image.history.size(); ++i) {
        if (image.history.at(i).layerIndex >= 0)
            historyOf.insert(image.history.at(i).layerIndex, static_cast<int>(i));
    }
    const QStringList chain = ChainId::chain(image.diffIds);
    qint64 total = 0;
    for (ArchiveLayer &l : image.layers) {
        l.diffId = image.diffIds.value(l.index);
        l.chainId = chain.value(l.index);
        l.expected.diffId = l.diffId;
        l.cacheId = l.member;
        l.dir = m_files.path();
        l.name = QStringLiteral("layer %1 (%2)")
                     .arg(l.index)
                     .arg(StoreImage::shortenId(l.diffId.isEmpty() ? l.digest : l.diffId));
        const int h = historyOf.value(l.index, -1);
        if (h >= 0) {
            l.historyIndex = h;
            l.createdBy = image.history.at(h).createdBy;
            l.createdByRaw = image.history.at(h).createdByRaw;
        }
        auto real = m_files.resolve(l.member);
        if (!real) {
            l.problems << real.error().message;
        } else {
            l.size = m_files.size(*real);
            l.compression = TarReader::compressionOf(m_files.head(*real));
            const QString declared = declaredCompression(l.mediaType);
            if (!declared.isEmpty() && declared != l.compression)
                l.problems << QStringLiteral("media type %1 says %2, the bytes are %3 (read as %3)")
                                  .arg(l.mediaType, declared, l.compression);
            const ArchiveFiles *files = &m_files;
            const QString member = *real;
            l.source = std::make_shared<TarLayerSource>(
                l.name, [files, member] { return files->stream(member); }, l.expected);
        }
        total = total >= 0 && l.size >= 0 ? total + l.size : -1;
        for (const QString &p : l.problems)
            problem(l.member, p);
    }
    image.size = total;
}

bool ArchiveStore::matches(const ArchiveImage &image, const QString &ref) const
{
    if (const qsizetype at = ref.indexOf(QLatin1Char('@')); at >= 0)
        return matchesDigestRef(image, ref.left(at), ref.mid(at + 1));
    const QString want = shortRef(ref);
    for (const QString &t : image.tags) {
        const QString have = shortRef(t);
        if (have == want || have == want + QStringLiteral(":latest"))
            return true;
    }
    if (!image.platform.isEmpty() && image.platform == ref)
        return true;
    for (const QString &digest : {image.configDigest, image.manifestDigest, image.id}) {
        if (digest.isEmpty())
            continue;
        if (digest == ref || (ref.size() >= 4 && ChainId::hex(digest).startsWith(ChainId::hex(ref))))
            return true;
    }
    return false;
}

// name@sha256:… (name[:tag]@… as docker takes it, the tag ignored): the digest is the
// manifest's, or the config's where the archive has no manifest blob (a legacy save), and
// the name one of the image's. A name without a tag in the archive matches by digest alone.
bool ArchiveStore::matchesDigestRef(const ArchiveImage &image, const QString &name, const QString &digest)
{
    if (!ChainId::isDigest(digest) || (digest != image.manifestDigest && digest != image.configDigest))
        return false;
    if (name.isEmpty())
        return true;
    const QString want = repository(shortRef(name));
    QStringList names = image.tags;
    if (!image.ref.isEmpty())
        names << image.ref;
    if (names.isEmpty())
        return true;
    return std::any_of(
        names.cbegin(), names.cend(), [&want](const QString &t) { return repository(shortRef(t)) == want; });
}

Result<qsizetype> ArchiveStore::select(const QString &ref) const
{
    QVector<qsizetype> found;
    for (qsizetype i = 0; i < m_images.size(); ++i) {
        if (ref.isEmpty() || matches(m_images.at(i), ref))
            found << i;
    }
    if (found.isEmpty())
        return Error {ENOENT,
            m_images.isEmpty() ? QStringLiteral("%1: the archive holds no image").arg(root())
                               : QStringLiteral("%1: no image \"%2\" in the archive").arg(root(), ref)};
    if (found.size() == 1)
        return found.first();
    QStringList refs;
    for (const qsizetype i : found) {
        if (!refs.contains(m_images.at(i).ref))
            refs << m_images.at(i).ref;
    }
    const QString host = hostPlatform();
    if (refs.size() == 1) {
        // One image for several platforms: this machine's, as `docker pull` picks it.
        for (const qsizetype i : found) {
            if (m_images.at(i).platform == host || m_images.at(i).platform.startsWith(host + QLatin1Char('/')))
                return i;
        }
        return found.first();
    }
    for (QString &r : refs)
        r = r.isEmpty() ? QStringLiteral("<untagged>") : r;
    return Error {EINVAL,
        QStringLiteral("%1: the archive holds %2 images (%3): choose one with --image")
            .arg(root())
            .arg(found.size())
            .arg(refs.join(QStringLiteral(", ")))};
}

// A tar with no index.json and no manifest.json: one layer, whose diff ID and digest are
// known once it is read (here, once).
void ArchiveStore::readBareLayer()
{
    const QString path = m_files.path();
    problem(path,
        QStringLiteral("a single layer tar, not an image (no index.json or manifest.json): read as an image of "
                       "one layer, without config or history"));
    ArchiveImage image;
    ArchiveLayer l;
    l.member = QFileInfo(path).fileName();
    l.cacheId = l.member;
    l.dir = path;
    auto opener = [path] {
        return FileStream::open(encodeFileName(path));
    };
    TarReader::Info info;
    TarLayerSource probe(l.member, opener, {});
    if (const Status st = probe.stream([](const TarEntry &) { return true; }, info, nullptr); !st)
        l.problems << st.error().message;
    l.compression = info.compression;
    l.digest = info.digest;
    l.size = info.storedSize;
    l.diffId = info.diffId;
    l.chainId = info.diffId;
    l.expected = TarLayerSource::Expected {info.diffId, info.digest, info.storedSize};
    l.name = QStringLiteral("layer 0 (%1)").arg(StoreImage::shortenId(l.diffId));
    l.source = std::make_shared<TarLayerSource>(l.name, opener, l.expected);
    for (const QString &p : l.problems)
        problem(path, p);
    image.id = info.diffId;
    image.diffIds = {info.diffId};
    image.size = l.size;
    image.platform = hostPlatform();
    image.layers << l;
    m_images << image;
}

Result<std::unique_ptr<ByteStream>> ArchiveStore::layerStream(const ArchiveLayer &layer) const
{
    if (m_format == Format::LayerTar)
        return FileStream::open(encodeFileName(m_files.path()));
    return m_files.stream(layer.member);
}

Result<QByteArray> ArchiveStore::config(qsizetype image) const
{
    const ArchiveImage &img = m_images.at(image);
    if (m_format != Format::LayerTar)
        return m_files.read(img.configMember);
    QJsonObject rootfs;
    rootfs.insert(QStringLiteral("type"), QStringLiteral("layers"));
    rootfs.insert(QStringLiteral("diff_ids"), QJsonArray::fromStringList(img.diffIds));
    QJsonObject config;
    config.insert(QStringLiteral("architecture"), img.platform.section(QLatin1Char('/'), 1, 1));
    config.insert(QStringLiteral("os"), img.platform.section(QLatin1Char('/'), 0, 0));
    config.insert(QStringLiteral("rootfs"), rootfs);
    return QJsonDocument(config).toJson(QJsonDocument::Compact);
}

QVector<ArchiveStore::LayerCheck> ArchiveStore::verify(qsizetype image, ScanControl *control) const
{
    const ArchiveImage &img = m_images.at(image);
    QVector<LayerCheck> checks(img.layers.size());
    parallelFor(static_cast<std::size_t>(img.layers.size()), parallelWorkers(), [&](std::size_t i, unsigned) {
        const ArchiveLayer &l = img.layers.at(static_cast<qsizetype>(i));
        LayerCheck &c = checks[static_cast<qsizetype>(i)];
        auto stream = layerStream(l);
        if (!stream) {
            c.problems << stream.error().message;
            return;
        }
        const Status read = TarReader::read(
            **stream, [](const TarEntry &) { return true; }, c.info, control);
        if (!read)
            c.problems << read.error().message;
        c.problems << TarLayerSource::check(c.info, l.expected);
    });
    return checks;
}

const StoreImage *ArchiveStore::imageById(const QString &id) const
{
    for (const ArchiveImage &image : m_images) {
        if (image.id == id)
            return &image;
    }
    return nullptr;
}

const StoreContainer &ArchiveStore::containerAt(qsizetype) const
{
    static const StoreContainer none;
    return none;
}

Result<qsizetype> ArchiveStore::containerIndex(const QString &ref) const
{
    return Error {ENOENT, QStringLiteral("%1: an image archive holds no container \"%2\"").arg(root(), ref)};
}

Result<Stack> ArchiveStore::imageStack(qsizetype image) const
{
    const ArchiveImage &img = m_images.at(image);
    Stack stack;
    for (auto it = img.layers.crbegin(); it != img.layers.crend(); ++it) {
        if (!it->source)
            return Error {ENOENT,
                QStringLiteral("image %1: layer %2 cannot be read: %3")
                    .arg(img.displayName())
                    .arg(it->index)
                    .arg(it->problems.join(QStringLiteral("; ")))};
        StackLayer s;
        s.name = it->name;
        s.cacheId = it->cacheId;
        s.diffDir = it->dir + QLatin1Char(':') + it->cacheId; // as ImageStore::layerMergeLayers names it
        s.imageLayer = it->index;
        s.createdBy = it->createdBy;
        s.source = it->source;
        stack.push_back(s);
    }
    return nonEmpty(std::move(stack), img);
}

Result<Stack> ArchiveStore::containerStack(qsizetype container, bool) const
{
    return Error {ENOENT, QStringLiteral("an image archive holds no container %1").arg(container)};
}

qsizetype ArchiveStore::storedLayerCount() const
{
    QSet<QString> members;
    for (const ArchiveImage &image : m_images) {
        for (const ArchiveLayer &l : image.layers)
            members.insert(l.cacheId);
    }
    return members.size();
}

QStringList ArchiveStore::imageIdsUsing(const QString &cacheId) const
{
    QStringList ids;
    for (const ArchiveImage &image : m_images) {
        for (const ArchiveLayer &l : image.layers) {
            if (l.cacheId == cacheId && !ids.contains(image.id)) {
                ids << image.id;
                break;
            }
        }
    }
    return ids;
}

QVector<StoreDir> ArchiveStore::searchDirs() const
{
    QVector<StoreDir> dirs;
    QSet<QString> seen;
    for (const ArchiveImage &image : m_images) {
        for (const ArchiveLayer &l : image.layers) {
            if (!l.source || seen.contains(l.cacheId))
                continue; // a layer without a source is one of problems() already
            seen.insert(l.cacheId);
            StoreDir d;
            d.cacheId = l.cacheId;
            d.dir = l.dir;
            d.diffDir = l.dir + QLatin1Char(':') + l.cacheId; // as imageStack() names it
            d.name = l.name;
            d.createdBy = l.createdBy;
            d.images = imagesUsing(l.cacheId);
            d.source = l.source;
            dirs.push_back(d);
        }
    }
    return dirs;
}

} // namespace strata
