// SPDX-License-Identifier: GPL-2.0-or-later
#include "dirnames.h"

#include <cstring>
#include <dirent.h>

namespace strata::test
{

std::optional<QList<QByteArray>> dirNames(const QByteArray &path)
{
    DIR *d = ::opendir(path.constData());
    if (!d)
        return std::nullopt;
    QList<QByteArray> names;
    while (dirent *e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
            names << QByteArray(e->d_name);
    }
    ::closedir(d);
    return names;
}

} // namespace strata::test
