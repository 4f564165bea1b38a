// SPDX-License-Identifier: GPL-2.0-or-later
#include "stacksnapshot.h"

#include "core/fs/treecopy.h"
#include "core/util/filename.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>

namespace strata
{

QString StackSnapshot::copyOf(int overlay) const
{
    return QDir(m_dir).filePath(QString::number(overlay));
}

Result<StackSnapshot> StackSnapshot::take(const Workspace &workspace, const QString &dir, ScanControl *control)
{
    if (QFileInfo::exists(dir))
        return Error {EEXIST, QStringLiteral("%1: a snapshot is never written over").arg(dir)};
    StackSnapshot snapshot(dir);
    const QList<OverlaySpec> &overlays = workspace.overlays();
    for (int i = 0; i < overlays.size(); ++i) {
        if (!overlays.at(i).hasUpper())
            continue;
        const QString copy = snapshot.copyOf(i);
        if (!QDir().mkpath(copy))
            return Error {EIO, QStringLiteral("%1: cannot create the snapshot directory").arg(copy)};
        const Status s = TreeCopy::copyContents(encodeFileName(overlays.at(i).upper), encodeFileName(copy), control);
        if (!s.ok())
            return s.error();
    }
    return snapshot;
}

Status StackSnapshot::restore(const Workspace &workspace, ScanControl *control) const
{
    const QList<OverlaySpec> &overlays = workspace.overlays();
    for (int i = 0; i < overlays.size(); ++i) {
        if (!overlays.at(i).hasUpper())
            continue;
        const QByteArray upper = encodeFileName(overlays.at(i).upper);
        if (!QFileInfo(copyOf(i)).isDir())
            return Error {ENOENT, QStringLiteral("%1: not in this snapshot").arg(overlays.at(i).name)};
        if (Status s = TreeCopy::clearContents(upper); !s.ok())
            return s;
        if (Status s = TreeCopy::copyContents(encodeFileName(copyOf(i)), upper, control); !s.ok())
            return s;
    }
    return {};
}

} // namespace strata
