// SPDX-License-Identifier: GPL-2.0-or-later
#include "overlay2dirs.h"

#include "core/image/metadatafile.h"
#include "core/image/storefiles.h"
#include "core/util/filename.h"

#include <QFile>

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

Overlay2Dirs Overlay2Dirs::read(const QString &base, StoreProblems &problems)
{
    Overlay2Dirs out;
    if (StoreFiles::lstatError(base) == ENOENT)
        return out;
    // Without l/ (unreadable or missing) nothing resolves; that is one problem, not one per layer.
    const bool linksReadable
        = ::access(encodeFileName(QString(base + QStringLiteral("/l"))).constData(), R_OK | X_OK) == 0;
    out.readLinks(base, problems);
    for (const QString &name : StoreFiles::list(base, problems)) {
        if (name == QLatin1String("l"))
            continue;
        struct stat st {
        };
        if (StoreFiles::lstatError(base + QLatin1Char('/') + name, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        out.dirs.insert(name, out.readDir(base, name, linksReadable, problems));
    }
    return out;
}

void Overlay2Dirs::readLinks(const QString &base, StoreProblems &problems)
{
    for (const QString &name : StoreFiles::list(base + QStringLiteral("/l"), problems)) {
        const QByteArray target = encodeFileName(QString(base + QStringLiteral("/l/") + name));
        char buf[4096];
        const ssize_t n = ::readlink(target.constData(), buf, sizeof buf - 1);
        if (n < 0) {
            StoreFiles::report(
                problems, Error::fromErrno(errno, QStringLiteral("%1/l/%2: not a symbolic link").arg(base, name)));
            continue;
        }
        // "../<dir>/diff"
        const QString t = decodeFileName(QByteArray(buf, n));
        const QStringList parts = t.split(QLatin1Char('/'));
        if (parts.size() != 3 || parts.at(0) != QLatin1String("..") || parts.at(2) != QLatin1String("diff")
            || !StoreFiles::isSafeName(parts.at(1))) {
            problems.push_back({base + QStringLiteral("/l/") + name,
                QStringLiteral("points to \"%1\", expected ../<directory>/diff").arg(t)});
            continue;
        }
        links.insert(name, parts.at(1));
    }
}

OverlayDir Overlay2Dirs::readDir(
    const QString &base, const QString &name, bool linksReadable, StoreProblems &problems) const
{
    const QString dir = base + QLatin1Char('/') + name;
    OverlayDir d;
    d.cacheId = name;
    d.hasDiff = StoreFiles::isDirectory(dir + QStringLiteral("/diff"));
    d.hasWork = StoreFiles::isDirectory(dir + QStringLiteral("/work"));
    d.hasMerged = StoreFiles::isDirectory(dir + QStringLiteral("/merged"));
    d.committed = StoreFiles::lstatError(dir + QStringLiteral("/committed")) == 0;
    auto note = [&](const Error &e) {
        d.problems << e.message;
        StoreFiles::report(problems, e);
    };
    if (auto link = MetadataFile::readLine(dir + QStringLiteral("/link"))) {
        d.link = *link;
        d.linkOk = links.value(d.link) == name;
        if (!d.linkOk && linksReadable)
            note(Error {ENOENT, QStringLiteral("%1/link: l/%2 does not lead to this directory").arg(dir, d.link)});
    } else {
        note(link.error());
    }
    if (auto lower = MetadataFile::readLine(dir + QStringLiteral("/lower"))) {
        d.hasLowerFile = true;
        d.lowerLinks = lower->split(QLatin1Char(':'), Qt::SkipEmptyParts);
        for (const QString &l : std::as_const(d.lowerLinks)) {
            const QString shortName = l.startsWith(QLatin1String("l/")) ? l.mid(2) : QString();
            const QString target = links.value(shortName);
            d.lowerCacheIds << target;
            if (target.isEmpty() && linksReadable)
                note(Error {ENOENT, QStringLiteral("%1/lower: \"%2\" does not resolve through l/").arg(dir, l)});
        }
    } else if (lower.error().code != ENOENT) {
        note(lower.error()); // a base layer has no lower file
    }
    return d;
}

} // namespace strata
