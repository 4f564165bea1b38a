// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockerimageconfig.h"

#include "core/image/imageconfig.h"
#include "core/image/metadatafile.h"
#include "core/image/storefiles.h"

#include <QCryptographicHash>

#include <cerrno>

namespace strata
{

DockerImage DockerImageConfig::read(const QString &imageRoot, const QString &hex, StoreProblems &problems)
{
    const QString path = imageRoot + QStringLiteral("/imagedb/content/sha256/") + hex;
    DockerImage img;
    img.id = QStringLiteral("sha256:") + hex;
    const QString parentFile
        = imageRoot + QStringLiteral("/imagedb/metadata/sha256/") + hex + QStringLiteral("/parent");
    if (auto parent = MetadataFile::readLine(parentFile)) {
        img.parentId = *parent;
    } else if (parent.error().code != ENOENT) {
        StoreFiles::report(problems, parent.error());
    }

    auto data = MetadataFile::read(path);
    if (!data) {
        img.error = data.error().message;
        StoreFiles::report(problems, data.error());
        return img;
    }
    const QString digest = QString::fromLatin1(QCryptographicHash::hash(*data, QCryptographicHash::Sha256).toHex());
    if (digest != hex) {
        img.problems << QStringLiteral("%1: content does not match its name (its sha256 is %2)").arg(path, digest);
        problems.push_back({path, QStringLiteral("content does not match its name (its sha256 is %1)").arg(digest)});
    }
    auto obj = MetadataFile::parseObject(*data, path);
    if (!obj) {
        img.error = obj.error().message;
        StoreFiles::report(problems, obj.error());
        return img;
    }
    ImageConfig::parse(*obj, path, img, problems);
    return img;
}

} // namespace strata
