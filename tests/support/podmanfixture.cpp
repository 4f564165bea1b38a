// SPDX-License-Identifier: GPL-2.0-or-later
#include "podmanfixture.h"

#include "core/image/chainid.h"
#include "core/image/podman/podmanrecords.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace strata::test
{

namespace
{

QString sha256(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QJsonObject historyEntry(const char *createdBy, bool empty = false)
{
    QJsonObject o {{QStringLiteral("created"), QStringLiteral("2025-03-01T10:00:00Z")},
        {QStringLiteral("created_by"), QLatin1String(createdBy)}};
    if (empty)
        o.insert(QStringLiteral("empty_layer"), true);
    return o;
}

QByteArray compact(const QJsonArray &a)
{
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

} // namespace

bool PodmanFixture::writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QString PodmanFixture::layerId(const QString &parent, const QString &diffId)
{
    const QString hex = ChainId::hex(diffId);
    return parent.isEmpty() ? hex : sha256((parent + QLatin1Char('+') + hex).toLatin1());
}

QString PodmanFixture::diff(const QString &id) const
{
    return root + QStringLiteral("/overlay/") + id + QStringLiteral("/diff");
}

bool PodmanFixture::build(const QString &dir, Whiteouts form)
{
    root = dir;
    for (int k = 0; k < 3; ++k) {
        diffIds << QStringLiteral("sha256:") + sha256("podman diff " + QByteArray::number(k));
        layerIds << layerId(layerIds.isEmpty() ? QString() : layerIds.last(), diffIds.last());
        links << QStringLiteral("PODMANLAYER%1ABCDEFGHIJKLMN").arg(k);
    }
    if (!buildLayers(form))
        return false;
    baseId = image(QStringLiteral("localhost/fx/base:v1"),
        2,
        compact({historyEntry("/bin/sh -c #(nop) ADD file:base in / "),
            historyEntry("/bin/sh -c mkdir /app && rm -rf /data/old")}),
        "2025-03-01T10:00:00Z");
    appId = image(QStringLiteral("localhost/fx/app:v1"),
        3,
        compact({historyEntry("/bin/sh -c #(nop) ADD file:base in / "),
            historyEntry("/bin/sh -c mkdir /app && rm -rf /data/old"),
            historyEntry("/bin/sh -c #(nop)  ENV MODE=test", true),
            historyEntry("/bin/sh -c mkdir -p /data/old && echo b > /data/old/b.txt")}),
        "2025-03-02T10:00:00Z");
    const QByteArray images = "[" + m_imagesJson + "]";
    return writeFile(root + QStringLiteral("/overlay-images/images.json"), images)
        && writeFile(root + QStringLiteral("/overlay-images/images.lock"), {}) && buildContainers(form)
        && writeFile(root + QStringLiteral("/overlay-layers/layers.json"), "[" + m_layersJson + "]")
        && writeFile(root + QStringLiteral("/overlay-layers/layers.lock"), {});
}

bool PodmanFixture::whiteout(const QString &layer, const QString &path, Whiteouts form) const
{
    const QFileInfo at(diff(layer) + path);
    QDir().mkpath(at.absolutePath());
    if (form == Whiteouts::Files)
        return writeFile(at.absolutePath() + QStringLiteral("/.wh.") + at.fileName(), {});
    return ::mknod(QFile::encodeName(at.filePath()).constData(), S_IFCHR, makedev(0, 0)) == 0;
}

bool PodmanFixture::opaque(const QString &layer, const QString &dir, Whiteouts form) const
{
    const QString path = diff(layer) + dir;
    QDir().mkpath(path);
    // fuse-overlayfs writes its own .wh..opq beside the AUFS marker.
    if (form == Whiteouts::Files)
        return writeFile(path + QStringLiteral("/.wh..wh..opq"), {})
            && writeFile(path + QStringLiteral("/.wh..opq"), {});
    return ::setxattr(QFile::encodeName(path).constData(), "trusted.overlay.opaque", "y", 1, 0) == 0;
}

// overlay/<id>/{diff, link, lower or empty/, work, merged} and its l/ link, as the driver makes them.
bool PodmanFixture::layerDir(int index, const QString &id, const QString &parentId) const
{
    const QString dir = root + QStringLiteral("/overlay/") + id;
    const QString link = index >= 0 ? links.at(index) : id.left(26).toUpper();
    QStringList lower;
    for (QString p = parentId; !p.isEmpty();) {
        const qsizetype k = layerIds.indexOf(p);
        lower << QStringLiteral("l/") + links.at(k);
        p = k > 0 ? layerIds.at(k - 1) : QString();
    }
    for (const char *sub : {"diff", "work", "merged"})
        QDir().mkpath(dir + QLatin1Char('/') + QLatin1String(sub));
    if (lower.isEmpty())
        QDir().mkpath(dir + QStringLiteral("/empty"));
    QDir().mkpath(root + QStringLiteral("/overlay/l"));
    return writeFile(dir + QStringLiteral("/link"), link.toLatin1())
        && (lower.isEmpty() || writeFile(dir + QStringLiteral("/lower"), lower.join(QLatin1Char(':')).toLatin1()))
        && QFile::link(
            QStringLiteral("../") + id + QStringLiteral("/diff"), root + QStringLiteral("/overlay/l/") + link);
}

bool PodmanFixture::buildLayers(Whiteouts form)
{
    QJsonArray records;
    for (int k = 0; k < 3; ++k) {
        const QString parent = k > 0 ? layerIds.at(k - 1) : QString();
        if (!layerDir(k, layerIds.at(k), parent))
            return false;
        QJsonObject r {{QStringLiteral("id"), layerIds.at(k)},
            {QStringLiteral("created"), QStringLiteral("2025-03-0%1T10:00:00Z").arg(k + 1)},
            {QStringLiteral("compressed-diff-digest"), diffIds.at(k)},
            {QStringLiteral("compressed-size"), 1024 * (k + 1)},
            {QStringLiteral("diff-digest"), diffIds.at(k)},
            {QStringLiteral("diff-size"), 2048 * (k + 1)}};
        if (!parent.isEmpty())
            r.insert(QStringLiteral("parent"), parent);
        records.append(r);
    }
    const QString l0 = diff(layerIds.at(0)), l1 = diff(layerIds.at(1)), l2 = diff(layerIds.at(2));
    const bool files = writeFile(l0 + QStringLiteral("/etc/motd"), "hello\n")
        && writeFile(l0 + QStringLiteral("/etc/os-release"), "ID=fixture\n")
        && writeFile(l0 + QStringLiteral("/bin/sh"), "#!fake shell\n")
        && writeFile(l0 + QStringLiteral("/data/old/a.txt"), "a\n")
        && writeFile(l0 + QStringLiteral("/data/keep.txt"), "keep\n")
        && writeFile(l1 + QStringLiteral("/app/readme.txt"), "read me\n")
        && whiteout(layerIds.at(1), QStringLiteral("/data/old"), form)
        && opaque(layerIds.at(2), QStringLiteral("/data/old"), form)
        && writeFile(l2 + QStringLiteral("/data/old/b.txt"), "b\n")
        && writeFile(l2 + QStringLiteral("/app/run.sh"), "echo run\n");
    m_layersJson = compact(records).mid(1).chopped(1);
    return files;
}

QString PodmanFixture::image(const QString &name, int layers, const QByteArray &history, const char *created)
{
    const QByteArray config = QByteArrayLiteral("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"") + created
        + "\",\"config\":{\"User\":\"\",\"Env\":[\"PATH=/bin\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":"
        + compact(QJsonArray::fromStringList(diffIds.mid(0, layers))) + "},\"history\":" + history + "}";
    const QString id = sha256(config);
    const QByteArray manifest = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:" + id.toLatin1() + "\"}}";
    const QString manifestDigest = QStringLiteral("sha256:") + sha256(manifest);
    const QString dir = root + QStringLiteral("/overlay-images/") + id + QLatin1Char('/');
    const QString key = QStringLiteral("sha256:") + id;
    if (!writeFile(dir + PodmanRecords::bigDataFileName(key), config)
        || !writeFile(dir + QStringLiteral("manifest"), manifest))
        return {};
    const QJsonObject r {{QStringLiteral("id"), id},
        {QStringLiteral("digest"), manifestDigest},
        {QStringLiteral("names"), QJsonArray {name}},
        {QStringLiteral("layer"), layerIds.at(layers - 1)},
        {QStringLiteral("big-data-names"), QJsonArray {key, QStringLiteral("manifest")}},
        {QStringLiteral("created"), QLatin1String(created)}};
    if (!m_imagesJson.isEmpty())
        m_imagesJson += ',';
    m_imagesJson += QJsonDocument(r).toJson(QJsonDocument::Compact);
    return key;
}

bool PodmanFixture::buildContainers(Whiteouts form)
{
    webId = sha256("web container");
    webLayer = sha256("web layer");
    idleId = sha256("idle container");
    idleLayer = sha256("idle layer");
    QJsonArray containers;
    QJsonArray layers = QJsonDocument::fromJson("[" + m_layersJson + "]").array();
    const struct {
        QString id, layer, name, image, imageName, parent, created;
    } made[] = {{webId,
                    webLayer,
                    QStringLiteral("web"),
                    appId,
                    QStringLiteral("localhost/fx/app:v1"),
                    layerIds.at(2),
                    QStringLiteral("2025-03-03T10:00:00Z")},
        {idleId,
            idleLayer,
            QStringLiteral("idle"),
            baseId,
            QStringLiteral("localhost/fx/base:v1"),
            layerIds.at(1),
            QStringLiteral("2025-03-04T10:00:00Z")}};
    for (const auto &c : made) {
        if (!layerDir(-1, c.layer, c.parent))
            return false;
        layers.append(QJsonObject {{QStringLiteral("id"), c.layer},
            {QStringLiteral("parent"), c.parent},
            {QStringLiteral("created"), c.created}});
        const QString meta = QStringLiteral("{\"image-name\":\"%1\",\"name\":\"%2\"}").arg(c.imageName, c.name);
        containers.append(QJsonObject {{QStringLiteral("id"), c.id},
            {QStringLiteral("names"), QJsonArray {c.name}},
            {QStringLiteral("image"), ChainId::hex(c.image)},
            {QStringLiteral("layer"), c.layer},
            {QStringLiteral("metadata"), meta},
            {QStringLiteral("created"), c.created}});
    }
    m_layersJson = compact(layers).mid(1).chopped(1);
    const QString upper = diff(webLayer);
    return writeFile(upper + QStringLiteral("/app/new.txt"), "new\n")
        && writeFile(upper + QStringLiteral("/app/readme.txt"), "read me, changed\n")
        && whiteout(webLayer, QStringLiteral("/etc/motd"), form)
        && writeFile(root + QStringLiteral("/overlay-containers/containers.json"), compact(containers))
        && writeFile(root + QStringLiteral("/overlay-containers/containers.lock"), {});
}

QStringList PodmanFixture::fingerprint(const QString &root)
{
    QStringList out;
    QDirIterator it(
        root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        struct stat st {
        };
        if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
            continue;
        QString line = QStringLiteral("%1 %2 %3 %4.%5")
                           .arg(path.mid(root.size()))
                           .arg(st.st_mode, 0, 8)
                           .arg(st.st_size)
                           .arg(st.st_mtim.tv_sec)
                           .arg(st.st_mtim.tv_nsec);
        if (S_ISREG(st.st_mode)) {
            QFile f(path);
            if (f.open(QIODevice::ReadOnly))
                line += QLatin1Char(' ') + sha256(f.readAll());
        }
        out << line;
    }
    out.sort();
    return out;
}

} // namespace strata::test
