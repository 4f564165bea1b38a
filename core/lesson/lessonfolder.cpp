// SPDX-License-Identifier: GPL-2.0-or-later
#include "lessonfolder.h"

#include "core/mount/mountinfo.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cerrno>

namespace strata
{

namespace
{
// Something is mounted at or below `dir` (a lesson's overlay the user mounted and left).
bool hasMountsBelow(const QString &dir, const QList<MountInfo::Entry> &mounts)
{
    const QString prefix = QFileInfo(dir).canonicalFilePath() + QLatin1Char('/');
    return std::any_of(mounts.cbegin(), mounts.cend(), [&](const MountInfo::Entry &e) {
        const QString at = e.mountPoint + QLatin1Char('/');
        return at.startsWith(prefix);
    });
}
} // namespace

QString LessonFolder::root()
{
    // ~/.cache/stratascope/lessons: short paths, for the mount commands that show them.
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation))
        .filePath(QStringLiteral("stratascope/lessons"));
}

Result<QString> LessonFolder::newCopy(const QString &name)
{
    if (!QDir().mkpath(root()))
        return Error {EACCES, QStringLiteral("%1: cannot create the lesson folder").arg(root())};
    cleanUp(kept);
    QTemporaryDir copy(QDir(root()).filePath(name + QStringLiteral("-XXXXXX")));
    if (!copy.isValid())
        return Error {EIO, QStringLiteral("%1: %2").arg(root(), copy.errorString())};
    copy.setAutoRemove(false); // the copy outlives this window, for the terminal
    return copy.path();
}

bool LessonFolder::contains(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute.startsWith(root() + QLatin1Char('/')))
        return true;
    static const QRegularExpression legacy(QStringLiteral("^stratascope-[A-Za-z0-9_-]+-[A-Za-z0-9]{6}(/|$)"));
    const QString temp = QStandardPaths::writableLocation(QStandardPaths::TempLocation) + QLatin1Char('/');
    return absolute.startsWith(temp) && legacy.match(absolute.mid(temp.size())).hasMatch();
}

int LessonFolder::cleanUp(int keep)
{
    QDir dir(root());
    // Newest first; a copy the user still has mounted stays whatever its age.
    QFileInfoList copies = dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time);
    if (copies.size() <= keep)
        return 0;
    const auto mounts = MountInfo::read();
    if (!mounts)
        return 0; // what is mounted is unknown: keep everything
    int removed = 0;
    for (qsizetype i = std::max(0, keep); i < copies.size(); ++i) {
        const QString path = copies.at(i).absoluteFilePath();
        if (!hasMountsBelow(path, *mounts) && QDir(path).removeRecursively())
            ++removed;
    }
    return removed;
}

} // namespace strata
