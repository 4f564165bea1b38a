// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockermountowner.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace strata
{

QString DockerMountOwner::containerOf(const QString &upperDir)
{
    if (!upperDir.contains(QLatin1String("/overlay2/")))
        return {};
    const QString mountDir = QFileInfo(upperDir).path(); // <root>/overlay2/<mount-id>
    const QString mountId = QFileInfo(mountDir).fileName();
    const QString root = QFileInfo(QFileInfo(mountDir).path()).path();
    const QDir mounts(root + QStringLiteral("/image/overlay2/layerdb/mounts"));
    QString owner;
    for (const QString &container : mounts.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(mounts.filePath(container + QStringLiteral("/mount-id")));
        if (f.open(QIODevice::ReadOnly) && QString::fromUtf8(f.readAll()).trimmed() == mountId)
            owner = container;
    }
    return owner;
}

} // namespace strata
