// SPDX-License-Identifier: GPL-2.0-or-later
#include "containerddiff.h"

#include "core/image/containerd/containerdstore.h"
#include "core/util/filename.h"

#include <QDir>

namespace strata
{

QStringList ContainerdDiff::runtimeMountPoints()
{
    return {QStringLiteral("/dev"), QStringLiteral("/proc"), QStringLiteral("/run"), QStringLiteral("/sys")};
}

Result<ContainerDiff::Output> ContainerdDiff::compute(
    const ContainerdStore &store, qsizetype container, ScanControl *control)
{
    auto diff = ContainerDiff::compute(store, container, control);
    if (!diff)
        return diff;
    const QString upper = store.containerAt(container).upperDir;
    auto emptyInUpper = [&upper](const QByteArray &path) {
        const QDir dir(upper + decodeFileName(path));
        return dir.exists() && dir.isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    };
    QStringList left;
    QVector<ContainerChange> kept;
    for (const ContainerChange &ch : std::as_const(diff->changes)) {
        const bool mountPoint = ch.kind == ContainerChange::Kind::Added
            && runtimeMountPoints().contains(decodeFileName(ch.path)) && emptyInUpper(ch.path);
        if (mountPoint)
            left << decodeFileName(ch.path);
        else
            kept.push_back(ch);
    }
    diff->changes = kept;
    if (!left.isEmpty())
        diff->warnings << QStringLiteral("left out %1: empty directories runc made in the upper for its mounts "
                                         "(Docker keeps them in its init layer, so docker diff never shows them)")
                              .arg(left.join(QStringLiteral(", ")));
    return diff;
}

} // namespace strata
