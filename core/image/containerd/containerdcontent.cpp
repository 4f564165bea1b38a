// SPDX-License-Identifier: GPL-2.0-or-later
#include "containerdcontent.h"

#include "core/image/chainid.h"
#include "core/image/metadatafile.h"
#include "core/util/sha256.h"

#include <QJsonArray>

#include <cerrno>

namespace strata
{

namespace
{
QString platformOf(const QJsonObject &p)
{
    QString s = p.value(QStringLiteral("os")).toString() + QLatin1Char('/')
        + p.value(QStringLiteral("architecture")).toString();
    if (const QString v = p.value(QStringLiteral("variant")).toString(); !v.isEmpty())
        s += QLatin1Char('/') + v;
    return s;
}

qint64 sizeOf(const QJsonObject &descriptor)
{
    return static_cast<qint64>(descriptor.value(QStringLiteral("size")).toDouble());
}
} // namespace

QString ContainerdContent::blobPath(const QString &digest) const
{
    return m_root + QStringLiteral("/io.containerd.content.v1.content/blobs/sha256/") + ChainId::hex(digest);
}

Result<QJsonObject> ContainerdContent::object(const QString &digest) const
{
    if (!ChainId::isDigest(digest))
        return Error {EINVAL, QStringLiteral("\"%1\" is not a sha256 digest").arg(digest)};
    const QString path = blobPath(digest);
    auto data = MetadataFile::read(path, MaxBlob);
    if (!data)
        return data.error();
    if (Sha256::digestOf(*data) != digest)
        return Error {EINVAL, QStringLiteral("%1: its contents do not have the digest %2").arg(path, digest)};
    return MetadataFile::parseObject(*data, path);
}

Result<QString> ContainerdContent::pickManifest(const QJsonObject &index, const QString &platform, Resolved &r) const
{
    QStringList offered;
    for (const QJsonValue &v : index.value(QStringLiteral("manifests")).toArray()) {
        const QJsonObject m = v.toObject();
        const QString p = platformOf(m.value(QStringLiteral("platform")).toObject());
        // Attestations (buildkit's unknown/unknown) are no image.
        if (p == QLatin1String("unknown/unknown"))
            continue;
        offered << p;
        if (p == platform || p.startsWith(platform + QLatin1Char('/'))) {
            r.platform = p;
            r.contentSize += sizeOf(m);
            return m.value(QStringLiteral("digest")).toString();
        }
    }
    return Error {ENOENT,
        QStringLiteral("the index has no manifest for %1 (it has: %2)")
            .arg(platform, offered.isEmpty() ? QStringLiteral("none") : offered.join(QStringLiteral(", ")))};
}

Result<ContainerdContent::Resolved> ContainerdContent::resolve(const QString &target, const QString &platform) const
{
    Resolved r;
    QString digest = target;
    // An index may name another index; a few levels are plenty.
    for (int depth = 0; depth < 4; ++depth) {
        auto blob = object(digest);
        if (!blob)
            return blob.error();
        if (blob->contains(QStringLiteral("manifests"))) {
            auto next = pickManifest(*blob, platform, r);
            if (!next)
                return next.error();
            digest = *next;
            continue;
        }
        const QJsonObject config = blob->value(QStringLiteral("config")).toObject();
        r.manifestDigest = digest;
        r.configDigest = config.value(QStringLiteral("digest")).toString();
        r.contentSize += sizeOf(config);
        for (const QJsonValue &l : blob->value(QStringLiteral("layers")).toArray()) {
            r.layerDigests << l.toObject().value(QStringLiteral("digest")).toString();
            r.contentSize += sizeOf(l.toObject());
        }
        auto configObject = object(r.configDigest);
        if (!configObject)
            return configObject.error();
        r.config = *configObject;
        return r;
    }
    return Error {ELOOP, QStringLiteral("%1: indexes nested too deep").arg(blobPath(target))};
}

} // namespace strata
