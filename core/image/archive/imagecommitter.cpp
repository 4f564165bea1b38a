// SPDX-License-Identifier: GPL-2.0-or-later
#include "imagecommitter.h"

#include "core/image/archive/archivestore.h"
#include "core/layer/bytestream.h"
#include "core/layer/tarwriter.h"
#include "core/layer/uppertar.h"
#include "core/stack/workspace.h"
#include "core/util/filename.h"
#include "core/util/sha256.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

namespace
{

struct Source {
    std::shared_ptr<const ArchiveStore> store;
    qsizetype image = 0;
};

Result<Source> openSource(const Workspace &ws)
{
    const QString file = ws.baseDir() + QLatin1Char('/') + ImageCommitter::SourceFileName;
    auto bytes = readFileBytes(file, 1024 * 1024);
    if (!bytes)
        return Error {
            ENOENT, QStringLiteral("%1: not made by `strata image extract` (no %2)").arg(ws.filePath(), file)};
    const QJsonObject o = QJsonDocument::fromJson(*bytes).object();
    const QString archive = o.value(QStringLiteral("archive")).toString();
    auto store = ArchiveStore::open(archive);
    if (!store)
        return Error {
            store.error().code, QStringLiteral("the image's archive (%1): %2").arg(archive, store.error().message)};
    auto image = (*store)->select(o.value(QStringLiteral("image")).toString());
    if (!image)
        return image.error();
    return Source {*store, *image};
}

// The config with the new layer on top: its diff ID, a history entry, a new date.
QByteArray newConfig(const QByteArray &original, const QString &diffId)
{
    QJsonObject config = QJsonDocument::fromJson(original).object();
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    QJsonObject rootfs = config.value(QStringLiteral("rootfs")).toObject();
    QJsonArray ids = rootfs.value(QStringLiteral("diff_ids")).toArray();
    ids.append(diffId);
    rootfs.insert(QStringLiteral("type"), QStringLiteral("layers"));
    rootfs.insert(QStringLiteral("diff_ids"), ids);
    config.insert(QStringLiteral("rootfs"), rootfs);
    QJsonArray history = config.value(QStringLiteral("history")).toArray();
    QJsonObject entry;
    entry.insert(QStringLiteral("created"), now);
    entry.insert(QStringLiteral("created_by"), QStringLiteral("strata commit"));
    entry.insert(QStringLiteral("comment"), QStringLiteral("the overlay's upper layer, committed by Stratascope"));
    history.append(entry);
    config.insert(QStringLiteral("history"), history);
    config.insert(QStringLiteral("created"), now);
    return QJsonDocument(config).toJson(QJsonDocument::Compact);
}

// The new top layer, written beside `out` first: its size goes in the archive's header.
Result<UpperTar::Summary> writeLayer(const OverlaySpec &spec, const QString &path, TarWriter &layer)
{
    if (Status st = layer.open(path); !st)
        return st.error();
    const XattrNamespace ns = spec.options.userxattr ? XattrNamespace::User : XattrNamespace::Trusted;
    auto summary = UpperTar::write(spec.upper, spec.lower, ns, layer);
    if (!summary)
        return summary;
    if (Status st = layer.close(); !st)
        return st.error();
    return summary;
}

Status copyLayers(const Source &src, TarWriter &out, QJsonArray &names)
{
    const ArchiveImage &img = src.store->archiveImage(src.image);
    for (qsizetype k = 0; k < img.layers.size(); ++k) {
        const ArchiveLayer &l = img.layers.at(k);
        auto in = src.store->layerStream(l);
        if (!in)
            return in.error();
        TarWriter::Header h;
        h.name = QByteArray::number(k) + "/layer.tar";
        h.mode = S_IFREG | 0644;
        h.size = l.size;
        if (h.size < 0)
            return Error {EIO, QStringLiteral("%1: its size is not known").arg(l.member)};
        if (Status st = out.addStream(h, **in); !st)
            return st;
        names.append(QString::fromUtf8(h.name));
    }
    return {};
}

Status addFile(TarWriter &out, const QByteArray &name, const QString &path, qint64 size)
{
    const int fd = ::open(encodeFileName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(errno, path);
    TarWriter::Header h;
    h.name = name;
    h.mode = S_IFREG | 0644;
    h.size = size;
    const Status st = out.addFile(h, fd);
    ::close(fd);
    return st;
}

} // namespace

QByteArray ImageCommitter::sourceJson(const QString &archive, const QString &imageId, const QString &ref)
{
    QJsonObject o;
    o.insert(QStringLiteral("archive"), archive);
    o.insert(QStringLiteral("image"), imageId);
    o.insert(QStringLiteral("ref"), ref);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<ImageCommitter::Committed> ImageCommitter::commit(
    const QString &workspace, const QString &overlay, const QString &out, const QString &tag)
{
    auto ws = Workspace::load(workspace);
    if (!ws)
        return ws.error();
    auto index = ws->overlayIndex(overlay);
    if (!index)
        return index.error();
    const OverlaySpec &spec = ws->overlays().at(*index);
    if (!spec.hasUpper())
        return Error {EINVAL, QStringLiteral("overlay \"%1\" has no upper layer to commit").arg(spec.name)};
    auto src = openSource(*ws);
    if (!src)
        return src.error();
    const ArchiveImage &img = src->store->archiveImage(src->image);
    if (spec.lower.size() != img.layers.size())
        return Error {EINVAL,
            QStringLiteral("overlay \"%1\" has %2 lower layers, the image %3 has %4")
                .arg(spec.name)
                .arg(spec.lower.size())
                .arg(img.displayName())
                .arg(img.layers.size())};
    auto config = src->store->config(src->image);
    if (!config)
        return config.error();

    Committed c;
    c.out = out;
    c.tag = tag;
    const QString layerPath = out + QStringLiteral(".layer.tmp");
    TarWriter layer;
    auto summary = writeLayer(spec, layerPath, layer);
    if (!summary) {
        QFile::remove(layerPath);
        return summary.error();
    }
    c.diffId = layer.digest();
    c.layerSize = layer.size();
    c.top = *summary;
    const QByteArray cfg = newConfig(*config, c.diffId);
    c.imageId = Sha256::digestOf(cfg);

    TarWriter archive;
    QJsonArray layerNames;
    Status st = archive.open(out);
    if (st)
        st = copyLayers(*src, archive, layerNames);
    const QByteArray top = QByteArray::number(img.layers.size()) + "/layer.tar";
    if (st)
        st = addFile(archive, top, layerPath, c.layerSize);
    QFile::remove(layerPath);
    layerNames.append(QString::fromUtf8(top));
    const QByteArray cfgName = c.imageId.mid(7).toLatin1() + ".json";
    if (st)
        st = archive.addBytes(cfgName, cfg);
    QJsonObject manifest;
    manifest.insert(QStringLiteral("Config"), QString::fromLatin1(cfgName));
    manifest.insert(QStringLiteral("RepoTags"), tag.isEmpty() ? QJsonArray() : QJsonArray {tag});
    manifest.insert(QStringLiteral("Layers"), layerNames);
    if (st)
        st = archive.addBytes("manifest.json", QJsonDocument(QJsonArray {manifest}).toJson(QJsonDocument::Compact));
    if (st)
        st = archive.close();
    if (!st) {
        QFile::remove(out);
        return st.error();
    }
    c.layers = static_cast<int>(layerNames.size());
    return c;
}

} // namespace strata
