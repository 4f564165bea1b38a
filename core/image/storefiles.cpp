// SPDX-License-Identifier: GPL-2.0-or-later
#include "storefiles.h"

#include "core/util/filename.h"

#include <QFile>

#include <cerrno>
#include <dirent.h>
#include <sys/stat.h>

namespace strata
{

QStringList StoreFiles::list(const QString &path, StoreProblems &problems, bool reportMissing)
{
    QStringList names;
    DIR *d = ::opendir(encodeFileName(path).constData());
    if (!d) {
        const int err = errno;
        if (err != ENOENT || reportMissing)
            report(problems, Error::fromErrno(err, QStringLiteral("cannot list %1").arg(path)));
        return names;
    }
    errno = 0;
    while (dirent *e = ::readdir(d)) {
        const char *n = e->d_name;
        if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0)))
            continue;
        names << decodeFileName(n);
    }
    ::closedir(d);
    names.sort();
    return names;
}

int StoreFiles::lstatError(const QString &path, struct stat *st)
{
    struct stat local {
    };
    return ::lstat(encodeFileName(path).constData(), st ? st : &local) == 0 ? 0 : errno;
}

bool StoreFiles::isDirectory(const QString &path)
{
    struct stat st {
    };
    return lstatError(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool StoreFiles::isHex(const QString &s)
{
    if (s.isEmpty())
        return false;
    for (const QChar c : s) {
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    }
    return true;
}

bool StoreFiles::isSafeName(const QString &s)
{
    return !s.isEmpty() && !s.contains(QLatin1Char('/')) && s != QLatin1String(".") && s != QLatin1String("..")
        && !s.contains(QChar(0));
}

QDateTime StoreFiles::parseTime(const QString &s)
{
    // Qt reads up to three fraction digits.
    QString t = s;
    const qsizetype dot = t.indexOf(QLatin1Char('.'));
    if (dot > 0) {
        qsizetype end = dot + 1;
        while (end < t.size() && t.at(end).isDigit())
            ++end;
        if (end - dot - 1 > 3)
            t.remove(dot + 4, end - dot - 4);
    }
    return QDateTime::fromString(t, Qt::ISODateWithMs);
}

void StoreFiles::report(StoreProblems &problems, const Error &error)
{
    problems.push_back(StoreProblem {QString(), error.message});
}

} // namespace strata
