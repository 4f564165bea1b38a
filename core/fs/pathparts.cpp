// SPDX-License-Identifier: GPL-2.0-or-later
#include "pathparts.h"

#include <algorithm>

namespace strata
{

bool PathParts::split(const QByteArray &path, std::vector<std::string_view> &parts)
{
    parts.clear();
    const std::string_view all(path.constData(), static_cast<std::size_t>(path.size()));
    std::size_t pos = 0;
    while (pos <= all.size()) {
        const std::size_t slash = std::min(all.find('/', pos), all.size());
        const std::string_view part = all.substr(pos, slash - pos);
        pos = slash + 1;
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            if (parts.empty())
                return false;
            parts.pop_back();
            continue;
        }
        parts.push_back(part);
    }
    return true;
}

std::string PathParts::joined(const std::vector<std::string_view> &parts, std::size_t count)
{
    std::string path;
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0)
            path += '/';
        path += parts[i];
    }
    return path;
}

QString PathParts::shown(const QByteArray &name)
{
    return QString::fromUtf8(name.toPercentEncoding("/ !#$&'()*+,:;=?@[]{}~<>|^`\""));
}

} // namespace strata
